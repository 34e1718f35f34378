/*
 * src/tables/kit.h — the toolkit every table builder of src/tables/ uses.
 *
 * A table is a pure function of ctx (dataset + scope + params).  tk_build
 * makes it from its registry entry (id, name, title, sheet, source line and
 * columns: registry.c is the only list of them), then the entry's builder
 * adds the rows.  Every builder has the same shape:
 *
 *     SRDI_TABLE_FN(T01)
 *     {
 *         double *x = tk_zalloc(s, n, sizeof *x);   scratch, freed by tk_build
 *         if (!x) TK_NOMEM();                       returns SRDI_ERR_NOMEM
 *         ... TK_ROW(r, t, key, label); srdi_table_set_num(t, r, 0, x[0]); ...
 *         return SRDI_OK;
 *     }
 *
 * tk_build hands the table over on success, or frees it and records the one
 * error message of the table ("out of memory building T01") on failure,
 * including a setter's allocation failure recorded in the table.
 *
 * Population P = in-scope rows with level national or provincial
 * (srdi_in_P); champion rows are read only by T28–T29.
 */
#ifndef SRDI_TABLES_KIT_H
#define SRDI_TABLES_KIT_H

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "srdi/stats.h"
#include "srdi/tables.h"
#include "srdi/util.h"

/* --------------------------------------------------------------- builders */

typedef struct tk_scratch tk_scratch;

/*
 * A builder (srdi_table_fn): adds the rows of table @p t (d = ctx->d, for
 * brevity); its scratch memory comes from @p s.
 */
#define SRDI_TABLE_FN(id)                                                                                              \
    srdi_status srdi_table_##id(const srdi_tctx *ctx, const srdi_dataset *d __attribute__((unused)), srdi_table *t,    \
                                tk_scratch *s __attribute__((unused)))
SRDI_TABLE_FN(T01);
SRDI_TABLE_FN(T02);
SRDI_TABLE_FN(T03);
SRDI_TABLE_FN(T04);
SRDI_TABLE_FN(T05);
SRDI_TABLE_FN(T06);
SRDI_TABLE_FN(T07);
SRDI_TABLE_FN(T08);
SRDI_TABLE_FN(T09);
SRDI_TABLE_FN(T10);
SRDI_TABLE_FN(T11);
SRDI_TABLE_FN(T12);
SRDI_TABLE_FN(T13);
SRDI_TABLE_FN(T14);
SRDI_TABLE_FN(T15);
SRDI_TABLE_FN(T16);
SRDI_TABLE_FN(T17);
SRDI_TABLE_FN(T18);
SRDI_TABLE_FN(T19);
SRDI_TABLE_FN(T20);
SRDI_TABLE_FN(T21);
SRDI_TABLE_FN(T22);
SRDI_TABLE_FN(T23);
SRDI_TABLE_FN(T24);
SRDI_TABLE_FN(T25);
SRDI_TABLE_FN(T26);
SRDI_TABLE_FN(T27);
SRDI_TABLE_FN(T28);
SRDI_TABLE_FN(T29);
SRDI_TABLE_FN(T30);
SRDI_TABLE_FN(T31);
SRDI_TABLE_FN(T32);
SRDI_TABLE_FN(T33);
SRDI_TABLE_FN(T34);
SRDI_TABLE_FN(T35);

/** Column specification (registry entries, tk_add_cols). */
typedef srdi_colspec tk_col;

#define TK_NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/**
 * @brief Build the table of registry entry @p def: a new table with the
 * entry's id, name, title, sheet, source and columns, filled by def->build.
 * On success (and no setter of the table failed) *out receives it (the
 * caller owns it); otherwise *out = NULL, the table is freed, "out of
 * memory building <id>" is recorded for an allocation failure (other errors
 * keep their own message) and the status is returned.
 */
srdi_status tk_build(const srdi_tctx *ctx, const srdi_table_def *def, srdi_table **out);

/**
 * @brief @brief Add the n columns of c to t; SRDI_ERR_NOMEM on failure.
 * @param t the table
 * @param c the column specifications
 * @param n their count
 */
srdi_status tk_add_cols(srdi_table *t, const tk_col *c, size_t n);

