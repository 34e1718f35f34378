/*
 * srdi/pipeline.h — the build and check commands: ingest → tables → the
 * requested outputs, with progress on stderr.
 */
#ifndef SRDI_PIPELINE_H
#define SRDI_PIPELINE_H

#include <stdbool.h>
#include "srdi/ingest.h"

/** Output formats (bit set). */
enum {
    SRDI_FMT_PDF = 1 << 0,
    SRDI_FMT_XLSX = 1 << 1,
    SRDI_FMT_PNG = 1 << 2,
    SRDI_FMT_SVG = 1 << 3,
    SRDI_FMT_JSON = 1 << 4 /* tables.json + values.csv are written on every build anyway */
};

typedef struct srdi_build_opts {
    const char *data_dir;                   /* --data (default: the bundled samples/) */
    const char *template_dir;               /* --template (default: templates/report-2026) */
    const char *fonts_dir;                  /* fonts/ with manifest.ini */
    const char *out_dir;                    /* --out (default: out) */
    const char *scope;                      /* --scope province=江苏省 | city=苏州市, NULL = national */
    const char *split;                      /* --split province | city, NULL = none */
    unsigned formats;                       /* SRDI_FMT_* */
    const char *only;                       /* --only T13,T15 */
    bool strict;                            /* --strict */
    srdi_encoding encoding;                 /* --encoding */
    int jobs;                               /* --jobs: threads reading the CSVs, building the tables, drawing the outputs
                                     (0 = online CPUs) */
    char delimiter;                         /* --delimiter: ',' ';' or '\t' (0 = detect from the header line) */
    const char *sheet;                      /* --sheet NAME: worksheet of every .xlsx input (NULL = the first) */
    const char *sheet_for[SRDI_FILE_COUNT]; /* --sheet FILE=NAME (enterprises, financials, patents) */
    double max_reject_rate;                 /* --max-reject-rate: a file with more rows rejected stops the run */
    bool synthetic;                         /* no --data: the bundled synthetic sample is built */
    double dpi;                             /* --dpi for PNG figures (default 200) */
    bool quiet;                             /* --quiet: no progress */
    bool force;                             /* --force: re-render every output, ignoring OUT/.srdi-state
                                     (added by incr; see srdi/incremental.h) */
    bool no_wait;                           /* --no-wait: fail (exit 4) instead of waiting for another build into OUT */
} srdi_build_opts;

/**
 * @brief Run a build as a transaction on OUT (srdi/txn.h, src/pipeline/publish.c):
 * every output is published only when the whole build succeeded; a failed
 * build leaves OUT as it was (a --strict failure publishes rejects.csv only).
 * Progress goes through srdi/log.h (silenced by o->quiet).
 * @param o the options (borrowed)
 * @return the status of the first failure (message set): SRDI_ERR_USAGE for bad
 *         options, the ingest errors, SRDI_ERR_DATA for --strict row errors or too
 *         many rejects, SRDI_ERR_PARAM/TEMPLATE/FONT/RENDER, SRDI_ERR_IO (OUT)
 */
srdi_status srdi_pipeline_build(const srdi_build_opts *o);
/**
 * @brief The build itself, writing through srdi/util.h, inside the transaction
 * opened by srdi_pipeline_build (without an open transaction the files are
 * written in place).
 * @param o the options (borrowed)
 * @return as srdi_pipeline_build
 */
srdi_status srdi_pipeline_build_staged(const srdi_build_opts *o);
/**
 * @brief Validate only: ingest, write rejects.csv, print the reconciliation on stdout.
 * @param o the options (borrowed; only the input, --strict and --max-reject-rate ones matter)
 * @return SRDI_OK; the ingest errors; SRDI_ERR_DATA when --strict meets row
 *         errors or a file's reject rate is too high (message set)
 */
srdi_status srdi_pipeline_check(const srdi_build_opts *o);

#endif
