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
                    if (abs(pa[k] - pb[k]) > 16) {
                        diff++;
                        break;
                    }
            }
        *total = (long)w * h;
    }
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sb);
    return diff;
}

/* Big-endian 32-bit number at p. */
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/*
 * Walk the chunks of a PNG file: true when it has a pHYs chunk before IDAT;
 * *ppm_x, *ppm_y and *unit receive its fields (pixels per unit, 1 = metre).
 */
/* Does file @p path hold the @p len bytes @p what? */
static bool file_has(const char *path, const char *what, size_t len)
{
    size_t n = 0;
    char *d = testutil_read_file(path, &n);
    bool found = false;
    for (size_t i = 0; d && !found && i + len <= n; i++) found = memcmp(d + i, what, len) == 0;
    free(d);
    return found;
}

static bool png_phys(const char *path, unsigned long *ppm_x, unsigned long *ppm_y, int *unit)
{
    size_t len = 0;
    unsigned char *d = (unsigned char *)testutil_read_file(path, &len);
    bool found = false;
    if (d && len > 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        for (size_t at = 8; at + 12 <= len;) {
            unsigned long n = be32(d + at);
            if (at + 12 + n > len || memcmp(d + at + 4, "IDAT", 4) == 0) break;
            if (memcmp(d + at + 4, "pHYs", 4) == 0 && n == 9) {
                *ppm_x = be32(d + at + 8);
                *ppm_y = be32(d + at + 12);
                *unit = d[at + 16];
                found = true;
                break;
            }
            at += 12 + n;
        }
    }
    free(d);
    return found;
}

/* A PNG's pixels as cairo reads them (ARGB32: blue, green, red, alpha bytes); d NULL when unreadable. */
typedef struct png_pixels {
    cairo_surface_t *s;
    const unsigned char *d;
    int w, h, stride;
} png_pixels;

static png_pixels png_open(const char *path)
{
    png_pixels px = {cairo_image_surface_create_from_png(path), NULL, 0, 0, 0};
    if (cairo_surface_status(px.s) == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(px.s);
        px.w = cairo_image_surface_get_width(px.s);
        px.h = cairo_image_surface_get_height(px.s);
        px.stride = cairo_image_surface_get_stride(px.s);
        px.d = cairo_image_surface_get_data(px.s);
    }
    return px;
}

/* True when the last column and the last row of a PNG are pure white (no grey edge). */
static bool png_clean_edge(const char *path)
{
    png_pixels px = png_open(path);
    bool ok = px.d != NULL;
    for (int y = 0; y < px.h && ok; y++)
        for (int x = (y == px.h - 1 ? 0 : px.w - 1); x < px.w && ok; x++) {
            const unsigned char *p = px.d + (size_t)y * px.stride + x * 4;
            ok = p[0] == 255 && p[1] == 255 && p[2] == 255;
        }
    cairo_surface_destroy(px.s);
    return ok;
}

/*
 * True when the baseline of a column chart (the row of the lower half with
 * the most axis-grey pixels, 140 ± 30, over the plot's left part) keeps
 * that tone across the plot to 90% of the width: T31's veil of immature
 * years left it pale (178) under 2023 and 2024.
 */
static bool png_baseline_even(const char *path)
{
    png_pixels px = png_open(path);
    int w = px.w, h = px.h, st = px.stride;
    const unsigned char *d = px.d;
    int best = -1, most = 0;
    for (int y = h / 2; d && y < h; y++) {
        int n = 0;
        for (int x = w / 50; x < w * 3 / 10; x++) n += abs(d[(size_t)y * st + x * 4 + 1] - 140) < 30;
        if (n > most) most = n, best = y;
    }
    bool ok = best >= 0;
    for (int x = w * 3 / 10; ok && x < w * 9 / 10; x++) {
        int v = d[(size_t)best * st + x * 4 + 1];
        ok = abs(v - 140) < 30;
        if (!ok) fprintf(stderr, "%s: baseline row %d tone %d at x %d\n", path, best, v, x);
    }
    cairo_surface_destroy(px.s);
    return ok;
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
static srdi_canvas *draw_null(const srdi_fonts *f, const srdi_chart_def *d, const srdi_table *t, const srdi_params *p,
                              double w, double h)
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
            fprintf(stderr, "%s: box outside the figure: '%s' (%.1f,%.1f %.1fx%.1f)\n", key, a->text, a->x, a->y, a->w,
                    a->h);
            n++;
        }
        for (size_t j = i + 1; j < c->nboxes; j++) {
            const srdi_textbox *b = &c->boxes[j];
            double ow = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
            double oh = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);
            if (ow > 0.5 && oh > 0.5) {
                fprintf(stderr, "%s: overlap '%s' (%.1f,%.1f %.1fx%.1f) / '%s' (%.1f,%.1f %.1fx%.1f)\n", key, a->text,
                        a->x, a->y, a->w, a->h, b->text, b->x, b->y, b->w, b->h);
                n++;
            }
        }
    }
    return n;
}

/* Labels each chart must show (checked through the recorded text boxes). */
static const struct {
    const char *key;
    const char *labels[4];
} EXPECT[] = {
    {"T01", {"国家级专精特新“小巨人”", "17,684家，占比10.59%", "合计167,000家", NULL}},
    {"T03", {"0–50人", "35.20%", "国家级", "省级"}},
    {"T04", {"高新技术企业", "96.20%", "瞪羚企业", "6.20%"}},
    {"T12", {"高规模—高创新", "企业占比5.10%", "国家级占比35.20%", "参保人数>100人"}},
    {"T13", {"江苏省", "15.20%", "北京市", "3.60%"}},
    {"T15", {"长三角", "35专用设备制造业", "6.60%", NULL}},
    {"T16", {"单位：件", "深圳", "企业数量占比", "专利总量中位数"}},
    {"T17", {"35专用设备制造业", "9.60%", "3.00%", NULL}},
    {"T23", {"技术实力", "38.5", "国家级（=100）", "省级"}},
    {"T27", {"瞪羚企业", "高普及·高价值", "持有率", "60%"}},
    {"T29", {"数字化能力", "118.5", "单项冠军（=100）", NULL}},
    {"T30", {"新一代信息技术", "21.00%", "海洋装备", NULL}},
    {"T31", {"平均申请量", "7.95", "2.48", "单位：件"}},
    {"T32", {"2020", "61.20%", "49.80%", "2024"}},
    {"T33", {"G06F", "7.10%", "A61B", NULL}},
    {"T34", {"涉外发明专利公开量", "5,980", "905", "单位：家"}},
    {"T35", {"WO世界知识产权组织（41.20%）", "其他（4.00%）", "16,000件", NULL}},
    {"S48", {"基础层", "引领层", "专利总量>200件", "企业成长阶段 →"}},
};

/*
 * Hand-made inputs of the priority matrix (M31): T23 gaps of the seed,
 * T11 R&D means 0.20 / 0.15 (gap 25), T05 standard rates 0.80 / 0.44
 * (gap 45), T04 honors tech centre 0.50 / 0.20 (60), champion 0.30 / 0.03
 * (90), high-tech 0.95 / 0.855 (10); no CNAS row (left out).
 */
static srdi_tableset *priority_inputs(void)
{
    srdi_tableset *ts = calloc(1, sizeof *ts);
    ts->tables = calloc(4, sizeof *ts->tables);
    srdi_table *t = srdi_table_new("T04", "honor_rates", "荣誉", "荣誉");
    srdi_table_add_col(t, "national_rate", "国家级", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "provincial_rate", "省级", SRDI_COL_SHARE, "", -1);
    FX_ROW(t, "hon_high_tech", "高新技术企业", 0.95, 0.855);
    FX_ROW(t, "hon_tech_center", "企业技术中心", 0.50, 0.20);
    FX_ROW(t, "hon_champion", "制造业单项冠军", 0.30, 0.03);
    ts->tables[ts->n++] = t;
    t = srdi_table_new("T05", "standards", "标准", "标准");
    srdi_table_add_col(t, "rate", "持有率", SRDI_COL_SHARE, "", -1);
    FX_ROW(t, "national", "国家级", 0.80);
    FX_ROW(t, "provincial", "省级", 0.44);
    ts->tables[ts->n++] = t;
    t = srdi_table_new("T11", "rd_benchmarks", "研发", "研发");
    srdi_table_add_col(t, "mean", "均值", SRDI_COL_SHARE, "", -1);
    FX_ROW(t, "national", "国家级", 0.20);
    FX_ROW(t, "provincial", "省级", 0.15);
    ts->tables[ts->n++] = t;
    t = srdi_table_new("T23", "five_dim_gap", "五维", "五维");
    srdi_table_add_col(t, "score", "得分", SRDI_COL_SCORE, "", 1);
    srdi_table_add_col(t, "gap", "差距", SRDI_COL_SCORE, "", 1);
    FX_ROW(t, "技术实力", "技术实力", 29.3, 70.7);
    FX_ROW(t, "创新质量", "创新质量", 22.2, 77.8);
    FX_ROW(t, "创新规模", "创新规模", 26.0, 74.0);
    FX_ROW(t, "资本实力", "资本实力", 34.6, 65.4);
    FX_ROW(t, "数字化能力", "数字化能力", 50.0, 50.0);
    ts->tables[ts->n++] = t;
    return ts;
}

/* The M31 table from priority_inputs (default params). */
static srdi_table *priority_fixture(void)
{
    srdi_tableset *ts = priority_inputs();
    srdi_table *t = NULL;
    CHECK_INT(srdi_chart_derived_table("M31", ts, NULL, &t), SRDI_OK);
    srdi_tableset_free(ts);
    return t;
}

/* Number at (row, col) of @p t, NAN when absent. */
static double cell_num(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_NUM ? c->num : NAN;
}

/* Text at (row, col) of @p t, "" when absent. */
static const char *cell_text(const srdi_table *t, const char *row, const char *col)
{
    const srdi_cell *c = srdi_table_cell(t, row, col);
    return c && c->kind == SRDI_CELL_TEXT && c->text ? c->text : "";
}

