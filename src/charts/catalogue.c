/*
 * src/charts/catalogue.c — the chart catalogue: for every chart of the
 * report its table, drawing, series, top-N parameter, aspect, 图表 number
 * and caption as the bundled 2026 template (templates/report-2026) numbers
 * and captions it, and native Excel chart.  The PDF and the figure files (charts.c,
 * figures.c), the workbooks (xlsx.c) and the incremental build read it;
 * nothing else lists charts.
 *
 * Decisions recorded here (docs/architecture.md):
 *   - A ranking chart plots the same column everywhere: the share of the
 *     province / field / IPC class (T13, T30, T33 and the T35 donut), so
 *     the workbook's native chart and the PDF agree.
 *   - The rows a ranking chart shows come from one params.ini key per
 *     chart (top_n_documents of T13/T16/T17, top_n of T30/T33), in every
 *     output; a table that is already cut to its top N (T15) shows all rows.
 *   - A series on the right axis (kind 1, axis 1) is a second line chart
 *     under the first in workbooks (libxlsxwriter has no secondary axis).
 *   - The title and number of an entry are the bundled template's caption
 *     and 图表 number (in the caption form the PDF prints), so a workbook
 *     or figure built without parsing the templates (build --formats xlsx)
 *     titles its charts exactly as a build with the PDF does
 *     (tests/test_layout_titles.sh compares the two).
 *   - "M31" (评价要素优先度矩阵) has no table of the set: it draws a table
 *     computed from T04, T05, T11 and T23 (priority.c); it has no workbook
 *     chart (no sheet of its own).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/charts.h"
#include "kit.h"

/* Shorthands for the entries below. */
#define SER(col, name)                                                                                                 \
    {                                                                                                                  \
        col, name, 0, 0                                                                                                \
    }
#define LINE_RIGHT(col, name)                                                                                          \
    {                                                                                                                  \
        col, name, 1, 1                                                                                                \
    }

