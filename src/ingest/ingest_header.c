/*
 * src/ingest/ingest_header.c — the columns each input file knows (English
 * names and Chinese aliases, docs/data.md) and the mapping of a header row
 * onto them: any order, aliases, a near-miss (typo) check, duplicates and
 * missing required columns as file-level errors.
 */
#include "ingest_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "srdi/log.h"

/* ============================================================ column specs */

/* enterprises.csv: the text/enum columns; the numeric ones follow from srdi_field_get */
const col_spec srdi_ingest_ent_specs[EC_NUM0] = {
    {"id", "统一社会信用代码", true},     {"name", "企业名称", true}, {"level", "层级", true},
    {"province", "省份", true},           {"city", "城市", true},     {"industry_code", "行业代码", true},
    {"tech_eval", "科技成果评价", false},
};

const col_spec srdi_ingest_fin_specs[FC_N] = {
    {"id", "统一社会信用代码", true},
    {"year", "年度", true},
    {"revenue", "营业收入（万元）", true},
    {"rd_expense", "研发费用（万元）", true},
};

const col_spec srdi_ingest_pat_specs[PC_N] = {
    {"id", "统一社会信用代码", true}, {"patent_no", "专利号", true},   {"kind", "专利类型", true},
    {"office", "受理局", true},       {"app_year", "申请年", true},    {"pub_year", "公开年", false},
    {"status", "法律状态", true},     {"grant_year", "授权年", false}, {"ipc", "主IPC", false},
    {"field", "产业领域", false},
};

/* ================================================================ headers */

/*
 * Normalised form of a header name for matching: trimmed of spaces and a
 * BOM, ASCII lower-cased, full-width parentheses made ASCII.
 */
static void norm_name(const char *s, size_t n, char *out, size_t cap)
{
    srdi_ingest_trim(&s, &n);
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap;) {
        if (i + 2 < n && memcmp(s + i, "\xEF\xBC\x88", 3) == 0) {
            out[o++] = '(';
            i += 3;
        } else if (i + 2 < n && memcmp(s + i, "\xEF\xBC\x89", 3) == 0) {
            out[o++] = ')';
            i += 3;
        } else {
            char ch = s[i++];
            out[o++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
        }
    }
    out[o] = 0;
}

static bool spec_matches(const col_spec *sp, const char *normed)
{
    char a[128];
    norm_name(sp->name, strlen(sp->name), a, sizeof a);
    if (strcmp(a, normed) == 0) return true;
    norm_name(sp->zh, strlen(sp->zh), a, sizeof a);
    return strcmp(a, normed) == 0;
}

/* Decode UTF-8 into at most @p cap code points; returns the count (invalid bytes count as themselves). */
static size_t to_cps(const char *s, uint32_t *cp, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p && n < cap) {
        uint32_t c = *p;
        int l = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (l > 1) c &= 0x3Fu >> (l - 1);
        for (int i = 1; i < l && p[i]; i++) c = (c << 6) | (p[i] & 0x3F);
        for (int i = 0; i < l && *p; i++) p++;
        cp[n++] = c;
    }
    return n;
}

/* Levenshtein distance between two code point strings (each at most 64). */
static size_t edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t row[65];
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

