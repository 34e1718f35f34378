/*
 * src/core/csvread.c — THE CSV reader (srdi/csvread.h): the streaming
 * record reader on libcsv that ingest, the reference CSVs and the
 * incremental state share, encoding detection and GB18030 → UTF-8
 * streaming through iconv.
 *
 * Quoting is RFC 4180 with one leniency: a quote inside an unquoted field is
 * kept as a literal character (csv-spectrum's location_coordinates, Excel).
 * Text after a closing quote ("ab"c) is an error: the record is reported
 * with SRDI_CSV_REC_BADQUOTE and parsing resumes on the next line.
 *
 * Line numbers: bytes are handed to libcsv one physical line at a time
 * (a chunk ends at '\n'), so the reader always knows the line of the byte
 * being parsed.  A record starts on the line of the first chunk that is fed
 * while libcsv is between records (pstate 0, "row not begun"); blank lines
 * never begin a record, so they are skipped correctly.
 */
#include "srdi/csvread.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "srdi/util.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CSV_OPTS      (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
#define ROW_NOT_BEGUN 0 /* libcsv's pstate value between records */

/* ============================================================ the reader */

/*
 * Make room for one more field and @p extra bytes in the record buffer.
 * Returns SRDI_OK or SRDI_ERR_NOMEM.
 */
