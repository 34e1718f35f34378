/*
 * src/ingest/xlsxin_book.c — the workbook package (xlsxin_private.h):
 * opening the zip, the relationships, the workbook's worksheets and the
 * shared strings table; choosing a worksheet.
 */
#include "xlsxin_private.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================= helpers */

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * Part name of relationship target @p target seen from folder @p dir
 * ("xl/"): an absolute target drops its '/', "." and ".." segments are
 * resolved.  Returns a new string, or NULL when out of memory (message set).
 */
static char *resolve_part(const char *dir, const char *target)
{
    srdi_buf joined = {0}, out = {0};
    srdi_status st = target[0] == '/' ? srdi_buf_puts(&joined, target + 1) : srdi_buf_puts(&joined, dir);
    if (st == SRDI_OK && target[0] != '/') st = srdi_buf_puts(&joined, target);
    if (st == SRDI_OK) st = srdi_buf_append(&out, "", 0);
    /* segments onto a stack kept in out (separated by '/') */
    for (const char *s = joined.data; st == SRDI_OK && *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) { /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            char *slash = strrchr(out.data, '/');
            out.len = slash ? (size_t)(slash - out.data) : 0;
            out.data[out.len] = 0;
        } else {
            if (out.len) st = srdi_buf_puts(&out, "/");
            if (st == SRDI_OK) st = srdi_buf_append(&out, s, n);
        }
        s += n;
        if (*s == '/') s++;
    }
    srdi_buf_free(&joined);
    if (st != SRDI_OK) {
        srdi_buf_free(&out);
        return NULL;
    }
    return srdi_buf_steal(&out);
}

/* ================================================ elements as rows of text */

/* One column of an element row: an attribute by local name; @p ns as in srdi_xlsxin_attr. */
typedef struct attr_col {
    const char *name;
    bool ns;
} attr_col;

#define ELEM_MAX_COLS 3

/*
 * The elements of one local name in a part, as rows of owned strings: one
 * row per element that carries every attribute of cols (column j of row i
 * at v[i * width + j]).  For relationships (dir set) the last column is the
 * target, resolved against dir into a part name, and external targets are
 * left out.
 */
typedef struct elem_run {
    srdi_xlsxin_run base;
    const char *element;  /* local name of the elements read */
    const attr_col *cols; /* the attributes, one column each */
    size_t width;         /* their count (≤ ELEM_MAX_COLS) */
    const char *dir;      /* relationships: folder of the source part ("" or "xl/"); NULL otherwise */
    char **v;             /* the rows, width cells each */
    size_t n;             /* rows */
    size_t cap;           /* cells allocated (srdi_grow) */
} elem_run;

/* Column @p col of row @p i of an elem_run. */
#define CELL(r, i, col) ((r)->v[(i) * (r)->width + (col)])

static void XMLCALL elem_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    elem_run *r = ud;
    if (r->base.st != SRDI_OK || strcmp(srdi_xlsxin_local_name(name), r->element) != 0) return;
    const char *val[ELEM_MAX_COLS];
    for (size_t j = 0; j < r->width; j++)
        if (!(val[j] = srdi_xlsxin_attr(atts, r->cols[j].name, r->cols[j].ns))) return;
    const char *mode = r->dir ? srdi_xlsxin_attr(atts, "TargetMode", false) : NULL;
    if (mode && strcmp(mode, "External") == 0) return;
    char *cells[ELEM_MAX_COLS];
    bool ok = true;
    for (size_t j = 0; j < r->width; j++) {
        cells[j] = r->dir && j + 1 == r->width ? resolve_part(r->dir, val[j]) : srdi_strdup(val[j]);
        ok = ok && cells[j];
    }
    if (ok && srdi_grow((void **)&r->v, &r->cap, (r->n + 1) * r->width, sizeof *r->v) == SRDI_OK) {
        memcpy(r->v + r->n * r->width, cells, r->width * sizeof *cells);
        r->n++;
        return;
    }
    for (size_t j = 0; j < r->width; j++) free(cells[j]);
    srdi_xlsxin_run_fail(&r->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", r->base.x->label));
}

static void XMLCALL elem_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

