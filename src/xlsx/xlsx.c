/*
 * src/xlsx/xlsx.c — bureau workbooks with libxlsxwriter.
 *
 * Layout of a workbook:
 *   说明            title, scope, data vintage, input files, parameters,
 *                   generation time, notes, and a linked list of the tables
 *   "T01 层级结构"  one sheet per table:
 *                     row 1  title (bold, larger)
 *                     row 2  n used and parameters
 *                     row 3  header (bold, bottom border), frozen, autofilter
 *                     rows   label in column A, then one column per table
 *                            column (plus a 全国 column after each numeric
 *                            column when a benchmark set is given)
 *                     below  note line and 资料来源 line
 *                   and a native chart to the right for the tables that
 *                   have one in docs/tables.md's chart list.
 *
 * Numbers are stored as numbers with a number format chosen by column type;
 * NULL statistics are left blank so formulas over the sheet keep working.
 * The file is written to a temporary name and renamed into place; the
 * creation time is the caller's epoch, so equal inputs give equal bytes.
 *
 * libxlsxwriter reports errors per call (lxw_error); the first one is kept
 * in the context and turned into SRDI_ERR_RENDER with lxw_strerror's text.
 */
#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <xlsxwriter/third_party/zip.h>

#include "xlsxwriter_dl.h"

#include "srdi/charts.h"
#include "srdi/tables.h"
#include "srdi/util.h"
#include "srdi/xlsx.h"
#include "xlsx_private.h"

/* ---------------------------------------------------------------- layout (xlsx_private.h) */

/* Label of the benchmark column added after each numeric column. */
static const char XLSX_BENCH_LABEL[] = "全国";

/* One cached number format. */
typedef struct xlsx_numfmt {
    srdi_coltype type;
    int decimals;
    lxw_format *fmt;
} xlsx_numfmt;

/* State of one workbook being written. */
typedef struct xlsx_ctx {
    lxw_workbook *wb;
    lxw_format *f_title;   /* bold 14 pt */
    lxw_format *f_sub;     /* grey italic line under the title */
    lxw_format *f_header;  /* bold, bottom border, wrapped */
    lxw_format *f_section; /* bold section heading on 说明 */
    lxw_format *f_note;    /* note and source lines */
    lxw_format *f_count;   /* "#,##0" for counts on 说明 */
    lxw_format *f_link;    /* hyperlink style */
    xlsx_numfmt numfmts[XLSX_MAX_NUMFMT];
    size_t n_numfmts;
    char **names; /* sheet names in use, each malloc'ed (stable until close) */
    size_t n_names;
    const srdi_params *params; /* top-N rows of the charts (NULL: defaults) */
    const srdi_fignums *nums;  /* the report's 图表 numbers and captions for the chart titles (NULL: 2026's) */
    lxw_error err;             /* first libxlsxwriter error, LXW_NO_ERROR if none */
    char err_where[96];        /* what was being written when err happened */
    srdi_buf text;             /* xlsx_text's result (libxlsxwriter copies what it is given) */
} xlsx_ctx;

/*
 * Remember the first libxlsxwriter error (later ones are usually
 * consequences).  @p where names the sheet or step for the message.
 */
static void xlsx_check(xlsx_ctx *x, lxw_error e, const char *where)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
        x->err = e;
        srdi_strlcpy(x->err_where, where, sizeof x->err_where);
    }
}

/* A failed append of a cell's text (out of memory) fails the workbook instead of leaving the text partial. */
static void xlsx_text_ok(xlsx_ctx *x, srdi_status s)
{
    if (s != SRDI_OK) xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell's text");
}

/* ------------------------------------------------------------ formatting */

/*
 * The cached lxw_format for numbers of a column; created on first use.
 * Returns NULL (Excel's General format) when the cache is full.
 */
static lxw_format *xlsx_numfmt_get(xlsx_ctx *x, const srdi_tcol *col)
{
    int dec = col->decimals;
    for (size_t i = 0; i < x->n_numfmts; i++)
        if (x->numfmts[i].type == col->type && x->numfmts[i].decimals == dec) return x->numfmts[i].fmt;
    if (x->n_numfmts == XLSX_MAX_NUMFMT) return NULL;

    char code[64];
    srdi_number_excel_format(col->type, dec, code, sizeof code);
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) return NULL;
    format_set_num_format(f, code);
    x->numfmts[x->n_numfmts++] = (xlsx_numfmt){col->type, dec, f};
    return f;
}

/* Integer with thousands separators: 1234567 → "1,234,567". */
static void xlsx_group_int(long long v, char *buf, size_t size)
{
    char digits[32];
    char out[48];
    size_t n, o = 0;
    bool neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;

    snprintf(digits, sizeof digits, "%llu", u);
    n = strlen(digits);
    if (neg) out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    srdi_strlcpy(buf, out, size);
}

/*
 * Width in Excel character units for a text: CJK counts 2 (srdi_utf8_width),
 * and so do the dashes, quotes and ellipsis of U+2010–U+2027, which CJK
 * fonts draw full width (“小巨人”); plus 2 for padding.
 */
static size_t xlsx_text_width(const char *s)
{
    size_t w;
    if (!s) return 0;
    w = srdi_utf8_width(s) + 2;
    for (const char *p = s; *p;) {
        int32_t c = srdi_utf8_next(&p);
        if (c >= 0x2010 && c <= 0x2027) w++;
    }
    return w;
}

/* Raise widths[col] to @p w (capped). */
static void xlsx_fit(size_t *widths, lxw_col_t col, size_t w)
{
    if (w > XLSX_MAX_WIDTH) w = XLSX_MAX_WIDTH;
    if (w > widths[col]) widths[col] = w;
}