/* The priority matrix computed from the data: hand-checked values. */
static void test_priority(const srdi_fonts *f)
{
    CHECK(srdi_chart_derived("M31"));
    CHECK(!srdi_chart_derived("T27"));
    const srdi_chart_def *d = srdi_chart_find("M31");
    CHECK(d != NULL && d->table == NULL && d->drawer == SRDI_DRAW_PRIORITY && d->xlsx == SRDI_XLSX_NONE);
    CHECK_INT(srdi_chart_figure_number("M31", NULL), 32);
    srdi_table *t = priority_fixture();
    CHECK(t != NULL);
    if (!t) return;
    CHECK_INT(t->nrows, 10); /* 11 elements, CNAS has no data */
    CHECK(srdi_table_row(t, "cnas") < 0);
    CHECK(fabs(cell_num(t, "invention_grants", "importance") - 95) < 1e-9);
    CHECK(fabs(cell_num(t, "invention_grants", "gap") - 77.8) < 1e-9);
    CHECK(fabs(cell_num(t, "invention_grants", "attention") - 73.91) < 1e-9);
    CHECK_STR(cell_text(t, "invention_grants", "quadrant"), "第一优先区");
    CHECK(fabs(cell_num(t, "rd_ratio", "gap") - 25) < 1e-9);
    CHECK_STR(cell_text(t, "rd_ratio", "quadrant"), "保持优势区");
    CHECK(fabs(cell_num(t, "standards", "gap") - 45) < 1e-9);
    CHECK_STR(cell_text(t, "standards", "quadrant"), "保持优势区");
    CHECK(fabs(cell_num(t, "tech_center", "gap") - 60) < 1e-9);
    CHECK_STR(cell_text(t, "tech_center", "quadrant"), "第一优先区"); /* importance 70 = the cut */
    CHECK(fabs(cell_num(t, "champion", "gap") - 90) < 1e-9);
    CHECK_STR(cell_text(t, "champion", "quadrant"), "第二优先区");
    CHECK(fabs(cell_num(t, "high_tech", "gap") - 10) < 1e-9);
    CHECK_STR(cell_text(t, "high_tech", "quadrant"), "基础达标区");
    CHECK(fabs(cell_num(t, "software", "gap") - 50) < 1e-9);
    CHECK_STR(cell_text(t, "software", "quadrant"), "第二优先区"); /* gap 50 = the cut */
    CHECK(!t->no_data);

    /* importance and cuts are parameters */
    srdi_tableset *ts = priority_inputs();
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "priority", "importance_cut", "90");
    srdi_params_set(p, "priority", "importance_patents", "20");
    srdi_table *t2 = NULL;
    CHECK_INT(srdi_chart_derived_table("M31", ts, p, &t2), SRDI_OK);
    if (t2) {
        CHECK(fabs(cell_num(t2, "patents", "importance") - 20) < 1e-9);
        CHECK(fabs(cell_num(t2, "patents", "attention") - 14.14) < 1e-9);
        CHECK_STR(cell_text(t2, "patents", "quadrant"), "第二优先区");
        CHECK_STR(cell_text(t2, "invention_grants", "quadrant"), "第一优先区");
        CHECK_STR(cell_text(t2, "rd_ratio", "quadrant"), "基础达标区");
    }
    srdi_table_free(t2);
    /* drawn: zones, axis titles, element names; nothing overlaps */
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, "M31", t, p, 70, 100, 14 * CM, 14 * CM * d->aspect, false), SRDI_OK);
    CHECK(has_box(c, "第一优先区") && has_box(c, "保持优势区") && has_box(c, "第二优先区") && has_box(c, "基础达标区"));
    CHECK(has_box(c, "政策重要性（分）") && has_box(c, "实际差距（分）"));
    CHECK(has_box(c, "发明专利授权") && has_box(c, "制造业单项冠军"));
    CHECK_INT(overlaps(c, "M31", 595, 842), 0);
    /* no element's name lies on another element's bubble: the plot is read
       back from the tick labels (x: "20" … "100" under the plot, y: "0" …
       "100" left of it), each bubble's radius is 7.5% of the plot's shorter
       side × √(attention / largest attention), at least 3 pt */
    double x20 = NAN, x100 = NAN, y0 = NAN, y100 = NAN;
    for (size_t i = 0; i < c->nboxes; i++) {
        const srdi_textbox *b = &c->boxes[i];
        bool xtick = b->x > 110; /* the chart starts at x = 70; y tick labels end before 110 */
        if (xtick && strcmp(b->text, "20") == 0) x20 = b->x + b->w / 2;
        if (xtick && strcmp(b->text, "100") == 0) x100 = b->x + b->w / 2;
        if (!xtick && b->x < 110 && strcmp(b->text, "0") == 0) y0 = b->y + b->h / 2;
        if (!xtick && b->x < 110 && strcmp(b->text, "100") == 0) y100 = b->y + b->h / 2;
    }
    CHECK(isfinite(x20) && isfinite(x100) && isfinite(y0) && isfinite(y100) && x100 > x20 && y0 > y100);
    double sx = (x100 - x20) / 80, sy = (y0 - y100) / 100, amax = 0;
    for (size_t r = 0; r < t->nrows; r++) amax = fmax(amax, cell_num(t, t->rows[r].key, "attention"));
    double rmax = fmin(100 * sx, 100 * sy) * 0.075;
    int on_bubble = 0, named = 0;
    for (size_t i = 0; i < c->nboxes; i++) {
        const srdi_textbox *b = &c->boxes[i];
        int self = -1;
        for (size_t r = 0; r < t->nrows; r++)
            if (strcmp(b->text, t->rows[r].label) == 0) self = (int)r;
        if (self < 0) continue;
        named++;
        for (size_t r = 0; r < t->nrows; r++) {
            if ((int)r == self) continue;
            double cx = x20 + (cell_num(t, t->rows[r].key, "importance") - 20) * sx;
            double cy = y0 - cell_num(t, t->rows[r].key, "gap") * sy;
            double rad = fmax(3, rmax * sqrt(cell_num(t, t->rows[r].key, "attention") / amax));
            double nx = fmin(fmax(cx, b->x), b->x + b->w), ny = fmin(fmax(cy, b->y), b->y + b->h);
            if (hypot(nx - cx, ny - cy) < rad + 1) {
                fprintf(stderr, "M31: label '%s' on the bubble of '%s'\n", b->text, t->rows[r].label);
                on_bubble++;
            }
        }
    }
    CHECK_INT(named, 10);
    CHECK_INT(on_bubble, 0);
    srdi_canvas_free(c);
    srdi_params_free(p);
    srdi_tableset_free(ts);

    /* without the tables it is computed from: no table, no error */
    srdi_tableset empty = {NULL, 0};
    srdi_table *t3 = (srdi_table *)1;
    CHECK_INT(srdi_chart_derived_table("M31", &empty, NULL, &t3), SRDI_OK);
    CHECK(t3 == NULL);
    CHECK_INT(srdi_chart_derived_table("T13", NULL, NULL, &t3), SRDI_OK);
    CHECK(t3 == NULL);
    srdi_table_free(t);
}

