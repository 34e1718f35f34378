/*
 * src/report/cond_refs.c — the references of the condition language
 * (cond.c): the values a condition reads from the tables: "Tnn.row.col" (rows by key, #k, #-k,
 * max(col), min(col), @scope, @province), the row sample size, and the
 * record of every value read ("name=value; ") that claims.csv keeps.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "report_private.h"

const srdi_table *report_cond_table(const cenv *e, const char *id)
{
    return e->ctx->tables ? srdi_tableset_get(e->ctx->tables, id) : NULL;
}

bool report_copy_token(char *buf, size_t size, const char *s, size_t n)
{
    if (n >= size) return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return true;
}

void report_cond_record(cenv *e, const char *name, const cv *v)
{
    if (!e->values) return;
    srdi_status s;
    if (v->k == CV_NUM)
        s = srdi_buf_printf(e->values, "%s=%.6g; ", name, v->x);
    else if (v->k == CV_STR)
        s = srdi_buf_printf(e->values, "%s=%s; ", name, v->s);
    else if (v->k == CV_BOOL)
        s = srdi_buf_printf(e->values, "%s=%s; ", name, v->x ? "true" : "false");
    else
        s = srdi_buf_printf(e->values, "%s=—; ", name);
    if (s) report_cond_nomem(e);
}

long long report_row_n(const srdi_table *t, int row)
{
    if (!t || row < 0 || (size_t)row >= t->nrows) return -1;
    int c = srdi_table_col(t, "n");
    if (c < 0) c = srdi_table_col(t, "count");
    if (c < 0 || t->rows[row].cells[c].kind != SRDI_CELL_NUM) return -1;
    return (long long)llround(t->rows[row].cells[c].num);
}

const char *report_scope_row(const report_ctx *ctx, const char *sel, bool *bad, char *buf, size_t size)
{
    *bad = false;
    bool prov = strcmp(sel, "@province") == 0;
    if (!prov && strcmp(sel, "@scope") != 0) {
        *bad = true;
        return NULL;
    }
    report_scope_val kind, name;
    char why[128];
    if (!report_scope_value(ctx, "scope.kind", &kind, why, sizeof why) || !kind.is_text ||
        strcmp(kind.text, "national") == 0)
        return NULL;
    if (!report_scope_value(ctx, prov ? "scope.province" : "scope.name", &name, why, sizeof why) || !name.is_text ||
        !name.text[0])
        return NULL;
    srdi_strlcpy(buf, name.text, size);
    return buf;
}

int report_row_selector(const srdi_table *t, const char *sel, char *why, size_t wsize)
{
    if (sel[0] == '#' && sel[1] == '-') {
        char *end = NULL;
        long k = strtol(sel + 2, &end, 10);
        if (!end || *end || k < 1) {
            snprintf(why, wsize, "bad row selector '%.100s' (write #-1 for the last row)", sel);
            return -3;
        }
        return (size_t)k <= t->nrows ? (int)(t->nrows - (size_t)k) : -1;
    }
    bool mx = strncmp(sel, "max(", 4) == 0, mn = strncmp(sel, "min(", 4) == 0;
    if (!mx && !mn) return -2;
    size_t l = strlen(sel);
    if (l < 6 || sel[l - 1] != ')') {
        snprintf(why, wsize, "bad row selector '%.100s' (write max(column) or min(column))", sel);
        return -3;
    }
    char col[128];
    if (l - 5 >= sizeof col) {
        snprintf(why, wsize, "too long");
        return -3;
    }
    memcpy(col, sel + 4, l - 5);
    col[l - 5] = '\0';
    int c = srdi_table_col(t, col);
    if (c < 0) {
        snprintf(why, wsize, "no column '%.100s' in %s", col, t->id);
        return -3;
    }
    int best = -1;
    for (size_t r = 0; r < t->nrows; r++) {
        const srdi_cell *x = &t->rows[r].cells[c];
        if (x->kind != SRDI_CELL_NUM || strcmp(t->rows[r].key, "total") == 0) continue;
        if (best < 0 || (mx ? x->num > t->rows[best].cells[c].num : x->num < t->rows[best].cells[c].num)) best = (int)r;
    }
    return best;
}

/* The value of cell (row, col) of t; col may be key / label / n / basis_n. */
bool report_cell_value(cenv *e, const srdi_table *t, int r, const char *colk, cv *v)
{
    memset(v, 0, sizeof *v);
    if (r < 0) return true; /* missing */
    if (strcmp(colk, "key") == 0 || strcmp(colk, "label") == 0) {
        v->k = CV_STR;
        srdi_strlcpy(v->s, colk[0] == 'k' ? t->rows[r].key : t->rows[r].label, sizeof v->s);
        return true;
    }
    int c = srdi_table_col(t, colk);
    if (c < 0 && strcmp(colk, "n") == 0) {
        long long n = report_row_n(t, r);
        if (n >= 0) {
            v->k = CV_NUM;
            v->x = (double)n;
        }
        return true;
    }
    if (c < 0 && strcmp(colk, "basis_n") == 0) {
        /* the observations the table's basis column rests on (T25: the
           enterprises with a latest-year R&D ratio); missing when unset */
        if (t->basis_what && t->rows[r].basis_n >= 0) {
            v->k = CV_NUM;
            v->x = (double)t->rows[r].basis_n;
        }
        return true;
    }
    if (c < 0) {
        snprintf(e->why, e->wsize, "no column '%.100s' in %s", colk, t->id);
        return false;
    }
    const srdi_cell *x = &t->rows[r].cells[c];
    if (x->kind == SRDI_CELL_NUM) {
        v->k = CV_NUM;
        v->x = x->num;
        v->col = &t->cols[c];
        v->fmt = x->fmt;
    } else if (x->kind == SRDI_CELL_TEXT) {
        v->k = CV_STR;
        srdi_strlcpy(v->s, x->text ? x->text : "", sizeof v->s);
    }
    return true;
}

