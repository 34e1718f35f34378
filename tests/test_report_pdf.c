/*
 * tests/test_report_pdf.c — renders the test report (tests/data/report/basic)
 * to a PDF and checks it with poppler-utils and qpdf: 目录 / 图表目录 page
 * numbers point at the pages that hold those headings and captions, the
 * split table repeats its header, footnotes sit on their page, no line
 * starts with a forbidden punctuation mark, qpdf --check is clean, every
 * font is embedded and subset, identical inputs give identical bytes, and a
 * template error leaves no output file.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srdi/canvas.h"
#include "srdi/fonts.h"
#include "srdi/report.h"
#include "srdi/util.h"
#include "testutil.h"
#include "test_report_fixture.h"

#define EPOCH 1767225600LL /* 2026-01-01T00:00:00Z */
#define FRONT 4            /* cover, 前言, 目录, 图表目录: body page 1 is physical page 5 */

/* Output of a shell command (caller frees); *rc gets its exit status. */
static char *run(const char *cmd, int *rc)
{
    FILE *p = popen(cmd, "r");
    srdi_buf b = {0};
    char chunk[4096];
    size_t n;
    if (!p) {
        *rc = -1;
        return srdi_buf_steal(&b);
    }
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) srdi_buf_append(&b, chunk, n);
    *rc = pclose(p);
    return srdi_buf_steal(&b);
}

/* Split off the next non-empty line of *p (NUL-terminating it in place), or NULL at the end. */
static char *next_line(char **p)
{
    while (**p == '\n') (*p)++;
    if (!**p) return NULL;
    char *line = *p, *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = line + strlen(line);
    }
    return line;
}

/* Text of one page (1-based) with spaces removed. */
static char *page_text(const char *pdf, int page, bool layout)
{
    char cmd[2048];
    int rc;
    snprintf(cmd, sizeof cmd, "pdftotext %s -f %d -l %d '%s' - 2>/dev/null", layout ? "-layout" : "", page, page, pdf);
    char *t = run(cmd, &rc);
    if (!layout) {
        char *w = t;
        for (char *r = t; *r; r++)
            if (*r != ' ' && *r != '\n' && *r != '\f') *w++ = *r;
        *w = '\0';
    }
    return t;
}

