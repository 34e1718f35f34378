/*
 * src/report/cond.h — the condition language of the templates (cond.c,
 * select.c, branch.c): values, comparisons, and/or, aggregates, selections
 * and trend words over the computed tables.  Syntax: docs/templates.md
 * ("Conditions and computed words").
 *
 * Ownership: every function copies what it keeps; report_claims owns its rows.
 */
#ifndef SRDI_LAYOUT_COND_H
#define SRDI_LAYOUT_COND_H

#include <stdbool.h>
#include <stddef.h>
#include "srdi/table.h"
#include "srdi/util.h"

struct report_ctx;

/* A value of the language: missing (null cell, row the data lacks), number, text or truth. */
typedef enum { CV_NONE, CV_NUM, CV_STR, CV_BOOL } cv_kind;

typedef struct cv {
    cv_kind           k;
    double            x;        /* CV_NUM, CV_BOOL (0/1) */
    char              s[192];   /* CV_STR */
    const srdi_tcol  *col;      /* column a CV_NUM came from (formatting), or NULL */
    unsigned char     fmt;      /* the cell's type override */
} cv;

/* Evaluation environment: the tables, and the current row inside a `where`. */
typedef struct cenv {
    const struct report_ctx *ctx;
    const srdi_table     *row_t;    /* table of the current row, or NULL */
    int                   row;
    srdi_buf             *values;   /* "name=value; " of every reference read, or NULL */
    char                 *why;      /* error text */
    size_t                wsize;
} cenv;

/*
 * Evaluate condition @p expr.  *holds = its truth (a comparison with a
 * missing value is false).  Every reference read is appended to @p values
 * ("T13.#1.share=0.1352; ").  Returns false with the reason in @p why on a
 * syntax error or an unknown table / column / parameter.
 */
bool report_cond_eval(const char *expr, const struct report_ctx *ctx, bool *holds, srdi_buf *values,
                   char *why, size_t wsize);

/* Evaluate an expression to a value (same rules as report_cond_eval). */
bool report_expr_eval(const char *expr, cenv *e, cv *out);

/*
 * The computed placeholders: {{list:…}}, {{count:…}}, {{trend:…}},
 * {{complete:Tnn}}, {{nodata:Tnn}}, {{value:EXPR}}.  Returns -1 when @p body
 * is none of them, 1 with the text in @p val, 0 with the reason in @p why.
 */
int report_cond_placeholder(const char *body, const struct report_ctx *ctx, char *val, size_t vsize, char *why,
                         size_t wsize);

/*
 * Row selectors beyond "#k" and keys: "max(col)", "min(col)" (first row with
 * the largest / smallest number), "#-k" (k-th from the end).  Returns the row
 * index, -1 when the table has no such row (empty, all null), -2 when @p sel
 * is not a selector; -3 with @p why on a bad column.
 */
int report_row_selector(const srdi_table *t, const char *sel, char *why, size_t wsize);

/* Length of a reference token at p (to whitespace, or ',' / ')' outside parentheses). */
size_t report_ref_len(const char *p);
/* Does p start "Tnn."? */
bool   report_is_table_ref(const char *p);
/* Value of "Tnn.row.col" (missing row → CV_NONE); false with e->why on an unknown table/column. */
bool   report_ref_value(cenv *e, const char *ref, cv *v);
/* Evaluate an arithmetic expression (no comparison) at *p, advancing *p. */
bool   report_sum_eval(const char **p, cenv *e, cv *out);

/* ------------------------------------------------------------ select.c */

/* A series of numbers (a column over rows, or scalars) with the rows' keys. */
typedef struct cseries {
    double          *x;
    const char     **key;     /* row key per value (NULL for scalars) */
    size_t           n, cap;
    const srdi_tcol *col;     /* column of the first value */
    const srdi_table *t;      /* table of a column series, else NULL */
    long long        minn;    /* smallest row sample size seen (-1 unknown) */
} cseries;

/** @brief Free the values and keys of @p s (the struct is the caller's). */
void cseries_free(cseries *s);

/* Parse a series argument at *p ("T35.median_patents", "T13.#1..#10.share", a scalar expr). */
bool cseries_parse(const char **p, cenv *e, cseries *out);

/* Selection "Tnn [rows #a..#b] [where COND] [top K|bottom K] [by col] [show col|none] [name key|label]". */
typedef struct csel {
    const srdi_table *t;
    int              *rows;    /* selected row indices, in output order */
    size_t            n;
    int               show;    /* column shown in lists, -1 none */
    bool              by_key;  /* name rows by key (else label) */
} csel;

/**
 * @brief Parse a selection (the grammar above) against e's tables.
 * @param text the selection text (borrowed; at most 1023 bytes)
 * @param len  its length
 * @param e    the environment (tables; e->why receives the reason on failure)
 * @param out  receives the selection (csel_free it, also after a failure)
 * @return true on success; false with the reason in e->why
 */
bool csel_parse(const char *text, size_t len, cenv *e, csel *out);
/** @brief Free the row list of @p s (the struct is the caller's). */
void csel_free(csel *s);
/* Render a selection: 江苏省（13.52%）、广东省（11.03%）. */
bool csel_render(const csel *s, srdi_buf *out);

/* Trend word of a series with relative tolerance tol: 上升 下降 先升后降 先降后升 基本持平 波动. */
const char *report_trend_word(const double *x, size_t n, double tol);

/* Last complete year of a year-keyed patent table (srdi_chart_complete_year), or 0 for other tables. */
int report_complete_year(const srdi_table *t, const struct report_ctx *ctx);

/* Row sample size: column "n" of the row, else "count", else -1. */
long long report_row_n(const srdi_table *t, int row);

/*
 * The row key a scope row selector names: "@scope" → the edition's region
 * (江苏省 / 苏州市), "@province" → its province (scope.name / scope.province
 * of scope.c), copied into @p buf; NULL in a national rendering (the row is
 * missing).  *bad is set for an unknown "@…".
 */
const char *report_scope_row(const struct report_ctx *ctx, const char *sel, bool *bad, char *buf, size_t size);

/* ------------------------------------------------------------ claims */

typedef struct report_claim {
    char *file;
    int   line;
    char *cond;
    bool  holds;
    char *rendered;    /* text the branch printed ("" when not printed); owned */
    char *values;      /* "ref=value; …" owned */
} report_claim;

typedef struct report_claims {
    report_claim *c;
    size_t     n, cap;
} report_claims;

/** @brief Free every claim of @p c and its array (the struct is the caller's). */
void        report_claims_free(report_claims *c);
/* Write claims.csv (file,line,condition,holds,rendered,values) atomically. */
srdi_status report_claims_write(const report_claims *c, const char *path);

/*
 * Resolve the {{#if}} / {{else if}} / {{else}} / {{/if}} tags of one file:
 * @p lines (n) become *out (nout lines, owned) with *orig the 1-based source
 * line of each output line.  A tag alone on its line is a block tag (the line
 * disappears); a tag inside a line is inline and must close on that line.
 * Every condition is evaluated (also inside branches not printed) and
 * recorded in @p claims.  Errors name file:line.
 */
srdi_status report_branch_file(const char *file, char *const *lines, size_t n, const struct report_ctx *ctx,
                            report_claims *claims, char ***out, int **orig, size_t *nout);

#endif