/*
 * @p s fit for the workbook's XML (see xlsx_private.h): @p s itself when it
 * is clean, else @p b's text (valid until the next call with @p b).
 */
const char *xlsx_text(srdi_buf *b, const char *s)
{
    const char *p = s;
    bool clean = true;
    if (!s) return NULL;
    while (*p && clean) {
        int32_t c = srdi_utf8_next(&p);
        clean = !(c < 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF);
    }
    if (clean) return s;
    srdi_buf_reset(b);
    for (p = s; *p;) {
        const char *q = p;
        int32_t c = srdi_utf8_next(&p);
        if (p == q) p++; /* never stall on a bad byte */
        srdi_status st;
        if (c < 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
            st = srdi_buf_puts(b, "\xEF\xBF\xBD");
        else
            st = srdi_buf_append(b, q, (size_t)(p - q));
        if (st) return NULL; /* out of memory: the caller fails the workbook, never a partial text */
    }
    return b->data ? b->data : "";
}

/* Write a string unless it is NULL or empty (libxlsxwriter skips those). */
static void xlsx_str(xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f,
                     const char *where)
{
    if (!s || !*s) return;
    const char *clean = xlsx_text(&x->text, s);
    if (!clean)
        xlsx_text_ok(x, SRDI_ERR_NOMEM); /* never a cell with part of its text */
    else
        xlsx_check(x, worksheet_write_string(ws, r, c, clean, f), where);
}

/*
 * Write prose (a title, note or explanation) with the report's one CJK
 * spacing rule (srdi_cjk_spacing, GB/T 15834): no space between a Han
 * character and a digit or Latin letter ("2024年", "缺少patents.csv"), as
 * the PDF sets the same text.  Paths and parameter values go through
 * xlsx_str as they are.
 */
static void xlsx_prose(xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f,
                       const char *where)
{
    if (!s || !*s) return;
    char *t = srdi_strdup(s);
    if (!t) {
        xlsx_text_ok(x, SRDI_ERR_NOMEM);
        return;
    }
    srdi_cjk_spacing(t, 0, 0);
    xlsx_str(x, ws, r, c, t, f, where);
    free(t);
}

/* ---------------------------------------------------------- sheet names */

/*
 * Reserve a unique sheet name for (id, short name): the srdi_xlsx_sheet_name
 * form, with " (2)", " (3)" … appended (the base shortened to stay within
 * 31 characters) if Excel would consider it taken (case-insensitive).
 * Returns the stored name (kept alive until the workbook is closed), or NULL
 * on allocation failure.
 */
static const char *xlsx_unique_name(xlsx_ctx *x, const char *id, const char *sheet)
{
    char base[XLSX_NAME_SIZE], cand[XLSX_NAME_SIZE];
    void *grown;

    if (id)
        srdi_xlsx_sheet_name(id, sheet, base, sizeof base);
    else
        srdi_strlcpy(base, sheet, sizeof base);
    srdi_strlcpy(cand, base, sizeof cand);

    for (int k = 2;; k++) {
        bool taken = false;
        for (size_t i = 0; i < x->n_names && !taken; i++) taken = strcasecmp(x->names[i], cand) == 0;
        if (!taken) break;
        /* Keep 31 - strlen(" (k)") code points of the base. */
        char suffix[16];
        int slen = snprintf(suffix, sizeof suffix, " (%d)", k);
        size_t keep = 31 - (size_t)slen, chars = 0, bytes = 0;
        const char *p = base;
        while (*p && chars < keep) {
            srdi_utf8_next(&p);
            chars++;
        }
        bytes = (size_t)(p - base);
        snprintf(cand, sizeof cand, "%.*s%s", (int)bytes, base, suffix);
    }

    grown = realloc(x->names, (x->n_names + 1) * sizeof *x->names);
    if (!grown) {
        srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        return NULL;
    }
    x->names = grown;
    x->names[x->n_names] = srdi_strdup(cand);
    if (!x->names[x->n_names]) return NULL;
    return x->names[x->n_names++];
}

/* ---------------------------------------------------------- table sheets */

/* The optional input a no_data table misses (the table registry's "needs"). */
static const char *xlsx_missing_input(const char *id)
{
    const srdi_table_def *def = srdi_tables_def(id);
    return def && def->needs ? def->needs : "所需的可选输入文件";
}

/*
 * Header text of a table column: its label, with the unit in full-width
 * brackets when it has one ("中位数（万元）").  Caller frees.
 */
static char *xlsx_col_header(const srdi_tcol *col)
{
    srdi_buf b = {0};
    const char *label = col->label && *col->label ? col->label : (col->key ? col->key : "");
    srdi_status st =
        col->unit && *col->unit ? srdi_buf_printf(&b, "%s（%s）", label, col->unit) : srdi_buf_puts(&b, label);
    if (st) { /* never a header cut short: the caller fails the workbook */
        srdi_buf_free(&b);
        return NULL;
    }
    return srdi_buf_steal(&b);
}

/*
 * Write one cell of a table at (r, c): numbers with the column's format,
 * text as strings, NULL and ABSENT left blank.  Raises the column width.
 */
static void xlsx_write_cell(xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const srdi_tcol *col,
                            const srdi_cell *cell, size_t *widths, const char *sheet)
{
    char shown[96];
    if (!cell) return;
    switch (cell->kind) {
    case SRDI_CELL_NUM: {
        /* a row may override its column's type (T02 multiple / gap_pp rows) */
        srdi_tcol eff = srdi_cell_effective_col(col, cell);
        xlsx_check(x, worksheet_write_number(ws, r, c, cell->num, xlsx_numfmt_get(x, &eff)), sheet);
        srdi_cell_format(col, cell, shown, sizeof shown);
        xlsx_fit(widths, c, xlsx_text_width(shown));
        break;
    }
    case SRDI_CELL_TEXT:
        xlsx_str(x, ws, r, c, cell->text, NULL, sheet);
        xlsx_fit(widths, c, xlsx_text_width(cell->text));
        break;
    case SRDI_CELL_NULL:
    case SRDI_CELL_ABSENT:
    default:
        break;
    }
}

/*
 * True when @p t and its benchmark @p bt hold the same rows and values:
 * a table over the whole data in every edition (T13, T14), which needs no
 * benchmark column.
 */
static bool xlsx_same_table(const srdi_table *t, const srdi_table *bt)
{
    if (!t || !bt || t->n != bt->n || t->nrows != bt->nrows || t->ncols != bt->ncols) return false;
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(t->rows[r].key ? t->rows[r].key : "", bt->rows[r].key ? bt->rows[r].key : "") != 0) return false;
        for (size_t c = 0; c < t->ncols; c++) {
            const srdi_cell *a = &t->rows[r].cells[c], *b = &bt->rows[r].cells[c];
            if (a->kind != b->kind) return false;
            if (a->kind == SRDI_CELL_NUM && a->num != b->num) return false;
            if (a->kind == SRDI_CELL_TEXT && strcmp(a->text ? a->text : "", b->text ? b->text : "") != 0) return false;
        }
    }
    return true;
}

