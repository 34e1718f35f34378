/*
 * table.c — the generic table model and the formatting rules that belong to
 * column types.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/params.h"
#include "srdi/table.h"
#include "srdi/util.h"

/* The texts a table owns, in one list for srdi_table_new and srdi_table_free. */
#define TABLE_TEXTS(t)                                                                                                 \
    {                                                                                                                  \
        &(t)->name, &(t)->title, &(t)->sheet, &(t)->note, &(t)->source, &(t)->params                                   \
    }
#define N_TABLE_TEXTS 6

srdi_table *srdi_table_new(const char *id, const char *name, const char *title, const char *sheet)
{
    srdi_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    srdi_strlcpy(t->id, id ? id : "", sizeof t->id);
    char **texts[N_TABLE_TEXTS] = TABLE_TEXTS(t);
    const char *init[N_TABLE_TEXTS] = {name, title, sheet, "", "资料来源：专精特新企业数据库，课题组计算。", ""};
    for (size_t i = 0; i < N_TABLE_TEXTS; i++)
        if (!(*texts[i] = srdi_strdup(init[i] ? init[i] : ""))) {
            srdi_table_free(t);
            return NULL;
        }
    return t;
}

/* Free what column @p c owns. */
static void col_free(srdi_tcol *c)
{
    free(c->key);
    free(c->label);
    free(c->unit);
}

/* Free what row @p r owns (its first @p ncols cells' texts, its cells, key and label). */
static void row_free(srdi_trow *r, size_t ncols)
{
    for (size_t c = 0; r->cells && c < ncols; c++) free(r->cells[c].text);
    free(r->cells);
    free(r->key);
    free(r->label);
}

void srdi_table_free(srdi_table *t)
{
    if (!t) return;
    for (size_t r = 0; r < t->nrows; r++) row_free(&t->rows[r], t->ncols);
    for (size_t c = 0; c < t->ncols; c++) col_free(&t->cols[c]);
    char **texts[N_TABLE_TEXTS] = TABLE_TEXTS(t);
    for (size_t i = 0; i < N_TABLE_TEXTS; i++) free(*texts[i]);
    free(t->base_note);
    free(t->small_groups);
    free(t->basis_unit);
    free(t->basis_what);
    free(t->rows);
    free(t->cols);
    free(t);
}

/* Mark @p t failed and record the message; returns -1 for the index-returning callers. */
static int table_oom(srdi_table *t, const char *what, const char *key)
{
    t->failed = true;
    srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding %s %s to %s", what, key ? key : "", t->id);
    return -1;
}

/* Mark @p t failed and record the message; returns SRDI_ERR_NOMEM. */
static srdi_status table_nomem(srdi_table *t, const char *what)
{
    t->failed = true;
    return srdi_error_set(SRDI_ERR_NOMEM, "out of memory setting the %s of %s", what, t->id);
}

bool srdi_table_failed(const srdi_table *t)
{
    return t->failed;
}

int srdi_table_add_col(srdi_table *t, const char *key, const char *label, srdi_coltype type, const char *unit,
                       int decimals)
{
    /* columns are added before rows; existing rows get an extra ABSENT (zeroed)
       cell: every row's cells are allocated to capcols, like the columns */
    size_t cap = t->capcols;
    if (srdi_grow((void **)&t->cols, &cap, t->ncols + 1, sizeof *t->cols) != SRDI_OK)
        return table_oom(t, "column", key);
    for (size_t r = 0; r < t->nrows; r++) {
        size_t rcap = t->capcols;
        if (srdi_grow((void **)&t->rows[r].cells, &rcap, t->ncols + 1, sizeof *t->rows[r].cells) != SRDI_OK)
            return table_oom(t, "column", key);
    }
    t->capcols = cap;
    srdi_tcol *c = &t->cols[t->ncols];
    c->key = srdi_strdup(key);
    c->label = srdi_strdup(label ? label : key);
    c->unit = srdi_strdup(unit ? unit : "");
    c->type = type;
    c->decimals = decimals;
    if (!c->key || !c->label || !c->unit) {
        col_free(c);
        return table_oom(t, "column", key);
    }
    return (int)t->ncols++;
}

int srdi_table_add_row(srdi_table *t, const char *key, const char *label)
{
    if (srdi_grow((void **)&t->rows, &t->caprows, t->nrows + 1, sizeof *t->rows) != SRDI_OK)
        return table_oom(t, "row", key);
    srdi_trow *r = &t->rows[t->nrows];
    r->key = srdi_strdup(key);
    r->label = srdi_strdup(label ? label : key);
    r->cells = calloc(t->capcols ? t->capcols : 1, sizeof *r->cells);
    r->small = false;
    r->basis_n = -1;
    if (!r->key || !r->label || !r->cells) {
        row_free(r, 0);
        return table_oom(t, "row", key);
    }
    return (int)t->nrows++;
}

