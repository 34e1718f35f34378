/*
 * src/tables/registry.c — the one list of the 35 tables (id, name, title,
 * sheet, source line, builder) and srdi_tables_compute / srdi_tables_build.
 * No other file spells a table's id or name.
 */
#include <stdlib.h>
#include <string.h>
#include "kit.h"

#define SRC_DB "资料来源：srdi-report 根据企业数据库计算"
#define SRC_FIN "资料来源：srdi-report 根据企业财务数据计算"
#define NEEDS_FIN "financials.csv（财务数据）"
#define NEEDS_PAT "patents.csv（专利数据）"

static const srdi_table_def defs[] = {
    {"T01", "tier_share", "国家级与省级专精特新企业数量及占比", "层级分布", SRC_DB, NULL, srdi_table_T01},
    {"T02", "reg_capital", "国家级与省级企业注册资本规模及倍数关系", "注册资本", SRC_DB, NULL, srdi_table_T02},
    {"T03", "staff_bands", "国家级与省级企业参保人数分布", "用工规模", SRC_DB, NULL, srdi_table_T03},
    {"T04", "honor_rates", "国家级与省级企业荣誉资质持有率", "荣誉资质", SRC_DB, NULL, srdi_table_T04},
    {"T05", "standards", "国家级与省级企业标准持有率及平均数量", "标准制定", SRC_DB, NULL, srdi_table_T05},
    {"T06", "standards_outcomes", "企业层级与标准持有双维度创新成果对比", "标准与成果", SRC_DB, NULL, srdi_table_T06},
    {"T07", "tech_eval", "国家级与省级企业科技成果评价等级占比", "科技成果评价", SRC_DB, NULL, srdi_table_T07},
    {"T08", "tech_eval_grants", "科技成果评价与发明授权数量对比", "成果评价与授权", SRC_DB, NULL, srdi_table_T08},
    {"T09", "revenue_growth", "国家级与省级企业营收增长率中位数", "营收增长", SRC_FIN, NEEDS_FIN, srdi_table_T09},
    {"T10", "rd_ratio_by_year", "国家级与省级企业研发占比均值（分年度）", "研发占比趋势", SRC_FIN, NEEDS_FIN, srdi_table_T10},
    {"T11", "rd_benchmarks", "研发占比标杆体系（最新年度）", "研发标杆", SRC_FIN, NEEDS_FIN, srdi_table_T11},
    {"T12", "scale_innovation", "专精特新企业“规模-创新”二维矩阵分布", "规模创新矩阵", SRC_DB, NULL, srdi_table_T12},
    {"T13", "province_rank", "专精特新企业省份分布及国家级占比", "省份分布", SRC_DB, NULL, srdi_table_T13},
    {"T14", "clusters", "三大城市群专精特新企业数量及国家级占比", "城市群", SRC_DB, NULL, srdi_table_T14},
    {"T15", "cluster_industry", "TOP10 行业在三大城市群的分布", "城市群行业", SRC_DB, NULL, srdi_table_T15},
    {"T16", "city_rank", "专精特新企业城市分布及专利总量中位数", "城市分布", SRC_DB, NULL, srdi_table_T16},
    {"T17", "division_rank", "专精特新企业行业大类分布", "行业分布", SRC_DB, NULL, srdi_table_T17},
    {"T18", "group_focus", "核心行业（中类）国家级专精特新企业集聚度与类型", "中类集聚", SRC_DB, NULL, srdi_table_T18},
    {"T19", "class_focus", "重点战略领域行业小类国家级占比", "小类聚焦", SRC_DB, NULL, srdi_table_T19},
    {"T20", "correlation", "专精特新企业核心指标相关性分析矩阵", "指标相关性", SRC_DB, NULL, srdi_table_T20},
    {"T21", "indicator_medians", "专精特新企业核心竞争力指标层级差异", "指标中位数", SRC_DB, NULL, srdi_table_T21},
    {"T22", "rd_bands", "专精特新企业研发强度分层特征及创新表现", "研发强度分层", SRC_DB, NEEDS_FIN, srdi_table_T22},
    {"T23", "five_dim_gap", "专精特新企业科创力各维度层级得分与差距率", "五维差距", SRC_DB, NULL, srdi_table_T23},
    {"T24", "score_rd_types", "专精特新企业科创力分层分类", "科创力分类", SRC_DB, NEEDS_FIN, srdi_table_T24},
    {"T25", "domain_profile", "专精特新企业分领域科创力水平", "领域画像", SRC_DB, NEEDS_FIN, srdi_table_T25},
    {"T26", "domain_score_success", "专精特新企业分领域科创力评分区间国家级占比", "领域评分", SRC_DB, NULL, srdi_table_T26},
    {"T27", "honor_matrix", "荣誉资质品牌力矩阵", "荣誉矩阵", SRC_DB, NULL, srdi_table_T27},
    {"T28", "champion_gap", "专精特新“小巨人”企业与单项冠军企业核心指标差异", "冠军对标", SRC_DB, NULL, srdi_table_T28},
    {"T29", "champion_radar", "“小巨人”及“单项冠军”科创力五维对比", "冠军雷达", SRC_DB, NULL, srdi_table_T29},
    {"T30", "patent_fields", "“小巨人”企业发明专利重点产业领域分布", "专利领域", SRC_DB, NEEDS_PAT, srdi_table_T30},
    {"T31", "patent_trend", "“小巨人”企业发明专利平均申请量及授权量趋势", "专利趋势", SRC_DB, NEEDS_PAT, srdi_table_T31},
    {"T32", "grant_rate_trend", "“小巨人”企业发明专利授权率趋势", "授权率趋势", SRC_DB, NEEDS_PAT, srdi_table_T32},
    {"T33", "ipc_top", "“小巨人”企业发明专利主IPC分类号分布", "IPC分布", SRC_DB, NEEDS_PAT, srdi_table_T33},
    {"T34", "foreign_trend", "“小巨人”企业涉外发明专利及申请人公开趋势", "涉外专利趋势", SRC_DB, NEEDS_PAT, srdi_table_T34},
    {"T35", "foreign_offices", "“小巨人”企业涉外发明专利主要布局地区分布", "涉外布局", SRC_DB, NEEDS_PAT, srdi_table_T35},
};