/* Physical page of a printed label: roman → front matter, decimal → body. */
static int physical_page(const char *label)
{
    if (isdigit((unsigned char)label[0])) return FRONT + (int)strtol(label, NULL, 10);
    static const char *rom[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", NULL};
    for (int i = 0; rom[i]; i++)
        if (strcmp(label, rom[i]) == 0) return i + 1;
    return -1;
}

/*
 * Check every entry of a 目录-like page: the title (text before a run of
 * spaces) must appear on the page its number names.  Returns the entries seen.
 */
static int check_toc_page(const char *pdf, int page, const char *skip_title)
{
    char *t = page_text(pdf, page, true);
    int entries = 0;
    char *save = t;
    for (char *line = next_line(&save); line; line = next_line(&save)) {
        while (*line == ' ') line++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\f')) line[--n] = '\0';
        char *sp = strstr(line, "  ");
        if (!sp || strstr(line, skip_title) == line || strstr(line, "专精特新企业培育发展报告") == line) continue;
        char *num = strrchr(line, ' ');
        if (!num) continue;
        num++;
        *sp = '\0';
        char title[512];
        size_t k = 0;
        for (char *c = line; *c && k + 1 < sizeof title; c++)
            if (*c != ' ') title[k++] = *c;
        title[k] = '\0';
        int phys = physical_page(num);
        if (phys < 1) {
            fprintf(stderr, "toc line without a page number: %s\n", line);
            CHECK(0);
            continue;
        }
        char *pt = page_text(pdf, phys, false);
        if (!strstr(pt, title)) {
            fprintf(stderr, "'%s' not found on page %s (physical %d)\n", title, num, phys);
            CHECK(0);
        } else {
            CHECK(1);
        }
        free(pt);
        entries++;
    }
    free(t);
    return entries;
}

static srdi_status render(const srdi_fonts *f, const char *tdir, const char *out)
{
    srdi_tableset *ts = fx_tables();
    srdi_params *p = fx_params();
    srdi_report_opts o = {tdir, out, ts, NULL, p, f, EPOCH, NULL, NULL, NULL, NULL, 0, false, NULL, NULL};
    srdi_status s = srdi_report_render(&o);
    srdi_tableset_free(ts);
    srdi_params_free(p);
    return s;
}

/* Box of the first word @p text on any of pages 1..@p npages (pdftotext -bbox); false when absent. */
static bool word_box(const char *pdf, int npages, const char *text, double *x0, double *x1, int *page)
{
    char cmd[2048], want[256];
    snprintf(want, sizeof want, ">%s</word>", text);
    for (int pg = 1; pg <= npages; pg++) {
        int rc;
        snprintf(cmd, sizeof cmd, "pdftotext -bbox -f %d -l %d '%s' - 2>/dev/null", pg, pg, pdf);
        char *out = run(cmd, &rc);
        char *hit = strstr(out, want);
        if (hit) {
            char *w = hit;
            while (w > out && strncmp(w, "<word", 5) != 0) w--;
            bool ok = sscanf(w, "<word xMin=\"%lf\" yMin=\"%*f\" xMax=\"%lf\"", x0, x1) == 2;
            free(out);
            *page = pg;
            return ok;
        }
        free(out);
    }
    return false;
}

/* Smallest "<size> Tf" in the page content streams (qpdf --qdf uncompresses them); 0 when none. */
static double min_font_size(const char *pdf, const char *dir)
{
    char cmd[2300], qdf[1100];
    int rc;
    snprintf(qdf, sizeof qdf, "%s/qdf.pdf", dir);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' '%s' 2>&1", pdf, qdf);
    free(run(cmd, &rc));
    size_t len = 0;
    char *b = testutil_read_file(qdf, &len);
    double min = 0;
    for (size_t i = 0; b && i + 3 < len; i++) {
        if (memcmp(b + i, " Tf", 3) != 0) continue;
        size_t k = i;
        while (k > 0 && (isdigit((unsigned char)b[k - 1]) || b[k - 1] == '.')) k--;
        double v = atof(b + k);
        if (k < i && (min == 0 || v < min)) min = v;
    }
    free(b);
    return min;
}

/* With bench_mult, bench_t08 has a fourth column, a multiple (v[9..11]; NAN: left empty). */
static bool bench_mult;
/* bench_t08's n (the records the table covers) when >= 0, else its 总体 sample size v[2] */
static long long bench_n = -1;

/* T08 of a city edition's test: n, 标准持有率, 持有企业平均标准数（项） by tier; @p v: 9 numbers, rates then means. */
static srdi_table *bench_t08(const double *v)
{
    static const char *const key[] = {"national", "provincial", "total"};
    static const char *const label[] = {"国家级专精特新“小巨人”企业", "省级专精特新企业", "总体"};
    srdi_table *t = srdi_table_new("T08", "standards", "专精特新企业标准持有率及平均数量层级差异表", "标准");
    int cn = srdi_table_add_col(t, "n", "样本数", SRDI_COL_COUNT, "家", -1);
    int cr = srdi_table_add_col(t, "holding_rate", "标准持有率", SRDI_COL_SHARE, "", 2);
    int cm = srdi_table_add_col(t, "mean_standards", "持有企业平均标准数", SRDI_COL_NUMBER, "项", 1);
    for (int r = 0; r < 3; r++) {
        int k = srdi_table_add_row(t, key[r], label[r]);
        srdi_table_set_num(t, k, cn, v[r]);
        srdi_table_set_num(t, k, cr, v[3 + r]);
        srdi_table_set_num(t, k, cm, v[6 + r]);
    }
    if (bench_mult) {
        int cx = srdi_table_add_col(t, "multiple", "倍数", SRDI_COL_MULTIPLE, "", -1);
        for (int r = 0; r < 3; r++) srdi_table_set_num(t, r, cx, v[9 + r]);
    }
    t->n = bench_n >= 0 ? bench_n : (long long)v[2];
    return t;
}

/*
 * Render the bench template (tests/data/report/bench) as the edition of
 * @p city in @p province into DIR/@p name: T08 of the city, its province and
 * the nation with the values @p reg, @p prov, @p nat.  The PDF's path goes
 * to @p pdf; returns the render status (its message printed).
 */
static srdi_status render_bench(const srdi_fonts *f, const char *dir, const char *name, const char *province,
                                const char *city, const double *reg, const double *prov, const double *nat,
                                char *pdf, size_t size)
{
    srdi_tableset *ts = fx_set(1, bench_t08(reg)), *ps = fx_set(1, bench_t08(prov)), *ns = fx_set(1, bench_t08(nat));
    srdi_params *p = fx_params();
    srdi_params_set(p, "scope", "province", province);
    char tdir[1024];
    snprintf(pdf, size, "%s/%s", dir, name);
    snprintf(tdir, sizeof tdir, "%s", testutil_src("tests/data/report/bench"));
    srdi_report_opts o = {tdir, pdf, ts, NULL, p, f, EPOCH, city, ns, ps, NULL, 0, false, NULL, NULL};
    srdi_status s = srdi_report_render(&o);
    if (s) fprintf(stderr, "render: %s\n", srdi_error_message());
    srdi_tableset_free(ts);
    srdi_tableset_free(ps);
    srdi_tableset_free(ns);
    srdi_params_free(p);
    return s;
}

/*
 * A city edition's table with benchmark columns (图表7 of the 温州市 edition
 * of sample n 20000 seed 9191): the region's column of a statistic and its
 * province and 全国 columns share the group's width, not a wide
 * 持有企业平均标准数（项） column (108 pt) beside cramped 浙江省 (35 pt) and
 * 全国 (26 pt) columns.  Widths read from the right edges of the numbers.
 */
static void test_bench_widths(const srdi_fonts *f, const char *dir)
{
    static const double reg[] = {33, 208, 241, 0.8182, 0.4135, 0.4689, 7.5, 11.9, 10.9};
    static const double prov[] = {330, 2080, 2410, 0.8615, 0.4320, 0.4982, 6.3, 12.1, 10.6};
    static const double nat[] = {3300, 20800, 24100, 0.8317, 0.4438, 0.4848, 6.2, 11.8, 10.8};
    char pdf[1100];
    CHECK_INT(render_bench(f, dir, "bench.pdf", "浙江省", "city=温州市", reg, prov, nat, pdf, sizeof pdf), SRDI_OK);
    double x0, rate_nat, m_reg, m_prov, m_nat;
    int pg;
    CHECK(word_box(pdf, 3, "83.17%", &x0, &rate_nat, &pg)); /* 标准持有率, 全国 */
    CHECK(word_box(pdf, 3, "7.5", &x0, &m_reg, &pg));       /* 持有企业平均标准数, 温州市 */
    CHECK(word_box(pdf, 3, "6.3", &x0, &m_prov, &pg));      /* 浙江省 */
    CHECK(word_box(pdf, 3, "6.2", &x0, &m_nat, &pg));       /* 全国 */
    if (m_prov - m_reg < 38 || m_nat - m_prov < 38 || m_reg - rate_nat > 90)
        fprintf(stderr, "bench widths: %.1f %.1f %.1f\n", m_reg - rate_nat, m_prov - m_reg, m_nat - m_prov);
    CHECK(m_prov - m_reg >= 38);   /* 浙江省: 35 pt before */
    CHECK(m_nat - m_prov >= 38);   /* 全国: 26 pt before */
    CHECK(m_reg - rate_nat <= 90); /* the region's column: 108.5 pt before */
}

/*
 * A region whose name does not fit a benchmark column's width: the header
 * breaks before 自治区 ("新疆维吾尔" / "自治区"), a word boundary of the
 * header (src/report/head_words.h), not inside another word (the 克拉玛依市
 * edition of seed 9191 set "新疆维吾尔自治区" whole and split the industry
 * names beside it, "398电子元件及电" / "子专用材料制造").
 */
static void test_bench_region_break(const srdi_fonts *f, const char *dir)
{
    static const double reg[] = {3, 20, 23, 0.6667, 0.40, 0.4348, 2.5, 11.0, 10.1};
    static const double prov[] = {30, 77, 107, 0.70, 0.45, 0.52, 5.3, 12.1, 10.6};
    static const double nat[] = {3300, 20800, 24100, 0.8317, 0.4438, 0.4848, 6.2, 11.8, 10.8};
    char pdf[1100];
    CHECK_INT(render_bench(f, dir, "bench_xj.pdf", "新疆维吾尔自治区", "city=克拉玛依市", reg, prov, nat, pdf, sizeof pdf),
              SRDI_OK);
    double x0, x1, y0, y1;
    int pg, pg2;
    CHECK(word_box(pdf, 3, "新疆维吾尔", &x0, &x1, &pg));
    CHECK(word_box(pdf, 3, "自治区", &y0, &y1, &pg2));
    CHECK(!word_box(pdf, 3, "新疆维吾尔自治区", &x0, &x1, &pg));
    CHECK(word_box(pdf, 3, "省级专精特新企业", &x0, &x1, &pg)); /* the row label whole */
}

/*
 * A city edition whose own columns hold only zeros (no enterprise of the
 * city in the table's population: 图表27 and 图表28 of the 白银市 edition of
 * the national build printed a grid of 0 and — beside the province's and
 * the nation's figures) is shown as 暂无数据, like a table of dashes: the
 * text says the exhibit has no data, and the benchmark columns alone are no
 * table of the edition.
 */
static void test_bench_all_zero(const srdi_fonts *f, const char *dir)
{
    static const double reg[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const double prov[] = {330, 2080, 2410, 0.8615, 0.4320, 0.4982, 6.3, 12.1, 10.6};
    static const double nat[] = {3300, 20800, 24100, 0.8317, 0.4438, 0.4848, 6.2, 11.8, 10.8};
    char pdf[1100];
    CHECK_INT(render_bench(f, dir, "bench_zero.pdf", "浙江省", "city=温州市", reg, prov, nat, pdf, sizeof pdf), SRDI_OK);
    double x0, x1;
    int pg;
    CHECK(word_box(pdf, 3, "暂无数据", &x0, &x1, &pg));
    CHECK(!word_box(pdf, 3, "83.17%", &x0, &x1, &pg)); /* no benchmark cell of a grid of zeros */
    /* the same zeros in a table records reached (n = 3: T26 of a 3-firm city,
       its 0.00% national shares) are the region's values, not 暂无数据 */
    bench_n = 3;
    CHECK_INT(render_bench(f, dir, "bench_zero_n.pdf", "浙江省", "city=温州市", reg, prov, nat, pdf, sizeof pdf), SRDI_OK);
    bench_n = -1;
    CHECK(!word_box(pdf, 3, "暂无数据", &x0, &x1, &pg));
    CHECK(word_box(pdf, 3, "83.17%", &x0, &x1, &pg));
}

/*
 * A multiple of exactly zero is printed 0倍 (a 0.00% share is 0 times the
 * benchmark: "0.00倍" read as a rounded value), and a multiple left empty
 * in a row whose own numbers hold a zero (its base) is said in the note:
 * the 广西 and 宁夏 editions' 图表9 printed 0.00倍 and a bare "—".  A
 * second render with the zero mean missing (the "—" of a missing value)
 * has no such note.
 */
static void test_bench_multiple(const srdi_fonts *f, const char *dir)
{
    static const double reg[] = {33, 208, 241, 0.8182, 0.4135, 0.4689, 7.5, 0, 10.9, 0, NAN, 2.5};
    static const double prov[] = {330, 2080, 2410, 0.8615, 0.4320, 0.4982, 6.3, 12.1, 10.6, 1.2, 1.3, 1.4};
    static const double nat[] = {3300, 20800, 24100, 0.8317, 0.4438, 0.4848, 6.2, 11.8, 10.8, 1.2, 1.3, 1.4};
    char pdf[1100];
    bench_mult = true;
    CHECK_INT(render_bench(f, dir, "bench_mult.pdf", "浙江省", "city=温州市", reg, prov, nat, pdf, sizeof pdf), SRDI_OK);
    bench_mult = false;
    double x0, x1;
    int pg;
    CHECK(word_box(pdf, 3, "0倍", &x0, &x1, &pg));
    CHECK(word_box(pdf, 3, "2.50倍", &x0, &x1, &pg));
    CHECK(!word_box(pdf, 3, "0.00倍", &x0, &x1, &pg));
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>/dev/null | tr -d '\\n'", pdf);
    int rc;
    char *text = run(cmd, &rc);
    CHECK(text && strstr(text, "倍数栏中的“—”表示比较的基数为零，倍数无法计算。") != NULL);
    free(text);
    double hole[12];
    memcpy(hole, reg, sizeof hole);
    hole[7] = NAN;
    bench_mult = true;
    CHECK_INT(render_bench(f, dir, "bench_mult2.pdf", "浙江省", "city=温州市", hole, prov, nat, pdf, sizeof pdf), SRDI_OK);
    bench_mult = false;
    snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>/dev/null | tr -d '\\n'", pdf);
    text = run(cmd, &rc);
    CHECK(text && strstr(text, "倍数") != NULL && strstr(text, "基数为零") == NULL);
    free(text);
}

/*
 * What the editions of a split make once per process: with the line breaks
 * and libharu's document kept from one render to the next
 * (srdi_report_keep_breaks, srdi_canvas_hpdf_keep_docs), the second render
 * breaks no paragraph again and takes the first one's document with its
 * faces loaded — and both write the bytes of a render that kept nothing.
 */
static void test_kept_between_renders(const srdi_fonts *f, const char *tdir, const char *dir, const char *plain)
{
    char a[1100], b[1100];
    snprintf(a, sizeof a, "%s/kept1.pdf", dir);
    snprintf(b, sizeof b, "%s/kept2.pdf", dir);
    CHECK_INT(srdi_report_breaks_kept(), 0);
    CHECK_INT(srdi_report_keep_breaks(true), SRDI_OK);
    srdi_canvas_hpdf_keep_docs(true);
    size_t docs = srdi_canvas_hpdf_docs_kept();
    CHECK_INT(render(f, tdir, a), SRDI_OK);
    size_t breaks = srdi_report_breaks_kept();
    CHECK(breaks > 20); /* the paragraphs, headings and table cells of the fixture */
    CHECK_INT((long)srdi_canvas_hpdf_docs_kept(), (long)docs + 1);
    CHECK_INT(render(f, tdir, b), SRDI_OK); /* the same report: every break found, the document taken */
    CHECK_INT((long)srdi_report_breaks_kept(), (long)breaks);
    CHECK_INT((long)srdi_canvas_hpdf_docs_kept(), (long)docs + 2);
    srdi_canvas_hpdf_keep_docs(false);
    srdi_canvas_hpdf_preload_drop();
    CHECK_INT(srdi_report_keep_breaks(false), SRDI_OK);
    CHECK_INT(srdi_report_breaks_kept(), 0);
    size_t n0 = 0, n1 = 0, n2 = 0;
    char *p0 = testutil_read_file(plain, &n0), *p1 = testutil_read_file(a, &n1), *p2 = testutil_read_file(b, &n2);
    CHECK(p0 && p1 && p2 && n0 > 1000 && n0 == n1 && n0 == n2 && memcmp(p0, p1, n0) == 0 && memcmp(p0, p2, n0) == 0);
    free(p0);
    free(p1);
    free(p2);
}

/*
 * The last render's layout (srdi_report_opts.layout_path): the first render
 * keeps it; the next, of the same report, keeps the PDF it drew from it
 * while the layout passes ran — the bytes of a render without it; a file
 * whose places are not the layout (every block 1 pt lower) is not kept: the
 * PDF is drawn again, the same bytes, and the file written right.
 */
static void test_layout_kept(const srdi_fonts *f, const char *tdir, const char *dir, const char *plain)
{
    char pdf[1100], breaks[1100], layout[1100], first[1100];
    snprintf(pdf, sizeof pdf, "%s/layout.pdf", dir);
    snprintf(breaks, sizeof breaks, "%s/layout.breaks", dir);
    snprintf(layout, sizeof layout, "%s/layout.layout", dir);
    snprintf(first, sizeof first, "%s/layout.first", dir);
    remove(breaks);
    remove(layout);
    srdi_tableset *ts = fx_tables();
    srdi_params *p = fx_params();
    srdi_report_opts o = {tdir, pdf, ts, NULL, p, f, EPOCH, NULL, NULL, NULL, breaks, 7, true, NULL, layout};
    size_t n0 = 0, n1 = 0, l0 = 0, l1 = 0;
    char *want = testutil_read_file(plain, &n0), *got = NULL, *lay0 = NULL, *lay1 = NULL;
    size_t reused = srdi_report_layouts_reused();
    CHECK_INT(srdi_report_render(&o), SRDI_OK); /* no file: drawn from the layout passes, the file written */
    CHECK_INT((long)srdi_report_layouts_reused(), (long)reused);
    lay0 = testutil_read_file(layout, &l0);
    CHECK(lay0 && l0 > 32 && memcmp(lay0, "SRDILAY1", 8) == 0);
    CHECK_INT(srdi_report_render(&o), SRDI_OK); /* drawn from the file, kept */
    CHECK_INT((long)srdi_report_layouts_reused(), (long)reused + 1);
    got = testutil_read_file(pdf, &n1);
    CHECK(want && got && n0 == n1 && memcmp(want, got, n0) == 0);
    free(got);
    /* every block's place 1 pt lower (the file: magic, 2 u64, 2 i32, then per block an i32 page and a double) */
    FILE *fp = fopen(layout, "r+b");
    CHECK(fp != NULL);
    uint64_t nb = 0;
    if (fp && fseek(fp, 8, SEEK_SET) == 0 && fread(&nb, 8, 1, fp) == 1)
        for (uint64_t i = 0; i < nb; i++) {
            double y = 0;
            long at = 32 + (long)i * 12 + 4;
            CHECK(fseek(fp, at, SEEK_SET) == 0 && fread(&y, 8, 1, fp) == 1);
            y += 1;
            CHECK(fseek(fp, at, SEEK_SET) == 0 && fwrite(&y, 8, 1, fp) == 1);
        }
    CHECK(nb > 10);
    if (fp) fclose(fp);
    CHECK_INT(srdi_report_render(&o), SRDI_OK); /* drawn from it, not kept: drawn again */
    CHECK_INT((long)srdi_report_layouts_reused(), (long)reused + 1);
    got = testutil_read_file(pdf, &n1);
    CHECK(want && got && n0 == n1 && memcmp(want, got, n0) == 0);
    lay1 = testutil_read_file(layout, &l1);
    CHECK(lay0 && lay1 && l0 == l1 && memcmp(lay0, lay1, l0) == 0); /* the file holds the layout again */
    /* --force (breaks_reuse false): the file is not read */
    o.breaks_reuse = false;
    CHECK_INT(srdi_report_render(&o), SRDI_OK);
    CHECK_INT((long)srdi_report_layouts_reused(), (long)reused + 1);
    free(got);
    free(want);
    free(lay0);
    free(lay1);
    srdi_tableset_free(ts);
    srdi_params_free(p);
}

int main(void)
{
    srdi_fonts *f = NULL;
    int rc;
    if (srdi_fonts_load(testutil_src("fonts"), &f) != SRDI_OK) {
        fprintf(stderr, "fonts: %s\n", srdi_error_message());
        CHECK(0);
        return testutil_finish();
    }
    char dir[1024], pdf[1100], pdf2[1100], bad[1100], tdir[1024];
    snprintf(dir, sizeof dir, "%s", testutil_tmpdir("report_pdf"));
    snprintf(pdf, sizeof pdf, "%s/basic.pdf", dir);
    snprintf(pdf2, sizeof pdf2, "%s/basic2.pdf", dir);
    snprintf(bad, sizeof bad, "%s/bad.pdf", dir);
    snprintf(tdir, sizeof tdir, "%s", testutil_src("tests/data/report/basic"));

    /* Speed is measured by tests/bench/, not asserted here (sanitizer builds
     * on a loaded machine vary tenfold). */
    srdi_status s = render(f, tdir, pdf);
    CHECK_INT(s, SRDI_OK);
    if (s) fprintf(stderr, "render: %s\n", srdi_error_message());

    /* pages and document info */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", pdf);
    char *info = run(cmd, &rc);
    CHECK_INT(rc, 0);
    CHECK(strstr(info, "Pages:           10\n") != NULL);
    CHECK(strstr(info, "Title:           专精特新企业培育发展报告\n") != NULL);
    CHECK(strstr(info, "Creator:         srdi-report\n") != NULL);
    CHECK(strstr(info, "CreationDate:    Thu Jan  1 00:00:00 2026 UTC\n") != NULL);
    CHECK(strstr(info, "Page size:       595.276 x 841.89 pts (A4)") != NULL);
    free(info);

    /* 目录 (page 3) and 图表目录 (page 4): every entry lands where it says */
    CHECK_INT(check_toc_page(pdf, 3, "目录"), 6);     /* 前言, 第一章, 1.1, 1.2, 第二章, 2.1 */
    CHECK_INT(check_toc_page(pdf, 4, "图表目录"), 5); /* 图表1 … 图表5 */
    char *p3 = page_text(pdf, 3, false);
    CHECK(strstr(p3, "第一章发展现状：群体特征与区域格局1") != NULL);
    CHECK(strstr(p3, "第二章培育路径：系统赋能4") != NULL);
    CHECK(strstr(p3, "前言ii") != NULL);
    free(p3);

    /* the city table (图表2) splits: continuation pages repeat caption and header */
    int cont = 0;
    for (int pg = 5; pg <= 10; pg++) {
        char *t = page_text(pdf, pg, false);
        if (strstr(t, "图表2：城市分布（续）")) {
            cont++;
            CHECK(strstr(t, "项目占比企业数（家）") != NULL);
        }
        free(t);
    }
    CHECK(cont >= 1);
    /* the last row shown is 城市60 (top=60), 城市61 never appears */
    bool has60 = false, has61 = false;
    for (int pg = 5; pg <= 8; pg++) {
        char *t = page_text(pdf, pg, false);
        has60 |= strstr(t, "城市60") != NULL;
        has61 |= strstr(t, "城市61") != NULL;
        free(t);
    }
    CHECK(has60);
    CHECK(!has61);

    /* footnote 1 at the foot of the preface page; placeholders filled */
    char *p2 = page_text(pdf, 2, false);
    CHECK(strstr(p2, "1数据截至2025年12月") != NULL);
    CHECK(strstr(p2, "基于12,345家企业") != NULL);
    free(p2);
    char *p5 = page_text(pdf, 5, false);
    CHECK(strstr(p5, "注册资本中位数为5,774万元，是省级企业的2.89倍，占比10.57%") != NULL);
    CHECK(strstr(p5, "低于省级企业7.5个百分点") != NULL);
    CHECK(strstr(p5, "资料来源：测试数据，项目组整理。") != NULL);
    free(p5);

    /* table alignment (the narrative table 图表5 of 20-ch2.md): a text
       column is set flush left, a number column flush right */
    {
        double a0, a1, b0, b1, c0, c1, n0, n1, m0, m1, k0, k1;
        int pa = 0, pb = 0, pc = 0, pn = 0, pm = 0, pk = 0;
        CHECK(word_box(pdf, 10, "夯实基础", &a0, &a1, &pa));
        CHECK(word_box(pdf, 10, "提升能力", &b0, &b1, &pb));
        CHECK(word_box(pdf, 10, "技术突破", &c0, &c1, &pc));
        CHECK(word_box(pdf, 10, "1,200", &n0, &n1, &pn));
        CHECK(word_box(pdf, 10, "860", &m0, &m1, &pm));
        CHECK(word_box(pdf, 10, "310", &k0, &k1, &pk));
        CHECK(pa > 0 && pa == pb && pb == pc && pc == pn && pn == pm && pm == pk);
        CHECK_NUM(b0, a0, 0.01); /* 核心任务: same left edge */
        CHECK_NUM(c0, a0, 0.01);
        CHECK_NUM(m1, n1, 0.01); /* 企业数: same right edge, the left edges differ */
        CHECK_NUM(k1, n1, 0.01);
        CHECK(m0 - n0 > 3);
    }
    /* nothing in the PDF below 7.5 pt (chart labels, notes, table cells) */
    {
        double mn = min_font_size(pdf, dir);
        CHECK(mn >= 7.5);
        if (mn < 7.5) fprintf(stderr, "smallest type: %.2f pt\n", mn);
    }

    /* no line starts with a forbidden mark (running text, all pages) */
    int badstart = 0;
    for (int pg = 1; pg <= 10; pg++) {
        char *t = page_text(pdf, pg, true);
        char *save = t;
        for (char *line = next_line(&save); line; line = next_line(&save)) {
            while (*line == ' ') line++;
            static const char *forbid[] = {"，", "。", "、", "；", "：", "？", "！", "）", "》", "”", NULL};
            for (int k = 0; forbid[k]; k++)
                if (strncmp(line, forbid[k], strlen(forbid[k])) == 0) {
                    fprintf(stderr, "page %d: line starts with %s: %s\n", pg, forbid[k], line);
                    badstart++;
                }
        }
        free(t);
    }
    CHECK_INT(badstart, 0);

    /* qpdf --check clean; fonts embedded and subset; links present */
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", pdf);
    char *q = run(cmd, &rc);
    CHECK_INT(rc, 0);
    CHECK(strstr(q, "No syntax or stream encoding errors found") != NULL);
    free(q);
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>/dev/null | tail -n +3", pdf);
    char *fl = run(cmd, &rc);
    int nfonts = 0, good = 0;
    char *save = fl;
    for (char *line = next_line(&save); line; line = next_line(&save)) {
        nfonts++;
        if (strstr(line, "CID TrueType") && strstr(line, " yes yes yes "))
            good++;
        else
            fprintf(stderr, "font not embedded+subset: %s\n", line);
    }
    CHECK(nfonts >= 3);
    CHECK_INT(good, nfonts);
    free(fl);
    size_t len = 0;
    char *bytes = testutil_read_file(pdf, &len);
    CHECK(bytes != NULL);
    int links = 0;
    for (size_t i = 0; bytes && i + 5 < len; i++)
        if (memcmp(bytes + i, "/Link", 5) == 0) links++;
    CHECK_INT(links, 11); /* 6 目录 entries + 5 图表目录 entries */

    /* reproducible: same inputs and epoch → identical bytes */
    CHECK_INT(render(f, tdir, pdf2), SRDI_OK);
    size_t len2 = 0;
    char *bytes2 = testutil_read_file(pdf2, &len2);
    CHECK(bytes && bytes2 && len == len2 && memcmp(bytes, bytes2, len) == 0);
    free(bytes);
    free(bytes2);

    /* a template error names file and line and leaves no file behind */
    char btdir[1024];
    snprintf(btdir, sizeof btdir, "%s", testutil_src("tests/data/report/bad"));
    CHECK_INT(render(f, btdir, bad), SRDI_ERR_TEMPLATE);
    char want[2048];
    snprintf(want, sizeof want, "%s/10-ch1.md:5: unknown placeholder {{T13.江苏.share}}: no row '江苏' in T13", btdir);
    CHECK_STR(srdi_error_message(), want);
    struct stat sb;
    CHECK(stat(bad, &sb) != 0);
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c tmp", dir);
    char *tmpc = run(cmd, &rc);
    CHECK_STR(tmpc, "0\n");
    free(tmpc);

    /* an unwritable output path fails cleanly */
    CHECK_INT(render(f, tdir, "/nonexistent-dir/x/report.pdf") != SRDI_OK, 1);

    test_kept_between_renders(f, tdir, dir, pdf);
    test_layout_kept(f, tdir, dir, pdf);
    test_bench_widths(f, dir);
    test_bench_region_break(f, dir);
    test_bench_all_zero(f, dir);
    test_bench_multiple(f, dir);

    srdi_fonts_free(f);
    return testutil_finish();
}
