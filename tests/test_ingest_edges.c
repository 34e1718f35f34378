/*
 * tests/test_ingest_edges.c — the edges of input: line ends and headers
 * (CR CR after the header, a bare quote in a header cell), files that are
 * not CSV text (a workbook, an .xls, a FIFO, a 1.5 MiB line with no end),
 * a misspelt column, a wrong separator, the causes given for rows of a
 * rejected enterprise, ids of any length, IPC subclasses of multibyte
 * characters, cities checked against their province, a 10 MB field, the
 * reject-rate stop and a duplicated province in the reference data.  Every
 * case checks the exact message or rejects.csv text and the counts.
 */
#include "testutil.h"
#include "test_ingest_fixture.h"
#include "../src/ingest/ingest_private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HDR "id,name,level,province,city,industry_code\n"

static char g_dir[4096];

/* A fresh dir with the files given (NULL = absent). */
static const char *make_dir(const char *name, const char *ent, size_t ent_len, const char *fin, const char *pat)
{
    snprintf(g_dir, sizeof g_dir, "%s", testutil_tmpdir(name));
    char path[4200];
    if (ent) {
        snprintf(path, sizeof path, "%s/enterprises.csv", g_dir);
        testutil_write_file(path, ent, ent_len);
    }
    if (fin) {
        snprintf(path, sizeof path, "%s/financials.csv", g_dir);
        testutil_write_file(path, fin, strlen(fin));
    }
    if (pat) {
        snprintf(path, sizeof path, "%s/patents.csv", g_dir);
        testutil_write_file(path, pat, strlen(pat));
    }
    return g_dir;
}

/* Ingest dir with 3 threads; rejects go to dir/rejects.csv. */
static srdi_status run(const char *dir, srdi_dataset **out)
{
    return fx_ingest(dir, NULL, 3, NULL, out, NULL);
}

/* Ingest an enterprises.csv that must fail with @p want and message @p msg. */
static void expect_error(const char *name, const char *ent, size_t len, srdi_status want, const char *msg)
{
    const char *dir = make_dir(name, ent, len, NULL, NULL);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d), want);
    CHECK(d == NULL);
    CHECK_STR(srdi_error_message(), msg);
    srdi_dataset_free(d);
}

static void test_line_ends_and_headers(void)
{
    /* a header ending CR CR (a blank line), CR-only rows: the bad row on physical line 4 */
    const char *crcr = "id,name,level,province,city,industry_code\r\r"
                       "A1,n,national,江苏,苏州市,3985\r"
                       "A2,n2,provincial,江苏,苏州市,-1\r"
                       "A3,\"two\rlines\",provincial,江苏省,苏州,3985\r";
    const char *dir = make_dir("edge-crcr", crcr, strlen(crcr), NULL, NULL);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (d) {
        CHECK_INT(d->files[0].read, 3);
        CHECK_INT(d->files[0].accepted, 2);
        CHECK_INT(d->files[0].rejected, 1);
        CHECK_STR(d->name[1], "two\rlines");
        CHECK_STR(srdi_strpool_get(d->cities, d->city[1]), "苏州市"); /* 苏州 normalised */
        char *rj = fx_rejects(dir);
        CHECK_STR(rj, "file,line,column,value,reason\n"
                      "enterprises.csv,4,industry_code,-1,\"industry_code must be a 4-digit GB/T 4754-2017 class, "
                      "optionally with its section letter (C3985)\"\n");
        free(rj);
        srdi_dataset_free(d);
    }

    /* a bare quote in a header cell (Excel writes 备注") is a literal, as in a row */
    const char *bare = "id,name,level,province,city,industry_code,备注\"\n"
                       "A1,n,national,江苏,苏州市,3985,x\n"
                       "A2,5'10\",national,江苏,苏州市,3985,y\n";
    dir = make_dir("edge-barequote", bare, strlen(bare), NULL, NULL);
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (d) {
        CHECK_INT(d->files[0].read, 2);
        CHECK_INT(d->files[0].accepted, 2);
        CHECK_STR(d->name[1], "5'10\"");
        srdi_dataset_free(d);
    }

    /* mixed line ends, ';' separated, detected */
    const char *semi = "id;name;level;province;city;industry_code\r\n"
                       "A1;\"a;b\";national;江苏;苏州市;3985\n"
                       "A2;c;provincial;广东;深圳;3985\r"
                       "A3;d;provincial;江苏;深圳市;3985\r\n";
    dir = make_dir("edge-semi", semi, strlen(semi), NULL, NULL);
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (d) {
        CHECK_INT(d->files[0].delim, ';');
        CHECK_INT(d->files[0].accepted, 2);
        CHECK_STR(d->name[0], "a;b");
        CHECK_STR(srdi_strpool_get(d->cities, d->city[1]), "深圳市");
        char *rj = fx_rejects(dir);
        CHECK_STR(rj, "file,line,column,value,reason\n"
                      "enterprises.csv,4,city,深圳市,\"深圳市 belongs to 广东省, not 江苏省\"\n");
        free(rj);
        srdi_dataset_free(d);
    }

    /* a city that is no city-level division */
    const char *mars = HDR "A1,n,national,江苏,火星市,3985\n";
    dir = make_dir("edge-unknown-city", mars, strlen(mars), NULL, NULL);
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (d) {
        char *rj = fx_rejects(dir);
        CHECK_STR(rj, "file,line,column,value,reason\n"
                      "enterprises.csv,2,city,火星市,unknown city: not a city-level division of 江苏省 in "
                      "reference/cities.csv\n");
        free(rj);
        srdi_dataset_free(d);
    }
}

