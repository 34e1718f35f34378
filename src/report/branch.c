/*
 * src/report/branch.c — {{#if}} … {{else if}} … {{else}} … {{/if}} in the
 * templates, resolved on the raw lines before directives and placeholders,
 * and the claims they record (OUT/claims.csv).
 *
 * A tag alone on its line is a block tag: the line disappears and the lines
 * of the branch taken stay (whole paragraphs, headings, list items,
 * directives).  A tag inside a line is inline: the branch is part of the
 * sentence and must close on the same line.  Every condition is evaluated,
 * also in branches that are not printed, so a template error shows on any
 * data and claims.csv lists every condition of the templates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "report_private.h"

#define MAX_DEPTH 32

typedef struct frame {
    bool block;     /* opened by a tag alone on its line */
    int line;       /* source line of the {{#if}} */
    bool parent_on; /* the text around the if is printed */
    bool held;      /* some branch so far held */
    bool on;        /* the current branch is printed */
    size_t claim;   /* claim of the current branch */
    size_t start;   /* block: output line index; inline: byte offset in the line */
} frame;

typedef enum { TAG_NONE, TAG_IF, TAG_ELIF, TAG_ELSE, TAG_END } tag_kind;

/* Kind of the tag whose body (between {{ and }}) is b (len l); *cond = its condition. */
static tag_kind tag_of(const char *b, size_t l, const char **cond, size_t *clen)
{
    *cond = NULL;
    *clen = 0;
    if (l >= 4 && strncmp(b, "#if ", 4) == 0) {
        *cond = b + 4;
        *clen = l - 4;
        return TAG_IF;
    }
    if (l >= 8 && strncmp(b, "else if ", 8) == 0) {
        *cond = b + 8;
        *clen = l - 8;
        return TAG_ELIF;
    }
    if (l == 4 && strncmp(b, "else", 4) == 0) return TAG_ELSE;
    if (l == 3 && strncmp(b, "/if", 3) == 0) return TAG_END;
    if ((l >= 3 && strncmp(b, "#if", 3) == 0) || (l >= 4 && strncmp(b, "else", 4) == 0) ||
        (l >= 3 && strncmp(b, "/if", 3) == 0) || (l >= 3 && strncmp(b, "#el", 3) == 0))
        return TAG_NONE; /* caught by the caller as a malformed tag */
    return TAG_NONE;
}

/* A malformed tag: looks like a condition tag but is not one. */
static bool looks_like_tag(const char *b, size_t l)
{
    return (l >= 3 && (strncmp(b, "#if", 3) == 0 || strncmp(b, "/if", 3) == 0 || strncmp(b, "#el", 3) == 0)) ||
           (l >= 4 && strncmp(b, "else", 4) == 0);
}

/* Free the strings of one claim and zero it (it may be filled again). */
static void claim_free(report_claim *c)
{
    free(c->file);
    free(c->cond);
    free(c->rendered);
    free(c->values);
    memset(c, 0, sizeof *c);
}

void report_claims_free(report_claims *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) claim_free(&c->c[i]);
    free(c->c);
    memset(c, 0, sizeof *c);
}

static srdi_status add_claim(report_claims *cl, const char *file, int line, const char *cond, size_t clen, bool holds,
                             const char *values, size_t *idx)
{
    if (srdi_grow((void **)&cl->c, &cl->cap, cl->n + 1, sizeof *cl->c)) return SRDI_ERR_NOMEM; /* message set */
    report_claim *c = &cl->c[cl->n];
    memset(c, 0, sizeof *c);
    c->file = srdi_strdup(file);
    c->cond = malloc(clen + 1);
    c->values = srdi_strdup(values ? values : "");
    c->rendered = srdi_strdup("");
    if (!c->file || !c->cond || !c->values || !c->rendered) {
        claim_free(c);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording a template condition");
    }
    memcpy(c->cond, cond, clen);
    c->cond[clen] = '\0';
    c->line = line;
    c->holds = holds;
    *idx = cl->n++;
    return SRDI_OK;
}

