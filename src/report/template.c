/*
 * src/report/template.c — the template engine of the report.
 *
 * The .md files of templates/<t>/ are read in file-name order.  Processing runs in two
 * passes over the raw lines:
 *   1. directive lines (a paragraph of exactly one line starting with ":::")
 *      are parsed and validated, and every chart / table / figure directive
 *      gets the next 图表 number, so {{ref:…}} can point forwards;
 *   2. placeholders are expanded line by line (so errors name the line),
 *      directive lines are replaced by a marker paragraph, and the text is
 *      parsed with cmark-gfm (table + footnotes extensions) into blocks.
 * The syntax is fixed in docs/templates.md.
 * The parts: placeholders (template_expand.c), ::: directives
 * (template_directive.c), the cmark-gfm walk into blocks (template_walk.c);
 * here the document helpers, the file model and the entry points.
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

static void refs_free(report_refs *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->d[i].figid);
        free(r->d[i].caption);
        free(r->d[i].source);
        for (size_t k = 0; k < r->d[i].ncols; k++) free(r->d[i].cols[k]);
        free(r->d[i].cols);
    }
    free(r->d);
}

/* ------------------------------------------------------------- doc helpers */

srdi_status report_nomem(void)
{
    return srdi_error_set(SRDI_ERR_NOMEM, "out of memory while reading the templates");
}

void report_inline_free(report_inline *in)
{
    for (size_t i = 0; i < in->n; i++) free(in->runs[i].text);
    free(in->runs);
    memset(in, 0, sizeof *in);
}

/* Append a run (text copied) to an inline. */
srdi_status report_inline_add(report_inline *in, const char *text, size_t len, unsigned style, int fn)
{
    if (srdi_grow((void **)&in->runs, &in->cap, in->n + 1, sizeof *in->runs)) return report_nomem();
    char *t = malloc(len + 1);
    if (!t) return report_nomem();
    memcpy(t, text, len);
    t[len] = '\0';
    in->runs[in->n++] = (report_run){t, style, fn};
    return SRDI_OK;
}

char *report_inline_plain(const report_inline *in)
{
    srdi_buf b = {0};
    for (size_t i = 0; i < in->n; i++)
        if (!(in->runs[i].style & (REPORT_FNREF | REPORT_BREAK)) && srdi_buf_puts(&b, in->runs[i].text)) {
            srdi_buf_free(&b);
            return NULL;
        }
    char *plain = srdi_buf_steal(&b);
    if (!plain) report_nomem();
    return plain;
}

static void block_free(report_block *b)
{
    free(b->number);
    report_inline_free(&b->text);
    for (size_t i = 0; i < b->ncols * b->nrows; i++) free(b->cells[i]);
    free(b->cells);
    free(b->align);
    free(b->caption);
    free(b->source);
    for (size_t i = 0; i < b->ncolsel; i++) free(b->colsel[i]);
    free(b->colsel);
    for (size_t i = 0; i < b->ncover; i++) free(b->cover_lines[i]);
    free(b->cover_lines);
    free(b->cover_level);
}

void report_doc_free(report_doc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nfiles; i++) free(d->files[i]);
    free(d->files);
    for (size_t i = 0; i < d->nblocks; i++) block_free(&d->blocks[i]);
    free(d->blocks);
    for (size_t i = 0; i < d->nnotes; i++) report_inline_free(&d->notes[i].text);
    free(d->notes);
    for (size_t i = 0; i < d->nfigs; i++) free(d->figs[i].caption);
    free(d->figs);
    report_claims_free(&d->claims);
    free(d);
}

/* Append a zeroed block; returns it or NULL on OOM. */
report_block *report_doc_add(report_doc *d, report_kind k, int file, int line)
{
    if (srdi_grow((void **)&d->blocks, &d->capblocks, d->nblocks + 1, sizeof *d->blocks)) return NULL;
    report_block *b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = k;
    b->file = file;
    b->line = line;
    return b;
}

/* Register a numbered figure for the 图表目录. */
srdi_status report_doc_add_fig(report_doc *d, int number, const char *caption, size_t block)
{
    if (srdi_grow((void **)&d->figs, &d->capfigs, d->nfigs + 1, sizeof *d->figs)) return report_nomem();
    char *c = srdi_strdup(caption ? caption : "");
    if (!c) return report_nomem();
    d->figs[d->nfigs++] = (report_figure){number, c, block};
    return SRDI_OK;
}

