/*
 * tests/test_tables_innovation.c — T12, T20, T21, T23, T24, T26, T27 (src/tables/innovation.c) on
 * the fixture of test_tables_util.h and small hand-made data sets; what T20, T24 and T26 hold beside
 * the dataset (tk_zalloc_bytes).
 */
#include "test_tables_util.h"
#include "../src/tables/kit.h"

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

static void test_t20(void)
{
    srdi_dataset *d = tb_new();
    /* rows 0–3: x = patents 1..4, apps = 2x, grants = 5 − x, staff 1,3,2,4,
     * reg_capital constant 100; row 4: patents 10 only; a champion row ignored. */
    const double staff[4] = {1, 3, 2, 4};
    for (int i = 0; i < 4; i++) {
        size_t r = tb_add(d, i % 2 ? SRDI_LEVEL_NATIONAL : SRDI_LEVEL_PROVINCIAL, "3971");
        srdi_dataset_set(d, r, SRDI_F_PATENTS_TOTAL, i + 1);
        srdi_dataset_set(d, r, SRDI_F_INVENTION_APPS, 2 * (i + 1));
        srdi_dataset_set(d, r, SRDI_F_INVENTION_GRANTS, 5 - (i + 1));
        srdi_dataset_set(d, r, SRDI_F_STAFF, staff[i]);
        srdi_dataset_set(d, r, SRDI_F_REG_CAPITAL, 100);
    }
    size_t r = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    srdi_dataset_set(d, r, SRDI_F_PATENTS_TOTAL, 10);
    r = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");
    srdi_dataset_set(d, r, SRDI_F_PATENTS_TOTAL, 1000);
    srdi_dataset_set(d, r, SRDI_F_INVENTION_APPS, 0);

    /* the columns are read in place: no scratch array over the rows (two of doubles were 12.6 MB of
       the peak at 4x the national data) */
    atomic_store(&tk_zalloc_bytes, 0);
    srdi_table *t = tb_build("T20", d, NULL, NULL);
    CHECK_INT(atomic_load(&tk_zalloc_bytes), 0);
    CHECK_INT(t->nrows, 5);
    CHECK_INT(t->ncols, 5);
    CHECK_STR(t->rows[0].key, "patents_total");
    CHECK_STR(t->cols[4].key, "reg_capital");
    CHECK_CELL(t, "patents_total", "patents_total", 1);
    CHECK_CELL(t, "patents_total", "invention_apps", 1); /* pairwise: row 4 left out */
    CHECK_CELL(t, "patents_total", "invention_grants", -1);
    /* staff vs x: deviations (−1.5,−.5,.5,1.5)·(−1.5,.5,−.5,1.5) = 4; Σd² = 5 each → 0.8 */
    CHECK_CELL(t, "patents_total", "staff", 0.8);
    CHECK_CELL(t, "staff", "patents_total", 0.8);
    CHECK_CELL(t, "invention_grants", "staff", -0.8);
    CHECK_NULLCELL(t, "reg_capital", "reg_capital"); /* zero variance */
    CHECK_NULLCELL(t, "patents_total", "reg_capital");
    CHECK_INT(t->n, 5);
    srdi_table_free(t);
    srdi_dataset_free(d);
}

/*
 * Medians data set (3 national, 4 provincial):
 *   reg_capital  nat 100,200,300 → 200   prov 40,80,80,90 → 80   → 2.5 高 (edge)
 *   staff        nat 10,20,30   → 20    prov 4,5,5,6    → 5     → 4 极高 (edge)
 *   patents      nat 5,7,9      → 7     prov 7,7,7,7    → 7     → 1 中
 *   apps         all missing → nulls
 *   grants       nat 1,2,3 → 2          prov 0,0,0,1 → 0        → null multiple
 *   software     nat 4,4,4 → 4          prov 1,2,2,3 → 2        → 2 中
 */
