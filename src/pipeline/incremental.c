/*
 * src/pipeline/incremental.c — the build pipeline's incremental glue:
 * output keys from the inputs each output is made from, skip decisions,
 * the change summary, and the figure files limited to what changed.
 *
 * What each output's key covers (besides the program binary itself):
 *   figure file   its chart key, its table, params, fonts, format, dpi
 *   workbook      its tables, the benchmark tables, scope name, params,
 *                 dataset facts (file statistics, latest year), SOURCE_DATE_EPOCH
 *   report PDF    all tables, template files, params, dataset facts,
 *                 fonts, SOURCE_DATE_EPOCH
 * SOURCE_DATE_EPOCH counts only when set: without it every build stamps
 * the current time, and an unchanged output keeps the time it was made.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srdi/charts.h"
#include "srdi/editions.h"
#include "srdi/fonts.h"
#include "srdi/tables.h"
#include "incr_run.h"
#include "srdi/pipeline.h"
#include "srdi/txn.h"
#include "srdi/log.h"
#include "srdi/util.h"

struct srdi_incr_run {
    const srdi_build_opts *o;
    double t0;              /* build start, for progress lines */
    srdi_incr_state *state; /* previous and updated .srdi-state (owned) */
    srdi_incr_values *old;  /* previous values.csv, NULL on a first build (owned) */
    bool old_unreadable;
    bool rebased; /* old values were of another scope: not compared */
    uint64_t h_params, h_template, h_data, h_program, h_epoch;
    uint64_t h_fonts; /* valid when have_fonts */
    bool have_fonts;
};

/* OUT/rel into buf; SRDI_ERR_USAGE when too long. */
static srdi_status out_path(const srdi_incr_run *inc, const char *rel, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/%s", inc->o->out_dir, rel);
    if (n < 0 || (size_t)n >= size) return srdi_error_set(SRDI_ERR_USAGE, "path too long: %s/%s", inc->o->out_dir, rel);
    return SRDI_OK;
}

/* Identity of the running program (a rebuilt binary may draw differently). */
static uint64_t program_hash(void)
{
    char exe[4096];
    uint64_t h = SRDI_INCR_HASH_INIT;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return srdi_incr_hash_str(h, "unknown program");
    exe[n] = 0;
    if (srdi_incr_hash_file(&h, exe, SRDI_INCR_FILE_IDENTITY) != SRDI_OK) {
        srdi_error_clear();
        return srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "unknown program");
    }
    return h;
}

/* ------------------------------------------------------------ table cache */

/* One computation's use of OUT/.srdi-tables (the srdi_tables_reuse hook). */
typedef struct tables_run {
    const srdi_table_def *defs;
    size_t ndefs;
    const srdi_incr_tcache *cache; /* the previous build's tables */
    bool lookup;                   /* false with --force: build every table */
    uint64_t *key;                 /* key[i]: the inputs registry entry i reads, now */
    srdi_buf *packed;              /* packed[i]: the table of entry i as built now */
    bool *reused;                  /* reused[i]: entry i was taken from the cache */
} tables_run;

static srdi_table *tables_take(void *arg, size_t i, const srdi_table_def *def)
{
    tables_run *tr = arg;
    size_t n = 0;
    const void *b = tr->lookup && i < tr->ndefs ? srdi_incr_tcache_get(tr->cache, def->id, tr->key[i], &n) : NULL;
    srdi_table *t = NULL;
    if (!b) return NULL;
    if (srdi_incr_table_unpack(b, n, &t) != SRDI_OK) {
        srdi_error_clear(); /* a cached table that cannot be read is built */
        return NULL;
    }
    tr->reused[i] = true;
    return t;
}

static srdi_status tables_built(void *arg, size_t i, const srdi_table *t)
{
    tables_run *tr = arg;
    if (i >= tr->ndefs) return SRDI_OK;
    tr->packed[i].len = 0;
    return srdi_incr_table_pack(t, &tr->packed[i]);
}

