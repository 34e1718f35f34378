/*
 * tests/test_ingest_entpar.c — enterprises.csv read in parallel parts (cut
 * at guessed line ends, parsed on several threads, committed in file order)
 * gives the streamed result row for row: every enterprise column, the
 * counts, rejects.csv byte for byte and the patents rows that name rejected
 * enterprises.  The file mixes plain rows with every kind of bad row,
 * duplicate ids (of accepted and of rejected rows), quoted fields holding
 * thousands of line breaks of mixed styles (so cuts fall inside records),
 * bare and broken quotes, blank lines, a GB18030 variant and a last row
 * without a line end.  And the lines of a large file are counted without
 * holding the file's pages (count_in_place).
 */
#include "testutil.h"
#include "test_ingest_fixture.h"
#include "../src/ingest/cachefile.h"
#include "../src/ingest/ingest_private.h"
#include "srdi/ingest.h"

#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint32_t rnd(uint32_t n)
{
    return testutil_rnd(&rng, n);
}

static const char *const eols[3] = {"\n", "\r\n", "\r"};

/* The numeric cells (36 of them) of a row: staff, rd_staff and the rest. */
static void numbers(srdi_buf *b, int bad)
{
    int staff = 10 + (int)rnd(300), rd = (int)rnd(10);
    srdi_buf_printf(b, "%u.%u,%d,%d", rnd(9000), rnd(10), staff, bad == 1 ? staff + 5 : rd);
    for (int f = 3; f < 36; f++) {
        if (f < 13)
            srdi_buf_printf(b, ",%s", bad == 2 && f == 7 ? "maybe" : rnd(2) ? "1" : rnd(2) ? "0" : "是");
        else if (bad == 3 && f == 20)
            srdi_buf_puts(b, ",-4");
        else if (bad == 4 && f == 22)
            srdi_buf_puts(b, ",1.5");
        else if (rnd(7) == 0)
            srdi_buf_puts(b, ",");
        else if (rnd(11) == 0)
            srdi_buf_printf(b, ",\"1,%03u\"", rnd(1000));
        else
            srdi_buf_printf(b, ",%u", rnd(60));
    }
}

/* enterprises.csv's header row (43 columns) */
#define ENT_HEADER                                                                                                     \
    "id,name,level,province,city,industry_code,reg_capital,staff,rd_staff,hon_little_giant,"                           \
    "hon_high_tech,hon_tech_center,hon_tech_sme,hon_champion,hon_eng_center,hon_gazelle,"                              \
    "hon_unicorn,hon_green_factory,hon_cnas,std_national,std_industry,std_local,std_group,"                            \
    "patents_total,invention_apps,invention_grants,invention_rejected,utility_models,"                                 \
    "software_copyrights,class1_ip,pct_apps,foreign_patents,high_value_inventions,citations_avg,"                      \
    "awarded_patents,standard_patents,inventors,coop_patents,pledged_patents,licensed_patents,"                        \
    "litigated_patents,digital_patents,tech_eval\n"

