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
    cv_kind k;
    double x;             /* CV_NUM, CV_BOOL (0/1) */
    char s[192];          /* CV_STR */
    const srdi_tcol *col; /* column a CV_NUM came from (formatting), or NULL */
    unsigned char fmt;    /* the cell's type override */
} cv;

/* Evaluation environment: the tables, and the current row inside a `where`. */
typedef struct cenv {
    const struct report_ctx *ctx;
    const srdi_table *row_t; /* table of the current row, or NULL */
    int row;
    srdi_buf *values; /* "name=value; " of every reference read, or NULL */
    char *why;        /* error text */
    size_t wsize;
    bool nomem; /* an allocation failed (message set): the evaluation is void */
} cenv;

/**
 * @brief Record that an allocation failed during an evaluation: e->nomem,
 * the "out of memory" message and e->why.
 * @param e the environment
 * @return false, for `return report_cond_nomem(e);`
 */
bool report_cond_nomem(cenv *e);

/**
 * @brief Evaluate condition @p expr.  *holds = its truth (a comparison with a
 * missing value is false).  Every reference read is appended to @p values
 * ("T13.#1.share=0.1352; ").  Returns SRDI_OK; SRDI_ERR_TEMPLATE with the
 * reason in @p why (no message recorded: the caller names the line) on a
 * syntax error or an unknown table / column / parameter; SRDI_ERR_NOMEM
 * (message set) when an allocation failed.
 * @param expr   the condition text
 * @param ctx    the tables, params and scope
 * @param holds  receives the truth
 * @param values appended to (may be NULL)
 * @param why    receives the reason on failure
 * @param wsize  the size of @p why
 */
srdi_status report_cond_eval(const char *expr, const struct report_ctx *ctx, bool *holds, srdi_buf *values, char *why,
                             size_t wsize);

/**
 * @brief Evaluate an expression to a value (same rules as report_cond_eval).
 * @param expr the expression text
 * @param e    the environment (e->why on failure)
 * @param out  receives the value
 */
bool report_expr_eval(const char *expr, cenv *e, cv *out);

/**
 * @brief The computed placeholders: {{list:…}}, {{count:…}}, {{trend:…}},
 * {{complete:Tnn}}, {{nodata:Tnn}}, {{value:EXPR}}.  Returns -1 when @p body
 * is none of them, 1 with the text in @p val, 2 when the value is null (this
 * data has none; @p val holds the printed "—"), 0 with the reason in @p why,
 * -2 when an allocation failed (message set).
 * @param body  the placeholder's text between {{ and }}
 * @param ctx   the tables, params and scope
 * @param val   receives the text
 * @param vsize the size of @p val
 * @param why   receives the reason on failure
 * @param wsize the size of @p why
 */
int report_cond_placeholder(const char *body, const struct report_ctx *ctx, char *val, size_t vsize, char *why,
                            size_t wsize);

/**
 * @brief Row selectors beyond "#k" and keys: "max(col)", "min(col)" (first row with
 * the largest / smallest number), "#-k" (k-th from the end).  Returns the row
 * index, -1 when the table has no such row (empty, all null), -2 when @p sel
 * is not a selector; -3 with @p why on a bad column.
 * @param t     the table
 * @param sel   the selector text
 * @param why   receives the reason for -3
 * @param wsize the size of @p why
 */
int report_row_selector(const srdi_table *t, const char *sel, char *why, size_t wsize);

/**
 * @brief Length of a reference token at p (to whitespace, or ',' / ')' outside parentheses).
 * @param p the text
 */
size_t report_ref_len(const char *p);
/**
 * @brief Does p start "Tnn."?
 * @param p the text
 */
bool report_is_table_ref(const char *p);
/**
 * @brief Value of "Tnn.row.col" (missing row → CV_NONE); false with e->why on an unknown table/column.
 * @param e   the environment
 * @param ref the reference text
 * @param v   receives the value
 */
bool report_ref_value(cenv *e, const char *ref, cv *v);
/*
 * Value of cell (@p r, column @p colk) of @p t into @p v; colk may also be
 * key / label / n (the row sample size).  r < 0: missing (CV_NONE).  False
 * with e->why on an unknown column.
 */
