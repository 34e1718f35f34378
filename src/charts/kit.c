/*
 * src/charts/kit.c — the charts' private drawing kit (see kit.h).
 */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/fonts.h"
#include "srdi/util.h"

/* ---------------------------------------------------------------- palette */

/*
 * The one series palette: Okabe–Ito blue, orange, bluish green, vermillion,
 * sky blue, a dark navy, yellow and reddish purple, ordered so that every
 * two neighbours (the last one next to the first, as in a full donut) are
 * at least ΔE*ab 45 apart (tests/test_charts.c checks ≥ 30).
 */
const srdi_rgba kit_pal[KIT_NPAL] = {
    {0.000, 0.447, 0.698, 1}, {0.902, 0.624, 0.000, 1}, {0.000, 0.620, 0.451, 1}, {0.835, 0.369, 0.000, 1},
    {0.337, 0.706, 0.914, 1}, {0.200, 0.250, 0.450, 1}, {0.941, 0.894, 0.259, 1}, {0.800, 0.475, 0.655, 1},
};
const srdi_rgba kit_text_c = {0.20, 0.20, 0.20, 1};
const srdi_rgba kit_muted_c = {0.42, 0.42, 0.42, 1};
const srdi_rgba kit_grid_c = {0.88, 0.88, 0.88, 1};
const srdi_rgba kit_axis_c = {0.55, 0.55, 0.55, 1};
const srdi_rgba kit_white = {1, 1, 1, 1};

srdi_font kit_font(double size, bool bold)
{
    return (srdi_font){SRDI_FONT_SANS, size, bold};
}

/* ------------------------------------------------- quotation compression */

/* A full-width punctuation mark of Chinese text (GB/T 15834). */
static bool cjk_punct(int32_t cp)
{
    return (cp >= 0x3001 && cp <= 0x3002) || (cp >= 0x3008 && cp <= 0x3011) || cp == 0x3014 || cp == 0x3015 ||
           cp == 0xFF0C || cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF08 ||
           cp == 0xFF09 || cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D;
}

/* A quotation mark that font @p f sets as a narrow glyph widened to an em by a blank beside it. */
static bool padded_quote(srdi_canvas *c, srdi_font f, int32_t cp, const char *at, size_t len)
{
    double gadv = 0;
    return (cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019) &&
           srdi_fonts_glyph(c->fonts, f, SRDI_FACE_CJK, (uint32_t)cp, &gadv) && gadv < 0.75 * f.size &&
           srdi_text_width(c->fonts, f, at, len) >= 0.75 * f.size;
}

/* The most cuts one text gets (longer texts are drawn uncompressed past it). */
#define KIT_MAXCUT 16

/*
 * Where text @p s gives up half an em (the report's rule, GB/T 15834): a
 * widened closing quotation mark before another full-width mark ("”，",
 * "”）") and a widened opening one after such a mark ("：“", "（“"), one
 * blank kept between two quotation marks ("”“").  Fills @p cut with the
 * byte offsets where the following text moves left by half an em; returns
 * how many.
 */
static int squeeze_cuts(srdi_canvas *c, srdi_font f, const char *s, size_t cut[KIT_MAXCUT])
{
    int n = 0;
    int32_t prev = -1;
    bool prev_trailed = false;
    for (const char *p = s; *p && n < KIT_MAXCUT;) {
        const char *q = p;
        int32_t cp = srdi_utf8_next(&q);
        if (cp < 0 || q <= p) break;
        bool padded = padded_quote(c, f, cp, p, (size_t)(q - p));
        bool trailed = false;
        /* an opening mark after a mark: its blank (before it) goes */
        if (padded && (cp == 0x201C || cp == 0x2018) && prev >= 0 && cjk_punct(prev) && !prev_trailed)
            cut[n++] = (size_t)(p - s);
        /* a closing mark before a mark: its blank (after it) goes */
        if (padded && (cp == 0x201D || cp == 0x2019) && *q && n < KIT_MAXCUT) {
            const char *r = q;
            int32_t nx = srdi_utf8_next(&r);
            if (nx >= 0 && cjk_punct(nx)) {
                cut[n++] = (size_t)(q - s);
                trailed = true;
            }
        }
        prev = cp;
        prev_trailed = trailed;
        p = q;
    }
    return n;
}

