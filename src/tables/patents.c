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

/* Which year of a patent a table counts by. */
typedef enum pyear { BY_APP, BY_GRANT, BY_PUB } pyear;

/* A window of years [lo, max], k of them; rows = k, or 0 when no patent row has that year. */
typedef struct pwin {
    int lo, max, k, rows;
} pwin;

/* Is fact @p f in the window and visible to the tables (in scope, national-level enterprise)? */
static int fact_in(const srdi_tctx *ctx, const pwin *w, const srdi_pfact *f)
{
    return f->year >= w->lo && f->year <= w->max && f->ent < ctx->d->n && srdi_in_scope(ctx, f->ent) &&
           ctx->d->level[f->ent] == SRDI_LEVEL_NATIONAL;
}

/* Window of the last "years" (section @p sec, default @p def) up to the latest year counted by @p by. */
static pwin window(const srdi_tctx *ctx, const char *sec, double def, pyear by)
{
    const srdi_patents *p = &ctx->d->patents;
    pwin w = {0};
    if (ctx->d->has_patents)
        w.max = by == BY_APP ? p->max_app_year : by == BY_GRANT ? p->max_grant_year : p->max_pub_year;
    double kk = srdi_params_num(ctx->params, sec, "years", def);
    if (!(kk >= 1)) kk = 1;
    if (kk > 100) kk = 100;
    w.k = (int)kk;
    w.lo = w.max - w.k + 1;
    w.rows = w.max > 0 ? w.k : 0;
    return w;
}

/*
 * The prologue shared by T30–T35: the window (see window()), the window in
 * front of the registry title of @p t ("2022—2024年…"), the params
 * "years=K" (and "; top_n=N" when @p top ≥ 0).  *empty: the data set has no
 * patents (@p t is marked no_data and gets no rows).
 */
static srdi_status patent_begin(const srdi_tctx *ctx, srdi_table *t, const char *sec, double years, pyear by,
                                double top, pwin *w, bool *empty)
{
    *w = window(ctx, sec, years, by);
    *empty = false;
    if (!ctx->facts && ctx->d->patents.released)
        return srdi_error_set(SRDI_ERR_INTERNAL, "%s: the patent facts were released before the table was computed", t->id);
    /* the new title is formatted before the registry title it starts from is freed */
    if (w->max > 0) TK_TRY(srdi_table_set_title(t, "%d—%d年%s", w->lo, w->max, t->title));
    if (top >= 0)
        srdi_table_set_params(t, "years=%d; top_n=%g", w->k, top);
    else
        srdi_table_set_params(t, "years=%d", w->k);
    *empty = !ctx->d->has_patents;
    if (*empty) t->no_data = true;
    return SRDI_OK;
}

/* One row per window year (key and label "2024"): columns 0 and 1 = c0[y], c1[y]. */
static srdi_status year_rows(srdi_table *t, const pwin *w, const double *c0, const double *c1)
{
    for (int y = 0; y < w->rows; y++) {
        char key[16];
        snprintf(key, sizeof key, "%d", w->lo + y);
        int r = srdi_table_add_row(t, key, key);
        if (r < 0) return SRDI_ERR_NOMEM;
        srdi_table_set_num(t, r, 0, c0[y]);
        srdi_table_set_num(t, r, 1, c1[y]);
    }
    return SRDI_OK;
}

/* Writes the document label of a ranking key into @p b (cleared first). */
typedef srdi_status (*label_fn)(const char *key, srdi_buf *b);

static const char *pool_key(const void *pool, size_t i)
{
    return srdi_strpool_get(pool, (uint32_t)i);
}

/*
 * The body of T30 / T33 / T35: the window (section @p sec, the last 3
 * years by default; top_n @p top_d when ≥ 0, else all), then the facts of @p kind
 * counted by key (UINT32_MAX = empty, left out), ranked by count desc / key
 * asc, the top N listed with their share of the total, then a total row.
 * @p w receives the window for the caller's note.
 */
static srdi_status keyed_ranking(const srdi_tctx *ctx, srdi_table *t, tk_scratch *s, const char *sec, pyear by,
                                 double top_d, srdi_pfact_kind kind, label_fn label_of, pwin *w)
{
    const srdi_patents *p = &ctx->d->patents;
    bool empty;
    TK_TRY(patent_begin(ctx, t, sec, 3, by, top_d, w, &empty));
    if (empty) return SRDI_OK;
    size_t top_n = top_d >= 1 ? (size_t)top_d : 0;
    uint32_t nk = p->keys ? srdi_strpool_count(p->keys) : 0;
    double *cnt = tk_zalloc(s, nk, sizeof *cnt);
    tk_ranked *b = tk_zalloc(s, nk, sizeof *b);
    srdi_buf *label = tk_buf(s);
    if (!cnt || !b || !label) TK_NOMEM();
    double total = 0;
    size_t nf;
    const srdi_pfact *facts = tk_facts(ctx, &nf);
    for (size_t i = 0; i < nf; i++) {
        const srdi_pfact *f = &facts[i];
        if (f->kind != kind || f->key >= nk || !fact_in(ctx, w, f)) continue;
        cnt[f->key] += f->count;
        total += f->count;
    }
    size_t nb = tk_rank(cnt, nk, false, pool_key, p->keys, b);
    if (top_n && nb > top_n) nb = top_n;
    int r;
    for (size_t j = 0; j < nb; j++) {
        TK_TRY(label_of(b[j].key, label));
        TK_ROW(r, t, b[j].key, label->data);
        tk_count_share(t, r, 0, b[j].count, total);
    }
    return tk_total_row(t, (double)total, &r);
}

