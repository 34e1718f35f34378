/*
 * src/report/template_walk.c — one template file's expanded text parsed
 * with cmark-gfm (table and footnote extensions) and walked into the blocks
 * of the document: headings with their numbers, paragraphs, lists, tables,
 * the cover, figures and the ::: directive markers.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "srdi/log.h"
#include "srdi/charts.h"
#include "srdi/util.h"
#include "report_private.h"
#include "template_private.h"

/* ----------------------------------------------------------- AST to blocks */

/* Source line of line @p l (1-based) of the expanded text. */
static int src_line(const walk *w, int l)
{
    return w->orig && l >= 1 && (size_t)l <= w->norig ? w->orig[l - 1] : l;
}

/* Flatten inline children of @p n into @p in with style bits. */
static srdi_status flatten(walk *w, cmark_node *n, unsigned style, report_inline *in)
{
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        srdi_status s = SRDI_OK;
        const char *lit = cmark_node_get_literal(c);
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            s = report_inline_add(in, lit ? lit : "", lit ? strlen(lit) : 0, style, 0);
            break;
        case CMARK_NODE_SOFTBREAK: {
            const char *prev = in->n ? in->runs[in->n - 1].text : "";
            size_t pl = strlen(prev);
            const char *nt = cmark_node_next(c) ? cmark_node_get_literal(cmark_node_next(c)) : NULL;
            if (pl && (unsigned char)prev[pl - 1] < 0x80 && prev[pl - 1] != ' ' && nt && (unsigned char)nt[0] < 0x80)
                s = report_inline_add(in, " ", 1, style, 0);
            break;
        }
        case CMARK_NODE_LINEBREAK:
            s = report_inline_add(in, "", 0, REPORT_BREAK, 0);
            break;
        case CMARK_NODE_EMPH:
            s = flatten(w, c, style | REPORT_EMPH, in);
            break;
        case CMARK_NODE_STRONG:
            s = flatten(w, c, style | REPORT_BOLD, in);
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            s = flatten(w, c, style, in);
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
            long k = lit ? strtol(lit, NULL, 10) : 0;
            int num = w->fn_base + (int)k;
            char nb[16];
            snprintf(nb, sizeof nb, "%d", num);
            s = report_inline_add(in, nb, strlen(nb), REPORT_FNREF, num);
            break;
        }
        default:
            if (cmark_node_first_child(c)) s = flatten(w, c, style, in);
            break;
        }
        if (s) return s;
    }
    return SRDI_OK;
}

/* Plain text of a node's inline content (for table cells and cover lines). */
static char *node_plain(walk *w, cmark_node *n)
{
    report_inline in = {0};
    if (flatten(w, n, 0, &in)) {
        report_inline_free(&in);
        return NULL;
    }
    char *s = report_inline_plain(&in);
    report_inline_free(&in);
    return s;
}

/* Mark @p b as (part of) the pending ::: figure body or reject it. */
static srdi_status attach_figure(walk *w, report_block *b, bool first)
{
    const report_directive *d = &w->refs->d[w->pending_fig];
    b->fig = d->fig;
    b->fig_first = first;
    b->fig_last = false;
    if (first) {
        b->caption = srdi_strdup(d->caption);
        srdi_strlcpy(b->key, d->key, sizeof b->key);
        if (!b->caption || report_doc_add_fig(w->doc, d->fig, d->caption, w->doc->nblocks - 1)) return report_nomem();
    }
    return SRDI_OK;
}

static srdi_status walk_block(walk *w, cmark_node *n, int depth);

/* A list: one RB_ITEM per paragraph of each item (nested lists deeper). */
static srdi_status walk_list(walk *w, cmark_node *list, int depth, bool fig)
{
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int num = cmark_node_get_list_start(list);
    bool first_block = true;
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it), num++) {
        bool first_para = true;
        for (cmark_node *c = cmark_node_first_child(it); c; c = cmark_node_next(c)) {
            if (cmark_node_get_type(c) == CMARK_NODE_LIST) {
                srdi_status s = walk_list(w, c, depth + 1, fig);
                if (s) return s;
                continue;
            }
            if (cmark_node_get_type(c) != CMARK_NODE_PARAGRAPH) {
                srdi_status s = walk_block(w, c, depth + 1);
                if (s) return s;
                continue;
            }
            report_block *b = report_doc_add(w->doc, RB_ITEM, w->file, src_line(w, cmark_node_get_start_line(c)));
            if (!b) return report_nomem();
            b->level = depth;
            char mk[16];
            if (!first_para)
                mk[0] = '\0';
            else if (ordered)
                snprintf(mk, sizeof mk, "%d.", num);
            else
                snprintf(mk, sizeof mk, "%s", depth == 0 ? "•" : "–");
            b->number = srdi_strdup(mk);
            if (!b->number || flatten(w, c, 0, &b->text)) return report_nomem();
            if (fig) {
                if (attach_figure(w, b, first_block)) return report_nomem();
                w->last_fig_block = (int)(w->doc->nblocks - 1);
            }
            first_block = false;
            first_para = false;
        }
    }
    return SRDI_OK;
}

