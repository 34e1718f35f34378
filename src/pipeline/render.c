/*
 * src/pipeline/render.c — report.pdf, report.xlsx and the figure files
 * drawn concurrently (srdi_render_outputs, see render.h).
 *
 * Tasks are listed longest first (the PDF, then the workbook, then the
 * figure files in catalogue order) and taken one at a time by the threads
 * from a shared counter, so two threads keep busy until the end.  Thread 0
 * is the calling thread and draws with the caller's fonts; every other
 * thread loads fonts of its own on its first task that needs them.  A task
 * writes its file (atomically, as every canvas and the workbook writer do)
 * and keeps its status, message and time; nothing else is shared.  After
 * the threads are joined, the main thread records the outputs in the
 * incremental state in task order and prints the progress lines, so the
 * state and the messages do not depend on the thread count.
 */
#include "render.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srdi/canvas.h"
#include "srdi/charts.h"
#include "srdi/report.h"
#include "srdi/log.h"
#include "srdi/util.h"
#include "srdi/xlsx.h"

#define MAX_THREADS 64
#define RENDER_THREAD_BYTES ((size_t)14 << 20) /* a drawing thread's memory at its peak (srdi_threads_in_budget) */

/*
 * About how many figure tasks take as long as the PDF task (national build,
 * one thread: report.pdf 0.14 s, 19 figures 0.18 s at 200 dpi): with at
 * least this many other tasks a thread, the other threads stay busy until
 * the PDF is done (srdi_render_pdf_threads).
 */
#define PDF_FIGURES 8

typedef enum task_kind { TASK_PDF, TASK_XLSX, TASK_FIGURE } task_kind;

typedef struct task {
    task_kind kind;
    const srdi_incr_figure *fig; /* TASK_FIGURE: which file */
    char rel[128];               /* path relative to OUT */
    uint64_t okey;               /* incremental key */
    bool ran;                    /* the task was run (ok or not) */
    srdi_status st;
    char err[1024];
    double start, end;
} task;

typedef struct pool {
    const srdi_render_job *job;
    task *tasks;
    size_t ntasks;
    size_t *order;      /* the tasks in the order they are taken (indexes into tasks) */
    atomic_size_t next; /* next task to take (position in order) */
    atomic_bool failed; /* a task failed: take no more */
    uint64_t breaks_key; /* the PDF's line breaks kept in OUT/.srdi-breaks (srdi_incr_key_breaks) */
} pool;

typedef struct worker {
    pool *pl;
    const srdi_fonts *fonts; /* borrowed (thread 0) or owned (loaded lazily) */
    srdi_fonts *own;
    srdi_status st; /* a fonts load failure */
    char err[1024];
} worker;

int srdi_render_threads(int jobs)
{
    int cores = srdi_cpu_count();
    if (jobs <= 0 || jobs > cores) jobs = cores; /* threads beyond the cores: only overhead and memory */
    return jobs < 1 ? 1 : jobs > MAX_THREADS ? MAX_THREADS : jobs;
}

int srdi_render_pdf_threads(int nthreads, size_t others)
{
    if (nthreads <= 1) return 1;
    return others >= (size_t)PDF_FIGURES * (size_t)(nthreads - 1) ? 1 : nthreads;
}

/* Fonts for this worker's drawing tasks: the caller's on thread 0, else its own. */
static const srdi_fonts *worker_fonts(worker *w)
{
    if (w->fonts) return w->fonts;
    if (w->st != SRDI_OK) return NULL;
    w->st = srdi_fonts_load(w->pl->job->o->fonts_dir, &w->own);
    if (w->st != SRDI_OK) {
        srdi_strlcpy(w->err, srdi_error_message(), sizeof w->err);
        return NULL;
    }
    return w->fonts = w->own;
}