/* Label = key (field labels, IPC subclasses), whatever its length. */
static srdi_status label_plain(const char *key, srdi_buf *b)
{
    srdi_buf_reset(b);
    return srdi_buf_puts(b, key);
}

/* Label of a patent office code: "US美国", "WO PCT国际申请" (the code alone when
   unknown): the CJK spacing rule of every output (srdi_cjk_spacing), as the text sets it. */
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
        if (strcmp(map[i][0], key) == 0) {
            srdi_status st = srdi_buf_printf(b, "%s %s", key, map[i][1]);
            if (st == SRDI_OK) {
                srdi_cjk_spacing(b->data, 0, 0);
                b->len = strlen(b->data);
            }
            return st;
        }
    return srdi_buf_puts(b, key);
}

/*
 * T30 patent_fields: invention patents granted in the last 3 grant years,
 * by field label; share of the facts with a field; top 10 and total.
 */
SRDI_TABLE_FN(T30)
{
    pwin w;
    double top = srdi_params_num(ctx->params, "t30", "top_n", 10);
    TK_TRY(keyed_ranking(ctx, t, s, "t30", BY_GRANT, top, SRDI_PF_GRANT, label_plain, &w));
    if (d->has_patents && w.max > 0)
        srdi_table_set_note(t, "按授权年统计%d—%d年授权的发明专利；占比不含未标注产业领域的专利", w.lo, w.max);
    else if (d->has_patents) /* no grant year in the data: no window to name */
        srdi_table_set_note(t, "按授权年统计；本次数据中没有已授权的专利");
    return SRDI_OK;
}

/* Two per-year series of T31, T32 or T34 over a window of patent years. */
typedef struct series {
    pwin w;
    double *c0, *c1; /* per window year: columns 0 and 1 (from the scratch) */
    double total;    /* the table's n */
    uint8_t *seen;   /* with per_ent: one mark per (enterprise, window year) */
} series;

/* What T31, T32 and T34 count (see series_table). */
typedef struct series_def {
    const char *sec;                                     /* params.ini section of "years" */
    double years;                                        /* its default */
    pyear by;                                            /* the year of a fact counted */
    bool per_ent;                                        /* sr->seen wanted */
    void (*add)(series *sr, const srdi_pfact *f, int y); /* add visible fact f of window year y (0 = first) */
    void (*finish)(series *sr, long long nn);            /* NULL, or make rates (nn: national enterprises) */
    const char *note;                                    /* a printf format: %s = the table's n, formatted as a count */
} series_def;

/*
 * The body of T31, T32 and T34: the window (patent_begin), then @p sd->add
 * called for every visible fact in it, then (after sd->finish) one row per
 * window year with c0 and c1, n = total and the note.
 */
static srdi_status series_table(const srdi_tctx *ctx, srdi_table *t, tk_scratch *s, const series_def *sd)
{
    const srdi_dataset *d = ctx->d;
    series sr = {0};
    bool empty;
    TK_TRY(patent_begin(ctx, t, sd->sec, sd->years, sd->by, -1, &sr.w, &empty));
    if (empty) return SRDI_OK;
    size_t ny = (size_t)sr.w.k + 1;
    sr.c0 = tk_zalloc(s, ny, sizeof *sr.c0);
    sr.c1 = tk_zalloc(s, ny, sizeof *sr.c1);
    if (sd->per_ent) sr.seen = tk_zalloc(s, (d->n ? d->n : 1) * ny, 1);
    if (!sr.c0 || !sr.c1 || (sd->per_ent && !sr.seen)) TK_NOMEM();
    size_t nf;
    const srdi_pfact *facts = tk_facts(ctx, &nf);
    for (size_t i = 0; i < nf; i++) {
        const srdi_pfact *f = &facts[i];
        if (fact_in(ctx, &sr.w, f)) sd->add(&sr, f, f->year - sr.w.lo);
    }
    if (sd->finish) sd->finish(&sr, tk_level_count(ctx, SRDI_LEVEL_NATIONAL));
    TK_TRY(year_rows(t, &sr.w, sr.c0, sr.c1));
    t->n = (long long)sr.total;
    char nbuf[48]; /* the count as the document prints counts: "17,692" */
    srdi_number_format((double)t->n, SRDI_COL_COUNT, 0, nbuf, sizeof nbuf);
    srdi_table_set_note(t, sd->note, nbuf); /* a note without %s ignores the argument */
    return SRDI_OK;
}

