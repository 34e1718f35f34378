/*
 * tests/test_tables_a.c — tables T01–T17 on a small hand-built data set.
 * Every expected value below was computed by hand from the rows in
 * build_fixture(); the comments show the arithmetic.
 *
 * Fixture (P = 4 national + 6 provincial; C1 is a champion row that must be
 * invisible to T01–T17):
 *   id  lvl  province city     ind   tech_eval   cap    staff std(n,i,l,g) pt   ig  sw   hon_hi hon_tc hon_lg
 *   N1  nat  江苏省   苏州市   3985  intl_adv    20000  150   1,0,0,1      80   20  5    1      1      -
 *   N2  nat  江苏省   南京市   3985  -           5000   300   0,0,0,0      40   10  2    1      0      -
 *   N3  nat  广东省   深圳市   3911  dom_level   10000  60    2,1,0,0      120  30  10   1      1      -
 *   N4  nat  北京市   北京市   7511  -           -      1200  0,0,0,-      200  50  -    0      -      -
 *   P1  prv  江苏省   苏州市   3985  -           2000   30    0,0,0,0      10   2   1    1      -      0
 *   P2  prv  江苏省   苏州市   3411  intl_adv    12000  51    0,1,0,0      60   6   3    0      -      1
 *   P3  prv  浙江省   杭州市   3411  -           800    100   0,0,0,0      5    0   0    1      -      0
 *   P4  prv  广东省   深圳市   3911  -           3000   101   0,0,3,0      -    4   2    -      -      -
 *   P5  prv  山西省   太原市   3411  -           -      500   -,-,-,-      55   8   1    1      -      -
 *   P6  prv  河北省   石家庄市 7511  dom_level   1000   501   0,0,0,0      20   3   -    0      -      -
 *   C1  chm  江苏省   苏州市   3985  intl_adv    99999  5000  9,9,9,9      999  99  99   1      1      1
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/dataset.h"
#include "srdi/params.h"
#include "srdi/reference.h"
#include "srdi/tables.h"
#include "testutil.h"

#define TOL 1e-12
#define M NAN   /* missing */

typedef struct fx_row {
    const char *id; srdi_level lvl; const char *prov, *city, *ind; srdi_tech_eval te;
    double cap, staff, sn, si, sl, sg, pt, ig, sw, hh, htc, hlg;
} fx_row;

static const fx_row FX[] = {
    {"N1", SRDI_LEVEL_NATIONAL, "江苏省", "苏州市", "3985", SRDI_TE_INTL_ADVANCED, 20000, 150, 1, 0, 0, 1, 80, 20, 5, 1, 1, M},
    {"N2", SRDI_LEVEL_NATIONAL, "江苏省", "南京市", "3985", SRDI_TE_NONE, 5000, 300, 0, 0, 0, 0, 40, 10, 2, 1, 0, M},
    {"N3", SRDI_LEVEL_NATIONAL, "广东省", "深圳市", "3911", SRDI_TE_DOMESTIC_LEVEL, 10000, 60, 2, 1, 0, 0, 120, 30, 10, 1, 1, M},
    {"N4", SRDI_LEVEL_NATIONAL, "北京市", "北京市", "7511", SRDI_TE_NONE, M, 1200, 0, 0, 0, M, 200, 50, M, 0, M, M},
    {"P1", SRDI_LEVEL_PROVINCIAL, "江苏省", "苏州市", "3985", SRDI_TE_NONE, 2000, 30, 0, 0, 0, 0, 10, 2, 1, 1, M, 0},
    {"P2", SRDI_LEVEL_PROVINCIAL, "江苏省", "苏州市", "3411", SRDI_TE_INTL_ADVANCED, 12000, 51, 0, 1, 0, 0, 60, 6, 3, 0, M, 1},
    {"P3", SRDI_LEVEL_PROVINCIAL, "浙江省", "杭州市", "3411", SRDI_TE_NONE, 800, 100, 0, 0, 0, 0, 5, 0, 0, 1, M, 0},
    {"P4", SRDI_LEVEL_PROVINCIAL, "广东省", "深圳市", "3911", SRDI_TE_NONE, 3000, 101, 0, 0, 3, 0, M, 4, 2, M, M, M},
    {"P5", SRDI_LEVEL_PROVINCIAL, "山西省", "太原市", "3411", SRDI_TE_NONE, M, 500, M, M, M, M, 55, 8, 1, 1, M, M},
    {"P6", SRDI_LEVEL_PROVINCIAL, "河北省", "石家庄市", "7511", SRDI_TE_DOMESTIC_LEVEL, 1000, 501, 0, 0, 0, 0, 20, 3, M, 0, M, M},
    {"C1", SRDI_LEVEL_CHAMPION, "江苏省", "苏州市", "3985", SRDI_TE_INTL_ADVANCED, 99999, 5000, 9, 9, 9, 9, 999, 99, 99, 1, 1, 1},
};
#define NFX (sizeof FX / sizeof FX[0])

static void set_if(srdi_dataset *d, size_t r, srdi_field f, double v)
{
    if (!isnan(v)) srdi_dataset_set(d, r, f, v);
}

