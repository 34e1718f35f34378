/*
 * src/report/scope.c — what a template may ask of its edition's scope:
 * the benchmark tables behind the "national:" and "province:" prefixes,
 * and the scope.* names (kind, name, province, the region's rank and share
 * among provinces — for a city: its province's —, a city's rank and share
 * among its province's cities and among all cities, the number of the
 * region's cities).  Shared by placeholders
 * (template.c) and conditions (cond.c).  Syntax: docs/templates.md
 * ("Regional editions").
 */
#include <stdio.h>
#include <string.h>

#include "report_private.h"
#include "srdi/tables.h"

size_t report_bench_prefix(const char *p, const report_ctx *ctx, const srdi_tableset **ts)
{
    static const char *const pre[] = {"national:", "province:"};
    for (size_t k = 0; k < 2; k++) {
        size_t l = strlen(pre[k]);
        if (strncmp(p, pre[k], l) != 0) continue;
        const srdi_tableset *b = k == 0 ? ctx->national : ctx->province;
        *ts = b ? b : ctx->tables; /* the nation's own build: its tables are the benchmark */
        return l;
    }
    *ts = NULL;
    return 0;
}

/* [scope] text of the edition: the render's scope, else the edition's parameters. */
static const char *scope_text(const report_ctx *ctx, const char *key)
{
    bool kind = strcmp(key, "kind") == 0, name = strcmp(key, "name") == 0;
    if (kind && ctx->scope_kind) return ctx->scope_kind;
    if (name && ctx->scope_name) return ctx->scope_name;
    const char *v = ctx->params ? srdi_params_str(ctx->params, "scope", key, NULL) : NULL;
    if (v) return v;
    const char *k = ctx->scope_kind ? ctx->scope_kind : "national";
    if (kind) return k;
    if (strcmp(k, "national") == 0)
        return name || strcmp(key, "province") == 0 || strcmp(key, "short") == 0 || strcmp(key, "area") == 0 ? "全国"
                                                                                                             : NULL;
    if (strcmp(k, "province") == 0 && strcmp(key, "province") == 0) return scope_text(ctx, "name");
    return NULL;
}

/* Competition rank (1, 1, 3) of row @p r by column count in @p t, or 0. */
static int count_rank(const srdi_table *t, int r)
{
    int c = t ? srdi_table_col(t, "count") : -1;
    if (c < 0 || r < 0 || t->rows[r].cells[c].kind != SRDI_CELL_NUM) return 0;
    double x = t->rows[r].cells[c].num;
    int rank = 1;
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(t->rows[i].key, "total") != 0 && t->rows[i].cells[c].kind == SRDI_CELL_NUM &&
            t->rows[i].cells[c].num > x)
            rank++;
    return rank;
}

/* Rows of @p t with a positive count (T13 lists provinces without enterprises too). */
static int present_rows(const srdi_table *t)
{
    int c = t ? srdi_table_col(t, "count") : -1, n = 0;
    for (size_t i = 0; t && i < t->nrows; i++)
        n += c >= 0 && t->rows[i].cells[c].kind == SRDI_CELL_NUM && t->rows[i].cells[c].num > 0;
    return n;
}

/* The number in column @p col of row @p row of @p t into @p cell (absent when missing). */
static void cell_of(const srdi_table *t, const char *row, const char *col, srdi_cell *cell)
{
    const srdi_cell *x = t && row ? srdi_table_cell(t, row, col) : NULL;
    if (x && x->kind == SRDI_CELL_NUM) *cell = (srdi_cell){.kind = SRDI_CELL_NUM, .num = x->num};
}

static const srdi_tcol COL_RANK = {.key = "rank", .label = "排名", .type = SRDI_COL_YEAR, .unit = "", .decimals = -1};
static const srdi_tcol COL_COUNT = {
    .key = "count", .label = "数量", .type = SRDI_COL_COUNT, .unit = "", .decimals = -1};
static const srdi_tcol COL_SHARE = {
    .key = "share", .label = "占比", .type = SRDI_COL_SHARE, .unit = "", .decimals = -1};

