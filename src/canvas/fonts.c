/*
 * src/canvas/fonts.c — the project's fonts: fonts/manifest.ini (inih) names
 * the files, FreeType opens them and measures text.
 *
 * Widths are unhinted advances (FT_Get_Advance with FT_LOAD_NO_SCALE, in font
 * units) scaled by size / units_per_EM, cached per code point of the Basic
 * Multilingual Plane, so every backend lays text out identically.
 *
 * Segment rule: printable ASCII (U+0020–U+007E) is set in the Latin
 * companion face; everything else in the CJK face, unless the CJK face lacks
 * the glyph and the Latin face has it.
 *
 * Thread safety: FreeType calls and the filling of the caches are guarded
 * by one mutex per srdi_fonts, so measuring from several threads is safe.
 * A cached code point is read without the lock: each cache entry is one
 * atomic word, written once (under the lock) and never changed after, so
 * the common case (every code point but a text's first use of it) costs
 * no lock and no contention between the threads that measure.
 */
#include "srdi/fonts.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include <ini.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"

#define NFAM  2
#define NSLOT 2
#define BMP   0x10000u

/* One code point of a face: glyph index and advance in font units. */
typedef struct glyph_entry {
    uint32_t glyph; /* FreeType glyph index, 0 = missing */
    int32_t adv;    /* advance in font units */
    uint8_t known;  /* 1 once looked up */
} glyph_entry;

/*
 * The caches hold one atomic word per BMP code point, 0 until it is known.
 * A face's entry (face_slot.cache): KNOWN | glyph << 32 | (uint32_t)adv
 * (TrueType glyph indices are 16-bit).  A family's entry (srdi_fonts.seg,
 * the segment rule's answer): KNOWN | CJK when the CJK face sets it | WIDE
 * when it is a widened quotation mark | (uint32_t)advance in that face's
 * units.
 */
typedef _Atomic uint64_t cache_word;
#define W_KNOWN (UINT64_C(1) << 63)
#define W_CJK   (UINT64_C(1) << 62)
#define W_WIDE  (UINT64_C(1) << 61)

/* One face slot as described by the manifest and opened by FreeType. */
typedef struct face_slot {
    char *name;          /* family name for messages (owned) */
    char *files;         /* ':'-separated search list (owned) */
    char *package;       /* Debian package (owned) */
    char *license;       /* licence text (owned) */
    srdi_face_file file; /* chosen file, index, synth_bold */
    FT_Face face;        /* open face */
    double upem;         /* units per EM */
    cache_word *cache;   /* BMP entries (see cache_word), allocated with the fonts */
} face_slot;

struct srdi_fonts {
    FT_Library lib;
    face_slot slots[NFAM][NSLOT];
    cache_word *seg[NFAM]; /* per family: the segment rule per BMP code point */
    void *drawn[NFAM][NSLOT];  /* srdi_fonts_backend_face's objects */
    void (*drawn_drop)(void *); /* and how they go */
    pthread_mutex_t lock;  /* guards FreeType calls and the filling of the caches */
};

/* --------------------------------------------------------------- manifest */

/* Parser state passed to the inih handler. */
typedef struct manifest_ctx {
    srdi_fonts *f;
    bool oom;
} manifest_ctx;

/*
 * Map a section name "sans.cjk" to family/slot indices.
 * Returns 0 on success, -1 for an unknown section.
 */
static int section_slot(const char *section, int *fam, int *slot)
{
    const char *dot = strchr(section, '.');
    if (!dot) return -1;
    size_t n = (size_t)(dot - section);
    if (n == 4 && strncmp(section, "sans", 4) == 0)
        *fam = SRDI_FONT_SANS;
    else if (n == 5 && strncmp(section, "serif", 5) == 0)
        *fam = SRDI_FONT_SERIF;
    else
        return -1;
    if (strcmp(dot + 1, "cjk") == 0)
        *slot = SRDI_FACE_CJK;
    else if (strcmp(dot + 1, "latin") == 0)
        *slot = SRDI_FACE_LATIN;
    else
        return -1;
    return 0;
}

