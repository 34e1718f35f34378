/*
 * src/report/bench.c — a computed table as a regional edition prints it:
 * each numeric column of the region followed by the same statistic over a
 * city edition's province and over the whole data set (全国), as the
 * workbook's benchmark columns; the city table (T16) with the ranks within
 * the scope and in the nation instead.  A table the same in every edition
 * (T13, T14) and the national report print as computed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/tables.h"
#include "srdi/util.h"
#include "report_private.h"

/*
 * At most this many columns of a table get benchmark columns (one benchmark;
 * two), and a table keeps at most BENCH_MAX_COLS value columns where it can:
 * the page is narrow.
 */
enum { BENCH_COLS_ONE = 3, BENCH_COLS_TWO = 2, BENCH_MAX_COLS = 7 };

/* Do @p a and @p b hold the same rows and numbers (a table over the whole data)? */
static bool same_table(const srdi_table *a, const srdi_table *b)
{
    if (a->n != b->n || a->nrows != b->nrows || a->ncols != b->ncols) return false;
    for (size_t r = 0; r < a->nrows; r++) {
        if (strcmp(a->rows[r].key, b->rows[r].key) != 0) return false;
        for (size_t c = 0; c < a->ncols; c++) {
            const srdi_cell *x = &a->rows[r].cells[c], *y = &b->rows[r].cells[c];
            if (x->kind != y->kind || (x->kind == SRDI_CELL_NUM && x->num != y->num)) return false;
        }
    }
    return true;
}

/*
 * Is column @p c one the edition compares with its benchmarks?  Not text,
 * gaps, multiples, ranks or years, nor sample sizes (n, *_n).
 */
static bool benchmarked(const srdi_tcol *c)
{
    size_t l = strlen(c->key);
    bool sample = strcmp(c->key, "n") == 0 || (l > 2 && strcmp(c->key + l - 2, "_n") == 0);
    return !sample && c->type != SRDI_COL_TEXT && c->type != SRDI_COL_PP && c->type != SRDI_COL_MULTIPLE &&
           c->type != SRDI_COL_YEAR;
}

/*
 * Is @p t a matrix of its columns (row i keyed as column i: T20's
 * correlations)?  Its columns are variables, not statistics: benchmark
 * columns after the first would make it unreadable, so an edition prints the
 * region's own matrix.
 */
static bool square(const srdi_table *t)
{
    if (t->nrows < 2 || t->nrows != t->ncols) return false;
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(t->rows[r].key, t->cols[r].key) != 0) return false;
    return true;
}

/* Copy cell (@p sr, @p sc) of @p src (NULL: absent) into (@p r, @p c) of @p t. */
static void put_cell(srdi_table *t, int r, int c, const srdi_table *src, int sr, int sc)
{
    if (!src || sr < 0 || sc < 0) return;
    const srdi_cell *x = &src->rows[sr].cells[sc];
    if (x->kind == SRDI_CELL_NUM)
        srdi_table_set_num(t, r, c, x->num);
    else if (x->kind == SRDI_CELL_NULL)
        srdi_table_set_null(t, r, c);
    else if (x->kind == SRDI_CELL_TEXT)
        srdi_table_set_text(t, r, c, x->text);
    t->rows[r].cells[c].fmt = x->fmt;
}

/* Add column @p col of @p src under @p label (its unit in the label, as the layout prints headers). */
static int add_col(srdi_table *t, const srdi_tcol *col, const char *label)
{
    return srdi_table_add_col(t, col->key, label, col->type, "", col->decimals);
}

/* "企业数量（家）\n江苏省": the header of the region's column. */
static void head_label(const srdi_tcol *col, const char *scope, char *buf, size_t size)
{
    if (col->unit && *col->unit)
        snprintf(buf, size, "%s（%s）\n%s", col->label, col->unit, scope);
    else
        snprintf(buf, size, "%s\n%s", col->label, scope);
}

/* Competition rank by count of row @p key in T16-like @p t, or NaN. */
static double rank_in(const srdi_table *t, const char *key)
{
    int c = t ? srdi_table_col(t, "count") : -1, r = t ? srdi_table_row(t, key) : -1;
    if (c < 0 || r < 0 || t->rows[r].cells[c].kind != SRDI_CELL_NUM) return NAN;
    double x = t->rows[r].cells[c].num, k = 1;
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].cells[c].kind == SRDI_CELL_NUM && t->rows[i].cells[c].num > x) k++;
    return k;
}

/*
 * T16 of an edition: 省内排名 (the rank among the scope's cities), for a
 * city edition also among its province's, 全国排名, then the columns with
 * the city's share of the nation after its share of the scope.
 */