/* The names of the inputs of @p reads, for messages. */
static const char *reads_names(unsigned reads)
{
    switch (reads & (SRDI_READS_FINANCIALS | SRDI_READS_PATENTS)) {
    case SRDI_READS_FINANCIALS: return "enterprises, financials";
    case SRDI_READS_PATENTS: return "enterprises, patents";
    case SRDI_READS_FINANCIALS | SRDI_READS_PATENTS: return "enterprises, financials, patents";
    default: return "enterprises";
    }
}

/*
 * SRDI_INCR_VERIFY_TABLES set: every table taken from the cache is built
 * as well and the two must be the same (tests run refreshes with it, so a
 * table that reads an input its registry entry does not declare fails them).
 */
static srdi_status tables_verify(const tables_run *tr, const srdi_build_opts *o, srdi_scope *scope,
                                 const srdi_dataset *d, const srdi_params *p, int threads, const srdi_tableset *ts)
{
    srdi_tableset *fresh = NULL;
    srdi_status st = srdi_scope_tables(scope, d, p, o->only, threads, &fresh);
    if (st != SRDI_OK) return st;
    for (size_t i = 0; i < tr->ndefs && st == SRDI_OK; i++) {
        if (!tr->reused[i]) continue;
        const srdi_table *a = srdi_tableset_get(ts, tr->defs[i].id), *b = srdi_tableset_get(fresh, tr->defs[i].id);
        if (!a || !b || srdi_incr_table_hash(a) != srdi_incr_table_hash(b))
            st = srdi_error_set(SRDI_ERR_INTERNAL,
                                "%s taken from %s/%s differs from the table built now: it reads an input "
                                "its registry entry does not declare (declared: %s)",
                                tr->defs[i].id, o->out_dir, SRDI_INCR_TABLES_FILE, reads_names(tr->defs[i].reads));
    }
    srdi_tableset_free(fresh);
    return st;
}

/* The hashes of the financial rows and the patent aggregates (on a thread of their own). */
typedef struct input_hashes {
    const srdi_dataset *d;
    uint64_t hf, hp;
} input_hashes;

static void *hash_fin_pat(void *arg)
{
    input_hashes *ih = arg;
    ih->hf = srdi_incr_financials_hash(ih->d);
    ih->hp = srdi_incr_patents_hash(ih->d);
    return NULL;
}

