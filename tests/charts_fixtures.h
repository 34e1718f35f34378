/*
 * tests/charts_fixtures.h — small fixed tables for every chart, built with
 * the row/column keys of docs/tables.md "Keys of values.csv".  Included by the
 * chart tests (header-only, static functions).
 */
#ifndef SRDI_TEST_CHARTS_FIXTURES_H
#define SRDI_TEST_CHARTS_FIXTURES_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "srdi/table.h"

/* Add a row with up to 4 numeric cells (NAN = null). */
static int fx_row(srdi_table *t, const char *key, const char *label, int n, const double *v)
{
    int r = srdi_table_add_row(t, key, label);
    for (int k = 0; k < n && r >= 0; k++) {
        if (v[k] != v[k])
            srdi_table_set_null(t, r, k);
        else
            srdi_table_set_num(t, r, k, v[k]);
    }
    return r;
}
#define FX_ROW(t, key, label, ...)                                                                                     \
    do {                                                                                                               \
        const double v_[] = {__VA_ARGS__};                                                                             \
        fx_row((t), (key), (label), (int)(sizeof v_ / sizeof v_[0]), v_);                                              \
    } while (0)

static srdi_table *fx_t01(void)
{
    srdi_table *t = srdi_table_new("T01", "tier_share", "层级分布", "层级");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    FX_ROW(t, "national", "国家级专精特新“小巨人”", 17684, 0.1059);
    FX_ROW(t, "provincial", "省级专精特新中小企业", 149316, 0.8941);
    FX_ROW(t, "total", "合计", 167000, 1.0);
    srdi_table_set_source(t, "工业和信息化部公开名单，项目组整理");
    return t;
}

static srdi_table *fx_t03(void)
{
    srdi_table *t = srdi_table_new("T03", "staff_bands", "用工规模", "用工");
    srdi_table_add_col(t, "national_share", "国家级", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "provincial_share", "省级", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "gap_pp", "差距", SRDI_COL_PP, "", 1);
    srdi_table_add_col(t, "median", "中位数", SRDI_COL_AMOUNT, "人", 0);
    FX_ROW(t, "0-50", "0–50人", 0.081, 0.352, -27.1);
    FX_ROW(t, "51-100", "51–100人", 0.162, 0.251, -8.9);
    FX_ROW(t, "101-200", "101–200人", 0.265, 0.213, 5.2);
    FX_ROW(t, "201-500", "201–500人", 0.301, 0.139, 16.2);
    FX_ROW(t, "501-1000", "501–1000人", 0.118, 0.031, 8.7);
    FX_ROW(t, ">1000", "1000人以上", 0.073, 0.014, 5.9);
    int r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, 3, 210);
    return t;
}

static srdi_table *fx_t04(void)
{
    srdi_table *t = srdi_table_new("T04", "honor_rates", "荣誉资质", "荣誉");
    srdi_table_add_col(t, "national_rate", "国家级", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "provincial_rate", "省级", SRDI_COL_SHARE, "", -1);
    FX_ROW(t, "hon_hightech", "高新技术企业", 0.962, 0.874);
    FX_ROW(t, "hon_tech_sme", "科技型中小企业", 0.713, 0.768);
    FX_ROW(t, "hon_innovative_sme", "创新型中小企业", 0.655, 0.592);
    FX_ROW(t, "hon_gazelle", "瞪羚企业", 0.214, 0.062);
    FX_ROW(t, "hon_tech_center", "省级及以上企业技术中心（含国家级企业技术中心）", 0.482, 0.153);
    FX_ROW(t, "hon_ip_advantage", "国家知识产权优势企业", 0.236, 0.041);
    return t;
}

static srdi_table *fx_t12(void)
{
    srdi_table *t = srdi_table_new("T12", "scale_innovation", "规模创新", "象限");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "national_share", "国家级占比", SRDI_COL_SHARE, "", -1);
    FX_ROW(t, "high_scale_high_innovation", "高规模—高创新", 8517, 0.051, 0.352);
    FX_ROW(t, "low_scale_high_innovation", "低规模—高创新", 11690, 0.070, 0.121);
    FX_ROW(t, "high_scale_low_innovation", "高规模—低创新", 30394, 0.182, 0.108);
    FX_ROW(t, "low_scale_low_innovation", "低规模—低创新", 116399, 0.697, 0.062);
    return t;
}

static srdi_table *fx_t13(void)
{
    static const char *prov[12] = {"江苏省", "广东省", "山东省", "浙江省", "安徽省", "河南省",
                                   "湖北省", "上海市", "湖南省", "北京市", "四川省", "福建省"};
    static const double share[12] = {0.152, 0.131, 0.108, 0.092, 0.061, 0.052,
                                     0.047, 0.041, 0.039, 0.036, 0.031, 0.029};
    srdi_table *t = srdi_table_new("T13", "province_rank", "省份", "省份");
    srdi_table_add_col(t, "rank", "排名", SRDI_COL_YEAR, "", -1);
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "national_share", "国家级占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 12; i++) FX_ROW(t, prov[i], prov[i], i + 1, share[i] * 167000, share[i], 0.08 + 0.01 * (i % 4));
    return t;
}