static void test_not_csv(void)
{
    static const char xlsx[] = "PK\x03\x04\x14\0\0\0\x08\0xl/workbook.xml....";
    expect_error("edge-xlsx", xlsx, sizeof xlsx - 1, SRDI_ERR_INPUT,
                 "enterprises.csv: this is an Excel workbook, not CSV text; name it enterprises.xlsx");
    static const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0";
    expect_error("edge-xls", xls, sizeof xls - 1, SRDI_ERR_INPUT,
                 "enterprises.csv: this is an Excel 97–2003 workbook (.xls) or another old Office file, not CSV "
                 "text; save it as enterprises.xlsx or as CSV");
    static const char pdf[] = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    expect_error("edge-pdf", pdf, sizeof pdf - 1, SRDI_ERR_INPUT,
                 "enterprises.csv: this is a PDF document, not CSV text");

    /* a line of 1.5 MiB with no end: an error after the first MiB, not a 1.5 MiB header */
    size_t n = (size_t)3 << 19;
    char *big = malloc(n);
    memset(big, 'a', n);
    expect_error("edge-noeol", big, n, SRDI_ERR_HEADER,
                 "enterprises.csv: the header row is longer than 1 MiB (no line end outside quotes): not a CSV file?");
    big[n - 1] = '\n'; /* a line end after 1.5 MiB is no better */
    expect_error("edge-longline", big, n, SRDI_ERR_HEADER,
                 "enterprises.csv: the header row is longer than 1 MiB (no line end outside quotes): not a CSV file?");
    free(big);

    /* a FIFO is refused at once (it would block forever) */
    const char *dir = make_dir("edge-fifo", NULL, 0, NULL, NULL);
    char path[4200], msg[8600];
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    CHECK_INT(mkfifo(path, 0600), 0);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d), SRDI_ERR_INPUT);
    snprintf(msg, sizeof msg, "enterprises.csv: %s is not a regular file (a FIFO); give a file", path);
    CHECK_STR(srdi_error_message(), msg);
}

