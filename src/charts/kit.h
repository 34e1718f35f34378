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
extern const srdi_rgba kit_text_c;    /* dark grey text */
extern const srdi_rgba kit_muted_c;   /* secondary text (ticks, source) */
extern const srdi_rgba kit_grid_c;    /* light grid lines */
extern const srdi_rgba kit_axis_c;    /* axis / baseline */
extern const srdi_rgba kit_white;

/* Font sizes used by every chart (points). */
#define KIT_FS_TITLE 12.0
#define KIT_FS_LABEL 8.5
#define KIT_FS_TICK  7.5
#define KIT_FS_VALUE 7.5
#define KIT_FS_SRC   7.5

/** @brief The sans font of @p size points (bold or not): every chart uses it. */
srdi_font kit_font(double size, bool bold);
/** @brief Width of @p s in font @p f, in points (0 for NULL), measured with the canvas's fonts. */
double    kit_tw(srdi_canvas *c, srdi_font f, const char *s);
/* Text with baseline at y; align 0 left, 1 centre, 2 right. */
void      kit_text(srdi_canvas *c, srdi_font f, double x, double y, int align, const char *s, srdi_rgba col);
/* Text vertically centred on y (baseline computed from the font extents). */
void      kit_text_mid(srdi_canvas *c, srdi_font f, double x, double y, int align, const char *s, srdi_rgba col);

/** @brief Fill the rectangle (x, y, w, h) with @p col; a negative width or height is flipped. */
void kit_rect_fill(srdi_canvas *c, double x, double y, double w, double h, srdi_rgba col);
/** @brief Stroke the rectangle (x, y, w, h) in @p col with line width @p lw. */
void kit_rect_stroke(srdi_canvas *c, double x, double y, double w, double h, srdi_rgba col, double lw);
/** @brief A line (x0, y0)–(x1, y1) in @p col, width @p lw, dashed (3-2) or solid. */
void kit_line(srdi_canvas *c, double x0, double y0, double x1, double y1, srdi_rgba col, double lw, bool dashed);
/** @brief A filled circle centred (cx, cy), radius @p r. */
void kit_circle(srdi_canvas *c, double cx, double cy, double r, srdi_rgba fill);
/** @brief Colour @p c with its alpha set to @p a. */
srdi_rgba kit_alpha(srdi_rgba c, double a);
/* Relative luminance (WCAG) of an opaque colour. */
double    kit_luminance(srdi_rgba c);
/* The text colour (kit_text_c or white) with the higher contrast on @p bg. */
srdi_rgba kit_text_on(srdi_rgba bg);
/* @p col darkened until text in it reads on white (contrast ≥ 4.5:1). */
srdi_rgba kit_ink(srdi_rgba col);
/* Linear blend a→b at t in [0,1]. */
srdi_rgba kit_mix(srdi_rgba a, srdi_rgba b, double t);

/* ---------------------------------------------------------------- numbers */

/* A value axis: ticks min, min+step, … max. */
typedef struct kit_axis {
    double min, max, step;
    bool   pct;          /* values are fractions shown as percent */
    int    dec;          /* decimals for tick labels */
} kit_axis;

/* Nice 1-2-5 axis covering [lo, hi] with about @p target intervals (0 is included). */
void   kit_axis_nice(kit_axis *a, double lo, double hi, int target, bool pct);
/**
 * @brief Tick label of value @p v on axis @p a into @p buf (@p n bytes): the
 * axis's decimals, percent when a->pct, thousands separators.
 */
void   kit_axis_label(const kit_axis *a, double v, char *buf, size_t n);
/* Value label by column type: share 12.3%, count 1,234, others with decimals. */
void   kit_fmt(double v, srdi_coltype type, int decimals, char *buf, size_t n);
/* Thousands separators for an integer value. */
void   kit_fmt_int(double v, char *buf, size_t n);

/* ------------------------------------------------------------------ text */

#define KIT_MAXLINE 160
/*
 * Wrap @p s into at most @p maxlines lines of width ≤ maxw (the last line
 * ends with "…" when text is left over).  Returns the number of lines.
 */
int kit_wrap(srdi_canvas *c, srdi_font f, const char *s, double maxw,
             char lines[][KIT_MAXLINE], int maxlines);

/*
 * kit_wrap that breaks at word boundaries only: -1 when a word is wider
 * than @p maxw or the text needs more than @p maxlines lines.
 */
int kit_wrap_whole(srdi_canvas *c, srdi_font f, const char *s, double maxw,
                   char lines[][KIT_MAXLINE], int maxlines);
/*
 * @p s shortened to whole characters and "…" so that it fits @p maxw (two
 * characters at least); returns 1 when shortened, 0 when it fits as it is.
 */
int kit_abbrev(srdi_canvas *c, srdi_font f, const char *s, double maxw, char *out, size_t n);

/* ------------------------------------------------------------ composites */

/* Legend entry kinds. */
enum { KIT_LEG_BOX = 0, KIT_LEG_LINE = 1, KIT_LEG_DASH = 2 };
/* Width of a one-row legend. */
double kit_legend_width(srdi_canvas *c, const char *const *names, int n);
/* One-row legend centred on cx with its text baseline region starting at y; returns its height. */
double kit_legend(srdi_canvas *c, double cx, double y, const char *const *names, const srdi_rgba *cols,
                  const int *kinds, int n);
/* Framed box with "暂无数据" centred. */
void   kit_nodata(srdi_canvas *c, double x, double y, double w, double h);
/*
 * Draw a vertical value axis: grid lines across [px, px+pw], tick labels on
 * the left (side 0) or right (side 1) of the plot.  y0 = bottom, y1 = top.
 */
void   kit_value_axis(srdi_canvas *c, const kit_axis *a, double px, double pw, double y0, double y1,
                      int side, bool grid);
/* Width needed for tick labels of an axis. */
double kit_axis_label_width(srdi_canvas *c, const kit_axis *a);
/* Map v on axis a to y between y0 (bottom) and y1 (top). */
double kit_ymap(const kit_axis *a, double v, double y0, double y1);

/* --------------------------------------------------------- box overlap */

typedef struct kit_box { double x, y, w, h; } kit_box;
/** @brief True when boxes @p a and @p b overlap (touching edges do not). */
bool   kit_box_overlap(kit_box a, kit_box b);
/** @brief The area common to boxes @p a and @p b (0 when apart). */
double kit_box_overlap_area(kit_box a, kit_box b);
/* Does the segment (x0,y0)–(x1,y1) touch box @p b? */
bool   kit_seg_box(double x0, double y0, double x1, double y1, kit_box b);

/* ------------------------------------------------------------ table data */

/* [priority] parameter @p key of the priority matrix (priority.c), @p def when unset. */
double kit_priority_param(const srdi_params *p, const char *key, double def);

/* Number at (row index, column key); false when missing, null or not numeric. */
bool kit_num(const srdi_table *t, int row, const char *col, double *v);
/* Column descriptor by key or NULL. */
const srdi_tcol *kit_col(const srdi_table *t, const char *col);

#endif
