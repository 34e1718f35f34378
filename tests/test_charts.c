/*
 * tests/test_charts.c — every chart from a small fixed table:
 *   - golden PNG (tests/data/charts/<key>.png) within a pixel tolerance
 *     (a pixel differs when some channel differs by > 16; ≤ 0.5% may differ);
 *     SRDI_UPDATE_GOLDEN=1 rewrites the approved images;
 *   - the SVG parses (xmllint --noout) and stays small.  cairo writes SVG text
 *     as glyph outlines, so labels are checked through the text boxes the
 *     canvas records instead (null backend, same layout code);
 *   - no two text boxes of a chart overlap (long category names, a donut with
 *     many thin slices, crowded city columns …);
 *   - no-data box, unknown key, registry, figure files and their timing.
 */
#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srdi/charts.h"
#include "srdi/util.h"
#include "charts_fixtures.h"
#include "testutil.h"

#define CM 28.3464566929

/* Count pixels of two same-size PNGs differing by > 16 in a channel; -1 if unreadable/different size. */
static long png_diff(const char *a, const char *b, long *total)
{
    cairo_surface_t *sa = cairo_image_surface_create_from_png(a);
    cairo_surface_t *sb = cairo_image_surface_create_from_png(b);
    long diff = -1;
    if (cairo_surface_status(sa) == CAIRO_STATUS_SUCCESS && cairo_surface_status(sb) == CAIRO_STATUS_SUCCESS &&
        cairo_image_surface_get_width(sa) == cairo_image_surface_get_width(sb) &&
        cairo_image_surface_get_height(sa) == cairo_image_surface_get_height(sb)) {
        int w = cairo_image_surface_get_width(sa), h = cairo_image_surface_get_height(sa);
        int st_a = cairo_image_surface_get_stride(sa), st_b = cairo_image_surface_get_stride(sb);
        const unsigned char *da = cairo_image_surface_get_data(sa), *db = cairo_image_surface_get_data(sb);
        diff = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                const unsigned char *pa = da + (size_t)y * st_a + x * 4, *pb = db + (size_t)y * st_b + x * 4;
                for (int k = 0; k < 3; k++)
                    if (abs(pa[k] - pb[k]) > 16) { diff++; break; }
            }
        *total = (long)w * h;
    }
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sb);
    return diff;
}

static bool copy_file(const char *from, const char *to)
{
    size_t len;
    char *data = testutil_read_file(from, &len);
    if (!data) return false;
    int rc = testutil_write_file(to, data, len);
    free(data);
    return rc == 0;
}

/* Chart size used by the tests: the figure size (16 cm wide). */
static void fig_size(const srdi_chart_def *d, double *w, double *h)
{
    *w = 16 * CM;
    *h = *w * d->aspect;
}

/* Draw a chart standalone on a null canvas recording text boxes (caller frees). */
static srdi_canvas *draw_null(const srdi_fonts *f, const srdi_chart_def *d, const srdi_table *t,
                              const srdi_params *p, double w, double h)
{
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, w, h);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, d->key, t, p, 0, 0, w, h, true), SRDI_OK);
    return c;
}

/* True when some recorded box contains exactly @p text. */
static bool has_box(const srdi_canvas *c, const char *text)
{
    for (size_t i = 0; i < c->nboxes; i++)
        if (strcmp(c->boxes[i].text, text) == 0) return true;
    return false;
}

/* Number of overlapping box pairs (overlap > 0.5 pt both ways); prints them. */
static int overlaps(const srdi_canvas *c, const char *key, double w, double h)
{
    int n = 0;
    for (size_t i = 0; i < c->nboxes; i++) {
        const srdi_textbox *a = &c->boxes[i];
        if (a->x < -0.5 || a->y < -0.5 || a->x + a->w > w + 0.5 || a->y + a->h > h + 0.5) {
            fprintf(stderr, "%s: box outside the figure: '%s' (%.1f,%.1f %.1fx%.1f)\n", key, a->text, a->x, a->y, a->w, a->h);
            n++;
        }
        for (size_t j = i + 1; j < c->nboxes; j++) {
            const srdi_textbox *b = &c->boxes[j];
            double ow = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
            double oh = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);
            if (ow > 0.5 && oh > 0.5) {
                fprintf(stderr, "%s: overlap '%s' (%.1f,%.1f %.1fx%.1f) / '%s' (%.1f,%.1f %.1fx%.1f)\n", key,
                        a->text, a->x, a->y, a->w, a->h, b->text, b->x, b->y, b->w, b->h);
                n++;
            }
        }
    }
    return n;
}

