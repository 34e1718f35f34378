/*
 * tests/test_ingest_xlsx.c — Excel workbooks as input (src/ingest/xlsxin_*.c
 * and its hook in ingest.c).
 *
 *  - the bundled samples (CSV) rewritten as workbooks with libxlsxwriter —
 *    numbers stored as numbers with shared strings, and everything stored
 *    as text with inline strings under Chinese headers — load to the same
 *    dataset as the CSV files (every enterprise value, financial row,
 *    patent fact and key, and the reconciliation counts);
 *  - the cell kinds of hand-written worksheet XML (zipped with libzip):
 *    rows and cells without references, gaps, rich and phonetic runs,
 *    _xHHHH_ escapes, booleans, errors, dates, formulas, exponents,
 *    prefixed element names;
 *  - rejects name the worksheet row and enterprises.xlsx[sheet]; a value
 *    right of the header; --sheet; a .csv next to an .xlsx; an industry
 *    class stored as a number;
 *  - malformed workbooks give an error naming the file, never a crash;
 *  - a 300,000-row patents worksheet is read in bounded memory (peak RSS
 *    of `srdi-report check`, measured with GNU time).
 */
#include "testutil.h"
#include "test_ingest_fixture.h"
#include "../src/ingest/xlsxin.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

extern char **environ;

/* =============================================================== helpers */

/*
 * srdi_ingest on @p data_dir (rejects.csv into @p out, or into the data
 * folder when NULL); NULL on failure (the message is left in srdi_error_message()).
 */
static srdi_dataset *load_to(const char *data_dir, const char *out, const char *sheet)
{
    srdi_dataset *d = NULL;
    long long errs = 0;
    return fx_ingest(data_dir, out, 1, sheet, &d, &errs) == SRDI_OK ? d : NULL;
}

static srdi_dataset *load(const char *dir, const char *sheet)
{
    return load_to(dir, NULL, sheet);
}

/* ----------------------------------------------------- CSV → rows of cells */

/* A CSV file as rows of owned cells. */
typedef struct table {
    struct {
        char **cell; /* the row's cells */
        size_t n;    /* their count */
    } * row;
    size_t n, cap; /* rows used and allocated */
} table;

static srdi_status table_row(void *ctx, const srdi_csv_record *rec)
{
    table *t = ctx;
    srdi_status st = srdi_grow((void **)&t->row, &t->cap, t->n + 1, sizeof *t->row);
    if (st != SRDI_OK) return st;
    t->row[t->n].cell = calloc(rec->n, sizeof(char *));
    for (size_t j = 0; t->row[t->n].cell && j < rec->n; j++) t->row[t->n].cell[j] = strndup(rec->f[j], rec->len[j]);
    t->row[t->n].n = t->row[t->n].cell ? rec->n : 0;
    t->n++;
    return SRDI_OK;
}

static void table_read(table *t, const char *path)
{
    size_t n = 0;
    char *data = testutil_read_file(path, &n);
    srdi_csv_reader r;
    memset(t, 0, sizeof *t);
    if (!data || srdi_csv_reader_init(&r, table_row, t, 1) != SRDI_OK) {
        free(data);
        return;
    }
    srdi_csv_reader_feed(&r, data, n);
    srdi_csv_reader_finish(&r);
    srdi_csv_reader_free(&r);
    free(data);
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t j = 0; j < t->row[i].n; j++) free(t->row[i].cell[j]);
        free(t->row[i].cell);
    }
    free(t->row);
}

/* A plain decimal number ("12", "3.5"), not one with a leading zero ("0511"). */
static bool numeric(const char *s, double *v)
{
    if (!*s || (s[0] == '0' && s[1] && s[1] != '.')) return false;
    char *end;
    *v = strtod(s, &end);
    return *end == 0 && strspn(s, "0123456789.") == strlen(s);
}