static void make_enterprises(srdi_buf *b, srdi_buf *ids)
{
    srdi_buf_puts(b, ENT_HEADER);
    static const char *const levels[] = {"provincial", "national", "champion", "国家级", "省级"};
    static const char *const te[] = {"", "intl_advanced", "国内先进", "none", "达到国际水平"};
    for (int i = 0; i < 4000; i++) {
        int kind = (int)rnd(100);
        char id[64];
        if (kind < 3 && i > 10)
            snprintf(id, sizeof id, "91320500EP%08u", rnd((uint32_t)i)); /* a duplicate (or a rejected id) */
        else
            snprintf(id, sizeof id, "91320500EP%08d", i);
        srdi_buf_printf(ids, "%s\n", id);
        const char *eol = eols[rnd(3)];
        if (kind == 3) { /* wrong field count */
            srdi_buf_printf(b, "%s,短行,national,江苏省%s", id, eol);
            continue;
        }
        if (kind == 4) { /* bad quoting */
            srdi_buf_printf(b, "%s,\"ab\"c,national,江苏省,苏州市,3985,", id);
            numbers(b, 0);
            srdi_buf_printf(b, ",%s", eol);
            continue;
        }
        srdi_buf_printf(b, "%s%s%s,",
                        kind == 5     ? ""
                        : rnd(4) == 0 ? " "
                                      : "",
                        kind == 5 ? "" : id, rnd(5) == 0 ? "\t" : "");
        if (kind < 12) { /* a name over many lines */
            srdi_buf_puts(b, "\"企业");
            long breaks = i == 2000 ? 30000 : 1 + rnd(400);
            for (long k = 0; k < breaks; k++) srdi_buf_printf(b, "%s%s", k % 3 ? "行" : "x,\"\"y", eols[rnd(3)]);
            srdi_buf_puts(b, "尾\",");
        } else if (kind == 12)
            srdi_buf_puts(b, "高5'10\"度,");
        else if (kind == 13)
            srdi_buf_puts(b, ",");
        else if (kind == 14)
            srdi_buf_puts(b, "坏\xFF名,");
        else
            srdi_buf_printf(b, "企业%d,", i);
        srdi_buf_printf(b, "%s,%s,%s,%s,", kind == 15 ? "national-ish" : levels[rnd(5)],
                        kind == 16 ? "火星省"
                        : rnd(3)   ? "江苏省"
                                   : "江苏",
                        kind == 17 ? "杭州市" : "苏州市",
                        kind == 18   ? "9999"
                        : kind == 19 ? "A3985"
                        : rnd(2)     ? "3985"
                                     : "C3985");
        numbers(b, kind >= 20 && kind < 25 ? kind - 20 : 0);
        srdi_buf_printf(b, ",%s%s", kind == 25 ? "superb" : te[rnd(5)], eol);
        if (rnd(30) == 0) srdi_buf_puts(b, eols[rnd(3)]); /* a blank line */
    }
    srdi_buf_puts(b, "91320500EP99999999,末行企业,national,江苏省,苏州市,3985,");
    numbers(b, 0);
    srdi_buf_puts(b, ",\"国际\n先进\""); /* no line end; a bad tech_eval over two lines */
}

/* patents rows for a sample of the ids (some rejected, some duplicates): their reasons name enterprises.csv lines */
static void make_patents(srdi_buf *p, const srdi_buf *ids)
{
    srdi_buf_puts(p, "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field\n");
    long k = 0;
    for (const char *l = ids->data; *l; k++) {
        const char *nl = strchr(l, '\n');
        if (k % 7 == 0)
            srdi_buf_printf(p, "%.*s,CN%ld,invention,US,2020,2021,granted,2022,G06F,领域%ld\n", (int)(nl - l), l, k,
                            k % 5);
        l = nl + 1;
    }
    srdi_buf_puts(p, "NOSUCH,CN1,invention,CN,2020,,pending,,G06F,领域\n");
}

typedef fx_result result;

static char *to_gb18030(const srdi_buf *b, size_t *n)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t cap = b->len * 2 + 16, left = cap, inleft = b->len;
    char *out = malloc(cap), *o = out, *in = b->data;
    /* the test file holds bad UTF-8 on purpose: copy such a byte through */
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &o, &left) == (size_t)-1) {
            *o++ = *in++;
            inleft--;
            left--;
        }
    }
    iconv_close(cd);
    *n = (size_t)(o - out);
    return out;
}

static result load(const char *name, const char *ent, size_t ent_n, const srdi_buf *pat, int threads, size_t part)
{
    srdi_ingest_ent_part = part;
    result r = fx_load(name, ent, ent_n, pat->data, pat->len, threads);
    srdi_ingest_ent_part = SRDI_INGEST_ENT_PART;
    return r;
}

