/*
 * src/ingest/xlsxin.c — one worksheet of an .xlsx workbook as rows of text
 * cells (see xlsxin.h): libzip for the container, expat for the XML.
 *
 * Parts read, in order: _rels/.rels (where the workbook part is), the
 * workbook (its worksheets, in order, with their relationship ids), the
 * workbook's relationships (worksheet parts, the shared strings part), the
 * shared strings (into memory, once, when a worksheet is first streamed)
 * and the worksheet (streamed).  Element names are matched on their local
 * part (after any prefix; expat runs without namespace processing, which
 * costs a string per element), so transitional and strict OOXML and
 * prefixed elements all read.
 * A document type declaration is refused (no entity expansion).
 */
#include "xlsxin.h"

#include <expat.h>
#include <zip.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK    ((size_t)64 << 10) /* bytes of XML fed to expat at a time */
#define CELL_MAX ((size_t)1 << 20)  /* bytes of one cell's text (Excel: 32,767 characters) */
#define SST_MAX  ((size_t)1 << 30)  /* bytes of the whole shared strings table */
#define MAX_COLS 16384              /* columns A … XFD */
#define NS_SEP   ':'                /* prefix separator of qualified names */

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

/* ================================================================= helpers */

static const char *local_name(const XML_Char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

/* Attribute by local name; @p ns: true = must carry a namespace (r:id), false = must not. */
static const char *attr(const XML_Char **atts, const char *name, bool ns)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *sep = strrchr(atts[i], NS_SEP);
        if (ns ? (sep && strcmp(sep + 1, name) == 0) : (!sep && strcmp(atts[i], name) == 0)) return atts[i + 1];
    }
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * Part name of relationship target @p target seen from folder @p dir
 * ("xl/"): an absolute target drops its '/', "." and ".." segments are
 * resolved.  Returns a new string or NULL (out of memory).
 */
static char *resolve_part(const char *dir, const char *target)
{
    srdi_buf joined = {0}, out = {0};
    if (target[0] == '/')
        srdi_buf_puts(&joined, target + 1);
    else {
        srdi_buf_puts(&joined, dir);
        srdi_buf_puts(&joined, target);
    }
    if (!joined.data) return NULL;
    /* segments onto a stack kept in out (separated by '/') */
    const char *s = joined.data;
    srdi_buf_append(&out, "", 0);
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) { /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            char *slash = out.data ? strrchr(out.data, '/') : NULL;
            out.len = slash ? (size_t)(slash - out.data) : 0;
            if (out.data) out.data[out.len] = 0;
        } else {
            if (out.len) srdi_buf_puts(&out, "/");
            srdi_buf_append(&out, s, n);
        }
        s += n;
        if (*s == '/') s++;
    }
    srdi_buf_free(&joined);
    return srdi_buf_steal(&out);
}

