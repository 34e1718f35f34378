/*
 * src/ingest/ingest.c — srdi_ingest: reads enterprises.csv, financials.csv
 * and patents.csv (docs/data.md) into a dataset.
 *
 * Each file is memory-mapped, its encoding detected, its header row mapped
 * onto the known columns (English names or Chinese aliases, any order), and
 * its body streamed through the CSV reader one record at a time.  Rows that
 * fail a check go to the rejects list (first error found, one per row); the
 * counts satisfy read == accepted + rejected for every file.
 */
#include "ingest_private.h"
#include "xlsxin.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "srdi/log.h"

static const char *const file_names[SRDI_FILE_COUNT] = { "enterprises.csv", "financials.csv", "patents.csv" };

/* ============================================================ column specs */

typedef struct col_spec {
    const char *name;     /* English column name */
    const char *zh;       /* Chinese alias */
    bool        required; /* the column must be in the header */
} col_spec;

/* enterprises.csv: the text/enum columns; the numeric ones follow from srdi_field_get */
enum { EC_ID, EC_NAME, EC_LEVEL, EC_PROVINCE, EC_CITY, EC_INDUSTRY, EC_TECH_EVAL, EC_NUM0 };
static const col_spec ent_text_specs[EC_NUM0] = {
    { "id", "统一社会信用代码", true },
    { "name", "企业名称", true },
    { "level", "层级", true },
    { "province", "省份", true },
    { "city", "城市", true },
    { "industry_code", "行业代码", true },
    { "tech_eval", "科技成果评价", false },
};
#define ENT_NSPECS (EC_NUM0 + SRDI_F_COUNT)

enum { FC_ID, FC_YEAR, FC_REVENUE, FC_RD, FC_N };
static const col_spec fin_specs[FC_N] = {
    { "id", "统一社会信用代码", true },
    { "year", "年度", true },
    { "revenue", "营业收入（万元）", true },
    { "rd_expense", "研发费用（万元）", true },
};

enum { PC_ID, PC_NO, PC_KIND, PC_OFFICE, PC_APP, PC_PUB, PC_STATUS, PC_GRANT, PC_IPC, PC_FIELD, PC_N };
static const col_spec pat_specs[PC_N] = {
    { "id", "统一社会信用代码", true },
    { "patent_no", "专利号", true },
    { "kind", "专利类型", true },
    { "office", "受理局", true },
    { "app_year", "申请年", true },
    { "pub_year", "公开年", false },
    { "status", "法律状态", true },
    { "grant_year", "授权年", false },
    { "ipc", "主IPC", false },
    { "field", "产业领域", false },
};

/* ============================================================ file context */

/* State shared by the files of one srdi_ingest run. */
typedef struct ingest_run {
    srdi_strpool *rej_ids;     /* ids of rejected enterprises.csv rows (first rejection kept) */
    long         *rej_line;    /* their lines, by pool id */
    size_t        rej_cap;
    char          ent_fname[64];   /* name of the enterprises source as read */
} ingest_run;

struct srdi_ingest_file {
    srdi_dataset   *d;
    srdi_file_id    fid;
    const char     *fname;      /* "enterprises.csv" (a workbook source sets its own name) */
    srdi_encoding   enc;
    char            delim;      /* field separator of a CSV source */
    srdi_rejects   *rj;
    ingest_run     *run;
    const col_spec *specs;      /* the file's columns */
    size_t          nspecs;
    int            *spec_col;   /* spec → record index, or -1 */
    char          **names;      /* header names as found (trimmed, owned) */
    size_t          ncols;
    bool            have_header;
    bool            quiet;
    long long       read, accepted, rejected;
    long           *ent_line;   /* enterprises: line of each accepted row */
    size_t          ent_line_cap;
    uint8_t        *fin_seen;   /* financials: (row, year) bitmap */
    srdi_patent_cols pc;        /* patents: column mapping */
    srdi_patents_seq *pseq;     /* patents rows handed one by one (not the parallel CSV path) */
    int             fd;         /* the file, open (CSV sources), for the patents cache key */
    const struct stat *sb;      /* its fstat */
    size_t          bom;        /* bytes of BOM before the text */
    const char     *map;        /* the whole file mapped (CSV text read in place), else NULL */
    srdi_buf        b_id, b_name, b_city;   /* scratch copies of trimmed cells */
    uint8_t         ind_class[10000];   /* enterprises: 4-digit code → 0 not looked up yet,
                                           1 a class of GB/T 4754, 2 not one (saves a lookup per row) */
};
typedef struct srdi_ingest_file file_ctx;

static void file_ctx_free(file_ctx *c)
{
    for (size_t i = 0; i < c->ncols; i++) free(c->names[i]);
    free(c->names);
    free(c->spec_col);
    free(c->ent_line);
    free(c->fin_seen);
    srdi_patents_seq_end(c->pseq, NULL, NULL, NULL, NULL);
    c->pseq = NULL;
    srdi_buf_free(&c->b_id);
    srdi_buf_free(&c->b_name);
    srdi_buf_free(&c->b_city);
}

/*
 * Make the line array *v (capacity *cap) hold index @p k: doubled from
 * @p first as needed.  SRDI_ERR_NOMEM (with @p what in the message) when
 * memory runs out; *v is then unchanged.
 */
static srdi_status grow_lines(long **v, size_t *cap, size_t k, size_t first, const char *what)
{
    if (k < *cap) return SRDI_OK;
    size_t nc = *cap ? *cap * 2 : first;
    while (nc <= k) nc *= 2;
    long *nv = realloc(*v, nc * sizeof *nv);
    if (!nv) return srdi_error_set(SRDI_ERR_NOMEM, "%s", what);
    *v = nv;
    *cap = nc;
    return SRDI_OK;
}