/* Set the rendered text of claim i (trimmed, cut at 400 bytes on a character boundary). */
static srdi_status set_rendered(report_claims *cl, size_t i, const char *text, size_t len)
{
    while (len && (*text == ' ' || *text == '\n')) text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\n')) len--;
    if (len > 400) {
        len = 400;
        while (len && ((unsigned char)text[len] & 0xC0) == 0x80) len--;
    }
    char *r = malloc(len + 1);
    if (!r) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording a template condition");
    memcpy(r, text, len);
    r[len] = '\0';
    free(cl->c[i].rendered);
    cl->c[i].rendered = r;
    return SRDI_OK;
}

typedef struct bstate {
    const char *file;
    const report_ctx *ctx;
    report_claims *claims;
    frame st[MAX_DEPTH];
    int depth;
    char **out;
    int *orig;
    size_t nout, cap;
} bstate;

static bool on_now(const bstate *b)
{
    return b->depth == 0 || b->st[b->depth - 1].on;
}

/* Evaluate a condition and record it. */
static srdi_status eval_tag(bstate *b, int line, const char *cond, size_t clen, bool *holds, size_t *idx)
{
    char expr[1024], why[512];
    if (clen >= sizeof expr) return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: condition too long", b->file, line);
    memcpy(expr, cond, clen);
    expr[clen] = '\0';
    srdi_buf vals = {0};
    srdi_status s = report_cond_eval(expr, b->ctx, holds, &vals, why, sizeof why);
    if (s) {
        srdi_buf_free(&vals);
        if (s == SRDI_ERR_NOMEM) return s; /* message set */
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: condition {{%s}}: %s", b->file, line, expr, why);
    }
    s = add_claim(b->claims, b->file, line, expr, clen, *holds, vals.data, idx);
    srdi_buf_free(&vals);
    return s;
}

/* Text printed by the branch now ending (block: joined output lines; inline: line bytes). */
static srdi_status close_branch(bstate *b, frame *f, const srdi_buf *cur)
{
    if (!f->on) return SRDI_OK;
    if (f->block) {
        srdi_status s = SRDI_OK;
        srdi_buf t = {0};
        for (size_t i = f->start; i < b->nout && !s; i++)
            if (!(s = t.len ? srdi_buf_puts(&t, " ") : SRDI_OK)) s = srdi_buf_puts(&t, b->out[i]);
        if (!s) s = set_rendered(b->claims, f->claim, t.data ? t.data : "", t.len);
        srdi_buf_free(&t);
        return s;
    }
    if (cur) return set_rendered(b->claims, f->claim, cur->data ? cur->data + f->start : "", cur->len - f->start);
    return SRDI_OK;
}