bool report_cell_value(cenv *e, const srdi_table *t, int r, const char *colk, cv *v);
/*
 * Split "Tnn.row.col" at its first and last dot (a row key may hold dots,
 * a column key not) into @p tid, @p row and @p colk.  0; -1 with fewer than
 * two dots; -2 when a part does not fit (the buffers are then undefined).
 */
int report_ref_split(const char *ref, char tid[16], char row[256], char colk[128]);
/* The table @p id of the evaluation (e->ctx->tables), or NULL. */
const srdi_table *report_cond_table(const cenv *e, const char *id);
/* Copy s[0..n) into @p buf as a string; false (nothing copied) when it does not fit in @p size. */
bool report_copy_token(char *buf, size_t size, const char *s, size_t n);
/* Append "name=value; " (— for missing) to e->values, when it is set. */
void report_cond_record(cenv *e, const char *name, const cv *v);
/* Evaluate an arithmetic expression (no comparison) at *p, advancing *p. */
bool report_sum_eval(const char **p, cenv *e, cv *out);

/* ------------------------------------------------------------ select.c */

/* A series of numbers (a column over rows, or scalars) with the rows' keys. */
typedef struct cseries {
    double *x;
    const char **key; /* row key per value (NULL for scalars) */
    size_t n, cap;
    const srdi_tcol *col; /* column of the first value */
    const srdi_table *t;  /* table of a column series, else NULL */
    long long minn;       /* smallest row sample size seen (-1 unknown) */
} cseries;

/** @brief Free the values and keys of @p s (the struct is the caller's). */
void cseries_free(cseries *s);

/**
 * @brief Parse a series argument at *p ("T35.median_patents", "T13.#1..#10.share", a scalar expr).
 * @param p   the position, advanced
 * @param e   the environment (e->why on failure)
 * @param out receives the series (cseries_free it)
 */
bool cseries_parse(const char **p, cenv *e, cseries *out);

/* Selection "Tnn [rows #a..#b] [where COND] [top K|bottom K] [by col] [show col|none] [name key|label]". */
typedef struct csel {
    const srdi_table *t;
    int *rows; /* selected row indices, in output order */
    size_t n;
    int show;    /* column shown in lists, -1 none */
    bool by_key; /* name rows by key (else label) */
    size_t tied; /* rows a top K or a rows #a..#b range left out whose number (the by column, else the
                    shown one) equals the last selected row's: a cut through a tie (ties(SEL));
                    0 unless csel_parse was asked to count them */
} csel;

/**
 * @brief Parse a selection (the grammar above) against e's tables.
 * @param text the selection text (borrowed; at most 1023 bytes)
 * @param len  its length
 * @param e    the environment (tables; e->why receives the reason on failure)
 * @param ties count out->tied (ties(SEL) only: a rows range's count evaluates the rows below it)
 * @param out  receives the selection (csel_free it, also after a failure)
 * @return true on success; false with the reason in e->why
 */
bool csel_parse(const char *text, size_t len, cenv *e, bool ties, csel *out);
/**
 * @brief Keep the rows each `where` keeps from here to report_sel_memo_end
 * on this thread (select.c: a selection asked again takes them instead of
 * evaluating its condition row by row).  Calls nest; the outermost end
 * forgets them.  Only for one context's tables, which must not change meanwhile.
 */
void report_sel_memo_begin(void);
/** @brief End report_sel_memo_begin (the outermost end frees what was kept). */
void report_sel_memo_end(void);
/** @brief Free the row list of @p s (the struct is the caller's). */
void csel_free(csel *s);
/**
 * @brief Render a selection: 江苏省（13.52%）、广东省（11.03%）.
 * @param s   the selection
 * @param out the text is appended to it
 * @return true; false when an allocation failed (message set)
 */
bool csel_render(const csel *s, srdi_buf *out);

/**
 * @brief Trend word of a series with relative tolerance tol: 上升 下降 先升后降 先降后升 基本持平 波动.
 * @param x   the values in year order
 * @param n   their count (NULL result when < 2)
 * @param tol the relative tolerance
 * @return static text, or NULL
 */
const char *report_trend_word(const double *x, size_t n, double tol);

/**
 * @brief Last complete year of a year-keyed patent table (srdi_chart_complete_year), or 0 for other tables.
 * @param t   the table
 * @param ctx its params (the lags)
 */
int report_complete_year(const srdi_table *t, const struct report_ctx *ctx);

