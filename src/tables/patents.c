/*
 * src/tables/patents.c — T30–T35: the patents of national-level
 * enterprises (fields, trends, grant rate, IPC, foreign filings).
 *
 * Patent facts (d->patents) are national-level inventions keyed by
 * enterprise; a fact whose enterprise is out of scope is ignored.
 *
 * Parameters read (section, key, default):
 *   t30  years 3, top_n 10   last k grant years; fields listed (values.csv lists the same rows)
 *   t31  years 3             last k application years
 *   t32  years 6             last k application years
 *   t33  years 3, top_n 10   last k application years; IPC subclasses listed
 *   t34  years 6             last k publication years
 *   t35  years 3             last k publication years (every office listed)
 *
 * Interpretations of docs/tables.md where it leaves room:
 *   - T30/T33 "top 10": values.csv lists only the top-N rows plus total;
 *     total count = every fact with a non-empty field / IPC in the window.
 *   - T34 applicants = distinct in-scope enterprises with a foreign filing
 *     published that year.  T35 lists every office.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* Does fact @p f belong to the tables (in scope, national-level enterprise)? */
static int fact_visible(const srdi_tctx *ctx, const srdi_pfact *f)
{
    return f->ent < ctx->d->n && srdi_in_scope(ctx, f->ent) && ctx->d->level[f->ent] == SRDI_LEVEL_NATIONAL;
}

/* Window [max − k + 1, max] from a parameter "years" of section @p sec. */
static void window(const srdi_tctx *ctx, const char *sec, double def, int max, int *lo, int *k)
{
    double kk = srdi_params_num(ctx->params, sec, "years", def);
    if (!(kk >= 1)) kk = 1;
    if (kk > 100) kk = 100;
    *k = (int)kk;
    *lo = max - *k + 1;
}

/* Number of window years to list: none when no patent row has that year column. */
static int window_rows(int max, int k)
{
    return max > 0 ? k : 0;
}

/* Without patents.csv: true after marking @p t no_data; false when the data set has patents. */
static bool no_patents(const srdi_dataset *d, srdi_table *t)
{
    if (d->has_patents) return false;
    t->no_data = true;
    return true;
}

/* Add the row of window year @p year (key and label "2024"); SRDI_OK or SRDI_ERR_NOMEM. */
static srdi_status window_row(srdi_table *t, int year, int *r)
{
    char key[16];
    snprintf(key, sizeof key, "%d", year);
    *r = srdi_table_add_row(t, key, key);
    return *r < 0 ? SRDI_ERR_NOMEM : SRDI_OK;
}

/*
 * The prologue shared by T30–T35: the window of the last "years" (section
 * @p sec, default @p years) years up to @p max, the window in front of the
 * registry title of @p t ("2022—2024年…"), the params "years=K" (and
 * "; top_n=N" when @p top ≥ 0).  *empty: the data set has no patents (@p t
 * is marked no_data and gets no rows).
 */
static srdi_status patent_begin(const srdi_tctx *ctx, const srdi_table_def *def, srdi_table *t, const char *sec,
                                double years, int max, double top, int *lo, int *k, bool *empty)
{
    *empty = false;
    window(ctx, sec, years, max, lo, k);
    srdi_status st = max > 0 ? srdi_table_set_title(t, "%d—%d年%s", *lo, max, def->title) : SRDI_OK;
    if (st != SRDI_OK) return st;
    if (top >= 0)
        srdi_table_set_params(t, "years=%d; top_n=%g", *k, top);
    else
        srdi_table_set_params(t, "years=%d", *k);
    *empty = no_patents(ctx->d, t);
    return SRDI_OK;
}

/* Writes the document label of a ranking key into @p b (cleared first). */
typedef srdi_status (*label_fn)(const char *key, srdi_buf *b);

/*
 * Shared body of T30 / T33 / T35: count facts of @p kind in the window by
 * key (UINT32_MAX = empty, left out), rank by count desc / key asc, list
 * the top @p top_n (0 = all) with share of the total, then a total row.
 */
