/*
 * tests/test_tables_levels.c — T01–T08 (src/tables/levels.c) on the hand-built fixture of
 * test_tables_util.h; the comments show the arithmetic.
 */
#include "test_tables_util.h"

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
    CHECK_STR(t->source, "资料来源：专精特新企业数据库，课题组计算");
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
    CHECK_NUM(V(t, "gap_pp", "share_ge_10000"), 46.67, 1e-10); /* 66.67% − 20.00% */
    CHECK(is_absent(t, "multiple", "n"));
    CHECK(is_absent(t, "multiple", "share_ge_10000"));
    CHECK(is_absent(t, "gap_pp", "median"));
    CHECK_INT(t->n, 8);
    CHECK_STR(t->params, "capital_threshold=10000");
    CHECK_STR(t->cols[3].label, "注册资本≥10,000万元占比");
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
        CHECK_STR(t->cols[3].label, "注册资本≥5,000万元占比"); /* grouped like every printed number */
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
    CHECK_NUM(V(t, "0-50", "gap_pp"), -16.67, 1e-10); /* 0.00% − 16.67% */
    CHECK_NUM(V(t, "51-100", "gap_pp"), -8.33, 1e-10); /* 25.00% − 33.33% */
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
    CHECK_NUM(V(t, "hon_little_giant", "gap_pp"), 66.67, 1e-10); /* as printed: 200/3 pp */
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
        CHECK_NUM(V(t, "intl_advanced", "gap_pp"), 8.33, 1e-10); /* as printed: 25/3 pp */
        CHECK_NUM(V(t, "intl_advanced", "multiple"), 1.5, TOL);
        CHECK_NUM(V(t, "domestic_level", "multiple"), 1.5, TOL);
        CHECK_NUM(V(t, "domestic_advanced", "national_share"), 0, 0);
        CHECK_NUM(V(t, "domestic_advanced", "gap_pp"), 0, 0);
        CHECK(is_null(t, "domestic_advanced", "multiple")); /* 0 / 0 */
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

static void test_scope(const srdi_dataset *d)
{
    uint8_t scope[NFX];
    scope_hide_n1_p2(scope);
    srdi_table *t = NULL;
    t = build("T01", d, scope, NULL);
    if (t) {
        CHECK_NUM(V(t, "national", "count"), 3, 0);
        CHECK_NUM(V(t, "provincial", "count"), 5, 0);
        CHECK_NUM(V(t, "national", "share"), 3.0 / 8, TOL);
        srdi_table_free(t);
    }
}

/* Empty population: every statistic null, counts 0, no crash. */
static void test_empty(void)
{
    srdi_dataset *d = tb_new();
    static const char *const ids[] = {"T03", "T04", "T05", "T06", "T07", "T08"};
    build_each(d, ids, sizeof ids / sizeof ids[0]);
    srdi_table *t = NULL;
    t = build("T01", d, NULL, NULL);
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
    srdi_dataset_free(d);
}

int main(void)
{
    static void (*const on_fixture[])(const srdi_dataset *) = {test_t01,     test_t02,     test_t03,  test_t04,
                                                               test_t05_t06, test_t07_t08, test_scope};
    tb_on_fixture(1, on_fixture, sizeof on_fixture / sizeof on_fixture[0]);
    test_empty();
    return testutil_finish();
}