static srdi_dataset *medians_set(void)
{
    srdi_dataset *d = tb_new();
    const double nat[6][3] = {{100, 200, 300}, {10, 20, 30}, {5, 7, 9}, {0, 0, 0}, {1, 2, 3}, {4, 4, 4}};
    const double prv[6][4] = {{40, 80, 80, 90}, {4, 5, 5, 6}, {7, 7, 7, 7}, {0, 0, 0, 0}, {0, 0, 0, 1}, {1, 2, 2, 3}};
    const srdi_field fs[6] = {SRDI_F_REG_CAPITAL,      SRDI_F_STAFF,
                              SRDI_F_PATENTS_TOTAL,    SRDI_F_INVENTION_APPS,
                              SRDI_F_INVENTION_GRANTS, SRDI_F_SOFTWARE_COPYRIGHTS};
    for (int i = 0; i < 3; i++) {
        size_t r = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
        for (int k = 0; k < 6; k++)
            if (k != 3) srdi_dataset_set(d, r, fs[k], nat[k][i]);
    }
    for (int i = 0; i < 4; i++) {
        size_t r = tb_add(d, SRDI_LEVEL_PROVINCIAL, "3971");
        for (int k = 0; k < 6; k++)
            if (k != 3) srdi_dataset_set(d, r, fs[k], prv[k][i]);
    }
    size_t r = tb_add(d, SRDI_LEVEL_CHAMPION, "3971"); /* ignored by T21/T23 */
    for (int k = 0; k < 6; k++) srdi_dataset_set(d, r, fs[k], 1e6);
    return d;
}

static void test_t21(void)
{
    srdi_dataset *d = medians_set();
    srdi_table *t = tb_build("T21", d, NULL, NULL);
    CHECK_INT(t->nrows, 6);
    CHECK_STR(t->rows[0].key, "reg_capital");
    CHECK_STR(t->rows[5].key, "software_copyrights");
    CHECK_CELL(t, "reg_capital", "national_median", 200);
    CHECK_CELL(t, "reg_capital", "provincial_median", 80);
    CHECK_CELL(t, "reg_capital", "multiple", 2.5);
    CHECK_STR(tb_text(t, "reg_capital", "label"), "高");
    CHECK_CELL(t, "staff", "multiple", 4);
    CHECK_STR(tb_text(t, "staff", "label"), "极高");
    CHECK_CELL(t, "patents_total", "multiple", 1);
    CHECK_STR(tb_text(t, "patents_total", "label"), "中");
    CHECK_NULLCELL(t, "invention_apps", "national_median");
    CHECK_NULLCELL(t, "invention_apps", "provincial_median");
    CHECK_NULLCELL(t, "invention_apps", "multiple");
    CHECK_NULLCELL(t, "invention_apps", "label");
    CHECK_CELL(t, "invention_grants", "national_median", 2);
    CHECK_CELL(t, "invention_grants", "provincial_median", 0);
    CHECK_NULLCELL(t, "invention_grants", "multiple"); /* division by a zero median */
    CHECK_NULLCELL(t, "invention_grants", "label");
    CHECK_CELL(t, "software_copyrights", "multiple", 2);
    CHECK_STR(tb_text(t, "software_copyrights", "label"), "中");
    CHECK_INT(t->n, 7);
    srdi_table_free(t);
    srdi_dataset_free(d);
}