/* Financial rows: (row index in FX, year, revenue, rd). */
typedef struct fx_fin { int ent; int year; double rev, rd; } fx_fin;
static const fx_fin FIN[] = {
    {0, 2021, 100, 10}, {0, 2022, 110, 22}, {0, 2023, 121, 12.1},   /* N1: growth .1, .1; ratios .1 .2 .1 */
    {1, 2022, 200, 80}, {1, 2023, 150, 30},                          /* N2: growth 2023 −.25; ratios .4 (out) .2 */
    {2, 2021, 0, 5}, {2, 2022, 50, 5}, {2, 2023, M, 3},              /* N3: no growth; ratio 2022 .1 */
    {4, 2021, 40, 4}, {4, 2023, 60, 15},                             /* P1: no growth (2022 missing); .1, .25 */
    {5, 2022, 80, 8}, {5, 2023, 100, 30},                            /* P2: growth 2023 .25; .1, .3 (kept) */
    {6, 2022, 10, M}, {6, 2023, 20, 0},                              /* P3: growth 2023 1.0; 2023 ratio 0 */
    {10, 2022, 50, 5}, {10, 2023, 100, 29},                          /* C1: champion, ignored */
};

static srdi_dataset *build_fixture(int with_fin)
{
    srdi_reference *ref = NULL;
    if (srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) != SRDI_OK) {
        fprintf(stderr, "reference: %s\n", srdi_error_message());
        return NULL;
    }
    srdi_dataset *d = srdi_dataset_new(ref);
    if (!d) return NULL;
    for (size_t i = 0; i < NFX; i++) {
        const fx_row *x = &FX[i];
        size_t r;
        int p = srdi_reference_province(ref, x->prov);
        if (srdi_dataset_add_enterprise(d, x->id, x->id, x->lvl, p, x->city, x->ind, x->te, &r) != SRDI_OK) {
            srdi_dataset_free(d);
            return NULL;
        }
        set_if(d, r, SRDI_F_REG_CAPITAL, x->cap);
        set_if(d, r, SRDI_F_STAFF, x->staff);
        set_if(d, r, SRDI_F_STD_NATIONAL, x->sn);
        set_if(d, r, SRDI_F_STD_INDUSTRY, x->si);
        set_if(d, r, SRDI_F_STD_LOCAL, x->sl);
        set_if(d, r, SRDI_F_STD_GROUP, x->sg);
        set_if(d, r, SRDI_F_PATENTS_TOTAL, x->pt);
        set_if(d, r, SRDI_F_INVENTION_GRANTS, x->ig);
        set_if(d, r, SRDI_F_SOFTWARE_COPYRIGHTS, x->sw);
        set_if(d, r, SRDI_F_HON_HIGH_TECH, x->hh);
        set_if(d, r, SRDI_F_HON_TECH_CENTER, x->htc);
        set_if(d, r, SRDI_F_HON_LITTLE_GIANT, x->hlg);
    }
    if (with_fin)
        for (size_t k = 0; k < sizeof FIN / sizeof FIN[0]; k++)
            if (srdi_dataset_add_financial(d, (uint32_t)FIN[k].ent, FIN[k].year, FIN[k].rev, FIN[k].rd) != SRDI_OK) {
                srdi_dataset_free(d);
                return NULL;
            }
    return d;
}

/* ------------------------------------------------------------ accessors */

static srdi_table *build(const char *id, const srdi_dataset *d, const uint8_t *scope, const srdi_params *p)
{
    srdi_tctx ctx = {d, scope, p};
    srdi_table *t = NULL;
    srdi_status st = srdi_tables_build(&ctx, id, &t);
    if (st != SRDI_OK) fprintf(stderr, "table failed: %s\n", srdi_error_message());
    CHECK_INT(st, SRDI_OK);
    return t;
}

/* Number at (row, col); NAN when null, -999 when absent/unknown. */
static double V(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    if (!c) { fprintf(stderr, "%s: no cell %s/%s\n", t->id, row, col); return -999; }
    if (c->kind == SRDI_CELL_NUM) return c->num;
    if (c->kind == SRDI_CELL_NULL) return NAN;
    return -999;
}

static int is_null(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_NULL;
}

static int is_absent(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_ABSENT;
}

/* Row keys joined with '|' and column keys joined with '|'. */
static const char *row_keys(const srdi_table *t)
{
    static char buf[2048];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->nrows && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : "", t->rows[i].key);
    return buf;
}

static const char *col_keys(const srdi_table *t)
{
    static char buf[2048];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->ncols && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : "", t->cols[i].key);
    return buf;
}

/* ---------------------------------------------------------------- tests */

static void test_t01(const srdi_dataset *d)
{
    srdi_table *t = build("T01", d, NULL, NULL);
    if (!t) return;
    CHECK_STR(t->id, "T01");
    CHECK_STR(t->name, "tier_share");
    CHECK_STR(row_keys(t), "national|provincial|total");
    CHECK_STR(col_keys(t), "count|share");
    CHECK_NUM(V(t, "national", "count"), 4, 0);
    CHECK_NUM(V(t, "provincial", "count"), 6, 0);
    CHECK_NUM(V(t, "total", "count"), 10, 0);
    CHECK_NUM(V(t, "national", "share"), 0.4, TOL);
    CHECK_NUM(V(t, "provincial", "share"), 0.6, TOL);
    CHECK_NUM(V(t, "total", "share"), 1.0, TOL);
    CHECK_INT(t->n, 10);
    CHECK_STR(t->source, "资料来源：srdi-report 根据企业数据库计算");
    CHECK(t->sheet && srdi_utf8_len(t->sheet) <= 12);
    srdi_table_free(t);
}