srdi_status srdi_incr_scope_tables(const srdi_build_opts *o, double t0, srdi_scope *scope, const srdi_dataset *d,
                                   const srdi_params *p, int threads, srdi_tableset **out)
{
    srdi_status st;
    tables_run tr = {0};
    srdi_incr_tcache *cache = NULL;
    *out = NULL;
    tr.defs = srdi_tables_defs(&tr.ndefs);
    if ((st = srdi_incr_tcache_load(o->out_dir, &cache)) != SRDI_OK) {
        if (st == SRDI_ERR_NOMEM) return st;
        srdi_log_progress(t0, "tables: %s; every table is built", srdi_error_message());
        srdi_error_clear();
        if (!(cache = srdi_incr_tcache_new())) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    tr.cache = cache;
    tr.lookup = !o->force;
    tr.key = calloc(tr.ndefs, sizeof *tr.key);
    tr.packed = calloc(tr.ndefs, sizeof *tr.packed);
    tr.reused = calloc(tr.ndefs, sizeof *tr.reused);
    if (!tr.key || !tr.packed || !tr.reused) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    /* what every table reads (the program, the template folder with the
       reference data, params, the scope), then what each declares */
    uint64_t base = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "tables");
    base = srdi_incr_hash_u64(base, program_hash());
    uint64_t ht = SRDI_INCR_HASH_INIT;
    if ((st = srdi_incr_hash_tree(&ht, o->template_dir)) != SRDI_OK) goto cleanup;
    base = srdi_incr_hash_u64(base, ht);
    base = srdi_incr_params_hash(base, p);
    char sid[512];
    srdi_scope_id(scope, sid, sizeof sid);
    base = srdi_incr_hash_str(base, sid);
    /* the enterprise rows here, the others beside (a thread that cannot start: here too) */
    input_hashes ih = {.d = d};
    pthread_t tid;
    bool started = threads > 1 && pthread_create(&tid, NULL, hash_fin_pat, &ih) == 0;
    uint64_t he, hcol[SRDI_F_COUNT];
    srdi_incr_enterprises_hashes(d, &he, hcol);
    if (started)
        pthread_join(tid, NULL);
    else
        hash_fin_pat(&ih);
    uint64_t hf = ih.hf, hp = ih.hp;
    for (size_t i = 0; i < tr.ndefs; i++) {
        unsigned r = tr.defs[i].reads | SRDI_READS_ENTERPRISES;
        uint64_t k = srdi_incr_hash_str(base, tr.defs[i].id);
        k = srdi_incr_hash_u64(k, r);
        k = srdi_incr_hash_u64(k, he);
        /* the numeric columns it declares (0: all): a change of another leaves the key as it was */
        uint64_t fm = tr.defs[i].fields ? tr.defs[i].fields : ~(uint64_t)0;
        k = srdi_incr_hash_u64(k, fm);
        for (int f = 0; f < SRDI_F_COUNT; f++)
            if (fm >> f & 1) k = srdi_incr_hash_u64(k, hcol[f]);
        k = srdi_incr_hash_u64(k, r & SRDI_READS_FINANCIALS ? hf : 0);
        tr.key[i] = srdi_incr_hash_u64(k, r & SRDI_READS_PATENTS ? hp : 0);
    }
    srdi_tables_reuse ru = {tables_take, tables_built, &tr};
    scope->reuse = &ru;
    st = srdi_scope_tables(scope, d, p, o->only, threads, out);
    scope->reuse = NULL;
    if (st != SRDI_OK) goto cleanup;
    size_t nreused = 0, nbuilt = 0;
    for (size_t i = 0; i < tr.ndefs; i++) nreused += tr.reused[i];
    const char *verify = getenv("SRDI_INCR_VERIFY_TABLES");
    if (nreused && verify && *verify && (st = tables_verify(&tr, o, scope, d, p, threads, *out)) != SRDI_OK)
        goto cleanup;
    /* the cache keeps every table built now and the others it had */
    for (size_t i = 0; i < tr.ndefs && st == SRDI_OK; i++) {
        if (!tr.packed[i].len) continue;
        nbuilt++;
        st = srdi_incr_tcache_put(cache, tr.defs[i].id, tr.key[i], tr.packed[i].data, tr.packed[i].len);
    }
    if (st == SRDI_OK && nbuilt) st = srdi_incr_tcache_save(cache, o->out_dir);
    if (st == SRDI_OK && nreused)
        srdi_log_progress(t0, "tables: %zu reused from %s/%s (the inputs they read are unchanged), %zu built",
                          nreused, o->out_dir, SRDI_INCR_TABLES_FILE, nbuilt);
cleanup:
    if (st != SRDI_OK && *out) {
        srdi_tableset_free(*out);
        *out = NULL;
    }
    for (size_t i = 0; tr.packed && i < tr.ndefs; i++) srdi_buf_free(&tr.packed[i]);
    free(tr.key);
    free(tr.packed);
    free(tr.reused);
    srdi_incr_tcache_free(cache);
    return st;
}