static void same(const result *a, const result *b, const char *what)
{
    const srdi_dataset *x = a->d, *y = b->d;
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        CHECK_INT(y->files[f].read, x->files[f].read);
        CHECK_INT(y->files[f].accepted, x->files[f].accepted);
        CHECK_INT(y->files[f].rejected, x->files[f].rejected);
    }
    CHECK_INT(y->n, x->n);
    int bad = 0;
    for (int f = 0; f < SRDI_F_COUNT; f++) bad += y->num[f].width != x->num[f].width; /* widened alike */
    for (size_t r = 0; r < x->n && r < y->n; r++) {
        bad += strcmp(x->id[r], y->id[r]) != 0 || strcmp(x->name[r], y->name[r]) != 0 || x->level[r] != y->level[r] ||
               x->province[r] != y->province[r] || x->city[r] != y->city[r] ||
               strcmp(x->industry[r], y->industry[r]) != 0 || x->tech_eval[r] != y->tech_eval[r];
        for (int f = 0; f < SRDI_F_COUNT; f++) {
            double u = 0, v = 0;
            int hu = srdi_get(x, (srdi_field)f, r, &u), hv = srdi_get(y, (srdi_field)f, r, &v);
            bad += hu != hv || (hu && u != v);
        }
    }
    CHECK_INT(y->patents.n_facts, x->patents.n_facts);
    if (bad) fprintf(stderr, "%s: %d differences\n", what, bad);
    CHECK_INT(bad, 0);
    CHECK(a->rejects && b->rejects && strcmp(a->rejects, b->rejects) == 0);
}

/* Load @p ent as test @p tname on @p threads threads in parts of @p part bytes; its result must be @p base's. */
static void load_same(const result *base, const char *tname, const char *ent, size_t ent_n, const srdi_buf *pat,
                      int threads, size_t part)
{
    result r = load(tname, ent, ent_n, pat, threads, part);
    CHECK(r.d != NULL);
    if (r.d) same(base, &r, tname);
    srdi_dataset_free(r.d);
    free(r.rejects);
}

static void run(const char *name, const char *ent, size_t ent_n, const srdi_buf *pat)
{
    char tname[96];
    snprintf(tname, sizeof tname, "%s-stream", name);
    result base = load(tname, ent, ent_n, pat, 1, (size_t)2 << 20); /* one thread: streamed */
    CHECK(base.d != NULL);
    if (!base.d) return;
    /* the data is what it is meant to be: many rows of each outcome */
    CHECK(base.d->n > 2500);
    CHECK(base.d->files[SRDI_FILE_ENTERPRISES].rejected > 600);
    CHECK(strstr(base.rejects, "duplicate id (first seen on line ") != NULL);
    CHECK(strstr(base.rejects, "enterprise rejected (enterprises.csv line ") != NULL);
    CHECK(strstr(base.rejects, "unterminated quoted field") == NULL);
    CHECK(strstr(base.rejects, "expected 43 fields, found 4") != NULL);
    static const int threads[] = {2, 3, 8};
    static const size_t parts[] = {4096, 65536, 300};
    /* the sanitizer trees (SRDI_TEST_LIGHT=1) take the diagonal: each thread
       count and each part size once; the plain tree every pair */
    const char *light = getenv("SRDI_TEST_LIGHT");
    const bool all = !(light && strcmp(light, "1") == 0);
    for (size_t t = 0; t < 3; t++) {
        for (size_t k = 0; k < 3; k++) {
            if (!all && k != t) continue;
            /* 300-byte parts (~4,000 of them) cost the sanitizers ~25 s: they take 1 KiB parts (~1,200;
               still cut inside the records of thousands of line breaks) */
            size_t part = !all && parts[k] == 300 ? 1024 : parts[k];
            snprintf(tname, sizeof tname, "%s-%d-%zu", name, threads[t], part);
            load_same(&base, tname, ent, ent_n, pat, threads[t], part);
            if (k != t) continue;
            /* the body cut apart from the file's pieces (its lines counted, the file hashed apart): the same */
            snprintf(tname, sizeof tname, "%s-%d-%zu-cut", name, threads[t], part);
            srdi_ingest_ent_pieces = false;
            load_same(&base, tname, ent, ent_n, pat, threads[t], part);
            srdi_ingest_ent_pieces = true;
        }
    }
    srdi_dataset_free(base.d);
    free(base.rejects);
}

#if !defined(SRDI_TEST_SANITIZED) && !defined(__SANITIZE_ADDRESS__) /* count_in_place measures the peak */
/* The value (KiB) of line @p key of /proc/self/status, -1 when there is none. */
static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') v = atol(line + kl + 1);
    if (f) fclose(f);
    return v;
}