/* ------------------------------------------------------------- numbering */

void report_chinese_number(int n, char *buf, size_t size)
{
    static const char *dig[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n <= 0 || n >= 100) {
        snprintf(buf, size, "%d", n);
    } else if (n < 10) {
        snprintf(buf, size, "%s", dig[n]);
    } else {
        snprintf(buf, size, "%s十%s", n / 10 == 1 ? "" : dig[n / 10], n % 10 ? dig[n % 10] : "");
    }
}

void report_roman(int n, char *buf, size_t size)
{
    static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static const char *sym[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
    size_t p = 0;
    if (size == 0) return;
    buf[0] = '\0';
    if (n <= 0 || n > 3999) {
        snprintf(buf, size, "%d", n);
        return;
    }
    for (int i = 0; i < 13 && p + 2 < size; i++)
        while (n >= val[i] && p + strlen(sym[i]) < size) {
            memcpy(buf + p, sym[i], strlen(sym[i]));
            p += strlen(sym[i]);
            n -= val[i];
        }
    buf[p] = '\0';
}

/* ------------------------------------------------------------ file model */

typedef struct report_file {
    const char *name; /* display name */
    char **lines;     /* split, without newlines (owned) */
    size_t nlines;
    int role;    /* 0 cover, 1 preface, 2 chapter, 3 back matter */
    int *dir_at; /* per line: directive index or -1 */
    int *orig;   /* per line: its 1-based line in the source file (after {{#if}} blocks) */
} report_file;

static void file_free(report_file *f)
{
    for (size_t i = 0; i < f->nlines; i++) free(f->lines[i]);
    free(f->lines);
    free(f->dir_at);
    free(f->orig);
}

/* Split text into lines (\n, \r\n). */
static srdi_status split_lines(const char *text, report_file *f)
{
    const char *p = text;
    size_t cap = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        size_t ll = l > 0 && p[l - 1] == '\r' ? l - 1 : l;
        if (srdi_grow((void **)&f->lines, &cap, f->nlines + 1, sizeof *f->lines)) return report_nomem();
        f->lines[f->nlines] = malloc(ll + 1);
        if (!f->lines[f->nlines]) return report_nomem();
        memcpy(f->lines[f->nlines], p, ll);
        f->lines[f->nlines][ll] = '\0';
        f->nlines++;
        p += l + (e ? 1 : 0);
    }
    return SRDI_OK;
}

/* Role of a file from its base name: 00 cover, 01 preface, 10–89 chapter, else back matter. */
static int file_role(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (isdigit((unsigned char)base[0]) && isdigit((unsigned char)base[1])) {
        int v = (base[0] - '0') * 10 + (base[1] - '0');
        if (v == 0) return 0;
        if (v < 10) return 1;
        if (v < 90) return 2;
    }
    return 3;
}

/* ------------------------------------------------------------- entry points */

/*
 * Pass 1 over file @p f (index @p file): every ::: line, its placeholders
 * expanded (into the scratch @p line), is parsed into a new directive of
 * @p refs, and a chart / table / figure gets the next 图表 number (*fig);
 * f->dir_at maps each line to its directive or -1.  A figure id used twice
 * is SRDI_ERR_TEMPLATE naming the line.
 */
static srdi_status number_directives(report_file *f, int file, const report_ctx *ctx, report_refs *refs, int *fig,
                                     srdi_buf *line)
{
    srdi_status s;
    f->dir_at = malloc((f->nlines + 1) * sizeof *f->dir_at);
    if (!f->dir_at) return report_nomem();
    for (size_t k = 0; k < f->nlines; k++) {
        f->dir_at[k] = -1;
        if (!report_is_directive_line(f->lines, f->nlines, k)) continue;
        srdi_buf_reset(line);
        if ((s = report_expand_line(f->lines[k], strlen(f->lines[k]), ctx, refs, f->name, f->orig[k], false, line)))
            return s;
        if (srdi_grow((void **)&refs->d, &refs->cap, refs->n + 1, sizeof *refs->d)) return report_nomem();
        report_directive *dv = &refs->d[refs->n++];
        memset(dv, 0, sizeof *dv);
        dv->file = file;
        dv->line = f->orig[k];
        if ((s = report_parse_directive(line->data ? line->data : "", ctx, f->name, f->orig[k], dv))) return s;
        if (dv->kind == DIR_CHART || dv->kind == DIR_TABLE || dv->kind == DIR_FIGURE) {
            if (dv->kind == DIR_FIGURE)
                for (size_t j = 0; j + 1 < refs->n; j++)
                    if (refs->d[j].kind == DIR_FIGURE && strcmp(refs->d[j].figid, dv->figid) == 0)
                        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: figure id '%s' is used twice", f->name,
                                              f->orig[k], dv->figid);
            dv->fig = ++*fig;
        }
        f->dir_at[k] = (int)refs->n - 1;
    }
    return SRDI_OK;
}