static void test_registry(void)
{
    size_t n = 0;
    const srdi_chart_def *defs = srdi_charts_list(&n);
    CHECK_INT(n, 19);
    CHECK_STR(defs[0].key, "T03");
    CHECK_STR(defs[n - 1].key, "S48");
    CHECK(srdi_chart_find("T13") != NULL);
    CHECK_STR(srdi_chart_find("T13")->title, "专精特新企业省份分布TOP10");
    CHECK(srdi_chart_find("T02") == NULL);
    CHECK_INT(srdi_chart_figure_number("T01", NULL), 3);
    CHECK_INT(srdi_chart_figure_number("T35", NULL), 47);
    CHECK_INT(srdi_chart_figure_number("S48", NULL), 48);
    CHECK_INT(srdi_chart_figure_number("T99", NULL), 0);

    /* figure numbers are data: a report's numbers, the 2026 ones elsewhere */
    srdi_fignums nums = {0};
    srdi_fignums_set(&nums, "T13", 9);
    srdi_fignums_set(&nums, "T99", 3); /* unknown: ignored */
    CHECK_INT(srdi_chart_figure_number("T13", &nums), 9);
    CHECK_INT(srdi_chart_figure_number("T01", &nums), 3);
    char name[64];
    srdi_chart_file_name(srdi_chart_find("T13"), &nums, "png", name, sizeof name);
    CHECK_STR(name, "figures/fig09_T13.png");
    srdi_chart_file_name(srdi_chart_find("S48"), NULL, "svg", name, sizeof name);
    CHECK_STR(name, "figures/fig48_S48.svg");

    /* figure files are titled like the report's caption, with its 图表 number */
    char title[320];
    srdi_chart_figure_title(srdi_chart_find("T13"), &nums, title, sizeof title);
    CHECK_STR(title, "图表9：专精特新企业省份分布TOP10");
    srdi_fignums_set_caption(&nums, "T13", "专精特新企业省份分布 TOP10");
    srdi_chart_figure_title(srdi_chart_find("T13"), &nums, title, sizeof title);
    CHECK_STR(title, "图表9：专精特新企业省份分布 TOP10");
    srdi_chart_figure_title(srdi_chart_find("S48"), NULL, title, sizeof title);
    CHECK_STR(title, "图表48：专精特新企业四阶段培育路径图");

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
        srdi_table *t = strcmp(d->key, "M31") == 0 ? priority_fixture() : fx_table(d->key);
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
        /* T32's last year has no value (none of its applications decided): no axis point for it */
        if (strcmp(d->key, "T32") == 0) CHECK(!has_box(c, "2025"));
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
            bool inside =
                tb->x >= 69.5 && tb->y >= 99.5 && tb->x + tb->w <= 70 + rw + 0.5 && tb->y + tb->h <= 100 + rh + 0.5;
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
        CHECK_INT(srdi_canvas_cairo_set_title(c, "图表9：A<&>"), SRDI_OK);
        srdi_canvas_begin_page(c, w, h);
        CHECK_INT(srdi_chart_draw(c, d->key, t, p, 0, 0, w, h, true), SRDI_OK);
        CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
        srdi_canvas_free(c);
        /* the file is titled: an iTXt "Title" chunk (keyword, NUL, flag 0, method 0,
           empty language and translated keyword, the UTF-8 text) */
        CHECK(file_has(png, "iTXtTitle\0\0\0\0\0图表9：A<&>", sizeof "iTXtTitle\0\0\0\0\0图表9：A<&>" - 1));
        /* the resolution is stamped (pHYs: 96 dpi = 3780 pixels per metre) and the edge is white */
        {
            unsigned long ppx = 0, ppy = 0;
            int unit = -1;
            CHECK(png_phys(png, &ppx, &ppy, &unit));
            CHECK_INT(ppx, 3780);
            CHECK_INT(ppy, 3780);
            CHECK_INT(unit, 1);
            CHECK(png_clean_edge(png));
        }
        /* the veil of immature years leaves the baseline its tone */
        if (strcmp(d->key, "T31") == 0) CHECK(png_baseline_even(png));
        if (update) CHECK(copy_file(png, gold));
        long total = 0, diff = png_diff(png, gold, &total);
        if (diff < 0 || diff * 200 > total)
            fprintf(stderr, "%s: %ld of %ld pixels differ from %s\n", d->key, diff, total, gold);
        CHECK(diff >= 0 && diff * 200 <= total);

        /* SVG parses and is small */
        c = srdi_canvas_cairo_new(f, SRDI_CAIRO_SVG, svg, w, h, 72);
        CHECK_INT(srdi_canvas_cairo_set_title(c, "图表9：A<&>"), SRDI_OK);
        srdi_canvas_begin_page(c, w, h);
        CHECK_INT(srdi_chart_draw(c, d->key, t, p, 0, 0, w, h, true), SRDI_OK);
        CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
        srdi_canvas_free(c);
        CHECK(file_has(svg, "\n<title>图表9：A&lt;&amp;&gt;</title>\n<", strlen("\n<title>图表9：A&lt;&amp;&gt;</title>\n<")));
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
    /* a heat map without one value (a province outside every cluster) → no data, not a grid of dashes */
    srdi_table *hm = srdi_table_new("T15", "cluster_industry", "城市群行业", "热力");
    srdi_table_add_col(hm, "京津冀", "京津冀", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(hm, "长三角", "长三角", SRDI_COL_SHARE, "", -1);
    FX_ROW(hm, "75", "75科技推广和应用服务业", NAN, NAN);
    FX_ROW(hm, "65", "65软件和信息技术服务业", NAN, NAN);
    srdi_canvas *hc = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(hc, 400, 300);
    srdi_canvas_record_boxes(hc, true);
    CHECK_INT(srdi_chart_draw(hc, "T15", hm, NULL, 0, 0, 400, 250, false), SRDI_OK);
    CHECK_INT(hc->nboxes, 1);
    if (hc->nboxes >= 1) CHECK_STR(hc->boxes[0].text, "暂无数据");
    srdi_canvas_free(hc);
    srdi_table_free(hm);
    /* a radar whose five scores are all empty (an edition without 国家级 enterprises) → no data */
    srdi_table *rd = srdi_table_new("T23", "five_dim_gap", "五维", "五维");
    srdi_table_add_col(rd, "score", "得分", SRDI_COL_SCORE, "", 1);
    srdi_table_add_col(rd, "gap", "差距", SRDI_COL_SCORE, "", 1);
    const char *dims[] = {"技术实力", "创新质量", "创新规模", "资本实力", "数字化能力"};
    for (int i = 0; i < 5; i++) FX_ROW(rd, dims[i], dims[i], NAN, NAN);
    srdi_canvas *rc = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(rc, 400, 300);
    srdi_canvas_record_boxes(rc, true);
    CHECK_INT(srdi_chart_draw(rc, "T23", rd, NULL, 0, 0, 400, 250, false), SRDI_OK);
    CHECK_INT(rc->nboxes, 1);
    if (rc->nboxes >= 1) CHECK_STR(rc->boxes[0].text, "暂无数据");
    srdi_canvas_free(rc);
    srdi_table_free(rd);
    /* a figure's source line ends with a full stop, also the default one (S48 has no table) */
    srdi_canvas *sc = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(sc, 460, 300);
    srdi_canvas_record_boxes(sc, true);
    CHECK_INT(srdi_chart_draw(sc, "S48", NULL, NULL, 0, 0, 454, 284, true), SRDI_OK);
    CHECK(has_box(sc, "资料来源：项目组整理。"));
    srdi_canvas_free(sc);
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

    /* the table's note (the small-sample note) under the plot of a figure, above its source */
    {
        srdi_table *tn = fx_t13();
        srdi_table_set_note(tn, "宁夏回族自治区样本量小于30，仅供参考。");
        c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 454, 284);
        srdi_canvas_record_boxes(c, true);
        CHECK(srdi_chart_note_height(c, tn, 430) > 7.5);
        srdi_table *plain = fx_t13();
        CHECK(srdi_chart_note_height(c, plain, 430) == 0); /* no note */
        srdi_table_free(plain);
        CHECK_INT(srdi_chart_draw_titled(c, "T13", tn, NULL, 0, 0, 454, 284, "图表16：省份"), SRDI_OK);
        const srdi_textbox *note = NULL, *src = NULL;
        for (size_t i = 0; i < c->nboxes; i++) {
            if (strcmp(c->boxes[i].text, "注：宁夏回族自治区样本量小于30，仅供参考。") == 0) note = &c->boxes[i];
            if (strncmp(c->boxes[i].text, "资料来源", strlen("资料来源")) == 0) src = &c->boxes[i];
        }
        CHECK(note && src && note->y + note->h <= src->y + 0.5);
        CHECK_INT(overlaps(c, "T13 note", 454, 284), 0);
        srdi_canvas_free(c);
        srdi_table_free(tn);
    }

    /* a note from src/tables is set with the document's spacing (GB/T 15834):
       no space between Han characters and digits or Latin letters */
    {
        srdi_table *tn = fx_t13();
        srdi_table_set_note(tn, "分母为全部国家级企业 17,692 家；受理局非 CN 的发明专利，2023—2025 年，IPC 小类=前 4 位");
        c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 600, 284);
        srdi_canvas_record_boxes(c, true);
        CHECK_INT(srdi_chart_draw_titled(c, "T13", tn, NULL, 0, 0, 600, 284, "图表16：省份"), SRDI_OK);
        /* (and ends on a full stop, as the report's notes) */
        CHECK(has_box(c, "注：分母为全部国家级企业17,692家；受理局非CN的发明专利，2023—2025年，IPC小类=前4位。"));
        srdi_canvas_free(c);
        srdi_table_free(tn);
    }

    /* a figure's own title replaces the catalogue's */
    c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 450, 300);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw_titled(c, "S48", NULL, NULL, 0, 0, 450, 300, "图表50：专精特新企业四阶段培育路径图"),
              SRDI_OK);
    CHECK(has_box(c, "图表50：专精特新企业四阶段培育路径图"));
    CHECK(!has_box(c, "专精特新企业四阶段培育路径图"));
    srdi_canvas_free(c);

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

/* CIE L*a*b* of an sRGB colour (D65). */
static void to_lab(srdi_rgba c, double lab[3])
{
    double v[3] = {c.r, c.g, c.b};
    for (int i = 0; i < 3; i++) v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
    double xyz[3] = {(0.4124 * v[0] + 0.3576 * v[1] + 0.1805 * v[2]) / 0.95047,
                     0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2],
                     (0.0193 * v[0] + 0.1192 * v[1] + 0.9505 * v[2]) / 1.08883};
    for (int i = 0; i < 3; i++) xyz[i] = xyz[i] > 0.008856 ? cbrt(xyz[i]) : 7.787 * xyz[i] + 16.0 / 116;
    lab[0] = 116 * xyz[1] - 16;
    lab[1] = 500 * (xyz[0] - xyz[1]);
    lab[2] = 200 * (xyz[1] - xyz[2]);
}

/* ΔE*ab (CIE 1976) between two colours. */
static double delta_e(srdi_rgba a, srdi_rgba b)
{
    double la[3], lb[3];
    to_lab(a, la);
    to_lab(b, lb);
    return sqrt(pow(la[0] - lb[0], 2) + pow(la[1] - lb[1], 2) + pow(la[2] - lb[2], 2));
}

/* One palette: neighbours (and the last next to the first, as in a full donut) ΔE ≥ 30. */
static void test_palette(void)
{
    int n = srdi_chart_palette_size();
    CHECK(n >= 8);
    for (int i = 0; i < n; i++) {
        double de = delta_e(srdi_chart_palette(i), srdi_chart_palette(i + 1));
        if (de < 30) fprintf(stderr, "palette colours %d and %d: ΔE %.1f < 30\n", i, (i + 1) % n, de);
        CHECK(de >= 30);
        /* and apart from the grey of 其他 */
        CHECK(delta_e(srdi_chart_palette(i), (srdi_rgba){0.7, 0.7, 0.7, 1}) >= 20);
    }
    /* the two slices of the issue (KR sky blue, DE next to it) are now far apart */
    CHECK(delta_e(srdi_chart_palette(4), srdi_chart_palette(5)) >= 40);
}

/* Pixel (r, g, b) of a cairo ARGB32 surface at point (x, y) in points, drawn at @p dpi. */
static void pixel_at(cairo_surface_t *s, double x, double y, double dpi, int rgb[3])
{
    int px = (int)(x * dpi / 72), py = (int)(y * dpi / 72);
    const unsigned char *p = cairo_image_surface_get_data(s) + (size_t)py * cairo_image_surface_get_stride(s) + px * 4;
    rgb[0] = p[2];
    rgb[1] = p[1];
    rgb[2] = p[0];
}

/*
 * Heat map: the colour scale runs from the data minimum to the maximum (the
 * lightest cell has the scale's light end, the darkest its dark end), the
 * legend prints both, and every cell's value is legible (light text on the
 * dark cell, dark text on the light one).
 */
