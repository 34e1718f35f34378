/*
 * test_tables_b_industry.c — T18, T19, T20, T21, T23, T27, T28, T29 on
 * small hand-made data sets; every expected value is computed by hand in
 * the comments.
 */
#include "test_tables_b_util.h"

/*
 * Industry data set (P = 27 rows, 7 national → P national share 7/27):
 *   3971 (group 397): 10 rows, 3 national → 0.3
 *   3981 (group 398): 10 rows, 1 national → 0.1
 *   3821 (group 382):  3 rows, 2 national → 2/3
 *   0111 (group 011):  2 rows, 1 national → 0.5
 *   7511 (group 751):  2 rows, 0 national → 0   (+ 1 champion row, ignored)
 */
static srdi_dataset *industry_set(void)
{
    srdi_dataset *d = tb_new();
    static const struct { const char *cls; int n, nat; } spec[] = {
        {"3971", 10, 3}, {"3981", 10, 1}, {"3821", 3, 2}, {"0111", 2, 1}, {"7511", 2, 0}};
    for (size_t s = 0; s < sizeof spec / sizeof spec[0]; s++)
        for (int i = 0; i < spec[s].n; i++)
            tb_add(d, i < spec[s].nat ? SRDI_LEVEL_NATIONAL : SRDI_LEVEL_PROVINCIAL, spec[s].cls);
    tb_add(d, SRDI_LEVEL_CHAMPION, "7511");
    tb_add(d, SRDI_LEVEL_CHAMPION, "7511");
    return d;
}

static void test_t18(void)
{
    srdi_dataset *d = industry_set();
    srdi_table *t = tb_build("T18", d, NULL, NULL);
    /* group counts 2,2,3,10,10 → P90 = v[3] + 0.6 (v[4] − v[3]) = 10; P share 7/27,
     * 1.5 × = 0.3889: 397 top & 0.3 > 0.259 → 双高型; 398 top only → 高基数型;
     * 382 (0.667) and 011 (0.5) → 高占比型; 751 → none (null). */
    CHECK_STR(t->id, "T18");
    CHECK_INT(t->nrows, 5);
    CHECK_INT(t->n, 27);
    CHECK_STR(t->rows[0].key, "397");
    CHECK_STR(t->rows[0].label, "397 电子器件制造");
    CHECK_STR(t->rows[1].key, "398");     /* tie on 10 broken by key */
    CHECK_STR(t->rows[2].key, "382");
    CHECK_STR(t->rows[3].key, "011");     /* tie on 2: 011 < 751 */
    CHECK_STR(t->rows[4].key, "751");
    CHECK_CELL(t, "397", "count", 10);
    CHECK_CELL(t, "397", "national_share", 0.3);
    CHECK_CELL(t, "382", "national_share", 2.0 / 3.0);
    CHECK_CELL(t, "751", "count", 2);     /* champion rows are not in P */
    CHECK_STR(tb_text(t, "397", "type"), "双高型");
    CHECK_STR(tb_text(t, "398", "type"), "高基数型");
    CHECK_STR(tb_text(t, "382", "type"), "高占比型");
    CHECK_STR(tb_text(t, "011", "type"), "高占比型");
    CHECK_NULLCELL(t, "751", "type");
    CHECK_STR(t->sheet, "中类集聚");
    CHECK(srdi_table_col(t, "national_share") == 1 && t->cols[1].type == SRDI_COL_SHARE);
    srdi_table_free(t);

    /* Scope without the 3971 rows: P = 17, 4 national → 4/17 = 0.235, × 1.5 = 0.353;
     * counts 2,2,3,10 → P90 = 3 + 0.7 × 7 = 7.9: 398 (0.1) top → 高基数型;
     * 382 → 高占比型; 011 (0.5) → 高占比型. */
    uint8_t *scope = calloc(d->n, 1);
    for (size_t i = 0; i < d->n; i++) scope[i] = strcmp(d->industry[i], "3971") != 0;
    t = tb_build("T18", d, scope, NULL);
    CHECK_INT(t->nrows, 4);
    CHECK_INT(srdi_table_row(t, "397"), -1);
    CHECK_STR(tb_text(t, "398", "type"), "高基数型");
    CHECK_STR(tb_text(t, "011", "type"), "高占比型");
    srdi_table_free(t);

    /* params: factor 2 → 2 × 0.259 = 0.519: 011 (0.5) has no type any more */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t18", "high_share_factor", "2");
    t = tb_build("T18", d, NULL, p);
    CHECK_NULLCELL(t, "011", "type");
    CHECK_STR(tb_text(t, "382", "type"), "高占比型");
    srdi_table_free(t);
    srdi_params_free(p);
    free(scope);
    srdi_dataset_free(d);
}

