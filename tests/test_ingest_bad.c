/*
 * tests/test_ingest_bad.c — srdi_ingest on bad input: every kind of row
 * error lands in rejects.csv with the exact line, column, value and reason,
 * the counts reconcile (read = accepted + rejected), and file-level errors
 * carry their exact messages.
 */
#include "testutil.h"
#include "test_ingest_fixture.h"
#include "srdi/ingest.h"

#include <iconv.h>
#include "srdi/util.h"
#include <stdlib.h>
#include <string.h>

#define HDR "id,name,level,province,city,industry_code\n"

/* Write the files that are not NULL into a fresh dir; returns the dir. */
static const char *make_dir(const char *name, const char *ent, size_t ent_len, const char *fin, const char *pat)
{
    const char *dir = testutil_tmpdir(name);
    static char d[4096];
    char path[4200];
    snprintf(d, sizeof d, "%s", dir);
    if (ent) {
        snprintf(path, sizeof path, "%s/enterprises.csv", d);
        testutil_write_file(path, ent, ent_len);
    }
    if (fin) {
        snprintf(path, sizeof path, "%s/financials.csv", d);
        testutil_write_file(path, fin, strlen(fin));
    }
    if (pat) {
        snprintf(path, sizeof path, "%s/patents.csv", d);
        testutil_write_file(path, pat, strlen(pat));
    }
    return d;
}

/* Ingest dir with 2 threads; rejects go to dir/rejects.csv. */
static srdi_status run(const char *dir, srdi_dataset **out, long long *errs)
{
    return fx_ingest(dir, NULL, 2, NULL, out, errs);
}

static void check_reconciled(const srdi_dataset *d)
{
    for (int f = 0; f < SRDI_FILE_COUNT; f++) CHECK_INT(d->files[f].read, d->files[f].accepted + d->files[f].rejected);
}

/* ========================================================== mixed suite */

