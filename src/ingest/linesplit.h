/*
 * src/ingest/linesplit.h — the CSV line splitter of the ingest readers
 * (patents.c, ingest_ent.c): while the CSV reader stands between records,
 * a physical line that holds no '"', NUL byte or stray CR (a CRLF end is
 * fine) and exactly as many separators as the header is split in place, its
 * fields trimmed of spaces and tabs as the reader's own unquoted-field trim
 * does, and handed on as the very record the reader would have made (same
 * line, fields and UTF-8 verdict).  Anything else goes through the reader.
 */
#ifndef SRDI_INGEST_LINESPLIT_H
#define SRDI_INGEST_LINESPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "srdi/csvread.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define SRDI_SPLIT_COLS 64 /* widest header the line splitter takes */

/* Field [a, z) of the line trimmed of spaces and tabs at both ends (the reader's unquoted-field trim). */
static inline void srdi_split_trim(const char *s, size_t *a, size_t *z)
{
    while (*a < *z && (s[*a] == ' ' || s[*a] == '\t')) (*a)++;
    while (*z > *a && (s[*z - 1] == ' ' || s[*z - 1] == '\t')) (*z)--;
}

/*
 * Scan the line at s (at most @p avail bytes): *eol gets the offset of its
 * '\n' (avail when there is none), ends[] the offsets of the first
 * SRDI_SPLIT_COLS separators before it, *nsep their count, *first_high the first
 * byte >= 0x80 (SIZE_MAX: none), *ncr the CRs and *cr_at the first one.
 * Returns false when the line holds a '"' or a NUL byte.
 */
static inline bool srdi_split_line(const char *s, size_t avail, char delim, size_t *eol, size_t *ends, size_t *nsep,
                      size_t *first_high, size_t *ncr, size_t *cr_at)
{
    size_t i = 0, k = 0, cr = 0, crat = SIZE_MAX, high = SIZE_MAX;
#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"'),
                  vr = _mm_set1_epi8('\r'), vz = _mm_setzero_si128();
    for (; i + 16 <= avail; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn));
        unsigned live = mn ? (1u << __builtin_ctz(mn)) - 1 : 0xFFFFu;
        if ((unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vz))) & live)
            return false;
        unsigned mr = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vr)) & live;
        if (mr) {
            if (crat == SIZE_MAX) crat = i + (size_t)__builtin_ctz(mr);
            cr += (size_t)__builtin_popcount(mr);
        }
        if (high == SIZE_MAX) {
            unsigned mh = (unsigned)_mm_movemask_epi8(v) & live;
            if (mh) high = i + (size_t)__builtin_ctz(mh);
        }
        unsigned md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) & live;
        while (md) {
            if (k < SRDI_SPLIT_COLS) ends[k] = i + (size_t)__builtin_ctz(md);
            k++;
            md &= md - 1;
        }
        if (mn) {
            *eol = i + (size_t)__builtin_ctz(mn);
            goto done;
        }
    }
#endif
    for (; i < avail; i++) { /* the tail (or every byte without SSE2) */
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') break;
        if (c == '"' || c == 0) return false;
        if (c == (unsigned char)delim) {
            if (k < SRDI_SPLIT_COLS) ends[k] = i;
            k++;
        } else if (c == '\r') {
            if (crat == SIZE_MAX) crat = i;
            cr++;
        } else if (c >= 0x80 && high == SIZE_MAX)
            high = i;
    }
    *eol = i;
#if defined(__SSE2__)
done:
#endif
    *nsep = k;
    *first_high = high;
    *ncr = cr;
    *cr_at = crat;
    return true;
}

/* The masks of the 64 bytes at base: separators, '\n', other bytes up to '"' (0x22), bytes >= 0x80. */
typedef struct srdi_pmask {
    const char *base; /* NULL: none yet */
    uint64_t sep, nl, special, high;
} srdi_pmask;

/* The four masks of the 64 bytes at @p b, byte by byte (any CPU, any byte
   order): separators, '\n', bytes up to '"' (0x22, not yet without the
   other two), bytes >= 0x80. */
static inline void srdi_pmask_bytes(const char *b, char delim, uint64_t *md, uint64_t *mn, uint64_t *ms,
                                    uint64_t *mh)
{
    uint64_t d = 0, n = 0, sp = 0, h = 0;
    for (int q = 0; q < 64; q++) {
        unsigned char c = (unsigned char)b[q];
        d |= (uint64_t)(c == (unsigned char)delim) << q;
        n |= (uint64_t)(c == '\n') << q;
        sp |= (uint64_t)(c <= 0x22) << q;
        h |= (uint64_t)(c >= 0x80) << q;
    }
    *md = d, *mn = n, *ms = sp, *mh = h;
}

#if defined(__SSE2__)
/* The same four masks, 16 bytes at a time (SSE2). */
static inline void srdi_pmask_sse2(const char *b, char delim, uint64_t *md, uint64_t *mn, uint64_t *ms,
                                   uint64_t *mh)
{
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'), v22 = _mm_set1_epi8(0x22);
    uint64_t d = 0, n = 0, sp = 0, h = 0;
    for (int q = 0; q < 4; q++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * q));
        d |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) << (16 * q);
        n |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) << (16 * q);
        sp |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, v22), v)) << (16 * q);
        h |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * q);
    }
    *md = d, *mn = n, *ms = sp, *mh = h;
}
#endif

