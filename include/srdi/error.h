/*
 * srdi/error.h — the project's one error type.
 *
 * Every fallible function returns an srdi_status and hands results back
 * through pointer parameters.  The human-readable detail of the most recent
 * failure (file, line, column, value …) is kept per thread and read with
 * srdi_error_message().  Library error models (libharu, cairo, lxw_error)
 * are translated into these values inside the module that uses them.
 */
#ifndef SRDI_ERROR_H
#define SRDI_ERROR_H

typedef enum srdi_status {
    SRDI_OK = 0,        /**< Success. */
    SRDI_ERR_NOMEM,     /**< An allocation failed. */
    SRDI_ERR_IO,        /**< A file could not be opened, read or written. */
    SRDI_ERR_USAGE,     /**< Bad command-line arguments. */
    SRDI_ERR_ENCODING,  /**< Input bytes are not valid in the file's encoding. */
    SRDI_ERR_CSV,       /**< Malformed CSV (e.g. unterminated quote). */
    SRDI_ERR_HEADER,    /**< A required column is missing or the header is empty. */
    SRDI_ERR_DATA,      /**< Row errors found and --strict was given. */
    SRDI_ERR_REFERENCE, /**< Reference data (classification, provinces …) is unusable. */
    SRDI_ERR_PARAM,     /**< params.ini is malformed or a value is out of range. */
    SRDI_ERR_TEMPLATE,  /**< A template file has an unknown placeholder or directive. */
    SRDI_ERR_FONT,      /**< A required font file is missing or unreadable. */
    SRDI_ERR_RENDER,    /**< A rendering library (libharu, cairo, libxlsxwriter) failed. */
    SRDI_ERR_INTERNAL,  /**< An invariant was broken: a bug. */
    SRDI_ERR_INPUT      /**< An input file or directory is missing or unreadable. */
} srdi_status;

/**
 * @brief Short fixed description of a status ("out of memory" …).
 * @param s a status
 * @return a static string (never NULL; "unknown error" for a value outside the enum)
 */
const char *srdi_strerror(srdi_status s);

/**
 * @brief Record the detail message of the current failure (thread-local,
 * truncated to 2 KiB); it replaces the previous one.
 * @param s   the status to return
 * @param fmt printf format of the message (file, line, column, value …), then its arguments
 * @return @p s, so callers can write `return srdi_error_set(SRDI_ERR_IO, "...")`
 */
srdi_status srdi_error_set(srdi_status s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief The detail message recorded last on this thread ("" if none). Borrowed. */
const char *srdi_error_message(void);

/** @brief Forget the recorded message. */
void srdi_error_clear(void);

#endif
