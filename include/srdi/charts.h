/*
 * srdi/charts.h — every chart of the report (docs/tables.md "Charts"), drawn only
 * through the canvas, so the report PDF (libharu) and the figure files
 * (cairo) look the same.
 *
 * Each chart is keyed by the table it draws ("T13"), or "S48" for the
 * four-stage staircase of 图表48 (drawn from params.ini, no table).
 */
#ifndef SRDI_CHARTS_H
#define SRDI_CHARTS_H

#include <stdbool.h>
#include "srdi/canvas.h"
#include "srdi/params.h"
#include "srdi/table.h"

typedef struct srdi_chart_def {
    const char *key;        /* "T13" or "S48" */
    const char *kind;       /* "bar", "grouped-bar", "radar", … (for file names / docs) */
    const char *title;      /* default caption: 各省份专精特新企业数量占比（前10） */
    double      aspect;     /* preferred height / width */
} srdi_chart_def;

/** @brief All charts in report order; *n receives the count. */
const srdi_chart_def *srdi_charts_list(size_t *n);
/** @brief Chart definition for a key, or NULL when the table has no chart. */
const srdi_chart_def *srdi_chart_find(const char *key);

/**
 * @brief Draw the chart @p key into the box (x, y, w, h) on the current page.
 * @p t is the table it draws (NULL for "S48"); @p standalone adds a title
 * and a 资料来源 line inside the box (figure files), the report draws those
 * itself.  A table with no_data draws a framed "暂无数据" box.
 */
srdi_status srdi_chart_draw(srdi_canvas *c, const char *key, const srdi_table *t,
                            const srdi_params *p, double x, double y, double w, double h,
                            bool standalone);

/* ---- added by charts helper ------------------------------------------- */
#include "srdi/fonts.h"

/** @brief The seed report's 图表 number of chart @p key (13 for "T01"), 0 if unknown. */
int srdi_chart_figure_number(const char *key);
/**
 * @brief Use @p number (the report's 图表 number) for chart @p key in figure
 * file names from now on; 0 restores the 2026 edition's number.  The
 * pipeline sets these from the report template (srdi_report_figure_numbers)
 * so figure files and the PDF agree.  Not thread-safe: set before drawing.
 */
void srdi_chart_set_figure_number(const char *key, int number);

/**
 * @brief Write every chart as a standalone figure (title + 资料来源) to
 * out_dir/figures/figNN_<key>.png and/or .svg (NN = the seed 图表 number,
 * e.g. fig15_T13.png), 16 cm × 10 cm (radars 16 × 12), PNG at @p dpi
 * (≤ 0 → 200).  Charts whose table is not in @p ts are skipped ("S48" is
 * always written).  Files are written atomically; *n_written counts files.
 */
srdi_status srdi_figures_write(const srdi_tableset *ts, const srdi_params *p, const srdi_fonts *f,
                               const char *out_dir, int want_png, int want_svg, double dpi, int *n_written);

/* ---- added by incr helper (append-only) -------------------------------- */

/**
 * @brief srdi_figures_write limited to the charts whose key is in
 * keys[0..nkeys) ("T13", "S48"); a NULL @p keys means every chart, an empty
 * list none.  Same files, sizes and bytes as srdi_figures_write, which is
 * this function with keys = NULL.  Used by incremental builds to re-render
 * only the figures whose table or params changed.
 */
srdi_status srdi_figures_write_only(const srdi_tableset *ts, const srdi_params *p, const srdi_fonts *f,
                                    const char *out_dir, int want_png, int want_svg, double dpi,
                                    const char *const *keys, size_t nkeys, int *n_written);

#endif
