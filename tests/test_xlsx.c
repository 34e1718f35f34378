/*
 * tests/test_xlsx.c — bureau workbooks: sheet and file name sanitizing,
 * writing a workbook from a hand-built table set (read back with openpyxl
 * by tests/xlsx_check.py), benchmark columns, reproducible bytes for the
 * same epoch, atomic output and the error path.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/charts.h"
#include "srdi/xlsx.h"
#include "testutil.h"

/* Epoch of the fixture: 2024-01-02 03:04:05 UTC. */
#define EPOCH 1704164645LL

/* Append table t to set s (the set owns it). */
static void add_table(srdi_tableset *s, srdi_table *t)
{
    s->tables = realloc(s->tables, (s->n + 1) * sizeof *s->tables);
    s->tables[s->n++] = t;
}

/*
 * The fixture.  @p national selects the benchmark variant: the same tables
 * with other numbers (national values), T03 without its ">1000" row.
 */
static srdi_tableset *make_set(bool national)
{
    static const char *const prov[12] = {"广东省", "江苏省", "浙江省", "山东省", "北京市", "上海市",
                                         "湖北省", "安徽省", "河南省", "四川省", "福建省", "湖南省"};
    srdi_tableset *s = calloc(1, sizeof *s);
    srdi_table *t;
    int r;
    double k = national ? 10 : 1;

    t = srdi_table_new("T01", "tier_share", "专精特新企业层级分布", "层级结构");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    r = srdi_table_add_row(t, "national", "国家级“小巨人”");
    srdi_table_set_num(t, r, 0, 1057 * k);
    srdi_table_set_num(t, r, 1, 0.1057);
    r = srdi_table_add_row(t, "provincial", "省级");
    srdi_table_set_num(t, r, 0, 8943 * k);
    srdi_table_set_num(t, r, 1, 0.8943);
    r = srdi_table_add_row(t, "total", "合计");
    srdi_table_set_num(t, r, 0, 10000 * k);
    srdi_table_set_num(t, r, 1, 1);
    t->n = (long long)(10000 * k);
    srdi_table_set_note(t, "国家级即专精特新“小巨人”");
    add_table(s, t);

    t = srdi_table_new("T03", "staff_bands", "从业人员规模分布", "人员规模");
    srdi_table_add_col(t, "national_share", "国家级", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "provincial_share", "省级", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "gap_pp", "差距", SRDI_COL_PP, "个百分点", 1);
    srdi_table_add_col(t, "median", "中位数", SRDI_COL_AMOUNT, "人", -1);
    r = srdi_table_add_row(t, "0-50", "0–50人");
    srdi_table_set_num(t, r, 0, 0.25);
    srdi_table_set_num(t, r, 1, 0.5);
    srdi_table_set_num(t, r, 2, -25);
    if (!national) {
        r = srdi_table_add_row(t, ">1000", ">1000人");
        srdi_table_set_num(t, r, 0, 0.75);
        srdi_table_set_null(t, r, 1);
        srdi_table_set_null(t, r, 2);
    }
    r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, 3, 120 * k);
    t->n = 4;
    add_table(s, t);

    t = srdi_table_new("T13", "province_rank", "各省份企业数量排名", "省份排名");
    srdi_table_add_col(t, "rank", "排名", SRDI_COL_YEAR, "", -1);
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 12; i++) {
        r = srdi_table_add_row(t, prov[i], prov[i]);
        srdi_table_set_num(t, r, 0, i + 1);
        srdi_table_set_num(t, r, 1, 1200 - 100 * i);
        srdi_table_set_num(t, r, 2, (1200 - 100 * i) / 7800.0);
    }
    t->n = 7800;
    add_table(s, t);

    t = srdi_table_new("T16", "city_rank", "城市分布", "城市分布");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "median_patents", "专利中位数", SRDI_COL_AMOUNT, "件", 1);
    for (int i = 0; i < 3; i++) {
        static const char *const city[3] = {"深圳市", "苏州市", "上海市"};
        r = srdi_table_add_row(t, city[i], city[i]);
        srdi_table_set_num(t, r, 0, 300 - 50 * i);
        srdi_table_set_num(t, r, 1, (300 - 50 * i) / 1000.0);
        srdi_table_set_num(t, r, 2, 25.5 + i);
    }
    t->n = 1000;
    add_table(s, t);

    t = srdi_table_new("T20", "correlation", "相关系数", "相关");
    srdi_table_add_col(t, "patents_total", "专利总数", SRDI_COL_RATIO, "", -1);
    srdi_table_add_col(t, "label", "标签", SRDI_COL_TEXT, "", -1);
    r = srdi_table_add_row(t, "patents_total", "专利总数");
    srdi_table_set_num(t, r, 0, 1);
    srdi_table_set_text(t, r, 1, "极高");
    add_table(s, t);

    /* Same short name as T20: the sheet name must become unique. */
    t = srdi_table_new("T20", "correlation", "相关系数（重复）", "相关");
    add_table(s, t);

    t = srdi_table_new("T30", "patent_fields", "专利技术领域", "专利领域");
    srdi_table_add_col(t, "count", "件数", SRDI_COL_COUNT, "件", -1);
    t->no_data = true;
    add_table(s, t);

    t = srdi_table_new("T98", "hostile", "敌意名称", "a/b:c*d?e[f]g\\h'很长的名字超过三十一个字符的工作表名称测试");
    add_table(s, t);
    return s;
}