double kit_tw(srdi_canvas *c, srdi_font f, const char *s)
{
    if (!s) return 0;
    size_t cut[KIT_MAXCUT];
    return srdi_text_width(c->fonts, f, s, strlen(s)) - squeeze_cuts(c, f, s, cut) * f.size / 2;
}

void kit_text(srdi_canvas *c, srdi_font f, double x, double y, int align, const char *s, srdi_rgba col)
{
    if (!s || !*s) return;
    size_t cut[KIT_MAXCUT];
    int n = squeeze_cuts(c, f, s, cut);
    if (n == 0) {
        srdi_canvas_text_aligned(c, f, x, y, align, s, col);
        return;
    }
    /* the runs between the cuts, each half an em left of where it would be */
    size_t len = strlen(s);
    double w = srdi_text_width(c->fonts, f, s, len) - n * f.size / 2;
    double at = align == 1 ? x - w / 2 : align == 2 ? x - w : x;
    char *buf = malloc(len + 1);
    if (!buf) {
        srdi_canvas_text_aligned(c, f, x, y, align, s, col); /* out of memory: uncompressed */
        return;
    }
    size_t from = 0;
    for (int k = 0; k <= n; k++) {
        size_t to = k < n ? cut[k] : len;
        memcpy(buf, s + from, to - from);
        buf[to - from] = '\0';
        if (to > from) at += srdi_canvas_text(c, f, at, y, buf, col);
        if (k < n) at -= f.size / 2;
        from = to;
    }
    free(buf);
}

/* Baseline so that the em box (ascent ≈ 0.86 em for our faces) is centred on y. */
void kit_text_mid(srdi_canvas *c, srdi_font f, double x, double y, int align, const char *s, srdi_rgba col)
{
    kit_text(c, f, x, y + f.size * 0.36, align, s, col);
}

void kit_rect_fill(srdi_canvas *c, double x, double y, double w, double h, srdi_rgba col)
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    if (h < 0) {
        y += h;
        h = -h;
    }
    srdi_canvas_rect(c, x, y, w, h);
    srdi_canvas_fill(c, col);
}

void kit_rect_stroke(srdi_canvas *c, double x, double y, double w, double h, srdi_rgba col, double lw)
{
    srdi_canvas_rect(c, x, y, w, h);
    srdi_canvas_stroke(c, col, lw, NULL, 0);
}

void kit_line(srdi_canvas *c, double x0, double y0, double x1, double y1, srdi_rgba col, double lw, bool dashed)
{
    static const double dash[2] = {3, 2};
    srdi_canvas_move_to(c, x0, y0);
    srdi_canvas_line_to(c, x1, y1);
    srdi_canvas_stroke(c, col, lw, dashed ? dash : NULL, dashed ? 2 : 0);
}

void kit_circle(srdi_canvas *c, double cx, double cy, double r, srdi_rgba fill)
{
    srdi_canvas_arc(c, cx, cy, r, 0, 2 * M_PI);
    srdi_canvas_close_path(c);
    srdi_canvas_fill(c, fill);
}

/* sRGB component to linear light. */
static double lin(double u)
{
    return u <= 0.04045 ? u / 12.92 : pow((u + 0.055) / 1.055, 2.4);
}