/* Apply one tag.  @p cur is the line being built (inline tags), NULL for block tags. */
static srdi_status apply_tag(bstate *b, tag_kind k, const char *cond, size_t clen, int line, bool block,
                             const srdi_buf *cur)
{
    srdi_status s;
    const char *kind = block ? "on its own line" : "inside a line";
    if (k == TAG_IF) {
        if (b->depth >= MAX_DEPTH)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: {{#if}} nested deeper than %d", b->file, line, MAX_DEPTH);
        bool holds;
        size_t idx;
        if ((s = eval_tag(b, line, cond, clen, &holds, &idx))) return s;
        bool parent = on_now(b);
        frame *f = &b->st[b->depth++];
        f->block = block;
        f->line = line;
        f->parent_on = parent;
        f->held = holds;
        f->on = f->parent_on && holds;
        f->claim = idx;
        f->start = block ? b->nout : (cur ? cur->len : 0);
        return SRDI_OK;
    }
    if (b->depth == 0)
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: {{%s}} without {{#if}}", b->file, line,
                              k == TAG_END ? "/if" : "else");
    frame *f = &b->st[b->depth - 1];
    if (f->block != block)
        return srdi_error_set(SRDI_ERR_TEMPLATE,
                              "%s:%d: {{%s}} %s, but its {{#if}} on line %d is %s (an if opened inside a line "
                              "closes on that line; one on its own line closes on its own line)",
                              b->file, line,
                              k == TAG_END    ? "/if"
                              : k == TAG_ELSE ? "else"
                                              : "else if",
                              kind, f->line, f->block ? "on its own line" : "inside a line");
    if ((s = close_branch(b, f, cur))) return s;
    if (k == TAG_END) {
        b->depth--;
        return SRDI_OK;
    }
    bool holds = !f->held;
    size_t idx;
    if (k == TAG_ELIF) {
        if ((s = eval_tag(b, line, cond, clen, &holds, &idx))) return s;
        f->on = f->parent_on && !f->held && holds;
        f->held = f->held || holds;
    } else {
        if ((s = add_claim(b->claims, b->file, line, "else", 4, holds, "", &idx))) return s;
        f->on = f->parent_on && !f->held;
        f->held = true;
    }
    f->claim = idx;
    f->start = block ? b->nout : (cur ? cur->len : 0);
    return SRDI_OK;
}

static srdi_status emit(bstate *b, const char *text, size_t len, int line)
{
    if (b->nout == b->cap) { /* two arrays of one capacity: each grows the same way */
        size_t co = b->cap, cg = b->cap;
        srdi_status st = srdi_grow((void **)&b->out, &co, b->nout + 1, sizeof *b->out);
        if (st == SRDI_OK) st = srdi_grow((void **)&b->orig, &cg, b->nout + 1, sizeof *b->orig);
        if (st != SRDI_OK) return st;
        b->cap = co;
    }
    char *t = malloc(len + 1);
    if (!t) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    memcpy(t, text, len);
    t[len] = '\0';
    b->out[b->nout] = t;
    b->orig[b->nout++] = line;
    return SRDI_OK;
}

/* Is line l a single tag alone (spaces around)?  Returns its kind and condition. */
static tag_kind block_tag(const char *l, const char **cond, size_t *clen)
{
    while (*l == ' ' || *l == '\t') l++;
    if (strncmp(l, "{{", 2) != 0) return TAG_NONE;
    const char *close = strstr(l, "}}");
    if (!close) return TAG_NONE;
    const char *r = close + 2;
    while (*r == ' ' || *r == '\t') r++;
    if (*r) return TAG_NONE;
    return tag_of(l + 2, (size_t)(close - l - 2), cond, clen);
}

srdi_status report_branch_file(const char *file, char *const *lines, size_t n, const report_ctx *ctx,
                               report_claims *claims, char ***out, int **orig, size_t *nout)
{
    bstate b = {.file = file, .ctx = ctx, .claims = claims};
    srdi_buf cur = {0};
    srdi_status s = SRDI_OK;
    *out = NULL;
    *orig = NULL;
    *nout = 0;
    for (size_t k = 0; k < n; k++) {
        int line = (int)k + 1;
        const char *cond;
        size_t clen;
        if (report_is_let_line(lines[k])) { /* a definition (template_let.c): outside conditions, no output */
            if (b.depth > 0) {
                s = srdi_error_set(SRDI_ERR_TEMPLATE,
                                   "%s:%d: {{#let}} inside {{#if}} (line %d): a definition holds for every edition, "
                                   "put it before the {{#if}}",
                                   file, line, b.st[b.depth - 1].line);
                goto fail;
            }
            continue;
        }
        tag_kind bt = block_tag(lines[k], &cond, &clen);
        if (bt != TAG_NONE) {
            if ((s = apply_tag(&b, bt, cond, clen, line, true, NULL))) goto fail;
            continue;
        }
        /* inline tags */
        srdi_buf_reset(&cur);
        int base = b.depth;
        const char *p = lines[k];
        while (*p) {
            const char *open = strstr(p, "{{");
            if (!open) {
                if (on_now(&b) && srdi_buf_puts(&cur, p)) goto nomem;
                break;
            }
            const char *close = strstr(open + 2, "}}");
            if (!close) { /* report_expand_line reports unterminated placeholders */
                if (on_now(&b) && srdi_buf_puts(&cur, p)) goto nomem;
                break;
            }
            if (on_now(&b) && srdi_buf_append(&cur, p, (size_t)(open - p))) goto nomem;
            const char *body = open + 2;
            size_t blen = (size_t)(close - body);
            tag_kind t = tag_of(body, blen, &cond, &clen);
            if (t == TAG_NONE && looks_like_tag(body, blen)) {
                s = srdi_error_set(SRDI_ERR_TEMPLATE,
                                   "%s:%d: malformed tag {{%.*s}} (write {{#if …}}, {{else if …}}, {{else}}, {{/if}})",
                                   file, line, (int)(blen > 60 ? 60 : blen), body);
                goto fail;
            }
            if (t == TAG_NONE) {
                if (on_now(&b) && srdi_buf_append(&cur, open, (size_t)(close + 2 - open))) goto nomem;
            } else {
                if ((s = apply_tag(&b, t, cond, clen, line, false, &cur))) goto fail;
            }
            p = close + 2;
        }
        if (b.depth > base) {
            s = srdi_error_set(SRDI_ERR_TEMPLATE,
                               "%s:%d: {{#if}} opened inside a line must close ({{/if}}) on the same line", file, line);
            goto fail;
        }
        if (on_now(&b) && (s = emit(&b, cur.data ? cur.data : "", cur.len, line))) goto fail;
    }
    if (b.depth > 0) {
        s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: {{#if}} is not closed (no {{/if}} before the end of the file)",
                           file, b.st[b.depth - 1].line);
        goto fail;
    }
    srdi_buf_free(&cur);
    *out = b.out;
    *orig = b.orig;
    *nout = b.nout;
    return SRDI_OK;
nomem:
    s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
fail:
    srdi_buf_free(&cur);
    for (size_t i = 0; i < b.nout; i++) free(b.out[i]);
    free(b.out);
    free(b.orig);
    return s;
}

/* ------------------------------------------------------------ claims.csv */

/* One CSV field of the @p n bytes at @p s, quoted when needed (and when empty); a leading = + - @ is neutralised with '. */
static void csv_field_n(FILE *f, const char *s, size_t n)
{
    bool lead = n && strchr("=+-@", s[0]) != NULL, quote = lead || n == 0; /* an empty field: "" */
    for (size_t i = 0; i < n && !quote; i++) quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    if (lead) fputc('\'', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

/* One CSV field (csv_field_n of the whole string). */
static void csv_field(FILE *f, const char *s)
{
    csv_field_n(f, s, strlen(s));
}

srdi_status report_claims_write(const report_claims *c, const char *path)
{
    srdi_atomic a;
    srdi_status s = srdi_atomic_open(&a, path);
    if (s) return s;
    fputs("file,line,condition,holds,rendered,values\n", a.fp);
    for (size_t i = 0; i < c->n; i++) {
        const report_claim *r = &c->c[i];
        csv_field(a.fp, r->file);
        fprintf(a.fp, ",%d,", r->line);
        csv_field(a.fp, r->cond);
        fprintf(a.fp, ",%d,", r->holds ? 1 : 0);
        csv_field(a.fp, r->rendered);
        fputc(',', a.fp);
        size_t vl = strlen(r->values); /* the values without their last "; " (written in place: nothing to allocate) */
        csv_field_n(a.fp, r->values, vl >= 2 && r->values[vl - 2] == ';' ? vl - 2 : vl);
        fputc('\n', a.fp);
    }
    return srdi_atomic_commit(&a);
}
