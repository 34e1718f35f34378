/*
 * test_tables_util.h — helpers shared by the table tests
 * (tests/test_tables_<subject>.c, one per file of src/tables/): build
 * small hand-made data sets, build a table by id, read cells.
 */
#ifndef TEST_TABLES_UTIL_H
#define TEST_TABLES_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "srdi/dataset.h"
#include "srdi/params.h"
#include "srdi/reference.h"
#include "srdi/tables.h"
#include <string.h>
#include "testutil.h"

/* A new dataset with the project's reference data (exits on failure). */
static inline srdi_dataset *tb_new(void)
{
    srdi_reference *ref = NULL;
    if (srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) != SRDI_OK) {
        fprintf(stderr, "reference: %s\n", srdi_error_message());
        exit(2);
    }
    srdi_dataset *d = srdi_dataset_new(ref);
    if (!d) exit(2);
    return d;
}

/* Append an enterprise of @p level and class @p cls (江苏省 苏州市); returns its row. */
static inline size_t tb_add(srdi_dataset *d, srdi_level level, const char *cls)
{
    char id[32];
    size_t row = 0;
    snprintf(id, sizeof id, "E%05zu", d->n);
    int prov = srdi_reference_province(d->ref, "江苏省");
    if (srdi_dataset_add_enterprise(d, id, id, level, prov, "苏州市", cls, SRDI_TE_NONE, &row) != SRDI_OK) exit(2);
    return row;
}

/* Build table @p fn over @p d (scope may be NULL, params may be NULL); exits on error. */
static inline srdi_table *tb_build(const char *id, const srdi_dataset *d, const uint8_t *scope, const srdi_params *p)
{
    srdi_params *own = NULL;
    if (!p) p = own = srdi_params_new();
    srdi_tctx ctx = {.d = d, .scope = scope, .params = p};
    srdi_table *t = NULL;
    srdi_status st = srdi_tables_build(&ctx, id, &t);
    srdi_params_free(own);
    if (st != SRDI_OK || !t) {
        fprintf(stderr, "table build failed: %s\n", srdi_error_message());
        exit(2);
    }
    return t;
}

/* Kind of a cell by keys, -1 when the row or column does not exist. */
static inline int tb_kind(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c ? (int)c->kind : -1;
}

/* Number of a cell (NAN when not a number). */
static inline double tb_num(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_NUM ? c->num : NAN;
}

/* Text of a cell ("(not text)" otherwise). */
static inline const char *tb_text(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_TEXT ? c->text : "(not text)";
}

#define TB_EPS                  1e-12
#define CHECK_CELL(t, r, c, v)  CHECK_NUM(tb_num((t), (r), (c)), (v), TB_EPS)
#define CHECK_NULLCELL(t, r, c) CHECK_INT(tb_kind((t), (r), (c)), SRDI_CELL_NULL)
#define CHECK_ABSENT(t, r, c)   CHECK_INT(tb_kind((t), (r), (c)), SRDI_CELL_ABSENT)

/*
 * The T01–T17 fixture: a small hand-built data set.  Every expected value
 * in the tests was computed by hand from these rows; the comments show
 * the arithmetic.
 *
 * Fixture (P = 4 national + 6 provincial; C1 is a champion row that must be
 * invisible to T01–T17):
 *   id  lvl  province city     ind   tech_eval   cap    staff std(n,i,l,g) pt   ig  sw   hon_hi hon_tc hon_lg
 *   N1  nat  江苏省   苏州市   3985  intl_adv    20000  150   1,0,0,1      80   20  5    1      1      -
 *   N2  nat  江苏省   南京市   3985  -           5000   300   0,0,0,0      40   10  2    1      0      -
 *   N3  nat  广东省   深圳市   3911  dom_level   10000  60    2,1,0,0      120  30  10   1      1      -
 *   N4  nat  北京市   北京市   7511  -           -      1200  0,0,0,-      200  50  -    0      -      -
 *   P1  prv  江苏省   苏州市   3985  -           2000   30    0,0,0,0      10   2   1    1      -      0
 *   P2  prv  江苏省   苏州市   3411  intl_adv    12000  51    0,1,0,0      60   6   3    0      -      1
 *   P3  prv  浙江省   杭州市   3411  -           800    100   0,0,0,0      5    0   0    1      -      0
 *   P4  prv  广东省   深圳市   3911  -           3000   101   0,0,3,0      -    4   2    -      -      -
 *   P5  prv  山西省   太原市   3411  -           -      500   -,-,-,-      55   8   1    1      -      -
 *   P6  prv  河北省   石家庄市 7511  dom_level   1000   501   0,0,0,0      20   3   -    0      -      -
 *   C1  chm  江苏省   苏州市   3985  intl_adv    99999  5000  9,9,9,9      999  99  99   1      1      1
 */