static void test_t23(void)
{
    srdi_dataset *d = medians_set();
    srdi_table *t = tb_build("T23", d, NULL, NULL);
    CHECK_INT(t->nrows, 5);
    CHECK_STR(t->rows[0].key, "技术实力");
    CHECK_STR(t->rows[4].key, "数字化能力");
    CHECK_CELL(t, "技术实力", "score", 100); /* 7 / 7 */
    CHECK_CELL(t, "技术实力", "gap", 0);
    CHECK_CELL(t, "创新质量", "score", 0); /* 0 / 2 */
    CHECK_CELL(t, "创新质量", "gap", 100);
    CHECK_CELL(t, "创新规模", "score", 25); /* 5 / 20 */
    CHECK_CELL(t, "创新规模", "gap", 75);
    CHECK_CELL(t, "资本实力", "score", 40); /* 80 / 200 */
    CHECK_CELL(t, "资本实力", "gap", 60);
    CHECK_CELL(t, "数字化能力", "score", 50); /* 2 / 4 */
    CHECK_CELL(t, "数字化能力", "gap", 50);
    srdi_table_free(t);

    /* Scope {n1, p1, p2}: provincial medians of the scope over the national
       medians of the whole P (docs/tables.md "Scope"), not n1's own values. */
    uint8_t scope[8] = {1, 0, 0, 1, 1, 0, 0, 0};
    t = tb_build("T23", d, scope, NULL);
    CHECK_CELL(t, "资本实力", "score", 30);   /* median(40, 80) = 60 / 200 */
    CHECK_CELL(t, "创新规模", "score", 22.5); /* median(4, 5) = 4.5 / 20 */
    CHECK_CELL(t, "技术实力", "score", 100);  /* 7 / 7 */
    CHECK_INT(t->n, 3);
    srdi_table_free(t);
    srdi_dataset_free(d);
}

static void test_t27(void)
{
    srdi_dataset *d = tb_new();
    /* 4 national + 6 provincial → P national share 0.4 */
    const int nat_ht[4] = {1, 1, 1, 0}, prv_ht[6] = {1, 1, 1, 0, 0, -1}; /* -1 = missing */
    const int nat_tc[4] = {1, 1, 1, 1}, prv_tc[6] = {0, 0, 0, 0, 0, 1};
    const int nat_un[4] = {1, 0, 0, 0}, prv_un[6] = {0, 0, 0, 0, 0, 0};
    const int nat_gz[4] = {0, 0, 0, 1}, prv_gz[6] = {1, 1, 0, 0, 0, 0};
    for (int i = 0; i < 10; i++) {
        int nat = i < 4;
        size_t r = tb_add(d, nat ? SRDI_LEVEL_NATIONAL : SRDI_LEVEL_PROVINCIAL, "3971");
        int ht = nat ? nat_ht[i] : prv_ht[i - 4];
        if (ht >= 0) srdi_dataset_set(d, r, SRDI_F_HON_HIGH_TECH, ht);
        srdi_dataset_set(d, r, SRDI_F_HON_TECH_CENTER, nat ? nat_tc[i] : prv_tc[i - 4]);
        srdi_dataset_set(d, r, SRDI_F_HON_UNICORN, nat ? nat_un[i] : prv_un[i - 4]);
        srdi_dataset_set(d, r, SRDI_F_HON_GAZELLE, nat ? nat_gz[i] : prv_gz[i - 4]);
        srdi_dataset_set(d, r, SRDI_F_HON_CHAMPION, 0);
        if (!nat)
            srdi_dataset_set(d, r, SRDI_F_HON_LITTLE_GIANT, 0);
        else if (i == 0)
            srdi_dataset_set(d, r, SRDI_F_HON_LITTLE_GIANT, 0); /* counts as 1 anyway */
    }
    size_t c = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");
    srdi_dataset_set(d, c, SRDI_F_HON_UNICORN, 1);

    srdi_table *t = tb_build("T27", d, NULL, NULL);
    CHECK_INT(t->nrows, 10);
    CHECK_STR(t->rows[0].key, "hon_little_giant");
    CHECK_STR(t->rows[9].key, "hon_cnas");
    /* high_tech: 9 rows with a value, 6 holders (3 national) → rate 2/3, lift 0.5/0.4 */
    CHECK_CELL(t, "hon_high_tech", "rate", 6.0 / 9.0);
    CHECK_CELL(t, "hon_high_tech", "lift", 0.5 / 0.4);
    CHECK_STR(tb_text(t, "hon_high_tech", "quadrant"), "high_rate_low_lift");
    /* tech_center: 5/10 = 0.5 (edge), holders 4/5 national → 0.8 / 0.4 = 2 */
    CHECK_CELL(t, "hon_tech_center", "rate", 0.5);
    CHECK_CELL(t, "hon_tech_center", "lift", 0.8 / 0.4);
    CHECK_STR(tb_text(t, "hon_tech_center", "quadrant"), "high_rate_high_lift");
    /* unicorn: 1/10, holder national → 1 / 0.4 = 2.5 (champion holder ignored) */
    CHECK_CELL(t, "hon_unicorn", "rate", 0.1);
    CHECK_CELL(t, "hon_unicorn", "lift", 1 / 0.4);
    CHECK_STR(tb_text(t, "hon_unicorn", "quadrant"), "low_rate_high_lift");
    /* gazelle: 3/10, 1 of 3 national → (1/3) / 0.4 */
    CHECK_CELL(t, "hon_gazelle", "rate", 0.3);
    CHECK_CELL(t, "hon_gazelle", "lift", (1.0 / 3.0) / 0.4);
    CHECK_STR(tb_text(t, "hon_gazelle", "quadrant"), "low_rate_low_lift");
    /* little giant: every national row holds it (4 of 10), holders all national */
    CHECK_CELL(t, "hon_little_giant", "rate", 0.4);
    CHECK_CELL(t, "hon_little_giant", "lift", 1 / 0.4);
    /* champion honor: nobody holds → rate 0, lift null, quadrant null */
    CHECK_CELL(t, "hon_champion", "rate", 0);
    CHECK_NULLCELL(t, "hon_champion", "lift");
    CHECK_NULLCELL(t, "hon_champion", "quadrant");
    /* CNAS: no value anywhere → all null */
    CHECK_NULLCELL(t, "hon_cnas", "rate");
    CHECK_NULLCELL(t, "hon_cnas", "quadrant");
    srdi_table_free(t);
    srdi_dataset_free(d);
}