static srdi_status keyed_ranking(const srdi_tctx *ctx, srdi_table *t, srdi_pfact_kind kind, int lo, int hi,
                                 size_t top_n, label_fn label_of)
{
    const srdi_patents *p = &ctx->d->patents;
    uint32_t nk = p->keys ? srdi_strpool_count(p->keys) : 0;
    double *cnt = calloc(nk ? nk : 1, sizeof *cnt);
    tk_ranked *b = calloc(nk ? nk : 1, sizeof *b);
    srdi_buf label = {0};
    srdi_status st = SRDI_OK;
    if (!cnt || !b) TK_NOMEM();
    double total = 0;
    size_t nf;
    const srdi_pfact *facts = tk_facts(ctx, &nf);
    for (size_t i = 0; i < nf; i++) {
        const srdi_pfact *f = &facts[i];
        if (f->kind != kind || f->year < lo || f->year > hi || f->key >= nk || !fact_visible(ctx, f)) continue;
        cnt[f->key] += f->count;
        total += f->count;
    }
    size_t nb = 0;
    for (uint32_t k = 0; k < nk; k++) {
        if (cnt[k] <= 0) continue;
        b[nb].key = srdi_strpool_get(p->keys, k);
        b[nb].count = cnt[k];
        b[nb].idx = (int)k;
        nb++;
    }
    qsort(b, nb, sizeof *b, tk_ranked_cmp);
    if (top_n && nb > top_n) nb = top_n;
    int r;
    for (size_t j = 0; j < nb; j++) {
        TK_TRY(label_of(b[j].key, &label));
        TK_ROW(r, t, b[j].key, label.data);
        srdi_table_set_num(t, r, 0, b[j].count);
        srdi_table_set_num(t, r, 1, srdi_div(b[j].count, total));
    }
    TK_TRY(tk_total_row(t, (double)total, &r));
done:
    srdi_buf_free(&label);
    free(cnt);
    free(b);
    return st;
}

/* Label = key (field labels, IPC subclasses), whatever its length. */
static srdi_status label_plain(const char *key, srdi_buf *b)
{
    srdi_buf_reset(b);
    return srdi_buf_puts(b, key);
}

/* Label of a patent office code: "US 美国" (the code alone when unknown). */
static srdi_status label_office(const char *key, srdi_buf *b)
{
    static const char *const map[][2] = {
        {"WO", "PCT国际申请"}, {"US", "美国"},     {"EP", "欧洲专利局"}, {"JP", "日本"}, {"KR", "韩国"},
        {"TW", "中国台湾"},    {"HK", "中国香港"}, {"MO", "中国澳门"},   {"DE", "德国"}, {"GB", "英国"},
        {"FR", "法国"},        {"AU", "澳大利亚"}, {"CA", "加拿大"},     {"IN", "印度"}, {"RU", "俄罗斯"},
        {"BR", "巴西"},        {"SG", "新加坡"},   {"CN", "中国"},
    };
    srdi_buf_reset(b);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], key) == 0) return srdi_buf_printf(b, "%s %s", key, map[i][1]);
    return srdi_buf_puts(b, key);
}

/*
 * T30 patent_fields: invention patents granted in the last 3 grant years,
 * by field label; share of the facts with a field; top 10 and total.
 */
SRDI_TABLE_FN(T30)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_grant_year : 0, lo, k;
    double top = srdi_params_num(ctx->params, "t30", "top_n", 10);
    bool empty;
    srdi_status st = patent_begin(ctx, def, t, "t30", 3, max, top, &lo, &k, &empty);
    if (st != SRDI_OK || empty) goto done;
    TK_TRY(keyed_ranking(ctx, t, SRDI_PF_GRANT, lo, max, top >= 1 ? (size_t)top : 0, label_plain));
    srdi_table_set_note(t, "按授权年统计 %d—%d 年授权的发明专利；占比不含未标注产业领域的专利", lo, max);
done:
    return st;
}

/*
 * T31 patent_trend: for each of the last 3 application years, invention
 * applications (app_year) and grants (grant_year = that year) divided by
 * the number of in-scope national-level enterprises.
 */
SRDI_TABLE_FN(T31)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_app_year : 0, lo, k;
    double *apps = NULL, *grants = NULL;
    bool empty;
    srdi_status st = patent_begin(ctx, def, t, "t31", 3, max, -1, &lo, &k, &empty);
    if (st != SRDI_OK || empty) goto done;
    apps = calloc((size_t)k + 1, sizeof *apps);
    grants = calloc((size_t)k + 1, sizeof *grants);
    if (!apps || !grants) TK_NOMEM();
    size_t nf;
    const srdi_pfact *facts = tk_facts(ctx, &nf);
    for (size_t i = 0; i < nf; i++) {
        const srdi_pfact *f = &facts[i];
        if (f->year < lo || f->year > max || !fact_visible(ctx, f)) continue;
        if (f->kind == SRDI_PF_APP)
            apps[f->year - lo] += f->count;
        else if (f->kind == SRDI_PF_GRANT)
            grants[f->year - lo] += f->count;
    }
    long long nn = tk_level_count(ctx, SRDI_LEVEL_NATIONAL);
    for (int y = 0; y < window_rows(max, k); y++) {
        int r;
        TK_TRY(window_row(t, lo + y, &r));
        srdi_table_set_num(t, r, 0, srdi_div(apps[y], (double)nn));
        srdi_table_set_num(t, r, 1, srdi_div(grants[y], (double)nn));
    }
    t->n = nn;
    srdi_table_set_note(t, "分母为全部国家级企业 %lld 家（含无专利企业）", nn);
done:
    free(apps);
    free(grants);
    return st;
}

/*
 * T32 grant_rate_trend: last 6 application years: granted / (granted +
 * rejected) among decided invention applications; n = decided.
 */