/* Chinese alias of an English header name (the header row of mode "zh"). */
static const char *zh_header(const char *en)
{
    static const char *const text[][2] = {
        {"id", "统一社会信用代码"},
        {"name", "企业名称"},
        {"level", "层级"},
        {"province", "省份"},
        {"city", "城市"},
        {"industry_code", "行业代码"},
        {"tech_eval", "科技成果评价"},
        {"year", "年度"},
        {"revenue", "营业收入（万元）"},
        {"rd_expense", "研发费用（万元）"},
        {"patent_no", "专利号"},
        {"kind", "专利类型"},
        {"office", "受理局"},
        {"app_year", "申请年"},
        {"pub_year", "公开年"},
        {"status", "法律状态"},
        {"grant_year", "授权年"},
        {"ipc", "主IPC"},
        {"field", "产业领域"},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (strcmp(en, text[i][0]) == 0) return text[i][1];
    int f = srdi_field_lookup(en);
    return f >= 0 ? srdi_field_get((srdi_field)f)->zh : en;
}

/*
 * Write table @p t as a workbook: @p numbers stores numeric-looking cells
 * as numbers (else every cell is text); @p inline_strings uses
 * libxlsxwriter's constant-memory mode (inline strings, else shared);
 * @p zh writes Chinese headers; the data sheet is @p sheet, after an empty
 * sheet "说明" when @p cover.
 */
static void write_xlsx(const table *t, const char *path, bool numbers, bool inline_strings, bool zh, const char *sheet,
                       bool cover)
{
    lxw_workbook_options wo = {.constant_memory = inline_strings ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (cover) worksheet_write_string(workbook_add_worksheet(wb, "说明"), 0, 0, "见下一张工作表", NULL);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    for (size_t i = 0; i < t->n; i++) {
        for (size_t j = 0; j < t->row[i].n; j++) {
            const char *s = t->row[i].cell[j];
            double v;
            if (i == 0)
                worksheet_write_string(ws, 0, (lxw_col_t)j, zh ? zh_header(s) : s, NULL);
            else if (!*s)
                continue; /* an empty cell: nothing written */
            else if (numbers && numeric(s, &v))
                worksheet_write_number(ws, (lxw_row_t)i, (lxw_col_t)j, v, NULL);
            else
                worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)j, s, NULL);
        }
    }
    CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
}

/* ------------------------------------------------------------- compare */

/* ============================================= samples: CSV vs workbooks */

static void test_samples_equivalent(void)
{
    static const char *const files[] = {"enterprises", "financials", "patents"};
    table t[3];
    for (int f = 0; f < 3; f++) {
        char rel[64];
        snprintf(rel, sizeof rel, "samples/%s.csv", files[f]);
        table_read(&t[f], testutil_src(rel));
        CHECK(t[f].n > 10);
    }
    char out[4096];
    snprintf(out, sizeof out, "%s", testutil_tmpdir("xlsx-samples-csv"));
    srdi_dataset *csv = load_to(testutil_src("samples"), out, NULL);
    CHECK(csv != NULL);
    for (int mode = 0; mode < 2; mode++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", testutil_tmpdir(mode ? "xlsx-text-inline" : "xlsx-numbers-shared"));
        for (int f = 0; f < 3; f++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s.xlsx", dir, files[f]);
            /* mode 0: numbers, shared strings, English headers, data on the first sheet;
               mode 1: text, inline strings, Chinese headers, data on sheet "数据" after a cover */
            write_xlsx(&t[f], path, mode == 0, mode == 1, mode == 1, mode ? "数据" : "Sheet1", mode == 1);
        }
        srdi_dataset *x = load(dir, mode ? "数据" : NULL);
        if (!x) fprintf(stderr, "mode %d: %s\n", mode, srdi_error_message());
        CHECK(x != NULL);
        if (csv && x) {
            fx_same_dataset(csv, x);
            CHECK_STR(x->files[0].encoding, "xlsx");
            CHECK_INT(x->files[2].read, (long long)t[2].n - 1);
            CHECK_INT(x->files[0].rejected + x->files[1].rejected + x->files[2].rejected, 0);
        }
        srdi_dataset_free(x);
    }
    srdi_dataset_free(csv);
    for (int f = 0; f < 3; f++) table_free(&t[f]);
}