static void test_heatmap(const srdi_fonts *f)
{
    srdi_table *t = fx_table("T15");
    const srdi_chart_def *d = srdi_chart_find("T15");
    double vmin = INFINITY, vmax = -INFINITY;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t k = 0; k < t->ncols; k++)
            if (t->rows[r].cells[k].kind == SRDI_CELL_NUM) {
                vmin = fmin(vmin, t->rows[r].cells[k].num);
                vmax = fmax(vmax, t->rows[r].cells[k].num);
            }
    CHECK(vmin > 0.01); /* the fixture does not start at 0: a scale from 0 would show */
    char smin[32], smax[32];
    srdi_number_format(vmin, SRDI_COL_SHARE, -1, smin, sizeof smin); /* the number rules */
    srdi_number_format(vmax, SRDI_COL_SHARE, -1, smax, sizeof smax);
    double w, h;
    fig_size(d, &w, &h);
    srdi_canvas *c = draw_null(f, d, t, NULL, w, h);
    /* each extreme twice: in its cell and at an end of the legend (below every cell) */
    const srdi_textbox *cell_min = NULL, *cell_max = NULL, *leg_min = NULL, *leg_max = NULL;
    for (size_t i = 0; i < c->nboxes; i++) {
        const srdi_textbox *b = &c->boxes[i];
        const srdi_textbox **top = NULL, **bottom = NULL;
        if (strcmp(b->text, smin) == 0) {
            top = &cell_min;
            bottom = &leg_min;
        } else if (strcmp(b->text, smax) == 0) {
            top = &cell_max;
            bottom = &leg_max;
        } else
            continue;
        if (!*top || b->y < (*top)->y) *top = b;
        if (!*bottom || b->y > (*bottom)->y) *bottom = b;
    }
    CHECK(cell_min && cell_max && leg_min && leg_max && leg_min != cell_min && leg_max != cell_max);
    if (leg_min && leg_max && cell_min && cell_max) {
        CHECK(leg_min->y > cell_min->y && leg_max->y > cell_max->y);
        CHECK(leg_min->x < leg_max->x); /* minimum at the left end */
        CHECK(fabs(leg_min->y - leg_max->y) < 1);
    }
    /* colours and contrast on the PNG */
    char png[1024];
    snprintf(png, sizeof png, "%s/heatmap.png", testutil_tmpdir("charts_heatmap"));
    srdi_canvas *pc = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, png, w, h, 144);
    srdi_canvas_begin_page(pc, w, h);
    CHECK_INT(srdi_chart_draw(pc, "T15", t, NULL, 0, 0, w, h, true), SRDI_OK);
    CHECK_INT(srdi_canvas_finish(pc), SRDI_OK);
    srdi_canvas_free(pc);
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && cell_min && cell_max) {
        cairo_surface_flush(s);
        int lo[3], hi[3];
        pixel_at(s, cell_min->x - 6, cell_min->y + cell_min->h / 2, 144, lo);
        pixel_at(s, cell_max->x - 6, cell_max->y + cell_max->h / 2, 144, hi);
        /* the scale's ends: light (0.95, 0.97, 0.99) and dark blue (0.03, 0.25, 0.50) */
        CHECK(abs(lo[0] - 242) <= 3 && abs(lo[1] - 247) <= 3 && abs(lo[2] - 252) <= 3);
        CHECK(abs(hi[0] - 8) <= 3 && abs(hi[1] - 64) <= 3 && abs(hi[2] - 128) <= 3);
        /* text: some dark pixels in the light cell's label, some white in the dark cell's */
        int dark = 0, white = 0;
        for (double yy = cell_min->y; yy < cell_min->y + cell_min->h; yy += 0.4)
            for (double xx = cell_min->x; xx < cell_min->x + cell_min->w; xx += 0.4) {
                int p[3];
                pixel_at(s, xx, yy, 144, p);
                if (p[0] < 90 && p[1] < 90 && p[2] < 90) dark++;
            }
        for (double yy = cell_max->y; yy < cell_max->y + cell_max->h; yy += 0.4)
            for (double xx = cell_max->x; xx < cell_max->x + cell_max->w; xx += 0.4) {
                int p[3];
                pixel_at(s, xx, yy, 144, p);
                if (p[0] > 235 && p[1] > 235 && p[2] > 235) white++;
            }
        CHECK(dark > 10);
        CHECK(white > 10);
    }
    cairo_surface_destroy(s);
    srdi_canvas_free(c);

    /* a regional edition: two clusters without a value in any row are left
       out (no column of "—"); the other column's values are all drawn */
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t k = 0; k < t->ncols; k++)
            if (strcmp(t->cols[k].key, "珠三角") != 0) srdi_table_set_null(t, (int)r, (int)k);
    c = draw_null(f, d, t, NULL, w, h);
    int dashes = 0, cells = 0;
    for (size_t i = 0; i < c->nboxes; i++) {
        dashes += strcmp(c->boxes[i].text, "—") == 0;
        cells += strchr(c->boxes[i].text, '%') != NULL;
    }
    CHECK(!has_box(c, "京津冀") && !has_box(c, "长三角") && has_box(c, "珠三角"));
    CHECK_INT(dashes, 0);
    CHECK(cells >= (int)t->nrows); /* every row's value (and the legend's ends) */
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * A column/line combo on two axes whose line, on plain nice axes, runs
 * through the column tops (the applicants of a regional edition): the axes
 * leave the columns below the line, so every value label is drawn and each
 * line label sits above its column's label; both axes share the grid (as
 * many ticks on the right as on the left).
 */
static void test_combo_dual(const srdi_fonts *f)
{
    static const double cnt[6] = {1439, 1628, 3066, 3932, 4191, 4884}, app[6] = {785, 878, 1003, 1046, 1073, 1037};
    static const char *cl[6] = {"1,439", "1,628", "3,066", "3,932", "4,191", "4,884"};
    static const char *al[6] = {"785", "878", "1,003", "1,046", "1,073", "1,037"};
    srdi_table *t = srdi_table_new("T34", "foreign_trend", "涉外", "涉外");
    srdi_table_add_col(t, "count", "涉外发明专利公开量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "applicants", "申请人数", SRDI_COL_COUNT, "家", -1);
    for (int i = 0; i < 6; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2020 + i);
        FX_ROW(t, y, y, cnt[i], app[i]);
    }
    for (int standalone = 0; standalone < 2; standalone++) {
        srdi_canvas *c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 595, 842);
        srdi_canvas_record_boxes(c, true);
        double w = standalone ? 16 * CM : 14 * CM;
        CHECK_INT(srdi_chart_draw(c, "T34", t, NULL, 0, 0, w, w * 0.625, standalone), SRDI_OK);
        int left = 0, right = 0;
        for (int i = 0; i < 6; i++) {
            const srdi_textbox *a = NULL, *b = NULL;
            for (size_t k = 0; k < c->nboxes; k++) {
                if (strcmp(c->boxes[k].text, cl[i]) == 0) a = &c->boxes[k];
                if (strcmp(c->boxes[k].text, al[i]) == 0) b = &c->boxes[k];
            }
            bool ok = a && b && b->y + b->h <= a->y + 0.5;
            if (!ok)
                fprintf(stderr, "T34 dual axes (%s): column label '%s' %s, line label '%s' %s%s\n",
                        standalone ? "figure" : "report", cl[i], a ? "drawn" : "missing", al[i],
                        b ? "drawn" : "missing", a && b ? " but not above it" : "");
            CHECK(ok);
        }
        /* tick labels: the numbers at the left and right edges of the plot */
        for (size_t k = 0; k < c->nboxes; k++) {
            const srdi_textbox *tb = &c->boxes[k];
            if (strspn(tb->text, "0123456789,") != strlen(tb->text) || strncmp(tb->text, "202", 3) == 0) continue;
            if (tb->x + tb->w < 45) left++;
            if (tb->x > w - 45) right++;
        }
        CHECK(left >= 3);
        CHECK_INT(right, left);
        CHECK_INT(overlaps(c, "T34 dual", 595, 842), 0);
        srdi_canvas_free(c);
    }
    srdi_table_free(t);
}

/*
 * The y of value @p v on the value axis whose tick labels end in @p suffix
 * ("%" the share axis; "" a plain one) on the @p left or right side: the
 * ticks' box centres are the grid lines.  NAN when fewer than two ticks.
 */
static double axis_y(const srdi_canvas *c, double w, bool left, const char *suffix, double scale, double v)
{
    double y0 = NAN, v0 = 0, y1 = NAN, v1 = 0;
    for (size_t k = 0; k < c->nboxes; k++) {
        const srdi_textbox *b = &c->boxes[k];
        size_t n = strlen(b->text), sl = strlen(suffix);
        if ((b->x + b->w < w / 2) != left || n <= sl || strcmp(b->text + n - sl, suffix) != 0) continue;
        if (strspn(b->text, "0123456789,.") != n - sl) continue;
        char num[32];
        size_t j = 0;
        for (size_t i = 0; i < n - sl && j + 1 < sizeof num; i++)
            if (b->text[i] != ',') num[j++] = b->text[i];
        num[j] = '\0';
        double tv = atof(num) / scale, ty = b->y + b->h / 2;
        if (isnan(y0) || tv < v0) {
            y0 = ty;
            v0 = tv;
        }
        if (isnan(y1) || tv > v1) {
            y1 = ty;
            v1 = tv;
        }
    }
    return isnan(y0) || !(v1 > v0) ? NAN : y0 + (y1 - y0) * (v - v0) / (v1 - v0);
}

/* The recorded box of text @p s, or NULL. */
static const srdi_textbox *box_of(const srdi_canvas *c, const char *s)
{
    for (size_t k = 0; k < c->nboxes; k++)
        if (strcmp(c->boxes[k].text, s) == 0) return &c->boxes[k];
    return NULL;
}

/*
 * Line value labels sit above their points, every one of them: the
 * national build set 2024's 36.54% under its point at the end of the fall,
 * and a sample set 2021's 65.95% (a hair above 2020, 67.69% after it)
 * under its point while its neighbours' labels sat above.  Now 2024's
 * label moves right of the point, off the falling segment, still above
 * it; 2021's is level with 2020's.
 */