static srdi_cell *cell_at(srdi_table *t, int row, int col)
{
    if (row < 0 || col < 0 || (size_t)row >= t->nrows || (size_t)col >= t->ncols) return NULL;
    srdi_cell *c = &t->rows[row].cells[col];
    free(c->text);
    c->text = NULL;
    return c;
}

void srdi_table_set_num(srdi_table *t, int row, int col, double v)
{
    srdi_cell *c = cell_at(t, row, col);
    if (!c) return;
    if (isfinite(v)) {
        c->kind = SRDI_CELL_NUM;
        c->num = v == 0 ? 0.0 : v;
    } else
        c->kind = SRDI_CELL_NULL;
}

/* Per-cell format override (see table.h); stored as type + 1, 0 = none. */
void srdi_table_set_cell_type(srdi_table *t, int row, int col, srdi_coltype type)
{
    if (row < 0 || col < 0 || (size_t)row >= t->nrows || (size_t)col >= t->ncols) return;
    t->rows[row].cells[col].fmt = (unsigned char)(type + 1);
}

srdi_tcol srdi_cell_effective_col(const srdi_tcol *col, const srdi_cell *c)
{
    srdi_tcol e = *col;
    if (c && c->fmt) {
        e.type = (srdi_coltype)(c->fmt - 1);
        e.decimals = -1;
        e.unit = (char *)"";
    }
    return e;
}

void srdi_table_set_null(srdi_table *t, int row, int col)
{
    srdi_cell *c = cell_at(t, row, col);
    if (c) c->kind = SRDI_CELL_NULL;
}

srdi_status srdi_table_set_text(srdi_table *t, int row, int col, const char *s)
{
    if (row < 0 || col < 0 || (size_t)row >= t->nrows || (size_t)col >= t->ncols) return SRDI_OK;
    char *copy = srdi_strdup(s ? s : "");
    if (!copy) return table_nomem(t, "text of a cell");
    srdi_cell *c = cell_at(t, row, col);
    c->text = copy;
    c->kind = SRDI_CELL_TEXT;
    return SRDI_OK;
}

/* Replace *dst with the formatted text; SRDI_ERR_NOMEM (t marked failed) when it cannot be made. */
static srdi_status set_vfmt(srdi_table *t, const char *what, char **dst, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) return srdi_error_set(SRDI_ERR_INTERNAL, "bad format for the %s of %s", what, t->id);
    char *s = malloc((size_t)n + 1);
    if (!s) return table_nomem(t, what);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    free(*dst);
    *dst = s;
    return SRDI_OK;
}

/* srdi_table_set_note, _params and _title: one text field of the table from a format. */
#define TABLE_FMT_SETTER(fn, what, field)                                                                              \
    srdi_status fn(srdi_table *t, const char *fmt, ...)                                                                \
    {                                                                                                                  \
        va_list ap;                                                                                                    \
        va_start(ap, fmt);                                                                                             \
        srdi_status st = set_vfmt(t, what, &t->field, fmt, ap);                                                        \
        va_end(ap);                                                                                                    \
        return st;                                                                                                     \
    }
TABLE_FMT_SETTER(srdi_table_set_note, "note", note)
TABLE_FMT_SETTER(srdi_table_set_params, "parameters", params)
TABLE_FMT_SETTER(srdi_table_set_title, "title", title)

srdi_status srdi_table_set_source(srdi_table *t, const char *s)
{
    char *c = srdi_strdup(s ? s : "");
    if (!c) return table_nomem(t, "source line");
    free(t->source);
    t->source = c;
    return SRDI_OK;
}

srdi_status srdi_table_set_basis(srdi_table *t, const char *col, const char *unit, const char *what)
{
    int c = srdi_table_col(t, col);
    if (c < 0) return srdi_error_set(SRDI_ERR_INTERNAL, "%s has no column '%s' for a basis", t->id, col);
    char *u = srdi_strdup(unit ? unit : ""), *w = srdi_strdup(what ? what : "");
    if (!u || !w) {
        free(u);
        free(w);
        return table_nomem(t, "basis");
    }
    free(t->basis_unit);
    free(t->basis_what);
    t->basis_unit = u;
    t->basis_what = w;
    t->basis_col = c;
    return SRDI_OK;
}