static void test_mixed(void)
{
    const char *ent = "id,name,level,province,city,industry_code,staff,rd_staff,hon_high_tech,tech_eval,foo\n"
                      "E1,甲公司,national,江苏,苏州市,C3985,100,20,是,国际先进,x\n"
                      "E2,乙公司,provincial,浙江省,杭州市,3562,\"1,234\",12,N,,y\n"
                      "E1,丙公司,provincial,江苏省,南京市,3985,10,1,0,,z\n"
                      "E3,丁公司,provincial,江苏省,南京市,3985,-3,,0,,\n"
                      "E4,戊公司,provincial,江苏省,南京市,3985,10,12,0,,\n"
                      "E5,己公司,provincial,江苏省,南京市,9999,10,1,0,,\n"
                      "E6,庚公司,provincial,火星,南京市,3985,10,1,0,,\n"
                      "E7,辛公司,provincial,江苏省,南京市,3985,10,1\n"
                      "\"E8\",\"壬\n公司\",national,北京,北京市,6513,５０,,true,达到国内水平,\"a,b\"\n"
                      "E9,癸公司,provincial,江苏省,南京市,3985,10,1,maybe,,\n"
                      "E10,子公司,regional,江苏省,南京市,3985,10,1,0,,\n"
                      "E11,丑公司,provincial,江苏省,南京市,3985,10,1,0,great,\n"
                      "E12,寅公司,champion,广东,深圳市,D3985,1,0,0,,\n";
    const char *fin = "id,year,revenue,rd_expense\n"
                      "E1,2023,\"1,000.5\",50\n"
                      "E1,2024,1200,\n"
                      "E1,2023,1,1\n"
                      "E404,2023,1,1\n"
                      "E2,1999,1,1\n"
                      "E2,2023,-5,1\n";
    const char *pat = "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field\n"
                      "E1,P1,invention,CN,2020,2021,granted,2022,G01N 21/00,仪器仪表制造\n"
                      "E1,P2,发明,us,2021,2022,审中,,h01l21/00,\n"
                      "E1,P3,invention,CN,2021,2022,pending,2023,G01N21/00,\n"
                      "E404,P4,invention,CN,2021,,pending,,,\n"
                      "E1,P5,invention,CN,2021,2020,pending,,,\n"
                      "E1,P6,invention,CN,2021,,granted,,,\n"
                      "E1,P7,gadget,CN,2021,,pending,,,\n"
                      "E1,P8,invention,CHN,2021,,pending,,,\n"
                      "E2,P9,utility,CN,2019,2019,rejected,,B23K 1/00,\n"
                      "E1,P10,invention,CN,2019,,rejected,,,\n";
    const char *dir = make_dir("bad-mixed", ent, strlen(ent), fin, pat);
    srdi_dataset *d = NULL;
    long long errs = -1;
    CHECK_INT(run(dir, &d, &errs), SRDI_OK);
    if (!d) {
        fprintf(stderr, "%s\n", srdi_error_message());
        return;
    }
    CHECK_INT(errs, 20);
    check_reconciled(d);
    CHECK_INT(d->files[SRDI_FILE_ENTERPRISES].read, 13);
    CHECK_INT(d->files[SRDI_FILE_ENTERPRISES].accepted, 3);
    CHECK_INT(d->files[SRDI_FILE_ENTERPRISES].rejected, 10);
    CHECK_INT(d->files[SRDI_FILE_FINANCIALS].read, 6);
    CHECK_INT(d->files[SRDI_FILE_FINANCIALS].accepted, 2);
    CHECK_INT(d->files[SRDI_FILE_PATENTS].read, 10);
    CHECK_INT(d->files[SRDI_FILE_PATENTS].accepted, 4);
    CHECK_INT(d->files[SRDI_FILE_PATENTS].rejected, 6);
    CHECK_STR(d->files[SRDI_FILE_ENTERPRISES].encoding, "utf-8");
    CHECK_INT(d->files[SRDI_FILE_ENTERPRISES].bytes, (long long)strlen(ent));

    char *rj = fx_rejects(dir);
    CHECK_STR(
        rj,
        "file,line,column,value,reason\n"
        "enterprises.csv,4,id,E1,duplicate id (first seen on line 2)\n"
        "enterprises.csv,5,staff,-3,staff must be an integer ≥ 0\n"
        "enterprises.csv,6,rd_staff,12,rd_staff (12) exceeds staff (10)\n"
        "enterprises.csv,7,industry_code,9999,unknown industry class 9999 (not in GB/T 4754-2017)\n"
        "enterprises.csv,8,province,火星,unknown province\n"
        "enterprises.csv,9,,,\"expected 11 fields, found 8\"\n"
        "enterprises.csv,12,hon_high_tech,maybe,\"hon_high_tech must be 0 or 1 (是/否, Y/N, true/false)\"\n"
        "enterprises.csv,13,level,regional,\"level must be provincial, national or champion (省级/国家级/单项冠军)\"\n"
        "enterprises.csv,14,tech_eval,great,\"tech_eval must be intl_advanced, domestic_advanced, intl_level or "
        "domestic_level (国际先进/国内先进/达到国际水平/达到国内水平) or empty\"\n"
        "enterprises.csv,15,industry_code,D3985,section letter D does not match class 3985 (section C)\n"
        "financials.csv,4,year,2023,\"duplicate (id, year): year 2023 already given for this id\"\n"
        "financials.csv,5,id,E404,id not found in enterprises.csv\n"
        "financials.csv,6,year,1999,year must be an integer from 2000 to 2100\n"
        "financials.csv,7,revenue,-5,revenue must be a number ≥ 0\n"
        "patents.csv,4,grant_year,2023,patent with grant_year but status pending\n"
        "patents.csv,5,id,E404,id not found in enterprises.csv\n"
        "patents.csv,6,pub_year,2020,pub_year (2020) is before app_year (2021)\n"
        "patents.csv,7,grant_year,,grant_year is required when status is granted\n"
        "patents.csv,8,kind,gadget,\"kind must be invention, utility or design (发明/实用新型/外观设计)\"\n"
        "patents.csv,9,office,CHN,\"office must be a 2-letter office code (CN, WO, US, EP …)\"\n");
    free(rj);

    /* accepted enterprises and their values */
    CHECK_INT(d->n, 3);
    if (d->n == 3) {
        CHECK_STR(d->id[0], "E1");
        CHECK_STR(d->id[1], "E2");
        CHECK_STR(d->id[2], "E8");
        CHECK_STR(d->name[2], "壬\n公司");
        CHECK_STR(d->ref->provinces[d->province[0]].name, "江苏省");
        CHECK_STR(d->ref->provinces[d->province[2]].name, "北京市");
        CHECK_STR(srdi_strpool_get(d->cities, d->city[1]), "杭州市");
        CHECK_STR(d->industry[0], "3985");
        CHECK_STR(d->industry[1], "3562");
        CHECK_INT(d->level[0], SRDI_LEVEL_NATIONAL);
        CHECK_INT(d->level[1], SRDI_LEVEL_PROVINCIAL);
        CHECK_INT(d->tech_eval[0], SRDI_TE_INTL_ADVANCED);
        CHECK_INT(d->tech_eval[1], SRDI_TE_NONE);
        CHECK_INT(d->tech_eval[2], SRDI_TE_DOMESTIC_LEVEL);
        double v;
        CHECK(srdi_get(d, SRDI_F_STAFF, 1, &v) && v == 1234);
        CHECK(srdi_get(d, SRDI_F_STAFF, 2, &v) && v == 50);
        CHECK(!srdi_get(d, SRDI_F_RD_STAFF, 2, &v));
        CHECK(srdi_get(d, SRDI_F_HON_LITTLE_GIANT, 0, &v) && v == 1); /* implied by national */
        CHECK(srdi_get(d, SRDI_F_HON_LITTLE_GIANT, 2, &v) && v == 1);
        CHECK(!srdi_get(d, SRDI_F_HON_LITTLE_GIANT, 1, &v));
        CHECK(srdi_get(d, SRDI_F_HON_HIGH_TECH, 0, &v) && v == 1);
        CHECK(srdi_get(d, SRDI_F_HON_HIGH_TECH, 1, &v) && v == 0);
        CHECK(srdi_get(d, SRDI_F_HON_HIGH_TECH, 2, &v) && v == 1);
        CHECK(!srdi_get(d, SRDI_F_REG_CAPITAL, 0, &v));
    }
    CHECK(d->has_financials);
    CHECK_INT(d->n_fin, 2);
    if (d->n_fin == 2) {
        CHECK_INT(d->fin_ent[0], 0);
        CHECK_INT(d->fin_year[0], 2023);
        CHECK_INT(d->fin_year[1], 2024);
        CHECK_NUM(d->fin_revenue.v[0], 1000.5, 0);
        CHECK_NUM(d->fin_rd.v[0], 50, 0);
        CHECK_NUM(d->fin_revenue.v[1], 1200, 0);
        CHECK_INT(d->fin_rd.present[1], 0);
    }

    /* patent facts of E1 (the only national enterprise with patents) */
    CHECK(d->has_patents);
    const srdi_patents *p = &d->patents;
    CHECK_INT(p->max_app_year, 2021);
    CHECK_INT(p->max_grant_year, 2022);
    CHECK_INT(p->max_pub_year, 2022);
    CHECK_INT(srdi_strpool_count(p->keys), 4);
    CHECK_STR(srdi_strpool_get(p->keys, 0), "仪器仪表制造");
    CHECK_STR(srdi_strpool_get(p->keys, 1), "G01N");
    CHECK_STR(srdi_strpool_get(p->keys, 2), "H01L");
    CHECK_STR(srdi_strpool_get(p->keys, 3), "US");
    static const struct {
        int kind, year;
        uint32_t key, count;
    } want[] = {
        {SRDI_PF_APP, 2019, UINT32_MAX, 1}, {SRDI_PF_APP, 2020, UINT32_MAX, 1}, {SRDI_PF_APP, 2021, UINT32_MAX, 1},
        {SRDI_PF_GRANT, 2022, 0, 1},        {SRDI_PF_DECIDED, 2019, 0, 1},      {SRDI_PF_DECIDED, 2020, 1, 1},
        {SRDI_PF_IPC, 2019, UINT32_MAX, 1}, {SRDI_PF_IPC, 2020, 1, 1},          {SRDI_PF_IPC, 2021, 2, 1},
        {SRDI_PF_FOREIGN, 2022, 3, 1},
    };
    CHECK_INT(p->n_facts, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < p->n_facts && i < sizeof want / sizeof want[0]; i++) {
        CHECK_INT(p->facts[i].ent, 0);
        CHECK_INT(p->facts[i].kind, want[i].kind);
        CHECK_INT(p->facts[i].year, want[i].year);
        CHECK_INT(p->facts[i].key, want[i].key);
        CHECK_INT(p->facts[i].count, want[i].count);
    }

    /* the summary reconciles */
    char *buf = NULL;
    size_t blen = 0;
    FILE *mf = open_memstream(&buf, &blen);
    srdi_ingest_print_summary(d, mf);
    fclose(mf);
    CHECK(strstr(buf, "ingest: enterprises.csv  read 13 = accepted 3 + rejected 10  (") == buf);
    CHECK(strstr(buf, "\ningest: financials.csv  read 6 = accepted 2 + rejected 4  (") != NULL);
    CHECK(strstr(buf, "\ningest: patents.csv  read 10 = accepted 4 + rejected 6  (") != NULL);
    free(buf);
    srdi_dataset_free(d);
}