/* Replace *dst by a copy of value; records OOM in the context. */
static void set_str(manifest_ctx *m, char **dst, const char *value)
{
    char *c = srdi_strdup(value);
    if (!c) {
        m->oom = true;
        return;
    }
    free(*dst);
    *dst = c;
}

/* inih handler: store one key of one section; unknown sections/keys are ignored. */
static int manifest_handler(void *user, const char *section, const char *name, const char *value)
{
    manifest_ctx *m = user;
    int fam, slot;
    if (section_slot(section, &fam, &slot) != 0) return 1;
    face_slot *s = &m->f->slots[fam][slot];
    if (strcmp(name, "name") == 0)
        set_str(m, &s->name, value);
    else if (strcmp(name, "files") == 0)
        set_str(m, &s->files, value);
    else if (strcmp(name, "package") == 0)
        set_str(m, &s->package, value);
    else if (strcmp(name, "license") == 0)
        set_str(m, &s->license, value);
    else if (strcmp(name, "index") == 0)
        s->file.index = (int)strtol(value, NULL, 10);
    else if (strcmp(name, "synth_bold") == 0)
        s->file.synth_bold = (strcmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcmp(value, "yes") == 0);
    return 1;
}

/*
 * Open the first readable file of the slot's search list.  Relative entries
 * are resolved against @p dir.  Returns SRDI_ERR_FONT naming the package when
 * none opens.
 */
static srdi_status open_slot(srdi_fonts *f, face_slot *s, const char *dir, const char *section)
{
    if (!s->files || !s->name)
        return srdi_error_set(SRDI_ERR_FONT, "font manifest: section [%s] needs 'name' and 'files'", section);
    srdi_buf tried = {0};
    srdi_status st = SRDI_OK;
    const char *p = s->files;
    while (*p) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > 0) {
            char path[4096];
            if (p[0] == '/')
                snprintf(path, sizeof path, "%.*s", (int)n, p);
            else
                snprintf(path, sizeof path, "%s/%.*s", dir, (int)n, p);
            FT_Face face = NULL;
            if (FT_New_Face(f->lib, path, s->file.index, &face) == 0) {
                s->face = face;
                s->upem = face->units_per_EM > 0 ? face->units_per_EM : 1000;
                s->file.path = srdi_strdup(path);
                if (!s->file.path) {
                    st = SRDI_ERR_NOMEM;
                    goto cleanup;
                }
                goto cleanup;
            }
            if (tried.len) srdi_buf_puts(&tried, ", ");
            srdi_buf_puts(&tried, path);
        }
        if (!end) break;
        p = end + 1;
    }
    st = srdi_error_set(SRDI_ERR_FONT, "font '%s' not found (looked in %s); install the Debian package %s", s->name,
                        tried.data ? tried.data : "(no paths)", s->package ? s->package : "(unknown)");
cleanup:
    srdi_buf_free(&tried);
    return st;
}

/*
 * Load fonts_dir/manifest.ini and open every face.  On failure *out is NULL
 * and the error names the missing font and its package.
 */
srdi_status srdi_fonts_load(const char *fonts_dir, srdi_fonts **out)
{
    static const char *sections[NFAM][NSLOT] = {{"sans.cjk", "sans.latin"}, {"serif.cjk", "serif.latin"}};
    *out = NULL;
    srdi_status st = SRDI_OK;
    srdi_fonts *f = calloc(1, sizeof *f);
    if (!f) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory loading fonts");
    pthread_mutex_init(&f->lock, NULL);
    if (FT_Init_FreeType(&f->lib) != 0) {
        f->lib = NULL;
        st = srdi_error_set(SRDI_ERR_FONT, "cannot initialise FreeType");
        goto cleanup;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.ini", fonts_dir);
    manifest_ctx m = {f, false};
    int rc = ini_parse(path, manifest_handler, &m);
    if (rc < 0) {
        st = srdi_error_set(SRDI_ERR_FONT, "cannot read font manifest '%s'", path);
        goto cleanup;
    }
    if (rc > 0) {
        st = srdi_error_set(SRDI_ERR_FONT, "font manifest '%s': syntax error on line %d", path, rc);
        goto cleanup;
    }
    if (m.oom) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading '%s'", path);
        goto cleanup;
    }
    for (int fam = 0; fam < NFAM; fam++)
        for (int sl = 0; sl < NSLOT; sl++) {
            st = open_slot(f, &f->slots[fam][sl], fonts_dir, sections[fam][sl]);
            if (st != SRDI_OK) goto cleanup;
        }
    /* zeroed pages: only the code points a report uses are ever touched */
    for (int fam = 0; fam < NFAM; fam++) {
        f->seg[fam] = calloc(BMP, sizeof *f->seg[fam]);
        for (int sl = 0; sl < NSLOT; sl++) f->slots[fam][sl].cache = calloc(BMP, sizeof(cache_word));
        if (!f->seg[fam] || !f->slots[fam][0].cache || !f->slots[fam][1].cache) {
            st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory loading fonts");
            goto cleanup;
        }
    }
    *out = f;
    f = NULL;
cleanup:
    srdi_fonts_free(f);
    return st;
}

