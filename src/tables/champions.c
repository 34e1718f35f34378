/*
 * src/tables/champions.c — T28 and T29: national "little giants" against
 * single-item champions (means of 22 indicators; the five dimensions).
 * The only tables that read champion rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* One T28 indicator: a field, or a derived value (grant rate, std sum). */
typedef enum { T28_FIELD, T28_GRANT_RATE, T28_STD_LOCAL_INDUSTRY } t28_kind;
typedef struct t28_ind {
    t28_kind kind;
    srdi_field f;
    const char *label;
} t28_ind;

static const t28_ind T28_INDS[] = {
    {T28_FIELD, SRDI_F_PATENTS_TOTAL, "专利总量（件）"},
    {T28_FIELD, SRDI_F_INVENTION_APPS, "发明专利申请量（件）"},
    {T28_FIELD, SRDI_F_PCT_APPS, "PCT申请量（件）"},
    {T28_FIELD, SRDI_F_FOREIGN_PATENTS, "涉外专利量（件）"},
    {T28_FIELD, SRDI_F_INVENTION_GRANTS, "发明授权量（件）"},
    {T28_GRANT_RATE, SRDI_F_COUNT, "发明专利授权率"},
    {T28_FIELD, SRDI_F_HIGH_VALUE_INVENTIONS, "有效高价值发明专利量（件）"},
    {T28_FIELD, SRDI_F_CITATIONS_AVG, "发明专利被引用平均次数（次）"},
    {T28_FIELD, SRDI_F_AWARDED_PATENTS, "获奖发明专利（件）"},
    {T28_FIELD, SRDI_F_STANDARD_PATENTS, "标准发明专利（件）"},
    {T28_FIELD, SRDI_F_STAFF, "参保人数（人）"},
    {T28_FIELD, SRDI_F_INVENTORS, "专利发明人数量（人）"},
    {T28_FIELD, SRDI_F_COOP_PATENTS, "高校科研院所合作专利量（件）"},
    {T28_FIELD, SRDI_F_REG_CAPITAL, "注册资本（万元）"},
    {T28_FIELD, SRDI_F_PLEDGED_PATENTS, "质押融资专利数量（件）"},
    {T28_FIELD, SRDI_F_LICENSED_PATENTS, "许可专利数量（件）"},
    {T28_FIELD, SRDI_F_LITIGATED_PATENTS, "诉讼维权专利数量（件）"},
    {T28_FIELD, SRDI_F_STD_NATIONAL, "企业参标情况（国标）（个）"},
    {T28_STD_LOCAL_INDUSTRY, SRDI_F_COUNT, "企业参标情况（地标/行标）（个）"},
    {T28_FIELD, SRDI_F_STD_GROUP, "企业参标情况（团标）（个）"},
    {T28_FIELD, SRDI_F_SOFTWARE_COPYRIGHTS, "软件著作权（件）"},
    {T28_FIELD, SRDI_F_DIGITAL_PATENTS, "有效数字化技术专利（件）"},
};
#define T28_N (sizeof T28_INDS / sizeof T28_INDS[0])

/*
 * The in-scope rows of @p level in row order, into *rows (malloc'd; *n
 * receives the count): T28 and T29 take a mean per indicator and level, so
 * the few national and champion rows are found once, not on every pass.
 */
static srdi_status t28_rows(const srdi_tctx *ctx, srdi_level level, size_t **rows, size_t *n)
{
    const srdi_dataset *d = ctx->d;
    size_t m = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) m += srdi_in_scope(ctx, i) && d->level[i] == level;
    if (!(*rows = malloc((m ? m : 1) * sizeof **rows)))
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory listing %zu enterprises", m);
    m = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
        if (srdi_in_scope(ctx, i) && d->level[i] == level) (*rows)[m++] = i;
    *n = m;
    return SRDI_OK;
}

/*
 * Mean of indicator @p ind over the rows @p rows (t28_rows: in-scope rows of
 * one level).  Grant rate is Σ grants / Σ (grants + rejected) over rows with
 * both; the standards sum is null for a row missing either part.
 */
