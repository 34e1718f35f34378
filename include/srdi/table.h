/*
 * srdi/table.h — the one generic table type every T-table is built as, and
 * the formatting rules that belong to column types (not to outputs).
 *
 * A table has typed columns and rows with a stable key.  Cells are numbers,
 * text, null (an empty statistic: "—" in documents, empty in values.csv,
 * null in tables.json) or absent (does not apply: left out of values.csv).
 *
 * Ownership: a table owns all its strings; srdi_table_free frees them.
 * Functions taking `const char *` copy the string.
 */
#ifndef SRDI_TABLE_H
#define SRDI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "srdi/error.h"

typedef enum srdi_coltype {
    SRDI_COL_TEXT,     /* free text (labels, type names, domains) */
    SRDI_COL_COUNT,    /* integer count: "#,##0" → 1,234 */
    SRDI_COL_SHARE,    /* fraction shown as percent: 0.1057 → 10.57% */
    SRDI_COL_AMOUNT,   /* amount with unit (万元, 人, 件): 5,774 (decimals per column) */
    SRDI_COL_RATIO,    /* plain ratio / correlation: 0.936 */
    SRDI_COL_MULTIPLE, /* 倍数: 2.89 → "2.89倍" */
    SRDI_COL_PP,       /* percentage-point gap, stored already ×100: 10.5 → "10.50" (text adds 个百分点) */
    SRDI_COL_SCORE,    /* score 0–100: 29.3 */
    SRDI_COL_YEAR,     /* year or rank: plain integer, no separator */
    SRDI_COL_NUMBER    /* generic number: decimals per column */
} srdi_coltype;

typedef enum srdi_cellkind {
    SRDI_CELL_ABSENT = 0, /* does not apply: left out of values.csv, blank in documents */
    SRDI_CELL_NULL,       /* statistic over an empty set / undefined: "—", JSON null */
    SRDI_CELL_NUM,
    SRDI_CELL_TEXT
} srdi_cellkind;

typedef struct srdi_cell {
    srdi_cellkind kind;
    double num;        /* when NUM */
    char *text;        /* when TEXT (owned) */
    unsigned char fmt; /* 0 = format by the column's type; else srdi_coltype + 1:
                              a per-cell override for rows whose statistic differs from
                              the column's (T02 "multiple" row in an amount column,
                              "gap_pp" row in a share column).  See srdi_table_set_cell_type. */
} srdi_cell;

typedef struct srdi_tcol {
    char *key;   /* values.csv column key: "national_share" */
    char *label; /* header shown in documents: "国家级占比" */
    srdi_coltype type;
    char *unit;   /* "万元", "人", "件" or "" */
    int decimals; /* digits after the point in documents (-1 = type default) */
} srdi_tcol;

typedef struct srdi_trow {
    char *key;        /* values.csv row key: "national", "3985", "江苏省" */
    char *label;      /* label shown in documents: "国家级", "3985 电子专用材料制造" */
    srdi_cell *cells; /* one per column */
    bool small;       /* the row rests on fewer than [claims] min_n observations
                         (srdi_report_annotate): named in the small-sample note */
    long long basis_n; /* observations the table's basis column rests on in this
                          row (srdi_table_set_basis); -1 = not set */
} srdi_trow;

typedef struct srdi_table {
    char id[8];   /* "T04" */
    char *name;   /* "honor_rates" */
    char *title;  /* 国家级与省级企业荣誉资质持有率 */
    char *sheet;  /* short Chinese name for sheets: 荣誉资质 */
    char *note;   /* note line under the table ("" if none) */
    char *source; /* 资料来源 line */
    char *params; /* parameters used, "threshold=10000; …" */
    long long n;  /* population rows the table used */
    bool no_data; /* the optional input it needs is missing */
    bool small_sample; /* some row or group rests on fewer than [claims] min_n
                          observations: the note says so (srdi_report_annotate),
                          and a chart drawn from the table carries it too */
    /* What srdi_report_annotate adds to the note, kept apart so that an
       output showing only some rows (a top-N table, a ranking chart) names
       only those (srdi_table_note_for); the rows' own flags are rows[].small. */
    char *base_note;    /* the note before the additions (NULL: not annotated) */
    char *small_groups; /* groups below min_n that are no row ("国家级…企业、单项冠军企业"; NULL none) */
    double small_min;   /* the [claims] min_n of the additions */
    /* A column whose statistic rests on fewer observations than the row's n
       (T25's mean R&D ratio: the enterprises with financial data): set by
       srdi_table_set_basis, each row's count in rows[].basis_n. */
    int basis_col;      /* its index (when basis_what is set) */
    char *basis_unit;   /* "家" */
    char *basis_what;   /* "有2024年财务数据的企业" (NULL: no basis column) */
    bool failed;  /* an allocation in a setter failed (see srdi_table_failed) */
    size_t ncols;
    size_t capcols; /* the columns allocated, in cols and in every row's cells */
    srdi_tcol *cols;
    size_t nrows, caprows;
    srdi_trow *rows;
} srdi_table;