/* ====================================================== file-level errors */

static void expect_file_error(const char *name, const char *ent, size_t len, srdi_status want, const char *msg)
{
    const char *dir = make_dir(name, ent, len, NULL, NULL);
    srdi_dataset *d = (srdi_dataset *)1;
    CHECK_INT(run(dir, &d, NULL), want);
    CHECK(d == NULL);
    CHECK_STR(srdi_error_message(), msg);
}

static void test_file_errors(void)
{
    expect_file_error("bad-empty", "", 0, SRDI_ERR_HEADER, "enterprises.csv: file is empty (no header row)");
    expect_file_error("bad-blank", "\n\n", 2, SRDI_ERR_HEADER, "enterprises.csv: file is empty (no header row)");
    const char *h = "id,name,level,city,industry_code\nA,b,national,苏州市,3985\n";
    expect_file_error("bad-missing", h, strlen(h), SRDI_ERR_HEADER,
                      "enterprises.csv: missing required column 'province' (省份); "
                      "found: id, name, level, city, industry_code");
    const char *dup = "id,name,level,province,city,industry_code,统一社会信用代码\n";
    expect_file_error("bad-dupcol", dup, strlen(dup), SRDI_ERR_HEADER,
                      "enterprises.csv: column '统一社会信用代码' appears twice (columns 1 and 7)");

    const char *dir = testutil_tmpdir("bad-nofile");
    char msg[4400];
    snprintf(msg, sizeof msg, "enterprises.csv: cannot open %s/enterprises.csv: No such file or directory", dir);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d, NULL), SRDI_ERR_IO);
    CHECK_STR(srdi_error_message(), msg);

    /* financials with a missing column */
    const char *ent = HDR "A1,n,national,江苏,苏州市,3985\n";
    dir = make_dir("bad-fincol", ent, strlen(ent), "id,year,revenue\n", NULL);
    CHECK_INT(run(dir, &d, NULL), SRDI_ERR_HEADER);
    CHECK_STR(srdi_error_message(), "financials.csv: missing required column 'rd_expense' (研发费用（万元）); "
                                    "found: id, year, revenue");
}