/* A GFM pipe table node → RB_PIPE. */
static srdi_status walk_table(walk *w, cmark_node *n, bool fig)
{
    report_block *b = report_doc_add(w->doc, RB_PIPE, w->file, src_line(w, cmark_node_get_start_line(n)));
    if (!b) return report_nomem();
    size_t bi = w->doc->nblocks - 1;
    size_t ncols = cmark_gfm_extensions_get_table_columns(n), nrows = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r)) nrows++;
    char **cells = calloc(ncols * nrows + 1, sizeof *cells);
    int *align = calloc(ncols + 1, sizeof *align);
    if (!cells || !align) {
        free(cells);
        free(align);
        return report_nomem();
    }
    b = &w->doc->blocks[bi];
    b->cells = cells;
    b->align = align;
    b->ncols = ncols;
    b->nrows = nrows;
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(n);
    for (size_t c = 0; c < ncols; c++)
        align[c] = !al ? -1 : al[c] == 'r' ? 2 : al[c] == 'c' ? 1 : al[c] == 'l' ? 0 : -1;
    size_t ri = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), ri++) {
        size_t ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < ncols; c = cmark_node_next(c), ci++) {
            cells[ri * ncols + ci] = node_plain(w, c);
            if (!cells[ri * ncols + ci]) return report_nomem();
        }
        for (; ci < ncols; ci++) {
            cells[ri * ncols + ci] = srdi_strdup("");
            if (!cells[ri * ncols + ci]) return report_nomem();
        }
    }
    if (fig) {
        if (attach_figure(w, b, true)) return report_nomem();
        w->last_fig_block = (int)bi;
    }
    return SRDI_OK;
}

/* The paragraph is a directive marker "SRDIDIRECTIVE<k>": returns k, else -1. */
static int marker_index(cmark_node *para)
{
    cmark_node *c = cmark_node_first_child(para);
    if (!c || cmark_node_next(c) || cmark_node_get_type(c) != CMARK_NODE_TEXT) return -1;
    const char *lit = cmark_node_get_literal(c);
    if (!lit || strncmp(lit, "SRDIDIRECTIVE", 13) != 0) return -1;
    char *end = NULL;
    long k = strtol(lit + 13, &end, 10);
    return end && *end == '\0' && k >= 0 ? (int)k : -1;
}

/*
 * The source line of figure block @p b, from its directive's text @p src:
 * a narrative table with a number cell left "—" (a null: a share of a
 * quadrant without enterprises, a median of no values) says in its note
 * what the "—" means, as a computed table's note does (layout_tables.c),
 * unless the template's note already says it.  Caller frees; NULL when
 * out of memory.
 */
static char *source_text(const report_block *b, const char *src)
{
    bool dash = false;
    for (size_t r = 1; b->kind == RB_PIPE && b->cells && r < b->nrows && !dash; r++)
        for (size_t c = 1; c < b->ncols && !dash; c++) dash = strcmp(b->cells[r * b->ncols + c], "—") == 0;
    if (!dash || strstr(src, "“—”")) return srdi_strdup(src);
    srdi_buf sb = {0};
    size_t n = strlen(src), stop = strlen("。");
    bool ends = n >= stop && strcmp(src + n - stop, "。") == 0;
    srdi_status s = srdi_buf_printf(&sb, "%s%s%s表中“—”表示没有可用于计算的数据。", src, ends ? "" : "。",
                                    strstr(src, "注：") ? "" : "注：");
    char *out = s ? NULL : srdi_buf_steal(&sb);
    srdi_buf_free(&sb);
    return out;
}

