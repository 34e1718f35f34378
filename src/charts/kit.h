/*
 * src/charts/kit.h — private drawing kit shared by the charts: palette,
 * fonts, "nice" axis ticks, number formatting, wrapping, legends, value
 * axes, the no-data box and simple box-overlap helpers.
 *
 * Everything draws through srdi_canvas, so charts look the same in the
 * report PDF (libharu) and in figure files (cairo).
 */
#ifndef SRDI_CHARTS_KIT_H
#define SRDI_CHARTS_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include "srdi/canvas.h"
#include "srdi/params.h"
#include "srdi/table.h"

/* The series palette (Okabe–Ito based, neighbours distinct; public as srdi_chart_palette). */
#define KIT_NPAL 8
extern const srdi_rgba kit_pal[KIT_NPAL];
extern const srdi_rgba kit_text_c;  /* dark grey text */
extern const srdi_rgba kit_muted_c; /* secondary text (ticks, source) */
extern const srdi_rgba kit_grid_c;  /* light grid lines */
extern const srdi_rgba kit_axis_c;  /* axis / baseline */
extern const srdi_rgba kit_white;

/* Font sizes used by every chart (points). */
#define KIT_FS_TITLE 12.0
#define KIT_FS_LABEL 8.5
#define KIT_FS_TICK  7.5
#define KIT_FS_VALUE 7.5
#define KIT_FS_SRC   7.5

/**
 * @brief @brief The sans font of @p size points (bold or not): every chart uses it.
 * @param size points
 * @param bold bold or regular
 */
srdi_font kit_font(double size, bool bold);
/**
 * @brief @brief Width of @p s in font @p f, in points (0 for NULL), measured with the canvas's fonts.
 * @param c the canvas (its fonts)
 * @param f the font
 * @param s the text (NULL: 0)
 */
double kit_tw(srdi_canvas *c, srdi_font f, const char *s);
/**
 * @brief Text with baseline at y; align 0 left, 1 centre, 2 right.
 * @param c     the canvas
 * @param f     the font
 * @param x     the anchor
 * @param y     the baseline
 * @param align 0 left, 1 centre, 2 right of x
 * @param s     the text (NULL or "": nothing)
 * @param col   the colour
 */
void kit_text(srdi_canvas *c, srdi_font f, double x, double y, int align, const char *s, srdi_rgba col);
/**
 * @brief Text vertically centred on y (baseline computed from the font extents).
 * @param c     the canvas
 * @param f     the font
 * @param x     the anchor
 * @param y     the vertical centre
 * @param align 0 left, 1 centre, 2 right of x
 * @param s     the text
 * @param col   the colour
 */
void kit_text_mid(srdi_canvas *c, srdi_font f, double x, double y, int align, const char *s, srdi_rgba col);

/**
 * @brief @brief Fill the rectangle (x, y, w, h) with @p col; a negative width or height is flipped.
 * @param c   the canvas
 * @param x   left
 * @param y   top
 * @param w   width
 * @param h   height
 * @param col the fill colour
 */
void kit_rect_fill(srdi_canvas *c, double x, double y, double w, double h, srdi_rgba col);
/**
 * @brief @brief Stroke the rectangle (x, y, w, h) in @p col with line width @p lw.
 * @param c   the canvas
 * @param x   left
 * @param y   top
 * @param w   width
 * @param h   height
 * @param col the line colour
 * @param lw  the line width
 */
void kit_rect_stroke(srdi_canvas *c, double x, double y, double w, double h, srdi_rgba col, double lw);
/**
 * @brief @brief A line (x0, y0)–(x1, y1) in @p col, width @p lw, dashed (3-2) or solid.
 * @param c      the canvas
 * @param x0     start x
 * @param y0     start y
 * @param x1     end x
 * @param y1     end y
 * @param col    the colour
 * @param lw     the width
 * @param dashed dashed (3-2) or solid
 */
void kit_line(srdi_canvas *c, double x0, double y0, double x1, double y1, srdi_rgba col, double lw, bool dashed);
/**
 * @brief @brief A filled circle centred (cx, cy), radius @p r.
 * @param c    the canvas
 * @param cx   centre x
 * @param cy   centre y
 * @param r    radius
 * @param fill the colour
 */
void kit_circle(srdi_canvas *c, double cx, double cy, double r, srdi_rgba fill);
/** @brief Colour @p c with its alpha set to @p a. */
srdi_rgba kit_alpha(srdi_rgba c, double a);
/**
 * @brief Relative luminance (WCAG) of an opaque colour.
 * @param c the colour
 */