/* Labels each chart must show (checked through the recorded text boxes). */
static const struct { const char *key; const char *labels[4]; } EXPECT[] = {
    {"T01", {"国家级专精特新“小巨人”", "17,684家，占比10.59%", "合计 167,000家", NULL}},
    {"T03", {"0–50人", "35.20%", "国家级", "省级"}},
    {"T04", {"高新技术企业", "96.20%", "瞪羚企业", "6.20%"}},
    {"T12", {"高规模—高创新", "企业占比5.10%", "国家级占比35.20%", "员工>100人"}},
    {"T13", {"江苏省", "15.20%", "北京市", "3.60%"}},
    {"T15", {"长三角", "35 专用设备制造业", "6.60%", NULL}},
    {"T16", {"单位：件", "深圳", "企业数量占比", "专利总量中位数"}},
    {"T17", {"35 专用设备制造业", "9.60%", "3.00%", NULL}},
    {"T23", {"技术实力", "38.5", "国家级（=100）", "省级"}},
    {"T27", {"瞪羚企业", "高普及·高价值", "持有率", "60%"}},
    {"T29", {"数字化能力", "118.5", "单项冠军（=100）", NULL}},
    {"T30", {"新一代信息技术", "21.00%", "海洋装备", NULL}},
    {"T31", {"平均申请量", "7.95", "2.48", "单位：件"}},
    {"T32", {"2020", "61.20%", "49.80%", "2025"}},
    {"T33", {"G06F", "7.10%", "A61B", NULL}},
    {"T34", {"涉外发明专利公开量", "5,980", "905", "单位：家"}},
    {"T35", {"WO 世界知识产权组织 41.20%", "其他 4.00%", "16,000件", NULL}},
    {"S48", {"基础层", "引领层", "专利总量>200件", "企业成长阶段 →"}},
};

static void test_registry(void)
{
    size_t n = 0;
    const srdi_chart_def *defs = srdi_charts_list(&n);
    CHECK_INT(n, 18);
    CHECK_STR(defs[0].key, "T03");
    CHECK_STR(defs[n - 1].key, "S48");
    CHECK(srdi_chart_find("T13") != NULL);
    CHECK_STR(srdi_chart_find("T13")->title, "各省份专精特新企业数量占比（前10）");
    CHECK(srdi_chart_find("T02") == NULL);
    CHECK_INT(srdi_chart_figure_number("T01", NULL), 13);
    CHECK_INT(srdi_chart_figure_number("T35", NULL), 47);
    CHECK_INT(srdi_chart_figure_number("S48", NULL), 48);
    CHECK_INT(srdi_chart_figure_number("T99", NULL), 0);

    /* figure numbers are data: a report's numbers, the 2026 ones elsewhere */
    srdi_fignums nums = {{0}};
    srdi_fignums_set(&nums, "T13", 9);
    srdi_fignums_set(&nums, "T99", 3);   /* unknown: ignored */
    CHECK_INT(srdi_chart_figure_number("T13", &nums), 9);
    CHECK_INT(srdi_chart_figure_number("T01", &nums), 13);
    char name[64];
    srdi_chart_file_name(srdi_chart_find("T13"), &nums, "png", name, sizeof name);
    CHECK_STR(name, "figures/fig09_T13.png");
    srdi_chart_file_name(srdi_chart_find("S48"), NULL, "svg", name, sizeof name);
    CHECK_STR(name, "figures/fig48_S48.svg");

    /* the catalogue: one series and one top-N parameter for every output */
    const srdi_chart_def *d13 = srdi_chart_find("T13");
    CHECK_STR(d13->table, "T13");
    CHECK_STR(d13->series[0].col, "share");
    CHECK_INT(srdi_chart_nseries(d13), 1);
    CHECK_INT(srdi_chart_topn(d13, NULL), 10);
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t13", "top_n_documents", "7");
    CHECK_INT(srdi_chart_topn(d13, p), 7);
    srdi_params_set(p, "t13", "top_n_documents", "500");
    CHECK_INT(srdi_chart_topn(d13, p), SRDI_CHART_MAXCAT);
    srdi_params_free(p);
    CHECK_STR(srdi_chart_find("T30")->series[0].col, "share");
    CHECK_INT(srdi_chart_topn(srdi_chart_find("T04"), NULL), 0);
    CHECK_INT(srdi_chart_nseries(srdi_chart_find("T15")), 0);
    CHECK(srdi_chart_find("S48")->table == NULL);
    CHECK(srdi_chart_for_table("T16") == srdi_chart_find("T16"));
    CHECK(srdi_chart_for_table("T02") == NULL);
    for (size_t i = 0; i < n; i++) CHECK_INT(srdi_chart_index(&defs[i]), i);
}

