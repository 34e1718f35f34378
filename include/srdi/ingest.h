/*
 * srdi/ingest.h — reading enterprises.csv, financials.csv and patents.csv
 * (docs/data.md) into a dataset: libcsv streaming, encoding detection (UTF-8 with
 * or without BOM, GB18030/GBK via iconv), header aliases, typed parsing,
 * rejects, reconciliation.  Each file may instead be an .xlsx workbook
 * (enterprises.xlsx …), read from one worksheet by src/ingest/xlsxin.c.
 */
#ifndef SRDI_INGEST_H
#define SRDI_INGEST_H

#include <stdbool.h>
#include <stdio.h>
#include "srdi/csvread.h"
#include "srdi/dataset.h"

typedef struct srdi_ingest_opts {
    const char *data_dir;                   /* holds enterprises.csv [financials.csv] [patents.csv] */
    srdi_encoding encoding;                 /* --encoding, AUTO by default */
    const char *rejects_path;               /* where to write rejects.csv (NULL = don't write) */
    bool quiet;                             /* nothing on stderr (no progress, no notes) */
    bool no_progress;                       /* no per-file progress line (`check` prints the summary itself) */
    int threads;                            /* patents.csv parse threads (--jobs; 0 = online CPUs) */
    char delimiter;                         /* --delimiter: ',' ';' or '\t'; 0 = detect from the header line */
    const char *sheet;                      /* --sheet NAME: worksheet of every .xlsx input (NULL = the first) */
    const char *sheet_for[SRDI_FILE_COUNT]; /* --sheet FILE=NAME: per file, wins over sheet */
    const char *patents_cache;              /* refresh cache of patents.csv (OUT/.srdi-patents): its aggregates
                                    are reused when the file's bytes and the enterprises are those
                                    it was made from (src/ingest/patcache.c); NULL = never */
    bool patents_cache_write_only;          /* --force: read patents.csv, rewrite the cache (and the enterprises one) */
    const char *enterprises_cache;          /* refresh cache of the enterprises.csv body (OUT/.srdi-enterprises),
                                    reused when the file's bytes and the reference data are those it was
                                    made from (src/ingest/entcache.c); NULL = never */
    const char *starved[SRDI_FILE_COUNT];   /* per optional file, the tables it feeds ("T30–T35",
                                                 from srdi_tables_needing) for the "not found" note;
                                                 NULL = "its tables" */
    struct srdi_ingest_bg **background;     /* non-NULL: with more than one thread the patents and the
                                               enterprises caches may still be being written (threads of
                                               their own) when srdi_ingest returns; *background receives
                                               those writes (NULL: none), which the caller gives
                                               srdi_ingest_settle before the dataset's enterprise rows or
                                               patent facts change or go, and before it forks.  NULL:
                                               written before srdi_ingest returns */
} srdi_ingest_opts;

/** Refresh caches still being written after srdi_ingest (srdi_ingest_opts.background). */
typedef struct srdi_ingest_bg srdi_ingest_bg;

/**
 * @brief Wait for the cache writes srdi_ingest left running and free them;
 * a failure is a warning on stderr.
 * @param bg    the write (srdi_ingest_opts.background); NULL is fine
 * @param quiet no warning
 */
void srdi_ingest_settle(srdi_ingest_bg *bg, bool quiet);

/**
 * @brief Whether the patents refresh cache @p patents_cache records, as
 * settled, the very identity of the patents.csv in @p data_dir (device,
 * inode, size, mtime, ctime; patcache.c): then that file's bytes are the
 * ones the cache was made from and, unless the enterprise ids changed too,
 * srdi_ingest will reuse its aggregates instead of reading patents.csv.
 * Stats one file and reads 32 bytes of the other; false when either is
 * missing.
 * @param data_dir      the data directory (NULL: the current one)
 * @param patents_cache the cache file (OUT/.srdi-patents)
 */
bool srdi_ingest_patents_cached(const char *data_dir, const char *patents_cache);

/**
 * @brief Read the data directory into a new dataset built against @p ref.
 * File-level problems fail: a missing or unreadable enterprises file or an
 * input that is not a regular file (SRDI_ERR_INPUT), a missing required
 * column (SRDI_ERR_HEADER), undecodable bytes (SRDI_ERR_ENCODING), broken
 * CSV (SRDI_ERR_CSV), rejects.csv not writable (SRDI_ERR_IO), SRDI_ERR_NOMEM;
 * the message names the file (and line).  Row errors are counted in
 * d->files[], written to rejects.csv, and the call succeeds.  Missing
 * optional files are noted through srdi_log_note.
 * @param opts         what to read and how (borrowed)
 * @param ref          the reference data; ownership passes to the dataset, also on failure
 * @param out          receives the dataset, owned by the caller (srdi_dataset_free); NULL on failure
 * @param n_row_errors receives the total of rejected rows (may be NULL)
 */
srdi_status srdi_ingest(const srdi_ingest_opts *opts, srdi_reference *ref, srdi_dataset **out, long long *n_row_errors);

/**
 * @brief Fail the run when a file has more than @p max_rate of its rows rejected
 * (or every row, when it has any).
 * @param d        the dataset (its per-file counts)
 * @param max_rate the --max-reject-rate, 0 … 1
 * @param out_dir  where rejects.csv is, for the message
 * @return SRDI_OK, or SRDI_ERR_DATA (message: the counts by reason and the rejects.csv path)
 */
srdi_status srdi_ingest_check_reject_rate(const srdi_dataset *d, double max_rate, const char *out_dir);

/**
 * @brief Print one "ingest: FILE  read N = accepted A + rejected R (encoding, delimiter, seconds)"
 * line per input file present.
 * @param d  the dataset
 * @param fp the stream (`check` prints to stdout)
 */
void srdi_ingest_print_summary(const srdi_dataset *d, FILE *fp);

#endif
