/*
 * tests/test_charts_matrix.c — point labels of the honour matrix (T27,
 * 图表38 of the report): drawn on the null canvas, which records every text
 * box, at the figure size and at the sizes the PDF sets it (the chart may
 * shrink to 0.8 of its height on a page, and a chapter's make-up option
 * scales it by 0.85–1.1).  The plot's mapping is read back from the tick
 * labels (x: "20%" … "100%" centred on their grid lines, y: the numbers
 * left of the axis centred on theirs), so the test places the points
 * independently of the drawing code.  For each data set and size:
 *   - every honour is labelled, once;
 *   - no label box meets another label box;
 *   - no label box comes within 0.5 pt of a point's marker (radius 3.6 pt
 *     plus its 0.7 pt white rim);
 *   - no label reads as another point's label: next to its own point, the
 *     other markers are 1.5 times as far plus 2 pt (the horizontal part of
 *     a gap counted half); further out (with a leader line), 5.5 pt away
 *     (3 pt in the crowded cluster, where every way out passes a neighbour);
 *   - no label touches an axis: at least 1.5 pt right of the y axis and
 *     above the x axis, and inside the plot.
 *   - no quadrant name meets a marker.
 * Data sets: the national build's T27 (瞪羚企业, 绿色工厂, 工程技术研究中心
 * and CNAS认证 crowd at 2–25% holding rate, lift 1.5–2.6; 独角兽企业 sits
 * 2% from the y axis), the chart fixture, a crowded cluster, and a
 * provincial edition with three honours at lift 0 (under a quadrant name).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/canvas.h"
#include "srdi/charts.h"
#include "srdi/util.h"
#include "charts_fixtures.h"
#include "testutil.h"

#define CM     28.3464566929
#define MARKER (3.6 + 0.7)

typedef struct {
    const char *label;
    double rate, lift;
} honour;

/* The national build's T27 (sample --n 167372 --seed 2026). */
static const honour NATIONAL[] = {
    {"专精特新小巨人", 0.1810, 5.5247}, {"高新技术企业", 0.8566, 1.1037},     {"企业技术中心", 0.2486, 2.5453},
    {"科技型中小企业", 0.6457, 0.5583}, {"制造业单项冠军", 0.0609, 4.2549},   {"工程技术研究中心", 0.0988, 2.2707},
    {"瞪羚企业", 0.0884, 1.5539},       {"独角兽企业", 0.0212, 2.9889},       {"绿色工厂", 0.0980, 2.5517},
    {"CNAS认证", 0.1711, 2.0450},
};

/* Eight honours within a few points of one another, one on the y axis. */
static const honour CLUSTER[] = {
    {"专精特新小巨人", 0.10, 2.0}, {"高新技术企业", 0.12, 2.1}, {"企业技术中心", 0.11, 1.9},
    {"科技型中小企业", 0.09, 2.2}, {"瞪羚企业", 0.13, 1.8},     {"独角兽企业", 0.0, 2.4},
    {"绿色工厂", 0.105, 1.6},      {"CNAS认证", 0.14, 2.3},
};

/* A provincial edition (甘肃省 of sample --n 20000 --seed 77): three honours
   at lift 0 under the 低普及·低价值 corner, two of them 1.6% apart. */
static const honour GANSU[] = {
    {"专精特新小巨人", 0.1639, 6.1},   {"高新技术企业", 0.8525, 1.1731}, {"企业技术中心", 0.2295, 2.1786},
    {"科技型中小企业", 0.7869, 1.2708}, {"制造业单项冠军", 0.0656, 3.8125}, {"工程技术研究中心", 0.1803, 0},
    {"瞪羚企业", 0.0820, 0},           {"绿色工厂", 0.0656, 0},          {"CNAS认证", 0.1803, 2.7727},
};

