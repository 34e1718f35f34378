/*
 * srdi/tables.h — the 35 tables of docs/tables.md, each a function from
 * dataset + scope + params to an srdi_table.
 */
#ifndef SRDI_TABLES_H
#define SRDI_TABLES_H

#include <stdbool.h>
#include <stdint.h>
#include "srdi/dataset.h"
#include "srdi/params.h"
#include "srdi/table.h"
#include "srdi/util.h"

/*
 * What a table function sees.  scope: per-enterprise 0/1 (NULL = every row);
 * a row outside the scope is invisible to every table.  Population P = rows
 * in scope with level national or provincial; champion rows only in T28–T29.
 */
typedef struct srdi_tctx {
    const srdi_dataset *d;
    const uint8_t *scope; /* NULL = all */
    const srdi_params *params;
    /* Optional, with scope (a region's edition visits its own rows, not every
       row): the rows of scope in ascending order as successors, next[d->n] =
       the first, next[i] = the one after row i of scope, d->n after the last.
       NULL = every row is visited and tested.  Results do not depend on it. */
    const uint32_t *next;
    /* Optional, with scope: the patent facts of d->patents whose enterprise
       is in scope, in the same order (n_facts of them); NULL = all facts. */
    const srdi_pfact *facts;
    size_t n_facts;
    /* Optional: what the tables of every edition recompute over the whole
       data set, computed once (srdi_tables_shared_new); NULL = compute it. */
    const struct srdi_tables_shared *shared;
    /* Optional: tables made before from the same inputs, taken instead of
       building them (a refresh, src/pipeline/incremental.c); NULL = build all. */
    const struct srdi_tables_reuse *reuse;
} srdi_tctx;

/*
 * The inputs a table reads (srdi_table_def.reads), besides what every table
 * reads: the scope, params.ini and the reference data.  Every table reads
 * the enterprise rows; the financial rows (d->has_financials, n_fin, fin_*)
 * and the patent aggregates (d->has_patents, d->patents, ctx->facts) only
 * where declared.  A refresh reuses a table while the inputs it declares
 * are unchanged, so a declaration must cover every read: tests/test_incr_reads.c
 * builds each table with the inputs it does not declare made unreadable.
 */
enum {
    SRDI_READS_ENTERPRISES = 1u, /* d->n and the enterprise columns, d->cities */
    SRDI_READS_FINANCIALS = 2u,  /* d->has_financials, d->n_fin, d->fin_* */
    SRDI_READS_PATENTS = 4u      /* d->has_patents, d->patents, ctx->facts / n_facts */
};

/*
 * Of the enterprise rows, the numeric columns (d->num[f]) a table reads
 * (srdi_table_def.fields): bit f for srdi_field f.  Every table reads the
 * other enterprise columns (ids, names, level, province, city, industry,
 * tech evaluation, d->cities) and d->n; a refresh after a change of one
 * numeric column rebuilds only the tables that declare it.  0 declares
 * every numeric column; SRDI_FIELDS_NONE none.  tests/test_incr_reads.c
 * builds each table with the columns it does not declare made unreadable.
 */
#define SRDI_FIELD_BIT(f) ((uint64_t)1 << (f))
#define SRDI_FIELDS_NONE  ((uint64_t)1 << 63)

struct srdi_table_def;
/**
 * A caller's store of tables built before (srdi_tctx.reuse).  Both
 * functions are called on the computing threads, at most once per table
 * of one computation, for different tables at the same time.
 */
typedef struct srdi_tables_reuse {
    /* the table of registry entry @p index (srdi_tables_defs) made before
       from the same inputs (ownership passes to the computation), or NULL:
       build it */
    srdi_table *(*take)(void *arg, size_t index, const struct srdi_table_def *def);
    /* a table just built for entry @p index (borrowed: copy what is kept
       before returning); a failure fails the computation (message set) */
    srdi_status (*built)(void *arg, size_t index, const srdi_table *t);
    void *arg;
} srdi_tables_reuse;

/** Quantities of the whole data set shared by the tables of many scopes (opaque). */
typedef struct srdi_tables_shared srdi_tables_shared;

/**
 * @brief Compute once what the tables of every scope would recompute over
 * the whole data set: the medians of the national-level rows that are the
 * reference of the scores (T23, T24, T26; docs/tables.md "Scope") and the
 * strategic domain of every row (T20, T26).  A
 * context given it (srdi_tctx.shared) reads them instead: same results.
 * @param d   the dataset (borrowed; the object is only valid with it)
 * @param out receives the object (srdi_tables_shared_free)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_tables_shared_new(const srdi_dataset *d, srdi_tables_shared **out);

/** @brief Free what srdi_tables_shared_new made (NULL is fine). @param s the object */
void srdi_tables_shared_free(srdi_tables_shared *s);

