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

/** How a chart is drawn: one drawing function each (src/charts/draw.h). */
typedef enum srdi_chart_drawer {
    SRDI_DRAW_PYRAMID,       /* national over provincial, counts and shares */
    SRDI_DRAW_COMBO,         /* columns and lines over categories, optional right axis */
    SRDI_DRAW_HBARS,         /* horizontal bars, rank 1 on top */
    SRDI_DRAW_QUADRANT,      /* 2 × 2 quadrants with bubbles */
    SRDI_DRAW_HEATMAP,       /* rows × every column */
    SRDI_DRAW_RADAR,         /* the series against a reference ring of 100 */
    SRDI_DRAW_BUBBLE_MATRIX, /* points by the first two series, quadrant lines */
    SRDI_DRAW_DONUT,         /* slices of the first series */
    SRDI_DRAW_STAIRCASE,     /* four stages from params.ini [path], no table */
    SRDI_DRAW_PRIORITY       /* importance × gap bubbles of a derived table (srdi_chart_derived_table) */
} srdi_chart_drawer;

/** The native Excel chart of a table's sheet (SRDI_XLSX_NONE: none). */
typedef enum srdi_xlsx_chart {
    SRDI_XLSX_NONE,
    SRDI_XLSX_PIE,
    SRDI_XLSX_COLUMN,
    SRDI_XLSX_BAR,
    SRDI_XLSX_RADAR,
    SRDI_XLSX_SCATTER,
    SRDI_XLSX_LINE,
    SRDI_XLSX_DOUGHNUT
} srdi_xlsx_chart;

/** One plotted column of a chart. */
typedef struct srdi_chart_series {
    const char *col;  /* column key; NULL ends the list */
    const char *name; /* legend name (NULL: the column label) */
    int kind;         /* 0 bars/columns, 1 line */
    int axis;         /* 0 main value axis, 1 right axis (a second chart in workbooks) */
} srdi_chart_series;

#define SRDI_CHART_MAXSER 3  /* series of one chart */
#define SRDI_CHART_MAXCAT 40 /* categories one chart can show */
#define SRDI_CHART_MAX    32 /* charts in the catalogue, at most */

/*
 * One entry of the chart catalogue (src/charts/catalogue.c): everything the
 * PDF, the figure files, the workbooks and the incremental build know about
 * a chart.  The same series and the same top-N parameter in every output.
 */
typedef struct srdi_chart_def {
    const char *key;   /* "T13" or "S48": figure file figNN_<key> */
    const char *kind;  /* "bar", "grouped-bar", "radar", … (for file names / docs) */
    const char *title; /* default caption, the bundled template's: 专精特新企业省份分布TOP10 */
    double aspect;     /* preferred height / width */
    const char *table; /* id of the table drawn; NULL for a chart of params only (S48) */
    int fig;           /* the 2026 edition's 图表 number (the bundled template's) */
    srdi_chart_drawer drawer;
    srdi_chart_series series[SRDI_CHART_MAXSER]; /* none: every column (heat map) */
    const char *ref_name;                        /* radar: legend of the reference ring (=100) */
    const char *topn_sec;                        /* params.ini section and key of the top-N rows shown, */
    const char *topn_key;                        /*   NULL: every leading row */
    int topn_def;                                /* default of the top-N parameter */
    srdi_xlsx_chart xlsx;                        /* native chart of the workbook sheet */
} srdi_chart_def;

/**
 * @brief All charts in report order.
 * @param n receives the count
 * @return the static catalogue (never NULL)
 */
const srdi_chart_def *srdi_charts_list(size_t *n);
/**
 * @brief Chart definition for a key. @param key "T13", "S48", "M31" @return static storage, or NULL when the key has no chart
 */
const srdi_chart_def *srdi_chart_find(const char *key);
/** @brief The chart drawing table @p table_id. @param table_id "T13" @return static storage, or NULL */
const srdi_chart_def *srdi_chart_for_table(const char *table_id);
/**
 * @brief Index of @p def in srdi_charts_list (for per-chart arrays such as srdi_fignums). @param def a catalogue entry
 */
size_t srdi_chart_index(const srdi_chart_def *def);
/**
 * @brief The last complete year of a trend table whose chart has a lag
 * (latest year of @p t's rows − the catalogue's [patents] lag key of @p p,
 * grant_lag or publication_lag, or its default when @p p is NULL); years
 * after it are still growing (grants and decisions pending).  0 for a table
 * without such a chart, without rows, or NULL.
 * @param t the table (borrowed; its row keys are years)
 * @param p params (borrowed; may be NULL)
 */