static void test_t02(const srdi_dataset *d)
{
    srdi_table *t = build("T02", d, NULL, NULL);
    if (!t) return;
    CHECK_STR(row_keys(t), "national|provincial|multiple|gap_pp");
    CHECK_STR(col_keys(t), "n|median|mean|share_ge_10000");
    /* national: 5000 10000 20000 */
    CHECK_NUM(V(t, "national", "n"), 3, 0);
    CHECK_NUM(V(t, "national", "median"), 10000, 0);
    CHECK_NUM(V(t, "national", "mean"), 35000.0 / 3.0, 1e-9);
    CHECK_NUM(V(t, "national", "share_ge_10000"), 2.0 / 3.0, TOL);
    /* provincial: 800 1000 2000 3000 12000 */
    CHECK_NUM(V(t, "provincial", "n"), 5, 0);
    CHECK_NUM(V(t, "provincial", "median"), 2000, 0);
    CHECK_NUM(V(t, "provincial", "mean"), 3760, 1e-9);
    CHECK_NUM(V(t, "provincial", "share_ge_10000"), 0.2, TOL);
    CHECK_NUM(V(t, "multiple", "median"), 5.0, TOL);
    CHECK_NUM(V(t, "multiple", "mean"), 35000.0 / 11280.0, TOL);
    CHECK_NUM(V(t, "gap_pp", "share_ge_10000"), (2.0 / 3.0 - 0.2) * 100, 1e-10);
    CHECK(is_absent(t, "multiple", "n"));
    CHECK(is_absent(t, "multiple", "share_ge_10000"));
    CHECK(is_absent(t, "gap_pp", "median"));
    CHECK_INT(t->n, 8);
    CHECK_STR(t->params, "capital_threshold=10000");
    /* documents: multiple row shown as 倍数, gap row as pp, not as 万元 / % */
    {
        char buf[64];
        int r = srdi_table_row(t, "multiple"), c = srdi_table_col(t, "median");
        srdi_cell_format(&t->cols[c], &t->rows[r].cells[c], buf, sizeof buf);
        CHECK_STR(buf, "5.00倍");
        r = srdi_table_row(t, "gap_pp");
        c = srdi_table_col(t, "share_ge_10000");
        srdi_cell_format(&t->cols[c], &t->rows[r].cells[c], buf, sizeof buf);
        CHECK_STR(buf, "46.67");
        srdi_tcol ec = srdi_cell_effective_col(&t->cols[c], &t->rows[r].cells[c]);
        CHECK_INT(ec.type, SRDI_COL_PP);
        r = srdi_table_row(t, "national");
        srdi_cell_format(&t->cols[c], &t->rows[r].cells[c], buf, sizeof buf);
        CHECK_STR(buf, "66.67%");
        c = srdi_table_col(t, "median");
        srdi_cell_format(&t->cols[c], &t->rows[r].cells[c], buf, sizeof buf);
        CHECK_STR(buf, "10,000");
    }
    srdi_table_free(t);

    /* parameter: threshold 5000 → national 3/3, provincial 12000 only → 1/5; key unchanged */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t02", "capital_threshold", "5000");
    t = build("T02", d, NULL, p);
    if (t) {
        CHECK_NUM(V(t, "national", "share_ge_10000"), 1.0, TOL);
        CHECK_NUM(V(t, "provincial", "share_ge_10000"), 0.2, TOL);
        CHECK_STR(t->params, "capital_threshold=5000");
        CHECK_STR(t->cols[3].label, "注册资本≥5000万元占比");
        srdi_table_free(t);
    }
    srdi_params_free(p);
}