#define TOL 1e-12
#define M   NAN /* missing */

typedef struct fx_row {
    const char *id;
    srdi_level lvl;
    const char *prov, *city, *ind;
    srdi_tech_eval te;
    double cap, staff, sn, si, sl, sg, pt, ig, sw, hh, htc, hlg;
} fx_row;

static const fx_row FX[] = {
    {"N1", SRDI_LEVEL_NATIONAL, "江苏省", "苏州市", "3985", SRDI_TE_INTL_ADVANCED, 20000, 150, 1, 0, 0, 1, 80, 20, 5, 1,
     1, M},
    {"N2", SRDI_LEVEL_NATIONAL, "江苏省", "南京市", "3985", SRDI_TE_NONE, 5000, 300, 0, 0, 0, 0, 40, 10, 2, 1, 0, M},
    {"N3", SRDI_LEVEL_NATIONAL, "广东省", "深圳市", "3911", SRDI_TE_DOMESTIC_LEVEL, 10000, 60, 2, 1, 0, 0, 120, 30, 10,
     1, 1, M},
    {"N4", SRDI_LEVEL_NATIONAL, "北京市", "北京市", "7511", SRDI_TE_NONE, M, 1200, 0, 0, 0, M, 200, 50, M, 0, M, M},
    {"P1", SRDI_LEVEL_PROVINCIAL, "江苏省", "苏州市", "3985", SRDI_TE_NONE, 2000, 30, 0, 0, 0, 0, 10, 2, 1, 1, M, 0},
    {"P2", SRDI_LEVEL_PROVINCIAL, "江苏省", "苏州市", "3411", SRDI_TE_INTL_ADVANCED, 12000, 51, 0, 1, 0, 0, 60, 6, 3, 0,
     M, 1},
    {"P3", SRDI_LEVEL_PROVINCIAL, "浙江省", "杭州市", "3411", SRDI_TE_NONE, 800, 100, 0, 0, 0, 0, 5, 0, 0, 1, M, 0},
    {"P4", SRDI_LEVEL_PROVINCIAL, "广东省", "深圳市", "3911", SRDI_TE_NONE, 3000, 101, 0, 0, 3, 0, M, 4, 2, M, M, M},
    {"P5", SRDI_LEVEL_PROVINCIAL, "山西省", "太原市", "3411", SRDI_TE_NONE, M, 500, M, M, M, M, 55, 8, 1, 1, M, M},
    {"P6", SRDI_LEVEL_PROVINCIAL, "河北省", "石家庄市", "7511", SRDI_TE_DOMESTIC_LEVEL, 1000, 501, 0, 0, 0, 0, 20, 3, M,
     0, M, M},
    {"C1", SRDI_LEVEL_CHAMPION, "江苏省", "苏州市", "3985", SRDI_TE_INTL_ADVANCED, 99999, 5000, 9, 9, 9, 9, 999, 99, 99,
     1, 1, 1},
};
#define NFX (sizeof FX / sizeof FX[0])

static inline void set_if(srdi_dataset *d, size_t r, srdi_field f, double v)
{
    if (!isnan(v)) srdi_dataset_set(d, r, f, v);
}

