/*
 * tests/test_tables_regions.c — T13–T17 (src/tables/regions.c) on the fixture of
 * test_tables_util.h; the comments show the arithmetic.
 */
#include "test_tables_util.h"

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
        CHECK_STR(t->rows[0].label, "39计算机、通信和其他电子设备制造业");
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
        CHECK_STR(t->rows[2].label, "75科技推广和应用服务业");
        srdi_table_free(t);
    }
}

static void test_scope(const srdi_dataset *d)
{
    uint8_t scope[NFX];
    scope_hide_n1_p2(scope);
    srdi_table *t = NULL;
    t = build("T13", d, scope, NULL);
    if (t) {
        /* docs/tables.md "Scope": T13 keeps the whole P (places the region among the
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
    if (t) { /* whole P too: the counts of the unscoped build */
        CHECK_NUM(V(t, "京津冀", "count"), 2, 0);
        CHECK_NUM(V(t, "长三角", "count"), 5, 0);
        CHECK_NUM(V(t, "长三角", "share"), 0.5, TOL);
        srdi_table_free(t);
    }
}

/* Empty population: every statistic null, counts 0, no crash. */
static void test_empty(void)
{
    srdi_dataset *d = tb_new();
    static const char *const ids[] = {"T13", "T14", "T15", "T16", "T17"};
    build_each(d, ids, sizeof ids / sizeof ids[0]);
    srdi_table *t = NULL;
    t = build("T14", d, NULL, NULL);
    if (t) {
        CHECK(is_null(t, "长三角", "national_share"));
        srdi_table_free(t);
    }
    srdi_dataset_free(d);
}

int main(void)
{
    static void (*const on_fixture[])(const srdi_dataset *) = {test_t13_t14, test_t15_t17, test_scope};
    tb_on_fixture(1, on_fixture, sizeof on_fixture / sizeof on_fixture[0]);
    test_empty();
    return testutil_finish();
}
