/*
 * src/report/layout_memo.c — answers the layout asks again and again, kept
 * for one render: the height a figure block needs where it starts
 * (lay_float_need, lay_float_height) and whether a chart draws its 暂无数据
 * box only.  The make-up search lays the whole document out once per
 * option (report_layout), and every pass looks ahead at the same figures
 * hundreds of times; each answer measures a table cell by cell.
 *
 * Each answer is a pure function of the block (or chart key), the pass's
 * chart scale and what stays fixed through a render: the parsed templates,
 * the tables, the parameters, the fonts and the page geometry.  The memo
 * remembers which document, options, fonts and text block it answers for
 * and forgets everything when asked about another, so an answer is never
 * served outside the render that computed it.  Only answers computed
 * without an error are kept (a failure is met again, and reported, by every
 * pass).  Like the break cache, a memo is seen by the thread that set it
 * only (report_layout_memo_use): no locks.
 *
 * It also keeps answers keyed by content rather than by block (lay_memo_blob_get):
 * a table's measured grid (column widths, row heights, headers as set) is a
 * function of its cells, alignment and benchmark groups, the fonts and the
 * text width, and every pass of the make-up search measured every table
 * again, cell by cell (5% of a --split province run).  The key is the whole
 * content, compared byte for byte, not only its hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout_private.h"
#include "srdi/hash.h"

typedef struct memo_entry {
    const void *key; /* the block, or the chart key's text; NULL: a free slot */
    uint64_t scale;  /* the bits of the chart scale (0 for LAY_MEMO_EMPTY) */
    int kind;        /* LAY_MEMO_* */
    double value;
} memo_entry;

struct report_layout_memo {
    /* what the answers hold for */
    const report_doc *d;
    const srdi_report_opts *o;
    const srdi_fonts *f;
    double tw, ytop, ybot;
    memo_entry *slot;
    size_t cap, n; /* cap: a power of two (or 0) */
    /* the answers kept by content: entry i is blob[i], found through bindex by its key's hash */
    struct blob_entry *blob;
    size_t nblob, capblob;
    srdi_hindex bindex;
};

typedef struct blob_entry {
    char *key; /* the value's bytes follow the key's in the same block */
    size_t keylen, vallen;
} blob_entry;

static void blobs_forget(report_layout_memo *m)
{
    for (size_t i = 0; i < m->nblob; i++) free(m->blob[i].key);
    free(m->blob);
    m->blob = NULL;
    m->nblob = m->capblob = 0;
    srdi_hindex_free(&m->bindex);
}

static _Thread_local report_layout_memo *tl_memo;

report_layout_memo *report_layout_memo_new(void)
{
    return calloc(1, sizeof(report_layout_memo));
}

void report_layout_memo_free(report_layout_memo *m)
{
    if (!m) return;
    free(m->slot);
    blobs_forget(m);
    free(m);
}

report_layout_memo *report_layout_memo_use(report_layout_memo *m)
{
    report_layout_memo *prev = tl_memo;
    tl_memo = m;
    return prev;
}

static uint64_t memo_hash(const void *key, uint64_t scale, int kind)
{
    uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ull;
    h ^= (scale + (uint64_t)kind) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 29;
    return h * 0x94D049BB133111EBull;
}

/* The memo of this thread for the pass @p l, emptied when it held another render's answers; NULL: none. */
static report_layout_memo *memo_for(const L *l)
{
    report_layout_memo *m = tl_memo;
    if (!m) return NULL;
    if (m->d != l->d || m->o != l->o || m->f != l->f || m->tw != l->tw || m->ytop != l->ytop || m->ybot != l->ybot) {
        if (m->cap) memset(m->slot, 0, m->cap * sizeof *m->slot);
        m->n = 0;
        blobs_forget(m);
        m->d = l->d;
        m->o = l->o;
        m->f = l->f;
        m->tw = l->tw;
        m->ytop = l->ytop;
        m->ybot = l->ybot;
    }
    return m;
}