double kit_luminance(srdi_rgba c);
/* The text colour (kit_text_c or white) with the higher contrast on @p bg. */
srdi_rgba kit_text_on(srdi_rgba bg);
/* @p col darkened until text in it reads on white (contrast ≥ 4.5:1). */
srdi_rgba kit_ink(srdi_rgba col);
/**
 * @brief Linear blend a→b at t in [0,1].
 * @param a the colour at t = 0
 * @param b the colour at t = 1
 * @param t the blend
 */
srdi_rgba kit_mix(srdi_rgba a, srdi_rgba b, double t);

/* ---------------------------------------------------------------- numbers */

/* A value axis: ticks min, min+step, … max. */
typedef struct kit_axis {
    double min, max, step;
    bool pct; /* values are fractions shown as percent */
    int dec;  /* decimals for tick labels */
} kit_axis;

/**
 * @brief Nice 1-2-5 axis covering [lo, hi] with about @p target intervals (0 is included).
 * @param a      receives the axis
 * @param lo     the smallest value
 * @param hi     the largest value
 * @param target about how many intervals
 * @param pct    values are fractions shown as percent
 */
void kit_axis_nice(kit_axis *a, double lo, double hi, int target, bool pct);
/**
 * @brief A 0-based axis of exactly @p n intervals whose step is the smallest
 * 1-2-5 step with n × step ≥ @p hi (a second axis sharing the first one's grid).
 * @param a   receives the axis
 * @param hi  the largest value (> 0; else a default range)
 * @param n   the number of intervals (≥ 1)
 * @param pct values are fractions shown as percent
 */
void kit_axis_intervals(kit_axis *a, double hi, int n, bool pct);
/**
 * @brief End axis @p a at @p cap when it runs past it (a share axis of
 * shares of a whole ends at 100%): the step is refined to a 1-2-5 step of
 * about five intervals when fewer than four are left.  @p cap must be a
 * multiple of the step from a->min (1 on a 0-based share axis is).
 * @param a   the axis (changed in place)
 * @param cap the largest value the axis may show
 */
void kit_axis_cap(kit_axis *a, double cap);
/**
 * @brief Tick label of value @p v on axis @p a into @p buf (@p n bytes): the
 * axis's decimals, percent when a->pct, thousands separators.
 */
void kit_axis_label(const kit_axis *a, double v, char *buf, size_t n);
/**
 * @brief Value label by column type: share 12.3%, count 1,234, others with decimals.
 * @param v        the value
 * @param type     the column type
 * @param decimals the column's digits (-1: the rule)
 * @param buf      the output
 * @param n        its size
 */
void kit_fmt(double v, srdi_coltype type, int decimals, char *buf, size_t n);
/**
 * @brief Thousands separators for an integer value.
 * @param v   the value (rounded)
 * @param buf the output
 * @param n   its size
 */
void kit_fmt_int(double v, char *buf, size_t n);
/**
 * @brief Whether a value label reads as zero ("0", "0.00%", "0.0倍"): it has
 * digits and every one is 0.  A zero bar has no length to carry its label
 * to; the charts print one "0" per category rather than one per series.
 * @param label a label from kit_fmt / kit_fmt_int
 * @return true for a zero label
 */
bool kit_label_is_zero(const char *label);

/* ------------------------------------------------------------------ text */

#define KIT_MAXLINE 160
/**
 * @brief Wrap @p s into at most @p maxlines lines of width ≤ maxw (the last line
 * ends with "…" when text is left over).  Returns the number of lines.
 * @param c        the canvas
 * @param f        the font
 * @param s        the text
 * @param maxw     the width
 * @param lines    receives the lines
 * @param maxlines the most lines
 */
int kit_wrap(srdi_canvas *c, srdi_font f, const char *s, double maxw, char lines[][KIT_MAXLINE], int maxlines);

/**
 * @brief kit_wrap that breaks at word boundaries only: -1 when a word is wider
 * than @p maxw or the text needs more than @p maxlines lines.
 * @param c        the canvas
 * @param f        the font
 * @param s        the text
 * @param maxw     the width
 * @param lines    receives the lines
 * @param maxlines the most lines
 */
int kit_wrap_whole(srdi_canvas *c, srdi_font f, const char *s, double maxw, char lines[][KIT_MAXLINE], int maxlines);
/**
 * @brief @p s shortened to whole characters and "…" so that it fits @p maxw (two
 * characters at least); returns 1 when shortened, 0 when it fits as it is.
 * @param c    the canvas
 * @param f    the font
 * @param s    the text
 * @param maxw the width
 * @param out  receives the text as shown
 * @param n    the size of @p out
 */