/* A dataset that only carries what the 说明 sheet shows. */
static srdi_dataset *make_dataset(void)
{
    srdi_dataset *d = srdi_dataset_new(NULL);
    size_t row;
    srdi_dataset_add_enterprise(d, "91320000000000001X", "测试企业", SRDI_LEVEL_NATIONAL, 0, "苏州市", "3985",
                                SRDI_TE_NONE, &row);
    srdi_dataset_add_financial(d, (uint32_t)row, 2023, 100, 5);
    srdi_dataset_add_financial(d, (uint32_t)row, 2024, 120, 6);
    d->files[SRDI_FILE_ENTERPRISES].present = true;
    d->files[SRDI_FILE_ENTERPRISES].path = strdup("data/enterprises.csv");
    memcpy(d->files[SRDI_FILE_ENTERPRISES].encoding, "gb18030", 8);
    d->files[SRDI_FILE_ENTERPRISES].read = 12345;
    d->files[SRDI_FILE_ENTERPRISES].accepted = 12340;
    d->files[SRDI_FILE_ENTERPRISES].rejected = 5;
    d->files[SRDI_FILE_FINANCIALS].present = true;
    d->files[SRDI_FILE_FINANCIALS].path = strdup("data/financials.csv");
    memcpy(d->files[SRDI_FILE_FINANCIALS].encoding, "utf-8", 6);
    d->files[SRDI_FILE_FINANCIALS].read = 2;
    d->files[SRDI_FILE_FINANCIALS].accepted = 2;
    return d;
}

