/*
 * src/table/export.c — the machine-readable exports of a table set:
 * tables.json (jansson) and values.csv (long format, RFC 4180).
 *
 * Both files are written atomically (srdi_atomic_open / commit), so a
 * failed run never leaves a half-written export behind.  Output is
 * deterministic: tables in set order, rows and columns in table order,
 * object keys in insertion order (JSON_PRESERVE_ORDER).
 *
 * tables.json carries what a reader needs to format values as documents do:
 * each column's "type" and "decimals" (-1 = the type's default), and on a
 * row with per-cell format overrides a "types" object {column key: type}.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "srdi/csvout.h"
#include "srdi/table.h"
#include "srdi/util.h"

/* ------------------------------------------------------------ tables.json */

/* Type names written to the "type" field of a column, indexed by srdi_coltype. */
static const char *const export_type_names[] = {"text",     "count", "share", "amount", "ratio",
                                                "multiple", "pp",    "score", "year",   "number"};

/*
 * Name of a column type for tables.json; "number" for a value outside the
 * enum (never expected).
 */
static const char *export_type_name(srdi_coltype t)
{
    if ((unsigned)t < sizeof export_type_names / sizeof export_type_names[0]) return export_type_names[t];
    return "number";
}

/* A string for JSON: NULL becomes "". */
static const char *export_str(const char *s)
{
    return s ? s : "";
}

/*
 * Set obj[key] = val, taking ownership of val.  Returns 0 on success, -1 when
 * val is NULL (an allocation failed earlier) or jansson refuses the key.
 */
static int export_set(json_t *obj, const char *key, json_t *val)
{
    if (!val) return -1;
    return json_object_set_new(obj, key, val);
}

/*
 * JSON value of one cell (new reference), or NULL on allocation failure.
 * Numbers keep full precision (json_real, printed with 17 significant
 * digits by jansson so they round-trip); whole values of COUNT and YEAR
 * columns are written as integers.  NULL cells become JSON null.  The
 * caller never asks for ABSENT cells.
 */
static json_t *export_cell_json(const srdi_tcol *col, const srdi_cell *c)
{
    switch (c->kind) {
    case SRDI_CELL_NUM:
        if ((col->type == SRDI_COL_COUNT || col->type == SRDI_COL_YEAR) && c->num == floor(c->num) &&
            fabs(c->num) < 9007199254740992.0)
            return json_integer((json_int_t)c->num);
        return json_real(c->num);
    case SRDI_CELL_TEXT:
        return json_string(export_str(c->text));
    case SRDI_CELL_NULL:
    case SRDI_CELL_ABSENT:
    default:
        return json_null();
    }
}

/*
 * Add "types": {colkey: type} to the row object @p jr for the cells of
 * @p row whose format overrides the column's type (srdi_cell.fmt, see
 * srdi_table_set_cell_type), so readers can format them as documents do.
 * Rows without overrides get no "types" key.  Returns 0, or -1 on OOM.
 */
static int export_row_types(const srdi_table *t, const srdi_trow *row, json_t *jr)
{
    json_t *types = NULL;
    for (size_t c = 0; c < t->ncols; c++) {
        const srdi_cell *cell = &row->cells[c];
        if (cell->kind == SRDI_CELL_ABSENT || !cell->fmt) continue;
        if (!types && export_set(jr, "types", types = json_object())) return -1;
        if (export_set(types, export_str(t->cols[c].key), json_string(export_type_name((srdi_coltype)(cell->fmt - 1)))))
            return -1;
    }
    return 0;
}

/*
 * Build the JSON object of one table.  Returns a new reference, or NULL on
 * allocation failure (or a string that is not valid UTF-8, which jansson
 * rejects; the error detail says which table).
 */
static json_t *export_table_json(const srdi_table *t)
{
    json_t *o = json_object(), *cols = NULL, *rows = NULL;
    if (!o) return NULL;

    if (export_set(o, "id", json_string(t->id)) || export_set(o, "name", json_string(export_str(t->name))) ||
        export_set(o, "title", json_string(export_str(t->title))) ||
        export_set(o, "params", json_string(export_str(t->params))) ||
        export_set(o, "n", json_integer((json_int_t)t->n)) || export_set(o, "no_data", json_boolean(t->no_data)) ||
        export_set(o, "note", json_string(export_str(t->note))) ||
        export_set(o, "source", json_string(export_str(t->source))))
        goto fail;

    cols = json_array();
    if (!cols) goto fail;
    for (size_t c = 0; c < t->ncols; c++) {
        const srdi_tcol *col = &t->cols[c];
        json_t *jc = json_object();
        if (!jc || json_array_append_new(cols, jc)) goto fail;
        if (export_set(jc, "key", json_string(export_str(col->key))) ||
            export_set(jc, "label", json_string(export_str(col->label))) ||
            export_set(jc, "type", json_string(export_type_name(col->type))) ||
            export_set(jc, "unit", json_string(export_str(col->unit))) ||
            export_set(jc, "decimals", json_integer(col->decimals)))
            goto fail;
    }
    if (json_object_set_new(o, "columns", cols)) {
        cols = NULL;
        goto fail;
    }
    cols = NULL;

    rows = json_array();
    if (!rows) goto fail;
    /* A table without its input writes no rows (no_data says why). */
    for (size_t r = 0; !t->no_data && r < t->nrows; r++) {
        const srdi_trow *row = &t->rows[r];
        json_t *jr = json_object(), *vals = NULL;
        if (!jr || json_array_append_new(rows, jr)) goto fail;
        if (export_set(jr, "key", json_string(export_str(row->key))) ||
            export_set(jr, "label", json_string(export_str(row->label))))
            goto fail;
        vals = json_object();
        if (export_set(jr, "values", vals)) goto fail;
        for (size_t c = 0; c < t->ncols; c++) {
            if (row->cells[c].kind == SRDI_CELL_ABSENT) continue;
            if (export_set(vals, export_str(t->cols[c].key), export_cell_json(&t->cols[c], &row->cells[c]))) goto fail;
        }
        if (export_row_types(t, row, jr)) goto fail;
    }
    if (json_object_set_new(o, "rows", rows)) {
        rows = NULL;
        goto fail;
    }
    return o;

fail:
    json_decref(cols);
    json_decref(rows);
    json_decref(o);
    return NULL;
}