static double t28_mean(const srdi_tctx *ctx, const t28_ind *ind, const size_t *rows, size_t nrows)
{
    const srdi_dataset *d = ctx->d;
    double sum = 0, sum2 = 0, n = 0;
    for (size_t r = 0; r < nrows; r++) {
        size_t i = rows[r];
        double a, b;
        switch (ind->kind) {
        case T28_FIELD:
            if (!srdi_get(d, ind->f, i, &a)) continue;
            sum += a;
            break;
        case T28_GRANT_RATE:
            if (!srdi_get(d, SRDI_F_INVENTION_GRANTS, i, &a) || !srdi_get(d, SRDI_F_INVENTION_REJECTED, i, &b))
                continue;
            sum += a;
            sum2 += a + b;
            break;
        case T28_STD_LOCAL_INDUSTRY:
            if (!srdi_get(d, SRDI_F_STD_LOCAL, i, &a) || !srdi_get(d, SRDI_F_STD_INDUSTRY, i, &b)) continue;
            sum += a + b;
            break;
        }
        n++;
    }
    if (ind->kind == T28_GRANT_RATE) return srdi_div(sum, sum2);
    return srdi_div(sum, n);
}

/* Row key of a T28 indicator. */
static const char *t28_key(const t28_ind *ind)
{
    if (ind->kind == T28_GRANT_RATE) return "grant_rate";
    if (ind->kind == T28_STD_LOCAL_INDUSTRY) return "std_local_industry";
    return srdi_field_get(ind->f)->name;
}

/*
 * T28 champion_gap: means of 22 indicators for national vs champion rows;
 * multiple = champion / national.
 */
SRDI_TABLE_FN(T28)
{
    size_t *nat = NULL, *cha = NULL, nn = 0, nc = 0;
    srdi_status st = t28_rows(ctx, SRDI_LEVEL_NATIONAL, &nat, &nn);
    if (st == SRDI_OK) st = t28_rows(ctx, SRDI_LEVEL_CHAMPION, &cha, &nc);
    for (size_t k = 0; k < T28_N && st == SRDI_OK; k++) {
        int r = srdi_table_add_row(t, t28_key(&T28_INDS[k]), T28_INDS[k].label);
        if (r < 0) {
            st = SRDI_ERR_NOMEM; /* message set by srdi_table_add_row */
            break;
        }
        double mn = t28_mean(ctx, &T28_INDS[k], nat, nn);
        double mc = t28_mean(ctx, &T28_INDS[k], cha, nc);
        srdi_table_set_num(t, r, 0, mn);
        srdi_table_set_num(t, r, 1, mc);
        srdi_table_set_num(t, r, 2, srdi_div(mc, mn));
        if (T28_INDS[k].kind == T28_GRANT_RATE) { /* a rate: shown as a percentage */
            srdi_table_set_cell_type(t, r, 0, SRDI_COL_SHARE);
            srdi_table_set_cell_type(t, r, 1, SRDI_COL_SHARE);
        }
    }
    free(nat);
    free(cha);
    if (st != SRDI_OK) return st;
    t->n = (long long)(nn + nc);
    srdi_table_set_params(t, "statistic=mean; grant_rate=sum(grants)/sum(grants+rejected)");
    srdi_table_set_note(t, "倍数=单项冠军均值/国家级均值；授权率=Σ授权/Σ（授权+驳回）");
    return SRDI_OK;
}

/*
 * T29 champion_radar: the five dimensions of T23 on T28's means: score =
 * national mean / champion mean × 100.
 */
SRDI_TABLE_FN(T29)
{
    size_t *nat = NULL, *cha = NULL, nn = 0, nc = 0;
    srdi_status st = t28_rows(ctx, SRDI_LEVEL_NATIONAL, &nat, &nn);
    if (st == SRDI_OK) st = t28_rows(ctx, SRDI_LEVEL_CHAMPION, &cha, &nc);
    for (int k = 0; k < 5 && st == SRDI_OK; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s（%s）", tk_dims[k].key, tk_dims[k].ind);
        int r = srdi_table_add_row(t, tk_dims[k].key, label);
        if (r < 0) {
            st = SRDI_ERR_NOMEM; /* message set by srdi_table_add_row */
            break;
        }
        t28_ind ind = {T28_FIELD, tk_dims[k].f, ""};
        double mn = t28_mean(ctx, &ind, nat, nn);
        double mc = t28_mean(ctx, &ind, cha, nc);
        srdi_table_set_num(t, r, 0, srdi_div(mn, mc) * 100);
    }
    free(nat);
    free(cha);
    if (st != SRDI_OK) return st;
    t->n = (long long)(nn + nc);
    srdi_table_set_params(t, "score=national mean / champion mean × 100");
    return SRDI_OK;
}
