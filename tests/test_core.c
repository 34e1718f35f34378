/* test_core.c — util, hashing, the sealed cache file, params and reference data basics. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "srdi/params.h"
#include "srdi/hash.h"
#include "srdi/reference.h"
#include "srdi/sealed.h"
#include "srdi/util.h"
#include "testutil.h"

static void test_util(void)
{
    srdi_buf b = {0};
    srdi_buf_puts(&b, "ab");
    srdi_buf_printf(&b, "%d-%s", 42, "x");
    CHECK_STR(b.data, "ab42-x");
    CHECK_INT(b.len, 6);
    srdi_buf_reset(&b);
    CHECK_STR(b.data, "");
    srdi_buf_free(&b);

    srdi_strpool *p = srdi_strpool_new();
    CHECK_INT(srdi_strpool_intern(p, "苏州市"), 0);
    CHECK_INT(srdi_strpool_intern(p, "北京市"), 1);
    CHECK_INT(srdi_strpool_intern(p, "苏州市"), 0);
    char key[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        srdi_strpool_intern(p, key);
    }
    CHECK_INT(srdi_strpool_find(p, "k999"), 1001);
    CHECK_INT(srdi_strpool_find(p, "nope"), UINT32_MAX);
    CHECK_STR(srdi_strpool_get(p, 1), "北京市");
    CHECK_INT(srdi_strpool_count(p), 1002);
    srdi_strpool_free(p);

    CHECK_INT(srdi_utf8_len("江苏ab"), 4);
    CHECK_INT(srdi_utf8_width("江苏ab"), 6);
    CHECK_INT(srdi_utf8_width("１２"), 4);
    {
        /* GB/T 15834: no space between Han characters (or “ ”) and digits / Latin letters; others stay */
        char sp[] = "2026 年 TOP10 行业，“小巨人” 317 家 占 10.57% ，A B = 1 2";
        srdi_cjk_spacing(sp, 0, 0);
        CHECK_STR(sp, "2026年TOP10行业，“小巨人”317家 占10.57%，A B = 1 2"); /* Han–Han spaces stay */
        char edge[] = " 家 ";
        srdi_cjk_spacing(edge, '7', 'A'); /* the spaces at the ends face the text around it */
        CHECK_STR(edge, "家");
    }
    const char *s = "\xE6\xB1\x9F";
    CHECK_INT(srdi_utf8_next(&s), 0x6C5F);
    const char *bad = "\xE6\x41";
    CHECK_INT(srdi_utf8_next(&bad), -1);

    char small[4];
    CHECK_INT(srdi_strlcpy(small, "abcdef", sizeof small), 6);
    CHECK_STR(small, "abc");

    /* atomic output: nothing at the final path until commit; abort leaves nothing */
    const char *dir = testutil_tmpdir("core");
    char path[4200];
    snprintf(path, sizeof path, "%s/a/b/out.txt", dir);
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    CHECK(srdi_mkdirs(sub) == SRDI_OK);
    srdi_atomic a;
    CHECK(srdi_atomic_open(&a, path) == SRDI_OK);
    fputs("hello", a.fp);
    CHECK(access(path, F_OK) != 0);
    CHECK(srdi_atomic_commit(&a) == SRDI_OK);
    size_t len = 0;
    char *txt = testutil_read_file(path, &len);
    CHECK_STR(txt, "hello");
    free(txt);
    snprintf(path, sizeof path, "%s/aborted.txt", dir);
    CHECK(srdi_atomic_open(&a, path) == SRDI_OK);
    fputs("x", a.fp);
    srdi_atomic_abort(&a);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/no/such/dir/x.txt", dir);
    CHECK(srdi_atomic_open(&a, path) == SRDI_ERR_IO);

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    CHECK_INT(srdi_build_epoch(), 1700000000LL);
    setenv("SOURCE_DATE_EPOCH", "junk", 1);
    CHECK(srdi_build_epoch() != 0);
    unsetenv("SOURCE_DATE_EPOCH");

    /* the threads a pool may start within the memory budget: this process's resident memory is read, and
       far below the budget (a few MB), so each pool gets what it asks for unless its threads are dear */
    size_t rss = srdi_mem_resident();
    CHECK(rss > 0 && rss < SRDI_MEM_BUDGET / 2);
    CHECK_INT(srdi_threads_in_budget(0, 1), 1);
    CHECK_INT(srdi_threads_in_budget(1, (size_t)1 << 40), 1);
    CHECK_INT(srdi_threads_in_budget(16, (size_t)1 << 20), 16);       /* 15 MB more: room */
    CHECK_INT(srdi_threads_in_budget(16, 0), 16);                      /* nothing per thread */
    CHECK_INT(srdi_threads_in_budget(16, (size_t)1 << 40), 2);         /* none fits: still two */
    CHECK_INT(srdi_threads_in_budget(2, (size_t)1 << 40), 2);
    size_t room = SRDI_MEM_BUDGET - srdi_mem_resident(), per = room / 5; /* room for 4 or 5 more threads */
    int n = srdi_threads_in_budget(64, per);
    CHECK(n == 5 || n == 6);
}

