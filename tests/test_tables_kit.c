/*
 * tests/test_tables_kit.c — the builder toolkit of src/tables/kit.c: a
 * table whose setter failed is an out-of-memory error naming the table
 * (exit 5), never a table with "—" cells; the one error message per table.
 */
#include "test_tables_util.h"
#include "../src/tables/kit.h"

/* Builders of the tests: rows only, a failed setter, an error of their own. */
static srdi_status fill_one_row(const srdi_tctx *ctx, const srdi_dataset *d, srdi_table *t, tk_scratch *s)
{
    (void)ctx;
    (void)d;
    /* scratch taken and not freed here: tk_build frees it (ASan would report a leak) */
    double *x = tk_zalloc(s, 10, sizeof *x);
    srdi_vec *v = tk_vecs(s, 2);
    srdi_buf *b = tk_buf(s);
    if (!x || !v || !b || srdi_vec_push(&v[1], 2.5) != SRDI_OK || srdi_buf_puts(b, "国家级") != SRDI_OK)
        return SRDI_ERR_NOMEM;
    if (x[9] != 0 || v[0].n != 0 || v[1].v[0] != 2.5) return SRDI_ERR_INTERNAL; /* zeroed, and kept */
    return srdi_table_add_row(t, "national", b->data) < 0 ? SRDI_ERR_NOMEM : SRDI_OK;
}

static srdi_status fill_failed(const srdi_tctx *ctx, const srdi_dataset *d, srdi_table *t, tk_scratch *s)
{
    (void)ctx;
    (void)d;
    (void)s;
    t->failed = true; /* a setter that could not allocate */
    return SRDI_OK;
}

static srdi_status fill_reference(const srdi_tctx *ctx, const srdi_dataset *d, srdi_table *t, tk_scratch *s)
{
    (void)ctx;
    (void)d;
    (void)t;
    (void)s;
    return srdi_error_set(SRDI_ERR_REFERENCE, "T14 needs reference data");
}