static void test_t24(void)
{
    srdi_dataset *d = scores_set();
    /* scores are computed row by row as they are read, and the ratios are a list of the enterprises of
       the latest financial year: the scratch is that list, no array over the rows */
    size_t nlatest = 0;
    for (size_t k = 0; k < d->n_fin; k++) nlatest += d->fin_year[k] == srdi_dataset_latest_fin_year(d);
    CHECK(nlatest < d->n);
    atomic_store(&tk_zalloc_bytes, 0);
    srdi_table *t = tb_build("T24", d, NULL, NULL);
    CHECK_INT(atomic_load(&tk_zalloc_bytes), nlatest * sizeof(tk_ratio));
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
       medians of the whole P (docs/tables.md "Scope"), so p1 50 → 基础型, p3 77.5 → 潜力型
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

static void test_t26(void)
{
    srdi_dataset *d = scores_set();
    /* the scratch: the counts per domain and band and the rows' domains, no array of scores */
    atomic_store(&tk_zalloc_bytes, 0);
    srdi_table *t = tb_build("T26", d, NULL, NULL);
    CHECK_INT(atomic_load(&tk_zalloc_bytes), 2 * (d->ref->n_domain_names * 4 + 1) * sizeof(double) + d->n * sizeof(int));
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
    CHECK_INT(t->n, 7); /* scored rows with a domain: n1 n2 n3 p2 p3 p4 p6 */
    srdi_table_free(t);
    srdi_dataset_free(d);
}

/* Empty population: every statistic null, counts 0, no crash. */
static void test_empty(void)
{
    srdi_dataset *d = tb_new();
    static const char *const ids[] = {"T12"};
    build_each(d, ids, sizeof ids / sizeof ids[0]);
    srdi_dataset_free(d);
}

int main(void)
{
    static void (*const on_fixture[])(const srdi_dataset *) = {test_t12};
    tb_on_fixture(1, on_fixture, sizeof on_fixture / sizeof on_fixture[0]);
    test_empty();
    test_t20();
    test_t21();
    test_t23();
    test_t24();
    test_t26();
    test_t27();
    return testutil_finish();
}