srdi_status srdi_incr_begin(const srdi_build_opts *o, double t0, const srdi_tableset *ts, const srdi_dataset *d,
                            const srdi_params *p, srdi_incr_run **out)
{
    char path[4096];
    srdi_status st;
    *out = NULL;
    srdi_incr_run *inc = calloc(1, sizeof *inc);
    if (!inc) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    inc->o = o;
    inc->t0 = t0;

    if ((st = srdi_incr_state_load(o->out_dir, &inc->state)) != SRDI_OK) {
        if (st == SRDI_ERR_NOMEM) goto fail;
        srdi_log_progress(inc->t0, "incremental: %s; every output is re-rendered", srdi_error_message());
        srdi_error_clear();
        if (!(inc->state = srdi_incr_state_new())) {
            st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    if ((st = out_path(inc, "values.csv", path, sizeof path)) != SRDI_OK) goto fail;
    if ((st = srdi_incr_values_load(path, &inc->old)) != SRDI_OK) {
        if (st == SRDI_ERR_NOMEM) goto fail;
        srdi_log_progress(inc->t0, "changes: previous values.csv not compared: %s", srdi_error_message());
        srdi_error_clear();
        inc->old = NULL;
        inc->old_unreadable = true;
    }

    inc->h_params = srdi_incr_params_hash(SRDI_INCR_HASH_INIT, p);
    inc->h_template = SRDI_INCR_HASH_INIT;
    if ((st = srdi_incr_hash_tree(&inc->h_template, o->template_dir)) != SRDI_OK) goto fail;
    inc->h_data = srdi_incr_dataset_hash(SRDI_INCR_HASH_INIT, d);
    inc->h_program = program_hash();
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    inc->h_epoch = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, sde && *sde ? sde : NULL);

    if ((st = srdi_incr_state_set_input(inc->state, "params", inc->h_params)) != SRDI_OK ||
        (st = srdi_incr_state_set_input(inc->state, "template", inc->h_template)) != SRDI_OK ||
        (st = srdi_incr_state_set_input(inc->state, "data", inc->h_data)) != SRDI_OK ||
        (st = srdi_incr_state_set_input(inc->state, "program", inc->h_program)) != SRDI_OK ||
        (st = srdi_incr_state_set_tables(inc->state, ts)) != SRDI_OK)
        goto fail;
    *out = inc;
    return SRDI_OK;
fail:
    srdi_incr_state_free(inc->state);
    srdi_incr_values_free(inc->old);
    free(inc);
    return st;
}

srdi_status srdi_incr_scope(srdi_incr_run *inc, const char *scope_id)
{
    if (!inc) return SRDI_OK;
    uint64_t h = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, scope_id), prev;
    /* an OUT without a recorded scope was built before scopes were recorded: national */
    if (!srdi_incr_state_input(inc->state, "scope", &prev)) prev = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "全国");
    if (inc->old && prev != h) {
        srdi_log_warn("%s/values.csv holds another scope's values; changes.csv starts a fresh "
                      "baseline for %s (nothing compared)",
                      inc->o->out_dir, scope_id);
        srdi_incr_values_free(inc->old);
        inc->old = NULL;
        inc->rebased = true;
    }
    return srdi_incr_state_set_input(inc->state, "scope", h);
}

srdi_status srdi_incr_changes(srdi_incr_run *inc, const srdi_tableset *ts)
{
    char path[4096], line[1024];
    srdi_status st;
    if (!inc) return SRDI_OK;
    if ((st = out_path(inc, "changes.csv", path, sizeof path)) != SRDI_OK) return st;
    if (!inc->old) {
        /* a changes.csv of some earlier run would mislead (removed when the build succeeds) */
        if ((st = srdi_txn_remove(path)) != SRDI_OK) return st;
        if (inc->rebased)
            srdi_log_progress(inc->t0, "changes: fresh baseline (scope changed)");
        else if (!inc->old_unreadable)
            srdi_log_progress(inc->t0, "changes: first build");
        return SRDI_OK;
    }
    srdi_incr_summary sum;
    if ((st = srdi_incr_changes_write(inc->old, ts, inc->o->only != NULL, path, &sum)) != SRDI_OK) return st;
    srdi_incr_summary_line(&sum, path, line, sizeof line);
    srdi_log_progress(inc->t0, "%s", line);
    return SRDI_OK;
}