static void test_t03(const srdi_dataset *d)
{
    srdi_table *t = build("T03", d, NULL, NULL);
    if (!t) return;
    CHECK_STR(row_keys(t), "0-50|51-100|101-200|201-500|501-1000|>1000|national|provincial");
    CHECK_STR(col_keys(t), "national_share|provincial_share|gap_pp|median|n");
    /* national staff 60 150 300 1200 → one each in 51-100, 101-200, 201-500, >1000 */
    CHECK_NUM(V(t, "0-50", "national_share"), 0, 0);
    CHECK_NUM(V(t, "51-100", "national_share"), 0.25, TOL);
    CHECK_NUM(V(t, "101-200", "national_share"), 0.25, TOL);
    CHECK_NUM(V(t, "201-500", "national_share"), 0.25, TOL);
    CHECK_NUM(V(t, "501-1000", "national_share"), 0, 0);
    CHECK_NUM(V(t, ">1000", "national_share"), 0.25, TOL);
    /* provincial 30 | 51 100 | 101 | 500 | 501 | — (edges inclusive above) */
    CHECK_NUM(V(t, "0-50", "provincial_share"), 1.0 / 6, TOL);
    CHECK_NUM(V(t, "51-100", "provincial_share"), 2.0 / 6, TOL);
    CHECK_NUM(V(t, "101-200", "provincial_share"), 1.0 / 6, TOL);
    CHECK_NUM(V(t, "201-500", "provincial_share"), 1.0 / 6, TOL);
    CHECK_NUM(V(t, "501-1000", "provincial_share"), 1.0 / 6, TOL);
    CHECK_NUM(V(t, ">1000", "provincial_share"), 0, 0);
    CHECK_NUM(V(t, "0-50", "gap_pp"), -100.0 / 6, 1e-10);
    CHECK_NUM(V(t, "51-100", "gap_pp"), (0.25 - 2.0 / 6) * 100, 1e-10);
    CHECK_NUM(V(t, ">1000", "gap_pp"), 25, 1e-10);
    CHECK_NUM(V(t, "national", "median"), 225, 0);     /* (150+300)/2 */
    CHECK_NUM(V(t, "provincial", "median"), 100.5, 0); /* (100+101)/2 */
    CHECK_NUM(V(t, "national", "n"), 4, 0);
    CHECK_NUM(V(t, "provincial", "n"), 6, 0);
    CHECK(is_absent(t, "national", "gap_pp"));
    CHECK(is_absent(t, "0-50", "median"));
    srdi_table_free(t);

    /* changed edges give changed keys */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t03", "band_1", "30");
    t = build("T03", d, NULL, p);
    if (t) {
        CHECK_STR(row_keys(t), "0-30|31-100|101-200|201-500|501-1000|>1000|national|provincial");
        CHECK_NUM(V(t, "0-30", "provincial_share"), 1.0 / 6, TOL);
        srdi_table_free(t);
    }
    srdi_params_free(p);
}

static void test_t04(const srdi_dataset *d)
{
    srdi_table *t = build("T04", d, NULL, NULL);
    if (!t) return;
    CHECK_STR(row_keys(t), "hon_little_giant|hon_high_tech|hon_tech_center|hon_tech_sme|hon_champion|"
                           "hon_eng_center|hon_gazelle|hon_unicorn|hon_green_factory|hon_cnas");
    CHECK_STR(col_keys(t), "national_rate|provincial_rate|gap_pp|multiple");
    /* little giant: national always 1; provincial P1 0, P2 1, P3 0 → 1/3 */
    CHECK_NUM(V(t, "hon_little_giant", "national_rate"), 1.0, 0);
    CHECK_NUM(V(t, "hon_little_giant", "provincial_rate"), 1.0 / 3, TOL);
    CHECK_NUM(V(t, "hon_little_giant", "gap_pp"), 200.0 / 3, 1e-10);
    CHECK_NUM(V(t, "hon_little_giant", "multiple"), 3.0, TOL);
    /* high tech: national 1 1 1 0 → .75; provincial 1 0 1 1 0 → .6 */
    CHECK_NUM(V(t, "hon_high_tech", "national_rate"), 0.75, TOL);
    CHECK_NUM(V(t, "hon_high_tech", "provincial_rate"), 0.6, TOL);
    CHECK_NUM(V(t, "hon_high_tech", "gap_pp"), 15, 1e-10);
    CHECK_NUM(V(t, "hon_high_tech", "multiple"), 1.25, TOL);
    /* tech center: national 1 0 1 → 2/3; provincial all missing → null */
    CHECK_NUM(V(t, "hon_tech_center", "national_rate"), 2.0 / 3, TOL);
    CHECK(is_null(t, "hon_tech_center", "provincial_rate"));
    CHECK(is_null(t, "hon_tech_center", "gap_pp"));
    CHECK(is_null(t, "hon_tech_center", "multiple"));
    CHECK(is_null(t, "hon_cnas", "national_rate"));
    CHECK_STR(t->rows[1].label, "高新技术企业");
    srdi_table_free(t);
}

