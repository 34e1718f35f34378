/*
 * pipeline.c — `build` and `check`: ingest → tables → outputs, one way.
 * Progress lines (stage, counts, seconds) go to stderr.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/stat.h>
#include "srdi/canvas.h"
#include "srdi/charts.h"
#include "srdi/log.h"
#include "srdi/editions.h"
#include "srdi/fonts.h"
#include "incr_run.h"
#include "srdi/pipeline.h"
#include "srdi/report.h"
#include "srdi/tables.h"
#include "srdi/xlsx.h"
#include "render.h"

/* A table-building thread's memory for @p n enterprises (srdi_threads_in_budget): its scratch was measured at
   ~4.5 bytes an enterprise at its peak (~3 MB for 4x the national data), so twice that, and 1 MiB that does not
   grow with the data. */
#define TABLE_THREAD_BYTES(n) ((size_t)(n) * 8 + ((size_t)1 << 20))

typedef struct run {
    const srdi_build_opts *o;
    srdi_params *params;
    srdi_dataset *d;
    srdi_fonts *fonts;
    long long epoch;
    double t0;
    srdi_incr_run *inc; /* incremental: skip unchanged outputs (incr_run.h) */
    bool check;         /* `check`: the reconciliation goes to stdout, not as progress */
    srdi_ingest_bg *bg; /* the refresh caches still being written (srdi_ingest_settle) */
} run;

static srdi_status path_join(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s/%s", a, b);
    if (n < 0 || (size_t)n >= size) return srdi_error_set(SRDI_ERR_USAGE, "path too long: %s/%s", a, b);
    return SRDI_OK;
}

/* The CSV name of an optional input file (financials, patents). */
static const char *optional_file_name(int f)
{
    return f == SRDI_FILE_FINANCIALS ? "financials.csv" : "patents.csv";
}

/* Load params.ini and the reference data, ingest the data directory. */
static srdi_status load_inputs(run *r, long long *row_errors)
{
    char path[4096];
    srdi_status st;
    srdi_reference *ref = NULL;
    if ((st = path_join(path, sizeof path, r->o->template_dir, "params.ini")) != SRDI_OK) return st;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if ((st = srdi_params_load(path, &r->params)) != SRDI_OK) return st;
    } else if (!(r->params = srdi_params_new())) {
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    srdi_number_rules_load(r->params); /* [numbers]: one precision rule per quantity */
    if ((st = path_join(path, sizeof path, r->o->template_dir, "reference")) != SRDI_OK) return st;
    if ((st = srdi_reference_load(path, &ref)) != SRDI_OK) return st;

    char rejects[4096], patcache[4096], entcache[4096];
    if ((st = srdi_mkdirs(r->o->out_dir)) != SRDI_OK) {
        srdi_reference_free(ref);
        return st;
    }
    if ((st = path_join(rejects, sizeof rejects, r->o->out_dir, "rejects.csv")) != SRDI_OK ||
        (st = path_join(patcache, sizeof patcache, r->o->out_dir, ".srdi-patents")) != SRDI_OK ||
        (st = path_join(entcache, sizeof entcache, r->o->out_dir, ".srdi-enterprises")) != SRDI_OK) {
        srdi_reference_free(ref);
        return st;
    }
    srdi_ingest_opts io = {
        .data_dir = r->o->data_dir,
        .encoding = r->o->encoding,
        .rejects_path = rejects,
        .quiet = r->o->quiet,
        .no_progress = r->check,
        .threads = srdi_render_threads(r->o->jobs), /* --jobs, at most the cores (render.h) */
        .delimiter = r->o->delimiter,
        .sheet = r->o->sheet,
        .patents_cache = r->check ? NULL : patcache,
        .patents_cache_write_only = r->o->force,
        .enterprises_cache = r->check ? NULL : entcache,
        .background = &r->bg, /* joined before the patent facts go, before --split forks, and at the end */
    };
    srdi_buf starved[SRDI_FILE_COUNT] = {{0}}; /* the tables each optional file feeds (registry) */
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        io.sheet_for[f] = r->o->sheet_for[f];
        if (f != SRDI_FILE_ENTERPRISES && (st = srdi_tables_needing(optional_file_name(f), &starved[f])) != SRDI_OK)
            break;
        io.starved[f] = starved[f].data;
    }
    double t = srdi_now();
    if (st == SRDI_OK)
        st = srdi_ingest(&io, ref, &r->d, row_errors);
    else
        srdi_reference_free(ref);
    for (int f = 0; f < SRDI_FILE_COUNT; f++) srdi_buf_free(&starved[f]);
    if (st != SRDI_OK) return st == SRDI_ERR_IO ? SRDI_ERR_INPUT : st; /* reading the inputs failed */
    srdi_log_progress(r->t0, "ingest: %zu enterprises, %zu financial rows, %lld row errors (%.2f s); rejects in %s",
                      r->d->n, r->d->n_fin, *row_errors, srdi_now() - t, rejects);
    return SRDI_OK;
}