void srdi_table_set_row_basis(srdi_table *t, int row, long long n)
{
    if (row >= 0 && (size_t)row < t->nrows) t->rows[row].basis_n = n < 0 ? -1 : n;
}

/* Does @p s end with "。"? */
static bool ends_stop(const char *s)
{
    size_t l = strlen(s);
    return l >= 3 && strcmp(s + l - 3, "。") == 0;
}

/* Is row @p r's basis count below the table's minimum (a statistic resting on it)? */
static bool basis_small(const srdi_table *t, size_t r)
{
    const srdi_trow *row = &t->rows[r];
    return t->basis_what && t->basis_col >= 0 && (size_t)t->basis_col < t->ncols && row->basis_n > 0 &&
           (double)row->basis_n < t->small_min && strcmp(row->key, "total") != 0 &&
           row->cells[t->basis_col].kind == SRDI_CELL_NUM;
}

srdi_status srdi_table_note_for(const srdi_table *t, size_t shown, char **out, bool *flagged)
{
    if (flagged) *flagged = false;
    *out = NULL;
    srdi_buf b = {0};
    srdi_status s = srdi_buf_puts(&b, t->base_note ? t->base_note : t->note ? t->note : "");
    if (shown > t->nrows) shown = t->nrows;
    size_t nsmall = 0, nbasis = 0;
    for (size_t r = 0; t->base_note && r < shown; r++) {
        nsmall += t->rows[r].small;
        nbasis += basis_small(t, r);
    }
    bool groups = t->base_note && !nsmall && t->small_groups && t->small_groups[0];
    if (!s && (nsmall || groups)) {
        /* rows resting on fewer than min_n observations, at most 8 named */
        s = srdi_buf_puts(&b, b.len && !ends_stop(b.data) ? "。" : "");
        for (size_t r = 0, k = 0; !s && r < shown && k < 8; r++)
            if (t->rows[r].small) s = srdi_buf_printf(&b, "%s%s", k++ ? "、" : "", t->rows[r].label);
        if (!s && groups) s = srdi_buf_puts(&b, t->small_groups);
        if (!s) s = srdi_buf_printf(&b, "%s样本量小于%.0f，仅供参考。", nsmall > 8 ? "等" : "", t->small_min);
    }
    if (!s && nbasis) {
        /* a column resting on a part of each row's observations */
        s = srdi_buf_puts(&b, b.len && !ends_stop(b.data) ? "。" : "");
        for (size_t r = 0, k = 0; !s && r < shown; r++)
            if (basis_small(t, r)) s = srdi_buf_printf(&b, "%s%s", k++ ? "、" : "", t->rows[r].label);
        if (!s)
            s = srdi_buf_printf(&b, "的%s%s仅基于", t->cols[t->basis_col].label, nbasis > 1 ? "分别" : "");
        for (size_t r = 0, k = 0; !s && r < shown; r++)
            if (basis_small(t, r)) s = srdi_buf_printf(&b, "%s%lld%s", k++ ? "、" : "", t->rows[r].basis_n, t->basis_unit);
        if (!s)
            s = srdi_buf_printf(&b, "%s（不足%.0f%s），仅供参考。", t->basis_what, t->small_min, t->basis_unit);
    }
    if (!s && !(*out = srdi_buf_steal(&b))) s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory writing the note of %s", t->id);
    srdi_buf_free(&b);
    if (!s && flagged) *flagged = nsmall || groups || nbasis;
    return s;
}

int srdi_table_row(const srdi_table *t, const char *key)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(t->rows[r].key, key) == 0) return (int)r;
    return -1;
}

int srdi_table_col(const srdi_table *t, const char *key)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].key, key) == 0) return (int)c;
    return -1;
}

const srdi_cell *srdi_table_cell(const srdi_table *t, const char *row, const char *col)
{
    int r = srdi_table_row(t, row), c = srdi_table_col(t, col);
    return (r < 0 || c < 0) ? NULL : &t->rows[r].cells[c];
}

/* ============================================================ formatting */

/* The minus sign of a printed number: U+2212 MINUS SIGN, not the hyphen-minus
   (the Latin faces carry it; the CJK faces do not, so fonts.c sets it in the
   Latin one).  Machine exports (srdi_cell_export) keep the ASCII '-'. */
#define MINUS_SIGN "\xE2\x88\x92"