int srdi_chart_complete_year(const srdi_table *t, const srdi_params *p);
/** @brief Number of series of @p def (0: every column of the table). @param def a catalogue entry */
int srdi_chart_nseries(const srdi_chart_def *def);
/**
 * @brief Rows the chart shows: the top-N parameter of @p def from @p p
 * (its default when p is NULL or the value is not a number), clamped to
 * [1, SRDI_CHART_MAXCAT]; 0 when the chart shows every leading row.
 * @param def a catalogue entry
 * @param p   params (may be NULL)
 */
int srdi_chart_topn(const srdi_chart_def *def, const srdi_params *p);

/**
 * @brief Share of its catalogue height (aspect) chart @p def needs to draw
 * @p t in the report: a chart of horizontal bars showing n rows of its top
 * N (n < N) needs (n + 2) / (N + 2) of it, at least 0.4 (four industries
 * of an edition drawn over the height of ten left their bars 13 pt thick
 * in slots of 30); a top-N chart of columns and a line (T16) showing up to
 * 3 of its N columns 0.5 (one city's column and point under the height of
 * twenty); 1 for any other chart, a full top N or a chart of every row.
 * @param def a catalogue entry
 * @param t   the table drawn (borrowed; NULL: 1)
 * @param p   params (may be NULL)
 */
double srdi_chart_height_share(const srdi_chart_def *def, const srdi_table *t, const srdi_params *p);

/**
 * The 图表 numbers of one report, per catalogue entry (index of
 * srdi_charts_list); 0 = the 2026 edition's number.  Made from the report
 * template (srdi_report_figure_numbers) and passed to whoever names files.
 */
typedef struct srdi_fignums {
    int fig[SRDI_CHART_MAX];
    char caption[SRDI_CHART_MAX][256]; /* the report's caption ("" = the catalogue's title) */
} srdi_fignums;

/**
 * @brief The 图表 number of chart @p key.
 * @param key  the chart key
 * @param nums the report's numbers (NULL = the 2026 edition's)
 * @return the number; 0 if the key is unknown
 */
int srdi_chart_figure_number(const char *key, const srdi_fignums *nums);
/**
 * @brief Set the number of chart @p key in @p nums; unknown keys are ignored.
 * @param nums   the numbers
 * @param key    the chart key
 * @param number the 图表 number (0 = the 2026 edition's)
 */
void srdi_fignums_set(srdi_fignums *nums, const char *key, int number);
/**
 * @brief Set the caption of chart @p key in @p nums (copied, cut to 255 bytes).
 * @param nums    the numbers
 * @param key     the chart key (unknown: ignored)
 * @param caption the report's caption (NULL or "" = the catalogue's title)
 */
void srdi_fignums_set_caption(srdi_fignums *nums, const char *key, const char *caption);
/**
 * @brief The title of the figure file of @p def, as the report captions it:
 * "图表16：专精特新企业省份分布 TOP10" (the number and caption of @p nums,
 * else the 2026 number and the catalogue's title).
 * @param def  a catalogue entry
 * @param nums the report's numbers (NULL = the 2026 edition's)
 * @param buf  the output (truncated, NUL-terminated)
 * @param size the size of @p buf
 */
void srdi_chart_figure_title(const srdi_chart_def *def, const srdi_fignums *nums, char *buf, size_t size);
/**
 * @brief The figure file of @p def relative to the output folder:
 * "figures/fig15_T13.png".  The one place that names figure files.
 * @param def  a catalogue entry
 * @param nums the report's numbers (NULL = the 2026 edition's)
 * @param ext  "png" or "svg"
 * @param buf  the output (truncated, NUL-terminated)
 * @param size the size of @p buf
 */
void srdi_chart_file_name(const srdi_chart_def *def, const srdi_fignums *nums, const char *ext, char *buf, size_t size);

/**
 * @brief Draw the chart @p key into the box (x, y, w, h) on the current page.
 * A table with no_data draws a framed "暂无数据" box.
 * @param c          the canvas
 * @param key        the chart key
 * @param t          the table it draws (borrowed; NULL for "S48")
 * @param p          params (top-N, lags; may be NULL)
 * @param x          box left, points
 * @param y          box top
 * @param w          box width
 * @param h          box height
 * @param standalone true: a title and a 资料来源 line inside the box (figure
 *                   files); the report draws those itself
 * @return SRDI_OK; SRDI_ERR_INTERNAL (no canvas, unknown key, box too small);
 *         the canvas's sticky error (message set)
 */
srdi_status srdi_chart_draw(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p, double x,
                            double y, double w, double h, bool standalone);

/** @brief Number of colours of the series palette (every chart uses the one palette). */
int srdi_chart_palette_size(void);
/** @brief Colour @p i of the series palette (taken modulo its size). @param i any index */
srdi_rgba srdi_chart_palette(int i);