/* ================================================ hand-written worksheets */

/* Zip the given (name, content) parts into @p path; a NULL content ends the list. */
static void write_zip(const char *path, const char *const *parts)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    CHECK(z != NULL);
    if (!z) return;
    for (size_t i = 0; parts[i]; i += 2) {
        zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        CHECK(zip_file_add(z, parts[i], s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    CHECK_INT(zip_close(z), 0);
}

#define CT "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
#define ROOT_RELS                                                                                                      \
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"    \
    "<Relationship Id=\"rId1\" "                                                                                       \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "                     \
    "Target=\"xl/workbook.xml\"/></Relationships>"
#define WB_RELS                                                                                                        \
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"    \
    "<Relationship Id=\"rId1\" "                                                                                       \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "                          \
    "Target=\"worksheets/sheet1.xml\"/>"                                                                               \
    "<Relationship Id=\"rId2\" "                                                                                       \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "                          \
    "Target=\"/xl/worksheets/../worksheets/sheet2.xml\"/>"                                                             \
    "<Relationship Id=\"rId3\" "                                                                                       \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "                      \
    "Target=\"sharedStrings.xml\"/></Relationships>"
#define WB                                                                                                             \
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "            \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"                         \
    "<sheet name=\"一\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Two\" sheetId=\"2\" "                              \
    "r:id=\"rId2\"/></sheets></workbook>"
#define SST                                                                                                            \
    "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"                 \
    "<si><t>id</t></si><si><t xml:space=\"preserve\"> 名称 </t></si>"                                                \
    "<si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r><rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></si>"             \
    "<si><t>a_x000D_b_x4E2D_</t></si></sst>"

/* A worksheet of the kinds of cells Excel and other writers produce. */
#define SHEET1                                                                                                         \
    "<?xml version=\"1.0\"?><x:worksheet "                                                                             \
    "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"                              \
    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c><x:c r=\"C1\" "    \
    "t=\"inlineStr\"><x:is><x:t>c</x:t></x:is></x:c></x:row>"                                                          \
    "<x:row r=\"3\"><x:c r=\"A3\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"C3\"><x:v>1.5E+3</x:v></x:c></x:row>"             \
    "<x:row r=\"4\"><x:c r=\"A4\" s=\"1\"/><x:c r=\"B4\" t=\"inlineStr\"><x:is><x:t> </x:t></x:is></x:c></x:row>"      \
    "<x:row><x:c t=\"b\"><x:v>1</x:v></x:c><x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c "                                    \
    "t=\"str\"><x:f>A1&amp;B1</x:f><x:v>x&lt;y</x:v></x:c></x:row>"                                                    \
    "<x:row r=\"7\"><x:c r=\"B7\" t=\"d\"><x:v>2024-05-01T00:00:00</x:v></x:c><x:c "                                   \
    "r=\"C7\"><x:v>2.5e-3</x:v></x:c><x:c r=\"D7\" t=\"s\"><x:v>3</x:v></x:c></x:row>"                                 \
    "<x:row r=\"8\"><x:c r=\"A8\" "                                                                                    \
    "t=\"inlineStr\"><x:is><x:r><x:t>内</x:t></x:r><x:r><x:t>联</x:t></x:r></x:is></x:c><x:c "                       \
    "r=\"C8\"><x:v>-1.25E+2</x:v></x:c></x:row>"                                                                       \
    "</x:sheetData></x:worksheet>"
#define SHEET2                                                                                                         \
    "<?xml version=\"1.0\"?><worksheet "                                                                               \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"                                  \
    "<row r=\"2\"><c r=\"B2\"><v>42</v></c></row></sheetData></worksheet>"

/* Room for the parts book_parts lists: seven (name, content) pairs and the NULL. */
#define BOOK_PARTS 15

/*
 * The (name, content) list of the hand-written workbook for write_zip: the
 * package relationships, the workbook (sheets 一 and Two) and its
 * relationships, then @p sst, @p sheet1 and @p sheet2 as the shared strings
 * and the two worksheets (a NULL one is left out), [Content_Types].xml first
 * when @p content_types.  Ends with NULL.
 */
static void book_parts(const char *parts[BOOK_PARTS], bool content_types, const char *sst, const char *sheet1,
                       const char *sheet2)
{
    const char *const all[][2] = {{"[Content_Types].xml", content_types ? CT : NULL},
                                  {"_rels/.rels", ROOT_RELS},
                                  {"xl/workbook.xml", WB},
                                  {"xl/_rels/workbook.xml.rels", WB_RELS},
                                  {"xl/sharedStrings.xml", sst},
                                  {"xl/worksheets/sheet1.xml", sheet1},
                                  {"xl/worksheets/sheet2.xml", sheet2}};
    size_t k = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i][1]) {
            parts[k++] = all[i][0];
            parts[k++] = all[i][1];
        }
    parts[k] = NULL;
}