double kit_luminance(srdi_rgba c)
{
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

srdi_rgba kit_text_on(srdi_rgba bg)
{
    /* WCAG contrast of dark text (L 0.033) vs white (L 1): the larger wins */
    double l = kit_luminance(bg), dark = (l + 0.05) / (kit_luminance(kit_text_c) + 0.05);
    return dark >= 1.05 / (l + 0.05) ? kit_text_c : kit_white;
}

srdi_rgba kit_ink(srdi_rgba col)
{
    /* darken towards black until the contrast on white is ≥ 4.5:1 (L ≤ 0.183) */
    srdi_rgba k = {0, 0, 0, 1}, o = kit_alpha(col, 1);
    for (int i = 0; i < 20 && kit_luminance(o) > 0.183; i++) o = kit_mix(col, k, 0.05 * (i + 1));
    return o;
}

srdi_rgba kit_alpha(srdi_rgba c, double a)
{
    c.a = a;
    return c;
}

srdi_rgba kit_mix(srdi_rgba a, srdi_rgba b, double t)
{
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    return (srdi_rgba){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t, 1};
}

int srdi_chart_palette_size(void)
{
    return KIT_NPAL;
}

srdi_rgba srdi_chart_palette(int i)
{
    return kit_pal[((i % KIT_NPAL) + KIT_NPAL) % KIT_NPAL];
}

/* ---------------------------------------------------------------- numbers */

/* Smallest 1-2-5 step ≥ raw. */
static double nice_step(double raw)
{
    if (!(raw > 0)) return 1;
    double e = pow(10, floor(log10(raw)));
    double m = raw / e;
    double s = m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10;
    return s * e;
}

/* Decimals needed to print multiples of step exactly. */
static int step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6 * pow(10, d)) d++;
    return d;
}

void kit_axis_nice(kit_axis *a, double lo, double hi, int target, bool pct)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (lo > 0) lo = 0;
    if (hi < 0) hi = 0;
    if (hi - lo < 1e-12) hi = lo + (pct ? 0.1 : 1);
    if (target < 2) target = 2;
    double step = nice_step((hi - lo) / target);
    a->step = step;
    a->min = floor(lo / step + 1e-9) * step;
    a->max = ceil(hi / step - 1e-9) * step;
    if (a->max <= a->min) a->max = a->min + step;
    a->pct = pct;
    a->dec = step_decimals(pct ? step * 100 : step);
}

void kit_axis_intervals(kit_axis *a, double hi, int n, bool pct)
{
    if (n < 1) n = 1;
    if (!(hi > 0) || !isfinite(hi)) hi = pct ? 0.1 : 1;
    a->step = nice_step(hi / n * (1 - 1e-9));
    a->min = 0;
    a->max = a->step * n;
    a->pct = pct;
    a->dec = step_decimals(pct ? a->step * 100 : a->step);
}

void kit_axis_cap(kit_axis *a, double cap)
{
    if (!(a->max > cap) || !(cap > a->min)) return;
    a->max = cap;
    /* at least four intervals between min and the cap */
    if ((a->max - a->min) / a->step < 4 - 1e-9) a->step = nice_step((a->max - a->min) / 5 * (1 - 1e-9));
    a->dec = step_decimals(a->pct ? a->step * 100 : a->step);
}

/* Chart numbers follow the document number rules (srdi_number_format). */
void kit_fmt_int(double v, char *buf, size_t n)
{
    srdi_number_format(v, SRDI_COL_COUNT, 0, buf, n);
}

void kit_axis_label(const kit_axis *a, double v, char *buf, size_t n)
{
    if (fabs(v) < a->step * 1e-9) v = 0;
    /* ticks carry the digits of their step, not a quantity's rule */
    size_t len = srdi_number_format(a->pct ? v * 100 : v, SRDI_COL_NUMBER, a->dec, buf, n);
    if (a->pct) srdi_strlcpy(buf + len, "%", n - len);
}

void kit_fmt(double v, srdi_coltype type, int decimals, char *buf, size_t n)
{
    srdi_number_format(v, type, decimals, buf, n);
}

bool kit_label_is_zero(const char *label)
{
    bool digit = false;
    for (const char *q = label; *q; q++) {
        if (*q >= '1' && *q <= '9') return false;
        digit |= *q == '0';
    }
    return digit;
}

/* ------------------------------------------------------------------ text */

