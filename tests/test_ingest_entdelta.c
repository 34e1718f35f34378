/*
 * tests/test_ingest_entdelta.c — a refresh after an edit of enterprises.csv
 * (srdi_ingest_ent_delta): the enterprises cache's rows are reused and only
 * the changed part of the body is parsed again when that is safe, and the
 * dataset and rejects.csv are then those of a cold reading of the new file
 * (every column of every row, the counts); when it is not safe (an id or a
 * city changed, a row became a reject, a reject was near, rows were added or
 * removed, a quote left open, the header changed) the body is parsed whole
 * and the result is again the cold one.  Each case starts from a cache
 * written by a cold reading of its base file, in parts of 4 KiB.
 */
#include "testutil.h"
#include "test_ingest_fixture.h"
#include "../src/ingest/ingest_private.h"
#include "srdi/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    return testutil_rnd(&rng, n);
}

#define NROWS 2000
static const char *const HEADER =
    "id,name,level,province,city,industry_code,reg_capital,staff,rd_staff,hon_little_giant,hon_high_tech,"
    "hon_tech_center,hon_tech_sme,hon_champion,hon_eng_center,hon_gazelle,hon_unicorn,hon_green_factory,hon_cnas,"
    "std_national,std_industry,std_local,std_group,patents_total,invention_apps,invention_grants,invention_rejected,"
    "utility_models,software_copyrights,class1_ip,pct_apps,foreign_patents,high_value_inventions,citations_avg,"
    "awarded_patents,standard_patents,inventors,coop_patents,pledged_patents,licensed_patents,litigated_patents,"
    "digital_patents,tech_eval\n";

/*
 * Row @p i of the base file, without its line end; row 1500 is rejected (a
 * bad level), row 1900 too (the id of row 879: its reason names row 879's
 * line).
 */
static void row(srdi_buf *b, int i)
{
    static const char *const cities[] = {"苏州市", "南京市", "无锡市"};
    static const char *const te[] = {"", "intl_advanced", "domestic_level"};
    srdi_buf_printf(b, "91320500ED%08d,", i == 1900 ? 879 : i);
    if (i % 97 == 5)
        srdi_buf_printf(b, "\"企业,%d\n第二行\",", i); /* a name over two lines */
    else
        srdi_buf_printf(b, "企业%d,", i);
    srdi_buf_printf(b, "%s,江苏省,%s,3985,%u.%u,%u,%u", i == 1500 ? "national-ish" : rnd(3) ? "provincial" : "national",
                    cities[rnd(3)], rnd(9000), rnd(10), 10 + rnd(300), rnd(10));
    for (int f = 3; f < 36; f++) {
        if (f < 13)
            srdi_buf_printf(b, ",%s", rnd(2) ? "1" : "0");
        else if (f == 27)
            srdi_buf_printf(b, ",%u.%02u", rnd(9), rnd(100));
        else if (rnd(7) == 0)
            srdi_buf_puts(b, ",");
        else
            srdi_buf_printf(b, ",%u", rnd(60));
    }
    srdi_buf_printf(b, ",%s", te[rnd(3)]);
}

/* The base file: its rows, each its own line (lines[i] holds row i without its line end). */
static char *lines[NROWS];
static void make_rows(void)
{
    for (int i = 0; i < NROWS; i++) {
        srdi_buf b = {0};
        row(&b, i);
        lines[i] = b.data;
    }
}

/* The file of the rows with row @p at replaced by @p with (NULL: as it is; "" with @p drop: removed). */
static void file_of(srdi_buf *f, int at, const char *with, bool drop, bool last_eol)
{
    f->len = 0;
    srdi_buf_puts(f, HEADER);
    for (int i = 0; i < NROWS; i++) {
        if (i == at && drop) continue;
        srdi_buf_puts(f, i == at && with ? with : lines[i]);
        if (i + 1 < NROWS || last_eol) srdi_buf_puts(f, "\n");
    }
}

typedef struct got {
    srdi_dataset *d;
    char *rejects;
} got;

/* srdi_ingest of @p dir: 2 threads and the enterprises cache in @p dir (cache false: 1 thread, no cache). */
static got read_dir(const char *dir, bool cache)
{
    char cpath[4200], rpath[4200];
    snprintf(cpath, sizeof cpath, "%s/.srdi-enterprises", dir);
    snprintf(rpath, sizeof rpath, "%s/rejects.csv", dir);
    srdi_reference *ref = NULL;
    CHECK_INT(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref), SRDI_OK);
    srdi_ingest_opts o = {.data_dir = dir,
                          .rejects_path = rpath,
                          .quiet = true,
                          .threads = cache ? 2 : 1,
                          .enterprises_cache = cache ? cpath : NULL};
    got g = {0};
    long long errs = 0;
    srdi_ingest_ent_part = 4096;
    srdi_status st = srdi_ingest(&o, ref, &g.d, &errs);
    srdi_ingest_ent_part = SRDI_INGEST_ENT_PART;
    if (st != SRDI_OK) fprintf(stderr, "ingest %s: %s\n", dir, srdi_error_message());
    CHECK_INT(st, SRDI_OK);
    g.rejects = fx_rejects(dir);
    return g;
}