/*
 * The rows of a benchmark table by key, for the cells of its columns beside
 * an edition's rows: srdi_table_cell searches the rows and the columns for
 * every cell, which made a long table's sheet (T16's cities, T20's classes)
 * quadratic.  Open addressing; the first row of a key wins, as there.
 */
typedef struct xlsx_rowidx {
    const srdi_table *t;
    int *slot; /* row index + 1; 0: empty */
    size_t mask;
} xlsx_rowidx;

static size_t xlsx_key_hash(const char *k)
{
    size_t h = 1469598103934665603ull & SIZE_MAX;
    for (; *k; k++) h = (h ^ (unsigned char)*k) * (1099511628211ull & SIZE_MAX);
    return h;
}

/* Index @p t's rows (NULL: an empty index); false when out of memory. */
static bool xlsx_rowidx_make(xlsx_rowidx *ix, const srdi_table *t)
{
    memset(ix, 0, sizeof *ix);
    ix->t = t;
    if (!t || t->nrows == 0) return true;
    size_t cap = 16;
    while (cap < 2 * t->nrows) cap *= 2;
    if (!(ix->slot = calloc(cap, sizeof *ix->slot))) return false;
    ix->mask = cap - 1;
    for (size_t r = 0; r < t->nrows && r < INT_MAX; r++) {
        const char *k = t->rows[r].key;
        for (size_t i = xlsx_key_hash(k) & ix->mask;; i = (i + 1) & ix->mask) {
            if (ix->slot[i] == 0) {
                ix->slot[i] = (int)r + 1;
                break;
            }
            if (strcmp(t->rows[ix->slot[i] - 1].key, k) == 0) break; /* a later row of the same key */
        }
    }
    return true;
}

/* The cell of row @p key, column @p col (an index of ix->t, or < 0) of the indexed table, or NULL: as srdi_table_cell. */
static const srdi_cell *xlsx_rowidx_cell(const xlsx_rowidx *ix, const char *key, int col)
{
    if (!ix->slot || col < 0) return NULL;
    for (size_t i = xlsx_key_hash(key) & ix->mask; ix->slot[i] != 0; i = (i + 1) & ix->mask) {
        const srdi_trow *row = &ix->t->rows[ix->slot[i] - 1];
        if (strcmp(row->key, key) == 0) return &row->cells[col];
    }
    return NULL;
}

/*
 * The sheet of one table (see the file comment for the layout).  @p bt is
 * the national table of the same id for the 全国 columns, or NULL.
 * Returns SRDI_OK or SRDI_ERR_NOMEM; libxlsxwriter errors go to x->err.
 */
