/*
 * src/charts/priority.c — the data of the 评价要素优先度矩阵 (chart "M31",
 * the 2026 edition's 图表31): evaluation elements placed by their policy
 * importance (x) and the gap between provincial and national enterprises
 * (y), the bubble area their combined attention.
 *
 *   importance  a score 0–100 from the 2026 standard, params.ini
 *               [priority] importance_<element> (the authors' weighting;
 *               not data);
 *   gap         computed from the tables: (1 − provincial / national) × 100,
 *               floored at 0 — for the five dimensions of T23 this is T23's
 *               gap (100 − score); for R&D intensity the mean ratios of T11,
 *               for standards the holding rates of T05, for honors the
 *               holding rates of T04;
 *   attention   importance × gap / 100;
 *   quadrant    by [priority] importance_cut and gap_cut: 第一优先区 (high
 *               importance, high gap), 保持优势区 (high, low), 第二优先区
 *               (low, high), 基础达标区 (low, low).
 *
 * An element whose inputs are missing (table absent or null cells) is left
 * out; with no element left the table is marked no_data.
 */
#include "srdi/charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "srdi/error.h"

/* The elements and their source cells are data of the chart catalogue (catalogue.c). */
#define ELEMS  CHART_PRIORITY_ELEMS
#define NELEMS CHART_PRIORITY_NELEMS

/* Number at (row, col) of table @p id in @p ts; false when absent, null or not finite. */
static bool num_of(const srdi_tableset *ts, const char *id, const char *row, const char *col, double *v)
{
    const srdi_table *t = ts ? srdi_tableset_get(ts, id) : NULL;
    const srdi_cell *c = t && !t->no_data ? srdi_table_cell(t, row, col) : NULL;
    if (!c || c->kind != SRDI_CELL_NUM || !isfinite(c->num)) return false;
    *v = c->num;
    return true;
}

/* The gap of element @p e in points (0–100); false when its inputs are missing. */
static bool elem_gap(const srdi_tableset *ts, const prio_elem *e, double *gap)
{
    double nat, prov;
    if (!num_of(ts, e->table, e->nat_row, e->nat_col, &nat)) return false;
    if (!e->prov_row) {
        *gap = fmax(0, nat);
        return true;
    }
    if (!num_of(ts, e->table, e->prov_row, e->prov_col, &prov) || !(nat > 0)) return false;
    *gap = fmax(0, (1 - prov / nat) * 100);
    return true;
}

double kit_priority_param(const srdi_params *p, const char *key, double def)
{
    double v = p ? srdi_params_num(p, "priority", key, def) : def;
    return isfinite(v) ? v : def;
}

bool srdi_chart_derived(const char *key)
{
    return key && strcmp(key, "M31") == 0;
}

/* Build the priority matrix table (see the file comment); NULL on OOM. */
static srdi_table *priority_table(const srdi_tableset *ts, const srdi_params *p)
{
    srdi_table *t = srdi_table_new("M31", "priority_matrix", "专精特新评价要素优先度矩阵", "优先度矩阵");
    if (!t) return NULL;
    int ci = srdi_table_add_col(t, "importance", "政策重要性", SRDI_COL_SCORE, "分", 0);
    int cg = srdi_table_add_col(t, "gap", "实际差距", SRDI_COL_SCORE, "分", 1);
    int ca = srdi_table_add_col(t, "attention", "综合关注度", SRDI_COL_SCORE, "", 1);
    int cq = srdi_table_add_col(t, "quadrant", "象限", SRDI_COL_TEXT, "", -1);
    double icut = kit_priority_param(p, "importance_cut", 70), gcut = kit_priority_param(p, "gap_cut", 50);
    for (size_t i = 0; i < NELEMS; i++) {
        double gap, imp;
        char pk[64];
        if (!elem_gap(ts, &ELEMS[i], &gap)) continue;
        snprintf(pk, sizeof pk, "importance_%s", ELEMS[i].key);
        imp = kit_priority_param(p, pk, ELEMS[i].importance);
        int r = srdi_table_add_row(t, ELEMS[i].key, ELEMS[i].label);
        if (r < 0) break;
        srdi_table_set_num(t, r, ci, imp);
        srdi_table_set_num(t, r, cg, gap);
        srdi_table_set_num(t, r, ca, imp * gap / 100);
        bool hi = imp >= icut, hg = gap >= gcut;
        srdi_table_set_text(t, r, cq, hi ? (hg ? "第一优先区" : "保持优势区") : (hg ? "第二优先区" : "基础达标区"));
    }
    t->no_data = t->nrows == 0;
    srdi_table_set_params(t, "importance_cut=%g; gap_cut=%g", icut, gcut);
    srdi_table_set_source(t, "项目组整理。政策重要性为按2026年新标准的评分，实际差距=（1−省级/国家级）×100，"
                             "按本报告数据计算；气泡大小为综合关注度（重要性×差距）");
    if (srdi_table_failed(t)) {
        srdi_table_free(t);
        return NULL;
    }
    return t;
}

srdi_status srdi_chart_derived_table(const char *key, const srdi_tableset *ts, const srdi_params *p, srdi_table **out)
{
    *out = NULL;
    if (!srdi_chart_derived(key) || !ts) return SRDI_OK;
    /* drawn only when the build has the tables it is computed from */
    bool any = false;
    for (size_t i = 0; i < NELEMS && !any; i++) any = srdi_tableset_get(ts, ELEMS[i].table) != NULL;
    if (!any) return SRDI_OK;
    if (!(*out = priority_table(ts, p)))
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory computing the priority matrix (chart %s)", key);
    return SRDI_OK;
}
