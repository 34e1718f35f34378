/*
 * src/ingest/xlsxin_sheet.c — the selected worksheet streamed as records
 * (xlsxin.h, xlsxin_private.h): cells by column, numbers written out in
 * plain decimal, shared strings looked up, blank rows skipped.
 */
#include "xlsxin_private.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Text of a numeric cell: as stored, except that an exponent is written out
 * in plain decimal with the shortest digits that read back as the same
 * double (1.5E+3 → 1500, 1E-3 → 0.001).  Anything strtod does not take
 * whole is kept as it is (the row is then rejected as not a number).
 */
static srdi_status append_number(srdi_buf *b, const char *s, size_t n)
{
    srdi_ingest_trim(&s, &n);
    if (!memchr(s, 'e', n) && !memchr(s, 'E', n)) return srdi_buf_append(b, s, n);
    char tmp[64], *end;
    if (n >= sizeof tmp) return srdi_buf_append(b, s, n);
    memcpy(tmp, s, n);
    tmp[n] = 0;
    errno = 0;
    double v = strtod(tmp, &end);
    if (*end || !isfinite(v) || errno == ERANGE) return srdi_buf_append(b, s, n);
    char e[40];
    for (int p = 0; p <= 16; p++) {
        snprintf(e, sizeof e, "%.*e", p, v);
        if (strtod(e, NULL) == v) break;
    }
    /* e = [-]d[.ddd]e±XX: digits and the decimal exponent */
    const char *q = e;
    bool neg = *q == '-';
    if (neg) q++;
    char digits[24];
    size_t nd = 0;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd + 1 < sizeof digits) digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    long ex = *q == 'e' ? strtol(q + 1, NULL, 10) : 0;
    long point = ex + 1; /* digits before the decimal point */
    srdi_status st = SRDI_OK;
    if (v == 0) return srdi_buf_puts(b, "0");
    if (neg) st = srdi_buf_puts(b, "-");
    if (point <= 0) {
        st = srdi_buf_puts(b, "0.");
        for (long i = 0; i < -point && st == SRDI_OK; i++) st = srdi_buf_puts(b, "0");
        if (st == SRDI_OK) st = srdi_buf_append(b, digits, nd);
    } else if ((size_t)point >= nd) {
        st = srdi_buf_append(b, digits, nd);
        for (long i = (long)nd; i < point && st == SRDI_OK; i++) st = srdi_buf_puts(b, "0");
    } else {
        st = srdi_buf_append(b, digits, (size_t)point);
        if (st == SRDI_OK) st = srdi_buf_puts(b, ".");
        if (st == SRDI_OK) st = srdi_buf_append(b, digits + point, nd - (size_t)point);
    }
    return st;
}

/* =============================================================== worksheet */

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_BOOL, CT_TEXT /* str, e, d */ };

typedef struct cell_ref {
    size_t col, off, len;
} cell_ref;

typedef struct sheet_run {
    srdi_xlsxin_run base;
    srdi_csv_record_fn fn;
    void *ctx;
    long after_row;
    size_t max_rows, emitted;
    long last_row;
    bool in_row, in_c, in_v, in_is, in_t;
    int rph;
    long row, prev_row;
    size_t col;    /* current cell's column */
    long prev_col; /* previous cell's column in this row, -1 at row start */
    enum cell_type type;
    char ref[24];    /* current cell's reference, made for messages only (cell_ref_text) */
    srdi_buf cv;     /* raw text of the current cell (<v> or <is>) */
    srdi_buf rowbuf; /* cell texts of the row, NUL-separated */
    cell_ref *cells;
    size_t ncells, capcells;
    long last_nonempty; /* column of the row's last non-empty cell, -1 = none */
    const char **f;     /* record fields */
    size_t *len;
    size_t capf;
} sheet_run;

/* Column letters → 0-based index (A = 0); -1 when not a valid reference. */
static long parse_ref(const char *s, long *row)
{
    long col = 0;
    size_t i = 0;
    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
        col = col * 26 + ((s[i] | 0x20) - 'a' + 1);
        if (col > XLSXIN_MAX_COLS) return -1;
    }
    if (i == 0) return -1;
    long r = 0;
    size_t k = i;
    for (; s[k] >= '0' && s[k] <= '9'; k++) {
        r = r * 10 + (s[k] - '0');
        if (r > 100000000) return -1;
    }
    if (s[k] || k == i) return -1;
    *row = r;
    return col - 1;
}