static void test_t05_t06(const srdi_dataset *d)
{
    srdi_table *t = build("T05", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "national|provincial|total");
        CHECK_STR(col_keys(t), "n|rate|mean_among_holders");
        /* sums: N 2,0,3,null; P 0,1,0,3,null,0 */
        CHECK_NUM(V(t, "national", "n"), 3, 0);
        CHECK_NUM(V(t, "national", "rate"), 2.0 / 3, TOL);
        CHECK_NUM(V(t, "national", "mean_among_holders"), 2.5, TOL);
        CHECK_NUM(V(t, "provincial", "n"), 5, 0);
        CHECK_NUM(V(t, "provincial", "rate"), 0.4, TOL);
        CHECK_NUM(V(t, "provincial", "mean_among_holders"), 2.0, TOL);
        CHECK_NUM(V(t, "total", "n"), 8, 0);
        CHECK_NUM(V(t, "total", "rate"), 0.5, TOL);
        CHECK_NUM(V(t, "total", "mean_among_holders"), 2.25, TOL);
        srdi_table_free(t);
    }
    t = build("T06", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "national_with_std|national_without_std|provincial_with_std|provincial_without_std");
        CHECK_STR(col_keys(t), "median_patents|median_invention_grants|median_outcomes|n");
        /* N1 (80,20, 80+5+2=87), N3 (120,30, 120+10+3=133) */
        CHECK_NUM(V(t, "national_with_std", "median_patents"), 100, 0);
        CHECK_NUM(V(t, "national_with_std", "median_invention_grants"), 25, 0);
        CHECK_NUM(V(t, "national_with_std", "median_outcomes"), 110, 0);
        CHECK_NUM(V(t, "national_with_std", "n"), 2, 0);
        /* N2 (40, 10, 42) */
        CHECK_NUM(V(t, "national_without_std", "median_patents"), 40, 0);
        CHECK_NUM(V(t, "national_without_std", "median_invention_grants"), 10, 0);
        CHECK_NUM(V(t, "national_without_std", "median_outcomes"), 42, 0);
        CHECK_NUM(V(t, "national_without_std", "n"), 1, 0);
        /* P2 (60, 6, 64), P4 (—, 4, null) */
        CHECK_NUM(V(t, "provincial_with_std", "median_patents"), 60, 0);
        CHECK_NUM(V(t, "provincial_with_std", "median_invention_grants"), 5, 0);
        CHECK_NUM(V(t, "provincial_with_std", "median_outcomes"), 64, 0);
        CHECK_NUM(V(t, "provincial_with_std", "n"), 2, 0);
        /* P1 (10, 2, 11), P3 (5, 0, 5), P6 (20, 3, null) */
        CHECK_NUM(V(t, "provincial_without_std", "median_patents"), 10, 0);
        CHECK_NUM(V(t, "provincial_without_std", "median_invention_grants"), 2, 0);
        CHECK_NUM(V(t, "provincial_without_std", "median_outcomes"), 8, 0);
        CHECK_NUM(V(t, "provincial_without_std", "n"), 3, 0);
        srdi_table_free(t);
    }
}

static void test_t07_t08(const srdi_dataset *d)
{
    srdi_table *t = build("T07", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "intl_advanced|domestic_advanced|intl_level|domestic_level|national|provincial");
        CHECK_STR(col_keys(t), "national_share|provincial_share|gap_pp|multiple|n");
        CHECK_NUM(V(t, "intl_advanced", "national_share"), 0.25, TOL);
        CHECK_NUM(V(t, "intl_advanced", "provincial_share"), 1.0 / 6, TOL);
        CHECK_NUM(V(t, "intl_advanced", "gap_pp"), 25.0 / 3, 1e-10);
        CHECK_NUM(V(t, "intl_advanced", "multiple"), 1.5, TOL);
        CHECK_NUM(V(t, "domestic_level", "multiple"), 1.5, TOL);
        CHECK_NUM(V(t, "domestic_advanced", "national_share"), 0, 0);
        CHECK_NUM(V(t, "domestic_advanced", "gap_pp"), 0, 0);
        CHECK(is_null(t, "domestic_advanced", "multiple"));   /* 0 / 0 */
        CHECK_NUM(V(t, "national", "n"), 4, 0);
        CHECK_NUM(V(t, "provincial", "n"), 6, 0);
        CHECK(is_absent(t, "national", "national_share"));
        CHECK(is_absent(t, "intl_level", "n"));
        srdi_table_free(t);
    }
    t = build("T08", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "national|provincial");
        CHECK_STR(col_keys(t), "with_eval_median|without_eval_median|relative_gap");
        /* national with: 20 30 → 25; without: 10 50 → 30 */
        CHECK_NUM(V(t, "national", "with_eval_median"), 25, 0);
        CHECK_NUM(V(t, "national", "without_eval_median"), 30, 0);
        CHECK_NUM(V(t, "national", "relative_gap"), 25.0 / 30 - 1, TOL);
        /* provincial with: 6 3 → 4.5; without: 2 0 4 8 → 3 */
        CHECK_NUM(V(t, "provincial", "with_eval_median"), 4.5, 0);
        CHECK_NUM(V(t, "provincial", "without_eval_median"), 3, 0);
        CHECK_NUM(V(t, "provincial", "relative_gap"), 0.5, TOL);
        srdi_table_free(t);
    }
}