static void test_params(void)
{
    const char *dir = testutil_tmpdir("params");
    char path[4200];
    snprintf(path, sizeof path, "%s/p.ini", dir);
    const char *ini = "[t02]\ncapital_threshold = 20000\n[report]\ntitle = 报告\nsubtitle = 12x\n";
    testutil_write_file(path, ini, strlen(ini));
    srdi_params *p = NULL;
    CHECK(srdi_params_load(path, &p) == SRDI_OK);
    CHECK_NUM(srdi_params_num(p, "t02", "capital_threshold", 10000), 20000, 0);
    CHECK_NUM(srdi_params_num(p, "t02", "missing", 7), 7, 0);
    CHECK_NUM(srdi_params_num(p, "report", "subtitle", 3), 3, 0); /* malformed → default */
    CHECK_STR(srdi_params_str(p, "report", "title", ""), "报告");
    CHECK_INT(srdi_params_count(p), 3);
    srdi_params_set(p, "t02", "capital_threshold", "5");
    CHECK_NUM(srdi_params_num(p, "t02", "capital_threshold", 0), 5, 0);
    CHECK_INT(srdi_params_count(p), 3);
    srdi_params_free(p);

    const char *broken = "[t02\nx=1\n";
    testutil_write_file(path, broken, strlen(broken));
    CHECK(srdi_params_load(path, &p) == SRDI_ERR_PARAM);
    char expect[4300];
    snprintf(expect, sizeof expect, "%s:1: syntax error in parameter file", path);
    CHECK_STR(srdi_error_message(), expect);
    CHECK(srdi_params_load("/nonexistent/p.ini", &p) == SRDI_ERR_IO);
    CHECK_NUM(srdi_params_num(NULL, "a", "b", 1.5), 1.5, 0);
}

static void test_reference(void)
{
    srdi_reference *r = NULL;
    CHECK(srdi_reference_load(testutil_src("templates/report-2026/reference"), &r) == SRDI_OK);
    if (!r) return;
    CHECK_INT(r->n_provinces, 34);
    CHECK_INT(r->n_industries, 20 + 97 + 473 + 1381);
    const srdi_industry *i = srdi_reference_industry(r, "3985");
    CHECK(i && i->level == SRDI_IND_CLASS);
    CHECK_STR(i ? i->parent : "", "398");
    CHECK(srdi_reference_industry(r, "9999") == NULL);
    CHECK_STR(srdi_reference_industry(r, "6520")->name, "集成电路设计");
    int js = srdi_reference_province(r, "江苏");
    CHECK(js >= 0 && js == srdi_reference_province(r, "江苏省"));
    CHECK_STR(r->provinces[js].cluster, "长三角");
    CHECK_INT(srdi_reference_province(r, "江苏市"), -1);
    CHECK_STR(srdi_reference_province(r, "内蒙古") >= 0 ? r->provinces[srdi_reference_province(r, "内蒙古")].name : "",
              "内蒙古自治区");
    CHECK_STR(srdi_reference_domain(r, "3824"), "电子核心产业"); /* exact 4-digit prefix */
    CHECK_STR(srdi_reference_domain(r, "3971"), "电子核心产业"); /* via 397 */
    CHECK_STR(srdi_reference_domain(r, "3811"), "高端装备");     /* via 381 */
    CHECK_STR(srdi_reference_domain(r, "3891"), "基础制造");     /* via 38 */
    CHECK(srdi_reference_domain(r, "0111") == NULL);
    CHECK_INT(r->n_cluster_names, 3);
    srdi_reference_free(r);

    const char *dir = testutil_tmpdir("badref");
    char path[4200];
    snprintf(path, sizeof path, "%s/gbt4754_2017.csv", dir);
    const char *g = "code,level,name,parent\nA,section,x,\n01,division,y,A\n01,division,z,A\n";
    testutil_write_file(path, g, strlen(g));
    CHECK(srdi_reference_load(dir, &r) == SRDI_ERR_REFERENCE);
    snprintf(path, sizeof path, "%s/gbt4754_2017.csv:4: duplicate code '01'", dir);
    CHECK_STR(srdi_error_message(), path);
}