static void elem_free(elem_run *r)
{
    for (size_t i = 0; i < r->n * r->width; i++) free(r->v[i]);
    free(r->v);
}

/* Read every row of @p r from @p part (see srdi_xlsxin_xml_part for @p required and @p found). */
static srdi_status elem_read(srdi_xlsx *x, const char *part, elem_run *r, bool required, bool *found)
{
    assert(r->width <= ELEM_MAX_COLS);
    return srdi_xlsxin_xml_part(x, part, &r->base, required, found, elem_start, elem_end, NULL);
}

/* A relationship: Id, Type and the part its Target names. */
enum { REL_ID, REL_TYPE, REL_PART, REL_W };
static const attr_col REL_COLS[REL_W] = {{"Id", false}, {"Type", false}, {"Target", false}};
/* A worksheet of the workbook: its name and relationship id. */
enum { WB_NAME, WB_RID, WB_W };
static const attr_col WB_COLS[WB_W] = {{"name", false}, {"id", true}};

/* Part of the first relationship of @p r whose type ends with @p suffix, or NULL. */
static const char *rels_find_type(const elem_run *r, const char *suffix)
{
    for (size_t i = 0; i < r->n; i++)
        if (ends_with(CELL(r, i, REL_TYPE), suffix)) return CELL(r, i, REL_PART);
    return NULL;
}

/* ================================================================ workbook */

/*
 * The workbook part (_rels/.rels's officeDocument, else xl/workbook.xml)
 * into *wb_part, its worksheets into @p wb and its relationships into @p wbrels
 * (whose dir, *wb_dir, is the caller's to free with *wb_part).
 */
static srdi_status read_workbook(srdi_xlsx *x, elem_run *wb, elem_run *wbrels, char **wb_part, char **wb_dir)
{
    elem_run root = {.element = "Relationship", .cols = REL_COLS, .width = REL_W, .dir = ""};
    bool found;
    srdi_status st = elem_read(x, "_rels/.rels", &root, false, &found);
    const char *w = rels_find_type(&root, "/officeDocument");
    if (st == SRDI_OK && !(*wb_part = srdi_strdup(w ? w : "xl/workbook.xml")))
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    elem_free(&root);
    if (st == SRDI_OK) st = elem_read(x, *wb_part, wb, false, &found);
    if (st != SRDI_OK) return st;
    if (!found)
        return srdi_error_set(SRDI_ERR_INPUT, "%s: not an Excel .xlsx workbook (a zip archive without %s)", x->label,
                              *wb_part);
    /* the workbook's relationships: <dir>/_rels/<name>.rels */
    const char *slash = strrchr(*wb_part, '/');
    size_t dl = slash ? (size_t)(slash - *wb_part) + 1 : 0;
    srdi_buf rels = {0};
    if (!(*wb_dir = malloc(dl + 1)) ||
        srdi_buf_printf(&rels, "%.*s_rels/%s.rels", (int)dl, *wb_part, *wb_part + dl) != SRDI_OK) {
        srdi_buf_free(&rels);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    }
    memcpy(*wb_dir, *wb_part, dl);
    (*wb_dir)[dl] = 0;
    wbrels->dir = *wb_dir;
    st = elem_read(x, rels.data, wbrels, true, NULL);
    srdi_buf_free(&rels);
    return st;
}