static void test_header_only(void)
{
    const char *dir = make_dir("bad-hdronly", HDR, strlen(HDR), "id,year,revenue,rd_expense\n",
                               "id,patent_no,kind,office,app_year,status\n");
    srdi_dataset *d = NULL;
    long long errs = -1;
    CHECK_INT(run(dir, &d, &errs), SRDI_OK);
    if (!d) return;
    CHECK_INT(errs, 0);
    CHECK_INT(d->n, 0);
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        CHECK(d->files[f].present);
        CHECK_INT(d->files[f].read, 0);
    }
    CHECK(d->has_patents);
    CHECK_INT(d->patents.n_facts, 0);
    CHECK_INT(d->patents.max_app_year, 0);
    char *rj = fx_rejects(dir);
    CHECK_STR(rj, "file,line,column,value,reason\n");
    free(rj);
    srdi_dataset_free(d);
}

/* ==================================================== one-problem files */

/* Ingest a single enterprises.csv; expect counts and the exact rejects text. */
static srdi_dataset *one(const char *name, const char *ent, size_t len, long long read, long long rejected,
                         const char *rejects)
{
    const char *dir = make_dir(name, ent, len, NULL, NULL);
    srdi_dataset *d = NULL;
    CHECK_INT(run(dir, &d, NULL), SRDI_OK);
    if (!d) {
        fprintf(stderr, "%s: %s\n", name, srdi_error_message());
        return NULL;
    }
    CHECK_INT(d->files[0].read, read);
    CHECK_INT(d->files[0].rejected, rejected);
    check_reconciled(d);
    char *rj = fx_rejects(dir);
    CHECK_STR(rj, rejects);
    free(rj);
    return d;
}