/* Remember the id of a rejected enterprises.csv row with its line (the first one kept). */
static srdi_status note_rejected_id(file_ctx *c, const char *id, size_t n, long line)
{
    ingest_run *ru = c->run;
    if (!ru || n == 0) return SRDI_OK;
    srdi_buf_reset(&c->b_id);
    if (srdi_buf_append(&c->b_id, id, n) != SRDI_OK) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    if (srdi_strpool_find(ru->rej_ids, c->b_id.data) != UINT32_MAX) return SRDI_OK;
    uint32_t k = srdi_strpool_intern(ru->rej_ids, c->b_id.data);
    if (k == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    if (grow_lines(&ru->rej_line, &ru->rej_cap, k, 256, "out of memory") != SRDI_OK) return SRDI_ERR_NOMEM;
    ru->rej_line[k] = line;
    return SRDI_OK;
}

const char *srdi_ingest_unknown_id_reason(const srdi_strpool *rejected_ids, const long *rejected_line,
                                          const char *ent_fname, const char *id, char *buf, size_t cap)
{
    uint32_t k = rejected_ids ? srdi_strpool_find(rejected_ids, id) : UINT32_MAX;
    if (k == UINT32_MAX) snprintf(buf, cap, "id not found in %s", ent_fname ? ent_fname : "enterprises.csv");
    else snprintf(buf, cap, "enterprise rejected (%s line %ld)", ent_fname ? ent_fname : "enterprises.csv",
                  rejected_line[k]);
    return buf;
}

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
        if (i + 2 < n && memcmp(s + i, "\xEF\xBC\x88", 3) == 0) { out[o++] = '('; i += 3; }
        else if (i + 2 < n && memcmp(s + i, "\xEF\xBC\x89", 3) == 0) { out[o++] = ')'; i += 3; }
        else {
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
    for (size_t i = 0; i < nb; i++) if (b[i] >= 0x2E80) cjk = true;
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
    if (q < EC_NUM0) return ent_text_specs[q];
    const srdi_field_info *fi = srdi_field_get((srdi_field)(q - EC_NUM0));
    return (col_spec){ fi->name, fi->zh, false };
}

/*
 * Map the header record onto c->specs: fills c->names and c->spec_col.
 * Unknown columns are reported once on stderr, unless one nearly matches a
 * known column that the header lacks (a likely typo): that, a duplicate or
 * a missing required column is a file-level error (SRDI_ERR_HEADER).
 */
static srdi_status header_map(file_ctx *c, const srdi_csv_record *rec)
{
    srdi_status st = SRDI_OK;
    srdi_buf found = { 0 };
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
            return srdi_error_set(SRDI_ERR_ENCODING, "%s: header row is not valid %s (column %zu); "
                                  "try --encoding gb18030 or utf-8", c->fname,
                                  srdi_csv_encoding_label(c->enc), j + 1);
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
        if (c->specs == NULL) {                 /* enterprises: numeric fields by lookup */
            int f = srdi_field_lookup(c->names[j]);
            if (f >= 0) k = EC_NUM0 + f;
        }
        for (size_t q = 0; k < 0 && q < c->nspecs; q++) {
            col_spec sp = spec_at(c, q);
            if (spec_matches(&sp, normed)) k = (long)q;
        }
        if (k < 0) { unknown[j] = true; continue; }
        if (c->spec_col[k] >= 0) {
            free(unknown);
            return srdi_error_set(SRDI_ERR_HEADER, "%s: column '%s' appears twice (columns %d and %zu)",
                                  c->fname, c->names[j], c->spec_col[k] + 1, j + 1);
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
        if (c->names[j][0]) srdi_log_note("%s: ignoring unknown column '%s'", c->fname, c->names[j]);
        else srdi_log_note("%s: ignoring unnamed column %zu", c->fname, j + 1);
    }
    free(unknown);
    for (size_t k = 0; k < c->nspecs; k++) {
        const col_spec *sp = c->specs ? &c->specs[k] : (k < EC_NUM0 ? &ent_text_specs[k] : NULL);
        if (!sp || !sp->required || c->spec_col[k] >= 0) continue;
        for (size_t j = 0; j < c->ncols; j++) {
            if (j) srdi_buf_puts(&found, ", ");
            srdi_buf_puts(&found, c->names[j]);
        }
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: missing required column '%s' (%s); found: %s%s",
                            c->fname, sp->name, sp->zh, found.data ? found.data : "",
                            c->ncols == 1 && c->delim == ',' ? " (one column: is the separator ';' or tab? "
                                                               "see --delimiter)" : "");
        break;
    }
    srdi_buf_free(&found);
    return st;
}

/* ================================================================== cells */

/* Trimmed cell of spec k (empty when the column is absent). */
static void cell(const file_ctx *c, const srdi_csv_record *rec, int k, const char **s, size_t *n)
{
    int j = c->spec_col[k];
    if (j < 0) { *s = ""; *n = 0; return; }
    *s = rec->f[j];
    *n = rec->len[j];
    srdi_ingest_trim(s, n);
}

/* Copy a trimmed cell into scratch buffer b (NUL-terminated). */
static const char *cell_str(const file_ctx *c, const srdi_csv_record *rec, int k, srdi_buf *b)
{
    const char *s;
    size_t n;
    cell(c, rec, k, &s, &n);
    srdi_buf_reset(b);
    if (srdi_buf_append(b, s, n) != SRDI_OK) return NULL;
    return b->data;
}

/* Header name (as found in the file) of spec k, or "". */
static const char *col_name(const file_ctx *c, int k)
{
    return c->spec_col[k] >= 0 ? c->names[c->spec_col[k]] : "";
}

/* Record a rejected row: column by spec index k (or -1), value the cell. */
static srdi_status reject(file_ctx *c, const srdi_csv_record *rec, int k, const char *reason)
{
    const char *v = "";
    size_t n = 0;
    if (k >= 0) cell(c, rec, k, &v, &n);
    c->rejected++;
    if (c->fid == SRDI_FILE_ENTERPRISES) {
        const char *id;
        size_t idn;
        cell(c, rec, EC_ID, &id, &idn);
        srdi_status st = note_rejected_id(c, id, idn, rec->line);
        if (st != SRDI_OK) return st;
    }
    return srdi_rejects_add(c->rj, c->fid, rec->line, k >= 0 ? col_name(c, k) : "", v, n, reason);
}

