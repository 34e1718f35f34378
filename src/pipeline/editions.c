/*
 * src/pipeline/editions.c — the scope of a regional edition: which rows its
 * tables see, and the editions of one run (--split) built in parallel; how an
 * edition's names are written and its parameters are in scope.c.
 *
 * Scope rules (docs/tables.md "Scope: regional editions"): the mask holds the
 * region's rows and every champion row (champion rows are never filtered and
 * appear only in T28/T29); the table builders themselves keep the whole P for
 * the score reference medians, T13 and T14, and the whole data for the latest
 * year and the patent windows.
 */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "figshare.h"
#include "srdi/canvas.h"
#include "srdi/charts.h"
#include "srdi/editions.h"
#include "srdi/fonts.h"
#include "srdi/log.h"
#include "incr_run.h"
#include "scope_private.h"
#include "srdi/pipeline.h"
#include "srdi/report.h"
#include "srdi/tables.h"
#include "srdi/txn.h"
#include "srdi/util.h"
#include "srdi/xlsx.h"

void srdi_scope_free(srdi_scope *s)
{
    if (!s) return;
    free(s->mask);
    free(s->next);
    free(s->facts);
    s->mask = NULL;
    s->next = NULL;
    s->facts = NULL;
    s->n_facts = 0;
}

/*
 * The rows and patent facts of each province, grouped once for a --split
 * run so that an edition visits its province's rows instead of every row:
 * province p's rows are rows[row_off[p] .. row_off[p + 1]) (ascending: its
 * own rows and every champion row), its facts (indices into
 * d->patents.facts, ascending) facts[fact_off[p] .. fact_off[p + 1]): the
 * facts of those rows.
 */
typedef struct region_index {
    size_t np;
    size_t *row_off, *fact_off; /* np + 1 offsets each */
    uint32_t *rows, *facts;
    uint32_t *champ_rows, *champ_facts; /* the champion rows and their facts alone, ascending */
    size_t n_champ_rows, n_champ_facts;
    srdi_tables_shared *shared; /* the whole data set's reference medians, for every edition */
} region_index;

static void region_index_free(region_index *ix)
{
    if (!ix) return;
    free(ix->row_off);
    free(ix->fact_off);
    free(ix->rows);
    free(ix->facts);
    free(ix->champ_rows);
    free(ix->champ_facts);
    srdi_tables_shared_free(ix->shared);
    free(ix);
}

/* Group the rows and facts of @p d by province (region_index); NULL when out of memory (message set). */
static region_index *region_index_new(const srdi_dataset *d)
{
    const srdi_patents *pt = &d->patents;
    region_index *ix = calloc(1, sizeof *ix);
    size_t np = d->ref ? d->ref->n_provinces : 0, nchamp = 0, nfchamp = 0;
    if (!ix) goto nomem;
    ix->np = np;
    ix->row_off = calloc(np + 2, sizeof *ix->row_off);
    ix->fact_off = calloc(np + 2, sizeof *ix->fact_off);
    if (!ix->row_off || !ix->fact_off || d->n >= UINT32_MAX || pt->n_facts >= UINT32_MAX) goto nomem;
    /* counts per province (shifted by one), the champions' apart */
    for (size_t i = 0; i < d->n; i++) {
        if (d->level[i] == SRDI_LEVEL_CHAMPION)
            nchamp++;
        else if (d->province[i] < np)
            ix->row_off[d->province[i] + 1]++;
    }
    for (size_t k = 0; k < pt->n_facts; k++) {
        uint32_t e = pt->facts[k].ent;
        if (e >= d->n) continue;
        if (d->level[e] == SRDI_LEVEL_CHAMPION)
            nfchamp++;
        else if (d->province[e] < np)
            ix->fact_off[d->province[e] + 1]++;
    }
    for (size_t p = 0; p < np; p++) {
        ix->row_off[p + 1] += ix->row_off[p] + nchamp;
        ix->fact_off[p + 1] += ix->fact_off[p] + nfchamp;
    }
    ix->rows = malloc((ix->row_off[np] ? ix->row_off[np] : 1) * sizeof *ix->rows);
    ix->facts = malloc((ix->fact_off[np] ? ix->fact_off[np] : 1) * sizeof *ix->facts);
    ix->champ_rows = malloc((nchamp ? nchamp : 1) * sizeof *ix->champ_rows);
    ix->champ_facts = malloc((nfchamp ? nfchamp : 1) * sizeof *ix->champ_facts);
    if (!ix->rows || !ix->facts || !ix->champ_rows || !ix->champ_facts) goto nomem;
    /* fill in ascending order: row_off[p] / fact_off[p] run ahead as cursors, then step back */
    for (size_t i = 0; i < d->n; i++) {
        if (d->level[i] == SRDI_LEVEL_CHAMPION) {
            ix->champ_rows[ix->n_champ_rows++] = (uint32_t)i;
            for (size_t p = 0; p < np; p++) ix->rows[ix->row_off[p]++] = (uint32_t)i;
        } else if (d->province[i] < np) {
            ix->rows[ix->row_off[d->province[i]]++] = (uint32_t)i;
        }
    }
    for (size_t k = 0; k < pt->n_facts; k++) {
        uint32_t e = pt->facts[k].ent;
        if (e >= d->n) continue;
        if (d->level[e] == SRDI_LEVEL_CHAMPION) {
            ix->champ_facts[ix->n_champ_facts++] = (uint32_t)k;
            for (size_t p = 0; p < np; p++) ix->facts[ix->fact_off[p]++] = (uint32_t)k;
        } else if (d->province[e] < np) {
            ix->facts[ix->fact_off[d->province[e]]++] = (uint32_t)k;
        }
    }
    for (size_t p = np; p > 0; p--) {
        ix->row_off[p] = ix->row_off[p - 1];
        ix->fact_off[p] = ix->fact_off[p - 1];
    }
    ix->row_off[0] = ix->fact_off[0] = 0;
    if (srdi_tables_shared_new(d, &ix->shared) != SRDI_OK) {
        region_index_free(ix);
        return NULL;
    }
    return ix;
nomem:
    region_index_free(ix);
    srdi_error_set(SRDI_ERR_NOMEM, "out of memory grouping the rows by province");
    return NULL;
}

/*
 * Fill s->mask for the rows of the region (kind PROVINCE: province index;
 * CITY: province and city id) plus every champion row; count the P rows.
 * Beside it the same rows as a successor list (s->next) and the patent
 * facts of those rows (s->facts), so the tables visit the region's rows
 * only (srdi_tctx.next, .facts).  @p ix (or NULL): the rows and facts
 * grouped by province, to look at the province's alone.
 */