/* Turn a directive into blocks. */
static srdi_status walk_directive(walk *w, int k)
{
    const report_directive *d = &w->refs->d[k];
    const char *file = w->doc->files[w->file];
    if (w->pending_fig >= 0)
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: figure %s' must be followed by a pipe table or a list",
                              file, w->refs->d[w->pending_fig].line, w->refs->d[w->pending_fig].figid);
    switch (d->kind) {
    case DIR_PAGEBREAK:
        return report_doc_add(w->doc, RB_PAGEBREAK, w->file, d->line) ? SRDI_OK : report_nomem();
    case DIR_FIGURE:
        w->pending_fig = k;
        return SRDI_OK;
    case DIR_SOURCE:
        if (w->last_fig_block < 0)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: source' has no figure before it", file, d->line);
        free(w->doc->blocks[w->last_fig_block].source);
        w->doc->blocks[w->last_fig_block].source = source_text(&w->doc->blocks[w->last_fig_block], d->source);
        return w->doc->blocks[w->last_fig_block].source ? SRDI_OK : report_nomem();
    case DIR_CHART:
    case DIR_TABLE: {
        report_block *b = report_doc_add(w->doc, d->kind == DIR_CHART ? RB_CHART : RB_TABLE, w->file, d->line);
        if (!b) return report_nomem();
        b->fig = d->fig;
        b->fig_first = b->fig_last = true;
        srdi_strlcpy(b->key, d->key, sizeof b->key);
        b->with_table = d->with_table;
        b->top = d->top;
        if (d->ncols) {
            b->colsel = calloc(d->ncols, sizeof *b->colsel);
            if (!b->colsel) return report_nomem();
            for (size_t i = 0; i < d->ncols; i++)
                if (!(b->colsel[b->ncolsel++] = srdi_strdup(d->cols[i]))) return report_nomem();
        }
        /* caption: override, else the chart's title, else the table's title */
        const char *cap = d->caption;
        const srdi_chart_def *cd = d->kind == DIR_CHART ? srdi_chart_find(d->key) : NULL;
        const srdi_table *t = w->ctx && w->ctx->tables ? srdi_tableset_get(w->ctx->tables, d->key) : NULL;
        if (!cap && cd) cap = cd->title;
        if (!cap && t) cap = t->title;
        b->caption = srdi_strdup(cap ? cap : "");
        if (!b->caption) return report_nomem();
        w->last_fig_block = (int)(w->doc->nblocks - 1);
        return report_doc_add_fig(w->doc, d->fig, b->caption, w->doc->nblocks - 1);
    }
    }
    return SRDI_OK;
}

/* Heading text starts with its own number ("第一章", "1.1")? */
static bool has_own_number(const char *t, int level)
{
    if (level == 1) return strncmp(t, "第", 3) == 0 && strstr(t, "章") && strstr(t, "章") - t <= 12;
    return isdigit((unsigned char)t[0]) && strchr(t, '.') && strchr(t, '.') - t <= 3;
}

/* On the cover, headings and paragraphs become centred lines (other blocks are dropped). */
static srdi_status walk_cover(walk *w, cmark_node *n, cmark_node_type ty)
{
    if (ty != CMARK_NODE_HEADING && ty != CMARK_NODE_PARAGRAPH) return SRDI_OK;
    report_block *cv = w->cover;
    char *s = node_plain(w, n);
    char **nl = realloc(cv->cover_lines, (cv->ncover + 1) * sizeof *nl);
    int *lv = nl ? realloc(cv->cover_level, (cv->ncover + 1) * sizeof *lv) : NULL;
    if (nl) cv->cover_lines = nl;
    if (lv) cv->cover_level = lv;
    if (!s || !nl || !lv) {
        free(s);
        return report_nomem();
    }
    cv->cover_lines[cv->ncover] = s;
    cv->cover_level[cv->ncover] = ty == CMARK_NODE_HEADING ? cmark_node_get_heading_level(n) : 0;
    cv->ncover++;
    return SRDI_OK;
}

/* A heading block; a chapter's level 1 and 2 headings are numbered (第一章, 1.1) unless they carry their own number. */
static srdi_status walk_heading(walk *w, cmark_node *n, int line)
{
    report_block *b = report_doc_add(w->doc, RB_HEADING, w->file, line);
    if (!b) return report_nomem();
    b->level = cmark_node_get_heading_level(n);
    if (b->level > 3) b->level = 3;
    b->chapter = w->role == 2;
    if (flatten(w, n, 0, &b->text)) return report_nomem();
    char num[64] = "";
    char *plain = report_inline_plain(&b->text);
    if (!plain) return report_nomem();
    if (b->chapter && b->level == 1) {
        (*w->chapter)++;
        *w->section = 0;
        if (!has_own_number(plain, 1)) {
            char cn[32];
            report_chinese_number(*w->chapter, cn, sizeof cn);
            snprintf(num, sizeof num, "第%s章", cn);
        }
    } else if (b->chapter && b->level == 2) {
        (*w->section)++;
        if (!has_own_number(plain, 2)) snprintf(num, sizeof num, "%d.%d", *w->chapter, *w->section);
    }
    free(plain);
    b->number = srdi_strdup(num);
    return b->number ? SRDI_OK : report_nomem();
}

