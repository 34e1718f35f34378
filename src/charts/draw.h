/*
 * src/charts/draw.h — private to the charts module: what a chart's drawing
 * function sees (chart_ctx), the categories gathered from a table (cats),
 * and the drawing function of each srdi_chart_drawer, defined by kind in
 * charts_bars.c, charts_round.c, charts_matrix.c and charts_stages.c and
 * dispatched by the frame in charts.c.
 *
 * Drawing functions draw inside (x, y, w, h) of their chart_ctx and report
 * canvas failures through the canvas status (srdi_canvas_status); they
 * return nothing.
 */
#ifndef SRDI_CHARTS_DRAW_H
#define SRDI_CHARTS_DRAW_H

#include <stdbool.h>
#include "srdi/charts.h"

#define MAXCAT 40
#define MAXSER 4

/* What a chart function sees: its catalogue entry, the canvas, its table, params, and its box. */
typedef struct chart_ctx {
    srdi_canvas *c;
    const srdi_table *t;
    const srdi_params *p;
    double x, y, w, h;
    const srdi_chart_def *def;
} chart_ctx;

typedef void (*chart_fn)(chart_ctx *cx);

/* One series of a combo or bar chart (the catalogue's series). */
typedef srdi_chart_series cseries;

/* Categories gathered from a table for up to MAXSER series. */
typedef struct cats {
    int n;
    const char *label[MAXCAT];
    double v[MAXSER][MAXCAT];
    bool ok[MAXSER][MAXCAT];
} cats;

/*
 * Gather the rows of @p t (not "total") that have a cell for some of the
 * @p ns series @p s, in table order, at most @p topn (0 = MAXCAT).  @p out is
 * overwritten; its labels point into @p t (valid while @p t lives).
 */
void chart_gather(const srdi_table *t, const cseries *s, int ns, int topn, cats *out);

/*
 * chart_gather over x->t into @p out; with fewer than @p min categories the
 * chart's "no data" box is drawn in x's area instead and false is returned
 * (the caller draws nothing more).
 * @param x    the chart being drawn (its table and area)
 * @param s    the series, @p ns of them
 * @param ns   number of series
 * @param topn at most this many categories (0 = MAXCAT)
 * @param min  the fewest categories the chart can show
 * @param out  receives the categories
 */
bool chart_gather_or_nodata(const chart_ctx *x, const cseries *s, int ns, int topn, int min, cats *out);

/*
 * The drawing functions of the srdi_chart_drawer values.  Each draws the
 * chart of @p cx (catalogue entry, canvas, table, params, box) inside the
 * box; canvas failures stay in the canvas status.
 */
/* T01: national on top of provincial as a pyramid, labels on the right (charts_stages.c), @p cx as above. */
void chart_pyramid(chart_ctx *cx);
/* S48: four ascending steps from params.ini [path] (charts_stages.c), @p cx as above. */
void chart_staircase(chart_ctx *cx);
/* Columns and lines of the catalogue's series, its top-N rows (charts_bars.c), @p cx as above. */
void chart_combo(chart_ctx *cx);
/* Horizontal bars of the catalogue's series, its top-N rows (charts_bars.c), @p cx as above. */
void chart_hbars(chart_ctx *cx);
/* The first series against the catalogue's reference ring (charts_round.c), @p cx as above. */
void chart_radar(chart_ctx *cx);
/* A donut of the first series' column (charts_round.c), @p cx as above. */
void chart_donut(chart_ctx *cx);
/* A heat map of every column (charts_matrix.c), @p cx as above. */
void chart_heatmap(chart_ctx *cx);
/* T12: the 2×2 quadrants with bubbles by share of P (charts_matrix.c), @p cx as above. */
void chart_quadrant(chart_ctx *cx);
/* T27: honors by holding rate and lift, quadrant lines at the params cut-offs (charts_matrix.c), @p cx as above. */
void chart_bubble_matrix(chart_ctx *cx);
/* M31: the priority matrix, zones at importance_cut / gap_cut (charts_matrix.c), @p cx as above. */
void chart_priority(chart_ctx *cx);

#endif