/* A city edition (兰州市 of /work/s9k, 11 enterprises): two pairs of
   honours at the same point (专精特新小巨人 and 企业技术中心 at 18.18%,
   lift 5.5; 制造业单项冠军 and 瞪羚企业 at 9.09%, lift 0), a third honour
   at lift 5.5 two steps left, and 科技型中小企业 at lift 0 beside the
   低普及·低价值 corner.  (独角兽企业 and 绿色工厂 have no lift: no point.) */
static const honour LANZHOU[] = {
    {"专精特新小巨人", 2.0 / 11, 5.5},   {"高新技术企业", 9.0 / 11, 1.2222}, {"企业技术中心", 2.0 / 11, 5.5},
    {"科技型中小企业", 6.0 / 11, 0},     {"制造业单项冠军", 1.0 / 11, 0},    {"工程技术研究中心", 1.0 / 11, 5.5},
    {"瞪羚企业", 1.0 / 11, 0},           {"CNAS认证", 3.0 / 11, 1.8333},
};

/* A city edition (深圳市 of sample --n 30000 --seed 9191): 工程技术研究中心,
   瞪羚企业 and 绿色工厂 within 1% of each other at 9% holding rate, lift
   1.3–2.5, CNAS认证 right of them. */
static const honour SHENZHEN[] = {
    {"专精特新小巨人", 0.1847, 5.4144}, {"高新技术企业", 0.8558, 1.1101},     {"企业技术中心", 0.2517, 2.5379},
    {"科技型中小企业", 0.6433, 0.6046}, {"制造业单项冠军", 0.0607, 3.8427},   {"工程技术研究中心", 0.0911, 2.0738},
    {"瞪羚企业", 0.0879, 1.2638},       {"独角兽企业", 0.0164, 4.3917},       {"绿色工厂", 0.0968, 2.4685},
    {"CNAS认证", 0.1872, 1.8991},
};

/* A provincial edition (西藏自治区 of sample --n 30000 --seed 9191, 15
   enterprises): four honours at lift 0 (two of them at one point) within
   14% of holding rate, 高新技术企业 at 93.33% and lift 1.07 in the thin
   高普及·低价值 quadrant under a cut-off of 1.5 on an axis to 20. */
static const honour XIZANG[] = {
    {"专精特新小巨人", 0.0667, 15.0}, {"高新技术企业", 0.9333, 1.0714}, {"企业技术中心", 0.3333, 3.0},
    {"科技型中小企业", 0.6000, 0.0},  {"制造业单项冠军", 0.0667, 0.0}, {"瞪羚企业", 0.0667, 0.0},
    {"独角兽企业", 0.2000, 0.0},      {"CNAS认证", 0.1333, 0.0},
};

static srdi_table *honours_table(const honour *h, size_t n)
{
    srdi_table *t = srdi_table_new("T27", "honor_matrix", "荣誉矩阵", "矩阵");
    srdi_table_add_col(t, "rate", "持有率", SRDI_COL_SHARE, "", -1);
    srdi_table_add_col(t, "lift", "提升度", SRDI_COL_RATIO, "", 2);
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "hon_%zu", i);
        FX_ROW(t, key, h[i].label, h[i].rate, h[i].lift);
    }
    return t;
}

static double cx(const srdi_textbox *b)
{
    return b->x + b->w / 2;
}

static double cy(const srdi_textbox *b)
{
    return b->y + b->h / 2;
}

/* Does the label text @p t name @p s: the whole text, or one of its parts
   joined by 、 (the one label of points that coincide)? */
static bool names(const char *t, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = t;;) {
        const char *q = strstr(p, "、");
        size_t l = q ? (size_t)(q - p) : strlen(p);
        if (l == n && strncmp(p, s, n) == 0) return true;
        if (!q) return false;
        p = q + strlen("、");
    }
}