/* The text each claim printed, with its placeholders expanded (claims.csv);
   left as it was on an error of a placeholder, but out of memory fails the
   build (a claim left unexpanded would change claims.csv silently). */
static srdi_status expand_claims(report_doc *d, const report_ctx *ctx, const report_refs *refs, srdi_buf *line)
{
    for (size_t i = 0; i < d->claims.n; i++) {
        report_claim *c = &d->claims.c[i];
        if (!c->rendered[0] || !strstr(c->rendered, "{{")) continue;
        srdi_buf_reset(line);
        srdi_status s = report_expand_line(c->rendered, strlen(c->rendered), ctx, refs, c->file, c->line, false, line);
        if (s == SRDI_ERR_NOMEM) return s;
        if (s == SRDI_OK && line->data) {
            char *x = srdi_strdup(line->data);
            if (!x) return report_nomem();
            free(c->rendered);
            c->rendered = x;
        }
        srdi_error_clear();
    }
    return SRDI_OK;
}

/*
 * Pass 2 over file @p f: its lines expanded into @p text (directive lines
 * become marker paragraphs), the cover block of a cover file, and the text
 * walked into blocks of w->doc.
 */
static srdi_status build_file(walk *w, const report_file *f, srdi_buf *text)
{
    srdi_status s = SRDI_OK;
    srdi_buf_reset(text);
    for (size_t k = 0; k < f->nlines && !s; k++) {
        if (f->dir_at[k] >= 0) {
            s = srdi_buf_printf(text, "SRDIDIRECTIVE%d\n", f->dir_at[k]);
        } else {
            s = report_expand_prose_line(f->lines[k], w->ctx, w->refs, f->name, f->orig[k], text);
            if (!s) s = srdi_buf_append(text, "\n", 1);
        }
    }
    if (s) return s;
    if (f->role == 0) {
        w->cover = report_doc_add(w->doc, RB_COVER, w->file, 1);
        if (!w->cover) return report_nomem();
    }
    return report_parse_file(w, text->data ? text->data : "", text->len);
}

srdi_status report_doc_parse(const char *const *names, const char *const *texts, size_t n, const report_ctx *ctx,
                             report_doc **out)
{
    srdi_status s = SRDI_OK;
    report_refs refs = {0};
    report_lets lets = {0};
    report_file *files = calloc(n + 1, sizeof *files);
    report_doc *d = calloc(1, sizeof *d);
    srdi_buf line = {0}, text = {0};
    int chapter = 0, section = 0, fig = 0;
    *out = NULL;
    report_sel_memo_begin(); /* the rows of each where, evaluated once (select.c) */
    if (!files || !d || !(d->files = calloc(n + 1, sizeof *d->files))) {
        s = report_nomem();
        goto cleanup;
    }
    d->nfiles = n;
    for (size_t i = 0; i < n; i++) {
        if (!(d->files[i] = srdi_strdup(names[i]))) {
            s = report_nomem();
            goto cleanup;
        }
        files[i].name = d->files[i];
        files[i].role = file_role(names[i]);
        if ((s = report_check_bytes(names[i], texts[i], strlen(texts[i])))) goto cleanup;
        if ((s = split_lines(texts[i], &files[i]))) goto cleanup;
        /* {{#let $name = …}}: named values replaced on the raw lines */
        if ((s = report_let_file(files[i].name, files[i].lines, files[i].nlines, &lets))) goto cleanup;
        /* {{#if}} … {{/if}}: keep the lines of the branches the data decides */
        char **kept = NULL;
        size_t nkept = 0;
        if ((s = report_branch_file(files[i].name, files[i].lines, files[i].nlines, ctx, &d->claims, &kept,
                                    &files[i].orig, &nkept)))
            goto cleanup;
        for (size_t k = 0; k < files[i].nlines; k++) free(files[i].lines[k]);
        free(files[i].lines);
        files[i].lines = kept;
        files[i].nlines = nkept;
    }

    if ((s = report_lets_check_used(&lets))) goto cleanup;

    /* pass 1: directives and 图表 numbers */
    for (size_t i = 0; i < n; i++)
        if ((s = number_directives(&files[i], (int)i, ctx, &refs, &fig, &line))) goto cleanup;
    if ((s = expand_claims(d, ctx, &refs, &line))) goto cleanup;

    /* pass 2: expand, parse, build blocks */
    bool toc_done = false;
    for (size_t i = 0; i < n; i++) {
        report_file *f = &files[i];
        if (!toc_done && f->role >= 2) {
            if (!report_doc_add(d, RB_TOC, (int)i, 0) || !report_doc_add(d, RB_LOF, (int)i, 0)) {
                s = report_nomem();
                goto cleanup;
            }
            toc_done = true;
        }
        walk w = {.ctx = ctx,
                  .doc = d,
                  .refs = &refs,
                  .file = (int)i,
                  .role = f->role,
                  .chapter = &chapter,
                  .section = &section,
                  .pending_fig = -1,
                  .last_fig_block = -1,
                  .orig = f->orig,
                  .norig = f->nlines};
        if ((s = build_file(&w, f, &text))) goto cleanup;
    }
    if (!toc_done &&
        (!report_doc_add(d, RB_TOC, (int)(n ? n - 1 : 0), 0) || !report_doc_add(d, RB_LOF, (int)(n ? n - 1 : 0), 0))) {
        s = report_nomem();
        goto cleanup;
    }
    *out = d;
    d = NULL;
cleanup:
    report_sel_memo_end();
    for (size_t i = 0; files && i < n; i++) file_free(&files[i]);
    free(files);
    refs_free(&refs);
    report_lets_free(&lets);
    srdi_buf_free(&line);
    srdi_buf_free(&text);
    report_doc_free(d);
    return s;
}