static int cp_cmp(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/*
 * Does the (normalised) unknown header @p got look like a slip for the known
 * (normalised) name @p known?  Yes when the edit distance in characters is at
 * most 1 (known names of 3–5 characters) or 2 (6 or more), or when both are
 * the same Chinese characters in another order.
 */
static bool near_miss(const char *got, const char *known)
{
    uint32_t a[64], b[64], sa[64], sb[64];
    size_t na = to_cps(got, a, 64), nb = to_cps(known, b, 64);
    if (na == 0 || nb < 2 || na >= 64 || nb >= 64) return false;
    bool cjk = false;
    for (size_t i = 0; i < nb; i++)
        if (b[i] >= 0x2E80) cjk = true;
    size_t d = edit_distance(a, na, b, nb);
    size_t limit = nb >= 6 ? 2 : nb >= 3 || cjk ? 1 : 0;
    if (cjk && nb < 3) limit = 0;
    if (d <= limit) return true;
    if (cjk && na == nb) {
        memcpy(sa, a, na * sizeof *a);
        memcpy(sb, b, nb * sizeof *b);
        qsort(sa, na, sizeof *sa, cp_cmp);
        qsort(sb, nb, sizeof *sb, cp_cmp);
        if (memcmp(sa, sb, na * sizeof *sa) == 0) return true;
    }
    return false;
}

/* The spec of column index q of the file (enterprises: text specs, then the numeric fields). */
static col_spec spec_at(const file_ctx *c, size_t q)
{
    if (c->specs) return c->specs[q];
    if (q < EC_NUM0) return srdi_ingest_ent_specs[q];
    const srdi_field_info *fi = srdi_field_get((srdi_field)(q - EC_NUM0));
    return (col_spec){fi->name, fi->zh, false};
}

/* How many absent optional columns note_absent names before "… and N more". */
#define ABSENT_NAMED 12

/*
 * Say on stderr which optional columns the header lacks (their values are
 * missing: the tables show no data for them and the report's sentences that
 * need them say so), so that an export without, say, the 荣誉资质 or 知识产权
 * columns is not read silently.  @p b is scratch.
 */
static srdi_status note_absent(const file_ctx *c, srdi_buf *b)
{
    size_t n = 0;
    srdi_buf_reset(b);
    for (size_t q = 0; q < c->nspecs; q++) {
        col_spec sp = spec_at(c, q);
        if (sp.required || c->spec_col[q] >= 0) continue;
        if (n < ABSENT_NAMED && srdi_buf_printf(b, "%s%s (%s)", n ? ", " : "", sp.name, sp.zh) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a header");
        n++;
    }
    if (n == 0) return SRDI_OK;
    if (n > ABSENT_NAMED && srdi_buf_printf(b, " and %zu more", n - ABSENT_NAMED) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a header");
    srdi_log_note("%s: %zu optional column%s absent, read as missing values: %s", c->fname, n, n == 1 ? " is" : "s are",
                  b->data);
    return SRDI_OK;
}

/*
 * Map the header record onto c->specs: fills c->names and c->spec_col.
 * Unknown columns are reported once on stderr, unless one nearly matches a
 * known column that the header lacks (a likely typo): that, a duplicate or
 * a missing required column is a file-level error (SRDI_ERR_HEADER).
 */
srdi_status srdi_ingest_header_map(file_ctx *c, const srdi_csv_record *rec)
{
    srdi_status st = SRDI_OK;
    srdi_buf found = {0};
    if (rec->status != SRDI_CSV_REC_OK)
        return srdi_error_set(SRDI_ERR_CSV, "%s: malformed header row (line %ld): %s", c->fname, rec->line,
                              rec->status == SRDI_CSV_REC_BADQUOTE ? "text after the closing quote of a quoted field"
                                                                   : "a quoted field is never closed");
    c->names = calloc(rec->n, sizeof *c->names);
    c->spec_col = malloc(c->nspecs * sizeof *c->spec_col);
    if (!c->names || !c->spec_col) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a header");
    c->ncols = rec->n;
    for (size_t k = 0; k < c->nspecs; k++) c->spec_col[k] = -1;
    for (size_t j = 0; j < rec->n; j++) {
        if (memchr(rec->f[j], 0, rec->len[j]) || !srdi_utf8_valid(rec->f[j], rec->len[j]))
            return srdi_error_set(SRDI_ERR_ENCODING,
                                  "%s: header row is not valid %s (column %zu); "
                                  "try --encoding gb18030 or utf-8",
                                  c->fname, srdi_csv_encoding_label(c->enc), j + 1);
        const char *s = rec->f[j];
        size_t n = rec->len[j];
        srdi_ingest_trim(&s, &n);
        c->names[j] = malloc(n + 1);
        if (!c->names[j]) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a header");
        memcpy(c->names[j], s, n);
        c->names[j][n] = 0;
    }
    bool *unknown = calloc(rec->n + 1, sizeof *unknown);
    if (!unknown) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a header");
    for (size_t j = 0; j < rec->n; j++) {
        char normed[256];
        norm_name(c->names[j], strlen(c->names[j]), normed, sizeof normed);
        long k = -1;
        if (c->specs == NULL) { /* enterprises: numeric fields by lookup */
            int f = srdi_field_lookup(c->names[j]);
            if (f >= 0) k = EC_NUM0 + f;
        }
        for (size_t q = 0; k < 0 && q < c->nspecs; q++) {
            col_spec sp = spec_at(c, q);
            if (spec_matches(&sp, normed)) k = (long)q;
        }
        if (k < 0) {
            unknown[j] = true;
            continue;
        }
        if (c->spec_col[k] >= 0) {
            free(unknown);
            return srdi_error_set(SRDI_ERR_HEADER, "%s: column '%s' appears twice (columns %d and %zu)", c->fname,
                                  c->names[j], c->spec_col[k] + 1, j + 1);
        }
        c->spec_col[k] = (int)j;
    }
    /* an unknown column that nearly matches a known column not in the header: a typo */
    for (size_t j = 0; j < rec->n; j++) {
        if (!unknown[j] || !c->names[j][0]) continue;
        char normed[256], a[128];
        norm_name(c->names[j], strlen(c->names[j]), normed, sizeof normed);
        for (size_t q = 0; q < c->nspecs; q++) {
            if (c->spec_col[q] >= 0) continue;
            col_spec sp = spec_at(c, q);
            norm_name(sp.zh, strlen(sp.zh), a, sizeof a);
            bool zh = near_miss(normed, a);
            norm_name(sp.name, strlen(sp.name), a, sizeof a);
            if (zh || near_miss(normed, a)) {
                free(unknown);
                return srdi_error_set(SRDI_ERR_HEADER, "%s: unknown column '%s' \xE2\x80\x94 did you mean %s (%s)?",
                                      c->fname, c->names[j], zh ? sp.zh : sp.name, zh ? sp.name : sp.zh);
            }
        }
    }
    for (size_t j = 0; j < rec->n; j++) {
        if (!unknown[j] || c->quiet) continue;
        if (c->names[j][0])
            srdi_log_note("%s: ignoring unknown column '%s'", c->fname, c->names[j]);
        else
            srdi_log_note("%s: ignoring unnamed column %zu", c->fname, j + 1);
    }
    free(unknown);
    for (size_t k = 0; k < c->nspecs; k++) {
        const col_spec *sp = c->specs ? &c->specs[k] : (k < EC_NUM0 ? &srdi_ingest_ent_specs[k] : NULL);
        if (!sp || !sp->required || c->spec_col[k] >= 0) continue;
        for (size_t j = 0; j < c->ncols; j++) {
            if (j) srdi_buf_puts(&found, ", ");
            srdi_buf_puts(&found, c->names[j]);
        }
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: missing required column '%s' (%s); found: %s%s", c->fname, sp->name,
                            sp->zh, found.data ? found.data : "",
                            c->ncols == 1 && c->delim == ',' ? " (one column: is the separator ';' or tab? "
                                                               "see --delimiter)"
                                                             : "");
        break;
    }
    if (st == SRDI_OK && !c->quiet) st = note_absent(c, &found);
    srdi_buf_free(&found);
    return st;
}