/* The recorded box naming @p s (names()), or NULL; *count how many there are. */
static const srdi_textbox *label_of(const srdi_canvas *c, const char *s, int *count)
{
    const srdi_textbox *b = NULL;
    *count = 0;
    for (size_t i = 0; i < c->nboxes; i++)
        if (names(c->boxes[i].text, s)) {
            b = &c->boxes[i];
            ++*count;
        }
    return b;
}

/* The recorded box of text @p s, or NULL; *count how many there are. */
static const srdi_textbox *box_of(const srdi_canvas *c, const char *s, int *count)
{
    const srdi_textbox *b = NULL;
    *count = 0;
    for (size_t i = 0; i < c->nboxes; i++)
        if (strcmp(c->boxes[i].text, s) == 0) {
            b = &c->boxes[i];
            ++*count;
        }
    return b;
}

/* Is @p s a plain number ("0", "2", "1.5")? */
static bool number_text(const char *s)
{
    char *end;
    if (!*s) return false;
    strtod(s, &end);
    return *end == '\0';
}

/* Distance from (px, py) to box @p b (0 inside). */
static double box_dist(const srdi_textbox *b, double px, double py)
{
    double dx = fmax(fmax(b->x - px, 0), px - (b->x + b->w));
    double dy = fmax(fmax(b->y - py, 0), py - (b->y + b->h));
    return hypot(dx, dy);
}

/*
 * How far box @p b reads from a marker at (px, py): the gap between the
 * marker's rim and the box, its horizontal part counted half (a label
 * level with a point reads as its label even a little further off).
 */
static double read_gap(const srdi_textbox *b, double px, double py)
{
    double dx = fmax(fmax(b->x - px, 0), px - (b->x + b->w));
    double dy = fmax(fmax(b->y - py, 0), py - (b->y + b->h));
    double l = hypot(dx, dy);
    return l <= MARKER ? 0 : (l - MARKER) * hypot(0.5 * dx, dy) / l;
}

/* Do segments @p a and @p b (x0, y0, x1, y1) cross (properly: not meeting at an end)? */
static bool crosses(const double a[4], const double b[4])
{
    double d1 = (b[2] - b[0]) * (a[1] - b[1]) - (b[3] - b[1]) * (a[0] - b[0]);
    double d2 = (b[2] - b[0]) * (a[3] - b[1]) - (b[3] - b[1]) * (a[2] - b[0]);
    double d3 = (a[2] - a[0]) * (b[1] - a[1]) - (a[3] - a[1]) * (b[0] - a[0]);
    double d4 = (a[2] - a[0]) * (b[3] - a[1]) - (a[3] - a[1]) * (b[2] - a[0]);
    return d1 * d2 < 0 && d3 * d4 < 0;
}

/* Draw T27 from @p h at w × h and check its labels; @p what names the case;
   a label joined to its point by a leader reads at least @p lead_gap from
   every other marker. */