/* T31: applications and grants of the year, per national enterprise (total = their number). */
static void t31_add(series *sr, const srdi_pfact *f, int y)
{
    if (f->kind == SRDI_PF_APP)
        sr->c0[y] += f->count;
    else if (f->kind == SRDI_PF_GRANT)
        sr->c1[y] += f->count;
}

static void t31_finish(series *sr, long long nn)
{
    for (int y = 0; y < sr->w.k; y++) {
        sr->c0[y] = srdi_div(sr->c0[y], (double)nn);
        sr->c1[y] = srdi_div(sr->c1[y], (double)nn);
    }
    sr->total = (double)nn;
}

/*
 * T31 patent_trend: for each of the last 3 application years, invention
 * applications (app_year) and grants (grant_year = that year) divided by
 * the number of in-scope national-level enterprises.
 */
SRDI_TABLE_FN(T31)
{
    static const series_def def = {
        "t31", 3, BY_APP, false, t31_add, t31_finish, "分母为全部国家级企业%s家（含无专利企业）"};
    return series_table(ctx, t, s, &def);
}

/* T32: the grant rate (c0: granted, made a rate by t32_finish) and the decided applications (c1). */
static void t32_add(series *sr, const srdi_pfact *f, int y)
{
    if (f->kind != SRDI_PF_DECIDED) return;
    sr->c1[y] += f->count;
    if (f->key == 1) sr->c0[y] += f->count;
    sr->total += f->count;
}

static void t32_finish(series *sr, long long nn)
{
    (void)nn;
    for (int y = 0; y < sr->w.k; y++) sr->c0[y] = srdi_div(sr->c0[y], sr->c1[y]);
}

/*
 * T32 grant_rate_trend: last 6 application years: granted / (granted +
 * rejected) among decided invention applications; n = decided.
 */
SRDI_TABLE_FN(T32)
{
    static const series_def def = {"t32",
                                   6,
                                   BY_APP,
                                   false,
                                   t32_add,
                                   t32_finish,
                                   "授权率=授权/（授权+驳回），按申请年统计已审结的发明专利申请"};
    return series_table(ctx, t, s, &def);
}

/*
 * T33 ipc_top: IPC subclasses of invention applications in the last 3
 * application years: count, share of the applications with an IPC, top 10
 * and total.
 */
SRDI_TABLE_FN(T33)
{
    pwin w;
    double top = srdi_params_num(ctx->params, "t33", "top_n", 10);
    TK_TRY(keyed_ranking(ctx, t, s, "t33", BY_APP, top, SRDI_PF_IPC, label_plain, &w));
    if (d->has_patents) srdi_table_set_note(t, "IPC小类=主分类号去空格后前4位；占比不含无IPC的申请");
    return SRDI_OK;
}

/* T34: foreign filings (c0) and the distinct enterprises filing them (c1) of the year. */
static void t34_add(series *sr, const srdi_pfact *f, int y)
{
    if (f->kind != SRDI_PF_FOREIGN) return;
    sr->c0[y] += f->count;
    sr->total += f->count;
    uint8_t *mark = &sr->seen[(size_t)f->ent * (size_t)sr->w.k + (size_t)y];
    if (!*mark) {
        *mark = 1;
        sr->c1[y]++;
    }
}

/*
 * T34 foreign_trend: last 6 publication years: foreign invention filings
 * (office ≠ CN) and the number of distinct applicant enterprises.
 */
SRDI_TABLE_FN(T34)
{
    static const series_def def = {
        "t34", 6, BY_PUB, true, t34_add, NULL, "涉外=受理局非CN的发明专利，按公开年统计"};
    return series_table(ctx, t, s, &def);
}

/*
 * T35 foreign_offices: last 3 publication years, foreign invention filings
 * by office: count, share; every office, then total.
 */
SRDI_TABLE_FN(T35)
{
    pwin w;
    TK_TRY(keyed_ranking(ctx, t, s, "t35", BY_PUB, -1, SRDI_PF_FOREIGN, label_office, &w));
    if (d->has_patents && w.max > 0)
        srdi_table_set_note(t, "按公开年统计%d—%d年公开的涉外发明专利", w.lo, w.max);
    else if (d->has_patents)
        srdi_table_set_note(t, "按公开年统计；本次数据中没有公开年份");
    return SRDI_OK;
}