SRDI_TABLE_FN(T32)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_app_year : 0, lo, k;
    double *gr = NULL, *dec = NULL;
    bool empty;
    srdi_status st = patent_begin(ctx, def, t, "t32", 6, max, -1, &lo, &k, &empty);
    if (st != SRDI_OK || empty) goto done;
    gr = calloc((size_t)k + 1, sizeof *gr);
    dec = calloc((size_t)k + 1, sizeof *dec);
    if (!gr || !dec) TK_NOMEM();
    double total = 0;
    size_t nf;
    const srdi_pfact *facts = tk_facts(ctx, &nf);
    for (size_t i = 0; i < nf; i++) {
        const srdi_pfact *f = &facts[i];
        if (f->kind != SRDI_PF_DECIDED || f->year < lo || f->year > max || !fact_visible(ctx, f)) continue;
        dec[f->year - lo] += f->count;
        if (f->key == 1) gr[f->year - lo] += f->count;
        total += f->count;
    }
    for (int y = 0; y < window_rows(max, k); y++) {
        int r;
        TK_TRY(window_row(t, lo + y, &r));
        srdi_table_set_num(t, r, 0, srdi_div(gr[y], dec[y]));
        srdi_table_set_num(t, r, 1, dec[y]);
    }
    t->n = (long long)total;
    srdi_table_set_note(t, "授权率 = 授权 / (授权 + 驳回)，按申请年统计已审结的发明专利申请");
done:
    free(gr);
    free(dec);
    return st;
}

/*
 * T33 ipc_top: IPC subclasses of invention applications in the last 3
 * application years: count, share of the applications with an IPC, top 10
 * and total.
 */
SRDI_TABLE_FN(T33)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_app_year : 0, lo, k;
    double top = srdi_params_num(ctx->params, "t33", "top_n", 10);
    bool empty;
    srdi_status st = patent_begin(ctx, def, t, "t33", 3, max, top, &lo, &k, &empty);
    if (st != SRDI_OK || empty) goto done;
    TK_TRY(keyed_ranking(ctx, t, SRDI_PF_IPC, lo, max, top >= 1 ? (size_t)top : 0, label_plain));
    srdi_table_set_note(t, "IPC 小类 = 主分类号去空格后前 4 位；占比不含无 IPC 的申请");
done:
    return st;
}

/*
 * T34 foreign_trend: last 6 publication years: foreign invention filings
 * (office ≠ CN) and the number of distinct applicant enterprises.
 */
SRDI_TABLE_FN(T34)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_pub_year : 0, lo, k;
    double *cnt = NULL, *appl = NULL;
    uint8_t *seen = NULL;
    bool empty;
    srdi_status st = patent_begin(ctx, def, t, "t34", 6, max, -1, &lo, &k, &empty);
    if (st != SRDI_OK || empty) goto done;
    cnt = calloc((size_t)k + 1, sizeof *cnt);
    appl = calloc((size_t)k + 1, sizeof *appl);
    /* one byte per (enterprise, window year): has this pair been counted? */
    seen = calloc((d->n ? d->n : 1) * ((size_t)k + 1), 1);
    if (!cnt || !appl || !seen) TK_NOMEM();
    double total = 0;
    size_t nf;
    const srdi_pfact *facts = tk_facts(ctx, &nf);
    for (size_t i = 0; i < nf; i++) {
        const srdi_pfact *f = &facts[i];
        if (f->kind != SRDI_PF_FOREIGN || f->year < lo || f->year > max || !fact_visible(ctx, f)) continue;
        int y = f->year - lo;
        cnt[y] += f->count;
        total += f->count;
        uint8_t *s = &seen[(size_t)f->ent * (size_t)k + (size_t)y];
        if (!*s) {
            *s = 1;
            appl[y]++;
        }
    }
    for (int y = 0; y < window_rows(max, k); y++) {
        int r;
        TK_TRY(window_row(t, lo + y, &r));
        srdi_table_set_num(t, r, 0, cnt[y]);
        srdi_table_set_num(t, r, 1, appl[y]);
    }
    t->n = (long long)total;
    srdi_table_set_note(t, "涉外 = 受理局非 CN 的发明专利，按公开年统计");
done:
    free(cnt);
    free(appl);
    free(seen);
    return st;
}

/*
 * T35 foreign_offices: last 3 publication years, foreign invention filings
 * by office: count, share; every office, then total.
 */
SRDI_TABLE_FN(T35)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_pub_year : 0, lo, k;
    bool empty;
    srdi_status st = patent_begin(ctx, def, t, "t35", 3, max, -1, &lo, &k, &empty);
    if (st != SRDI_OK || empty) goto done;
    TK_TRY(keyed_ranking(ctx, t, SRDI_PF_FOREIGN, lo, max, 0, label_office));
    srdi_table_set_note(t, "按公开年统计 %d—%d 年公开的涉外发明专利", lo, max);
done:
    return st;
}