static void test_line_labels_above(const srdi_fonts *f)
{
    static const double rate[5] = {0.6580, 0.6595, 0.6769, 0.6161, 0.3748};
    static const char *lab[5] = {"65.80%", "65.95%", "67.69%", "61.61%", "37.48%"};
    srdi_table *t = srdi_table_new("T32", "grant_rate_trend", "授权率", "授权率");
    srdi_table_add_col(t, "rate", "授权率", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 6; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2020 + i);
        FX_ROW(t, y, y, i < 5 ? rate[i] : NAN);
    }
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    double w = 16 * CM;
    CHECK_INT(srdi_chart_draw(c, "T32", t, NULL, 0, 0, w, w * 0.625, true), SRDI_OK);
    const srdi_textbox *b[5];
    for (int i = 0; i < 5; i++) {
        b[i] = box_of(c, lab[i]);
        double py = axis_y(c, w, true, "%", 100, rate[i]);
        bool ok = b[i] && !isnan(py) && b[i]->y + b[i]->h <= py;
        if (!ok)
            fprintf(stderr, "T32 line label '%s' %s (point at y %.1f)\n", lab[i],
                    b[i] ? "below its point" : "missing", py);
        CHECK(ok);
    }
    CHECK(b[0] && b[1] && fabs(b[0]->y - b[1]->y) < 1);
    /* 2024's label right of its point (the segment from 2023 falls through the centred place) */
    double slot = b[2] && b[3] ? (b[3]->x + b[3]->w / 2) - (b[2]->x + b[2]->w / 2) : 0;
    CHECK(b[4] && b[3] && b[4]->x > b[3]->x + b[3]->w / 2 + slot);
    CHECK_INT(overlaps(c, "T32 labels", 595, 842), 0);
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * Every point of a line carries its value label, above it: the 宁夏
 * edition of sample n 9000 seed 4242 (授权率 100%, 0%, 100%, 75%, 0%) drew
 * none on 2021's 0% (the falling and rising segments of the V run through
 * every place above it, the plot's foot below) nor on 2022's 100% (the
 * plot's top above it, the segments below), and set 2020's under its point.
 * Now the labels of the 100% points sit above them in the free room over
 * the plot, 2021's higher up inside the V.
 */
static int count_inside(const srdi_canvas *c, const char *text, double x0, double x1);

static void test_line_labels_every_point(const srdi_fonts *f)
{
    static const double rate[5] = {1.0, 0.0, 1.0, 0.75, 0.0};
    srdi_table *t = srdi_table_new("T32", "grant_rate_trend", "授权率", "授权率");
    srdi_table_add_col(t, "rate", "授权率", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 5; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2020 + i);
        FX_ROW(t, y, y, rate[i]);
    }
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    double w = 16 * CM;
    CHECK_INT(srdi_chart_draw(c, "T32", t, NULL, 0, 0, w, w * 0.625, true), SRDI_OK);
    /* the value labels: right of the axis' tick labels (x > 45) */
    CHECK_INT(count_inside(c, "100.00%", 45, w), 2);
    CHECK_INT(count_inside(c, "0.00%", 45, w), 2);
    CHECK_INT(count_inside(c, "75.00%", 45, w), 1);
    double top = axis_y(c, w, true, "%", 100, 1.0), foot = axis_y(c, w, true, "%", 100, 0.0);
    for (size_t k = 0; k < c->nboxes; k++) {
        const srdi_textbox *b = &c->boxes[k];
        if (b->x < 45 || (strcmp(b->text, "100.00%") && strcmp(b->text, "0.00%"))) continue;
        double py = strcmp(b->text, "0.00%") ? top : foot;
        if (!(b->y + b->h <= py)) fprintf(stderr, "T32 V: '%s' at y %.1f below its point (y %.1f)\n", b->text, b->y, py);
        CHECK(b->y + b->h <= py);
    }
    /* 2021's label clear of the two segments of the V by its white ground
       (1.5 pt aside, 0.5 pt above and below) and the line's half width */
    const srdi_textbox *y20 = box_of(c, "2020"), *y21 = box_of(c, "2021"), *y22 = box_of(c, "2022"), *l21 = NULL;
    for (size_t k = 0; y21 && k < c->nboxes; k++)
        if (strcmp(c->boxes[k].text, "0.00%") == 0 && c->boxes[k].x > 45 &&
            fabs(c->boxes[k].x + c->boxes[k].w / 2 - (y21->x + y21->w / 2)) < 20)
            l21 = &c->boxes[k];
    CHECK(y20 && y21 && y22 && l21);
    int cut = 0;
    for (int seg = 0; l21 && y20 && y22 && seg < 2; seg++) {
        const srdi_textbox *a = seg ? y22 : y20;
        double ax = a->x + a->w / 2, bx = y21->x + y21->w / 2;
        for (int q = 0; q <= 400; q++) {
            double px = ax + (bx - ax) * q / 400.0, py = top + (foot - top) * q / 400.0;
            cut += px > l21->x - 2.3 && px < l21->x + l21->w + 2.3 && py > l21->y - 1.3 && py < l21->y + l21->h + 1.3;
        }
    }
    CHECK_INT(cut, 0);
    CHECK_INT(overlaps(c, "T32 V labels", 595, 842), 0);
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * Radar ring values stay off the dashed benchmark polygon at 100: 图表41
 * set "100" on it (rings 20 … 100 of the national build, 50 / 100 / 150 of
 * a city edition whose 数字化能力 scores 121.0); the other rings keep theirs.
 */
static void test_radar_rings(const srdi_fonts *f)
{
    static const double nat[5] = {17.4, 15.8, 17.5, 14.0, 93.5}, city[5] = {16.3, 15.2, 17.4, 7.9, 121.0};
    static const char *dims[5] = {"技术实力", "创新质量", "创新规模", "资本实力", "数字化能力"};
    for (int run = 0; run < 2; run++) {
        srdi_table *t = srdi_table_new("T29", "champion_radar", "雷达", "雷达");
        srdi_table_add_col(t, "score", "得分", SRDI_COL_SCORE, "", 1);
        for (int i = 0; i < 5; i++) FX_ROW(t, dims[i], dims[i], run ? city[i] : nat[i]);
        srdi_canvas *c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 595, 842);
        srdi_canvas_record_boxes(c, true);
        double w = 16 * CM;
        CHECK_INT(srdi_chart_draw(c, "T29", t, NULL, 0, 0, w, w * 0.75, true), SRDI_OK);
        CHECK(box_of(c, "100") == NULL);
        CHECK(box_of(c, run ? "150" : "80") != NULL);
        srdi_canvas_free(c);
        srdi_table_free(t);
    }
}

/*
 * A column/line combo of many categories (the national city chart, 图表20:
 * 20 cities, shares of 1.20–6.79% and patent medians of 23–72): every line
 * point runs above its column's top (Beijing's 27 sat on its 6.79% column
 * when the share axis ended at 20%).  Heights come from the tick labels.
 */
static void test_combo_points_clear(const srdi_fonts *f)
{
    static const double share[20] = {0.0679, 0.0619, 0.0546, 0.0386, 0.0362, 0.0355, 0.0242, 0.0234, 0.0216, 0.0206,
                                     0.0189, 0.0172, 0.0171, 0.0166, 0.0166, 0.0158, 0.0149, 0.0132, 0.0126, 0.0120};
    static const double med[20] = {27, 33, 38, 72, 35, 28, 52, 34, 31, 61, 35, 45, 58, 28, 38, 38, 68, 23, 39, 36};
    srdi_table *t = srdi_table_new("T16", "city_distribution", "城市分布", "城市分布");
    srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "全国占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0);
    for (int i = 0; i < 20; i++) {
        char k[32];
        snprintf(k, sizeof k, "城市%d", i + 1);
        FX_ROW(t, k, k, share[i] * 167372, share[i], med[i]);
    }
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    double w = 16 * CM;
    CHECK_INT(srdi_chart_draw(c, "T16", t, NULL, 0, 0, w, w * 0.625, true), SRDI_OK);
    int bad = 0;
    for (int i = 0; i < 20; i++) {
        double top = axis_y(c, w, true, "%", 100, share[i]), py = axis_y(c, w, false, "", 1, med[i]);
        if (isnan(top) || isnan(py) || !(py < top - 3)) {
            fprintf(stderr, "T16: point %d (%.0f, y %.1f) on its column (%.2f%%, top y %.1f)\n", i + 1, med[i], py,
                    share[i] * 100, top);
            bad++;
        }
    }
    CHECK_INT(bad, 0);
    srdi_canvas_free(c);
    srdi_table_free(t);
    /* a provincial edition's two cities (72.73% / 27.27%, medians 37 / 25):
       the share axis held at 100% has no 5-interval grid that lifts 37 off
       the 72.73% column; 0–100% by 50% does (宁夏 of sample n 9000 seed 4242) */
    static const double s2[2] = {0.7273, 0.2727}, m2[2] = {37, 25};
    t = srdi_table_new("T16", "city_distribution", "城市分布", "城市分布");
    srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "全国占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0);
    FX_ROW(t, "银川市", "银川市", 8, s2[0], m2[0]);
    FX_ROW(t, "石嘴山市", "石嘴山市", 3, s2[1], m2[1]);
    c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, "T16", t, NULL, 0, 0, w, w * 0.625, true), SRDI_OK);
    for (int i = 0; i < 2; i++) {
        double top = axis_y(c, w, true, "%", 100, s2[i]), py = axis_y(c, w, false, "", 1, m2[i]);
        if (isnan(top) || isnan(py) || !(py < top - 3))
            fprintf(stderr, "T16 two cities: point %.0f (y %.1f) on its column (top y %.1f)\n", m2[i], py, top);
        CHECK(!isnan(top) && !isnan(py) && py < top - 3);
    }
    CHECK_INT(overlaps(c, "T16 two cities", 595, 842), 0);
    srdi_canvas_free(c);
    srdi_table_free(t);
    /* a city edition's own city alone (100%, 38): the median is a column
       beside the share's, labelled above it, not a lone point inside the
       100% column */
    t = srdi_table_new("T16", "city_distribution", "城市分布", "城市分布");
    srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "全国占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0);
    FX_ROW(t, "兰州市", "兰州市", 275, 1.0, 38);
    c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, "T16", t, NULL, 0, 0, w, w * 0.625, true), SRDI_OK);
    const srdi_textbox *b100 = box_of(c, "100.00%"), *b38 = box_of(c, "38");
    CHECK(b100 && b38 && b38->x >= b100->x + b100->w);
    CHECK_INT(overlaps(c, "T16 one city", 595, 842), 0);
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * Bar labels are never cut short: a city edition's 图表21 (12 industries)
 * set "37铁路、船舶、航空航天和其他运输设备…" on its one-line label; the
 * label column widens (or the label takes two closer lines) instead.
 */