/* Rows, values and rejects alike (a column's width may differ: a value reads back the same). */
static int differences(const got *a, const got *b)
{
    const srdi_dataset *x = a->d, *y = b->d;
    if (!x || !y) return 1;
    int bad = x->n != y->n;
    const srdi_file_stats *p = &x->files[SRDI_FILE_ENTERPRISES], *q = &y->files[SRDI_FILE_ENTERPRISES];
    bad += p->read != q->read || p->accepted != q->accepted || p->rejected != q->rejected;
    for (size_t r = 0; r < x->n && r < y->n; r++) {
        bad += strcmp(x->id[r], y->id[r]) != 0 || strcmp(x->name[r], y->name[r]) != 0 || x->level[r] != y->level[r] ||
               x->province[r] != y->province[r] ||
               strcmp(srdi_strpool_get(x->cities, x->city[r]), srdi_strpool_get(y->cities, y->city[r])) != 0 ||
               strcmp(x->industry[r], y->industry[r]) != 0 || x->tech_eval[r] != y->tech_eval[r];
        for (int f = 0; f < SRDI_F_COUNT; f++) {
            double u = 0, v = 0;
            int hu = srdi_get(x, (srdi_field)f, r, &u), hv = srdi_get(y, (srdi_field)f, r, &v);
            bad += hu != hv || (hu && u != v);
        }
    }
    bad += !a->rejects || !b->rejects || strcmp(a->rejects, b->rejects) != 0;
    return bad;
}

static void got_free(got *g)
{
    srdi_dataset_free(g->d);
    free(g->rejects);
}

/*
 * One case: the cache of @p base (a cold reading), then @p edited read with
 * it — patched when @p patched (that many rows parsed again at most), else
 * parsed whole — and the result that of a cold reading of @p edited.  With
 * @p again, a second edit read after the first (the patched cache's table).
 */
static void check_case(const char *name, const srdi_buf *base, const srdi_buf *edited, bool patched,
                       const srdi_buf *again, bool patched_again)
{
    char dir[4096], cold[4200], path[4200];
    snprintf(dir, sizeof dir, "%s", testutil_tmpdir(name));
    snprintf(cold, sizeof cold, "%s/cold", dir);
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    testutil_write_file(path, base->data, base->len);
    got g0 = read_dir(dir, true);
    got_free(&g0);
    for (int step = 0; step < (again ? 2 : 1); step++) {
        const srdi_buf *f = step ? again : edited;
        bool want = step ? patched_again : patched;
        testutil_write_file(path, f->data, f->len);
        got g = read_dir(dir, true);
        long long rows = srdi_ingest_ent_delta_rows;
        mkdir(cold, 0777);
        char cpath[4400];
        snprintf(cpath, sizeof cpath, "%s/enterprises.csv", cold);
        testutil_write_file(cpath, f->data, f->len);
        got c = read_dir(cold, false);
        int bad = differences(&g, &c);
        if (bad || (rows >= 0) != want)
            fprintf(stderr, "%s (step %d): %d differences; %lld rows parsed again (%s wanted)\n", name, step, bad, rows,
                    want ? "a patch" : "none");
        CHECK_INT(bad, 0);
        CHECK(want ? rows > 0 && rows < NROWS / 4 : rows == -1);
        got_free(&g);
        got_free(&c);
    }
}

/*
 * The rows' content hashes (srdi_dataset_content_hashes): a reading that
 * writes the cache computes them; a reading served whole from the cache is
 * given them with its rows, and they are the very hashes of the rows
 * written; a patched reading is given those of the rows it loaded and
 * computes those of what the patch changed (@p edited: a staff value;
 * @p renamed: a name too): every one the hash of its rows (computed all
 * again: the same).
 */