bool report_scope_value(const report_ctx *ctx, const char *name, report_scope_val *out, char *why, size_t wsize)
{
    memset(out, 0, sizeof *out);
    out->cell.kind = SRDI_CELL_ABSENT;
    if (strncmp(name, "scope.", 6) != 0) {
        snprintf(why, wsize, "'%.100s' is not a scope name", name);
        return false;
    }
    const char *key = name + 6;
    static const char *const texts[] = {"kind", "name", "province", "short", "area"};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        if (strcmp(key, texts[k]) == 0) {
            const char *v = scope_text(ctx, key);
            out->is_text = v != NULL;
            srdi_strlcpy(out->text, v ? v : "", sizeof out->text);
            return true;
        }
    const char *kind = scope_text(ctx, "kind"), *sname = scope_text(ctx, "name");
    const char *prov = scope_text(ctx, "province");
    bool is_prov = strcmp(kind, "province") == 0, is_city = strcmp(kind, "city") == 0;
    const srdi_tableset *own = ctx->tables;
    const srdi_tableset *nat = ctx->national ? ctx->national : own;
    const srdi_tableset *pro = ctx->province ? ctx->province : own;
    const char *provinces = srdi_tables_id_of("province_rank"), *cities = srdi_tables_id_of("city_rank");
    const srdi_table *t13 = nat && provinces ? srdi_tableset_get(nat, provinces) : NULL;
    const srdi_table *n16 = nat && cities ? srdi_tableset_get(nat, cities) : NULL;
    const srdi_table *p16 = pro && cities ? srdi_tableset_get(pro, cities) : NULL;
    const srdi_table *o16 = own && cities ? srdi_tableset_get(own, cities) : NULL;
    const char *region = is_prov || is_city ? prov : NULL; /* the province a rank among provinces is of */
    srdi_cell *c = &out->cell;
    out->col = &COL_COUNT;
    if (strcmp(key, "rank") == 0) {
        out->col = &COL_RANK;
        cell_of(t13, region, "rank", c);
    } else if (strcmp(key, "share") == 0) {
        out->col = &COL_SHARE;
        cell_of(t13, region, "share", c);
    } else if (strcmp(key, "provinces") == 0) {
        if (t13) *c = (srdi_cell){.kind = SRDI_CELL_NUM, .num = present_rows(t13)};
    } else if (strcmp(key, "cities") == 0) {
        if (o16) *c = (srdi_cell){.kind = SRDI_CELL_NUM, .num = (double)o16->nrows};
    } else if (strcmp(key, "n") == 0) {
        if (o16) *c = (srdi_cell){.kind = SRDI_CELL_NUM, .num = (double)o16->n};
    } else if (strcmp(key, "city_rank") == 0 || strcmp(key, "city_rank_national") == 0) {
        const srdi_table *t = key[9] ? n16 : p16;
        int r = is_city && t ? srdi_table_row(t, sname) : -1, k = count_rank(t, r);
        out->col = &COL_RANK;
        if (k > 0) *c = (srdi_cell){.kind = SRDI_CELL_NUM, .num = k};
    } else if (strcmp(key, "province_cities") == 0) {
        if (p16 && (is_prov || is_city)) *c = (srdi_cell){.kind = SRDI_CELL_NUM, .num = (double)p16->nrows};
    } else if (strcmp(key, "national_cities") == 0) {
        if (n16) *c = (srdi_cell){.kind = SRDI_CELL_NUM, .num = (double)n16->nrows};
    } else if (strcmp(key, "city_share") == 0 || strcmp(key, "city_share_national") == 0) {
        out->col = &COL_SHARE;
        if (is_city) cell_of(key[10] ? n16 : p16, sname, "share", c);
    } else {
        snprintf(why, wsize,
                 "unknown scope name '%.100s' (kind, name, province, short, area, n, rank, share, provinces, "
                 "cities, city_rank, city_rank_national, city_share, city_share_national, province_cities, "
                 "national_cities)",
                 name);
        return false;
    }
    return true;
}
