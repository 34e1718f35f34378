/* test_table_model.c — the generic table model and column-type formatting. */
#include <math.h>
#include <stdint.h>
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

/* srdi_table_note_for of @p t for rows [0, @p shown); *@p fl whether it names rows. */
static const char *note_for(const srdi_table *t, size_t shown, bool *fl)
{
    static char buf[1024];
    char *n = NULL;
    CHECK_INT(srdi_table_note_for(t, shown, &n, fl), SRDI_OK);
    snprintf(buf, sizeof buf, "%s", n ? n : "(null)");
    free(n);
    return buf;
}

/* The number as the formatter wrote it with snprintf's "%.*f": grouped by three, U+2212 for a minus, none for a zero. */
static const char *ref_num(double v, int dec)
{
    static char out[128];
    char raw[64]; /* the formatter's room: a larger number is cut as it was */
    snprintf(raw, sizeof raw, "%.*f", dec, v);
    const char *p = raw;
    size_t n = 0;
    if (*p == '-') {
        p++;
        if (strpbrk(p, "123456789")) n = (size_t)snprintf(out, sizeof out, "\u2212");
    }
    size_t il = strcspn(p, ".");
    for (size_t i = 0; i < il && n + 2 < sizeof out; i++) {
        if (i > 0 && (il - i) % 3 == 0) out[n++] = ',';
        out[n++] = p[i];
    }
    snprintf(out + n, sizeof out - n, "%s", p + il);
    return out;
}

/*
 * Numbers are written as snprintf's "%.*f" (the formatter takes most
 * without it: test fmt_fixed in table.c): every decimal count 0-6 on ties
 * (x.5 units of the last digit, exact in binary), values a hair either side
 * of them, signed zeros, negatives that round to zero, a grid of hundredths
 * and a million random values of every magnitude.
 */
static long bad_fixed(const char *got, double v, int dec)
{
    if (strcmp(got, ref_num(v, dec)) == 0) return 0;
    fprintf(stderr, "fixed: %.17g with %d decimals: '%s', snprintf's '%s'\n", v, dec, got, ref_num(v, dec));
    return 1;
}

static void test_fixed(void)
{
    long bad = 0;
    char got[128];
    static const double edge[] = {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, 0.125, 0.375, -0.125, 0.045, 1.005, 2.675,
                                  0.0049999, -0.004, 999999.5, 1e15 + 0.5, 4503599627370495.5, 9007199254740993.0,
                                  1e16, 1e300, -1e300, 5e-324, 0.1, 0.7, 123456.789, 1125899906842623.4};
    for (int dec = 0; dec <= 6; dec++) {
        for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
            for (int side = -1; side <= 1; side++) {
                double v = side ? nextafter(edge[i], side * INFINITY) : edge[i];
                srdi_number_format(v, SRDI_COL_NUMBER, dec, got, sizeof got);
                bad += bad_fixed(got, v, dec);
            }
        for (long k = -200000; k <= 200000; k += 7) { /* hundredths and the ties between them */
            double v = (double)k / 200.0;
            srdi_number_format(v, SRDI_COL_NUMBER, dec, got, sizeof got);
            bad += bad_fixed(got, v, dec);
        }
    }
    uint64_t seed = 2026;
    for (int i = 0; i < 1000000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int dec = (int)((seed >> 60) % 7);
        double v = ((double)(seed >> 11) / 9007199254740992.0 - 0.5) * pow(10.0, (double)((seed >> 4) % 40) - 20);
        srdi_number_format(v, SRDI_COL_NUMBER, dec, got, sizeof got);
        bad += bad_fixed(got, v, dec);
    }
    CHECK_INT(bad, 0);
}

/*
 * The small-sample note of the rows shown (issue 12: the note under a TOP20
 * table named cities below min_n that were not among the 20 rows): the
 * rows flagged small among those shown, at most 8 then 等; the table's
 * groups when no row is flagged; a basis column (T25's mean R&D ratio on
 * the enterprises with financial data) names the rows whose basis count is
 * below min_n; a table not annotated keeps its note.
 */
