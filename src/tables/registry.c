/*
 * src/tables/registry.c — the one list of the 35 tables (id, name, title,
 * sheet, source line, builder), the one list of their columns, and
 * srdi_tables_compute / srdi_tables_build.  No other file spells a table's
 * id or name.
 *
 * A table is made by tk_build (kit.c) from its entry: its columns of the
 * list below in order, then the builder adds the rows (and the columns whose keys or
 * labels depend on the data or params.ini: T02's threshold, T15's
 * clusters, T20's indicators, T26's score bands).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "kit.h"

#define SRC_DB    "资料来源：专精特新企业数据库，课题组计算"
#define SRC_FIN   "资料来源：专精特新企业财务数据，课题组计算"
#define NEEDS_FIN "financials.csv（财务数据）"
#define NEEDS_PAT "patents.csv（专利数据）"

/*
 * Where a table's data come from: its source line, the optional input it
 * needs (NULL: none), and the inputs it reads (SRDI_READS_*: a refresh
 * reuses the table while they are unchanged; tests/test_incr_reads.c builds
 * every table with the others unreadable).
 */
#define READS_E  SRDI_READS_ENTERPRISES
#define READS_EF (SRDI_READS_ENTERPRISES | SRDI_READS_FINANCIALS)
#define READS_EP (SRDI_READS_ENTERPRISES | SRDI_READS_PATENTS)
#define DB       SRC_DB, NULL, READS_E
#define FIN      SRC_FIN, NEEDS_FIN, READS_EF
#define DB_FIN   SRC_DB, NEEDS_FIN, READS_EF
#define PAT      SRC_DB, NEEDS_PAT, READS_EP

/*
 * The numeric enterprise columns a table reads (srdi_table_def.fields): a
 * refresh after a change of one column rebuilds only the tables that read
 * it (tests/test_incr_reads.c builds every table with the others unreadable).
 */
_Static_assert(SRDI_F_COUNT < 63, "a table's numeric columns fit below SRDI_FIELDS_NONE's bit");
#define FB(f)     SRDI_FIELD_BIT(SRDI_F_##f)
#define NO_FIELDS SRDI_FIELDS_NONE
#define HONORS                                                                                                         \
    (FB(HON_LITTLE_GIANT) | FB(HON_HIGH_TECH) | FB(HON_TECH_CENTER) | FB(HON_TECH_SME) | FB(HON_CHAMPION) |            \
     FB(HON_ENG_CENTER) | FB(HON_GAZELLE) | FB(HON_UNICORN) | FB(HON_GREEN_FACTORY) | FB(HON_CNAS))
#define STANDARDS (FB(STD_NATIONAL) | FB(STD_INDUSTRY) | FB(STD_LOCAL) | FB(STD_GROUP))
/* the five dimensions' scores (科创力): capital, staff, patents, invention grants, software copyrights */
#define SCORE_IN (FB(REG_CAPITAL) | FB(STAFF) | FB(PATENTS_TOTAL) | FB(INVENTION_GRANTS) | FB(SOFTWARE_COPYRIGHTS))
/* the core indicators of T28: all but utility models and class-I IP */
#define CHAMPION_IN                                                                                                    \
    (FB(REG_CAPITAL) | FB(STAFF) | STANDARDS | FB(PATENTS_TOTAL) | FB(INVENTION_APPS) | FB(INVENTION_GRANTS) |         \
     FB(INVENTION_REJECTED) | FB(SOFTWARE_COPYRIGHTS) | FB(PCT_APPS) | FB(FOREIGN_PATENTS) |                           \
     FB(HIGH_VALUE_INVENTIONS) | FB(CITATIONS_AVG) | FB(AWARDED_PATENTS) | FB(STANDARD_PATENTS) | FB(INVENTORS) |      \
     FB(COOP_PATENTS) | FB(PLEDGED_PATENTS) | FB(LICENSED_PATENTS) | FB(LITIGATED_PATENTS) | FB(DIGITAL_PATENTS))

