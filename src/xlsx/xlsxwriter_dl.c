/*
 * xlsxwriter_dl.c — libxlsxwriter.so.4's table and loader (xlsxwriter_dl.h, srdi/dl.h).
 */
#include "xlsxwriter_dl.h"

srdi_lxw_fns srdi_lxw;

#define SRDI_DL_NAME(f) #f,
static const char *const names[] = {SRDI_XLSXWRITER_FNS(SRDI_DL_NAME)};
#undef SRDI_DL_NAME

_Static_assert(sizeof srdi_lxw == sizeof names / sizeof names[0] * sizeof(void (*)(void)), "a pointer a function");

static srdi_dl_lib lib = {
    .soname = SRDI_SONAME_XLSXWRITER,
    .package = "libxlsxwriter4",
    .fail = SRDI_ERR_RENDER,
    .names = names,
    .n = sizeof names / sizeof names[0],
    .table = (void (**)(void))(void *)&srdi_lxw,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

srdi_status srdi_lxw_load(void)
{
    return srdi_dl_load(&lib);
}