/* Append @p n bytes of XML text to @p b, decoding Excel's _xHHHH_ escapes. */
static srdi_status append_decoded(srdi_buf *b, const char *s, size_t n)
{
    if (!memchr(s, '_', n)) return srdi_buf_append(b, s, n);
    size_t i = 0;
    while (i < n) {
        unsigned cp = 0;
        bool esc = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
        for (int k = 2; esc && k < 6; k++) {
            char c = s[i + (size_t)k];
            unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                : 16u;
            if (d == 16) esc = false;
            cp = cp * 16 + d;
        }
        if (!esc) {
            if (srdi_buf_append(b, s + i, 1) != SRDI_OK) return SRDI_ERR_NOMEM;
            i++;
            continue;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* a lone surrogate half */
        char u[3];
        size_t k;
        if (cp < 0x80) {
            u[0] = (char)cp;
            k = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            k = 2;
        } else {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            k = 3;
        }
        if (srdi_buf_append(b, u, k) != SRDI_OK) return SRDI_ERR_NOMEM;
        i += 7;
    }
    return SRDI_OK;
}

/*
 * Text of a numeric cell: as stored, except that an exponent is written out
 * in plain decimal with the shortest digits that read back as the same
 * double (1.5E+3 → 1500, 1E-3 → 0.001).  Anything strtod does not take
 * whole is kept as it is (the row is then rejected as not a number).
 */
static srdi_status append_number(srdi_buf *b, const char *s, size_t n)
{
    srdi_ingest_trim(&s, &n);
    if (!memchr(s, 'e', n) && !memchr(s, 'E', n)) return srdi_buf_append(b, s, n);
    char tmp[64], *end;
    if (n >= sizeof tmp) return srdi_buf_append(b, s, n);
    memcpy(tmp, s, n);
    tmp[n] = 0;
    errno = 0;
    double v = strtod(tmp, &end);
    if (*end || !isfinite(v) || errno == ERANGE) return srdi_buf_append(b, s, n);
    char e[40];
    for (int p = 0; p <= 16; p++) {
        snprintf(e, sizeof e, "%.*e", p, v);
        if (strtod(e, NULL) == v) break;
    }
    /* e = [-]d[.ddd]e±XX: digits and the decimal exponent */
    const char *q = e;
    bool neg = *q == '-';
    if (neg) q++;
    char digits[24];
    size_t nd = 0;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd + 1 < sizeof digits) digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    long ex = *q == 'e' ? strtol(q + 1, NULL, 10) : 0;
    long point = ex + 1; /* digits before the decimal point */
    srdi_status st = SRDI_OK;
    if (v == 0) return srdi_buf_puts(b, "0");
    if (neg) st = srdi_buf_puts(b, "-");
    if (point <= 0) {
        st = srdi_buf_puts(b, "0.");
        for (long i = 0; i < -point && st == SRDI_OK; i++) st = srdi_buf_puts(b, "0");
        if (st == SRDI_OK) st = srdi_buf_append(b, digits, nd);
    } else if ((size_t)point >= nd) {
        st = srdi_buf_append(b, digits, nd);
        for (long i = (long)nd; i < point && st == SRDI_OK; i++) st = srdi_buf_puts(b, "0");
    } else {
        st = srdi_buf_append(b, digits, (size_t)point);
        if (st == SRDI_OK) st = srdi_buf_puts(b, ".");
        if (st == SRDI_OK) st = srdi_buf_append(b, digits + point, nd - (size_t)point);
    }
    return st;
}

/* ============================================================ XML driving */

typedef struct xml_run {
    XML_Parser p;
    srdi_xlsx *x;
    const char *part;
    srdi_status st; /* failure raised by a handler (message already set) */
    bool done;      /* a handler stopped the parse early, successfully */
} xml_run;

