/*
 * tests/test_ingest_threads.c — patents.csv read in parallel parts gives,
 * for every thread count (1, 2, 3, 4, 8; 16 with every split line made a
 * record for the general row checks), exactly what one thread gives:
 * the same rows (counts, patent facts, keys in first-seen order — the keys
 * hold the multi-line field text, so every byte of every field is compared)
 * and the same rejects.csv, byte for byte.  The files are adversarial:
 * quoted fields holding thousands of line breaks wherever a cut may fall,
 * quotes at part edges, LF / CRLF / CR line ends mixed, blank lines, one
 * field with 300,000 line breaks; a second file adds bare quotes inside
 * unquoted fields (5'10"), which break quote parity, and malformed quoting.
 * The generator knows each row's physical line: the rows it made unknown
 * must be rejected at exactly those lines, and read = rows written.
 * The workers read a file's parts with pread a piece at a time (pieces of
 * 1 MiB by default): pieces of 61, 4096 and 4099 bytes, and none (the
 * parts read in the mapping), give the same rows, rejects and refresh
 * cache (whose content hash is taken from the pieces read).
 */
#include "testutil.h"
#include "test_ingest_fixture.h"
#include "../src/ingest/ingest_private.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    return testutil_rnd(&rng, n);
}

#define N_ENT 20

typedef struct gen {
    srdi_buf b;        /* the file */
    long line;         /* physical line of the next byte */
    long rows;         /* data records written */
    srdi_buf expect;   /* rejects.csv lines we know must be there */
    long odd_rejected; /* odd_rows written that are rejected */
} gen;

static const char *const eols[3] = {"\n", "\r\n", "\r"};

static void eol(gen *g, int style)
{
    bool after_cr = g->b.len > 0 && g->b.data[g->b.len - 1] == '\r';
    srdi_buf_puts(&g->b, eols[style]);
    if (!(after_cr && style == 0)) g->line++; /* "\r" then "\n" is one CRLF */
}

/* A quoted field of @p breaks line breaks (mixed styles) and "" escapes. */
static void multiline(gen *g, long breaks)
{
    srdi_buf_puts(&g->b, "\"");
    for (long i = 0; i < breaks; i++) {
        if (rnd(5) == 0)
            srdi_buf_puts(&g->b, "引号\"\"在此");
        else
            srdi_buf_puts(&g->b, i % 2 ? "行" : "x,y");
        eol(g, (int)rnd(3));
    }
    srdi_buf_puts(&g->b, "尾\"");
}

/* Cells that the line splitter must hand on exactly as the CSV reader reads them (or leave to it). */
static const char *const odd_rows[] = {
    "  91320500TH00000001 ,CNP1, invention\t,cn,2019,2020,granted,2021, g01n 21/00 ,领域 1",
    "91320500TH00000002,CNP2,发明,CN,2019,,授权,2020,\xE3\x80\x80G01N,\xE3\x80\x80领域2\xE3\x80\x80",
    "91320500TH00000003,CNP3,invention,CN,2019,,granted,2020,G01N,领域\xFF坏",
    "91320500TH00000004,CNP4,invention,CN,2019,,granted,2020,G01N,领域,多一列",
    "91320500TH00000005,CNP5,invention,CN,2019,,granted,2020,G01N",
    "91320500TH00000006,CNP6,invention,CN,19xx,,granted,2020,G01N,领域",
    "91320500TH00000007,CNP7,invention,USA,2019,2020,pending,,G01N,领域",
    "91320500TH00000008,CNP8,utility,WO,2019,2018,granted,2020,G01N,领域",
    "91320500TH00000009,,design,EP,2019,,pending,,G01N,领域",
    "91320500TH00000010,CNP10,INVENTION,ep,2019,2021,Rejected,,G,领域",
    " \t ",
    "91320500TH00000011,CNP11,invention,JP,2019,2021,granted,2022,,",
    "91320500TH00000012, CNP12 ,invention,CN,\t19xx ,,granted,2020,G01N,领域",
};
/* which odd_rows are rejected: bad UTF-8, 11 and 9 fields, years, office, pub < app, no patent_no */
static const bool odd_rejected[] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1};

/* One data row; @p kind: 0 plain, 1 multi-line field, 2 unknown id, 3 bare quote, 4 bad quoting,
   5 one of odd_rows. */
