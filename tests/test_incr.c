/*
 * tests/test_incr.c — incremental builds: content hashes, the state file,
 * values.csv parsing and the exact changes.csv of a hand-made pair of runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srdi/incremental.h"
#include "srdi/util.h"
#include "testutil.h"

/* ------------------------------------------------------------- hashing */

static srdi_table *small_table(double share)
{
    srdi_table *t = srdi_table_new("T01", "tier_share", "层级占比", "层级");
    srdi_table_add_col(t, "count", "数量", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    int r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, 0, 10);
    srdi_table_set_num(t, r, 1, share);
    srdi_table_set_note(t, "注：%s", "样本");
    return t;
}

static void test_hash(void)
{
    /* FNV-1a 64 reference values. */
    CHECK(srdi_incr_hash_bytes(SRDI_INCR_HASH_INIT, "", 0) == 0xcbf29ce484222325ULL);
    CHECK(srdi_incr_hash_bytes(SRDI_INCR_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    CHECK(srdi_incr_hash_bytes(SRDI_INCR_HASH_INIT, "foobar", 6) == 0x85944171f73967e8ULL);
    char hex[17];
    srdi_incr_hex(0xaf63dc4c8601ec8cULL, hex);
    CHECK_STR(hex, "af63dc4c8601ec8c");
    srdi_incr_hex(42, hex);
    CHECK_STR(hex, "000000000000002a");

    uint64_t h0 = SRDI_INCR_HASH_INIT;
    CHECK(srdi_incr_hash_str(h0, NULL) != srdi_incr_hash_str(h0, ""));
    CHECK(srdi_incr_hash_str(srdi_incr_hash_str(h0, "ab"), "c") !=
          srdi_incr_hash_str(srdi_incr_hash_str(h0, "a"), "bc"));

    srdi_table *a = small_table(0.25), *b = small_table(0.25);
    CHECK(srdi_incr_table_hash(a) == srdi_incr_table_hash(b));
    /* One ulp in one cell. */
    srdi_table_set_num(b, 0, 1, 0.25000000000000006);
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    srdi_table_set_num(b, 0, 1, 0.25);
    CHECK(srdi_incr_table_hash(a) == srdi_incr_table_hash(b));
    /* Null vs absent, a note, a column's format, a cell's format override. */
    srdi_table_set_null(b, 0, 1);
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    srdi_table_set_num(b, 0, 1, 0.25);
    srdi_table_set_note(b, "注：%s", "样本2");
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    srdi_table_set_note(b, "注：%s", "样本");
    CHECK(srdi_incr_table_hash(a) == srdi_incr_table_hash(b));
    b->cols[1].decimals = 1;
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    b->cols[1].decimals = -1;
    srdi_table_set_cell_type(b, 0, 1, SRDI_COL_PP);
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    srdi_table_free(b);
    /* the sample-size fields behind the outputs' 样本数 notes and small-sample
       markers: a row's basis n, its small flag, the table's small_sample */
    b = small_table(0.25);
    b->rows[0].basis_n = 17;
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    b->rows[0].basis_n = a->rows[0].basis_n;
    CHECK(srdi_incr_table_hash(a) == srdi_incr_table_hash(b));
    b->rows[0].small = !a->rows[0].small;
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    b->rows[0].small = a->rows[0].small;
    b->small_sample = !a->small_sample;
    CHECK(srdi_incr_table_hash(a) != srdi_incr_table_hash(b));
    srdi_table_free(a);
    srdi_table_free(b);

    /* Params: order-sensitive content. */
    srdi_params *p = srdi_params_new(), *q = srdi_params_new();
    CHECK(srdi_incr_params_hash(h0, p) == srdi_incr_params_hash(h0, NULL));
    srdi_params_set(p, "T03", "bands", "50,100");
    CHECK(srdi_incr_params_hash(h0, p) != srdi_incr_params_hash(h0, q));
    srdi_params_set(q, "T03", "bands", "50,100");
    CHECK(srdi_incr_params_hash(h0, p) == srdi_incr_params_hash(h0, q));
    srdi_params_set(q, "T03", "bands", "50,101");
    CHECK(srdi_incr_params_hash(h0, p) != srdi_incr_params_hash(h0, q));
    srdi_params_free(p);
    srdi_params_free(q);
}

/* Test folder @p name copied into @p dir (testutil_tmpdir reuses its buffer); false, a failed CHECK, when it cannot be made. */
static bool fresh_dir(const char *name, char dir[4096])
{
    const char *d = testutil_tmpdir(name);
    CHECK(d != NULL);
    if (!d) return false;
    srdi_strlcpy(dir, d, 4096);
    return true;
}

/* Write @p text to DIR/@p rel, or make the folder DIR/@p rel when @p text is NULL. */
static void put(const char *dir, const char *rel, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    if (text)
        testutil_write_file(path, text, strlen(text));
    else
        mkdir(path, 0755);
}

/* A directory's hash follows file contents and names, not hidden files or mtimes. */
static void test_hash_tree(void)
{
    char path[4200], root[4096];
    if (!fresh_dir("incr-tree", root)) return;
    put(root, "sub", NULL);
    put(root, "a.md", "hello");
    put(root, "sub/b.csv", "x,y\n");
    uint64_t h1 = SRDI_INCR_HASH_INIT, h2 = SRDI_INCR_HASH_INIT, h3 = SRDI_INCR_HASH_INIT;
    CHECK_INT(srdi_incr_hash_tree(&h1, root), SRDI_OK);
    put(root, ".swp", "junk");
    put(root, "a.md", "hello"); /* same bytes, new mtime */
    CHECK_INT(srdi_incr_hash_tree(&h2, root), SRDI_OK);
    CHECK(h1 == h2);
    put(root, "sub/b.csv", "x,z\n");
    CHECK_INT(srdi_incr_hash_tree(&h3, root), SRDI_OK);
    CHECK(h1 != h3);

    uint64_t m1 = SRDI_INCR_HASH_INIT, m2 = SRDI_INCR_HASH_INIT;
    snprintf(path, sizeof path, "%s/none", root);
    CHECK_INT(srdi_incr_hash_tree(&m1, path), SRDI_OK);
    CHECK_INT(srdi_incr_hash_file(&m2, path, SRDI_INCR_FILE_CONTENTS), SRDI_OK);
    CHECK(m1 != SRDI_INCR_HASH_INIT);
    CHECK(m2 != SRDI_INCR_HASH_INIT);
}

/* ---------------------------------------------------------- state file */

/* Replace a file the way outputs are written: a new file renamed over it. */
static void rewrite(const char *path, const char *text)
{
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    testutil_write_file(tmp, text, strlen(text));
    rename(tmp, path);
}

static void test_state(void)
{
    char dir[4096], path[4200];
    if (!fresh_dir("incr-state", dir)) return;
    put(dir, "figures", NULL);
    put(dir, "figures/fig 15_T13.png", "PNG");

    srdi_incr_state *s = NULL;
    CHECK_INT(srdi_incr_state_load(dir, &s), SRDI_OK); /* no state yet: empty */
    CHECK(s != NULL);
    CHECK(!srdi_incr_state_fresh(s, dir, "figures/fig 15_T13.png", 7));
    CHECK_INT(srdi_incr_state_record(s, dir, "figures/fig 15_T13.png", 7), SRDI_OK);
    CHECK(srdi_incr_state_fresh(s, dir, "figures/fig 15_T13.png", 7));
    CHECK(!srdi_incr_state_fresh(s, dir, "figures/fig 15_T13.png", 8));
    CHECK_INT(srdi_incr_state_record(s, dir, "missing.pdf", 9), SRDI_OK); /* not recorded */
    CHECK(!srdi_incr_state_fresh(s, dir, "missing.pdf", 9));
    CHECK_INT(srdi_incr_state_set_input(s, "params", 42), SRDI_OK);
    CHECK_INT(srdi_incr_state_set_input(s, "params", 43), SRDI_OK); /* replaces */
    srdi_tableset ts = {0};
    srdi_table *t = small_table(0.25);
    ts.tables = &t;
    ts.n = 1;
    CHECK_INT(srdi_incr_state_set_tables(s, &ts), SRDI_OK);
    CHECK_INT(srdi_incr_state_save(s, dir), SRDI_OK);
    srdi_incr_state_free(s);

    /* The saved text. */
    snprintf(path, sizeof path, "%s/.srdi-state", dir);
    char *text = testutil_read_file(path, NULL);
    CHECK(text && strncmp(text, "srdi-state 1\ninput params 000000000000002b\ntable T01 ", 52) == 0);
    CHECK(text && strstr(text, " figures/fig 15_T13.png\n") != NULL);
    CHECK(text && strstr(text, "missing.pdf") == NULL);
    free(text);

    /* Reloaded: still fresh; a rewritten file (new inode) is not. */
    CHECK_INT(srdi_incr_state_load(dir, &s), SRDI_OK);
    uint64_t h = 0;
    CHECK(srdi_incr_state_table(s, "T01", &h) && h == srdi_incr_table_hash(t));
    CHECK(!srdi_incr_state_table(s, "T02", &h));
    CHECK(srdi_incr_state_fresh(s, dir, "figures/fig 15_T13.png", 7));
    snprintf(path, sizeof path, "%s/figures/fig 15_T13.png", dir);
    rewrite(path, "PNG");
    CHECK(!srdi_incr_state_fresh(s, dir, "figures/fig 15_T13.png", 7));
    unlink(path);
    CHECK(!srdi_incr_state_fresh(s, dir, "figures/fig 15_T13.png", 7));
    srdi_incr_state_free(s);
    srdi_table_free(t);

    /* Another format version or garbage lines: ignored, nothing fresh. */
    snprintf(path, sizeof path, "%s/.srdi-state", dir);
    const char *bad = "srdi-state 1\noutput zz 1 2 3 4.5 x\noutput 000000000000002a 1 2 x 4.5 y\nbogus\n";
    testutil_write_file(path, bad, strlen(bad));
    CHECK_INT(srdi_incr_state_load(dir, &s), SRDI_OK);
    CHECK(!srdi_incr_state_fresh(s, dir, "x", 0x2a));
    srdi_incr_state_free(s);
}

/* ------------------------------------------------------- values / diff */

static void test_values_parse(void)
{
    srdi_incr_values *v = NULL;
    const char *ok = "\xEF\xBB\xBFtable,row,column,value\r\nT01,a,b,\"x\"\"y\"\r\n\nT01,\"c,d\",e,\r\n";
    CHECK_INT(srdi_incr_values_parse(ok, strlen(ok), "v.csv", &v), SRDI_OK);
    CHECK_INT(srdi_incr_values_count(v), 2);
    srdi_incr_values_free(v);

    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"table,row,column,value\nT01,a,b\n", "v.csv:2: expected 4 fields (table,row,column,value), got 3"},
        {"table,row,column,value\nT01,a,b,c,d\n", "v.csv:2: expected 4 fields (table,row,column,value), got 5"},
        {"table,row,column,value\nT01,a,b,\"x\n",
         "v.csv:2: column 4: malformed quoted field (quoted field never closed): 'x'"},
        {"table,row,column,value\nT01,a,b,\"x\"y\n",
         "v.csv:2: column 4: malformed quoted field (text after the closing quote of a quoted field): 'x\"'"},
        {"tbl,row,column,value\n", "v.csv:1: header is not table,row,column,value"},
        {"", "v.csv: empty file (no header)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = NULL;
        CHECK_INT(srdi_incr_values_parse(bad[i].text, strlen(bad[i].text), "v.csv", &v), SRDI_ERR_CSV);
        CHECK_STR(srdi_error_message(), bad[i].msg);
        CHECK(v == NULL);
    }
    CHECK_INT(srdi_incr_values_load("/nonexistent/values.csv", &v), SRDI_OK); /* first build */
    CHECK(v == NULL);
}

/*
 * values.csv written by THE CSV writer and read back by THE CSV reader: text
 * that needs quoting (comma, quote, embedded LF and CRLF, leading and
 * trailing spaces, a trailing tab), a guarded formula and a BOM'd file all
 * come back as written, so a rebuild with the same values reports no change.
 */
static void test_values_roundtrip(void)
{
    static const char *const texts[] = {
        "a,b", "say \"hi\"", "two\nlines", "crlf\r\nline", "  padded  ", "tab\t", "=1+2", "-x", "江苏省,苏州市", "",
    };
    enum { NT = sizeof texts / sizeof texts[0] };
    srdi_tableset ts = {0};
    srdi_table *tabs[1];
    ts.tables = tabs;
    srdi_table *t = srdi_table_new("T02", "text", "文字", "文字");
    srdi_table_add_col(t, " col, 1 ", "x", SRDI_COL_NUMBER, "", -1);
    for (int i = 0; i < NT; i++) {
        char key[32];
        snprintf(key, sizeof key, i % 2 ? "row \"%d\"" : "row\n%d", i);
        int r = srdi_table_add_row(t, key, key);
        srdi_table_set_text(t, r, 0, texts[i]);
    }
    tabs[ts.n++] = t;
    const char *d = testutil_tmpdir("incr-roundtrip");
    char path[4200], cpath[4200];
    snprintf(path, sizeof path, "%s/values.csv", d);
    snprintf(cpath, sizeof cpath, "%s/changes.csv", d);
    CHECK_INT(srdi_export_values_csv(&ts, path), SRDI_OK);
    srdi_incr_values *v = NULL;
    CHECK_INT(srdi_incr_values_load(path, &v), SRDI_OK);
    CHECK_INT(srdi_incr_values_count(v), NT);
    srdi_incr_summary sum;
    CHECK_INT(srdi_incr_changes_write(v, &ts, false, cpath, &sum), SRDI_OK);
    CHECK_INT(sum.nvalues, 0);
    srdi_incr_values_free(v);

    /* the same file behind a UTF-8 BOM, one value changed: exactly that value moves */
    size_t len = 0;
    char *text = testutil_read_file(path, &len);
    char *bom = malloc(len + 4);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, text, len + 1);
    char *at = strstr(bom, "\"two\nlines\"");
    CHECK(at != NULL);
    if (at) memcpy(at, "\"TWO", 4);
    v = NULL;
    CHECK_INT(srdi_incr_values_parse(bom, len + 3, "v.csv", &v), SRDI_OK);
    CHECK_INT(srdi_incr_values_count(v), NT);
    CHECK_INT(srdi_incr_changes_write(v, &ts, false, cpath, &sum), SRDI_OK);
    CHECK_INT(sum.nvalues, 1);
    CHECK_INT(sum.nmoved, 1);
    char *ch = testutil_read_file(cpath, NULL);
    CHECK_STR(ch, "table,row,column,old,new,change\n"
                  "T02,\"row\n2\",\" col, 1 \",\"TWO\nlines\",\"two\nlines\",moved\n");
    free(ch);
    srdi_incr_values_free(v);
    free(bom);
    free(text);
    srdi_table_free(t);
}

