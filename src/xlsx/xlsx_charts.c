/*
 * src/xlsx/xlsx_charts.c — the native Excel charts of a table sheet, as the
 * chart catalogue (srdi/charts.h) describes them: type, series, top-N rows.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>


#include "srdi/charts.h"
#include "srdi/util.h"
#include "xlsx_private.h"

/* Keep the first libxlsxwriter error in *err. */
static void chart_error(lxw_error *err, lxw_error e)
{
    if (e != LXW_NO_ERROR && *err == LXW_NO_ERROR) *err = e;
}

/* The libxlsxwriter chart type of a catalogue chart. */
static uint8_t xlsx_chart_type(srdi_xlsx_chart k)
{
    switch (k) {
    case SRDI_XLSX_PIE:
        return LXW_CHART_PIE;
    case SRDI_XLSX_COLUMN:
        return LXW_CHART_COLUMN;
    case SRDI_XLSX_BAR:
        return LXW_CHART_BAR;
    case SRDI_XLSX_RADAR:
        return LXW_CHART_RADAR;
    case SRDI_XLSX_SCATTER:
        return LXW_CHART_SCATTER;
    case SRDI_XLSX_LINE:
        return LXW_CHART_LINE;
    case SRDI_XLSX_DOUGHNUT:
        return LXW_CHART_DOUGHNUT;
    case SRDI_XLSX_NONE:
        break;
    }
    return LXW_CHART_NONE;
}

/*
 * Number of leading rows a chart covers: rows from the top while the row is
 * not a summary row (total, multiple, gap_pp) and column @p col applies
 * (not ABSENT), at most @p topn (0 = no limit).  Leading rows only, so the
 * chart references one contiguous range of the sheet.
 */
static size_t xlsx_chart_rows(const srdi_table *t, int col, int topn)
{
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *k = t->rows[r].key ? t->rows[r].key : "";
        if (strcmp(k, "total") == 0 || strcmp(k, "multiple") == 0 || strcmp(k, "gap_pp") == 0) break;
        if (t->rows[r].cells[col].kind == SRDI_CELL_ABSENT) break;
        if (topn > 0 && n == (size_t)topn) break;
        n++;
    }
    return n;
}

/* True for chart types whose category axis is vertical (bar charts). */
static bool xlsx_is_bar(uint8_t type)
{
    return type == LXW_CHART_BAR || type == LXW_CHART_BAR_STACKED || type == LXW_CHART_BAR_STACKED_PERCENT;
}

/*
 * Add one series over rows [r0, r1] of sheet column @p vcol, with the
 * categories from @p catcol and the header cell as its name.
 */
static void xlsx_add_series(lxw_chart *ch, const char *sheet, lxw_row_t r0, lxw_row_t r1, lxw_col_t catcol,
                            lxw_col_t vcol)
{
    lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
    if (!s) return;
    chart_series_set_categories(s, sheet, r0, catcol, r1, catcol);
    chart_series_set_values(s, sheet, r0, vcol, r1, vcol);
    chart_series_set_name_range(s, sheet, XLSX_HDR_ROW, vcol);
}

/*
 * Create one chart of @p type over the given table columns and insert it at
 * (@p row, @p col).  Share columns get a percent value axis.  Returns the
 * height used in rows, 0 when nothing was drawn.  A libxlsxwriter error is
 * kept in *err (the first one).
 */
