/*
 * src/canvas/png.c — the PNG writer of the cairo backend's figure files.
 *
 * cairo's own writer (libpng defaults) tries all five row filters on every
 * row and deflates at zlib's default level; even zlib's fastest level spent
 * about 25 instructions a byte on a chart, most of the CPU time of a figure,
 * for data that is nine tenths zeros.  So the rows are filtered Up (a row
 * like the one above becomes zeros) and deflated here, by an encoder made
 * for such data: a greedy LZ77 parse that tries the byte before (runs: the
 * zeros), the row above, the pixel before and one hashed earlier position
 * (a glyph drawn twice), taking a 258-byte match at once; dynamic Huffman
 * blocks of 32K symbols; the Adler-32 of the stream skips zero words in one
 * step.  The output is a valid zlib stream in 8-bit RGB PNG (colour type
 * 2), non-interlaced, with the resolution as a pHYs chunk after IHDR and
 * the figure's title as an iTXt "Title" chunk; the bytes depend only on the
 * pixels, the resolution and the title (no time, not the zlib build).  tests/test_canvas.c reads the files back
 * with libpng pixel for pixel.
 *
 * The same encoder deflates any bytes (srdi_zlib_deflate: the PDF's
 * streams, hpdf.c), without the row distance: on the page contents and
 * font subsets of a PDF it compresses as zlib's level 1 does, in less than
 * half the time.
 */
#include "canvas_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define PNG_IDAT_MAX 65536 /* bytes of compressed data per IDAT chunk */
#define WSIZE        32768 /* deflate's window: the farthest distance */
#define MIN_LOOK     258   /* the longest match: parse only this far before the end of the bytes there are */
#define HASH_BITS    14
#define BLOCK_SYMS   32768 /* symbols per Huffman block */
#define WIN_CAP      (7 * WSIZE) /* the window's room at least (under the build's 256 KiB mmap threshold) */

static void put32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC of type + data.  False on a write error. */
/* A chunk of @p type whose data are [a, a+alen) then [b, b+blen) (either may be empty). */
static bool put_chunk2(FILE *f, const char type[4], const unsigned char *a, size_t alen, const unsigned char *b,
                       size_t blen)
{
    unsigned char hdr[8], crc[4];
    put32(hdr, (uint32_t)(alen + blen));
    memcpy(hdr + 4, type, 4);
    uLong c = crc32(0L, (const Bytef *)type, 4);
    if (alen) c = crc32(c, a, (uInt)alen);
    if (blen) c = crc32(c, b, (uInt)blen);
    put32(crc, (uint32_t)c);
    return fwrite(hdr, 1, 8, f) == 8 && (alen == 0 || fwrite(a, 1, alen, f) == alen) &&
           (blen == 0 || fwrite(b, 1, blen, f) == blen) && fwrite(crc, 1, 4, f) == 4;
}

static bool put_chunk(FILE *f, const char type[4], const unsigned char *data, size_t len)
{
    return put_chunk2(f, type, data, len, NULL, 0);
}

/* ------------------------------------------------------------- Adler-32 */

/* Adler-32 of @p n bytes after (a, b); an all-zero 8-byte word only adds 8a to b. */
static void adler_update(uint32_t *pa, uint32_t *pb, const unsigned char *p, size_t n)
{
    uint32_t a = *pa, b = *pb;
    while (n > 0) {
        size_t k = n < 5552 ? n : 5552; /* zlib's NMAX: b stays below 2^32 */
        n -= k;
        while (k >= 8) {
#if defined(__SSE2__)
            if (k >= 32) { /* 32 zero bytes (most of a filtered row) in one test */
                __m128i z = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)p),
                                         _mm_loadu_si128((const __m128i *)(const void *)(p + 16)));
                if (_mm_movemask_epi8(_mm_cmpeq_epi8(z, _mm_setzero_si128())) == 0xFFFF) {
                    b += 32 * a;
                    p += 32;
                    k -= 32;
                    continue;
                }
            }
#endif
            uint64_t w;
            memcpy(&w, p, 8);
            if (w == 0) {
                b += 8 * a;
            } else {
                for (int i = 0; i < 8; i++) {
                    a += p[i];
                    b += a;
                }
            }
            p += 8;
            k -= 8;
        }
        while (k-- > 0) {
            a += *p++;
            b += a;
        }
        a %= 65521u;
        b %= 65521u;
    }
    *pa = a;
    *pb = b;
}

/*
 * adler_update for bytes with few zeros (a PDF's streams): 32 bytes a step
 * with SSE2 — their sum (psadbw) and their sum weighted 32 down to 1 (the
 * bytes widened to 16 bits, pmaddwd) — in blocks of at most NMAX bytes
 * whose sums are reduced modulo 65521 at the end, as zlib's adler32 does;
 * the same value as adler_update.
 */