/* Financial rows: (row index in FX, year, revenue, rd). */
typedef struct fx_fin {
    int ent;
    int year;
    double rev, rd;
} fx_fin;
static const fx_fin FIN[] = {
    {0, 2021, 100, 10}, {0, 2022, 110, 22},  {0, 2023, 121, 12.1}, /* N1: growth .1, .1; ratios .1 .2 .1 */
    {1, 2022, 200, 80}, {1, 2023, 150, 30},                        /* N2: growth 2023 −.25; ratios .4 (out) .2 */
    {2, 2021, 0, 5},    {2, 2022, 50, 5},    {2, 2023, M, 3},      /* N3: no growth; ratio 2022 .1 */
    {4, 2021, 40, 4},   {4, 2023, 60, 15},                         /* P1: no growth (2022 missing); .1, .25 */
    {5, 2022, 80, 8},   {5, 2023, 100, 30},                        /* P2: growth 2023 .25; .1, .3 (kept) */
    {6, 2022, 10, M},   {6, 2023, 20, 0},                          /* P3: growth 2023 1.0; 2023 ratio 0 */
    {10, 2022, 50, 5},  {10, 2023, 100, 29},                       /* C1: champion, ignored */
};

static inline srdi_dataset *build_fixture(int with_fin)
{
    srdi_reference *ref = NULL;
    if (srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) != SRDI_OK) {
        fprintf(stderr, "reference: %s\n", srdi_error_message());
        return NULL;
    }
    srdi_dataset *d = srdi_dataset_new(ref);
    if (!d) return NULL;
    for (size_t i = 0; i < NFX; i++) {
        const fx_row *x = &FX[i];
        size_t r;
        int p = srdi_reference_province(ref, x->prov);
        if (srdi_dataset_add_enterprise(d, x->id, x->id, x->lvl, p, x->city, x->ind, x->te, &r) != SRDI_OK) {
            srdi_dataset_free(d);
            return NULL;
        }
        set_if(d, r, SRDI_F_REG_CAPITAL, x->cap);
        set_if(d, r, SRDI_F_STAFF, x->staff);
        set_if(d, r, SRDI_F_STD_NATIONAL, x->sn);
        set_if(d, r, SRDI_F_STD_INDUSTRY, x->si);
        set_if(d, r, SRDI_F_STD_LOCAL, x->sl);
        set_if(d, r, SRDI_F_STD_GROUP, x->sg);
        set_if(d, r, SRDI_F_PATENTS_TOTAL, x->pt);
        set_if(d, r, SRDI_F_INVENTION_GRANTS, x->ig);
        set_if(d, r, SRDI_F_SOFTWARE_COPYRIGHTS, x->sw);
        set_if(d, r, SRDI_F_HON_HIGH_TECH, x->hh);
        set_if(d, r, SRDI_F_HON_TECH_CENTER, x->htc);
        set_if(d, r, SRDI_F_HON_LITTLE_GIANT, x->hlg);
    }
    if (with_fin)
        for (size_t k = 0; k < sizeof FIN / sizeof FIN[0]; k++)
            if (srdi_dataset_add_financial(d, (uint32_t)FIN[k].ent, FIN[k].year, FIN[k].rev, FIN[k].rd) != SRDI_OK) {
                srdi_dataset_free(d);
                return NULL;
            }
    return d;
}

/* Scope of the fixture without N1 and P2 (rows 0 and 5). */
static inline void scope_hide_n1_p2(uint8_t scope[NFX])
{
    for (size_t i = 0; i < NFX; i++) scope[i] = 1;
    scope[0] = 0;
    scope[5] = 0;
}

/* ------------------------------------------------------------ accessors */

static inline srdi_table *build(const char *id, const srdi_dataset *d, const uint8_t *scope, const srdi_params *p)
{
    srdi_tctx ctx = {.d = d, .scope = scope, .params = p};
    srdi_table *t = NULL;
    srdi_status st = srdi_tables_build(&ctx, id, &t);
    if (st != SRDI_OK) fprintf(stderr, "table failed: %s\n", srdi_error_message());
    CHECK_INT(st, SRDI_OK);
    return t;
}

/* Run each of @p tests on the fixture (with financials when @p with_fin); the fixture must build. */
static inline void tb_on_fixture(int with_fin, void (*const *tests)(const srdi_dataset *), size_t n)
{
    srdi_dataset *d = build_fixture(with_fin);
    CHECK(d != NULL);
    if (!d) return;
    for (size_t i = 0; i < n; i++) tests[i](d);
    srdi_dataset_free(d);
}