static lxw_row_t xlsx_insert_chart(lxw_workbook *wb, lxw_error *err, lxw_worksheet *ws, const char *sheet,
                                   const srdi_table *t, const lxw_col_t *colmap, uint8_t type, const int *cols,
                                   size_t ncols, size_t nrows, const char *title, lxw_row_t row, lxw_col_t col)
{
    lxw_chart *ch;
    lxw_row_t r0 = XLSX_DATA_ROW, r1 = (lxw_row_t)(XLSX_DATA_ROW + nrows - 1);
    bool pie = type == LXW_CHART_PIE || type == LXW_CHART_DOUGHNUT;
    lxw_chart_options opt = {.x_scale = 1.0, .y_scale = 1.0, .object_position = 0};
    srdi_buf text = {0};

    if (ncols == 0 || nrows == 0) return 0;
    /* only the columns with a number in the charted rows are series: a level
     * without enterprises (an edition with one level only) would be a legend
     * entry over blanks; a chart left without any series is not drawn */
    int live[16];
    size_t nlive = 0;
    for (size_t i = 0; i < ncols && nlive < sizeof live / sizeof live[0]; i++) {
        bool any = false;
        for (size_t r = 0; r < nrows && !any; r++) any = t->rows[r].cells[cols[i]].kind == SRDI_CELL_NUM;
        if (any)
            live[nlive++] = cols[i];
        else if (type == LXW_CHART_SCATTER)
            return 0; /* x against y needs both */
    }
    if (nlive == 0) return 0;
    cols = live;
    ncols = nlive;
    ch = workbook_add_chart(wb, type);
    if (!ch) {
        chart_error(err, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return 0;
    }

    if (type == LXW_CHART_SCATTER) {
        /* x from the first column, y from the second. */
        if (ncols < 2) ncols = 1;
        lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
        if (s) {
            lxw_col_t xc = colmap[cols[0]], yc = colmap[cols[ncols > 1 ? 1 : 0]];
            chart_series_set_categories(s, sheet, r0, xc, r1, xc);
            chart_series_set_values(s, sheet, r0, yc, r1, yc);
            chart_series_set_name_range(s, sheet, XLSX_HDR_ROW, yc);
        }
        const char *xn = xlsx_text(&text, t->cols[cols[0]].label);
        if (!xn && t->cols[cols[0]].label) chart_error(err, LXW_ERROR_MEMORY_MALLOC_FAILED);
        chart_axis_set_name(ch->x_axis, xn);
        const char *yn = xlsx_text(&text, t->cols[cols[ncols > 1 ? 1 : 0]].label);
        if (!yn && t->cols[cols[ncols > 1 ? 1 : 0]].label) chart_error(err, LXW_ERROR_MEMORY_MALLOC_FAILED);
        chart_axis_set_name(ch->y_axis, yn);
        if (t->cols[cols[0]].type == SRDI_COL_SHARE) chart_axis_set_num_format(ch->x_axis, "0%");
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    } else {
        size_t nser = pie ? 1 : ncols;
        for (size_t i = 0; i < nser; i++) xlsx_add_series(ch, sheet, r0, r1, 0, colmap[cols[i]]);
        if (pie) {
            chart_legend_set_position(ch, LXW_CHART_LEGEND_RIGHT);
            if (type == LXW_CHART_DOUGHNUT) chart_set_hole_size(ch, 50);
        } else {
            /* For bar charts libxlsxwriter's x_axis is the horizontal value axis. */
            lxw_chart_axis *value_axis = xlsx_is_bar(type) ? ch->x_axis : ch->y_axis;
            lxw_chart_axis *cat_axis = xlsx_is_bar(type) ? ch->y_axis : ch->x_axis;
            if (t->cols[cols[0]].type == SRDI_COL_SHARE) chart_axis_set_num_format(value_axis, "0%");
            if (xlsx_is_bar(type)) {
                /* Rank 1 on top, value axis kept at the bottom. */
                chart_axis_set_reverse(cat_axis);
                chart_axis_set_crossing_max(cat_axis);
            }
            chart_legend_set_position(ch, ncols > 1 ? LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
        }
    }
    const char *tn = xlsx_text(&text, title);
    if (!tn && title) chart_error(err, LXW_ERROR_MEMORY_MALLOC_FAILED);
    chart_title_set_name(ch, tn); /* libxlsxwriter copies each name */
    srdi_buf_free(&text);
    if (nrows > 10 && !pie) opt.y_scale = 1.0 + 0.06 * (double)(nrows - 10);
    chart_error(err, worksheet_insert_chart_opt(ws, row, col, ch, &opt));
    return (lxw_row_t)(XLSX_CHART_H * opt.y_scale / XLSX_ROW_PX) + 2;
}

lxw_error xlsx_table_charts(lxw_workbook *wb, const srdi_params *params, const srdi_fignums *nums, lxw_worksheet *ws,
                            const char *sheet, const srdi_table *t, const lxw_col_t *colmap, lxw_col_t col)
{
    const srdi_chart_def *def = srdi_chart_for_table(t->id);
    int cols[8], lc = -1;
    size_t ncols = 0, nrows;
    lxw_row_t used;
    lxw_error err = LXW_NO_ERROR;

    if (!def || def->xlsx == SRDI_XLSX_NONE || t->no_data) return err;
    uint8_t type = xlsx_chart_type(def->xlsx);
    int ns = srdi_chart_nseries(def);
    if (ns == 0) { /* every column (heat map) */
        for (size_t c = 0; c < t->ncols && ncols < sizeof cols / sizeof cols[0]; c++) cols[ncols++] = (int)c;
    }
    for (int i = 0; i < ns; i++) {
        int c = srdi_table_col(t, def->series[i].col);
        if (c < 0) continue;
        if (def->series[i].axis == 1) { /* right axis: a line chart below */
            if (lc < 0) lc = c;
        } else {
            cols[ncols++] = c;
        }
    }
    if (ncols == 0 || (type == LXW_CHART_SCATTER && ncols < 2)) return err;
    nrows = xlsx_chart_rows(t, cols[0], srdi_chart_topn(def, params));
    /* titled like the report's caption and the figure file: "图表16：…" */
    char caption[320];
    srdi_chart_figure_title(def, nums, caption, sizeof caption);
    used = xlsx_insert_chart(wb, &err, ws, sheet, t, colmap, type, cols, ncols, nrows, caption, XLSX_HDR_ROW, col);

    if (lc >= 0 && used > 0) {
        /* the right-axis series drawn apart: the caption and the column ("图表9：…（增长率）") */
        srdi_buf title = {0};
        if (srdi_buf_printf(&title, "%s（%s）", caption, t->cols[lc].label ? t->cols[lc].label : t->cols[lc].key))
            chart_error(&err, LXW_ERROR_MEMORY_MALLOC_FAILED); /* never a chart with a cut title */
        else
            xlsx_insert_chart(wb, &err, ws, sheet, t, colmap, LXW_CHART_LINE, &lc, 1, nrows, title.data,
                              XLSX_HDR_ROW + used, col);
        srdi_buf_free(&title);
    }
    return err;
}