/* Number of directory entries other than . and .. */
static int count_entries(const char *dir)
{
    int n = 0;
    DIR *dp = opendir(dir);
    struct dirent *e;
    if (!dp) return -1;
    while ((e = readdir(dp)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(dp);
    return n;
}

/* True when both files exist and have identical bytes. */
static bool same_bytes(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = testutil_read_file(a, &na), *y = testutil_read_file(b, &nb);
    bool same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static void test_sheet_names(void)
{
    char buf[128];
    CHECK_INT(srdi_xlsx_sheet_name("T04", "荣誉资质", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "T04 荣誉资质");
    CHECK_INT(srdi_xlsx_sheet_name("T04", "", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "T04");
    CHECK_INT(srdi_xlsx_sheet_name("T04", NULL, buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "T04");
    /* Forbidden characters; 31 code points (4 + 27 CJK/ASCII), not bytes. */
    CHECK_INT(srdi_xlsx_sheet_name("T05", "a/b:c*d?e[f]g\\h", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "T05 a_b_c_d_e_f_g_h");
    CHECK_INT(
        srdi_xlsx_sheet_name("T06", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", buf, sizeof buf),
        SRDI_OK);
    CHECK_STR(buf, "T06 一二三四五六七八九十一二三四五六七八九十一二三四五六七");
    CHECK_INT(srdi_utf8_len(buf), 31);
    /* Apostrophes may not start or end a name. */
    CHECK_INT(srdi_xlsx_sheet_name("'T", "x'", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "_T x_");
    /* Control characters and broken UTF-8. */
    CHECK_INT(srdi_xlsx_sheet_name("T07",
                                   "a\tb\xff"
                                   "c",
                                   buf, sizeof buf),
              SRDI_OK);
    CHECK_STR(buf, "T07 a_b_c");
    CHECK_INT(srdi_xlsx_sheet_name("T07", "x", buf, 16), SRDI_ERR_USAGE);
    CHECK_STR(srdi_error_message(), "srdi_xlsx_sheet_name: bad arguments");
}

static void test_safe_filenames(void)
{
    char buf[128], small[8];
    CHECK_INT(srdi_xlsx_safe_filename("江苏省", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "江苏省");
    CHECK_INT(srdi_xlsx_safe_filename("../江苏省", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "___江苏省");
    CHECK_INT(srdi_xlsx_safe_filename("a/b\\c:d*e?f\"g<h>i|j", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "a_b_c_d_e_f_g_h_i_j");
    CHECK_INT(srdi_xlsx_safe_filename(".hidden", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "_hidden");
    CHECK_INT(srdi_xlsx_safe_filename("..", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "__");
    CHECK_INT(srdi_xlsx_safe_filename("", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "_");
    CHECK_INT(srdi_xlsx_safe_filename("name. ", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "name__");
    CHECK_INT(srdi_xlsx_safe_filename("a\nb\x01"
                                      "c\x7f",
                                      buf, sizeof buf),
              SRDI_OK);
    CHECK_STR(buf, "a_b_c_");
    /* Invalid UTF-8, an overlong "/" (C0 AF) and a right-to-left override. */
    CHECK_INT(srdi_xlsx_safe_filename("x\xff"
                                      "y\xc0\xaf"
                                      "z\xe2\x80\xae"
                                      "gpj.exe",
                                      buf, sizeof buf),
              SRDI_OK);
    CHECK_STR(buf, "x_y__z_gpj.exe"); /* each invalid byte (srdi_utf8_decode) becomes one "_" */
    /* Windows device names. */
    CHECK_INT(srdi_xlsx_safe_filename("CON", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "_CON");
    CHECK_INT(srdi_xlsx_safe_filename("com1.xlsx", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "_com1.xlsx");
    CHECK_INT(srdi_xlsx_safe_filename("CONSOLE", buf, sizeof buf), SRDI_OK);
    CHECK_STR(buf, "CONSOLE");
    /* Length caps never split a character: 7 bytes → two CJK (6 bytes). */
    CHECK_INT(srdi_xlsx_safe_filename("江苏省", small, sizeof small), SRDI_OK);
    CHECK_STR(small, "江苏");
    {
        char longname[400];
        for (int i = 0; i < 100; i++) memcpy(longname + 3 * i, "省", 3); /* 300 bytes */
        longname[300] = '\0';
        CHECK_INT(srdi_xlsx_safe_filename(longname, buf, sizeof buf), SRDI_OK);
        CHECK_INT(strlen(buf), 120);
    }
    CHECK_INT(srdi_xlsx_safe_filename(NULL, buf, sizeof buf), SRDI_ERR_USAGE);
    CHECK_STR(buf, "");
    CHECK_INT(srdi_xlsx_safe_filename("x", buf, 1), SRDI_ERR_USAGE);
}

FILE *lxw_tmpfile(char *tmpdir); /* libxlsxwriter's, replaced by src/xlsx/xlsx.c's */

/*
 * libxlsxwriter's scratch files are streams in memory (no descriptor, no
 * file): written with stdio past several buffers, rewound and read back
 * whole as libxlsxwriter's packager does, EOF at the end.
 */
static void test_scratch_in_memory(void)
{
    FILE *f = lxw_tmpfile(NULL);
    CHECK(f != NULL);
    if (!f) return;
    CHECK_INT(fileno(f), -1);
    static char want[60000], got[60000 + 1];
    for (size_t i = 0; i < sizeof want; i++) want[i] = (char)('a' + i % 23);
    CHECK_INT(fwrite(want, 1, 30000, f), 30000);
    CHECK_INT(fprintf(f, "%.*s", 30000, want + 30000), 30000);
    CHECK_INT(ftell(f), 60000);
    CHECK_INT(fflush(f), 0);
    rewind(f);
    size_t n = 0, k;
    while ((k = fread(got + n, 1, 16384 < sizeof got - n ? 16384 : sizeof got - n, f)) > 0) n += k;
    CHECK_INT(n, 60000);
    CHECK(memcmp(got, want, sizeof want) == 0);
    CHECK(feof(f));
    CHECK_INT(fclose(f), 0);
}

int main(void)
{
    char path[4200], path2[4200], bench_path[4200], cmd[17000];
    const char *dir;
    srdi_tableset *s = make_set(false), *nat = make_set(true);
    srdi_dataset *d = make_dataset();
    srdi_params *p = srdi_params_new();
    /* the report's 图表 numbers: T13 renumbered and recaptioned, the others the 2026 edition's */
    static srdi_fignums nums;
    srdi_fignums_set(&nums, "T13", 7);
    srdi_fignums_set_caption(&nums, "T13", "省份分布前10");
    srdi_xlsx_info info = {.d = d, .params = p, .scope = "江苏省", .epoch = EPOCH, .fignums = &nums};

    test_sheet_names();
    test_safe_filenames();
    test_scratch_in_memory();

    srdi_params_set(p, "report", "title", "专精特新企业培育发展报告");
    srdi_params_set(p, "t02", "threshold", "10000");

    dir = testutil_tmpdir("xlsx");
    CHECK(dir != NULL);
    if (!dir) return testutil_finish();

    /* A workbook, then the same again: identical bytes. */
    snprintf(path, sizeof path, "%s/a.xlsx", dir);
    snprintf(path2, sizeof path2, "%s/b.xlsx", dir);
    CHECK_INT(srdi_xlsx_write(path, s, NULL, &info), SRDI_OK);
    CHECK_INT(srdi_xlsx_write(path2, s, NULL, &info), SRDI_OK);
    CHECK(same_bytes(path, path2));
    CHECK_INT(count_entries(dir), 2); /* no temp files left */
    {
        /* the parts are deflated at zlib level 1: minizip marks it in the first
           local header's flags (bits 1-2 both set: "super fast") */
        unsigned char hdr[8] = {0};
        FILE *f = fopen(path, "rb");
        CHECK(f && fread(hdr, 1, sizeof hdr, f) == sizeof hdr);
        if (f) fclose(f);
        CHECK(memcmp(hdr, "PK\3\4", 4) == 0);
        CHECK_INT(hdr[6] & 6, 6);
    }

    /* Another epoch changes the bytes (the stamp is really used). */
    info.epoch = EPOCH + 86400;
    CHECK_INT(srdi_xlsx_write(path2, s, NULL, &info), SRDI_OK);
    CHECK(!same_bytes(path, path2));
    info.epoch = EPOCH;

    /* Split workbook with 全国 benchmark columns. */
    snprintf(bench_path, sizeof bench_path, "%s/bench.xlsx", dir);
    CHECK_INT(srdi_xlsx_write(bench_path, s, nat, &info), SRDI_OK);

    /* Read both back with openpyxl and zipfile. */
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' fixture '%s' '%s'", testutil_src("tests/xlsx_check.py"), path,
             bench_path);
    CHECK_INT(system(cmd), 0);

    /* Unwritable destination: SRDI_ERR_IO naming the file and the cause, nothing left. */
    snprintf(path2, sizeof path2, "%s/no-such-dir/c.xlsx", dir);
    CHECK_INT(srdi_xlsx_write(path2, s, NULL, &info), SRDI_ERR_IO);
    snprintf(cmd, sizeof cmd, "%s: cannot create: No such file or directory", path2);
    CHECK_STR(srdi_error_message(), cmd);
    CHECK_INT(count_entries(dir), 3);

    /* No info at all (no dataset, no params): still a workbook, scope 全国. */
    snprintf(path2, sizeof path2, "%s/noinfo.xlsx", dir);
    CHECK_INT(srdi_xlsx_write(path2, s, NULL, NULL), SRDI_OK);
    CHECK_INT(count_entries(dir), 4);
    CHECK_INT(srdi_xlsx_write(NULL, s, NULL, NULL), SRDI_ERR_USAGE);
    CHECK_STR(srdi_error_message(), "srdi_xlsx_write: no output path");

    /* An empty table set still gives a valid workbook (说明 only). */
    {
        srdi_tableset empty = {0};
        snprintf(path2, sizeof path2, "%s/empty.xlsx", dir);
        CHECK_INT(srdi_xlsx_write(path2, &empty, NULL, &info), SRDI_OK);
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' empty '%s'", testutil_src("tests/xlsx_check.py"), path2);
        CHECK_INT(system(cmd), 0);
    }

    srdi_tableset_free(s);
    srdi_tableset_free(nat);
    srdi_dataset_free(d);
    srdi_params_free(p);
    return testutil_finish();
}
