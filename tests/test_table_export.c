/*
 * tests/test_table_export.c — tables.json and values.csv against golden
 * files (tests/data/export/), quoting of hostile keys, no_data tables,
 * atomic output and the I/O error path.
 *
 * The fixture is a hand-built table set; every value below is chosen so
 * its exported text is known: 0.1057 → "0.1057", 1/3 → the shortest round-trip form
 * "0.3333333333333333" in values.csv, NULL → empty field / JSON null.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/table.h"
#include "testutil.h"

/* Append table t to set s (the set owns it). */
static void add_table(srdi_tableset *s, srdi_table *t)
{
    s->tables = realloc(s->tables, (s->n + 1) * sizeof *s->tables);
    s->tables[s->n++] = t;
}

/* The fixture: T01 (counts and shares), T03 (bands with absent cells and a
 * null), T18 (hostile text), T30 (no data). */
static srdi_tableset *make_set(void)
{
    srdi_tableset *s = calloc(1, sizeof *s);
    srdi_table *t;
    int r;

    t = srdi_table_new("T01", "tier_share", "专精特新企业层级分布", "层级结构");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, 0, 1057);
    srdi_table_set_num(t, r, 1, 0.1057);
    r = srdi_table_add_row(t, "provincial", "省级");
    srdi_table_set_num(t, r, 0, 8943);
    srdi_table_set_num(t, r, 1, 0.8943);
    r = srdi_table_add_row(t, "total", "合计");
    srdi_table_set_num(t, r, 0, 10000);
    srdi_table_set_num(t, r, 1, 1);
    t->n = 10000;
    srdi_table_set_source(t, "资料来源：项目组整理");
    add_table(s, t);

    t = srdi_table_new("T03", "staff_bands", "从业人员规模分布", "人员规模");
    srdi_table_add_col(t, "national_share", "国家级", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "gap_pp", "差距", SRDI_COL_PP, "", 1);
    srdi_table_add_col(t, "median", "中位数", SRDI_COL_AMOUNT, "人", -1);
    r = srdi_table_add_row(t, "0-50", "0–50人");
    srdi_table_set_num(t, r, 0, 1.0 / 3.0);
    srdi_table_set_num(t, r, 1, -2.5);
    r = srdi_table_add_row(t, ">1000", ">1000人");
    srdi_table_set_null(t, r, 0);
    srdi_table_set_num(t, r, 1, NAN); /* non-finite → NULL */
    r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, 2, 123.5);
    srdi_table_set_cell_type(t, r, 2, SRDI_COL_MULTIPLE); /* tables.json "types" */
    t->n = 42;
    srdi_table_set_params(t, "bands=50,100,200,500,1000");
    srdi_table_set_note(t, "按从业人员数分档");
    add_table(s, t);

    t = srdi_table_new("T18", "group_focus", "中类聚焦", "中类聚焦");
    srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "", -1);
    srdi_table_add_col(t, "type", "类型", SRDI_COL_TEXT, "", -1);
    r = srdi_table_add_row(t, "a,b", "逗号,行");
    srdi_table_set_num(t, r, 0, 7);
    srdi_table_set_text(t, r, 1, "说\"引号\"");
    r = srdi_table_add_row(t, "line", "换行");
    srdi_table_set_num(t, r, 0, 2.5);
    srdi_table_set_text(t, r, 1, "双高型\n第二行");
    t->n = 9;
    add_table(s, t);

    t = srdi_table_new("T30", "patent_fields", "专利技术领域", "专利领域");
    srdi_table_add_col(t, "count", "件数", SRDI_COL_COUNT, "件", -1);
    r = srdi_table_add_row(t, "total", "合计");
    srdi_table_set_null(t, r, 0);
    t->no_data = true;
    srdi_table_set_note(t, "缺少 patents.csv");
    add_table(s, t);
    return s;
}