#define ENT_COUNT_ROWS 60000

/* Read folder @p dir on two threads; the peak RSS during the read beyond the RSS after it (KiB), -1 on failure. */
static long read_beyond(const char *dir)
{
    FILE *cr = fopen("/proc/self/clear_refs", "w"); /* the peak from here */
    if (!cr) return -1;
    fputs("5", cr);
    fclose(cr);
    srdi_dataset *d = NULL;
    long long errs = 0;
    CHECK_INT(fx_ingest(dir, NULL, 2, NULL, &d, &errs), SRDI_OK);
    long hwm = status_kb("VmHWM"), rss = status_kb("VmRSS");
    CHECK(d && d->n == ENT_COUNT_ROWS);
    srdi_dataset_free(d);
    return hwm < 0 || rss < 0 ? -1 : hwm - rss;
}
#endif

/*
 * 60,000 rows (~36 MB) of enterprises.csv read on two threads, the body cut
 * into the file's pieces (no count of its lines: the columns reserved for
 * the first part's rows a byte), then cut apart with its lines counted with
 * pread a piece at a time, then counted in the mapping
 * (srdi_ingest_ent_count_piece 0, as it was): counting in the mapping mapped
 * every page of the file at once while the parsers were at its start, so
 * the whole file stood in the process at the read's peak (at 4x the national
 * data 109 MB, the peak of the build).  Read either of the first two ways,
 * the peak beyond what the read keeps is less by more than half the file.
 */
static void count_in_place(void)
{
#if defined(SRDI_TEST_SANITIZED) || defined(__SANITIZE_ADDRESS__)
    return; /* the quarantine, not the reader, sets the peak */
#else
    srdi_buf nums = {0};
    numbers(&nums, 0);
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s", testutil_tmpdir("entpar-count"));
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    FILE *f = fopen(path, "w"); /* row by row: no copy of the file in this process */
    CHECK(f != NULL);
    if (!f) return;
    fputs(ENT_HEADER, f);
    /* names padded with 500 blanks (trimmed): the file is large beside what is kept of it */
    for (int i = 0; i < ENT_COUNT_ROWS; i++)
        fprintf(f, "91320500CT%08d,企业%d%500s,%s,江苏省,苏州市,3985,%s,\n", i, i, "", i % 9 ? "provincial" : "national",
                nums.data);
    long file_kb = ftell(f) / 1024;
    fclose(f);
    srdi_buf_free(&nums);
    (void)read_beyond(dir); /* the process's first read: its allocator's own growth (~16 MB) is no reader's */
    long pieces = read_beyond(dir);
    srdi_ingest_ent_pieces = false;
    long piece = read_beyond(dir);
    srdi_ingest_ent_count_piece = 0;
    long mapped = read_beyond(dir);
    srdi_ingest_ent_count_piece = (size_t)1 << 20;
    srdi_ingest_ent_pieces = true;
    fprintf(stderr,
            "count_in_place: enterprises.csv %ld KiB; the read's peak beyond what it keeps: %ld KiB in pieces, %ld "
            "cut apart (%ld counted in the mapping)\n",
            file_kb, pieces, piece, mapped);
    if (pieces < 0 || piece < 0 || mapped < 0) return; /* the peak cannot be reset here: nothing to compare */
    CHECK(pieces + file_kb / 2 < mapped);
    CHECK(piece + file_kb / 2 < mapped);
#endif
}

/*
 * The refresh cache's key of the file read in parallel parts: cut into the
 * file's pieces, whose hashes the parse takes (@p pieces), or cut apart and
 * hashed apart — its lines counted with pread or (srdi_ingest_ent_count_piece
 * 0) in the mapping — and a GB18030 file, whose converted text is cut apart:
 * in each, the key that srdi_entcache_content's hash of the file's bytes
 * gives, and the refresh's way of hashing them (srdi_entcache_content_fd).  A key from other bytes would have every refresh parse the
 * file again instead of reusing its rows.
 */
