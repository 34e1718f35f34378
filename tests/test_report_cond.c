/*
 * tests/test_report_cond.c — the condition language of the templates:
 * comparisons, and/or, between, within, aggregates, selections rendered as
 * lists, trend words over complete years, scope, n; {{#if}} blocks and
 * inline branches, the claims they record, and errors with file:line.
 * Expectations are computed by hand from tests/test_report_fixture.h.
 */
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"
#include "testutil.h"
#include "test_report_fixture.h"
#include "../src/report/report_private.h"

static srdi_tableset *TS;
static srdi_params *PR;

/* T31-like patent trend: 2019–2024, applications 2.0 2.4 2.9 3.1 2.0 0.9. */
static srdi_table *fx_t31(void)
{
    static const double apps[] = {2.0, 2.4, 2.9, 3.1, 2.0, 0.9};
    srdi_table *t = srdi_table_new("T31", "patent_trend", "发明专利趋势", "专利趋势");
    int a = srdi_table_add_col(t, "applications_per_enterprise", "申请", SRDI_COL_NUMBER, "件", 2);
    for (int i = 0; i < 6; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2019 + i);
        int r = srdi_table_add_row(t, y, y);
        srdi_table_set_num(t, r, a, apps[i]);
    }
    t->n = 500;
    return t;
}

/* T25-like: two domains, one with n 12 (small), an empty one (nulls). */
static srdi_table *fx_t25(void)
{
    srdi_table *t = srdi_table_new("T25", "domains", "分领域", "领域");
    int m = srdi_table_add_col(t, "median_invention_grants", "发明授权中位数", SRDI_COL_AMOUNT, "件", 1);
    int n = srdi_table_add_col(t, "n", "企业数", SRDI_COL_COUNT, "家", 0);
    int r = srdi_table_add_row(t, "电子核心产业", "电子核心产业");
    srdi_table_set_num(t, r, m, 7);
    srdi_table_set_num(t, r, n, 400);
    r = srdi_table_add_row(t, "软件信息", "软件信息");
    srdi_table_set_num(t, r, m, 7);
    srdi_table_set_num(t, r, n, 12);
    r = srdi_table_add_row(t, "基础制造", "基础制造");
    srdi_table_set_null(t, r, m);
    srdi_table_set_num(t, r, n, 0);
    t->n = 412;
    /* the grants median rests on the enterprises with patents: 380 and 9 of them */
    srdi_table_set_basis(t, "median_invention_grants", "家", "有专利的企业");
    srdi_table_set_row_basis(t, 0, 380);
    srdi_table_set_row_basis(t, 1, 9);
    return t;
}

/* T17-like: 12 divisions ranked by share, ties at the 3rd/4th, 6th/7th, 8th/9th
 * and 10th–12th places (counts 10 8 6 6 5 4 4 3 3 2 2 2 of 55). */
static srdi_table *fx_t17(void)
{
    static const int cnt[] = {10, 8, 6, 6, 5, 4, 4, 3, 3, 2, 2, 2};
    srdi_table *t = srdi_table_new("T17", "industry_division", "行业大类", "大类");
    int count = srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", 0);
    int share = srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", 2);
    for (int i = 0; i < 12; i++) {
        char key[8];
        snprintf(key, sizeof key, "%d", 13 + i);
        int r = srdi_table_add_row(t, key, key);
        srdi_table_set_num(t, r, count, cnt[i]);
        srdi_table_set_num(t, r, share, cnt[i] / 55.0);
    }
    t->n = 55;
    return t;
}

/*
 * A line (t.md:3) / a condition over the tables TS in an edition of scope
 * @p kind = @p name (NULL, NULL: the nation).
 */
static const char *expand_in(const char *kind, const char *name, const char *line)
{
    report_ctx ctx = {.tables = TS, .params = PR, .scope_kind = kind, .scope_name = name};
    return fx_expand(&ctx, 3, line);
}

static const char *cond_in(const char *kind, const char *name, const char *expr)
{
    report_ctx ctx = {.tables = TS, .params = PR, .scope_kind = kind, .scope_name = name};
    return fx_cond(&ctx, expr, false);
}