static srdi_status xlsx_table_sheet(xlsx_ctx *x, const srdi_table *t, const srdi_table *bt, bool bench,
                                    const srdi_table *pt, const srdi_xlsx_info *info)
{
    srdi_status st = SRDI_OK;
    const char *sheet = xlsx_unique_name(x, t->id, t->sheet);
    lxw_worksheet *ws;
    lxw_col_t *colmap = NULL, *benchmap = NULL, *provmap = NULL, ncol_sheet = 1;
    /* a table over the whole data (the same in every edition) gets no benchmark */
    bool whole = bench && xlsx_same_table(t, bt) && (!pt || xlsx_same_table(t, pt));
    if (whole) bench = false;
    const char *scope = info && info->scope && bench ? info->scope : NULL; /* named in headers */
    const char *pname = bench && info && info->province_bench && info->province ? info->province : NULL;
    size_t *widths = NULL;
    int *pcol = NULL, *bcol = NULL; /* the column of pt / bt of each column of t */
    xlsx_rowidx pix = {0}, bix = {0};
    srdi_buf b = {0};
    char num[48];

    if (!sheet) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory naming a worksheet");
    ws = workbook_add_worksheet(x->wb, sheet);
    if (!ws) {
        xlsx_check(x, LXW_ERROR_SHEETNAME_ALREADY_USED, sheet);
        return SRDI_OK;
    }

    { /* "T15 TOP10行业…": the id, a space, the title under the spacing rule */
        char *title = srdi_strdup(t->title ? t->title : "");
        if (title) srdi_cjk_spacing(title, 0, 0);
        xlsx_text_ok(x, title ? srdi_buf_printf(&b, "%s %s", t->id, title) : SRDI_ERR_NOMEM);
        free(title);
    }
    xlsx_str(x, ws, XLSX_TITLE_ROW, 0, b.data, x->f_title, sheet);
    xlsx_check(x, worksheet_set_row(ws, XLSX_TITLE_ROW, 21, NULL), sheet);

    if (t->no_data) {
        srdi_buf_reset(&b);
        xlsx_text_ok(x, srdi_buf_printf(&b, "暂无数据：缺少%s，本表未计算。", xlsx_missing_input(t->id)));
        xlsx_prose(x, ws, XLSX_SUB_ROW, 0, b.data, x->f_note, sheet);
        if (t->note && *t->note) {
            srdi_buf_reset(&b);
            xlsx_text_ok(x, srdi_buf_printf(&b, "注：%s", t->note));
            xlsx_prose(x, ws, XLSX_HDR_ROW, 0, b.data, x->f_note, sheet);
        }
        xlsx_check(x, worksheet_set_column(ws, 0, 0, 12, NULL), sheet);
        goto cleanup;
    }

    /* Sheet column of every table column, and of its 全国 column. */
    colmap = calloc(t->ncols + 1, sizeof *colmap);
    benchmap = calloc(t->ncols + 1, sizeof *benchmap);
    provmap = calloc(t->ncols + 1, sizeof *provmap);
    widths = calloc(3 * t->ncols + 2, sizeof *widths);
    pcol = calloc(t->ncols + 1, sizeof *pcol);
    bcol = calloc(t->ncols + 1, sizeof *bcol);
    if (!colmap || !benchmap || !provmap || !widths || !pcol || !bcol || !xlsx_rowidx_make(&pix, pt) ||
        !xlsx_rowidx_make(&bix, bt)) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        colmap[c] = ncol_sheet++;
        benchmap[c] = provmap[c] = 0;
        if (bench && pname && t->cols[c].type != SRDI_COL_TEXT) provmap[c] = ncol_sheet++;
        if (bench && t->cols[c].type != SRDI_COL_TEXT) benchmap[c] = ncol_sheet++;
        pcol[c] = pt ? srdi_table_col(pt, t->cols[c].key) : -1;
        bcol[c] = bt ? srdi_table_col(bt, t->cols[c].key) : -1;
    }

    /* Row 2: n and parameters. */
    srdi_buf_reset(&b);
    xlsx_group_int(t->n, num, sizeof num);
    xlsx_text_ok(x, srdi_buf_printf(&b, "样本量n = %s", num));
    if (t->params && *t->params) xlsx_text_ok(x, srdi_buf_printf(&b, "；参数：%s", t->params));
    if (whole) xlsx_text_ok(x, srdi_buf_puts(&b, "；本表为全国口径（各地区版本相同）"));
    if (bench && pname)
        xlsx_text_ok(x, srdi_buf_printf(&b, "；“%s”“全国”列为%s、全国同口径数值", pname, pname));
    else if (bench)
        xlsx_text_ok(x, srdi_buf_puts(&b, "；“全国”列为全国同口径数值"));
    xlsx_str(x, ws, XLSX_SUB_ROW, 0, b.data, x->f_sub, sheet);

    /* Header row. */
    xlsx_str(x, ws, XLSX_HDR_ROW, 0, "项目", x->f_header, sheet);
    xlsx_fit(widths, 0, XLSX_MIN_WIDTH);
    for (size_t c = 0; c < t->ncols; c++) {
        char *h = xlsx_col_header(&t->cols[c]);
        if (!h) {
            st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        if (scope && benchmap[c]) {
            /* the column's own header names the scope: "企业数量（家）" over "江苏省" */
            srdi_buf hb = {0};
            xlsx_text_ok(x, srdi_buf_printf(&hb, "%s\n%s", h, scope));
            xlsx_str(x, ws, XLSX_HDR_ROW, colmap[c], hb.data, x->f_header, sheet);
            xlsx_fit(widths, colmap[c], xlsx_text_width(scope));
            srdi_buf_free(&hb);
        } else {
            xlsx_str(x, ws, XLSX_HDR_ROW, colmap[c], h, x->f_header, sheet);
        }
        xlsx_fit(widths, colmap[c], xlsx_text_width(h));
        free(h);
        if (provmap[c]) {
            xlsx_str(x, ws, XLSX_HDR_ROW, provmap[c], pname, x->f_header, sheet);
            xlsx_fit(widths, provmap[c], xlsx_text_width(pname));
        }
        if (benchmap[c]) {
            xlsx_str(x, ws, XLSX_HDR_ROW, benchmap[c], XLSX_BENCH_LABEL, x->f_header, sheet);
            xlsx_fit(widths, benchmap[c], xlsx_text_width(XLSX_BENCH_LABEL));
        }
    }

    /* Data rows. */
    for (size_t r = 0; r < t->nrows; r++) {
        const srdi_trow *row = &t->rows[r];
        lxw_row_t sr = (lxw_row_t)(XLSX_DATA_ROW + r);
        const char *label = row->label && *row->label ? row->label : row->key;
        xlsx_str(x, ws, sr, 0, label, NULL, sheet);
        xlsx_fit(widths, 0, xlsx_text_width(label));
        for (size_t c = 0; c < t->ncols; c++) {
            xlsx_write_cell(x, ws, sr, colmap[c], &t->cols[c], &row->cells[c], widths, sheet);
            if (provmap[c] && pt)
                xlsx_write_cell(x, ws, sr, provmap[c], &t->cols[c], xlsx_rowidx_cell(&pix, row->key, pcol[c]), widths,
                                sheet);
            if (benchmap[c] && bt)
                xlsx_write_cell(x, ws, sr, benchmap[c], &t->cols[c], xlsx_rowidx_cell(&bix, row->key, bcol[c]), widths,
                                sheet);
        }
    }

    /* Frozen header, autofilter over header + data. */
    worksheet_freeze_panes(ws, XLSX_DATA_ROW, 0);
    {
        lxw_row_t last = (lxw_row_t)(XLSX_HDR_ROW + t->nrows);
        xlsx_check(x, worksheet_autofilter(ws, XLSX_HDR_ROW, 0, last, ncol_sheet - 1), sheet);
    }

    /* Note, blank-cell explanation and source under the table, after one blank row. */
    {
        lxw_row_t r = (lxw_row_t)(XLSX_DATA_ROW + t->nrows + 1);
        if (t->note && *t->note) {
            srdi_buf_reset(&b);
            xlsx_text_ok(x, srdi_buf_printf(&b, "注：%s", t->note));
            xlsx_prose(x, ws, r++, 0, b.data, x->f_note, sheet);
        }
        xlsx_str(x, ws, r++, 0, "空白单元格表示该项统计量无数据（文档中显示为“—”）或不适用。", x->f_note, sheet);
        if (t->source && *t->source) {
            srdi_buf_reset(&b);
            if (strncmp(t->source, "资料来源", strlen("资料来源")) != 0)
                xlsx_text_ok(x, srdi_buf_puts(&b, "资料来源："));
            xlsx_text_ok(x, srdi_buf_puts(&b, t->source));
            xlsx_prose(x, ws, r, 0, b.data, x->f_note, sheet);
        }
    }

    /* Printing: A4 landscape, one page wide (table and chart), header repeated. */
    worksheet_set_paper(ws, XLSX_PAPER_A4);
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    xlsx_check(x, worksheet_repeat_rows(ws, XLSX_HDR_ROW, XLSX_HDR_ROW), sheet);

    for (lxw_col_t c = 0; c < ncol_sheet; c++) {
        size_t w = widths[c] < XLSX_MIN_WIDTH ? XLSX_MIN_WIDTH : widths[c];
        xlsx_check(x, worksheet_set_column(ws, c, c, (double)w, NULL), sheet);
    }
    xlsx_check(x, xlsx_table_charts(x->wb, x->params, x->nums, ws, sheet, t, colmap, (lxw_col_t)(ncol_sheet + 1)), sheet);

cleanup:
    srdi_buf_free(&b);
    free(pix.slot);
    free(bix.slot);
    free(pcol);
    free(bcol);
    free(colmap);
    free(benchmap);
    free(provmap);
    free(widths);
    return st;
}