static srdi_status collect(void *ctx, const srdi_csv_record *rec)
{
    srdi_buf *b = ctx;
    srdi_buf_printf(b, "%ld%s:", rec->line, rec->status == SRDI_CSV_REC_EXTRA_CELL ? "+" : "");
    for (size_t j = 0; j < rec->n; j++) srdi_buf_printf(b, "%s[%s]", j ? "," : "", rec->f[j]);
    srdi_buf_puts(b, "\n");
    return SRDI_OK;
}

static void test_cells(void)
{
    const char *dir = testutil_tmpdir("xlsx-cells");
    char path[4200];
    snprintf(path, sizeof path, "%s/cells.xlsx", dir);
    const char *parts[BOOK_PARTS];
    book_parts(parts, true, SST, SHEET1, SHEET2);
    write_zip(path, parts);

    srdi_xlsx *x = NULL;
    CHECK_INT(srdi_xlsx_open(path, "cells.xlsx", &x), SRDI_OK);
    if (!x) return;
    CHECK_STR(srdi_xlsx_sheet(x), "一");
    srdi_buf b = {0};
    long last = 0;
    CHECK_INT(srdi_xlsx_rows(x, 0, 0, collect, &b, &last), SRDI_OK);
    CHECK_STR(b.data, "1:[id],[ 名称 ],[c]\n"
                      "3:[富文本],[],[1500]\n" /* row 4 holds only a space: blank, skipped */
                      "5:[TRUE],[#N/A],[x<y]\n"
                      "7:[],[2024-05-01T00:00:00],[0.0025],[a\rb中]\n"
                      "8:[内联],[],[-125]\n");
    CHECK_INT(last, 8);

    /* header width 3: short rows padded, a value in D marked; the header row skipped */
    srdi_buf_reset(&b);
    srdi_xlsx_set_width(x, 3);
    CHECK_INT(srdi_xlsx_rows(x, 1, 2, collect, &b, &last), SRDI_OK);
    CHECK_STR(b.data, "3:[富文本],[],[1500]\n5:[TRUE],[#N/A],[x<y]\n");
    CHECK_INT(last, 5);
    srdi_buf_reset(&b);
    CHECK_INT(srdi_xlsx_rows(x, 6, 0, collect, &b, NULL), SRDI_OK);
    CHECK_STR(b.data, "7+:[],[2024-05-01T00:00:00],[0.0025],[a\rb中]\n8:[内联],[],[-125]\n");

    /* a numeric industry class padded to 4 digits in its column only */
    srdi_xlsx_set_width(x, 0);
    srdi_xlsx_set_pad4(x, 0);
    CHECK_INT(srdi_xlsx_select(x, "Two"), SRDI_OK);
    srdi_buf_reset(&b);
    CHECK_INT(srdi_xlsx_rows(x, 0, 0, collect, &b, NULL), SRDI_OK);
    CHECK_STR(b.data, "2:[],[42]\n");
    srdi_xlsx_set_pad4(x, 1);
    srdi_buf_reset(&b);
    CHECK_INT(srdi_xlsx_rows(x, 0, 0, collect, &b, NULL), SRDI_OK);
    CHECK_STR(b.data, "2:[],[0042]\n");

    CHECK_INT(srdi_xlsx_select(x, "Three"), SRDI_ERR_INPUT);
    CHECK_STR(srdi_error_message(), "cells.xlsx: no worksheet named 'Three' (--sheet); the workbook has: 一, Two");
    srdi_buf_free(&b);
    srdi_xlsx_close(x);

    /* the same workbook from memory */
    size_t n = 0;
    char *data = testutil_read_file(path, &n);
    CHECK_INT(srdi_xlsx_open_buffer(data, n, "mem.xlsx", &x), SRDI_OK);
    if (x) {
        CHECK_INT(srdi_xlsx_select(x, "Two"), SRDI_OK);
        CHECK_INT(srdi_xlsx_rows(x, 0, 0, collect, &b, NULL), SRDI_OK);
        CHECK_STR(b.data, "2:[],[42]\n");
        srdi_xlsx_close(x);
    }
    srdi_buf_free(&b);
    free(data);
}