/*
 * snprintf's "%.*f" of @p v with @p dec decimals into @p raw (of @p size
 * bytes, at least 32).  The numbers of a report's tables are formatted again
 * in every layout pass (13,000 a provincial edition), and glibc's exact
 * conversion took 1.6% of a split's instructions: a value whose scaled
 * magnitude |v| x 10^dec is below 2^50 and not within its rounding error of
 * a tie (half a unit of the last decimal) rounds the same way exactly as
 * computed, so its digits are those of the rounded integer; the sign is
 * printed for any negative value (and -0.0), as glibc prints "-0.00".  Any
 * other value (a tie, many decimals, a large or non-finite one) goes to
 * snprintf.  The same text for every input (test_table_model).
 */
static void fmt_fixed(char *raw, size_t size, int dec, double v)
{
    static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    double a = fabs(v) * (dec >= 0 && dec <= 6 ? p10[dec] : 0);
    double fl = floor(a), fr = a - fl;
    if (dec < 0 || dec > 6 || !(a < 1125899906842624.0) || fabs(fr - 0.5) <= a * 1e-15 + 1e-9 || size < 32) {
        snprintf(raw, size, "%.*f", dec, v);
        return;
    }
    unsigned long long r = (unsigned long long)fl + (fr > 0.5);
    char dig[32];
    int nd = 0;
    do {
        dig[nd++] = (char)('0' + r % 10);
        r /= 10;
    } while (r > 0);
    while (nd <= dec) dig[nd++] = '0'; /* at least one digit before the point */
    size_t k = 0;
    if (signbit(v)) raw[k++] = '-';
    for (int i = nd - 1; i >= 0; i--) {
        raw[k++] = dig[i];
        if (i == dec && dec > 0) raw[k++] = '.';
    }
    raw[k] = '\0';
}

/* Format v with @p dec decimals and thousands separators into buf (no allocation: it cannot fail). */
static size_t fmt_grouped(double v, int dec, int group, char *buf, size_t size)
{
    char raw[64], out[128]; /* raw's digits with at most one separator per digit */
    size_t n = 0;
    fmt_fixed(raw, sizeof raw, dec, v);
    const char *p = raw;
    if (*p == '-') {
        /* "-0.00" after rounding is printed without the sign */
        int allzero = 1;
        for (const char *q = p + 1; *q; q++)
            if (*q >= '1' && *q <= '9') allzero = 0;
        if (!allzero) n = srdi_strlcpy(out, MINUS_SIGN, sizeof out);
        p++;
    }
    const char *dot = strchr(p, '.');
    size_t intlen = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < intlen; i++) {
        if (group && i > 0 && (intlen - i) % 3 == 0) out[n++] = ',';
        out[n++] = p[i];
    }
    out[n] = '\0';
    if (dot) srdi_strlcpy(out + n, dot, sizeof out - n);
    n = srdi_strlcpy(buf, out, size);
    if (n < size) return n;
    if (!size) return 0;
    /* cut short: never inside the minus sign's UTF-8 sequence */
    n = size - 1;
    while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80) n--;
    buf[n] = '\0';
    return n;
}

/*
 * The number rules (GB/T 15835): digits after the point per quantity type,
 * one setting per type for every output (PDF text and tables, chart value
 * labels, Excel number formats).  Set once per run from params.ini [numbers]
 * (srdi_number_rules_load) before anything is formatted; read-only after.
 * Counts and years never carry decimals.
 */
static int g_decimals[SRDI_COL_NUMBER + 1] = {
    [SRDI_COL_TEXT] = 0,     [SRDI_COL_COUNT] = 0, [SRDI_COL_SHARE] = 2, [SRDI_COL_AMOUNT] = 0, [SRDI_COL_RATIO] = 3,
    [SRDI_COL_MULTIPLE] = 2, [SRDI_COL_PP] = 2,    [SRDI_COL_SCORE] = 1, [SRDI_COL_YEAR] = 0,   [SRDI_COL_NUMBER] = 2,
};

static const struct {
    srdi_coltype type;
    const char *key;
} NUMBER_KEYS[] = {
    {SRDI_COL_SHARE, "share_decimals"},   {SRDI_COL_RATIO, "ratio_decimals"}, {SRDI_COL_MULTIPLE, "multiple_decimals"},
    {SRDI_COL_PP, "pp_decimals"},         {SRDI_COL_SCORE, "score_decimals"}, {SRDI_COL_AMOUNT, "amount_decimals"},
    {SRDI_COL_NUMBER, "number_decimals"},
};

void srdi_number_rules_load(const srdi_params *p)
{
    for (size_t i = 0; i < sizeof NUMBER_KEYS / sizeof NUMBER_KEYS[0]; i++) {
        double d = srdi_params_num(p, "numbers", NUMBER_KEYS[i].key, g_decimals[NUMBER_KEYS[i].type]);
        g_decimals[NUMBER_KEYS[i].type] = d < 0 ? 0 : d > 6 ? 6 : (int)d;
    }
}