/* The new run: T01 with a moved share, a moved count, a removed cell and an added row; T02 text/null. */
static srdi_tableset *new_run(void)
{
    srdi_tableset *ts = calloc(1, sizeof *ts);
    ts->tables = calloc(3, sizeof *ts->tables);
    srdi_table *t = srdi_table_new("T01", "tier_share", "层级占比", "层级");
    srdi_table_add_col(t, "count", "数量", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    int r = srdi_table_add_row(t, "national", "国家级");
    srdi_table_set_num(t, r, 0, 10);
    srdi_table_set_num(t, r, 1, 0.2);
    r = srdi_table_add_row(t, "provincial", "省级");
    srdi_table_set_num(t, r, 0, 40); /* share left ABSENT */
    r = srdi_table_add_row(t, "total", "合计");
    srdi_table_set_num(t, r, 0, 50);
    srdi_table_set_num(t, r, 1, 1);
    ts->tables[ts->n++] = t;

    t = srdi_table_new("T02", "text", "文字", "文字");
    srdi_table_add_col(t, "x", "x", SRDI_COL_NUMBER, "", -1);
    r = srdi_table_add_row(t, "a", "a");
    srdi_table_set_text(t, r, 0, "1,5");
    r = srdi_table_add_row(t, "b", "b");
    srdi_table_set_num(t, r, 0, 7);
    r = srdi_table_add_row(t, "c", "c");
    srdi_table_set_null(t, r, 0);
    r = srdi_table_add_row(t, "q\"uote", "q");
    srdi_table_set_num(t, r, 0, 0.1 + 0.2); /* 0.30000000000000004: full precision */
    ts->tables[ts->n++] = t;

    t = srdi_table_new("T05", "dups", "重复", "重复");
    srdi_table_add_col(t, "c", "c", SRDI_COL_COUNT, "", -1);
    r = srdi_table_add_row(t, "r", "r");
    srdi_table_set_num(t, r, 0, 1);
    r = srdi_table_add_row(t, "r", "r");
    srdi_table_set_num(t, r, 0, 3);
    ts->tables[ts->n++] = t;
    return ts;
}

static const char *old_values = "table,row,column,value\n"
                                "T01,national,count,10\n"
                                "T01,national,share,0.25\n"
                                "T01,provincial,count,30\n"
                                "T01,provincial,share,0.75\n"
                                "T02,a,x,\"1,5\"\n"
                                "T02,b,x,\n"
                                "T02,\"q\"\"uote\",x,0.3\n"
                                "T05,r,c,1\n"
                                "T05,r,c,2\n"
                                "T09,only,v,1\n";

static void test_changes(void)
{
    char path[4200], dir[4096];
    if (!fresh_dir("incr-changes", dir)) return;
    snprintf(path, sizeof path, "%s/values.csv", dir);
    testutil_write_file(path, old_values, strlen(old_values));
    srdi_incr_values *old = NULL;
    CHECK_INT(srdi_incr_values_load(path, &old), SRDI_OK);
    CHECK_INT(srdi_incr_values_count(old), 10);

    srdi_tableset *ts = new_run();
    srdi_incr_summary sum;
    snprintf(path, sizeof path, "%s/changes.csv", dir);
    CHECK_INT(srdi_incr_changes_write(old, ts, false, path, &sum), SRDI_OK);
    char *text = testutil_read_file(path, NULL);
    CHECK_STR(text, "table,row,column,old,new,change\n"
                    "T01,national,share,0.25,0.2,moved\n"
                    "T01,provincial,count,30,40,moved\n"
                    "T01,total,count,,50,added\n"
                    "T01,total,share,,1,added\n"
                    "T01,provincial,share,0.75,,removed\n"
                    "T02,b,x,,7,moved\n"
                    "T02,c,x,,,added\n"
                    "T02,\"q\"\"uote\",x,0.3,0.30000000000000004,moved\n"
                    "T05,r,c,2,3,moved\n"
                    "T09,only,v,1,,removed\n");
    free(text);
    CHECK_INT(sum.nvalues, 10);
    CHECK_INT(sum.nmoved, 5);
    CHECK_INT(sum.nadded, 3);
    CHECK_INT(sum.nremoved, 2);
    CHECK_INT(sum.ntables, 4);
    CHECK_STR(sum.tables, "T01, T02, T05, T09");
    char line[1024];
    srdi_incr_summary_line(&sum, "O/changes.csv", line, sizeof line);
    CHECK_STR(line, "changes: 10 values in 4 tables (T01, T02, T05, T09); see O/changes.csv");

    /* --only: tables not computed are not "removed"; the diff can be run again. */
    CHECK_INT(srdi_incr_changes_write(old, ts, true, path, &sum), SRDI_OK);
    CHECK_INT(sum.nvalues, 9);
    CHECK_STR(sum.tables, "T01, T02, T05");

    /* The same values again: header only. */
    snprintf(path, sizeof path, "%s/values2.csv", dir);
    CHECK_INT(srdi_export_values_csv(ts, path), SRDI_OK);
    srdi_incr_values *same = NULL;
    CHECK_INT(srdi_incr_values_load(path, &same), SRDI_OK);
    snprintf(path, sizeof path, "%s/changes.csv", dir);
    CHECK_INT(srdi_incr_changes_write(same, ts, false, path, &sum), SRDI_OK);
    text = testutil_read_file(path, NULL);
    CHECK_STR(text, "table,row,column,old,new,change\n");
    free(text);
    CHECK_INT(sum.nvalues, 0);
    srdi_incr_summary_line(&sum, "O/changes.csv", line, sizeof line);
    CHECK_STR(line, "changes: none; see O/changes.csv");

    /* A table that lost its input: every value removed. */
    ts->tables[2]->no_data = true;
    CHECK_INT(srdi_incr_changes_write(same, ts, false, path, &sum), SRDI_OK);
    text = testutil_read_file(path, NULL);
    CHECK_STR(text, "table,row,column,old,new,change\nT05,r,c,1,,removed\nT05,r,c,3,,removed\n");
    free(text);
    srdi_incr_summary_line(&sum, "O/changes.csv", line, sizeof line);
    CHECK_STR(line, "changes: 2 values in 1 table (T05); see O/changes.csv");

    /* An unwritable destination. */
    CHECK_INT(srdi_incr_changes_write(same, ts, false, "/nonexistent/dir/changes.csv", &sum), SRDI_ERR_IO);

    srdi_incr_values_free(same);
    srdi_incr_values_free(old);
    srdi_tableset_free(ts);
}

int main(void)
{
    test_hash();
    test_hash_tree();
    test_state();
    test_values_parse();
    test_values_roundtrip();
    test_changes();
    return testutil_finish();
}