/* A footnote definition: its paragraphs joined into one inline. */
static srdi_status walk_footnote(walk *w, cmark_node *n)
{
    if (srdi_grow((void **)&w->doc->notes, &w->doc->capnotes, w->doc->nnotes + 1, sizeof *w->doc->notes))
        return report_nomem();
    report_footnote *fn = &w->doc->notes[w->doc->nnotes++];
    memset(fn, 0, sizeof *fn);
    fn->number = (int)w->doc->nnotes;
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        if (fn->text.n && report_inline_add(&fn->text, " ", 1, 0, 0)) return report_nomem();
        if (flatten(w, c, 0, &fn->text)) return report_nomem();
    }
    return SRDI_OK;
}

/* The body of a pending ::: figure has ended: its last block closes the figure. */
static void end_figure(walk *w)
{
    if (w->last_fig_block >= 0) w->doc->blocks[w->last_fig_block].fig_last = true;
    w->pending_fig = -1;
}

static srdi_status walk_block(walk *w, cmark_node *n, int depth)
{
    cmark_node_type ty = cmark_node_get_type(n);
    const char *tys = cmark_node_get_type_string(n);
    int line = src_line(w, cmark_node_get_start_line(n));
    const char *file = w->doc->files[w->file];
    bool fig = w->pending_fig >= 0, table = tys && strcmp(tys, "table") == 0;
    srdi_status s = SRDI_OK;

    if (fig && !(ty == CMARK_NODE_LIST || table) && ty != CMARK_NODE_FOOTNOTE_DEFINITION)
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: figure %s' must be followed by a pipe table or a list",
                              file, w->refs->d[w->pending_fig].line, w->refs->d[w->pending_fig].figid);
    if (w->role == 0 && w->cover) return walk_cover(w, n, ty);

    switch (ty) {
    case CMARK_NODE_HEADING:
        return walk_heading(w, n, line);
    case CMARK_NODE_PARAGRAPH: {
        int k = marker_index(n);
        if (k >= 0 && (size_t)k < w->refs->n) return walk_directive(w, k);
        report_block *b = report_doc_add(w->doc, RB_PARA, w->file, line);
        if (!b) return report_nomem();
        b->level = depth;
        return flatten(w, n, 0, &b->text);
    }
    case CMARK_NODE_LIST:
        s = walk_list(w, n, depth, fig);
        if (fig) end_figure(w);
        return s;
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_ITEM:
        for (cmark_node *c = cmark_node_first_child(n); c && !s; c = cmark_node_next(c)) s = walk_block(w, c, depth);
        return s;
    case CMARK_NODE_CODE_BLOCK: {
        report_block *b = report_doc_add(w->doc, RB_PARA, w->file, line);
        const char *lit = cmark_node_get_literal(n);
        if (!b) return report_nomem();
        return report_inline_add(&b->text, lit ? lit : "", lit ? strlen(lit) : 0, 0, 0);
    }
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        return walk_footnote(w, n);
    default:
        if (!table) return SRDI_OK; /* thematic breaks, raw HTML: nothing to typeset */
        s = walk_table(w, n, fig);
        if (fig) end_figure(w);
        return s;
    }
}

/* Parse one expanded file with cmark-gfm and append its blocks. */
srdi_status report_parse_file(walk *w, const char *text, size_t len)
{
    srdi_status s = SRDI_OK;
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
    cmark_node *doc = NULL;
    if (!p) return report_nomem();
    cmark_syntax_extension *ext = cmark_find_syntax_extension("table");
    if (ext) cmark_parser_attach_syntax_extension(p, ext);
    cmark_parser_feed(p, text, len);
    doc = cmark_parser_finish(p);
    if (!doc) {
        s = report_nomem();
        goto cleanup;
    }
    if ((s = report_check_nesting(w->doc->files[w->file], doc))) goto cleanup;
    w->fn_base = (int)w->doc->nnotes;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        s = walk_block(w, n, 0);
        if (s) goto cleanup;
    }
    if (w->pending_fig >= 0) {
        s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: figure %s' must be followed by a pipe table or a list",
                           w->doc->files[w->file], w->refs->d[w->pending_fig].line, w->refs->d[w->pending_fig].figid);
    }
cleanup:
    if (doc) cmark_node_free(doc);
    cmark_parser_free(p);
    return s;
}