static const char *expand(const char *line)
{
    return expand_in(NULL, NULL, line);
}
static const char *cond(const char *expr)
{
    return cond_in(NULL, NULL, expr);
}

static void test_conditions(void)
{
    /* basis_n: the observations a basis column rests on; missing where unset */
    CHECK_STR(cond("T25.电子核心产业.basis_n == 380"), "true");
    CHECK_STR(cond("T25.软件信息.basis_n < 30"), "true");
    CHECK_STR(cond("has(T25.基础制造.basis_n)"), "false");
    CHECK_STR(cond("count(T25 where basis_n >= 30) == 1"), "true");
    CHECK_STR(cond("has(T13.#1.basis_n)"), "false"); /* a table without a basis column */
    /* T13 #1 share = 2000/15000 = 0.1333 */
    CHECK_STR(cond("T13.#1.share > 13%"), "true");
    CHECK_STR(cond("T13.#1.share > 0.14"), "false");
    CHECK_STR(cond("T13.#1.share >= 0.14 or T13.#1.count == 2000"), "true");
    CHECK_STR(cond("not T13.#1.count == 2000"), "false");
    CHECK_STR(cond("T13.#1.count between 1000 and 2000"), "true");
    CHECK_STR(cond("T13.#2.count between 1000 and 1800"), "false"); /* 1850 */
    /* null cells: comparisons are false, has() tells */
    CHECK_STR(cond("T13.#2.national_share > 0"), "false");
    CHECK_STR(cond("T13.#2.national_share <= 0"), "false");
    CHECK_STR(cond("has(T13.#2.national_share)"), "false");
    CHECK_STR(cond("has(T13.#3.national_share)"), "true");
    CHECK_STR(cond("T13.#13.share > 0"), "false"); /* a rank the data does not reach */
    /* == within a tolerance */
    CHECK_STR(cond("T02.national.share == 0.105 within 0.001"), "true");
    CHECK_STR(cond("T02.national.share == 0.105"), "false");
    CHECK_STR(cond("T02.gap.gap_pp < 0 and T02.national.share > T02.provincial.share"), "true");
    CHECK_STR(cond("T02.national.median - T02.provincial.median > 3774"), "true"); /* 3774.4 */
    CHECK_STR(cond("T02.national.median / T02.provincial.median between 2.88 and 2.89"), "true");
    CHECK_STR(cond("abs(T02.gap.gap_pp) == 7.46 within 0.001"), "true");
    /* aggregates, selections, row selectors */
    CHECK_STR(cond("max(T13.share) == T13.#1.share"), "true");
    CHECK_STR(cond("spread(T13.national_share) == 0.11 within 1e-9"), "true"); /* 0.21 − 0.10, #2 null */
    CHECK_STR(cond("count(T13 where national_share >= 0.15) == 7"), "true");
    CHECK_STR(cond("count(T13 rows #7..#10 where national_share >= 0.17) == 3"), "true");
    /* total(): the shown column added up over the selected rows (1850 + 1700) */
    CHECK_STR(cond("total(T13 where rank between 2 and 3 show count) == 3550"), "true");
    CHECK_STR(cond("total(T13 top 2 by count) == 3850"), "true"); /* shows the by column */
    CHECK_STR(cond("total(T13 where rank > 12 show count) == 0"), "true"); /* no row: 0 */
    CHECK_STR(cond("has(total(T13 rows #2..#2 show national_share))"), "false"); /* only a null cell */
    CHECK_STR(cond("total(T13 where rank <= 2)"), "ERR total() needs the column to add up ('show column' or 'by column')");
    /* num(): the number a text spells, for numeric keys (industry codes) */
    CHECK_STR(cond("num(\"75\") == 75 and num(T13.#1.rank) == 1"), "true");
    CHECK_STR(cond("has(num(T13.#1.key)) or count(T13 where num(key) > 0) > 0"), "false");
    CHECK_STR(cond("T13.max(national_share).key == \"福建省\""), "true");
    CHECK_STR(cond("T13.min(count).key == \"福建省\""), "true");
    CHECK_STR(cond("alleq(T25.median_invention_grants)"), "true");
    CHECK_STR(cond("alleq(T13.#1.share, T13.#2.share within 0.01)"), "true"); /* 0.1333 vs 0.1233 */
    CHECK_STR(cond("alleq(T13.#1.share, T13.#2.share within 0.005)"), "false");
    /* n: of a table, of a row (column n, else count) */
    CHECK_STR(cond("n:T13 >= 30 and rows:T13 == 12"), "true");
    CHECK_STR(cond("n(T25.软件信息) < 30 and n(T25.电子核心产业) >= 30"), "true");
    CHECK_STR(cond("n(T13.#1) == 2000"), "true");
    CHECK_STR(cond("empty(T25)"), "false");
    /* scope and parameters */
    CHECK_STR(cond("scope.kind == \"national\" and scope.name == \"全国\""), "true");
    CHECK_STR(cond("param:claims.min_n == 30"), "true");
    /* trend over complete years: grant lag 2 → 2019–2022 (2.0 2.4 2.9 3.1) */
    CHECK_STR(cond("trend(T31.applications_per_enterprise) == \"上升\""), "true");
    CHECK_STR(cond("complete(T31) == 2022"), "true");
    /* errors name what is wrong */
    CHECK_STR(cond("T13.#1.nope > 1"), "ERR no column 'nope' in T13");
    CHECK_STR(cond("T99.a.b > 1"), "ERR no table 'T99'");
    CHECK_STR(cond("T13.#1.share >"), "ERR expression ends too early");
    CHECK_STR(cond("T13.#1.share > 1 1"), "ERR unexpected '1'");
    CHECK_STR(cond("bogus > 1"), "ERR unknown name 'bogus' (values are Tnn.row.column, national:Tnn.row.column, "
                                 "param:…, n:Tnn, rows:Tnn, scope.kind, scope.name, scope.rank …)");
    CHECK_STR(cond("frob(T13.share) > 1"), "ERR unknown function 'frob'");
    CHECK_STR(cond("T13.#1.key > 1"), "ERR cannot compare text with a number near ''");
    CHECK_STR(cond("count(T13 top 3) > 1"), "ERR top/bottom need 'by column'");
}