static void test_one_problem_files(void)
{
    srdi_dataset *d;
    const char *crlf = "id,name,level,province,city,industry_code\r\n"
                       "A1,n,national,江苏,苏州市,3985\r\n"
                       "A2,n2,provincial,江苏,苏州市,-1\r\n"
                       "A3,\"two\r\nlines\",provincial,江苏,苏州市,3985\r\n";
    d = one("bad-crlf", crlf, strlen(crlf), 3, 1,
            "file,line,column,value,reason\n"
            "enterprises.csv,3,industry_code,-1,\"industry_code must be a 4-digit GB/T 4754-2017 class, "
            "optionally with its section letter (C3985)\"\n");
    if (d) {
        CHECK_INT(d->n, 2);
        if (d->n == 2) {
            CHECK_STR(d->name[0], "n");
            CHECK_STR(d->name[1], "two\r\nlines");
        }
        srdi_dataset_free(d);
    }

    const char *bom = "\xEF\xBB\xBF" HDR "A1,n,national,江苏,苏州市,3985\n";
    d = one("bad-bom", bom, strlen(bom), 1, 0, "file,line,column,value,reason\n");
    if (d) {
        CHECK_STR(d->files[0].encoding, "utf-8-bom");
        CHECK_STR(d->id[0], "A1");
        srdi_dataset_free(d);
    }

    const char *unterminated = HDR "A1,n,national,江苏,苏州市,3985\n"
                                   "A2,\"open name,national,江苏,苏州市,3985\n"
                                   "A3,n,national,江苏,苏州市,3985\n";
    d = one("bad-unterminated", unterminated, strlen(unterminated), 2, 1,
            "file,line,column,value,reason\n"
            "enterprises.csv,3,name,\"open name,national,江苏,苏州市,3985\nA3,n,national,江苏,苏州市,3985\n\","
            "\"unterminated quoted field: the closing quote is missing, the field runs to the end of the file\"\n");
    srdi_dataset_free(d);

    const char *afterquote = HDR "A1,\"n\"x,national,江苏,苏州市,3985\nA2,n,national,江苏,苏州市,3985\n";
    d = one("bad-afterquote", afterquote, strlen(afterquote), 2, 1,
            "file,line,column,value,reason\n"
            "enterprises.csv,2,name,\"n\"\"\",malformed quoting: text after the closing quote of a quoted field\n");
    if (d) {
        CHECK_INT(d->n, 1);
        srdi_dataset_free(d);
    }

    const char *badutf8 = HDR "A1,n,national,江苏,苏州市,3985\nA2,bad\xFFname,national,江苏,苏州市,3985\n";
    d = one("bad-utf8", badutf8, strlen(badutf8), 2, 1,
            "file,line,column,value,reason\n"
            "enterprises.csv,3,name,bad\\xFFname,invalid UTF-8 byte sequence\n");
    srdi_dataset_free(d);

    char nul[256];
    int nl = snprintf(nul, sizeof nul, "%sA1,nul", HDR);
    nul[nl++] = 0;
    nl += snprintf(nul + nl, sizeof nul - (size_t)nl, "x,national,江苏,苏州市,3985\nA2,n,national,江苏,苏州市,3985\n");
    d = one("bad-nul", nul, (size_t)nl, 2, 1,
            "file,line,column,value,reason\n"
            "enterprises.csv,2,name,nul\\x00x,NUL byte in field\n");
    if (d) {
        CHECK_INT(d->n, 1);
        CHECK_STR(d->id[0], "A2");
        srdi_dataset_free(d);
    }

    /* a 1 MB field: accepted in a name; in a bad level it is reported truncated */
    size_t big = (size_t)1 << 20;
    srdi_buf b = {0};
    srdi_buf_puts(&b, HDR "A1,");
    for (size_t i = 0; i < big; i++) srdi_buf_append(&b, "x", 1);
    srdi_buf_puts(&b, ",national,江苏,苏州市,3985\nA2,n,");
    for (size_t i = 0; i < big; i++) srdi_buf_append(&b, "y", 1);
    srdi_buf_puts(&b, ",江苏,苏州市,3985\n");
    char want[1024];
    char ys[201];
    memset(ys, 'y', 200);
    ys[200] = 0;
    snprintf(want, sizeof want,
             "file,line,column,value,reason\n"
             "enterprises.csv,3,level,%s…,\"level must be provincial, national or champion (省级/国家级/单项冠军)\"\n",
             ys);
    d = one("bad-bigfield", b.data, b.len, 2, 1, want);
    if (d) {
        CHECK_INT(d->n, 1);
        CHECK_INT(strlen(d->name[0]), big);
        srdi_dataset_free(d);
    }
    srdi_buf_free(&b);
}

