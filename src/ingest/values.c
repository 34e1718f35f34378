/*
 * src/ingest/values.c — typed cell parsing (numbers, 0/1 flags) and the
 * rejects list with its rejects.csv writer.
 */
#include "ingest_private.h"
#include "srdi/csvout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ================================================================ trimming */

const unsigned char srdi_ingest_trim_class[256] = {
    [' '] = 3, ['\t'] = 3, ['\r'] = 2, [0xE3] = 1, [0xEF] = 1, [0x80] = 2,
};

void srdi_ingest_trim_slow(const char **s, size_t *n)
{
    const char *p = *s;
    size_t k = *n;
    for (;;) {
        if (k >= 1 && (p[0] == ' ' || p[0] == '\t')) {
            p++;
            k--;
        } else if (k >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0) {
            p += 3;
            k -= 3;
        } /* U+3000 */
        else if (k >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
            k -= 3;
        } /* BOM */
        else
            break;
    }
    for (;;) {
        if (k >= 1 && (p[k - 1] == ' ' || p[k - 1] == '\t' || p[k - 1] == '\r'))
            k--;
        else if (k >= 3 && memcmp(p + k - 3, "\xE3\x80\x80", 3) == 0)
            k -= 3;
        else
            break;
    }
    *s = p;
    *n = k;
}

/* ================================================================ numbers */

/*
 * Copy the cell to ASCII in @p out (size @p cap): full-width digits
 * U+FF10–FF19, comma U+FF0C, period U+FF0E, plus U+FF0B and minus U+FF0D
 * become their ASCII forms.  Returns the length, or -1 when another
 * non-ASCII character or an over-long cell is met.
 */
static int to_ascii(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        char a;
        if (c < 0x80) {
            a = (char)c;
            i++;
        } else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC) {
            unsigned char t = (unsigned char)s[i + 2];
            if (t >= 0x90 && t <= 0x99)
                a = (char)('0' + (t - 0x90));
            else if (t == 0x8C)
                a = ',';
            else if (t == 0x8E)
                a = '.';
            else if (t == 0x8B)
                a = '+';
            else if (t == 0x8D)
                a = '-';
            else
                return -1;
            i += 3;
        } else
            return -1;
        if (o + 1 >= cap) return -1;
        out[o++] = a;
    }
    out[o] = 0;
    return (int)o;
}

srdi_num_result srdi_ingest_parse_number(const char *s, size_t n, bool integer, double *v)
{
    *v = 0;
    srdi_ingest_trim(&s, &n);
    if (n == 0) return SRDI_NUM_EMPTY;

    /* fast path: plain ASCII digits with at most one '.' and 15 digits in
       all: the digits as an integer m < 10^15 < 2^53 and 10^frac (frac ≤ 15)
       are exact doubles, so m / 10^frac is the correctly rounded value —
       the very double strtod gives (Clinger's fast path) */
    if (n <= 16) {
        static const double pow10[] = {1e0, 1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7, 1e8,
                                       1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16};
        uint64_t m = 0;
        size_t i = 0, dot = n, nd = 0;
        for (; i < n; i++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (d <= 9) {
                m = m * 10 + d;
                nd++;
            } else if (s[i] == '.' && dot == n)
                dot = i;
            else
                break;
        }
        if (i == n && nd > 0 && nd <= 15) {
            size_t frac = dot == n ? 0 : n - dot - 1;
            double x = frac ? (double)m / pow10[frac] : (double)m;
            *v = x;
            if (integer && x != floor(x)) return SRDI_NUM_FRACTION;
            return SRDI_NUM_OK;
        }
    }

    char a[80], clean[80];
    int len = to_ascii(s, n, a, sizeof a);
    if (len <= 0) return SRDI_NUM_BAD;
    size_t i = 0, c = 0;
    bool neg = false;
    if (a[i] == '+' || a[i] == '-') {
        neg = a[i] == '-';
        clean[c++] = a[i++];
    }
    /* integer part, optionally grouped by thousands separators */
    size_t digits = 0, group = 0;
    bool grouped = false;
    for (; i < (size_t)len; i++) {
        if (a[i] >= '0' && a[i] <= '9') {
            clean[c++] = a[i];
            digits++;
            group++;
        } else if (a[i] == ',') {
            if (digits == 0 || (grouped ? group != 3 : group > 3)) return SRDI_NUM_BAD;
            grouped = true;
            group = 0;
        } else
            break;
    }
    if (grouped && group != 3) return SRDI_NUM_BAD;
    size_t frac = 0;
    if (i < (size_t)len && a[i] == '.') {
        clean[c++] = a[i++];
        for (; i < (size_t)len && a[i] >= '0' && a[i] <= '9'; i++) {
            clean[c++] = a[i];
            frac++;
        }
    }
    if (i != (size_t)len || digits + frac == 0) return SRDI_NUM_BAD;
    clean[c] = 0;
    char *end = NULL;
    double x = strtod(clean, &end);
    if (!end || *end || !isfinite(x)) return SRDI_NUM_BAD;
    if (x == 0) x = 0; /* "-0" is zero, not negative */
    *v = x;
    if (neg && x < 0) return SRDI_NUM_NEGATIVE;
    if (integer && x != floor(x)) return SRDI_NUM_FRACTION;
    return SRDI_NUM_OK;
}