/*
 * The cover's edition line says what the reader must know about the data:
 * synthetic input (SYNTHETIC.txt in the data folder, also said on stderr)
 * carries 合成样本数据（非真实企业）; a missing optional input names the
 * tables it leaves without data.
 */
static srdi_status mark_cover(run *r)
{
    const srdi_dataset *d = r->d;
    const char *ed = srdi_params_str(r->params, "report", "edition", "");
    srdi_buf b = {0}, files = {0}, tabs = {0};
    srdi_status st = srdi_buf_puts(&b, ed);
    if (d->synthetic) {
        srdi_buf_printf(&b, "%s合成样本数据（非真实企业）", b.len ? " · " : "");
        srdi_log_note("note: %s holds SYNTHETIC.txt: synthetic sample data, not real enterprises; "
                      "the outputs say 合成样本数据（非真实企业）",
                      r->o->data_dir);
    }
    for (int f = SRDI_FILE_FINANCIALS; f < SRDI_FILE_COUNT; f++) {
        if (d->files[f].present) continue;
        srdi_buf_printf(&files, "%s%s", files.len ? "、" : "", optional_file_name(f));
        if (tabs.len) srdi_buf_puts(&tabs, "、");
        srdi_buf list = {0};
        if (srdi_tables_needing(optional_file_name(f), &list) != SRDI_OK)
            st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        for (const char *t = list.data; t && *t; t++) {
            if (t[0] == ',' && t[1] == ' ') {
                srdi_buf_puts(&tabs, "、");
                t++;
            } else
                srdi_buf_append(&tabs, t, 1);
        }
        srdi_buf_free(&list);
    }
    if (files.len) srdi_buf_printf(&b, "%s缺少 %s：%s 无数据", b.len ? " · " : "", files.data, tabs.data);
    if (st == SRDI_OK && (d->synthetic || files.len))
        st = srdi_params_set(r->params, "report", "edition", b.data ? b.data : "");
    srdi_buf_free(&b);
    srdi_buf_free(&files);
    srdi_buf_free(&tabs);
    return st;
}

/*
 * The fonts, loaded on a thread of their own while the exports are written
 * and the templates parsed: FreeType's faces, and for a PDF the faces
 * libharu embeds (a document made ahead, srdi_canvas_hpdf_preload, which the
 * report's canvas takes).  On a refresh, the faces were the first thing the
 * PDF waited for.  Started after the tables (and the patent facts freed), so
 * the fonts add nothing to the peak of memory at scale, which is the tables'.
 */
typedef struct fonts_ahead {
    const srdi_build_opts *o;
    srdi_fonts *fonts; /* loaded (the run takes it at fonts_ahead_join) */
    srdi_status st;
    char msg[1024]; /* the loader's message when st != SRDI_OK */
    pthread_t tid;
    bool started;
} fonts_ahead;