static void run_fail(xml_run *r, srdi_status st)
{
    if (r->st == SRDI_OK && !r->done) r->st = st;
    XML_StopParser(r->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int internal)
{
    (void)name;
    (void)sys;
    (void)pub;
    (void)internal;
    xml_run *r = ud;
    run_fail(r, srdi_error_set(SRDI_ERR_INPUT,
                               "%s: %s holds a document type declaration, "
                               "which workbooks never do (refused)",
                               r->x->label, r->part));
}

/*
 * Parse zip entry @p part with the given handlers, streaming it in CHUNK
 * pieces.  A missing part is an error when @p required, else *found = false.
 */
static srdi_status xml_part(srdi_xlsx *x, const char *part, xml_run *r, bool required, bool *found,
                            XML_StartElementHandler on_start, XML_EndElementHandler on_end,
                            XML_CharacterDataHandler on_text)
{
    srdi_status st = SRDI_OK;
    char *buf = NULL;
    XML_Parser p = NULL;
    if (found) *found = true;
    zip_file_t *zf = zip_fopen(x->za, part, ZIP_FL_NOCASE);
    if (!zf) {
        if (!required && zip_error_code_zip(zip_get_error(x->za)) == ZIP_ER_NOENT) {
            if (found) *found = false;
            zip_error_clear(x->za);
            return SRDI_OK;
        }
        return srdi_error_set(SRDI_ERR_INPUT, "%s: cannot read part %s of the workbook: %s", x->label, part,
                              zip_strerror(x->za));
    }
    p = XML_ParserCreate(NULL);
    buf = malloc(CHUNK);
    if (!p || !buf) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        goto cleanup;
    }
    r->p = p;
    r->x = x;
    r->part = part;
    r->st = SRDI_OK;
    r->done = false;
    XML_SetUserData(p, r);
    XML_SetElementHandler(p, on_start, on_end);
    if (on_text) XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    for (;;) {
        zip_int64_t got = zip_fread(zf, buf, CHUNK);
        if (got < 0) {
            st = srdi_error_set(SRDI_ERR_INPUT, "%s: the workbook is damaged (part %s: %s)", x->label, part,
                                zip_file_strerror(zf));
            break;
        }
        if (XML_Parse(p, buf, (int)got, got == 0) == XML_STATUS_ERROR) {
            if (r->done) break;
            if (r->st != SRDI_OK) {
                st = r->st;
                break;
            }
            st = srdi_error_set(SRDI_ERR_INPUT, "%s: malformed XML in part %s (line %lu, column %lu): %s", x->label,
                                part, (unsigned long)XML_GetCurrentLineNumber(p),
                                (unsigned long)XML_GetCurrentColumnNumber(p) + 1, XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (r->st != SRDI_OK) {
            st = r->st;
            break;
        }
        if (r->done || got == 0) break;
    }
cleanup:
    if (p) XML_ParserFree(p);
    free(buf);
    zip_fclose(zf);
    return st;
}

/* ============================================================ string rows */

/* Rows of owned strings, @p width a row: column j of row i at v[i * width + j]. */
typedef struct str_rows {
    char **v;
    size_t n, cap; /* rows */
} str_rows;

/*
 * Append a row of @p width strings the caller allocated (any may be NULL when
 * that allocation failed).  Takes ownership of them either way: false (every
 * cell freed) when a cell is NULL or the rows cannot grow.
 */
static bool rows_add(str_rows *t, size_t width, char **cells)
{
    bool ok = true;
    for (size_t j = 0; j < width; j++) ok = ok && cells[j];
    if (ok && t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 8;
        char **v = realloc(t->v, nc * width * sizeof *v);
        if (v) {
            t->v = v;
            t->cap = nc;
        } else
            ok = false;
    }
    if (!ok) {
        for (size_t j = 0; j < width; j++) free(cells[j]);
        return false;
    }
    memcpy(t->v + t->n * width, cells, width * sizeof *cells);
    t->n++;
    return true;
}

static void rows_free(str_rows *t, size_t width)
{
    for (size_t i = 0; i < t->n * width; i++) free(t->v[i]);
    free(t->v);
}

/* ============================================================ relationships */

enum { REL_ID, REL_TYPE, REL_PART, REL_W };
#define REL(r, i, col) ((r)->rows.v[(i)*REL_W + (col)])

typedef struct rels_run {
    xml_run base;
    const char *dir; /* folder of the source part ("" or "xl/") */
    str_rows rows;   /* REL_W columns: Id, Type, the part it targets */
} rels_run;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_run *r = ud;
    if (r->base.st != SRDI_OK || strcmp(local_name(name), "Relationship") != 0) return;
    const char *id = attr(atts, "Id", false), *type = attr(atts, "Type", false);
    const char *target = attr(atts, "Target", false), *mode = attr(atts, "TargetMode", false);
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0)) return;
    char *cells[REL_W] = {srdi_strdup(id), srdi_strdup(type), resolve_part(r->dir, target)};
    if (!rows_add(&r->rows, REL_W, cells))
        run_fail(&r->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a workbook"));
}

static void XMLCALL rels_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