/* Read the package structure: the worksheets and the shared strings part. */
static srdi_status load_structure(srdi_xlsx *x)
{
    elem_run wb = {.element = "sheet", .cols = WB_COLS, .width = WB_W};
    elem_run wbrels = {.element = "Relationship", .cols = REL_COLS, .width = REL_W, .dir = ""};
    char *wb_part = NULL, *wb_dir = NULL;
    srdi_status st = read_workbook(x, &wb, &wbrels, &wb_part, &wb_dir);
    if (st != SRDI_OK) goto cleanup;
    x->sheet_name = calloc(wb.n ? wb.n : 1, sizeof *x->sheet_name);
    x->sheet_part = calloc(wb.n ? wb.n : 1, sizeof *x->sheet_part);
    if (!x->sheet_name || !x->sheet_part) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        goto cleanup;
    }
    /* the worksheets in workbook order, each with the part of its relationship */
    for (size_t i = 0; i < wb.n; i++) {
        for (size_t k = 0; k < wbrels.n; k++) {
            if (strcmp(CELL(&wbrels, k, REL_ID), CELL(&wb, i, WB_RID)) != 0 ||
                !ends_with(CELL(&wbrels, k, REL_TYPE), "/worksheet"))
                continue;
            x->sheet_name[x->nsheets] = CELL(&wb, i, WB_NAME);
            x->sheet_part[x->nsheets] = CELL(&wbrels, k, REL_PART);
            CELL(&wb, i, WB_NAME) = NULL; /* given away; a second sheet naming this relationship gets "" */
            if (!(CELL(&wbrels, k, REL_PART) = srdi_strdup("")))
                st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
            x->nsheets++;
            break;
        }
    }
    if (st != SRDI_OK) goto cleanup;
    if (x->nsheets == 0) {
        st = srdi_error_set(SRDI_ERR_INPUT, "%s: the workbook has no worksheet", x->label);
        goto cleanup;
    }
    const char *sst = rels_find_type(&wbrels, "/sharedStrings");
    if (sst && !(x->sst_part = srdi_strdup(sst)))
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
cleanup:
    elem_free(&wb);
    elem_free(&wbrels);
    free(wb_part);
    free(wb_dir);
    return st;
}

/* ========================================================== shared strings */

typedef struct sst_run {
    srdi_xlsxin_run base;
    bool in_si, in_t;
    int rph;      /* depth inside <rPh> (phonetic runs: not part of the text) */
    srdi_buf cur; /* raw text of the current <si> */
} sst_run;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    sst_run *r = ud;
    if (r->base.st != SRDI_OK) return;
    const char *l = srdi_xlsxin_local_name(name);
    if (strcmp(l, "si") == 0) {
        r->in_si = true;
        r->rph = 0;
        srdi_buf_reset(&r->cur);
    } else if (strcmp(l, "rPh") == 0)
        r->rph++;
    else if (strcmp(l, "t") == 0 && r->in_si && r->rph == 0)
        r->in_t = true;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_run *r = ud;
    if (r->base.st != SRDI_OK) return;
    srdi_xlsx *x = r->base.x;
    const char *l = srdi_xlsxin_local_name(name);
    if (strcmp(l, "t") == 0)
        r->in_t = false;
    else if (strcmp(l, "rPh") == 0) {
        if (r->rph > 0) r->rph--;
    } else if (strcmp(l, "si") == 0 && r->in_si) {
        r->in_si = false;
        srdi_status st = srdi_grow((void **)&x->ss_off, &x->cap_ss, x->n_ss + 1, sizeof *x->ss_off);
        if (st == SRDI_OK) {
            x->ss_off[x->n_ss] = x->ss.len;
            st = srdi_xlsxin_append_decoded(&x->ss, r->cur.data ? r->cur.data : "", r->cur.len);
        }
        if (st == SRDI_OK) st = srdi_buf_append(&x->ss, "", 1);
        if (st != SRDI_OK) {
            srdi_xlsxin_run_fail(
                &r->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading the shared strings of %s", x->label));
            return;
        }
        if (x->ss.len > XLSXIN_SST_MAX) {
            srdi_xlsxin_run_fail(
                &r->base, srdi_error_set(SRDI_ERR_INPUT, "%s: shared strings table over 1 GiB (refused)", x->label));
            return;
        }
        x->n_ss++;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_run *r = ud;
    if (r->base.st != SRDI_OK || !r->in_t) return;
    if (r->cur.len + (size_t)len > XLSXIN_CELL_MAX) {
        srdi_xlsxin_run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s: shared string %zu is over 1 MiB (refused)",
                                                      r->base.x->label, r->base.x->n_ss));
        return;
    }
    if (srdi_buf_append(&r->cur, s, (size_t)len) != SRDI_OK)
        srdi_xlsxin_run_fail(&r->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading the shared strings of %s",
                                                      r->base.x->label));
}

srdi_status srdi_xlsxin_load_shared_strings(srdi_xlsx *x)
{
    if (x->sst_loaded) return SRDI_OK;
    x->sst_loaded = true;
    if (!x->sst_part) return SRDI_OK;
    sst_run r = {0};
    srdi_status st = srdi_xlsxin_xml_part(x, x->sst_part, &r.base, false, NULL, sst_start, sst_end, sst_text);
    srdi_buf_free(&r.cur);
    return st;
}