static void *fonts_ahead_main(void *arg)
{
    fonts_ahead *fa = arg;
    fa->st = srdi_fonts_load(fa->o->fonts_dir, &fa->fonts);
    if (fa->st != SRDI_OK) {
        srdi_strlcpy(fa->msg, srdi_error_message(), sizeof fa->msg);
        return NULL;
    }
    if ((fa->o->formats & SRDI_FMT_PDF) && srdi_canvas_hpdf_preload(fa->fonts) != SRDI_OK)
        srdi_error_clear(); /* the report's canvas loads the faces itself, and reports what fails */
    return NULL;
}

/* Start loading the fonts when the outputs draw and --jobs allows a second thread (not for a check); once. */
static void fonts_ahead_start(fonts_ahead *fa, const srdi_build_opts *o)
{
    if (fa->o) return;
    fa->o = o;
    if ((o->formats & (SRDI_FMT_PDF | SRDI_FMT_PNG | SRDI_FMT_SVG)) && srdi_render_threads(o->jobs) > 1)
        fa->started = pthread_create(&fa->tid, NULL, fonts_ahead_main, fa) == 0;
}

/* The fonts into *@p out: the loader's (waited for), else loaded here. */
static srdi_status fonts_ahead_join(fonts_ahead *fa, srdi_fonts **out)
{
    if (!fa->started) return srdi_fonts_load(fa->o->fonts_dir, out);
    pthread_join(fa->tid, NULL);
    fa->started = false;
    *out = fa->fonts;
    fa->fonts = NULL;
    return fa->st != SRDI_OK ? srdi_error_set(fa->st, "%s", fa->msg) : SRDI_OK;
}

/* The loader stopped and its fonts freed, when the build ends before it took them. */
static void fonts_ahead_end(fonts_ahead *fa)
{
    if (fa->started) pthread_join(fa->tid, NULL);
    fa->started = false;
    srdi_canvas_hpdf_preload_drop(); /* before its fonts go: no later canvas may take it */
    srdi_fonts_free(fa->fonts);
    fa->fonts = NULL;
}

static srdi_status write_exports(const srdi_tableset *ts, const char *dir)
{
    char path[4096];
    srdi_status st;
    if ((st = path_join(path, sizeof path, dir, "tables.json")) != SRDI_OK) return st;
    if ((st = srdi_export_json(ts, path)) != SRDI_OK) return st;
    if ((st = path_join(path, sizeof path, dir, "values.csv")) != SRDI_OK) return st;
    return srdi_export_values_csv(ts, path);
}

/*
 * tables.json and values.csv: with more than one thread written on a thread
 * of their own while the changes are found and the templates are read (both
 * only read the tables, as the exports do), joined by exports_join before
 * anything is drawn; else here and now.
 */
typedef struct exports_job {
    pthread_t tid;
    bool started;
    const srdi_tableset *ts;
    const char *dir;
    srdi_status st;
    char err[1024];
} exports_job;

static void *exports_main(void *arg)
{
    exports_job *e = arg;
    e->st = write_exports(e->ts, e->dir);
    if (e->st != SRDI_OK) srdi_strlcpy(e->err, srdi_error_message(), sizeof e->err);
    srdi_error_clear();
    return NULL;
}

/* Start the exports (SRDI_OK), or write them now when one thread is asked for (their status). */
static srdi_status exports_start(exports_job *e, const srdi_tableset *ts, const char *dir, int jobs)
{
    *e = (exports_job){.ts = ts, .dir = dir};
    if (srdi_render_threads(jobs) > 1 && pthread_create(&e->tid, NULL, exports_main, e) == 0) {
        e->started = true;
        return SRDI_OK;
    }
    return e->st = write_exports(ts, dir);
}

/* Wait for the exports (their status; the message set when they failed) and say they are written. */
static srdi_status exports_join(exports_job *e, const run *r)
{
    if (e->started) {
        pthread_join(e->tid, NULL);
        e->started = false;
        if (e->st != SRDI_OK) return srdi_error_set(e->st, "%s", e->err);
    }
    if (e->st != SRDI_OK) return e->st;
    srdi_log_progress(r->t0, "exports: %s/tables.json, %s/values.csv (%zu tables)", e->dir, e->dir, e->ts->n);
    return SRDI_OK;
}