static void test_bar_labels_whole(const srdi_fonts *f)
{
    static const char *lab[12] = {"26化学原料和化学制品制造业", "65软件和信息技术服务业", "73研究和试验发展",
                                  "33金属制品业", "38电气机械和器材制造业", "40仪器仪表制造业", "51批发业",
                                  "75科技推广和应用服务业", "14食品制造业", "29橡胶和塑料制品业",
                                  "32有色金属冶炼和压延加工业", "37铁路、船舶、航空航天和其他运输设备制造业"};
    srdi_table *t = srdi_table_new("T17", "industry_division", "行业", "行业");
    srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    for (int i = 0; i < 12; i++) FX_ROW(t, lab[i], lab[i], 12.0 - i, (12.0 - i) / 100);
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    double w = 16 * CM;
    CHECK_INT(srdi_chart_draw(c, "T17", t, NULL, 0, 0, w, 240, false), SRDI_OK); /* 20 pt a bar: one line */
    int cut = 0;
    for (size_t k = 0; k < c->nboxes; k++)
        if (strstr(c->boxes[k].text, "…")) {
            fprintf(stderr, "T17 label cut short: %s\n", c->boxes[k].text);
            cut++;
        }
    CHECK_INT(cut, 0);
    CHECK_INT(overlaps(c, "T17 labels", 595, 842), 0);
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * A chart whose every value is zero (a small edition without foreign
 * patents in any year: 图表45 drew a plot's height of white over a row of
 * "0") is its 暂无数据 box, as a table of zeros is.
 */
static void test_all_zero_chart(const srdi_fonts *f)
{
    srdi_table *t = srdi_table_new("T34", "foreign_trend", "涉外", "涉外");
    srdi_table_add_col(t, "count", "涉外发明专利公开量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "applicants", "申请人数", SRDI_COL_COUNT, "家", -1);
    for (int i = 0; i < 6; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2020 + i);
        FX_ROW(t, y, y, 0.0, 0.0);
    }
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    double w = 16 * CM;
    CHECK_INT(srdi_chart_draw(c, "T34", t, NULL, 0, 0, w, w * 0.625, false), SRDI_OK);
    CHECK(box_of(c, "暂无数据") != NULL);
    CHECK(box_of(c, "2020") == NULL);
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * A quadrant of the scale–innovation chart (T12) without enterprises says
 * so under its 0.00%: the 青海省 edition of sample n 6000 seed 8080 drew
 * "国家级占比 —" in 高规模—低创新, a dash with nothing to explain it.
 */
static void test_quadrant_empty(const srdi_fonts *f)
{
    srdi_table *t = fx_t12(); /* its rows and columns, with this edition's numbers */
    static const double v[4][3] = {{1, 1.0 / 6, 1.0}, {1, 1.0 / 6, 0.0}, {0, 0.0, 0.0}, {4, 4.0 / 6, 0.0}};
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 3; c++) srdi_table_set_num(t, r, c, v[r][c]);
    srdi_table_set_null(t, 2, 2);
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    double w = 16 * CM;
    CHECK_INT(srdi_chart_draw(c, "T12", t, NULL, 0, 0, w, w * 0.625, false), SRDI_OK);
    CHECK(has_box(c, "企业占比0.00%"));
    CHECK(has_box(c, "本象限没有企业"));
    CHECK(!has_box(c, "国家级占比 —"));
    CHECK(has_box(c, "国家级占比100.00%"));
    CHECK_INT(overlaps(c, "T12", w, w * 0.625), 0);
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * A legend lists only the series that have data: an edition without 国家级
 * enterprises (西藏 of sample n 9000 seed 4242) drew 图表36 with 国家级 in
 * its legend over a column of "—" and 图表5 with 国家级 in its legend and
 * no 国家级 column.  The series is left out, its slot too; the one left
 * keeps its legend entry (the caption names both levels).
 */
static void test_legend_series_with_data(const srdi_fonts *f)
{
    double w = 16 * CM;
    srdi_table *t4 = srdi_table_new("T04", "honours", "荣誉资质", "荣誉资质");
    srdi_table_add_col(t4, "national_rate", "国家级持有率", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t4, "provincial_rate", "省级持有率", SRDI_COL_SHARE, "", -1);
    FX_ROW(t4, "a", "高新技术企业", NAN, 1.0);
    FX_ROW(t4, "b", "瞪羚企业", NAN, 0.2);
    FX_ROW(t4, "c", "独角兽企业", NAN, 0.0);
    srdi_canvas *c = draw_null(f, srdi_chart_find("T04"), t4, NULL, w, w * 0.625);
    CHECK(!has_box(c, "国家级"));
    CHECK(has_box(c, "省级"));
    CHECK(!has_box(c, "—"));
    CHECK(has_box(c, "100.00%") && has_box(c, "20.00%"));
    CHECK_INT(overlaps(c, "T04 one level", w, w * 0.625), 0);
    srdi_canvas_free(c);
    srdi_table_free(t4);

    srdi_table *t3 = srdi_table_new("T03", "staff_bands", "用工规模", "用工规模");
    srdi_table_add_col(t3, "national_share", "国家级占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t3, "provincial_share", "省级占比", SRDI_COL_SHARE, "", -1);
    FX_ROW(t3, "a", "0—50人", NAN, 0.8);
    FX_ROW(t3, "b", "51—100人", NAN, 0.2);
    c = draw_null(f, srdi_chart_find("T03"), t3, NULL, w, w * 0.625);
    CHECK(!has_box(c, "国家级"));
    CHECK(has_box(c, "省级"));
    CHECK(has_box(c, "80.00%") && has_box(c, "20.00%"));
    CHECK_INT(overlaps(c, "T03 one level", w, w * 0.625), 0);
    srdi_canvas_free(c);
    /* both levels with data: both in the legend */
    srdi_table_set_num(t3, 0, 0, 0.5);
    c = draw_null(f, srdi_chart_find("T03"), t3, NULL, w, w * 0.625);
    CHECK(has_box(c, "国家级") && has_box(c, "省级"));
    srdi_canvas_free(c);
    srdi_table_free(t3);
}

/*
 * The pyramid of an edition without 国家级 enterprises (西藏 of sample n 9000
 * seed 4242) drew the 国家级 level as a full-size blue block beside
 * "0家，占比0.00%": a level without enterprises is its dashed outline. The
 * PNG is probed along a row through the top tier for the level's blue.
 */
static int pyramid_blue(const srdi_fonts *f, double national)
{
    srdi_table *t = srdi_table_new("T01", "levels", "层级分布", "层级分布");
    srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
    srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
    FX_ROW(t, "national", "国家级专精特新“小巨人”企业", national, national / (national + 9));
    FX_ROW(t, "provincial", "省级专精特新企业", 9.0, 9 / (national + 9));
    FX_ROW(t, "total", "合计", national + 9, 1.0);
    double w = 16 * CM, h = w * 0.625;
    char png[1024];
    snprintf(png, sizeof png, "%s/pyramid%.0f.png", testutil_tmpdir("charts_pyramid"), national);
    srdi_canvas *pc = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, png, w, h, 72);
    srdi_canvas_begin_page(pc, w, h);
    CHECK_INT(srdi_chart_draw(pc, "T01", t, NULL, 0, 0, w, h, true), SRDI_OK);
    CHECK_INT(srdi_canvas_finish(pc), SRDI_OK);
    srdi_canvas_free(pc);
    srdi_table_free(t);
    int blue = 0;
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(s);
        double y = 5 + (h - 10) * 0.3; /* inside the top tier (0 … 0.42 of the height) */
        for (double x = 1; x < w - 1; x += 1) {
            int rgb[3];
            pixel_at(s, x, y, 72, rgb);
            if (rgb[2] - rgb[0] > 60) blue++;
        }
    }
    cairo_surface_destroy(s);
    return blue;
}

static void test_pyramid_empty_level(const srdi_fonts *f)
{
    CHECK(pyramid_blue(f, 1) > 5); /* a level with enterprises is filled */
    CHECK_INT(pyramid_blue(f, 0), 0);
}

/*
 * Count axes tick at whole numbers: a small edition's foreign patents
 * (0–1 件 a year, 0–1 applicants) had ticks 0.5, 1.0 … 3.0 on the left and
 * 0.2 … 1.2 on the right.  Both axes keep the same number of ticks.
 */
static void test_count_axis(const srdi_fonts *f)
{
    static const double cnt[6] = {0, 0, 1, 1, 0, 1}, app[6] = {0, 0, 1, 1, 0, 1};
    srdi_table *t = srdi_table_new("T34", "foreign_trend", "涉外", "涉外");
    srdi_table_add_col(t, "count", "涉外发明专利公开量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "applicants", "申请人数", SRDI_COL_COUNT, "家", -1);
    for (int i = 0; i < 6; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2020 + i);
        FX_ROW(t, y, y, cnt[i], app[i]);
    }
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, 595, 842);
    srdi_canvas_record_boxes(c, true);
    double w = 16 * CM;
    CHECK_INT(srdi_chart_draw(c, "T34", t, NULL, 0, 0, w, w * 0.625, true), SRDI_OK);
    int left = 0, right = 0, fractional = 0;
    for (size_t k = 0; k < c->nboxes; k++) {
        const srdi_textbox *tb = &c->boxes[k];
        if (strspn(tb->text, "0123456789,.") != strlen(tb->text)) continue;
        bool l = tb->x + tb->w < 45, r = tb->x > w - 45;
        if (!l && !r) continue;
        left += l;
        right += r;
        if (strchr(tb->text, '.')) {
            fprintf(stderr, "T34 count axis: tick '%s'\n", tb->text);
            fractional++;
        }
    }
    CHECK_INT(fractional, 0);
    CHECK(left >= 2);
    CHECK_INT(right, left);
    CHECK(has_box(c, "1") && has_box(c, "单位：件") && has_box(c, "单位：家"));
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/* Recorded boxes of exactly @p text inside the plot (x in (@p x0, @p x1)): value labels, not axis ticks. */
static int count_inside(const srdi_canvas *c, const char *text, double x0, double x1)
{
    int n = 0;
    for (size_t k = 0; k < c->nboxes; k++)
        n += strcmp(c->boxes[k].text, text) == 0 && c->boxes[k].x > x0 && c->boxes[k].x + c->boxes[k].w < x1;
    return n;
}

/*
 * Zero values print one "0" per category, never a pair side by side or on
 * top of each other (a city edition's 图表5 set "0.00% 0.00%" under every
 * empty band, its 图表45 "0 0" where a zero column met a zero line point):
 * a zero column or bar has no label of its own; a category whose columns
 * (bars) are all zero gets one, and a zero line point at the same height
 * says nothing more.
 */
static void test_zero_labels(const srdi_fonts *f)
{
    double w = 16 * CM;
    /* grouped columns: 0 / 50%, 0 / 0, 30% / 20% → one "0.00%" (the empty band) */
    srdi_table *t3 = srdi_table_new("T03", "staff_bands", "用工规模", "用工规模");
    srdi_table_add_col(t3, "national_share", "国家级占比", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t3, "provincial_share", "省级占比", SRDI_COL_SHARE, "", -1);
    FX_ROW(t3, "a", "0—50人", 0.0, 0.5);
    FX_ROW(t3, "b", "51—100人", 0.0, 0.0);
    FX_ROW(t3, "c", "101—200人", 0.3, 0.2);
    srdi_canvas *c = draw_null(f, srdi_chart_find("T03"), t3, NULL, w, w * 0.625);
    CHECK_INT(count_inside(c, "0.00%", 0, w), 1);
    CHECK(has_box(c, "50.00%") && has_box(c, "30.00%") && has_box(c, "20.00%"));
    CHECK_INT(overlaps(c, "T03 zero labels", w, w * 0.625), 0);
    srdi_canvas_free(c);
    srdi_table_free(t3);

    /* columns and a line (counts): 0/0, 0/1, 1/0, 2/1, 0/0, 1/1 → a "0" in
       2020, 2022 (the line's) and 2024, none for 2021's empty column */
    static const double cnt[6] = {0, 0, 1, 2, 0, 1}, app[6] = {0, 1, 0, 1, 0, 1};
    srdi_table *t = srdi_table_new("T34", "foreign_trend", "涉外", "涉外");
    srdi_table_add_col(t, "count", "涉外发明专利公开量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t, "applicants", "申请人数", SRDI_COL_COUNT, "家", -1);
    for (int i = 0; i < 6; i++) {
        char y[16];
        snprintf(y, sizeof y, "%d", 2020 + i);
        FX_ROW(t, y, y, cnt[i], app[i]);
    }
    c = draw_null(f, srdi_chart_find("T34"), t, NULL, w, w * 0.625);
    CHECK_INT(count_inside(c, "0", 45, w - 45), 3);
    CHECK_INT(overlaps(c, "T34 zero labels", w, w * 0.625), 0);
    srdi_canvas_free(c);
    srdi_table_free(t);

    /* horizontal bars of two series: 0 / 0 → one "0.00%"; 0 / 40% → none */
    srdi_table *t4 = srdi_table_new("T04", "honours", "荣誉资质", "荣誉资质");
    srdi_table_add_col(t4, "national_rate", "国家级持有率", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t4, "provincial_rate", "省级持有率", SRDI_COL_SHARE, "", -1);
    FX_ROW(t4, "a", "高新技术企业", 0.8, 0.6);
    FX_ROW(t4, "b", "瞪羚企业", 0.0, 0.0);
    FX_ROW(t4, "c", "独角兽企业", 0.0, 0.4);
    c = draw_null(f, srdi_chart_find("T04"), t4, NULL, w, w * 0.625);
    CHECK_INT(count_inside(c, "0.00%", 0, w), 1);
    CHECK(has_box(c, "40.00%") && has_box(c, "80.00%"));
    CHECK_INT(overlaps(c, "T04 zero labels", w, w * 0.625), 0);
    srdi_canvas_free(c);
    srdi_table_free(t4);
}

/*
 * A share axis fits its data: a single-city edition's city chart (one
 * category, 100% of the enterprises, a patent median on the right axis)
 * ends its share axis at 100% (not 120–200%), ticks every 20%, the right
 * axis on the same five intervals; the column is no wider than 48 pt and
 * both value labels are drawn.  A 95% column also tops out at 100%.
 */
static void test_share_axis(const srdi_fonts *f)
{
    static const double shares[2] = {1.0, 0.95};
    for (int k = 0; k < 2; k++) {
        srdi_table *t = srdi_table_new("T16", "city_rank", "城市", "城市");
        srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
        srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
        srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0);
        FX_ROW(t, "三亚市", "三亚市", 25, shares[k], 48);
        srdi_canvas *c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 595, 842);
        srdi_canvas_record_boxes(c, true);
        double w = 14 * CM;
        CHECK_INT(srdi_chart_draw(c, "T16", t, NULL, 0, 0, w, w * 0.625, false), SRDI_OK);
        int pct_ticks = 0, right_ticks = 0;
        bool over = false;
        for (size_t b = 0; b < c->nboxes; b++) {
            const char *bt = c->boxes[b].text;
            size_t n = strlen(bt);
            if (n > 1 && bt[n - 1] == '%' && strspn(bt, "0123456789") == n - 1) {
                pct_ticks++;
                if (atoi(bt) > 100) over = true;
            }
            if (c->boxes[b].x > w - 45 && strspn(bt, "0123456789") == n) right_ticks++;
        }
        if (over || pct_ticks != 6)
            fprintf(stderr, "share axis of a %.0f%% column: %d ticks%s\n", shares[k] * 100, pct_ticks,
                    over ? ", one above 100%" : "");
        CHECK(!over);
        CHECK_INT(pct_ticks, 6); /* 0%, 20%, … 100% */
        CHECK_INT(right_ticks, 6);
        CHECK(has_box(c, k == 0 ? "100.00%" : "95.00%"));
        CHECK(has_box(c, "48"));
        CHECK_INT(overlaps(c, "T16 one city", 595, 842), 0);
        srdi_canvas_free(c);
        /* the column: 48 pt wide at most — the run of the first series'
           colour across the plot's lower half on a 72 dpi PNG */
        char png[1024];
        snprintf(png, sizeof png, "%s/one_city.png", testutil_tmpdir("charts_share_axis"));
        srdi_canvas *pc = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, png, w, w * 0.625, 72);
        srdi_canvas_begin_page(pc, w, w * 0.625);
        CHECK_INT(srdi_chart_draw(pc, "T16", t, NULL, 0, 0, w, w * 0.625, false), SRDI_OK);
        CHECK_INT(srdi_canvas_finish(pc), SRDI_OK);
        srdi_canvas_free(pc);
        cairo_surface_t *img = cairo_image_surface_create_from_png(png);
        CHECK(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
        if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
            srdi_rgba blue = srdi_chart_palette(0);
            int run = 0;
            for (int x = 0; x < (int)w; x++) {
                int rgb[3];
                pixel_at(img, x, w * 0.625 * 0.75, 72, rgb);
                if (abs(rgb[0] - (int)lround(blue.r * 255)) < 8 && abs(rgb[1] - (int)lround(blue.g * 255)) < 8 &&
                    abs(rgb[2] - (int)lround(blue.b * 255)) < 8)
                    run++;
            }
            if (run < 20 || run > 49) fprintf(stderr, "one-city column %d pt wide\n", run);
            CHECK(run >= 20 && run <= 49);
        }
        cairo_surface_destroy(img);
        srdi_table_free(t);
    }
}

