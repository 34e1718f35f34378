/*
 * src/xlsx/xlsx_private.h — what xlsx.c (the workbook, its sheets) and
 * xlsx_charts.c (the native charts of a sheet) share: the sheet layout.
 */
#ifndef SRDI_XLSX_PRIVATE_H
#define SRDI_XLSX_PRIVATE_H

#include "xlsxwriter_dl.h" /* libxlsxwriter, loaded when the first workbook is written */

#include "srdi/params.h"
#include "srdi/table.h"
#include "srdi/util.h"

/* ---------------------------------------------------------------- layout */

#define XLSX_TITLE_ROW  0  /* table title */
#define XLSX_SUB_ROW    1  /* n and parameters */
#define XLSX_HDR_ROW    2  /* column headers */
#define XLSX_DATA_ROW   3  /* first data row */
#define XLSX_MAX_WIDTH  50 /* column width cap (Excel character units) */
#define XLSX_MIN_WIDTH  8
#define XLSX_MAX_NUMFMT 64  /* distinct (type, decimals) number formats cached */
#define XLSX_NAME_SIZE  128 /* a sheet name: 31 code points of ≤ 4 bytes + NUL */
#define XLSX_CHART_W    480 /* libxlsxwriter's default chart size in pixels */
#define XLSX_CHART_H    288
#define XLSX_ROW_PX     20 /* default row height in pixels */
#define XLSX_PAPER_A4   9  /* Excel paper size code */

/*
 * @p s fit for the workbook's XML: every character XML 1.0 cannot carry (C0
 * controls other than tab, line feed and carriage return; U+FFFE, U+FFFF;
 * invalid UTF-8) becomes U+FFFD, so that a control character in a patent
 * field or a company name shows as U+FFFD instead of making the workbook
 * unreadable (libxlsxwriter escapes & < > but copies such characters into
 * chart caches and titles verbatim).  Returns @p s itself when it is clean,
 * else the text in @p b (valid until @p b's next use); NULL stays NULL.
 */
const char *xlsx_text(srdi_buf *b, const char *s);

/**
 * @brief The charts of table @p t (if the chart catalogue lists one for it) to the
 * right of the data on sheet @p ws named @p sheet, starting in column
 * @p col; @p colmap maps table columns to sheet columns.  A right-axis
 * series of the catalogue becomes a line chart below the first.  The top-N
 * rows come from @p params (NULL: the catalogue's defaults).  Each chart
 * is titled like the report's caption of the table, with its 图表 number
 * (srdi_chart_figure_title: "图表16：…"; the line chart adds its column).
 * @return LXW_NO_ERROR or the first libxlsxwriter error (the charts are
 * then incomplete; the caller reports it).
 * @param wb     the workbook
 * @param params the parameters (NULL: defaults)
 * @param nums   the report's 图表 numbers and captions (NULL: the 2026 edition's)
 * @param ws     the worksheet of @p t
 * @param sheet  its name (chart ranges refer to it)
 * @param t      the table
 * @param colmap sheet column of each table column
 * @param col    the first column right of the data
 */
lxw_error xlsx_table_charts(lxw_workbook *wb, const srdi_params *params, const srdi_fignums *nums, lxw_worksheet *ws,
                            const char *sheet, const srdi_table *t, const lxw_col_t *colmap, lxw_col_t col);

#endif