static srdi_status rec_reserve(srdi_csv_reader *r, size_t extra)
{
    if (r->nf < r->capf && r->len + extra + 1 <= r->cap) return SRDI_OK; /* the common case: room */
    if (r->nf == r->capf) {
        /* the three field arrays share one capacity: each grows from capf to the same size */
        size_t c1 = r->capf, c2 = r->capf, c3 = r->capf;
        if (srdi_grow((void **)&r->off, &c1, r->nf + 1, sizeof *r->off) != SRDI_OK ||
            srdi_grow((void **)&r->flen, &c2, r->nf + 1, sizeof *r->flen) != SRDI_OK ||
            srdi_grow((void **)&r->fp, &c3, r->nf + 1, sizeof *r->fp) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading CSV (a record of %zu fields)", r->nf + 1);
        assert(c1 == c2 && c2 == c3);
        r->capf = c1;
    }
    if (srdi_grow((void **)&r->buf, &r->cap, r->len + extra + 1, 1) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading CSV (a record of %zu bytes)", r->len + extra + 1);
    return SRDI_OK;
}

/* Append one field (copied: libcsv reuses its buffer) to the current record. */
static void rec_add_field(srdi_csv_reader *r, const void *s, size_t n)
{
    if (r->status != SRDI_OK) return;
    srdi_status st = rec_reserve(r, n);
    if (st != SRDI_OK) {
        r->status = st;
        return;
    }
    if (n) memcpy(r->buf + r->len, s, n);
    r->buf[r->len + n] = 0;
    r->off[r->nf] = r->len;
    r->flen[r->nf] = n;
    r->nf++;
    r->len += n + 1;
}

/* Hand the collected record to the callback, then start a new one (fp[] set when @p have_fp). */
static void rec_emit_fp(srdi_csv_reader *r, srdi_csv_rec_status status, bool clean, bool have_fp)
{
    if (r->status == SRDI_OK) {
        if (!have_fp)
            for (size_t i = 0; i < r->nf; i++) r->fp[i] = r->buf + r->off[i];
        srdi_csv_record rec = {r->rec_line, r->nf, r->fp, r->flen, status, clean};
        r->status = r->fn(r->ctx, &rec);
    }
    r->nf = 0;
    r->len = 0;
}

static void rec_emit(srdi_csv_reader *r, srdi_csv_rec_status status, bool clean)
{
    rec_emit_fp(r, status, clean, false);
}

static void cb_field(void *s, size_t n, void *data)
{
    rec_add_field(data, s, n);
}

static void cb_record(int c, void *data)
{
    (void)c;
    rec_emit(data, SRDI_CSV_REC_OK, false);
}

/* Spaces libcsv trims around unquoted fields: space and tab, or only space when tab separates. */
static int space_and_tab(unsigned char c)
{
    return c == ' ' || c == '\t';
}
static int space_only(unsigned char c)
{
    return c == ' ';
}

/* (Re)initialise libcsv for the reader's separator. */
static int parser_init(srdi_csv_reader *r)
{
    if (csv_init(&r->p, CSV_OPTS) != 0) return -1;
    csv_set_delim(&r->p, (unsigned char)r->delim);
    csv_set_space_func(&r->p, r->delim == '\t' ? space_only : space_and_tab);
    r->blk = 4096;
    csv_set_blk_size(&r->p, r->blk);
    return 0;
}

srdi_status srdi_csv_reader_init(srdi_csv_reader *r, srdi_csv_record_fn fn, void *ctx, long first_line)
{
    return srdi_csv_reader_init_delim(r, fn, ctx, first_line, ',');
}

srdi_status srdi_csv_reader_init_delim(srdi_csv_reader *r, srdi_csv_record_fn fn, void *ctx, long first_line,
                                       char delim)
{
    memset(r, 0, sizeof *r);
    r->fn = fn;
    r->ctx = ctx;
    r->line = first_line;
    r->rec_line = first_line;
    r->delim = delim;
    if (parser_init(r) != 0) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory initialising the CSV parser");
    r->inited = true;
    srdi_status st = rec_reserve(r, 0);
    if (st != SRDI_OK) srdi_csv_reader_free(r); /* SRDI_ERR_NOMEM, message set */
    return st;
}

void srdi_csv_reader_free(srdi_csv_reader *r)
{
    if (r->inited) csv_free(&r->p);
    r->inited = false;
    free(r->buf);
    free(r->off);
    free(r->flen);
    free(r->fp);
    r->buf = NULL;
    r->off = NULL;
    r->flen = NULL;
    r->fp = NULL;
    r->cap = r->capf = r->len = r->nf = 0;
}

/*
 * libcsv stopped on a strict-mode error inside the current record: report
 * the record (fields so far plus the broken partial one) and reset libcsv.
 */
static void reader_parse_error(srdi_csv_reader *r, srdi_csv_rec_status status)
{
    rec_add_field(r, r->p.entry_buf ? (const void *)r->p.entry_buf : "", r->p.entry_pos);
    rec_emit(r, status, false);
    csv_free(&r->p);
    r->inited = false;
    if (parser_init(r) != 0) {
        if (r->status == SRDI_OK) r->status = srdi_error_set(SRDI_ERR_NOMEM, "out of memory resetting the CSV parser");
        return;
    }
    r->inited = true;
}

/* Bytes trimmed around an unquoted field by the fast path. */
static const unsigned char is_blank[256] = {[' '] = 1, ['\t'] = 1};

/*
 * Store field [a, z) of the fast-path line (trimmed of spaces, and of tabs
 * unless they separate; NUL-terminated) with its pointer: the line's buffer
 * does not move while it is split.
 */
static inline bool fast_field(srdi_csv_reader *r, char *b, size_t a, size_t z)
{
    if (__builtin_expect(a < z && (is_blank[(unsigned char)b[a]] | is_blank[(unsigned char)b[z - 1]]), 0)) {
        while (a < z && (b[a] == ' ' || b[a] == '\t')) a++;
        while (z > a && (b[z - 1] == ' ' || b[z - 1] == '\t')) z--;
    }
    b[z] = 0;
    srdi_status st;
    if (__builtin_expect(r->nf == r->capf, 0) && (st = rec_reserve(r, 0)) != SRDI_OK) {
        r->status = st; /* SRDI_ERR_NOMEM, message set */
        return false;
    }
    r->fp[r->nf] = b + a;
    r->flen[r->nf] = z - a;
    r->nf++;
    return true;
}

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#if !defined(__SSE2__) /* the eight-byte path only */
/* High bit set in the lowest byte of x that is zero (bits above it may be spurious). */
static inline uint64_t swar_zero(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}
#endif

/*
 * Fast path for a whole physical line [s, s+n) (its line end excluded),
 * fed while libcsv is between records: the line is copied once and split
 * at the separator, sixteen bytes at a time (SSE2: one bit mask of the
 * separators, walked bit by bit, beside a test for '"' and NUL and a mask
 * of bytes ≥ 0x80 until the first is found; the last, partial block is
 * read from the copy's zeroed padding with the bits past the line masked
 * off) or eight (SWAR) where SSE2 is missing, with libcsv's semantics
 * (unquoted fields trimmed of spaces and tabs, a blank line is no record).
 * UTF-8 is checked from the first byte ≥ 0x80 on (all before it is ASCII).
 * Returns false, leaving the record empty, when the line holds a '"' or a
 * NUL byte: libcsv parses those.
 */
static bool fast_line(srdi_csv_reader *r, const char *s, size_t n)
{
    r->nf = 0;
    r->len = 0;
    srdi_status st = rec_reserve(r, n + 16);
    if (st != SRDI_OK) {
        r->status = st; /* SRDI_ERR_NOMEM, message set */
        return true;
    }
    char *b = r->buf;
    memcpy(b, s, n);
    const char delim = r->delim;
    bool high = false;
    size_t start = 0, i = 0, first_high = 0;
#if defined(__SSE2__)
    memset(b + n, 0, 16);
    const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"'), vz = _mm_setzero_si128();
    while (i < n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        unsigned live = n - i >= 16 ? 0xFFFFu : (1u << (n - i)) - 1;
        if ((unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vz))) & live) {
            r->nf = 0; /* '"' or NUL: libcsv parses the line */
            return false;
        }
        if (!high) {
            unsigned mh = (unsigned)_mm_movemask_epi8(v) & live;
            if (mh) {
                high = true;
                first_high = i + (size_t)__builtin_ctz(mh);
            }
        }
        unsigned md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) & live;
        while (md) {
            size_t j = i + (size_t)__builtin_ctz(md);
            md &= md - 1;
            if (!fast_field(r, b, start, j)) return true;
            start = j + 1;
        }
        i += 16;
    }
    b[n] = 0;
