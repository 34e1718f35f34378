/*
 * tests/test_report.c — the report's template engine and line breaker:
 * placeholder formatting, 图表 numbering and {{ref:…}}, error messages with
 * file:line, and the CJK line-breaking rules.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/fonts.h"
#include "srdi/util.h"
#include "testutil.h"
#include "test_report_fixture.h"
#include "../src/report/report_private.h"
#include "../src/report/template_private.h"

static srdi_tableset *TS;
static srdi_params *PR;

/* Expand one line (t.md:7, no Markdown escaping): the text, or "ERR " and the message. */
static const char *expand(const char *line)
{
    report_ctx ctx = {.tables = TS, .params = PR};
    return fx_expand(&ctx, 7, line);
}

static void test_placeholders(void)
{
    CHECK_STR(expand("中位数{{T02.national.median}}万元"), "中位数5,774万元");
    CHECK_STR(expand("{{T02.national.share}}"), "10.57%");
    CHECK_STR(expand("{{T02.multiple.median}}"), "2.89倍");
    CHECK_STR(expand("{{T02.gap.gap_pp|高于/低于}}"), "低于");
    CHECK_STR(expand("{{T02.gap.gap_pp|abs}}"), "7.5");
    CHECK_STR(expand("{{T02.gap.gap_pp|高于/低于/持平}}"), "低于");
    CHECK_STR(expand("{{T02.national.share|raw}}"), "0.1057");
    CHECK_STR(expand("{{T02.national.median|raw}}"), "5774");
    CHECK_STR(expand("{{T13.#1.count|raw}}"), "2000");
    CHECK_STR(expand("{{T13.#1.label}}/{{T13.#3.key}}"), "江苏省/浙江省");
    CHECK_STR(expand("{{T13.#1.share}}"), "13.33%");
    CHECK_STR(expand("{{T13.广东省.national_share}}"), "—");
    CHECK_STR(expand("n={{n:T13}}"), "n=15,000");
    CHECK_STR(expand("{{param:report.edition}}"), "2026 年版");
    CHECK_STR(expand("无占位符 {not} {{"), "ERR t.md:7: unterminated placeholder {{");

    CHECK_STR(expand("{{T13.江苏.share}}"), "ERR t.md:7: unknown placeholder {{T13.江苏.share}}: no row '江苏' in T13");
    CHECK_STR(expand("{{T99.national.median}}"),
              "ERR t.md:7: unknown placeholder {{T99.national.median}}: no table 'T99'");
    CHECK_STR(expand("{{T02.national.mean}}"),
              "ERR t.md:7: unknown placeholder {{T02.national.mean}}: no column 'mean' in T02");
    /* a rank the data does not reach prints "—" (with a warning); a bad
       selector or column is still an error */
    CHECK_STR(expand("{{T13.#13.share}}"), "—");
    CHECK_STR(expand("{{T13.#13.key}}"), "—");
    CHECK_STR(expand("{{T13.#0.share}}"),
              "ERR t.md:7: unknown placeholder {{T13.#0.share}}: bad row selector '#0' (write #1, #2 …)");
    CHECK_STR(expand("{{T13.#13.nope}}"), "ERR t.md:7: unknown placeholder {{T13.#13.nope}}: no column 'nope' in T13");
    CHECK_STR(expand("{{param:report.nope}}"),
              "ERR t.md:7: unknown placeholder {{param:report.nope}}: no parameter 'report.nope' in params.ini");
    CHECK_STR(expand("{{ref:T05}}"),
              "ERR t.md:7: unknown placeholder {{ref:T05}}: no chart, table or figure directive for 'T05'");
    CHECK_STR(expand("{{T02.national.share|bogus}}"),
              "ERR t.md:7: unknown placeholder {{T02.national.share|bogus}}: unknown modifier 'bogus'");
}

/* Expand one prose line (t.md:7, Markdown escaping): the text, or "ERR " and the message. */
static const char *expand_prose(const char *line)
{
    static char out[2048];
    report_ctx ctx = {.tables = TS, .params = PR};
    srdi_buf b = {0};
    srdi_status s = report_expand_prose_line(line, &ctx, NULL, "t.md", 7, &b);
    snprintf(out, sizeof out, "%s%s", s ? "ERR " : "", s ? srdi_error_message() : b.data ? b.data : "");
    srdi_buf_free(&b);
    return out;
}

#define NODATA "本段所需的部分数据在本版中缺失（有的组别没有企业或没有数据），相关分析从略。"

/*
 * A placeholder whose value is null (the data has none: a missing row, a
 * rank it does not reach, an empty cell, an expression without a value)
 * prints "—", and its prose line becomes the no-data sentence; a value that
 * merely reads "—" is not null and leaves the line as it is.
 */
static void test_null_values(void)
{
    CHECK_STR(expand_prose("第十三位是{{T13.#13.label}}，占{{T13.#13.share}}。"), NODATA);
    CHECK_STR(expand_prose("广东省国家级占比{{T13.广东省.national_share}}。"), NODATA); /* a null cell */
    CHECK_STR(expand_prose("- 第十三位：{{T13.#13.key}}"), "- " NODATA); /* a list item keeps its marker */
    CHECK_STR(expand_prose("3. 第十三位：{{T13.#13.key}}"), "3. " NODATA);
    /* the exhibits it cited stay cited */
    CHECK_STR(expand_prose("第十三位是{{T13.#13.label}}（见图表12和图表13，图表12）。"),
              "本段所需的部分数据在本版中缺失（有的组别没有企业或没有数据），相关分析从略（见图表12、图表13）。");
    CHECK_STR(expand_prose("| 第十三位 | {{T13.#13.share}} |"), "| 第十三位 | — |"); /* a table row stays */
    CHECK_STR(expand_prose("## 第十三位{{T13.#13.key}}"), "## 第十三位—");           /* so does a heading */
    /* not null: the template's own words for an empty list, even when they are "—" */
    CHECK_STR(expand_prose("超过一半的省份：{{list:T13 where share > 0.5 else \"—\"}}。"), "超过一半的省份：—。");
    CHECK_STR(expand_prose("江苏省占{{T13.江苏省.share}}。"), "江苏省占13\\.33\\%。");
    CHECK_STR(expand_prose("{{T13.江苏.share}}"),
              "ERR t.md:7: unknown placeholder {{T13.江苏.share}}: no row '江苏' in T13");
}

