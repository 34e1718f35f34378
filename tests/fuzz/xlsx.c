/*
 * tests/fuzz/xlsx.c — libFuzzer harness: the .xlsx input reader
 * (src/ingest/xlsxin_*.c).
 *
 * An input is either a zip archive as it is (it starts with "PK": the
 * container itself is fuzzed) or, so that mutations reach the XML instead
 * of breaking checksums, the parts of a workbook as text:
 *
 *   ==> xl/workbook.xml <==
 *   <workbook …>…</workbook>
 *   ==> xl/worksheets/sheet1.xml <==
 *   …
 *
 * which the harness stores (uncompressed) in a zip in memory.  The reader
 * then opens it, lists and selects worksheets (an unknown name, then the
 * first one) and streams the rows header-wide and then as found.  Each
 * record handed over must be well-formed: fields NUL-terminated at their
 * length, row numbers increasing.
 */
#include "fuzz_common.h"
#include "../../src/ingest/xlsxin.h"
#include "srdi/error.h"

#include <zip.h>

#define MARK     "==> "
#define MARK_END " <==\n"

typedef struct check {
    long last;
} check;

static srdi_status on_row(void *ctx, const srdi_csv_record *rec)
{
    check *c = ctx;
    if (rec->line <= c->last) abort(); /* rows come in increasing order */
    c->last = rec->line;
    for (size_t i = 0; i < rec->n; i++)
        if (rec->f[i][rec->len[i]] != 0 || strlen(rec->f[i]) > rec->len[i]) abort();
    return SRDI_OK;
}

/* Start of the next line "==> " at or after @p p (a line start); NULL when none. */
static const char *next_mark(const char *p, const char *end)
{
    if ((size_t)(end - p) >= sizeof MARK - 1 && memcmp(p, MARK, sizeof MARK - 1) == 0) return p;
    const char *q = memmem(p, (size_t)(end - p), "\n" MARK, sizeof MARK);
    return q ? q + 1 : NULL;
}

/* Build an uncompressed zip of the text parts in @p data; *out is malloc'd. */
static size_t zip_parts(const char *data, size_t size, char **out)
{
    *out = NULL;
    const char *end = data + size;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!mem) abort();
    zip_source_keep(mem);
    zip_t *za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    if (!za) abort();
    for (const char *p = next_mark(data, end); p;) {
        const char *name = p + sizeof MARK - 1;
        const char *ne = memchr(name, '\n', (size_t)(end - name));
        if (!ne) ne = end;
        const char *body = ne < end ? ne + 1 : end;
        size_t tl = sizeof MARK_END - 2; /* " <==" */
        if ((size_t)(ne - name) >= tl && memcmp(ne - tl, MARK_END, tl) == 0) ne -= tl;
        const char *nx = next_mark(body, end);
        const char *be = nx ? (nx > body ? nx - 1 : nx) : end;
        char nm[512];
        size_t nl = (size_t)(ne - name) < sizeof nm - 1 ? (size_t)(ne - name) : sizeof nm - 1;
        memcpy(nm, name, nl);
        nm[nl] = 0;
        zip_source_t *s = zip_source_buffer(za, body, (zip_uint64_t)(be - body), 0);
        if (s) {
            zip_int64_t idx = zip_file_add(za, nm, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
            if (idx < 0)
                zip_source_free(s);
            else
                zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
        p = nx;
    }
    size_t n = 0;
    if (zip_close(za) != 0) {
        zip_discard(za);
        zip_source_free(mem);
        return 0;
    }
    if (zip_source_open(mem) == 0) {
        zip_source_seek(mem, 0, SEEK_END);
        zip_int64_t len = zip_source_tell(mem);
        zip_source_seek(mem, 0, SEEK_SET);
        if (len > 0 && (*out = malloc((size_t)len)) && zip_source_read(mem, *out, (zip_uint64_t)len) == len)
            n = (size_t)len;
        zip_source_close(mem);
    }
    zip_source_free(mem);
    return n;
}

static void read_book(const void *buf, size_t n)
{
    srdi_xlsx *x = NULL;
    if (srdi_xlsx_open_buffer(buf, n, "fuzz.xlsx", &x) != SRDI_OK) return;
    (void)srdi_xlsx_select(x, "no such sheet"); /* the error lists the worksheets */
    srdi_error_clear();
    if (srdi_xlsx_select(x, NULL) == SRDI_OK && srdi_xlsx_sheet(x)) {
        check c = {.last = 0};
        long last = 0;
        srdi_xlsx_set_width(x, 6);
        srdi_xlsx_set_pad4(x, 2);
        if (srdi_xlsx_rows(x, 0, 1, on_row, &c, &last) == SRDI_OK) { /* the header, */
            srdi_xlsx_set_width(x, 0);
            (void)srdi_xlsx_rows(x, last, 0, on_row, &c, NULL); /* then the rest */
        }
    }
    srdi_xlsx_close(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        read_book(data, size);
    } else {
        char *zip = NULL;
        size_t n = zip_parts((const char *)data, size, &zip);
        if (n) read_book(zip, n);
        free(zip);
    }
    srdi_error_clear();
    return 0;
}