/* Free every face, cache and string, then the library. NULL is fine. */
void srdi_fonts_free(srdi_fonts *f)
{
    if (!f) return;
    for (int fam = 0; fam < NFAM; fam++)
        for (int sl = 0; sl < NSLOT; sl++)
            if (f->drawn[fam][sl]) f->drawn_drop(f->drawn[fam][sl]); /* they may read the faces */
    for (int fam = 0; fam < NFAM; fam++)
        for (int sl = 0; sl < NSLOT; sl++) {
            face_slot *s = &f->slots[fam][sl];
            if (s->face) FT_Done_Face(s->face);
            free(s->name);
            free(s->files);
            free(s->package);
            free(s->license);
            free(s->file.path);
            free(s->cache);
        }
    for (int fam = 0; fam < NFAM; fam++) free(f->seg[fam]);
    if (f->lib) FT_Done_FreeType(f->lib);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* Clamp a family value to a valid index. */
static int fam_index(srdi_font_family fam)
{
    return fam == SRDI_FONT_SERIF ? 1 : 0;
}

const srdi_face_file *srdi_fonts_face(const srdi_fonts *f, srdi_font_family fam, srdi_face_slot slot)
{
    return &f->slots[fam_index(fam)][slot == SRDI_FACE_LATIN ? 1 : 0].file;
}

void *srdi_fonts_ft_face(const srdi_fonts *f, srdi_font_family fam, srdi_face_slot slot)
{
    return f->slots[fam_index(fam)][slot == SRDI_FACE_LATIN ? 1 : 0].face;
}

void *srdi_fonts_backend_face(const srdi_fonts *f, srdi_font_family fam, srdi_face_slot slot, void *(*make)(void *ft),
                              void (*drop)(void *obj))
{
    srdi_fonts *mf = (srdi_fonts *)f; /* made on first use: logically const */
    int fi = fam_index(fam), si = slot == SRDI_FACE_LATIN ? 1 : 0;
    pthread_mutex_lock(&mf->lock);
    void *obj = mf->drawn[fi][si];
    if (!obj && (obj = make(mf->slots[fi][si].face))) {
        mf->drawn[fi][si] = obj;
        mf->drawn_drop = drop;
    }
    pthread_mutex_unlock(&mf->lock);
    return obj;
}

/* ------------------------------------------------------------ measurement */

/* The code point at s[*i] (srdi_utf8_decode), advancing *i; an invalid byte is U+FFFD. */
static uint32_t next_cp(const char *s, size_t len, size_t *i)
{
    int32_t cp = srdi_utf8_decode(s, len, i);
    return cp < 0 ? 0xFFFDu : (uint32_t)cp;
}

/* FreeType's glyph index and unscaled advance of cp in slot s.  Caller holds the lock. */
static glyph_entry ft_lookup_locked(face_slot *s, uint32_t cp)
{
    glyph_entry e = {0, 0, 1};
    e.glyph = FT_Get_Char_Index(s->face, cp);
    FT_Fixed adv = 0;
    if (e.glyph && FT_Get_Advance(s->face, e.glyph, FT_LOAD_NO_SCALE, &adv) == 0)
        e.adv = (int32_t)adv;
    else if (!e.glyph && FT_Get_Advance(s->face, 0, FT_LOAD_NO_SCALE, &adv) == 0)
        e.adv = (int32_t)adv;
    return e;
}

static glyph_entry glyph_unpack(uint64_t w)
{
    glyph_entry e = {(uint32_t)((w >> 32) & 0x1FFFFFFFu), (int32_t)(uint32_t)w, 1};
    return e;
}

/*
 * Glyph index and unscaled advance of cp in slot s.  Caller holds the
 * lock.  BMP code points are cached (a glyph index that does not fit the
 * word, never seen in a TrueType face, is looked up every time).
 */
static glyph_entry lookup_locked(face_slot *s, uint32_t cp)
{
    if (cp < BMP) {
        uint64_t w = atomic_load_explicit(&s->cache[cp], memory_order_acquire);
        if (w) return glyph_unpack(w);
    }
    glyph_entry e = ft_lookup_locked(s, cp);
    if (cp < BMP && e.glyph < (1u << 29))
        atomic_store_explicit(&s->cache[cp], W_KNOWN | (uint64_t)e.glyph << 32 | (uint32_t)e.adv,
                              memory_order_release);
    return e;
}

/* Width-zero control characters are not drawn or measured. */
static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F;
}

