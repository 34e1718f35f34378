/*
 * csvout.c — the one CSV field writer of every CSV the program writes
 * (values.csv, changes.csv, rejects.csv): RFC 4180 quoting plus
 * neutralisation of cells a spreadsheet would run as a formula (OWASP
 * "CSV injection"): a cell that is not a plain number and starts with
 * = + - @ TAB or CR gets a leading apostrophe, so -1.5 stays a number and
 * "=HYPERLINK(…)" or "-2+3" is shown as text.
 */
#include <stdbool.h>
#include <string.h>
#include "srdi/csvout.h"

bool srdi_csv_is_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    bool digits = false;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits = true;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits = true;
        }
    }
    if (!digits) return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    return *p == 0;
}

bool srdi_csv_needs_guard(const char *s)
{
    return s && strchr("=+-@\t\r", s[0]) && s[0] && !srdi_csv_is_number(s);
}

const char *srdi_csv_neutral(const char *s, srdi_buf *tmp)
{
    if (!srdi_csv_needs_guard(s)) return s;
    srdi_buf_reset(tmp);
    if (srdi_buf_puts(tmp, "'") != SRDI_OK || srdi_buf_puts(tmp, s) != SRDI_OK) return NULL;
    return tmp->data;
}

srdi_status srdi_csv_field(srdi_buf *b, const char *s)
{
    if (!s) s = "";
    bool guard = srdi_csv_needs_guard(s);
    /* quoted when THE CSV reader (srdi/csvread.h) would otherwise split it or trim its
       spaces and tabs (a leading tab is guarded, so it never leads) */
    size_t n = strlen(s);
    bool q = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == '\t'));
    srdi_status st = SRDI_OK;
    if (q) st = srdi_buf_puts(b, "\"");
    if (st == SRDI_OK && guard) st = srdi_buf_puts(b, "'");
    if (st == SRDI_OK && !q) return srdi_buf_puts(b, s);
    for (const char *p = s; st == SRDI_OK && *p; p++)
        st = *p == '"' ? srdi_buf_append(b, "\"\"", 2) : srdi_buf_append(b, p, 1);
    if (st == SRDI_OK) st = srdi_buf_puts(b, "\"");
    return st;
}

srdi_status srdi_csv_field_fp(FILE *fp, const char *s)
{
    srdi_buf b = {0};
    srdi_status st = srdi_csv_field(&b, s);
    if (st == SRDI_OK && b.len && fwrite(b.data, 1, b.len, fp) != b.len) st = SRDI_ERR_IO;
    srdi_buf_free(&b);
    return st;
}