static void test_charts(const srdi_fonts *f, srdi_params *p)
{
    const char *dir = testutil_tmpdir("charts_out");
    bool update = getenv("SRDI_UPDATE_GOLDEN") != NULL;
    size_t n;
    const srdi_chart_def *defs = srdi_charts_list(&n);
    for (size_t i = 0; i < n; i++) {
        const srdi_chart_def *d = &defs[i];
        srdi_table *t = fx_table(d->key);
        CHECK(t != NULL || strcmp(d->key, "S48") == 0);
        double w, h;
        fig_size(d, &w, &h);

        /* text boxes: expected labels, no overlaps */
        srdi_canvas *c = draw_null(f, d, t, p, w, h);
        for (size_t e = 0; e < sizeof EXPECT / sizeof EXPECT[0]; e++)
            if (strcmp(EXPECT[e].key, d->key) == 0)
                for (int k = 0; k < 4 && EXPECT[e].labels[k]; k++) {
                    bool ok = has_box(c, EXPECT[e].labels[k]);
                    if (!ok) fprintf(stderr, "%s: label '%s' not drawn\n", d->key, EXPECT[e].labels[k]);
                    CHECK(ok);
                }
        CHECK(has_box(c, d->title));
        CHECK_INT(overlaps(c, d->key, w, h), 0);
        srdi_canvas_free(c);

        /* in the report: a smaller box, no title; still nothing overlaps */
        c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 595, 842);
        srdi_canvas_record_boxes(c, true);
        double rw = 14 * CM, rh = rw * d->aspect;
        CHECK_INT(srdi_chart_draw(c, d->key, t, p, 70, 100, rw, rh, false), SRDI_OK);
        for (size_t b = 0; b < c->nboxes; b++) {
            const srdi_textbox *tb = &c->boxes[b];
            bool inside = tb->x >= 69.5 && tb->y >= 99.5 && tb->x + tb->w <= 70 + rw + 0.5 && tb->y + tb->h <= 100 + rh + 0.5;
            if (!inside) fprintf(stderr, "%s (report box): '%s' outside the box\n", d->key, tb->text);
            CHECK(inside);
        }
        CHECK_INT(overlaps(c, d->key, 595, 842), 0);
        srdi_canvas_free(c);

        /* PNG vs golden */
        char png[1024], svg[1024], gold[1024], cmd[2300], rel[128];
        snprintf(png, sizeof png, "%s/%s.png", dir, d->key);
        snprintf(svg, sizeof svg, "%s/%s.svg", dir, d->key);
        snprintf(rel, sizeof rel, "tests/data/charts/%s.png", d->key);
        snprintf(gold, sizeof gold, "%s", testutil_src(rel));
        c = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, png, w, h, 96);
        srdi_canvas_begin_page(c, w, h);
        CHECK_INT(srdi_chart_draw(c, d->key, t, p, 0, 0, w, h, true), SRDI_OK);
        CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
        srdi_canvas_free(c);
        /* the resolution is stamped: a pHYs chunk right after IHDR */
        {
            unsigned char hd[64] = {0};
            FILE *pf = fopen(png, "rb");
            size_t got = pf ? fread(hd, 1, sizeof hd, pf) : 0;
            if (pf) fclose(pf);
            CHECK(got == sizeof hd && memcmp(hd + 37, "pHYs", 4) == 0 && hd[49] == 1);
        }
        if (update) CHECK(copy_file(png, gold));
        long total = 0, diff = png_diff(png, gold, &total);
        if (diff < 0 || diff * 200 > total)
            fprintf(stderr, "%s: %ld of %ld pixels differ from %s\n", d->key, diff, total, gold);
        CHECK(diff >= 0 && diff * 200 <= total);

        /* SVG parses and is small */
        c = srdi_canvas_cairo_new(f, SRDI_CAIRO_SVG, svg, w, h, 72);
        srdi_canvas_begin_page(c, w, h);
        CHECK_INT(srdi_chart_draw(c, d->key, t, p, 0, 0, w, h, true), SRDI_OK);
        CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
        srdi_canvas_free(c);
        snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", svg);
        CHECK_INT(system(cmd), 0);
        struct stat st;
        CHECK(stat(svg, &st) == 0 && st.st_size > 1000 && st.st_size < 1000000);
        srdi_table_free(t);
    }
}