int report_ref_split(const char *ref, char tid[16], char row[256], char colk[128])
{
    const char *d1 = strchr(ref, '.'), *d2 = strrchr(ref, '.');
    if (!d1 || d1 == d2) return -1;
    size_t tl = (size_t)(d1 - ref), rl = (size_t)(d2 - d1 - 1);
    if (!report_copy_token(tid, 16, ref, tl) || !report_copy_token(row, 256, d1 + 1, rl) ||
        !report_copy_token(colk, 128, d2 + 1, strlen(d2 + 1)))
        return -2;
    return 0;
}

/* Resolve "Tnn.row.col" into @p v. */
bool report_ref_value(cenv *e, const char *ref, cv *v)
{
    memset(v, 0, sizeof *v);
    char tid[16], row[256], colk[128];
    int split = report_ref_split(ref, tid, row, colk);
    if (split == -1) {
        snprintf(e->why, e->wsize, "'%.100s': a value is written Tnn.row.column", ref);
        return false;
    }
    if (split == -2) {
        snprintf(e->why, e->wsize, "'%.100s' is too long", ref);
        return false;
    }
    const srdi_table *t = report_cond_table(e, tid);
    if (!t) {
        snprintf(e->why, e->wsize, "no table '%.50s'", tid);
        return false;
    }
    int r;
    if (row[0] == '@') { /* @scope / @province: the edition's own row (missing nationally) */
        bool bad;
        char kb[192];
        const char *k = report_scope_row(e->ctx, row, &bad, kb, sizeof kb);
        if (bad) {
            snprintf(e->why, e->wsize, "bad row selector '%.100s' (write @scope or @province)", row);
            return false;
        }
        r = k ? srdi_table_row(t, k) : -1;
    } else if (row[0] == '#' && row[1] != '-') {
        char *end = NULL;
        long k = strtol(row + 1, &end, 10);
        if (!end || *end || k < 1) {
            snprintf(e->why, e->wsize, "bad row selector '%.100s' (write #1, #2 …)", row);
            return false;
        }
        r = (size_t)k <= t->nrows ? (int)k - 1 : -1;
    } else {
        r = report_row_selector(t, row, e->why, e->wsize);
        if (r == -3) return false;
        if (r == -2) {
            r = srdi_table_row(t, row);
            if (r < 0 && !t->no_data && t->nrows > 0) {
                snprintf(e->why, e->wsize, "no row '%.100s' in %s", row, tid);
                return false;
            }
        }
    }
    if (r < 0) { /* the row this data does not have: still check the column */
        if (strcmp(colk, "key") && strcmp(colk, "label") && strcmp(colk, "n") && strcmp(colk, "basis_n") &&
            srdi_table_col(t, colk) < 0) {
            snprintf(e->why, e->wsize, "no column '%.100s' in %s", colk, tid);
            return false;
        }
        return true;
    }
    return report_cell_value(e, t, r, colk, v);
}

/* Scan a reference token: up to whitespace, or ',' / ')' outside parentheses. */
size_t report_ref_len(const char *p)
{
    int depth = 0;
    size_t i = 0;
    for (; p[i]; i++) {
        char x = p[i];
        if (x == ' ' || x == '\t') break;
        if (x == '(')
            depth++;
        else if (x == ')') {
            if (depth == 0) break;
            depth--;
        } else if (x == ',' && depth == 0)
            break;
    }
    return i;
}

bool report_is_table_ref(const char *p)
{
    if (p[0] != 'T' || !isdigit((unsigned char)p[1])) return false;
    size_t i = 1;
    while (isdigit((unsigned char)p[i])) i++;
    return p[i] == '.';
}