static void test_fin(const srdi_dataset *d)
{
    srdi_table *t = build("T09", d, NULL, NULL);
    if (t) {
        CHECK(!t->no_data);
        CHECK_STR(row_keys(t), "2022|2023");
        CHECK_STR(col_keys(t), "national_median|national_n|provincial_median|provincial_n");
        CHECK_NUM(V(t, "2022", "national_median"), 0.1, TOL);
        CHECK_NUM(V(t, "2022", "national_n"), 1, 0);
        CHECK(is_null(t, "2022", "provincial_median"));
        CHECK_NUM(V(t, "2022", "provincial_n"), 0, 0);
        CHECK_NUM(V(t, "2023", "national_median"), (0.1 - 0.25) / 2, TOL);
        CHECK_NUM(V(t, "2023", "national_n"), 2, 0);
        CHECK_NUM(V(t, "2023", "provincial_median"), (0.25 + 1.0) / 2, TOL);
        CHECK_NUM(V(t, "2023", "provincial_n"), 2, 0);
        CHECK_INT(t->n, 4);
        srdi_table_free(t);
    }
    t = build("T10", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "2021|2022|2023");
        CHECK_STR(col_keys(t), "national_mean|national_n|provincial_mean|provincial_n|n");
        CHECK_NUM(V(t, "2021", "national_mean"), 0.1, TOL);
        CHECK_NUM(V(t, "2021", "national_n"), 1, 0);
        CHECK_NUM(V(t, "2021", "provincial_mean"), 0.1, TOL);
        CHECK_NUM(V(t, "2021", "n"), 2, 0);
        CHECK_NUM(V(t, "2022", "national_mean"), 0.15, TOL);   /* .2 .1 (.4 filtered) */
        CHECK_NUM(V(t, "2022", "national_n"), 2, 0);
        CHECK_NUM(V(t, "2022", "provincial_mean"), 0.1, TOL);
        CHECK_NUM(V(t, "2022", "provincial_n"), 1, 0);
        CHECK_NUM(V(t, "2022", "n"), 3, 0);
        CHECK_NUM(V(t, "2023", "national_mean"), 0.15, TOL);   /* .1 .2 */
        CHECK_NUM(V(t, "2023", "provincial_mean"), 0.55 / 3, TOL); /* .25 .3 0 */
        CHECK_NUM(V(t, "2023", "provincial_n"), 3, 0);
        CHECK_NUM(V(t, "2023", "n"), 5, 0);
        srdi_table_free(t);
    }
    t = build("T11", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "national|provincial|gap_pp");
        CHECK_STR(col_keys(t), "mean|p50|p75|p90|n");
        /* 2023 national .1 .2: P75 h=.75 → .175, P90 h=.9 → .19 */
        CHECK_NUM(V(t, "national", "mean"), 0.15, TOL);
        CHECK_NUM(V(t, "national", "p50"), 0.15, TOL);
        CHECK_NUM(V(t, "national", "p75"), 0.175, TOL);
        CHECK_NUM(V(t, "national", "p90"), 0.19, TOL);
        CHECK_NUM(V(t, "national", "n"), 2, 0);
        /* provincial 0 .25 .3: P50 .25, P75 h=1.5 → .275, P90 h=1.8 → .29 */
        CHECK_NUM(V(t, "provincial", "mean"), 0.55 / 3, TOL);
        CHECK_NUM(V(t, "provincial", "p50"), 0.25, TOL);
        CHECK_NUM(V(t, "provincial", "p75"), 0.275, TOL);
        CHECK_NUM(V(t, "provincial", "p90"), 0.29, TOL);
        CHECK_NUM(V(t, "provincial", "n"), 3, 0);
        CHECK_NUM(V(t, "gap_pp", "mean"), (0.15 - 0.55 / 3) * 100, 1e-10);
        CHECK_NUM(V(t, "gap_pp", "p50"), -10, 1e-10);
        CHECK_NUM(V(t, "gap_pp", "p75"), -10, 1e-10);
        CHECK_NUM(V(t, "gap_pp", "p90"), -10, 1e-10);
        CHECK(is_absent(t, "gap_pp", "n"));
        CHECK_STR(t->params, "year=2023; rd_min=0; rd_max=0.3");
        srdi_table_free(t);
    }
    /* T10 filter as a parameter: rd_max .2 drops P2's .3 and P1's .25 in 2023 */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t10", "rd_max", "0.2");
    t = build("T10", d, NULL, p);
    if (t) {
        CHECK_NUM(V(t, "2023", "provincial_mean"), 0, 0);
        CHECK_NUM(V(t, "2023", "provincial_n"), 1, 0);
        srdi_table_free(t);
    }
    srdi_params_free(p);
}

static void test_no_fin(const srdi_dataset *d)
{
    const char *fns[3] = {"T09", "T10", "T11"};
    for (int i = 0; i < 3; i++) {
        srdi_table *t = build(fns[i], d, NULL, NULL);
        if (!t) continue;
        CHECK(t->no_data);
        CHECK_INT(t->nrows, 0);
        CHECK(t->ncols >= 4);
        srdi_table_free(t);
    }
}

static void test_t12(const srdi_dataset *d)
{
    srdi_table *t = build("T12", d, NULL, NULL);
    if (!t) return;
    CHECK_STR(row_keys(t), "high_scale_high_innovation|low_scale_high_innovation|high_scale_low_innovation|"
                           "low_scale_low_innovation|total");
    CHECK_STR(col_keys(t), "count|share|national_share");
    /* hh N1 N4 P5; lh N3 P2; hl N2 P6; ll P1 P3 (100 is not > 100); P4 left out */
    CHECK_NUM(V(t, "high_scale_high_innovation", "count"), 3, 0);
    CHECK_NUM(V(t, "high_scale_high_innovation", "share"), 1.0 / 3, TOL);
    CHECK_NUM(V(t, "high_scale_high_innovation", "national_share"), 2.0 / 3, TOL);
    CHECK_NUM(V(t, "low_scale_high_innovation", "count"), 2, 0);
    CHECK_NUM(V(t, "low_scale_high_innovation", "share"), 2.0 / 9, TOL);
    CHECK_NUM(V(t, "low_scale_high_innovation", "national_share"), 0.5, TOL);
    CHECK_NUM(V(t, "high_scale_low_innovation", "national_share"), 0.5, TOL);
    CHECK_NUM(V(t, "low_scale_low_innovation", "count"), 2, 0);
    CHECK_NUM(V(t, "low_scale_low_innovation", "national_share"), 0, 0);
    CHECK_NUM(V(t, "total", "count"), 9, 0);
    CHECK(is_absent(t, "total", "share"));
    CHECK(is_absent(t, "total", "national_share"));
    srdi_table_free(t);
}