static srdi_status city_view(const srdi_table *t, const srdi_table *nat, const srdi_table *prov, const char *area,
                             srdi_table *v)
{
    char lab[128];
    const char *within = strncmp(area, "全", 3) == 0 ? area + 3 : area;
    snprintf(lab, sizeof lab, "%s内排名", within);
    int kr = srdi_table_add_col(v, "rank", lab, SRDI_COL_YEAR, "", -1);
    int kp = prov ? srdi_table_add_col(v, "province_rank", "省内排名", SRDI_COL_YEAR, "", -1) : -1;
    int kn = srdi_table_add_col(v, "national_rank", "全国排名", SRDI_COL_YEAR, "", -1);
    int map[64], bshare = -1;
    size_t nc = t->ncols < 64 ? t->ncols : 64;
    for (size_t c = 0; c < nc; c++) {
        const srdi_tcol *col = &t->cols[c];
        if (col->unit && *col->unit)
            snprintf(lab, sizeof lab, "%s（%s）", col->label, col->unit);
        else
            srdi_strlcpy(lab, col->label, sizeof lab);
        map[c] = add_col(v, col, lab);
        if (strcmp(col->key, "share") == 0)
            bshare = srdi_table_add_col(v, "national_share_of_city", "全国占比", SRDI_COL_SHARE, "", -1);
    }
    int nshare = nat ? srdi_table_col(nat, "share") : -1;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *key = t->rows[r].key;
        int vr = srdi_table_add_row(v, key, t->rows[r].label);
        if (vr < 0) break;
        srdi_table_set_num(v, vr, kr, rank_in(t, key));
        if (kp >= 0) srdi_table_set_num(v, vr, kp, rank_in(prov, key));
        srdi_table_set_num(v, vr, kn, rank_in(nat, key));
        for (size_t c = 0; c < nc; c++) put_cell(v, vr, map[c], t, (int)r, (int)c);
        if (bshare >= 0) put_cell(v, vr, bshare, nat, nat ? srdi_table_row(nat, key) : -1, nshare);
    }
    return srdi_table_failed(v) ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id) : SRDI_OK;
}

/*
 * Is column @p c of @p t a statistic of the champions (its key champion…),
 * the same numbers as the column of that key in @p bt, row by row, some of
 * them not zero?  An edition does not filter the champion rows (the
 * champion benchmark is every champion row of the data, editions.c): T28's
 * 单项冠军均值 is the nation's, and a 全国 column beside it would repeat it.
 * (Only champion columns: a region's median equal to the nation's, T08's
 * 28 and 6 in the 四川省 edition of seed 9191, is still the region's.)
 */
static bool national_col(const srdi_table *t, int c, const srdi_table *bt)
{
    int bc = srdi_table_col(bt, t->cols[c].key);
    bool nonzero = false;
    if (bc < 0 || strncmp(t->cols[c].key, "champion", strlen("champion")) != 0) return false;
    for (size_t r = 0; r < t->nrows; r++) {
        const srdi_cell *x = &t->rows[r].cells[c];
        int br = srdi_table_row(bt, t->rows[r].key);
        const srdi_cell *y = br >= 0 ? &bt->rows[br].cells[bc] : NULL;
        if (x->kind == SRDI_CELL_ABSENT || x->kind == SRDI_CELL_NULL) {
            if (y && y->kind == SRDI_CELL_NUM) return false;
            continue;
        }
        if (x->kind != SRDI_CELL_NUM || !y || y->kind != SRDI_CELL_NUM || x->num != y->num) return false;
        nonzero |= x->num != 0;
    }
    return nonzero;
}

/* Rows of @p t other than "total" (a top-N table's N). */
static size_t ranked_rows(const srdi_table *t)
{
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) n += strcmp(t->rows[r].key, "total") != 0;
    return n;
}

/*
 * Generic view: each selected column, then its province and 全国 columns.
 * A column the edition does not filter (national_col) is headed 全国 and
 * gets no benchmark; a row of the region that a top-N benchmark table does
 * not list (the region's 10th IPC class outside the nation's top 10) shows
 * "—" in the benchmark columns, and the note says why.
 */