/* Build each table of @p ids over @p d: every one must build (a failed build fails the test). */
static inline void build_each(const srdi_dataset *d, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        srdi_table *t = build(ids[i], d, NULL, NULL);
        CHECK(t != NULL);
        srdi_table_free(t);
    }
}

/* Number at (row, col); NAN when null, -999 when absent/unknown. */
static inline double V(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    if (!c) {
        fprintf(stderr, "%s: no cell %s/%s\n", t->id, row, col);
        return -999;
    }
    if (c->kind == SRDI_CELL_NUM) return c->num;
    if (c->kind == SRDI_CELL_NULL) return NAN;
    return -999;
}

static inline int is_null(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_NULL;
}

static inline int is_absent(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_ABSENT;
}

/* Row keys joined with '|' and column keys joined with '|'. */
static inline const char *row_keys(const srdi_table *t)
{
    static char buf[2048];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->nrows && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : "", t->rows[i].key);
    return buf;
}

static inline const char *col_keys(const srdi_table *t)
{
    static char buf[2048];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->ncols && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : "", t->cols[i].key);
    return buf;
}

/*
 * Score data set.  National rows n1..n3 all have patents 100, grants 10,
 * staff 50, capital 1000, software 10 → national medians are those values
 * and each national score is 25 + 30 + 15 + 20 + 10 = 100.
 *   p1 half of everything                       → 50
 *   p2 = national but software 0                → 90
 *   p3 patents 50 (12.5) + 30 + 15 + 20 + 0     → 77.5
 *   p4 patents 200 (capped 25) + grants 5 (15) + 15 + capital 500 (10) + 10 → 75
 *   p5 software missing                         → no score
 *   p6 all zero                                 → 0
 * Ratios 2024: n1 .30, n2 .20, n3 none, p1 .10, p2 .25, p3 .15, p4 .40,
 * p5 .30, p6 .20.  Classes: n1 n2 p2 p5 3971 (电子核心产业), n3 p3 p4 3821
 * (高端装备), p1 0111 (no domain), p6 2651 (先进材料).
 */
static inline srdi_dataset *scores_set(void)
{
    srdi_dataset *d = tb_new();
    const struct {
        srdi_level lv;
        const char *cls;
        double pat, gr, staff, cap, sw, rd;
    } s[] = {
        {SRDI_LEVEL_NATIONAL, "3971", 100, 10, 50, 1000, 10, 30},
        {SRDI_LEVEL_NATIONAL, "3971", 100, 10, 50, 1000, 10, 20},
        {SRDI_LEVEL_NATIONAL, "3821", 100, 10, 50, 1000, 10, -1},
        {SRDI_LEVEL_PROVINCIAL, "0111", 50, 5, 25, 500, 5, 10},
        {SRDI_LEVEL_PROVINCIAL, "3971", 100, 10, 50, 1000, 0, 25},
        {SRDI_LEVEL_PROVINCIAL, "3821", 50, 10, 50, 1000, 0, 15},
        {SRDI_LEVEL_PROVINCIAL, "3821", 200, 5, 50, 500, 10, 40},
        {SRDI_LEVEL_PROVINCIAL, "3971", 100, 10, 50, 1000, -1, 30},
        {SRDI_LEVEL_PROVINCIAL, "2651", 0, 0, 0, 0, 0, 20},
        {SRDI_LEVEL_CHAMPION, "3971", 1, 1, 1, 1, 1, 90},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        size_t r = tb_add(d, s[i].lv, s[i].cls);
        srdi_dataset_set(d, r, SRDI_F_PATENTS_TOTAL, s[i].pat);
        srdi_dataset_set(d, r, SRDI_F_INVENTION_GRANTS, s[i].gr);
        srdi_dataset_set(d, r, SRDI_F_STAFF, s[i].staff);
        srdi_dataset_set(d, r, SRDI_F_REG_CAPITAL, s[i].cap);
        if (s[i].sw >= 0) srdi_dataset_set(d, r, SRDI_F_SOFTWARE_COPYRIGHTS, s[i].sw);
        if (s[i].rd >= 0) srdi_dataset_add_financial(d, (uint32_t)r, 2024, 100, s[i].rd);
    }
    return d;
}

#endif