static void test_t13_t14(const srdi_dataset *d)
{
    srdi_table *t = build("T13", d, NULL, NULL);
    if (t) {
        /* 江苏 4, 广东 2, then four 1s by code point: 北(5317) 山(5C71) 河(6CB3) 浙(6D59),
           then every other province of provinces.csv with count 0, ranked 7 together */
        const char *want = "江苏省|广东省|北京市|山西省|河北省|浙江省|上海市|";
        CHECK(strncmp(row_keys(t), want, strlen(want)) == 0);
        CHECK_INT(t->nrows, 34);
        CHECK_NUM(V(t, "上海市", "rank"), 7, 0);
        CHECK_NUM(V(t, "黑龙江省", "rank"), 7, 0);
        CHECK_NUM(V(t, "上海市", "count"), 0, 0);
        CHECK_NUM(V(t, "上海市", "share"), 0, 0);
        CHECK(srdi_table_cell(t, "上海市", "national_share")->kind == SRDI_CELL_NULL);
        CHECK_STR(col_keys(t), "rank|count|share|national_share");
        CHECK_NUM(V(t, "江苏省", "rank"), 1, 0);
        CHECK_NUM(V(t, "江苏省", "count"), 4, 0);
        CHECK_NUM(V(t, "江苏省", "share"), 0.4, TOL);
        CHECK_NUM(V(t, "江苏省", "national_share"), 0.5, TOL);
        CHECK_NUM(V(t, "广东省", "rank"), 2, 0);
        CHECK_NUM(V(t, "北京市", "rank"), 3, 0);
        CHECK_NUM(V(t, "浙江省", "rank"), 3, 0);
        CHECK_NUM(V(t, "北京市", "national_share"), 1, 0);
        CHECK_NUM(V(t, "浙江省", "national_share"), 0, 0);
        CHECK_NUM(V(t, "浙江省", "share"), 0.1, TOL);
        CHECK_STR(t->params, "top_n_documents=10");
        srdi_table_free(t);
    }
    t = build("T14", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "京津冀|长三角|珠三角");
        CHECK_STR(col_keys(t), "count|share|national_share");
        CHECK_NUM(V(t, "京津冀", "count"), 2, 0);
        CHECK_NUM(V(t, "京津冀", "share"), 0.2, TOL);
        CHECK_NUM(V(t, "京津冀", "national_share"), 0.5, TOL);
        CHECK_NUM(V(t, "长三角", "count"), 5, 0);
        CHECK_NUM(V(t, "长三角", "share"), 0.5, TOL);
        CHECK_NUM(V(t, "长三角", "national_share"), 0.4, TOL);
        CHECK_NUM(V(t, "珠三角", "count"), 2, 0);
        CHECK_NUM(V(t, "珠三角", "national_share"), 0.5, TOL);
        srdi_table_free(t);
    }
}

static void test_t15_t17(const srdi_dataset *d)
{
    srdi_table *t = build("T15", d, NULL, NULL);
    if (t) {
        /* divisions 39 (5), 34 (3), 75 (2); clusters 京津冀 {N4 75, P6 75},
           长三角 {N1 39, N2 39, P1 39, P2 34, P3 34}, 珠三角 {N3 39, P4 39} */
        CHECK_STR(row_keys(t), "39|34|75");
        CHECK_STR(col_keys(t), "京津冀|长三角|珠三角");
        CHECK_NUM(V(t, "39", "京津冀"), 0, 0);
        CHECK_NUM(V(t, "39", "长三角"), 0.6, TOL);
        CHECK_NUM(V(t, "39", "珠三角"), 1.0, TOL);
        CHECK_NUM(V(t, "34", "长三角"), 0.4, TOL);
        CHECK_NUM(V(t, "34", "珠三角"), 0, 0);
        CHECK_NUM(V(t, "75", "京津冀"), 1.0, TOL);
        CHECK_STR(t->rows[0].label, "39 计算机、通信和其他电子设备制造业");
        srdi_table_free(t);
    }
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t15", "top_n", "2");
    t = build("T15", d, NULL, p);
    if (t) {
        CHECK_STR(row_keys(t), "39|34");
        srdi_table_free(t);
    }
    srdi_params_free(p);

    t = build("T16", d, NULL, NULL);
    if (t) {
        /* 苏州 3 (pt 80 10 60 → 60), 深圳 2 (120, P4 missing → 120), then 1s:
           北(5317) 南(5357) 太(592A) 杭(676D) 石(77F3) */
        CHECK_STR(row_keys(t), "苏州市|深圳市|北京市|南京市|太原市|杭州市|石家庄市");
        CHECK_STR(col_keys(t), "count|share|median_patents");
        CHECK_NUM(V(t, "苏州市", "count"), 3, 0);
        CHECK_NUM(V(t, "苏州市", "share"), 0.3, TOL);
        CHECK_NUM(V(t, "苏州市", "median_patents"), 60, 0);
        CHECK_NUM(V(t, "深圳市", "median_patents"), 120, 0);
        CHECK_NUM(V(t, "北京市", "median_patents"), 200, 0);
        CHECK_NUM(V(t, "杭州市", "median_patents"), 5, 0);
        CHECK_NUM(V(t, "石家庄市", "share"), 0.1, TOL);
        srdi_table_free(t);
    }
    t = build("T17", d, NULL, NULL);
    if (t) {
        CHECK_STR(row_keys(t), "39|34|75");
        CHECK_STR(col_keys(t), "count|share");
        CHECK_NUM(V(t, "39", "count"), 5, 0);
        CHECK_NUM(V(t, "39", "share"), 0.5, TOL);
        CHECK_NUM(V(t, "34", "share"), 0.3, TOL);
        CHECK_NUM(V(t, "75", "share"), 0.2, TOL);
        CHECK_STR(t->rows[2].label, "75 科技推广和应用服务业");
        srdi_table_free(t);
    }
}

