/*
 * src/ingest/xlsxin.h — reading one worksheet of an Excel workbook (.xlsx,
 * Office Open XML) as rows of text cells, for the ingest module.
 *
 * The zip container is read with libzip and the XML with expat.  The shared
 * strings table is loaded into memory; the worksheet itself is streamed out
 * of the zip in 64 KiB chunks and parsed as it arrives, so memory does not
 * grow with the number of rows.  Every row that holds at least one
 * non-empty cell is handed to a srdi_csv_record_fn as a record whose line is
 * the worksheet row number and whose fields are the cells' text, by column
 * (A = field 0, gaps filled with empty fields):
 *   - shared and inline strings: their text (rich-text runs joined, phonetic
 *     runs dropped, _xHHHH_ escapes decoded);
 *   - numbers: the stored digits, an exponent written out in plain decimal
 *     (1.5E+3 → 1500) so the CSV number parser reads the same double;
 *   - booleans: TRUE / FALSE; errors (#N/A) and ISO dates: their text;
 *   - formulas: their cached value.
 * A malformed zip or XML is an error naming the file (and part), never a crash.
 *
 * Ownership: the workbook owns everything it returns; records passed to a
 * callback are borrowed for the duration of the call.
 */
#ifndef SRDI_INGEST_XLSXIN_H
#define SRDI_INGEST_XLSXIN_H

#include "ingest_private.h"

typedef struct srdi_xlsx srdi_xlsx;

/**
 * @brief Open the workbook at @p path; @p label names it in every error
 * ("enterprises.xlsx").  Fails with SRDI_ERR_INPUT when the file is not a
 * readable workbook.
 * @param path  the .xlsx file
 * @param label its name in messages
 * @param out   receives the workbook (srdi_xlsx_close)
 */
srdi_status srdi_xlsx_open(const char *path, const char *label, srdi_xlsx **out);

/**
 * @brief Open a workbook held in memory (@p data is not copied and must
 * outlive the workbook) — for tests and fuzzing.
 * @param data  the bytes (borrowed)
 * @param n     their count
 * @param label its name in messages
 * @param out   receives the workbook (srdi_xlsx_close)
 */
srdi_status srdi_xlsx_open_buffer(const void *data, size_t n, const char *label, srdi_xlsx **out);

/**
 * @brief Close and free (NULL is fine).
 * @param x the workbook
 */
void srdi_xlsx_close(srdi_xlsx *x);

/**
 * @brief Choose the worksheet to read: @p name, or the first worksheet of
 * the workbook when NULL.  An unknown name is an SRDI_ERR_INPUT error that
 * lists the worksheets.
 * @param x    the workbook
 * @param name the worksheet, or NULL for the first
 */
srdi_status srdi_xlsx_select(srdi_xlsx *x, const char *name);

/**
 * @brief Name of the selected worksheet ("Sheet1").
 * @param x the workbook (borrowed result, valid until srdi_xlsx_close)
 */
const char *srdi_xlsx_sheet(const srdi_xlsx *x);

/**
 * @brief Rows from now on have @p ncols fields (the header width): shorter
 * rows are padded with empty fields; a row with a non-empty cell further
 * right is handed over whole with status SRDI_CSV_REC_EXTRA_CELL.
 * @param x     the workbook
 * @param ncols the header's width
 */
void srdi_xlsx_set_width(srdi_xlsx *x, size_t ncols);

/**
 * @brief Numeric cells of column @p col (0-based; -1 = none) shorter than
 * four digits are left-padded with zeros (an industry class 0511 stored as
 * the number 511).
 * @param x   the workbook
 * @param col the column, -1 for none
 */
void srdi_xlsx_set_pad4(srdi_xlsx *x, int col);

/**
 * @brief Stream the selected worksheet: every non-empty row numbered after
 * @p after_row goes to @p fn, at most @p max_rows of them (0 = all).
 * *last_row (may be NULL) receives the number of the last row handed over.
 * Returns the first non-OK status of @p fn, or an error for a malformed part.
 * @param x        the workbook (a worksheet selected)
 * @param after_row rows up to this number are skipped (0: none)
 * @param max_rows  the most rows to hand over (0 = all)
 * @param fn        called once per row
 * @param ctx       user data for @p fn
 * @param last_row  receives the number of the last row handed over (may be NULL)
 */
srdi_status srdi_xlsx_rows(srdi_xlsx *x, long after_row, size_t max_rows, srdi_csv_record_fn fn, void *ctx,
                           long *last_row);

#endif