/* Byte length of the UTF-8 sequence starting with b. */
static size_t u8len(unsigned char b)
{
    return b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
}

/* Does s[at…] start with one of @p set? Returns its length or 0. */
static size_t starts_with_any(const char *s, size_t at, size_t len, const char *const *set, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t cl = strlen(set[k]);
        if (at + cl <= len && memcmp(s + at, set[k], cl) == 0) return cl;
    }
    return 0;
}

/* Is the character at byte @p at of @p s (length @p len) a Han ideograph (U+4E00–U+9FFF)? */
static bool han_at(const char *s, size_t at, size_t len)
{
    if (at + 3 > len) return false;
    const unsigned char *u = (const unsigned char *)s + at;
    if ((u[0] & 0xF0) != 0xE0) return false;
    unsigned cp = ((unsigned)(u[0] & 0x0F) << 12) | ((unsigned)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

/* May a line break at byte @p at (between s[at-1] and s[at])?  Words mode:
   at spaces, after punctuation, before an opening bracket — a CJK name, a
   number with its unit and a code with its name stay whole. */
static bool wrap_break_at(const char *s, size_t at, size_t len)
{
    static const char *const after[] = {"、", "，", "。", "；", "：", "）", "”", "》", "！", "？", "/", " "};
    static const char *const before[] = {"（", "“", "《", " ", "("};
    if (at == 0 || at >= len) return false;
    if (starts_with_any(s, at, len, before, sizeof before / sizeof before[0])) return true;
    /* a slash between two Han characters joins the parts of one term ("国际先进/领先") */
    if (s[at - 1] == '/' && at >= 4 && han_at(s, at - 4, len) && han_at(s, at, len)) return false;
    for (size_t k = 0; k < sizeof after / sizeof after[0]; k++) {
        size_t cl = strlen(after[k]);
        if (at >= cl && memcmp(s + at - cl, after[k], cl) == 0) return true;
    }
    return false;
}

/*
 * Wrap @p s into at most @p maxlines lines of width @p maxw (the last one
 * ends in "…" when text is left over).  Lines break at word boundaries
 * (wrap_break_at); a word wider than a line is split between characters,
 * never leaving a single character alone on the next line.  No line
 * starts with a space or with CJK closing punctuation.
 */
static int wrap_impl(srdi_canvas *c, srdi_font f, const char *s, double maxw, char lines[][KIT_MAXLINE], int maxlines,
                     bool *split)
{
    static const char *const closers[] = {"，", "。", "、", "；", "：", "）", "”", "》", "！", "？"};
    int nl = 0;
    size_t len = s ? strlen(s) : 0, pos = 0;
    while (pos < len && nl < maxlines) {
        while (pos < len && s[pos] == ' ') pos++;
        if (pos >= len) break;
        size_t end = pos, fit = pos, brk = 0;
        while (end < len) {
            size_t nx = end + u8len((unsigned char)s[end]);
            if (nx > len) nx = len;
            if (nx - pos >= KIT_MAXLINE - 4) break;
            if (srdi_text_width(c->fonts, f, s + pos, nx - pos) > maxw && fit > pos) break;
            end = nx;
            fit = end;
            if (wrap_break_at(s, end, len)) brk = end;
        }
        size_t cut = fit;
        if (cut < len) {
            if (brk > pos) {
                cut = brk; /* the last word boundary that fits */
            } else {
                /* a word longer than the line: split it, two characters at least go over */
                *split = true;
                size_t wend = cut;
                while (wend < len && !wrap_break_at(s, wend, len)) wend += u8len((unsigned char)s[wend]);
                size_t nxt = cut + u8len((unsigned char)s[cut]);
                if (nxt >= wend && cut > pos) {
                    size_t b = cut;
                    do {
                        b--;
                    } while (b > pos && ((unsigned char)s[b] & 0xC0) == 0x80);
                    if (b > pos) cut = b;
                }
            }
            /* closing punctuation stays on this line */
            size_t cl = starts_with_any(s, cut, len, closers, sizeof closers / sizeof closers[0]);
            if (cl && cut + cl - pos < KIT_MAXLINE - 4) cut += cl;
        }
        size_t n = cut - pos;
        bool last = (nl == maxlines - 1) && cut < len;
        if (last) {
            *split = true;
            /* shorten until the ellipsis fits */
            n = fit - pos;
            while (n > 0) {
                char tmp[KIT_MAXLINE];
                memcpy(tmp, s + pos, n);
                memcpy(tmp + n, "…", 4);
                if (srdi_text_width(c->fonts, f, tmp, n + 3) <= maxw) break;
                do {
                    n--;
                } while (n > 0 && ((unsigned char)s[pos + n] & 0xC0) == 0x80);
            }
            memcpy(lines[nl], s + pos, n);
            memcpy(lines[nl] + n, "…", 4);
        } else {
            memcpy(lines[nl], s + pos, n);
            lines[nl][n] = '\0';
        }
        nl++;
        pos = cut;
    }
    return nl;
}

int kit_wrap(srdi_canvas *c, srdi_font f, const char *s, double maxw, char lines[][KIT_MAXLINE], int maxlines)
{
    bool split = false;
    return wrap_impl(c, f, s, maxw, lines, maxlines, &split);
}

int kit_wrap_whole(srdi_canvas *c, srdi_font f, const char *s, double maxw, char lines[][KIT_MAXLINE], int maxlines)
{
    bool split = false;
    int nl = wrap_impl(c, f, s, maxw, lines, maxlines, &split);
    return split ? -1 : nl;
}

int kit_abbrev(srdi_canvas *c, srdi_font f, const char *s, double maxw, char *out, size_t n)
{
    size_t len = s ? strlen(s) : 0;
    if (srdi_text_width(c->fonts, f, s ? s : "", len) <= maxw) {
        snprintf(out, n, "%s", s ? s : "");
        return 0;
    }
    /* keep whole characters while the text and "…" fit, two at least */
    size_t keep = 0, chars = 0, at = 0;
    while (at < len) {
        size_t nx = at + u8len((unsigned char)s[at]);
        if (nx > len || nx + 4 > n) break;
        char tmp[KIT_MAXLINE + 8];
        if (nx + 3 >= sizeof tmp) break;
        memcpy(tmp, s, nx);
        memcpy(tmp + nx, "…", 3);
        if (chars >= 2 && srdi_text_width(c->fonts, f, tmp, nx + 3) > maxw) break;
        at = nx;
        chars++;
        keep = at;
    }
    while (keep > 0 && s[keep - 1] == ' ') keep--;
    snprintf(out, n, "%.*s…", (int)keep, s);
    return 1;
}

/* ------------------------------------------------------------ composites */

#define LEG_SW  10.0 /* swatch width */
#define LEG_GAP 4.0  /* swatch–text gap */
#define LEG_SEP 14.0 /* between entries */

double kit_legend_width(srdi_canvas *c, const char *const *names, int n)
{
    srdi_font f = kit_font(KIT_FS_LABEL, false);
    double w = 0;
    for (int i = 0; i < n; i++) w += LEG_SW + LEG_GAP + kit_tw(c, f, names[i]) + (i ? LEG_SEP : 0);
    return w;
}

double kit_legend(srdi_canvas *c, double cx, double y, const char *const *names, const srdi_rgba *cols,
                  const int *kinds, int n)
{
    srdi_font f = kit_font(KIT_FS_LABEL, false);
    double x = cx - kit_legend_width(c, names, n) / 2;
    double mid = y + 6;
    for (int i = 0; i < n; i++) {
        int k = kinds ? kinds[i] : KIT_LEG_BOX;
        if (k == KIT_LEG_BOX)
            kit_rect_fill(c, x, mid - 4, LEG_SW, 8, cols[i]);
        else {
            kit_line(c, x, mid, x + LEG_SW, mid, cols[i], 1.6, k == KIT_LEG_DASH);
            if (k == KIT_LEG_LINE) kit_circle(c, x + LEG_SW / 2, mid, 2.2, cols[i]);
        }
        x += LEG_SW + LEG_GAP;
        kit_text_mid(c, f, x, mid, 0, names[i], kit_text_c);
        x += kit_tw(c, f, names[i]) + LEG_SEP;
    }
    return 12;
}

void kit_nodata(srdi_canvas *c, double x, double y, double w, double h)
{
    static const double dash[2] = {4, 3};
    srdi_canvas_rect(c, x + 0.5, y + 0.5, w - 1, h - 1);
    srdi_canvas_stroke(c, kit_axis_c, 0.8, dash, 2);
    kit_text_mid(c, kit_font(12, false), x + w / 2, y + h / 2, 1, "暂无数据", kit_muted_c);
}

double kit_ymap(const kit_axis *a, double v, double y0, double y1)
{
    return y0 + (v - a->min) / (a->max - a->min) * (y1 - y0);
}

double kit_axis_label_width(srdi_canvas *c, const kit_axis *a)
{
    srdi_font f = kit_font(KIT_FS_TICK, false);
    double w = 0;
    char buf[64];
    for (double v = a->min; v <= a->max + a->step * 1e-6; v += a->step) {
        kit_axis_label(a, v, buf, sizeof buf);
        double tw = kit_tw(c, f, buf);
        if (tw > w) w = tw;
    }
    return w;
}

void kit_value_axis(srdi_canvas *c, const kit_axis *a, double px, double pw, double y0, double y1, int side, bool grid)
{
    srdi_font f = kit_font(KIT_FS_TICK, false);
    char buf[64];
    int n = (int)llround((a->max - a->min) / a->step);
    for (int i = 0; i <= n; i++) {
        double v = a->min + i * a->step;
        double y = kit_ymap(a, v, y0, y1);
        if (grid && fabs(v) > a->step * 1e-6) kit_line(c, px, y, px + pw, y, kit_grid_c, 0.5, false);
        kit_axis_label(a, v, buf, sizeof buf);
        if (side == 0)
            kit_text_mid(c, f, px - 4, y, 2, buf, kit_muted_c);
        else
            kit_text_mid(c, f, px + pw + 4, y, 0, buf, kit_muted_c);
    }
}

/* --------------------------------------------------------- box overlap */

bool kit_box_overlap(kit_box a, kit_box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

double kit_box_overlap_area(kit_box a, kit_box b)
{
    double w = fmin(a.x + a.w, b.x + b.w) - fmax(a.x, b.x);
    double h = fmin(a.y + a.h, b.y + b.h) - fmax(a.y, b.y);
    return w > 0 && h > 0 ? w * h : 0;
}

/* Liang–Barsky: does the segment meet the box? */
bool kit_seg_box(double x0, double y0, double x1, double y1, kit_box b)
{
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - b.x, b.x + b.w - x0, y0 - b.y, b.y + b.h - y0};
    for (int i = 0; i < 4; i++) {
        if (fabs(p[i]) < 1e-12) {
            if (q[i] < 0) return false;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > t1) return false;
            if (r > t0) t0 = r;
        } else {
            if (r < t0) return false;
            if (r < t1) t1 = r;
        }
    }
    return true;
}

/* ------------------------------------------------------------ table data */

bool kit_num(const srdi_table *t, int row, const char *col, double *v)
{
    int ci = srdi_table_col(t, col);
    if (row < 0 || (size_t)row >= t->nrows || ci < 0) return false;
    const srdi_cell *cell = &t->rows[row].cells[ci];
    if (cell->kind != SRDI_CELL_NUM || !isfinite(cell->num)) return false;
    *v = cell->num;
    return true;
}

const srdi_tcol *kit_col(const srdi_table *t, const char *col)
{
    int ci = srdi_table_col(t, col);
    return ci < 0 ? NULL : &t->cols[ci];
}