srdi_status srdi_pipeline_build_staged(const srdi_build_opts *o)
{
    srdi_log_set_quiet(o->quiet);
    run r = {.o = o, .t0 = srdi_now(), .epoch = srdi_build_epoch()};
    long long row_errors = 0;
    srdi_scope scope = {0};
    srdi_tableset *ts = NULL, *nat = NULL, *prov = NULL; /* the scope's tables, its benchmarks */
    srdi_report *report = NULL;                          /* the templates, parsed once */
    srdi_params *base_params = NULL;
    char stem[256];
    fonts_ahead fa = {0};
    exports_job ex = {0};
    srdi_status st;

#ifdef __GLIBC__
    /*
     * Every block of 256 KiB or more (a table's scratch vector, a parse
     * part's buffers) is its own mapping, handed back to the system when
     * freed: glibc's default threshold rises to the largest block freed,
     * after which such blocks stay in the process (4x the national data:
     * 202 MiB peak at the tables when set after ingest, 195 MiB when set
     * here).  Set after ingest for a while because the refresh caches'
     * large blocks then became fresh mappings each run (0.5 s of system
     * time); the caches now read in small blocks (national refresh system
     * time 0.12-0.18 s either way).
     *
     * Setting the threshold also fixes glibc's trim threshold at its 128 KiB
     * default: every free that left more than that at the top of a heap
     * gave it back (a thread's heap through MADV_DONTNEED), and the next
     * allocation faulted it in again page by page — a workbook's zlib
     * streams (~270 KiB each, one per part of the package) and the PDF's
     * buffers, ~2,300 faults of a national refresh (a fault costs ~20 us of
     * CPU on a virtual machine).  Up to 2 MiB now stays at each heap's top.
     */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 2 * 1024 * 1024);