/* THE hash function (FNV-1a 64: published test vectors) and THE hash index. */
static void test_hash(void)
{
    CHECK(srdi_hash_bytes(SRDI_HASH_INIT, "", 0) == 0xcbf29ce484222325ULL);
    CHECK(srdi_hash_bytes(SRDI_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    CHECK(srdi_hash_bytes(SRDI_HASH_INIT, "foobar", 6) == 0x85944171f73967e8ULL);
    CHECK(srdi_hash_bytes(srdi_hash_bytes(SRDI_HASH_INIT, "foo", 3), "bar", 3) == 0x85944171f73967e8ULL);
    CHECK(srdi_hash_str("foobar") == srdi_hash_mem("foobar!", 6));
    CHECK(srdi_hash_mem("0123456789abcdef", 16) != srdi_hash_mem("0123456789abcdeg", 16));
    CHECK(srdi_hash_mem("abc", 3) != srdi_hash_mem("abc\0", 4)); /* the length counts */

    /* 3000 ids under 7 hashes (long shared probe runs, several growths): each hash
       gives back exactly its ids, in the order they were added */
    srdi_hindex x = {0};
    size_t pos;
    CHECK_INT(srdi_hindex_first(&x, 5, &pos), SRDI_HINDEX_NONE); /* empty */
    for (uint32_t id = 0; id < 3000; id++) CHECK_INT(srdi_hindex_add(&x, (uint64_t)(id % 7) * 0x10001, id), SRDI_OK);
    CHECK_INT(x.n, 3000);
    CHECK_INT(x.nslots, 8192);
    int bad = 0;
    for (uint64_t k = 0; k < 7; k++) {
        uint32_t want = (uint32_t)k, count = 0;
        for (uint32_t id = srdi_hindex_first(&x, k * 0x10001, &pos); id != SRDI_HINDEX_NONE;
             id = srdi_hindex_next(&x, k * 0x10001, &pos), want += 7, count++)
            if (id != want) bad++;
        CHECK_INT(count, (3000 - k + 6) / 7);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(srdi_hindex_first(&x, 7 * 0x10001, &pos), SRDI_HINDEX_NONE);
    /* hashes equal in their low 32 bits are candidates too: the caller compares keys */
    CHECK_INT(srdi_hindex_first(&x, 0x100000000ULL | 0x10001, &pos), 1);
    srdi_hindex_free(&x);
    CHECK(x.slots == NULL && x.n == 0);
    CHECK_INT(srdi_hindex_reserve(&x, 100), SRDI_OK);
    CHECK_INT(x.nslots, 256);
    CHECK_INT(srdi_hindex_add(&x, 42, 9), SRDI_OK);
    CHECK_INT(srdi_hindex_first(&x, 42, &pos), 9);
    CHECK_INT(srdi_hindex_next(&x, 42, &pos), SRDI_HINDEX_NONE);
    srdi_hindex_free(&x);

    /* the string pool on it: ids in first-seen order through growth */
    srdi_strpool *p = srdi_strpool_new();
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i % 2500);
        if (srdi_strpool_intern(p, key) != (uint32_t)(i % 2500)) bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(srdi_strpool_count(p), 2500);
    CHECK_INT(srdi_strpool_find(p, "k2499"), 2499);
    CHECK_INT(srdi_strpool_find(p, "k2500"), UINT32_MAX);
    CHECK_STR(srdi_strpool_get(p, 17), "k17");
    srdi_strpool_free(p);
}

/* A test layout of a sealed file's entry: u64 hash, u64 n, then n bytes padded to 8. */
static size_t t_entry(const unsigned char *p, size_t room, uint64_t *hash)
{
    uint64_t n;
    if (room < 16) return 0;
    memcpy(&n, p + 8, 8);
    if (n > room - 16 || ((n + 7) & ~(uint64_t)7) > room - 16) return 0;
    memcpy(hash, p, 8);
    return 16 + (size_t)((n + 7) & ~(uint64_t)7);
}

static void t_write(srdi_sealed_out *o, uint64_t h, const char *text)
{
    size_t n = strlen(text);
    srdi_sealed_put_u64(o, h);
    srdi_sealed_put_u64(o, n);
    srdi_sealed_put(o, text, n);
    srdi_sealed_pad8(o, n);
    srdi_sealed_entry_done(o);
}

/* Write @p bytes to @p path. */
static void t_spill(const char *path, const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(bytes, 1, n, f) == n);
        fclose(f);
    }
}