static void rels_free(rels_run *r)
{
    rows_free(&r->rows, REL_W);
}

/* Part of the first relationship whose type ends with @p suffix, or NULL. */
static const char *rels_find_type(const rels_run *r, const char *suffix)
{
    for (size_t i = 0; i < r->rows.n; i++)
        if (ends_with(REL(r, i, REL_TYPE), suffix)) return REL(r, i, REL_PART);
    return NULL;
}

/* ================================================================ workbook */

enum { WB_NAME, WB_RID, WB_W };
#define WB(r, i, col) ((r)->rows.v[(i)*WB_W + (col)])

typedef struct wb_run {
    xml_run base;
    str_rows rows; /* WB_W columns: sheet name, relationship id */
} wb_run;

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_run *r = ud;
    if (r->base.st != SRDI_OK || strcmp(local_name(name), "sheet") != 0) return;
    const char *nm = attr(atts, "name", false), *rid = attr(atts, "id", true);
    if (!nm || !rid) return;
    char *cells[WB_W] = {srdi_strdup(nm), srdi_strdup(rid)};
    if (!rows_add(&r->rows, WB_W, cells))
        run_fail(&r->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a workbook"));
}

static void XMLCALL wb_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

/* Read the package structure: the worksheets and the shared strings part. */
static srdi_status load_structure(srdi_xlsx *x)
{
    srdi_status st;
    rels_run root = {.dir = ""}, wbrels = {0};
    wb_run wb = {0};
    char *wb_part = NULL, *wb_dir = NULL, *wbrels_part = NULL;
    bool found;

    if ((st = xml_part(x, "_rels/.rels", &root.base, false, &found, rels_start, rels_end, NULL)) != SRDI_OK)
        goto cleanup;
    const char *w = rels_find_type(&root, "/officeDocument");
    wb_part = srdi_strdup(w ? w : "xl/workbook.xml");
    if (!wb_part) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        goto cleanup;
    }
    st = xml_part(x, wb_part, &wb.base, false, &found, wb_start, wb_end, NULL);
    if (st != SRDI_OK) goto cleanup;
    if (!found) {
        st = srdi_error_set(SRDI_ERR_INPUT, "%s: not an Excel .xlsx workbook (a zip archive without %s)", x->label,
                            wb_part);
        goto cleanup;
    }
    /* the workbook's relationships: <dir>/_rels/<name>.rels */
    const char *slash = strrchr(wb_part, '/');
    size_t dl = slash ? (size_t)(slash - wb_part) + 1 : 0;
    wb_dir = malloc(dl + 1);
    wbrels_part = malloc(strlen(wb_part) + 16);
    if (!wb_dir || !wbrels_part) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        goto cleanup;
    }
    memcpy(wb_dir, wb_part, dl);
    wb_dir[dl] = 0;
    sprintf(wbrels_part, "%s_rels/%s.rels", wb_dir, wb_part + dl);
    wbrels.dir = wb_dir;
    if ((st = xml_part(x, wbrels_part, &wbrels.base, true, NULL, rels_start, rels_end, NULL)) != SRDI_OK) goto cleanup;

    x->sheet_name = calloc(wb.rows.n ? wb.rows.n : 1, sizeof *x->sheet_name);
    x->sheet_part = calloc(wb.rows.n ? wb.rows.n : 1, sizeof *x->sheet_part);
    if (!x->sheet_name || !x->sheet_part) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        goto cleanup;
    }
    for (size_t i = 0; i < wb.rows.n; i++) {
        for (size_t k = 0; k < wbrels.rows.n; k++) {
            if (strcmp(REL(&wbrels, k, REL_ID), WB(&wb, i, WB_RID)) != 0 ||
                !ends_with(REL(&wbrels, k, REL_TYPE), "/worksheet"))
                continue;
            x->sheet_name[x->nsheets] = WB(&wb, i, WB_NAME);
            x->sheet_part[x->nsheets] = REL(&wbrels, k, REL_PART);
            WB(&wb, i, WB_NAME) = NULL;
            REL(&wbrels, k, REL_PART) = srdi_strdup(""); /* given away; keep the array freeable */
            x->nsheets++;
            break;
        }
    }
    if (x->nsheets == 0) {
        st = srdi_error_set(SRDI_ERR_INPUT, "%s: the workbook has no worksheet", x->label);
        goto cleanup;
    }
    const char *sst = rels_find_type(&wbrels, "/sharedStrings");
    if (sst && !(x->sst_part = srdi_strdup(sst))) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        goto cleanup;
    }