static void check_labels_gap(const srdi_fonts *f, const honour *hon, size_t n, double w, double h, const char *what,
                             double lead_gap)
{
    srdi_table *t = honours_table(hon, n);
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, w + 20, h + 20);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, "T27", t, NULL, 10, 10, w, h, false), SRDI_OK);
    /* x mapping from the "20%" and "100%" tick labels */
    int k1, k2;
    const srdi_textbox *x20 = box_of(c, "20%", &k1), *x100 = box_of(c, "100%", &k2);
    CHECK(x20 && x100);
    if (!x20 || !x100) goto out;
    double xs = (cx(x100) - cx(x20)) / 0.8, x0 = cx(x20) - 0.2 * xs;
    /* y mapping from the numeric tick labels left of the y axis */
    double vlo = INFINITY, vhi = -INFINITY, ylo = 0, yhi = 0;
    for (size_t i = 0; i < c->nboxes; i++) {
        const srdi_textbox *b = &c->boxes[i];
        if (b->x + b->w > x0 + 0.5 || !number_text(b->text)) continue;
        double v = atof(b->text);
        if (v < vlo) vlo = v, ylo = cy(b);
        if (v > vhi) vhi = v, yhi = cy(b);
    }
    CHECK(vlo == 0 && vhi > vlo);
    if (!(vlo == 0 && vhi > vlo)) goto out;
    double ys = (yhi - ylo) / vhi; /* negative: y grows downwards */
    double yaxis = ylo, ytop = yhi, xright = x0 + xs;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        int cnt;
        const srdi_textbox *a = label_of(c, hon[i].label, &cnt);
        if (cnt != 1) {
            fprintf(stderr, "%s: '%s' labelled %d times\n", what, hon[i].label, cnt);
            bad++;
            continue;
        }
        if (a->x < x0 + 1.5 || a->y + a->h > yaxis - 1.5 || a->x + a->w > xright + 0.5 || a->y < ytop - 0.5) {
            fprintf(stderr, "%s: '%s' (%.1f,%.1f %.1fx%.1f) touches an axis or leaves the plot (x0 %.1f, axis %.1f)\n",
                    what, a->text, a->x, a->y, a->w, a->h, x0, yaxis);
            bad++;
        }
        double opx = x0 + xs * fmin(fmax(hon[i].rate, 0), 1), opy = yaxis + ys * fmax(hon[i].lift, 0);
        double own = read_gap(a, opx, opy);
        for (size_t j = 0; j < n; j++) {
            double px = x0 + xs * fmin(fmax(hon[j].rate, 0), 1), py = yaxis + ys * fmax(hon[j].lift, 0);
            /* points that coincide (centres within 1 pt: one marker) have
               one label naming them all, 专精特新小巨人、企业技术中心 */
            if (j != i && hypot(px - opx, py - opy) < 1) {
                if (!names(a->text, hon[j].label)) {
                    fprintf(stderr, "%s: '%s' and '%s' coincide but are labelled apart\n", what, hon[i].label,
                            hon[j].label);
                    bad++;
                }
                continue;
            }
            /* a label must not read as the label of another point: next to
               its own (a gap of 4 pt at most) every other marker reads at
               least 1.5 times as far plus 2 pt; further out (a leader line
               joins it) every other marker reads lead_gap away at least */
            double og = read_gap(a, px, py);
            if (j != i && og < (own <= 4 ? 1.5 * own + 2 : lead_gap) - 0.05) {
                fprintf(stderr, "%s: '%s' reads as the label of '%s' (%.1f pt from it, %.1f from its own)\n", what,
                        a->text, hon[j].label, og, own);
                bad++;
            }
            if (box_dist(a, px, py) < MARKER + 0.5) {
                fprintf(stderr, "%s: '%s' meets the marker of '%s' (%.1f pt from its centre)\n", what, a->text,
                        hon[j].label, box_dist(a, px, py));
                bad++;
            }
        }
        for (size_t j = i + 1; j < n; j++) {
            const srdi_textbox *b = label_of(c, hon[j].label, &cnt);
            if (cnt != 1 || b == a) continue;
            double ow = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
            double oh = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);
            if (ow > 0 && oh > 0) {
                fprintf(stderr, "%s: labels '%s' and '%s' overlap\n", what, a->text, b->text);
                bad++;
            }
        }
    }
    /* no two leaders cross: a label further than 4 pt from its point hangs
       on a leader from the point to the middle of its near side (the
       西藏自治区 edition's three leaders from points at lift 0 crossed,
       the labels in the reverse order of their points) */
    double seg[16][4];
    int nseg = 0;
    for (size_t i = 0; i < n && nseg < 16; i++) {
        int cnt;
        const srdi_textbox *a = label_of(c, hon[i].label, &cnt);
        if (cnt != 1) continue;
        double px = x0 + xs * fmin(fmax(hon[i].rate, 0), 1), py = yaxis + ys * fmax(hon[i].lift, 0);
        if (read_gap(a, px, py) <= 4) continue;
        bool dup = false; /* one leader for the label of points that coincide */
        double lx = cx(a) < px ? a->x + a->w : a->x, ly = cy(a);
        for (int k = 0; k < nseg; k++) dup = dup || (seg[k][2] == lx && seg[k][3] == ly);
        if (dup) continue;
        seg[nseg][0] = px, seg[nseg][1] = py, seg[nseg][2] = lx, seg[nseg][3] = ly;
        nseg++;
    }
    for (int a = 0; a < nseg; a++)
        for (int b = a + 1; b < nseg; b++)
            if (crosses(seg[a], seg[b])) {
                fprintf(stderr, "%s: two leaders cross (from %.1f,%.1f and %.1f,%.1f)\n", what, seg[a][0], seg[a][1],
                        seg[b][0], seg[b][1]);
                bad++;
            }
    /* the quadrant names keep off every marker (they move to another corner of their quadrant) */
    static const char *const qnames[4] = {"低普及·高价值", "高普及·高价值", "低普及·低价值", "高普及·低价值"};
    for (int k = 0; k < 4; k++) {
        int cnt;
        const srdi_textbox *q = box_of(c, qnames[k], &cnt);
        CHECK_INT(cnt, 1);
        for (size_t j = 0; q && j < n; j++) {
            double px = x0 + xs * fmin(fmax(hon[j].rate, 0), 1), py = yaxis + ys * fmax(hon[j].lift, 0);
            if (box_dist(q, px, py) < MARKER + 0.5) {
                fprintf(stderr, "%s: the quadrant name '%s' meets the marker of '%s'\n", what, qnames[k],
                        hon[j].label);
                bad++;
            }
        }
    }
    if (bad) fprintf(stderr, "%s: %d label defect(s)\n", what, bad);
    CHECK_INT(bad, 0);