static void adler_dense(uint32_t *pa, uint32_t *pb, const unsigned char *p, size_t n)
{
#if defined(__SSE2__)
    uint32_t a = *pa, b = *pb;
    const __m128i zero = _mm_setzero_si128();
    const __m128i w0 = _mm_setr_epi16(32, 31, 30, 29, 28, 27, 26, 25), w1 = _mm_setr_epi16(24, 23, 22, 21, 20, 19, 18, 17);
    const __m128i w2 = _mm_setr_epi16(16, 15, 14, 13, 12, 11, 10, 9), w3 = _mm_setr_epi16(8, 7, 6, 5, 4, 3, 2, 1);
    while (n >= 32) {
        size_t blocks = n / 32 < 5552 / 32 ? n / 32 : 5552 / 32, k = blocks; /* zlib's NMAX: the lanes stay below 2^32 */
        n -= 32 * blocks;
        __m128i s1 = zero, ps = zero, s2 = zero; /* byte sums; the sums before each block; weighted sums */
        do {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
            ps = _mm_add_epi32(ps, s1);
            s1 = _mm_add_epi32(s1, _mm_add_epi32(_mm_sad_epu8(x, zero), _mm_sad_epu8(y, zero)));
            s2 = _mm_add_epi32(s2, _mm_madd_epi16(_mm_unpacklo_epi8(x, zero), w0));
            s2 = _mm_add_epi32(s2, _mm_madd_epi16(_mm_unpackhi_epi8(x, zero), w1));
            s2 = _mm_add_epi32(s2, _mm_madd_epi16(_mm_unpacklo_epi8(y, zero), w2));
            s2 = _mm_add_epi32(s2, _mm_madd_epi16(_mm_unpackhi_epi8(y, zero), w3));
            p += 32;
        } while (--k);
        uint32_t l1[4], lp[4], l2[4];
        _mm_storeu_si128((__m128i *)(void *)l1, s1);
        _mm_storeu_si128((__m128i *)(void *)lp, ps);
        _mm_storeu_si128((__m128i *)(void *)l2, s2);
        uint64_t sum1 = (uint64_t)l1[0] + l1[1] + l1[2] + l1[3], sump = (uint64_t)lp[0] + lp[1] + lp[2] + lp[3];
        uint64_t sum2 = (uint64_t)l2[0] + l2[1] + l2[2] + l2[3];
        uint64_t nb = (uint64_t)b + (uint64_t)a * 32 * blocks + 32 * sump + sum2;
        a = (uint32_t)((a + sum1) % 65521u);
        b = (uint32_t)(nb % 65521u);
    }
    *pa = a;
    *pb = b;
#endif
    adler_update(pa, pb, p, n); /* the last bytes (all of them without SSE2) */
}

/*
 * adler_update over a row of @p n bytes that is the filter byte 2 and then
 * zeros (a row repeated from the one above), in closed form: a grows by 2,
 * b by a once and then by that a for each of the n - 1 zeros.  The same
 * values as adler_update (both reduce modulo 65521).
 */
static void adler_zero_row(uint32_t *pa, uint32_t *pb, size_t n)
{
    uint64_t a = (*pa + 2u) % 65521u;
    uint64_t b = (*pb + a) % 65521u;
    b = (b + (uint64_t)((n - 1) % 65521u) * a) % 65521u;
    *pa = (uint32_t)a;
    *pb = (uint32_t)b;
}

/* ------------------------------------------------------------ bit output */

typedef struct bitout {
    unsigned char *buf;
    size_t len, cap;
    uint64_t acc; /* pending bits, least significant first */
    int n;        /* how many */
    bool oom;
} bitout;

static bool bo_reserve(bitout *o, size_t more)
{
    if (o->oom) return false;
    if (o->len + more <= o->cap) return true;
    size_t nc = o->cap ? o->cap * 2 : 65536;
    while (nc < o->len + more) nc *= 2;
    unsigned char *nb = realloc(o->buf, nc);
    if (!nb) {
        o->oom = true;
        return false;
    }
    o->buf = nb;
    o->cap = nc;
    return true;
}

/* Append @p nbits (at most 32) bits of @p v, least significant first. */
static inline void bo_put(bitout *o, uint32_t v, int nbits)
{
    o->acc |= (uint64_t)v << o->n;
    o->n += nbits;
    if (o->n >= 32) {
        if (bo_reserve(o, 4)) {
            for (int i = 0; i < 4; i++) o->buf[o->len++] = (unsigned char)(o->acc >> (8 * i));
        }
        o->acc >>= 32;
        o->n -= 32;
    }
}

/* Pad to a byte boundary and write out the pending bits. */
static void bo_flush(bitout *o)
{
    while (o->n > 0) {
        if (bo_reserve(o, 1)) o->buf[o->len++] = (unsigned char)o->acc;
        o->acc >>= 8;
        o->n = o->n > 8 ? o->n - 8 : 0;
    }
    o->acc = 0;
}