int srdi_ingest_parse_flag(const char *s, size_t n, double *v)
{
    static const char *const yes[] = {"1", "是", "y", "yes", "true", "１", "1.0"};
    static const char *const no[] = {"0", "否", "n", "no", "false", "０", "0.0"};
    srdi_ingest_trim(&s, &n);
    if (n == 0) return 0;
    if (n == 1 && (s[0] == '0' || s[0] == '1')) {
        *v = s[0] - '0';
        return 1;
    } /* the common case */
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strlen(yes[i]) == n && strncasecmp(yes[i], s, n) == 0) {
            *v = 1;
            return 1;
        }
        if (strlen(no[i]) == n && strncasecmp(no[i], s, n) == 0) {
            *v = 0;
            return 1;
        }
    }
    return -1;
}

/* ================================================================ rejects */

#define VALUE_MAX 200 /* bytes of an offending value kept in rejects.csv */

/*
 * Copy a raw value into valid UTF-8: invalid bytes and control bytes other
 * than tab/newline become "\xNN"; at most VALUE_MAX bytes are kept, then "…".
 */
static char *sanitize(const char *s, size_t n)
{
    srdi_buf b = {0};
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    bool ok = srdi_buf_append(&b, "", 0) == SRDI_OK;
    while (ok && p < e) {
        if (b.len >= VALUE_MAX) {
            ok = srdi_buf_puts(&b, "…") == SRDI_OK;
            break;
        }
        if (*p < 0x80) {
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                ok = srdi_buf_printf(&b, "\\x%02X", *p) == SRDI_OK;
            else
                ok = srdi_buf_append(&b, p, 1) == SRDI_OK;
            p++;
            continue;
        }
        /* a well-formed multi-byte sequence is copied, anything else escaped */
        char tmp[5] = {0};
        size_t l = 1;
        if (*p >= 0xC2 && *p <= 0xF4) l = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        if (l > 1 && (size_t)(e - p) >= l) {
            memcpy(tmp, p, l);
            if (srdi_utf8_valid(tmp, l)) {
                ok = srdi_buf_append(&b, p, l) == SRDI_OK;
                p += l;
                continue;
            }
        }
        ok = srdi_buf_printf(&b, "\\x%02X", *p) == SRDI_OK;
        p++;
    }
    if (!ok) {
        srdi_buf_free(&b);
        return NULL;
    }
    return srdi_buf_steal(&b);
}

srdi_status srdi_rejects_add(srdi_rejects *rj, int file, long line, const char *column, const char *value,
                             size_t value_len, const char *reason)
{
    srdi_status st = srdi_grow((void **)&rj->v, &rj->cap, rj->n + 1, sizeof *rj->v);
    if (st) return st;
    srdi_reject *r = &rj->v[rj->n];
    r->file = file;
    r->line = line;
    r->column = srdi_strdup(column ? column : "");
    r->value = sanitize(value ? value : "", value ? value_len : 0);
    r->reason = srdi_strdup(reason);
    if (!r->column || !r->value || !r->reason) {
        free(r->column);
        free(r->value);
        free(r->reason);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording a rejected row");
    }
    rj->n++;
    return SRDI_OK;
}

