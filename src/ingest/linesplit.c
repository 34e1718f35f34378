/*
 * src/ingest/linesplit.c — srdi_split_feed: the line splitter (linesplit.h)
 * in front of a CSV reader, for readers whose rows need nothing but the
 * record (the enterprises.csv parts).  patents.c has its own loop around
 * the same scanners, which also takes the common row straight from a line.
 */
#include "linesplit.h"

#include <string.h>

srdi_status srdi_split_feed(srdi_csv_reader *r, const char *s, size_t n, size_t nc, char delim, srdi_csv_record_fn fn,
                            void *ctx)
{
    const char *e = s + n, *p0 = s;
    bool between = srdi_csv_reader_between(r);
    srdi_status st;
    srdi_pmask m = {NULL, 0, 0, 0, 0};
    if (nc == 0 || nc > SRDI_SPLIT_COLS) return srdi_csv_reader_feed(r, s, n);
    while (s < e) {
        size_t avail = (size_t)(e - s);
        size_t eol = avail, nsep = 0, high = SIZE_MAX, ncr = 0, cr_at = SIZE_MAX, content,
               ends[SRDI_SPLIT_COLS + 64];
        const char *f[SRDI_SPLIT_COLS];
        size_t len[SRDI_SPLIT_COLS], a = 0;
        if (between && srdi_split_plain(p0, s, e, delim, &m, &eol, ends, &nsep, &high) && nsep + 1 == nc) {
            /* nothing to trim: no space, tab or CR in the line */
            content = eol;
            ends[nsep] = eol;
            for (size_t j = 0; j < nc; j++) {
                f[j] = s + a;
                len[j] = ends[j] - a;
                a = ends[j] + 1;
            }
        } else {
            eol = avail, nsep = 0, high = SIZE_MAX;
            bool ok = between && srdi_split_line(s, avail, delim, &eol, ends, &nsep, &high, &ncr, &cr_at);
            content = eol;
            if (ok && ncr) { /* a CRLF line end is fine, any other CR is a line end of its own */
                ok = ncr == 1 && eol < avail && cr_at + 1 == eol;
                content = eol - 1;
            }
            if (!ok || eol == avail || nsep + 1 != nc) {
                /* the reader's way: this line (to its '\n'), or all that is left */
                const char *nl = eol < avail ? s + eol : memchr(s, '\n', avail);
                size_t k = nl ? (size_t)(nl + 1 - s) : avail;
                if ((st = srdi_csv_reader_feed(r, s, k)) != SRDI_OK) return st;
                s += k;
                between = srdi_csv_reader_between(r);
                continue;
            }
            ends[nsep] = content;
            for (size_t j = 0; j < nc; j++) {
                size_t z = ends[j];
                if (__builtin_expect(a < z && (s[a] == ' ' || s[a] == '\t' || s[z - 1] == ' ' || s[z - 1] == '\t'), 0))
                    srdi_split_trim(s, &a, &z);
                f[j] = s + a;
                len[j] = z - a;
                a = ends[j] + 1;
            }
        }
        if (nc == 1 && len[0] == 0) { /* a blank line: no record */
            r->line++;
            s += eol + 1;
            continue;
        }
        srdi_csv_record rec = {
            r->line, nc, f, len, SRDI_CSV_REC_OK, high == SIZE_MAX || srdi_utf8_valid(s + high, content - high)};
        if ((st = fn(ctx, &rec)) != SRDI_OK) return st;
        r->line++;
        s += eol + 1;
    }
    return SRDI_OK;
}