/* --------------------------------------------------------------- Huffman */

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint8_t clc_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* The code (index into len_base) of a match length 3..258: codes 8 on come in fours per extra bit. */
static inline int len_code(int len)
{
    if (len == 258) return 28;
    unsigned x = (unsigned)len - 3;
    if (x < 8) return (int)x;
    int nb = 31 - __builtin_clz(x); /* 3..7 */
    return 4 * nb - 4 + (int)((x >> (nb - 2)) & 3u);
}

/* The code of a distance 1..32768: codes 4 on come in pairs per extra bit. */
static inline int dist_code(int d)
{
    unsigned x = (unsigned)d - 1;
    if (x < 4) return (int)x;
    int nb = 31 - __builtin_clz(x); /* 2..14 */
    return 2 * nb + (int)((x >> (nb - 1)) & 1u);
}

/*
 * Code lengths (at most @p limit bits) of a Huffman code for the @p n
 * frequencies @p freq; a symbol of frequency 0 gets length 0.  At least two
 * symbols get a code (a complete code: zlib's inflate wants one): symbols
 * 0 and 1 are given frequency 1 when fewer are used.  Ties break by symbol,
 * so the lengths depend on the frequencies alone.
 */
static int key_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void huff_lengths(uint32_t *freq, int n, int limit, uint8_t *len)
{
    int used = 0;
    for (int i = 0; i < n; i++) used += freq[i] != 0;
    for (int i = 0; i < n && used < 2; i++)
        if (freq[i] == 0) {
            freq[i] = 1;
            used++;
        }
    uint32_t w[2 * 320];
    int sym[320], parent[2 * 320];
    uint32_t f[320];
    for (int i = 0; i < n; i++) f[i] = freq[i];
    for (;;) {
        /* the used symbols sorted by frequency, then symbol: one key each */
        uint64_t key[320];
        int m = 0;
        for (int i = 0; i < n; i++)
            if (f[i]) key[m++] = (uint64_t)f[i] << 16 | (uint64_t)i;
        qsort(key, (size_t)m, sizeof *key, key_cmp);
        for (int i = 0; i < m; i++) {
            sym[i] = (int)(key[i] & 0xFFFF);
            w[i] = (uint32_t)(key[i] >> 16);
        }
        /* two queues: the sorted leaves, the internal nodes in the order made */
        int li = 0, ii = m, next = m;
        for (int k = 0; k < m - 1; k++) {
            int pick[2];
            for (int t = 0; t < 2; t++)
                pick[t] = li < m && (ii >= next || w[li] <= w[ii]) ? li++ : ii++;
            w[next] = w[pick[0]] + w[pick[1]];
            parent[pick[0]] = parent[pick[1]] = next;
            next++;
        }
        int depth[2 * 320];
        depth[next - 1] = 0;
        int maxd = 0;
        for (int k = next - 2; k >= 0; k--) {
            depth[k] = depth[parent[k]] + 1;
            if (k < m && depth[k] > maxd) maxd = depth[k];
        }
        if (maxd <= limit) {
            memset(len, 0, (size_t)n);
            for (int i = 0; i < m; i++) len[sym[i]] = (uint8_t)depth[i];
            return;
        }
        for (int i = 0; i < n; i++) /* too deep: flatten the frequencies and build again */
            if (f[i]) f[i] = (f[i] >> 1) | 1;
    }
}

/* Canonical codes (deflate's rule) of the lengths @p len, bit-reversed for output least significant first. */
static void huff_codes(const uint8_t *len, int n, uint16_t *code)
{
    int count[16] = {0}, next[16];
    for (int i = 0; i < n; i++) count[len[i]]++;
    count[0] = 0;
    int c = 0;
    for (int b = 1; b < 16; b++) {
        c = (c + count[b - 1]) << 1;
        next[b] = c;
    }
    for (int i = 0; i < n; i++) {
        if (!len[i]) {
            code[i] = 0;
            continue;
        }
        unsigned v = (unsigned)next[len[i]]++, r = 0;
        for (int b = 0; b < len[i]; b++) r |= ((v >> b) & 1u) << (len[i] - 1 - b);
        code[i] = (uint16_t)r;
    }
}

/* ------------------------------------------------------------- the encoder */

/*
 * A symbol as emit_block writes it, in one word: the literal/length code
 * (9 bits: a byte, or 257 + the length code), the distance code (5 bits,
 * DNONE for a literal), the length's extra bits (5) and the distance's
 * (13), worked out once in the parse (which counts the codes) so that
 * writing a symbol is the same few look-ups whatever its kind.
 */