#else
    b[n] = 0;
    const uint64_t dmask = ONES * (unsigned char)delim;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, b + i, 8);
            uint64_t sp = swar_zero(w ^ dmask) | swar_zero(w ^ (ONES * '"')) | swar_zero(w) | (high ? 0 : (w & HIGHS));
            if (!sp) {
                i += 8;
                continue;
            }
            i += (size_t)__builtin_ctzll(sp) / 8;
        }
        unsigned char c = (unsigned char)b[i];
        if (c == (unsigned char)delim) {
            if (!fast_field(r, b, start, i)) return true;
            start = i + 1;
        } else if (c >= 0x80) {
            if (!high) first_high = i;
            high = true;
        } else if (c == '"' || c == 0) {
            r->nf = 0;
            return false;
        }
        i++;
    }
#endif
    if (!fast_field(r, b, start, n)) return true;
    if (r->nf == 1 && r->flen[0] == 0) {
        r->nf = 0;
        return true;
    } /* blank: no record */
    r->len = n + 1;
    rec_emit_fp(r, SRDI_CSV_REC_OK, !high || srdi_utf8_valid(b + first_high, n - first_high), true);
    return true;
}

size_t srdi_csv_line_len(const char *s, size_t n, bool *has_eol)
{
    const char *nl = memchr(s, '\n', n);
    const char *cr = memchr(s, '\r', nl ? (size_t)(nl - s) : n);
    *has_eol = true;
    if (cr) return (size_t)(cr - s) + ((size_t)(cr - s) + 1 < n && cr[1] == '\n' ? 2 : 1);
    if (nl) return (size_t)(nl - s) + 1;
    *has_eol = false;
    return n;
}

/* Parse one chunk (at most one physical line) with libcsv; false when the line must be skipped. */
static void slow_chunk(srdi_csv_reader *r, const char *s, size_t chunk, bool eol)
{
    /* libcsv grows a field by a fixed block: make the block follow the field's size so
       that a field of many megabytes is not copied quadratically */
    if (r->p.entry_size >= r->blk) {
        r->blk = r->p.entry_size;
        csv_set_blk_size(&r->p, r->blk);
    }
    size_t used = csv_parse(&r->p, s, chunk, cb_field, cb_record, r);
    while (used < chunk && r->status == SRDI_OK && csv_error(&r->p) == CSV_EPARSE && !r->p.quoted) {
        /* a bare quote inside an unquoted field (5'10"): keep it as a literal character,
         * as Excel does, by parsing that one byte non-strictly */
        r->p.status = 0;
        csv_set_opts(&r->p, CSV_OPTS & ~CSV_STRICT);
        used += csv_parse(&r->p, s + used, 1, cb_field, cb_record, r);
        csv_set_opts(&r->p, CSV_OPTS);
        if (used < chunk) used += csv_parse(&r->p, s + used, chunk - used, cb_field, cb_record, r);
    }
    if (used < chunk && r->status == SRDI_OK) {
        if (csv_error(&r->p) == CSV_ENOMEM || csv_error(&r->p) == CSV_ETOOBIG) {
            r->status = srdi_error_set(SRDI_ERR_NOMEM, "out of memory: CSV field too large");
            return;
        }
        reader_parse_error(r, SRDI_CSV_REC_BADQUOTE);
        if (!eol) r->skip_eol = true;
    }
}