/**
 * @brief Row sample size: column "n" of the row, else "count", else -1.
 * @param t   the table
 * @param row the row index
 */
long long report_row_n(const srdi_table *t, int row);

/**
 * @brief The row key a scope row selector names: "@scope" → the edition's region
 * (江苏省 / 苏州市), "@province" → its province (scope.name / scope.province
 * of scope.c), copied into @p buf; NULL in a national rendering (the row is
 * missing).  *bad is set for an unknown "@…".
 * @param ctx  the scope
 * @param sel  the selector ("@scope", "@province")
 * @param bad  receives whether @p sel is unknown
 * @param buf  the output
 * @param size its size
 */
const char *report_scope_row(const struct report_ctx *ctx, const char *sel, bool *bad, char *buf, size_t size);

/* ------------------------------------------------------------ claims */

typedef struct report_claim {
    char *file;
    int line;
    char *cond;
    bool holds;
    char *rendered; /* text the branch printed ("" when not printed); owned */
    char *values;   /* "ref=value; …" owned */
} report_claim;

typedef struct report_claims {
    report_claim *c;
    size_t n, cap;
} report_claims;

/** @brief Free every claim of @p c and its array (the struct is the caller's). */
void report_claims_free(report_claims *c);
/**
 * @brief Write claims.csv (file,line,condition,holds,rendered,values) atomically.
 * @param c    the claims
 * @param path claims.csv
 * @return SRDI_OK, SRDI_ERR_IO (message names the file) or SRDI_ERR_NOMEM
 */
srdi_status report_claims_write(const report_claims *c, const char *path);

/**
 * @brief Resolve the {{#if}} / {{else if}} / {{else}} / {{/if}} tags of one file:
 * @p lines (n) become *out (nout lines, owned) with *orig the 1-based source
 * line of each output line.  A tag alone on its line is a block tag (the line
 * disappears); a tag inside a line is inline and must close on that line.
 * Every condition is evaluated (also inside branches not printed) and
 * recorded in @p claims.  Errors name file:line.
 * @param file   the file name for messages
 * @param lines  its lines
 * @param n      their count
 * @param ctx    the tables, params and scope
 * @param claims appended to
 * @param out    receives the lines printed (owned by the caller)
 * @param orig   receives the source line of each
 * @param nout   receives their count
 * @return SRDI_OK, SRDI_ERR_TEMPLATE (file:line) or SRDI_ERR_NOMEM
 */
srdi_status report_branch_file(const char *file, char *const *lines, size_t n, const struct report_ctx *ctx,
                               report_claims *claims, char ***out, int **orig, size_t *nout);

/* ------------------------------------------------------------ named values */

/** One {{#let $name = expression}} of the templates. */
typedef struct report_let {
    char *name; /* without the $; owned */
    char *expr; /* its names already replaced; owned */
    char *file; /* where it is defined; owned */
    int line;
    bool used;
} report_let;

typedef struct report_lets {
    report_let *v;
    size_t n, cap;
} report_lets;

/** @brief Free the definitions of @p l (the struct is the caller's). @param l the definitions */
void report_lets_free(report_lets *l);
/**
 * @brief Is @p line a {{#let …}} definition line (report_branch_file drops it)?
 * @param line one raw template line
 * @return true for a line that starts, after blanks, with "{{#let "
 */
bool report_is_let_line(const char *line);
/**
 * @brief Named values of one file, in file order: a {{#let $name = expression}}
 * line defines $name (added to @p lets, kept for the files after it) and every
 * later $name inside a {{…}} tag of @p lines is replaced in place by
 * (expression).  Definition lines are left for report_branch_file to drop.
 * @param file  the file name for messages
 * @param lines its raw lines (replaced lines are freed and reallocated)
 * @param n     their count
 * @param lets  the definitions so far (appended to)
 * @return SRDI_OK; SRDI_ERR_TEMPLATE (file:line: a malformed or repeated
 *         definition, a let not alone on its line, an unknown $name) or SRDI_ERR_NOMEM
 */
srdi_status report_let_file(const char *file, char **lines, size_t n, report_lets *lets);
/**
 * @brief After the last file: every definition must have been used.
 * @param lets the definitions
 * @return SRDI_OK, or SRDI_ERR_TEMPLATE naming the first unused one (file:line)
 */
srdi_status report_lets_check_used(const report_lets *lets);

#endif