/* Parse in-memory files; returns the doc or NULL (message in srdi_error_message). */
static report_doc *parse(const char *const *names, const char *const *texts, size_t n)
{
    report_ctx ctx = {.tables = TS, .params = PR};
    report_doc *d = NULL;
    if (report_doc_parse(names, texts, n, &ctx, &d)) return NULL;
    return d;
}

static void test_numbering(void)
{
    report_ctx ctx = {.tables = TS, .params = PR};
    report_doc *d = NULL;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", testutil_src("tests/data/report/basic"));
    CHECK_INT(report_doc_load(dir, &ctx, &d), SRDI_OK);
    if (!d) {
        fprintf(stderr, "%s\n", srdi_error_message());
        return;
    }
    /* 图表 1 chart T13, 2 table T16, 3 figure path, 4 chart+table T13, 5 chart S48 */
    CHECK_INT(d->nfigs, 5);
    if (d->nfigs == 5) {
        CHECK_INT(d->figs[0].number, 1);
        CHECK_STR(d->figs[0].caption, "专精特新企业省份分布TOP10");
        CHECK_INT(d->figs[2].number, 3);
        CHECK_STR(d->figs[2].caption, "专精特新企业四阶段培育路径表");
        CHECK_STR(d->figs[3].caption, "省份分布（图与表）");
        CHECK_INT(d->figs[4].number, 5);
    }
    /* the preface refers forward: 图表1 and 图表3 */
    bool found = false;
    for (size_t i = 0; i < d->nblocks; i++) {
        if (d->blocks[i].kind != RB_PARA) continue;
        char *p = report_inline_plain(&d->blocks[i].text);
        if (strstr(p, "省份分布见图表1，培育路径见图表3。")) found = true;
        if (strstr(p, "基于12,345家企业")) CHECK(d->blocks[i].text.n >= 3); /* text, footnote ref, text */
        free(p);
    }
    CHECK(found);
    /* headings are numbered: 第一章, 1.1, 1.2, 第二章, 2.1, ### unnumbered */
    const char *want[] = {"", "第一章", "1.1", "1.2", "第二章", "2.1", ""};
    size_t k = 0;
    for (size_t i = 0; i < d->nblocks && k < 7; i++)
        if (d->blocks[i].kind == RB_HEADING) CHECK_STR(d->blocks[i].number, want[k++]);
    CHECK_INT(k, 7);
    /* the source directive attaches to the preceding chart; TOC/LOF come after the preface */
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == RB_CHART && d->blocks[i].fig == 1)
            CHECK_STR(d->blocks[i].source, "资料来源：测试数据，项目组整理。");
    CHECK_INT(d->blocks[0].kind, RB_COVER);
    CHECK_INT(d->blocks[0].ncover, 5);
    CHECK_STR(d->blocks[0].cover_lines[0], "专精特新企业培育发展报告");
    /* footnotes numbered across files */
    CHECK_INT(d->nnotes, 2);
    report_doc_free(d);
}

static void test_template_errors(void)
{
    const char *names[] = {"tpl/10-ch1.md"};
    const char *t1[] = {"# 章\n\n正文\n\n::: chart T99\n"};
    CHECK(parse(names, t1, 1) == NULL);
    CHECK_STR(srdi_error_message(), "tpl/10-ch1.md:5: unknown chart 'T99' in '::: chart T99'");

    const char *t2[] = {"# 章\n\n::: graph T13\n\n正文\n"};
    CHECK(parse(names, t2, 1) == NULL);
    CHECK_STR(srdi_error_message(), "tpl/10-ch1.md:3: unknown directive '::: graph T13'");

    const char *t3[] = {"# 章\n\n第一行\n第二行{{T13.江苏.share}}\n"};
    CHECK(parse(names, t3, 1) == NULL);
    CHECK_STR(srdi_error_message(), "tpl/10-ch1.md:4: unknown placeholder {{T13.江苏.share}}: no row '江苏' in T13");

    const char *t4[] = {"# 章\n\n::: table T16 cols=share,foo\n"};
    CHECK(parse(names, t4, 1) == NULL);
    CHECK_STR(srdi_error_message(), "tpl/10-ch1.md:3: no column 'foo' in T16");

    const char *t5[] = {"# 章\n\n::: figure x \"标题\"\n\n普通段落\n"};
    CHECK(parse(names, t5, 1) == NULL);
    CHECK_STR(srdi_error_message(), "tpl/10-ch1.md:3: '::: figure x' must be followed by a pipe table or a list");

    const char *t6[] = {"# 章\n\n::: source 资料来源：无\n"};
    CHECK(parse(names, t6, 1) == NULL);
    CHECK_STR(srdi_error_message(), "tpl/10-ch1.md:3: '::: source' has no figure before it");

    const char *t7[] = {"# 章\n\n::: table T13 top=0\n"};
    CHECK(parse(names, t7, 1) == NULL);
    CHECK_STR(srdi_error_message(), "tpl/10-ch1.md:3: bad option 'top=0' (top=N, N ≥ 1)");

    /* a ":::" line inside a paragraph is text, not a directive */
    const char *t8[] = {"# 章\n\n文字\n::: chart T99\n"};
    report_doc *d = parse(names, t8, 1);
    CHECK(d != NULL);
    report_doc_free(d);

    /* {{ref}} of a chart+table counts once; two charts of one id are separate */
    const char *names2[] = {"tpl/10-a.md", "tpl/20-b.md"};
    const char *t9[] = {"# A\n\n见图表{{ref:T13}}与{{ref:T16}}。\n\n::: chart+table T13\n",
                        "# B\n\n::: table T16 top=5\n\n::: chart T13\n"};
    d = parse(names2, t9, 2);
    CHECK(d != NULL);
    if (d) {
        CHECK_INT(d->nfigs, 3);
        for (size_t i = 0; i < d->nblocks; i++)
            if (d->blocks[i].kind == RB_PARA) {
                char *p = report_inline_plain(&d->blocks[i].text);
                CHECK_STR(p, "见图表1与2。");
                free(p);
            }
        report_doc_free(d);
    }
}