static void test_build(void)
{
    srdi_tctx ctx = {0};
    srdi_table_def def = *srdi_tables_def("T01");
    srdi_table *out = (srdi_table *)1;
    /* the table of the registry entry: its names, source and columns, then the builder's rows */
    def.build = fill_one_row;
    CHECK_INT(tk_build(&ctx, &def, &out), SRDI_OK);
    CHECK_STR(out->id, "T01");
    CHECK_STR(out->name, "tier_share");
    CHECK_STR(out->title, "国家级与省级专精特新企业数量及占比");
    CHECK_STR(out->sheet, "层级分布");
    CHECK_STR(out->source, "资料来源：专精特新企业数据库，课题组计算");
    CHECK_INT(out->ncols, 2);
    CHECK_STR(out->cols[0].key, "count");
    CHECK_STR(out->cols[0].label, "企业数量");
    CHECK_STR(out->cols[0].unit, "家");
    CHECK_STR(out->cols[1].key, "share");
    CHECK_INT(out->cols[1].type, SRDI_COL_SHARE);
    CHECK_INT(out->nrows, 1);
    CHECK_STR(out->rows[0].label, "国家级");
    CHECK(!srdi_table_failed(out));
    srdi_table_free(out);

    /* a setter that could not allocate marks the table failed: tk_build frees it */
    def.build = fill_failed;
    srdi_error_clear();
    CHECK_INT(tk_build(&ctx, &def, &out), SRDI_ERR_NOMEM);
    CHECK(out == NULL);
    CHECK_STR(srdi_error_message(), "out of memory building T01");

    /* another error keeps its own message */
    def.build = fill_reference;
    out = (srdi_table *)1;
    CHECK_INT(tk_build(&ctx, &def, &out), SRDI_ERR_REFERENCE);
    CHECK(out == NULL);
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
    CHECK_INT(srdi_table_set_text(t, 9, 0, "out of range"), SRDI_OK); /* ignored */
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

/*
 * Level medians (tk_level_median) of every kind of column: a flag (2-bit
 * cells), small counts (1 byte), counts up to 60000 (2 bytes), counts up
 * to 4e9 (4 bytes), hundredths (registered capital) and fractions (8 bytes), with missing cells,
 * champion rows and a scope; odd and even counts, one value, none.  Each
 * is the median of the same cells copied out (srdi_median), bit for bit.
 */
static double ref_level_median(const srdi_dataset *d, const uint8_t *scope, srdi_field f, int level)
{
    srdi_vec v = {0};
    double x;
    for (size_t i = 0; i < d->n; i++)
        if ((!scope || scope[i]) && d->level[i] != SRDI_LEVEL_CHAMPION && (level < 0 || d->level[i] == level) &&
            srdi_get(d, f, i, &x))
            srdi_vec_push(&v, x);
    double m = srdi_median(v.v, v.n);
    srdi_vec_free(&v);
    return m;
}

static void test_level_median(void)
{
    const srdi_field fs[] = {SRDI_F_HON_HIGH_TECH, SRDI_F_RD_STAFF, SRDI_F_STAFF, SRDI_F_PATENTS_TOTAL,
                             SRDI_F_REG_CAPITAL, SRDI_F_CITATIONS_AVG};
    for (size_t n = 0; n <= 2600; n += n < 4 ? 1 : 1299) {
        srdi_dataset *d = tb_new();
        uint8_t *scope = calloc(n ? n : 1, 1);
        uint32_t r = 12345;
        for (size_t i = 0; i < n; i++) {
            r = r * 1103515245u + 12345u;
            srdi_level lv = (r >> 8) % 5 == 0 ? SRDI_LEVEL_CHAMPION : (r >> 8) % 5 < 3 ? SRDI_LEVEL_NATIONAL
                                                                                      : SRDI_LEVEL_PROVINCIAL;
            size_t row = tb_add(d, lv, "3971");
            scope[row] = (r >> 20) % 3 != 0;
            if ((r >> 4) % 7 == 0) continue; /* every field missing */
            srdi_dataset_set(d, row, SRDI_F_HON_HIGH_TECH, (double)((r >> 12) & 1));
            srdi_dataset_set(d, row, SRDI_F_RD_STAFF, (double)((r >> 10) % 200));
            if ((r >> 3) % 5) srdi_dataset_set(d, row, SRDI_F_STAFF, (double)((r >> 9) % 60000));
            srdi_dataset_set(d, row, SRDI_F_PATENTS_TOTAL, (double)(r % 4000000000u >> ((r >> 2) % 24)));
            srdi_dataset_set(d, row, SRDI_F_REG_CAPITAL, (double)((r >> 7) % 900000) / 100.0);
            srdi_dataset_set(d, row, SRDI_F_CITATIONS_AVG, (double)((r >> 6) % 1000) / 7.0);
        }
        if (n > 1000) { /* the widths meant */
            CHECK_INT(d->num[SRDI_F_HON_HIGH_TECH].width, SRDI_ECOL_2BIT);
            CHECK_INT(d->num[SRDI_F_RD_STAFF].width, 1);
            CHECK_INT(d->num[SRDI_F_STAFF].width, 2);
            CHECK_INT(d->num[SRDI_F_PATENTS_TOTAL].width, 4);
            CHECK_INT(d->num[SRDI_F_REG_CAPITAL].width, SRDI_ECOL_CENTS);
            CHECK_INT(d->num[SRDI_F_CITATIONS_AVG].width, 8);
        }
        srdi_vec tmp = {0};
        for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++)
            for (int level = -1; level <= SRDI_LEVEL_NATIONAL; level++)
                for (int sc = 0; sc < 2; sc++) {
                    srdi_tctx ctx = {.d = d, .scope = sc ? scope : NULL};
                    double got = -1, want = ref_level_median(d, ctx.scope, fs[k], level);
                    CHECK(tk_level_median(&ctx, fs[k], level, &tmp, &got) == SRDI_OK);
                    if (isnan(want) ? !isnan(got) : memcmp(&got, &want, sizeof got) != 0)
                        fprintf(stderr, "n %zu field %d level %d scope %d: %.17g, expected %.17g\n", n, (int)fs[k],
                                level, sc, got, want);
                    CHECK(isnan(want) ? isnan(got) : memcmp(&got, &want, sizeof got) == 0);
                }
        srdi_vec_free(&tmp);
        free(scope);
        srdi_dataset_free(d);
    }
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

/*
 * pp gaps are the difference of the shares as printed: 19.564% and 18.036%
 * print as 19.56% and 18.04%, so the gap prints 1.52 (the unrounded 1.528
 * would print 1.53, which no reader gets from the two shares); with
 * share_decimals = 1 the shares print 19.6% and 18.0%, the gap 1.6.
 */
static void test_gap_pp(void)
{
    CHECK_NUM(tk_gap_pp(0.19564, 0.18036), 1.52, 1e-12);
    CHECK_NUM(tk_gap_pp(0.18036, 0.19564), -1.52, 1e-12);
    CHECK_NUM(tk_gap_pp(1.0, 0.0842), 91.58, 1e-12);
    CHECK(isnan(tk_gap_pp(NAN, 0.1)));
    CHECK(isnan(tk_gap_pp(0.1, NAN)));
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "numbers", "share_decimals", "1");
    srdi_number_rules_load(p);
    CHECK_NUM(tk_gap_pp(0.19564, 0.18036), 1.6, 1e-12);
    srdi_params_set(p, "numbers", "share_decimals", "2");
    srdi_number_rules_load(p);
    srdi_params_free(p);
}

int main(void)
{
    test_gap_pp();
    test_latest_fin_year();
    test_build();
    test_setters();
    test_median();
    test_level_median();
    return testutil_finish();
}
