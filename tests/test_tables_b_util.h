/*
 * test_tables_b_util.h — helpers shared by the T18–T35 tests
 * (tests/test_tables_b_*.c): build small hand-made data sets, read cells.
 */
#ifndef TEST_TABLES_B_UTIL_H
#define TEST_TABLES_B_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "srdi/dataset.h"
#include "srdi/params.h"
#include "srdi/reference.h"
#include "srdi/tables.h"
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
    srdi_tctx ctx = {d, scope, p};
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

#define TB_EPS 1e-12
#define CHECK_CELL(t, r, c, v) CHECK_NUM(tb_num((t), (r), (c)), (v), TB_EPS)
#define CHECK_NULLCELL(t, r, c) CHECK_INT(tb_kind((t), (r), (c)), SRDI_CELL_NULL)
#define CHECK_ABSENT(t, r, c) CHECK_INT(tb_kind((t), (r), (c)), SRDI_CELL_ABSENT)

#endif