static const srdi_chart_def CATALOGUE[] = {
    {"T03",
     "grouped-column",
     "专精特新企业用工规模分层分布（国家级与省级）",
     0.625,
     "T03",
     5,
     SRDI_DRAW_COMBO,
     {SER("national_share", "国家级"), SER("provincial_share", "省级")},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_COLUMN},
    {"T01",
     "pyramid",
     "国家级及省级专精特新企业数量与占比",
     0.625,
     "T01",
     3,
     SRDI_DRAW_PYRAMID,
     {SER("count", NULL)},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_PIE},
    {"T12",
     "quadrant",
     "专精特新企业成长阶段分布图",
     0.625,
     "T12",
     14,
     SRDI_DRAW_QUADRANT,
     {SER("share", NULL)},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_COLUMN},
    {"T13",
     "bar",
     "专精特新企业省份分布TOP10",
     0.625,
     "T13",
     16,
     SRDI_DRAW_HBARS,
     {SER("share", "企业数量占比")},
     NULL,
     "t13",
     "top_n_documents",
     10,
     SRDI_XLSX_BAR},
    {"T15",
     "heatmap",
     "TOP10行业在三大城市群分布热力图",
     0.625,
     "T15",
     19,
     SRDI_DRAW_HEATMAP,
     {{NULL, NULL, 0, 0}},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_COLUMN},
    {"T16",
     "bar-line",
     "专精特新企业城市质量分布对比",
     0.625,
     "T16",
     20,
     SRDI_DRAW_COMBO,
     {SER("share", "企业数量占比"), LINE_RIGHT("median_patents", "专利总量中位数")},
     NULL,
     "t16",
     "top_n_documents",
     20,
     SRDI_XLSX_COLUMN},
    {"T17",
     "bar",
     "专精特新企业重点国标行业分布格局",
     0.625,
     "T17",
     22,
     SRDI_DRAW_HBARS,
     {SER("share", "企业数量占比")},
     NULL,
     "t17",
     "top_n_documents",
     12,
     SRDI_XLSX_BAR},
    {"T23",
     "radar",
     "国家级与省级企业科创力五维评价对比",
     0.75,
     "T23",
     30,
     SRDI_DRAW_RADAR,
     {SER("score", "省级")},
     "国家级（=100）",
     NULL,
     NULL,
     0,
     SRDI_XLSX_RADAR},
    {"M31",
     "priority-matrix",
     "专精特新评价要素优先度矩阵",
     0.68,
     NULL,
     32,
     SRDI_DRAW_PRIORITY,
     {SER("importance", NULL), SER("gap", NULL), SER("attention", NULL)},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_NONE},
    {"T04",
     "grouped-bar",
     "国家级与省级企业荣誉资质持有率对比",
     0.625,
     "T04",
     37,
     SRDI_DRAW_HBARS,
     {SER("national_rate", "国家级"), SER("provincial_rate", "省级")},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_BAR},
    {"T27",
     "bubble-matrix",
     "荣誉资质品牌力矩阵",
     0.625,
     "T27",
     38,
     SRDI_DRAW_BUBBLE_MATRIX,
     {SER("rate", NULL), SER("lift", NULL)},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_SCATTER},
    {"T29",
     "radar",
     "“小巨人”及“单项冠军”科创力五维雷达图",
     0.75,
     "T29",
     41,
     SRDI_DRAW_RADAR,
     {SER("score", "国家级“小巨人”")},
     "单项冠军（=100）",
     NULL,
     NULL,
     0,
     SRDI_XLSX_RADAR},
    {"T30",
     "bar",
     "“小巨人”企业发明专利重点产业领域分布",
     0.625,
     "T30",
     42,
     SRDI_DRAW_HBARS,
     {SER("share", "占比")},
     NULL,
     "t30",
     "top_n",
     10,
     SRDI_XLSX_BAR},
    {"T31",
     "grouped-column",
     "“小巨人”企业发明专利平均申请量及授权量趋势",
     0.625,
     "T31",
     43,
     SRDI_DRAW_COMBO,
     {SER("applications_per_enterprise", NULL), SER("grants_per_enterprise", NULL)},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_COLUMN},
    {"T32",
     "line",
     "“小巨人”企业发明专利授权率趋势",
     0.625,
     "T32",
     44,
     SRDI_DRAW_COMBO,
     {{"rate", "授权率", 1, 0}},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_LINE},
    {"T33",
     "bar",
     "“小巨人”企业发明专利主IPC分类号分布",
     0.625,
     "T33",
     45,
     SRDI_DRAW_HBARS,
     {SER("share", "占比")},
     NULL,
     "t33",
     "top_n",
     10,
     SRDI_XLSX_BAR},
    {"T34",
     "column-line",
     "“小巨人”企业涉外发明专利及申请人公开趋势",
     0.625,
     "T34",
     46,
     SRDI_DRAW_COMBO,
     {SER("count", NULL), LINE_RIGHT("applicants", NULL)},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_COLUMN},
    {"T35",
     "donut",
     "“小巨人”企业涉外发明专利主要布局地区分布",
     0.625,
     "T35",
     47,
     SRDI_DRAW_DONUT,
     {SER("share", NULL)},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_DOUGHNUT},
    {"S48",
     "staircase",
     "专精特新企业四阶段培育路径图",
     0.625,
     NULL,
     48,
     SRDI_DRAW_STAIRCASE,
     {{NULL, NULL, 0, 0}},
     NULL,
     NULL,
     NULL,
     0,
     SRDI_XLSX_NONE},
};
#define NCHARTS (sizeof CATALOGUE / sizeof CATALOGUE[0])
_Static_assert(NCHARTS <= SRDI_CHART_MAX, "srdi_fignums holds every chart of the catalogue");

const srdi_chart_def *srdi_charts_list(size_t *n)
{
    if (n) *n = NCHARTS;
    return CATALOGUE;
}

const srdi_chart_def *srdi_chart_find(const char *key)
{
    for (size_t i = 0; key && i < NCHARTS; i++)
        if (strcmp(CATALOGUE[i].key, key) == 0) return &CATALOGUE[i];
    return NULL;
}

const srdi_chart_def *srdi_chart_for_table(const char *table_id)
{
    for (size_t i = 0; table_id && i < NCHARTS; i++)
        if (CATALOGUE[i].table && strcmp(CATALOGUE[i].table, table_id) == 0) return &CATALOGUE[i];
    return NULL;
}

/* Trends by year whose latest years are still growing: the [patents] lag key and its default. */
static const struct {
    const char *table, *key;
    int def;
} LAGS[] = {{"T31", "grant_lag", 2}, {"T32", "grant_lag", 2}, {"T34", "publication_lag", 1}};

