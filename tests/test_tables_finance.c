/*
 * tests/test_tables_finance.c — T09–T11 and T22 (src/tables/finance.c): the fixture of
 * test_tables_util.h with and without financials, and the R&D band set.
 */
#include "test_tables_util.h"

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
        CHECK_NUM(V(t, "2022", "national_mean"), 0.15, TOL); /* .2 .1 (.4 filtered) */
        CHECK_NUM(V(t, "2022", "national_n"), 2, 0);
        CHECK_NUM(V(t, "2022", "provincial_mean"), 0.1, TOL);
        CHECK_NUM(V(t, "2022", "provincial_n"), 1, 0);
        CHECK_NUM(V(t, "2022", "n"), 3, 0);
        CHECK_NUM(V(t, "2023", "national_mean"), 0.15, TOL);       /* .1 .2 */
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
        CHECK_NUM(V(t, "gap_pp", "mean"), -3.33, 1e-10); /* 15.00% − 18.33% as printed */
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

static void test_scope(const srdi_dataset *d)
{
    uint8_t scope[NFX];
    scope_hide_n1_p2(scope);
    srdi_table *t = NULL;
    t = build("T09", d, scope, NULL);
    if (t) {
        /* only N2 (2023 −.25) and P3 (2023 1.0) remain */
        CHECK_STR(row_keys(t), "2023");
        CHECK_NUM(V(t, "2023", "national_median"), -0.25, TOL);
        CHECK_NUM(V(t, "2023", "provincial_median"), 1.0, TOL);
        srdi_table_free(t);
    }
}

/*
 * R&D band data set; latest year 2024 (2023 rows are older):
 *   e0 nat  .30 band ≥25%  patents 10 grants 4
 *   e1 prov .25 band ≥25%  patents 20 grants missing   (edge)
 *   e2 nat  .20 band 15-25 patents 5  grants 1
 *   e3 prov .15 band 15-25 patents 7  grants 3         (edge)
 *   e4 prov .10 band <15   patents 1  grants 0
 *   e5 prov revenue 0 → no ratio; e6 nat only 2023; e7 prov rd missing;
 *   e8 champion .5 (not P).
 */
static srdi_dataset *bands_set(void)
{
    srdi_dataset *d = tb_new();
    const struct {
        srdi_level lv;
        double rev, rd, pat, gr;
        int year;
    } s[] = {
        {SRDI_LEVEL_NATIONAL, 100, 30, 10, 4, 2024},  {SRDI_LEVEL_PROVINCIAL, 100, 25, 20, -1, 2024},
        {SRDI_LEVEL_NATIONAL, 200, 40, 5, 1, 2024},   {SRDI_LEVEL_PROVINCIAL, 100, 15, 7, 3, 2024},
        {SRDI_LEVEL_PROVINCIAL, 100, 10, 1, 0, 2024}, {SRDI_LEVEL_PROVINCIAL, 0, 5, 1, 1, 2024},
        {SRDI_LEVEL_NATIONAL, 100, 50, 1, 1, 2023},   {SRDI_LEVEL_PROVINCIAL, 100, NAN, 1, 1, 2024},
        {SRDI_LEVEL_CHAMPION, 100, 50, 1, 1, 2024},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        size_t r = tb_add(d, s[i].lv, "3971");
        srdi_dataset_set(d, r, SRDI_F_PATENTS_TOTAL, s[i].pat);
        if (s[i].gr >= 0) srdi_dataset_set(d, r, SRDI_F_INVENTION_GRANTS, s[i].gr);
        srdi_dataset_add_financial(d, (uint32_t)r, s[i].year, s[i].rev, s[i].rd);
        if (s[i].year == 2024) srdi_dataset_add_financial(d, (uint32_t)r, 2023, 100, 99);
    }
    return d;
}

static void test_t22(void)
{
    srdi_dataset *d = bands_set();
    srdi_table *t = tb_build("T22", d, NULL, NULL);
    CHECK(!t->no_data);
    CHECK_INT(t->nrows, 4);
    CHECK_STR(t->rows[0].key, ">=25%");
    CHECK_STR(t->rows[1].key, "15-25%");
    CHECK_STR(t->rows[2].key, "<15%");
    CHECK_STR(t->rows[3].key, "total");
    CHECK_CELL(t, ">=25%", "count", 2);
    CHECK_CELL(t, ">=25%", "share", 0.4);
    CHECK_CELL(t, ">=25%", "median_patents", 15);
    CHECK_CELL(t, ">=25%", "median_invention_grants", 4);
    CHECK_CELL(t, ">=25%", "national_share", 0.5);
    CHECK_CELL(t, "15-25%", "count", 2);
    CHECK_CELL(t, "15-25%", "median_patents", 6);
    CHECK_CELL(t, "15-25%", "median_invention_grants", 2);
    CHECK_CELL(t, "15-25%", "national_share", 0.5);
    CHECK_CELL(t, "<15%", "count", 1);
    CHECK_CELL(t, "<15%", "share", 0.2);
    CHECK_CELL(t, "<15%", "median_invention_grants", 0);
    CHECK_CELL(t, "<15%", "national_share", 0);
    CHECK_CELL(t, "total", "count", 5);
    CHECK_ABSENT(t, "total", "share");
    CHECK_ABSENT(t, "total", "national_share");
    CHECK_INT(t->n, 5);
    srdi_table_free(t);

    /* scope: only e0..e2 → counts 2 / 1 / 0, empty band → null medians and share */
    uint8_t *scope = calloc(d->n, 1);
    scope[0] = scope[1] = scope[2] = 1;
    t = tb_build("T22", d, scope, NULL);
    CHECK_CELL(t, ">=25%", "count", 2);
    CHECK_CELL(t, "15-25%", "share", 1.0 / 3.0);
    CHECK_CELL(t, "<15%", "count", 0);
    CHECK_CELL(t, "<15%", "share", 0);
    CHECK_NULLCELL(t, "<15%", "median_patents");
    CHECK_NULLCELL(t, "<15%", "national_share");
    srdi_table_free(t);
    free(scope);
    srdi_dataset_free(d);

    /* no financials → no_data, columns defined, no rows */
    d = tb_new();
    tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    t = tb_build("T22", d, NULL, NULL);
    CHECK(t->no_data);
    CHECK_INT(t->nrows, 0);
    CHECK_INT(t->ncols, 5);
    srdi_table_free(t);
    srdi_dataset_free(d);
}

int main(void)
{
    static void (*const on_fixture[])(const srdi_dataset *) = {test_fin, test_scope};
    tb_on_fixture(1, on_fixture, sizeof on_fixture / sizeof on_fixture[0]);
    srdi_dataset *d = build_fixture(0);
    if (d) {
        test_no_fin(d);
        srdi_dataset_free(d);
    }
    test_t22();
    return testutil_finish();
}
