/*
 * tests/test_report_fixture.h — small hand-made tables and parameters shared
 * by the report tests (tests/test_report*.c), and the two probes they use on
 * the template engine: a line expanded (fx_expand) and a condition evaluated
 * (fx_cond), each as one string to compare.  Values are chosen so that
 * every formatted number in the expectations can be checked by hand.
 * Everything here is static inline: a test uses what it needs.
 */
#ifndef TEST_REPORT_FIXTURE_H
#define TEST_REPORT_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/params.h"
#include "srdi/table.h"
#include "srdi/util.h"
#include "../src/report/report_private.h"

/* T02: national / provincial / multiple / gap rows. */
static inline srdi_table *fx_t02(void)
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
static inline srdi_table *fx_t13(void)
{
    static const char *prov[] = {"江苏省", "广东省", "浙江省", "山东省", "北京市", "上海市",
                                 "安徽省", "湖北省", "湖南省", "四川省", "河南省", "福建省"};
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
static inline srdi_table *fx_t16(void)
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

/* A table set owning the @p n tables that follow (free with srdi_tableset_free). */
static inline srdi_tableset *fx_set(size_t n, ...)
{
    srdi_tableset *s = calloc(1, sizeof *s);
    s->tables = calloc(n, sizeof *s->tables);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) s->tables[s->n++] = va_arg(ap, srdi_table *);
    va_end(ap);
    return s;
}

/* T02, T13 and T16 of this file. */
static inline srdi_tableset *fx_tables(void)
{
    return fx_set(3, fx_t02(), fx_t13(), fx_t16());
}

static inline srdi_params *fx_params(void)
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
/*
 * Expand @p line as line @p lineno of "t.md" in @p ctx: the text, or "ERR "
 * and the error message.  A static buffer: compare it before the next call.
 */
static inline const char *fx_expand(const report_ctx *ctx, int lineno, const char *line)
{
    static char out[2048];
    srdi_buf b = {0};
    srdi_status s = report_expand_line(line, strlen(line), ctx, NULL, "t.md", lineno, false, &b);
    snprintf(out, sizeof out, "%s%s", s ? "ERR " : "", s ? srdi_error_message() : b.data ? b.data : "");
    srdi_buf_free(&b);
    return out;
}

/*
 * Evaluate condition @p expr in @p ctx: "true" or "false", followed by
 * " [VALUES]" (the values the claim records) when @p with_values; "ERR " and
 * the reason when it does not evaluate.  A static buffer, as fx_expand.
 */
static inline const char *fx_cond(const report_ctx *ctx, const char *expr, bool with_values)
{
    static char out[1024];
    bool holds = false;
    char why[512];
    srdi_buf v = {0};
    if (report_cond_eval(expr, ctx, &holds, with_values ? &v : NULL, why, sizeof why))
        snprintf(out, sizeof out, "ERR %s", why);
    else if (with_values)
        snprintf(out, sizeof out, "%s [%s]", holds ? "true" : "false", v.data ? v.data : "");
    else
        snprintf(out, sizeof out, "%s", holds ? "true" : "false");
    srdi_buf_free(&v);
    return out;
}

#endif
