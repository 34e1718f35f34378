/*
 * cairo_dl.c — libcairo.so.2's table and loader (cairo_dl.h, srdi/dl.h).
 */
#include "cairo_dl.h"

srdi_cairo_fns srdi_cairo;

#define SRDI_DL_NAME(f) #f,
static const char *const names[] = {SRDI_CAIRO_FNS(SRDI_DL_NAME)};
#undef SRDI_DL_NAME

_Static_assert(sizeof srdi_cairo == sizeof names / sizeof names[0] * sizeof(void (*)(void)), "a pointer a function");

static srdi_dl_lib lib = {
    .soname = SRDI_SONAME_CAIRO,
    .package = "libcairo2",
    .fail = SRDI_ERR_RENDER,
    .names = names,
    .n = sizeof names / sizeof names[0],
    .table = (void (**)(void))(void *)&srdi_cairo,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};

srdi_status srdi_cairo_load(void)
{
    return srdi_dl_load(&lib);
}