static void test_t19(void)
{
    srdi_dataset *d = industry_set();
    /* defaults (≥ 300 rows): nothing qualifies */
    srdi_table *t = tb_build("T19", d, NULL, NULL);
    CHECK_INT(t->nrows, 0);
    CHECK_INT(t->ncols, 3);
    srdi_table_free(t);

    /* min_count 2, share ≥ 0.3: 3821 (2/3), 0111 (0.5), 3971 (0.3); sorted by share */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t19", "min_count", "2");
    srdi_params_set(p, "t19", "min_national_share", "0.3");
    t = tb_build("T19", d, NULL, p);
    CHECK_INT(t->nrows, 3);
    CHECK_STR(t->rows[0].key, "3821");
    CHECK_STR(t->rows[1].key, "0111");
    CHECK_STR(t->rows[2].key, "3971");
    CHECK_STR(t->rows[0].label, "3821 变压器、整流器和电感器制造");
    CHECK_CELL(t, "3821", "count", 3);
    CHECK_CELL(t, "3821", "national_share", 2.0 / 3.0);
    CHECK_CELL(t, "3971", "national_share", 0.3);
    CHECK_STR(tb_text(t, "3821", "domain"), "高端装备");
    CHECK_STR(tb_text(t, "3971", "domain"), "电子核心产业");
    CHECK_NULLCELL(t, "0111", "domain");   /* agriculture has no strategic domain */
    CHECK_STR(t->params, "min_count=2; min_national_share=0.3");
    srdi_table_free(t);
    srdi_params_free(p);
    srdi_dataset_free(d);
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

    srdi_table *t = tb_build("T20", d, NULL, NULL);
    CHECK_INT(t->nrows, 5);
    CHECK_INT(t->ncols, 5);
    CHECK_STR(t->rows[0].key, "patents_total");
    CHECK_STR(t->cols[4].key, "reg_capital");
    CHECK_CELL(t, "patents_total", "patents_total", 1);
    CHECK_CELL(t, "patents_total", "invention_apps", 1);       /* pairwise: row 4 left out */
    CHECK_CELL(t, "patents_total", "invention_grants", -1);
    /* staff vs x: deviations (−1.5,−.5,.5,1.5)·(−1.5,.5,−.5,1.5) = 4; Σd² = 5 each → 0.8 */
    CHECK_CELL(t, "patents_total", "staff", 0.8);
    CHECK_CELL(t, "staff", "patents_total", 0.8);
    CHECK_CELL(t, "invention_grants", "staff", -0.8);
    CHECK_NULLCELL(t, "reg_capital", "reg_capital");           /* zero variance */
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
    const srdi_field fs[6] = {SRDI_F_REG_CAPITAL, SRDI_F_STAFF, SRDI_F_PATENTS_TOTAL,
                              SRDI_F_INVENTION_APPS, SRDI_F_INVENTION_GRANTS, SRDI_F_SOFTWARE_COPYRIGHTS};
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
    size_t r = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");   /* ignored by T21/T23 */
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
    CHECK_NULLCELL(t, "invention_grants", "multiple");        /* division by a zero median */
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
    CHECK_CELL(t, "技术实力", "score", 100);      /* 7 / 7 */
    CHECK_CELL(t, "技术实力", "gap", 0);
    CHECK_CELL(t, "创新质量", "score", 0);        /* 0 / 2 */
    CHECK_CELL(t, "创新质量", "gap", 100);
    CHECK_CELL(t, "创新规模", "score", 25);       /* 5 / 20 */
    CHECK_CELL(t, "创新规模", "gap", 75);
    CHECK_CELL(t, "资本实力", "score", 40);       /* 80 / 200 */
    CHECK_CELL(t, "资本实力", "gap", 60);
    CHECK_CELL(t, "数字化能力", "score", 50);     /* 2 / 4 */
    CHECK_CELL(t, "数字化能力", "gap", 50);
    srdi_table_free(t);

    /* Scope {n1, p1, p2}: provincial medians of the scope over the national
       medians of the whole P (TABLES.md "Scope"), not n1's own values. */
    uint8_t scope[8] = {1, 0, 0, 1, 1, 0, 0, 0};
    t = tb_build("T23", d, scope, NULL);
    CHECK_CELL(t, "资本实力", "score", 30);       /* median(40, 80) = 60 / 200 */
    CHECK_CELL(t, "创新规模", "score", 22.5);     /* median(4, 5) = 4.5 / 20 */
    CHECK_CELL(t, "技术实力", "score", 100);      /* 7 / 7 */
    CHECK_INT(t->n, 3);
    srdi_table_free(t);
    srdi_dataset_free(d);
}

