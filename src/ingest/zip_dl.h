/*
 * src/ingest/zip_dl.h — the libzip functions the reading of Excel inputs
 * (src/ingest/xlsxin_book.c, xlsxin_xml.c) calls, through a
 * table filled when the library is first needed (srdi/dl.h): a run that
 * never calls them never loads it.  Every source that calls the library
 * includes this header in place of the library's own: the names below are
 * then the table's members.  A function called for the first time is added
 * to SRDI_LIBZIP_FNS.
 */
#ifndef SRDI_ZIP_DL_H
#define SRDI_ZIP_DL_H

#include <zip.h>

#include "srdi/dl.h"

#define SRDI_LIBZIP_FNS(X) \
    X(zip_discard) \
    X(zip_error_clear) \
    X(zip_error_code_zip) \
    X(zip_error_fini) \
    X(zip_error_init) \
    X(zip_error_init_with_code) \
    X(zip_error_strerror) \
    X(zip_fclose) \
    X(zip_file_strerror) \
    X(zip_fopen) \
    X(zip_fread) \
    X(zip_get_error) \
    X(zip_open) \
    X(zip_open_from_source) \
    X(zip_source_buffer_create) \
    X(zip_source_free) \
    X(zip_strerror)

/** The functions, as pointers of their own types (filled by srdi_zip_load). */
typedef struct srdi_zip_fns {
#define SRDI_DL_MEMBER(f) __typeof__(&f) f;
    SRDI_LIBZIP_FNS(SRDI_DL_MEMBER)
#undef SRDI_DL_MEMBER
} srdi_zip_fns;

extern srdi_zip_fns srdi_zip;

/**
 * @brief Load libzip.so.4 and fill srdi_zip, once for the process (srdi_dl_load).
 * @return SRDI_OK; SRDI_ERR_INPUT, message set, when the library cannot be loaded
 */
srdi_status srdi_zip_load(void);

/* from here on each name is the table's member */
#define zip_discard (srdi_zip.zip_discard)
#define zip_error_clear (srdi_zip.zip_error_clear)
#define zip_error_code_zip (srdi_zip.zip_error_code_zip)
#define zip_error_fini (srdi_zip.zip_error_fini)
#define zip_error_init (srdi_zip.zip_error_init)
#define zip_error_init_with_code (srdi_zip.zip_error_init_with_code)
#define zip_error_strerror (srdi_zip.zip_error_strerror)
#define zip_fclose (srdi_zip.zip_fclose)
#define zip_file_strerror (srdi_zip.zip_file_strerror)
#define zip_fopen (srdi_zip.zip_fopen)
#define zip_fread (srdi_zip.zip_fread)
#define zip_get_error (srdi_zip.zip_get_error)
#define zip_open (srdi_zip.zip_open)
#define zip_open_from_source (srdi_zip.zip_open_from_source)
#define zip_source_buffer_create (srdi_zip.zip_source_buffer_create)
#define zip_source_free (srdi_zip.zip_source_free)
#define zip_strerror (srdi_zip.zip_strerror)

#endif