out:
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/* check_labels_gap with 5.5 pt: a label at the end of a leader set level
   with another marker 4.3 pt off reads as that marker's (图表38 of the
   深圳市 edition of sample n 30000 seed 9191: 工程技术研究中心 beside the
   瞪羚企业 marker). */
static void check_labels(const srdi_fonts *f, const honour *hon, size_t n, double w, double h, const char *what)
{
    check_labels_gap(f, hon, n, w, h, what, 5.5);
}

/* The same checks on a table of the chart fixture. */
static void check_fixture(const srdi_fonts *f, double w, double h)
{
    srdi_table *t = fx_table("T27");
    honour hon[16];
    size_t n = 0;
    for (size_t r = 0; r < t->nrows && n < 16; r++)
        hon[n++] = (honour){t->rows[r].label, t->rows[r].cells[0].num, t->rows[r].cells[1].num};
    check_labels(f, hon, n, w, h, "fixture");
    srdi_table_free(t);
}

/* ------------------------------------------------ the priority matrix (M31) */

typedef struct {
    const char *label;
    double importance, gap;
} element;

/* M31 of the national build (sample --n 167372 --seed 2026, default params):
   企业技术中心 (70, 67.9) and 软件著作权 (60, 50.0) share the space between
   注册资本, 用工规模 and the cut-off lines. */
static const element M31_NATIONAL[] = {
    {"发明专利授权", 95, 78.5714}, {"专利总量", 85, 71.1864},      {"研发投入强度", 85, 7.8},
    {"主持制修订标准", 80, 46.6378}, {"企业技术中心", 70, 67.8873}, {"软件著作权", 60, 50.0},
    {"用工规模", 55, 73.9884},     {"注册资本", 45, 65.2319},      {"制造业单项冠军", 45, 85.5395},
    {"高新技术企业", 40, 10.5036}, {"CNAS认可", 35, 57.1415},
};

/*
 * Draw M31 from @p e at w × h and check its element names: each names one
 * bubble and reads as that bubble's (every other bubble at least 1.5 times
 * as far plus 2 pt, the horizontal part of a gap counted half, as for T27);
 * two names with a common column keep 4 pt between them (they never read as
 * one block of two lines), two on a common line 5 pt.  The plot is read
 * back from the tick labels; a bubble's radius is 7.5% of the plot's
 * shorter side × √(attention / largest), at least 3 pt, plus its rim.
 */
