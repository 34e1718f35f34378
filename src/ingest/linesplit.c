/*
 * src/ingest/linesplit.c — srdi_split_feed: the line splitter (linesplit.h)
 * in front of a CSV reader, for readers whose rows need nothing but the
 * record (the enterprises.csv parts), and srdi_split_other, the one line
 * the quick scan does not take, which patents.c's own loop (it takes the
 * common row straight from a line) shares.
 */
#include "linesplit.h"

#include <string.h>

srdi_status srdi_split_other(srdi_csv_reader *r, const char **sp, const char *e, size_t nc, char delim, size_t *ends,
                             bool *between, srdi_csv_record_fn fn, void *ctx)
{
    const char *s = *sp;
    size_t avail = (size_t)(e - s), eol = avail, nsep = 0, high = SIZE_MAX, ncr = 0, cr_at = SIZE_MAX, a = 0;
    srdi_status st;
    bool ok = *between && srdi_split_line(s, avail, delim, &eol, ends, &nsep, &high, &ncr, &cr_at);
    size_t content = eol;
    if (ok && ncr) { /* a CRLF line end is fine, any other CR is a line end of its own */
        ok = ncr == 1 && eol < avail && cr_at + 1 == eol;
        content = eol - 1;
    }
    if (!ok || eol == avail || nsep + 1 != nc) {
        /* the reader's way: this line (to its '\n'), or all that is left */
        const char *nl = eol < avail ? s + eol : memchr(s, '\n', avail);
        size_t k = nl ? (size_t)(nl + 1 - s) : avail;
        st = srdi_csv_reader_feed(r, s, k);
        *sp = s + k;
        *between = srdi_csv_reader_between(r);
        return st;
    }
    const char *f[SRDI_SPLIT_COLS];
    size_t len[SRDI_SPLIT_COLS];
    ends[nsep] = content;
    for (size_t j = 0; j < nc; j++) {
        size_t z = ends[j];
        if (__builtin_expect(a < z && (s[a] == ' ' || s[a] == '\t' || s[z - 1] == ' ' || s[z - 1] == '\t'), 0))
            srdi_split_trim(s, &a, &z);
        f[j] = s + a;
        len[j] = z - a;
        a = ends[j] + 1;
    }
    if (!(nc == 1 && len[0] == 0)) { /* a blank line is no record */
        srdi_csv_record rec = {
            r->line, nc, f, len, SRDI_CSV_REC_OK, high == SIZE_MAX || srdi_utf8_valid(s + high, content - high)};
        if ((st = fn(ctx, &rec)) != SRDI_OK) return st;
    }
    r->line++;
    *sp = s + eol + 1;
    return SRDI_OK;
}

srdi_status srdi_split_feed(srdi_csv_reader *r, const char *s, size_t n, size_t nc, char delim, srdi_csv_record_fn fn,
                            void *ctx)
{
    const char *e = s + n, *p0 = s;
    bool between = srdi_csv_reader_between(r);
    srdi_status st;
    srdi_pmask m = {NULL, 0, 0, 0, 0};
    if (nc == 0 || nc > SRDI_SPLIT_COLS) return srdi_csv_reader_feed(r, s, n);
    while (s < e) {
        size_t eol = (size_t)(e - s), nf = 0, high = SIZE_MAX, last = SIZE_MAX;
        const char *f[SRDI_SPLIT_COLS + 64];
        size_t len[SRDI_SPLIT_COLS + 64];
        if (!(between && srdi_split_plain(p0, s, e, delim, &m, &eol, f, len, &nf, &high, &last) && nf == nc)) {
            size_t ends[SRDI_SPLIT_COLS + 64];
            if ((st = srdi_split_other(r, &s, e, nc, delim, ends, &between, fn, ctx)) != SRDI_OK) return st;
            continue;
        }
        /* nothing to trim: no space, tab or CR in the line */
        if (!(nc == 1 && len[0] == 0)) { /* a blank line is no record */
            srdi_csv_record rec = {
                r->line, nc, f, len, SRDI_CSV_REC_OK, high == SIZE_MAX || srdi_utf8_valid(s + high, last + 1 - high)};
            if ((st = fn(ctx, &rec)) != SRDI_OK) return st;
        }
        r->line++;
        s += eol + 1;
    }
    return SRDI_OK;
}