/**
 * @brief Add the columns registry.c lists for table @p id, in order.
 * @param t  the table
 * @param id its id
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status tk_registry_cols(srdi_table *t, const char *id);

/* In a builder (or a helper returning srdi_status): fail with SRDI_ERR_NOMEM. */
#define TK_NOMEM() return SRDI_ERR_NOMEM
/* Evaluate @p expr (a srdi_status) and return it unless SRDI_OK. */
#define TK_TRY(expr)                                                                                                   \
    do {                                                                                                               \
        srdi_status tk_st_ = (expr);                                                                                   \
        if (tk_st_ != SRDI_OK) return tk_st_;                                                                          \
    } while (0)
/* Add a row, or fail the builder with SRDI_ERR_NOMEM. */
#define TK_ROW(var, t, key, label)                                                                                     \
    do {                                                                                                               \
        (var) = srdi_table_add_row((t), (key), (label));                                                               \
        if ((var) < 0) TK_NOMEM();                                                                                     \
    } while (0)

/* ---------------------------------------------------------------- scratch */

/**
 * Scratch memory of one builder: the zeroed arrays, value vectors and text
 * buffers taken from it live until tk_build frees the scratch after the
 * builder returns, so a builder frees nothing and may return at any point.
 * A zeroed tk_scratch is empty.
 */
struct tk_scratch {
    struct tk_block *blocks; /* what was taken, freed by tk_scratch_free */
    size_t n, cap;
};

/**
 * @brief A zeroed array of @p n elements of @p size bytes (room for one when
 * @p n is 0), freed with @p s.
 * @param s    the scratch
 * @param n    the number of elements
 * @param size the size of one element
 * @return the array, or NULL when out of memory (message set; use with TK_NOMEM)
 */
void *tk_zalloc(tk_scratch *s, size_t n, size_t size);
/** Bytes of every tk_zalloc so far, over all threads (tests: what a builder holds beside the dataset). */
extern _Atomic size_t tk_zalloc_bytes;

/**
 * @brief @p n empty value vectors; they and their values are freed with @p s.
 * @param s the scratch
 * @param n the number of vectors
 * @return the vectors, or NULL when out of memory (message set)
 */
srdi_vec *tk_vecs(tk_scratch *s, size_t n);

/**
 * @brief An empty text buffer; it and its text are freed with @p s.
 * @param s the scratch
 * @return the buffer, or NULL when out of memory (message set)
 */
srdi_buf *tk_buf(tk_scratch *s);

/** @brief Free everything taken from @p s and empty it. @param s the scratch */
void tk_scratch_free(tk_scratch *s);

/* --------------------------------------------------------------- population */

/** In scope (ctx->scope NULL or scope[row] != 0)? */
static inline int srdi_in_scope(const srdi_tctx *ctx, size_t row)
{
    return ctx->scope == NULL || ctx->scope[row] != 0;
}
/**
 * The same context over the whole data set: docs/tables.md "Scope" keeps the
 * whole P for the score reference medians (T23, T24, T26) and for T13/T14.
 */
static inline srdi_tctx srdi_whole(const srdi_tctx *ctx)
{
    srdi_tctx w = *ctx;
    w.scope = NULL;
    w.next = NULL;
    w.facts = NULL;
    w.n_facts = 0;
    return w;
}
/*
 * A loop over the rows of the scope, in row order:
 *     for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
 * visits only the scope's rows when the context lists them (ctx->next),
 * every row otherwise: the body still tests srdi_in_scope / srdi_in_P.
 */
static inline size_t tk_first(const srdi_tctx *ctx)
{
    return ctx->next ? ctx->next[ctx->d->n] : 0;
}
/** The row after @p row in a tk_first loop. */
static inline size_t tk_next(const srdi_tctx *ctx, size_t row)
{
    return ctx->next ? ctx->next[row] : row + 1;
}
/** The patent facts a table may see (the scope's when listed, else all): *n receives the count. */
static inline const srdi_pfact *tk_facts(const srdi_tctx *ctx, size_t *n)
{
    *n = ctx->facts ? ctx->n_facts : ctx->d->patents.n_facts;
    return ctx->facts ? ctx->facts : ctx->d->patents.facts;
}
/** In population P: in scope and level national or provincial. */
static inline int srdi_in_P(const srdi_tctx *ctx, size_t row)
{
    return srdi_in_scope(ctx, row) && ctx->d->level[row] != SRDI_LEVEL_CHAMPION;
}
/** Is @p row a national-level row? */
static inline int tk_is_nat(const srdi_tctx *ctx, size_t row)
{
    return ctx->d->level[row] == SRDI_LEVEL_NATIONAL;
}