static void test_columns(void)
{
    const char *staff = "id,name,level,province,city,industry_code,参保人员数\nA1,n,national,江苏,苏州市,3985,5\n";
    expect_error("edge-typo-zh", staff, strlen(staff), SRDI_ERR_HEADER,
                 "enterprises.csv: unknown column '参保人员数' — did you mean 参保人数 (staff)?");
    const char *cap = "id,name,level,province,city,industry_code,reg_captial\nA1,n,national,江苏,苏州市,3985,5\n";
    expect_error("edge-typo-en", cap, strlen(cap), SRDI_ERR_HEADER,
                 "enterprises.csv: unknown column 'reg_captial' — did you mean reg_capital (注册资本（万元）)?");
    const char *swapped = "id,name,level,province,city,industry_code,人数参保\nA1,n,national,江苏,苏州市,3985,5\n";
    expect_error("edge-typo-order", swapped, strlen(swapped), SRDI_ERR_HEADER,
                 "enterprises.csv: unknown column '人数参保' — did you mean 参保人数 (staff)?");
    /* an unrelated extra column is still only ignored */
    const char *extra = "id,name,level,province,city,industry_code,备注,企业简称\nA1,n,national,江苏,苏州市,3985,x,y\n";
    const char *dir = make_dir("edge-extra", extra, strlen(extra), NULL, NULL);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (d) {
        CHECK_INT(d->files[0].accepted, 1);
        srdi_dataset_free(d);
    }

    /* ';' forced to ',': one column, and the message says what to look at */
    const char *semi = "id;name;level;province;city;industry_code\nA1;n;national;江苏;苏州市;3985\n";
    dir = make_dir("edge-forced-comma", semi, strlen(semi), NULL, NULL);
    srdi_reference *ref = NULL;
    CHECK_INT(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref), SRDI_OK);
    srdi_ingest_opts o = {.data_dir = dir, .quiet = true, .delimiter = ','};
    CHECK_INT(srdi_ingest(&o, ref, &d, NULL), SRDI_ERR_HEADER);
    CHECK_STR(srdi_error_message(), "enterprises.csv: missing required column 'id' (统一社会信用代码); found: "
                                    "id;name;level;province;city;industry_code (one column: is the separator ';' "
                                    "or tab? see --delimiter)");
}

static void test_causes(void)
{
    char longid[201];
    memset(longid, 'X', 200);
    longid[200] = 0;
    char ent[1200], pat[2000];
    snprintf(ent, sizeof ent,
             HDR "A1,n,national,江苏,苏州市,3985\nA2,n2,national,江苏,苏州市,0000\n"
                 "%s,n3,national,江苏,苏州市,3985\n",
             longid);
    snprintf(pat, sizeof pat,
             "id,patent_no,kind,office,app_year,status,grant_year,ipc,field\n"
             "A2,P1,invention,CN,2020,granted,2021,G01N,f\n"
             "%s,P2,invention,CN,2020,granted,2021,G01N,f\n"
             "A1,P3,invention,CN,2020,granted,2021,发明专利分类,f\n"
             "A9,P4,invention,CN,2020,granted,2021,G01N,f\n",
             longid);
    const char *dir = make_dir("edge-causes", ent, strlen(ent), "id,year,revenue,rd_expense\nA2,2023,1,1\n", pat);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (!d) return;
    CHECK_INT(d->n, 2);
    CHECK_INT(d->files[2].read, 4);
    CHECK_INT(d->files[2].accepted, 2); /* the 200-character id's patent is accepted */
    char *rj = fx_rejects(dir);
    CHECK_STR(rj, "file,line,column,value,reason\n"
                  "enterprises.csv,3,industry_code,0000,unknown industry class 0000 (not in GB/T 4754-2017)\n"
                  "financials.csv,2,id,A2,enterprise rejected (enterprises.csv line 3)\n"
                  "patents.csv,2,id,A2,enterprise rejected (enterprises.csv line 3)\n"
                  "patents.csv,5,id,A9,id not found in enterprises.csv\n");
    free(rj);
    /* the IPC subclass is the first 4 characters, not 4 bytes */
    bool found = false;
    for (uint32_t k = 0; k < srdi_strpool_count(d->patents.keys); k++)
        if (strcmp(srdi_strpool_get(d->patents.keys, k), "发明专利") == 0) found = true;
    CHECK(found);
    srdi_dataset_free(d);
}