/* -------------------------------------------------------------- 说明 sheet */

/* "2026-01-01 00:00:00 UTC" for an epoch. */
static void xlsx_format_epoch(long long epoch, char *buf, size_t size)
{
    time_t tt = (time_t)epoch;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(buf, size, "%lld", epoch);
}

/* Write "key | value" at row r of the 说明 sheet. */
static void xlsx_kv(xlsx_ctx *x, lxw_worksheet *ws, lxw_row_t r, const char *k, const char *v)
{
    xlsx_str(x, ws, r, 0, k, x->f_section, "说明");
    xlsx_str(x, ws, r, 1, v, NULL, "说明");
}

/*
 * The first sheet: what the workbook is, where its numbers come from, and
 * a linked list of the table sheets (names in @p names, one per table).
 */
static void xlsx_info_sheet(xlsx_ctx *x, lxw_worksheet *ws, const srdi_tableset *tables, const char *const *names,
                            bool bench, const srdi_xlsx_info *info, const char *title)
{
    static const char *const file_names[SRDI_FILE_COUNT] = {"enterprises.csv", "financials.csv", "patents.csv"};
    static const char *const file_headers[] = {"文件", "路径", "编码", "读取行数", "接受", "拒绝"};
    static const char *const toc_headers[] = {"编号", "工作表", "标题", "样本量n", "状态"};
    const srdi_dataset *d = info ? info->d : NULL;
    srdi_buf b = {0};
    char buf[96];
    lxw_row_t r = 0;
    int year = srdi_dataset_latest_fin_year(d);

    xlsx_str(x, ws, r, 0, title, x->f_title, "说明");
    xlsx_check(x, worksheet_set_row(ws, r, 21, NULL), "说明");
    r += 2;
    xlsx_kv(x, ws, r++, "数据范围", info && info->scope ? info->scope : "全国");
    if (year > 0) {
        snprintf(buf, sizeof buf, "%d年（financials.csv中的最新年度）", year);
        xlsx_kv(x, ws, r++, "数据年份", buf);
    } else {
        xlsx_kv(x, ws, r++, "数据年份", "—（未提供财务数据financials.csv）");
    }
    xlsx_format_epoch(info ? info->epoch : 0, buf, sizeof buf);
    xlsx_kv(x, ws, r++, "生成时间", buf);
    xlsx_kv(x, ws, r++, "生成程序", "srdi-report");
    if (d && d->synthetic) xlsx_kv(x, ws, r++, "数据性质", "合成样本数据（非真实企业）");
    { /* tables left without data by a missing optional input */
        srdi_buf nd = {0};
        for (size_t i = 0; tables && i < tables->n; i++)
            if (tables->tables[i]->no_data)
                xlsx_text_ok(x, srdi_buf_printf(&nd, "%s%s", nd.len ? "、" : "", tables->tables[i]->id));
        if (nd.len) xlsx_kv(x, ws, r++, "无数据的表", nd.data);
        srdi_buf_free(&nd);
    }
    r++;

    /* Input files. */
    xlsx_str(x, ws, r++, 0, "输入文件", x->f_section, "说明");
    for (size_t i = 0; i < sizeof file_headers / sizeof file_headers[0]; i++)
        xlsx_str(x, ws, r, (lxw_col_t)i, file_headers[i], x->f_header, "说明");
    r++;
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        const srdi_file_stats *fs = d ? &d->files[f] : NULL;
        xlsx_str(x, ws, r, 0, file_names[f], NULL, "说明");
        if (!fs || !fs->present) {
            xlsx_str(x, ws, r, 1, "未提供", NULL, "说明");
        } else {
            xlsx_str(x, ws, r, 1, fs->path, NULL, "说明");
            xlsx_str(x, ws, r, 2, fs->encoding, NULL, "说明");
            xlsx_check(x, worksheet_write_number(ws, r, 3, (double)fs->read, x->f_count), "说明");
            xlsx_check(x, worksheet_write_number(ws, r, 4, (double)fs->accepted, x->f_count), "说明");
            xlsx_check(x, worksheet_write_number(ws, r, 5, (double)fs->rejected, x->f_count), "说明");
        }
        r++;
    }
    r++;

    /* Parameters. */
    xlsx_str(x, ws, r++, 0, "参数", x->f_section, "说明");
    xlsx_str(x, ws, r, 0, "参数", x->f_header, "说明");
    xlsx_str(x, ws, r, 1, "值", x->f_header, "说明");
    r++;
    {
        int np = info && info->params ? srdi_params_count(info->params) : 0;
        if (np == 0) xlsx_str(x, ws, r++, 0, "（全部使用默认值）", NULL, "说明");
        for (int i = 0; i < np; i++) {
            const char *sec = NULL, *key = NULL, *val = NULL;
            srdi_params_entry(info->params, i, &sec, &key, &val);
            srdi_buf_reset(&b);
            xlsx_text_ok(x, srdi_buf_printf(&b, "%s.%s", sec ? sec : "", key ? key : ""));
            xlsx_str(x, ws, r, 0, b.data, NULL, "说明");
            xlsx_str(x, ws, r, 1, val, NULL, "说明");
            r++;
        }
    }
    r++;

    /* Notes. */
    xlsx_str(x, ws, r++, 0, "说明", x->f_section, "说明");
    xlsx_str(x, ws, r++, 0, "每张表一个工作表；数值以数字存储，并按列类型设置数字格式（占比显示为百分比）。", NULL,
             "说明");
    xlsx_str(x, ws, r++, 0,
             "空白单元格表示该项统计量无数据（空集或无法计算，文档中显示为“—”）或不适用；"
             "留空而非填“—”，以便公式照常计算。",
             NULL, "说明");
    xlsx_str(x, ws, r++, 0, "缺少所需可选输入文件（financials.csv、patents.csv）的表标为“暂无数据”，不以0填充。",
             NULL, "说明");
    if (bench && info && info->province_bench && info->province) {
        srdi_buf_reset(&b);
        xlsx_text_ok(x,
                     srdi_buf_printf(&b,
                                     "每个数值列（表头第二行注明%s）后的“%s”“全国”列为%s、全国同口径数值，便于对照；"
                                     "%s或全国无此行时留空。",
                                     info->scope ? info->scope : "", info->province, info->province, info->province));
        xlsx_str(x, ws, r++, 0, b.data, NULL, "说明");
    } else if (bench) {
        xlsx_str(x, ws, r++, 0, "每个数值列后的“全国”列为全国同口径数值，便于对照；全国无此行时留空。", NULL, "说明");
    }
    r++;

    /* Table of contents with links. */
    xlsx_str(x, ws, r++, 0, "表目录", x->f_section, "说明");
    for (size_t i = 0; i < sizeof toc_headers / sizeof toc_headers[0]; i++)
        xlsx_str(x, ws, r, (lxw_col_t)i, toc_headers[i], x->f_header, "说明");
    r++;
    for (size_t i = 0; tables && i < tables->n; i++) {
        const srdi_table *t = tables->tables[i];
        srdi_buf_reset(&b);
        xlsx_text_ok(x, srdi_buf_puts(&b, "internal:'"));
        for (const char *p = names[i]; *p; p++) /* quotes doubled inside '…' */
            xlsx_text_ok(x, srdi_buf_append(&b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1));
        xlsx_text_ok(x, srdi_buf_puts(&b, "'!A1"));
        xlsx_str(x, ws, r, 0, t->id, NULL, "说明");
        if (b.data) xlsx_check(x, worksheet_write_url_opt(ws, r, 1, b.data, x->f_link, names[i], NULL), "说明");
        xlsx_prose(x, ws, r, 2, t->title, NULL, "说明");
        xlsx_check(x, worksheet_write_number(ws, r, 3, (double)t->n, x->f_count), "说明");
        xlsx_str(x, ws, r, 4, t->no_data ? "暂无数据" : "", NULL, "说明");
        r++;
    }

    worksheet_set_paper(ws, XLSX_PAPER_A4);
    worksheet_fit_to_pages(ws, 1, 0);
    xlsx_check(x, worksheet_set_column(ws, 0, 0, 18, NULL), "说明");
    xlsx_check(x, worksheet_set_column(ws, 1, 1, 36, NULL), "说明");
    xlsx_check(x, worksheet_set_column(ws, 2, 2, 44, NULL), "说明");
    xlsx_check(x, worksheet_set_column(ws, 3, 5, 12, NULL), "说明");
    srdi_buf_free(&b);
}