static void check_hashes(const srdi_buf *base, const srdi_buf *edited, const srdi_buf *renamed)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s", testutil_tmpdir("entdelta-hashes"));
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    testutil_write_file(path, base->data, base->len);
    uint64_t f0, c0[SRDI_F_COUNT], f1, c1[SRDI_F_COUNT], f2, c2[SRDI_F_COUNT];
    got g0 = read_dir(dir, true); /* the cache written */
    CHECK(!srdi_dataset_content_hashes(g0.d, &f0, c0));
    got g1 = read_dir(dir, true); /* a hit */
    CHECK(srdi_dataset_content_hashes(g1.d, &f1, c1));
    CHECK(f1 == f0 && memcmp(c1, c0, sizeof c0) == 0);
    /* the given hashes are those of the rows: the rows changed (a cell set), they are computed */
    CHECK_INT(srdi_dataset_set(g1.d, 3, SRDI_F_STAFF, 123457), SRDI_OK);
    CHECK(!srdi_dataset_content_hashes(g1.d, &f2, c2));
    CHECK(c2[SRDI_F_STAFF] != c0[SRDI_F_STAFF] && c2[SRDI_F_RD_STAFF] == c0[SRDI_F_RD_STAFF] && f2 == f0);
    got_free(&g1);
    testutil_write_file(path, edited->data, edited->len);
    got g2 = read_dir(dir, true); /* patched: a staff value */
    CHECK(srdi_ingest_ent_delta_rows > 0);
    CHECK(!srdi_dataset_content_hashes(g2.d, &f2, c2));
    CHECK(c2[SRDI_F_STAFF] != c0[SRDI_F_STAFF] && f2 == f0 && c2[SRDI_F_RD_STAFF] == c0[SRDI_F_RD_STAFF]);
    uint64_t fa, ca[SRDI_F_COUNT];
    srdi_dataset_content_hashes_drop(g2.d);
    CHECK(!srdi_dataset_content_hashes(g2.d, &fa, ca));
    CHECK(fa == f2 && memcmp(ca, c2, sizeof c2) == 0);
    got_free(&g2);
    got g3 = read_dir(dir, true); /* the patched cache: a hit, given the patched rows' hashes */
    CHECK(srdi_dataset_content_hashes(g3.d, &f1, c1));
    CHECK(f1 == f2 && memcmp(c1, c2, sizeof c2) == 0);
    got_free(&g3);
    testutil_write_file(path, renamed->data, renamed->len);
    got g4 = read_dir(dir, true); /* patched: the name too (a fixed column) */
    CHECK(srdi_ingest_ent_delta_rows > 0);
    CHECK(!srdi_dataset_content_hashes(g4.d, &f1, c1));
    CHECK(f1 != f2);
    srdi_dataset_content_hashes_drop(g4.d);
    CHECK(!srdi_dataset_content_hashes(g4.d, &fa, ca));
    CHECK(fa == f1 && memcmp(ca, c1, sizeof c1) == 0);
    got_free(&g4);
    got_free(&g0);
}

/* lines[i] with field @p field (0-based) replaced by @p value, into @p b. */
static const char *with_field(srdi_buf *b, int i, int field, const char *value)
{
    b->len = 0;
    const char *s = lines[i];
    for (int k = 0;; k++) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (k) srdi_buf_puts(b, ",");
        if (k == field)
            srdi_buf_puts(b, value);
        else
            srdi_buf_append(b, s, n);
        s = e ? e + 1 : s + n;
        if (!e) break;
    }
    return b->data;
}