static void check_priority(const srdi_fonts *f, const element *e, size_t n, double w, double h, const char *what)
{
    srdi_table *t = srdi_table_new("M31", "priority_matrix", "优先度矩阵", "优先度矩阵");
    srdi_table_add_col(t, "importance", "政策重要性", SRDI_COL_SCORE, "分", 0);
    srdi_table_add_col(t, "gap", "实际差距", SRDI_COL_SCORE, "分", 1);
    srdi_table_add_col(t, "attention", "综合关注度", SRDI_COL_SCORE, "", 1);
    double amax = 0;
    for (size_t i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "e%zu", i);
        int r = srdi_table_add_row(t, key, e[i].label);
        srdi_table_set_num(t, r, 0, e[i].importance);
        srdi_table_set_num(t, r, 1, e[i].gap);
        srdi_table_set_num(t, r, 2, e[i].importance * e[i].gap / 100);
        amax = fmax(amax, e[i].importance * e[i].gap / 100);
    }
    srdi_canvas *c = srdi_canvas_null_new(f);
    srdi_canvas_begin_page(c, w + 20, h + 20);
    srdi_canvas_record_boxes(c, true);
    CHECK_INT(srdi_chart_draw(c, "M31", t, NULL, 10, 10, w, h, false), SRDI_OK);
    /* the x ticks share the line of the rightmost "100"; the y ticks end where the leftmost "100" ends */
    const srdi_textbox *xr = NULL, *yr = NULL;
    for (size_t i = 0; i < c->nboxes; i++)
        if (strcmp(c->boxes[i].text, "100") == 0) {
            if (!xr || c->boxes[i].x > xr->x) xr = &c->boxes[i];
            if (!yr || c->boxes[i].x < yr->x) yr = &c->boxes[i];
        }
    double x20 = NAN, y0 = NAN;
    for (size_t i = 0; xr && yr && i < c->nboxes; i++) {
        const srdi_textbox *b = &c->boxes[i];
        if (strcmp(b->text, "20") == 0 && fabs(cy(b) - cy(xr)) < 0.5) x20 = cx(b);
        if (strcmp(b->text, "0") == 0 && fabs(b->x + b->w - (yr->x + yr->w)) < 0.5) y0 = cy(b);
    }
    CHECK(xr && yr && isfinite(x20) && isfinite(y0));
    if (!(xr && yr && isfinite(x20) && isfinite(y0))) goto out;
    double sx = (cx(xr) - x20) / 80, sy = (y0 - cy(yr)) / 100, rmax = fmin(100 * sx, 100 * sy) * 0.075;
    double px[16], py[16], pr[16];
    for (size_t i = 0; i < n && i < 16; i++) {
        px[i] = x20 + (e[i].importance - 20) * sx;
        py[i] = y0 - e[i].gap * sy;
        pr[i] = fmax(3, rmax * sqrt(e[i].importance * e[i].gap / 100 / amax)) + 1; /* rim and 0.4 pt */
    }
    int bad = 0;
    for (size_t i = 0; i < n && i < 16; i++) {
        int cnt;
        const srdi_textbox *a = box_of(c, e[i].label, &cnt);
        if (cnt != 1) {
            fprintf(stderr, "%s: '%s' named %d times\n", what, e[i].label, cnt);
            bad++;
            continue;
        }
        double dx = fmax(fmax(a->x - px[i], 0), px[i] - (a->x + a->w));
        double dy = fmax(fmax(a->y - py[i], 0), py[i] - (a->y + a->h));
        double l = hypot(dx, dy), own = l <= pr[i] ? 0 : (l - pr[i]) * hypot(0.5 * dx, dy) / l;
        for (size_t j = 0; j < n && j < 16; j++) {
            if (j == i) continue;
            double ex = fmax(fmax(a->x - px[j], 0), px[j] - (a->x + a->w));
            double ey = fmax(fmax(a->y - py[j], 0), py[j] - (a->y + a->h));
            double m = hypot(ex, ey), og = m <= pr[j] ? 0 : (m - pr[j]) * hypot(0.5 * ex, ey) / m;
            if (og < (own <= 4 ? 1.5 * own + 2 : 3) - 0.05) {
                fprintf(stderr, "%s: '%s' reads as the name of '%s' (%.1f pt from it, %.1f from its own)\n", what,
                        a->text, e[j].label, og, own);
                bad++;
            }
            const srdi_textbox *b = j > i ? box_of(c, e[j].label, &cnt) : NULL;
            if (!b || cnt != 1) continue;
            double ow = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
            double oh = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);
            if ((ow > 0 && oh > -4) || (oh > 0 && ow > -5)) {
                fprintf(stderr, "%s: '%s' and '%s' crowd each other (%.1f pt apart across, %.1f down)\n", what,
                        a->text, b->text, -ow, -oh);
                bad++;
            }
        }
    }
    if (bad) {
        fprintf(stderr, "%s: %d label defect(s)\n", what, bad);
        for (size_t i = 0; i < n && i < 16; i++) {
            int cnt;
            const srdi_textbox *a = box_of(c, e[i].label, &cnt);
            if (a)
                fprintf(stderr, "  %s: bubble (%.1f,%.1f) r %.1f, name (%.1f,%.1f %.1fx%.1f)\n", e[i].label, px[i],
                        py[i], pr[i], a->x, a->y, a->w, a->h);
        }
    }
    CHECK_INT(bad, 0);