static void col_letters(size_t col, char *out)
{
    char tmp[8];
    size_t n = 0;
    col++;
    while (col > 0 && n < sizeof tmp) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* "B3": the current cell's reference, for a message. */
static const char *cell_ref_text(sheet_run *r)
{
    col_letters(r->col, r->ref);
    snprintf(r->ref + strlen(r->ref), sizeof r->ref - strlen(r->ref), "%ld", r->row);
    return r->ref;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sheet_run *r = ud;
    if (r->base.st != SRDI_OK || r->base.done) return;
    srdi_xlsx *x = r->base.x;
    const char *l = srdi_xlsxin_local_name(name);
    if (strcmp(l, "row") == 0) {
        const char *rn = srdi_xlsxin_attr(atts, "r", false);
        long row = r->prev_row + 1;
        if (rn) {
            char *end;
            errno = 0;
            row = strtol(rn, &end, 10);
            if (*end || errno || row < 1 || row > 100000000) {
                srdi_xlsxin_run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: bad row number '%s'", x->label,
                                                              x->sheet_name[x->sel], rn));
                return;
            }
        }
        if (row <= r->prev_row) {
            srdi_xlsxin_run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT,
                                                          "%s[%s]: row %ld comes after row %ld (rows out of order)",
                                                          x->label, x->sheet_name[x->sel], row, r->prev_row));
            return;
        }
        r->row = row;
        r->in_row = true;
        r->ncells = 0;
        r->prev_col = -1;
        r->last_nonempty = -1;
        srdi_buf_reset(&r->rowbuf);
    } else if (strcmp(l, "c") == 0 && r->in_row) {
        const char *ref = srdi_xlsxin_attr(atts, "r", false), *t = srdi_xlsxin_attr(atts, "t", false);
        long col = r->prev_col + 1;
        if (ref) {
            long rr = 0;
            col = parse_ref(ref, &rr);
            if (col < 0 || rr != r->row) {
                srdi_xlsxin_run_fail(&r->base,
                                     srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: bad cell reference '%s' in row %ld",
                                                    x->label, x->sheet_name[x->sel], ref, r->row));
                return;
            }
        } else if (col >= XLSXIN_MAX_COLS) {
            srdi_xlsxin_run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: row %ld has more than %d columns",
                                                          x->label, x->sheet_name[x->sel], r->row, XLSXIN_MAX_COLS));
            return;
        }
        r->col = (size_t)col;
        r->prev_col = col;
        r->type = !t || strcmp(t, "n") == 0     ? CT_NUMBER
                  : strcmp(t, "s") == 0         ? CT_SHARED
                  : strcmp(t, "inlineStr") == 0 ? CT_INLINE
                  : strcmp(t, "b") == 0         ? CT_BOOL
                                                : CT_TEXT;
        r->in_c = true;
        r->rph = 0;
        srdi_buf_reset(&r->cv);
    } else if (r->in_c) {
        if (strcmp(l, "v") == 0)
            r->in_v = true;
        else if (strcmp(l, "is") == 0)
            r->in_is = true;
        else if (strcmp(l, "rPh") == 0)
            r->rph++;
        else if (strcmp(l, "t") == 0 && r->in_is && r->rph == 0)
            r->in_t = true;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    sheet_run *r = ud;
    if (r->base.st != SRDI_OK || r->base.done || !(r->in_v || r->in_t)) return;
    if (r->cv.len + (size_t)len > XLSXIN_CELL_MAX) {
        srdi_xlsx *x = r->base.x;
        srdi_xlsxin_run_fail(&r->base,
                             srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: cell %s holds over 1 MiB of text (refused)",
                                            x->label, x->sheet_name[x->sel], cell_ref_text(r)));
        return;
    }
    if (srdi_buf_append(&r->cv, s, (size_t)len) != SRDI_OK)
        srdi_xlsxin_run_fail(&r->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", r->base.x->label));
}

