/*
 * srdi/editions.h — regional editions: the scope of a build (the nation, a
 * province or a city), the rows its tables see, the benchmarks beside it and
 * the identity of its documents (title, file names).
 *
 * docs/tables.md "Scope: regional editions": every table over the region's rows of
 * P, except the score reference medians, T13 and T14 (the tables keep the
 * whole P for those), the latest year and the patent windows (whole data),
 * and the champion rows, which are never filtered: the scope mask built here
 * keeps every champion row, so T28/T29 face the whole benchmark list.
 */
#ifndef SRDI_EDITIONS_H
#define SRDI_EDITIONS_H

#include <stddef.h>
#include <stdint.h>
#include "srdi/dataset.h"
#include "srdi/params.h"
#include "srdi/table.h"

typedef enum { SRDI_SCOPE_NATION = 0, SRDI_SCOPE_PROVINCE, SRDI_SCOPE_CITY } srdi_scope_kind;

typedef struct srdi_scope {
    srdi_scope_kind kind;
    int province;            /* index into ref->provinces; -1 for the nation */
    uint32_t city;           /* id in d->cities (kind CITY) */
    char name[192];          /* 全国 / 江苏省 / 苏州市 */
    char province_name[128]; /* a city's province, "" otherwise */
    char short_name[128];    /* 江苏 / 苏州 / 全国 */
    uint8_t *mask;           /* rows the tables see; NULL for the nation (owned) */
    size_t n;                /* rows of P in the region */
    uint32_t *next;          /* the mask's rows as successors (srdi_tctx.next); NULL for the nation (owned) */
    srdi_pfact *facts;       /* the patent facts of the mask's rows, in order (srdi_tctx.facts; owned) */
    size_t n_facts;
    const struct srdi_tables_shared *shared; /* whole-data quantities computed once (srdi_tctx.shared), or NULL; borrowed */
    const struct srdi_tables_reuse *reuse;   /* tables made before from the same inputs (srdi_tctx.reuse), or NULL; borrowed */
} srdi_scope;

/**
 * @brief Parse --scope "province=NAME" or "city=NAME" against the data set.
 * Province names may be short (江苏 → 江苏省), city names too (苏州 → 苏州市,
 * 延边 → 延边朝鲜族自治州); "city=江苏省/苏州市" names a city with its province.
 * @param d    the dataset (borrowed)
 * @param text the --scope value
 * @param out  receives the scope (free its mask with srdi_scope_free)
 * @return SRDI_OK; SRDI_ERR_USAGE for a malformed value, an unknown name or
 *         one with no enterprise (the message lists the valid names present in
 *         the data); SRDI_ERR_NOMEM
 */
srdi_status srdi_scope_parse(const srdi_dataset *d, const char *text, srdi_scope *out);

/**
 * @brief The scope of province @p province (kind PROVINCE) or of the city
 * @p city of that province (kind CITY).  Used by --split.
 * @param d        the dataset
 * @param kind     PROVINCE or CITY
 * @param province an index into d->ref->provinces
 * @param city     an id in d->cities (kind CITY)
 * @param out      receives the scope (srdi_scope_free)
 * @return SRDI_OK; SRDI_ERR_USAGE for a province index out of range; SRDI_ERR_NOMEM
 */
srdi_status srdi_scope_region(const srdi_dataset *d, srdi_scope_kind kind, int province, uint32_t city,
                              srdi_scope *out);

/** @brief Free the mask of a scope (the struct itself is the caller's). @param s the scope */
void srdi_scope_free(srdi_scope *s);

/**
 * @brief The identity a build directory remembers (changes.csv compares like with like):
 * "province=江苏省", "city=江苏省/苏州市" or "全国".
 * @param s    the scope
 * @param buf  the output (truncated, NUL-terminated)
 * @param size the size of @p buf
 */
void srdi_scope_id(const srdi_scope *s, char *buf, size_t size);