/*
 * Write tables.json: {"generator":"srdi-report","tables":[…]} with every
 * table of @p s in set order.  Written atomically.
 * Returns SRDI_OK, SRDI_ERR_NOMEM (tree could not be built), SRDI_ERR_IO.
 */
srdi_status srdi_export_json(const srdi_tableset *s, const char *path)
{
    srdi_status st = SRDI_OK;
    srdi_atomic a = {0};
    json_t *root = json_object(), *arr = json_array();

    if (!root || !arr || json_object_set_new(root, "generator", json_string("srdi-report")) ||
        json_object_set(root, "tables", arr)) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "tables.json: out of memory");
        goto cleanup;
    }
    for (size_t i = 0; s && i < s->n; i++) {
        json_t *jt = export_table_json(s->tables[i]);
        if (!jt || json_array_append_new(arr, jt)) {
            st = srdi_error_set(SRDI_ERR_NOMEM,
                                "tables.json: cannot encode table %s "
                                "(out of memory or invalid UTF-8)",
                                s->tables[i]->id);
            goto cleanup;
        }
    }

    st = srdi_atomic_open(&a, path);
    if (st != SRDI_OK) goto cleanup;
    if (json_dumpf(root, a.fp, JSON_PRESERVE_ORDER | JSON_INDENT(2)) != 0 || fputc('\n', a.fp) == EOF || ferror(a.fp)) {
        st = srdi_error_set(SRDI_ERR_IO, "%s: write failed: %s", path, strerror(errno));
        srdi_atomic_abort(&a);
        goto cleanup;
    }
    st = srdi_atomic_commit(&a);

cleanup:
    json_decref(arr);
    json_decref(root);
    return st;
}

/* ------------------------------------------------------------- values.csv */

/*
 * Append one CSV field to @p b, quoted per RFC 4180 when it contains a
 * comma, a double quote, CR or LF (quotes doubled inside).
 */
static srdi_status export_csv_field(srdi_buf *b, const char *s)
{
    return srdi_csv_field(b, export_str(s)); /* quoted and formula-guarded (srdi/csvout.h) */
}

/*
 * Append the lines of one table to @p b: one per non-ABSENT cell, NULL as
 * an empty value, numbers in shortest round-trip form (srdi_cell_export).
 * A no_data table contributes nothing.
 */
static srdi_status export_csv_table(srdi_buf *b, const srdi_table *t)
{
    srdi_status st = SRDI_OK;
    char num[64];

    if (t->no_data) return SRDI_OK;
    for (size_t r = 0; r < t->nrows && st == SRDI_OK; r++) {
        const srdi_trow *row = &t->rows[r];
        for (size_t c = 0; c < t->ncols && st == SRDI_OK; c++) {
            const srdi_cell *cell = &row->cells[c];
            const char *value = "";
            if (cell->kind == SRDI_CELL_ABSENT) continue;
            if (cell->kind == SRDI_CELL_NUM) {
                srdi_cell_export(cell, num, sizeof num);
                value = num;
            } else if (cell->kind == SRDI_CELL_TEXT) {
                value = cell->text;
            }
            st = export_csv_field(b, t->id);
            if (st == SRDI_OK) st = srdi_buf_puts(b, ",");
            if (st == SRDI_OK) st = export_csv_field(b, row->key);
            if (st == SRDI_OK) st = srdi_buf_puts(b, ",");
            if (st == SRDI_OK) st = export_csv_field(b, t->cols[c].key);
            if (st == SRDI_OK) st = srdi_buf_puts(b, ",");
            if (st == SRDI_OK) st = export_csv_field(b, value);
            if (st == SRDI_OK) st = srdi_buf_puts(b, "\n");
        }
    }
    return st;
}

/*
 * Write values.csv (header "table,row,column,value", UTF-8 without BOM,
 * "\n" line ends).  Each table is formatted into a buffer and flushed, so
 * memory stays bounded by the largest table.  Written atomically.
 */
srdi_status srdi_export_values_csv(const srdi_tableset *s, const char *path)
{
    srdi_status st;
    srdi_atomic a = {0};
    srdi_buf b = {0};

    st = srdi_atomic_open(&a, path);
    if (st != SRDI_OK) return st;
    if (fputs("table,row,column,value\n", a.fp) == EOF) goto io_error;

    for (size_t i = 0; s && i < s->n; i++) {
        srdi_buf_reset(&b);
        st = export_csv_table(&b, s->tables[i]);
        if (st != SRDI_OK) {
            srdi_error_set(st, "values.csv: out of memory at table %s", s->tables[i]->id);
            goto cleanup;
        }
        if (b.len && fwrite(b.data, 1, b.len, a.fp) != b.len) goto io_error;
    }
    if (ferror(a.fp)) goto io_error;
    srdi_buf_free(&b);
    return srdi_atomic_commit(&a);

io_error:
    st = srdi_error_set(SRDI_ERR_IO, "%s: write failed: %s", path, strerror(errno));
cleanup:
    srdi_buf_free(&b);
    srdi_atomic_abort(&a);
    return st;
}