int kit_abbrev(srdi_canvas *c, srdi_font f, const char *s, double maxw, char *out, size_t n);

/* ------------------------------------------------------------ composites */

/* Legend entry kinds. */
enum { KIT_LEG_BOX = 0, KIT_LEG_LINE = 1, KIT_LEG_DASH = 2 };
/**
 * @brief Width of a one-row legend.
 * @param c     the canvas
 * @param names the entries
 * @param n     their count
 */
double kit_legend_width(srdi_canvas *c, const char *const *names, int n);
/**
 * @brief One-row legend centred on cx with its text baseline region starting at y; returns its height.
 * @param c     the canvas
 * @param cx    the centre
 * @param y     the top
 * @param names the entries
 * @param cols  their colours
 * @param kinds their KIT_LEG_* kinds (NULL: boxes)
 * @param n     their count
 */
double kit_legend(srdi_canvas *c, double cx, double y, const char *const *names, const srdi_rgba *cols,
                  const int *kinds, int n);
/**
 * @brief Framed box with "暂无数据" centred.
 * @param c the canvas
 * @param x left
 * @param y top
 * @param w width
 * @param h height
 */
void kit_nodata(srdi_canvas *c, double x, double y, double w, double h);
/**
 * @brief Draw a vertical value axis: grid lines across [px, px+pw], tick labels on
 * the left (side 0) or right (side 1) of the plot.  y0 = bottom, y1 = top.
 * @param c    the canvas
 * @param a    the axis
 * @param px   the plot's left
 * @param pw   the plot's width
 * @param y0   the bottom
 * @param y1   the top
 * @param side 0 labels left, 1 right
 * @param grid draw the grid lines
 */
void kit_value_axis(srdi_canvas *c, const kit_axis *a, double px, double pw, double y0, double y1, int side, bool grid);
/**
 * @brief Width needed for tick labels of an axis.
 * @param c the canvas
 * @param a the axis
 */
double kit_axis_label_width(srdi_canvas *c, const kit_axis *a);
/**
 * @brief Map v on axis a to y between y0 (bottom) and y1 (top).
 * @param a  the axis
 * @param v  the value
 * @param y0 the bottom
 * @param y1 the top
 */
double kit_ymap(const kit_axis *a, double v, double y0, double y1);

/* --------------------------------------------------------- box overlap */

typedef struct kit_box {
    double x, y, w, h;
} kit_box;
/** @brief True when boxes @p a and @p b overlap (touching edges do not). */
bool kit_box_overlap(kit_box a, kit_box b);
/** @brief The area common to boxes @p a and @p b (0 when apart). */
double kit_box_overlap_area(kit_box a, kit_box b);
/**
 * @brief Does the segment (x0,y0)–(x1,y1) touch box @p b?
 * @param x0 start x
 * @param y0 start y
 * @param x1 end x
 * @param y1 end y
 * @param b  the box
 */
bool kit_seg_box(double x0, double y0, double x1, double y1, kit_box b);

/* ------------------------------------------------------------ table data */

/* One element of the matrix and where its gap comes from. */
typedef struct prio_elem {
    const char *key;                 /* row key and params suffix: importance_<key> */
    const char *label;               /* row label (short, for the chart) */
    const char *table;               /* source table */
    const char *nat_row, *nat_col;   /* national value, or the gap itself when prov_row is NULL */
    const char *prov_row, *prov_col; /* provincial value */
    double importance;               /* default policy importance */
} prio_elem;

/* The elements of the M31 priority matrix (catalogue.c: the chart catalogue holds every
 * table id the charts read), in the order the chart and the table list them. */
extern const prio_elem CHART_PRIORITY_ELEMS[];
/* How many CHART_PRIORITY_ELEMS there are. */
extern const size_t CHART_PRIORITY_NELEMS;

/**
 * @brief [priority] parameter @p key of the priority matrix (priority.c), @p def when unset.
 * @param p   the parameters (may be NULL)
 * @param key the key
 * @param def the default
 */
double kit_priority_param(const srdi_params *p, const char *key, double def);

/**
 * @brief Number at (row index, column key); false when missing, null or not numeric.
 * @param t   the table
 * @param row the row index
 * @param col the column key
 * @param v   receives the number
 */
bool kit_num(const srdi_table *t, int row, const char *col, double *v);
/**
 * @brief Column descriptor by key or NULL.
 * @param t   the table
 * @param col the column key
 */
const srdi_tcol *kit_col(const srdi_table *t, const char *col);

#endif