/* Reject a row that failed srdi_ingest_row_basic (column given by record index). */
static srdi_status reject_basic(file_ctx *c, const srdi_csv_record *rec, int j, const char *reason)
{
    c->rejected++;
    int ic = c->spec_col[EC_ID];
    if (c->fid == SRDI_FILE_ENTERPRISES && ic >= 0 && (size_t)ic < rec->n && j != ic) {
        const char *id = rec->f[ic];
        size_t idn = rec->len[ic];
        srdi_ingest_trim(&id, &idn);
        srdi_status st = note_rejected_id(c, id, idn, rec->line);
        if (st != SRDI_OK) return st;
    }
    if (j >= 0 && (size_t)j < rec->n)
        return srdi_rejects_add(c->rj, c->fid, rec->line, (size_t)j < c->ncols ? c->names[j] : "",
                                rec->f[j], rec->len[j], reason);
    return srdi_rejects_add(c->rj, c->fid, rec->line, "", "", 0, reason);
}

static bool cell_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* ============================================================ enterprises */

static int parse_level(const char *s, size_t n)
{
    if (cell_is(s, n, "provincial") || cell_is(s, n, "省级")) return SRDI_LEVEL_PROVINCIAL;
    if (cell_is(s, n, "national") || cell_is(s, n, "国家级")) return SRDI_LEVEL_NATIONAL;
    if (cell_is(s, n, "champion") || cell_is(s, n, "单项冠军")) return SRDI_LEVEL_CHAMPION;
    return -1;
}

static int parse_tech_eval(const char *s, size_t n)
{
    if (n == 0 || cell_is(s, n, "none") || cell_is(s, n, "无")) return SRDI_TE_NONE;
    if (cell_is(s, n, "intl_advanced") || cell_is(s, n, "国际先进") || cell_is(s, n, "国际领先"))
        return SRDI_TE_INTL_ADVANCED;
    if (cell_is(s, n, "domestic_advanced") || cell_is(s, n, "国内先进") || cell_is(s, n, "国内领先"))
        return SRDI_TE_DOMESTIC_ADVANCED;
    if (cell_is(s, n, "intl_level") || cell_is(s, n, "达到国际水平")) return SRDI_TE_INTL_LEVEL;
    if (cell_is(s, n, "domestic_level") || cell_is(s, n, "达到国内水平")) return SRDI_TE_DOMESTIC_LEVEL;
    return -1;
}

/*
 * Industry code: optional section letter + 4 digits (full-width digits
 * allowed), a class of GB/T 4754-2017.  Writes the 4 digits to code4.
 * Returns NULL when fine, else the reason.  @p class_of remembers, by code,
 * whether the reference holds it as a class (each code is looked up once).
 */