cleanup:
    rels_free(&root);
    rels_free(&wbrels);
    rows_free(&wb.rows, WB_W);
    free(wb_part);
    free(wb_dir);
    free(wbrels_part);
    return st;
}

/* ========================================================== shared strings */

typedef struct sst_run {
    xml_run base;
    bool in_si, in_t;
    int rph;      /* depth inside <rPh> (phonetic runs: not part of the text) */
    srdi_buf cur; /* raw text of the current <si> */
} sst_run;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    sst_run *r = ud;
    if (r->base.st != SRDI_OK) return;
    const char *l = local_name(name);
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
    const char *l = local_name(name);
    if (strcmp(l, "t") == 0)
        r->in_t = false;
    else if (strcmp(l, "rPh") == 0) {
        if (r->rph > 0) r->rph--;
    } else if (strcmp(l, "si") == 0 && r->in_si) {
        r->in_si = false;
        if (x->n_ss == x->cap_ss) {
            size_t nc = x->cap_ss ? x->cap_ss * 2 : 1024;
            size_t *o = realloc(x->ss_off, nc * sizeof *o);
            if (!o) {
                run_fail(&r->base,
                         srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading the shared strings of %s", x->label));
                return;
            }
            x->ss_off = o;
            x->cap_ss = nc;
        }
        x->ss_off[x->n_ss] = x->ss.len;
        if (append_decoded(&x->ss, r->cur.data ? r->cur.data : "", r->cur.len) != SRDI_OK ||
            srdi_buf_append(&x->ss, "", 1) != SRDI_OK) {
            run_fail(&r->base,
                     srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading the shared strings of %s", x->label));
            return;
        }
        if (x->ss.len > SST_MAX) {
            run_fail(&r->base,
                     srdi_error_set(SRDI_ERR_INPUT, "%s: shared strings table over 1 GiB (refused)", x->label));
            return;
        }
        x->n_ss++;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_run *r = ud;
    if (r->base.st != SRDI_OK || !r->in_t) return;
    if (r->cur.len + (size_t)len > CELL_MAX) {
        run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s: shared string %zu is over 1 MiB (refused)",
                                          r->base.x->label, r->base.x->n_ss));
        return;
    }
    if (srdi_buf_append(&r->cur, s, (size_t)len) != SRDI_OK)
        run_fail(&r->base,
                 srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading the shared strings of %s", r->base.x->label));
}

static srdi_status load_shared_strings(srdi_xlsx *x)
{
    if (x->sst_loaded) return SRDI_OK;
    x->sst_loaded = true;
    if (!x->sst_part) return SRDI_OK;
    sst_run r = {0};
    srdi_status st = xml_part(x, x->sst_part, &r.base, false, NULL, sst_start, sst_end, sst_text);
    srdi_buf_free(&r.cur);
    return st;
}

/* =============================================================== worksheet */

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_BOOL, CT_TEXT /* str, e, d */ };

typedef struct cell_ref {
    size_t col, off, len;
} cell_ref;

