/* test_table_model.c — the generic table model and column-type formatting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/table.h"
#include "testutil.h"

static const char *fmt(srdi_coltype type, int dec, double v)
{
    static char buf[64];
    srdi_tcol col = {"k", "k", type, "", dec};
    srdi_cell c = {SRDI_CELL_NUM, v, NULL, 0};
    srdi_cell_format(&col, &c, buf, sizeof buf);
    return buf;
}

static const char *exp_num(double v)
{
    static char buf[64];
    srdi_cell c = {SRDI_CELL_NUM, v, NULL, 0};
    srdi_cell_export(&c, buf, sizeof buf);
    return buf;
}

int main(void)
{
    /* formatting by column type */
    CHECK_STR(fmt(SRDI_COL_SHARE, -1, 0.1057), "10.57%");
    CHECK_STR(fmt(SRDI_COL_SHARE, 1, 0.38549), "38.5%");
    CHECK_STR(fmt(SRDI_COL_COUNT, -1, 167372), "167,372");
    CHECK_STR(fmt(SRDI_COL_COUNT, -1, 999), "999");
    CHECK_STR(fmt(SRDI_COL_AMOUNT, -1, 5774.4), "5,774");
    CHECK_STR(fmt(SRDI_COL_AMOUNT, 2, 1234567.891), "1,234,567.89");
    CHECK_STR(fmt(SRDI_COL_MULTIPLE, -1, 2.886), "2.89倍");
    CHECK_STR(fmt(SRDI_COL_PP, -1, -10.556), "\u221210.56"); /* U+2212 MINUS SIGN, not '-' */
    CHECK_STR(fmt(SRDI_COL_PP, -1, -0.001), "0.00");
    CHECK_STR(fmt(SRDI_COL_SCORE, -1, 29.26), "29.3");
    CHECK_STR(fmt(SRDI_COL_RATIO, -1, 0.9362), "0.936");
    CHECK_STR(fmt(SRDI_COL_YEAR, -1, 2024), "2024");
    CHECK_STR(fmt(SRDI_COL_NUMBER, -1, -1234.5), "\u22121,234.50");
    CHECK_STR(fmt(SRDI_COL_SHARE, -1, -0.0606), "\u22126.06%");
    CHECK_STR(fmt(SRDI_COL_MULTIPLE, -1, -1.5), "\u22121.50倍");
    CHECK_STR(fmt(SRDI_COL_COUNT, -1, -12345), "\u221212,345");

    /* null, absent, text */
    srdi_tcol col = {"k", "k", SRDI_COL_SHARE, "", -1};
    srdi_cell cnull = {SRDI_CELL_NULL, 0, NULL, 0}, cabs = {SRDI_CELL_ABSENT, 0, NULL, 0};
    char buf[32];
    srdi_cell_format(&col, &cnull, buf, sizeof buf);
    CHECK_STR(buf, "—");
    srdi_cell_format(&col, &cabs, buf, sizeof buf);
    CHECK_STR(buf, "");
    /* truncation never overflows */
    srdi_cell_format(&col, &(srdi_cell){SRDI_CELL_NUM, 123456.789, NULL, 0}, buf, 4);
    CHECK_INT(strlen(buf), 3);

    /* a cut never ends inside the minus sign (3 bytes), which a UTF-8 reader would reject */
    srdi_cell_format(&(srdi_tcol){"k", "k", SRDI_COL_PP, "", -1}, &(srdi_cell){SRDI_CELL_NUM, -5, NULL, 0}, buf, 3);
    CHECK_STR(buf, "");
    srdi_cell_format(&(srdi_tcol){"k", "k", SRDI_COL_PP, "", -1}, &(srdi_cell){SRDI_CELL_NUM, -5, NULL, 0}, buf, 5);
    CHECK_STR(buf, "\u22125");

    /* export: shortest round-trip */
    CHECK_STR(exp_num(0.1057), "0.1057");
    CHECK_STR(exp_num(-44), "-44"); /* machine exports keep the ASCII minus */
    CHECK_STR(exp_num(167372), "167372");
    CHECK_STR(exp_num(1.0 / 3.0), "0.3333333333333333");
    CHECK_STR(exp_num(2.0 / 3.0), "0.6666666666666666");
    CHECK_STR(exp_num(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(exp_num(-0.0), "0");
    CHECK(strtod(exp_num(0.1 + 0.2), NULL) == 0.1 + 0.2);

    /* model */
    srdi_table *t = srdi_table_new("T01", "tier_share", "层级分布", "层级分布");
    CHECK(t != NULL);
    int cc = srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
    int cs = srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    int rn = srdi_table_add_row(t, "national", "国家级");
    int rp = srdi_table_add_row(t, "provincial", "省级");
    CHECK_INT(cc, 0);
    CHECK_INT(cs, 1);
    CHECK_INT(rn, 0);
    CHECK_INT(rp, 1);
    srdi_table_set_num(t, rn, cc, 3);
    srdi_table_set_num(t, rn, cs, NAN);
    srdi_table_set_text(t, rp, cc, "x");
    srdi_table_set_num(t, rp, cc, 7); /* replaces the text, no leak */
    CHECK_INT(srdi_table_cell(t, "national", "share")->kind, SRDI_CELL_NULL);
    CHECK_NUM(srdi_table_cell(t, "provincial", "count")->num, 7, 0);
    CHECK_INT(srdi_table_cell(t, "provincial", "share")->kind, SRDI_CELL_ABSENT);
    CHECK(srdi_table_cell(t, "nope", "share") == NULL);
    CHECK(srdi_table_cell(t, "national", "nope") == NULL);
    /* a column added after rows extends them */
    int cx = srdi_table_add_col(t, "n", "n", SRDI_COL_COUNT, "", -1);
    CHECK_INT(srdi_table_cell(t, "national", "n")->kind, SRDI_CELL_ABSENT);
    srdi_table_set_num(t, rn, cx, 1);
    srdi_table_set_note(t, "共 %d 家", 10);
    CHECK_STR(t->note, "共 10 家");
    srdi_table_set_num(t, 5, 0, 1); /* out of range: ignored */

    /* many rows, then columns past the first allocation (16): earlier cells are kept, new ones ABSENT */
    srdi_table *g = srdi_table_new("T99", NULL, NULL, NULL);
    CHECK(g != NULL && g->name && strcmp(g->name, "") == 0 && strcmp(g->note, "") == 0);
    char key[16];
    for (int r = 0; r < 40; r++) {
        snprintf(key, sizeof key, "r%d", r);
        CHECK_INT(srdi_table_add_row(g, key, NULL), r);
        if (r == 0) CHECK_INT(srdi_table_add_col(g, "c0", NULL, SRDI_COL_COUNT, NULL, -1), 0);
        srdi_table_set_num(g, r, 0, r);
    }
    for (int c = 1; c < 40; c++) {
        snprintf(key, sizeof key, "c%d", c);
        CHECK_INT(srdi_table_add_col(g, key, NULL, SRDI_COL_COUNT, NULL, -1), c);
        srdi_table_set_text(g, c, c, key);
    }
    CHECK_INT((int)g->nrows, 40);
    CHECK_INT((int)g->ncols, 40);
    CHECK_NUM(srdi_table_cell(g, "r39", "c0")->num, 39, 0);
    CHECK_STR(srdi_table_cell(g, "r39", "c39")->text, "c39");
    CHECK_INT(srdi_table_cell(g, "r39", "c38")->kind, SRDI_CELL_ABSENT);
    CHECK_INT(srdi_table_cell(g, "r0", "c39")->kind, SRDI_CELL_ABSENT);
    CHECK_STR(g->rows[7].label, "r7");
    srdi_table_free(g);

    srdi_tableset *s = calloc(1, sizeof *s);
    s->tables = calloc(1, sizeof *s->tables);
    s->tables[s->n++] = t;
    CHECK(srdi_tableset_get(s, "T01") == t);
    CHECK(srdi_tableset_get(s, "T02") == NULL);
    srdi_tableset_free(s);
    return testutil_finish();
}
