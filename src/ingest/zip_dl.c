/*
 * zip_dl.c — libzip.so.4's table and loader (zip_dl.h, srdi/dl.h).
 */
#include "zip_dl.h"

srdi_zip_fns srdi_zip;

#define SRDI_DL_NAME(f) #f,
static const char *const names[] = {SRDI_LIBZIP_FNS(SRDI_DL_NAME)};
#undef SRDI_DL_NAME

_Static_assert(sizeof srdi_zip == sizeof names / sizeof names[0] * sizeof(void (*)(void)), "a pointer a function");

static srdi_dl_lib lib = {
    .soname = SRDI_SONAME_ZIP,
    .package = "libzip4",
    .fail = SRDI_ERR_INPUT,
    .names = names,
    .n = sizeof names / sizeof names[0],
    .table = (void (**)(void))(void *)&srdi_zip,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

srdi_status srdi_zip_load(void)
{
    return srdi_dl_load(&lib);
}
