/*
 * tcheck.c — validation of template input before and after parsing:
 * the bytes of a template file (no NUL byte, valid UTF-8, no control
 * characters other than tab, CR and LF) and the nesting depth of its
 * Markdown block structure (lists and block quotes at most
 * REPORT_MAX_NESTING deep).  Errors name file:line[:column] and are
 * SRDI_ERR_TEMPLATE (exit 3).
 *
 * Kept apart from template.c (the template language) on purpose: these
 * checks only look at input, never at what the language means.
 */
#include <cmark-gfm.h>
#include <stdint.h>
#include <string.h>
#include "report_private.h"
#include "srdi/util.h"

/* Line (1-based) and column (1-based, in bytes) of offset @p off in @p text. */
static void line_col(const char *text, size_t off, int *line, int *col)
{
    int ln = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            ln++;
            start = i + 1;
        }
    *line = ln;
    *col = (int)(off - start) + 1;
}

/*
 * Length of the valid UTF-8 sequence at @p s (at most @p n bytes), or 0
 * when it is invalid: truncated, overlong, a surrogate, above U+10FFFF.
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t i = 0;
    return srdi_utf8_decode((const char *)s, n, &i) < 0 ? 0 : i;
}

srdi_status report_check_bytes(const char *name, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    int line, col;
    while (i < len) {
        unsigned char c = s[i];
        /* the bytes of nearly every template, taken without decoding: printable ASCII, tab, CR, LF, and a
           three-byte sequence (CJK) that is neither overlong (E0 80-9F) nor a surrogate (ED A0-BF) */
        if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r') {
            i++;
            continue;
        }
        if (c >= 0xE0 && c <= 0xEF && len - i >= 3 && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80 &&
            (c != 0xE0 || s[i + 1] >= 0xA0) && (c != 0xED || s[i + 1] < 0xA0)) {
            i += 3;
            continue;
        }
        if (c == 0) {
            line_col(text, i, &line, &col);
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d:%d: NUL byte in a template (a template is UTF-8 text)",
                                  name, line, col);
        }
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            line_col(text, i, &line, &col);
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d:%d: control character 0x%02X in a template", name, line,
                                  col, c);
        }
        size_t k = utf8_seq(s + i, len - i);
        if (k == 0) {
            line_col(text, i, &line, &col);
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d:%d: invalid UTF-8 (byte 0x%02X) in a template", name, line,
                                  col, c);
        }
        if (k == 2 && c == 0xC2 && s[i + 1] < 0xA0) { /* C1 controls U+0080–U+009F */
            line_col(text, i, &line, &col);
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d:%d: control character U+%04X in a template", name, line,
                                  col, s[i + 1]);
        }
        i += k;
    }
    return SRDI_OK;
}

static bool is_nesting(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST;
}

static bool is_inline_nesting(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
}

/* Start line of @p n, or of its nearest block ancestor (inlines may carry none). */
static int line_of(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n))
        if (cmark_node_get_start_line(n) > 0) return cmark_node_get_start_line(n);
    return 1;
}

srdi_status report_check_nesting(const char *name, cmark_node *doc)
{
    /* iterative walk (cmark_iter), so a hostile depth cannot exhaust the stack */
    cmark_iter *it = cmark_iter_new(doc);
    if (!it) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    srdi_status s = SRDI_OK;
    int depth = 0, idepth = 0;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (is_inline_nesting(n)) {
            if (ev == CMARK_EVENT_EXIT) {
                idepth--;
            } else if (++idepth > REPORT_MAX_INLINE_NESTING) {
                s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: emphasis and links nested %d deep (at most %d levels)",
                                   name, line_of(n), idepth, REPORT_MAX_INLINE_NESTING);
                break;
            }
            continue;
        }
        if (!is_nesting(n)) continue;
        if (ev == CMARK_EVENT_EXIT) {
            depth--;
            continue;
        }
        if (++depth > REPORT_MAX_NESTING) {
            s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: lists and block quotes nested %d deep (at most %d levels)",
                               name, cmark_node_get_start_line(n), depth, REPORT_MAX_NESTING);
            break;
        }
    }
    cmark_iter_free(it);
    return s;
}