/* =========================================== GB18030 with Chinese headers */

static char *to_gb18030(const char *utf8, size_t *outlen)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    size_t inleft = strlen(utf8), cap = inleft * 2 + 16, oleft = cap;
    char *out = malloc(cap), *o = out, *in = (char *)utf8;
    size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        free(out);
        return NULL;
    }
    *outlen = cap - oleft;
    return out;
}

static void test_gb18030(void)
{
    const char *utf8 = "统一社会信用代码,企业名称,层级,省份,城市,行业代码,参保人数,研发人员数,高新技术企业\n"
                       "G1,苏州甲科技有限公司,国家级,江苏,苏州市,C3985,120,30,是\n"
                       "G2,杭州乙股份有限公司,省级,浙江,杭州市,3562,-3,,否\n"
                       "G3,合肥丙公司,单项冠军,安徽省,合肥市,2710,１,２,否\n";
    size_t len = 0;
    char *gb = to_gb18030(utf8, &len);
    CHECK(gb != NULL);
    if (!gb) return;
    CHECK(len < strlen(utf8)); /* really re-encoded */
    srdi_dataset *d = one("bad-gb18030", gb, len, 3, 2,
                          "file,line,column,value,reason\n"
                          "enterprises.csv,3,参保人数,-3,参保人数 must be an integer ≥ 0\n"
                          "enterprises.csv,4,研发人员数,２,研发人员数 (2) exceeds 参保人数 (1)\n");
    free(gb);
    if (!d) return;
    CHECK_STR(d->files[0].encoding, "gb18030");
    CHECK_INT(d->n, 1);
    if (d->n == 1) {
        CHECK_STR(d->name[0], "苏州甲科技有限公司");
        CHECK_STR(d->ref->provinces[d->province[0]].name, "江苏省");
        CHECK_STR(srdi_strpool_get(d->cities, d->city[0]), "苏州市");
        double v;
        CHECK(srdi_get(d, SRDI_F_RD_STAFF, 0, &v) && v == 30);
        CHECK(srdi_get(d, SRDI_F_HON_HIGH_TECH, 0, &v) && v == 1);
    }
    srdi_dataset_free(d);

    /* one bad GB18030 sequence (0x81 0x20) does not change the detection; its row is rejected */
    const char *utf8b = "统一社会信用代码,企业名称,层级,省份,城市,行业代码\n"
                        "G1,苏州甲科技有限公司,国家级,江苏,苏州市,C3985\n"
                        "G2,杭州乙股份有限公司,省级,浙江,杭州市,3562\n";
    gb = to_gb18030(utf8b, &len);
    CHECK(gb != NULL);
    if (!gb) return;
    char *gb2 = malloc(len + 16);
    /* "G2," in GB18030 is ASCII: insert 0x81 0x20 right after it */
    char *g2 = memmem(gb, len, "G2,", 3);
    CHECK(g2 != NULL);
    if (!g2) {
        free(gb);
        free(gb2);
        return;
    }
    size_t pre = (size_t)(g2 - gb) + 3;
    memcpy(gb2, gb, pre);
    memcpy(gb2 + pre, "\x81\x20", 2);
    memcpy(gb2 + pre + 2, gb + pre, len - pre);
    d = one("bad-gb18030-byte", gb2, len + 2, 2, 1,
            "file,line,column,value,reason\n"
            "enterprises.csv,3,企业名称,\\x81 杭州乙股份有限公司,invalid GB18030 byte sequence\n");
    free(gb);
    free(gb2);
    if (d) {
        CHECK_STR(d->files[0].encoding, "gb18030");
        CHECK_INT(d->n, 1);
        srdi_dataset_free(d);
    }
}