int srdi_number_decimals(srdi_coltype type, int decimals)
{
    if (type == SRDI_COL_COUNT || type == SRDI_COL_YEAR || type == SRDI_COL_TEXT) return 0;
    /* a column may fix its own digits; the report's tables leave shares, ratios,
       multiples, gaps and scores at -1 so that each follows its quantity's rule */
    if (decimals >= 0) return decimals > 6 ? 6 : decimals;
    return (unsigned)type <= SRDI_COL_NUMBER ? g_decimals[type] : 2;
}

size_t srdi_number_format(double v, srdi_coltype type, int decimals, char *buf, size_t size)
{
    if (!size) return 0;
    buf[0] = 0;
    if (!isfinite(v)) return srdi_strlcpy(buf, "—", size) < size ? strlen(buf) : size - 1;
    int dec = srdi_number_decimals(type, decimals);
    size_t n;
    switch (type) {
    case SRDI_COL_SHARE:
        n = fmt_grouped(v * 100.0, dec, 1, buf, size);
        srdi_strlcpy(buf + n, "%", size - n);
        return strlen(buf);
    case SRDI_COL_MULTIPLE:
        n = fmt_grouped(v, dec, 1, buf, size);
        srdi_strlcpy(buf + n, "倍", size - n);
        return strlen(buf);
    case SRDI_COL_YEAR:
        n = (size_t)snprintf(buf, size, "%.0f", v);
        return n < size ? n : size - 1;
    case SRDI_COL_RATIO:
    case SRDI_COL_PP:
    case SRDI_COL_SCORE:
    default: /* COUNT, AMOUNT, NUMBER, TEXT holding a number */
        return fmt_grouped(v, dec, 1, buf, size);
    }
}

size_t srdi_number_excel_format(srdi_coltype type, int decimals, char *buf, size_t size)
{
    const char *suffix = "";
    if (!size) return 0;
    switch (type) {
    case SRDI_COL_TEXT:
        return srdi_strlcpy(buf, "General", size);
    case SRDI_COL_YEAR:
        return srdi_strlcpy(buf, "0", size);
    case SRDI_COL_SHARE:
        suffix = "%";
        break;
    case SRDI_COL_MULTIPLE:
        suffix = "\"倍\"";
        break;
    default:
        break;
    }
    int d = srdi_number_decimals(type, decimals);
    char zeros[8] = "";
    for (int i = 0; i < d; i++) zeros[i] = '0';
    zeros[d] = '\0';
    int n = snprintf(buf, size, "#,##0%s%s%s", d > 0 ? "." : "", zeros, suffix);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

size_t srdi_cell_format(const srdi_tcol *col, const srdi_cell *c, char *buf, size_t size)
{
    if (!size) return 0;
    buf[0] = 0;
    if (!c || c->kind == SRDI_CELL_ABSENT) return 0;
    if (c->kind == SRDI_CELL_NULL) return srdi_strlcpy(buf, "—", size);
    if (c->kind == SRDI_CELL_TEXT) {
        size_t n = srdi_strlcpy(buf, c->text ? c->text : "", size);
        return n < size ? n : size - 1;
    }
    srdi_tcol eff;
    if (c->fmt) { /* per-cell type override */
        eff = srdi_cell_effective_col(col, c);
        col = &eff;
    }
    return srdi_number_format(c->num, col->type, col->decimals, buf, size);
}

size_t srdi_cell_export(const srdi_cell *c, char *buf, size_t size)
{
    if (!size) return 0;
    buf[0] = 0;
    if (!c || c->kind == SRDI_CELL_ABSENT || c->kind == SRDI_CELL_NULL) return 0;
    if (c->kind == SRDI_CELL_TEXT) {
        size_t n = srdi_strlcpy(buf, c->text ? c->text : "", size);
        return n < size ? n : size - 1;
    }
    double v = c->num == 0 ? 0.0 : c->num;
    /* the shortest of 15, 16, 17 significant digits that reads back exactly */
    int n = snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v) n = snprintf(buf, size, "%.16g", v);
    if (strtod(buf, NULL) != v) n = snprintf(buf, size, "%.17g", v);
    return (size_t)n < size ? (size_t)n : size - 1;
}

/* ============================================================ table sets */

void srdi_tableset_free(srdi_tableset *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) srdi_table_free(s->tables[i]);
    free(s->tables);
    free(s);
}

const srdi_table *srdi_tableset_get(const srdi_tableset *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->tables[i]->id, id) == 0) return s->tables[i];
    return NULL;
}
