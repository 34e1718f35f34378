/*
 * src/pipeline/incr_run.h — the build pipeline's incremental bookkeeping
 * (src/pipeline/incremental.c, private to the srdi_pipeline library): output
 * keys, skip decisions, the change summary and the figure plan of one build.
 * It reads the build options and hands plain data to srdi/incremental.h.
 *
 * Ownership: srdi_incr_begin's run is owned by the caller and freed by
 * srdi_incr_end; every const pointer argument is borrowed.
 */
#ifndef SRDI_PIPELINE_INCR_RUN_H
#define SRDI_PIPELINE_INCR_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "srdi/dataset.h"
#include "srdi/error.h"
#include "srdi/incremental.h"
#include "srdi/params.h"
#include "srdi/table.h"

struct srdi_build_opts;
struct srdi_fonts;
struct srdi_fignums;

/** One build's incremental bookkeeping (src/pipeline/incremental.c). */
typedef struct srdi_incr_run srdi_incr_run;

struct srdi_scope;
/**
 * @brief The tables of @p scope (srdi_scope_tables), each taken from
 * OUT/.srdi-tables when it was built before from the same inputs: the same
 * program, template folder (with the reference data), params and scope, and
 * the same contents of the inputs its registry entry declares (srdi/tables.h
 * SRDI_READS_*: enterprise rows, financial rows, patent aggregates).  With
 * --force every table is built.  Every table built is recorded in the cache
 * (a staged file like every output).  With SRDI_INCR_VERIFY_TABLES set in
 * the environment, the tables taken are built as well and must be the same
 * (SRDI_ERR_INTERNAL naming the table otherwise).
 * @param o       the build options (out_dir, template_dir, only, force)
 * @param t0      the build's start, for the progress line
 * @param scope   the scope (its reuse hook is set during the call)
 * @param d       the dataset (the patent facts not yet released)
 * @param p       the edition's parameters
 * @param threads the threads to build on
 * @param out     receives the tables (srdi_tableset_free)
 * @return SRDI_OK, or srdi_scope_tables' error, SRDI_ERR_IO / SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_incr_scope_tables(const struct srdi_build_opts *o, double t0, struct srdi_scope *scope,
                                   const srdi_dataset *d, const srdi_params *p, int threads, srdi_tableset **out);
/**
 * @brief Start incremental bookkeeping for a build, after the tables are
 * computed and BEFORE values.csv is rewritten: loads the state and the
 * previous values.csv, hashes params, template, dataset info and program.
 * @p t0 is the build's start (srdi_now) for progress lines.
 * @param o   the build options (borrowed)
 * @param t0  the build's start
 * @param ts  the tables just computed
 * @param d   the dataset
 * @param p   the parameters
 * @param out receives the run (srdi_incr_end frees it)
 * @return SRDI_OK, SRDI_ERR_IO or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_incr_begin(const struct srdi_build_opts *o, double t0, const srdi_tableset *ts, const srdi_dataset *d,
                            const srdi_params *p, srdi_incr_run **out);
/**
 * @brief Record the scope of this build ("全国", "province=江苏省" …; added by
 * editions).  When OUT holds values of another scope, changes.csv starts a
 * fresh baseline (a warning says so) instead of comparing unlike values.
 * Call after srdi_incr_begin, before srdi_incr_changes.
 * @param inc      the run
 * @param scope_id the scope (srdi_scope_id)
 * @return SRDI_OK or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_scope(srdi_incr_run *inc, const char *scope_id);
/**
 * @brief Write OUT/changes.csv and print the summary line (after the exports).
 * @param inc the run
 * @param ts  the new tables
 * @return SRDI_OK, SRDI_ERR_IO or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_changes(srdi_incr_run *inc, const srdi_tableset *ts);
/** One figure file to (re-)render: srdi_incr_figure_plan fills these. */
typedef struct srdi_incr_figure {
    const char *key; /* chart key (a table id or S48; static storage) */
    int png;         /* 1 = PNG, 0 = SVG */
    char rel[128];   /* "figures/fig05_T03.png", relative to OUT */
    uint64_t okey;   /* the file's output key (for srdi_incr_done) */
} srdi_incr_figure;
/**
 * @brief The figure files to write: every wanted file of each chart that
 * has a file missing or made from other inputs (all of them with --force),
 * in catalogue order, PNG before SVG.  *out is malloc'ed (free it);
 * *total counts every wanted figure file, fresh or not.
 * @param inc       the run
 * @param ts        the tables
 * @param f         the fonts (their files are in the key)
 * @param nums      the report's 图表 numbers
 * @param want_png  non-zero: PNG files are wanted
 * @param want_svg  non-zero: SVG files are wanted
 * @param dpi       the PNG resolution (in the key)
 * @param out       receives the files to write
 * @param nout      receives their count
 * @param total     receives the count of wanted files
 * @return SRDI_OK or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_figure_plan(srdi_incr_run *inc, const srdi_tableset *ts, const struct srdi_fonts *f,
                                  const struct srdi_fignums *nums, int want_png, int want_svg, double dpi,
                                  srdi_incr_figure **out, size_t *nout, int *total);
/**
 * @brief Key of a workbook: its tables, the benchmark tables (or NULL), scope name,
 * its charts' titles (the report's 图表 numbers and captions), inputs.
 * @param inc   the run
 * @param ts    the workbook's tables
 * @param bench the benchmark tables, or NULL
 * @param scope the scope's name
 * @param nums  the report's 图表 numbers and captions, or NULL (the 2026 edition's)
 */