static void cache_key(const char *ent, size_t ent_n, int enc, bool pieces, size_t count_piece)
{
    char dir[4096], path[4200], cpath[4200], rpath[4200];
    snprintf(dir, sizeof dir, "%s",
             testutil_tmpdir(enc == SRDI_ENC_GB18030 ? "entpar-key-gb18030"
                             : pieces                ? "entpar-key-pieces"
                             : count_piece           ? "entpar-key"
                                                     : "entpar-key-mapped"));
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    snprintf(cpath, sizeof cpath, "%s/.srdi-enterprises", dir);
    snprintf(rpath, sizeof rpath, "%s/rejects.csv", dir);
    testutil_write_file(path, ent, ent_n);
    srdi_reference *ref = NULL;
    CHECK_INT(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref), SRDI_OK);
    srdi_ingest_opts o = {
        .data_dir = dir, .rejects_path = rpath, .quiet = true, .threads = 2, .enterprises_cache = cpath};
    srdi_dataset *d = NULL;
    long long errs = 0;
    srdi_ingest_ent_part = 65536; /* (the pieces too: the content hash below is taken with it) */
    srdi_ingest_ent_count_piece = count_piece;
    srdi_ingest_ent_pieces = pieces;
    CHECK_INT(srdi_ingest(&o, ref, &d, &errs), SRDI_OK);
    srdi_ingest_ent_count_piece = (size_t)1 << 20;
    srdi_ingest_ent_pieces = true;
    size_t cn = 0;
    char *cache = testutil_read_file(cpath, &cn);
    CHECK(d != NULL && cache != NULL && cn > SRDI_CACHE_HEAD + 8);
    if (d && cache && cn > SRDI_CACHE_HEAD + 8) {
        CHECK(d->n > 2500); /* read in parts: the file is large enough */
        CHECK_STR(d->files[SRDI_FILE_ENTERPRISES].encoding, enc == SRDI_ENC_GB18030 ? "gb18030" : "utf-8");
        uint64_t key, want = srdi_entcache_key(d, srdi_entcache_content(ent, ent_n, false), ent_n, enc, ',', 0);
        memcpy(&key, cache + SRDI_CACHE_HEAD, 8);
        if (key != want)
            fprintf(stderr, "cache_key (%s, count piece %zu): key %016llx, want %016llx\n", pieces ? "pieces" : "cut",
                    count_piece, (unsigned long long)key, (unsigned long long)want);
        CHECK(key == want);
        /* the pieces of 64 KiB hashed in the refresh's way (pread, two threads): the same hash */
        uint64_t h = 0;
        int fd = open(path, O_RDONLY);
        CHECK(fd >= 0 && srdi_entcache_content_fd(fd, ent, ent_n, 2, &h, NULL));
        if (fd >= 0) close(fd);
        CHECK(srdi_entcache_key(d, h, ent_n, enc, ',', 0) == want);
    }
    srdi_ingest_ent_part = SRDI_INGEST_ENT_PART;
    free(cache);
    srdi_dataset_free(d);
}

/*
 * The columns are reserved for as many rows a byte as the first window holds
 * (and 2% more): a file whose first rows are long (names padded with 2,000
 * blanks, trimmed) and the rest short holds ~8x the rows of that guess, so
 * the reserve grows as the parts come — and the rows are the streamed ones,
 * on 2 and 8 threads.
 */
static void reserve_grows(void)
{
    srdi_buf ent = {0}, nums = {0}, pat = {0};
    srdi_buf_puts(&ent, ENT_HEADER);
    srdi_buf_puts(&pat, "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field\n");
    for (int i = 0; i < 6000; i++) {
        srdi_buf_reset(&nums);
        numbers(&nums, 0);
        srdi_buf_printf(&ent, "91320500RG%08d,企业%d%*s,provincial,江苏省,苏州市,3985,%s,\n", i, i, i < 40 ? 2000 : 0,
                        "", nums.data);
    }
    result base = load("entpar-grow-stream", ent.data, ent.len, &pat, 1, (size_t)2 << 20);
    CHECK(base.d != NULL && base.d->n == 6000);
    for (int t = 2; base.d && t <= 8; t += 6) {
        char tname[64];
        snprintf(tname, sizeof tname, "entpar-grow-%d", t);
        load_same(&base, tname, ent.data, ent.len, &pat, t, 65536); /* the first part: ~30 rows in 64 KiB */
    }
    srdi_dataset_free(base.d);
    free(base.rejects);
    srdi_buf_free(&ent);
    srdi_buf_free(&nums);
    srdi_buf_free(&pat);
}

