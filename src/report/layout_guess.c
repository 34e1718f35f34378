/*
 * src/report/layout_guess.c — the pages of the last render's layout, kept in
 * OUT/.srdi-layout, as a guess the PDF is drawn from while the layout is
 * worked out again (srdi_report_render_parsed).
 *
 * The PDF pass reads only this of the pass before it (layout.c): each
 * chapter's make-up option and page turn, and each block's page and place
 * with the first body page (the 目录 and 图表目录 numbers).  A refresh whose
 * data moved no page lays the document out as the last render did, so the
 * PDF can be drawn from the last layout while the layout passes run; when
 * they end, the PDF is kept only if every one of those values is what they
 * give (report_layout_same), else it is drawn again from them.  The file is
 * only ever a guess compared value by value, so it needs no key: a damaged,
 * stale or foreign one costs a drawing, never a wrong page.
 *
 * File (native byte order, written atomically): "SRDILAY1", u64 blocks,
 * u64 chapters, i32 pages, i32 first body page; per block an i32 page and a
 * double place; per chapter an i32 option and a u64 page turn.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_private.h"
#include "srdi/util.h"

#define GUESS_MAGIC "SRDILAY1"

/* Whether @p a and @p b hold the same values for every block and chapter the PDF pass reads. */
bool report_layout_same(const report_doc *doc, const report_layout_result *a, const report_layout_result *b)
{
    if (a->npages != b->npages || a->body_first != b->body_first || a->nchap != b->nchap) return false;
    if (!a->block_page || !b->block_page || !a->block_y || !b->block_y) return false;
    for (size_t i = 0; i < doc->nblocks; i++)
        if (a->block_page[i] != b->block_page[i] || a->block_y[i] != b->block_y[i]) return false;
    if (a->nchap && (!a->chap_opt || !b->chap_opt || !a->chap_brk || !b->chap_brk)) return false;
    for (size_t k = 0; k < a->nchap; k++)
        if (a->chap_opt[k] != b->chap_opt[k] || a->chap_brk[k] != b->chap_brk[k]) return false;
    return true;
}

/* The document's chapters (level-1 headings), as a layout pass counts them. */
static size_t chapters(const report_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nblocks; i++) n += doc->blocks[i].kind == RB_HEADING && doc->blocks[i].level == 1;
    return n;
}

bool report_layout_guess_load(const char *path, const report_doc *doc, report_layout_result *g)
{
    memset(g, 0, sizeof *g);
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp) return false;
    char magic[8];
    uint64_t nb = 0, nc = 0;
    int32_t np = 0, bf = 0;
    bool ok = fread(magic, 1, 8, fp) == 8 && memcmp(magic, GUESS_MAGIC, 8) == 0 && fread(&nb, 8, 1, fp) == 1 &&
              fread(&nc, 8, 1, fp) == 1 && fread(&np, 4, 1, fp) == 1 && fread(&bf, 4, 1, fp) == 1 &&
              nb == doc->nblocks && nc == chapters(doc);
    if (ok) {
        g->npages = np;
        g->body_first = bf;
        g->nchap = (size_t)nc;
        g->block_page = malloc((doc->nblocks + 1) * sizeof *g->block_page);
        g->block_y = malloc((doc->nblocks + 1) * sizeof *g->block_y);
        g->chap_opt = malloc((g->nchap + 1) * sizeof *g->chap_opt);
        g->chap_brk = malloc((g->nchap + 1) * sizeof *g->chap_brk);
        ok = g->block_page && g->block_y && g->chap_opt && g->chap_brk;
    }
    for (size_t i = 0; ok && i < doc->nblocks; i++) {
        int32_t p = 0;
        ok = fread(&p, 4, 1, fp) == 1 && fread(&g->block_y[i], 8, 1, fp) == 1;
        g->block_page[i] = p;
    }
    for (size_t k = 0; ok && k < g->nchap; k++) {
        int32_t o = 0;
        uint64_t b = 0;
        ok = fread(&o, 4, 1, fp) == 1 && fread(&b, 8, 1, fp) == 1;
        g->chap_opt[k] = o;
        g->chap_brk[k] = b > SIZE_MAX ? SIZE_MAX : (size_t)b;
    }
    ok = ok && fgetc(fp) == EOF; /* nothing after the last chapter */
    fclose(fp);
    if (!ok) report_layout_result_free(g);
    return ok;
}

srdi_status report_layout_guess_save(const char *path, const report_doc *doc, const report_layout_result *r)
{
    srdi_atomic a;
    srdi_status st = srdi_atomic_open(&a, path);
    if (st != SRDI_OK) return st;
    uint64_t nb = doc->nblocks, nc = r->nchap;
    int32_t np = r->npages, bf = r->body_first;
    bool ok = fwrite(GUESS_MAGIC, 1, 8, a.fp) == 8 && fwrite(&nb, 8, 1, a.fp) == 1 && fwrite(&nc, 8, 1, a.fp) == 1 &&
              fwrite(&np, 4, 1, a.fp) == 1 && fwrite(&bf, 4, 1, a.fp) == 1;
    for (size_t i = 0; ok && i < doc->nblocks; i++) {
        int32_t p = r->block_page[i];
        ok = fwrite(&p, 4, 1, a.fp) == 1 && fwrite(&r->block_y[i], 8, 1, a.fp) == 1;
    }
    for (size_t k = 0; ok && k < r->nchap; k++) {
        int32_t o = r->chap_opt[k];
        uint64_t b = r->chap_brk[k];
        ok = fwrite(&o, 4, 1, a.fp) == 1 && fwrite(&b, 8, 1, a.fp) == 1;
    }
    if (!ok) {
        srdi_atomic_abort(&a);
        return srdi_error_set(SRDI_ERR_IO, "%s: cannot write the layout kept for the next render", path);
    }
    return srdi_atomic_commit(&a);
}