static const char *parse_industry(const srdi_reference *ref, uint8_t class_of[10000], const char *s, size_t n,
                                  char code4[5], char *reason, size_t cap)
{
    char a[16];
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (o + 1 >= sizeof a) goto bad;
        if ((unsigned char)s[i] < 0x80) a[o++] = s[i++];
        else if (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
                 (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            a[o++] = (char)('0' + ((unsigned char)s[i + 2] - 0x90));
            i += 3;
        } else goto bad;
    }
    a[o] = 0;
    char letter = 0;
    const char *d = a;
    if (o == 5 && ((a[0] >= 'A' && a[0] <= 'Z') || (a[0] >= 'a' && a[0] <= 'z'))) {
        letter = (char)(a[0] & ~0x20);
        d = a + 1;
    } else if (o != 4) goto bad;
    for (int i = 0; i < 4; i++) if (d[i] < '0' || d[i] > '9') goto bad;
    memcpy(code4, d, 4);
    code4[4] = 0;
    uint8_t *known = &class_of[(d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0')];
    if (!*known) {
        const srdi_industry *ind = srdi_reference_industry(ref, code4);
        *known = ind && ind->level == SRDI_IND_CLASS ? 1 : 2;
    }
    if (*known != 1) {
        snprintf(reason, cap, "unknown industry class %s (not in GB/T 4754-2017)", code4);
        return reason;
    }
    if (letter) {
        char div[3] = { code4[0], code4[1], 0 };
        const srdi_industry *dv = srdi_reference_industry(ref, div);
        if (dv && dv->parent && dv->parent[0] && dv->parent[0] != letter) {
            snprintf(reason, cap, "section letter %c does not match class %s (section %s)", letter, code4, dv->parent);
            return reason;
        }
    }
    return NULL;
bad:
    snprintf(reason, cap, "industry_code must be a 4-digit GB/T 4754-2017 class, optionally with its section letter (C3985)");
    return reason;
}

/*
 * The numeric columns of an enterprises.csv row, in docs/data.md order:
 * vals[f] and present[f] for every field (flags: 0/1; an empty cell is not
 * present).  A bad cell rejects the row (the status of reject() is returned
 * and *rejected set); otherwise SRDI_OK.
 */
static srdi_status ent_numbers(file_ctx *c, const srdi_csv_record *rec, double *vals, bool *present,
                               bool *rejected)
{
    char reason[512];
    const char *s;
    size_t n;
    *rejected = true;
    for (int f = 0; f < SRDI_F_COUNT; f++) {
        present[f] = false;
        int k = EC_NUM0 + f;
        if (c->spec_col[k] < 0) continue;
        cell(c, rec, k, &s, &n);
        const srdi_field_info *fi = srdi_field_get((srdi_field)f);
        if (fi->kind == SRDI_FK_FLAG) {
            int r = srdi_ingest_parse_flag(s, n, &vals[f]);
            if (r < 0) {
                snprintf(reason, sizeof reason, "%s must be 0 or 1 (是/否, Y/N, true/false)", col_name(c, k));
                return reject(c, rec, k, reason);
            }
            present[f] = r == 1;
            continue;
        }
        srdi_num_result r = srdi_ingest_parse_number(s, n, fi->kind == SRDI_FK_INTEGER, &vals[f]);
        if (r == SRDI_NUM_EMPTY) continue;
        if (r != SRDI_NUM_OK) {
            snprintf(reason, sizeof reason, "%s must be %s ≥ 0", col_name(c, k),
                     fi->kind == SRDI_FK_INTEGER ? "an integer" : "a number");
            return reject(c, rec, k, reason);
        }
        present[f] = true;
    }
    if (present[SRDI_F_STAFF] && present[SRDI_F_RD_STAFF] && vals[SRDI_F_RD_STAFF] > vals[SRDI_F_STAFF]) {
        snprintf(reason, sizeof reason, "%s (%.0f) exceeds %s (%.0f)", col_name(c, EC_NUM0 + SRDI_F_RD_STAFF),
                 vals[SRDI_F_RD_STAFF], col_name(c, EC_NUM0 + SRDI_F_STAFF), vals[SRDI_F_STAFF]);
        return reject(c, rec, EC_NUM0 + SRDI_F_RD_STAFF, reason);
    }
    *rejected = false;
    return SRDI_OK;
}

/*
 * One data row of enterprises.csv (the record itself already checked by
 * srdi_ingest_record).  Checks in order: id (required, not a duplicate), name,
 * level, province, city, industry class, tech_eval, every numeric column in
 * docs/data.md order, rd_staff ≤ staff.  The first failure rejects the row; a
 * good row is added to the dataset (national rows get hon_little_giant = 1).
 */
static srdi_status ent_row(file_ctx *c, const srdi_csv_record *rec)
{
    srdi_dataset *d = c->d;
    char reason[512];
    const char *s;
    size_t n;

    const char *id = cell_str(c, rec, EC_ID, &c->b_id);
    const char *name = cell_str(c, rec, EC_NAME, &c->b_name);
    const char *city = cell_str(c, rec, EC_CITY, &c->b_city);
    if (!id || !name || !city) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
    if (!id[0]) return reject(c, rec, EC_ID, "id is required");
    long prev = srdi_dataset_find(d, id);
    if (prev >= 0) {
        snprintf(reason, sizeof reason, "duplicate id (first seen on line %ld)", c->ent_line[prev]);
        return reject(c, rec, EC_ID, reason);
    }
    if (!name[0]) return reject(c, rec, EC_NAME, "name is required");
    cell(c, rec, EC_LEVEL, &s, &n);
    int level = parse_level(s, n);
    if (level < 0)
        return reject(c, rec, EC_LEVEL, n ? "level must be provincial, national or champion (省级/国家级/单项冠军)"
                                          : "level is required");
    cell(c, rec, EC_PROVINCE, &s, &n);
    char pbuf[128];
    int prov = -1;
    if (n > 0 && n < sizeof pbuf) {
        memcpy(pbuf, s, n);
        pbuf[n] = 0;
        prov = srdi_reference_province(d->ref, pbuf);
    }
    if (prov < 0) return reject(c, rec, EC_PROVINCE, n ? "unknown province" : "province is required");
    if (!city[0]) return reject(c, rec, EC_CITY, "city is required");
    if (d->ref->n_cities > 0) {
        /* the city must be one of that province (reference/cities.csv); short forms normalised */
        int other;
        int ci = srdi_reference_city(d->ref, prov, city, &other);
        if (ci < 0 && other >= 0) {
            snprintf(reason, sizeof reason, "%s belongs to %s, not %s", d->ref->cities[other].name,
                     d->ref->provinces[d->ref->cities[other].province].name, d->ref->provinces[prov].name);
            return reject(c, rec, EC_CITY, reason);
        }
        if (ci < 0) {
            snprintf(reason, sizeof reason, "unknown city: not a city-level division of %s in reference/cities.csv",
                     d->ref->provinces[prov].name);
            return reject(c, rec, EC_CITY, reason);
        }
        city = d->ref->cities[ci].name;
    }
    cell(c, rec, EC_INDUSTRY, &s, &n);
    char code4[5];
    if (n == 0) return reject(c, rec, EC_INDUSTRY, "industry_code is required");
    if (parse_industry(d->ref, c->ind_class, s, n, code4, reason, sizeof reason)) return reject(c, rec, EC_INDUSTRY, reason);
    cell(c, rec, EC_TECH_EVAL, &s, &n);
    int te = parse_tech_eval(s, n);
    if (te < 0)
        return reject(c, rec, EC_TECH_EVAL, "tech_eval must be intl_advanced, domestic_advanced, intl_level or "
                                            "domestic_level (国际先进/国内先进/达到国际水平/达到国内水平) or empty");

    double vals[SRDI_F_COUNT];
    bool present[SRDI_F_COUNT], rejected;
    srdi_status nst = ent_numbers(c, rec, vals, present, &rejected);
    if (rejected) return nst;

    size_t row;
    srdi_status st = srdi_dataset_add_enterprise(d, id, name, (srdi_level)level, prov, city, code4,
                                                 (srdi_tech_eval)te, &row);
    if (st != SRDI_OK) return st;
    for (int f = 0; f < SRDI_F_COUNT; f++)
        if (present[f]) srdi_dataset_set(d, row, (srdi_field)f, vals[f]);
    if (level == SRDI_LEVEL_NATIONAL) srdi_dataset_set(d, row, SRDI_F_HON_LITTLE_GIANT, 1);
    if (grow_lines(&c->ent_line, &c->ent_line_cap, row, 1024, "out of memory reading enterprises") != SRDI_OK)
        return SRDI_ERR_NOMEM;
    c->ent_line[row] = rec->line;
    c->accepted++;
    return SRDI_OK;
}

/* ============================================================= financials */

/*
 * One data row of financials.csv: id must be an accepted enterprise, year an
 * integer 2000–2100 not yet given for that id, revenue and rd_expense numbers
 * ≥ 0 or empty (NAN).  A bad row is rejected with its first error.
 */
static srdi_status fin_row(file_ctx *c, const srdi_csv_record *rec)
{
    const char *id = cell_str(c, rec, FC_ID, &c->b_id);
    if (!id) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading financials");
    if (!id[0]) return reject(c, rec, FC_ID, "id is required");
    srdi_dataset *d = c->d;
    char reason[512];
    long ent = srdi_dataset_find(d, id);
    if (ent < 0)
        return reject(c, rec, FC_ID, srdi_ingest_unknown_id_reason(c->run ? c->run->rej_ids : NULL,
                                                                   c->run ? c->run->rej_line : NULL,
                                                                   c->run ? c->run->ent_fname : NULL, id,
                                                                   reason, sizeof reason));
    const char *s;
    size_t n;
    cell(c, rec, FC_YEAR, &s, &n);
    double y;
    srdi_num_result r = srdi_ingest_parse_number(s, n, true, &y);
    if (r == SRDI_NUM_EMPTY) return reject(c, rec, FC_YEAR, "year is required");
    if (r != SRDI_NUM_OK || y < 2000 || y > 2100)
        return reject(c, rec, FC_YEAR, "year must be an integer from 2000 to 2100");
    double v[2];
    for (int k = FC_REVENUE; k <= FC_RD; k++) {
        cell(c, rec, k, &s, &n);
        r = srdi_ingest_parse_number(s, n, false, &v[k - FC_REVENUE]);
        if (r == SRDI_NUM_EMPTY) v[k - FC_REVENUE] = NAN;
        else if (r != SRDI_NUM_OK) {
            snprintf(reason, sizeof reason, "%s must be a number ≥ 0", col_name(c, k));
            return reject(c, rec, k, reason);
        }
    }
    size_t bit = (size_t)ent * 101 + (size_t)(y - 2000);
    if (c->fin_seen[bit >> 3] & (1u << (bit & 7))) {
        snprintf(reason, sizeof reason, "duplicate (id, year): year %d already given for this id", (int)y);
        return reject(c, rec, FC_YEAR, reason);
    }
    srdi_status st = srdi_dataset_add_financial(d, (uint32_t)ent, (int)y, v[0], v[1]);
    if (st != SRDI_OK) return st;
    c->fin_seen[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    c->accepted++;
    return SRDI_OK;
}

/* ================================================================ drivers */

srdi_status srdi_ingest_record(void *ctx, const srdi_csv_record *rec)
{
    file_ctx *c = ctx;
    if (!c->have_header) {
        c->have_header = true;
        srdi_status st = header_map(c, rec);
        if (st != SRDI_OK) return st;
        if (c->fid == SRDI_FILE_FINANCIALS) {
            c->fin_seen = calloc((c->d->n * 101 + 8) / 8, 1);
            if (!c->fin_seen) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading financials");
        }
        if (c->fid != SRDI_FILE_PATENTS) return SRDI_OK;
        c->pc = (srdi_patent_cols){
            c->spec_col[PC_ID], c->spec_col[PC_NO], c->spec_col[PC_KIND], c->spec_col[PC_OFFICE],
            c->spec_col[PC_APP], c->spec_col[PC_PUB], c->spec_col[PC_STATUS], c->spec_col[PC_GRANT],
            c->spec_col[PC_IPC], c->spec_col[PC_FIELD], (const char *const *)c->names, c->ncols, c->delim,
            false, c->run ? c->run->rej_ids : NULL, c->run ? c->run->rej_line : NULL,
            c->run ? c->run->ent_fname : NULL, NULL, 0, NULL,
        };
        return SRDI_OK;
    }
    switch (c->fid) {
    case SRDI_FILE_ENTERPRISES:
    case SRDI_FILE_FINANCIALS: {
        /* the record itself first: quoting, field count, bytes */
        char reason[512];
        int j;
        c->read++;
        if (!srdi_ingest_row_basic(rec, c->ncols, c->enc, &j, reason, sizeof reason))
            return reject_basic(c, rec, j, reason);
        return c->fid == SRDI_FILE_ENTERPRISES ? ent_row(c, rec) : fin_row(c, rec);
    }
    default:
        if (!c->pseq) {
            srdi_status st = srdi_patents_seq_begin(c->d, &c->pc, c->enc, &c->pseq);
            if (st != SRDI_OK) return st;
        }
        return srdi_patents_seq_row(c->pseq, rec);
    }
}


static const char *delim_name(char c)
{
    return c == ';' ? "semicolon" : c == '\t' ? "tab" : "comma";
}

/*
 * The body of patents.csv: from the refresh cache (patcache.c) when
 * opts->patents_cache holds the aggregates of these very bytes read
 * against these enterprises, else parsed (and the cache written).  With no
 * cache file to check (or --force) the content hash of the key is computed
 * in the parsing pass: the file is read once.
 */
static srdi_status read_patents_body(file_ctx *c, const srdi_ingest_opts *opts, const char *body, size_t n,
                                     long body_line)
{
    uint64_t key = 0;
    bool use_cache = opts->patents_cache && c->sb && c->fd >= 0;
    struct stat csb;
    bool fold = use_cache && c->map && (opts->patents_cache_write_only || stat(opts->patents_cache, &csb) != 0);
    srdi_patcache_in in = {
        c->d, c->fd, c->sb, c->enc, c->delim, c->bom,
        opts->threads > 0 ? opts->threads : (int)sysconf(_SC_NPROCESSORS_ONLN),
        c->run ? c->run->rej_ids : NULL, c->run ? c->run->rej_line : NULL, c->run ? c->run->ent_fname : "",
        false, 0,
    };
    if (use_cache && !fold) {
        srdi_status st = srdi_patcache_key(&in, &key);
        if (st != SRDI_OK) return st;
        if (!opts->patents_cache_write_only) {
            bool hit = false;
            st = srdi_patcache_load(opts->patents_cache, key, c->d, c->rj, &hit, &c->read, &c->accepted,
                                    &c->rejected);
            if (st != SRDI_OK || hit) {
                if (hit && !opts->quiet)
                    srdi_log_note("ingest: patents.csv unchanged (same bytes, same enterprises): "
                            "aggregates reused from %s", opts->patents_cache);
                return st;
            }
        }
    }
    size_t rj_from = c->rj->n, size = (size_t)c->sb->st_size;
    size_t nblocks = (size + SRDI_PATCACHE_BLOCK - 1) / SRDI_PATCACHE_BLOCK;
    if (fold) {
        c->pc.file = c->map;
        c->pc.file_size = size;
        if (!(c->pc.blocks = calloc(nblocks ? nblocks : 1, sizeof *c->pc.blocks)))
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    }
    srdi_status st = srdi_ingest_patents_body(c->d, &c->pc, body, n, body_line, c->enc, opts->threads, c->rj,
                                              &c->read, &c->accepted, &c->rejected);
    if (st == SRDI_OK && fold) {
        in.have_content = true;
        in.content = srdi_patcache_combine(c->pc.blocks, nblocks, size);
        st = srdi_patcache_key(&in, &key);
    }
    free(c->pc.blocks);
    c->pc.blocks = NULL;
    if (st == SRDI_OK && use_cache &&
        srdi_patcache_save(opts->patents_cache, key, c->d, c->rj, rj_from, c->read, c->accepted, c->rejected) != SRDI_OK) {
        if (!opts->quiet) srdi_log_warn("patents cache not saved: %s", srdi_error_message());
        srdi_error_clear();
    }
    return st;
}

/*
 * Read the CSV text [text, text+n) (after any BOM, in encoding c->enc) of
 * one file: the header record first (at most 1 MiB), then the rows — the
 * patents rows in parallel parts, the others streamed.
 */
static srdi_status read_csv_text(file_ctx *c, const srdi_ingest_opts *opts, const char *text, size_t n,
                                 bool release)
{
    srdi_csv_reader r;
    srdi_status st = srdi_csv_reader_init_delim(&r, srdi_ingest_record, c, 1, c->delim);
    if (st != SRDI_OK) return st;
    size_t at = 0;
    /* the header: whole physical lines until its record is complete */
    while (st == SRDI_OK && !c->have_header && at < n) {
        if (at > SRDI_CSV_HEADER_MAX) {
            st = srdi_error_set(SRDI_ERR_HEADER, "%s: the header row is longer than 1 MiB "
                                "(no line end outside quotes): not a CSV file?", c->fname);
            break;
        }
        bool eol;
        size_t l = srdi_csv_line_len(text + at, n - at < SRDI_CSV_HEADER_MAX + 2 ? n - at
                                                                                  : SRDI_CSV_HEADER_MAX + 2, &eol);
        if (l > SRDI_CSV_HEADER_MAX) {
            st = srdi_error_set(SRDI_ERR_HEADER, "%s: the header row is longer than 1 MiB "
                                "(no line end outside quotes): not a CSV file?", c->fname);
            break;
        }
        st = srdi_csv_feed_encoded(&r, text + at, l, c->enc, false);
        at += l;
    }
    if (st == SRDI_OK && !c->have_header) st = srdi_csv_reader_finish(&r);
    if (st == SRDI_OK && !c->have_header)
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: file is empty (no header row)", c->fname);
    if (st == SRDI_OK && c->fid == SRDI_FILE_PATENTS) {
        long body_line = r.line;
        srdi_csv_reader_free(&r);
        c->d->has_patents = true;
        c->pc.release_pages = release;
        return read_patents_body(c, opts, text + at, n - at, body_line);
    }
    if (st == SRDI_OK) st = srdi_csv_feed_encoded(&r, text + at, n - at, c->enc, release);
    if (st == SRDI_OK) st = srdi_csv_reader_finish(&r);
    srdi_csv_reader_free(&r);
    return st;
}

/* ======================================================== Excel workbooks */

/* Records of a worksheet → srdi_ingest_record; after the header, the sheet reader learns the width. */
typedef struct xlsx_feed {
    file_ctx  *c;
    srdi_xlsx *x;
} xlsx_feed;

static srdi_status xlsx_record(void *ctx, const srdi_csv_record *rec)
{
    xlsx_feed *f = ctx;
    bool header = !f->c->have_header;
    srdi_status st = srdi_ingest_record(f->c, rec);
    if (st == SRDI_OK && header) {
        srdi_xlsx_set_width(f->x, f->c->ncols);      /* rows padded to the header, extra cells flagged */
        if (f->c->fid == SRDI_FILE_ENTERPRISES)      /* 511 stored as a number is class 0511 */
            srdi_xlsx_set_pad4(f->x, f->c->spec_col[EC_INDUSTRY]);
    }
    return st;
}

/*
 * Read input file c->fid from the workbook at @p path (enterprises.xlsx …):
 * its first worksheet or the one --sheet names, every row through
 * srdi_ingest_record as a CSV record would go — same header aliases,
 * checks, rejects and counts.  A reject's line is the worksheet row and its
 * file "enterprises.xlsx[Sheet1]"; the name also stands in messages.
 */
static srdi_status ingest_xlsx(file_ctx *c, const srdi_ingest_opts *opts, const char *path, double t0)
{
    srdi_status st = SRDI_OK;
    srdi_dataset *d = c->d;
    srdi_file_stats *fs = &d->files[c->fid];
    srdi_xlsx *x = NULL;
    srdi_buf label = { 0 };
    const char *csv_name = c->fname;
    char xname[32];
    snprintf(xname, sizeof xname, "%.*s.xlsx", (int)(strlen(c->fname) - 4), c->fname);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return srdi_error_set(SRDI_ERR_INPUT, "%s: %s is not a regular file; give a file", xname, path);
    fs->present = true;
    if (!(fs->path = srdi_strdup(path))) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    fs->bytes = (long long)sb.st_size;
    srdi_strlcpy(fs->encoding, "xlsx", sizeof fs->encoding);
    if ((st = srdi_xlsx_open(path, xname, &x)) != SRDI_OK) return st;
    const char *sheet = opts->sheet_for[c->fid] ? opts->sheet_for[c->fid] : opts->sheet;
    if ((st = srdi_xlsx_select(x, sheet)) != SRDI_OK) goto cleanup;
    if ((st = srdi_buf_printf(&label, "%s[%s]", xname, srdi_xlsx_sheet(x))) != SRDI_OK) goto cleanup;
    free(c->rj->label[c->fid]);
    if (!(c->rj->label[c->fid] = srdi_strdup(label.data))) { st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); goto cleanup; }
    c->fname = label.data;
    c->enc = SRDI_ENC_UTF8;
    if (c->fid == SRDI_FILE_ENTERPRISES && c->run) srdi_strlcpy(c->run->ent_fname, xname, sizeof c->run->ent_fname);

    xlsx_feed feed = { c, x };
    if ((st = srdi_xlsx_rows(x, 0, 0, xlsx_record, &feed, NULL)) != SRDI_OK) goto cleanup;
    if (!c->have_header) {
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: the worksheet is empty (no header row)", c->fname);
        goto cleanup;
    }
    if (c->fid == SRDI_FILE_FINANCIALS) d->has_financials = true;
    if (c->fid == SRDI_FILE_PATENTS) d->has_patents = true;
    if (c->pseq) {
        st = srdi_patents_seq_end(c->pseq, c->rj, &c->read, &c->accepted, &c->rejected);
        c->pseq = NULL;
        if (st != SRDI_OK) goto cleanup;
    }
    fs->read = c->read;
    fs->accepted = c->accepted;
    fs->rejected = c->rejected;
    fs->seconds = srdi_now() - t0;
    if (!opts->quiet)
        srdi_log_note("ingest: %s  read %lld = accepted %lld + rejected %lld  (xlsx, %.2f s)",
                c->fname, fs->read, fs->accepted, fs->rejected, fs->seconds);
cleanup:
    c->fname = csv_name;      /* label is freed here */
    srdi_buf_free(&label);
    srdi_xlsx_close(x);
    return st;
}

/*
 * Which source holds input file @p fid: *xlsx_path gets the path of
 * NAME.xlsx when it is there instead of NAME.csv (else stays empty).  Both
 * present is an input error asking which one to read.
 */
static srdi_status pick_source(const char *dir, const char *csv_path, const char *fname, srdi_buf *xlsx_path)
{
    struct stat sb;
    srdi_status st = srdi_buf_printf(xlsx_path, "%s/%.*s.xlsx", dir, (int)(strlen(fname) - 4), fname);
    if (st != SRDI_OK) return st;
    if (stat(xlsx_path->data, &sb) != 0) { srdi_buf_reset(xlsx_path); return SRDI_OK; }
    if (stat(csv_path, &sb) == 0)
        return srdi_error_set(SRDI_ERR_INPUT, "%s and %s are both present: which one should be read? "
                              "Move or rename the other one", csv_path, xlsx_path->data);
    return SRDI_OK;
}

/*
 * Read one input file into d.  A missing optional file is fine (present =
 * false, said on stderr with the tables it leaves without data); a missing
 * enterprises.csv, a file that is not a regular file, not CSV text (a
 * workbook, a binary) or empty, a header problem or an allocation failure is
 * a file-level error.
 */
static srdi_status ingest_file(srdi_dataset *d, const srdi_ingest_opts *opts, srdi_file_id fid,
                               srdi_rejects *rj, ingest_run *ru)
{
    srdi_status st = SRDI_OK;
    srdi_file_stats *fs = &d->files[fid];
    file_ctx c = { .d = d, .fid = fid, .fname = file_names[fid], .rj = rj, .run = ru, .quiet = opts->quiet,
                   .fd = -1 };
    char *map = NULL, *conv = NULL;
    size_t size = 0;
    int fd = -1;
    double t0 = srdi_now();
    srdi_buf path = { 0 };

    if (fid == SRDI_FILE_ENTERPRISES) { c.specs = NULL; c.nspecs = ENT_NSPECS; }
    else if (fid == SRDI_FILE_FINANCIALS) { c.specs = fin_specs; c.nspecs = FC_N; }
    else { c.specs = pat_specs; c.nspecs = PC_N; }
    if (fid == SRDI_FILE_ENTERPRISES) srdi_strlcpy(ru->ent_fname, c.fname, sizeof ru->ent_fname);

    if (srdi_buf_printf(&path, "%s/%s", opts->data_dir ? opts->data_dir : ".", c.fname) != SRDI_OK)
        return SRDI_ERR_NOMEM;
    {   /* an Excel workbook in place of the CSV (xlsxin.c) */
        srdi_buf xpath = { 0 };
        st = pick_source(opts->data_dir ? opts->data_dir : ".", path.data, c.fname, &xpath);
        if (st == SRDI_OK && xpath.len) st = ingest_xlsx(&c, opts, xpath.data, t0);
        bool done = st != SRDI_OK || xpath.len;
        srdi_buf_free(&xpath);
        if (done) goto cleanup;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below) */
    fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT && fid != SRDI_FILE_ENTERPRISES) {
            if (!opts->quiet)
                srdi_log_note("%s: not found \xE2\x80\x94 %s will have no data", c.fname,
                              opts->starved[fid] ? opts->starved[fid] : "its tables");
            goto cleanup;
        }
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot open %s: %s", c.fname, path.data, strerror(e));
        goto cleanup;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot stat: %s", c.fname, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = srdi_error_set(SRDI_ERR_INPUT, "%s: %s is not a regular file (%s); give a file", c.fname, path.data,
                            S_ISDIR(sb.st_mode) ? "a directory" : S_ISFIFO(sb.st_mode) ? "a FIFO" :
                            S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "a device" :
                            S_ISSOCK(sb.st_mode) ? "a socket" : "not a plain file");
        goto cleanup;
    }
    fs->present = true;
    fs->path = srdi_buf_steal(&path);
    size = (size_t)sb.st_size;
    fs->bytes = (long long)size;
    if (size == 0) {
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: file is empty (no header row)", c.fname);
        goto cleanup;
    }
    map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        map = NULL;
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot map: %s", c.fname, strerror(errno));
        goto cleanup;
    }
    madvise(map, size, MADV_SEQUENTIAL);

    /* what the bytes are: a workbook or other binary is named, never read as text */
    const char *what = srdi_csv_binary_kind(map, size);
    if (what) {
        const char *base = c.fname;
        size_t bl = strcspn(base, ".");
        if (strstr(what, "Excel workbook (.xlsx"))
            st = srdi_error_set(SRDI_ERR_INPUT, "%s: this is an Excel workbook, not CSV text; name it %.*s.xlsx",
                                c.fname, (int)bl, base);
        else if (strstr(what, ".xls"))
            st = srdi_error_set(SRDI_ERR_INPUT, "%s: this is %s, not CSV text; save it as %.*s.xlsx or as CSV",
                                c.fname, what, (int)bl, base);
        else st = srdi_error_set(SRDI_ERR_INPUT, "%s: this is %s, not CSV text", c.fname, what);
        goto cleanup;
    }
    size_t bom;
    c.enc = srdi_csv_detect_encoding(map, size, opts->encoding, fs->encoding, &bom);
    c.fd = fd;
    c.sb = &sb;
    c.bom = bom;
    c.map = map;
    const char *text = map + bom;
    size_t tlen = size - bom;
    if (c.enc == SRDI_ENC_UTF16LE || c.enc == SRDI_ENC_UTF16BE) {
        /* a header line must end within its first MiB (2 MiB of UTF-16) before the whole is converted */
        size_t probe = tlen < 2 * SRDI_CSV_HEADER_MAX ? tlen : 2 * SRDI_CSV_HEADER_MAX;
        if (tlen > probe && !memchr(text, '\n', probe) && !memchr(text, '\r', probe)) {
            st = srdi_error_set(SRDI_ERR_HEADER, "%s: the header row is longer than 1 MiB "
                                "(no line end outside quotes): not a CSV file?", c.fname);
            goto cleanup;
        }
        /* UTF-16: converted whole to UTF-8 first (bad sequences become a byte that fails UTF-8) */
        if ((st = srdi_csv_utf16_to_utf8(text, tlen, c.enc == SRDI_ENC_UTF16BE, &conv, &tlen)) != SRDI_OK)
            goto cleanup;
        text = conv;
        munmap(map, size);
        map = NULL;
        c.map = NULL;
    }
    c.delim = opts->delimiter ? opts->delimiter : srdi_csv_detect_delim(text, tlen);
    st = read_csv_text(&c, opts, text, tlen, map != NULL);
    if (st != SRDI_OK) goto cleanup;
    if (fid == SRDI_FILE_FINANCIALS) d->has_financials = true;
    if (fid == SRDI_FILE_PATENTS) d->has_patents = true;
    if (c.pseq) {
        st = srdi_patents_seq_end(c.pseq, rj, &c.read, &c.accepted, &c.rejected);
        c.pseq = NULL;
        if (st != SRDI_OK) goto cleanup;
    }
    fs->read = c.read;
    fs->accepted = c.accepted;
    fs->rejected = c.rejected;
    fs->delim = c.delim;
    fs->seconds = srdi_now() - t0;
    if (!opts->quiet && !opts->no_progress)
        srdi_log_note("ingest: %s  read %lld = accepted %lld + rejected %lld  (%s, %s, %.2f s)",
                c.fname, fs->read, fs->accepted, fs->rejected, fs->encoding, delim_name(c.delim), fs->seconds);