static srdi_status scope_mask(const srdi_dataset *d, const region_index *ix, srdi_scope *s)
{
    const srdi_patents *pt = &d->patents;
    bool grouped = ix && s->province >= 0 && (size_t)s->province < ix->np;
    size_t r0 = grouped ? ix->row_off[s->province] : 0, r1 = grouped ? ix->row_off[s->province + 1] : d->n;
    size_t f0 = grouped ? ix->fact_off[s->province] : 0, f1 = grouped ? ix->fact_off[s->province + 1] : pt->n_facts;
    s->mask = calloc(d->n ? d->n : 1, 1);
    s->next = malloc((d->n + 1) * sizeof *s->next);
    if (!s->mask || !s->next || d->n >= UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    s->n = 0;
    size_t last = d->n; /* the slot of the previous row of the mask: next[d->n] is the first */
    for (size_t j = r0; j < r1; j++) {
        size_t i = grouped ? ix->rows[j] : j;
        bool in = d->province[i] == s->province && (s->kind != SRDI_SCOPE_CITY || d->city[i] == s->city);
        if (d->level[i] == SRDI_LEVEL_CHAMPION)
            in = true; /* the champion benchmark is never filtered */
        else
            s->n += in;
        s->mask[i] = in;
        if (in) {
            s->next[last] = (uint32_t)i;
            last = i;
        }
    }
    s->next[last] = (uint32_t)d->n;
    size_t nf = 0;
    for (size_t j = f0; j < f1; j++) {
        const srdi_pfact *f = &pt->facts[grouped ? ix->facts[j] : j];
        nf += f->ent < d->n && s->mask[f->ent];
    }
    /* a large province's facts (16 MB for the largest at the national size): 2 MiB pages, a fault each
       instead of one per 4 KiB (~11 us each on a virtual machine: 40 ms of a --split worker's first edition) */
    s->facts = srdi_malloc_huge((nf ? nf : 1) * sizeof *s->facts);
    if (!s->facts) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    for (size_t j = f0; j < f1; j++) {
        const srdi_pfact *f = &pt->facts[grouped ? ix->facts[j] : j];
        if (f->ent < d->n && s->mask[f->ent]) s->facts[s->n_facts++] = *f;
    }
    return SRDI_OK;
}

/*
 * The cities of one province, grouped once for the editions of its cities
 * (a unit of --split city): city k's own rows (not the champions') are
 * rows[row_off[k] .. row_off[k + 1]), its facts facts[fact_off[k] ..
 * fact_off[k + 1]), both ascending.  A city's edition then visits its own
 * rows and facts and the champions' (region_index), not its province's.
 */
typedef struct city_index {
    int province;
    size_t nc;
    uint32_t *city; /* nc city ids (d->cities) */
    size_t *row_off, *fact_off;
    uint32_t *rows, *facts;
} city_index;

static void city_index_free(city_index *ci)
{
    if (!ci) return;
    free(ci->city);
    free(ci->row_off);
    free(ci->fact_off);
    free(ci->rows);
    free(ci->facts);
    free(ci);
}

/* Group the rows and facts of province @p p (ix's) by city; NULL when out of memory (message set). */
static city_index *city_index_new(const srdi_dataset *d, const region_index *ix, int p)
{
    const srdi_patents *pt = &d->patents;
    uint32_t npool = srdi_strpool_count(d->cities);
    size_t r0 = ix->row_off[p], r1 = ix->row_off[p + 1], f0 = ix->fact_off[p], f1 = ix->fact_off[p + 1];
    city_index *ci = calloc(1, sizeof *ci);
    uint32_t *loc = malloc(((size_t)npool + 1) * sizeof *loc); /* city id → k, UINT32_MAX: none */
    if (!ci || !loc) goto nomem;
    ci->province = p;
    for (size_t c = 0; c <= npool; c++) loc[c] = UINT32_MAX;
    for (size_t j = r0; j < r1; j++) {
        uint32_t i = ix->rows[j];
        if (d->level[i] == SRDI_LEVEL_CHAMPION || d->city[i] > npool) continue;
        if (loc[d->city[i]] == UINT32_MAX) loc[d->city[i]] = (uint32_t)ci->nc++;
    }
    ci->city = malloc((ci->nc ? ci->nc : 1) * sizeof *ci->city);
    ci->row_off = calloc(ci->nc + 2, sizeof *ci->row_off);
    ci->fact_off = calloc(ci->nc + 2, sizeof *ci->fact_off);
    ci->rows = malloc((r1 - r0 ? r1 - r0 : 1) * sizeof *ci->rows);
    ci->facts = malloc((f1 - f0 ? f1 - f0 : 1) * sizeof *ci->facts);
    if (!ci->city || !ci->row_off || !ci->fact_off || !ci->rows || !ci->facts) goto nomem;
    for (size_t c = 0; c <= npool; c++)
        if (loc[c] != UINT32_MAX) ci->city[loc[c]] = (uint32_t)c;
    /* counts (shifted by one), then fill with the offsets as cursors, as region_index_new */
    for (size_t j = r0; j < r1; j++) {
        uint32_t i = ix->rows[j];
        if (d->level[i] != SRDI_LEVEL_CHAMPION && d->city[i] <= npool) ci->row_off[loc[d->city[i]] + 1]++;
    }
    for (size_t j = f0; j < f1; j++) {
        uint32_t e = pt->facts[ix->facts[j]].ent;
        if (d->level[e] != SRDI_LEVEL_CHAMPION && d->city[e] <= npool) ci->fact_off[loc[d->city[e]] + 1]++;
    }
    for (size_t k = 0; k < ci->nc; k++) {
        ci->row_off[k + 1] += ci->row_off[k];
        ci->fact_off[k + 1] += ci->fact_off[k];
    }
    for (size_t j = r0; j < r1; j++) {
        uint32_t i = ix->rows[j];
        if (d->level[i] != SRDI_LEVEL_CHAMPION && d->city[i] <= npool) ci->rows[ci->row_off[loc[d->city[i]]]++] = i;
    }
    for (size_t j = f0; j < f1; j++) {
        uint32_t e = pt->facts[ix->facts[j]].ent;
        if (d->level[e] != SRDI_LEVEL_CHAMPION && d->city[e] <= npool)
            ci->facts[ci->fact_off[loc[d->city[e]]]++] = ix->facts[j];
    }
    for (size_t k = ci->nc; k > 0; k--) {
        ci->row_off[k] = ci->row_off[k - 1];
        ci->fact_off[k] = ci->fact_off[k - 1];
    }
    ci->row_off[0] = ci->fact_off[0] = 0;
    free(loc);
    return ci;
nomem:
    free(loc);
    city_index_free(ci);
    srdi_error_set(SRDI_ERR_NOMEM, "out of memory grouping the rows by city");
    return NULL;
}

/*
 * scope_mask for city @p s->city of @p ci's province: its own rows and facts
 * merged with the champions' (ascending both), which are the rows and facts
 * scope_mask keeps of the province's.
 */
static srdi_status scope_mask_city(const srdi_dataset *d, const region_index *ix, const city_index *ci, size_t k,
                                   srdi_scope *s)
{
    const srdi_patents *pt = &d->patents;
    const uint32_t *own = ci->rows + ci->row_off[k], *ch = ix->champ_rows;
    size_t no = ci->row_off[k + 1] - ci->row_off[k], nch = ix->n_champ_rows, a = 0, b = 0;
    s->mask = calloc(d->n ? d->n : 1, 1);
    s->next = malloc((d->n + 1) * sizeof *s->next);
    if (!s->mask || !s->next || d->n >= UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    s->n = no;
    size_t last = d->n; /* as scope_mask: next[d->n] is the first row */
    while (a < no || b < nch) {
        uint32_t i = b >= nch || (a < no && own[a] < ch[b]) ? own[a++] : ch[b++];
        s->mask[i] = 1;
        s->next[last] = i;
        last = i;
    }
    s->next[last] = (uint32_t)d->n;
    const uint32_t *of = ci->facts + ci->fact_off[k], *cf = ix->champ_facts;
    size_t nof = ci->fact_off[k + 1] - ci->fact_off[k], ncf = ix->n_champ_facts;
    s->facts = srdi_malloc_huge((nof + ncf ? nof + ncf : 1) * sizeof *s->facts); /* as scope_mask's */
    if (!s->facts) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    for (a = 0, b = 0; a < nof || b < ncf;)
        s->facts[s->n_facts++] = pt->facts[b >= ncf || (a < nof && of[a] < cf[b]) ? of[a++] : cf[b++]];
    return SRDI_OK;
}

/* The names of a region (kind, province, city, name, province_name, short_name), without its rows. */
static srdi_status scope_names(const srdi_dataset *d, srdi_scope_kind kind, int province, uint32_t city,
                               srdi_scope *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->province = province;
    out->city = city;
    if (kind == SRDI_SCOPE_NATION) {
        out->province = -1;
        srdi_strlcpy(out->name, "全国", sizeof out->name);
        srdi_strlcpy(out->short_name, "全国", sizeof out->short_name);
        for (size_t i = 0; i < d->n; i++) out->n += d->level[i] != SRDI_LEVEL_CHAMPION;
        return SRDI_OK;
    }
    if (!d->ref || province < 0 || (size_t)province >= d->ref->n_provinces)
        return srdi_error_set(SRDI_ERR_USAGE, "scope: no province %d in provinces.csv", province);
    const char *pname = d->ref->provinces[province].name;
    if (kind == SRDI_SCOPE_PROVINCE) {
        srdi_strlcpy(out->name, pname, sizeof out->name);
    } else {
        srdi_strlcpy(out->name, srdi_strpool_get(d->cities, city), sizeof out->name);
        srdi_strlcpy(out->province_name, pname, sizeof out->province_name);
    }
    pipeline_short_name(d, out, out->short_name, sizeof out->short_name);
    return SRDI_OK;
}

/*
 * srdi_scope_region, with the rows grouped by province (@p ix) or not
 * (NULL), and a city's by city (@p ci, its province's, or NULL).
 */
static srdi_status scope_region_in(const srdi_dataset *d, const region_index *ix, const city_index *ci,
                                   srdi_scope_kind kind, int province, uint32_t city, srdi_scope *out)
{
    srdi_status st = scope_names(d, kind, province, city, out);
    if (st != SRDI_OK || kind == SRDI_SCOPE_NATION) return st;
    out->shared = ix ? ix->shared : NULL;
    if (ix && ci && kind == SRDI_SCOPE_CITY && ci->province == province)
        for (size_t k = 0; k < ci->nc; k++)
            if (ci->city[k] == city) return scope_mask_city(d, ix, ci, k, out);
    return scope_mask(d, ix, out);
}

/* srdi_scope_region, with the rows grouped by province (@p ix) or not (NULL). */
static srdi_status scope_region(const srdi_dataset *d, const region_index *ix, srdi_scope_kind kind, int province,
                                uint32_t city, srdi_scope *out)
{
    return scope_region_in(d, ix, NULL, kind, province, city, out);
}

srdi_status srdi_scope_region(const srdi_dataset *d, srdi_scope_kind kind, int province, uint32_t city, srdi_scope *out)
{
    return scope_region(d, NULL, kind, province, city, out);
}

/* ============================================== editions in one run (--split) */

/* One edition to build: a province, or a city of a province. */
typedef struct region {
    srdi_scope_kind kind;
    int province;
    uint32_t city;
} region;

/* Where an edition reports the files it wrote: a pipe to the parent, or the run itself. */
typedef struct edition_sink {
    int fd;                    /* worker process: write end of its pipe; -1 in process */
    struct srdi_incr_run *inc; /* in process: record directly */
    int written, unchanged;
} edition_sink;

/* Record that OUT/@p rel was written from @p key (through the sink). */
static srdi_status sink_done(edition_sink *k, const char *rel, uint64_t key)
{
    k->written++;
    if (k->fd < 0) return srdi_incr_done(k->inc, rel, key);
    char line[1200];
    int n = snprintf(line, sizeof line, "done %016llx %s\n", (unsigned long long)key, rel);
    if (n > 0 && (size_t)n < sizeof line && write(k->fd, line, (size_t)n) != n)
        return srdi_error_set(SRDI_ERR_IO, "edition worker: cannot report to the build: %s", strerror(errno));
    return SRDI_OK;
}

/* Key of an edition's output: @p base mixed with the benchmarks' hashes (0: none) and the region. */
static uint64_t edition_key(uint64_t base, uint64_t nat_hash, uint64_t prov_hash, const char *id)
{
    uint64_t h = srdi_incr_hash_u64(base, nat_hash);
    h = srdi_incr_hash_u64(h, prov_hash);
    return srdi_incr_hash_str(h, id);
}

/* srdi_incr_tableset_hash of @p ts, 0 for none (as the keys mix a missing benchmark in). */
static uint64_t tables_hash(const srdi_tableset *ts)
{
    return ts ? srdi_incr_tableset_hash(ts) : 0;
}

/* The national tables' hash, computed once per split (the benchmark of every edition's keys). */
static uint64_t split_nat_hash;

/* CPU seconds of the calling thread (an edition is built by one thread). */
static double thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Stage @p k of an edition ended: add the CPU time since *@p c to cpu[k]. */
static void stage_end(double *cpu, int k, double *c)
{
    double now = thread_cpu();
    cpu[k] += now - *c;
    *c = now;
}

enum { ST_TABLES, ST_XLSX, ST_TEMPLATES, ST_PDF, ST_FIGURES, ST_COUNT };

/*
 * The tables every edition computes over the whole P, the same in each
 * (docs/tables.md "Scope": T13, T14), made once per split before the
 * workers fork, packed (srdi_incr_table_pack) as they leave their builder,
 * before srdi_report_annotate: an edition's computation takes a copy
 * (srdi_tctx.reuse) instead of counting the whole P again.
 */
static const char *const whole_ids[] = {"T13", "T14"};
#define N_WHOLE (sizeof whole_ids / sizeof whole_ids[0])
static srdi_buf whole_packed[N_WHOLE];

/* srdi_tables_reuse.take: a copy of a whole-P table, or NULL (build it). */
static srdi_table *whole_take(void *arg, size_t index, const struct srdi_table_def *def)
{
    (void)arg;
    (void)index;
    srdi_table *t = NULL;
    for (size_t k = 0; k < N_WHOLE; k++)
        if (whole_packed[k].len > 0 && strcmp(def->id, whole_ids[k]) == 0 &&
            srdi_incr_table_unpack(whole_packed[k].data, whole_packed[k].len, &t) != SRDI_OK)
            t = NULL; /* built instead */
    return t;
}

static const srdi_tables_reuse whole_reuse = {whole_take, NULL, NULL};

/* Compute and pack the whole-P tables of @p so's run; a table that fails is built by every edition instead. */
static void whole_make(const srdi_split_opts *so, const region_index *ix)
{
    srdi_tctx ctx = {so->d, NULL, so->params, NULL, NULL, 0, ix->shared, NULL};
    srdi_tableset *w = NULL;
    if (srdi_tables_compute_threads(&ctx, "T13,T14", 1, &w) != SRDI_OK) {
        srdi_error_clear();
        return;
    }
    for (size_t k = 0; k < N_WHOLE; k++) {
        const srdi_table *t = srdi_tableset_get(w, whole_ids[k]);
        if (t && srdi_incr_table_pack(t, &whole_packed[k]) != SRDI_OK) {
            srdi_error_clear();
            srdi_buf_free(&whole_packed[k]);
        }
    }
    srdi_tableset_free(w);
}

static void whole_free(void)
{
    for (size_t k = 0; k < N_WHOLE; k++) srdi_buf_free(&whole_packed[k]);
}

/* The figures drawn once for the editions of this --split run (figshare.h), made before the workers are forked. */
static figshare *split_figs;

/* Read the file this process just wrote at @p path (or staged for it) into *@p data; false when it cannot. */
static bool read_back(const char *path, unsigned char **data, size_t *len)
{
    char buf[4600];
    FILE *f = fopen(srdi_txn_where(path, buf, sizeof buf), "rb");
    *data = NULL;
    *len = 0;
    if (!f) return false;
    srdi_buf b = {0};
    char chunk[65536];
    size_t r;
    bool ok = true;
    while (ok && (r = fread(chunk, 1, sizeof chunk, f)) > 0) ok = srdi_buf_append(&b, chunk, r) == SRDI_OK;
    ok = ok && !ferror(f);
    fclose(f);
    if (!ok || !b.data) {
        srdi_buf_free(&b);
        return false;
    }
    *data = (unsigned char *)b.data;
    *len = b.len;
    return true;
}

/* Write @p len bytes to @p path atomically (as the canvas writes a figure). */
static srdi_status write_bytes(const char *path, const unsigned char *data, size_t len)
{
    srdi_atomic a;
    srdi_status st = srdi_atomic_open(&a, path);
    if (st != SRDI_OK) return st;
    if (fwrite(data, 1, len, a.fp) != len) {
        srdi_atomic_abort(&a);
        return srdi_error_set(SRDI_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    return srdi_atomic_commit(&a);
}

/*
 * An edition's figure files, as srdi_figures_write: a PNG whose key
 * (figshare_key) another edition of the run drew before is written from
 * the bytes kept in split_figs instead of drawn again (@p nshared counts
 * them); SVG files are always drawn.
 */
static srdi_status edition_figures(const srdi_tableset *ts, const srdi_params *p, const srdi_fonts *f,
                                   const srdi_fignums *nums, const char *out_dir, int want_png, int want_svg,
                                   double dpi, int *nfig, int *nshared)
{
    *nfig = *nshared = 0;
    if (!split_figs || !want_png || !f || !out_dir)
        return srdi_figures_write(ts, p, f, nums, out_dir, want_png, want_svg, dpi, nfig);
    char dir[4200], rel[256], title[320], path[4600];
    int k = snprintf(dir, sizeof dir, "%s/figures", out_dir);
    if (k < 0 || (size_t)k >= sizeof dir) return srdi_error_set(SRDI_ERR_USAGE, "path too long: %s/figures", out_dir);
    srdi_status st = srdi_mkdirs(dir);
    if (st != SRDI_OK) return st;
    size_t n;
    const srdi_chart_def *defs = srdi_charts_list(&n);
    for (size_t i = 0; i < n && st == SRDI_OK; i++) {
        const srdi_table *t = NULL;
        srdi_table *own = NULL; /* a derived chart's table (M31) */
        if (defs[i].table) {
            if (!(t = ts ? srdi_tableset_get(ts, defs[i].table) : NULL)) continue;
        } else if (srdi_chart_derived(defs[i].key)) {
            if ((st = srdi_chart_derived_table(defs[i].key, ts, p, &own)) != SRDI_OK) return st;
            if (!(t = own)) continue; /* its source tables are not in the set */
        }
        srdi_chart_figure_title(&defs[i], nums, title, sizeof title);
        srdi_chart_file_name(&defs[i], nums, "png", rel, sizeof rel);
        k = snprintf(path, sizeof path, "%s/%s", out_dir, rel);
        if (k < 0 || (size_t)k >= sizeof path) {
            srdi_table_free(own);
            return srdi_error_set(SRDI_ERR_USAGE, "path too long: %s/%s", out_dir, rel);
        }
        uint64_t key = figshare_key(&defs[i], title, "png", dpi, t, p);
        srdi_table_free(own);
        unsigned char *data = NULL;
        size_t len = 0;
        bool keep = false;
        const char *only = defs[i].key;
        int w = 0;
        if (figshare_get(split_figs, key, &data, &len, &keep)) {
            st = write_bytes(path, data, len);
            free(data);
            if (st != SRDI_OK) return st;
            (*nfig)++;
            (*nshared)++;
            if (want_svg) st = srdi_figures_write_only(ts, p, f, nums, out_dir, 0, 1, dpi, &only, 1, &w);
        } else {
            st = srdi_figures_write_only(ts, p, f, nums, out_dir, 1, want_svg, dpi, &only, 1, &w);
            if (st == SRDI_OK && keep && read_back(path, &data, &len)) {
                figshare_put(split_figs, key, data, len);
                free(data);
            }
        }
        *nfig += w;
    }
    return st;
}

/*
 * Build one edition: its tables, the workbook, the PDF and the figures
 * asked for, under OUT/provinces or OUT/cities/<省>; a city edition is
 * benchmarked against @p prov_shared, its province's tables (computed once
 * for all its cities by unit_build).  Prints one progress line.
 */
static srdi_status edition_build(const srdi_split_opts *so, const region_index *ix, const city_index *ci,
                                 const region *g, const srdi_tableset *prov_shared, uint64_t prov_hash,
                                 edition_sink *sink)
{
    const struct srdi_build_opts *o = so->o;
    srdi_scope s = {0}, ps = {0};
    srdi_params *ep = NULL;
    srdi_tableset *ts = NULL;
    const srdi_tableset *prov = NULL;
    srdi_report *report = NULL;
    char reldir[600], stem[256], pstem[256], rel[1024], path[4800], id[512];
    srdi_buf made = {0};
    double t = srdi_now(), c = thread_cpu(), c0 = c, cpu[ST_COUNT] = {0};
    srdi_status st = scope_region_in(so->d, ix, ci, g->kind, g->province, g->city, &s);
    if (st != SRDI_OK) goto cleanup;
    srdi_scope_id(&s, id, sizeof id);
    if ((st = srdi_edition_params(so->params, &s, &ep)) != SRDI_OK) goto cleanup;
    s.reuse = &whole_reuse;
    if ((st = srdi_scope_tables(&s, so->d, ep, o->only, 1, &ts)) != SRDI_OK) goto cleanup;
    uint64_t ts_hash = o->formats & (SRDI_FMT_PDF | SRDI_FMT_XLSX) ? srdi_incr_tableset_hash(ts) : 0; /* both keys */
    stage_end(cpu, ST_TABLES, &c);
    srdi_edition_stem(&s, stem, sizeof stem);
    if (g->kind == SRDI_SCOPE_CITY) {
        if ((st = scope_names(so->d, SRDI_SCOPE_PROVINCE, g->province, 0, &ps)) != SRDI_OK) goto cleanup;
        prov = strcmp(s.name, ps.name) != 0 ? prov_shared : NULL; /* a 直辖市: the city is its own province */
        srdi_edition_stem(&ps, pstem, sizeof pstem);
        snprintf(reldir, sizeof reldir, "cities/%s", pstem);
    } else {
        srdi_strlcpy(reldir, "provinces", sizeof reldir);
    }
    snprintf(path, sizeof path, "%s/%s", o->out_dir, reldir);
    if ((st = srdi_mkdirs(path)) != SRDI_OK) goto cleanup;

    char rs[512];
    srdi_report_opts ro = {
        o->template_dir, path, ts, so->d, ep, so->fonts, so->epoch, srdi_scope_report_id(&s, rs, sizeof rs),
        so->national,    prov,
        NULL,            0,
        false,           NULL,
        NULL}; /* an edition's breaks, streams and layout are not kept: many renders, one OUT */
    srdi_fignums nums = {0};
    if (o->formats & (SRDI_FMT_PDF | SRDI_FMT_PNG | SRDI_FMT_SVG)) {
        /* the templates, parsed once: the PDF, and the 图表 numbers and captions of the
           edition's figure files and workbook charts (a workbook alone keeps the 2026
           edition's numbers and the catalogue's titles: no template parse per edition) */
        if ((st = srdi_report_load(&ro, &report)) != SRDI_OK) goto cleanup;
        srdi_report_figure_numbers(report, &nums);
        stage_end(cpu, ST_TEMPLATES, &c);
    }
    const srdi_fignums *fig = report ? &nums : NULL;
    if (o->formats & SRDI_FMT_XLSX) {
        snprintf(rel, sizeof rel, "%s/%s.xlsx", reldir, stem);
        snprintf(path, sizeof path, "%s/%s", o->out_dir, rel);
        uint64_t key = edition_key(srdi_incr_key_workbook_h(so->inc, ts_hash, split_nat_hash, s.name, fig), 0,
                                   prov ? prov_hash : 0, id);
        if (srdi_incr_fresh(so->inc, rel, key)) {
            sink->unchanged++;
        } else {
            srdi_xlsx_info info = {.d = so->d,
                                   .params = ep,
                                   .scope = s.name,
                                   .epoch = so->epoch,
                                   .province_bench = prov,
                                   .province = ps.name,
                                   .fignums = fig};
            if ((st = srdi_xlsx_write(path, ts, so->national, &info)) != SRDI_OK) goto cleanup;
            if ((st = sink_done(sink, rel, key)) != SRDI_OK) goto cleanup;
            srdi_buf_printf(&made, " %s.xlsx", stem);
        }
        stage_end(cpu, ST_XLSX, &c);
    }
    if (o->formats & SRDI_FMT_PDF) {
        snprintf(rel, sizeof rel, "%s/%s.pdf", reldir, stem);
        snprintf(path, sizeof path, "%s/%s", o->out_dir, rel);
        uint64_t key = edition_key(srdi_incr_key_report_h(so->inc, ts_hash, so->fonts), split_nat_hash,
                                   prov ? prov_hash : 0, id);
        if (srdi_incr_fresh(so->inc, rel, key)) {
            sink->unchanged++;
        } else {
            if ((st = srdi_report_render_parsed(report, &ro)) != SRDI_OK) goto cleanup;
            if ((st = sink_done(sink, rel, key)) != SRDI_OK) goto cleanup;
            srdi_buf_printf(&made, " %s.pdf", stem);
        }
        stage_end(cpu, ST_PDF, &c);
    }
    if (o->formats & (SRDI_FMT_PNG | SRDI_FMT_SVG)) {
        /* figures beside the edition, numbered and drawn as its PDF: provinces/江苏省/figures/fig16_T13.png */
        int nfig = 0, nshared = 0;
        snprintf(path, sizeof path, "%s/%s/%s", o->out_dir, reldir, stem);
        if ((st = edition_figures(ts, ep, so->fonts, &nums, path, !!(o->formats & SRDI_FMT_PNG),
                                  !!(o->formats & SRDI_FMT_SVG), o->dpi > 0 ? o->dpi : 200, &nfig, &nshared)) != SRDI_OK)
            goto cleanup;
        if (nshared > 0)
            srdi_buf_printf(&made, " %s/figures (%d, %d drawn once for several editions)", stem, nfig, nshared);
        else
            srdi_buf_printf(&made, " %s/figures (%d)", stem, nfig);
        stage_end(cpu, ST_FIGURES, &c);
    }
    srdi_log_progress(so->t0,
                      "edition: %s (%zu enterprises) in %s/%s:%s (%.2f s; cpu %.2f s: tables %.2f, templates %.2f, "
                      "workbook %.2f, pdf %.2f, figures %.2f)",
                      s.name, s.n, o->out_dir, reldir, made.data ? made.data : " unchanged", srdi_now() - t,
                      thread_cpu() - c0, cpu[ST_TABLES], cpu[ST_TEMPLATES], cpu[ST_XLSX], cpu[ST_PDF], cpu[ST_FIGURES]);
cleanup:
    if (st != SRDI_OK) {
        /* name the edition in the message */
        char msg[2048];
        srdi_strlcpy(msg, srdi_error_message(), sizeof msg);
        srdi_error_set(st, "edition %s: %s", s.name[0] ? s.name : "?", msg);
    }
    srdi_buf_free(&made);
    srdi_report_free(report);
    srdi_tableset_free(ts);
    srdi_params_free(ep);
    srdi_scope_free(&s);
    srdi_scope_free(&ps);
    return st;
}

/*
 * Build the editions @p g[0 .. n): one province, or the cities of one
 * province, whose province tables are computed once here (or are the
 * build's own, for --scope province=X --split city).
 */
static srdi_status unit_build(const srdi_split_opts *so, const region_index *ix, const region *g, size_t n,
                              edition_sink *sink)
{
    srdi_tableset *prov = NULL;
    const srdi_tableset *shared = NULL;
    city_index *ci = NULL;
    srdi_status st = SRDI_OK;
    if (n > 1 && g[0].kind == SRDI_SCOPE_CITY && g[0].province >= 0 && (size_t)g[0].province < ix->np &&
        !(ci = city_index_new(so->d, ix, g[0].province)))
        return SRDI_ERR_NOMEM;
    if (n > 0 && g[0].kind == SRDI_SCOPE_CITY) {
        if (so->within && so->within->kind == SRDI_SCOPE_PROVINCE && so->within_tables) {
            shared = so->within_tables;
        } else {
            srdi_scope ps = {0};
            st = scope_region(so->d, ix, SRDI_SCOPE_PROVINCE, g[0].province, 0, &ps);
            ps.reuse = &whole_reuse;
            if (st == SRDI_OK) st = srdi_scope_tables(&ps, so->d, so->params, so->o->only, 1, &prov);
            srdi_scope_free(&ps);
            shared = prov;
        }
    }
    uint64_t prov_hash = tables_hash(shared); /* once for the unit's cities */
    for (size_t i = 0; i < n && st == SRDI_OK; i++) st = edition_build(so, ix, ci, &g[i], shared, prov_hash, sink);
    srdi_tableset_free(prov);
    city_index_free(ci);
    return st;
}

/*
 * Editions in the unit starting at @p g[i]: 1, or every city of the same
 * province when its tables are to be computed (not given by the build).
 */
static size_t unit_len(const srdi_split_opts *so, const region *g, size_t n, size_t i)
{
    size_t k = 1;
    if (so->within && so->within_tables) return 1;
    while (g[i].kind == SRDI_SCOPE_CITY && i + k < n && g[i + k].province == g[i].province) k++;
    return k;
}

/* The regions of a split: provinces, or (province, city) pairs, with enterprises. */
static srdi_status split_regions(const srdi_split_opts *so, region **out, size_t *nout)
{
    const srdi_dataset *d = so->d;
    bool by_city = strcmp(so->o->split, "city") == 0;
    size_t np = d->ref ? d->ref->n_provinces : 0;
    uint32_t nc = srdi_strpool_count(d->cities);
    region *g = NULL;
    size_t n = 0, cap = 0;
    uint8_t *seen = calloc((size_t)nc + 1, 1);
    if (!seen) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < np; p++) {
        if (so->within && so->within->province >= 0 && (int)p != so->within->province) continue;
        memset(seen, 0, (size_t)nc + 1);
        for (size_t i = 0; i < d->n; i++) {
            if (d->province[i] != p || d->level[i] == SRDI_LEVEL_CHAMPION) continue;
            if (by_city ? seen[d->city[i]] : n > 0 && g[n - 1].province == (int)p) continue;
            if (by_city) seen[d->city[i]] = 1;
            if (n == cap) {
                size_t nc2 = cap ? cap * 2 : 64;
                region *ng = realloc(g, nc2 * sizeof *ng);
                if (!ng) {
                    free(g);
                    free(seen);
                    return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
                }
                g = ng;
                cap = nc2;
            }
            g[n++] = (region){by_city ? SRDI_SCOPE_CITY : SRDI_SCOPE_PROVINCE, (int)p, by_city ? d->city[i] : 0};
            if (!by_city) break;
        }
    }
    free(seen);
    *out = g;
    *nout = n;
    return SRDI_OK;
}

/* A unit of work for one worker: editions g[start .. start + len), and an estimate of its cost. */
typedef struct unit {
    size_t start, len;
    double cost;
} unit;

/* Costlier units first (then in region order), so that no worker is left alone with a big one at the end. */
static int unit_cmp(const void *a, const void *b)
{
    const unit *x = a, *y = b;
    if (x->cost != y->cost) return x->cost > y->cost ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * The units of the split in the order the workers take them: a unit costs
 * about a fixed amount per edition (the workbook, the PDF) plus its
 * province's rows (the tables; a unit of cities also computes its
 * province's): 20,000 rows weigh about one edition's fixed cost.
 */
static unit *split_units(const srdi_split_opts *so, const region_index *ix, const region *g, size_t ng, size_t *nunits)
{
    size_t n = 0;
    for (size_t i = 0; i < ng; i += unit_len(so, g, ng, i)) n++;
    unit *u = malloc((n ? n : 1) * sizeof *u);
    if (!u) return NULL;
    n = 0;
    for (size_t i = 0; i < ng; i += unit_len(so, g, ng, i)) {
        size_t len = unit_len(so, g, ng, i), p = (size_t)g[i].province;
        double rows = p < ix->np ? (double)(ix->row_off[p + 1] - ix->row_off[p]) : 0;
        u[n++] = (unit){i, len, (double)len * 20000.0 + rows};
    }
    qsort(u, n, sizeof *u, unit_cmp);
    *nunits = n;
    return u;
}

/*
 * The queue of a split's worker processes: the next of the run's units to
 * take (units[] in the order split_units made) and whether to stop taking
 * them (an edition failed).  Shared memory made before the workers are
 * forked; each worker takes units until none is left, so that a worker is
 * forked once per core, not once per unit: a process forked from the build
 * copies every page of the build's memory it writes to (a page fault and a
 * flush of the other cores' address caches each), which a worker's first
 * edition pays and its later ones find done.
 */
typedef struct split_queue {
    atomic_size_t next; /* the next unit to take */
    atomic_int stop;    /* 1: take no more */
} split_queue;

/* A running worker: its process, the read end of its pipe (-1: at its end) and what it reported so far. */
typedef struct worker {
    pid_t pid;
    int fd;
    srdi_buf report;
} worker;

/*
 * Collect a finished worker: its report (done lines, then "ok W U" or
 * "err STATUS message"), record the outputs, take the first error.
 */
static srdi_status worker_collect(const srdi_split_opts *so, worker *w, int wstatus, int *written, int *unchanged,
                                  srdi_status first)
{
    srdi_buf *b = &w->report;
    srdi_status st = SRDI_OK;
    bool ok = false;
    /* the staged files first: recording an output looks at its staged copy */
    for (char *line = b->data, *nl; line && *line; line = nl + 1) {
        if (!(nl = strchr(line, '\n'))) break;
        if (strncmp(line, "staged ", 7) != 0) continue;
        *nl = 0;
        srdi_status rs = srdi_txn_adopt(line + 7);
        *nl = '\n';
        if (rs != SRDI_OK && st == SRDI_OK) st = rs;
    }
    for (char *line = b->data, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) break;
        *nl = 0;
        unsigned long long key;
        int pos = 0, wr, un, code;
        if (sscanf(line, "done %llx %n", &key, &pos) == 1 && pos > 0) {
            srdi_status rs = srdi_incr_done(so->inc, line + pos, (uint64_t)key);
            if (rs != SRDI_OK && st == SRDI_OK) st = rs;
        } else if (sscanf(line, "ok %d %d", &wr, &un) == 2) {
            *written += wr;
            *unchanged += un;
            ok = true;
        } else if (sscanf(line, "err %d %n", &code, &pos) == 1 && st == SRDI_OK) {
            st = srdi_error_set((srdi_status)code, "%s", line + pos);
        }
    }
    srdi_buf_free(b);
    if (st == SRDI_OK && !ok)
        st = srdi_error_set(SRDI_ERR_INTERNAL, "edition worker %ld ended without a report (%s %d)", (long)w->pid,
                            WIFSIGNALED(wstatus) ? "signal" : "exit status",
                            WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
    return first != SRDI_OK ? first : st;
}

/*
 * Keep large freed blocks in the process for the next edition's: every
 * edition allocates the same large blocks (a table's scratch vectors over
 * the whole data set, a figure's pixels), which the build's 256 KiB mmap
 * threshold (pipeline.c) otherwise maps, faults in page by page and unmaps
 * again, edition after edition (a third of a city edition's time).  The
 * peak stays the largest edition's.
 */
static void keep_large_blocks(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

/*
 * Worker process body: build units taken from @p q until none is left or
 * one fails, report through @p fd, never return.
 */
static void worker_main(const srdi_split_opts *so, const region_index *ix, const region *g, const unit *units,
                        size_t nunits, split_queue *q, int fd)
{
    edition_sink sink = {.fd = fd};
    size_t mark = srdi_txn_staged_count();
    srdi_status st = SRDI_OK;
    while (!atomic_load(&q->stop)) {
        size_t i = atomic_fetch_add(&q->next, 1);
        if (i >= nunits) break;
        if ((st = unit_build(so, ix, &g[units[i].start], units[i].len, &sink)) != SRDI_OK) {
            atomic_store(&q->stop, 1);
            break;
        }
    }
    char line[2200];
    /* the files this worker staged: the build's transaction publishes them */
    for (size_t i = mark; i < srdi_txn_staged_count(); i++) {
        const char *rel = srdi_txn_staged_at(i);
        int k = rel ? snprintf(line, sizeof line, "staged %s\n", rel) : -1;
        if (k > 0 && (size_t)k < sizeof line && write(fd, line, (size_t)k) != k) _exit(3);
    }
    int n = st == SRDI_OK ? snprintf(line, sizeof line, "ok %d %d\n", sink.written, sink.unchanged)
                          : snprintf(line, sizeof line, "err %d %s\n", (int)st, srdi_error_message());
    if (n > 0) {
        for (char *p = line + 4; *p && p < line + n - 1; p++)
            if (*p == '\n') *p = ' '; /* one line per message */
        if (write(fd, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1)) < 0) _exit(3);
    }
    close(fd);
    fflush(stderr);
    _exit(st == SRDI_OK ? 0 : 1);
}

/*
 * Read what the workers @p ws[0 .. n) report until every pipe is at its end
 * (a worker may report more than a pipe holds before it ends).  SRDI_OK,
 * or the failure (out of memory, poll failed; message set).
 */
static srdi_status workers_read(worker *ws, size_t n)
{
    struct pollfd pf[64];
    for (;;) {
        size_t np = 0;
        for (size_t k = 0; k < n && np < sizeof pf / sizeof pf[0]; k++)
            if (ws[k].pid > 0 && ws[k].fd >= 0) pf[np++] = (struct pollfd){.fd = ws[k].fd, .events = POLLIN};
        if (np == 0) return SRDI_OK;
        if (poll(pf, (nfds_t)np, -1) < 0) {
            if (errno == EINTR) continue;
            return srdi_error_set(SRDI_ERR_INTERNAL, "--split: waiting for the workers failed: %s", strerror(errno));
        }
        for (size_t i = 0; i < np; i++) {
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            worker *w = NULL;
            for (size_t k = 0; k < n && !w; k++)
                if (ws[k].fd == pf[i].fd) w = &ws[k];
            char chunk[4096];
            ssize_t r = read(w->fd, chunk, sizeof chunk);
            if (r < 0 && errno == EINTR) continue;
            if (r > 0) {
                srdi_status st = srdi_buf_append(&w->report, chunk, (size_t)r);
                if (st != SRDI_OK) return st;
                continue;
            }
            close(w->fd);            /* the end (or a broken pipe: the worker's status tells) */
            w->fd = -1;
        }
    }
}

srdi_status srdi_editions_split(const srdi_split_opts *so)
{
    const struct srdi_build_opts *o = so->o;
    region *g = NULL;
    size_t ng = 0;
    worker *ws = NULL;
    unit *units = NULL;
    split_queue *q = MAP_FAILED;
    int written = 0, unchanged = 0;
    double t = srdi_now();
    if (strcmp(o->split, "city") != 0 && strcmp(o->split, "province") != 0)
        return srdi_error_set(SRDI_ERR_USAGE, "--split must be 'province' or 'city', got '%s'", o->split);
    if (so->within && so->within->kind == SRDI_SCOPE_CITY)
        return srdi_error_set(SRDI_ERR_USAGE, "--split %s within --scope city=%s: a city has no regions to split",
                              o->split, so->within->name);
    if (!(o->formats & (SRDI_FMT_PDF | SRDI_FMT_XLSX | SRDI_FMT_PNG | SRDI_FMT_SVG)))
        return srdi_error_set(SRDI_ERR_USAGE, "--split writes editions: add pdf, xlsx, png or svg to --formats");
    srdi_status st = split_regions(so, &g, &ng);
    if (st != SRDI_OK) return st;
    region_index *ix = region_index_new(so->d); /* shared read-only by the workers (fork) */
    if (!ix) {
        free(g);
        return SRDI_ERR_NOMEM;
    }
    size_t jobs = so->jobs > 0 ? (size_t)so->jobs : (size_t)srdi_cpu_count();
    size_t nunits = 0;
    units = split_units(so, ix, g, ng, &nunits);
    if (!units) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (jobs > nunits) jobs = nunits ? nunits : 1;
    if (jobs > 64) jobs = 64; /* workers_read's poll set */
    split_nat_hash = tables_hash(so->national);
    whole_make(so, ix);
    if ((o->formats & SRDI_FMT_PNG) && ng > 1) split_figs = figshare_new(); /* NULL: every edition draws its own */
    if (o->formats & SRDI_FMT_PDF) {
        /* what every edition's PDF makes alike is made once per process (a worker
           inherits both): libharu's parsed faces, kept from one PDF's document to
           the next, and the line breaks of the paragraphs the editions share */
        srdi_canvas_hpdf_keep_docs(true);
        if (srdi_report_keep_breaks(true) != SRDI_OK) srdi_error_clear(); /* each PDF breaks its own */
    }

    if (jobs <= 1) {
        /* one at a time, in this process */
        edition_sink sink = {.fd = -1, .inc = so->inc};
        for (size_t i = 0; i < ng && st == SRDI_OK; i += unit_len(so, g, ng, i))
            st = unit_build(so, ix, &g[i], unit_len(so, g, ng, i), &sink);
        written = sink.written;
        unchanged = sink.unchanged;
        goto done;
    }

    /* worker processes: each builds units with the data inherited at fork,
       the first of its PDFs with the faces loaded here (libharu's loading of
       the four faces, the same for every edition) */
    if ((o->formats & SRDI_FMT_PDF) && so->fonts && (st = srdi_canvas_hpdf_preload(so->fonts)) != SRDI_OK) goto done;
    srdi_canvas_cairo_release_pixels(); /* a worker draws into pages of its own, not copies of this process's */
    ws = calloc(jobs, sizeof *ws);
    q = mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!ws || q == MAP_FAILED) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    atomic_init(&q->next, 0);
    atomic_init(&q->stop, 0);
    fflush(stdout);
    fflush(stderr);
    for (size_t w = 0; w < jobs && st == SRDI_OK; w++) {
        int pfd[2];
        if (pipe(pfd) != 0) {
            st = srdi_error_set(SRDI_ERR_IO, "--split: cannot create a pipe: %s", strerror(errno));
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            close(pfd[0]);
            close(pfd[1]);
            st = srdi_error_set(SRDI_ERR_IO, "--split: cannot start a worker process: %s", strerror(errno));
            break;
        }
        if (pid == 0) {
            close(pfd[0]);
            for (size_t k = 0; k < w; k++) close(ws[k].fd); /* the other workers' pipes are not ours */
            srdi_canvas_hpdf_set_threads(1); /* the other workers use the other cores */
            srdi_report_set_threads(1);
            keep_large_blocks();
            if (srdi_canvas_hpdf_preload_forked() != SRDI_OK) /* the faces load per PDF instead */
                srdi_log_note("note: %s", srdi_error_message());
            worker_main(so, ix, g, units, nunits, q, pfd[1]);
        }
        close(pfd[1]);
        ws[w] = (worker){pid, pfd[0], {0}};
    }
    if (st != SRDI_OK) atomic_store(&q->stop, 1); /* the workers started finish the units they took */
    srdi_status rs = workers_read(ws, jobs);
    if (rs != SRDI_OK) {
        if (st == SRDI_OK) st = rs;
        atomic_store(&q->stop, 1);
        for (size_t k = 0; k < jobs; k++)
            if (ws[k].pid > 0 && ws[k].fd >= 0) {
                close(ws[k].fd); /* a worker still writing ends on a broken pipe */
                ws[k].fd = -1;
            }
    }
    for (size_t k = 0; k < jobs; k++) {
        if (ws[k].pid <= 0) continue;
        int wstatus = 0;
        pid_t pid;
        while ((pid = waitpid(ws[k].pid, &wstatus, 0)) < 0 && errno == EINTR) {
        }
        if (pid < 0) {
            if (st == SRDI_OK)
                st = srdi_error_set(SRDI_ERR_INTERNAL, "--split: waiting for the workers failed: %s", strerror(errno));
            srdi_buf_free(&ws[k].report);
            continue;
        }
        st = worker_collect(so, &ws[k], wstatus, &written, &unchanged, st);
    }
done:
    if (q != MAP_FAILED) munmap(q, sizeof *q);
    figshare_free(split_figs);
    split_figs = NULL;
    whole_free();
    srdi_canvas_hpdf_keep_docs(false);
    srdi_canvas_hpdf_preload_drop(); /* the document kept, too */
    srdi_report_keep_breaks(false);
    if (st == SRDI_OK)
        srdi_log_progress(so->t0,
                          "split: %zu editions (%d files written, %d unchanged) in %s/%s, %zu at a time (%.2f s)", ng,
                          written, unchanged, o->out_dir, strcmp(o->split, "city") == 0 ? "cities" : "provinces", jobs,
                          srdi_now() - t);
    free(ws);
    free(units);
    free(g);
    region_index_free(ix);
    return st;
}