/* ================================================== malformed workbooks */

/* Zip @p parts into @p file in test folder @p tmp; returns its bytes (caller frees; NULL on failure), *n their count. */
static char *zipped(const char *tmp, const char *file, const char *const *parts, size_t *n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", testutil_tmpdir(tmp), file);
    write_zip(path, parts);
    return testutil_read_file(path, n);
}

/* Open @p n bytes of workbook @p label from memory and read every row of its first worksheet; the status. */
static srdi_status read_buffer(const char *data, size_t n, const char *label)
{
    srdi_xlsx *x = NULL;
    srdi_status st = srdi_xlsx_open_buffer(data, n, label, &x);
    if (st == SRDI_OK) {
        srdi_buf b = {0};
        st = srdi_xlsx_rows(x, 0, 0, collect, &b, NULL);
        srdi_buf_free(&b);
        srdi_xlsx_close(x);
    }
    return st;
}

/* Open @p parts as workbook "patents.xlsx" from memory and stream its first sheet; returns the error text. */
static const char *broken(const char *const *parts, srdi_status *st)
{
    size_t n = 0;
    char *data = zipped("xlsx-broken", "b.xlsx", parts, &n);
    *st = read_buffer(data, n, "patents.xlsx");
    free(data);
    return srdi_error_message();
}