/* ---------------------------------------------------------------- formats */

/* Create the shared cell formats. */
static void xlsx_make_formats(xlsx_ctx *x)
{
    x->f_title = workbook_add_format(x->wb);
    format_set_bold(x->f_title);
    format_set_font_size(x->f_title, 14);

    x->f_sub = workbook_add_format(x->wb);
    format_set_italic(x->f_sub);
    format_set_font_color(x->f_sub, 0x595959);

    x->f_header = workbook_add_format(x->wb);
    format_set_bold(x->f_header);
    format_set_bottom(x->f_header, LXW_BORDER_THIN);
    format_set_bg_color(x->f_header, 0xF2F2F2);
    format_set_text_wrap(x->f_header);
    format_set_align(x->f_header, LXW_ALIGN_VERTICAL_CENTER);

    x->f_section = workbook_add_format(x->wb);
    format_set_bold(x->f_section);

    x->f_note = workbook_add_format(x->wb);
    format_set_font_size(x->f_note, 9);
    format_set_font_color(x->f_note, 0x595959);

    x->f_count = workbook_add_format(x->wb);
    format_set_num_format(x->f_count, "#,##0");

    x->f_link = workbook_add_format(x->wb);
    format_set_underline(x->f_link, LXW_UNDERLINE_SINGLE);
    format_set_font_color(x->f_link, LXW_COLOR_BLUE);
}