static srdi_table *fx_t15(void)
{
    static const char *code[10] = {"39", "35", "34", "38", "26", "40", "29", "33", "65", "36"};
    static const char *lab[10] = {"39计算机、通信和其他电子设备制造业",
                                  "35专用设备制造业",
                                  "34通用设备制造业",
                                  "38电气机械和器材制造业",
                                  "26化学原料和化学制品制造业",
                                  "40仪器仪表制造业",
                                  "29橡胶和塑料制品业",
                                  "33金属制品业",
                                  "65软件和信息技术服务业",
                                  "36汽车制造业"};
    srdi_table *t = srdi_table_new("T15", "cluster_industry", "城市群行业", "热力");
    srdi_table_add_col(t, "京津冀", "京津冀", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "长三角", "长三角", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "珠三角", "珠三角", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 10; i++)
        FX_ROW(t, code[i], lab[i], 0.02 + 0.011 * ((i * 7) % 10), 0.03 + 0.012 * ((i * 3) % 10),
               0.015 + 0.018 * ((i * 9) % 10));
    return t;
}

static srdi_table *fx_t16(void)
{
    static const char *city[22] = {"深圳市", "苏州市", "上海市", "北京市", "宁波市", "杭州市",    "东莞市", "广州市",
                                   "无锡市", "青岛市", "常州市", "成都市", "武汉市", "佛山市",    "南京市", "合肥市",
                                   "西安市", "郑州市", "天津市", "长沙市", "厦门市", "乌鲁木齐市"};
    srdi_table *t = srdi_table_new("T16", "city_rank", "城市", "城市");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0);
    for (int i = 0; i < 22; i++) FX_ROW(t, city[i], city[i], 5000 - 180 * i, 0.045 - 0.0016 * i, 40 + (i * 37) % 60);
    return t;
}

static srdi_table *fx_t17(void)
{
    static const char *lab[14] = {"39计算机、通信和其他电子设备制造业",
                                  "35专用设备制造业",
                                  "34通用设备制造业",
                                  "38电气机械和器材制造业",
                                  "65软件和信息技术服务业",
                                  "26化学原料和化学制品制造业",
                                  "40仪器仪表制造业",
                                  "29橡胶和塑料制品业",
                                  "33金属制品业",
                                  "36汽车制造业",
                                  "27医药制造业",
                                  "75科技推广和应用服务业",
                                  "30非金属矿物制品业",
                                  "32有色金属冶炼和压延加工业"};
    srdi_table *t = srdi_table_new("T17", "division_rank", "行业大类", "行业");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 14; i++) {
        char key[8];
        memcpy(key, lab[i], 2);
        key[2] = '\0';
        FX_ROW(t, key, lab[i], 16000 - 1000 * i, 0.096 - 0.006 * i);
    }
    return t;
}

static srdi_table *fx_radar(const char *id, const double *sc)
{
    static const char *dims[5] = {"技术实力", "创新质量", "创新规模", "资本实力", "数字化能力"};
    srdi_table *t = srdi_table_new(id, "radar", "五维", "五维");
    srdi_table_add_col(t, "score", "得分", SRDI_COL_SCORE, "", 1);
    srdi_table_add_col(t, "gap", "差距", SRDI_COL_SCORE, "", 1);
    for (int i = 0; i < 5; i++) FX_ROW(t, dims[i], dims[i], sc[i], 100 - sc[i]);
    return t;
}
static srdi_table *fx_t23(void)
{
    static const double s[5] = {38.5, 22.2, 47.6, 33.0, 60.0};
    return fx_radar("T23", s);
}
static srdi_table *fx_t29(void)
{
    static const double s[5] = {41.2, 35.4, 52.8, 28.7, 118.5};
    return fx_radar("T29", s);
}

static srdi_table *fx_t27(void)
{
    srdi_table *t = srdi_table_new("T27", "honor_matrix", "荣誉矩阵", "矩阵");
    srdi_table_add_col(t, "rate", "持有率", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "lift", "提升度", SRDI_COL_RATIO, "", 2);
    FX_ROW(t, "hon_hightech", "高新技术企业", 0.89, 1.07);
    FX_ROW(t, "hon_tech_sme", "科技型中小企业", 0.76, 0.93);
    FX_ROW(t, "hon_innovative_sme", "创新型中小企业", 0.60, 1.08);
    FX_ROW(t, "hon_gazelle", "瞪羚企业", 0.08, 2.61);
    FX_ROW(t, "hon_tech_center", "省级企业技术中心", 0.19, 2.42);
    FX_ROW(t, "hon_ip_advantage", "知识产权优势企业", 0.06, 3.35);
    FX_ROW(t, "hon_ip_demo", "知识产权示范企业", 0.055, 3.20);
    FX_ROW(t, "hon_green", "绿色工厂", 0.12, 1.62);
    FX_ROW(t, "hon_smart", "智能制造示范工厂", 0.04, 1.35);
    return t;
}