out:
    srdi_canvas_free(c);
    srdi_table_free(t);
}

/*
 * Markers whose discs meet read as two: the national build's 绿色工厂 and
 * 工程技术研究中心 (9.80%/2.55 and 9.88%/2.27) overlapped by 2 pt, two
 * translucent discs read as one darker dot; each is now a ring in the
 * marker colour over a light disc.  Drawn to SVG at the figure size:
 * exactly two strokes in the marker colour (kit_pal[0], the other markers
 * keep their white rims), none when 工程技术研究中心 stands apart.
 */
static int marker_rings(const srdi_fonts *f, const honour *hon, size_t n, double w, double h, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.svg", testutil_tmpdir("charts_matrix_rings"), name);
    srdi_table *t = honours_table(hon, n);
    srdi_canvas *c = srdi_canvas_cairo_new(f, SRDI_CAIRO_SVG, path, w, h, 72);
    CHECK(c && srdi_canvas_status(c) == SRDI_OK);
    if (c) {
        CHECK_INT(srdi_canvas_begin_page(c, w, h), SRDI_OK);
        CHECK_INT(srdi_chart_draw(c, "T27", t, NULL, 0, 0, w, h, false), SRDI_OK);
        CHECK_INT(srdi_canvas_end_page(c), SRDI_OK);
        CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
    }
    srdi_canvas_free(c);
    srdi_table_free(t);
    int k = 0;
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    if (!fp) return -1;
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[len] = '\0';
    for (const char *q = buf; (q = strstr(q, "stroke:rgb(0%,44.7%,69.8%)")) != NULL; q++) k++;
    return k;
}

