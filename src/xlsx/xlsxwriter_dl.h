/*
 * src/xlsx/xlsxwriter_dl.h — the libxlsxwriter functions the workbooks
 * (src/xlsx/xlsx.c, xlsx_charts.c) call, through a
 * table filled when the library is first needed (srdi/dl.h): a run that
 * never calls them never loads it.  Every source that calls the library
 * includes this header in place of the library's own: the names below are
 * then the table's members.  A function called for the first time is added
 * to SRDI_XLSXWRITER_FNS.
 */
#ifndef SRDI_XLSXWRITER_DL_H
#define SRDI_XLSXWRITER_DL_H

#include <xlsxwriter.h>

#include "srdi/dl.h"

#define SRDI_XLSXWRITER_FNS(X) \
    X(chart_add_series) \
    X(chart_axis_set_crossing_max) \
    X(chart_axis_set_name) \
    X(chart_axis_set_num_format) \
    X(chart_axis_set_reverse) \
    X(chart_legend_set_position) \
    X(chart_series_set_categories) \
    X(chart_series_set_name_range) \
    X(chart_series_set_values) \
    X(chart_set_hole_size) \
    X(chart_title_set_name) \
    X(format_set_align) \
    X(format_set_bg_color) \
    X(format_set_bold) \
    X(format_set_bottom) \
    X(format_set_font_color) \
    X(format_set_font_size) \
    X(format_set_italic) \
    X(format_set_num_format) \
    X(format_set_text_wrap) \
    X(format_set_underline) \
    X(lxw_strerror) \
    X(lxw_workbook_free) \
    X(workbook_add_chart) \
    X(workbook_add_format) \
    X(workbook_add_worksheet) \
    X(workbook_close) \
    X(workbook_new) \
    X(workbook_set_properties) \
    X(worksheet_autofilter) \
    X(worksheet_fit_to_pages) \
    X(worksheet_freeze_panes) \
    X(worksheet_insert_chart_opt) \
    X(worksheet_repeat_rows) \
    X(worksheet_set_column) \
    X(worksheet_set_landscape) \
    X(worksheet_set_paper) \
    X(worksheet_set_row) \
    X(worksheet_write_number) \
    X(worksheet_write_string) \
    X(worksheet_write_url_opt)

/** The functions, as pointers of their own types (filled by srdi_lxw_load). */
typedef struct srdi_lxw_fns {
#define SRDI_DL_MEMBER(f) __typeof__(&f) f;
    SRDI_XLSXWRITER_FNS(SRDI_DL_MEMBER)
#undef SRDI_DL_MEMBER
} srdi_lxw_fns;

extern srdi_lxw_fns srdi_lxw;

/**
 * @brief Load libxlsxwriter.so.4 and fill srdi_lxw, once for the process (srdi_dl_load).
 * @return SRDI_OK; SRDI_ERR_RENDER, message set, when the library cannot be loaded
 */
srdi_status srdi_lxw_load(void);

/* from here on each name is the table's member */
#define chart_add_series (srdi_lxw.chart_add_series)
#define chart_axis_set_crossing_max (srdi_lxw.chart_axis_set_crossing_max)
#define chart_axis_set_name (srdi_lxw.chart_axis_set_name)
#define chart_axis_set_num_format (srdi_lxw.chart_axis_set_num_format)
#define chart_axis_set_reverse (srdi_lxw.chart_axis_set_reverse)
#define chart_legend_set_position (srdi_lxw.chart_legend_set_position)
#define chart_series_set_categories (srdi_lxw.chart_series_set_categories)
#define chart_series_set_name_range (srdi_lxw.chart_series_set_name_range)
#define chart_series_set_values (srdi_lxw.chart_series_set_values)
#define chart_set_hole_size (srdi_lxw.chart_set_hole_size)
#define chart_title_set_name (srdi_lxw.chart_title_set_name)
#define format_set_align (srdi_lxw.format_set_align)
#define format_set_bg_color (srdi_lxw.format_set_bg_color)
#define format_set_bold (srdi_lxw.format_set_bold)
#define format_set_bottom (srdi_lxw.format_set_bottom)
#define format_set_font_color (srdi_lxw.format_set_font_color)
#define format_set_font_size (srdi_lxw.format_set_font_size)
#define format_set_italic (srdi_lxw.format_set_italic)
#define format_set_num_format (srdi_lxw.format_set_num_format)
#define format_set_text_wrap (srdi_lxw.format_set_text_wrap)
#define format_set_underline (srdi_lxw.format_set_underline)
#define lxw_strerror (srdi_lxw.lxw_strerror)
#define lxw_workbook_free (srdi_lxw.lxw_workbook_free)
#define workbook_add_chart (srdi_lxw.workbook_add_chart)
#define workbook_add_format (srdi_lxw.workbook_add_format)
#define workbook_add_worksheet (srdi_lxw.workbook_add_worksheet)
#define workbook_close (srdi_lxw.workbook_close)
#define workbook_new (srdi_lxw.workbook_new)
#define workbook_set_properties (srdi_lxw.workbook_set_properties)
#define worksheet_autofilter (srdi_lxw.worksheet_autofilter)
#define worksheet_fit_to_pages (srdi_lxw.worksheet_fit_to_pages)
#define worksheet_freeze_panes (srdi_lxw.worksheet_freeze_panes)
#define worksheet_insert_chart_opt (srdi_lxw.worksheet_insert_chart_opt)
#define worksheet_repeat_rows (srdi_lxw.worksheet_repeat_rows)
#define worksheet_set_column (srdi_lxw.worksheet_set_column)
#define worksheet_set_landscape (srdi_lxw.worksheet_set_landscape)
#define worksheet_set_paper (srdi_lxw.worksheet_set_paper)
#define worksheet_set_row (srdi_lxw.worksheet_set_row)
#define worksheet_write_number (srdi_lxw.worksheet_write_number)
#define worksheet_write_string (srdi_lxw.worksheet_write_string)
#define worksheet_write_url_opt (srdi_lxw.worksheet_write_url_opt)

#endif
