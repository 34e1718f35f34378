/*
 * src/ingest/xlsxin_private.h — what the three parts of the workbook reader
 * share (xlsxin.h is their interface to the rest of ingest):
 *   xlsxin_xml.c   — element and attribute names, Excel's _xHHHH_ text
 *                    escapes, and streaming one zip part through expat;
 *   xlsxin_book.c  — the package: opening the zip, the relationships, the
 *                    workbook's worksheets and the shared strings table;
 *   xlsxin_sheet.c — streaming the selected worksheet as records.
 *
 * Parts read, in order: _rels/.rels (where the workbook part is), the
 * workbook (its worksheets, in order, with their relationship ids), the
 * workbook's relationships (worksheet parts, the shared strings part), the
 * shared strings (into memory, once, when a worksheet is first streamed)
 * and the worksheet (streamed).  Element names are matched on their local
 * part (after any prefix; expat runs without namespace processing, which
 * costs a string per element), so transitional and strict OOXML and
 * prefixed elements all read.  A document type declaration is refused (no
 * entity expansion).
 *
 * Ownership: the srdi_xlsx owns every string it holds; a run (srdi_xlsxin_run
 * and the structs that embed it) lives on its caller's stack for one part.
 */
#ifndef SRDI_INGEST_XLSXIN_PRIVATE_H
#define SRDI_INGEST_XLSXIN_PRIVATE_H

#include "xlsxin.h"

#include <expat.h>
#include "zip_dl.h" /* libzip, loaded when a workbook is first opened */

#include <stdbool.h>
#include <stddef.h>

#define XLSXIN_CHUNK    ((size_t)64 << 10) /* bytes of XML fed to expat at a time */
#define XLSXIN_CELL_MAX ((size_t)1 << 20)  /* bytes of one cell's text (Excel: 32,767 characters) */
#define XLSXIN_SST_MAX  ((size_t)1 << 30)  /* bytes of the whole shared strings table */
#define XLSXIN_MAX_COLS 16384              /* columns A … XFD */
#define XLSXIN_NS_SEP   ':'                /* prefix separator of qualified names */

struct srdi_xlsx {
    zip_t *za;
    char *label;       /* "enterprises.xlsx", for messages */
    char **sheet_name; /* worksheets in workbook order */
    char **sheet_part; /* their parts ("xl/worksheets/sheet1.xml") */
    size_t nsheets;
    size_t sel;     /* selected worksheet */
    char *sst_part; /* shared strings part, NULL when the workbook has none */
    bool sst_loaded;
    srdi_buf ss;    /* shared strings, each NUL-terminated */
    size_t *ss_off; /* their offsets in ss */
    size_t n_ss, cap_ss;
    size_t width; /* fields per row after the header (0 = as found) */
    int pad4;     /* column whose numbers are padded to 4 digits, or -1 */
};

/* One part being parsed: the first member of each part's handler state. */
typedef struct srdi_xlsxin_run {
    XML_Parser p;
    srdi_xlsx *x;
    const char *part;
    srdi_status st; /* failure raised by a handler (message already set) */
    bool done;      /* a handler stopped the parse early, successfully */
} srdi_xlsxin_run;

/**
 * @brief The local part of a (possibly prefixed) element or attribute name.
 * @param name the name as expat gives it (borrowed)
 * @return a pointer into @p name
 */
const char *srdi_xlsxin_local_name(const XML_Char *name);
/**
 * @brief An attribute's value by local name.
 * @param atts expat's NULL-terminated name/value list
 * @param name the local name
 * @param ns   true: the attribute must carry a prefix (r:id); false: it must not
 * @return the value (borrowed from @p atts), or NULL when absent
 */
const char *srdi_xlsxin_attr(const XML_Char **atts, const char *name, bool ns);
/**
 * @brief Append @p n bytes of XML text to @p b, decoding Excel's _xHHHH_ escapes.
 * @param b the buffer
 * @param s the text (borrowed)
 * @param n its length
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_xlsxin_append_decoded(srdi_buf *b, const char *s, size_t n);
/**
 * @brief A handler failed: keep the first status @p st (its message already
 * set) and stop the parser.
 * @param r  the run
 * @param st the status
 */
void srdi_xlsxin_run_fail(srdi_xlsxin_run *r, srdi_status st);
/**
 * @brief Parse zip entry @p part with the given handlers (user data: @p r),
 * streaming it in XLSXIN_CHUNK pieces.
 * @param x        the workbook
 * @param part     the part name (borrowed)
 * @param r        the run, the first member of the handlers' state
 * @param required a missing part is an error; else *found = false
 * @param found    receives whether the part exists (may be NULL)
 * @param on_start the start-element handler
 * @param on_end   the end-element handler
 * @param on_text  the character-data handler (NULL: none)
 * @return SRDI_OK; SRDI_ERR_INPUT for a damaged zip or malformed XML (the
 *         message names the workbook, the part, line and column); the status
 *         a handler raised; SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_xlsxin_xml_part(srdi_xlsx *x, const char *part, srdi_xlsxin_run *r, bool required, bool *found,
                                 XML_StartElementHandler on_start, XML_EndElementHandler on_end,
                                 XML_CharacterDataHandler on_text);
/**
 * @brief Load the shared strings table into x->ss (once; a workbook without
 * one has none).
 * @param x the workbook
 * @return SRDI_OK, SRDI_ERR_INPUT or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_xlsxin_load_shared_strings(srdi_xlsx *x);

#endif