/* Make *m the masks of the 64 bytes at @p b (kept when they are already). */
static inline void srdi_pmask_at(srdi_pmask *m, const char *b, char delim)
{
    if (m->base == b) return;
    uint64_t md, mn, ms, mh;
#if defined(__SSE2__)
    srdi_pmask_sse2(b, delim, &md, &mn, &ms, &mh);
#else
    srdi_pmask_bytes(b, delim, &md, &mn, &ms, &mh);
#endif
    m->base = b;
    m->sep = md;
    m->nl = mn;
    m->special = ms & ~mn & ~md;
    m->high = mh;
}

/*
 * The common line, from masks of 64 bytes each computed once per block of
 * the piece [p0, e) (blocks at p0 + 64·k): true when the line at s ends with
 * a '\n' inside whole blocks and holds no byte up to '"' (0x22) but the
 * separator — no quote, NUL, CR, space or tab (nothing to trim, no CRLF), no
 * other control character.  Then its fields are f[j], len[j] (room for
 * SRDI_SPLIT_COLS + 64 each; *nf of them, the separators + 1), *eol the
 * offset of its '\n' from s, *first_high the first byte >= 0x80 (SIZE_MAX:
 * none) and *last_high the last (the bytes after it are ASCII, so the line
 * is valid UTF-8 when [first, last] is).  False for any other line:
 * srdi_split_line then decides, byte for byte.
 */
static inline bool srdi_split_plain(const char *p0, const char *s, const char *e, char delim, srdi_pmask *m,
                                    size_t *eol, const char **f, size_t *len, size_t *nf, size_t *first_high,
                                    size_t *last_high)
{
    size_t off = (size_t)(s - p0), k = 0, high = SIZE_MAX, last = SIZE_MAX, a = 0;
    const char *b = p0 + (off & ~(size_t)63);
    uint64_t from = ~(uint64_t)0 << (off & 63); /* bits at or after the line's start */
    for (; e - b >= 64; b += 64, from = ~(uint64_t)0) {
        srdi_pmask_at(m, b, delim);
        ptrdiff_t bo = b - s; /* the block's offset from the line's start (≤ 0 for the first) */
        uint64_t mn = m->nl & from;
        uint64_t live = (mn ? (mn & (0 - mn)) - 1 : ~(uint64_t)0) & from; /* the line's bytes in this block */
        if (m->special & live) return false;
        uint64_t mh = m->high & live;
        if (mh) {
            if (high == SIZE_MAX) high = (size_t)(bo + __builtin_ctzll(mh));
            last = (size_t)(bo + 63 - __builtin_clzll(mh));
        }
        for (uint64_t md = m->sep & live; md; md &= md - 1, k++) { /* field k ends at this separator */
            size_t z = (size_t)(bo + __builtin_ctzll(md));
            f[k] = s + a;
            len[k] = z - a;
            a = z + 1;
        }
        if (k > SRDI_SPLIT_COLS) return false;
        if (mn) {
            size_t z = (size_t)(bo + __builtin_ctzll(mn));
            f[k] = s + a; /* the last field ends at the line's end */
            len[k] = z - a;
            *eol = z;
            *nf = k + 1;
            *first_high = high;
            *last_high = last;
            return true;
        }
    }
    return false;
}

/**
 * @brief One line at *sp that the quick scan (srdi_split_plain) did not take:
 * split by srdi_split_line (fields trimmed as the reader trims them) and
 * handed to @p fn as the reader's record (a blank line is none), or, when it
 * holds a quote, a NUL byte or a stray CR, has another field count or is cut
 * by the end of the bytes, fed to @p r itself up to its '\n' (or all that is
 * left).  *sp moves past what was taken; *between is the reader's state.
 * @param r       the reader
 * @param sp      the line (moved on)
 * @param e       the end of the bytes
 * @param nc      the header's field count (1 to SRDI_SPLIT_COLS)
 * @param delim   the separator
 * @param ends    scratch of SRDI_SPLIT_COLS + 64 field ends
 * @param between the reader stands between records (updated)
 * @param fn      the record callback of split lines
 * @param ctx     its context
 * @return SRDI_OK or the failure of fn or the reader
 */
srdi_status srdi_split_other(srdi_csv_reader *r, const char **sp, const char *e, size_t nc, char delim, size_t *ends,
                             bool *between, srdi_csv_record_fn fn, void *ctx);

/**
 * @brief Feed [s, s+n) to reader @p r with the line splitter: each split line
 * goes to @p fn as the record the reader would make, anything else (a quoted
 * field, another field count, a line cut by the end of the bytes, a record
 * the reader is inside) through @p r itself, a line at a time.  The reader's
 * line count and state are kept, so the bytes may go on through @p r.
 * @param r     the reader (its callback takes what goes through it)
 * @param s     the bytes
 * @param n     their length
 * @param nc    the header's field count
 * @param delim the separator
 * @param fn    the record callback of split lines
 * @param ctx   its context
 * @return SRDI_OK or the first failure of fn or the reader
 */
srdi_status srdi_split_feed(srdi_csv_reader *r, const char *s, size_t n, size_t nc, char delim, srdi_csv_record_fn fn,
                            void *ctx);

#endif
