/*
 * tests/test_report_scope.c — the scope placeholders of regional editions
 * (src/report/scope.c): {{national:…}} / {{province:…}} benchmark values in
 * placeholders and conditions, scope.kind / name / province, the region's
 * rank and share among provinces (T13), a city's rank among its province's
 * cities and among all cities (T16), the number of the region's cities.
 * Hand-built tables: the nation has 3 provinces (江苏省 50, 广东省 30,
 * 西藏自治区 1, 青海省 0) and 5 cities; 江苏省 has 苏州市 30, 南京市 15,
 * 无锡市 5; the edition is 南京市 (15 enterprises).
 */
#include <stdlib.h>
#include <string.h>

#include "srdi/params.h"
#include "srdi/util.h"
#include "testutil.h"
#include "test_report_fixture.h"

/* T01 with one share (the level table every edition benchmarks). */
static srdi_table *t01(double share, double count)
{
    srdi_table *t = srdi_table_new("T01", "levels", "层级", "层级");
    int c = srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    int s = srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    int r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, c, count);
    srdi_table_set_num(t, r, s, share);
    t->n = (long long)count;
    return t;
}

/* T13 over the whole P (the same in every edition). */
static srdi_table *t13(void)
{
    static const char *names[] = {"江苏省", "广东省", "西藏自治区", "青海省"};
    static const double counts[] = {50, 30, 1, 0}, ranks[] = {1, 2, 3, 4};
    srdi_table *t = srdi_table_new("T13", "province_rank", "省份", "省份");
    int k = srdi_table_add_col(t, "rank", "排名", SRDI_COL_YEAR, "", -1);
    int c = srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    int s = srdi_table_add_col(t, "share", "全国占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 4; i++) {
        int r = srdi_table_add_row(t, names[i], names[i]);
        srdi_table_set_num(t, r, k, ranks[i]);
        srdi_table_set_num(t, r, c, counts[i]);
        srdi_table_set_num(t, r, s, counts[i] / 81.0);
    }
    t->n = 81;
    return t;
}

/* T16 of @p n cities. */
static srdi_table *t16(const char *const *names, const double *counts, int n)
{
    srdi_table *t = srdi_table_new("T16", "city_rank", "城市", "城市");
    int c = srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    int s = srdi_table_add_col(t, "share", "全国占比", SRDI_COL_SHARE, "", -1);
    double total = 0;
    for (int i = 0; i < n; i++) total += counts[i];
    for (int i = 0; i < n; i++) {
        int r = srdi_table_add_row(t, names[i], names[i]);
        srdi_table_set_num(t, r, c, counts[i]);
        srdi_table_set_num(t, r, s, counts[i] / total);
    }
    t->n = (long long)total;
    return t;
}

static report_ctx CTX;

/* A line (t.md:7) / a condition with the values it records, in the edition CTX. */
static const char *expand(const char *line)
{
    return fx_expand(&CTX, 7, line);
}
static const char *cond(const char *expr)
{
    return fx_cond(&CTX, expr, true);
}

int main(void)
{
    static const char *nc[] = {"苏州市", "广州市", "南京市", "深圳市", "无锡市", "拉萨市"};
    static const double ncn[] = {30, 20, 15, 10, 5, 1};
    static const char *pc[] = {"苏州市", "南京市", "无锡市"};
    static const double pcn[] = {30, 15, 5};
    static const char *oc[] = {"南京市"};
    static const double ocn[] = {15};
    srdi_tableset *nat = fx_set(3, t01(0.1057, 81), t13(), t16(nc, ncn, 6));
    srdi_tableset *prov = fx_set(3, t01(0.1204, 50), t13(), t16(pc, pcn, 3));
    srdi_tableset *own = fx_set(3, t01(0.2, 15), t13(), t16(oc, ocn, 1));
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "scope", "province", "江苏省");

    /* a city edition: 南京市 of 江苏省 */
    CTX = (report_ctx){
        .tables = own, .params = p, .scope_kind = "city", .scope_name = "南京市", .national = nat, .province = prov};
    CHECK_STR(expand("{{T01.national.share}}/{{province:T01.national.share}}/{{national:T01.national.share}}"),
              "20.00%/12.04%/10.57%");
    CHECK_STR(expand("{{national:T01.national.count|raw}}、{{province:T16.#1.key}}"), "81、苏州市");
    CHECK_STR(expand("{{scope.kind}} {{scope.name}} {{scope.province}}"), "city 南京市 江苏省");
    CHECK_STR(expand("第{{scope.rank}}/{{scope.provinces}}，{{scope.share}}"), "第1/3，61.73%");
    CHECK_STR(expand("省内第{{scope.city_rank}}/{{scope.province_cities}}，全国第{{scope.city_rank_national}}"
                     "/{{scope.national_cities}}，占全省{{scope.city_share}}"),
              "省内第2/3，全国第3/6，占全省30.00%");
    CHECK_STR(expand("{{scope.cities}}个城市，{{scope.n}}家"), "1个城市，15家");
    CHECK_STR(expand("{{scope.share|raw}}/{{scope.city_share_national|raw}}"), "0.6173/0.1852");
    CHECK_STR(
        cond("T01.national.share > national:T01.national.share and province:T01.national.share > 12%"),
        "true [T01.national.share=0.2; national:T01.national.share=0.1057; province:T01.national.share=0.1204; ]");
    CHECK_STR(cond("scope.city_rank == 2 and scope.rank < 2"), "true [scope.city_rank=2; scope.rank=1; ]");
    CHECK_STR(cond("scope.province == \"江苏省\""), "true [scope.province=江苏省; ]");
    CHECK_STR(expand("{{value:T01.national.share - national:T01.national.share|pp}}"), "9.43");

    /* a province edition: 江苏省 — province: is its own tables; no city rank */
    CTX =
        (report_ctx){.tables = prov, .params = NULL, .scope_kind = "province", .scope_name = "江苏省", .national = nat};
    CHECK_STR(expand("{{province:T01.national.share}} {{scope.province}} {{scope.rank}} {{scope.share}}"),
              "12.04% 江苏省 1 61.73%");
    CHECK_STR(expand("{{scope.cities}}/{{scope.province_cities}}"), "3/3");
    CHECK_STR(expand("{{scope.city_rank}}"), "—");
    CHECK_STR(cond("has(scope.city_rank)"), "false [scope.city_rank=—; ]");

    /* the nation: its own tables are the benchmark; no rank among provinces */
    CTX = (report_ctx){.tables = nat};
    CHECK_STR(
        expand("{{national:T01.national.share}} {{scope.kind}} {{scope.name}} {{scope.provinces}} {{scope.rank}}"),
        "10.57% national 全国 3 —");

    /* errors name the file and line */
    CHECK_STR(expand("{{scope.nope}}"),
              "ERR t.md:7: unknown placeholder {{scope.nope}}: unknown scope name 'scope.nope' (kind, name, "
              "province, short, area, n, rank, share, provinces, cities, city_rank, city_rank_national, "
              "city_share, city_share_national, province_cities, national_cities)");
    CHECK_STR(expand("{{national:T99.a.b}}"), "ERR t.md:7: unknown placeholder {{national:T99.a.b}}: no table 'T99'");
    CHECK_STR(
        expand("{{scope.rank|abs}}"),
        "ERR t.md:7: unknown placeholder {{scope.rank|abs}}: unknown modifier 'abs' (scope values take |raw only)");

    srdi_tableset_free(nat);
    srdi_tableset_free(prov);
    srdi_tableset_free(own);
    srdi_params_free(p);
    return testutil_finish();
}