static void row(gen *g, int kind, long breaks)
{
    long start = g->line;
    if (kind == 5) {
        uint32_t k = rnd(sizeof odd_rows / sizeof odd_rows[0]);
        srdi_buf_puts(&g->b, odd_rows[k]);
        g->odd_rejected += odd_rejected[k];
        if (g->b.data[g->b.len - 1] != ' ') g->rows++; /* the blank line is no record */
        eol(g, (int)rnd(3));
        return;
    }
    int e = (int)rnd(N_ENT);
    char id[64];
    if (kind == 2)
        snprintf(id, sizeof id, "NOSUCH%ld", g->rows);
    else
        snprintf(id, sizeof id, "91320500TH%08d", e);
    if (rnd(3) == 0 && kind != 2)
        srdi_buf_printf(&g->b, "\"%s\",", id); /* a quote at the row's start */
    else
        srdi_buf_printf(&g->b, "%s,", id);
    /* kind,office,app_year,pub_year,status,grant_year,ipc: half hold a space (split lines the
       reader's way), half are the common rows the splitter takes straight from the line */
    static const char *const cells[][2] = {
        {"invention,CN,", ",,granted,2024,G01N 21/00,"}, {"invention,CN,", ",,granted,2024,G01N21/00,"},
        {"invention,us,", ",2025,granted,2025,g01n21/00,"}, {"invention,WO,", ",2024,pending,,H01L,"},
        {"invention,,", ",2024,rejected,,H0,"},           {"utility,EP,", ",2023,withdrawn,,B23P21/20,"},
        {"design,CN,", ",,,2024,A01B1/00,"},              {"invention,JP,", ",2023,,,c07d,"},
    };
    uint32_t v = rnd(16) < 8 ? 0 : 1 + rnd(7);
    srdi_buf_printf(&g->b, "CN%ld,%s%d%s", g->rows, cells[v][0], 2015 + (int)rnd(8), cells[v][1]);
    if (kind == 1)
        multiline(g, breaks);
    else if (kind == 3)
        srdi_buf_printf(&g->b, "高5'10\"度%u", rnd(50));
    else if (kind == 4)
        srdi_buf_puts(&g->b, "\"ab\"c");
    else if (rnd(4) == 0)
        srdi_buf_printf(&g->b, "\"领域,%u\"", rnd(30));
    else
        srdi_buf_printf(&g->b, "领域%u", rnd(30));
    if (kind == 2) {
        srdi_buf_printf(&g->expect, "patents.csv,%ld,id,%s,id not found in enterprises.csv\n", start, id);
    }
    g->rows++;
    eol(g, (int)rnd(3));
    if (rnd(20) == 0) eol(g, (int)rnd(3)); /* a blank line */
}

static void make_patents(gen *g, bool parity_breakers)
{
    srdi_buf_puts(&g->b, "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field");
    g->line = 1;
    eol(g, 1);
    for (int i = 0; i < 6000; i++) {
        int r = (int)rnd(100);
        if (i == 3000)
            row(g, 1, 300000); /* hundreds of thousands of breaks */
        else if (r < 8)
            row(g, 1, 1 + rnd(3000)); /* thousands of breaks */
        else if (r < 10)
            row(g, 2, 0);
        else if (parity_breakers && r < 12)
            row(g, 3, 0);
        else if (parity_breakers && r < 13)
            row(g, 4, 0);
        else if (r < 18)
            row(g, 5, 0);
        else
            row(g, 0, 0);
    }
    /* the last row has no line end */
    srdi_buf_printf(&g->b, "91320500TH%08d,CNLAST,invention,CN,2020,,granted,2024,G01N,\"末行\n无行尾\"", 1);
    g->rows++;
}

static void make_enterprises(srdi_buf *b)
{
    srdi_buf_puts(b, "id,name,level,province,city,industry_code\n");
    for (int i = 0; i < N_ENT; i++) srdi_buf_printf(b, "91320500TH%08d,企业%d,national,江苏省,苏州市,3985\n", i, i);
}

typedef fx_result result;

/* enterprises.csv and patents.csv into a fresh folder @p name, read with @p threads threads */
static result load(const char *name, const srdi_buf *ent, const srdi_buf *pat, int threads)
{
    return fx_load(name, ent->data, ent->len, pat->data, pat->len, threads);
}