static void test_note_for(void)
{
    bool fl = true;
    srdi_table *t = srdi_table_new("T16", "cities", "城市", "城市");
    int cc = srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    static const char *const city[] = {"北京市", "上海市", "衡水市", "深圳市", "广州市", "宜宾市", "苏州市",
                                       "舟山市", "长治市", "蚌埠市", "宣城市", "张家口市", "连云港市", "嘉兴市"};
    for (int r = 0; r < 14; r++) {
        srdi_table_add_row(t, city[r], city[r]);
        srdi_table_set_num(t, r, cc, r == 0 ? 1000 : 20);
    }
    srdi_table_set_note(t, "专利为有效专利");
    /* not annotated: the note as it is, flagging nothing */
    CHECK_STR(note_for(t, SIZE_MAX, &fl), "专利为有效专利");
    CHECK(!fl);
    CHECK(t->rows[0].basis_n == -1 && !t->rows[0].small);
    t->base_note = strdup("专利为有效专利");
    t->small_min = 30;
    t->rows[2].small = true;
    CHECK_STR(note_for(t, 2, &fl), "专利为有效专利");
    CHECK(!fl);
    CHECK_STR(note_for(t, 3, &fl), "专利为有效专利。衡水市样本量小于30，仅供参考。");
    CHECK(fl);
    for (int r = 5; r < 14; r++) t->rows[r].small = true;
    CHECK_STR(note_for(t, 10, &fl), "专利为有效专利。衡水市、宜宾市、苏州市、舟山市、长治市、蚌埠市样本量小于30，仅供参考。");
    CHECK_STR(note_for(t, 13, &fl),
              "专利为有效专利。衡水市、宜宾市、苏州市、舟山市、长治市、蚌埠市、宣城市、张家口市等样本量小于30，仅供参考。");
    CHECK_STR(note_for(t, SIZE_MAX, &fl), note_for(t, 14, NULL));
    /* a note ending in 。 takes no second one; groups when no row is small */
    free(t->base_note);
    t->base_note = strdup("倍数 = 单项冠军均值 / 国家级均值。");
    t->small_groups = strdup("单项冠军企业");
    CHECK_STR(note_for(t, 2, &fl), "倍数 = 单项冠军均值 / 国家级均值。单项冠军企业样本量小于30，仅供参考。");
    CHECK(fl);
    srdi_table_free(t);

    /* T25: n counts every enterprise of the domain, the mean R&D ratio only
       those with financial data */
    t = srdi_table_new("T25", "domain_profile", "领域", "领域");
    int cm = srdi_table_add_col(t, "mean_rd_ratio", "研发占比均值", SRDI_COL_SHARE, "", -1);
    int cn = srdi_table_add_col(t, "n", "企业数", SRDI_COL_COUNT, "家", -1);
    static const char *const dom[] = {"电子核心产业", "新能源", "软件信息", "生物医药"};
    static const long long basis[] = {5, 14, 300, 0};
    for (int r = 0; r < 4; r++) {
        srdi_table_add_row(t, dom[r], dom[r]);
        srdi_table_set_num(t, r, cn, 400);
        if (basis[r])
            srdi_table_set_num(t, r, cm, 0.08);
        else
            srdi_table_set_null(t, r, cm);
    }
    CHECK_INT(srdi_table_set_basis(t, "nope", "家", "x"), SRDI_ERR_INTERNAL);
    CHECK_STR(srdi_error_message(), "T25 has no column 'nope' for a basis");
    CHECK_INT(srdi_table_set_basis(t, "mean_rd_ratio", "家", "有财务数据的企业"), SRDI_OK);
    for (int r = 0; r < 4; r++) srdi_table_set_row_basis(t, r, basis[r]);
    srdi_table_set_row_basis(t, 9, 1); /* out of range: ignored */
    srdi_table_set_note(t, "研发占比为2024年全部有效比值的均值");
    t->base_note = strdup(t->note);
    t->small_min = 30;
    CHECK_STR(note_for(t, SIZE_MAX, &fl),
              "研发占比为2024年全部有效比值的均值。电子核心产业、新能源的研发占比均值分别仅基于5家、14家有财务数据的企业"
              "（不足30家），仅供参考。");
    CHECK(fl);
    CHECK_STR(note_for(t, 1, &fl),
              "研发占比为2024年全部有效比值的均值。电子核心产业的研发占比均值仅基于5家有财务数据的企业（不足30家），仅供参考。");
    /* a small row and a small basis: both said */
    t->rows[0].small = true;
    CHECK_STR(note_for(t, 1, &fl),
              "研发占比为2024年全部有效比值的均值。电子核心产业样本量小于30，仅供参考。电子核心产业的研发占比均值仅基于5家有"
              "财务数据的企业（不足30家），仅供参考。");
    srdi_table_free(t);
}

int main(void)
{
    test_note_for();
    test_fixed();
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