/* Scope: hide N1 and P2 (rows 0 and 5). */
static void test_scope(const srdi_dataset *d)
{
    uint8_t scope[NFX];
    for (size_t i = 0; i < NFX; i++) scope[i] = 1;
    scope[0] = 0;
    scope[5] = 0;
    srdi_table *t = build("T01", d, scope, NULL);
    if (t) {
        CHECK_NUM(V(t, "national", "count"), 3, 0);
        CHECK_NUM(V(t, "provincial", "count"), 5, 0);
        CHECK_NUM(V(t, "national", "share"), 3.0 / 8, TOL);
        srdi_table_free(t);
    }
    t = build("T13", d, scope, NULL);
    if (t) {
        /* TABLES.md "Scope": T13 keeps the whole P (places the region among the
           others): N1 and P2 still count — 江苏 4, 广东 2, as without a scope */
        const char *want2 = "江苏省|广东省|北京市|山西省|河北省|浙江省|上海市|";
        CHECK(strncmp(row_keys(t), want2, strlen(want2)) == 0);
        CHECK_NUM(V(t, "江苏省", "rank"), 1, 0);
        CHECK_NUM(V(t, "江苏省", "count"), 4, 0);
        CHECK_NUM(V(t, "北京市", "rank"), 3, 0);
        CHECK_INT(t->n, 10);
        srdi_table_free(t);
    }
    t = build("T14", d, scope, NULL);
    if (t) {   /* whole P too: the counts of the unscoped build */
        CHECK_NUM(V(t, "京津冀", "count"), 2, 0);
        CHECK_NUM(V(t, "长三角", "count"), 5, 0);
        CHECK_NUM(V(t, "长三角", "share"), 0.5, TOL);
        srdi_table_free(t);
    }
    t = build("T09", d, scope, NULL);
    if (t) {
        /* only N2 (2023 −.25) and P3 (2023 1.0) remain */
        CHECK_STR(row_keys(t), "2023");
        CHECK_NUM(V(t, "2023", "national_median"), -0.25, TOL);
        CHECK_NUM(V(t, "2023", "provincial_median"), 1.0, TOL);
        srdi_table_free(t);
    }
}

/* Empty population: every statistic null, counts 0, no crash. */
static void test_empty(void)
{
    srdi_reference *ref = NULL;
    if (srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) != SRDI_OK) return;
    srdi_dataset *d = srdi_dataset_new(ref);
    if (!d) return;
    srdi_table *t = build("T01", d, NULL, NULL);
    if (t) {
        CHECK_NUM(V(t, "total", "count"), 0, 0);
        CHECK(is_null(t, "total", "share"));
        srdi_table_free(t);
    }
    t = build("T02", d, NULL, NULL);
    if (t) {
        CHECK(is_null(t, "national", "median"));
        CHECK(is_null(t, "multiple", "mean"));
        CHECK(is_null(t, "gap_pp", "share_ge_10000"));
        srdi_table_free(t);
    }
    const char *fns[] = {"T03", "T04", "T05", "T06", "T07",
                           "T08", "T12", "T13", "T14", "T15",
                           "T16", "T17"};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        t = build(fns[i], d, NULL, NULL);
        srdi_table_free(t);
    }
    t = build("T14", d, NULL, NULL);
    if (t) {
        CHECK(is_null(t, "长三角", "national_share"));
        srdi_table_free(t);
    }
    srdi_dataset_free(d);
}

int main(void)
{
    srdi_dataset *d = build_fixture(1);
    CHECK(d != NULL);
    if (d) {
        test_t01(d);
        test_t02(d);
        test_t03(d);
        test_t04(d);
        test_t05_t06(d);
        test_t07_t08(d);
        test_fin(d);
        test_t12(d);
        test_t13_t14(d);
        test_t15_t17(d);
        test_scope(d);
        srdi_dataset_free(d);
    }
    d = build_fixture(0);
    if (d) {
        test_no_fin(d);
        srdi_dataset_free(d);
    }
    test_empty();
    return testutil_finish();
}