static void same(const result *a, const result *b, int threads)
{
    const srdi_patents *p = &a->d->patents, *q = &b->d->patents;
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        CHECK_INT(b->d->files[f].read, a->d->files[f].read);
        CHECK_INT(b->d->files[f].accepted, a->d->files[f].accepted);
        CHECK_INT(b->d->files[f].rejected, a->d->files[f].rejected);
    }
    CHECK_INT(q->n_facts, p->n_facts);
    CHECK_INT(q->max_app_year, p->max_app_year);
    CHECK_INT(q->max_grant_year, p->max_grant_year);
    CHECK_INT(q->max_pub_year, p->max_pub_year);
    uint32_t nk = srdi_strpool_count(p->keys);
    CHECK_INT(srdi_strpool_count(q->keys), nk);
    int bad = 0;
    for (uint32_t i = 0; i < nk && i < srdi_strpool_count(q->keys); i++)
        bad += strcmp(srdi_strpool_get(p->keys, i), srdi_strpool_get(q->keys, i)) != 0;
    for (size_t i = 0; i < p->n_facts && i < q->n_facts; i++) {
        const srdi_pfact *x = &p->facts[i], *y = &q->facts[i];
        bad += x->ent != y->ent || x->year != y->year || x->kind != y->kind || x->key != y->key || x->count != y->count;
    }
    if (bad) fprintf(stderr, "%d threads: %d differences\n", threads, bad);
    CHECK_INT(bad, 0);
    CHECK(a->rejects && b->rejects && strcmp(a->rejects, b->rejects) == 0);
}

/* The sanitizer trees (SRDI_TEST_LIGHT=1) run a subset of the thread counts and piece sizes. */
static bool light(void)
{
    const char *l = getenv("SRDI_TEST_LIGHT");
    return l && strcmp(l, "1") == 0;
}

static void run_file(const char *name, bool parity_breakers)
{
    srdi_buf ent = {0};
    gen g = {0};
    make_enterprises(&ent);
    make_patents(&g, parity_breakers);
    CHECK(g.b.len > 2000000);
    static const int threads[] = {1, 2, 3, 4, 8};
    result base = {NULL, NULL};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        if (light() && (threads[t] == 2 || threads[t] == 4)) continue; /* 1, 3 and 8 threads */
        char tname[64];
        snprintf(tname, sizeof tname, "%s-%d", name, threads[t]);
        result r = load(tname, &ent, &g.b, threads[t]);
        CHECK(r.d != NULL);
        if (!r.d) continue;
        if (t == 0) {
            base = r;
            /* one thread is right on its own: every record read, the unknown ids at their lines */
            CHECK_INT(r.d->files[SRDI_FILE_PATENTS].read, g.rows);
            CHECK_INT(r.d->files[SRDI_FILE_PATENTS].read,
                      r.d->files[SRDI_FILE_PATENTS].accepted + r.d->files[SRDI_FILE_PATENTS].rejected);
            int missing = 0;
            for (char *l = g.expect.data; l && *l;) {
                char *nl = strchr(l, '\n');
                *nl = 0;
                if (!strstr(r.rejects, l)) {
                    if (!missing) fprintf(stderr, "missing reject: %s\n", l);
                    missing++;
                }
                *nl = '\n';
                l = nl + 1;
            }
            CHECK_INT(missing, 0);
            long nexp = 0;
            for (const char *c = g.expect.data; c && *c; c++) nexp += *c == '\n';
            CHECK(nexp > 50);
            if (!parity_breakers) CHECK_INT(r.d->files[SRDI_FILE_PATENTS].rejected, nexp + g.odd_rejected);
            continue;
        }
        if (base.d) same(&base, &r, threads[t]);
        srdi_dataset_free(r.d);
        free(r.rejects);
    }
    /* every line through the CSV reader (no line splitter): the very same result */
    srdi_ingest_patents_split = false;
    for (int t = 1; t <= 3; t += 2) {
        char tname[64];
        snprintf(tname, sizeof tname, "%s-reader-%d", name, t);
        result r = load(tname, &ent, &g.b, t);
        CHECK(r.d != NULL);
        if (r.d && base.d) same(&base, &r, t);
        srdi_dataset_free(r.d);
        free(r.rejects);
    }
    srdi_ingest_patents_split = true;
    /* split lines, every one a record for the general row checks: the very same result */
    srdi_ingest_patents_direct = false;
    {
        char tname[64];
        snprintf(tname, sizeof tname, "%s-records-16", name);
        result r = load(tname, &ent, &g.b, 16);
        CHECK(r.d != NULL);
        if (r.d && base.d) same(&base, &r, 16);
        srdi_dataset_free(r.d);
        free(r.rejects);
    }
    srdi_ingest_patents_direct = true;
    srdi_dataset_free(base.d);
    free(base.rejects);
    srdi_buf_free(&ent);
    srdi_buf_free(&g.b);
    srdi_buf_free(&g.expect);
}