uint64_t srdi_incr_key_workbook(const srdi_incr_run *inc, const srdi_tableset *ts, const srdi_tableset *bench,
                                const char *scope, const struct srdi_fignums *nums);
/**
 * @brief Key of the report PDF: tables, template, params, fonts, inputs.
 * @param inc the run
 * @param ts  the tables
 * @param f   the fonts
 */
uint64_t srdi_incr_key_report(srdi_incr_run *inc, const srdi_tableset *ts, const struct srdi_fonts *f);
/**
 * @brief Key of the line breaks a render keeps in OUT/.srdi-breaks: what a
 * break depends on besides its text, widths and font sizes — the program and
 * the fonts.
 * @param inc the run (NULL: 0)
 * @param f   the fonts
 */
uint64_t srdi_incr_key_breaks(srdi_incr_run *inc, const struct srdi_fonts *f);
/**
 * @brief srdi_incr_key_workbook with the tables' hashes computed by the
 * caller, who keys many editions against the same benchmarks (the same value).
 * @param inc        the run (NULL: 0)
 * @param ts_hash    srdi_incr_tableset_hash of the workbook's tables
 * @param bench_hash srdi_incr_tableset_hash of the benchmark tables, 0 for none
 * @param scope      the scope's name
 * @param nums       the report's 图表 numbers and captions, or NULL
 */
uint64_t srdi_incr_key_workbook_h(const srdi_incr_run *inc, uint64_t ts_hash, uint64_t bench_hash, const char *scope,
                                  const struct srdi_fignums *nums);
/**
 * @brief srdi_incr_key_report with the tables' hash computed by the caller (the same value).
 * @param inc     the run (NULL: 0)
 * @param ts_hash srdi_incr_tableset_hash of the tables
 * @param f       the fonts
 */
uint64_t srdi_incr_key_report_h(srdi_incr_run *inc, uint64_t ts_hash, const struct srdi_fonts *f);
/**
 * @brief True when OUT/@p rel is up to date for @p key (never with --force or a NULL run).
 * @param inc the run (may be NULL)
 * @param rel the output relative to OUT
 * @param key its key now
 */
bool srdi_incr_fresh(const srdi_incr_run *inc, const char *rel, uint64_t key);
/**
 * @brief Record that OUT/@p rel was written from @p key (no-op for a NULL run).
 * @param inc the run (may be NULL)
 * @param rel the output relative to OUT
 * @param key the key it was made from
 * @return SRDI_OK or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_done(srdi_incr_run *inc, const char *rel, uint64_t key);
/**
 * @brief Save the state (also after a failed build: what was written is
 * recorded) and free @p inc.  Returns @p st, or the save error when @p st
 * is SRDI_OK.
 */
srdi_status srdi_incr_end(srdi_incr_run *inc, srdi_status st);

#endif