#define DNONE 30 /* the distance "code" of a literal: no bits (dl[DNONE] = 0) */
typedef uint32_t sym;
#define SYM(lsym, dsym, lext, dext) ((uint32_t)(lsym) | (uint32_t)(dsym) << 9 | (uint32_t)(lext) << 14 | (uint32_t)(dext) << 19)

typedef struct enc {
    bitout out;
    sym *syms;
    size_t nsyms;
    uint32_t lfreq[286], dfreq[30];
    unsigned char *win; /* the filtered bytes; win[0] is stream position base */
    size_t cap, avail;  /* bytes in win */
    size_t pos;         /* next to parse (an index into win) */
    uint64_t base;      /* stream position of win[0] */
    int64_t *head;      /* 4-byte hash → the stream position last seen with it, -1: none */
    size_t rowlen;      /* a PNG row's bytes: a candidate distance (0: none) */
} enc;

/* The symbols of a literal and of a match, counted in @p e's frequencies (parse keeps the count @p ns itself). */
static inline void add_lit(enc *e, sym *syms, size_t *ns, unsigned v)
{
    syms[(*ns)++] = SYM(v, DNONE, 0, 0);
    e->lfreq[v]++;
}

static inline void add_match(enc *e, sym *syms, size_t *ns, int len, int dist)
{
    int lk = len_code(len), dk = dist_code(dist);
    syms[(*ns)++] = SYM(257 + lk, dk, len - len_base[lk], dist - dist_base[dk]);
    e->lfreq[257 + lk]++;
    e->dfreq[dk]++;
}

/* Write the symbols gathered as one dynamic Huffman block (@p last: BFINAL). */
static void emit_block(enc *e, bool last)
{
    uint8_t ll[286], dl[DNONE + 1], cl[19];
    uint16_t lc[286], dc[DNONE + 1], cc[19];
    e->lfreq[256]++; /* end of block */
    huff_lengths(e->lfreq, 286, 15, ll);
    huff_lengths(e->dfreq, 30, 15, dl);
    huff_codes(ll, 286, lc);
    huff_codes(dl, 30, dc);
    int hlit = 286, hdist = 30;
    while (hlit > 257 && ll[hlit - 1] == 0) hlit--;
    while (hdist > 1 && dl[hdist - 1] == 0) hdist--;
    /* the code lengths, run-length coded with 16 (repeat the last), 17 and 18 (zeros) */
    uint8_t seq[286 + 30], rle[286 + 30], rlex[286 + 30];
    int nseq = 0, nrle = 0;
    for (int i = 0; i < hlit; i++) seq[nseq++] = ll[i];
    for (int i = 0; i < hdist; i++) seq[nseq++] = dl[i];
    for (int i = 0; i < nseq;) {
        int v = seq[i], run = 1;
        while (i + run < nseq && seq[i + run] == v) run++;
        i += run;
        if (v == 0) {
            while (run >= 11) {
                int r = run > 138 ? 138 : run;
                rle[nrle] = 18;
                rlex[nrle++] = (uint8_t)(r - 11);
                run -= r;
            }
            if (run >= 3) {
                rle[nrle] = 17;
                rlex[nrle++] = (uint8_t)(run - 3);
                run = 0;
            }
        } else {
            rle[nrle] = (uint8_t)v;
            rlex[nrle++] = 0;
            run--;
            while (run >= 3) {
                int r = run > 6 ? 6 : run;
                rle[nrle] = 16;
                rlex[nrle++] = (uint8_t)(r - 3);
                run -= r;
            }
        }
        for (; run > 0; run--) {
            rle[nrle] = (uint8_t)v;
            rlex[nrle++] = 0;
        }
    }
    uint32_t cfreq[19] = {0};
    for (int i = 0; i < nrle; i++) cfreq[rle[i]]++;
    huff_lengths(cfreq, 19, 7, cl);
    huff_codes(cl, 19, cc);
    int hclen = 19;
    while (hclen > 4 && cl[clc_order[hclen - 1]] == 0) hclen--;

    bitout *o = &e->out;
    bo_put(o, last ? 1u : 0u, 1);
    bo_put(o, 2, 2); /* BTYPE 2: dynamic Huffman codes */
    bo_put(o, (uint32_t)(hlit - 257), 5);
    bo_put(o, (uint32_t)(hdist - 1), 5);
    bo_put(o, (uint32_t)(hclen - 4), 4);
    for (int i = 0; i < hclen; i++) bo_put(o, cl[clc_order[i]], 3);
    for (int i = 0; i < nrle; i++) {
        bo_put(o, cc[rle[i]], cl[rle[i]]);
        if (rle[i] == 16) bo_put(o, rlex[i], 2);
        if (rle[i] == 17) bo_put(o, rlex[i], 3);
        if (rle[i] == 18) bo_put(o, rlex[i], 7);
    }
    /* the symbols: room for the longest (15 + 5 + 15 + 13 bits) each and one 8-byte
       store reserved once; a symbol, literal or match alike, goes out as one field of
       at most 48 bits over the fewer than 8 pending ones, stored as a whole word of
       which the whole bytes are kept (the same bits as bo_put, fewer steps) */
    dl[DNONE] = 0;
    dc[DNONE] = 0;
    uint8_t lbits[286], dbits[DNONE + 1]; /* a code's bits and its extra bits */
    for (int i = 0; i < 286; i++) lbits[i] = (uint8_t)(ll[i] + (i > 256 ? len_extra[i - 257] : 0));
    for (int i = 0; i < DNONE; i++) dbits[i] = (uint8_t)(dl[i] + dist_extra[i]);
    dbits[DNONE] = 0;
    if (bo_reserve(o, e->nsyms * 6 + 16)) {
        while (o->n >= 8) { /* fewer than 8 bits pending */
            o->buf[o->len++] = (unsigned char)o->acc;
            o->acc >>= 8;
            o->n -= 8;
        }
        uint64_t acc = o->acc;
        unsigned n = (unsigned)o->n;
        unsigned char *p = o->buf + o->len;
        for (size_t i = 0; i < e->nsyms; i++) {
            sym s = e->syms[i];
            unsigned ls = s & 0x1FFu, ds = (s >> 9) & 0x1Fu;
            uint64_t f = lc[ls] | (uint64_t)((s >> 14) & 0x1Fu) << ll[ls];
            f |= (dc[ds] | (uint64_t)(s >> 19) << dl[ds]) << lbits[ls];
            acc |= f << n;
            n += lbits[ls] + dbits[ds];
            for (int k = 0; k < 8; k++) p[k] = (unsigned char)(acc >> (8 * k)); /* one unaligned store */
            p += n >> 3;
            acc >>= n & ~7u; /* n < 56 */
            n &= 7;
        }
        o->len = (size_t)(p - o->buf);
        o->acc = acc;
        o->n = (int)n;
    }
    bo_put(o, lc[256], ll[256]);
    e->nsyms = 0;
    memset(e->lfreq, 0, sizeof e->lfreq);
    memset(e->dfreq, 0, sizeof e->dfreq);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LOW3 0xFFFFFF00u /* the first three bytes of a 32-bit load */
static inline size_t first_diff(uint64_t x) { return (size_t)(__builtin_clzll(x) >> 3); }
#else
#define LOW3 0x00FFFFFFu
/* The index of the first differing byte of two 8-byte loads (@p x: their xor, not 0). */
static inline size_t first_diff(uint64_t x)
{
    return (size_t)(__builtin_ctzll(x) >> 3);
}
#endif

/* How many bytes (up to @p max) at @p a equal those at @p b: 16 at a time (SSE2), then 8, then one. */
static inline size_t match_len(const unsigned char *a, const unsigned char *b, size_t max)
{
    size_t n = 0;
#if defined(__SSE2__)
    while (n + 16 <= max) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + n));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(b + n));
        unsigned ne = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) ^ 0xFFFFu; /* a bit per differing byte */
        if (ne) return n + (size_t)__builtin_ctz(ne);
        n += 16;
    }