#endif
    {
        /*
         * A refresh whose patents.csv is the file the patents cache was made
         * from reads no patent row (the aggregates come from the cache): the
         * fonts load while the inputs are read.  Otherwise they wait until
         * after the tables (below): a cold read's peak of memory at scale is
         * the patent facts' and the tables', and the fonts would add to it.
         * In a national refresh the fonts had been the longest wait: ~40 ms
         * after the templates were parsed, with the inputs read in 60.
         */
        char pc[4096];
        if (!r.check && !o->force && path_join(pc, sizeof pc, o->out_dir, ".srdi-patents") == SRDI_OK &&
            srdi_ingest_patents_cached(o->data_dir, pc))
            fonts_ahead_start(&fa, o);
        srdi_error_clear();
    }
    if ((st = load_inputs(&r, &row_errors)) != SRDI_OK) goto cleanup;
    if ((st = mark_cover(&r)) != SRDI_OK) goto cleanup;
    if ((st = srdi_ingest_check_reject_rate(r.d, o->max_reject_rate, o->out_dir)) != SRDI_OK) goto cleanup;
    if (o->strict && row_errors > 0) {
        st = srdi_error_set(SRDI_ERR_DATA, "%lld row errors (--strict): nothing rendered; see %s/rejects.csv",
                            row_errors, o->out_dir);
        goto cleanup;
    }
    st = o->scope ? srdi_scope_parse(r.d, o->scope, &scope) : srdi_scope_region(r.d, SRDI_SCOPE_NATION, -1, 0, &scope);
    if (st != SRDI_OK) goto cleanup;
    /* the edition's parameters: the region in the title, a [scope] section */
    base_params = r.params;
    if ((st = srdi_edition_params(base_params, &scope, &r.params)) != SRDI_OK) {
        r.params = base_params;
        base_params = NULL;
        goto cleanup;
    }
    const char *scope_label = scope.name;
    char report_scope_buf[512]; /* "province=江苏省" with the full name, for template conditions */
    const char *report_scope = srdi_scope_report_id(&scope, report_scope_buf, sizeof report_scope_buf);

    double t = srdi_now();
    /* the tables are built on the threads the outputs are drawn on, as many as the memory budget leaves room for */
    int tthreads = srdi_threads_in_budget(srdi_render_threads(o->jobs), TABLE_THREAD_BYTES(r.d->n));
    if ((st = srdi_incr_scope_tables(o, r.t0, &scope, r.d, r.params, tthreads, &ts)) != SRDI_OK) goto cleanup;
    if (scope.kind != SRDI_SCOPE_NATION) {
        /* the benchmarks: the same tables over the whole data set (and a city's province) */
        srdi_scope whole = {0}, pscope = {0};
        if ((st = srdi_scope_region(r.d, SRDI_SCOPE_NATION, -1, 0, &whole)) == SRDI_OK)
            st = srdi_scope_tables(&whole, r.d, r.params, o->only, tthreads, &nat);
        /* (a 直辖市's city edition has none: the city is its own province) */
        if (st == SRDI_OK && scope.kind == SRDI_SCOPE_CITY && strcmp(scope.name, scope.province_name) != 0 &&
            (st = srdi_scope_region(r.d, SRDI_SCOPE_PROVINCE, scope.province, 0, &pscope)) == SRDI_OK)
            st = srdi_scope_tables(&pscope, r.d, r.params, o->only, tthreads, &prov);
        srdi_scope_free(&pscope);
        if (st != SRDI_OK) goto cleanup;
    }
    srdi_log_progress(r.t0, "tables: %zu computed for %s (%zu enterprises; %.2f s)", ts->n, scope_label, scope.n,
                      srdi_now() - t);
    /* no table is computed again without --split: the patent facts (most of the memory at scale) go before the outputs are drawn */
    if (!o->split) {
        srdi_ingest_settle(r.bg, o->quiet); /* it writes them to OUT/.srdi-patents (and the rows to .srdi-enterprises) */
        r.bg = NULL;
        srdi_patents_release(&r.d->patents);
    }
    fonts_ahead_start(&fa, o); /* (unless started above) after the tables and the patent facts: the peak of memory at scale is theirs */
    if ((st = srdi_incr_begin(o, r.t0, ts, r.d, r.params, &r.inc)) != SRDI_OK) goto cleanup;
    {
        char id[512];
        srdi_scope_id(&scope, id, sizeof id);
        if ((st = srdi_incr_scope(r.inc, id)) != SRDI_OK) goto cleanup;
    }
    if ((st = exports_start(&ex, ts, o->out_dir, o->jobs)) != SRDI_OK) goto cleanup;
    if ((st = srdi_incr_changes(r.inc, ts)) != SRDI_OK) goto cleanup;
    /* a regional edition's files are named by its region (江苏省.pdf, 江苏省.xlsx) */
    if (scope.kind == SRDI_SCOPE_NATION)
        srdi_strlcpy(stem, "report", sizeof stem);
    else
        srdi_edition_stem(&scope, stem, sizeof stem);

    srdi_fignums nums = {0};
    if (o->formats & (SRDI_FMT_PDF | SRDI_FMT_PNG | SRDI_FMT_SVG | SRDI_FMT_XLSX)) {
        /* the templates, parsed once: their 图表 numbers name the figure files and title the
           workbook's charts (a workbook built alone too, so a --template folder's captions
           title its charts), then they make the PDF.  Parsed while the fonts load (the
           templates measure no text): the thread that waited for the fonts here did nothing */
        srdi_report_opts fo = {o->template_dir, NULL, ts,  r.d, r.params, NULL, r.epoch, report_scope, nat, prov,
                               NULL,            0,    false,         NULL, NULL};
        if ((st = srdi_report_load(&fo, &report)) == SRDI_OK) {
            srdi_report_figure_numbers(report, &nums);
        } else if (o->formats & SRDI_FMT_PDF) {
            goto cleanup;
        } else {
            srdi_log_warn("figure files and workbook charts keep the 2026 edition's numbers: %s",
                          srdi_error_message());
        }
        srdi_error_clear();
        st = SRDI_OK;
    }
    if ((st = exports_join(&ex, &r)) != SRDI_OK) goto cleanup;
    if (o->formats & (SRDI_FMT_PDF | SRDI_FMT_PNG | SRDI_FMT_SVG)) {
        if ((st = fonts_ahead_join(&fa, &r.fonts)) != SRDI_OK) goto cleanup;
    }
    /* the report PDF, the workbook and the figure files, concurrently (render.h) */
    {
        char pdf_rel[300], xlsx_rel[300];
        snprintf(pdf_rel, sizeof pdf_rel, "%s.pdf", stem);
        snprintf(xlsx_rel, sizeof xlsx_rel, "%s.xlsx", stem);
        uint64_t xkey = srdi_incr_key_workbook(r.inc, ts, nat, scope_label, report ? &nums : NULL);
        if (prov) xkey = srdi_incr_hash_u64(xkey, srdi_incr_tableset_hash(prov));
        srdi_render_job rj = {
            .o = o,
            .ts = ts,
            .d = r.d,
            .params = r.params,
            .fonts = r.fonts,
            .epoch = r.epoch,
            .t0 = r.t0,
            .inc = r.inc,
            .pdf_rel = pdf_rel,
            .xlsx_rel = xlsx_rel,
            .xlsx_key = xkey,
            .bench = nat,
            .scope = report_scope,
            .report = report,
            .fignums = &nums,
            .xlsx = {r.d, r.params, scope_label, r.epoch, prov, scope.province_name, report ? &nums : NULL},
        };
        if ((st = srdi_render_outputs(&rj)) != SRDI_OK) goto cleanup;
    }
    if (o->split) {
        srdi_ingest_settle(r.bg, o->quiet); /* written before the workers fork */
        r.bg = NULL;
        /* an edition per province / city, benchmarked against the whole data set */
        srdi_split_opts so = {o,     r.d,     base_params, r.fonts, nat ? nat : ts,      o->scope ? &scope : NULL,
                              r.inc, r.epoch, r.t0,        o->jobs, o->scope ? ts : NULL};
        if ((st = srdi_editions_split(&so)) != SRDI_OK) goto cleanup;
    }
    if (ts) { /* every table left without data, once more at the end */
        srdi_buf nd = {0};
        for (size_t i = 0; i < ts->n; i++)
            if (ts->tables[i]->no_data) srdi_buf_printf(&nd, "%s%s", nd.len ? ", " : "", ts->tables[i]->id);
        if (nd.len) srdi_log_note("tables without data (a missing optional input file): %s", nd.data);
        srdi_buf_free(&nd);
    }
    srdi_log_progress(r.t0, "done: %s", o->out_dir);
