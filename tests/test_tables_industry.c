/*
 * tests/test_tables_industry.c — T18, T19 and T25 (src/tables/industry.c) on small hand-made
 * data sets; every expected value is computed by hand in the comments; T25's scratch (tk_zalloc_bytes).
 */
#include "test_tables_util.h"
#include "../src/tables/kit.h"

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
    static const struct {
        const char *cls;
        int n, nat;
    } spec[] = {{"3971", 10, 3}, {"3981", 10, 1}, {"3821", 3, 2}, {"0111", 2, 1}, {"7511", 2, 0}};
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
    CHECK_STR(t->rows[0].label, "397电子器件制造");
    CHECK_STR(t->rows[1].key, "398"); /* tie on 10 broken by key */
    CHECK_STR(t->rows[2].key, "382");
    CHECK_STR(t->rows[3].key, "011"); /* tie on 2: 011 < 751 */
    CHECK_STR(t->rows[4].key, "751");
    CHECK_CELL(t, "397", "count", 10);
    CHECK_CELL(t, "397", "national_share", 0.3);
    CHECK_CELL(t, "382", "national_share", 2.0 / 3.0);
    CHECK_CELL(t, "751", "count", 2); /* champion rows are not in P */
    CHECK_STR(tb_text(t, "397", "type"), "双高型");
    CHECK_STR(tb_text(t, "398", "type"), "高基数型");
    CHECK_STR(tb_text(t, "382", "type"), "高占比型");
    CHECK_STR(tb_text(t, "011", "type"), "高占比型");
    CHECK_NULLCELL(t, "751", "type");
    CHECK_STR(t->sheet, "中类集聚");
    /* the note: P share 7/27 and a whole firm count (P90 = 10 firms) */
    CHECK_STR(t->note, "全部企业的国家级占比为25.93%；前十分位指企业数不少于10家的中类（中类企业数第90百分位）");
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
    /* P90 = 7.9 firms: a middle class qualifies from 8 whole firms on */
    CHECK_STR(t->note, "全部企业的国家级占比为23.53%；前十分位指企业数不少于8家的中类（中类企业数第90百分位）");
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
    CHECK_STR(t->rows[0].label, "3821变压器、整流器和电感器制造");
    CHECK_CELL(t, "3821", "count", 3);
    CHECK_CELL(t, "3821", "national_share", 2.0 / 3.0);
    CHECK_CELL(t, "3971", "national_share", 0.3);
    CHECK_STR(tb_text(t, "3821", "domain"), "高端装备");
    CHECK_STR(tb_text(t, "3971", "domain"), "电子核心产业");
    CHECK_NULLCELL(t, "0111", "domain"); /* agriculture has no strategic domain */
    CHECK_STR(t->params, "min_count=2; min_national_share=0.3");
    srdi_table_free(t);
    srdi_params_free(p);
    srdi_dataset_free(d);
}

static void test_t25(void)
{
    srdi_dataset *d = scores_set();
    /* the ratios are a list of the enterprises of the latest financial year, not an array over the rows:
       the scratch is the rows' domains, that list and the counts per domain */
    size_t nlatest = 0, nd = d->ref->n_domain_names;
    for (size_t k = 0; k < d->n_fin; k++) nlatest += d->fin_year[k] == srdi_dataset_latest_fin_year(d);
    atomic_store(&tk_zalloc_bytes, 0);
    srdi_table *t = tb_build("T25", d, NULL, NULL);
    CHECK_INT(atomic_load(&tk_zalloc_bytes),
              d->n * sizeof(int) + nlatest * sizeof(tk_ratio) + 3 * (nd + 1) * sizeof(size_t) + 3 * (nd + 1) * sizeof(double));
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
    /* each mean rests on the enterprises with a ratio (高端装备: 2 of its 3): the basis the small-sample note counts (annotate.c) */
    CHECK_STR(t->cols[t->basis_col].key, "mean_rd_ratio");
    CHECK_STR(t->basis_unit, "家");
    CHECK_STR(t->basis_what, "有财务数据的企业");
    CHECK_INT(t->rows[srdi_table_row(t, "电子核心产业")].basis_n, 4);
    CHECK_INT(t->rows[srdi_table_row(t, "高端装备")].basis_n, 2);
    CHECK_INT(t->rows[srdi_table_row(t, "先进材料")].basis_n, 1);
    CHECK_INT(t->rows[srdi_table_row(t, "新能源")].basis_n, 0);
    srdi_table_free(t);
    srdi_dataset_free(d);
}

int main(void)
{
    test_t18();
    test_t19();
    test_t25();
    return testutil_finish();
}