#endif
    while (n + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, a + n, 8);
        memcpy(&y, b + n, 8);
        if (x != y) return n + first_diff(x ^ y);
        n += 8;
    }
    while (n < max && a[n] == b[n]) n++;
    return n;
}

static inline uint32_t hash4(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

/*
 * Parse the filtered bytes up to @p end (a win index; the bytes after it are
 * not there yet, or it is the end of the stream), greedily: at each position
 * the longest match of distance 1, the row above, 3 (a pixel) or the hashed
 * earlier position, a 258-byte one taken at once; a literal when none is 3
 * bytes long.
 */
static void parse(enc *e, size_t end, size_t limit)
{
    /* what the loop uses, in locals: the symbols go out through syms (and emit_block's stores) only */
    const unsigned char *w = e->win;
    int64_t *head = e->head;
    sym *syms = e->syms;
    const uint64_t base = e->base;
    size_t i = e->pos, ns = e->nsyms;
    const size_t drow = e->rowlen <= WSIZE ? e->rowlen : 0, dists[3] = {1, drow, 3};
    const size_t dfar = drow > 3 ? drow : 3; /* from here on every candidate distance is in the window */
    while (i < end) {
        if (ns >= BLOCK_SYMS) {
            e->nsyms = ns;
            emit_block(e, false);
            ns = 0;
        }
        size_t max = limit - i < 258 ? limit - i : 258, best = 0, bestd = 0;
        uint64_t gpos = base + i;
        if (max < 4) { /* the last bytes of the stream */
            for (int k = 0; k < 3 && best < max; k++) {
                size_t d = dists[k];
                if (d == 0 || d > i) continue;
                size_t n = match_len(w + i, w + i - d, max);
                if (n > best) best = n, bestd = d;
            }
        } else {
            /* a candidate is looked at only when its first three bytes match (one 32-bit compare) */
            uint32_t cur, prev;
            memcpy(&cur, w + i, 4);
            cur &= LOW3; /* the bytes at i, i + 1, i + 2 */
            if (i >= dfar) { /* all three in the window (nearly always): the loop below, unrolled */
                memcpy(&prev, w + i - 1, 4);
                if ((prev & LOW3) == cur) best = match_len(w + i, w + i - 1, max), bestd = 1;
                if (best < max && drow) {
                    memcpy(&prev, w + i - drow, 4);
                    if ((prev & LOW3) == cur) {
                        size_t n = match_len(w + i, w + i - drow, max);
                        if (n > best) best = n, bestd = drow;
                    }
                }
                if (best < max) {
                    memcpy(&prev, w + i - 3, 4);
                    if ((prev & LOW3) == cur) {
                        size_t n = match_len(w + i, w + i - 3, max);
                        if (n > best) best = n, bestd = 3;
                    }
                }
            } else {
                for (int k = 0; k < 3 && best < max; k++) {
                    size_t d = dists[k];
                    if (d == 0 || d > i) continue;
                    memcpy(&prev, w + i - d, 4);
                    if ((prev & LOW3) != cur) continue;
                    size_t n = match_len(w + i, w + i - d, max);
                    if (n > best) best = n, bestd = d;
                }
            }
            if (best < max) {
                if (max > 4) __builtin_prefetch(&head[hash4(w + i + 1)]); /* the next position's, if a literal */
                uint32_t h = hash4(w + i);
                int64_t cand = head[h];
                head[h] = (int64_t)gpos;
                if (cand >= 0 && (uint64_t)cand >= base) {
                    size_t d = (size_t)(gpos - (uint64_t)cand);
                    memcpy(&prev, w + i - (d <= i ? d : 0), 4);
                    if (d <= WSIZE && d <= i && d != bestd && (prev & LOW3) == cur) {
                        size_t n = match_len(w + i, w + i - d, max);
                        if (n > best) best = n, bestd = d;
                    }
                }
            }
        }
        if (best >= 3) {
            add_match(e, syms, &ns, (int)best, (int)bestd);
            i += best;
        } else {
            add_lit(e, syms, &ns, w[i]);
            i++;
        }
    }
    e->nsyms = ns;
    e->pos = i;
}

/*
 * Room for the next @p n bytes at the end of the window: where to put them
 * (take_commit then takes them), NULL when out of memory.  The window slides
 * when full: the last WSIZE bytes before the parse position (and what is not
 * parsed yet) are kept, every candidate of the parse (at most WSIZE back).
 */
static unsigned char *take_room(enc *e, size_t n)
{
    if (e->avail + n > e->cap) {
        size_t keep_from = e->pos > WSIZE ? e->pos - WSIZE : 0;
        memmove(e->win, e->win + keep_from, e->avail - keep_from);
        e->avail -= keep_from;
        e->pos -= keep_from;
        e->base += keep_from;
        if (e->avail + n > e->cap) return NULL; /* cannot happen: cap > WSIZE + MIN_LOOK + 2 pieces */
    }
    return e->out.oom ? NULL : e->win + e->avail;
}

/* Take the @p n bytes put at take_room's place: parse what has its full lookahead. */
static bool take_commit(enc *e, size_t n)
{
    e->avail += n;
    if (e->avail > MIN_LOOK) parse(e, e->avail - MIN_LOOK, e->avail);
    return !e->out.oom;
}

/* Take @p n bytes (at most the piece enc_open was given). */
static bool take_row(enc *e, const unsigned char *row, size_t n)
{
    unsigned char *at = take_room(e, n);
    if (!at) return false;
    memcpy(at, row, n);
    return take_commit(e, n);
}

/* Filter Up of pixel @p k: its R, G, B bytes minus those of the pixel above,
   bytewise in one word, into the filtered row @p filt (after its filter byte). */
static inline void up_pixel(unsigned char *filt, const uint32_t *row, const uint32_t *above, int k)
{
    uint32_t v = row[k], u = above[k];
    uint32_t d = ((v | 0x80808080u) - (u & 0x7F7F7F7Fu)) ^ ((v ^ ~u) & 0x80808080u);
    filt[1 + 3 * k] = (unsigned char)(d >> 16);
    filt[2 + 3 * k] = (unsigned char)(d >> 8);
    filt[3 + 3 * k] = (unsigned char)d;
}

#define UP_SLACK 16 /* bytes up_row may write past a row (its zero stores): the window has room for them */

/* Filter Up of pixel @p k (up_pixel), its bytes also summed into the Adler-32 terms of up_row: *@p s their sum,
   *@p t their sum weighted by (@p len - their position in the row). */
static inline void up_pixel_sum(unsigned char *filt, const uint32_t *row, const uint32_t *above, int k, uint64_t len,
                                uint64_t *s, uint64_t *t)
{
    up_pixel(filt, row, above, k);
    uint64_t p = 1 + 3 * (uint64_t)k, b0 = filt[p], b1 = filt[p + 1], b2 = filt[p + 2];
    *s += b0 + b1 + b2;
    *t += (len - p) * b0 + (len - p - 1) * b1 + (len - p - 2) * b2;
}

/*
 * The filtered bytes of a row after its filter byte 2: each pixel's R, G, B
 * minus those above, zeros where four (two, one) pixels are as above,
 * written in one pass (up to UP_SLACK bytes past the row: zeros); and the
 * Adler-32 (*@p pa, *@p pb) taken over the row's @p len bytes in the same
 * pass: over bytes x_0 … x_{len-1}, a grows by their sum and b by len times
 * a plus each byte weighted by len minus its position, so only the filter
 * byte and the bytes not zero are visited (a row as the one above: zeros
 * but the filter byte, adler_zero_row).
 */
static void up_row(unsigned char *filt, const uint32_t *row, const uint32_t *above, int w, size_t len, uint32_t *pa,
                   uint32_t *pb)
{
    uint64_t s = 2, t = 2 * (uint64_t)len; /* the filter byte, at position 0 */
    int x = 0;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    for (; x + 4 <= w; x += 4) { /* four pixels as above (most): twelve zeros (sixteen stored) */
        __m128i v4 = _mm_loadu_si128((const __m128i *)(const void *)(row + x));
        __m128i u4 = _mm_loadu_si128((const __m128i *)(const void *)(above + x));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(v4, u4)) == 0xFFFF) {
            _mm_storeu_si128((__m128i *)(void *)(filt + 1 + 3 * x), zero);
            continue;
        }
        for (int k = x; k < x + 4; k++) up_pixel_sum(filt, row, above, k, len, &s, &t);
    }