/* Level order of the level rows: national first, then provincial. */
extern const srdi_level tk_levels[2];

/**
 * @brief Index 0 = national, 1 = provincial for a P row (callers exclude champions).
 * @param d   the dataset
 * @param row a row of P
 */
static inline int tk_lv_idx(const srdi_dataset *d, size_t row)
{
    return d->level[row] == SRDI_LEVEL_NATIONAL ? 0 : 1;
}

/** Row label of level row @p li (0 national, 1 provincial). */
const char *tk_lv_label(int li);

/**
 * @brief Add level row @p li (key srdi_level_key, label tk_lv_label).
 * @param r receives the row index.
 * @return SRDI_OK or SRDI_ERR_NOMEM (use with TK_TRY).
 * @param t  the table
 * @param li 0 national, 1 provincial
 */
srdi_status tk_level_row(srdi_table *t, int li, int *r);

/**
 * @brief @brief Add the row of @p year (key "2024", label "2024年"); as tk_level_row.
 * @param t    the table
 * @param year the year
 * @param r    receives the row index
 */
srdi_status tk_year_row(srdi_table *t, int year, int *r);

/**
 * @brief Add the "total" row (合计) with @p total in column 0 and set
 * t->n = total; as tk_level_row.
 * @param t     the table
 * @param total the population count
 * @param r     receives the row index
 */
srdi_status tk_total_row(srdi_table *t, double total, int *r);

/**
 * @brief Add a national-vs-provincial row: columns 0 and 1 = @p nat and
 * @p prov, 2 = their gap in pp, and with @p multiple 3 = nat / prov.
 * @param r receives the row index.
 * @return SRDI_OK or SRDI_ERR_NOMEM (use with TK_TRY).
 * @param t        the table (columns 0–2, and 3 with @p multiple)
 * @param key      the row key
 * @param label    the row label
 * @param nat      the national value
 * @param prov     the provincial value
 * @param multiple add nat / prov in column 3
 */
srdi_status tk_compare_row(srdi_table *t, const char *key, const char *label, double nat, double prov, bool multiple,
                           int *r);

/**
 * @brief A table of financials.csv without that file: true after marking
 * @p t no_data with the note 未提供财务数据（financials.csv）; false (nothing
 * done) when the data set has financials.
 * @param d the dataset
 * @param t the table being built
 */
bool tk_no_financials(const srdi_dataset *d, srdi_table *t);

/**
 * @brief @brief |P|; *nat (may be NULL) receives the national rows of P.
 * @param ctx the context
 * @param nat receives the national count (may be NULL)
 */
long long tk_count_P(const srdi_tctx *ctx, long long *nat);

/**
 * @brief @brief Number of in-scope rows of @p level (champions included).
 * @param ctx   the context
 * @param level the level
 */
long long tk_level_count(const srdi_tctx *ctx, srdi_level level);

/**
 * @brief pp difference national − provincial of the two shares as printed:
 * each share in percent rounded to the share rule's digits (params.ini
 * [numbers] share_decimals) first, so the printed gap is the difference of
 * the printed shares (19.56% and 18.04%: 1.52, not 1.53 from the unrounded
 * values), itself rounded to those digits; NAN if either is NAN.
 * @param nat  the national share
 * @param prov the provincial share
 */
double tk_gap_pp(double nat, double prov);

/* ------------------------------------------------------------ value helpers */

/** @brief Collect present values of @p f over P rows of @p level into v (cleared first). */
srdi_status tk_collect_level(const srdi_tctx *ctx, srdi_field f, srdi_level level, srdi_vec *v);