srdi_status srdi_csv_reader_feed(srdi_csv_reader *r, const char *data, size_t n)
{
    const char *s = data, *e = data + n;
    const char *nl = NULL, *cr = NULL; /* next '\n' / '\r' at or after s (e: none); found lazily */
    bool first = true;
    while (s < e && r->status == SRDI_OK) {
        if (first) {
            first = false;
            if (r->after_cr && *s == '\n') {
                /* the '\n' of a CRLF split between two feeds: no new line */
                r->after_cr = false;
                if (!r->skip_eol && !(r->p.pstate == ROW_NOT_BEGUN && r->nf == 0)) slow_chunk(r, s, 1, true);
                s++;
                continue;
            }
            r->after_cr = false;
        }
        if (!nl || nl < s) {
            nl = memchr(s, '\n', (size_t)(e - s));
            if (!nl) nl = e;
        }
        if (!cr || cr < s) {
            cr = memchr(s, '\r', (size_t)(e - s));
            if (!cr) cr = e;
        }
        const char *eolp = nl < cr ? nl : cr;
        size_t content = (size_t)(eolp - s), chunk;
        bool eol = eolp < e;
        if (!eol)
            chunk = content;
        else if (*eolp == '\n')
            chunk = content + 1;
        else if (eolp + 1 < e)
            chunk = content + (eolp[1] == '\n' ? 2 : 1);
        else {
            chunk = content + 1;
            r->after_cr = true;
        } /* CR at the end of this feed */

        if (r->skip_eol) {
            /* drop the rest of a line that held a parse error */
            if (eol) {
                r->skip_eol = false;
                r->line++;
            }
            s += chunk;
            continue;
        }
        if (r->p.pstate == ROW_NOT_BEGUN && r->nf == 0) {
            r->rec_line = r->line;
            if (eol && fast_line(r, s, content)) {
                r->line++;
                s += chunk;
                continue;
            }
        }
        slow_chunk(r, s, chunk, eol);
        if (eol) r->line++;
        s += chunk;
    }
    return r->status;
}

srdi_status srdi_csv_reader_finish(srdi_csv_reader *r)
{
    if (r->status != SRDI_OK) return r->status;
    if (r->skip_eol) {
        r->skip_eol = false;
        return SRDI_OK;
    }
    if (csv_fini(&r->p, cb_field, cb_record, r) != 0 && r->status == SRDI_OK)
        reader_parse_error(r, SRDI_CSV_REC_UNTERMINATED);
    return r->status;
}

bool srdi_csv_reader_between(const srdi_csv_reader *r)
{
    return r->p.pstate == ROW_NOT_BEGUN && r->nf == 0 && !r->skip_eol && !r->after_cr;
}

const char *srdi_csv_rec_problem(const srdi_csv_record *rec)
{
    switch (rec->status) {
    case SRDI_CSV_REC_OK:
        return "";
    case SRDI_CSV_REC_BADQUOTE:
        return "text after the closing quote of a quoted field";
    case SRDI_CSV_REC_UNTERMINATED:
        return "quoted field never closed";
    case SRDI_CSV_REC_EXTRA_CELL:
        return "a value right of the header's last column";
    }
    return "malformed record";
}

int srdi_csv_quote_len(const char *s)
{
    size_t n = strcspn(s, "\r\n");
    return n > 60 ? 60 : (int)n;
}

/* ============================================================== encoding */

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes available):
 * > 0 valid length, 0 truncated (needs more bytes), -1 invalid.
 */
