/*
 * src/ingest/xlsxin_xml.c — the XML side of the workbook reader
 * (xlsxin_private.h): local names and attributes of prefixed elements,
 * Excel's _xHHHH_ text escapes, and one zip part streamed through expat.
 */
#include "xlsxin_private.h"

#include <stdlib.h>
#include <string.h>

const char *srdi_xlsxin_local_name(const XML_Char *name)
{
    const char *s = strrchr(name, XLSXIN_NS_SEP);
    return s ? s + 1 : name;
}

/* Attribute by local name; @p ns: true = must carry a namespace (r:id), false = must not. */
const char *srdi_xlsxin_attr(const XML_Char **atts, const char *name, bool ns)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *sep = strrchr(atts[i], XLSXIN_NS_SEP);
        if (ns ? (sep && strcmp(sep + 1, name) == 0) : (!sep && strcmp(atts[i], name) == 0)) return atts[i + 1];
    }
    return NULL;
}

srdi_status srdi_xlsxin_append_decoded(srdi_buf *b, const char *s, size_t n)
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
            srdi_status st = srdi_buf_append(b, s + i, 1);
            if (st != SRDI_OK) return st; /* SRDI_ERR_NOMEM, message set */
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
        srdi_status st = srdi_buf_append(b, u, k);
        if (st != SRDI_OK) return st; /* SRDI_ERR_NOMEM, message set */
        i += 7;
    }
    return SRDI_OK;
}

void srdi_xlsxin_run_fail(srdi_xlsxin_run *r, srdi_status st)
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
    srdi_xlsxin_run *r = ud;
    srdi_xlsxin_run_fail(r, srdi_error_set(SRDI_ERR_INPUT,
                                           "%s: %s holds a document type declaration, "
                                           "which workbooks never do (refused)",
                                           r->x->label, r->part));
}

srdi_status srdi_xlsxin_xml_part(srdi_xlsx *x, const char *part, srdi_xlsxin_run *r, bool required, bool *found,
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
    buf = malloc(XLSXIN_CHUNK);
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
        zip_int64_t got = zip_fread(zf, buf, XLSXIN_CHUNK);
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