/**
 * @brief Median of field @p f over P rows of one level (level < 0: all of P),
 * using @p tmp as scratch.  *out = NAN when no row has a value.
 * @return SRDI_OK or SRDI_ERR_NOMEM.
 * @param ctx   the context
 * @param f     the field
 * @param level a srdi_level, or < 0 for all of P
 * @param tmp   scratch vector (owned by the caller)
 * @param out   receives the median
 */
srdi_status tk_level_median(const srdi_tctx *ctx, srdi_field f, int level, srdi_vec *tmp, double *out);

/**
 * @brief Honor value with the rule "hon_little_giant counts as 1 for every national row"; 0 when missing.
 * @param d   the dataset
 * @param f   an honor field
 * @param row the row
 * @param v   receives the value when present
 * @return 1 when present, else 0
 */
static inline int tk_honor(const srdi_dataset *d, srdi_field f, size_t row, double *v)
{
    if (f == SRDI_F_HON_LITTLE_GIANT && d->level[row] == SRDI_LEVEL_NATIONAL) {
        *v = 1.0;
        return 1;
    }
    return srdi_get(d, f, row, v);
}

/**
 * @brief Standards sum std_national + std_industry + std_local + std_group; 0 (null) when any part is missing.
 * @param d   the dataset
 * @param row the row
 * @param s   receives the sum
 * @return 1 when every part is present, else 0
 */
int tk_std_sum(const srdi_dataset *d, size_t row, double *s);

/**
 * @brief R&D ratio of financials row k: rd / revenue when both are present and revenue > 0.
 * @param d the dataset
 * @param k a financials row
 * @param r receives the ratio
 * @return 1 when defined, else 0
 */
int tk_rd_ratio(const srdi_dataset *d, size_t k, double *r);

/**
 * @brief Latest-financial-year R&D ratio per enterprise row (in scope,
 * tk_rd_ratio defined), NAN elsewhere.
 * @param ctx  the context
 * @param s    the scratch the array is taken from
 * @param out  receives an array of d->n values (freed with @p s)
 * @param year receives the latest financial year (0 when none)
 * @return SRDI_OK or SRDI_ERR_NOMEM.
 */
srdi_status tk_latest_ratios(const srdi_tctx *ctx, tk_scratch *s, double **out, int *year);

/* One enterprise's latest-year R&D ratio (tk_latest_ratio_list). */
typedef struct tk_ratio {
    size_t row;
    double q;
} tk_ratio;

/**
 * @brief The values of tk_latest_ratios that are not NAN, as a list by row
 * ascending (one entry a row): the rows with a ratio are the enterprises
 * with financials (14,046 rows of 670,000 at 4x the national data), so the
 * list is far smaller than an array over every row.  Walk it beside a
 * tk_first loop with tk_ratio_at.
 * @param ctx  the context
 * @param s    the scratch the list is taken from
 * @param out  receives the list (freed with @p s)
 * @param n    receives its length
 * @param year receives the latest financial year (0 when none)
 * @return SRDI_OK or SRDI_ERR_NOMEM.
 */
srdi_status tk_latest_ratio_list(const srdi_tctx *ctx, tk_scratch *s, tk_ratio **out, size_t *n, int *year);

/**
 * @brief The ratio of row @p row from list @p v[0..n) (tk_latest_ratio_list),
 * NAN when it has none; *at is where the walk stands: rows asked in
 * ascending order (a tk_first loop), from *at = 0.
 */
static inline double tk_ratio_at(const tk_ratio *v, size_t n, size_t *at, size_t row)
{
    while (*at < n && v[*at].row < row) (*at)++;
    return *at < n && v[*at].row == row ? v[*at].q : NAN;
}

/**
 * @brief Format a number without trailing zeros for keys and labels ("50", "0.3").
 * @param buf  the output
 * @param size its size
 * @param v    the number
 */
void tk_fmt_num(char *buf, size_t size, double v);

/* ------------------------------------------------------- industry codes */

/**
 * @brief Numeric value of the first @p len digits of a class code, or -1.
 * @param cls the class code ("3985")
 * @param len how many leading digits (1–4)
 */
int tk_code_prefix(const char *cls, size_t len);

