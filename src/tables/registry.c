/*
 * registry.c — the list of the 35 tables and srdi_tables_compute.
 */
#include <stdlib.h>
#include <string.h>
#include "tables_private.h"

static const srdi_table_def defs[] = {
    {"T01", "tier_share", srdi_table_T01},          {"T02", "reg_capital", srdi_table_T02},
    {"T03", "staff_bands", srdi_table_T03},         {"T04", "honor_rates", srdi_table_T04},
    {"T05", "standards", srdi_table_T05},           {"T06", "standards_outcomes", srdi_table_T06},
    {"T07", "tech_eval", srdi_table_T07},           {"T08", "tech_eval_grants", srdi_table_T08},
    {"T09", "revenue_growth", srdi_table_T09},      {"T10", "rd_ratio_by_year", srdi_table_T10},
    {"T11", "rd_benchmarks", srdi_table_T11},       {"T12", "scale_innovation", srdi_table_T12},
    {"T13", "province_rank", srdi_table_T13},       {"T14", "clusters", srdi_table_T14},
    {"T15", "cluster_industry", srdi_table_T15},    {"T16", "city_rank", srdi_table_T16},
    {"T17", "division_rank", srdi_table_T17},       {"T18", "group_focus", srdi_table_T18},
    {"T19", "class_focus", srdi_table_T19},         {"T20", "correlation", srdi_table_T20},
    {"T21", "indicator_medians", srdi_table_T21},   {"T22", "rd_bands", srdi_table_T22},
    {"T23", "five_dim_gap", srdi_table_T23},        {"T24", "score_rd_types", srdi_table_T24},
    {"T25", "domain_profile", srdi_table_T25},      {"T26", "domain_score_success", srdi_table_T26},
    {"T27", "honor_matrix", srdi_table_T27},        {"T28", "champion_gap", srdi_table_T28},
    {"T29", "champion_radar", srdi_table_T29},      {"T30", "patent_fields", srdi_table_T30},
    {"T31", "patent_trend", srdi_table_T31},        {"T32", "grant_rate_trend", srdi_table_T32},
    {"T33", "ipc_top", srdi_table_T33},             {"T34", "foreign_trend", srdi_table_T34},
    {"T35", "foreign_offices", srdi_table_T35},
};

const srdi_table_def *srdi_tables_defs(size_t *n)
{
    *n = sizeof defs / sizeof defs[0];
    return defs;
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
        srdi_status st = d[i].build(ctx, &t);
        if (st != SRDI_OK) {
            srdi_tableset_free(s);
            return st;
        }
        s->tables[s->n++] = t;
    }
    *out = s;
    return SRDI_OK;
}