#endif
    for (; x < w; x++) {
        if (row[x] == above[x]) {
            memset(filt + 1 + 3 * x, 0, 3);
            continue;
        }
        up_pixel_sum(filt, row, above, x, len, &s, &t);
    }
    if (s == 2) { /* as the row above */
        adler_zero_row(pa, pb, len);
        return;
    }
    uint64_t a = *pa, b = *pb;
    b = (b + (uint64_t)(len % 65521u) * a + t) % 65521u;
    a = (a + s) % 65521u;
    *pa = (uint32_t)a;
    *pb = (uint32_t)b;
}


/*
 * A zlib stream's encoder: @p rowlen the distance to the row above (0: none),
 * @p piece the most bytes take_row is given at a time, @p reserve the output's
 * first room; the zlib header written.  False when out of memory (enc_close it
 * all the same).
 */
static bool enc_open(enc *e, size_t rowlen, size_t piece, size_t reserve)
{
    memset(e, 0, sizeof *e);
    e->rowlen = rowlen;
    e->cap = 2 * WSIZE + 2 * piece + 2 * MIN_LOOK;
    if (e->cap < WIN_CAP) e->cap = WIN_CAP; /* a slide moves WSIZE bytes: once per WIN_CAP - WSIZE taken, not per WSIZE */
    e->win = malloc(e->cap);
    e->syms = malloc(BLOCK_SYMS * sizeof *e->syms);
    e->head = malloc(((size_t)1 << HASH_BITS) * sizeof *e->head);
    if (!e->win || !e->syms || !e->head || !bo_reserve(&e->out, reserve)) return false;
    for (size_t k = 0; k < ((size_t)1 << HASH_BITS); k++) e->head[k] = -1;
    e->out.buf[e->out.len++] = 0x78; /* zlib header: deflate, 32K window, */
    e->out.buf[e->out.len++] = 0x01; /* fastest level; (0x7801 % 31 == 0) */
    return true;
}