/* ------------------------------------------------------------ public entry */

/*
 * libxlsxwriter's scratch files, in memory.  The library writes each XML
 * part of a workbook (about 115 for 35 sheets with charts) to a scratch
 * file from lxw_tmpfile, then rewinds it and reads it back into the zip:
 * a create, an unlink, writes, a seek and reads, ~0.1 ms of kernel time
 * per part on a disk file system and still ~10% of a --split city
 * workbook's CPU on tmpfs.  libxlsxwriter 1.1.4 calls its exported
 * lxw_tmpfile through its PLT, so the definition below (in the program,
 * which the dynamic linker searches first: ELF symbol interposition, as
 * src/canvas/hpdf.c does for libharu) replaces it: a stdio stream over a
 * growing buffer (fopencookie), which the library writes (fprintf,
 * fwrite), flushes, rewinds, reads (fread, feof) and closes exactly as a
 * file.  The workbook's bytes do not change.  When memory runs out
 * creating the stream, the library's own lxw_tmpfile makes a file (in
 * $TMPDIR, else /dev/shm, else its own choice: xlsx_scratch_dir); when it
 * runs out while a part is written, the write fails and srdi_xlsx_write
 * reports it (xlsx_scratch_failed) instead of zipping a cut part.
 */

typedef struct mem_scratch {
    char *data;
    size_t len, cap, pos;
} mem_scratch;

static _Thread_local bool xlsx_scratch_failed; /* a scratch write ran out of memory on this thread */

static ssize_t scratch_read(void *cookie, char *buf, size_t n)
{
    mem_scratch *m = cookie;
    size_t k = m->pos < m->len ? m->len - m->pos : 0;
    if (k > n) k = n;
    if (k) memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return (ssize_t)k;
}

static ssize_t scratch_write(void *cookie, const char *buf, size_t n)
{
    mem_scratch *m = cookie;
    if (n > SIZE_MAX - m->pos || srdi_grow((void **)&m->data, &m->cap, m->pos + n, 1) != SRDI_OK) {
        xlsx_scratch_failed = true;
        return -1;
    }
    memcpy(m->data + m->pos, buf, n);
    m->pos += n;
    if (m->pos > m->len) m->len = m->pos;
    return (ssize_t)n;
}

static int scratch_seek(void *cookie, off64_t *off, int whence)
{
    mem_scratch *m = cookie;
    off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off64_t)m->pos : (off64_t)m->len;
    if (*off < -base) return -1;
    m->pos = (size_t)(base + *off);
    *off = (off64_t)m->pos;
    return 0;
}

static int scratch_close(void *cookie)
{
    mem_scratch *m = cookie;
    free(m->data);
    free(m);
    return 0;
}

/* Where the library's own lxw_tmpfile makes its files: $TMPDIR, else /dev/shm, else its own choice (NULL). */
static char *xlsx_scratch_dir(char *buf, size_t size)
{
    const char *t = getenv("TMPDIR");
    if (t && *t && strlen(t) < size) return strcpy(buf, t);
    if (access("/dev/shm", W_OK | X_OK) == 0 && size > 8) return strcpy(buf, "/dev/shm");
    return NULL;
}

FILE *lxw_tmpfile(char *tmpdir)
{
    static const cookie_io_functions_t io = {scratch_read, scratch_write, scratch_seek, scratch_close};
    mem_scratch *m = calloc(1, sizeof *m);
    FILE *f = m ? fopencookie(m, "w+", io) : NULL;
    if (f) return f;
    free(m);
    FILE *(*real)(char *) = (FILE * (*)(char *)) dlsym(RTLD_NEXT, "lxw_tmpfile");
    char scratch[1024];
    return real ? real(tmpdir ? tmpdir : xlsx_scratch_dir(scratch, sizeof scratch)) : NULL;
}

/*
 * The zip's deflate level.  libxlsxwriter 1.1.4 adds every part with
 * zlib's default level (6) through minizip's zipOpenNewFileInZip4_64,
 * called through its PLT: interposed here as lxw_tmpfile is, to ask for
 * XLSX_ZLEVEL instead.  On the XML of a workbook level 1 takes about a
 * third of level 6's CPU for parts about a quarter larger (see the commit
 * that made it); the parts read back the same (any inflate reads any
 * level).  Every other argument is passed through.
 */
#define XLSX_ZLEVEL 1