static void test_malformed(void)
{
    srdi_status st;
    srdi_xlsx *x = NULL;
    /* not a zip at all; an empty buffer; a truncated zip */
    st = srdi_xlsx_open_buffer("id,name\n1,2\n", 12, "enterprises.xlsx", &x);
    CHECK_INT(st, SRDI_ERR_INPUT);
    CHECK(strncmp(srdi_error_message(), "enterprises.xlsx: cannot open as a workbook: Not a zip archive", 62) == 0);
    CHECK(strstr(srdi_error_message(), ".xls files and password-protected workbooks cannot be read") != NULL);
    CHECK_INT(srdi_xlsx_open_buffer("", 0, "enterprises.xlsx", &x), SRDI_ERR_INPUT);
    CHECK(x == NULL);
    {
        const char *parts[BOOK_PARTS];
        book_parts(parts, false, SST, SHEET1, NULL);
        size_t n = 0;
        char *data = zipped("xlsx-trunc", "t.xlsx", parts, &n);
        for (size_t cut = 0; data && cut < n; cut += n / 37 + 1) { /* every prefix fails cleanly */
            st = read_buffer(data, cut, "t.xlsx");
            CHECK(st != SRDI_OK && strncmp(srdi_error_message(), "t.xlsx", 6) == 0);
        }
        /* flipped bytes inside the compressed data: an error or rows, never a crash */
        for (size_t at = n / 3; data && at < n; at += n / 11 + 1) {
            data[at] ^= 0x5A;
            st = read_buffer(data, n, "t.xlsx");
            CHECK(st == SRDI_OK || strncmp(srdi_error_message(), "t.xlsx", 6) == 0);
            data[at] ^= 0x5A;
        }
        free(data);
    }
    /* a zip without a workbook */
    {
        const char *parts[] = {"hello.txt", "hi", NULL};
        broken(parts, &st);
        CHECK_INT(st, SRDI_ERR_INPUT);
        CHECK_STR(srdi_error_message(),
                  "patents.xlsx: not an Excel .xlsx workbook (a zip archive without xl/workbook.xml)");
    }
    /* broken worksheet XML; a document type declaration (entity expansion) is refused; a shared
       string index the table does not have; a bad cell reference; rows out of order */
    static const char *const bad[][3] = {
        {SST, "<worksheet><sheetData><row r=\"1\"><c><v>1</v></row></sheetData></worksheet>",
         "patents.xlsx: malformed XML in part xl/worksheets/sheet1.xml (line 1, column 47): mismatched tag"},
        {"<!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
         "\"&a;&a;&a;&a;&a;&a;&a;\">]><sst><si><t>&b;</t></si></sst>",
         SHEET2,
         "patents.xlsx: xl/sharedStrings.xml holds a document type declaration, which workbooks never do (refused)"},
        {SST, "<worksheet><sheetData><row r=\"2\"><c r=\"B2\" t=\"s\"><v>4</v></c></row></sheetData></worksheet>",
         "patents.xlsx[一]: cell B2 refers to shared string '4', which the workbook does not have"},
        {SST, "<worksheet><sheetData><row r=\"2\"><c r=\"2B\"><v>4</v></c></row></sheetData></worksheet>",
         "patents.xlsx[一]: bad cell reference '2B' in row 2"},
        {SST, "<worksheet><sheetData><row r=\"3\"/><row r=\"2\"/></sheetData></worksheet>",
         "patents.xlsx[一]: row 2 comes after row 3 (rows out of order)"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *parts[BOOK_PARTS];
        book_parts(parts, false, bad[k][0], bad[k][1], NULL);
        broken(parts, &st);
        CHECK_INT(st, SRDI_ERR_INPUT);
        CHECK_STR(srdi_error_message(), bad[k][2]);
    }
}

/* ========================================================= through ingest */

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    testutil_write_file(path, text, strlen(text));
}