srdi_status srdi_rejects_move(srdi_rejects *dst, srdi_rejects *src, long line_offset)
{
    if (dst->n + src->n > dst->cap) {
        size_t nc = dst->cap ? dst->cap : 64;
        while (nc < dst->n + src->n) nc *= 2;
        srdi_reject *v = realloc(dst->v, nc * sizeof *v);
        if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory merging rejected rows");
        dst->v = v;
        dst->cap = nc;
    }
    for (size_t i = 0; i < src->n; i++) {
        dst->v[dst->n] = src->v[i];
        dst->v[dst->n].line += line_offset;
        dst->n++;
    }
    src->n = 0;
    return SRDI_OK;
}

typedef struct reason_count {
    const char *key;
    size_t n;
} reason_count;

static int rc_cmp(const void *x, const void *y)
{
    const reason_count *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->key, b->key);
}

srdi_status srdi_rejects_summarise(const srdi_rejects *rj, srdi_dataset *d)
{
    srdi_status st = SRDI_OK;
    for (int f = 0; f < SRDI_FILE_COUNT && st == SRDI_OK; f++) {
        srdi_strpool *pool = srdi_strpool_new();
        size_t *cnt = NULL, cap = 0;
        srdi_buf key = {0}, out = {0};
        if (!pool) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < rj->n && st == SRDI_OK; i++) {
            if (rj->v[i].file != f) continue;
            srdi_buf_reset(&key);
            /* numbers that vary by row ("line 12", "(2019)", "year 2023") read as N */
            static const char *const before[] = {"line ", "year ", "class ", "found ", "("};
            const char *r = rj->v[i].reason;
            for (const char *p = r; *p;) {
                if (*p < '0' || *p > '9') {
                    srdi_buf_append(&key, p, 1);
                    p++;
                    continue;
                }
                const char *q = p;
                while (*q >= '0' && *q <= '9') q++;
                bool vary = false;
                for (size_t b = 0; b < sizeof before / sizeof before[0]; b++) {
                    size_t l = strlen(before[b]);
                    if ((size_t)(p - r) >= l && strncmp(p - l, before[b], l) == 0) vary = true;
                }
                if (vary)
                    srdi_buf_puts(&key, "N");
                else
                    srdi_buf_append(&key, p, (size_t)(q - p));
                p = q;
            }
            uint32_t k = srdi_strpool_intern(pool, key.data ? key.data : "");
            if (k == UINT32_MAX) {
                st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
                break;
            }
            if (k >= cap) {
                size_t nc = cap ? cap * 2 : 16;
                while (nc <= k) nc *= 2;
                size_t *v = realloc(cnt, nc * sizeof *v);
                if (!v) {
                    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
                    break;
                }
                memset(v + cap, 0, (nc - cap) * sizeof *v);
                cnt = v;
                cap = nc;
            }
            cnt[k]++;
        }
        uint32_t nk = srdi_strpool_count(pool);
        reason_count *rc = nk ? malloc(nk * sizeof *rc) : NULL;
        if (nk && !rc) st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        if (st == SRDI_OK && nk) {
            for (uint32_t k = 0; k < nk; k++) rc[k] = (reason_count){srdi_strpool_get(pool, k), cnt[k]};
            qsort(rc, nk, sizeof *rc, rc_cmp);
            for (uint32_t k = 0; k < nk; k++) srdi_buf_printf(&out, "%s%s (%zu)", k ? "; " : "", rc[k].key, rc[k].n);
            free(d->files[f].reject_reasons);
            d->files[f].reject_reasons = srdi_buf_steal(&out);
        }
        free(rc);
        free(cnt);
        srdi_buf_free(&key);
        srdi_buf_free(&out);
        srdi_strpool_free(pool);
    }
    return st;
}

void srdi_rejects_free(srdi_rejects *rj)
{
    for (size_t i = 0; i < rj->n; i++) {
        free(rj->v[i].column);
        free(rj->v[i].value);
        free(rj->v[i].reason);
    }
    free(rj->v);
    rj->v = NULL;
    rj->n = rj->cap = 0;
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        free(rj->label[f]);
        rj->label[f] = NULL;
    }
}