/* Fonts: the manifest and every face file's identity (computed once). */
static uint64_t fonts_hash(srdi_incr_run *inc, const srdi_fonts *f)
{
    if (inc->have_fonts) return inc->h_fonts;
    uint64_t h = SRDI_INCR_HASH_INIT;
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/manifest.ini", inc->o->fonts_dir ? inc->o->fonts_dir : ".");
    if (n > 0 && (size_t)n < sizeof path && srdi_incr_hash_file(&h, path, SRDI_INCR_FILE_CONTENTS) != SRDI_OK) {
        srdi_error_clear();
        h = srdi_incr_hash_str(h, "unreadable manifest");
    }
    for (int fam = SRDI_FONT_SANS; f && fam <= SRDI_FONT_SERIF; fam++) {
        for (int slot = SRDI_FACE_CJK; slot <= SRDI_FACE_LATIN; slot++) {
            const srdi_face_file *ff = srdi_fonts_face(f, (srdi_font_family)fam, (srdi_face_slot)slot);
            if (!ff) {
                h = srdi_incr_hash_str(h, NULL);
                continue;
            }
            h = srdi_incr_hash_u64(h, (uint64_t)ff->index);
            h = srdi_incr_hash_u64(h, ff->synth_bold ? 1 : 0);
            if (ff->path && srdi_incr_hash_file(&h, ff->path, SRDI_INCR_FILE_IDENTITY) != SRDI_OK) {
                srdi_error_clear();
                h = srdi_incr_hash_str(h, "unreadable face");
            }
        }
    }
    inc->h_fonts = h;
    inc->have_fonts = true;
    return h;
}

/* Key of one figure file. */
static uint64_t figure_key(srdi_incr_run *inc, const char *key, const srdi_table *t, const srdi_fonts *f,
                           const char *ext, double dpi)
{
    uint64_t h = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "figure");
    h = srdi_incr_hash_str(h, key);
    h = srdi_incr_hash_u64(h, t ? srdi_incr_table_hash(t) : 0);
    h = srdi_incr_hash_u64(h, inc->h_params);
    h = srdi_incr_hash_u64(h, fonts_hash(inc, f));
    h = srdi_incr_hash_u64(h, inc->h_program);
    h = srdi_incr_hash_str(h, ext);
    uint64_t bits;
    memcpy(&bits, &dpi, sizeof bits);
    return srdi_incr_hash_u64(h, ext[0] == 'p' ? bits : 0); /* dpi matters to PNG only */
}

srdi_status srdi_incr_figure_plan(srdi_incr_run *inc, const srdi_tableset *ts, const srdi_fonts *f,
                                  const srdi_fignums *nums, int want_png, int want_svg, double dpi,
                                  srdi_incr_figure **out, size_t *nout, int *total)
{
    static const char *const exts[2] = {"png", "svg"};
    size_t ndefs;
    const srdi_chart_def *defs = srdi_charts_list(&ndefs);
    *out = NULL;
    *nout = 0;
    *total = 0;
    srdi_incr_figure *jobs = calloc(ndefs ? 2 * ndefs : 1, sizeof *jobs);
    if (!jobs) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    if (!(dpi > 0)) dpi = 200;
    size_t n = 0;
    /* A chart with any file missing or made from other inputs gets all its files re-rendered. */
    for (size_t i = 0; i < ndefs; i++) {
        const srdi_table *tb = NULL;
        srdi_table *own = NULL; /* a derived chart (M31): its computed table keys the file */
        if (defs[i].table && !(tb = ts ? srdi_tableset_get(ts, defs[i].table) : NULL)) continue;
        if (srdi_chart_derived(defs[i].key)) {
            srdi_status ds = srdi_chart_derived_table(defs[i].key, ts, NULL, &own);
            if (ds) {
                free(jobs);
                return ds;
            }
            if (!(tb = own)) continue;
        }
        bool stale = false;
        size_t first = n;
        for (int k = 0; k < 2; k++) {
            if (!(k == 0 ? want_png : want_svg)) continue;
            srdi_incr_figure *j = &jobs[n++];
            j->key = defs[i].key;
            j->png = k == 0;
            srdi_chart_file_name(&defs[i], nums, exts[k], j->rel, sizeof j->rel);
            char title[320]; /* a figure file carries the report's caption as its title */
            srdi_chart_figure_title(&defs[i], nums, title, sizeof title);
            j->okey = srdi_incr_hash_str(figure_key(inc, defs[i].key, tb, f, exts[k], dpi), title);
            (*total)++;
            if (!srdi_incr_fresh(inc, j->rel, j->okey)) stale = true;
        }
        srdi_table_free(own);
        if (!stale) n = first;
    }
    *out = jobs;
    *nout = n;
    return SRDI_OK;
}