/*
 * THE sealed file (srdi/sealed.h) of OUT/.srdi-breaks and OUT/.srdi-streams:
 * the exact bytes (magic, key, entries, count, stream hash of all before);
 * entries found by hash, several under one hash in the order written; the
 * used ones copied into the next file as they were; a file of another magic
 * or key, damaged, cut short or whose count or entry overruns, is empty.
 */
static void test_sealed(void)
{
    const char *dir = testutil_tmpdir("test_core_sealed");
    char path[1024], path2[1100], bad[1100];
    snprintf(path, sizeof path, "%s/one", dir);
    snprintf(path2, sizeof path2, "%s/two", dir);
    snprintf(bad, sizeof bad, "%s/bad", dir);
    srdi_sealed_out o;
    CHECK_INT(srdi_sealed_create(&o, path, "TEST 1\n", 42), SRDI_OK);
    t_write(&o, 7, "seven");
    t_write(&o, 9, "nine, a longer one");
    t_write(&o, 7, "another seven"); /* the same hash again */
    CHECK_INT(srdi_sealed_close(&o, "the test entries"), SRDI_OK);

    size_t len = 0;
    char *b = testutil_read_file(path, &len);
    CHECK_INT((long)len, 7 + 8 + (16 + 8) + (16 + 24) + (16 + 16) + 8 + 8);
    if (b && len == 127) {
        CHECK(memcmp(b, "TEST 1\n", 7) == 0);
        uint64_t v;
        memcpy(&v, b + 7, 8);
        CHECK(v == 42);
        memcpy(&v, b + 15, 8);
        CHECK(v == 7);
        CHECK(memcmp(b + 31, "seven\0\0\0", 8) == 0);
        memcpy(&v, b + len - 16, 8);
        CHECK(v == 3); /* the count */
        srdi_stream_hash h;
        srdi_sh_init(&h);
        srdi_sh_update(&h, b, len - 8);
        memcpy(&v, b + len - 8, 8);
        CHECK(v == srdi_sh_final(&h)); /* the check: every byte before it */
    }

    srdi_sealed s;
    CHECK(srdi_sealed_load(&s, path, "TEST 1\n", 42, 16, 64, t_entry));
    CHECK_INT(s.n, 3);
    CHECK_INT(s.cap, 64);
    size_t pos = 0;
    srdi_sealed_slot *e = srdi_sealed_find(&s, 7, &pos);
    CHECK(e && e->len == 24 && memcmp(e->at + 16, "seven", 5) == 0);
    e = srdi_sealed_find(&s, 7, &pos);
    CHECK(e && e->len == 32 && memcmp(e->at + 16, "another seven", 13) == 0);
    if (e) srdi_sealed_mark(e);
    CHECK(srdi_sealed_find(&s, 7, &pos) == NULL);
    pos = 0;
    CHECK(srdi_sealed_find(&s, 8, &pos) == NULL);
    /* the next file: the entry used, as it was, then a new one */
    CHECK_INT(srdi_sealed_create(&o, path2, "TEST 1\n", 42), SRDI_OK);
    for (size_t i = 0; i < s.cap; i++)
        if (s.slot[i].at && atomic_load(&s.slot[i].used)) {
            srdi_sealed_put(&o, s.slot[i].at, s.slot[i].len);
            srdi_sealed_entry_done(&o);
        }
    t_write(&o, 11, "eleven");
    CHECK_INT(srdi_sealed_close(&o, "the test entries"), SRDI_OK);
    srdi_sealed_free(&s);
    CHECK(s.bytes == NULL && s.slot == NULL && s.n == 0);
    CHECK(srdi_sealed_load(&s, path2, "TEST 1\n", 42, 16, 64, t_entry));
    CHECK_INT(s.n, 2);
    pos = 0;
    e = srdi_sealed_find(&s, 7, &pos);
    CHECK(e && memcmp(e->at + 16, "another seven", 13) == 0);
    srdi_sealed_free(&s);

    /* another key or magic, no file: empty, not an error */
    CHECK(!srdi_sealed_load(&s, path, "TEST 1\n", 43, 16, 64, t_entry) && s.n == 0 && s.bytes == NULL);
    CHECK(!srdi_sealed_load(&s, path, "TEST 2\n", 42, 16, 64, t_entry) && s.n == 0);
    CHECK(!srdi_sealed_load(&s, bad, "TEST 1\n", 42, 16, 64, t_entry) && s.n == 0);
    CHECK(!srdi_sealed_load(&s, NULL, "TEST 1\n", 42, 16, 64, t_entry) && s.n == 0);
    if (b && len == 127) {
        b[40] ^= 1; /* one byte of an entry: the check fails */
        t_spill(bad, b, len);
        CHECK(!srdi_sealed_load(&s, bad, "TEST 1\n", 42, 16, 64, t_entry) && s.n == 0);
        b[40] ^= 1;
        t_spill(bad, b, len - 8); /* cut short */
        CHECK(!srdi_sealed_load(&s, bad, "TEST 1\n", 42, 16, 64, t_entry) && s.n == 0);
        /* an entry that says it runs past the end, the check made good again */
        uint64_t big = 1000, v;
        memcpy(b + 23, &big, 8);
        srdi_stream_hash h;
        srdi_sh_init(&h);
        srdi_sh_update(&h, b, len - 8);
        v = srdi_sh_final(&h);
        memcpy(b + len - 8, &v, 8);
        t_spill(bad, b, len);
        CHECK(!srdi_sealed_load(&s, bad, "TEST 1\n", 42, 16, 64, t_entry) && s.n == 0);
        /* a count larger than the entries could hold */
        uint64_t five = 5, many = 100; /* the entry's own length back, the count raised */
        memcpy(b + 23, &five, 8);
        memcpy(b + len - 16, &many, 8);
        srdi_sh_init(&h);
        srdi_sh_update(&h, b, len - 8);
        v = srdi_sh_final(&h);
        memcpy(b + len - 8, &v, 8);
        t_spill(bad, b, len);
        CHECK(!srdi_sealed_load(&s, bad, "TEST 1\n", 42, 16, 64, t_entry) && s.n == 0);
    }
    free(b);

    /* a file that cannot be made: the error names it, nothing to close */
    CHECK_INT(srdi_sealed_create(&o, "/nonexistent-dir/x/sealed", "TEST 1\n", 42), SRDI_ERR_IO);
    srdi_error_clear();
}

int main(void)
{
    test_util();
    test_hash();
    test_sealed();
    test_params();
    test_reference();
    return testutil_finish();
}