/* ================================================================== public */

static srdi_status finish_open(srdi_xlsx *x, srdi_xlsx **out)
{
    srdi_status st = load_structure(x);
    if (st != SRDI_OK) {
        srdi_xlsx_close(x);
        return st;
    }
    *out = x;
    return SRDI_OK;
}

static srdi_xlsx *xlsx_new(const char *label)
{
    srdi_xlsx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->pad4 = -1;
    if (!(x->label = srdi_strdup(label))) {
        free(x);
        return NULL;
    }
    return x;
}

static const char *not_xlsx_hint =
    "(is it an .xlsx workbook? .xls files and password-protected workbooks cannot be read: "
    "save it as .xlsx or CSV)";

srdi_status srdi_xlsx_open(const char *path, const char *label, srdi_xlsx **out)
{
    *out = NULL;
    if (srdi_zip_load() != SRDI_OK) return srdi_error_set(SRDI_ERR_INPUT, "%s: %s", label, srdi_error_message());
    srdi_xlsx *x = xlsx_new(label);
    if (!x) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory opening %s", label);
    int err = 0;
    x->za = zip_open(path, ZIP_RDONLY, &err);
    if (!x->za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        srdi_status st = srdi_error_set(SRDI_ERR_INPUT, "%s: cannot open %s as a workbook: %s %s", label, path,
                                        zip_error_strerror(&ze), not_xlsx_hint);
        zip_error_fini(&ze);
        srdi_xlsx_close(x);
        return st;
    }
    return finish_open(x, out);
}

srdi_status srdi_xlsx_open_buffer(const void *data, size_t n, const char *label, srdi_xlsx **out)
{
    *out = NULL;
    if (srdi_zip_load() != SRDI_OK) return srdi_error_set(SRDI_ERR_INPUT, "%s: %s", label, srdi_error_message());
    srdi_xlsx *x = xlsx_new(label);
    if (!x) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory opening %s", label);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(n ? data : "", n, 0, &ze);
    if (src && !(x->za = zip_open_from_source(src, ZIP_RDONLY, &ze))) zip_source_free(src);
    if (!x->za) {
        srdi_status st = srdi_error_set(SRDI_ERR_INPUT, "%s: cannot open as a workbook: %s %s", label,
                                        zip_error_strerror(&ze), not_xlsx_hint);
        zip_error_fini(&ze);
        srdi_xlsx_close(x);
        return st;
    }
    zip_error_fini(&ze);
    return finish_open(x, out);
}

void srdi_xlsx_close(srdi_xlsx *x)
{
    if (!x) return;
    if (x->za) zip_discard(x->za);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheet_name[i]);
        free(x->sheet_part[i]);
    }
    free(x->sheet_name);
    free(x->sheet_part);
    free(x->sst_part);
    srdi_buf_free(&x->ss);
    free(x->ss_off);
    free(x->label);
    free(x);
}

srdi_status srdi_xlsx_select(srdi_xlsx *x, const char *name)
{
    if (!name) {
        x->sel = 0;
        return SRDI_OK;
    }
    for (size_t i = 0; i < x->nsheets; i++)
        if (strcmp(x->sheet_name[i], name) == 0) {
            x->sel = i;
            return SRDI_OK;
        }
    srdi_buf list = {0};
    for (size_t i = 0; i < x->nsheets; i++) srdi_buf_printf(&list, "%s%s", i ? ", " : "", x->sheet_name[i]);
    srdi_status st = srdi_error_set(SRDI_ERR_INPUT, "%s: no worksheet named '%s' (--sheet); the workbook has: %s",
                                    x->label, name, list.data ? list.data : "");
    srdi_buf_free(&list);
    return st;
}

const char *srdi_xlsx_sheet(const srdi_xlsx *x)
{
    return x->sheet_name[x->sel];
}

void srdi_xlsx_set_width(srdi_xlsx *x, size_t ncols)
{
    x->width = ncols;
}

void srdi_xlsx_set_pad4(srdi_xlsx *x, int col)
{
    x->pad4 = col;
}