uint64_t srdi_incr_key_workbook(const srdi_incr_run *inc, const srdi_tableset *ts, const srdi_tableset *bench,
                                const char *scope, const srdi_fignums *nums)
{
    if (!inc) return 0;
    return srdi_incr_key_workbook_h(inc, srdi_incr_tableset_hash(ts), bench ? srdi_incr_tableset_hash(bench) : 0,
                                    scope, nums);
}

uint64_t srdi_incr_key_workbook_h(const srdi_incr_run *inc, uint64_t ts_hash, uint64_t bench_hash, const char *scope,
                                  const srdi_fignums *nums)
{
    if (!inc) return 0;
    uint64_t h = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "workbook");
    h = srdi_incr_hash_u64(h, ts_hash);
    h = srdi_incr_hash_u64(h, bench_hash);
    h = srdi_incr_hash_str(h, scope);
    size_t ndefs;
    const srdi_chart_def *defs = srdi_charts_list(&ndefs);
    for (size_t i = 0; i < ndefs; i++) { /* the charts are titled like the report's captions */
        char title[320];
        srdi_chart_figure_title(&defs[i], nums, title, sizeof title);
        h = srdi_incr_hash_str(h, title);
    }
    h = srdi_incr_hash_u64(h, inc->h_params);
    h = srdi_incr_hash_u64(h, inc->h_data);
    h = srdi_incr_hash_u64(h, inc->h_program);
    return srdi_incr_hash_u64(h, inc->h_epoch);
}

uint64_t srdi_incr_key_report(srdi_incr_run *inc, const srdi_tableset *ts, const srdi_fonts *f)
{
    if (!inc) return 0;
    return srdi_incr_key_report_h(inc, srdi_incr_tableset_hash(ts), f);
}

uint64_t srdi_incr_key_report_h(srdi_incr_run *inc, uint64_t ts_hash, const srdi_fonts *f)
{
    if (!inc) return 0;
    uint64_t h = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "report");
    h = srdi_incr_hash_u64(h, ts_hash);
    h = srdi_incr_hash_u64(h, inc->h_template);
    h = srdi_incr_hash_u64(h, inc->h_params);
    h = srdi_incr_hash_u64(h, inc->h_data);
    h = srdi_incr_hash_u64(h, fonts_hash(inc, f));
    h = srdi_incr_hash_u64(h, inc->h_program);
    return srdi_incr_hash_u64(h, inc->h_epoch);
}

uint64_t srdi_incr_key_breaks(srdi_incr_run *inc, const srdi_fonts *f)
{
    if (!inc) return 0;
    uint64_t h = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "line breaks");
    h = srdi_incr_hash_u64(h, fonts_hash(inc, f));
    return srdi_incr_hash_u64(h, inc->h_program);
}

bool srdi_incr_fresh(const srdi_incr_run *inc, const char *rel, uint64_t key)
{
    if (!inc || inc->o->force) return false;
    return srdi_incr_state_fresh(inc->state, inc->o->out_dir, rel, key);
}

srdi_status srdi_incr_done(srdi_incr_run *inc, const char *rel, uint64_t key)
{
    if (!inc) return SRDI_OK;
    return srdi_incr_state_record(inc->state, inc->o->out_dir, rel, key);
}

srdi_status srdi_incr_end(srdi_incr_run *inc, srdi_status st)
{
    if (!inc) return st;
    char msg[1024];
    srdi_strlcpy(msg, srdi_error_message(), sizeof msg); /* the build's own failure wins */
    srdi_status ss = srdi_incr_state_save(inc->state, inc->o->out_dir);
    if (st == SRDI_OK)
        st = ss;
    else if (ss != SRDI_OK)
        srdi_error_set(st, "%s", msg);
    srdi_incr_state_free(inc->state);
    srdi_incr_values_free(inc->old);
    free(inc);
    return st;
}
