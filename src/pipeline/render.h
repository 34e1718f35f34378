/*
 * src/pipeline/render.h — the outputs of a build drawn concurrently: the
 * report PDF, report.xlsx and every figure file are independent tasks run
 * by a small pool of threads (private to the pipeline).
 */
#ifndef SRDI_PIPELINE_RENDER_H
#define SRDI_PIPELINE_RENDER_H

#include "srdi/dataset.h"
#include "srdi/fonts.h"
#include "incr_run.h"
#include "srdi/params.h"
#include "srdi/pipeline.h"
#include "srdi/report.h"
#include "srdi/table.h"
#include "srdi/xlsx.h"

typedef struct srdi_render_job {
    const srdi_build_opts *o;
    const srdi_tableset *ts; /* computed once, read by every task */
    const srdi_dataset *d;
    const srdi_params *params;
    const srdi_fonts *fonts; /* loaded by the caller when PDF/PNG/SVG are wanted; NULL otherwise */
    long long epoch;
    double t0; /* build start, for progress lines */
    srdi_incr_run *inc;
    const char *pdf_rel;         /* "report.pdf" or an edition's "江苏省.pdf", relative to OUT */
    const char *xlsx_rel;        /* "report.xlsx" or "江苏省.xlsx" */
    uint64_t xlsx_key;           /* the workbook's incremental key */
    const srdi_tableset *bench;  /* the workbook's 全国 benchmark tables, or NULL */
    srdi_xlsx_info xlsx;         /* the workbook's scope, dataset, params … */
    const char *scope;           /* the report's scope for template conditions
                                           ("province=江苏省"), NULL national (added by editions) */
    const srdi_report *report;   /* the parsed templates (NULL: the PDF task parses them) */
    const srdi_fignums *fignums; /* the report's 图表 numbers for figure file names (NULL: 2026's) */
} srdi_render_job;

/**
 * @brief Number of threads for @p jobs (--jobs; 0 = the CPUs this process
 * may run on), at least 1, at most those CPUs and 64 (more threads than
 * outputs are never started).  The build reads its inputs, computes its
 * tables and draws its outputs on this many threads: all of it is
 * CPU-bound, so threads beyond the cores only cost time (more parts to
 * merge, threads to start, a second thread on a core) and memory (fonts of
 * its own for each drawing thread, about 12 MB).  The outputs never depend
 * on the number of threads.
 */
int srdi_render_threads(int jobs);

/**
 * @brief Threads the PDF task may use for its own work (its streams deflated
 * by helpers, srdi_canvas_hpdf_set_threads; its make-up options laid out on
 * several, srdi_report_set_threads) when it is drawn beside @p others other
 * tasks on @p nthreads threads: all of them when the others leave threads
 * idle before the PDF is done, else 1 — its helpers would only take a core
 * from the figures in turns (the scheduler slices the cores among more
 * threads than there are) and the PDF, the render's critical path, would
 * end later (national build, --jobs 2 on 2 cores: the render 0.19-0.20 s
 * with helpers, 0.17-0.18 s without).  The PDF's bytes do not depend on it.
 */
int srdi_render_pdf_threads(int nthreads, size_t others);

/**
 * @brief Write report.xlsx, the figure files and report.pdf that
 * o->formats asks for and that are not fresh (incr_run.h), with up
 * to srdi_render_threads(o->jobs) threads.  Each thread draws with fonts
 * of its own (a cairo canvas uses the FreeType faces without a lock), so
 * no FreeType, cairo, libharu or libxlsxwriter object is shared between
 * threads; the tables, dataset and params are only read.  Every output's
 * bytes are those a one-thread build writes.  The figure numbers
 * (srdi_chart_set_figure_number) must be set before the call.
 *
 * Progress lines (workbook, figures, report, in that order) are printed
 * after every task ended.  The written outputs are recorded in the
 * incremental state (also those written before a failure); the status of
 * the first failed task in the order PDF, workbook, figures is returned
 * with its message.
 * @param job what to render and where (borrowed)
 */
srdi_status srdi_render_outputs(const srdi_render_job *job);

#endif
