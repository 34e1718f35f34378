/*
 * xlsxwriter_dl.c — libxlsxwriter.so.4's table and loader (xlsxwriter_dl.h, srdi/dl.h).
 */
#include "xlsxwriter_dl.h"

SRDI_DL_DEFINE(srdi_lxw, SRDI_XLSXWRITER_FNS, SRDI_SONAME_XLSXWRITER, "libxlsxwriter4", SRDI_ERR_RENDER)