/* Load dir's files with the patents refresh cache written to @p cache (its content hash taken in the parse). */
static result load_cached(const char *dir, const char *cache, int threads)
{
    result r = {NULL, NULL};
    char rpath[4200];
    snprintf(rpath, sizeof rpath, "%s.rejects.csv", cache);
    srdi_reference *ref = NULL;
    if (srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) != SRDI_OK) return r;
    srdi_ingest_opts o = {.data_dir = dir,
                          .rejects_path = rpath,
                          .quiet = true,
                          .threads = threads,
                          .patents_cache = cache,
                          .patents_cache_write_only = true};
    long long errs = 0;
    if (srdi_ingest(&o, ref, &r.d, &errs) != SRDI_OK) {
        fprintf(stderr, "%s (%d threads): %s\n", cache, threads, srdi_error_message());
        return r;
    }
    r.rejects = testutil_read_file(rpath, NULL);
    return r;
}

/*
 * The parts read with pread in pieces of several sizes (cuts inside quoted
 * line breaks, CRLFs, UTF-8 sequences and 64-byte blocks) and in the
 * mapping: the same result, and the same cache file after its 32-byte head
 * (the head records the file's times).
 */
static void run_pieces(void)
{
    srdi_buf ent = {0};
    gen g = {0};
    make_enterprises(&ent);
    make_patents(&g, true);
    CHECK(g.b.len > 2 * SRDI_PATCACHE_BLOCK); /* several content blocks */
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s", testutil_tmpdir("threads-pieces"));
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    testutil_write_file(path, ent.data, ent.len);
    snprintf(path, sizeof path, "%s/patents.csv", dir);
    testutil_write_file(path, g.b.data, g.b.len);
    const size_t def = srdi_ingest_read_piece;
    static const size_t pieces[] = {0, 61, 4096, 4099};
    static const int threads[] = {1, 3};
    char base_cache[4200];
    snprintf(base_cache, sizeof base_cache, "%s/cache-default", dir);
    result base = load_cached(dir, base_cache, 2);
    size_t base_len = 0;
    char *base_bytes = testutil_read_file(base_cache, &base_len);
    CHECK(base.d != NULL && base_bytes != NULL && base_len > 32);
    CHECK_INT(base.d ? base.d->files[SRDI_FILE_PATENTS].read : 0, g.rows);
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            if (light() && t != i % 2) continue; /* each piece size once, thread counts alternating */
            char cache[4200];
            snprintf(cache, sizeof cache, "%s/cache-%zu-%d", dir, pieces[i], threads[t]);
            srdi_ingest_read_piece = pieces[i];
            result r = load_cached(dir, cache, threads[t]);
            srdi_ingest_read_piece = def;
            CHECK(r.d != NULL);
            if (r.d && base.d) same(&base, &r, threads[t]);
            size_t len = 0;
            char *bytes = testutil_read_file(cache, &len);
            CHECK(bytes && base_bytes && len == base_len && memcmp(bytes + 32, base_bytes + 32, len - 32) == 0);
            free(bytes);
            srdi_dataset_free(r.d);
            free(r.rejects);
        }
    free(base_bytes);
    srdi_dataset_free(base.d);
    free(base.rejects);
    srdi_buf_free(&ent);
    srdi_buf_free(&g.b);
    srdi_buf_free(&g.expect);
}

int main(void)
{
    srdi_ingest_min_part = 4096; /* cut even small files into as many parts as threads */
    srdi_pfacc_collect_split = 1; /* and collect their facts on two threads */
    run_file("threads-rfc", false);
    run_file("threads-bare", true);
    run_pieces();
    return testutil_finish();
}