/* qsort comparator for file names (byte order = file-name order). */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

srdi_status report_doc_load(const char *dir, const report_ctx *ctx, report_doc **out)
{
    srdi_status s = SRDI_OK;
    char **names = NULL, **paths = NULL, **texts = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    DIR *dp = opendir(dir);
    if (!dp) return srdi_error_set(SRDI_ERR_IO, "%s: cannot open the template directory (%s)", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || e->d_name[0] == '.' || strcmp(e->d_name + l - 3, ".md") != 0) continue;
        if (srdi_grow((void **)&names, &cap, n + 1, sizeof *names)) {
            s = report_nomem();
            goto cleanup;
        }
        if (!(names[n++] = srdi_strdup(e->d_name))) {
            s = report_nomem();
            goto cleanup;
        }
    }
    if (n == 0) {
        s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s: no .md template files", dir);
        goto cleanup;
    }
    qsort(names, n, sizeof *names, cmp_names);
    paths = calloc(n, sizeof *paths);
    texts = calloc(n, sizeof *texts);
    if (!paths || !texts) {
        s = report_nomem();
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        srdi_buf p = {0};
        if (srdi_buf_printf(&p, "%s/%s", dir, names[i]) || !(paths[i] = srdi_buf_steal(&p))) {
            srdi_buf_free(&p);
            s = report_nomem();
            goto cleanup;
        }
        FILE *fp = fopen(paths[i], "rb");
        if (!fp) {
            s = srdi_error_set(SRDI_ERR_IO, "%s: cannot open (%s)", paths[i], strerror(errno));
            goto cleanup;
        }
        srdi_buf t = {0};
        char chunk[8192];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
            if (srdi_buf_append(&t, chunk, got)) {
                fclose(fp);
                srdi_buf_free(&t);
                s = report_nomem();
                goto cleanup;
            }
        fclose(fp);
        if ((s = report_check_bytes(paths[i], t.data ? t.data : "", t.len))) {
            srdi_buf_free(&t);
            goto cleanup;
        }
        texts[i] = srdi_buf_steal(&t);
        /* a UTF-8 byte-order mark is not text */
        if (strncmp(texts[i], "\xEF\xBB\xBF", 3) == 0) memmove(texts[i], texts[i] + 3, strlen(texts[i] + 3) + 1);
    }
    report_placeholder_warnings_begin();
    s = report_doc_parse((const char *const *)paths, (const char *const *)texts, n, ctx, out);
    report_placeholder_warnings_end();
cleanup:
    closedir(dp);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        if (paths) free(paths[i]);
        if (texts) free(texts[i]);
    }
    free(names);
    free(paths);
    free(texts);
    return s;
}