/* Write one CSV field, quoted per RFC 4180 when it needs to be. */
static void put_field(FILE *fp, const char *s)
{
    srdi_csv_field_fp(fp, s); /* quoted and formula-guarded (srdi/csvout.h); errors: ferror(fp) */
}

static const char *const file_names[SRDI_FILE_COUNT] = {"enterprises.csv", "financials.csv", "patents.csv"};

srdi_status srdi_rejects_write(const srdi_rejects *rj, const char *path)
{
    srdi_atomic a;
    srdi_status st = srdi_atomic_open(&a, path);
    if (st != SRDI_OK) return st;
    fputs("file,line,column,value,reason\n", a.fp);
    for (size_t i = 0; i < rj->n; i++) {
        const srdi_reject *r = &rj->v[i];
        put_field(a.fp, rj->label[r->file] ? rj->label[r->file] : file_names[r->file]);
        fprintf(a.fp, ",%ld,", r->line);
        put_field(a.fp, r->column);
        fputc(',', a.fp);
        put_field(a.fp, r->value);
        fputc(',', a.fp);
        put_field(a.fp, r->reason);
        fputc('\n', a.fp);
    }
    if (ferror(a.fp)) {
        srdi_atomic_abort(&a);
        return srdi_error_set(SRDI_ERR_IO, "%s: write failed", path);
    }
    return srdi_atomic_commit(&a);
}

const char *srdi_ingest_bad_bytes_reason(srdi_encoding enc, const char *s, size_t n)
{
    if (memchr(s, 0, n)) return "NUL byte in field";
    switch (enc) {
    case SRDI_ENC_GB18030:
        return "invalid GB18030 byte sequence";
    case SRDI_ENC_UTF16LE:
        return "invalid UTF-16LE byte sequence";
    case SRDI_ENC_UTF16BE:
        return "invalid UTF-16BE byte sequence";
    default:
        return "invalid UTF-8 byte sequence";
    }
}

bool srdi_ingest_row_basic(const srdi_csv_record *rec, size_t ncols, srdi_encoding enc, int *col, char *reason,
                           size_t cap)
{
    *col = -1;
    if (rec->status == SRDI_CSV_REC_BADQUOTE) {
        *col = (int)rec->n - 1;
        snprintf(reason, cap, "malformed quoting: text after the closing quote of a quoted field");
        return false;
    }
    if (rec->status == SRDI_CSV_REC_UNTERMINATED) {
        *col = (int)rec->n - 1;
        snprintf(reason, cap,
                 "unterminated quoted field: the closing quote is missing, the field runs to the end of the file");
        return false;
    }
    if (rec->status == SRDI_CSV_REC_EXTRA_CELL) {
        char tmp[8], letters[8];
        size_t c = rec->n, k = 0; /* column number (1-based) → letters */
        *col = (int)rec->n - 1;
        for (; c > 0 && k < sizeof tmp - 1; c = (c - 1) / 26) tmp[k++] = (char)('A' + (c - 1) % 26);
        for (size_t i = 0; i < k; i++) letters[i] = tmp[k - 1 - i];
        letters[k] = 0;
        snprintf(reason, cap, "value in column %s, right of the last header column", letters);
        return false;
    }
    if (rec->n != ncols) {
        snprintf(reason, cap, "expected %zu fields, found %zu", ncols, rec->n);
        return false;
    }
    for (size_t j = 0; !rec->clean && j < rec->n; j++) {
        const unsigned char *p = (const unsigned char *)rec->f[j];
        size_t n = rec->len[j];
        size_t i = 0;
        while (i < n && (unsigned char)(p[i] - 1) < 0x7F) i++; /* bytes 0x01..0x7F */
        if (i == n) continue;
        if (memchr(p, 0, n) || !srdi_utf8_valid(rec->f[j], n)) {
            *col = (int)j;
            snprintf(reason, cap, "%s", srdi_ingest_bad_bytes_reason(enc, rec->f[j], n));
            return false;
        }
    }
    return true;
}