/**
 * @brief A new table without rows or columns (note "", the default 资料来源 line).
 * @param id    "T04" (copied, at most 7 bytes; NULL = "")
 * @param name  the machine name "honor_rates" (copied; NULL = "")
 * @param title the Chinese title (copied; NULL = "")
 * @param sheet the short sheet name (copied; NULL = "")
 * @return the table, owned by the caller (srdi_table_free, or a table set);
 *         NULL when out of memory
 */
srdi_table *srdi_table_new(const char *id, const char *name, const char *title, const char *sheet);
/** @brief Free @p t and every string and cell it owns. @param t the table (NULL is fine) */
void srdi_table_free(srdi_table *t);

/*
 * Building a table.  Every function that allocates reports failure twice:
 * through its return value (-1 or SRDI_ERR_NOMEM, the message recorded) and
 * by marking the table failed, so a builder may check once at the end with
 * srdi_table_failed instead of after every call.  A failed setter leaves
 * the cell / text as it was.
 */

/**
 * @brief Add a column to every existing and future row (new cells ABSENT).
 * @param t        the table
 * @param key      the values.csv column key (copied)
 * @param label    the header shown in documents (copied; NULL = the key)
 * @param type     how its numbers are formatted
 * @param unit     "万元", "人", "件" or "" (copied; NULL = "")
 * @param decimals digits after the point in documents; -1 = the type's rule
 * @return the column index, or -1 when out of memory (message set, table marked failed)
 */
int srdi_table_add_col(srdi_table *t, const char *key, const char *label, srdi_coltype type, const char *unit,
                       int decimals);
/**
 * @brief Add a row (all cells ABSENT).
 * @param t     the table
 * @param key   the values.csv row key (copied)
 * @param label the label shown in documents (copied)
 * @return the row index, or -1 when out of memory (message set, table marked failed)
 */
int srdi_table_add_row(srdi_table *t, const char *key, const char *label);
/**
 * @brief Set a cell to a number; a non-finite @p v (NaN, ±inf) becomes NULL, -0 becomes 0.
 * Cannot fail; a row or column out of range (e.g. -1 from a failed add) is ignored.
 * @param t   the table
 * @param row the row index
 * @param col the column index
 * @param v   the value
 */
void srdi_table_set_num(srdi_table *t, int row, int col, double v);
/**
 * @brief Set a cell to null ("—").  Cannot fail; out-of-range indices are ignored.
 * @param t   the table
 * @param row the row index
 * @param col the column index
 */
void srdi_table_set_null(srdi_table *t, int row, int col);
/**
 * @brief Set a cell to a copy of @p s.
 * @param t   the table
 * @param row the row index (out of range: nothing happens, SRDI_OK)
 * @param col the column index (likewise)
 * @param s   the text (copied; NULL = "")
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set, table marked failed, cell unchanged)
 */
srdi_status srdi_table_set_text(srdi_table *t, int row, int col, const char *s);
/**
 * @brief Format cell (row, col) as @p type (type-default decimals) instead of
 * the column's type, in documents and sheets.  Values and exports are
 * unchanged.  Out-of-range indices are ignored.
 * @param t    the table
 * @param row  the row index
 * @param col  the column index
 * @param type the type to format the cell as
 */