cleanup:
    if (map) munmap(map, size);
    free(conv);
    if (fd >= 0) close(fd);
    srdi_buf_free(&path);
    file_ctx_free(&c);
    return st;
}

/*
 * Financials need to know the enterprises; the bitmap of (enterprise, year)
 * is allocated once the enterprises are read.
 */
srdi_status srdi_ingest(const srdi_ingest_opts *opts, srdi_reference *ref,
                        srdi_dataset **out, long long *n_row_errors)
{
    srdi_status st = SRDI_OK;
    srdi_rejects rj = { 0 };
    ingest_run ru = { 0 };
    *out = NULL;
    if (n_row_errors) *n_row_errors = 0;
    srdi_dataset *d = srdi_dataset_new(ref);
    if (!d) {
        srdi_reference_free(ref);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating the dataset");
    }
    if (!(ru.rej_ids = srdi_strpool_new())) st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    {   /* data made by `srdi-report sample` carries SYNTHETIC.txt: its outputs say so */
        srdi_buf sp = { 0 };
        struct stat sb;
        if (srdi_buf_printf(&sp, "%s/SYNTHETIC.txt", opts->data_dir ? opts->data_dir : ".") == SRDI_OK &&
            stat(sp.data, &sb) == 0)
            d->synthetic = true;
        srdi_buf_free(&sp);
    }
    for (int f = 0; f < SRDI_FILE_COUNT && st == SRDI_OK; f++)
        st = ingest_file(d, opts, (srdi_file_id)f, &rj, &ru);
    if (st == SRDI_OK) st = srdi_rejects_summarise(&rj, d);
    if (st == SRDI_OK && opts->rejects_path) st = srdi_rejects_write(&rj, opts->rejects_path);
    srdi_rejects_free(&rj);
    srdi_strpool_free(ru.rej_ids);
    free(ru.rej_line);
    if (st != SRDI_OK) {
        srdi_dataset_free(d);
        return st;
    }
    long long errs = 0;
    for (int f = 0; f < SRDI_FILE_COUNT; f++) errs += d->files[f].rejected;
    if (n_row_errors) *n_row_errors = errs;
    *out = d;
    return SRDI_OK;
}