static srdi_table *fx_t30(void)
{
    static const char *f[11] = {"新一代信息技术", "高端装备制造", "新材料",   "生物医药", "新能源",    "节能环保",
                                "新能源汽车",     "数字创意",     "航空航天", "海洋装备", "相关服务业"};
    srdi_table *t = srdi_table_new("T30", "patent_fields", "领域", "领域");
    srdi_table_add_col(t, "count", "授权量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 11; i++) FX_ROW(t, f[i], f[i], 30000 - 2600 * i, 0.21 - 0.018 * i);
    FX_ROW(t, "total", "合计", 160000);
    return t;
}

static srdi_table *fx_t31(void)
{
    srdi_table *t = srdi_table_new("T31", "patent_trend", "趋势", "趋势");
    srdi_table_add_col(t, "applications_per_enterprise", "平均申请量", SRDI_COL_NUMBER, "件", 2);
    srdi_table_add_col(t, "grants_per_enterprise", "平均授权量", SRDI_COL_NUMBER, "件", 2);
    FX_ROW(t, "2022", "2022", 6.84, 3.12);
    FX_ROW(t, "2023", "2023", 7.21, 3.56);
    FX_ROW(t, "2024", "2024", 7.95, 2.48);
    return t;
}

static srdi_table *fx_t32(void)
{
    srdi_table *t = srdi_table_new("T32", "grant_rate_trend", "授权率", "授权率");
    srdi_table_add_col(t, "rate", "授权率", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "n", "已审结", SRDI_COL_COUNT, "件", -1);
    FX_ROW(t, "2020", "2020", 0.612, 21000);
    FX_ROW(t, "2021", "2021", 0.585, 23000);
    FX_ROW(t, "2022", "2022", 0.553, 25000);
    FX_ROW(t, "2023", "2023", 0.527, 24000);
    FX_ROW(t, "2024", "2024", 0.498, 15000);
    FX_ROW(t, "2025", "2025", NAN, 0);
    return t;
}

static srdi_table *fx_t33(void)
{
    static const char *ipc[10] = {"G06F", "H01L", "G01N", "H04L", "B23K", "G06T", "H01M", "B65G", "G05B", "A61B"};
    srdi_table *t = srdi_table_new("T33", "ipc_top", "IPC", "IPC");
    srdi_table_add_col(t, "count", "申请量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 10; i++) FX_ROW(t, ipc[i], ipc[i], 9000 - 700 * i, 0.071 - 0.005 * i);
    FX_ROW(t, "total", "合计", 127000);
    return t;
}

static srdi_table *fx_t34(void)
{
    srdi_table *t = srdi_table_new("T34", "foreign_trend", "涉外", "涉外");
    srdi_table_add_col(t, "count", "涉外发明专利公开量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "applicants", "申请人数", SRDI_COL_COUNT, "家", -1);
    static const double cnt[6] = {3120, 3650, 4410, 5230, 5980, 2870}, app[6] = {612, 688, 745, 820, 905, 540};
    for (int i = 0; i < 6; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2020 + i);
        FX_ROW(t, y, y, cnt[i], app[i]);
    }
    return t;
}

static srdi_table *fx_t35(void)
{
    static const char *off[12] = {"WO", "US", "EP", "JP", "KR", "DE", "IN", "TW", "AU", "CA", "BR", "RU"};
    static const char *lab[12] = {
        "WO世界知识产权组织", "US美国",     "EP欧洲专利局", "JP日本", "KR韩国",  "DE德国", "IN印度",
        "TW中国台湾",         "AU澳大利亚", "CA加拿大",     "BR巴西", "RU俄罗斯"};
    static const double sh[12] = {0.412, 0.236, 0.121, 0.072, 0.048, 0.031, 0.022, 0.018, 0.014, 0.011, 0.009, 0.006};
    srdi_table *t = srdi_table_new("T35", "foreign_offices", "地区", "地区");
    srdi_table_add_col(t, "count", "件数", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 12; i++) FX_ROW(t, off[i], lab[i], sh[i] * 16000, sh[i]);
    FX_ROW(t, "total", "合计", 16000);
    return t;
}

/* The fixture table for a chart key, or NULL (S48 has none). */
static srdi_table *fx_table(const char *key)
{
    static const struct {
        const char *key;
        srdi_table *(*fn)(void);
    } m[] = {{"T01", fx_t01}, {"T03", fx_t03}, {"T04", fx_t04}, {"T12", fx_t12}, {"T13", fx_t13}, {"T15", fx_t15},
             {"T16", fx_t16}, {"T17", fx_t17}, {"T23", fx_t23}, {"T27", fx_t27}, {"T29", fx_t29}, {"T30", fx_t30},
             {"T31", fx_t31}, {"T32", fx_t32}, {"T33", fx_t33}, {"T34", fx_t34}, {"T35", fx_t35}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(m[i].key, key) == 0) return m[i].fn();
    return NULL;
}

#endif