void srdi_table_set_cell_type(srdi_table *t, int row, int col, srdi_coltype type);
/**
 * @brief The column as it applies to cell @p c: a copy of @p col with the
 * cell's type override (if any) and type-default decimals.  For writers that
 * pick a number format per column (xlsx).
 * @param col the column (borrowed; the copy shares its strings)
 * @param c   the cell (NULL: no override)
 */
srdi_tcol srdi_cell_effective_col(const srdi_tcol *col, const srdi_cell *c);
/**
 * @brief Set the note line from a printf format (replaces the previous one).
 * @param t   the table
 * @param fmt printf format, then its arguments
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set, table marked failed, note unchanged)
 */
srdi_status srdi_table_set_note(srdi_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * @brief Set the 资料来源 line.
 * @param t the table
 * @param s the line (copied)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set, table marked failed, line unchanged)
 */
srdi_status srdi_table_set_source(srdi_table *t, const char *s);
/**
 * @brief Set the parameters text ("threshold=10000; …") from a printf format.
 * @param t   the table
 * @param fmt printf format, then its arguments
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set, table marked failed, text unchanged)
 */
srdi_status srdi_table_set_params(srdi_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * @brief Set the title from a printf format (editions put the region in it).
 * @param t   the table
 * @param fmt printf format, then its arguments
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set, table marked failed, title unchanged)
 */
