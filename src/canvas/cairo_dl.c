/*
 * cairo_dl.c — libcairo.so.2's table and loader (cairo_dl.h, srdi/dl.h).
 */
#include "cairo_dl.h"

SRDI_DL_DEFINE(srdi_cairo, SRDI_CAIRO_FNS, SRDI_SONAME_CAIRO, "libcairo2", SRDI_ERR_RENDER)
