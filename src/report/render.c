/*
 * src/report/render.c — srdi_report_render: templates → layout passes
 * (null canvas, then libharu) → the report PDF, written atomically.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/log.h"
#include "srdi/charts.h"
#include "srdi/report.h"
#include "srdi/util.h"
#include "report_private.h"

struct srdi_report {
    report_doc *doc;
};

/* The template context of @p o: tables, parameters and scope ("province=江苏省"). */
static report_ctx make_ctx(const srdi_report_opts *o, char *kind, size_t ksize, char *name, size_t nsize)
{
    report_ctx ctx = {o->tables, o->params, NULL, NULL, o->national, o->province};
    const char *eq = o->scope ? strchr(o->scope, '=') : NULL;
    if (eq) {
        size_t l = (size_t)(eq - o->scope);
        if (l >= ksize) l = ksize - 1;
        memcpy(kind, o->scope, l);
        kind[l] = '\0';
        srdi_strlcpy(name, eq + 1, nsize);
        ctx.scope_kind = kind;
        ctx.scope_name = name;
    }
    return ctx;
}

srdi_status srdi_report_load(const srdi_report_opts *o, srdi_report **out)
{
    *out = NULL;
    if (!o || !o->template_dir) return srdi_error_set(SRDI_ERR_USAGE, "report: template directory is required");
    srdi_report *r = calloc(1, sizeof *r);
    if (!r) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory loading the report templates");
    char kind[32], name[256];
    report_ctx ctx = make_ctx(o, kind, sizeof kind, name, sizeof name);
    srdi_status s = report_doc_load(o->template_dir, &ctx, &r->doc);
    if (s) {
        free(r);
        return s;
    }
    report_doc_spacing(r->doc);
    *out = r;
    return SRDI_OK;
}

void srdi_report_free(srdi_report *r)
{
    if (!r) return;
    report_doc_free(r->doc);
    free(r);
}

void srdi_report_figure_numbers(const srdi_report *r, srdi_fignums *nums)
{
    memset(nums, 0, sizeof *nums);
    /* the first chart block of a key carries its number */
    for (size_t i = r->doc->nblocks; i-- > 0;) {
        const report_block *b = &r->doc->blocks[i];
        if (b->kind == RB_CHART && b->fig > 0) {
            srdi_fignums_set(nums, b->key, b->fig);
            srdi_fignums_set_caption(nums, b->key, b->caption); /* figure files are titled like it */
        }
    }
}

srdi_status srdi_report_render(const srdi_report_opts *o)
{
    srdi_report *r = NULL;
    srdi_status s = srdi_report_load(o, &r);
    if (s == SRDI_OK) s = srdi_report_render_parsed(r, o);
    srdi_report_free(r);
    return s;
}

/* The line breaks kept from render to render on this thread (srdi_report_keep_breaks; NULL: none). */
static _Thread_local report_break_cache *tl_kept;

srdi_status srdi_report_keep_breaks(bool on)
{
    if (!on) {
        report_break_cache_free(tl_kept);
        tl_kept = NULL;
        return SRDI_OK;
    }
    if (!tl_kept && !(tl_kept = report_break_cache_new()))
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory keeping the line breaks");
    return SRDI_OK;
}

size_t srdi_report_breaks_kept(void)
{
    return report_break_cache_count(tl_kept);
}

static atomic_size_t layouts_reused; /* PDFs kept as drawn from the last render's layout */

size_t srdi_report_layouts_reused(void)
{
    return atomic_load(&layouts_reused);
}

/*
 * The PDF canvas's fonts, loaded on a thread of their own (font_loader)
 * while the layout passes run on the null canvas; with the last render's
 * layout (srdi_report_opts.layout_path), that thread then draws the PDF
 * from it, to be kept if the layout passes come out the same (the usual
 * refresh: its drawing no longer waits for them).
 */