static void test_t27(void)
{
    srdi_dataset *d = tb_new();
    /* 4 national + 6 provincial → P national share 0.4 */
    const int nat_ht[4] = {1, 1, 1, 0}, prv_ht[6] = {1, 1, 1, 0, 0, -1};   /* -1 = missing */
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
        if (!nat) srdi_dataset_set(d, r, SRDI_F_HON_LITTLE_GIANT, 0);
        else if (i == 0) srdi_dataset_set(d, r, SRDI_F_HON_LITTLE_GIANT, 0);  /* counts as 1 anyway */
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

/*
 * Champion data set: 2 national, 2 champion, 1 provincial (ignored), and
 * 1 champion outside the scope in the scoped run.
 */
static void test_t28_t29(void)
{
    srdi_dataset *d = tb_new();
    size_t n1 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971"), n2 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    size_t c1 = tb_add(d, SRDI_LEVEL_CHAMPION, "3971"), c2 = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");
    size_t p1 = tb_add(d, SRDI_LEVEL_PROVINCIAL, "3971");
    size_t c3 = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");
    const struct { size_t r; double pat, gr, rej, loc, ind, pct, staff, sw; } v[] = {
        /* rej/loc < 0 = missing */
        {n1, 10, 3, 1, 1, 2, 0, 100, 5},
        {n2, 20, 1, -1, -1, 5, 0, 300, 5},
        {c1, 60, 8, 2, 2, 2, 4, 1000, 0},
        {c2, 90, 2, 8, 4, 4, 6, 1000, 0},
        {p1, 1000, 100, 0, 50, 50, 50, 1, 1},
        {c3, 1e4, 0, 0, 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        srdi_dataset_set(d, v[i].r, SRDI_F_PATENTS_TOTAL, v[i].pat);
        srdi_dataset_set(d, v[i].r, SRDI_F_INVENTION_GRANTS, v[i].gr);
        if (v[i].rej >= 0) srdi_dataset_set(d, v[i].r, SRDI_F_INVENTION_REJECTED, v[i].rej);
        if (v[i].loc >= 0) srdi_dataset_set(d, v[i].r, SRDI_F_STD_LOCAL, v[i].loc);
        srdi_dataset_set(d, v[i].r, SRDI_F_STD_INDUSTRY, v[i].ind);
        srdi_dataset_set(d, v[i].r, SRDI_F_PCT_APPS, v[i].pct);
        srdi_dataset_set(d, v[i].r, SRDI_F_STAFF, v[i].staff);
        srdi_dataset_set(d, v[i].r, SRDI_F_SOFTWARE_COPYRIGHTS, v[i].sw);
    }
    uint8_t *scope = calloc(d->n, 1);
    for (size_t i = 0; i < d->n; i++) scope[i] = i != c3;

    srdi_table *t = tb_build("T28", d, scope, NULL);
    CHECK_INT(t->nrows, 22);
    CHECK_STR(t->rows[0].key, "patents_total");
    CHECK_STR(t->rows[5].key, "grant_rate");
    CHECK_STR(t->rows[18].key, "std_local_industry");
    CHECK_STR(t->rows[21].key, "digital_patents");
    CHECK_CELL(t, "patents_total", "national_mean", 15);
    CHECK_CELL(t, "patents_total", "champion_mean", 75);
    CHECK_CELL(t, "patents_total", "multiple", 5);
    /* grant rate: national only n1 has both: 3 / 4; champion (8+2) / (10+10) */
    CHECK_CELL(t, "grant_rate", "national_mean", 0.75);
    CHECK_CELL(t, "grant_rate", "champion_mean", 0.5);
    CHECK_CELL(t, "grant_rate", "multiple", 0.5 / 0.75);
    /* std_local + std_industry: national only n1 (3); champion (4 + 8) / 2 = 6 */
    CHECK_CELL(t, "std_local_industry", "national_mean", 3);
    CHECK_CELL(t, "std_local_industry", "champion_mean", 6);
    CHECK_CELL(t, "std_local_industry", "multiple", 2);
    CHECK_CELL(t, "invention_grants", "national_mean", 2);
    CHECK_CELL(t, "invention_grants", "champion_mean", 5);
    CHECK_CELL(t, "pct_apps", "national_mean", 0);
    CHECK_NULLCELL(t, "pct_apps", "multiple");              /* divide by a zero mean */
    CHECK_NULLCELL(t, "citations_avg", "national_mean");
    CHECK_NULLCELL(t, "citations_avg", "multiple");
    CHECK_INT(t->n, 4);
    srdi_table_free(t);

    t = tb_build("T29", d, scope, NULL);
    CHECK_INT(t->nrows, 5);
    CHECK_CELL(t, "技术实力", "score", 20);     /* 15 / 75 */
    CHECK_CELL(t, "创新质量", "score", 40);     /* 2 / 5 */
    CHECK_CELL(t, "创新规模", "score", 20);     /* 200 / 1000 */
    CHECK_NULLCELL(t, "资本实力", "score");     /* no reg_capital */
    CHECK_NULLCELL(t, "数字化能力", "score");   /* champion mean 0 */
    srdi_table_free(t);

    /* without scope the third champion (patents 1e4) enters: (60+90+1e4)/3 */
    t = tb_build("T28", d, NULL, NULL);
    CHECK_CELL(t, "patents_total", "champion_mean", (60 + 90 + 1e4) / 3);
    srdi_table_free(t);
    free(scope);
    srdi_dataset_free(d);
}

int main(void)
{
    test_t18();
    test_t19();
    test_t20();
    test_t21();
    test_t23();
    test_t27();
    test_t28_t29();
    return testutil_finish();
}