typedef struct sheet_run {
    xml_run base;
    srdi_csv_record_fn fn;
    void *ctx;
    long after_row;
    size_t max_rows, emitted;
    long last_row;
    bool in_row, in_c, in_v, in_is, in_t;
    int rph;
    long row, prev_row;
    size_t col;    /* current cell's column */
    long prev_col; /* previous cell's column in this row, -1 at row start */
    enum cell_type type;
    char ref[24];    /* current cell's reference, made for messages only (cell_ref_text) */
    srdi_buf cv;     /* raw text of the current cell (<v> or <is>) */
    srdi_buf rowbuf; /* cell texts of the row, NUL-separated */
    cell_ref *cells;
    size_t ncells, capcells;
    long last_nonempty; /* column of the row's last non-empty cell, -1 = none */
    const char **f;     /* record fields */
    size_t *len;
    size_t capf;
} sheet_run;

/* Column letters → 0-based index (A = 0); -1 when not a valid reference. */
static long parse_ref(const char *s, long *row)
{
    long col = 0;
    size_t i = 0;
    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
        col = col * 26 + ((s[i] | 0x20) - 'a' + 1);
        if (col > MAX_COLS) return -1;
    }
    if (i == 0) return -1;
    long r = 0;
    size_t k = i;
    for (; s[k] >= '0' && s[k] <= '9'; k++) {
        r = r * 10 + (s[k] - '0');
        if (r > 100000000) return -1;
    }
    if (s[k] || k == i) return -1;
    *row = r;
    return col - 1;
}