static void test_ingest_rejects(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", testutil_tmpdir("xlsx-rejects"));
    char path[4200];
    snprintf(path, sizeof path, "%s/enterprises.xlsx", dir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "企业名单");
    const char *hdr[] = {"统一社会信用代码", "企业名称", "层级",        "省份", "城市",
                         "行业代码",         "参保人数", "高新技术企业"};
    for (int j = 0; j < 8; j++) worksheet_write_string(ws, 0, (lxw_col_t)j, hdr[j], NULL);
    /* row 2: good, industry class 0511 stored as the number 511, staff as a number, flag as boolean */
    const char *r2[] = {"91110000XLSX00001", "甲公司", "国家级", "北京市", "北京市"};
    for (int j = 0; j < 5; j++) worksheet_write_string(ws, 1, (lxw_col_t)j, r2[j], NULL);
    worksheet_write_number(ws, 1, 5, 511, NULL);
    worksheet_write_number(ws, 1, 6, 120, NULL);
    worksheet_write_boolean(ws, 1, 7, 1, NULL);
    /* row 3: staff is text "abc" — rejected */
    const char *r3[] = {"91110000XLSX00002", "乙公司", "省级", "北京市", "北京市", "3394", "abc", "0"};
    for (int j = 0; j < 8; j++) worksheet_write_string(ws, 2, (lxw_col_t)j, r3[j], NULL);
    /* row 4 blank; row 5: numbers stored as text, a value in column J */
    const char *r5[] = {"91110000XLSX00003", "丙公司", "省级", "北京市", "北京市", "3394", "7", "否"};
    for (int j = 0; j < 8; j++) worksheet_write_string(ws, 4, (lxw_col_t)j, r5[j], NULL);
    worksheet_write_string(ws, 4, 9, "备注", NULL);
    /* row 6: good, all text */
    const char *r6[] = {"91110000XLSX00004", "丁公司", "省级", "北京市", "北京市", "C3394", " 12 ", "是"};
    for (int j = 0; j < 8; j++) worksheet_write_string(ws, 5, (lxw_col_t)j, r6[j], NULL);
    CHECK_INT(workbook_close(wb), LXW_NO_ERROR);

    srdi_dataset *d = load(dir, NULL);
    CHECK(d != NULL);
    if (d) {
        CHECK_INT(d->files[0].read, 4);
        CHECK_INT(d->files[0].accepted, 2);
        CHECK_INT(d->files[0].rejected, 2);
        CHECK_STR(d->files[0].encoding, "xlsx");
        CHECK_INT(d->n, 2);
        if (d->n == 2) {
            CHECK_STR(d->industry[0], "0511");
            double v = 0;
            CHECK(srdi_get(d, SRDI_F_STAFF, 0, &v) && v == 120);
            CHECK(srdi_get(d, SRDI_F_HON_HIGH_TECH, 0, &v) && v == 1);
            CHECK(srdi_get(d, SRDI_F_STAFF, 1, &v) && v == 12);
            CHECK(srdi_get(d, SRDI_F_HON_HIGH_TECH, 1, &v) && v == 1);
        }
        char *rj = fx_rejects(dir);
        CHECK_STR(rj, "file,line,column,value,reason\n"
                      "enterprises.xlsx[企业名单],3,参保人数,abc,参保人数 must be an integer ≥ 0\n"
                      "enterprises.xlsx[企业名单],5,,备注,\"value in column J, right of the last header column\"\n");
        free(rj);
    }
    srdi_dataset_free(d);

    /* --sheet naming a sheet the workbook lacks */
    d = load(dir, "Sheet9");
    CHECK(d == NULL);
    CHECK_STR(srdi_error_message(),
              "enterprises.xlsx: no worksheet named 'Sheet9' (--sheet); the workbook has: 企业名单");

    /* a missing required column names the workbook and sheet */
    snprintf(path, sizeof path, "%s/financials.xlsx", dir);
    wb = workbook_new(path);
    ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "id", NULL);
    worksheet_write_string(ws, 0, 1, "year", NULL);
    CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
    d = load(dir, NULL);
    CHECK(d == NULL);
    CHECK_STR(srdi_error_message(),
              "financials.xlsx[Sheet1]: missing required column 'revenue' (营业收入（万元）); found: id, year");
    remove(path);

    /* the CSV and the workbook of one input side by side */
    write_text(dir, "enterprises.csv", "id,name\n");
    d = load(dir, NULL);
    CHECK(d == NULL);
    char want[9000];
    snprintf(want, sizeof want,
             "%s/enterprises.csv and %s/enterprises.xlsx are both present: which one should be "
             "read? Move or rename the other one",
             dir, dir);
    CHECK_STR(srdi_error_message(), want);
}

/* ====================================================== bounded memory */