/**
 * @brief "39计算机、通信和其他电子设备制造业" for a class code (the code alone
 * when unknown) into @p b (cleared first; no length limit).  No space between
 * the code and its name: the one CJK–digit rule of every output (GB/T 15834,
 * srdi_cjk_spacing), and the code stays on the line of its name.
 * @return SRDI_OK or SRDI_ERR_NOMEM.
 * @param d    the dataset (its reference)
 * @param code a division or class code
 */
srdi_status tk_code_label(const srdi_dataset *d, const char *code, srdi_buf *b);

/**
 * @brief Strategic-domain index (into ref->domain_names) per enterprise row,
 * -1 when unmapped: the context's shared one (srdi_tables_shared, computed
 * once for every scope of a run) or made in the scratch.
 * @param ctx the context (its dataset, its shared quantities)
 * @param s   the scratch the array is taken from when there is no shared one
 * @param out receives the array of d->n indices (read only; freed with @p s or the shared object)
 */
srdi_status tk_row_domains(const srdi_tctx *ctx, tk_scratch *s, const int **out);

/* ------------------------------------------------------------- rankings */

/** A key with a count, for rankings by count descending then key ascending. */
typedef struct tk_ranked {
    const char *key; /* borrowed */
    double count;
    int idx; /* the caller's index (province, city, division …) */
} tk_ranked;

/**
 * @brief qsort comparator: count descending, then key ascending (byte order).
 * @param a a tk_ranked
 * @param b another
 */
int tk_ranked_cmp(const void *a, const void *b);

/** The key of item @p i of a ranking (borrowed: valid while the ranking is used). */
typedef const char *(*tk_key_fn)(const void *ud, size_t i);

/**
 * @brief Rank items 0..n-1 by @p cnt: count descending, then key ascending.
 * @param cnt  the count of each item
 * @param n    the number of items
 * @param all  rank every item (else only those with a count > 0)
 * @param key  the key of an item
 * @param ud   passed to @p key
 * @param out  receives the ranking (room for @p n; idx = the item)
 * @return the number of items ranked
 */
size_t tk_rank(const double *cnt, size_t n, bool all, tk_key_fn key, const void *ud, tk_ranked *out);

/**
 * @brief Set column @p col of row @p r to @p count and column col + 1 to its
 * share of @p total (NAN when @p total is 0).
 * @param t     the table
 * @param r     the row
 * @param col   the count column (the share follows it)
 * @param count the count
 * @param total the denominator
 */
void tk_count_share(srdi_table *t, int r, int col, double count, double total);

/* -------------------------------------------- five dimensions and scores */

/** One of the five dimensions of T23/T24/T26/T29. */
typedef struct tk_dim {
    const char *key;  /* row key 技术实力 */
    srdi_field f;     /* indicator */
    const char *wkey; /* weight key in section t24 */
    double wdef;      /* default weight */
    const char *ind;  /* indicator label for documents */
} tk_dim;

extern const tk_dim tk_dims[5];

/* What the enterprise score of a row is computed from (tk_enterprise_scorer). */
typedef struct tk_scorer {
    double med[5], w[5], cap;
    bool usable; /* every national median is defined and not 0 */
} tk_scorer;

/**
 * @brief The basis of the enterprise score of a row of P (tk_score):
 * score = Σ (w/100) × min(cap, 100 × value / national median), national
 * medians over the national rows of the whole data set (any scope) with a value.
 * Scores are computed row by row as a table reads them: no array over
 * the rows is held (one of doubles was 5.4 MB a table at 4x the national data).
 * @param ctx the context (the scope limits the rows scored, not the medians)
 * @param sc  receives the basis
 * @param params_text (may be NULL) receives "w_tech=25; …; cap=100".
 * @return SRDI_OK or SRDI_ERR_NOMEM.
 */
srdi_status tk_enterprise_scorer(const srdi_tctx *ctx, tk_scorer *sc, srdi_buf *params_text);

/**
 * @brief The enterprise score of row @p i (a row of P): NAN when any of the
 * five values is missing or any national median is 0 / undefined.
 * @param d  the dataset
 * @param sc the basis (tk_enterprise_scorer)
 * @param i  the row
 */
double tk_score(const srdi_dataset *d, const tk_scorer *sc, size_t i);

#endif
