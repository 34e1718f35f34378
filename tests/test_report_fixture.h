/*
 * tests/test_report_fixture.h — small hand-made tables and parameters shared
 * by the report tests (tests/test_report*.c).  Values are chosen so that
 * every formatted number in the expectations can be checked by hand.
 */
#ifndef TEST_REPORT_FIXTURE_H
#define TEST_REPORT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include "srdi/params.h"
#include "srdi/table.h"

/* T02: national / provincial / multiple / gap rows. */
static srdi_table *fx_t02(void)
{
    srdi_table *t = srdi_table_new("T02", "reg_capital", "注册资本规模层级差异", "注册资本");
    int median = srdi_table_add_col(t, "median", "中位数", SRDI_COL_AMOUNT, "万元", 0);
    int share = srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", 2);
    int gap = srdi_table_add_col(t, "gap_pp", "差距", SRDI_COL_PP, "", 1);
    int r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, median, 5774.4);
    srdi_table_set_num(t, r, share, 0.10572);
    r = srdi_table_add_row(t, "provincial", "省级");
    srdi_table_set_num(t, r, median, 2000);
    srdi_table_set_num(t, r, share, 0.0312);
    r = srdi_table_add_row(t, "multiple", "倍数");
    srdi_table_set_text(t, r, median, "2.89倍");
    r = srdi_table_add_row(t, "gap", "差距");
    srdi_table_set_num(t, r, gap, -7.46);
    t->n = 12345;
    srdi_table_set_source(t, "资料来源：测试数据");
    return t;
}

/* T13: 12 provinces; the second has a null national share. */
static srdi_table *fx_t13(void)
{
    static const char *prov[] = { "江苏省", "广东省", "浙江省", "山东省", "北京市", "上海市",
                                  "安徽省", "湖北省", "湖南省", "四川省", "河南省", "福建省" };
    srdi_table *t = srdi_table_new("T13", "province_rank", "各省份专精特新企业数量占比", "省份");
    int rank = srdi_table_add_col(t, "rank", "排名", SRDI_COL_YEAR, "", 0);
    int count = srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", 0);
    int share = srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", 2);
    int ns = srdi_table_add_col(t, "national_share", "国家级占比", SRDI_COL_SHARE, "", 2);
    for (int i = 0; i < 12; i++) {
        int r = srdi_table_add_row(t, prov[i], prov[i]);
        srdi_table_set_num(t, r, rank, i + 1);
        srdi_table_set_num(t, r, count, 2000 - i * 150);
        srdi_table_set_num(t, r, share, (2000 - i * 150) / 15000.0);
        if (i == 1)
            srdi_table_set_null(t, r, ns);
        else
            srdi_table_set_num(t, r, ns, 0.1 + i * 0.01);
    }
    t->n = 15000;
    srdi_table_set_source(t, "资料来源：测试数据");
    return t;
}

/* T16: 90 cities (long enough to split across pages). */
static srdi_table *fx_t16(void)
{
    srdi_table *t = srdi_table_new("T16", "city_rank", "城市分布", "城市");
    int rank = srdi_table_add_col(t, "rank", "排名", SRDI_COL_YEAR, "", 0);
    int count = srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", 0);
    int share = srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", 2);
    int med = srdi_table_add_col(t, "median_patents", "专利中位数", SRDI_COL_AMOUNT, "件", 1);
    for (int i = 0; i < 90; i++) {
        char key[32];
        snprintf(key, sizeof key, "城市%02d", i + 1);
        int r = srdi_table_add_row(t, key, key);
        srdi_table_set_num(t, r, rank, i + 1);
        srdi_table_set_num(t, r, count, 900 - i * 9);
        srdi_table_set_num(t, r, share, (900 - i * 9) / 15000.0);
        srdi_table_set_num(t, r, med, 20.5 - i * 0.1);
    }
    t->n = 15000;
    srdi_table_set_source(t, "资料来源：测试数据");
    return t;
}

static srdi_tableset *fx_tables(void)
{
    srdi_tableset *s = calloc(1, sizeof *s);
    s->tables = calloc(3, sizeof *s->tables);
    s->tables[0] = fx_t02();
    s->tables[1] = fx_t13();
    s->tables[2] = fx_t16();
    s->n = 3;
    return s;
}

static srdi_params *fx_params(void)
{
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "report", "title", "专精特新企业培育发展报告");
    srdi_params_set(p, "report", "subtitle", "科创力驱动的提质密码");
    srdi_params_set(p, "report", "organisation", "测试机构");
    srdi_params_set(p, "report", "edition", "2026 年版");
    srdi_params_set(p, "report", "date", "2026 年 1 月");
    srdi_params_set(p, "report", "author", "测试作者");
    srdi_params_set(p, "report", "keywords", "专精特新,测试");
    return p;
}

#endif