static void test_trend_words(void)
{
    const double up[] = {1, 2, 3}, down[] = {3, 2, 1}, peak[] = {1, 3, 2}, dip[] = {3, 1, 2}, flat[] = {1, 1.01, 0.99},
                 zig[] = {1, 2, 1, 2};
    CHECK_STR(report_trend_word(up, 3, 0.05), "上升");
    CHECK_STR(report_trend_word(down, 3, 0.05), "下降");
    CHECK_STR(report_trend_word(peak, 3, 0.05), "先升后降");
    CHECK_STR(report_trend_word(dip, 3, 0.05), "先降后升");
    CHECK_STR(report_trend_word(flat, 3, 0.05), "基本持平");
    CHECK_STR(report_trend_word(zig, 4, 0.05), "波动");
    CHECK(report_trend_word(up, 1, 0.05) == NULL);
    /* the whole series 2019–2024 would be 先升后降; only complete years count */
    const double all[] = {2.0, 2.4, 2.9, 3.1, 2.0, 0.9};
    CHECK_STR(report_trend_word(all, 6, 0.05), "先升后降");
}

static void test_computed_placeholders(void)
{
    CHECK_STR(expand("{{list:T13 top 3 by share}}"), "江苏省（13.33%）、广东省（12.33%）、浙江省（11.33%）");
    CHECK_STR(expand("{{list:T13 bottom 2 by national_share}}"), "江苏省（10.00%）、浙江省（12.00%）");
    CHECK_STR(expand("{{list:T13 rows #1..#3 where national_share >= 0.11 show none name key}}"), "浙江省");
    CHECK_STR(expand("{{count:T13 where national_share > 0.195}}"), "2");
    CHECK_STR(expand("{{T13.max(national_share).key}}（{{T13.max(national_share).national_share}}）"),
              "福建省（21.00%）");
    CHECK_STR(expand("{{T13.#-1.key}}"), "福建省");
    CHECK_STR(expand("{{trend:T31.applications_per_enterprise}}，截至{{complete:T31}}年"), "上升，截至2022年");
    CHECK_STR(expand("{{trend:T31.applications_per_enterprise within 0.5}}"), "基本持平");
    CHECK_STR(expand("{{value:abs(T02.gap.gap_pp)}}"), "7.5");
    CHECK_STR(expand("{{value:max(T13.share)}}"), "13.33%");
    CHECK_STR(expand("{{value:T13.#1.share - T13.#2.share|pp}}"), "1.00");
    CHECK_STR(expand("{{list:T13 top 2 by nope}}"),
              "ERR t.md:3: unknown placeholder {{list:T13 top 2 by nope}}: no column 'nope' in T13");
}