/**
 * @brief "province=江苏省" / "city=苏州市" for srdi_report_opts.scope
 * (template conditions on scope.kind / scope.name).
 * @param s    the scope
 * @param buf  the output
 * @param size the size of @p buf
 * @return @p buf, or NULL for the nation
 */
const char *srdi_scope_report_id(const srdi_scope *s, char *buf, size_t size);

/**
 * @brief Compute the tables of a scope (srdi_tables_compute over its mask)
 * and name what is the region's own: a share of the region's P is labelled
 * 占全省比重 / 占全市比重 rather than 全国占比.
 * @param s    the scope
 * @param d    the dataset
 * @param p    the parameters
 * The tables are built on up to @p threads threads
 * (srdi_tables_compute_threads): the same set whatever the number.
 * @param only    comma list of ids as srdi_tables_compute (NULL = all)
 * @param threads at most this many threads (1: this one only)
 * @param out     receives a new set (srdi_tableset_free)
 * @return SRDI_OK, or the first table error in registry order (message set)
 */
srdi_status srdi_scope_tables(const srdi_scope *s, const srdi_dataset *d, const srdi_params *p, const char *only,
                              int threads, srdi_tableset **out);

/**
 * @brief The parameters of an edition: a copy of @p base with the region in
 * report.title (江苏省专精特新企业培育发展报告: cover, running head, PDF
 * metadata and workbook 说明 read it) and a [scope] section the templates
 * can read: kind (national / province / city), name, province, short name,
 * area word (全省 / 全市 / 全国), benchmark names.
 * @param base the build's parameters (borrowed)
 * @param s    the scope
 * @param out  receives the copy, owned by the caller (srdi_params_free)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_edition_params(const srdi_params *base, const srdi_scope *s, srdi_params **out);

/**
 * @brief File-name stem of an edition's PDF / workbook: the region's name made
 * safe (srdi_xlsx_safe_filename).
 * @param s    the scope
 * @param buf  the output
 * @param size the size of @p buf (128 suffices)
 */
void srdi_edition_stem(const srdi_scope *s, char *buf, size_t size);

/* ------------------------------------------------- editions in one run */

struct srdi_build_opts;
struct srdi_fonts;
struct srdi_incr_run;

/** What srdi_editions_split needs of the running build. */
typedef struct srdi_split_opts {
    const struct srdi_build_opts *o; /* out_dir, split, formats, only, dpi, quiet, template_dir */
    const srdi_dataset *d;
    const srdi_params *params;      /* the build's parameters without a [scope] */
    const struct srdi_fonts *fonts; /* loaded when pdf/png/svg are asked, else NULL */
    const srdi_tableset *national;  /* the tables over the whole data set (benchmark) */
    const srdi_scope *within;       /* --scope province=X --split city: X's cities only; NULL = all */
    struct srdi_incr_run *inc;      /* incremental bookkeeping, or NULL */
    long long epoch;
    double t0;                          /* build start, for progress lines */
    int jobs;                           /* editions built at once (≤ 0: the online CPUs) */
    const srdi_tableset *within_tables; /* the tables of @p within (its cities' province
                                                    benchmark, computed once), or NULL */
} srdi_split_opts;

/**
 * @brief --split province|city: an edition for every province (every city)
 * with enterprises, in the formats asked — OUT/provinces/江苏省.pdf and
 * 江苏省.xlsx, OUT/cities/江苏省/苏州市.pdf|xlsx, figures in a folder of the
 * same name beside each edition (江苏省/figures/fig15_T13.png).  Each edition shows
 * its region beside 全国 (a city edition also beside its province).  Editions
 * are built in parallel by up to so->jobs worker processes (fork); an unchanged
 * edition (same tables, benchmarks, template, params, fonts) is kept.
 * @param so what the running build provides (borrowed)
 * @return SRDI_OK, or the first failure (its message names the edition)
 */
srdi_status srdi_editions_split(const srdi_split_opts *so);

#endif