int srdi_chart_complete_year(const srdi_table *t, const srdi_params *p)
{
    size_t k = 0;
    while (t && k < sizeof LAGS / sizeof LAGS[0] && strcmp(LAGS[k].table, t->id) != 0) k++;
    if (!t || k == sizeof LAGS / sizeof LAGS[0]) return 0;
    int maxy = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        int y = atoi(t->rows[r].key);
        if (y > maxy) maxy = y;
    }
    if (maxy == 0) return 0;
    double lag = p ? srdi_params_num(p, "patents", LAGS[k].key, LAGS[k].def) : LAGS[k].def;
    return maxy - (int)lag;
}

size_t srdi_chart_index(const srdi_chart_def *def)
{
    assert(def >= CATALOGUE && def < CATALOGUE + NCHARTS);
    return (size_t)(def - CATALOGUE);
}

int srdi_chart_nseries(const srdi_chart_def *def)
{
    int n = 0;
    while (n < SRDI_CHART_MAXSER && def->series[n].col) n++;
    return n;
}

int srdi_chart_topn(const srdi_chart_def *def, const srdi_params *p)
{
    if (!def->topn_sec) return 0;
    double v = p ? srdi_params_num(p, def->topn_sec, def->topn_key, def->topn_def) : def->topn_def;
    if (!isfinite(v)) v = def->topn_def;
    long long i = llround(v);
    return i < 1 ? 1 : i > SRDI_CHART_MAXCAT ? SRDI_CHART_MAXCAT : (int)i;
}

int srdi_chart_figure_number(const char *key, const srdi_fignums *nums)
{
    const srdi_chart_def *def = srdi_chart_find(key);
    if (!def) return 0;
    int n = nums ? nums->fig[srdi_chart_index(def)] : 0;
    return n > 0 ? n : def->fig;
}

void srdi_fignums_set(srdi_fignums *nums, const char *key, int number)
{
    const srdi_chart_def *def = srdi_chart_find(key);
    if (def) nums->fig[srdi_chart_index(def)] = number > 0 ? number : 0;
}

void srdi_fignums_set_caption(srdi_fignums *nums, const char *key, const char *caption)
{
    const srdi_chart_def *def = srdi_chart_find(key);
    if (def) snprintf(nums->caption[srdi_chart_index(def)], sizeof nums->caption[0], "%s", caption ? caption : "");
}

void srdi_chart_figure_title(const srdi_chart_def *def, const srdi_fignums *nums, char *buf, size_t size)
{
    const char *cap = nums ? nums->caption[srdi_chart_index(def)] : "";
    if (!*cap) cap = def->title;
    /* the report's caption form (layout_tables.c lay_caption_text) */
    snprintf(buf, size, "图表%d：%s", srdi_chart_figure_number(def->key, nums), cap);
}

void srdi_chart_file_name(const srdi_chart_def *def, const srdi_fignums *nums, const char *ext, char *buf, size_t size)
{
    snprintf(buf, size, "figures/fig%02d_%s.%s", srdi_chart_figure_number(def->key, nums), def->key, ext);
}

/* The M31 priority matrix: each element, the table cell its gap comes from and its default importance. */
const prio_elem CHART_PRIORITY_ELEMS[] = {
    {"invention_grants", "发明专利授权", "T23", "创新质量", "gap", NULL, NULL, 95},
    {"patents", "专利总量", "T23", "技术实力", "gap", NULL, NULL, 85},
    {"rd_ratio", "研发投入强度", "T11", "national", "mean", "provincial", "mean", 85},
    {"standards", "主持制修订标准", "T05", "national", "rate", "provincial", "rate", 80},
    {"tech_center", "企业技术中心", "T04", "hon_tech_center", "national_rate", "hon_tech_center", "provincial_rate",
     70},
    {"software", "软件著作权", "T23", "数字化能力", "gap", NULL, NULL, 60},
    {"staff", "用工规模", "T23", "创新规模", "gap", NULL, NULL, 55},
    {"capital", "注册资本", "T23", "资本实力", "gap", NULL, NULL, 45},
    {"champion", "制造业单项冠军", "T04", "hon_champion", "national_rate", "hon_champion", "provincial_rate", 45},
    {"high_tech", "高新技术企业", "T04", "hon_high_tech", "national_rate", "hon_high_tech", "provincial_rate", 40},
    {"cnas", "CNAS认可", "T04", "hon_cnas", "national_rate", "hon_cnas", "provincial_rate", 35},
};
const size_t CHART_PRIORITY_NELEMS = sizeof CHART_PRIORITY_ELEMS / sizeof CHART_PRIORITY_ELEMS[0];