static void test_big_field(void)
{
    /* a 10 MB quoted field (with line breaks) in one patents row: read whole, fast */
    size_t big = 10u << 20;
    srdi_buf b = {0};
    srdi_buf_puts(&b, "id,patent_no,kind,office,app_year,status,grant_year,ipc,field\n"
                      "A1,P1,invention,CN,2020,granted,2021,G01N,\"");
    for (size_t i = 0; i < big / 8; i++) srdi_buf_puts(&b, i % 64 ? "abcdefg," : "abcdef\r\n");
    srdi_buf_puts(&b, "\"\nA1,P2,invention,CN,2020,granted,2021,G01N,f\n");
    const char *ent = HDR "A1,n,national,江苏,苏州市,3985\n";
    const char *dir = make_dir("edge-bigfield", ent, strlen(ent), NULL, b.data);
    double t = srdi_now();
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d), SRDI_OK);
    t = srdi_now() - t;
    if (d) {
        CHECK_INT(d->files[2].read, 2);
        CHECK_INT(d->files[2].accepted, 2);
        size_t longest = 0;
        for (uint32_t k = 0; k < srdi_strpool_count(d->patents.keys); k++) {
            size_t l = strlen(srdi_strpool_get(d->patents.keys, k));
            if (l > longest) longest = l;
        }
        CHECK_INT(longest, big);
        srdi_dataset_free(d);
    }
    CHECK(t < 20);
    srdi_buf_free(&b);
}

static void test_reject_rate(void)
{
    const char *ent =
        HDR "A1,n,national,江苏,苏州市,3985\nA2,n,national,江苏,苏州市,39\nA3,n,national,江苏,广州市,3985\n";
    const char *dir = make_dir("edge-rate", ent, strlen(ent), NULL, NULL);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (!d) return;
    CHECK_INT(srdi_ingest_check_reject_rate(d, 0.01, "OUT"), SRDI_ERR_DATA);
    CHECK_STR(srdi_error_message(), "enterprises.csv: 2 of 3 rows rejected (66.7%, more than --max-reject-rate 1%): "
                                    "nothing rendered; by reason: industry_code must be a 4-digit GB/T 4754-2017 "
                                    "class, optionally with its section letter (C3985) (1); 广州市 belongs to 广东省, "
                                    "not 江苏省 (1); see OUT/rejects.csv");
    CHECK_INT(srdi_ingest_check_reject_rate(d, 0.7, "OUT"), SRDI_OK);
    srdi_dataset_free(d);

    const char *all = HDR "A1,n,national,江苏,苏州市,39\n";
    dir = make_dir("edge-rate-all", all, strlen(all), NULL, NULL);
    CHECK_INT(run(dir, &d), SRDI_OK);
    if (!d) return;
    CHECK_INT(srdi_ingest_check_reject_rate(d, 1, "OUT"), SRDI_ERR_DATA); /* every row: always */
    CHECK(strstr(srdi_error_message(), "enterprises.csv: 1 of 1 rows rejected (100.0%, every row): ") != NULL);
    srdi_dataset_free(d);
}

static void test_reference_duplicates(void)
{
    const char *dir = testutil_tmpdir("edge-ref-dup");
    char ref_dir[1024], cmd[9000];
    snprintf(ref_dir, sizeof ref_dir, "%s", dir);
    snprintf(cmd, sizeof cmd, "cp '%s'/*.csv '%s'/ && sed -n 2p '%s/provinces.csv' >> '%s/provinces.csv'",
             testutil_src("templates/report-2026/reference"), ref_dir, ref_dir, ref_dir);
    CHECK_INT(system(cmd), 0);
    srdi_reference *ref = NULL;
    char msg[4400];
    CHECK_INT(srdi_reference_load(ref_dir, &ref), SRDI_ERR_REFERENCE);
    snprintf(msg, sizeof msg, "%s/provinces.csv:36: province name '北京市' appears twice (first on line 2)", ref_dir);
    CHECK_STR(srdi_error_message(), msg);
    CHECK(ref == NULL);
}

int main(void)
{
    test_line_ends_and_headers();
    test_not_csv();
    test_columns();
    test_causes();
    test_big_field();
    test_reject_rate();
    test_reference_duplicates();
    return testutil_finish();
}