/* The last bytes parsed, the final block and the Adler-32 (@p a, @p b) of the input; false when out of memory. */
static bool enc_finish(enc *e, uint32_t a, uint32_t b)
{
    parse(e, e->avail, e->avail);
    emit_block(e, true);
    bo_flush(&e->out);
    unsigned char ad[4];
    put32(ad, b << 16 | a);
    if (!bo_reserve(&e->out, 4)) return false;
    memcpy(e->out.buf + e->out.len, ad, 4);
    e->out.len += 4;
    return !e->out.oom;
}

/* The encoder's working memory (the output buffer stays: the caller's). */
static void enc_close(enc *e)
{
    free(e->win);
    free(e->syms);
    free(e->head);
}
/* The iTXt chunk "Title" of @p title: keyword, NUL, uncompressed (0, 0), no language, no translated keyword, the text. */
static bool put_title(FILE *f, const char *title)
{
    /* "Title" and its NUL, flag, method, two empty NUL-ended fields, then the text: written as it is (no
       copy to allocate, so only a write can fail here) */
    static const unsigned char head[] = {'T', 'i', 't', 'l', 'e', 0, 0, 0, 0, 0};
    return put_chunk2(f, "iTXt", head, sizeof head, (const unsigned char *)title, strlen(title));
}