/* The name a file is known by: the workbook's for an .xlsx input, else the CSV name. */
static const char *file_label(const srdi_file_stats *fs, int f)
{
    if (!fs->path || strcmp(fs->encoding, "xlsx") != 0) return file_names[f];
    const char *slash = strrchr(fs->path, '/');
    return slash ? slash + 1 : fs->path;
}

srdi_status srdi_ingest_check_reject_rate(const srdi_dataset *d, double max_rate, const char *out_dir)
{
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        const srdi_file_stats *fs = &d->files[f];
        if (!fs->present || fs->read == 0 || fs->rejected == 0) continue;
        double rate = (double)fs->rejected / (double)fs->read;
        if (rate <= max_rate && fs->rejected < fs->read) continue;
        char limit[80];
        if (fs->rejected == fs->read) snprintf(limit, sizeof limit, "every row");
        else snprintf(limit, sizeof limit, "more than --max-reject-rate %g%%", max_rate * 100);
        return srdi_error_set(SRDI_ERR_DATA, "%s: %lld of %lld rows rejected (%.1f%%, %s): nothing rendered; "
                              "by reason: %s; see %s/rejects.csv", file_label(fs, f), fs->rejected, fs->read,
                              rate * 100, limit, fs->reject_reasons ? fs->reject_reasons : "", out_dir);
    }
    return SRDI_OK;
}

void srdi_ingest_print_summary(const srdi_dataset *d, FILE *fp)
{
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        const srdi_file_stats *fs = &d->files[f];
        if (!fs->present) continue;
        bool xl = strcmp(fs->encoding, "xlsx") == 0;
        fprintf(fp, "ingest: %s  read %lld = accepted %lld + rejected %lld  (%s, %s, %.2f s)\n",
                file_label(fs, f), fs->read, fs->accepted, fs->rejected,
                fs->encoding, xl ? "worksheet" : delim_name(fs->delim), fs->seconds);
    }
}