static uint64_t scale_bits(double scale)
{
    uint64_t u;
    memcpy(&u, &scale, sizeof u);
    return u;
}

/* The slot of the key: its entry, or the free slot where it goes (cap > 0). */
static memo_entry *memo_slot(report_layout_memo *m, const void *key, uint64_t scale, int kind)
{
    for (size_t i = (size_t)memo_hash(key, scale, kind) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        memo_entry *e = &m->slot[i];
        if (!e->key || (e->key == key && e->scale == scale && e->kind == kind)) return e;
    }
}

bool lay_memo_get(const L *l, const void *key, int kind, double scale, double *value)
{
    report_layout_memo *m = memo_for(l);
    if (!m || !m->cap) return false;
    memo_entry *e = memo_slot(m, key, kind == LAY_MEMO_EMPTY ? 0 : scale_bits(scale), kind);
    if (!e->key) return false;
    *value = e->value;
    return true;
}

void lay_memo_put(const L *l, const void *key, int kind, double scale, double value)
{
    report_layout_memo *m = memo_for(l);
    if (!m || srdi_canvas_status(l->c) != SRDI_OK) return; /* an answer from a failed pass is not kept */
    if (m->n + 1 > m->cap / 2) { /* grow: rehash into twice the slots */
        size_t ncap = m->cap ? m->cap * 2 : 256;
        memo_entry *ns = calloc(ncap, sizeof *ns);
        if (!ns) return; /* not kept: asked again, computed again */
        memo_entry *old = m->slot;
        size_t ocap = m->cap;
        m->slot = ns;
        m->cap = ncap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].key) *memo_slot(m, old[i].key, old[i].scale, old[i].kind) = old[i];
        free(old);
    }
    uint64_t sb = kind == LAY_MEMO_EMPTY ? 0 : scale_bits(scale);
    memo_entry *e = memo_slot(m, key, sb, kind);
    if (e->key) return; /* kept already */
    *e = (memo_entry){key, sb, kind, value};
    m->n++;
}

/* The entry of the content key whose hash is @p h, or NULL. */
static blob_entry *blob_find(report_layout_memo *m, uint64_t h, const void *key, size_t keylen)
{
    size_t pos;
    for (uint32_t i = srdi_hindex_first(&m->bindex, h, &pos); i != SRDI_HINDEX_NONE;
         i = srdi_hindex_next(&m->bindex, h, &pos)) {
        blob_entry *e = &m->blob[i];
        if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0) return e;
    }
    return NULL;
}

bool lay_memo_blob_get(const L *l, const void *key, size_t keylen, const void **val, size_t *vallen)
{
    report_layout_memo *m = memo_for(l);
    blob_entry *e = m ? blob_find(m, srdi_hash_mem(key, keylen), key, keylen) : NULL;
    if (!e) return false;
    *val = e->key + e->keylen;
    *vallen = e->vallen;
    return true;
}

void lay_memo_blob_put(const L *l, const void *key, size_t keylen, const void *val, size_t vallen)
{
    report_layout_memo *m = memo_for(l);
    if (!m || srdi_canvas_status(l->c) != SRDI_OK) return; /* an answer from a failed pass is not kept */
    uint64_t h = srdi_hash_mem(key, keylen);
    if (blob_find(m, h, key, keylen) || m->nblob >= SRDI_HINDEX_NONE) return; /* kept already */
    char *b = malloc(keylen + vallen + 1);
    if (!b || srdi_grow((void **)&m->blob, &m->capblob, m->nblob + 1, sizeof *m->blob) != SRDI_OK ||
        srdi_hindex_add(&m->bindex, h, (uint32_t)m->nblob) != SRDI_OK) {
        free(b); /* not kept: asked again, computed again */
        srdi_error_clear();
        return;
    }
    memcpy(b, key, keylen);
    if (vallen) memcpy(b + keylen, val, vallen);
    m->blob[m->nblob++] = (blob_entry){b, keylen, vallen};
}