/* Peak RSS (KiB) of `srdi-report check --data DIR --out DIR/out --quiet` (GNU time); -1 on failure. */
static long check_rss(const char *dir)
{
    char bin[4200], out[4200], tfile[4200];
    snprintf(bin, sizeof bin, "%s/srdi-report", SRDI_BINARY_DIR);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(tfile, sizeof tfile, "%s/rss.txt", dir);
    char *argv[] = {"/usr/bin/time", "-f",        "%M",    "-o", tfile,     bin, "check",
                    "--data",        (char *)dir, "--out", out,  "--quiet", NULL};
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0) return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    char *t = testutil_read_file(tfile, NULL);
    long kib = t ? strtol(t, NULL, 10) : -1;
    free(t);
    return kib;
}

/* A patents workbook of @p rows rows (inline strings, numbers as numbers) over 50 national enterprises. */
static void write_patents(const char *dir, long rows)
{
    char path[4200];
    srdi_buf e = {0};
    srdi_buf_puts(&e, "id,name,level,province,city,industry_code\n");
    for (int i = 0; i < 50; i++) srdi_buf_printf(&e, "91320000MEM%06d,企业%d,national,江苏省,苏州市,3394\n", i, i);
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    testutil_write_file(path, e.data, e.len);
    srdi_buf_free(&e);
    snprintf(path, sizeof path, "%s/patents.xlsx", dir);
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *hdr[] = {"id", "patent_no", "kind", "office", "app_year", "status", "grant_year"};
    for (int j = 0; j < 7; j++) worksheet_write_string(ws, 0, (lxw_col_t)j, hdr[j], NULL);
    char id[32];
    for (long r = 1; r <= rows; r++) {
        snprintf(id, sizeof id, "91320000MEM%06ld", r % 50);
        worksheet_write_string(ws, (lxw_row_t)r, 0, id, NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 1, 202000000000.0 + (double)r, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 2, "invention", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 3, "CN", NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 4, 2015 + (double)(r % 10), NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 5, "granted", NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 6, 2016 + (double)(r % 10), NULL);
    }
    CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
}

/* the binary under test is the tree's: SRDI_TEST_SANITIZED says its modules carry ASan (a test's own
   code is compiled without the sanitizers, CMakeLists.txt) */
#if defined(SRDI_TEST_SANITIZED) || defined(__SANITIZE_ADDRESS__)
#define ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_BUILD 1
#endif
#endif
#ifndef ASAN_BUILD
#define ASAN_BUILD 0
#endif

static void test_memory(void)
{
    if (ASAN_BUILD) {
        /* under AddressSanitizer the quarantine, not the reader, sets the peak:
           the bound is measured in the plain tree only */
        fprintf(stderr, "note: AddressSanitizer build: the 300,000-row memory bound is checked in the plain tree\n");
        return;
    }
    char small[4096], big[4096];
    snprintf(small, sizeof small, "%s", testutil_tmpdir("xlsx-mem-small"));
    snprintf(big, sizeof big, "%s", testutil_tmpdir("xlsx-mem-big"));
    write_patents(small, 3000);
    write_patents(big, 300000);
    struct stat sb;
    char path[4200];
    snprintf(path, sizeof path, "%s/patents.xlsx", big);
    CHECK(stat(path, &sb) == 0);
    long rss_small = check_rss(small);
    long rss_big = check_rss(big);
    fprintf(stderr, "patents.xlsx 3,000 rows: peak RSS %ld KiB; 300,000 rows (%lld bytes zipped): %ld KiB\n", rss_small,
            (long long)sb.st_size, rss_big);
    CHECK(rss_small > 0 && rss_big > 0);
    /* the worksheet XML is ~100 MB unzipped; streaming keeps the growth to a few MB */
    CHECK(rss_big - rss_small < 12 * 1024);
}

int main(void)
{
    test_cells();
    test_malformed();
    test_ingest_rejects();
    test_samples_equivalent();
    test_memory();
    return testutil_finish();
}