static inline int utf8_seq(const unsigned char *s, size_t n)
{
    /* Unicode Table 3-7: a lead byte range, the sequence length and the range of the second byte */
    static const struct {
        unsigned char lead_lo, lead_hi, len, lo, hi;
    } WELL_FORMED[] = {{0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF}, {0xE1, 0xEC, 3, 0x80, 0xBF},
                       {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF}, {0xF0, 0xF0, 4, 0x90, 0xBF},
                       {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F}};
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t k = 0;
    while (k < sizeof WELL_FORMED / sizeof WELL_FORMED[0] && c > WELL_FORMED[k].lead_hi) k++;
    if (k == sizeof WELL_FORMED / sizeof WELL_FORMED[0] || c < WELL_FORMED[k].lead_lo) return -1;
    int len = WELL_FORMED[k].len;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n) return 0;
        unsigned t = s[i];
        if (i == 1 ? (t < WELL_FORMED[k].lo || t > WELL_FORMED[k].hi) : (t < 0x80 || t > 0xBF)) return -1;
    }
    return len;
}

int srdi_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        if (e - p >= 8) {
            uint64_t w;       /* ASCII eight bytes at a time, then straight */
            memcpy(&w, p, 8); /* to the first byte ≥ 0x80 */
            uint64_t h = w & 0x8080808080808080ull;
            if (!h) {
                p += 8;
                continue;
            }
            p += (size_t)__builtin_ctzll(h) >> 3;
        }
        if (*p < 0x80) {
            p++;
            continue;
        }
        /* a run of common CJK (3-byte sequences led by E1–EC, EE, EF: never overlong
           nor a surrogate), checked three bytes at a time */
        bool cjk = false;
        while (e - p >= 3) {
            uint32_t t = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
            unsigned lo = t & 0x0F;
            if ((t & 0xC0C0F0u) != 0x8080E0u || lo == 0 || lo == 0xD) break;
            p += 3;
            cjk = true;
        }
        if (cjk) continue;
        int l = utf8_seq(p, (size_t)(e - p));
        if (l <= 0) return 0;
        p += l;
    }
    return 1;
}

/* Invalid UTF-8 sequences in the sample (a sequence cut at its end counts as fine when @p cut). */
static size_t utf8_sample_errors(const char *s, size_t n, bool cut)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    size_t errors = 0;
    while (p < e) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int l = utf8_seq(p, (size_t)(e - p));
        if (l == 0 && cut) break;
        if (l <= 0) {
            errors++;
            p++;
            continue;
        }
        p += l;
    }
    return errors;
}

/* Illegal GB18030 sequences in the sample (SIZE_MAX when iconv cannot do GB18030). */
static size_t gb18030_sample_errors(const char *s, size_t n)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return SIZE_MAX;
    char out[16384];
    char *in = (char *)s;
    size_t inleft = n, errors = 0;
    while (inleft > 0) {
        char *o = out;
        size_t oleft = sizeof out;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        if (rc != (size_t)-1) break;
        if (errno == E2BIG) continue;
        if (errno != EILSEQ) break; /* EINVAL: cut at the sample's end — fine */
        errors++;
        in++;
        inleft--;
    }
    iconv_close(cd);
    return errors;
}

/* UTF-16 without a BOM: NUL bytes at every other position of the first line(s). 1 = LE, 2 = BE, 0 = no. */
static int utf16_guess(const char *p, size_t n)
{
    size_t k = n < 512 ? n & ~(size_t)1 : 512, even = 0, odd = 0;
    if (k < 4) return 0;
    for (size_t i = 0; i < k; i += 2) {
        even += p[i] == 0;
        odd += p[i + 1] == 0;
    }
    if (odd * 10 >= k / 2 * 7 && even == 0) return 1;
    if (even * 10 >= k / 2 * 7 && odd == 0) return 2;
    return 0;
}