typedef struct font_loading {
    srdi_canvas *pdf;           /* made by the thread (NULL until it is joined, or when it could not be) */
    const srdi_pdf_info *info;  /* the PDF's document information */
    const report_doc *doc;
    const srdi_report_opts *o;
    report_break_store *store;  /* the render's break store: the drawing looks in it and gives it its breaks */
    report_layout_result guess; /* the last render's layout (block_page NULL: none) */
    report_layout_result drawn; /* the PDF pass drawn from it */
    bool tried;                 /* drawn (draw_st its status) */
    pthread_mutex_t mu;         /* guards ready */
    pthread_cond_t cv;          /* signalled when ready is set */
    bool ready;                 /* store and guess are set: the thread may draw (font_loader_go) */
    srdi_status draw_st;
    pthread_t tid;
    bool started; /* the thread runs (join it) */
    srdi_status st;
    char msg[1024]; /* the loader thread's message when st != SRDI_OK */
} font_loading;

/* A new PDF canvas for @p o with its fonts loaded (here) and the kept streams; NULL with the status in *@p s. */
static srdi_canvas *pdf_canvas_loaded(const srdi_report_opts *o, const srdi_pdf_info *info, srdi_status *s)
{
    srdi_canvas *pdf = srdi_canvas_hpdf_new(o->fonts, o->out_path, info);
    if (!pdf) {
        *s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if ((*s = srdi_canvas_status(pdf)) || (*s = srdi_canvas_hpdf_load_fonts(pdf)) ||
        (*s = srdi_canvas_hpdf_set_streams(pdf, o->streams_path, o->breaks_reuse))) {
        srdi_canvas_free(pdf);
        return NULL;
    }
    return pdf;
}

static void *font_loader(void *arg)
{
    font_loading *fl = arg;
    /* the PDF canvas and the streams the last PDF deflated, here: the drawing below is the longer of the two
       paths, the claims are written and the layout passes run on the other meanwhile */
    fl->pdf = pdf_canvas_loaded(fl->o, fl->info, &fl->st);
    if (!fl->pdf) {
        srdi_strlcpy(fl->msg, srdi_error_message(), sizeof fl->msg);
        return NULL;
    }
    pthread_mutex_lock(&fl->mu); /* the break store and the guess, read meanwhile by the render's thread */
    while (!fl->ready) pthread_cond_wait(&fl->cv, &fl->mu);
    pthread_mutex_unlock(&fl->mu);
    if (fl->guess.block_page) {
        report_break_cache *c = report_break_cache_new(), *outer = report_break_cache_use(c);
        report_break_cache_attach(c, fl->store);
        report_layout_memo *m = report_layout_memo_new(), *outer_m = report_layout_memo_use(m);
        fl->tried = true;
        fl->draw_st = report_layout(fl->doc, fl->o, fl->pdf, &fl->guess, &fl->drawn);
        srdi_error_clear(); /* a failure is met again, and reported, when the PDF is drawn from the layout passes */
        report_layout_memo_use(outer_m);
        report_layout_memo_free(m);
        report_break_cache_use(outer);
        report_break_store_adopt(fl->store, c); /* its breaks go to the store's file (freed without a store) */
    }
    return NULL;
}

/* Give the loader the render's break store and the last render's layout (@p guess, taken; none: no drawing). */
static void font_loader_go(font_loading *fl, report_break_store *store, report_layout_result *guess)
{
    pthread_mutex_lock(&fl->mu);
    fl->store = store;
    fl->guess = *guess;
    memset(guess, 0, sizeof *guess);
    fl->ready = true;
    pthread_cond_signal(&fl->cv);
    pthread_mutex_unlock(&fl->mu);
}

/* Wait for the loader (once); its status, with its message set on this thread. */
static srdi_status font_loader_join(font_loading *fl)
{
    if (fl->started) {
        pthread_join(fl->tid, NULL);
        fl->started = false;
    }
    return fl->st != SRDI_OK ? srdi_error_set(fl->st, "%s", fl->msg) : SRDI_OK;
}

/* Wait for the loader after another failure, whose message stays. */
static void font_loader_abandon(font_loading *fl)
{
    if (fl->started) pthread_join(fl->tid, NULL);
    fl->started = false;
}

/* Has the PDF pass @p b placed every block where the pass @p a before it did (the 目录's page numbers hold)? */
static bool same_pages(const report_doc *doc, const report_layout_result *a, const report_layout_result *b)
{
    if (a->npages != b->npages || a->body_first != b->body_first) return false;
    for (size_t i = 0; i < doc->nblocks; i++)
        if (a->block_page[i] != b->block_page[i] || a->block_y[i] != b->block_y[i]) return false;
    return true;
}

/*
 * Render the whole report.  A thread makes the PDF canvas and loads its
 * fonts (and draws the PDF from the last render's layout) meanwhile.  Pass 1 lays the document out on the null canvas
 * (choosing each chapter's make-up, report_layout) to learn the pages of
 * headings and figures; pass 2 draws it into the PDF with the 目录 / 图表目录
 * page numbers of pass 1.  The page count of the 目录 depends only on its
 * number of entries, so both passes paginate alike: when pass 2 placed every
 * block where pass 1 did, its numbers were right and the PDF is written.
 * If pagination moved (never seen), a null pass with pass 1's numbers
 * settles them and the PDF is drawn again, on a new canvas, with that
 * pass's numbers.
 * Returns SRDI_OK, or the first error (template errors name file and line).
 */
srdi_status srdi_report_render_parsed(const srdi_report *rep, const srdi_report_opts *o)
{
    srdi_status s;
    const report_doc *doc = rep ? rep->doc : NULL;
    report_layout_result r1 = {0}, r2 = {0}, r3 = {0};
    srdi_canvas *pdf = NULL, *null1 = NULL;
    font_loading fl = {0};
    if (!doc || !o || !o->out_path || !o->fonts)
        return srdi_error_set(SRDI_ERR_USAGE, "report: parsed templates, output path and fonts are required");
    /* the PDF canvas first: a thread makes it and loads its fonts (libharu
       reads and maps every face: a third of the PDF's time) while this one
       reads the last render's breaks and layout, writes the claims and lays out */
    const srdi_params *p = o->params;
    srdi_pdf_info info = {
        .title = srdi_params_str(p, "report", "title", "专精特新企业培育发展报告"),
        .author = srdi_params_str(p, "report", "author", srdi_params_str(p, "report", "organisation", "srdi-report")),
        .subject = srdi_params_str(p, "report", "subtitle", ""),
        .keywords = srdi_params_str(p, "report", "keywords", "专精特新"),
        .epoch = o->epoch,
    };
    fl.info = &info;
    fl.doc = doc;
    fl.o = o;
    pthread_mutex_init(&fl.mu, NULL);
    pthread_cond_init(&fl.cv, NULL);
    fl.started = pthread_create(&fl.tid, NULL, font_loader, &fl) == 0;

    /* every pass breaks the same paragraphs: break each once per render (or once
       for every render of this thread that keeps no break file: srdi_report_keep_breaks) */
    report_break_cache *breaks = tl_kept && !o->breaks_path ? tl_kept : report_break_cache_new();
    report_break_cache *outer = report_break_cache_use(breaks);
    /* and the previous render's breaks, kept in o->breaks_path, most of them asked again */
    report_break_store *store =
        o->breaks_path ? report_break_store_load(o->breaks_reuse ? o->breaks_path : NULL, o->breaks_key, o->fonts)
                       : NULL;
    report_break_cache_attach(breaks, store);
    /* and asks the same figure heights: keep those too */
    report_layout_memo *memo = report_layout_memo_new(), *outer_memo = report_layout_memo_use(memo);
    /* the last render's layout, to draw the PDF from while the layout passes run (not with --force; not
       without the thread) */
    report_layout_result guess = {0};
    if (fl.started && o->layout_path && o->breaks_reuse) report_layout_guess_load(o->layout_path, doc, &guess);
    font_loader_go(&fl, store, &guess); /* the loader draws from here on */
    if (!fl.started) font_loader(&fl); /* no thread: the canvas and fonts here, and the PDF from the layout passes */

    { /* claims.csv beside the PDF: why each sentence says what it says; an
           edition's PDF (江苏省.pdf) gets its own (江苏省.claims.csv) */
        srdi_buf cp = {0};
        const char *slash = strrchr(o->out_path, '/');
        const char *base = slash ? slash + 1 : o->out_path;
        size_t blen = strlen(base);
        if (slash) srdi_buf_printf(&cp, "%.*s/", (int)(slash - o->out_path), o->out_path);
        if (strcmp(base, "report.pdf") != 0 && blen > 4 && strcmp(base + blen - 4, ".pdf") == 0)
            srdi_buf_printf(&cp, "%.*s.claims.csv", (int)(blen - 4), base);
        else
            srdi_buf_puts(&cp, "claims.csv");
        s = cp.data ? report_claims_write(&doc->claims, cp.data) : srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        srdi_buf_free(&cp);
        if (s) goto cleanup;
    }

    null1 = srdi_canvas_null_new(o->fonts);
    if (!null1) {
        s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    s = report_layout(doc, o, null1, NULL, &r1);
    if (s) goto cleanup;

    if ((s = font_loader_join(&fl))) goto cleanup;
    pdf = fl.pdf; /* the loader's canvas, this function's from here on */
    fl.pdf = NULL;
    const bool guess_right = fl.guess.block_page && report_layout_same(doc, &fl.guess, &r1);
    if (fl.tried && fl.draw_st == SRDI_OK && guess_right) {
        r3 = fl.drawn; /* drawn from the layout the passes give: the PDF they would draw */
        memset(&fl.drawn, 0, sizeof fl.drawn);
        atomic_fetch_add(&layouts_reused, 1);
    } else {
        if (fl.tried) { /* drawn from another layout: a fresh canvas */
            srdi_canvas_free(pdf);
            if (!(pdf = pdf_canvas_loaded(o, &info, &s))) goto cleanup;
        }
        s = report_layout(doc, o, pdf, &r1, &r3);
    }
    if (!s && !same_pages(doc, &r1, &r3)) {
        /* pagination moved: settle the numbers on the null canvas, draw again */
        srdi_canvas_free(null1);
        null1 = srdi_canvas_null_new(o->fonts);
        if (!null1) {
            s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        if ((s = report_layout(doc, o, null1, &r1, &r2))) goto cleanup;
        for (size_t i = 0; i < doc->nblocks; i++)
            if (r1.block_page[i] != r2.block_page[i]) {
                srdi_log_note("report: pagination moved between passes (block %zu: page %d → %d)", i,
                              r1.block_page[i], r2.block_page[i]);
                break;
            }
        srdi_canvas_free(pdf);
        if (!(pdf = pdf_canvas_loaded(o, &info, &s))) goto cleanup;
        report_layout_result_free(&r3);
        s = report_layout(doc, o, pdf, &r2, &r3);
    }
    if (!s) s = srdi_canvas_finish(pdf);
    if (!s && store) s = report_break_store_save(store, breaks, o->breaks_path, o->breaks_key);
    /* the layout drawn, for the next render (r2 when pagination moved), unless the file holds it */
    const report_layout_result *used = r2.block_page ? &r2 : &r1;
    if (!s && o->layout_path &&
        !(used == &r1 ? guess_right : fl.guess.block_page && report_layout_same(doc, &fl.guess, used)))
        s = report_layout_guess_save(o->layout_path, doc, used);
cleanup:
    report_break_cache_use(outer);
    if (breaks != tl_kept) report_break_cache_free(breaks);
    report_break_store_free(store);
    report_layout_memo_use(outer_memo);
    report_layout_memo_free(memo);
    font_loader_abandon(&fl); /* a failure before the join: the thread still ends first */
    srdi_canvas_free(fl.pdf); /* (the loader's canvas, not taken) */
    srdi_canvas_free(pdf);
    srdi_canvas_free(null1);
    report_layout_result_free(&r1);
    report_layout_result_free(&r2);
    report_layout_result_free(&r3);
    report_layout_result_free(&fl.guess);
    report_layout_result_free(&fl.drawn);
    pthread_cond_destroy(&fl.cv);
    pthread_mutex_destroy(&fl.mu);
    return s;
}
