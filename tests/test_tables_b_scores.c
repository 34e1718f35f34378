/*
 * test_tables_b_scores.c — T22 (R&D bands), T24 (score × R&D types),
 * T25 (domain profile), T26 (domain × score band) on hand-made data;
 * every expected value is computed by hand in the comments.
 */
#include "test_tables_b_util.h"

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
    const struct { srdi_level lv; double rev, rd, pat, gr; int year; } s[] = {
        {SRDI_LEVEL_NATIONAL, 100, 30, 10, 4, 2024},
        {SRDI_LEVEL_PROVINCIAL, 100, 25, 20, -1, 2024},
        {SRDI_LEVEL_NATIONAL, 200, 40, 5, 1, 2024},
        {SRDI_LEVEL_PROVINCIAL, 100, 15, 7, 3, 2024},
        {SRDI_LEVEL_PROVINCIAL, 100, 10, 1, 0, 2024},
        {SRDI_LEVEL_PROVINCIAL, 0, 5, 1, 1, 2024},
        {SRDI_LEVEL_NATIONAL, 100, 50, 1, 1, 2023},
        {SRDI_LEVEL_PROVINCIAL, 100, NAN, 1, 1, 2024},
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

/*
 * Score data set.  National rows n1..n3 all have patents 100, grants 10,
 * staff 50, capital 1000, software 10 → national medians are those values
 * and each national score is 25 + 30 + 15 + 20 + 10 = 100.
 *   p1 half of everything                       → 50
 *   p2 = national but software 0                → 90
 *   p3 patents 50 (12.5) + 30 + 15 + 20 + 0     → 77.5
 *   p4 patents 200 (capped 25) + grants 5 (15) + 15 + capital 500 (10) + 10 → 75
 *   p5 software missing                         → no score
 *   p6 all zero                                 → 0
 * Ratios 2024: n1 .30, n2 .20, n3 none, p1 .10, p2 .25, p3 .15, p4 .40,
 * p5 .30, p6 .20.  Classes: n1 n2 p2 p5 3971 (电子核心产业), n3 p3 p4 3821
 * (高端装备), p1 0111 (no domain), p6 2651 (先进材料).
 */
static srdi_dataset *scores_set(void)
{
    srdi_dataset *d = tb_new();
    const struct { srdi_level lv; const char *cls; double pat, gr, staff, cap, sw, rd; } s[] = {
        {SRDI_LEVEL_NATIONAL, "3971", 100, 10, 50, 1000, 10, 30},
        {SRDI_LEVEL_NATIONAL, "3971", 100, 10, 50, 1000, 10, 20},
        {SRDI_LEVEL_NATIONAL, "3821", 100, 10, 50, 1000, 10, -1},
        {SRDI_LEVEL_PROVINCIAL, "0111", 50, 5, 25, 500, 5, 10},
        {SRDI_LEVEL_PROVINCIAL, "3971", 100, 10, 50, 1000, 0, 25},
        {SRDI_LEVEL_PROVINCIAL, "3821", 50, 10, 50, 1000, 0, 15},
        {SRDI_LEVEL_PROVINCIAL, "3821", 200, 5, 50, 500, 10, 40},
        {SRDI_LEVEL_PROVINCIAL, "3971", 100, 10, 50, 1000, -1, 30},
        {SRDI_LEVEL_PROVINCIAL, "2651", 0, 0, 0, 0, 0, 20},
        {SRDI_LEVEL_CHAMPION, "3971", 1, 1, 1, 1, 1, 90},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        size_t r = tb_add(d, s[i].lv, s[i].cls);
        srdi_dataset_set(d, r, SRDI_F_PATENTS_TOTAL, s[i].pat);
        srdi_dataset_set(d, r, SRDI_F_INVENTION_GRANTS, s[i].gr);
        srdi_dataset_set(d, r, SRDI_F_STAFF, s[i].staff);
        srdi_dataset_set(d, r, SRDI_F_REG_CAPITAL, s[i].cap);
        if (s[i].sw >= 0) srdi_dataset_set(d, r, SRDI_F_SOFTWARE_COPYRIGHTS, s[i].sw);
        if (s[i].rd >= 0) srdi_dataset_add_financial(d, (uint32_t)r, 2024, 100, s[i].rd);
    }
    return d;
}

static void test_t24(void)
{
    srdi_dataset *d = scores_set();
    srdi_table *t = tb_build("T24", d, NULL, NULL);
    /* n1 (100, .30) 双高型; n2 (100, .20) 高产出型; p1 (50, .10) 基础型;
     * p2 (90, .25) 双高型; p3 (77.5, .15) 潜力型; p4 (75, .40) 高投入型;
     * p6 (0, .20) 其他; n3 no ratio, p5 no score → 7 rows */
    CHECK_INT(t->nrows, 7);
    CHECK_STR(t->rows[0].key, "双高型");
    CHECK_STR(t->rows[5].key, "其他");
    CHECK_STR(t->rows[6].key, "total");
    CHECK_CELL(t, "双高型", "count", 2);
    CHECK_CELL(t, "双高型", "share", 2.0 / 7.0);
    CHECK_CELL(t, "高产出型", "count", 1);
    CHECK_CELL(t, "高投入型", "count", 1);
    CHECK_CELL(t, "潜力型", "count", 1);
    CHECK_CELL(t, "基础型", "count", 1);
    CHECK_CELL(t, "其他", "count", 1);
    CHECK_CELL(t, "其他", "share", 1.0 / 7.0);
    CHECK_CELL(t, "total", "count", 7);
    CHECK_ABSENT(t, "total", "share");
    srdi_table_free(t);

    /* weights changed: w_digital 0 and w_tech 35 → p2 = 35+30+15+20 = 100 (still 双高型),
     * p3 = 17.5+30+15+20 = 82.5 → 高产出型, p6 stays 其他 */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t24", "w_digital", "0");
    srdi_params_set(p, "t24", "w_tech", "35");
    t = tb_build("T24", d, NULL, p);
    CHECK_CELL(t, "高产出型", "count", 2);
    CHECK_CELL(t, "潜力型", "count", 0);
    CHECK_CELL(t, "潜力型", "share", 0);
    srdi_table_free(t);

    /* A scope of provincial rows only (p1, p3): the scores keep the reference
       medians of the whole P (TABLES.md "Scope"), so p1 50 → 基础型, p3 77.5 → 潜力型
       (with the scope's own national medians there would be no score at all). */
    uint8_t *scope = calloc(d->n, 1);
    scope[3] = scope[5] = 1;
    t = tb_build("T24", d, scope, NULL);
    CHECK_CELL(t, "基础型", "count", 1);
    CHECK_CELL(t, "潜力型", "count", 1);
    CHECK_CELL(t, "双高型", "count", 0);
    CHECK_CELL(t, "total", "count", 2);
    srdi_table_free(t);
    free(scope);
    srdi_params_free(p);
    srdi_dataset_free(d);
}

static void test_t25(void)
{
    srdi_dataset *d = scores_set();
    srdi_table *t = tb_build("T25", d, NULL, NULL);
    CHECK_INT(t->nrows, (long long)d->ref->n_domain_names);
    /* 电子核心产业: n1 n2 p2 p5: grants 10,10,10,10; software 10,10,0 → 10;
     * ratios .30 .20 .25 .30 → 0.2625; n 4 */
    CHECK_CELL(t, "电子核心产业", "median_invention_grants", 10);
    CHECK_NUM(tb_num(t, "电子核心产业", "mean_rd_ratio"), (0.30 + 0.20 + 0.25 + 0.30) / 4, 1e-12);
    CHECK_CELL(t, "电子核心产业", "median_software_copyrights", 10);
    CHECK_CELL(t, "电子核心产业", "n", 4);
    /* 高端装备: n3 p3 p4: grants 10,10,5 → 10; software 10,0,10 → 10; ratios .15 .40 */
    CHECK_CELL(t, "高端装备", "median_invention_grants", 10);
    CHECK_NUM(tb_num(t, "高端装备", "mean_rd_ratio"), (0.15 + 0.40) / 2, 1e-12);
    CHECK_CELL(t, "高端装备", "n", 3);
    CHECK_CELL(t, "先进材料", "median_invention_grants", 0);
    CHECK_CELL(t, "先进材料", "mean_rd_ratio", 0.2);
    CHECK_CELL(t, "先进材料", "n", 1);
    /* a domain without enterprises: n 0, nulls */
    CHECK_CELL(t, "新能源", "n", 0);
    CHECK_NULLCELL(t, "新能源", "median_invention_grants");
    CHECK_NULLCELL(t, "新能源", "mean_rd_ratio");
    CHECK_NULLCELL(t, "新能源", "median_software_copyrights");
    CHECK_INT(t->n, 8);
    srdi_table_free(t);
    srdi_dataset_free(d);
}

static void test_t26(void)
{
    srdi_dataset *d = scores_set();
    srdi_table *t = tb_build("T26", d, NULL, NULL);
    CHECK_INT(t->ncols, 4);
    CHECK_STR(t->cols[0].key, ">=85");
    CHECK_STR(t->cols[1].key, "70-85");
    CHECK_STR(t->cols[2].key, "60-70");
    CHECK_STR(t->cols[3].key, "<60");
    CHECK_INT(t->nrows, (long long)d->ref->n_domain_names);
    /* 电子核心产业 ≥85: n1 n2 p2 → 2/3 (p5 has no score) */
    CHECK_CELL(t, "电子核心产业", ">=85", 2.0 / 3.0);
    CHECK_NULLCELL(t, "电子核心产业", "70-85");
    CHECK_NULLCELL(t, "电子核心产业", "<60");
    /* 高端装备: n3 (100) → 1; p3 77.5, p4 75 → 0 */
    CHECK_CELL(t, "高端装备", ">=85", 1);
    CHECK_CELL(t, "高端装备", "70-85", 0);
    CHECK_NULLCELL(t, "高端装备", "60-70");
    CHECK_CELL(t, "先进材料", "<60", 0);
    CHECK_NULLCELL(t, "新能源", ">=85");
    CHECK_INT(t->n, 7);     /* scored rows with a domain: n1 n2 n3 p2 p3 p4 p6 */
    srdi_table_free(t);
    srdi_dataset_free(d);
}

int main(void)
{
    test_t22();
    test_t24();
    test_t25();
    test_t26();
    return testutil_finish();
}