/*
 * Quotation-mark compression in chart text (GB/T 15834, as in the report's
 * lines): in a figure title "图表41：“小巨人”及“单项冠军”…" the opening
 * quote after the colon moves half an em (6 pt at the 12 pt title) left —
 * two runs, the second starting 6 pt before the first one ends; "”及“"
 * keeps its blanks (no mark beside them); "”，" gives up half an em too.
 */
static void test_quote_compression(const srdi_fonts *f)
{
    srdi_table *t = fx_table("T29");
    static const struct {
        const char *title, *first, *second;
    } cases[2] = {{"图表41：“小巨人”及“单项冠军”科创力五维雷达图", "图表41：", "“小巨人”及“单项冠军”科创力五维雷达图"},
                  {"“小巨人”，单项冠军", "“小巨人”", "，单项冠军"}};
    for (int k = 0; k < 2; k++) {
        srdi_canvas *c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 595, 842);
        srdi_canvas_record_boxes(c, true);
        CHECK_INT(srdi_chart_draw_titled(c, "T29", t, NULL, 0, 0, 16 * CM, 12 * CM, cases[k].title), SRDI_OK);
        const srdi_textbox *a = NULL, *b = NULL;
        for (size_t i = 0; i < c->nboxes; i++) {
            if (strcmp(c->boxes[i].text, cases[k].first) == 0) a = &c->boxes[i];
            if (strcmp(c->boxes[i].text, cases[k].second) == 0) b = &c->boxes[i];
        }
        CHECK(a && b);
        if (a && b) {
            double gap = b->x - (a->x + a->w);
            if (fabs(gap + 6) > 0.01) fprintf(stderr, "'%s': the second run starts %.2f pt after the first\n",
                                              cases[k].title, gap);
            CHECK(fabs(gap + 6) <= 0.01);
            /* still centred: the text's two ends equally far from the box's edges */
            CHECK(fabs(a->x - (16 * CM - (b->x + b->w))) < 0.01);
        }
        srdi_canvas_free(c);
    }
    srdi_table_free(t);
}

/* Number of UTF-8 characters of s. */
static size_t u8chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/*
 * Category labels that do not fit their slot: whole (a CJK name that fits),
 * wrapped at a word boundary, or shortened with "…" — never split inside a
 * name and never one character per line.
 */