srdi_encoding srdi_csv_detect_encoding(const char *p, size_t n, srdi_encoding forced, char name[16], size_t *bom)
{
    bool has_bom = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0;
    bool le = n >= 2 && memcmp(p, "\xFF\xFE", 2) == 0, be = n >= 2 && memcmp(p, "\xFE\xFF", 2) == 0;
    *bom = 0;
    if (forced == SRDI_ENC_UTF16LE || forced == SRDI_ENC_UTF16BE) {
        if ((forced == SRDI_ENC_UTF16LE && le) || (forced == SRDI_ENC_UTF16BE && be)) *bom = 2;
        srdi_strlcpy(name, forced == SRDI_ENC_UTF16LE ? "utf-16le" : "utf-16be", 16);
        return forced;
    }
    if (forced == SRDI_ENC_GB18030) {
        srdi_strlcpy(name, "gb18030", 16);
        return SRDI_ENC_GB18030;
    }
    if (has_bom) {
        *bom = 3;
        srdi_strlcpy(name, "utf-8-bom", 16);
        return SRDI_ENC_UTF8;
    }
    if (forced == SRDI_ENC_UTF8) {
        srdi_strlcpy(name, "utf-8", 16);
        return SRDI_ENC_UTF8;
    }
    if (le || be) {
        *bom = 2;
        srdi_strlcpy(name, le ? "utf-16le" : "utf-16be", 16);
        return le ? SRDI_ENC_UTF16LE : SRDI_ENC_UTF16BE;
    }
    int g = utf16_guess(p, n);
    if (g) {
        srdi_strlcpy(name, g == 1 ? "utf-16le" : "utf-16be", 16);
        return g == 1 ? SRDI_ENC_UTF16LE : SRDI_ENC_UTF16BE;
    }
    /* the encoding with fewer bad sequences in the first 64 KiB that hold
       non-ASCII bytes (a file may start with pages of pure ASCII rows); a
       tie is UTF-8 */
    size_t first = 0;
    while (first < n && (unsigned char)p[first] < 0x80) first++;
    if (first == n) {
        srdi_strlcpy(name, "utf-8", 16);
        return SRDI_ENC_UTF8;
    }
    while (first > 0 && p[first - 1] != '\n' && p[first - 1] != '\r') first--; /* start at that line */
    p += first;
    n -= first;
    size_t win = n < 65536 ? n : 65536;
    size_t u8 = utf8_sample_errors(p, win, win < n);
    if (u8 == 0 || gb18030_sample_errors(p, win) >= u8) {
        srdi_strlcpy(name, "utf-8", 16);
        return SRDI_ENC_UTF8;
    }
    srdi_strlcpy(name, "gb18030", 16);
    return SRDI_ENC_GB18030;
}

const char *srdi_csv_encoding_label(srdi_encoding enc)
{
    static const char *const LABEL[] = {
        [SRDI_ENC_GB18030] = "GB18030", [SRDI_ENC_UTF16LE] = "UTF-16LE", [SRDI_ENC_UTF16BE] = "UTF-16BE"};
    if ((unsigned)enc < sizeof LABEL / sizeof LABEL[0] && LABEL[enc]) return LABEL[enc];
    return "UTF-8";
}