/*
 * The columns start at the widths the first part's rows need (width_hints),
 * except the cells of a row whose id repeats: the repeat is a duplicate,
 * rejected, and its staff (70,000: 4-byte cells) is in no column.  Read in
 * parts, staff is 2-byte cells (350 in the first part) as when streamed,
 * rd_staff (300) too, hon_high_tech (0 and 1) 2-bit cells — and a staff of
 * 70,000 after the first part widens it then, as streamed.
 */
static void hint_widths(void)
{
    srdi_buf ent = {0}, pat = {0};
    srdi_buf_puts(&ent, ENT_HEADER);
    srdi_buf_puts(&pat, "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field\n");
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 3000; i++) {
            int dup = i == 5, late = pass == 1 && i == 2000; /* row 5 repeats row 2's id */
            srdi_buf_printf(&ent, "91320500HW%08d,企业%d,provincial,江苏省,苏州市,3985,100,%d,%d,0,%d",
                            dup ? 2 : pass * 3000 + i, i, dup || late ? 70000 : i == 7 ? 350 : 20 + i % 100, i == 7 ? 300 : 1,
                            i % 2);
            for (int k = 0; k < 31; k++) srdi_buf_puts(&ent, ",1");
            srdi_buf_puts(&ent, ",\n");
        }
        char name[64];
        snprintf(name, sizeof name, "entpar-hint-%d", pass);
        result base = load(name, ent.data, ent.len, &pat, 1, (size_t)2 << 20);
        snprintf(name, sizeof name, "entpar-hint-%d-par", pass);
        result r = load(name, ent.data, ent.len, &pat, 2, 16384);
        CHECK(base.d && r.d);
        if (base.d && r.d) {
            CHECK_INT(base.d->n, pass ? 5998 : 2999); /* the duplicate rejected */
            CHECK_INT(base.d->num[SRDI_F_STAFF].width, pass ? 4 : 2);
            CHECK_INT(base.d->num[SRDI_F_RD_STAFF].width, 2);
            CHECK_INT(base.d->num[SRDI_F_HON_HIGH_TECH].width, SRDI_ECOL_2BIT);
            same(&base, &r, name);
        }
        srdi_dataset_free(base.d);
        srdi_dataset_free(r.d);
        free(base.rejects);
        free(r.rejects);
    }
    srdi_buf_free(&ent);
    srdi_buf_free(&pat);
}

int main(void)
{
    hint_widths();
    reserve_grows();
    count_in_place();
    srdi_buf ent = {0}, ids = {0}, pat = {0};
    make_enterprises(&ent, &ids);
    make_patents(&pat, &ids);
    CHECK(ent.len > 1000000);
    cache_key(ent.data, ent.len, SRDI_ENC_UTF8, true, (size_t)1 << 20);
    cache_key(ent.data, ent.len, SRDI_ENC_UTF8, false, (size_t)1 << 20);
    cache_key(ent.data, ent.len, SRDI_ENC_UTF8, false, 0);
    run("entpar-utf8", ent.data, ent.len, &pat);
    size_t gn = 0;
    char *gb = to_gb18030(&ent, &gn);
    /* converted text is cut apart (not in the file's mapping): the file hashed apart, its raw bytes' pieces */
    cache_key(gb, gn, SRDI_ENC_GB18030, true, (size_t)1 << 20);
    run("entpar-gb18030", gb, gn, &pat);
    free(gb);
    srdi_dataset_arena_min_rows = 1; /* every column's cells in the dataset's range of 2 MiB pages: the same rows */
    run("entpar-range", ent.data, ent.len, &pat);
    srdi_dataset_arena_min_rows = 16384;
    srdi_buf_free(&ent);
    srdi_buf_free(&ids);
    srdi_buf_free(&pat);
    return testutil_finish();
}