/* A GB18030 file whose first 64 KiB are pure ASCII rows is still detected
   (detection looks at the first lines that hold non-ASCII bytes). */
static void test_gb18030_late(void)
{
    srdi_buf b = {0};
    srdi_buf_puts(&b, "id,name,level,province,city,industry_code\n");
    int rows = 0;
    while (b.len < 70000) {
        srdi_buf_printf(&b, "A%05d,Acme %d Co,provincial,Jiangsu,X,3985\n", rows, rows);
        rows++;
    }
    srdi_buf_puts(&b, "Z1,苏州甲科技有限公司,国家级,江苏,苏州市,C3985\n");
    size_t len = 0;
    char *gb = to_gb18030(b.data, &len);
    srdi_buf_free(&b);
    CHECK(gb != NULL);
    if (!gb) return;
    const char *dir = make_dir("gb18030-late", gb, len, NULL, NULL);
    free(gb);
    srdi_dataset *d = NULL;
    long long errs = 0;
    CHECK_INT(run(dir, &d, &errs), SRDI_OK);
    if (!d) return;
    CHECK_STR(d->files[0].encoding, "gb18030");
    /* the ASCII rows have an unknown province ("Jiangsu"); the last row is valid */
    CHECK_INT(d->files[0].read, rows + 1);
    CHECK_INT(d->n, 1);
    if (d->n == 1) CHECK_STR(d->name[0], "苏州甲科技有限公司");
    srdi_dataset_free(d);
}

/* --encoding overrides detection */
static void test_encoding_override(void)
{
    const char *utf8 = HDR "A1,苏州甲,national,江苏,苏州市,3985\n";
    size_t len = 0;
    char *gb =
        to_gb18030("统一社会信用代码,企业名称,层级,省份,城市,行业代码\nA1,苏州甲,国家级,江苏,苏州市,3985\n", &len);
    CHECK(gb != NULL);
    if (!gb) return;
    srdi_reference *ref = NULL;
    srdi_dataset *d = NULL;

    /* a GB18030 file read as UTF-8: its header is not UTF-8 */
    const char *dir = make_dir("enc-force-utf8", gb, len, NULL, NULL);
    CHECK_INT(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref), SRDI_OK);
    srdi_ingest_opts o = {.data_dir = dir, .encoding = SRDI_ENC_UTF8, .quiet = true};
    CHECK_INT(srdi_ingest(&o, ref, &d, NULL), SRDI_ERR_ENCODING);
    CHECK_STR(srdi_error_message(), "enterprises.csv: header row is not valid UTF-8 (column 1); "
                                    "try --encoding gb18030 or utf-8");

    /* the same file with --encoding gb18030 */
    CHECK_INT(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref), SRDI_OK);
    o.encoding = SRDI_ENC_GB18030;
    CHECK_INT(srdi_ingest(&o, ref, &d, NULL), SRDI_OK);
    if (d) {
        CHECK_STR(d->files[0].encoding, "gb18030");
        CHECK_STR(d->name[0], "苏州甲");
        srdi_dataset_free(d);
    }
    free(gb);

    /* a UTF-8 file forced to GB18030 reads as mojibake, not as the original */
    dir = make_dir("enc-force-gb", utf8, strlen(utf8), NULL, NULL);
    CHECK_INT(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref), SRDI_OK);
    o.data_dir = dir;
    CHECK_INT(srdi_ingest(&o, ref, &d, NULL), SRDI_OK);
    if (d) {
        CHECK_STR(d->files[0].encoding, "gb18030");
        CHECK_INT(d->files[0].rejected, 1); /* 江苏 is no province in GB18030 mojibake */
        srdi_dataset_free(d);
    }
}

int main(void)
{
    test_mixed();
    test_file_errors();
    test_header_only();
    test_one_problem_files();
    test_gb18030();
    test_gb18030_late();
    test_encoding_override();
    return testutil_finish();
}