/**
 * @brief srdi_chart_draw standalone (title and 资料来源 inside the box) with
 * @p title on top instead of the catalogue's title.
 * @param c     the canvas
 * @param key   the chart key
 * @param t     the table (NULL for "S48")
 * @param p     params (may be NULL)
 * @param x     box left
 * @param y     box top
 * @param w     box width
 * @param h     box height
 * @param title the title line (borrowed)
 * @return as srdi_chart_draw
 */
srdi_status srdi_chart_draw_titled(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p, double x,
                                   double y, double w, double h, const char *title);

/**
 * @brief True when chart @p key draws a table the charts module computes
 * from other tables ("M31", the 评价要素优先度矩阵) rather than one table of
 * the set.
 * @param key the chart key
 */
bool srdi_chart_derived(const char *key);
/**
 * @brief The table a derived chart draws, computed from @p ts and @p p (src/charts/priority.c).
 * @param key the chart key
 * @param ts  the tables it is computed from (borrowed)
 * @param p   params (may be NULL)
 * @param out receives a new table (the caller frees it with srdi_table_free);
 *            NULL when @p key is not a derived chart or @p ts lacks every
 *            table it is computed from
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_chart_derived_table(const char *key, const srdi_tableset *ts, const srdi_params *p, srdi_table **out);

/**
 * @brief Height of the note line(s) under a chart: the table's note (the
 * small-sample note "样本量小于30，仅供参考" of src/report/annotate.c among
 * them), "注：" prefixed, 7.5 pt, wrapped to @p w, at most 3 lines; 0 when
 * @p t has no note.  Figure files draw it above their 资料来源 line; the
 * report calls srdi_chart_draw_note under a chart that shows no table.
 * @param c the canvas (for its fonts)
 * @param t the table (may be NULL: 0)
 * @param w the width available
 */
double srdi_chart_note_height(srdi_canvas *c, const srdi_table *t, double w);
/**
 * @brief Draw the note of @p t (see srdi_chart_note_height).
 * @param c the canvas
 * @param t the table (may be NULL: nothing)
 * @param x left
 * @param y top
 * @param w width
 */
void srdi_chart_draw_note(srdi_canvas *c, const srdi_table *t, double x, double y, double w);

/* ---- added by charts helper ------------------------------------------- */
#include "srdi/fonts.h"

/**
 * @brief Write every chart as a standalone figure (title + 资料来源) to
 * out_dir/figures/figNN_<key>.png and/or .svg (NN = the 图表 number,
 * e.g. fig15_T13.png), 16 cm × 10 cm (radars 16 × 12).  Charts whose table
 * is not in @p ts are skipped ("S48" is always written).  Files are written
 * atomically.
 * @param ts        the tables (borrowed)
 * @param p         params (may be NULL)
 * @param f         the fonts (required)
 * @param nums      the report's numbers and captions (NULL = the 2026 edition's)
 * @param out_dir   the output folder (figures/ is created)
 * @param want_png  non-zero: write PNG
 * @param want_svg  non-zero: write SVG
 * @param dpi       PNG resolution (≤ 0 → 200)
 * @param n_written receives the number of files written (may be NULL)
 * @return SRDI_OK; SRDI_ERR_INTERNAL without fonts or folder; SRDI_ERR_IO,
 *         SRDI_ERR_RENDER or SRDI_ERR_NOMEM (message names the file)
 */
srdi_status srdi_figures_write(const srdi_tableset *ts, const srdi_params *p, const srdi_fonts *f,
                               const srdi_fignums *nums, const char *out_dir, int want_png, int want_svg, double dpi,
                               int *n_written);

/* ---- added by incr helper (append-only) -------------------------------- */

/**
 * @brief srdi_figures_write limited to the charts whose key is in
 * keys[0..nkeys) ("T13", "S48"); a NULL @p keys means every chart, an empty
 * list none.  Same files, sizes and bytes as srdi_figures_write, which is
 * this function with keys = NULL.  Used by incremental builds to re-render
 * only the figures whose table or params changed.
 * @param ts        the tables
 * @param p         params (may be NULL)
 * @param f         the fonts
 * @param nums      the report's numbers (NULL = the 2026 edition's)
 * @param out_dir   the output folder
 * @param want_png  non-zero: write PNG
 * @param want_svg  non-zero: write SVG
 * @param dpi       PNG resolution (≤ 0 → 200)
 * @param keys      the chart keys to write (borrowed), or NULL for all
 * @param nkeys     their count
 * @param n_written receives the number of files written (may be NULL)
 * @return as srdi_figures_write
 */
srdi_status srdi_figures_write_only(const srdi_tableset *ts, const srdi_params *p, const srdi_fonts *f,
                                    const srdi_fignums *nums, const char *out_dir, int want_png, int want_svg,
                                    double dpi, const char *const *keys, size_t nkeys, int *n_written);

#endif