int main(void)
{
    make_rows();
    srdi_buf base = {0}, ed = {0}, ed2 = {0}, r = {0};
    file_of(&base, -1, NULL, false, true);
    CHECK(base.len > 40 * 4096); /* many parts */

    /* a value, wider than its column held (staff 70000: 4 bytes a cell) */
    file_of(&ed, 800, with_field(&r, 800, 7, "70000"), false, true);
    check_case("entdelta-staff", &base, &ed, true, NULL, false);
    {
        /* a staff value of the same length: the parts are where the file's pieces are, so every part but the
           first (its piece holds the header too) is compared by the hash the content hash took, none read */
        const char *s = lines[800];
        for (int k = 0; k < 7; k++) s = strchr(s, ',') + 1;
        size_t len = (size_t)(strchr(s, ',') - s);
        char v[32];
        memset(v, s[0] == '9' ? '8' : '9', len);
        v[len] = 0;
        file_of(&ed, 800, with_field(&r, 800, 7, v), false, true);
        CHECK(ed.len == base.len);
        size_t reads = srdi_ingest_ent_delta_reads;
        check_case("entdelta-same-length", &base, &ed, true, NULL, false);
        CHECK(srdi_ingest_ent_delta_reads - reads <= 1);
    }
    {
        srdi_buf ren = {0}, r2 = {0};
        char *save = lines[800];
        lines[800] = strdup(with_field(&r2, 800, 7, "70000"));
        file_of(&ren, 800, with_field(&r, 800, 1, "改名后的企业"), false, true);
        free(lines[800]);
        lines[800] = save;
        check_hashes(&base, &ed, &ren);
        srdi_buf_free(&ren);
        srdi_buf_free(&r2);
    }
    /* several values of one row: registered capital emptied, the name, the level, a flag, the tech evaluation;
       then a second edit elsewhere, read with the table the patch wrote */
    {
        char *save = lines[800];
        static const struct { int field; const char *value; } edits[] = {
            {6, ""}, {1, "新名称企业"}, {2, "national"}, {12, "0"}, {42, "intl_level"}};
        for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
            char *next = strdup(with_field(&r, 800, edits[k].field, edits[k].value));
            if (lines[800] != save) free(lines[800]);
            lines[800] = next;
        }
        file_of(&ed, -1, NULL, false, true);
        file_of(&ed2, 1200, with_field(&r, 1200, 8, "0"), false, true);
        free(lines[800]);
        lines[800] = save;
        check_case("entdelta-row", &base, &ed, true, &ed2, true);
    }
    /* the first row, and the last one (no line end after it) */
    file_of(&ed, 0, with_field(&r, 0, 7, "99999"), false, true);
    check_case("entdelta-first", &base, &ed, true, NULL, false);
    file_of(&base, -1, NULL, false, false);
    file_of(&ed, NROWS - 1, with_field(&r, NROWS - 1, 7, "99999"), false, false);
    check_case("entdelta-last", &base, &ed, true, NULL, false);
    file_of(&base, -1, NULL, false, true);

    /* parsed whole: an id, a city, a row that becomes a reject, a row near a reject, a row added or removed */
    file_of(&ed, 800, with_field(&r, 800, 0, "91320500ED99999999"), false, true);
    check_case("entdelta-id", &base, &ed, false, NULL, false);
    file_of(&ed, 800, with_field(&r, 800, 4, strstr(lines[800], "苏州市") ? "南京市" : "苏州市"), false, true);
    check_case("entdelta-city", &base, &ed, false, NULL, false);
    file_of(&ed, 800, with_field(&r, 800, 7, "many"), false, true);
    check_case("entdelta-reject", &base, &ed, false, NULL, false);
    file_of(&ed, 1501, with_field(&r, 1501, 7, "5"), false, true);
    check_case("entdelta-near-reject", &base, &ed, false, NULL, false);
    file_of(&ed, 800, "", true, true);
    check_case("entdelta-removed", &base, &ed, false, NULL, false);
    {
        srdi_buf t = {0};
        srdi_buf_printf(&t, "%s\n%s", lines[800], with_field(&r, 800, 0, "91320500ED77777777"));
        file_of(&ed, 800, t.data, false, true);
        srdi_buf_free(&t);
    }
    check_case("entdelta-added", &base, &ed, false, NULL, false);
    /* row 878's name on one line, row 879's on two: the same lines in all, but row 879 a line earlier (and the
       duplicate of row 1900 says so) */
    {
        char *save878 = lines[878], *save879 = lines[879];
        r.len = 0; /* the quoted name (it holds a comma) replaced whole */
        srdi_buf_printf(&r, "91320500ED00000878,企业878%s", strstr(save878, "第二行\"") + strlen("第二行\""));
        lines[878] = strdup(r.data);
        lines[879] = strdup(with_field(&r, 879, 1, "\"企业879\n续\""));
        file_of(&ed, -1, NULL, false, true);
        free(lines[878]);
        free(lines[879]);
        lines[878] = save878;
        lines[879] = save879;
        CHECK(strstr(lines[878], "\"企业,878\n") != NULL); /* the row of two lines it is meant to be */
        check_case("entdelta-line-shift", &base, &ed, false, NULL, false);
    }
    /* a quote left open: the rest of the file is one field */
    file_of(&ed, 800, with_field(&r, 800, 1, "\"企业800"), false, true);
    check_case("entdelta-open-quote", &base, &ed, false, NULL, false);
    /* another header (columns swapped), the same rows */
    {
        srdi_buf t = {0};
        srdi_buf_puts(&t, "name,id");
        srdi_buf_puts(&t, strchr(strchr(HEADER, ',') + 1, ','));
        for (int i = 0; i < NROWS; i++) {
            const char *c1 = strchr(lines[i], ',');
            const char *name = c1 + 1, *c2 = strstr(name, lines[i][c1 - lines[i] + 1] == '"' ? "\"," : ",");
            if (*name == '"') c2++;
            srdi_buf_append(&t, name, (size_t)(c2 - name));
            srdi_buf_puts(&t, ",");
            srdi_buf_append(&t, lines[i], (size_t)(c1 - lines[i]));
            srdi_buf_puts(&t, c2);
            srdi_buf_puts(&t, "\n");
        }
        check_case("entdelta-header", &base, &t, false, NULL, false);
        srdi_buf_free(&t);
    }
    for (int i = 0; i < NROWS; i++) free(lines[i]);
    srdi_buf_free(&base);
    srdi_buf_free(&ed);
    srdi_buf_free(&ed2);
    srdi_buf_free(&r);
    return testutil_finish();
}