unsigned srdi_fonts_glyph(const srdi_fonts *f, srdi_font font, srdi_face_slot slot, uint32_t cp, double *advance)
{
    srdi_fonts *mf = (srdi_fonts *)f; /* the cache is logically const */
    face_slot *s = &mf->slots[fam_index(font.family)][slot == SRDI_FACE_LATIN ? 1 : 0];
    if (is_control(cp)) {
        if (advance) *advance = 0;
        return 0;
    }
    uint64_t w = cp < BMP ? atomic_load_explicit(&s->cache[cp], memory_order_acquire) : 0;
    glyph_entry e;
    if (w) {
        e = glyph_unpack(w);
    } else {
        pthread_mutex_lock(&mf->lock);
        e = lookup_locked(s, cp);
        pthread_mutex_unlock(&mf->lock);
    }
    if (advance) *advance = e.adv * font.size / s->upem;
    return e.glyph;
}

/*
 * Chinese quotation marks “ ” ‘ ’ take a full em (GB/T 15834).  A CJK face
 * that draws them proportional (WenQuanYi Zen Hei: about a third of an em,
 * so a heading in the sans face set them narrow) gets them widened to one
 * em, the glyph on the inner side: an opening mark at the right of its em,
 * a closing mark at the left, as the serif face (AR PL UMing) draws them.
 */
static bool is_quote(uint32_t cp)
{
    return cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D;
}
static bool is_open_quote(uint32_t cp)
{
    return cp == 0x2018 || cp == 0x201C;
}

/*
 * The segment rule's answer for cp in family @p fam, as a word (see
 * cache_word): the slot, the advance in that face's units and whether it
 * is a widened quotation mark.  Caller holds the lock.
 */
static uint64_t seg_rule_locked(srdi_fonts *f, int fam, uint32_t cp)
{
    face_slot *cjk = &f->slots[fam][0];
    face_slot *lat = &f->slots[fam][1];
    if (is_control(cp)) return W_KNOWN; /* Latin, no advance */
    if (cp >= 0x20 && cp < 0x7F) {
        glyph_entry e = lookup_locked(lat, cp);
        if (e.glyph) return W_KNOWN | (uint32_t)e.adv;
    }
    glyph_entry e = lookup_locked(cjk, cp);
    if (!e.glyph) {
        glyph_entry l = lookup_locked(lat, cp);
        if (l.glyph) return W_KNOWN | (uint32_t)l.adv;
    }
    uint64_t w = W_KNOWN | W_CJK | (uint32_t)e.adv;
    if (is_quote(cp) && e.glyph && 4 * e.adv < 3 * cjk->upem) w |= W_WIDE;
    return w;
}