static void col_letters(size_t col, char *out)
{
    char tmp[8];
    size_t n = 0;
    col++;
    while (col > 0 && n < sizeof tmp) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* "B3": the current cell's reference, for a message. */
static const char *cell_ref_text(sheet_run *r)
{
    col_letters(r->col, r->ref);
    snprintf(r->ref + strlen(r->ref), sizeof r->ref - strlen(r->ref), "%ld", r->row);
    return r->ref;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sheet_run *r = ud;
    if (r->base.st != SRDI_OK || r->base.done) return;
    srdi_xlsx *x = r->base.x;
    const char *l = local_name(name);
    if (strcmp(l, "row") == 0) {
        const char *rn = attr(atts, "r", false);
        long row = r->prev_row + 1;
        if (rn) {
            char *end;
            errno = 0;
            row = strtol(rn, &end, 10);
            if (*end || errno || row < 1 || row > 100000000) {
                run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: bad row number '%s'", x->label,
                                                  x->sheet_name[x->sel], rn));
                return;
            }
        }
        if (row <= r->prev_row) {
            run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: row %ld comes after row %ld (rows out of order)",
                                              x->label, x->sheet_name[x->sel], row, r->prev_row));
            return;
        }
        r->row = row;
        r->in_row = true;
        r->ncells = 0;
        r->prev_col = -1;
        r->last_nonempty = -1;
        srdi_buf_reset(&r->rowbuf);
    } else if (strcmp(l, "c") == 0 && r->in_row) {
        const char *ref = attr(atts, "r", false), *t = attr(atts, "t", false);
        long col = r->prev_col + 1;
        if (ref) {
            long rr = 0;
            col = parse_ref(ref, &rr);
            if (col < 0 || rr != r->row) {
                run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: bad cell reference '%s' in row %ld",
                                                  x->label, x->sheet_name[x->sel], ref, r->row));
                return;
            }
        } else if (col >= MAX_COLS) {
            run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: row %ld has more than %d columns", x->label,
                                              x->sheet_name[x->sel], r->row, MAX_COLS));
            return;
        }
        r->col = (size_t)col;
        r->prev_col = col;
        r->type = !t || strcmp(t, "n") == 0     ? CT_NUMBER
                  : strcmp(t, "s") == 0         ? CT_SHARED
                  : strcmp(t, "inlineStr") == 0 ? CT_INLINE
                  : strcmp(t, "b") == 0         ? CT_BOOL
                                                : CT_TEXT;
        r->in_c = true;
        r->rph = 0;
        srdi_buf_reset(&r->cv);
    } else if (r->in_c) {
        if (strcmp(l, "v") == 0)
            r->in_v = true;
        else if (strcmp(l, "is") == 0)
            r->in_is = true;
        else if (strcmp(l, "rPh") == 0)
            r->rph++;
        else if (strcmp(l, "t") == 0 && r->in_is && r->rph == 0)
            r->in_t = true;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    sheet_run *r = ud;
    if (r->base.st != SRDI_OK || r->base.done || !(r->in_v || r->in_t)) return;
    if (r->cv.len + (size_t)len > CELL_MAX) {
        srdi_xlsx *x = r->base.x;
        run_fail(&r->base, srdi_error_set(SRDI_ERR_INPUT, "%s[%s]: cell %s holds over 1 MiB of text (refused)",
                                          x->label, x->sheet_name[x->sel], cell_ref_text(r)));
        return;
    }
    if (srdi_buf_append(&r->cv, s, (size_t)len) != SRDI_OK)
        run_fail(&r->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", r->base.x->label));
}

/* The current cell is complete: append its text to the row. */
static srdi_status cell_done(sheet_run *r)
{
    srdi_xlsx *x = r->base.x;
    const char *s = r->cv.data ? r->cv.data : "";
    size_t n = r->cv.len, off = r->rowbuf.len;
    srdi_status st = SRDI_OK;
    switch (r->type) {
    case CT_SHARED: {
        const char *p = s;
        size_t k = n;
        srdi_ingest_trim(&p, &k);
        char *end = NULL;
        char tmp[24];
        unsigned long long idx = ULLONG_MAX;
        if (k > 0 && k < sizeof tmp) {
            memcpy(tmp, p, k);
            tmp[k] = 0;
            errno = 0;
            idx = strtoull(tmp, &end, 10);
            if (*end || errno || tmp[0] == '-') idx = ULLONG_MAX;
        }
        if (k == 0 && n == 0) break; /* no value: an empty cell */
        if (idx >= x->n_ss)
            return srdi_error_set(SRDI_ERR_INPUT,
                                  "%s[%s]: cell %s refers to shared string '%.*s', "
                                  "which the workbook does not have",
                                  x->label, x->sheet_name[x->sel], cell_ref_text(r), (int)(k < 32 ? k : 32), p);
        const char *ss = x->ss.data + x->ss_off[(size_t)idx];
        st = srdi_buf_append(&r->rowbuf, ss, strlen(ss));
        break;
    }
    case CT_INLINE:
    case CT_TEXT:
        st = append_decoded(&r->rowbuf, s, n);
        break;
    case CT_BOOL: {
        const char *p = s;
        size_t k = n;
        srdi_ingest_trim(&p, &k);
        if (k == 1 && p[0] == '1')
            st = srdi_buf_puts(&r->rowbuf, "TRUE");
        else if (k == 1 && p[0] == '0')
            st = srdi_buf_puts(&r->rowbuf, "FALSE");
        else
            st = srdi_buf_append(&r->rowbuf, s, n);
        break;
    }
    case CT_NUMBER:
        st = append_number(&r->rowbuf, s, n);
        if (st == SRDI_OK && x->pad4 >= 0 && r->col == (size_t)x->pad4) {
            size_t k = r->rowbuf.len - off;
            bool digits = k > 0 && k < 4;
            for (size_t i = 0; digits && i < k; i++)
                digits = r->rowbuf.data[off + i] >= '0' && r->rowbuf.data[off + i] <= '9';
            if (digits) {
                char pad[5];
                memcpy(pad, "0000", 4 - k);
                memcpy(pad + 4 - k, r->rowbuf.data + off, k);
                r->rowbuf.len = off;
                st = srdi_buf_append(&r->rowbuf, pad, 4);
            }
        }
        break;
    }
    if (st != SRDI_OK) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    size_t len = r->rowbuf.len - off;
    if ((st = srdi_buf_append(&r->rowbuf, "", 1)) != SRDI_OK) /* NUL after the text */
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
    if (r->ncells == r->capcells) {
        size_t nc = r->capcells ? r->capcells * 2 : 64;
        cell_ref *c = realloc(r->cells, nc * sizeof *c);
        if (!c) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        r->cells = c;
        r->capcells = nc;
    }
    r->cells[r->ncells++] = (cell_ref){r->col, off, len};
    const char *t = r->rowbuf.data + off;
    size_t tl = len;
    srdi_ingest_trim(&t, &tl);
    if (tl > 0 && (long)r->col > r->last_nonempty) r->last_nonempty = (long)r->col;
    return SRDI_OK;
}

/* The current row is complete: hand it over when it holds anything. */
static srdi_status row_done(sheet_run *r)
{
    srdi_xlsx *x = r->base.x;
    r->prev_row = r->row;
    if (r->last_nonempty < 0 || r->row <= r->after_row) return SRDI_OK; /* blank row */
    size_t n = (size_t)r->last_nonempty + 1;
    srdi_csv_rec_status status = SRDI_CSV_REC_OK;
    if (x->width > 0) {
        if (n > x->width)
            status = SRDI_CSV_REC_EXTRA_CELL;
        else
            n = x->width;
    }
    if (n > r->capf) {
        const char **f = realloc(r->f, n * sizeof *f);
        if (f) r->f = f;
        size_t *len = f ? realloc(r->len, n * sizeof *len) : NULL;
        if (!len) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", x->label);
        r->len = len;
        r->capf = n;
    }
    for (size_t i = 0; i < n; i++) {
        r->f[i] = "";
        r->len[i] = 0;
    }
    for (size_t i = 0; i < r->ncells; i++) {
        const cell_ref *c = &r->cells[i];
        if (c->col < n) {
            r->f[c->col] = r->rowbuf.data + c->off;
            r->len[c->col] = c->len;
        }
    }
    srdi_csv_record rec = {r->row, n, r->f, r->len, status, false};
    srdi_status st = r->fn(r->ctx, &rec);
    if (st != SRDI_OK) return st;
    r->last_row = r->row;
    r->emitted++;
    if (r->max_rows && r->emitted >= r->max_rows) {
        r->base.done = true;
        XML_StopParser(r->base.p, XML_FALSE);
    }
    return SRDI_OK;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    sheet_run *r = ud;
    if (r->base.st != SRDI_OK || r->base.done) return;
    const char *l = local_name(name);
    srdi_status st = SRDI_OK;
    if (strcmp(l, "row") == 0 && r->in_row) {
        r->in_row = false;
        st = row_done(r);
    } else if (strcmp(l, "c") == 0 && r->in_c) {
        r->in_c = r->in_v = r->in_is = r->in_t = false;
        st = cell_done(r);
    } else if (r->in_c) {
        if (strcmp(l, "v") == 0)
            r->in_v = false;
        else if (strcmp(l, "is") == 0)
            r->in_is = false;
        else if (strcmp(l, "rPh") == 0) {
            if (r->rph > 0) r->rph--;
        } else if (strcmp(l, "t") == 0)
            r->in_t = false;
    }
    if (st != SRDI_OK) run_fail(&r->base, st);
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

srdi_status srdi_xlsx_rows(srdi_xlsx *x, long after_row, size_t max_rows, srdi_csv_record_fn fn, void *ctx,
                           long *last_row)
{
    srdi_status st = load_shared_strings(x);
    if (st != SRDI_OK) return st;
    sheet_run r = {.fn = fn, .ctx = ctx, .after_row = after_row, .max_rows = max_rows};
    st = xml_part(x, x->sheet_part[x->sel], &r.base, true, NULL, sheet_start, sheet_end, sheet_text);
    if (last_row) *last_row = r.last_row;
    srdi_buf_free(&r.cv);
    srdi_buf_free(&r.rowbuf);
    free(r.cells);
    free(r.f);
    free(r.len);
    return st;
}