/* Run one task on the calling thread; the result stays in the task. */
static void run_task(worker *w, task *t)
{
    const srdi_render_job *job = w->pl->job;
    const srdi_build_opts *o = job->o;
    char path[4096];
    t->start = srdi_now();
    t->ran = true;
    srdi_error_clear();
    int n = snprintf(path, sizeof path, "%s/%s", o->out_dir, t->rel);
    if (n < 0 || (size_t)n >= sizeof path) {
        t->st = srdi_error_set(SRDI_ERR_USAGE, "path too long: %s/%s", o->out_dir, t->rel);
    } else if (t->kind == TASK_XLSX) {
        t->st = srdi_xlsx_write(path, job->ts, job->bench, &job->xlsx);
    } else {
        const srdi_fonts *f = worker_fonts(w);
        if (!f) {
            t->st = srdi_error_set(w->st, "%s", w->err);
        } else if (t->kind == TASK_PDF) {
            char breaks[4096], streams[4096], layout[4096];
            n = snprintf(breaks, sizeof breaks, "%s/.srdi-breaks", o->out_dir);
            int ns = snprintf(streams, sizeof streams, "%s/.srdi-streams", o->out_dir);
            int nl = snprintf(layout, sizeof layout, "%s/.srdi-layout", o->out_dir);
            bool keep = job->inc && n > 0 && (size_t)n < sizeof breaks && ns > 0 && (size_t)ns < sizeof streams &&
                        nl > 0 && (size_t)nl < sizeof layout; /* a build, not a check */
            srdi_report_opts ro = {
                o->template_dir,         path, job->ts, job->d, job->params, f, job->epoch, job->scope, job->bench,
                job->xlsx.province_bench, keep ? breaks : NULL, w->pl->breaks_key, !o->force,
                keep ? streams : NULL,   keep ? layout : NULL};
            t->st = job->report ? srdi_report_render_parsed(job->report, &ro) : srdi_report_render(&ro);
        } else {
            const char *key = t->fig->key;
            int written = 0;
            t->st = srdi_figures_write_only(job->ts, job->params, f, job->fignums, o->out_dir, t->fig->png,
                                            !t->fig->png, o->dpi > 0 ? o->dpi : 200, &key, 1, &written);
            if (t->st == SRDI_OK && written != 1)
                t->st = srdi_error_set(SRDI_ERR_INTERNAL, "figure %s: %d files written, not 1", t->rel, written);
        }
    }
    if (t->st != SRDI_OK) {
        srdi_strlcpy(t->err, srdi_error_message(), sizeof t->err);
        atomic_store(&w->pl->failed, true);
    }
    t->end = srdi_now();
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pool *pl = w->pl;
    while (!atomic_load(&pl->failed)) {
        size_t i = atomic_fetch_add(&pl->next, 1);
        if (i >= pl->ntasks) break;
        run_task(w, &pl->tasks[pl->order[i]]);
    }
    return NULL;
}

/*
 * The outputs after the PDF, longest first: the workbook and the figure
 * files of the 2026 templates' charts, by their times in a one-thread
 * national build (T23 13.5 ms, the workbook 11.2, T27 and M31 11.1, S48
 * 10.3 … T17 6.1, T13 4.8).  With several threads they are taken in this
 * order, so the last task to finish is a short one (catalogue order ended
 * on S48); charts not listed (other templates) follow in catalogue order.
 * One thread takes every task in catalogue order.
 */
static const char *const long_tasks[] = {"T23", "(workbook)", "T27", "M31", "S48", "T29", "T30",
                                         "T34", "T04",        "T32", "T12", "T03", "T35", "T31",
                                         "T33", "T01",        "T15", "T16", "T17", "T13"};

/* Fill @p order with the tasks' indexes as the threads take them: the PDF, then long_tasks, then the rest. */
static void take_order(const task *tasks, size_t n, int nthreads, size_t *order)
{
    size_t no = 0;
    bool *taken = nthreads > 1 ? calloc(n ? n : 1, sizeof *taken) : NULL;
    if (taken) {
        for (size_t l = 0; l <= sizeof long_tasks / sizeof long_tasks[0]; l++)
            for (size_t i = 0; i < n; i++) {
                const char *key = tasks[i].kind == TASK_PDF    ? "(pdf)"
                                  : tasks[i].kind == TASK_XLSX ? "(workbook)"
                                  : tasks[i].fig               ? tasks[i].fig->key
                                                               : "";
                const char *want = l == 0 ? "(pdf)" : long_tasks[l - 1];
                if (!taken[i] && strcmp(key, want) == 0) {
                    order[no++] = i;
                    taken[i] = true;
                }
            }
    }
    for (size_t i = 0; i < n; i++)
        if (!taken || !taken[i]) order[no++] = i;
    free(taken);
}