srdi_status srdi_png_write_rgb24(FILE *f, const char *path, const unsigned char *pix, int w, int h, int stride,
                                 uint32_t ppm, const char *title)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (!f || !pix || w <= 0 || h <= 0 || stride < 4 * w)
        return srdi_error_set(SRDI_ERR_INTERNAL, "png '%s': bad image (%dx%d, stride %d)", path, w, h, stride);
    unsigned char ihdr[13], phys[9];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bits per sample */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (one filter byte per row) */
    ihdr[12] = 0; /* not interlaced */
    put32(phys, ppm);
    put32(phys + 4, ppm);
    phys[8] = 1; /* unit: metre */

    size_t rowlen = 1 + 3 * (size_t)w;
    enc e;
    bool ok = enc_open(&e, rowlen, rowlen + UP_SLACK, 65536);
    uint32_t a = 1, b = 0; /* Adler-32 of the filtered bytes */
    const uint32_t *above = NULL;
    for (int y = 0; ok && y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(pix + (size_t)y * (size_t)stride);
        unsigned char *filt = take_room(&e, rowlen + UP_SLACK); /* the row is filtered in the encoder's window */
        if (!filt) {
            ok = false;
            break;
        }
        if (!above) { /* the first row: filter None */
            filt[0] = 0;
            for (int x = 0; x < w; x++) {
                uint32_t v = row[x]; /* cairo RGB24: 0x00RRGGBB in native order */
                filt[1 + 3 * x] = (unsigned char)(v >> 16);
                filt[2 + 3 * x] = (unsigned char)(v >> 8);
                filt[3 + 3 * x] = (unsigned char)v;
            }
        } else { /* filter Up: each byte minus the byte above (bytewise, in one word); most pixels are as above: 0 */
            filt[0] = 2;
            up_row(filt, row, above, w, rowlen, &a, &b);
            above = row;
            ok = take_commit(&e, rowlen);
            continue;
        }
        above = row;
        adler_update(&a, &b, filt, rowlen);
        ok = take_commit(&e, rowlen);
    }
    ok = ok && enc_finish(&e, a, b);
    enc_close(&e);
    if (!ok) {
        free(e.out.buf);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory writing '%s' (%dx%d pixels)", path, w, h);
    }
    errno = 0;
    bool wr =
        fwrite(sig, 1, 8, f) == 8 && put_chunk(f, "IHDR", ihdr, sizeof ihdr) && put_chunk(f, "pHYs", phys, sizeof phys) &&
        (!title || !*title || put_title(f, title));
    for (size_t at = 0; wr && at < e.out.len; at += PNG_IDAT_MAX) {
        size_t k = e.out.len - at < PNG_IDAT_MAX ? e.out.len - at : PNG_IDAT_MAX;
        wr = put_chunk(f, "IDAT", e.out.buf + at, k);
    }
    wr = wr && put_chunk(f, "IEND", NULL, 0);
    free(e.out.buf);
    if (!wr) return srdi_error_set(SRDI_ERR_IO, "cannot write '%s': %s", path, errno ? strerror(errno) : "write error");
    return SRDI_OK;
}

/* ------------------------------------------------- any bytes, zlib format */

#define PIECE 4096 /* bytes taken at a time (the window's room for a row) */

bool srdi_zlib_deflate(const unsigned char *const *ptr, const size_t *len, size_t n, unsigned char **out,
                       size_t *outlen)
{
    enc e;
    *out = NULL;
    *outlen = 0;
    size_t total = 0;
    for (size_t k = 0; k < n; k++) total += len[k];
    bool ok = enc_open(&e, 0, PIECE, total / 2 + 1024);
    uint32_t a = 1, b = 0; /* Adler-32 of the bytes; no row distance (rowlen 0) */
    for (size_t k = 0; ok && k < n; k++) {
        adler_dense(&a, &b, ptr[k], len[k]);
        for (size_t at = 0; ok && at < len[k]; at += PIECE)
            ok = take_row(&e, ptr[k] + at, len[k] - at < PIECE ? len[k] - at : PIECE);
    }
    ok = ok && enc_finish(&e, a, b);
    enc_close(&e);
    if (!ok) {
        free(e.out.buf);
        return false;
    }
    *out = e.out.buf;
    *outlen = e.out.len;
    return true;
}