/* A column's decimals: the rule of its type (params.ini [numbers]), or fixed. */
enum { TYPE_RULE = -1, FIXED_0 = 0, FIXED_1 = 1, FIXED_2 = 2 };

/* ------------------------------------------------------------- columns */

/*
 * The columns of every table, in table order and, within a table, in column
 * order (tk_build adds them before the builder runs).  T15, T20 and T26 have
 * only the columns their builder makes from the data or params.ini; T02's
 * threshold column is added by its builder (the label names the threshold).
 */
static const struct regcol {
    const char *table;
    tk_col col;
} cols[] = {
    {"T01", {"count", "企业数量", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T01", {"share", "占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T02", {"n", "样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T02", {"median", "注册资本中位数", SRDI_COL_AMOUNT, "万元", FIXED_0}},
    {"T02", {"mean", "平均注册资本", SRDI_COL_AMOUNT, "万元", FIXED_0}},
    {"T03", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T03", {"provincial_share", "省级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T03", {"gap_pp", "差异（百分点）", SRDI_COL_PP, "", TYPE_RULE}},
    {"T03", {"median", "参保人数中位数", SRDI_COL_AMOUNT, "人", FIXED_0}},
    {"T03", {"n", "样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T04", {"national_rate", "国家级持有率", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T04", {"provincial_rate", "省级持有率", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T04", {"gap_pp", "差异（百分点）", SRDI_COL_PP, "", TYPE_RULE}},
    {"T04", {"multiple", "倍数", SRDI_COL_MULTIPLE, "", TYPE_RULE}},
    {"T05", {"n", "样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T05", {"rate", "标准持有率", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T05", {"mean_among_holders", "持有企业平均标准数", SRDI_COL_AMOUNT, "项", FIXED_1}},
    {"T06", {"median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T06", {"median_invention_grants", "发明授权中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T06", {"median_outcomes", "综合成果中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T06", {"n", "样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T07", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T07", {"provincial_share", "省级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T07", {"gap_pp", "差距（百分点）", SRDI_COL_PP, "", TYPE_RULE}},
    {"T07", {"multiple", "倍数", SRDI_COL_MULTIPLE, "", TYPE_RULE}},
    {"T07", {"n", "样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T08", {"with_eval_median", "有科技成果评价企业发明授权中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T08", {"without_eval_median", "无科技成果评价企业发明授权中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T08", {"relative_gap", "差距", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T09", {"national_median", "国家级营收增长率中位数", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T09", {"national_n", "国家级样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T09", {"provincial_median", "省级营收增长率中位数", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T09", {"provincial_n", "省级样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T10", {"national_mean", "国家级研发占比均值", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T10", {"national_n", "国家级样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T10", {"provincial_mean", "省级研发占比均值", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T10", {"provincial_n", "省级样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T10", {"n", "样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T11", {"mean", "均值", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T11", {"p50", "P50（中位数）", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T11", {"p75", "P75（前25%）", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T11", {"p90", "P90（前10%）", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T11", {"n", "样本数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T12", {"count", "企业数量", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T12", {"share", "占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T12", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T13", {"rank", "排名", SRDI_COL_YEAR, "", TYPE_RULE}},
    {"T13", {"count", "企业数量", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T13", {"share", "全国占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T13", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T14", {"count", "企业数量", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T14", {"share", "全国占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T14", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T16", {"count", "企业数量", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T16", {"share", "全国占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T16", {"median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T17", {"count", "企业数量", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T17", {"share", "占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T18", {"count", "企业数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T18", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T18", {"type", "类型", SRDI_COL_TEXT, "", TYPE_RULE}},
    {"T19", {"count", "企业数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T19", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T19", {"domain", "战略领域", SRDI_COL_TEXT, "", TYPE_RULE}},
    {"T21", {"national_median", "国家级中位数", SRDI_COL_NUMBER, "", FIXED_0}},
    {"T21", {"provincial_median", "省级中位数", SRDI_COL_NUMBER, "", FIXED_0}},
    {"T21", {"multiple", "倍数关系", SRDI_COL_MULTIPLE, "", TYPE_RULE}},
    {"T21", {"label", "显著性", SRDI_COL_TEXT, "", TYPE_RULE}},
    {"T22", {"count", "企业数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T22", {"share", "企业占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T22", {"median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T22", {"median_invention_grants", "发明授权中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T22", {"national_share", "国家级占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T23", {"score", "省级得分（国家级=100）", SRDI_COL_SCORE, "", TYPE_RULE}},
    {"T23", {"gap", "差距", SRDI_COL_SCORE, "分", TYPE_RULE}},
    {"T24", {"count", "企业数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T24", {"share", "占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T25", {"median_invention_grants", "发明授权中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T25", {"mean_rd_ratio", "研发占比均值", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T25", {"median_software_copyrights", "软件著作权中位数", SRDI_COL_AMOUNT, "件", FIXED_0}},
    {"T25", {"n", "企业数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T27", {"rate", "持有率", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T27", {"lift", "价值贡献度（提升度）", SRDI_COL_RATIO, "", TYPE_RULE}},
    {"T27", {"quadrant", "象限", SRDI_COL_TEXT, "", TYPE_RULE}},
    {"T28", {"national_mean", "国家级“小巨人”均值", SRDI_COL_NUMBER, "", FIXED_2}},
    {"T28", {"champion_mean", "单项冠军均值", SRDI_COL_NUMBER, "", FIXED_2}},
    {"T28", {"multiple", "倍数", SRDI_COL_MULTIPLE, "", TYPE_RULE}},
    {"T29", {"score", "“小巨人”得分（单项冠军=100）", SRDI_COL_SCORE, "", TYPE_RULE}},
    {"T30", {"count", "授权发明专利数", SRDI_COL_COUNT, "件", TYPE_RULE}},
    {"T30", {"share", "占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T31", {"applications_per_enterprise", "平均申请量", SRDI_COL_NUMBER, "件", FIXED_2}},
    {"T31", {"grants_per_enterprise", "平均授权量", SRDI_COL_NUMBER, "件", FIXED_2}},
    {"T32", {"rate", "授权率", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T32", {"n", "已审结申请数", SRDI_COL_COUNT, "件", TYPE_RULE}},
    {"T33", {"count", "发明专利申请数", SRDI_COL_COUNT, "件", TYPE_RULE}},
    {"T33", {"share", "占比", SRDI_COL_SHARE, "", TYPE_RULE}},
    {"T34", {"count", "涉外发明专利公开量", SRDI_COL_COUNT, "件", TYPE_RULE}},
    {"T34", {"applicants", "申请人数", SRDI_COL_COUNT, "家", TYPE_RULE}},
    {"T35", {"count", "涉外发明专利数", SRDI_COL_COUNT, "件", TYPE_RULE}},
    {"T35", {"share", "占比", SRDI_COL_SHARE, "", TYPE_RULE}},
};

/* ------------------------------------------------------------- tables */

static const srdi_table_def defs[] = {
    {"T01", "tier_share", "国家级与省级专精特新企业数量及占比", "层级分布", DB, srdi_table_T01, false, NO_FIELDS},
    {"T02", "reg_capital", "国家级与省级企业注册资本规模及倍数关系", "注册资本", DB, srdi_table_T02, false,
     FB(REG_CAPITAL)},
    {"T03", "staff_bands", "国家级与省级企业参保人数分布", "用工规模", DB, srdi_table_T03, false, FB(STAFF)},
    {"T04", "honor_rates", "国家级与省级企业荣誉资质持有率", "荣誉资质", DB, srdi_table_T04, false, HONORS},
    {"T05", "standards", "国家级与省级企业标准持有率及平均数量", "标准制定", DB, srdi_table_T05, false, STANDARDS},
    {"T06", "standards_outcomes", "企业层级与标准持有双维度创新成果对比", "标准与成果", DB, srdi_table_T06, false,
     STANDARDS | FB(PATENTS_TOTAL) | FB(INVENTION_GRANTS) | FB(SOFTWARE_COPYRIGHTS)},
    {"T07", "tech_eval", "国家级与省级企业科技成果评价等级占比", "科技成果评价", DB, srdi_table_T07, false, NO_FIELDS},
    {"T08", "tech_eval_grants", "科技成果评价与发明授权数量对比", "成果评价与授权", DB, srdi_table_T08, false,
     FB(INVENTION_GRANTS)},
    {"T09", "revenue_growth", "国家级与省级企业营收增长率中位数", "营收增长", FIN, srdi_table_T09, false, NO_FIELDS},
    {"T10", "rd_ratio_by_year", "国家级与省级企业研发占比均值（分年度）", "研发占比趋势", FIN, srdi_table_T10, false,
     NO_FIELDS},
    {"T11", "rd_benchmarks", "研发占比标杆体系（最新年度）", "研发标杆", FIN, srdi_table_T11, false, NO_FIELDS},
    {"T12", "scale_innovation", "专精特新企业“规模—创新”二维矩阵分布", "规模创新矩阵", DB, srdi_table_T12, false,
     FB(STAFF) | FB(PATENTS_TOTAL)},
    {"T13", "province_rank", "专精特新企业省份分布及国家级占比", "省份分布", DB, srdi_table_T13, false, NO_FIELDS},
    {"T14", "clusters", "三大城市群专精特新企业数量及国家级占比", "城市群", DB, srdi_table_T14, false, NO_FIELDS},
    {"T15", "cluster_industry", "TOP10 行业在三大城市群的分布", "城市群行业", DB, srdi_table_T15, false, NO_FIELDS},
    {"T16", "city_rank", "专精特新企业城市分布及专利总量中位数", "城市分布", DB, srdi_table_T16, true,
     FB(PATENTS_TOTAL)},
    {"T17", "division_rank", "专精特新企业行业大类分布", "行业分布", DB, srdi_table_T17, false, NO_FIELDS},
    {"T18", "group_focus", "核心行业（中类）国家级专精特新企业集聚度与类型", "中类集聚", DB, srdi_table_T18, false,
     NO_FIELDS},
    {"T19", "class_focus", "重点战略领域行业小类国家级占比", "小类聚焦", DB, srdi_table_T19, false, NO_FIELDS},
    {"T20", "correlation", "专精特新企业核心指标相关性分析矩阵", "指标相关性", DB, srdi_table_T20, false,
     FB(REG_CAPITAL) | FB(STAFF) | FB(PATENTS_TOTAL) | FB(INVENTION_APPS) | FB(INVENTION_GRANTS)},
    {"T21", "indicator_medians", "专精特新企业核心竞争力指标层级差异", "指标中位数", DB, srdi_table_T21, false,
     FB(REG_CAPITAL) | FB(STAFF) | FB(PATENTS_TOTAL) | FB(INVENTION_APPS) | FB(INVENTION_GRANTS) |
         FB(SOFTWARE_COPYRIGHTS)},
    {"T22", "rd_bands", "专精特新企业研发强度分层特征及创新表现", "研发强度分层", DB_FIN, srdi_table_T22, false,
     FB(PATENTS_TOTAL) | FB(INVENTION_GRANTS)},
    {"T23", "five_dim_gap", "专精特新企业科创力各维度层级得分与差距", "五维差距", DB, srdi_table_T23, false, SCORE_IN},
    {"T24", "score_rd_types", "专精特新企业科创力分层分类", "科创力分类", DB_FIN, srdi_table_T24, false, SCORE_IN},
    {"T25", "domain_profile", "专精特新企业分领域科创力水平", "领域画像", DB_FIN, srdi_table_T25, false,
     FB(INVENTION_GRANTS) | FB(SOFTWARE_COPYRIGHTS)},
    {"T26", "domain_score_success", "专精特新企业分领域科创力评分区间国家级占比", "领域评分", DB, srdi_table_T26, false,
     SCORE_IN},
    {"T27", "honor_matrix", "荣誉资质品牌力矩阵", "荣誉矩阵", DB, srdi_table_T27, false, HONORS},
    {"T28", "champion_gap", "专精特新“小巨人”企业与单项冠军企业核心指标差异", "冠军对标", DB, srdi_table_T28, false,
     CHAMPION_IN},
    {"T29", "champion_radar", "“小巨人”及“单项冠军”科创力五维对比", "冠军雷达", DB, srdi_table_T29, false, SCORE_IN},
    {"T30", "patent_fields", "“小巨人”企业发明专利重点产业领域分布", "专利领域", PAT, srdi_table_T30, false, NO_FIELDS},
    {"T31", "patent_trend", "“小巨人”企业发明专利平均申请量及授权量趋势", "专利趋势", PAT, srdi_table_T31, false,
     NO_FIELDS},
    {"T32", "grant_rate_trend", "“小巨人”企业发明专利授权率趋势", "授权率趋势", PAT, srdi_table_T32, false, NO_FIELDS},
    {"T33", "ipc_top", "“小巨人”企业发明专利主IPC分类号分布", "IPC分布", PAT, srdi_table_T33, false, NO_FIELDS},
    {"T34", "foreign_trend", "“小巨人”企业涉外发明专利及申请人公开趋势", "涉外专利趋势", PAT, srdi_table_T34, false,
     NO_FIELDS},
    {"T35", "foreign_offices", "“小巨人”企业涉外发明专利主要布局地区分布", "涉外布局", PAT, srdi_table_T35, false,
     NO_FIELDS},
};

srdi_status tk_registry_cols(srdi_table *t, const char *id)
{
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(cols[i].table, id) == 0 && tk_add_cols(t, &cols[i].col, 1) != SRDI_OK) return SRDI_ERR_NOMEM;
    return SRDI_OK;
}

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
        size_t j = i; /* the run i..j of consecutive ids needing the file */
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
    return tk_build(ctx, def, out);
}

/* The builds of one srdi_tables_compute_threads call, taken in registry order. */
typedef struct compute_pool {
    const srdi_tctx *ctx;
    const srdi_table_def *defs;
    size_t *idx;      /* the registry entries asked for, in order */
    srdi_table **out; /* out[k]: the table of idx[k] */
    srdi_status *st;  /* st[k]: its status */
    char (*msg)[512]; /* msg[k]: its message when st[k] is not SRDI_OK */
    size_t *order;    /* the builds in the order they are taken (positions in idx) */
    size_t n;
    atomic_size_t next;   /* the next build to take (position in order) */
    atomic_size_t fail_k; /* the first build (position in idx) that failed so far, n when none */
} compute_pool;

/* Table @p k of the pool: taken from ctx->reuse when it has it, else built (and shown to ctx->reuse). */
static srdi_status compute_one(compute_pool *pl, size_t k)
{
    const srdi_tables_reuse *ru = pl->ctx->reuse;
    size_t i = pl->idx[k];
    if (ru && ru->take && (pl->out[k] = ru->take(ru->arg, i, &pl->defs[i])) != NULL) return SRDI_OK;
    srdi_status st = tk_build(pl->ctx, &pl->defs[i], &pl->out[k]);
    if (st == SRDI_OK && ru && ru->built) st = ru->built(ru->arg, i, pl->out[k]);
    return st;
}

/*
 * Builds taken longest first on several threads (their ids, the longest of
 * the national data first; the rest follow in registry order), so the last
 * one to finish is a short one.  One thread takes them in registry order.
 */
static const char *const long_builds[] = {"T20", "T24", "T27", "T26", "T06", "T25", "T23",
                                          "T04", "T21", "T34", "T16", "T32", "T08"};

static void *compute_worker(void *arg)
{
    compute_pool *pl = arg;
    for (;;) {
        size_t o = atomic_fetch_add(&pl->next, 1);
        if (o >= pl->n) break;
        size_t k = pl->order[o];
        if (k > atomic_load(&pl->fail_k)) continue; /* after a failure, only the builds before it in registry order */
        pl->st[k] = compute_one(pl, k);
        if (pl->st[k] != SRDI_OK) {
            srdi_strlcpy(pl->msg[k], srdi_error_message(), sizeof pl->msg[k]);
            size_t f = atomic_load(&pl->fail_k);
            while (k < f && !atomic_compare_exchange_weak(&pl->fail_k, &f, k)) {
            }
        }
    }
    return NULL;
}

srdi_status srdi_tables_compute_threads(const srdi_tctx *ctx, const char *only, int threads, srdi_tableset **out)
{
    size_t n, want = 0;
    const srdi_table_def *d = srdi_tables_defs(&n);
    srdi_status st = SRDI_OK;
    compute_pool pl = {.ctx = ctx, .defs = d};
    srdi_tableset *s = calloc(1, sizeof *s);
    pl.idx = calloc(n, sizeof *pl.idx);
    pl.out = calloc(n, sizeof *pl.out);
    pl.st = calloc(n, sizeof *pl.st);
    pl.msg = calloc(n, sizeof *pl.msg);
    pl.order = calloc(n, sizeof *pl.order);
    if (!s || !(s->tables = calloc(n, sizeof *s->tables)) || !pl.idx || !pl.out || !pl.st || !pl.msg || !pl.order) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory computing tables");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        if (!only || !*only || in_list(only, d[i].id)) pl.idx[want++] = i;
    pl.n = want;
    atomic_init(&pl.next, 0);
    atomic_init(&pl.fail_k, want);
    /* this thread is worker 0; one thread (--jobs 1) starts none, so the
       builds and their allocations come in registry order */
    enum { MAX_WORKERS = 64 };
    pthread_t tid[MAX_WORKERS];
    int nstarted = 0;
    if (threads > MAX_WORKERS) threads = MAX_WORKERS;
    if ((size_t)threads > want) threads = (int)want;
    {
        size_t no = 0;
        bool *taken = calloc(want ? want : 1, sizeof *taken);
        if (threads > 1 && taken)
            for (size_t l = 0; l < sizeof long_builds / sizeof long_builds[0]; l++)
                for (size_t k = 0; k < want; k++)
                    if (!taken[k] && strcmp(d[pl.idx[k]].id, long_builds[l]) == 0) {
                        taken[k] = true;
                        pl.order[no++] = k;
                    }
        for (size_t k = 0; k < want; k++)
            if (!taken || !taken[k]) pl.order[no++] = k;
        free(taken);
    }
    for (int k = 1; k < threads; k++)
        if (pthread_create(&tid[nstarted], NULL, compute_worker, &pl) == 0) nstarted++; /* else fewer threads */
    compute_worker(&pl);
    for (int k = 0; k < nstarted; k++) pthread_join(tid[k], NULL);
    /* every build before the first failure (registry order) ran: that
       failure is the one a single thread meets */
    for (size_t k = 0; k < want; k++) {
        if (pl.st[k] == SRDI_OK && pl.out[k]) {
            s->tables[s->n++] = pl.out[k];
            pl.out[k] = NULL;
        } else if (pl.st[k] != SRDI_OK && st == SRDI_OK) {
            st = srdi_error_set(pl.st[k], "%s", pl.msg[k]);
        }
    }
cleanup:
    if (pl.out)
        for (size_t k = 0; k < want; k++) srdi_table_free(pl.out[k]);
    free(pl.idx);
    free(pl.out);
    free(pl.st);
    free(pl.msg);
    free(pl.order);
    if (st != SRDI_OK) {
        srdi_tableset_free(s);
        return st;
    }
    *out = s;
    return SRDI_OK;
}

srdi_status srdi_tables_compute(const srdi_tctx *ctx, const char *only, srdi_tableset **out)
{
    return srdi_tables_compute_threads(ctx, only, 1, out);
}