srdi_status srdi_table_set_title(srdi_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * @brief Declare that column @p col's statistic rests, in each row, on the
 * observations counted by srdi_table_set_row_basis rather than on the row's n
 * (T25's mean R&D ratio: the enterprises with financial data of the year).
 * The small-sample note names the rows where that count is below [claims]
 * min_n (srdi_report_annotate, srdi_table_note_for).  Exports are unchanged.
 * @param t    the table
 * @param col  the column key
 * @param unit the count's unit ("家"; copied)
 * @param what what is counted ("有2024年财务数据的企业"; copied)
 * @return SRDI_OK; SRDI_ERR_INTERNAL when @p t has no column @p col; SRDI_ERR_NOMEM
 *         (message set, table marked failed)
 */
srdi_status srdi_table_set_basis(srdi_table *t, const char *col, const char *unit, const char *what);
/**
 * @brief Set row @p row's basis count (see srdi_table_set_basis).  Cannot
 * fail; a row out of range is ignored.
 * @param t   the table
 * @param row the row index
 * @param n   the count (-1: not known)
 */
void srdi_table_set_row_basis(srdi_table *t, int row, long long n);
/**
 * @brief The note of @p t as printed under its first @p shown rows: the
 * note before srdi_report_annotate's additions, then the small-sample note
 * naming only the rows among those flagged small (at most 8, then 等), or
 * the table's small groups (T01's tiers) when no row is flagged, then the
 * rows among those whose basis count (srdi_table_set_basis) is below the
 * minimum.  A table not annotated gives its note as it is.
 * @param t       the table
 * @param shown   rows [0, shown) are shown (SIZE_MAX or more than nrows: all)
 * @param out     receives the note (owned by the caller, "" for none)
 * @param flagged receives whether the note names small rows, groups or bases (may be NULL)
 * @return SRDI_OK; SRDI_ERR_NOMEM (message set; *out NULL)
 */
srdi_status srdi_table_note_for(const srdi_table *t, size_t shown, char **out, bool *flagged);
/** @brief Did any allocation while building @p t fail (the table is incomplete)? @param t the table */
bool srdi_table_failed(const srdi_table *t);

/**
 * @brief Index of a row by key (linear search). @param t the table @param key the row key @return the index, or -1
 */
int srdi_table_row(const srdi_table *t, const char *key);
/**
 * @brief Index of a column by key (linear search). @param t the table @param key the column key @return the index, or -1
 */
int srdi_table_col(const srdi_table *t, const char *key);
/**
 * @brief Cell by keys.
 * @param t   the table
 * @param row the row key
 * @param col the column key
 * @return the cell (borrowed, valid while @p t is unchanged), or NULL if the row or column is unknown
 */
const srdi_cell *srdi_table_cell(const srdi_table *t, const char *row, const char *col);

/**
 * @brief Format a cell for documents by its column type (and the cell's
 * override): share 10.57%, count 1,234, multiple 2.89倍, pp 10.50, null "—",
 * absent "", text as it is.
 * @param col  the column of the cell
 * @param c    the cell (NULL: as absent)
 * @param buf  the output, always NUL-terminated when @p size > 0
 * @param size the size of @p buf
 * @return number of bytes written (excluding NUL), truncated to size-1
 */
size_t srdi_cell_format(const srdi_tcol *col, const srdi_cell *c, char *buf, size_t size);
/*
 * The number rules: ONE set of formatting rules for every document output
 * (PDF text and tables, chart value labels, Excel number formats), so that a
 * value prints the same everywhere: thousands separators on every number
 * (10,000万元, 1,015.12), counts and years without decimals, shares as
 * percent (10.57%), multiples with 倍.  Digits after the point: the column's
 * own decimals when >= 0, else the quantity's rule from params.ini [numbers]
 * (share_decimals 2, ratio_decimals 3, multiple_decimals 2, pp_decimals 2,
 * score_decimals 1, amount_decimals 0, number_decimals 2).
 */
typedef struct srdi_params srdi_params;
/**
 * @brief Read [numbers] of @p p into the process-wide rules (each clamped to 0 … 6).
 * Not thread-safe: call once per run before formatting starts.
 * @param p the parameters (NULL: the defaults)
 */
void srdi_number_rules_load(const srdi_params *p);
/**
 * @brief Digits after the point for @p type given a column's @p decimals.
 * @param type     the quantity
 * @param decimals the column's own digits; -1 = the rule of @p type
 */
int srdi_number_decimals(srdi_coltype type, int decimals);
/**
 * @brief Format @p v as a document number of @p type (non-finite: "—").
 * @param v        the value
 * @param type     the quantity (share ×100 with %, multiple with 倍 …)
 * @param decimals the column's digits, -1 = the rule
 * @param buf      the output, NUL-terminated when @p size > 0
 * @param size     the size of @p buf
 * @return bytes written (excluding NUL)
 */
size_t srdi_number_format(double v, srdi_coltype type, int decimals, char *buf, size_t size);
/**
 * @brief The Excel number format code of the same rule ("#,##0.00%", "#,##0.00\"倍\"", "General" for text).
 * @param type     the quantity
 * @param decimals the column's digits, -1 = the rule
 * @param buf      the output, NUL-terminated when @p size > 0
 * @param size     the size of @p buf
 * @return bytes written (excluding NUL)
 */
size_t srdi_number_excel_format(srdi_coltype type, int decimals, char *buf, size_t size);
/**
 * @brief Full-precision text for exports (shortest round-trip); "" for null/absent, the text for text cells.
 * @param c    the cell (NULL: "")
 * @param buf  the output, NUL-terminated when @p size > 0
 * @param size the size of @p buf
 * @return bytes written (excluding NUL)
 */
size_t srdi_cell_export(const srdi_cell *c, char *buf, size_t size);

/* ------------------------------------------------------------- table sets */

typedef struct srdi_tableset {
    srdi_table **tables; /* owned, in id order T01…T35 */
    size_t n;
} srdi_tableset;

/** @brief Free @p s, its tables and the set itself. @param s the set (NULL is fine) */
void srdi_tableset_free(srdi_tableset *s);
/**
 * @brief Table by id.
 * @param s  the set
 * @param id "T04"
 * @return the table (borrowed, owned by @p s), or NULL
 */
const srdi_table *srdi_tableset_get(const srdi_tableset *s, const char *id);

/**
 * @brief Write tables.json (jansson): every table, full precision, null for empty.
 * Written atomically (srdi_atomic_*).
 * @param s    the tables
 * @param path the file
 * @return SRDI_OK; SRDI_ERR_NOMEM or SRDI_ERR_IO (message names the file)
 */
srdi_status srdi_export_json(const srdi_tableset *s, const char *path);
/**
 * @brief Write values.csv: table,row,column,value (long format of docs/tables.md),
 * fields written by srdi/csvout.h, atomically.
 * @param s    the tables
 * @param path the file
 * @return SRDI_OK; SRDI_ERR_NOMEM or SRDI_ERR_IO (message names the file)
 */
srdi_status srdi_export_values_csv(const srdi_tableset *s, const char *path);

#endif