static void test_nodata_and_errors(const srdi_fonts *f)
{
    srdi_table *t = fx_t13();
    t->no_data = true;
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 400, 300);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, "T13", t, NULL, 0, 0, 400, 250, false), SRDI_OK);
    CHECK_INT(c->nboxes, 1);
    if (c->nboxes == 1) CHECK_STR(c->boxes[0].text, "暂无数据");
    /* a table without usable rows is drawn as no data too */
    srdi_table *e = srdi_table_new("T33", "ipc_top", "IPC", "IPC");
    srdi_table_add_col(e, "count", "申请量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(e, "share", "占比", SRDI_COL_SHARE, "", -1);
    FX_ROW(e, "total", "合计", 0);
    CHECK_INT(srdi_chart_draw(c, "T33", e, NULL, 0, 0, 400, 250, false), SRDI_OK);
    CHECK_INT(c->nboxes, 2);
    /* missing table → no data */
    CHECK_INT(srdi_chart_draw(c, "T35", NULL, NULL, 0, 0, 400, 250, false), SRDI_OK);
    CHECK_INT(c->nboxes, 3);
    CHECK_INT(srdi_chart_draw(c, "T02", t, NULL, 0, 0, 400, 250, false), SRDI_ERR_INTERNAL);
    CHECK_STR(srdi_error_message(), "chart: no chart for 'T02'");
    CHECK_INT(srdi_chart_draw(c, "T13", t, NULL, 0, 0, 30, 250, false), SRDI_ERR_INTERNAL);
    CHECK_STR(srdi_error_message(), "chart T13: box 30x250 pt is too small");
    srdi_canvas_free(c);
    srdi_table_free(t);
    srdi_table_free(e);

    /* S48 stage names from params */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "path", "stage1_name", "起步层");
    c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 450, 280);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, "S48", NULL, p, 0, 0, 450, 280, false), SRDI_OK);
    CHECK(has_box(c, "起步层"));
    CHECK(!has_box(c, "基础层"));
    CHECK(has_box(c, "成长层"));
    srdi_canvas_free(c);
    srdi_params_free(p);
}

static void test_figures(const srdi_fonts *f)
{
    srdi_tableset *ts = calloc(1, sizeof *ts);
    static const char *ids[] = {"T01", "T03", "T04", "T12", "T13", "T15", "T16", "T17", "T23",
                                "T27", "T29", "T30", "T31", "T32", "T33", "T34", "T35"};
    size_t nid = sizeof ids / sizeof ids[0];
    ts->tables = calloc(nid, sizeof *ts->tables);
    for (size_t i = 0; i < nid; i++) ts->tables[ts->n++] = fx_table(ids[i]);
    const char *dir = testutil_tmpdir("charts_figures");
    int nw = 0;
    double t0 = srdi_now();
    CHECK_INT(srdi_figures_write(ts, NULL, f, NULL, dir, 1, 1, 200, &nw), SRDI_OK);
    double el = srdi_now() - t0;
    fprintf(stderr, "figures: %d files in %.2f s\n", nw, el);
    CHECK_INT(nw, 36);
    /* speed is measured by tests/bench/figures.sh, not asserted here */
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/figures/fig15_T13.png", dir);
    CHECK(stat(path, &st) == 0);
    snprintf(path, sizeof path, "%s/figures/fig48_S48.svg", dir);
    CHECK(stat(path, &st) == 0);
    /* 16 cm at 200 dpi = 1260 px wide */
    snprintf(path, sizeof path, "%s/figures/fig15_T13.png", dir);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    CHECK_INT(cairo_image_surface_get_width(s), 1260);
    CHECK_INT(cairo_image_surface_get_height(s), 788);
    cairo_surface_destroy(s);
    srdi_tableset_free(ts);

    /* output directory that cannot be created */
    CHECK(srdi_figures_write(NULL, NULL, f, NULL, "/proc/nonexistent", 1, 0, 200, &nw) != SRDI_OK);
    CHECK_INT(nw, 0);
}

int main(void)
{
    srdi_fonts *f = NULL;
    if (srdi_fonts_load(testutil_src("fonts"), &f) != SRDI_OK) {
        fprintf(stderr, "%s\n", srdi_error_message());
        CHECK(0);
        return testutil_finish();
    }
    srdi_params *p = srdi_params_new();
    test_registry();
    test_charts(f, p);
    test_nodata_and_errors(f);
    test_figures(f);
    srdi_params_free(p);
    srdi_fonts_free(f);
    return testutil_finish();
}