/*
 * Slot for cp (segment rule) and its advance in points.  *pad gets the
 * blank a widened quotation mark adds to its glyph's own advance (0 for
 * every other character).  Takes the lock only for a code point not
 * cached yet.
 */
static srdi_face_slot slot_for(srdi_fonts *f, srdi_font font, uint32_t cp, double *adv, double *pad)
{
    int fam = fam_index(font.family);
    uint64_t w = cp < BMP ? atomic_load_explicit(&f->seg[fam][cp], memory_order_acquire) : 0;
    if (!w) {
        pthread_mutex_lock(&f->lock);
        w = seg_rule_locked(f, fam, cp);
        if (cp < BMP) atomic_store_explicit(&f->seg[fam][cp], w, memory_order_release);
        pthread_mutex_unlock(&f->lock);
    }
    int32_t a = (int32_t)(uint32_t)w;
    *pad = 0;
    if (!(w & W_CJK)) {
        *adv = (w & ~W_KNOWN) ? a * font.size / f->slots[fam][1].upem : 0;
        return SRDI_FACE_LATIN;
    }
    *adv = a * font.size / f->slots[fam][0].upem;
    if (w & W_WIDE) {
        *pad = font.size - *adv;
        *adv = font.size;
    }
    return SRDI_FACE_CJK;
}

/*
 * Split s into runs of one face and call fn for each with its byte range and
 * advance.  fn may be NULL (measure only).  The callback runs without the
 * lock held, so it may call back into the fonts.  A widened quotation mark
 * (is_quote) is a segment of its own with its glyph's advance, next to an
 * empty segment (length 0) that carries the blank: before an opening mark,
 * after a closing one.
 */
double srdi_fonts_segments(const srdi_fonts *f, srdi_font font, const char *s, size_t len, srdi_segment_fn fn, void *ud)
{
    srdi_fonts *mf = (srdi_fonts *)f;
    double total = 0, seg_adv = 0;
    size_t i = 0, seg_start = 0;
    srdi_face_slot cur = SRDI_FACE_LATIN;
    bool have = false;
    if (!s) return 0;
    while (i < len) {
        size_t at = i;
        unsigned char c0 = (unsigned char)s[i];
        uint32_t cp = c0 < 0x80 ? (i++, c0) : next_cp(s, len, &i);
        double adv, pad;
        srdi_face_slot sl = slot_for(mf, font, cp, &adv, &pad);
        if (pad > 0) {
            if (have && fn) fn(ud, cur, s + seg_start, at - seg_start, seg_adv);
            if (fn && is_open_quote(cp)) fn(ud, sl, s + at, 0, pad);
            if (fn) fn(ud, sl, s + at, i - at, adv - pad);
            if (fn && !is_open_quote(cp)) fn(ud, sl, s + i, 0, pad);
            total += adv;
            seg_start = i;
            seg_adv = 0;
            have = false;
            continue;
        }
        if (have && sl != cur) {
            if (fn) fn(ud, cur, s + seg_start, at - seg_start, seg_adv);
            seg_start = at;
            seg_adv = 0;
        }
        cur = sl;
        have = true;
        seg_adv += adv;
        total += adv;
    }
    if (have && fn) fn(ud, cur, s + seg_start, len - seg_start, seg_adv);
    return total;
}

double srdi_text_width(const srdi_fonts *f, srdi_font font, const char *s, size_t len)
{
    return srdi_fonts_segments(f, font, s, len, NULL, NULL);
}

/* Ascent/descent: the larger of the CJK and Latin faces' hhea values. */
void srdi_font_extents(const srdi_fonts *f, srdi_font font, double *ascent, double *descent)
{
    double a = 0, d = 0;
    for (int sl = 0; sl < NSLOT; sl++) {
        const face_slot *s = &f->slots[fam_index(font.family)][sl];
        double fa = s->face->ascender * font.size / s->upem;
        double fd = -s->face->descender * font.size / s->upem;
        if (fa > a) a = fa;
        if (fd > d) d = fd;
    }
    if (ascent) *ascent = a;
    if (descent) *descent = d;
}
