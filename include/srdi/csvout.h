/*
 * srdi/csvout.h — the one writer of CSV fields (values.csv, changes.csv,
 * rejects.csv).
 *
 * Quoting: RFC 4180 — a field holding a comma, a double quote, CR or LF, or
 * starting or ending with a space, is quoted, inner quotes doubled.
 * Formula neutralisation (OWASP, "CSV injection"): a field that a
 * spreadsheet would evaluate — it starts with = + - @ TAB or CR — gets a
 * leading apostrophe ('), unless the whole field is a plain number
 * ([+-]digits[.digits][e[+-]digits]), so -1.5 or -12 stay numbers in every
 * column while "=1+1", "-1+2", "@SUM(A1)" or "+cmd" are shown as text.
 * A field already starting with an apostrophe is written as it is.
 */
#ifndef SRDI_CSVOUT_H
#define SRDI_CSVOUT_H

#include <stdbool.h>
#include <stdio.h>
#include "srdi/util.h"

/** @brief True when @p s (borrowed, NUL-terminated) is a plain decimal number (see above). */
bool srdi_csv_is_number(const char *s);
/** @brief True when @p s (borrowed, NUL-terminated) would get the apostrophe guard. */
bool srdi_csv_needs_guard(const char *s);
/**
 * @brief The text of @p s as written (guarded, unquoted), for writers that quote themselves.
 * @param s   the field text (borrowed)
 * @param tmp scratch buffer owned by the caller (reset when used)
 * @return @p s itself or tmp->data (borrowed: valid until @p tmp changes);
 *         NULL when out of memory (SRDI_ERR_NOMEM recorded)
 */
const char *srdi_csv_neutral(const char *s, srdi_buf *tmp);
/**
 * @brief Append @p s as one guarded, quoted CSV field to @p b (no separator, no newline).
 * @param b the buffer
 * @param s the field text (borrowed; NULL = empty)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_csv_field(srdi_buf *b, const char *s);
/**
 * @brief Same, written to @p fp.
 * @param fp the stream
 * @param s  the field text (borrowed; NULL = empty)
 * @return SRDI_OK; SRDI_ERR_NOMEM (message set); SRDI_ERR_IO on a short write
 *         (no message: the caller names the file)
 */
srdi_status srdi_csv_field_fp(FILE *fp, const char *s);

#endif