const char *srdi_csv_binary_kind(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
        /* a zip archive: an Office Open XML workbook holds xl/ entries */
        size_t k = n < 65536 ? n : 65536;
        if (memmem(p, k, "xl/", 3) || memmem(p, k, "[Content_Types].xml", 19))
            return memmem(p, k, "xl/", 3) ? "an Excel workbook (.xlsx)" : "an Office document (zip)";
        return "a zip archive";
    }
    if (n >= 8 && memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return "an Excel 97\xE2\x80\x93"
               "2003 workbook (.xls) or another old Office file";
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) return "a PDF document";
    if (n >= 2 && u[0] == 0x1F && u[1] == 0x8B) return "a gzip-compressed file";
    if (n >= 6 && memcmp(p, "7z\xBC\xAF\x27\x1C", 6) == 0) return "a 7-Zip archive";
    if (n >= 4 && memcmp(p, "Rar!", 4) == 0) return "a RAR archive";
    if (n >= 5 && memcmp(p, "<?xml", 5) == 0 &&
        memmem(p, n < 4096 ? n : 4096, "urn:schemas-microsoft-com:office:spreadsheet", 44))
        return "an Excel 2003 XML spreadsheet";
    /* UTF-16 text has NUL bytes by nature; anything else with NULs or many control bytes is binary */
    if ((n >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 || memcmp(p, "\xFE\xFF", 2) == 0)) || utf16_guess(p, n)) return NULL;
    size_t k = n < 4096 ? n : 4096, ctl = 0;
    for (size_t i = 0; i < k; i++)
        if (u[i] == 0 || (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' && u[i] != '\r' && u[i] != 0x0C)) ctl++;
    if (ctl * 20 > k || (k > 0 && memchr(p, 0, k) && ctl * 100 > k)) return "a binary file";
    return NULL;
}

srdi_status srdi_csv_utf16_to_utf8(const char *p, size_t n, bool big_endian, char **out, size_t *outlen)
{
    size_t cap = n / 2 * 3 + 16;
    char *o = malloc(cap);
    if (!o) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory converting UTF-16 text");
    const unsigned char *u = (const unsigned char *)p;
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        uint32_t c = big_endian ? (uint32_t)u[i] << 8 | u[i + 1] : (uint32_t)u[i + 1] << 8 | u[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
            uint32_t c2 = big_endian ? (uint32_t)u[i + 2] << 8 | u[i + 3] : (uint32_t)u[i + 3] << 8 | u[i + 2];
            if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
                i += 2;
            }
        }
        if (c >= 0xD800 && c <= 0xDFFF) {
            o[k++] = (char)0xFF;
            continue;
        } /* lone surrogate: fails UTF-8 */
        if (c < 0x80)
            o[k++] = (char)c;
        else if (c < 0x800) {
            o[k++] = (char)(0xC0 | c >> 6);
            o[k++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            o[k++] = (char)(0xE0 | c >> 12);
            o[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            o[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            o[k++] = (char)(0xF0 | c >> 18);
            o[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
            o[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            o[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    if (n & 1) o[k++] = (char)0xFF; /* an odd last byte */
    *out = o;
    *outlen = k;
    return SRDI_OK;
}

char srdi_csv_detect_delim(const char *p, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool q = false;
    if (n > SRDI_CSV_HEADER_MAX) n = SRDI_CSV_HEADER_MAX;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '"')
            q = !q;
        else if (q)
            continue;
        else if (c == '\n' || c == '\r') {
            if (comma + semi + tab > 0) break; /* the first line with a separator */
        } else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
    }
    if (tab > comma && tab >= semi) return '\t';
    if (semi > comma && semi > tab) return ';';
    return ',';
}

void srdi_csv_release_pages(const char *base, const char *upto)
{
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0) return;
    uintptr_t a = ((uintptr_t)base + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
    uintptr_t b = (uintptr_t)upto & ~((uintptr_t)pg - 1);
    if (b > a) madvise((void *)a, b - a, MADV_DONTNEED);
}

#define FEED_BLOCK ((size_t)8 << 20)

srdi_status srdi_csv_feed_encoded(srdi_csv_reader *r, const char *p, size_t n, srdi_encoding enc, bool release)
{
    srdi_status st = SRDI_OK;
    if (enc != SRDI_ENC_GB18030) {
        for (size_t at = 0; at < n && st == SRDI_OK; at += FEED_BLOCK) {
            size_t k = n - at < FEED_BLOCK ? n - at : FEED_BLOCK;
            st = srdi_csv_reader_feed(r, p + at, k);
            if (release) srdi_csv_release_pages(p + at, p + at + k); /* this block's pages (a page
                                                                        across two blocks stays) */
        }
        return st;
    }

    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return srdi_error_set(SRDI_ERR_ENCODING, "iconv cannot convert GB18030 on this system");
    size_t outcap = (size_t)1 << 20;
    char *out = malloc(outcap);
    if (!out) {
        iconv_close(cd);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory converting GB18030");
    }
    char *in = (char *)p;
    size_t inleft = n;
    const char *released = p;
    while (inleft > 0 && st == SRDI_OK) {
        char *o = out;
        size_t oleft = outcap;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        int err = rc == (size_t)-1 ? errno : 0;
        if (err == EILSEQ || err == EINVAL) {
            /* pass one unconvertible byte through: the field fails UTF-8 validation */
            if (oleft == 0) {
                st = srdi_csv_reader_feed(r, out, (size_t)(o - out));
                o = out;
                oleft = outcap;
            }
            *o++ = *in++;
            oleft--;
            inleft--;
        }
        if (st == SRDI_OK && o > out) st = srdi_csv_reader_feed(r, out, (size_t)(o - out));
        if (release && in - released >= (ptrdiff_t)FEED_BLOCK) {
            srdi_csv_release_pages(released, in);
            released = in;
        }
    }
    free(out);
    iconv_close(cd);
    return st;
}