/* Compare a produced file with its golden copy byte for byte. */
static void check_golden(const char *produced, const char *golden_rel)
{
    size_t n1 = 0, n2 = 0;
    char *a = testutil_read_file(produced, &n1);
    char *b = testutil_read_file(testutil_src(golden_rel), &n2);
    CHECK(a != NULL);
    CHECK(b != NULL);
    if (a && b) {
        CHECK_INT(n1, n2);
        CHECK(n1 == n2 && memcmp(a, b, n1) == 0);
        if (getenv("SRDI_UPDATE_GOLDEN") == NULL && (n1 != n2 || memcmp(a, b, n1) != 0))
            fprintf(stderr, "  differs: %s vs %s\n", produced, golden_rel);
    }
    free(a);
    free(b);
}

/* Number of directory entries other than . and .. (catches leftover temp files). */
static int count_entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) return -1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

int main(void)
{
    char path[8400], bad[4200];
    const char *dir = testutil_tmpdir("table_export");
    srdi_tableset *s = make_set();
    CHECK(dir != NULL);
    if (!dir) return testutil_finish();

    /* values.csv: golden bytes, and spot checks of the rules. */
    snprintf(path, sizeof path, "%s/values.csv", dir);
    CHECK_INT(srdi_export_values_csv(s, path), SRDI_OK);
    check_golden(path, "tests/data/export/values.csv");
    {
        char *csv = testutil_read_file(path, NULL);
        CHECK(csv && strncmp(csv, "table,row,column,value\n", 23) == 0);
        CHECK(csv && strstr(csv, "T01,national,share,0.1057\n") != NULL);
        CHECK(csv && strstr(csv, "T03,0-50,national_share,0.3333333333333333\n") != NULL);
        CHECK(csv && strstr(csv, "T03,>1000,national_share,\n") != NULL); /* NULL → empty */
        CHECK(csv && strstr(csv, "T03,>1000,gap_pp,\n") != NULL);         /* NaN → NULL */
        CHECK(csv && strstr(csv, "T03,>1000,median") == NULL);            /* ABSENT left out */
        CHECK(csv && strstr(csv, "T18,\"a,b\",type,\"说\"\"引号\"\"\"\n") != NULL);
        CHECK(csv && strstr(csv, "T18,line,type,\"双高型\n第二行\"\n") != NULL);
        CHECK(csv && strstr(csv, "T30,") == NULL);   /* no_data: no lines */
        CHECK(csv && (unsigned char)csv[0] != 0xEF); /* no BOM */
        free(csv);
    }

    /* tables.json: golden bytes. */
    snprintf(path, sizeof path, "%s/tables.json", dir);
    CHECK_INT(srdi_export_json(s, path), SRDI_OK);
    check_golden(path, "tests/data/export/tables.json");
    CHECK_INT(count_entries(dir), 2); /* no temp files left behind */

    /* An unwritable destination: SRDI_ERR_IO naming the file, nothing left. */
    snprintf(bad, sizeof bad, "%s/missing-dir/values.csv", dir);
    CHECK_INT(srdi_export_values_csv(s, bad), SRDI_ERR_IO);
    snprintf(path, sizeof path, "%s: cannot create: No such file or directory", bad);
    CHECK_STR(srdi_error_message(), path);
    snprintf(bad, sizeof bad, "%s/missing-dir/tables.json", dir);
    CHECK_INT(srdi_export_json(s, bad), SRDI_ERR_IO);
    snprintf(path, sizeof path, "%s: cannot create: No such file or directory", bad);
    CHECK_STR(srdi_error_message(), path);
    CHECK_INT(count_entries(dir), 2);

    /* An empty set: header only / empty table list. */
    {
        srdi_tableset empty = {0};
        char *txt;
        snprintf(path, sizeof path, "%s/empty.csv", dir);
        CHECK_INT(srdi_export_values_csv(&empty, path), SRDI_OK);
        txt = testutil_read_file(path, NULL);
        CHECK_STR(txt, "table,row,column,value\n");
        free(txt);
        snprintf(path, sizeof path, "%s/empty.json", dir);
        CHECK_INT(srdi_export_json(&empty, path), SRDI_OK);
        txt = testutil_read_file(path, NULL);
        CHECK_STR(txt, "{\n  \"generator\": \"srdi-report\",\n  \"tables\": []\n}\n");
        free(txt);
    }

    srdi_tableset_free(s);
    return testutil_finish();
}
