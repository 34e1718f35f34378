/* test_core.c — util, params and reference data basics. */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "srdi/params.h"
#include "srdi/hash.h"
#include "srdi/reference.h"
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

int main(void)
{
    test_util();
    test_hash();
    test_params();
    test_reference();
    return testutil_finish();
}