/* Scope rows (@scope, @province), scope.province, wmean and empty lists. */
static void test_scope_rows(void)
{
    /* a province edition: its own row of the whole-data T13 */
    CHECK_STR(
        expand_in("province", "浙江省", "{{T13.@scope.rank}}/{{T13.@province.share}}/{{T13.@scope.national_share}}"),
        "3/11.33%/12.00%");
    CHECK_STR(cond_in("province", "浙江省", "T13.@scope.rank <= 3 and scope.province == \"浙江省\""), "true");
    CHECK_STR(expand_in("province", "浙江省", "{{value:scope.province}}"), "浙江省");
    /* weighted national share: sum(count × national_share) / sum(count) over rows with both = 14.43% */
    CHECK_STR(expand("{{value:wmean(T13.national_share, T13.count)}}"), "14.43%");
    CHECK_STR(cond_in("province", "浙江省", "T13.@scope.national_share < wmean(T13.national_share, T13.count)"),
              "true");
    CHECK_STR(expand_in("province", "浙江省", "{{count:T13 where national_share > T13.@scope.national_share}}"), "9");
    /* a city edition: @province is its province (from the edition's [scope] province), @scope has no T13 row */
    srdi_params_set(PR, "scope", "province", "广东省");
    CHECK_STR(expand_in("city", "深圳市", "{{T13.@province.rank}}/{{value:scope.province}}/{{T13.@scope.share}}"),
              "2/广东省/—");
    CHECK_STR(cond_in("city", "深圳市", "has(T13.@province.national_share) or has(T13.@scope.rank)"), "false");
    srdi_params_set(PR, "scope", "province", "");
    /* nationally the scope rows are missing */
    CHECK_STR(expand("{{T13.@scope.share}}"), "—");
    CHECK_STR(cond("has(T13.@scope.share) or has(T13.@province.rank)"), "false");
    CHECK_STR(cond("T13.@nope.share > 0"), "ERR bad row selector '@nope' (write @scope or @province)");
    CHECK_STR(
        expand("{{T13.@nope.share}}"),
        "ERR t.md:3: unknown placeholder {{T13.@nope.share}}: bad row selector '@nope' (write @scope or @province)");
    CHECK_STR(cond("wmean(T13.share) > 0"), "ERR wmean: expected wmean(values, weights)");
    /* small(): any row under min_n (30), missing or without a sample size */
    CHECK_STR(cond("small(T13.#1, T13.#2)"), "false");
    CHECK_STR(cond("small(T13.#1, T13.#40)"), "true");
    CHECK_STR(cond("small(T13.江苏省) or small(T13.@scope)"), "true");
    CHECK_STR(cond("small(T13.江苏省)"), "false");
    CHECK_STR(cond("small(T13.nowhere)"), "ERR no row 'T13.nowhere'");
    CHECK_STR(cond("small(3)"), "ERR small() needs rows Tnn.row, got '3'");
    /* an empty list never leaves a dangling phrase */
    CHECK_STR(expand("省份有{{list:T13 where share > 0.5}}。"), "省份有（本次数据中没有符合条件的项）。");
    CHECK_STR(expand("{{list:T13 where share > 0.5 else \"没有省份达到一半\"}}。"), "没有省份达到一半。");
    CHECK_STR(expand("{{list:T13 where key == \"浙江省\" show none else \"无\"}}"), "浙江省");
}

/* Parse one chapter file; returns the doc or NULL. */
static report_doc *parse1(const char *text)
{
    const char *names[] = {"tpl/20-ch2.md"};
    const char *texts[] = {text};
    report_ctx ctx = {.tables = TS, .params = PR, .scope_kind = "province", .scope_name = "江苏省"};
    report_doc *d = NULL;
    if (report_doc_parse(names, texts, 1, &ctx, &d)) return NULL;
    return d;
}