/* The current cell is complete: append its text to the row. */
static srdi_status cell_done(sheet_run *r)
{
    srdi_xlsx *x = r->base.x;
    const char *s = r->cv.data ? r->cv.data : "";
    size_t n = r->cv.len, off = r->rowbuf.len;
    srdi_status st = SRDI_OK;
    switch (r->type) {
    case CT_SHARED: {
        const char *p = s;
        size_t k = n;
        srdi_ingest_trim(&p, &k);
        char *end = NULL;
        char tmp[24];
        unsigned long long idx = ULLONG_MAX;
        if (k > 0 && k < sizeof tmp) {
            memcpy(tmp, p, k);
            tmp[k] = 0;
            errno = 0;
            idx = strtoull(tmp, &end, 10);
            if (*end || errno || tmp[0] == '-') idx = ULLONG_MAX;
        }
        if (k == 0 && n == 0) break; /* no value: an empty cell */
        if (idx >= x->n_ss)
            return srdi_error_set(SRDI_ERR_INPUT,
                                  "%s[%s]: cell %s refers to shared string '%.*s', "
                                  "which the workbook does not have",
                                  x->label, x->sheet_name[x->sel], cell_ref_text(r), (int)(k < 32 ? k : 32), p);
        const char *ss = x->ss.data + x->ss_off[(size_t)idx];
        st = srdi_buf_append(&r->rowbuf, ss, strlen(ss));
        break;
    }
    case CT_INLINE:
    case CT_TEXT:
        st = srdi_xlsxin_append_decoded(&r->rowbuf, s, n);
        break;
    case CT_BOOL: {
        const char *p = s;
        size_t k = n;
        srdi_ingest_trim(&p, &k);
        if (k == 1 && p[0] == '1')
            st = srdi_buf_puts(&r->rowbuf, "TRUE");
        else if (k == 1 && p[0] == '0')
            st = srdi_buf_puts(&r->rowbuf, "FALSE");
        else
            st = srdi_buf_append(&r->rowbuf, s, n);
        break;
    }
    case CT_NUMBER:
        st = append_number(&r->rowbuf, s, n);
        if (st == SRDI_OK && x->pad4 >= 0 && r->col == (size_t)x->pad4) {
            size_t k = r->rowbuf.len - off;
            bool digits = k > 0 && k < 4;
            for (size_t i = 0; digits && i < k; i++)
                digits = r->rowbuf.data[off + i] >= '0' && r->rowbuf.data[off + i] <= '9';
            if (digits) {
                char pad[5];
                memcpy(pad, "0000", 4 - k);
                memcpy(pad + 4 - k, r->rowbuf.data + off, k);
                r->rowbuf.len = off;
                st = srdi_buf_append(&r->rowbuf, pad, 4);
            }
        }
        break;
    }
    if (st != SRDI_OK) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    size_t len = r->rowbuf.len - off;
    if ((st = srdi_buf_append(&r->rowbuf, "", 1)) != SRDI_OK) /* NUL after the text */
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    if (srdi_grow((void **)&r->cells, &r->capcells, r->ncells + 1, sizeof *r->cells) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    r->cells[r->ncells++] = (cell_ref){r->col, off, len};
    const char *t = r->rowbuf.data + off;
    size_t tl = len;
    srdi_ingest_trim(&t, &tl);
    if (tl > 0 && (long)r->col > r->last_nonempty) r->last_nonempty = (long)r->col;
    return SRDI_OK;
}

/* The current row is complete: hand it over when it holds anything. */
static srdi_status row_done(sheet_run *r)
{
    srdi_xlsx *x = r->base.x;
    r->prev_row = r->row;
    if (r->last_nonempty < 0 || r->row <= r->after_row) return SRDI_OK; /* blank row */
    size_t n = (size_t)r->last_nonempty + 1;
    srdi_csv_rec_status status = SRDI_CSV_REC_OK;
    if (x->width > 0) {
        if (n > x->width)
            status = SRDI_CSV_REC_EXTRA_CELL;
        else
            n = x->width;
    }
    size_t capf = r->capf; /* f and len grow from one capacity to the same size */
    if (srdi_grow((void **)&r->f, &capf, n, sizeof *r->f) != SRDI_OK ||
        srdi_grow((void **)&r->len, &r->capf, n, sizeof *r->len) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    for (size_t i = 0; i < n; i++) {
        r->f[i] = "";
        r->len[i] = 0;
    }
    for (size_t i = 0; i < r->ncells; i++) {
        const cell_ref *c = &r->cells[i];
        if (c->col < n) {
            r->f[c->col] = r->rowbuf.data + c->off;
            r->len[c->col] = c->len;
        }
    }
    srdi_csv_record rec = {r->row, n, r->f, r->len, status, false};
    srdi_status st = r->fn(r->ctx, &rec);
    if (st != SRDI_OK) return st;
    r->last_row = r->row;
    r->emitted++;
    if (r->max_rows && r->emitted >= r->max_rows) {
        r->base.done = true;
        XML_StopParser(r->base.p, XML_FALSE);
    }
    return SRDI_OK;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    sheet_run *r = ud;
    if (r->base.st != SRDI_OK || r->base.done) return;
    const char *l = srdi_xlsxin_local_name(name);
    srdi_status st = SRDI_OK;
    if (strcmp(l, "row") == 0 && r->in_row) {
        r->in_row = false;
        st = row_done(r);
    } else if (strcmp(l, "c") == 0 && r->in_c) {
        r->in_c = r->in_v = r->in_is = r->in_t = false;
        st = cell_done(r);
    } else if (r->in_c) {
        if (strcmp(l, "v") == 0)
            r->in_v = false;
        else if (strcmp(l, "is") == 0)
            r->in_is = false;
        else if (strcmp(l, "rPh") == 0) {
            if (r->rph > 0) r->rph--;
        } else if (strcmp(l, "t") == 0)
            r->in_t = false;
    }
    if (st != SRDI_OK) srdi_xlsxin_run_fail(&r->base, st);
}

srdi_status srdi_xlsx_rows(srdi_xlsx *x, long after_row, size_t max_rows, srdi_csv_record_fn fn, void *ctx,
                           long *last_row)
{
    srdi_status st = srdi_xlsxin_load_shared_strings(x);
    if (st != SRDI_OK) return st;
    sheet_run r = {.fn = fn, .ctx = ctx, .after_row = after_row, .max_rows = max_rows};
    st = srdi_xlsxin_xml_part(x, x->sheet_part[x->sel], &r.base, true, NULL, sheet_start, sheet_end, sheet_text);
    if (last_row) *last_row = r.last_row;
    srdi_buf_free(&r.cv);
    srdi_buf_free(&r.rowbuf);
    free(r.cells);
    free(r.f);
    free(r.len);
    return st;
}
