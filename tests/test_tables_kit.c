/*
 * tests/test_tables_kit.c — the builder toolkit of src/tables/kit.c: a
 * table whose setter failed is an out-of-memory error naming the table
 * (exit 5), never a table with "—" cells; the one error message per table.
 */
#include "test_tables_util.h"
#include "../src/tables/kit.h"

static void test_begin_end(void)
{
    const srdi_table_def *def = srdi_tables_def("T01");
    static const tk_col cols[] = {{"count", "企业数量", SRDI_COL_COUNT, "家", -1}};
    srdi_table *t = NULL, *out = (srdi_table *)1;
    CHECK_INT(tk_begin(def, cols, TK_NCOLS(cols), &t), SRDI_OK);
    CHECK_STR(t->id, "T01");
    CHECK_STR(t->name, "tier_share");
    CHECK_STR(t->title, "国家级与省级专精特新企业数量及占比");
    CHECK_STR(t->sheet, "层级分布");
    CHECK_STR(t->source, "资料来源：srdi-report 根据企业数据库计算");
    CHECK_INT(t->ncols, 1);
    CHECK(!srdi_table_failed(t));
    CHECK_INT(tk_end(def, t, SRDI_OK, &out), SRDI_OK);
    CHECK(out == t);
    srdi_table_free(out);

    /* a setter that could not allocate marks the table failed: tk_end frees it */
    CHECK_INT(tk_begin(def, cols, TK_NCOLS(cols), &t), SRDI_OK);
    t->failed = true;
    srdi_error_clear();
    CHECK_INT(tk_end(def, t, SRDI_OK, &out), SRDI_ERR_NOMEM);
    CHECK(out == NULL);
    CHECK_STR(srdi_error_message(), "out of memory building T01");

    /* another error keeps its own message */
    CHECK_INT(tk_begin(def, cols, TK_NCOLS(cols), &t), SRDI_OK);
    srdi_error_set(SRDI_ERR_REFERENCE, "T14 needs reference data");
    CHECK_INT(tk_end(def, t, SRDI_ERR_REFERENCE, &out), SRDI_ERR_REFERENCE);
    CHECK_STR(srdi_error_message(), "T14 needs reference data");
}

/* Setters report success; a text cell is copied. */
static void test_setters(void)
{
    srdi_table *t = srdi_table_new("T99", "x", "x", "x");
    CHECK_INT(srdi_table_add_col(t, "c", "c", SRDI_COL_TEXT, "", -1), 0);
    CHECK_INT(srdi_table_add_row(t, "r", "r"), 0);
    CHECK_INT(srdi_table_set_text(t, 0, 0, "甲"), SRDI_OK);
    CHECK_INT(srdi_table_set_note(t, "n=%d", 3), SRDI_OK);
    CHECK_INT(srdi_table_set_params(t, "k=%s", "v"), SRDI_OK);
    CHECK_INT(srdi_table_set_source(t, "资料来源：测试"), SRDI_OK);
    CHECK_INT(srdi_table_set_title(t, "%d年", 2024), SRDI_OK);
    CHECK_INT(srdi_table_set_text(t, 9, 0, "out of range"), SRDI_OK);   /* ignored */
    CHECK_STR(t->rows[0].cells[0].text, "甲");
    CHECK_STR(t->note, "n=3");
    CHECK_STR(t->title, "2024年");
    CHECK(!srdi_table_failed(t));
    srdi_table_free(t);
}

/* Medians: the one median of stats (odd, even, sorted, empty). */
static void test_median(void)
{
    double a[] = {5, 1, 3}, b[] = {4, 1, 3, 2}, c[] = {1, 2, 4, 8};
    CHECK_NUM(srdi_median(a, 3), 3, 0);
    CHECK_NUM(srdi_median(b, 4), 2.5, 0);
    CHECK_NUM(srdi_median_sorted(c, 4), 3, 0);
    CHECK(isnan(srdi_median(NULL, 0)));
    CHECK(isnan(srdi_median_sorted(NULL, 0)));
}

/* The latest financial year: any row of financials.csv, whatever the level; 0 without financials. */
static void test_latest_fin_year(void)
{
    srdi_dataset *d = tb_new();
    size_t n1 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971"), c1 = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");
    CHECK_INT(srdi_dataset_latest_fin_year(d), 0);
    srdi_dataset_add_financial(d, (uint32_t)n1, 2023, 100, 10);
    srdi_dataset_add_financial(d, (uint32_t)c1, 2024, 100, 10);
    srdi_dataset_add_financial(d, (uint32_t)n1, 2021, 100, 10);
    CHECK_INT(srdi_dataset_latest_fin_year(d), 2024);
    CHECK_INT(srdi_dataset_latest_fin_year(NULL), 0);
    srdi_dataset_free(d);
}

int main(void)
{
    test_latest_fin_year();
    test_begin_end();
    test_setters();
    test_median();
    return testutil_finish();
}
