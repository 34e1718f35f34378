/*
 * srdi/xlsx.h — bureau workbooks (libxlsxwriter): a 说明 sheet, one sheet per
 * table with formats, frozen header, autofilter, native charts; split per
 * province / city with a national benchmark column.
 */
#ifndef SRDI_XLSX_H
#define SRDI_XLSX_H

#include "srdi/dataset.h"
#include "srdi/params.h"
#include "srdi/table.h"

typedef struct srdi_xlsx_info {
    const srdi_dataset *d; /* for the 说明 sheet (files, counts) */
    const srdi_params *params;
    const char *scope; /* "全国" or "江苏省" … */
    long long epoch;   /* generation time (SOURCE_DATE_EPOCH) */
    /* added by editions: a city edition's second benchmark (its province) */
    const srdi_tableset *province_bench; /* the province's tables, or NULL */
    const char *province;                /* its name, the header of its columns */
    /* the report's 图表 numbers and captions: each chart is titled like its
       caption ("图表16：…", srdi_chart_figure_title); NULL: the 2026 edition's */
    const struct srdi_fignums *fignums;
} srdi_xlsx_info;

/**
 * @brief Write one workbook to @p path (atomically: a temporary file renamed
 * into place).  @p bench, when not NULL, holds the national tables: each
 * numeric column gets a 全国 benchmark column beside it (after a province
 * column when info->province_bench is set), and the column's own header names
 * the scope ("企业数量（家）" over "江苏省", two lines in one cell).
 * @param path   the .xlsx file
 * @param tables the tables of the workbook's scope (borrowed)
 * @param bench  the national tables, or NULL for the national workbook
 * @param info   the dataset, parameters, scope name and epoch (borrowed)
 * @return SRDI_OK; SRDI_ERR_USAGE without a path; SRDI_ERR_IO; SRDI_ERR_RENDER
 *         (libxlsxwriter failed; message names the file); SRDI_ERR_NOMEM
 */
srdi_status srdi_xlsx_write(const char *path, const srdi_tableset *tables, const srdi_tableset *bench,
                            const srdi_xlsx_info *info);

/* ----------------------------------------------------- names (added by xlsx) */

/**
 * @brief Sheet name for a table: "T04 荣誉资质" (id, space, short name),
 * the characters []:*?/\ replaced with '_', a leading or trailing
 * apostrophe replaced with '_', cut to 31 characters (code points, not
 * bytes).  An empty or NULL @p sheet gives just the id.
 * @param id    the table id
 * @param sheet its short name (may be NULL)
 * @param buf   the output
 * @param size  the size of @p buf
 * @return SRDI_OK, or SRDI_ERR_USAGE when @p buf is too small (< 128 bytes
 *         always suffices) or @p id is NULL.
 */
srdi_status srdi_xlsx_sheet_name(const char *id, const char *sheet, char *buf, size_t size);

/**
 * @brief A safe file name component from a province / city name for
 * --split: CJK and other valid UTF-8 kept; / \ : * ? " < > | and control
 * characters, invalid UTF-8 bytes, leading dots and trailing dots/spaces
 * become '_'; Windows device names (CON, NUL, COM1 …) get a '_' prefix;
 * cut to at most 120 bytes (never inside a character).  Empty → "_".
 * @code
 *   char fn[128];
 *   srdi_xlsx_safe_filename("../江苏省", fn, sizeof fn);   // "___江苏省"
 * @endcode
 * @return SRDI_OK, or SRDI_ERR_USAGE when @p name / @p buf is NULL or
 * @p size < 2 (the result is then "" when possible).
 */
srdi_status srdi_xlsx_safe_filename(const char *name, char *buf, size_t size);

/**
 * @brief Make a safe file name unique within one folder: a name already in
 * @p used (ASCII case ignored) gets "-2", "-3" … appended; the result is
 * recorded in @p used (lower-cased).
 * @param used    the names taken so far in the folder
 * @param fname   a srdi_xlsx_safe_filename result, rewritten in place
 * @param size    the size of @p fname
 * @param renamed receives whether it changed
 * @return SRDI_OK; SRDI_ERR_NOMEM; SRDI_ERR_INTERNAL after 99999 tries
 */
srdi_status srdi_xlsx_unique_filename(srdi_strpool *used, char *fname, size_t size, bool *renamed);

#endif