static srdi_status bench_cols(const srdi_table *t, const int *sel, size_t nsel, const srdi_table *bt,
                              const srdi_table *pt, const char *scope, const char *pname, srdi_table *v)
{
    int map[64][3];
    bool nat[64] = {false};
    for (size_t k = 0; k < nsel; k++) nat[k] = benchmarked(&t->cols[sel[k]]) && national_col(t, sel[k], bt);
    size_t nb = pt ? 2 : 1, budget = pt ? BENCH_COLS_TWO : BENCH_COLS_ONE;
    if (nsel + nb * budget > BENCH_MAX_COLS) /* keep the table readable on the page */
        budget = nsel + nb <= BENCH_MAX_COLS ? (BENCH_MAX_COLS - nsel) / nb : 1;
    /* which columns: shares first (the key comparisons), then in table order */
    bool pick[64] = {false};
    size_t used = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < nsel && used < budget; k++) {
            const srdi_tcol *col = &t->cols[sel[k]];
            if (!pick[k] && !nat[k] && benchmarked(col) && (pass == 1 || col->type == SRDI_COL_SHARE)) {
                pick[k] = true;
                used++;
            }
        }
    char lab[256];
    for (size_t k = 0; k < nsel; k++) {
        const srdi_tcol *col = &t->cols[sel[k]];
        bool b = pick[k];
        if (b)
            head_label(col, scope, lab, sizeof lab);
        else if (nat[k])
            head_label(col, "全国", lab, sizeof lab);
        else if (col->unit && *col->unit && col->type != SRDI_COL_TEXT)
            snprintf(lab, sizeof lab, "%s（%s）", col->label, col->unit);
        else
            srdi_strlcpy(lab, col->label, sizeof lab);
        map[k][0] = add_col(v, col, lab);
        map[k][1] = b && pt ? add_col(v, col, pname) : -1;
        map[k][2] = b ? add_col(v, col, "全国") : -1;
    }
    bool miss_p = false, miss_b = false;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *key = t->rows[r].key;
        int vr = srdi_table_add_row(v, key, t->rows[r].label);
        if (vr < 0) break;
        int prow = pt ? srdi_table_row(pt, key) : -1, brow = srdi_table_row(bt, key);
        for (size_t k = 0; k < nsel; k++) {
            const char *ck = t->cols[sel[k]].key;
            put_cell(v, vr, map[k][0], t, (int)r, sel[k]);
            if (map[k][1] >= 0) put_cell(v, vr, map[k][1], pt, prow, srdi_table_col(pt, ck));
            if (map[k][2] >= 0) put_cell(v, vr, map[k][2], bt, brow, srdi_table_col(bt, ck));
            /* a row the benchmark's top N leaves out */
            if (map[k][1] >= 0 && prow < 0) {
                srdi_table_set_text(v, vr, map[k][1], "—");
                miss_p = true;
            }
            if (map[k][2] >= 0 && brow < 0) {
                srdi_table_set_text(v, vr, map[k][2], "—");
                miss_b = true;
            }
        }
    }
    if (miss_p || miss_b) {
        char who[256];
        if (miss_p && miss_b)
            snprintf(who, sizeof who, "%s栏和全国栏中的“—”表示该项未进入%s前%zu位或全国前%zu位", pname, pname,
                     ranked_rows(pt), ranked_rows(bt));
        else if (miss_p)
            snprintf(who, sizeof who, "%s栏中的“—”表示该项未进入%s前%zu位", pname, pname, ranked_rows(pt));
        else
            snprintf(who, sizeof who, "全国栏中的“—”表示该项未进入全国前%zu位", ranked_rows(bt));
        srdi_table_set_note(v, "%s", who);
    }
    return srdi_table_failed(v) ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id) : SRDI_OK;
}

srdi_status report_bench_view(const srdi_report_opts *o, const srdi_table *t, const report_block *b, srdi_table **out,
                              report_block *vb)
{
    *out = NULL;
    const srdi_table *bt = o && o->national ? srdi_tableset_get(o->national, t->id) : NULL;
    if (!bt || bt == t || same_table(t, bt) || square(t))
        return SRDI_OK; /* the national report, a table over the whole data set, or a matrix */
    const srdi_table *pt = o->province ? srdi_tableset_get(o->province, t->id) : NULL;
    const char *eq = o->scope ? strchr(o->scope, '=') : NULL;
    const char *scope = eq ? eq + 1 : srdi_params_str(o->params, "scope", "name", "本地区");
    const char *pname = srdi_params_str(o->params, "scope", "province", "本省");
    const char *area = srdi_params_str(o->params, "scope", "area", "全省");
    int sel[64];
    size_t nsel = b->ncolsel ? b->ncolsel : t->ncols;
    if (nsel > 64) return SRDI_OK;
    for (size_t k = 0; k < nsel; k++)
        if ((sel[k] = b->ncolsel ? srdi_table_col(t, b->colsel[k]) : (int)k) < 0)
            return SRDI_OK; /* the layout reports the unknown column */
    srdi_table *v = srdi_table_new(t->id, t->name, t->title, t->sheet);
    if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
    v->n = t->n;
    v->no_data = t->no_data;
    const srdi_table_def *def = srdi_tables_def(t->id);
    srdi_status s = def && def->city_rows && !b->ncolsel ? city_view(t, bt, pt, area, v)
                                                         : bench_cols(t, sel, nsel, bt, pt, scope, pname, v);
    if (s) {
        srdi_table_free(v);
        return s;
    }
    *vb = *b;
    vb->colsel = NULL;
    vb->ncolsel = 0;
    *out = v;
    return SRDI_OK;
}
