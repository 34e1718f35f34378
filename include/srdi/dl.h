/*
 * srdi/dl.h — a shared library opened on first use.  Three libraries are
 * needed by some runs only: cairo (figure files), libxlsxwriter (the
 * workbooks) and libzip (Excel inputs).  Linked, the dynamic loader maps and
 * relocates each with all its dependencies at every start (cairo brings 15
 * objects, libxlsxwriter and libzip libcrypto: ~7 ms of a refresh's 12 ms
 * start, on its serial path).  Opened here instead, on the first call of the
 * module that needs it — the figures' or the workbook's thread, beside the
 * PDF's — and never for a run that does not.
 *
 * A module lists the functions it calls in an X-macro and keeps a table of
 * pointers of their types; its header then maps each name to the table's
 * member (src/canvas/cairo_dl.h, src/xlsx/xlsxwriter_dl.h,
 * src/ingest/zip_dl.h), so its sources call the library as before.  The
 * library is opened with RTLD_GLOBAL: the functions the program defines in
 * its place (src/xlsx/xlsx.c: lxw_tmpfile, zipOpenNewFileInZip4_64; the
 * program exports them, CMakeLists.txt) are still the ones it calls.
 *
 * Thread safety: srdi_dl_load may be called from several threads at once;
 * the first opens the library, the others wait for it.
 */
#ifndef SRDI_DL_H
#define SRDI_DL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "srdi/error.h"

/** A shared library resolved on first use. */
typedef struct srdi_dl_lib {
    const char *soname;       /* the file dlopen takes, e.g. "libcairo.so.2" */
    const char *package;      /* the Debian package that installs it (named in the error) */
    srdi_status fail;         /* the status of a library that cannot be used (SRDI_ERR_RENDER …) */
    const char *const *names; /* the functions, in the table's order */
    size_t n;
    void (**table)(void);     /* n function pointers, filled by srdi_dl_load */
    pthread_mutex_t lock;     /* PTHREAD_MUTEX_INITIALIZER */
    bool done;                /* tried (st its outcome) */
    srdi_status st;
    char err[512];
} srdi_dl_lib;

/**
 * @brief Open @p lib's library and resolve every function of its table, once
 * for the process; later calls give the first outcome.
 * @param lib the library (its lock initialised; never freed: the library stays open)
 * @return SRDI_OK; @p lib's fail status with a message naming the library, its
 *         package and dlerror's cause when it cannot be opened or lacks a function
 */
srdi_status srdi_dl_load(srdi_dl_lib *lib);

/* (a function's name as a string: the table's entry for it) */
#define SRDI_DL_NAME_(f) #f,

/**
 * Define, in the one source of a library's table, the table @p tab (of type
 * tab##_fns: a pointer per function of the X-macro @p FNS, in its order) and
 * its loader `srdi_status tab##_load(void)` (srdi_dl_load of the library
 * @p so, installed by the Debian package @p pkg; @p failst when it cannot be used).
 */
#define SRDI_DL_DEFINE(tab, FNS, so, pkg, failst)                                                              \
    tab##_fns tab;                                                                                             \
    static const char *const tab##_names[] = {FNS(SRDI_DL_NAME_)};                                              \
    _Static_assert(sizeof tab == sizeof tab##_names / sizeof tab##_names[0] * sizeof(void (*)(void)),           \
                   "a pointer a function");                                                                    \
    static srdi_dl_lib tab##_lib = {.soname = so,                                                              \
                                    .package = pkg,                                                            \
                                    .fail = failst,                                                            \
                                    .names = tab##_names,                                                      \
                                    .n = sizeof tab##_names / sizeof tab##_names[0],                           \
                                    .table = (void (**)(void))(void *)&tab,                                    \
                                    .lock = PTHREAD_MUTEX_INITIALIZER};                                        \
    srdi_status tab##_load(void)                                                                               \
    {                                                                                                          \
        return srdi_dl_load(&tab##_lib);                                                                       \
    }

#endif