static void test_category_labels(const srdi_fonts *f)
{
    static const char *lab[16] = {"内蒙古自治区呼和浩特市",
                                  "新疆维吾尔自治区乌鲁木齐市",
                                  "深圳市",
                                  "苏州市",
                                  "65软件和信息技术服务业",
                                  "39计算机、通信和其他电子设备制造业",
                                  "上海市",
                                  "北京市",
                                  "宁波市",
                                  "杭州市",
                                  "东莞市",
                                  "广州市",
                                  "无锡市",
                                  "青岛市",
                                  "常州市",
                                  "成都市"};
    for (int pass = 0; pass < 3; pass++) {
        int nrows = pass == 0 ? 16 : pass == 1 ? 8 : 4;
        srdi_table *t = srdi_table_new("T16", "city_rank", "城市", "城市");
        srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1);
        srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
        srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0);
        for (int i = 0; i < nrows; i++) FX_ROW(t, lab[i], lab[i], 5000 - 180 * i, 0.045 - 0.0016 * i, 40 + i);
        srdi_params *p = srdi_params_new();
        char n[8];
        snprintf(n, sizeof n, "%d", nrows);
        srdi_params_set(p, "t16", "top_n_documents", n);
        srdi_canvas *c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 595, 842);
        srdi_canvas_record_boxes(c, true);
        CHECK_INT(srdi_chart_draw(c, "T16", t, p, 70, 100, 14 * CM, 14 * CM * 0.625, false), SRDI_OK);
        for (int i = 0; i < nrows; i++) {
            /* the label's pieces: boxes below the plot that are part of it */
            int pieces = 0;
            bool whole = false, shortened = false, single = false;
            for (size_t b = 0; b < c->nboxes; b++) {
                const char *bt = c->boxes[b].text;
                size_t bl = strlen(bt);
                char stem[256];
                snprintf(stem, sizeof stem, "%s", bt);
                bool ell = bl > 3 && strcmp(bt + bl - 3, "…") == 0;
                if (ell) stem[bl - 3] = '\0';
                if (!*stem || !strstr(lab[i], stem) || strspn(stem, "0123456789.%,") == strlen(stem)) continue;
                /* a piece of this label (also its 市-less form) */
                pieces++;
                if (strcmp(stem, lab[i]) == 0 ||
                    (strncmp(lab[i], stem, strlen(stem)) == 0 && !ell && strcmp(lab[i] + strlen(stem), "市") == 0))
                    whole = true;
                if (ell && strncmp(lab[i], stem, strlen(stem)) == 0) shortened = true;
                if (u8chars(stem) < 2) single = true;
            }
            bool spaced = strchr(lab[i], ' ') != NULL;
            bool ok = !single && (whole || shortened || (spaced && pieces == 2));
            if (!ok)
                fprintf(stderr, "pass %d: label '%s' drawn in %d pieces (whole %d, shortened %d, single %d)\n", pass,
                        lab[i], pieces, whole, shortened, single);
            CHECK(ok);
        }
        /* with four columns every name fits its slot and is drawn whole */
        if (pass == 2) {
            CHECK(has_box(c, "内蒙古自治区呼和浩特市") || has_box(c, "内蒙古自治区呼和浩特"));
            CHECK(has_box(c, "深圳市"));
        }
        CHECK_INT(overlaps(c, "T16 labels", 595, 842), 0);
        srdi_canvas_free(c);
        srdi_params_free(p);
        srdi_table_free(t);
    }
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
    CHECK_INT(nw, 38); /* 18 charts + M31 (computed from T04), PNG and SVG */
    /* speed is measured by tests/bench/figures.sh, not asserted here */
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/figures/fig16_T13.png", dir);
    CHECK(stat(path, &st) == 0);
    snprintf(path, sizeof path, "%s/figures/fig48_S48.svg", dir);
    CHECK(stat(path, &st) == 0);
    /* 16 cm at 200 dpi = 1260 px wide */
    snprintf(path, sizeof path, "%s/figures/fig16_T13.png", dir);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    CHECK_INT(cairo_image_surface_get_width(s), 1260);
    CHECK_INT(cairo_image_surface_get_height(s), 788);
    cairo_surface_destroy(s);
    /* every PNG: 200 dpi stamped (7874 pixels per metre), no grey right or bottom edge */
    for (size_t i = 0; i < nid + 1; i++) {
        const srdi_chart_def *d = i < nid ? srdi_chart_find(ids[i]) : srdi_chart_find("S48");
        char rel[128];
        srdi_chart_file_name(d, NULL, "png", rel, sizeof rel);
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        unsigned long ppx = 0, ppy = 0;
        int unit = -1;
        bool ok = png_phys(path, &ppx, &ppy, &unit) && ppx == 7874 && ppy == 7874 && unit == 1;
        if (!ok) fprintf(stderr, "%s: no 200 dpi pHYs chunk (%lu x %lu per unit %d)\n", rel, ppx, ppy, unit);
        CHECK(ok);
        CHECK(png_clean_edge(path));
    }
    srdi_tableset_free(ts);

    /* a chart of horizontal bars with four rows of its top 10 (T30 of the
       滨州市 edition of sample n 30000 seed 9191) is a shorter file: its
       plot half the height, title and source as they are */
    ts = calloc(1, sizeof *ts);
    ts->tables = calloc(1, sizeof *ts->tables);
    srdi_table *t30 = srdi_table_new("T30", "patent_fields", "领域", "领域");
    srdi_table_add_col(t30, "count", "授权量", SRDI_COL_COUNT, "件", -1);
    srdi_table_add_col(t30, "share", "占比", SRDI_COL_SHARE, "", -1);
    FX_ROW(t30, "f1", "研究和试验发展", 57, 0.5534);
    FX_ROW(t30, "f2", "软件和信息技术服务", 17, 0.1650);
    FX_ROW(t30, "f3", "纺织", 15, 0.1456);
    FX_ROW(t30, "f4", "有色金属冶炼和压延加工", 14, 0.1359);
    ts->tables[ts->n++] = t30;
    const char *dir4 = testutil_tmpdir("charts_figures4");
    CHECK_INT(srdi_figures_write_only(ts, NULL, f, NULL, dir4, 1, 0, 200, (const char *const[]){"T30"}, 1, &nw),
              SRDI_OK);
    CHECK_INT(nw, 1);
    const srdi_chart_def *d30 = srdi_chart_find("T30");
    char rel30[128];
    srdi_chart_file_name(d30, NULL, "png", rel30, sizeof rel30);
    snprintf(path, sizeof path, "%s/%s", dir4, rel30);
    s = cairo_image_surface_create_from_png(path);
    CHECK_INT(cairo_image_surface_get_width(s), 1260);
    CHECK_INT(cairo_image_surface_get_height(s), 519); /* 90 + (283.5 - 90) × 6/12 pt; 788 before */
    cairo_surface_destroy(s);
    srdi_tableset_free(ts);

    /* output directory that cannot be created */
    CHECK(srdi_figures_write(NULL, NULL, f, NULL, "/proc/nonexistent", 1, 0, 200, &nw) != SRDI_OK);
    CHECK_INT(nw, 0);
}

/*
 * The height a chart of horizontal bars takes in the report follows the
 * rows it shows: T30 (top 10 fields) of an edition with four fields
 * (图表41 of the 滨州市 edition of sample n 30000 seed 9191) takes
 * (4 + 2) / (10 + 2) of its height, one or two fields the floor 0.4, ten or more
 * the whole; charts of other kinds always the whole.
 */
static void test_height_share(void)
{
    const srdi_chart_def *d30 = srdi_chart_find("T30"), *d31 = srdi_chart_find("T31");
    CHECK(d30 && d31);
    if (!d30 || !d31) return;
    static const char *names[4] = {"研究和试验发展", "软件和信息技术服务", "纺织", "有色金属冶炼和压延加工"};
    for (int n = 0; n <= 4; n++) {
        srdi_table *t = srdi_table_new("T30", "patent_fields", "领域", "领域");
        srdi_table_add_col(t, "count", "授权量", SRDI_COL_COUNT, "件", -1);
        srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1);
        for (int i = 0; i < n; i++) FX_ROW(t, names[i], names[i], 57 - 10 * i, 0.55 - 0.1 * i);
        FX_ROW(t, "total", "合计", 103);
        double want = n == 0 ? 1 : n >= 3 ? (n + 2) / 12.0 : 0.4;
        CHECK_NUM(srdi_chart_height_share(d30, t, NULL), want, 1e-12);
        srdi_table_free(t);
    }
    /* T16 (top 20 cities, columns and a line) of a city edition: one city
       (图表20 of the 海东市 edition of sample n 30000 seed 9191) to three
       take half the height, four or more the whole */
    const srdi_chart_def *d16 = srdi_chart_find("T16");
    CHECK(d16 != NULL);
    static const char *cities[5] = {"海东市", "西宁市", "深圳市", "苏州市", "杭州市"};
    for (int n = 1; n <= 5 && d16; n++) {
        srdi_table *t = srdi_table_new("T16", "city_distribution", "城市分布", "城市分布");
        srdi_table_add_col(t, "count", "企业数量", SRDI_COL_COUNT, "家", -1);
        srdi_table_add_col(t, "share", "全国占比", SRDI_COL_SHARE, "", -1);
        srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0);
        for (int i = 0; i < n; i++) FX_ROW(t, cities[i], cities[i], 30 - 5 * i, 0.3 - 0.05 * i, 12.0 + i);
        CHECK_NUM(srdi_chart_height_share(d16, t, NULL), n <= 3 ? 0.5 : 1, 1e-12);
        srdi_table_free(t);
    }
    srdi_table *full = fx_t30(), *trend = fx_t31();
    CHECK_NUM(srdi_chart_height_share(d30, full, NULL), 1, 1e-12);
    CHECK_NUM(srdi_chart_height_share(d31, trend, NULL), 1, 1e-12);
    CHECK_NUM(srdi_chart_height_share(d30, NULL, NULL), 1, 1e-12);
    srdi_table_free(full);
    srdi_table_free(trend);
}

/*
 * A figure file whose chart draws only its 暂无数据 box sets no note under
 * it: T27 of an edition without 国家级 enterprises (海东市 of sample n
 * 30000 seed 9191: rates, no lift) drawn standalone keeps its source line
 * and drops "注：提升度=…。省级专精特新企业样本量小于30，仅供参考。"; the
 * same table with lifts keeps the note.
 */
static void test_nodata_note(const srdi_fonts *f)
{
    for (int lifts = 0; lifts < 2; lifts++) {
        srdi_table *t = srdi_table_new("T27", "honor_matrix", "荣誉矩阵", "矩阵");
        srdi_table_add_col(t, "rate", "持有率", SRDI_COL_SHARE, "", -1);
        srdi_table_add_col(t, "lift", "提升度", SRDI_COL_RATIO, "", 2);
        FX_ROW(t, "hon_high_tech", "高新技术企业", 0.5, lifts ? 1.2 : NAN);
        FX_ROW(t, "hon_tech_sme", "科技型中小企业", 0.625, lifts ? 0.8 : NAN);
        srdi_table_set_note(t, "提升度=持有企业中国家级占比/全部企业国家级占比。省级专精特新企业样本量小于30，仅供参考。");
        srdi_canvas *c = srdi_canvas_null_new(f);
        srdi_canvas_begin_page(c, 500, 340);
        srdi_canvas_record_boxes(c, true);
        CHECK_INT(srdi_chart_draw(c, "T27", t, NULL, 0, 0, 453.5, 283.5, true), SRDI_OK);
        int notes = 0, sources = 0, nodata = 0;
        for (size_t i = 0; i < c->nboxes; i++) {
            const char *x = c->boxes[i].text ? c->boxes[i].text : "";
            notes += strncmp(x, "注：", strlen("注：")) == 0;
            sources += strncmp(x, "资料来源", strlen("资料来源")) == 0;
            nodata += strcmp(x, "暂无数据") == 0;
        }
        CHECK_INT(nodata, lifts ? 0 : 1);
        CHECK_INT(notes, lifts ? 1 : 0);
        CHECK_INT(sources, 1);
        srdi_canvas_free(c);
        srdi_table_free(t);
    }
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
    test_height_share();
    test_nodata_note(f);
    test_charts(f, p);
    test_nodata_and_errors(f);
    test_palette();
    test_priority(f);
    test_heatmap(f);
    test_category_labels(f);
    test_combo_dual(f);
    test_share_axis(f);
    test_line_labels_above(f);
    test_radar_rings(f);
    test_combo_points_clear(f);
    test_bar_labels_whole(f);
    test_all_zero_chart(f);
    test_quadrant_empty(f);
    test_legend_series_with_data(f);
    test_pyramid_empty_level(f);
    test_line_labels_every_point(f);
    test_count_axis(f);
    test_zero_labels(f);
    test_quote_compression(f);
    test_figures(f);
    srdi_params_free(p);
    srdi_fonts_free(f);
    return testutil_finish();
}
