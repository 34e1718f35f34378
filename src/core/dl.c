/*
 * dl.c — srdi_dl_load: a shared library opened on first use (srdi/dl.h).
 */
#include "srdi/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "srdi/util.h"

srdi_status srdi_dl_load(srdi_dl_lib *lib)
{
    pthread_mutex_lock(&lib->lock);
    if (!lib->done) {
        lib->done = true;
        lib->st = SRDI_OK;
        void *h = dlopen(lib->soname, RTLD_NOW | RTLD_GLOBAL);
        if (!h) {
            const char *why = dlerror();
            snprintf(lib->err, sizeof lib->err, "cannot load %s (%s); install the Debian package %s", lib->soname,
                     why ? why : "unknown cause", lib->package);
            lib->st = lib->fail;
        }
        for (size_t i = 0; h && i < lib->n; i++) {
            void *f = dlsym(h, lib->names[i]);
            if (!f) {
                snprintf(lib->err, sizeof lib->err, "%s has no function %s; install the Debian package %s",
                         lib->soname, lib->names[i], lib->package);
                lib->st = lib->fail;
                break;
            }
            memcpy(&lib->table[i], &f, sizeof f); /* (a data pointer's bytes as a function pointer: POSIX dlsym) */
        }
    }
    srdi_status st = lib->st;
    char err[sizeof lib->err];
    if (st != SRDI_OK) srdi_strlcpy(err, lib->err, sizeof err);
    pthread_mutex_unlock(&lib->lock);
    return st == SRDI_OK ? SRDI_OK : srdi_error_set(st, "%s", err);
}