typedef int (*zip_open_fn)(zipFile, const char *, const zip_fileinfo *, const void *, uInt, const void *, uInt,
                           const char *, int, int, int, int, int, int, const char *, uLong, uLong, uLong, int);

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local, const void *extrafield_global,
                            uInt size_extrafield_global, const char *comment, int method, int level, int raw,
                            int windowBits, int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64)
{
    static _Atomic(zip_open_fn) fn;
    zip_open_fn real = atomic_load(&fn);
    if (!real) {
        real = (zip_open_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        atomic_store(&fn, real);
    }
    if (!real) return ZIP_INTERNALERROR;
    if (method == Z_DEFLATED && level == Z_DEFAULT_COMPRESSION) level = XLSX_ZLEVEL;
    return real(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy, password,
                crcForCrypting, versionMadeBy, flagBase, zip64);
}

/*
 * Write the workbook (see xlsx.h and the file comment).  The file appears
 * at @p path only when everything succeeded.
 */
srdi_status srdi_xlsx_write(const char *path, const srdi_tableset *tables, const srdi_tableset *bench,
                            const srdi_xlsx_info *info)
{
    srdi_status st = SRDI_OK;
    xlsx_ctx x = {.err = LXW_NO_ERROR, .params = info ? info->params : NULL, .nums = info ? info->fignums : NULL};
    char *tmp = NULL;
    const char **names = NULL;
    lxw_worksheet *ws_info;
    lxw_doc_properties props;
    lxw_error e;
    srdi_buf title = {0};
    size_t ntab = tables ? tables->n : 0;

    if (!path) return srdi_error_set(SRDI_ERR_USAGE, "srdi_xlsx_write: no output path");
    if ((st = srdi_lxw_load())) goto cleanup; /* the library, on the run's first workbook */
    if ((st = srdi_tmp_path(path, &tmp))) goto cleanup; /* the message names the file and the cause */
    names = calloc(ntab + 1, sizeof *names);
    if (!names) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto cleanup;
    }

    xlsx_scratch_failed = false;
    x.wb = workbook_new(tmp);
    if (!x.wb) {
        st = srdi_error_set(SRDI_ERR_RENDER, "%s: libxlsxwriter could not start a workbook", path);
        goto cleanup;
    }
    xlsx_make_formats(&x);

    xlsx_text_ok(&x, srdi_buf_printf(
                         &title, "%s：数据工作簿",
                         srdi_params_str(info ? info->params : NULL, "report", "title", "专精特新企业培育发展报告")));
    memset(&props, 0, sizeof props);
    const char *clean = title.data ? xlsx_text(&x.text, title.data) : NULL;
    if (!clean)
        xlsx_text_ok(&x, SRDI_ERR_NOMEM);
    else if (clean != title.data) { /* a control character in [report] title */
        srdi_buf_reset(&title);
        xlsx_text_ok(&x, srdi_buf_puts(&title, x.text.data));
    }
    props.title = title.data;
    props.author = "srdi-report";
    props.comments = "Generated by srdi-report";
    /* 0 would make libxlsxwriter stamp the current time. */
    props.created = (time_t)(info && info->epoch > 0 ? info->epoch : 1);
    xlsx_check(&x, workbook_set_properties(x.wb, &props), "document properties");

    if (!xlsx_unique_name(&x, NULL, "说明")) {
        st = SRDI_ERR_NOMEM;
        goto abandon;
    }
    ws_info = workbook_add_worksheet(x.wb, "说明");
    if (!ws_info) xlsx_check(&x, LXW_ERROR_SHEETNAME_ALREADY_USED, "说明");

    for (size_t i = 0; i < ntab; i++) {
        const srdi_table *t = tables->tables[i];
        const srdi_table *bt = bench ? srdi_tableset_get(bench, t->id) : NULL;
        const srdi_table *pt = info && info->province_bench ? srdi_tableset_get(info->province_bench, t->id) : NULL;
        st = xlsx_table_sheet(&x, t, bt, bench != NULL, pt, info);
        if (st != SRDI_OK) goto abandon;
        names[i] = x.names[x.n_names - 1];
    }
    if (ws_info) xlsx_info_sheet(&x, ws_info, tables, names, bench != NULL, info, title.data);
    if (x.err == LXW_ERROR_MEMORY_MALLOC_FAILED) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "%s: %s: out of memory", path, x.err_where);
        goto abandon;
    }
    if (x.err != LXW_NO_ERROR) {
        st = srdi_error_set(SRDI_ERR_RENDER, "%s: %s: %s", path, x.err_where, lxw_strerror(x.err));
        goto abandon;
    }

    e = workbook_close(x.wb);
    x.wb = NULL;
    if (e == LXW_NO_ERROR && xlsx_scratch_failed) {
        unlink(tmp);
        st = srdi_error_set(SRDI_ERR_NOMEM, "%s: cannot write workbook: out of memory", path);
        goto cleanup;
    }
    if (e != LXW_NO_ERROR) {
        unlink(tmp);
        st = srdi_error_set(SRDI_ERR_RENDER, "%s: cannot write workbook: %s", path, lxw_strerror(e));
        goto cleanup;
    }
    st = srdi_rename_into_place(tmp, path);
    goto cleanup;

abandon:
    /* Free without writing anything; remove a temp file if one exists. */
    lxw_workbook_free(x.wb);
    x.wb = NULL;
    unlink(tmp);
cleanup:
    srdi_buf_free(&title);
    srdi_buf_free(&x.text);
    for (size_t i = 0; i < x.n_names; i++) free(x.names[i]);
    free(x.names);
    free(names);
    free(tmp);
    return st;
}