/* Add a task; the figure pointer (if any) must outlive the pool. */
static void add_task(task *tasks, size_t *n, task_kind kind, const char *rel, uint64_t okey,
                     const srdi_incr_figure *fig)
{
    task *t = &tasks[(*n)++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->fig = fig;
    t->okey = okey;
    srdi_strlcpy(t->rel, rel, sizeof t->rel);
}

srdi_status srdi_render_outputs(const srdi_render_job *job)
{
    const srdi_build_opts *o = job->o;
    srdi_status st = SRDI_OK;
    srdi_incr_figure *figs = NULL;
    size_t nfigs = 0;
    int total_figs = 0;
    task *tasks = NULL;
    size_t *order = NULL, ntasks = 0;
    bool want_fig = o->formats & (SRDI_FMT_PNG | SRDI_FMT_SVG);
    bool pdf_fresh = false, xlsx_fresh = false;
    uint64_t pdf_key = 0, xlsx_key = 0, breaks_key = 0;
    if (!job->pdf_rel || !job->xlsx_rel) return srdi_error_set(SRDI_ERR_INTERNAL, "render: no output names");
    char dir[4096];

    if (want_fig) {
        st =
            srdi_incr_figure_plan(job->inc, job->ts, job->fonts, job->fignums, !!(o->formats & SRDI_FMT_PNG),
                                  !!(o->formats & SRDI_FMT_SVG), o->dpi > 0 ? o->dpi : 200, &figs, &nfigs, &total_figs);
        if (st != SRDI_OK) return st;
        /* made once here: the figure tasks would otherwise race to create it */
        int n = snprintf(dir, sizeof dir, "%s/figures", o->out_dir);
        if (n < 0 || (size_t)n >= sizeof dir)
            st = srdi_error_set(SRDI_ERR_USAGE, "path too long: %s/figures", o->out_dir);
        else
            st = srdi_mkdirs(dir);
        if (st != SRDI_OK) goto cleanup;
    }
    tasks = calloc(nfigs + 2, sizeof *tasks);
    order = calloc(nfigs + 2, sizeof *order);
    if (!tasks || !order) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    if (o->formats & SRDI_FMT_PDF) {
        pdf_key = srdi_incr_key_report(job->inc, job->ts, job->fonts);
        breaks_key = srdi_incr_key_breaks(job->inc, job->fonts);
        if (job->bench) /* a regional edition prints its benchmarks too */
            pdf_key = srdi_incr_hash_u64(pdf_key, srdi_incr_tableset_hash(job->bench));
        if (job->xlsx.province_bench)
            pdf_key = srdi_incr_hash_u64(pdf_key, srdi_incr_tableset_hash(job->xlsx.province_bench));
        if (!(pdf_fresh = srdi_incr_fresh(job->inc, job->pdf_rel, pdf_key)))
            add_task(tasks, &ntasks, TASK_PDF, job->pdf_rel, pdf_key, NULL);
    }
    if (o->formats & SRDI_FMT_XLSX) {
        xlsx_key = job->xlsx_key;
        if (!(xlsx_fresh = srdi_incr_fresh(job->inc, job->xlsx_rel, xlsx_key)))
            add_task(tasks, &ntasks, TASK_XLSX, job->xlsx_rel, xlsx_key, NULL);
    }
    for (size_t i = 0; i < nfigs; i++) add_task(tasks, &ntasks, TASK_FIGURE, figs[i].rel, figs[i].okey, &figs[i]);

    /* run: thread 0 is this thread */
    pool pl = {.job = job, .tasks = tasks, .ntasks = ntasks, .order = order, .breaks_key = breaks_key};
    /* the PDF, the longest task, is this thread's: it draws with the caller's
       fonts, whose faces the pipeline may have loaded into a document ahead
       (srdi_canvas_hpdf_preload), and no other thread loads fonts for it */
    bool pdf_here = ntasks > 0 && tasks[0].kind == TASK_PDF;
    atomic_init(&pl.next, pdf_here ? 1 : 0);
    atomic_init(&pl.failed, false);
    /* a figure's thread holds ~9 MB (its own fonts, a 1260x788 surface kept for its next figure, the PNG's
       buffers), counted as 14 with what the PDF's helpers take beside them (4x the national data at 16
       threads peaked at 206 MiB with 10): on many cores as many as the memory budget leaves room for (util.h) */
    int nthreads = srdi_threads_in_budget(srdi_render_threads(o->jobs), RENDER_THREAD_BYTES);
    take_order(tasks, ntasks, nthreads, order);
    int pdf_threads = srdi_render_pdf_threads(nthreads, pdf_here ? ntasks - 1 : ntasks);
    srdi_canvas_hpdf_set_threads(pdf_threads); /* the PDF deflates its streams on the others while it writes */
    srdi_report_set_threads(pdf_threads);      /* and lays its make-up options out on them */
    if ((size_t)nthreads > ntasks) nthreads = ntasks ? (int)ntasks : 1;
    worker w[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    bool started[MAX_THREADS] = {false};
    memset(w, 0, sizeof w);
    double t_start = srdi_now();
    for (int k = 0; k < nthreads; k++) {
        w[k].pl = &pl;
        w[k].fonts = k == 0 ? job->fonts : NULL;
    }
    for (int k = 1; k < nthreads; k++)
        started[k] = pthread_create(&tid[k], NULL, worker_main, &w[k]) == 0; /* a thread not started: fewer threads */
    if (pdf_here) run_task(&w[0], &tasks[0]);
    worker_main(&w[0]);
    for (int k = 1; k < nthreads; k++)
        if (started[k]) pthread_join(tid[k], NULL);
    for (int k = 0; k < nthreads; k++) srdi_fonts_free(w[k].own);

    /* record what was written, in task order; the first failure wins */
    srdi_status fail = SRDI_OK;
    char fail_msg[1024] = "";
    int figs_written = 0;
    double figs_end = t_start;
    for (size_t i = 0; i < ntasks; i++) {
        task *t = &tasks[i];
        if (!t->ran) continue;
        if (t->st != SRDI_OK) {
            if (fail == SRDI_OK) {
                fail = t->st;
                srdi_strlcpy(fail_msg, t->err, sizeof fail_msg);
            }
            continue;
        }
        srdi_status rs = srdi_incr_done(job->inc, t->rel, t->okey);
        if (rs != SRDI_OK && fail == SRDI_OK) {
            fail = rs;
            srdi_strlcpy(fail_msg, srdi_error_message(), sizeof fail_msg);
        }
        if (t->kind == TASK_FIGURE) {
            figs_written++;
            if (t->end > figs_end) figs_end = t->end;
        }
    }
    if (fail != SRDI_OK) {
        st = srdi_error_set(fail, "%s", fail_msg);
        goto cleanup;
    }

    /* progress, in the order of the one-thread pipeline */
    for (size_t i = 0; i < ntasks; i++)
        if (tasks[i].kind == TASK_XLSX)
            srdi_log_progress(job->t0, "workbook: %s/%s (%.2f s)", o->out_dir, tasks[i].rel,
                              tasks[i].end - tasks[i].start);
    if (xlsx_fresh) srdi_log_progress(job->t0, "workbook: %s/%s unchanged, not rewritten", o->out_dir, job->xlsx_rel);
    if (want_fig)
        srdi_log_progress(job->t0, "figures: %d re-rendered, %d unchanged in %s/figures (%.2f s)", figs_written,
                          total_figs - figs_written, o->out_dir, figs_end - t_start);
    for (size_t i = 0; i < ntasks; i++)
        if (tasks[i].kind == TASK_PDF)
            srdi_log_progress(job->t0, "report: %s/%s (%.2f s)", o->out_dir, tasks[i].rel,
                              tasks[i].end - tasks[i].start);
    if (pdf_fresh) srdi_log_progress(job->t0, "report: %s/%s unchanged, not re-rendered", o->out_dir, job->pdf_rel);
    if (ntasks > 0)
        srdi_log_progress(job->t0, "render: %zu outputs on %d thread%s (%.2f s)", ntasks, nthreads,
                          nthreads == 1 ? "" : "s", srdi_now() - t_start);
cleanup:
    free(tasks);
    free(order);
    free(figs);
    return st;
}