struct tk_scratch; /* a builder's scratch memory (src/tables/kit.h) */
/**
 * A table builder: adds the rows (and any columns of its own) to @p t, the
 * table made from its registry entry with the columns the registry lists
 * for it; @p t stays the caller's.  @p d is ctx->d; scratch memory comes
 * from @p s (freed by the caller).
 * SRDI_ERR_NOMEM (message recorded by the caller) or another error with
 * its message set.
 */
typedef srdi_status (*srdi_table_fn)(const srdi_tctx *ctx, const srdi_dataset *d, srdi_table *t, struct tk_scratch *s);

/**
 * One column of a table (registry.c lists them): values.csv key, document
 * label, type, unit (NULL = ""), decimals (-1 = type default).
 */
typedef struct srdi_colspec {
    const char *key;
    const char *label;
    srdi_coltype type;
    const char *unit;
    int dec;
} srdi_colspec;

/** One entry of the registry (src/tables/registry.c, the only list of tables). */
typedef struct srdi_table_def {
    const char *id;      /* "T01" */
    const char *name;    /* "tier_share" */
    const char *title;   /* 国家级与省级专精特新企业数量及占比 (a builder may prefix a year window) */
    const char *sheet;   /* short name for sheets: 层级分布 */
    const char *source;  /* 资料来源 line */
    const char *needs;   /* the optional input without which it has no data, NULL if none */
    unsigned reads;      /* the inputs it reads: SRDI_READS_* */
    srdi_table_fn build; /* adds the rows */
    bool city_rows;      /* one row per city (a regional edition shows it as the region's city list) */
    uint64_t fields;     /* the numeric enterprise columns it reads (SRDI_FIELD_BIT; 0: all, SRDI_FIELDS_NONE: none) */
} srdi_table_def;

/**
 * @brief The 35 definitions in id order.
 * @param n receives the count
 * @return the static registry (never NULL)
 */
const srdi_table_def *srdi_tables_defs(size_t *n);

/** @brief The definition of table @p id. @param id "T13" @return static storage, or NULL for an unknown id */
const srdi_table_def *srdi_tables_def(const char *id);

/**
 * @brief The ids of the tables that need the optional input file @p file
 * ("financials.csv", "patents.csv": the registry's `needs` starts with it),
 * in id order, runs of three or more as a range: "T09–T11, T22, T24, T25".
 * @param file the input file name
 * @param buf  receives the text (appended; the caller owns and frees it)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_tables_needing(const char *file, srdi_buf *buf);

/**
 * @brief True when the "count" column of table @p id is the sample size of
 * its row's other statistics (the report's small-sample note counts it like
 * an "n" column); false for other tables and NULL.
 * @param id a table id, or NULL
 */
bool srdi_tables_count_is_n(const char *id);

/**
 * @brief The id of the table named @p name. @param name "province_rank" … @return its id (static storage), or NULL
 */
const char *srdi_tables_id_of(const char *name);

/**
 * @brief The first and the last table id of the registry ("T01", "T35"; static storage).
 * @param first receives the first id
 * @param last  receives the last id
 */
void srdi_tables_id_range(const char **first, const char **last);

/**
 * @brief Build the one table @p id.
 * @param ctx the dataset, scope and parameters (borrowed)
 * @param id  the table id
 * @param out receives a new table (caller frees with srdi_table_free), NULL on failure
 * @return SRDI_OK; SRDI_ERR_USAGE for an unknown id; the builder's error
 *         otherwise (SRDI_ERR_NOMEM …, message set)
 */
srdi_status srdi_tables_build(const srdi_tctx *ctx, const char *id, srdi_table **out);

/**
 * @brief Compute every table (or only the ids in a comma list), in id order.
 * @param ctx  the dataset, scope and parameters (borrowed)
 * @param only comma list of ids ("T13,T15"); NULL or "" = all
 * @param out  receives a new set (caller frees with srdi_tableset_free); untouched on failure
 * @return SRDI_OK, or the first builder's error (message set; nothing is kept)
 */
srdi_status srdi_tables_compute(const srdi_tctx *ctx, const char *only, srdi_tableset **out);

/**
 * @brief srdi_tables_compute on up to @p threads threads (this one
 * included): the builders are independent, each reads the context and
 * writes only its own table, so the set, its order (registry order) and
 * every value are those of one thread.  One thread (or fewer than 1)
 * starts no thread and builds in registry order, allocation by allocation
 * as srdi_tables_compute; a thread that cannot be started means fewer.
 * A table that ctx->reuse hands over is taken as it is, not built.
 * @param ctx     the dataset, scope and parameters (borrowed, only read)
 * @param only    comma list of ids ("T13,T15"); NULL or "" = all
 * @param threads at most this many threads
 * @param out     receives a new set (caller frees with srdi_tableset_free); untouched on failure
 * @return SRDI_OK, or the error of the first table in registry order that
 *         failed (message set; nothing is kept)
 */
srdi_status srdi_tables_compute_threads(const srdi_tctx *ctx, const char *only, int threads, srdi_tableset **out);

#endif