int main(void)
{
    srdi_fonts *f = NULL;
    if (srdi_fonts_load(testutil_src("fonts"), &f) != SRDI_OK) {
        fprintf(stderr, "%s\n", srdi_error_message());
        CHECK(0);
        return testutil_finish();
    }
    const srdi_chart_def *d = srdi_chart_find("T27");
    CHECK(d != NULL);
    if (d) {
        /* the figure file (16 cm) and the PDF's text width (453.5 pt) at the
           heights a page may give it */
        double fw = 16 * CM, tw = 453.543;
        static const double scales[] = {0.8, 0.85, 0.9, 1.0, 1.1};
        check_labels(f, NATIONAL, sizeof NATIONAL / sizeof NATIONAL[0], fw, fw * d->aspect, "national, figure");
        CHECK_INT(marker_rings(f, NATIONAL, sizeof NATIONAL / sizeof NATIONAL[0], fw, fw * d->aspect, "national"), 2);
        honour apart[sizeof NATIONAL / sizeof NATIONAL[0]];
        memcpy(apart, NATIONAL, sizeof apart);
        apart[5].lift = 3.6; /* 工程技术研究中心 away from 绿色工厂 */
        CHECK_INT(marker_rings(f, apart, sizeof apart / sizeof apart[0], fw, fw * d->aspect, "apart"), 0);
        check_labels_gap(f, CLUSTER, sizeof CLUSTER / sizeof CLUSTER[0], fw, fw * d->aspect, "cluster, figure", 3);
        check_fixture(f, fw, fw * d->aspect);
        check_labels(f, GANSU, sizeof GANSU / sizeof GANSU[0], fw, fw * d->aspect, "gansu, figure");
        check_labels(f, GANSU, sizeof GANSU / sizeof GANSU[0], tw, tw * d->aspect * 0.85, "gansu, PDF x0.85");
        check_labels(f, LANZHOU, sizeof LANZHOU / sizeof LANZHOU[0], fw, fw * d->aspect, "lanzhou, figure");
        check_labels(f, SHENZHEN, sizeof SHENZHEN / sizeof SHENZHEN[0], fw, fw * d->aspect, "shenzhen, figure");
        check_labels(f, XIZANG, sizeof XIZANG / sizeof XIZANG[0], fw, fw * d->aspect, "xizang, figure");
        for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
            char what[64];
            snprintf(what, sizeof what, "lanzhou, PDF x%.2f", scales[k]);
            check_labels(f, LANZHOU, sizeof LANZHOU / sizeof LANZHOU[0], tw, tw * d->aspect * scales[k], what);
            snprintf(what, sizeof what, "xizang, PDF x%.2f", scales[k]);
            check_labels(f, XIZANG, sizeof XIZANG / sizeof XIZANG[0], tw, tw * d->aspect * scales[k], what);
            snprintf(what, sizeof what, "shenzhen, PDF x%.2f", scales[k]);
            check_labels(f, SHENZHEN, sizeof SHENZHEN / sizeof SHENZHEN[0], tw, tw * d->aspect * scales[k], what);
        }
        for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
            char what[64];
            snprintf(what, sizeof what, "national, PDF x%.2f", scales[k]);
            check_labels(f, NATIONAL, sizeof NATIONAL / sizeof NATIONAL[0], tw, tw * d->aspect * scales[k], what);
            snprintf(what, sizeof what, "cluster, PDF x%.2f", scales[k]);
            check_labels_gap(f, CLUSTER, sizeof CLUSTER / sizeof CLUSTER[0], tw, tw * d->aspect * scales[k], what, 3);
            check_fixture(f, tw, tw * d->aspect * scales[k]);
        }
    }
    const srdi_chart_def *pm = srdi_chart_find("M31");
    CHECK(pm != NULL);
    if (pm) {
        double fw = 16 * CM, tw = 453.543;
        static const double scales[] = {0.8, 0.9, 1.0, 1.1};
        size_t ne = sizeof M31_NATIONAL / sizeof M31_NATIONAL[0];
        check_priority(f, M31_NATIONAL, ne, fw, fw * pm->aspect, "M31 national, figure");
        for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
            char what[64];
            snprintf(what, sizeof what, "M31 national, PDF x%.2f", scales[k]);
            check_priority(f, M31_NATIONAL, ne, tw, tw * pm->aspect * scales[k], what);
        }
    }
    srdi_fonts_free(f);
    return testutil_finish();
}
