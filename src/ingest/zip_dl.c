/*
 * zip_dl.c — libzip.so.4's table and loader (zip_dl.h, srdi/dl.h).
 */
#include "zip_dl.h"

SRDI_DL_DEFINE(srdi_zip, SRDI_LIBZIP_FNS, SRDI_SONAME_ZIP, "libzip4", SRDI_ERR_INPUT)