/* Plain text of the paragraphs / headings / items of d joined with '|'. */
static const char *texts_of(const report_doc *d)
{
    static char out[4096];
    out[0] = '\0';
    for (size_t i = 0; i < d->nblocks; i++) {
        const report_block *b = &d->blocks[i];
        if (b->kind != RB_PARA && b->kind != RB_HEADING && b->kind != RB_ITEM && b->kind != RB_TABLE) continue;
        char *p = b->kind == RB_TABLE ? srdi_strdup(b->key) : report_inline_plain(&b->text);
        char ln[32];
        snprintf(ln, sizeof ln, "@%d", b->line);
        strncat(out, p, sizeof out - strlen(out) - 1);
        strncat(out, ln, sizeof out - strlen(out) - 1);
        strncat(out, "|", sizeof out - strlen(out) - 1);
        free(p);
    }
    return out;
}

static void test_branches(void)
{
    const char *tpl = "# 章\n"                                                                                /* 1 */
                      "\n"                                                                                    /* 2 */
                      "{{#if T13.#1.share > 0.2}}\n"                                                          /* 3 */
                      "## 高度集中\n"                                                                         /* 4 */
                      "{{else if T13.#1.share > 0.1}}\n"                                                      /* 5 */
                      "## {{T13.#1.key}}居首\n"                                                               /* 6 */
                      "{{else}}\n"                                                                            /* 7 */
                      "## 分布均衡\n"                                                                         /* 8 */
                      "{{/if}}\n"                                                                             /* 9 */
                      "\n"                                                                                    /* 10 */
                      "首位{{#if T13.#1.count > T13.#2.count}}领先{{else}}并列{{/if}}，共{{count:T13}}行。\n" /* 11 */
                      "\n"                                                                                    /* 12 */
                      "{{#if scope.kind == \"province\"}}\n"                                                  /* 13 */
                      "本省为{{param:report.edition}}。\n"                                                    /* 14 */
                      "{{#if T13.#2.national_share > 0}}\n"                                                   /* 15 */
                      "不应出现。\n"                                                                          /* 16 */
                      "{{/if}}\n"                                                                             /* 17 */
                      "\n"                                                                                    /* 18 */
                      "::: table T13 top=3\n"                                                                 /* 19 */
                      "\n"                                                                                    /* 20 */
                      "{{/if}}\n"                                                                             /* 21 */
                      "- 甲{{#if 1 > 2}}乙{{/if}}\n"                                                          /* 22 */
                      "{{#if 1 > 2}}\n"                                                                       /* 23 */
                      "- 丙\n"                                                                                /* 24 */
                      "{{/if}}\n";                                                                            /* 25 */
    report_doc *d = parse1(tpl);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "%s\n", srdi_error_message());
        return;
    }
    /* lines keep their source numbers */
    CHECK_STR(texts_of(d), "章@1|江苏省居首@6|首位领先，共12行。@11|本省为2026 年版。@14|T13@19|甲@22|");
    CHECK_INT(d->claims.n, 9);
    if (d->claims.n == 9) {
        const report_claim *c = d->claims.c;
        CHECK_STR(c[0].file, "tpl/20-ch2.md");
        CHECK_INT(c[0].line, 3);
        CHECK_STR(c[0].cond, "T13.#1.share > 0.2");
        CHECK(!c[0].holds);
        CHECK_STR(c[0].rendered, "");
        CHECK_STR(c[0].values, "T13.#1.share=0.133333; ");
        CHECK_INT(c[1].line, 5);
        CHECK(c[1].holds);
        CHECK_STR(c[1].rendered, "## 江苏省居首");
        CHECK_STR(c[2].cond, "else");
        CHECK(!c[2].holds);
        CHECK_INT(c[3].line, 11);
        CHECK_STR(c[3].rendered, "领先");
        CHECK_STR(c[3].values, "T13.#1.count=2000; T13.#2.count=1850; ");
        CHECK_STR(c[4].cond, "else");
        CHECK_STR(c[5].values, "scope.kind=province; ");
        CHECK_STR(c[6].cond, "T13.#2.national_share > 0");
        CHECK_STR(c[6].values, "T13.#2.national_share=—; ");
        CHECK(!c[6].holds);
        CHECK_INT(c[7].line, 22);
        CHECK_INT(c[8].line, 23);
        CHECK_STR(c[8].rendered, "");
    }
    report_doc_free(d);

    /* errors name file:line */
    CHECK(parse1("{{#if 1 > 0}}\n正文\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:1: {{#if}} is not closed (no {{/if}} before the end of the file)");
    CHECK(parse1("正文\n\n{{else}}\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:3: {{else}} without {{#if}}");
    CHECK(parse1("甲{{#if 1 > 0}}乙\n丙{{/if}}\n") == NULL);
    CHECK_STR(srdi_error_message(),
              "tpl/20-ch2.md:1: {{#if}} opened inside a line must close ({{/if}}) on the same line");
    CHECK(parse1("{{#if 1 > 0}}\n甲{{/if}}\n") == NULL);
    CHECK_STR(srdi_error_message(),
              "tpl/20-ch2.md:2: {{/if}} inside a line, but its {{#if}} on line 1 is on its own line (an if opened "
              "inside a line closes on that line; one on its own line closes on its own line)");
    /* a condition in a branch not printed is still checked */
    CHECK(parse1("{{#if 1 > 2}}\n{{#if T13.#1.nope > 0}}\n甲\n{{/if}}\n{{/if}}\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:2: condition {{T13.#1.nope > 0}}: no column 'nope' in T13");
    CHECK(parse1("甲{{#iff 1}}乙\n") == NULL);
    CHECK_STR(srdi_error_message(),
              "tpl/20-ch2.md:1: malformed tag {{#iff 1}} (write {{#if …}}, {{else if …}}, {{else}}, {{/if}})");
}

/* {{#let $name = expression}}: named values replaced inside tags, definitions checked */
static void test_lets(void)
{
    const char *tpl = "{{#let $lead = T13.#1.share - T13.#2.share}}\n"         /* 1 */
                      "{{#let $big = $lead > 0.005}}\n"                         /* 2 */
                      "甲{{#if $big}}领先{{value:$lead|pp}}个百分点{{else}}持平{{/if}}。\n" /* 3 */
                      "\n"                                                      /* 4 */
                      "乙US$5，{{value:$lead}}。\n";                             /* 5 */
    report_doc *d = parse1(tpl);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "%s\n", srdi_error_message());
        return;
    }
    /* T13 #1 share 2000/15000, #2 1850/15000: 1.00 points apart */
    CHECK_STR(texts_of(d), "甲领先1.00个百分点。@3|乙US$5，1.00%。@5|");
    CHECK_INT(d->claims.n, 2);
    if (d->claims.n == 2) {
        CHECK_INT(d->claims.c[0].line, 3);
        CHECK_STR(d->claims.c[0].cond, "((T13.#1.share - T13.#2.share) > 0.005)");
        CHECK(d->claims.c[0].holds);
    }
    report_doc_free(d);

    CHECK(parse1("甲{{value:$nope}}\n") == NULL);
    CHECK_STR(srdi_error_message(),
              "tpl/20-ch2.md:1: $nope is not defined (define it above its first use: {{#let $nope = expression}})");
    CHECK(parse1("{{value:$a}}\n{{#let $a = 1}}\n") == NULL);
    CHECK_STR(srdi_error_message(),
              "tpl/20-ch2.md:1: $a is not defined (define it above its first use: {{#let $a = expression}})");
    CHECK(parse1("{{#let $a = 1}}\n{{#let $a = 2}}\n{{value:$a}}\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:2: $a is already defined at tpl/20-ch2.md:1");
    CHECK(parse1("{{#let $a = 1}}\n正文\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:1: $a is defined but never used");
    CHECK(parse1("{{#if 1 > 0}}\n{{#let $a = 1}}\n{{/if}}\n{{value:$a}}\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:2: {{#let}} inside {{#if}} (line 1): a definition holds for "
                                    "every edition, put it before the {{#if}}");
    CHECK(parse1("甲{{#let $a = 1}}\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:1: {{#let}} stands alone on its line as {{#let $name = expression}}");
    CHECK(parse1("{{#let a = 1}}\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:1: {{#let}} needs a name and a value: {{#let $name = expression}} "
                                    "(a name is $ and letters, digits or _)");
    CHECK(parse1("{{value:$ 1}}\n") == NULL);
    CHECK_STR(srdi_error_message(), "tpl/20-ch2.md:1: a $ inside {{…}} starts a name ($ and letters, digits or _)");
}

static void test_claims_csv(void)
{
    report_doc *d = parse1("甲{{#if T13.#1.count > 1999}}=超过, \"引号\"{{/if}}。\n");
    CHECK(d != NULL);
    if (!d) return;
    char path[256];
    snprintf(path, sizeof path, "test_report_cond_claims.csv");
    CHECK_INT(report_claims_write(&d->claims, path), SRDI_OK);
    FILE *f = fopen(path, "r");
    char buf[1024] = "";
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f) fclose(f);
    CHECK_STR(buf, "file,line,condition,holds,rendered,values\n"
                   "tpl/20-ch2.md,1,T13.#1.count > 1999,1,\"'=超过, \"\"引号\"\"\",T13.#1.count=2000\n");
    remove(path);
    report_doc_free(d);
}

/* ties(SEL): the rows a top K or a rows range leaves out that share the last
 * selected row's number — what a ranked list must say it cut through. */
static void test_ties(void)
{
    CHECK_STR(cond("ties(T17 top 3 by share) == 1"), "true"); /* #4 = #3 (6) */
    CHECK_STR(cond("ties(T17 top 4 by share) == 0"), "true"); /* #5 is 5 */
    CHECK_STR(cond("ties(T17 top 2 by count) == 0"), "true");
    CHECK_STR(cond("ties(T17 rows #6..#10 show share) == 2"), "true"); /* #11, #12 = #10 (2) */
    CHECK_STR(cond("ties(T17 rows #5..#6 show share) == 1"), "true");  /* #7 = #6 (4) */
    CHECK_STR(cond("ties(T17 rows #6..#10 show none) == 0"), "true");  /* no number to tie on */
    /* the rows below the range count only when they meet the where condition */
    CHECK_STR(cond("ties(T17 rows #6..#8 where count > 2 show share) == 1"), "true"); /* #9 (3) */
    CHECK_STR(cond("ties(T17 rows #6..#8 where key != \"21\" show share) == 0"), "true");
    CHECK_STR(cond("ties(T17 where share < T17.#1.share top 2 by share) == 1"), "true"); /* 8 6 | 6 */
    CHECK_STR(cond("ties(T17 where share < T17.#1.share top 4 by share) == 0"), "true"); /* 8 6 6 5 | 4 */
    CHECK_STR(cond("ties(T17 bottom 2 by share) == 1"), "true");                           /* 2 2 | 2 */
    CHECK_STR(cond("ties(T17 by share) == 0 and ties(T17 top 12 by share) == 0"), "true"); /* nothing left out */
    CHECK_STR(expand("第六至第十位依次为{{list:T17 rows #6..#10 show share}}，"
                     "另有{{value:ties(T17 rows #6..#10 show share)}}个大类的占比与之相同。"),
              "第六至第十位依次为18（7.27%）、19（7.27%）、20（5.45%）、21（5.45%）、22（3.64%），"
              "另有2个大类的占比与之相同。");
    CHECK_STR(cond("ties(T17 top 3) > 0"), "ERR top/bottom need 'by column'");
}

int main(void)
{
    TS = fx_tables();
    srdi_table **nt = realloc(TS->tables, (TS->n + 3) * sizeof *nt);
    TS->tables = nt;
    TS->tables[TS->n++] = fx_t25();
    TS->tables[TS->n++] = fx_t31();
    TS->tables[TS->n++] = fx_t17();
    PR = fx_params();
    srdi_params_set(PR, "claims", "min_n", "30");
    test_conditions();
    test_trend_words();
    test_computed_placeholders();
    test_scope_rows();
    test_branches();
    test_claims_csv();
    test_lets();
    test_ties();
    srdi_tableset_free(TS);
    srdi_params_free(PR);
    return testutil_finish();
}