static void test_numbers(void)
{
    char b[32];
    report_chinese_number(1, b, sizeof b);
    CHECK_STR(b, "一");
    report_chinese_number(10, b, sizeof b);
    CHECK_STR(b, "十");
    report_chinese_number(12, b, sizeof b);
    CHECK_STR(b, "十二");
    report_chinese_number(20, b, sizeof b);
    CHECK_STR(b, "二十");
    report_roman(4, b, sizeof b);
    CHECK_STR(b, "iv");
    report_roman(14, b, sizeof b);
    CHECK_STR(b, "xiv");
}

/* No line of @p text broken at @p w starts with a forbidden character or ends with an opening one. */
static int check_kinsoku(const srdi_fonts *f, const char *text, double w, int *nlines)
{
    static const char *bad_start[] = {"，", "。", "、", "；", "：", "？", "！", "）", "》", "”", "%", NULL};
    static const char *bad_end[] = {"（", "《", "“", NULL};
    report_span sp = {text, strlen(text), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    report_lines l = {0};
    int bad = 0;
    if (report_break_lines(f, &sp, 1, w, w, true, &l)) return -1;
    *nlines = (int)l.nlines;
    for (size_t i = 0; i < l.nlines; i++) {
        char *t = report_line_text(&l, &sp, i);
        size_t n = strlen(t);
        for (int k = 0; bad_start[k]; k++)
            if (i > 0 && strncmp(t, bad_start[k], strlen(bad_start[k])) == 0) {
                fprintf(stderr, "line %zu starts with %s: %s\n", i, bad_start[k], t);
                bad++;
            }
        for (int k = 0; bad_end[k]; k++)
            if (n >= strlen(bad_end[k]) && strcmp(t + n - strlen(bad_end[k]), bad_end[k]) == 0) {
                fprintf(stderr, "line %zu ends with %s: %s\n", i, bad_end[k], t);
                bad++;
            }
        /* no line is wider than the measure */
        const report_line *ln = &l.lines[i];
        if (ln->width > w + 0.01 && ln->count > 1) {
            fprintf(stderr, "line %zu too wide: %.2f > %.2f\n", i, ln->width, w);
            bad++;
        }
        /* justified lines (not the last) end at the measure, or short of it
           only with their characters 0.05 em apart (the most justification
           gives; the rest of the slack stays at the end) */
        if (!ln->last && ln->count > 1) {
            const report_piece *lastp = &l.pieces[ln->first + ln->count - 1], *p0 = &l.pieces[ln->first];
            double end = lastp->x + lastp->w, gap = p0[1].x - p0->x - p0->w;
            if (end > w + 0.05 || (end < w - 0.05 && gap < 0.525 - 0.01)) {
                fprintf(stderr, "line %zu not justified: ends at %.2f of %.2f, gap %.3f\n", i, end, w, gap);
                bad++;
            }
        }
        free(t);
    }
    report_lines_free(&l);
    return bad;
}

/* Piece @p p of @p text is one Han character (U+4E00–U+9FFF: UTF-8 lead byte E4–E9). */
static bool han_piece(const char *text, const report_piece *p)
{
    unsigned char b = (unsigned char)text[p->start];
    return p->end - p->start == 3 && b >= 0xE4 && b <= 0xE9;
}

/*
 * A footnote mark stays on the line of the word it follows: the 厦门市
 * edition of sample n 9000 seed 4242 set "…中位数为5件" at the end of a
 * line and its mark "9" at the start of the next ("⁹（有的领域…").  40 Han
 * characters fill a 420 pt measure at 10.5 pt; the mark after them goes
 * over with the last character.
 */
static void test_footnote_mark_kept(const srdi_fonts *f)
{
    char text[40 * 3 + 1];
    for (int i = 0; i < 40; i++) memcpy(text + 3 * i, &"一二三四五六七八九十"[3 * (i % 10)], 3);
    text[40 * 3] = 0;
    const char *rest = "（有的领域没有披露研发数据的企业，其研发占比均值从略）。";
    report_span sp[3] = {{text, strlen(text), {SRDI_FONT_SERIF, 10.5, false}, 0, false},
                         {"9", 1, {SRDI_FONT_SERIF, 7.5, false}, 1, true},
                         {rest, strlen(rest), {SRDI_FONT_SERIF, 10.5, false}, 2, false}};
    report_lines l = {0};
    CHECK_INT(report_break_lines(f, sp, 3, 420, 420, true, &l), SRDI_OK);
    CHECK(l.nlines >= 2);
    for (size_t i = 1; i < l.nlines; i++) {
        const report_piece *p0 = &l.pieces[l.lines[i].first];
        if (p0->span == 1) fprintf(stderr, "line %zu opens with the footnote mark\n", i);
        CHECK(p0->span != 1);
    }
    report_lines_free(&l);
}

/*
 * A paragraph set tight (report_break_lines_tight, a chapter's make-up
 * option) saves a line where its gaps may close up enough: 81 characters
 * at a 40-character measure take 3 lines solid (the last one character
 * alone) and 2 tight, one of them 41 characters with its 40 gaps closed by
 * a quarter point (0.025 em, under the 0.05 em allowed); 80 characters,
 * which no closing up saves a line, are set as without it.
 */
static void test_tight(const srdi_fonts *f)
{
    char text[81 * 3 + 1];
    for (int i = 0; i < 81; i++) memcpy(text + 3 * i, &"一二三四五六七八九十"[3 * (i % 10)], 3);
    text[81 * 3] = 0;
    report_span sp = {text, strlen(text), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    report_lines l = {0}, t = {0};
    CHECK_INT(report_break_lines(f, &sp, 1, 420, 420, true, &l), SRDI_OK);
    CHECK_INT(l.nlines, 3);
    CHECK_INT(report_break_lines_tight(f, &sp, 1, 420, 420, true, 0.05, &t), SRDI_OK);
    CHECK_INT(t.nlines, 2);
    size_t chars = 0, squeezed = 0;
    for (size_t i = 0; i < t.nlines; i++) {
        const report_line *ln = &t.lines[i];
        const report_piece *p0 = &t.pieces[ln->first], *lp = &t.pieces[ln->first + ln->count - 1];
        char *s = report_line_text(&t, &sp, i);
        size_t n = strlen(s) / 3;
        free(s);
        chars += n;
        CHECK(lp->x + lp->w < 420 + 0.01); /* within the measure */
        if (n == 41) { /* one piece a character, each gap closed by 0.2625 pt */
            squeezed++;
            CHECK_INT((int)ln->count, 41);
            CHECK(fabs(p0[1].x - p0->x - p0->w + 0.2625) < 0.001);
        }
    }
    CHECK_INT((int)chars, 81);
    CHECK_INT((int)squeezed, 1);
    /* 80 characters: 2 lines either way, the same pieces */
    sp.len = 80 * 3;
    CHECK_INT(report_break_lines(f, &sp, 1, 420, 420, true, &l), SRDI_OK);
    CHECK_INT(report_break_lines_tight(f, &sp, 1, 420, 420, true, 0.05, &t), SRDI_OK);
    CHECK_INT(l.nlines, 2);
    CHECK_INT(t.nlines, 2);
    CHECK(l.npieces == t.npieces && memcmp(l.pieces, t.pieces, l.npieces * sizeof *l.pieces) == 0);
    report_lines_free(&l);
    report_lines_free(&t);
}

static void test_linebreak(const srdi_fonts *f)
{
    const char *text =
        "专精特新中小企业是指具备专业化、精细化、特色化、新颖化特征的中小企业，它们长期深耕细分市场，"
        "创新能力强、市场占有率高。（括号内的说明文字也应当正确断行。）“引号中的内容”同样如此；"
        "数据如12,345.67与Latin words such as Huawei Technologies should stay whole，百分比如10.57%不能被拆开！"
        "《中华人民共和国中小企业促进法》规定：国家支持中小企业发展。";
    int total_bad = 0, nl = 0;
    /* every width from 6 to 30 characters: the rules must hold at every break position */
    for (double w = 63; w <= 315; w += 5.25) {
        int bad = check_kinsoku(f, text, w, &nl);
        CHECK(nl > 1);
        total_bad += bad;
    }
    CHECK_INT(total_bad, 0);

    /* exact case: 10.5 pt CJK characters are 10.5 pt wide; a 5-character line
       that would start with "，" keeps the comma and moves a character down */
    const char *t2 = "一二三四五，六七八九十。";
    report_span sp = {t2, strlen(t2), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    report_lines l = {0};
    CHECK_INT(report_break_lines(f, &sp, 1, 52.5, 52.5, false, &l), SRDI_OK);
    CHECK_INT(l.nlines, 3);
    char *a = report_line_text(&l, &sp, 0), *b = report_line_text(&l, &sp, 1), *c = report_line_text(&l, &sp, 2);
    CHECK_STR(a, "一二三四");
    CHECK_STR(b, "五，六七八");
    CHECK_STR(c, "九十。");
    free(a);
    free(b);
    free(c);

    /* Latin words and digit runs stay whole */
    const char *t3 = "数值12345678与Technologies相连";
    report_span sp3 = {t3, strlen(t3), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    CHECK_INT(report_break_lines(f, &sp3, 1, 60, 60, false, &l), SRDI_OK);
    bool whole_num = false, whole_word = false;
    for (size_t i = 0; i < l.nlines; i++) {
        char *t = report_line_text(&l, &sp3, i);
        if (strstr(t, "12345678")) whole_num = true;
        if (strstr(t, "Technologies")) whole_word = true;
        free(t);
    }
    CHECK(whole_num);
    CHECK(whole_word);

    /* a number stays with its unit / an industry code with its name: "一二三四1"
       fits 52.5 pt but would leave "件" to open the next line */
    /* a range is not broken at its dash: "一二三101—" fits 63 pt */
    const char *t5[][3] = {{"一二三四1件五", "一二三四", "1件五"},
                           {"依次为565软件", "依次为", "565软件"},
                           {"一二三101—200人", "一二三", "101—200人"}};
    for (size_t k = 0; k < 3; k++) {
        report_span s5 = {t5[k][0], strlen(t5[k][0]), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
        double w5 = k == 2 ? 63 : 52.5;
        CHECK_INT(report_break_lines(f, &s5, 1, w5, w5, false, &l), SRDI_OK);
        CHECK_INT(l.nlines, 2);
        if (l.nlines == 2) {
            char *x = report_line_text(&l, &s5, 0), *y = report_line_text(&l, &s5, 1);
            CHECK_STR(x, t5[k][1]);
            CHECK_STR(y, t5[k][2]);
            free(x);
            free(y);
        }
    }

    /* justified text shares the slack an unbreakable group leaves: greedy
       filling of 10-character lines would set "一…十" full and leave 4
       characters of slack on "一二三四五六" before "（见图表52）。"; the
       paragraph's breaks chosen together give each of the two lines 2 */
    const char *t6 = "一二三四五六七八九十一二三四五六（见图表52）。";
    report_span s6 = {t6, strlen(t6), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    const char *want6[2][3] = {{"一二三四五六七八", "九十一二三四五六", "（见图表52）。"},
                               {"一二三四五六七八九十", "一二三四五六", "（见图表52）。"}};
    for (int just = 1; just >= 0; just--) {
        CHECK_INT(report_break_lines(f, &s6, 1, 105, 105, just, &l), SRDI_OK);
        CHECK_INT(l.nlines, 3);
        for (size_t i = 0; i < l.nlines && i < 3; i++) {
            char *t = report_line_text(&l, &s6, i);
            CHECK_STR(t, want6[1 - just][i]); /* unjustified text (captions, cells) fills greedily */
            free(t);
        }
    }

    /* a line left with wide slack by an unbreakable group ("100.00%；") is
       not letter-spaced: its characters move 0.05 em apart and the blank
       after its comma 0.1 em more; as that is not enough, every gap takes
       the same more, the characters up to 0.15 em, the blank beside the
       comma up to 0.25 em in all, and the rest of the slack (2 em of 3)
       stays at the end of the line (set ragged) */
    const char *tj = "甲乙，丙丁戊己100.00%；壬癸。";
    report_span sj = {tj, strlen(tj), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    CHECK_INT(report_break_lines(f, &sj, 1, 105, 105, true, &l), SRDI_OK);
    CHECK_INT(l.nlines, 2);
    if (l.nlines == 2) {
        char *t = report_line_text(&l, &sj, 0);
        CHECK_STR(t, "甲乙，丙丁戊己");
        free(t);
        const report_line *ln = &l.lines[0];
        double x[8] = {0}, w[8] = {0};
        for (size_t k = 0; k < ln->count && k < 8; k++) {
            x[k] = l.pieces[ln->first + k].x;
            w[k] = l.pieces[ln->first + k].w;
        }
        CHECK_INT((int)ln->count, 7);
        double han = x[4] - x[3] - w[3], comma = x[3] - x[2] - w[2];
        CHECK(fabs(han - 1.575) < 0.01);
        CHECK(fabs(comma - 2.625) < 0.01);
        CHECK(fabs(x[6] + w[6] - (ln->width + 5 * 1.575 + 2.625)) < 0.01); /* ragged: short of the measure */
        CHECK(x[6] + w[6] < 105 - 20);
    }

    /* the slack an unbreakable group leaves is shared by the lines before
       it: "一…十" solid would leave "甲乙，丙，丁，戊" 2 em to take, more
       than its seven gaps may (0.7 em short of the measure); ending the
       first line a character earlier gives each line 1 em, spread over its
       eight gaps, and both lines reach the measure */
    const char *tk = "一二三四五六七八九十甲乙，丙，丁，戊（见图表52）。";
    report_span sk = {tk, strlen(tk), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    CHECK_INT(report_break_lines(f, &sk, 1, 105, 105, true, &l), SRDI_OK);
    CHECK_INT(l.nlines, 3);
    const char *wantk[3] = {"一二三四五六七八九", "十甲乙，丙，丁，戊", "（见图表52）。"};
    for (size_t i = 0; i < l.nlines && i < 3; i++) {
        char *t = report_line_text(&l, &sk, i);
        CHECK_STR(t, wantk[i]);
        free(t);
        const report_line *ln = &l.lines[i];
        const report_piece *lp = &l.pieces[ln->first + ln->count - 1];
        if (i < 2) CHECK(fabs(lp->x + lp->w - 105) < 0.01); /* at the measure */
    }

    /* the national 2.2.1 paragraph (p.16): its first line has 3 em of slack
       (the closing "（见图表16）。" takes a line of its own); the characters
       stand more than 0.05 em apart but at most 0.15 em, the blanks beside
       its marks at most 0.25 em (they took 0.75 em before: visible gaps),
       and the line still ends at the measure */
    const char *tp = "从省份分布看，江苏省以14.42%的占比居首，广东省（13.52%）、山东省（11.49%）次之，构成第一梯队；"
                     "浙江省（8.44%）、北京市（6.79%）、上海市（6.19%）分列第四至第六位（见图表16）。";
    report_span sp16 = {tp, strlen(tp), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    CHECK_INT(report_break_lines(f, &sp16, 1, 432.5, 453.5, true, &l), SRDI_OK);
    CHECK_INT(l.nlines, 3);
    if (l.nlines == 3) {
        const report_line *ln = &l.lines[0];
        CHECK(ln->width < 432.5 - 25); /* the slack is really there */
        double widest = 0, mark = 0;
        for (size_t k = 0; k + 1 < ln->count; k++) {
            const report_piece *a = &l.pieces[ln->first + k], *b = a + 1;
            if (han_piece(tp, a) && han_piece(tp, b))
                widest = fmax(widest, b->x - a->x - a->w);
            if (a->end - a->start == 3 && (memcmp(tp + a->start, "，", 3) == 0 || memcmp(tp + a->start, "）", 3) == 0))
                mark = fmax(mark, b->x - a->x - a->w);
        }
        CHECK(widest > 0.5251 && widest <= 1.5751);
        CHECK(mark > widest && mark <= 2.6251);
        const report_piece *e = &l.pieces[ln->first + ln->count - 1];
        CHECK(fabs(e->x + e->w - 432.5) < 0.01);
    }

    /* punctuation compression: a quotation mark widened to an em (the sans
       face) next to another full-width mark gives up half an em ("：“" and
       "”，"); a quote between Han characters keeps its em; the serif face's
       own full-em quotes stay as they are */
    for (int fam = 0; fam < 2; fam++) {
        srdi_font fo = {fam ? SRDI_FONT_SANS : SRDI_FONT_SERIF, 10, false};
        double squeezed = fam ? 5 : 0;
        const char *t7 = "图表：“小巨人”，企业“专精”";
        report_span s7 = {t7, strlen(t7), fo, 0, false};
        CHECK_INT(report_break_lines(f, &s7, 1, 400, 400, false, &l), SRDI_OK);
        CHECK_INT(l.nlines, 1);
        double full = srdi_text_width(f, fo, t7, strlen(t7));
        double pre = srdi_text_width(f, fo, "图表：", strlen("图表："));
        CHECK(fabs(l.lines[0].width - (full - 2 * squeezed)) < 0.01);
        bool open_found = false;
        for (size_t k = 0; k < l.lines[0].count; k++) {
            const report_piece *pc = &l.pieces[l.lines[0].first + k];
            if (pc->start == strlen("图表：")) {
                CHECK(fabs(pc->x - (pre - squeezed)) < 0.01);
                open_found = true;
            }
        }
        CHECK(open_found || !fam); /* the serif line is one piece */
    }

    /* a table header never leaves one character of a word alone on a line,
       also before a hard break (a regional header "…中位数\n江苏省") */
    report_span s8[3] = {{"国家级营收增长率中位数", strlen("国家级营收增长率中位数"), {SRDI_FONT_SERIF, 10.5, false}, 0,
                          false},
                         {"\n", 1, {SRDI_FONT_SERIF, 10.5, false}, 1, false},
                         {"江苏省", strlen("江苏省"), {SRDI_FONT_SERIF, 10.5, false}, 2, false}};
    CHECK_INT(report_break_words(f, s8, 3, 105, &l), SRDI_OK);
    CHECK_INT(l.nlines, 3);
    const char *want8[3] = {"国家级营收增长率中", "位数", "江苏省"};
    for (size_t i = 0; i < l.nlines && i < 3; i++) {
        char *t = report_line_text(&l, s8, i);
        CHECK_STR(t, want8[i]);
        free(t);
    }

    /* words mode (table cells, boxes): a CJK run too long for the cell is
       split before its number, not inside the unit after it ("42.96个百" /
       "分点"); 12 characters of 10.5 pt fit the 126 pt cell */
    const char *t9 = "企业技术中心持有率相差42.96个百分点";
    report_span s9 = {t9, strlen(t9), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    CHECK_INT(report_break_words(f, &s9, 1, 126, &l), SRDI_OK);
    CHECK_INT(l.nlines, 2);
    if (l.nlines == 2) {
        char *x = report_line_text(&l, &s9, 0), *y = report_line_text(&l, &s9, 1);
        CHECK_STR(x, "企业技术中心持有率相差");
        CHECK_STR(y, "42.96个百分点");
        free(x);
        free(y);
    }

    /* a hard break ends the line and is not justified */
    report_span sp4[3] = {{"第一行", strlen("第一行"), {SRDI_FONT_SERIF, 10.5, false}, 0, false},
                          {"\n", 1, {SRDI_FONT_SERIF, 10.5, false}, 1, false},
                          {"第二行", strlen("第二行"), {SRDI_FONT_SERIF, 10.5, false}, 2, false}};
    CHECK_INT(report_break_lines(f, sp4, 3, 400, 400, true, &l), SRDI_OK);
    CHECK_INT(l.nlines, 2);
    if (l.nlines == 2) {
        CHECK(l.lines[0].last);
        char *t = report_line_text(&l, sp4, 1);
        CHECK_STR(t, "第二行");
        free(t);
    }
    report_lines_free(&l);
}

/*
 * The small-sample note (annotate.c): a table that compares the tiers
 * without a sample-size column of its own (T04) takes its groups from T01,
 * so its chart carries the note too (甘肃省 of sample --n 12000 --seed 31:
 * 图表36 on 2 national enterprises had none); T01's own rows are counts, not
 * groups of a statistic, and a table of large tiers gets no note.  The
 * champion comparison (T28) has national enterprises and champions as its
 * groups: its n less T01's national count is the champions'.
 */
static void test_small_sample_note(void)
{
    for (int big = 0; big < 2; big++) {
        srdi_table *t01 = srdi_table_new("T01", "tier_share", "层级", "层级");
        int cc = srdi_table_add_col(t01, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
        int rn = srdi_table_add_row(t01, "national", "国家级专精特新“小巨人”企业");
        int rp = srdi_table_add_row(t01, "provincial", "省级专精特新企业");
        srdi_table_set_num(t01, rn, cc, big ? 300 : 2);
        srdi_table_set_num(t01, rp, cc, 33);
        srdi_table *t04 = srdi_table_new("T04", "honor_rates", "荣誉资质持有率", "荣誉资质");
        int cr = srdi_table_add_col(t04, "national_rate", "国家级", SRDI_COL_SHARE, "", -1);
        int rr = srdi_table_add_row(t04, "hon_tech_center", "企业技术中心");
        srdi_table_set_num(t04, rr, cr, 1.0);
        srdi_table *t28 = srdi_table_new("T28", "champion_gap", "冠军对标", "冠军对标");
        int cm = srdi_table_add_col(t28, "champion_mean", "单项冠军均值", SRDI_COL_NUMBER, "", 2);
        int rm = srdi_table_add_row(t28, "patents_total", "专利总量（件）");
        srdi_table_set_num(t28, rm, cm, 1015.12);
        srdi_table_set_note(t28, "倍数 = 单项冠军均值 / 国家级均值");
        t28->n = (big ? 300 : 2) + (big ? 30 : 29); /* national + champions */
        srdi_tableset *ts = fx_set(3, t04, t01, t28);
        CHECK_INT(srdi_report_annotate(ts, NULL), SRDI_OK);
        CHECK_STR(t04->note, big ? "" : "国家级专精特新“小巨人”企业样本量小于30，仅供参考。");
        CHECK(t04->small_sample == !big);
        CHECK_STR(t28->note, big ? "倍数 = 单项冠军均值 / 国家级均值"
                                 : "倍数 = 单项冠军均值 / 国家级均值。国家级专精特新“小巨人”企业、单项冠军企业样本量小于30，仅供参考。");
        CHECK(t28->small_sample == !big);
        CHECK_STR(t01->note, "");
        CHECK(!t01->small_sample);
        srdi_tableset_free(ts);
    }
    /* a tier without enterprises is no small sample: its figures are not
       shown at all (the 西藏 edition of sample n 9000 seed 4242, no 国家级
       enterprise: 图表36 without a 国家级 bar said 国家级…样本量小于30) */
    {
        srdi_table *t01 = srdi_table_new("T01", "tier_share", "层级", "层级");
        int cc = srdi_table_add_col(t01, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
        srdi_table_set_num(t01, srdi_table_add_row(t01, "national", "国家级专精特新“小巨人”企业"), cc, 0);
        srdi_table_set_num(t01, srdi_table_add_row(t01, "provincial", "省级专精特新企业"), cc, 5);
        srdi_table *t04 = srdi_table_new("T04", "honor_rates", "荣誉资质持有率", "荣誉资质");
        int cr = srdi_table_add_col(t04, "provincial_rate", "省级", SRDI_COL_SHARE, "", -1);
        srdi_table_set_num(t04, srdi_table_add_row(t04, "hon_tech_center", "企业技术中心"), cr, 0.2);
        srdi_tableset *ts0 = fx_set(2, t04, t01);
        CHECK_INT(srdi_report_annotate(ts0, NULL), SRDI_OK);
        CHECK_STR(t04->note, "省级专精特新企业样本量小于30，仅供参考。");
        srdi_tableset_free(ts0);
    }
    /* a ranking table's rows are flagged, so a TOP-N table or chart names
       only the rows it shows (srdi_table_note_for): 图表21 of the national
       build listed cities below min_n that were not among its 20 rows */
    srdi_table *t16 = srdi_table_new("T16", "cities", "城市", "城市");
    int cn = srdi_table_add_col(t16, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    static const char *const city[] = {"北京市", "石家庄市", "衡水市", "宣城市"};
    static const double count[] = {1017, 192, 29, 12};
    for (int r = 0; r < 4; r++) srdi_table_set_num(t16, srdi_table_add_row(t16, city[r], city[r]), cn, count[r]);
    srdi_table_set_note(t16, "专利总量为中位数");
    srdi_tableset *ts = fx_set(1, t16);
    for (int again = 0; again < 2; again++) { /* annotating twice adds the note once */
        CHECK_INT(srdi_report_annotate(ts, NULL), SRDI_OK);
        CHECK_STR(t16->note, "专利总量为中位数。衡水市、宣城市样本量小于30，仅供参考。");
    }
    CHECK(t16->small_sample && !t16->rows[1].small && t16->rows[2].small && t16->rows[3].small);
    char *note = NULL;
    bool named = true;
    CHECK_INT(srdi_table_note_for(t16, 2, &note, &named), SRDI_OK);
    CHECK_STR(note, "专利总量为中位数");
    CHECK(!named);
    free(note);
    CHECK_INT(srdi_table_note_for(t16, 3, &note, &named), SRDI_OK);
    CHECK_STR(note, "专利总量为中位数。衡水市样本量小于30，仅供参考。");
    CHECK(named);
    free(note);
    srdi_tableset_free(ts);
}

/*
 * A regional edition's table (report_bench_view): a champion column the
 * edition does not filter (T28's 单项冠军均值, the same numbers as the
 * nation's) is headed 全国 and gets no 全国 column of its own, a region's
 * median that equals the nation's keeps its region and 全国 columns (the 北京市 edition printed
 * 1,045.86 under 北京市 and again under 全国); a row of the region that a
 * top-N benchmark leaves out (T33: the region's IPC class outside the
 * nation's top N) shows "—" in the 全国 column and the note says why.
 */
static void test_bench_view(void)
{
    srdi_table *r28 = srdi_table_new("T28", "champion_gap", "冠军对标", "冠军对标");
    srdi_table *n28 = srdi_table_new("T28", "champion_gap", "冠军对标", "冠军对标");
    srdi_table *r33 = srdi_table_new("T33", "ipc_top", "IPC", "IPC");
    srdi_table *n33 = srdi_table_new("T33", "ipc_top", "IPC", "IPC");
    srdi_table *t28[2] = {r28, n28}, *t33[2] = {r33, n33};
    for (int k = 0; k < 2; k++) {
        int cn = srdi_table_add_col(t28[k], "national_mean", "国家级均值", SRDI_COL_NUMBER, "", 2);
        int cc = srdi_table_add_col(t28[k], "champion_mean", "单项冠军均值", SRDI_COL_NUMBER, "", 2);
        int cx = srdi_table_add_col(t28[k], "multiple", "倍数", SRDI_COL_MULTIPLE, "", 2);
        int r = srdi_table_add_row(t28[k], "patents_total", "专利总量（件）");
        srdi_table_set_num(t28[k], r, cn, k ? 176.23 : 136.38);
        srdi_table_set_num(t28[k], r, cc, 1015.12);
        srdi_table_set_num(t28[k], r, cx, k ? 5.76 : 7.44);
        /* a region's median equal to the nation's is still the region's */
        int cd = srdi_table_add_col(t28[k], "median", "中位数", SRDI_COL_NUMBER, "", 0);
        srdi_table_set_num(t28[k], r, cd, 28);
        int cs = srdi_table_add_col(t33[k], "count", "申请数", SRDI_COL_COUNT, "件", -1);
        srdi_table_set_num(t33[k], srdi_table_add_row(t33[k], "G06F", "G06F"), cs, k ? 70346 : 47);
        srdi_table_set_num(t33[k], srdi_table_add_row(t33[k], k ? "G01N" : "B61L", k ? "G01N" : "B61L"), cs,
                           k ? 60865 : 12);
        srdi_table_set_num(t33[k], srdi_table_add_row(t33[k], "total", "合计"), cs, k ? 633008 : 59);
    }
    srdi_tableset *nat = fx_set(2, n28, n33);
    srdi_report_opts o = {.params = PR, .scope = "province=北京市", .national = nat};
    report_block b = {0};
    srdi_table *v = NULL;
    report_block vb;
    CHECK_INT(report_bench_view(&o, r28, &b, &v, &vb), SRDI_OK);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT((int)v->ncols, 6);
        static const char *const want[] = {"国家级均值\n北京市", "全国", "单项冠军均值\n全国", "倍数", "中位数\n北京市",
                                           "全国"};
        for (size_t c = 0; c < v->ncols && c < 6; c++) CHECK_STR(v->cols[c].label, want[c]);
        CHECK(v->rows[0].cells[1].kind == SRDI_CELL_NUM && v->rows[0].cells[1].num == 176.23);
        CHECK(v->rows[0].cells[2].kind == SRDI_CELL_NUM && v->rows[0].cells[2].num == 1015.12);
        CHECK_STR(v->note, "");
    }
    srdi_table_free(v);
    v = NULL;
    CHECK_INT(report_bench_view(&o, r33, &b, &v, &vb), SRDI_OK);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT((int)v->ncols, 2);
        CHECK(v->rows[0].cells[1].kind == SRDI_CELL_NUM && v->rows[0].cells[1].num == 70346);
        CHECK(v->rows[1].cells[1].kind == SRDI_CELL_TEXT && strcmp(v->rows[1].cells[1].text, "—") == 0);
        CHECK(v->rows[2].cells[1].kind == SRDI_CELL_NUM && v->rows[2].cells[1].num == 633008);
        CHECK_STR(v->note, "全国栏中的“—”表示该项未进入全国前2位");
    }
    srdi_table_free(v);
    /* a matrix of its columns (T20's correlations) prints as the region computed it: benchmark
       columns after its first column made the 兰州市 edition's matrix unreadable */
    srdi_table *r20 = srdi_table_new("T20", "correlation", "相关", "相关");
    srdi_table *n20 = srdi_table_new("T20", "correlation", "相关", "相关");
    srdi_table *t20[2] = {r20, n20};
    static const char *const vars[2] = {"patents_total", "staff"};
    for (int k = 0; k < 2; k++) {
        for (int c = 0; c < 2; c++) srdi_table_add_col(t20[k], vars[c], vars[c], SRDI_COL_NUMBER, "", 3);
        for (int r = 0; r < 2; r++) {
            int row = srdi_table_add_row(t20[k], vars[r], vars[r]);
            for (int c = 0; c < 2; c++) srdi_table_set_num(t20[k], row, c, r == c ? 1.0 : k ? 0.18 : 0.21);
        }
    }
    srdi_tableset *nat20 = fx_set(1, n20);
    srdi_report_opts o20 = {.params = PR, .scope = "city=兰州市", .national = nat20};
    v = NULL;
    CHECK_INT(report_bench_view(&o20, r20, &b, &v, &vb), SRDI_OK);
    CHECK(v == NULL);
    srdi_table_free(v);
    /* the same numbers under other row keys are a table of statistics: benchmarked */
    srdi_table *r20b = srdi_table_new("T20", "correlation", "相关", "相关");
    srdi_table_add_col(r20b, "patents_total", "专利", SRDI_COL_NUMBER, "", 3);
    srdi_table_add_col(r20b, "staff", "人数", SRDI_COL_NUMBER, "", 3);
    srdi_table_set_num(r20b, srdi_table_add_row(r20b, "national", "国家级"), 0, 0.5);
    srdi_table_set_num(r20b, srdi_table_add_row(r20b, "provincial", "省级"), 0, 0.4);
    CHECK_INT(report_bench_view(&o20, r20b, &b, &v, &vb), SRDI_OK);
    CHECK(v != NULL);
    srdi_table_free(v);
    srdi_table_free(r20b);
    srdi_table_free(r20);
    srdi_tableset_free(nat20);
    srdi_table_free(r28);
    srdi_table_free(r33);
    srdi_tableset_free(nat);
}

/* Break @p sp through a cache attached to @p st (the thread's cache while it breaks); *@p made: the breaks it made. */
static void break_with(const srdi_fonts *f, report_break_store *st, const report_span *sp, report_lines *out,
                       size_t *made, report_break_cache **keep)
{
    report_break_cache *c = report_break_cache_new(), *outer = report_break_cache_use(c);
    report_break_cache_attach(c, st);
    CHECK_INT(report_break_lines(f, sp, 1, 300, 300, true, out), SRDI_OK);
    report_break_cache_use(outer);
    *made = report_break_cache_count(c);
    if (keep)
        *keep = c;
    else
        report_break_cache_free(c);
}

/* Two breaks are the same pieces and lines. */
static bool same_lines(const report_lines *a, const report_lines *b)
{
    if (a->npieces != b->npieces || a->nlines != b->nlines) return false;
    for (size_t i = 0; i < a->npieces; i++)
        if (a->pieces[i].span != b->pieces[i].span || a->pieces[i].start != b->pieces[i].start ||
            a->pieces[i].end != b->pieces[i].end || a->pieces[i].x != b->pieces[i].x || a->pieces[i].w != b->pieces[i].w)
            return false;
    for (size_t i = 0; i < a->nlines; i++)
        if (a->lines[i].first != b->lines[i].first || a->lines[i].count != b->lines[i].count ||
            a->lines[i].width != b->lines[i].width || a->lines[i].last != b->lines[i].last)
            return false;
    return true;
}

/*
 * The breaks a render kept (report_break_store, OUT/.srdi-breaks): a render
 * finds a paragraph broken by the last one in the file it wrote, with the
 * same lines, and breaks nothing itself; a file of another key (another
 * program or fonts) or a damaged one is no store: the paragraph is broken
 * again, the same.  A render writes what it found and what it broke.
 */
static void test_break_store(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("test_report_breaks");
    char path[4096];
    snprintf(path, sizeof path, "%s/breaks", dir);
    remove(path);
    const char *text = "专精特新企业的研发投入强度中位数为4.2%，高于全部企业，其中国家级企业的发明专利占比较高。";
    report_span sp = {text, strlen(text), {SRDI_FONT_SERIF, 10.5, false}, 0, false};
    report_lines fresh = {0}, got = {0};
    CHECK_INT(report_break_lines(f, &sp, 1, 300, 300, true, &fresh), SRDI_OK);
    CHECK(fresh.nlines >= 2);
    size_t made = 0;
    /* the first render: no file, the paragraph broken and written */
    report_break_store *st = report_break_store_load(path, 42, f);
    report_break_cache *kept = NULL;
    break_with(f, st, &sp, &got, &made, &kept);
    CHECK_INT((int)made, 1);
    CHECK(same_lines(&fresh, &got));
    CHECK_INT(report_break_store_save(st, kept, path, 42), SRDI_OK);
    report_break_cache_free(kept);
    report_break_store_free(st);
    /* the next render finds it: nothing broken, the same lines; it writes the entry again */
    st = report_break_store_load(path, 42, f);
    memset(got.pieces, 0, got.cappieces * sizeof *got.pieces);
    break_with(f, st, &sp, &got, &made, &kept);
    CHECK_INT((int)made, 0);
    CHECK(same_lines(&fresh, &got));
    CHECK_INT(report_break_store_save(st, kept, path, 42), SRDI_OK);
    report_break_cache_free(kept);
    report_break_store_free(st);
    st = report_break_store_load(path, 42, f);
    break_with(f, st, &sp, &got, &made, NULL);
    CHECK_INT((int)made, 0); /* still there after a render that only found it */
    report_break_store_free(st);
    /* another key: broken again */
    st = report_break_store_load(path, 43, f);
    break_with(f, st, &sp, &got, &made, NULL);
    CHECK_INT((int)made, 1);
    CHECK(same_lines(&fresh, &got));
    report_break_store_free(st);
    /* a damaged file (one byte of the key text changed): broken again, the same */
    CHECK_INT(testutil_flip_byte(path, 80, 0x20), 0);
    st = report_break_store_load(path, 42, f);
    break_with(f, st, &sp, &got, &made, NULL);
    CHECK_INT((int)made, 1);
    CHECK(same_lines(&fresh, &got));
    report_break_store_free(st);
    report_lines_free(&fresh);
    report_lines_free(&got);
    remove(path);
}

int main(void)
{
    srdi_fonts *fonts = NULL;
    TS = fx_tables();
    PR = fx_params();
    test_placeholders();
    test_null_values();
    test_numbering();
    test_template_errors();
    test_numbers();
    test_small_sample_note();
    test_bench_view();
    if (srdi_fonts_load(testutil_src("fonts"), &fonts) == SRDI_OK) {
        test_linebreak(fonts);
        test_tight(fonts);
        test_footnote_mark_kept(fonts);
        test_break_store(fonts);
        srdi_fonts_free(fonts);
    } else {
        fprintf(stderr, "fonts: %s\n", srdi_error_message());
        CHECK(0);
    }
    srdi_tableset_free(TS);
    srdi_params_free(PR);
    return testutil_finish();
}