const srdi_table_def *srdi_tables_defs(size_t *n)
{
    *n = sizeof defs / sizeof defs[0];
    return defs;
}

const srdi_table_def *srdi_tables_def(const char *id)
{
    for (size_t i = 0; id && i < sizeof defs / sizeof defs[0]; i++)
        if (strcmp(defs[i].id, id) == 0) return &defs[i];
    return NULL;
}

srdi_status srdi_tables_needing(const char *file, srdi_buf *buf)
{
    size_t n = sizeof defs / sizeof defs[0], fl = strlen(file);
    srdi_status st = SRDI_OK;
    bool first = true;
    for (size_t i = 0; i < n && st == SRDI_OK; i++) {
        if (!defs[i].needs || strncmp(defs[i].needs, file, fl) != 0) continue;
        size_t j = i;   /* the run i..j of consecutive ids needing the file */
        while (j + 1 < n && defs[j + 1].needs && strncmp(defs[j + 1].needs, file, fl) == 0 &&
               atoi(defs[j + 1].id + 1) == atoi(defs[j].id + 1) + 1)
            j++;
        if (j - i >= 2) {
            st = srdi_buf_printf(buf, "%s%s–%s", first ? "" : ", ", defs[i].id, defs[j].id);
            i = j;
        } else {
            st = srdi_buf_printf(buf, "%s%s", first ? "" : ", ", defs[i].id);
        }
        first = false;
    }
    return st;
}

bool srdi_tables_count_is_n(const char *id)
{
    /* the city ranking (enterprises behind each median) and the R&D bands */
    static const char *const ids[] = {"T16", "T22"};
    for (size_t i = 0; id && i < sizeof ids / sizeof ids[0]; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

const char *srdi_tables_id_of(const char *name)
{
    for (size_t i = 0; name && i < sizeof defs / sizeof defs[0]; i++)
        if (strcmp(defs[i].name, name) == 0) return defs[i].id;
    return NULL;
}

void srdi_tables_id_range(const char **first, const char **last)
{
    *first = defs[0].id;
    *last = defs[sizeof defs / sizeof defs[0] - 1].id;
}

/* Is @p id in the comma-separated list @p only? */
static int in_list(const char *only, const char *id)
{
    size_t idlen = strlen(id);
    const char *p = only;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == idlen && strncmp(p, id, len) == 0) return 1;
        if (!e) break;
        p = e + 1;
    }
    return 0;
}

srdi_status srdi_tables_build(const srdi_tctx *ctx, const char *id, srdi_table **out)
{
    const srdi_table_def *def = srdi_tables_def(id);
    *out = NULL;
    if (!def) return srdi_error_set(SRDI_ERR_USAGE, "unknown table id '%s'", id ? id : "");
    return def->build(ctx, def, out);
}

srdi_status srdi_tables_compute(const srdi_tctx *ctx, const char *only, srdi_tableset **out)
{
    size_t n;
    const srdi_table_def *d = srdi_tables_defs(&n);
    srdi_tableset *s = calloc(1, sizeof *s);
    if (!s || !(s->tables = calloc(n, sizeof *s->tables))) {
        free(s);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory computing tables");
    }
    for (size_t i = 0; i < n; i++) {
        if (only && *only && !in_list(only, d[i].id)) continue;
        srdi_table *t = NULL;
        srdi_status st = d[i].build(ctx, &d[i], &t);
        if (st != SRDI_OK) {
            srdi_tableset_free(s);
            return st;
        }
        s->tables[s->n++] = t;
    }
    *out = s;
    return SRDI_OK;
}