cleanup:
    if (ex.started) { /* a failure before they were joined: they end before their tables go */
        pthread_join(ex.tid, NULL);
        ex.started = false;
    }
    srdi_ingest_settle(r.bg, o->quiet);
    r.bg = NULL;
    srdi_report_free(report);
    st = srdi_incr_end(r.inc, st); /* saves OUT/.srdi-state */
    srdi_tableset_free(ts);
    srdi_tableset_free(nat);
    srdi_tableset_free(prov);
    srdi_scope_free(&scope);
    fonts_ahead_end(&fa); /* the document made ahead too, when the PDF did not take it */
    srdi_fonts_free(r.fonts);
    srdi_dataset_free(r.d);
    srdi_params_free(r.params);
    srdi_params_free(base_params);
    return st;
}

srdi_status srdi_pipeline_check(const srdi_build_opts *o)
{
    srdi_log_set_quiet(o->quiet);
    run r = {.o = o, .t0 = srdi_now(), .check = true};
    long long row_errors = 0;
    srdi_status st = load_inputs(&r, &row_errors);
    if (st == SRDI_OK) {
        srdi_ingest_print_summary(r.d, stdout);
        st = srdi_ingest_check_reject_rate(r.d, o->max_reject_rate, o->out_dir);
        if (st == SRDI_OK && o->strict && row_errors > 0)
            st =
                srdi_error_set(SRDI_ERR_DATA, "%lld row errors (--strict); see %s/rejects.csv", row_errors, o->out_dir);
    }
    srdi_ingest_settle(r.bg, o->quiet); /* none: `check` writes no cache */
    srdi_dataset_free(r.d);
    srdi_params_free(r.params);
    return st;
}
