/*
 * src/ingest/patents.c — patents.csv: streamed, never stored, aggregated
 * into patent facts (dataset.h) while it is read.
 *
 * Speed: the body is cut into up to 4 parts a thread (and into parts of at
 * most 64 MiB on any thread count), each parsed with
 * its own CSV reader, fact accumulator (pfacts.c) and string pool by the
 * first thread free (so every core stays busy to the end), and the facts of
 * all parts are collected on as many threads (up to 16).  Correct for any thread count and
 * any CSV:
 *   1. each cut is the first line end after its nominal place (a guess:
 *      it may fall inside a quoted field that holds a line break);
 *   2. the parts are parsed in parallel, each as if a record began there;
 *   3. the parts are taken in order: a part whose parser ends inside a
 *      record (its successor's cut was inside a quoted field, or the file
 *      is not RFC 4180) is continued through the next parts, whose own
 *      results are dropped, until it stands between records.
 * So the result is always exactly the one-thread result; only a file
 * whose quoted fields hold line breaks at a cut is read partly serially.
 * Each byte is read once: the content hash of the refresh cache is computed
 * by the same threads, block by block, just before each block is parsed.
 * The parts of a file are read with pread into a buffer per thread, a
 * 1 MiB content block at a time (feed_part_read), not in the mapping:
 * mapping a page of the page cache costs more than copying it (national
 * patents.csv, one thread: 0.5 s of CPU to touch the mapping's pages,
 * 0.15 s to pread them), and a copy in the buffer stays in the cache for
 * the hash and the parse.  The results are
 * merged in part order, so key ids come out in first-seen file order, as a
 * single thread gives them; each part's facts are counted and sorted by its
 * accumulator (pfacts.c).  Line
 * numbers of rejects are made absolute by adding the lines of earlier parts.
 */
#include "ingest_private.h"
#include "linesplit.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MIN_PART         ((size_t)64 << 10) /* do not split below 64 KiB per part */
#define MAX_PARTS        256 /* so up to 64 threads get 4 parts each */
#define PARTS_PER_THREAD 4                 /* the body is cut into this many parts a thread */
#define FEED_PIECE       ((size_t)8 << 20) /* bytes parsed between page releases */
/*
 * Parts of at most 64 MiB, whatever the threads: a part's facts are moved
 * once more, all at once, when it is done (pfacts.c: srdi_pfacc_seal), so a
 * part's size is what that adds to the peak (~2 MB of facts a part for the
 * national data; one part of a 3 GB file on one thread would add 75 MB).
 */
#define MAX_PART ((size_t)64 << 20)
#define PAT_THREAD_BYTES ((size_t)12 << 20) /* a parsing thread's memory at its peak (srdi_threads_in_budget) */


enum { KIND_INVENTION, KIND_UTILITY, KIND_DESIGN };
enum { ST_GRANTED, ST_PENDING, ST_REJECTED, ST_WITHDRAWN, ST_NONE /* empty: missing */ };
static const char *const status_keys[] = {"granted", "pending", "rejected", "withdrawn", "(empty)"};

typedef struct pworker {
    const srdi_dataset *d; /* read only while threads run */
    const srdi_patent_cols *cols;
    srdi_encoding enc;
    const char *p; /* this part's bytes */
    size_t n;
    char *buf; /* the thread's read buffer (srdi_ingest_read_piece + 64 bytes), or NULL: the bytes are read at p */
    long first_line;         /* line of p[0] (relative for parts > 0) */
    size_t hash_lo, hash_hi; /* hash the blocks that start in [lo, hi) (file offsets) */
    srdi_csv_reader r;       /* this part's reader, open until phase 3 */
    bool reader_on;
    srdi_rejects rj;    /* rejects with lines in this part's base */
    srdi_patents facts; /* private result; keys = local pool */
    srdi_pfacc acc;     /* facts being counted (pfacts.c) */
    srdi_buf scratch;   /* field label copy */
    struct {
        uint32_t id, len;
        char s[56]; /* keys up to 56 bytes: field labels of up to 18 CJK characters */
    } kcache[256]; /* keys interned lately (len 0 = empty slot) */
    struct {
        uint64_t v; /* the first and the last four bytes */
        uint32_t id, len;
    } kshort[256]; /* keys of 4 to 8 bytes interned lately (len 0 = empty slot) */
    long long read, accepted, rejected;
    int max_app, max_grant, max_pub;
    uint32_t max_be[3]; /* the largest app, grant and pub year of pat_row_plain's rows, as year_be gives them (0: none) */
    char last_id[256]; /* the previous row's id and its row: rows come */
    size_t last_len;   /* grouped by enterprise, so this saves lookups  */
    long last_ent;
    long hint;    /* the last row found (-1: none yet) */
    size_t plain; /* cells [0, plain) of the row being read need no trimming (0: a reader's record) */
    char vtext[64]; /* the bytes from the first to the last byte >= 0x80 of a row */
    size_t vlen;    /* found valid UTF-8 lately (0: none) */
    srdi_status st;
    char err[512]; /* error message of a failed worker */
} pworker;

/* ================================================================== cells */

/* [a, a+n) == [b, b+n), compared inline eight bytes at a time (ids, repeated cells). */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n < 8) {
        if (n >= 4) { /* two four-byte words, overlapping */
            uint32_t u, v, x, y;
            memcpy(&u, a, 4);
            memcpy(&v, b, 4);
            memcpy(&x, a + n - 4, 4);
            memcpy(&y, b + n - 4, 4);
            return u == v && x == y;
        }
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i]) return false;
        return true;
    }
    uint64_t x, y;
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) return false;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

static inline void pcell(const pworker *w, const srdi_csv_record *rec, int j, const char **s, size_t *n)
{
    if (j < 0) {
        *s = "";
        *n = 0;
        return;
    }
    *s = rec->f[j];
    *n = rec->len[j];
    if ((size_t)j >= w->plain) srdi_ingest_trim(s, n);
}

static const char *pname(const pworker *w, int j)
{
    return j >= 0 && (size_t)j < w->cols->ncols ? w->cols->names[j] : "";
}

static srdi_status preject(pworker *w, const srdi_csv_record *rec, int j, const char *reason)
{
    const char *s = "";
    size_t n = 0;
    if (j >= 0 && (size_t)j < rec->n) {
        s = rec->f[j];
        n = rec->len[j];
    }
    w->rejected++;
    return srdi_rejects_add(&w->rj, SRDI_FILE_PATENTS, rec->line, pname(w, j), s, n, reason);
}

/* A cell's literal values and what each means. */
typedef struct lit {
    const char *s;
    size_t n;
    int v;
} lit;
static const lit KIND_LITS[] = {{"invention", 9, KIND_INVENTION}, {"发明", 6, KIND_INVENTION},
                                {"utility", 7, KIND_UTILITY},     {"实用新型", 12, KIND_UTILITY},
                                {"design", 6, KIND_DESIGN},       {"外观设计", 12, KIND_DESIGN}};
static const lit STATUS_LITS[] = {{"granted", 7, ST_GRANTED},     {"授权", 6, ST_GRANTED},  {"pending", 7, ST_PENDING},
                                  {"审中", 6, ST_PENDING},        {"rejected", 8, ST_REJECTED}, {"驳回", 6, ST_REJECTED},
                                  {"withdrawn", 9, ST_WITHDRAWN}, {"撤回", 6, ST_WITHDRAWN}};

/* The value of the literal that cell [s, s+n) is, ASCII case ignored (an exact match is tried first); -1: none. */
static inline int match_lit(const lit *t, size_t count, const char *s, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (t[i].n == n && same_bytes(s, t[i].s, n)) return t[i].v;
    for (size_t i = 0; i < count; i++)
        if (t[i].n == n && strncasecmp(s, t[i].s, n) == 0) return t[i].v;
    return -1;
}

/*
 * Year cell: 1 = *y set (1900–2100), 0 = empty, -1 = bad.
 * Four ASCII digits take a fast path.
 */
static inline int parse_year(const char *s, size_t n, int *y)
{
    if (n == 0) return 0;
    if (n == 4 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
        s[3] >= '0' && s[3] <= '9') {
        *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    } else {
        double v;
        srdi_num_result r = srdi_ingest_parse_number(s, n, true, &v);
        if (r == SRDI_NUM_EMPTY) return 0;
        if (r != SRDI_NUM_OK || v > 9999) return -1;
        *y = (int)v;
    }
    return (*y >= 1900 && *y <= 2100) ? 1 : -1;
}

/* The year in column @p j of @p rec: as parse_year (1 set, 0 empty, -1 bad). */
static inline int year_cell(const pworker *w, const srdi_csv_record *rec, int j, int *y)
{
    const char *s;
    size_t n;
    pcell(w, rec, j, &s, &n);
    return parse_year(s, n, y);
}

/* Rejects the row for a bad year in column @p j. */
static srdi_status bad_year(pworker *w, const srdi_csv_record *rec, int j)
{
    char reason[256];
    snprintf(reason, sizeof reason, "%s must be a year from 1900 to 2100", pname(w, j));
    return preject(w, rec, j, reason);
}

static inline srdi_status add_fact(pworker *w, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key)
{
    return srdi_pfacc_add_quick(&w->acc, ent, kind, year, key) ? SRDI_OK : srdi_pfacc_add(&w->acc, ent, kind, year, key);
}

/*
 * Intern [s, s+n) in the worker's local pool.  A key met before is found in
 * a small direct-mapped cache of short keys first (rows of one enterprise
 * repeat their field and IPC classes), which gives the pool's own id.
 */
static uint32_t intern_cached(pworker *w, const char *s, size_t n)
{
    size_t slot = 0;
    if (n > 0 && n <= sizeof w->kcache[0].s) {
        uint64_t a = 0, z = 0;
        memcpy(&a, s, n < 8 ? n : 8);
        memcpy(&z, s + n - (n < 8 ? n : 8), n < 8 ? n : 8);
        slot = (size_t)(((a * 0x9E3779B97F4A7C15ull) ^ (z * 0xC2B2AE3D27D4EB4Full) ^ n) >> 56);
        if (w->kcache[slot].len == n && memcmp(w->kcache[slot].s, s, n) == 0) return w->kcache[slot].id;
    }
    uint32_t id = UINT32_MAX;
    srdi_buf_reset(&w->scratch);
    if (srdi_buf_append(&w->scratch, s, n) == SRDI_OK)
        id = srdi_strpool_intern(w->facts.keys, w->scratch.data ? w->scratch.data : "");
    if (id != UINT32_MAX && n > 0 && n <= sizeof w->kcache[0].s) {
        w->kcache[slot].id = id;
        w->kcache[slot].len = (uint32_t)n;
        memcpy(w->kcache[slot].s, s, n);
    }
    return id;
}

/* intern, keys of 4 to 8 bytes (IPC subclasses) first in a cache of their own: two words, one compare. */
static inline uint32_t intern(pworker *w, const char *s, size_t n)
{
    if (n < 4 || n > 8) return intern_cached(w, s, n);
    uint32_t a, z;
    memcpy(&a, s, 4);
    memcpy(&z, s + n - 4, 4);
    uint64_t v = (uint64_t)a << 32 | z; /* with n, the key's bytes */
    size_t slot = (size_t)(((v ^ n) * 0x9E3779B97F4A7C15ull) >> 56);
    if (w->kshort[slot].len == n && w->kshort[slot].v == v) return w->kshort[slot].id;
    uint32_t id = intern_cached(w, s, n);
    if (id != UINT32_MAX) {
        w->kshort[slot].v = v;
        w->kshort[slot].id = id;
        w->kshort[slot].len = (uint32_t)n;
    }
    return id;
}

/* ==================================================================== row */

/*
 * Row of enterprise @p id (n bytes, NUL-terminated, no NUL inside), or -1.
 * patents.csv mostly lists the enterprises in the order of enterprises.csv:
 * the few rows after @p prev (the previous id's row) are tried first, a
 * string compare each on memory read in order, before the hash lookup (ids
 * are unique, so a row found either way is the same row).
 */
static long next_ent(const srdi_dataset *d, long prev, const char *id, size_t n)
{
    size_t r = prev < 0 ? 0 : (size_t)prev + 1;
    for (size_t e = r + 8 < d->n ? r + 8 : d->n; r < e; r++)
        if (strncmp(d->id[r], id, n) == 0 && d->id[r][n] == 0) return (long)r;
    return srdi_dataset_find(d, id);
}

/*
 * One data row of patents.csv (record callback of a worker).  Checks the
 * record, id (an accepted enterprise), patent_no, kind, office, the years
 * (pub ≥ app, grant_year iff granted, grant ≥ app), status and the IPC
 * subclass; the first failure rejects the row.  An accepted row updates the
 * maximum years and, for an invention of a national-level enterprise, adds
 * its facts to the worker's private accumulator.
 */
static srdi_status pat_row(void *ctx, const srdi_csv_record *rec)
{
    pworker *w = ctx;
    const srdi_patent_cols *c = w->cols;
    char reason[512];
    const char *s;
    size_t n;
    int j;
    w->read++;
    if (!(rec->status == SRDI_CSV_REC_OK && rec->n == c->ncols && rec->clean) && /* the common row: passes */
        !srdi_ingest_row_basic(rec, c->ncols, w->enc, &j, reason, sizeof reason)) {
        w->rejected++;
        if (j >= 0 && (size_t)j < rec->n)
            return srdi_rejects_add(&w->rj, SRDI_FILE_PATENTS, rec->line, pname(w, j), rec->f[j], rec->len[j], reason);
        return srdi_rejects_add(&w->rj, SRDI_FILE_PATENTS, rec->line, "", "", 0, reason);
    }

    /* id */
    pcell(w, rec, c->id, &s, &n);
    if (n == 0) return preject(w, rec, c->id, "id is required");
    long ent = -1;
    if (n == w->last_len && same_bytes(s, w->last_id, n))
        ent = w->last_ent;
    else if (n < sizeof w->last_id) {
        memcpy(w->last_id, s, n);
        w->last_id[n] = 0;
        w->last_len = n;
        ent = next_ent(w->d, w->hint, w->last_id, n);
        w->last_ent = ent;
        if (ent >= 0) w->hint = ent;
    } else { /* a long id: looked up alike, not cached */
        srdi_buf_reset(&w->scratch);
        if (srdi_buf_append(&w->scratch, s, n) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        ent = srdi_dataset_find(w->d, w->scratch.data);
    }
    if (ent < 0) {
        srdi_buf_reset(&w->scratch);
        if (srdi_buf_append(&w->scratch, s, n) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        return preject(w, rec, c->id,
                       srdi_ingest_unknown_id_reason(c->rejected_ids, c->rejected_line, c->ent_fname, w->scratch.data,
                                                     reason, sizeof reason));
    }

    pcell(w, rec, c->patent_no, &s, &n);
    if (n == 0) return preject(w, rec, c->patent_no, "patent_no is required");

    pcell(w, rec, c->kind, &s, &n);
    int kind = match_lit(KIND_LITS, sizeof KIND_LITS / sizeof KIND_LITS[0], s, n);
    if (kind < 0)
        return preject(w, rec, c->kind, "kind must be invention, utility or design (发明/实用新型/外观设计)");

    /* office: empty = missing (the filing counts nowhere as foreign) */
    pcell(w, rec, c->office, &s, &n);
    char office[3] = "";
    if (n > 0) {
        if (n != 2 || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') ||
            !((s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'z'))
            return preject(w, rec, c->office, "office must be a 2-letter office code (CN, WO, US, EP …)");
        office[0] = (char)(s[0] & ~0x20);
        office[1] = (char)(s[1] & ~0x20);
        office[2] = 0;
    }

    int app, pub = 0, grant = 0, r;
    r = year_cell(w, rec, c->app_year, &app);
    if (r == 0) return preject(w, rec, c->app_year, "app_year is required");
    if (r < 0) return bad_year(w, rec, c->app_year);
    r = year_cell(w, rec, c->pub_year, &pub);
    if (r < 0) return bad_year(w, rec, c->pub_year);
    bool has_pub = r == 1;
    if (has_pub && pub < app) {
        snprintf(reason, sizeof reason, "%s (%d) is before %s (%d)", pname(w, c->pub_year), pub, pname(w, c->app_year),
                 app);
        return preject(w, rec, c->pub_year, reason);
    }

    pcell(w, rec, c->status, &s, &n);
    int status = match_lit(STATUS_LITS, sizeof STATUS_LITS / sizeof STATUS_LITS[0], s, n);
    if (status >= 0) {
        /* a status named */
    } else if (n == 0)
        status = ST_NONE; /* missing: neither decided nor checked against grant_year */
    else
        return preject(w, rec, c->status,
                       "status must be granted, pending, rejected or withdrawn (授权/审中/驳回/撤回)");

    r = year_cell(w, rec, c->grant_year, &grant);
    if (r < 0) return bad_year(w, rec, c->grant_year);
    bool has_grant = r == 1;
    if (status == ST_GRANTED && !has_grant)
        return preject(w, rec, c->grant_year >= 0 ? c->grant_year : c->status,
                       "grant_year is required when status is granted");
    if (status != ST_GRANTED && status != ST_NONE && has_grant) {
        snprintf(reason, sizeof reason, "patent with grant_year but status %s", status_keys[status]);
        return preject(w, rec, c->grant_year, reason);
    }

    /* IPC subclass: the first 4 characters after removing spaces (whole UTF-8
       sequences, so a multibyte character is never cut), ASCII upper-cased */
    pcell(w, rec, c->ipc, &s, &n);
    char ipc[32];
    size_t k = 0;
    int chars = 0;
    if (n >= 4 && (unsigned char)s[0] < 0x80 && (unsigned char)s[1] < 0x80 && (unsigned char)s[2] < 0x80 &&
        (unsigned char)s[3] < 0x80 && s[0] != ' ' && s[1] != ' ' && s[2] != ' ' && s[3] != ' ') {
        for (; k < 4; k++)
            ipc[k] = (s[k] >= 'a' && s[k] <= 'z') ? (char)(s[k] - 'a' + 'A') : s[k]; /* four ASCII characters */
        chars = 4;
    }
    for (size_t i = 0; i < n && chars < 4;) {
        unsigned char b = (unsigned char)s[i];
        if (b == ' ') {
            i++;
            continue;
        }
        size_t l = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (i + l > n) l = n - i;
        for (size_t q = 0; q < l; q++) {
            char ch = s[i + q];
            ipc[k++] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
        }
        i += l;
        chars++;
    }
    ipc[k] = 0; /* docs/data.md defines the subclass as these characters: no further check */

    /* accepted */
    w->accepted++;
    if (app > w->max_app) w->max_app = app;
    if (has_grant && grant > w->max_grant) w->max_grant = grant;
    if (has_pub && pub > w->max_pub) w->max_pub = pub;
    if (kind != KIND_INVENTION || w->d->level[ent] != SRDI_LEVEL_NATIONAL) return SRDI_OK;

    uint32_t e = (uint32_t)ent;
    srdi_status st = add_fact(w, e, SRDI_PF_APP, app, UINT32_MAX);
    if (st == SRDI_OK && has_grant) {
        uint32_t key = UINT32_MAX;
        pcell(w, rec, c->field, &s, &n);
        if (n > 0 && (key = intern(w, s, n)) == UINT32_MAX)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        st = add_fact(w, e, SRDI_PF_GRANT, grant, key);
    }
    if (st == SRDI_OK && (status == ST_GRANTED || status == ST_REJECTED))
        st = add_fact(w, e, SRDI_PF_DECIDED, app, status == ST_GRANTED ? 1 : 0);
    if (st == SRDI_OK) {
        uint32_t key = UINT32_MAX;
        if (k > 0 && (key = intern(w, ipc, k)) == UINT32_MAX)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        st = add_fact(w, e, SRDI_PF_IPC, app, key);
    }
    if (st == SRDI_OK && has_pub && office[0] && strcmp(office, "CN") != 0) {
        uint32_t key = intern(w, office, 2);
        if (key == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        st = add_fact(w, e, SRDI_PF_FOREIGN, pub, key);
    }
    return st;
}

/* =============================================== the common row, directly */

size_t srdi_ingest_min_part = MIN_PART;
bool srdi_ingest_patents_split = true;
bool srdi_ingest_patents_direct = true;

/* Field @p j of a split line: [*p, *p + *n) (ends[j] is the end of field j, ends[-1] is SIZE_MAX). */
static inline void fld(const char *s, const size_t *ends, int j, const char **p, size_t *n)
{
    size_t a = ends[j - 1] + 1;
    *p = s + a;
    *n = ends[j] - a;
}

/*
 * Four ASCII digits at @p s that make a year from 1900 to 2100: true with *be
 * the four bytes as a big-endian number, which compares as the years do
 * (the digits compare as text, first to last).
 */
static inline bool year_be(const char *s, uint32_t *be)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t x = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]; /* one load */
    *be = x;
    /* every byte 0x30–0x3F, and stays below 0x40 when 6 is added: 0–9 */
    if ((x & 0xF0F0F0F0u) != 0x30303030u || ((x + 0x06060606u) & 0xF0F0F0F0u) != 0x30303030u) return false;
    return x - 0x31393030u <= 0x32313030u - 0x31393030u; /* "1900" to "2100" */
}

/* The year of year_be's *be. */
static inline int be_year(uint32_t be)
{
    uint32_t d = be - 0x30303030u;
    return (int)((d >> 24) * 1000 + ((d >> 16) & 0xFF) * 100 + ((d >> 8) & 0xFF) * 10 + (d & 0xFF));
}

/* [a, a+n) == [b, b+n) for ids (b has 16 bytes readable from b + n − 16 when 16 ≤ n ≤ 32). */
static inline bool same_id(const char *a, const char *b, size_t n)
{
#if defined(__SSE2__)
    if (n >= 16 && n <= 32) { /* two 16-byte words, overlapping */
        __m128i x = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)a),
                                   _mm_loadu_si128((const __m128i *)(const void *)b));
        __m128i y = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(a + n - 16)),
                                   _mm_loadu_si128((const __m128i *)(const void *)(b + n - 16)));
        return _mm_movemask_epi8(_mm_and_si128(x, y)) == 0xFFFF;
    }
#endif
    return same_bytes(a, b, n);
}

/*
 * The common patents row straight from a split plain line (fast_feed): @p s
 * the line, ends[j] the end of field j (ends[ncols - 1] the line's end), the
 * line's record clean and every column read here but field before its first
 * byte >= 0x80 (so ASCII, nothing to trim).  Takes the row only when its
 * cells are as the national data writes them — the English literals in lower
 * case, four-digit years — and pat_row would accept it; then its facts are
 * pat_row's and true is returned (*st the status).  Any other row (a reject,
 * a Chinese literal, a year written otherwise …) returns false with nothing
 * changed that pat_row's result depends on: pat_row reads it.
 */
static inline bool pat_row_plain(pworker *w, const char *s, const size_t *ends, srdi_status *st)
{
    const srdi_patent_cols *c = w->cols;
    const char *p;
    size_t n;

    fld(s, ends, c->id, &p, &n);
    if (n == 0) return false;
    long ent;
    if (n == w->last_len && same_id(p, w->last_id, n))
        ent = w->last_ent;
    else if (n < sizeof w->last_id) {
        memcpy(w->last_id, p, n);
        w->last_id[n] = 0;
        w->last_len = n;
        ent = next_ent(w->d, w->hint, w->last_id, n);
        w->last_ent = ent;
        if (ent >= 0) w->hint = ent;
    } else
        return false;
    if (ent < 0) return false;

    fld(s, ends, c->patent_no, &p, &n);
    if (n == 0) return false;

    fld(s, ends, c->kind, &p, &n);
    int kind;
    if (n == 9 && same_bytes(p, "invention", 9))
        kind = KIND_INVENTION;
    else if (n == 7 && same_bytes(p, "utility", 7))
        kind = KIND_UTILITY;
    else if (n == 6 && same_bytes(p, "design", 6))
        kind = KIND_DESIGN;
    else
        return false;

    fld(s, ends, c->office, &p, &n);
    char office[2] = {0, 0};
    if (n == 2) {
        char a = (char)(p[0] & ~0x20), b = (char)(p[1] & ~0x20);
        if (!(a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z')) return false;
        office[0] = a;
        office[1] = b;
    } else if (n != 0)
        return false;

    uint32_t app, pub = 0, grant = 0; /* as year_be gives them */
    fld(s, ends, c->app_year, &p, &n);
    if (n != 4 || !year_be(p, &app)) return false;
    fld(s, ends, c->pub_year, &p, &n);
    bool has_pub = n != 0;
    if (has_pub && (n != 4 || !year_be(p, &pub) || pub < app)) return false;

    fld(s, ends, c->status, &p, &n);
    int status;
    if (n == 7 && same_bytes(p, "granted", 7))
        status = ST_GRANTED;
    else if (n == 7 && same_bytes(p, "pending", 7))
        status = ST_PENDING;
    else if (n == 8 && same_bytes(p, "rejected", 8))
        status = ST_REJECTED;
    else if (n == 9 && same_bytes(p, "withdrawn", 9))
        status = ST_WITHDRAWN;
    else if (n == 0)
        status = ST_NONE;
    else
        return false;

    fld(s, ends, c->grant_year, &p, &n);
    bool has_grant = n != 0;
    if (has_grant && (n != 4 || !year_be(p, &grant))) return false;
    if (status == ST_GRANTED ? !has_grant : status != ST_NONE && has_grant) return false;

    /* IPC subclass: ASCII without spaces here, so its first four bytes upper-cased */
    fld(s, ends, c->ipc, &p, &n);
    char ipc[4];
    size_t k = n < 4 ? n : 4;
    if (k == 4) { /* ASCII: a byte from 'a' to 'z' loses 0x20 */
        uint32_t x;
        memcpy(&x, p, 4);
        x -= ((x + 0x1F1F1F1Fu) & ~(x + 0x05050505u) & 0x80808080u) >> 2;
        memcpy(ipc, &x, 4);
    } else /* k < 4 (the bound i < 3 also tells an -O3 build so) */
        for (size_t i = 0; i < k && i < 3; i++) ipc[i] = (p[i] >= 'a' && p[i] <= 'z') ? (char)(p[i] - 'a' + 'A') : p[i];

    /* accepted: as pat_row (the largest years kept as year_be gives them, made years after the part) */
    w->read++;
    w->accepted++;
    if (app > w->max_be[0]) w->max_be[0] = app;
    if (grant > w->max_be[1]) w->max_be[1] = grant; /* 0 when none */
    if (pub > w->max_be[2]) w->max_be[2] = pub;
    *st = SRDI_OK;
    if (kind != KIND_INVENTION || w->d->level[ent] != SRDI_LEVEL_NATIONAL) return true;

    uint32_t e = (uint32_t)ent;
    int app_y = be_year(app);
    srdi_status r = add_fact(w, e, SRDI_PF_APP, app_y, UINT32_MAX);
    if (r == SRDI_OK && has_grant) {
        uint32_t key = UINT32_MAX;
        n = 0;
        if (c->field >= 0) {
            fld(s, ends, c->field, &p, &n);
            srdi_ingest_trim(&p, &n);
        }
        if (n > 0 && (key = intern(w, p, n)) == UINT32_MAX)
            r = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        else
            r = add_fact(w, e, SRDI_PF_GRANT, be_year(grant), key);
    }
    if (r == SRDI_OK && (status == ST_GRANTED || status == ST_REJECTED))
        r = add_fact(w, e, SRDI_PF_DECIDED, app_y, status == ST_GRANTED ? 1 : 0);
    if (r == SRDI_OK) {
        uint32_t key = UINT32_MAX;
        if (k > 0 && (key = intern(w, ipc, k)) == UINT32_MAX)
            r = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        else
            r = add_fact(w, e, SRDI_PF_IPC, app_y, key);
    }
    if (r == SRDI_OK && has_pub && office[0] && !(office[0] == 'C' && office[1] == 'N')) {
        uint32_t key = intern(w, office, 2);
        r = key == UINT32_MAX ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents")
                              : add_fact(w, e, SRDI_PF_FOREIGN, be_year(pub), key);
    }
    *st = r;
    return true;
}

/* ========================================================= line splitter */

/*
 * The patents rows straight from the bytes: while the reader stands between
 * records, each physical line that holds no byte up to '"' (0x22) but the
 * separator — no quote, NUL, CR, space, tab or other control character —
 * ends with a '\n' inside the piece's whole 64-byte blocks and has exactly
 * as many separators as the header is split in place (nothing to trim) and
 * handed to pat_row_plain, or to pat_row as the record the reader would have
 * made (same line, same fields, same UTF-8 verdict).  Anything else — a
 * quoted field, a CRLF, another field count, a line cut by the end of the
 * bytes, a record the reader is still inside — is srdi_split_other's: split
 * byte by byte the reader's way, or fed to the CSV reader itself up to its
 * line end, so every row gets exactly the reader's record.
 *
 * The bytes are classified 4 KiB at a time (64 blocks of 64 bytes, at
 * p0 + 64·k of the piece [p0, e)): per block a bit mask each of the
 * separators, the '\n', the other bytes up to '"' and the bytes >= 0x80,
 * with AVX2 where the CPU has it, else SSE2 (or byte by byte); the lines
 * are then walked on the masks, the separators' offsets taken four at a time.
 */

typedef struct bmask {
    uint64_t sep, nl, special, high;
} bmask;

#define CLS_BLOCKS 64 /* blocks classified at a time */
#ifndef PAT_AHEAD
#define PAT_AHEAD 4096
#endif

int srdi_ingest_patents_simd = 2;

/* The masks of the nb whole blocks at b (the portable way; any byte order). */
static void classify_portable(const char *b, size_t nb, char delim, bmask *m)
{
    for (size_t i = 0; i < nb; i++, b += 64) {
        uint64_t md, mn, ms, mh;
        srdi_pmask_bytes(b, delim, &md, &mn, &ms, &mh);
        m[i] = (bmask){md, mn, ms & ~mn & ~md, mh};
    }
}

#if defined(__SSE2__)
static void classify_sse2(const char *b, size_t nb, char delim, bmask *m)
{
    for (size_t i = 0; i < nb; i++, b += 64) {
        uint64_t md, mn, ms, mh;
        srdi_pmask_sse2(b, delim, &md, &mn, &ms, &mh);
        m[i] = (bmask){md, mn, ms & ~mn & ~md, mh};
    }
}
#endif

#if defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define PAT_AVX2 1
__attribute__((target("avx2"))) static void classify_avx2(const char *b, size_t nb, char delim, bmask *m)
{
    const __m256i vd = _mm256_set1_epi8(delim), vn = _mm256_set1_epi8('\n'), v22 = _mm256_set1_epi8(0x22);
    for (size_t i = 0; i < nb; i++, b += 64) {
#if PAT_AHEAD > 0
        __builtin_prefetch(b + PAT_AHEAD);
#endif
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)b);
        __m256i y = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));
#define PAT_M2(e) ((uint64_t)(uint32_t)_mm256_movemask_epi8(e(x)) | (uint64_t)(uint32_t)_mm256_movemask_epi8(e(y)) << 32)
#define PAT_SEP(v) _mm256_cmpeq_epi8(v, vd)
#define PAT_NL(v) _mm256_cmpeq_epi8(v, vn)
#define PAT_LOW(v) _mm256_cmpeq_epi8(_mm256_min_epu8(v, v22), v)
#define PAT_ID(v) (v)
        uint64_t md = PAT_M2(PAT_SEP), mn = PAT_M2(PAT_NL), ms = PAT_M2(PAT_LOW), mh = PAT_M2(PAT_ID);
#undef PAT_M2
#undef PAT_SEP
#undef PAT_NL
#undef PAT_LOW
#undef PAT_ID
        m[i] = (bmask){md, mn, ms & ~mn & ~md, mh};
    }
}
#endif

/* The lowest set bit's index of x, 63 when x is 0 (the bits are then unused). */
static inline unsigned low_bit(uint64_t x)
{
    return (unsigned)__builtin_ctzll(x | (uint64_t)1 << 63);
}

/* bo + the lowest set bit of x, kept in a general register (so the compiler does not make the
   separator offsets a vector sum: slower, a chain through the vector unit) */
static inline size_t bit_at(size_t bo, uint64_t x)
{
    size_t v = bo + low_bit(x);
#if defined(__GNUC__) || defined(__clang__)
    __asm__("" : "+r"(v));
#endif
    return v;
}

/*
 * Feed [s, s+n) of the worker's part: split lines go to pat_row_plain /
 * pat_row directly, the rest through srdi_split_other (see above).
 * @p classify is the block classifier, @p cnt the bit count (inlined into
 * a copy per instruction set).
 */
static inline __attribute__((always_inline)) srdi_status
feed_lines(pworker *w, const char *s, size_t n, void (*classify)(const char *, size_t, char, bmask *))
{
    srdi_csv_reader *r = &w->r;
    const char *e = s + n;
    const size_t nc = w->cols->ncols;
    const char delim = w->cols->delim;
    bool between = srdi_csv_reader_between(r);
    srdi_status st;
    const char *p0 = s;
    const size_t nblocks = n / 64; /* whole blocks of the piece */
    /* pat_row_plain reads the columns up to fmax (all present), and field */
    const srdi_patent_cols *c = w->cols;
    const int pc[] = {c->id, c->patent_no, c->kind, c->office, c->app_year, c->pub_year, c->status, c->grant_year, c->ipc};
    int fmax = 0;
    bool direct = srdi_ingest_patents_direct;
    for (size_t i = 0; i < sizeof pc / sizeof pc[0]; i++) {
        if (pc[i] < 0) direct = false;
        if (pc[i] > fmax) fmax = pc[i];
    }
    bmask masks[CLS_BLOCKS];
    size_t cls_lo = 0, cls_hi = 0; /* masks[i] is block cls_lo + i, for blocks [cls_lo, cls_hi) */
    /* ends[-1]: the field before the first ends there; room for SRDI_SPLIT_COLS + 64 ends and 8 more written past */
    size_t endb[SRDI_SPLIT_COLS + 64 + 9], *ends = endb + 1;
    endb[0] = SIZE_MAX;
    while (s < e) {
        size_t off = (size_t)(s - p0), k = 0, high = SIZE_MAX, last = SIZE_MAX, eol = 0;
        bool plain = false;
        if (between) {
            size_t bi = off >> 6;
            uint64_t from = ~(uint64_t)0 << (off & 63); /* bits at or after the line's start */
            for (; bi < nblocks; bi++, from = ~(uint64_t)0) {
                if (bi >= cls_hi) {
                    cls_lo = bi;
                    cls_hi = bi + (nblocks - bi < CLS_BLOCKS ? nblocks - bi : CLS_BLOCKS);
                    classify(p0 + 64 * bi, cls_hi - cls_lo, delim, masks);
                }
                const bmask *m = &masks[bi - cls_lo];
                size_t bo = 64 * bi - off; /* the block's offset from the line's start, mod 2^N (below 0 for the first) */
                uint64_t mn = m->nl & from;
                uint64_t live = (mn ? (mn & (0 - mn)) - 1 : ~(uint64_t)0) & from; /* the line's bytes in this block */
                if (m->special & live) break;
                uint64_t mh = m->high & live;
                if (mh) {
                    if (high == SIZE_MAX) high = bo + low_bit(mh);
                    last = bo + 63 - (unsigned)__builtin_clzll(mh);
                }
                uint64_t md = m->sep & live;
                if (md) { /* the separators' offsets, four at a time (the ones past the count are not read) */
                    unsigned cnt = (unsigned)__builtin_popcountll(md);
                    size_t *o = ends + k;
                    o[0] = bit_at(bo, md);
                    md &= md - 1;
                    o[1] = bit_at(bo, md);
                    md &= md - 1;
                    o[2] = bit_at(bo, md);
                    md &= md - 1;
                    o[3] = bit_at(bo, md);
                    md &= md - 1;
                    if (cnt > 4) {
                        o[4] = bit_at(bo, md);
                        md &= md - 1;
                        o[5] = bit_at(bo, md);
                        md &= md - 1;
                        o[6] = bit_at(bo, md);
                        md &= md - 1;
                        o[7] = bit_at(bo, md);
                        md &= md - 1;
                        for (size_t q = 8; md; q++, md &= md - 1) o[q] = bit_at(bo, md);
                    }
                    k += cnt;
                    if (k > SRDI_SPLIT_COLS) break;
                }
                if (mn) {
                    eol = bo + low_bit(mn);
                    plain = k + 1 == nc;
                    break;
                }
            }
        }
        if (plain) {
            ends[k] = eol;
            if (nc > 1 || eol > 0) {
                bool clean = true;
                if (high != SIZE_MAX) { /* rows repeat their text cells: the last valid text is remembered */
                    size_t hn = last + 1 - high; /* ASCII after it */
                    if (!(hn == w->vlen && same_bytes(s + high, w->vtext, hn))) {
                        clean = srdi_utf8_valid(s + high, hn);
                        if (clean && hn <= sizeof w->vtext) {
                            memcpy(w->vtext, s + high, hn);
                            w->vlen = hn;
                        }
                    }
                }
                if (!(clean && direct && (high == SIZE_MAX || ends[fmax] < high) && pat_row_plain(w, s, ends, &st))) {
                    const char *f[SRDI_SPLIT_COLS];
                    size_t len[SRDI_SPLIT_COLS], a = 0;
                    for (size_t j = 0; j < nc; j++) {
                        f[j] = s + a;
                        len[j] = ends[j] - a;
                        a = ends[j] + 1;
                    }
                    srdi_csv_record rec = {r->line, nc, f, len, SRDI_CSV_REC_OK, clean};
                    /* the cells before the first byte >= 0x80 hold no space, tab or CR: nothing to trim */
                    size_t plain_cells = nc;
                    if (high != SIZE_MAX)
                        for (plain_cells = 0; plain_cells < k && ends[plain_cells] < high;) plain_cells++;
                    w->plain = plain_cells;
                    st = pat_row(w, &rec);
                    w->plain = 0;
                }
                if (st != SRDI_OK) return st;
            } /* else a blank line: no record */
            r->line++;
            s += eol + 1;
            continue;
        }
        if ((st = srdi_split_other(r, &s, e, nc, delim, ends, &between, pat_row, w)) != SRDI_OK) return st;
    }
    return SRDI_OK;
}

static srdi_status feed_portable(pworker *w, const char *s, size_t n)
{
    return feed_lines(w, s, n, classify_portable);
}

#if defined(__SSE2__)
static srdi_status feed_sse2(pworker *w, const char *s, size_t n)
{
    return feed_lines(w, s, n, classify_sse2);
}
#endif

#if defined(PAT_AVX2)
/* the line walk with BMI and POPCNT too (every CPU with AVX2 has them) */
__attribute__((target("avx2,bmi,popcnt"))) static srdi_status feed_avx2(pworker *w, const char *s, size_t n)
{
    return feed_lines(w, s, n, classify_avx2);
}
#endif

/*
 * Feed [s, s+n) of the worker's part: with the line splitter (above), on
 * the widest instructions srdi_ingest_patents_simd allows and the CPU has;
 * every line through the CSV reader when the splitter is off.
 */
static srdi_status fast_feed(pworker *w, const char *s, size_t n)
{
    const size_t nc = w->cols->ncols;
    if (nc == 0 || nc > SRDI_SPLIT_COLS || !srdi_ingest_patents_split) return srdi_csv_reader_feed(&w->r, s, n);
#if defined(PAT_AVX2)
    if (srdi_ingest_patents_simd >= 2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
        __builtin_cpu_supports("popcnt"))
        return feed_avx2(w, s, n);
#endif
#if defined(__SSE2__)
    if (srdi_ingest_patents_simd >= 1) return feed_sse2(w, s, n);
#endif
    return feed_portable(w, s, n);
}

/* ================================================================ workers */

size_t srdi_ingest_read_piece = SRDI_PATCACHE_BLOCK;

/*
 * Hash the content blocks of w's range that start below file offset @p upto;
 * *b is the next block.  A block that the bytes [in, in + in_n) read from
 * file offset @p in_at hold whole is hashed from them, any other from the
 * mapping.
 */
static void hash_blocks(const pworker *w, size_t *b, size_t upto, const char *in, size_t in_at, size_t in_n)
{
    const srdi_patent_cols *c = w->cols;
    const size_t B = SRDI_PATCACHE_BLOCK;
    if (upto > w->hash_hi) upto = w->hash_hi;
    for (; *b * B < upto; (*b)++) {
        size_t at = *b * B, k = c->file_size - at < B ? c->file_size - at : B;
        const char *src = in && at >= in_at && at + k <= in_at + in_n ? in + (at - in_at) : c->file + at;
        c->blocks[*b] = srdi_patcache_block_hash(src, k);
    }
}

bool srdi_ingest_pread_all(int fd, void *dst, size_t n, uint64_t at)
{
    char *buf = dst;
    while (n > 0) {
        ssize_t k = pread(fd, buf, n, (off_t)at);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO; /* shorter than when it was mapped */
            return false;
        }
        buf += k;
        n -= (size_t)k;
        at += (size_t)k;
    }
    return true;
}

/*
 * feed_part for a part of a file open as cols->read_fd: its bytes are read
 * into the thread's buffer a piece at a time, the pieces at file offsets
 * that are multiples of srdi_ingest_read_piece (each content block, when
 * hashed, is read whole: the bytes of the piece before the part and, in
 * the part's last piece, after it are read for the hash only).  The parsed
 * bytes are the part's, cut where the pieces are (the line splitter takes
 * a line across a cut the reader's way): the result is the mapping's.
 */
static srdi_status feed_part_read(pworker *w, size_t *b)
{
    const srdi_patent_cols *c = w->cols;
    const size_t P = srdi_ingest_read_piece;
    const size_t lo = (size_t)(w->p - c->read_base), hi = lo + w->n;
    srdi_status st = SRDI_OK;
    for (size_t x = lo - lo % P; x < hi && st == SRDI_OK; x += P) {
        size_t from = x > lo ? x : lo, to = hi - x > P ? x + P : hi;
        size_t r0 = c->blocks ? x : from, r1 = c->blocks ? (c->file_size - x > P ? x + P : c->file_size) : to;
        if (!srdi_ingest_pread_all(c->read_fd, w->buf, r1 - r0, r0))
            return srdi_error_set(SRDI_ERR_IO, "patents.csv: cannot read: %s", strerror(errno));
        if (c->blocks) hash_blocks(w, b, to == hi ? w->hash_hi : to, w->buf, r0, r1 - r0);
        st = fast_feed(w, w->buf + (from - r0), to - from);
    }
    return st;
}

/*
 * Feed the worker's part to its reader, a piece at a time: each piece's
 * content blocks are hashed (when asked) just before it is parsed, and its
 * pages are given back after (when the part is a file mapping).
 */
static srdi_status feed_part(pworker *w)
{
    const srdi_patent_cols *c = w->cols;
    size_t b = (w->hash_lo + SRDI_PATCACHE_BLOCK - 1) / SRDI_PATCACHE_BLOCK;
    if (w->enc == SRDI_ENC_GB18030) { /* converted as one stream: hashed first */
        if (c->blocks) hash_blocks(w, &b, w->hash_hi, NULL, 0, 0);
        return srdi_csv_feed_encoded(&w->r, w->p, w->n, w->enc, c->release_pages);
    }
    if (w->n == 0) {
        if (c->blocks) hash_blocks(w, &b, w->hash_hi, NULL, 0, 0);
        return SRDI_OK;
    }
    if (w->buf) return feed_part_read(w, &b);
    srdi_status st = SRDI_OK;
    for (size_t at = 0; at < w->n && st == SRDI_OK; at += FEED_PIECE) {
        size_t k = w->n - at < FEED_PIECE ? w->n - at : FEED_PIECE;
        if (c->blocks) hash_blocks(w, &b, at + k == w->n ? w->hash_hi : (size_t)(w->p + at + k - c->file), NULL, 0, 0);
        st = fast_feed(w, w->p + at, k);
        if (c->release_pages) srdi_csv_release_pages(w->p + at, w->p + at + k); /* this piece's pages */
    }
    return st;
}

/*
 * Phase 2 thread body: parse this worker's part from its start as if a
 * record began there, counting its facts.  The reader is kept open: the
 * part may end inside a record (then it is continued in phase 3).  A
 * failure is kept in w->st with its message in w->err (error text is per
 * thread).
 */
static void *worker_main(void *arg)
{
    pworker *w = arg;
    w->st = srdi_csv_reader_init_delim(&w->r, pat_row, w, w->first_line, w->cols->delim);
    if (w->st == SRDI_OK) {
        w->reader_on = true;
        w->st = feed_part(w);
    }
    /* the part's facts sealed here, on its thread (a continuation in phase 3 adds to them) */
    if (w->st == SRDI_OK) w->st = srdi_pfacc_seal(&w->acc);
    int *max[3] = {&w->max_app, &w->max_grant, &w->max_pub}; /* with pat_row_plain's largest years */
    for (int i = 0; i < 3; i++)
        if (w->max_be[i] && be_year(w->max_be[i]) > *max[i]) *max[i] = be_year(w->max_be[i]);
    if (w->st != SRDI_OK) srdi_strlcpy(w->err, srdi_error_message(), sizeof w->err);
    return NULL;
}

/* The parts of the body and who parses which: a thread takes the next part not taken yet. */
typedef struct crew {
    pworker *w;
    int parts;
    atomic_int next;
} crew;

static void *crew_main(void *arg)
{
    crew *c = arg;
    const srdi_patent_cols *cols = c->w[0].cols;
    char *buf = NULL; /* a file's parts are read into it (feed_part_read); none to be had: read in the mapping */
    if (cols->read_base && c->w[0].enc != SRDI_ENC_GB18030 && srdi_ingest_read_piece > 0)
        buf = malloc(srdi_ingest_read_piece + 64);
    srdi_pfpk *log = NULL; /* the fact log, passed from part to part (its pages touched once a thread) */
    size_t cap = 0;
    for (int k; (k = atomic_fetch_add(&c->next, 1)) < c->parts;) {
        srdi_pfacc *a = &c->w[k].acc;
        c->w[k].buf = buf;
        a->log = log;
        a->cap_log = cap;
        worker_main(&c->w[k]);
        c->w[k].buf = NULL;
        if (a->n_log == 0) { /* sealed: the log is empty, taken back */
            log = a->log;
            cap = a->cap_log;
            a->log = NULL;
            a->cap_log = 0;
        } else { /* a failed part keeps it (freed with the part) */
            log = NULL;
            cap = 0;
        }
    }
    free(log);
    free(buf);
    return NULL;
}

/*
 * Parse the parts w[0..parts) on @p threads threads (the calling thread is
 * one), each taking the next part in file order when it is done with one:
 * with several parts a thread, both cores stay busy to the end whatever
 * the parts cost.
 */
static srdi_status run_parts(pworker *w, int parts, int threads)
{
    pthread_t tid[MAX_PARTS];
    bool started[MAX_PARTS] = {false};
    srdi_status st = SRDI_OK;
    crew c = {w, parts, 0};
    if (threads > parts) threads = parts;
    for (int k = 1; k < threads; k++) {
        if (pthread_create(&tid[k], NULL, crew_main, &c) != 0) {
            st = srdi_error_set(SRDI_ERR_INTERNAL, "cannot start a patents.csv thread");
            break;
        }
        started[k] = true;
    }
    if (st == SRDI_OK)
        crew_main(&c);
    else
        atomic_store(&c.next, parts); /* no more parts taken: the threads started are joined, then it fails */
    for (int k = 1; k < threads; k++)
        if (started[k]) pthread_join(tid[k], NULL);
    return st;
}

/* Offset just after the first line end at or after @p from (a CRLF kept whole), or n. */
static size_t next_line(const char *p, size_t n, size_t from)
{
    for (size_t i = from; i < n; i++)
        if (p[i] == '\n' || p[i] == '\r') return i + 1 + (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n');
    return n;
}

/*
 * Cut [0, n) into at most @p want parts at line ends: cuts[0] = 0,
 * cuts[k] = start of part k, cuts[parts] = n.  A cut inside a quoted field
 * is found and mended by phase 3.  Returns parts.
 */
static int split_body(const char *p, size_t n, int want, size_t *cuts)
{
    int parts = 1;
    cuts[0] = 0;
    for (int k = 1; k < want; k++) {
        size_t from = n / (size_t)want * (size_t)k;
        if (from < cuts[parts - 1]) from = cuts[parts - 1];
        size_t cut = next_line(p, n, from);
        if (cut >= n) break;
        if (cut > cuts[parts - 1]) cuts[parts++] = cut;
    }
    cuts[parts] = n;
    return parts;
}

/*
 * The key ids of a worker's pool wp->keys interned into gp->keys in local id
 * order (so ids stay in first-seen file order): *map[local id] = gp's id.
 */
static srdi_status key_map(srdi_patents *gp, const srdi_patents *wp, uint32_t **out)
{
    uint32_t nk = srdi_strpool_count(wp->keys);
    uint32_t *map = malloc((nk ? nk : 1) * sizeof *map);
    if (!map) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory merging patents");
    for (uint32_t i = 0; i < nk; i++)
        if ((map[i] = srdi_strpool_intern(gp->keys, srdi_strpool_get(wp->keys, i))) == UINT32_MAX) {
            free(map);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory merging patents");
        }
    *out = map;
    return SRDI_OK;
}

/*
 * Merge a worker's finished facts (sorted, keys in its local pool) into gp:
 * its keys are interned into gp->keys in local id order (so ids stay in
 * first-seen file order), the facts re-keyed, re-sorted only when an id
 * changed, and merged with gp->facts (counts of equal facts added).  gp's
 * facts stay sorted and unique, as srdi_patents_finish leaves them.
 */
static srdi_status merge_facts(srdi_patents *gp, srdi_patents *wp)
{
    uint32_t nk = srdi_strpool_count(wp->keys);
    uint32_t *map = malloc((nk ? nk : 1) * sizeof *map);
    if (!map) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory merging patents");
    bool identity = true;
    for (uint32_t i = 0; i < nk; i++) {
        map[i] = srdi_strpool_intern(gp->keys, srdi_strpool_get(wp->keys, i));
        if (map[i] == UINT32_MAX) {
            free(map);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory merging patents");
        }
        if (map[i] != i) identity = false;
    }
    srdi_pfact *wf = wp->facts;
    size_t wn = wp->n_facts;
    if (!identity) {
        for (size_t i = 0; i < wn; i++)
            if (wf[i].kind != SRDI_PF_DECIDED && wf[i].key != UINT32_MAX) wf[i].key = map[wf[i].key];
        srdi_status st = srdi_pfacts_resort(&wp->facts, &wn); /* re-keyed facts stay unique: wn is unchanged */
        wf = wp->facts;
        if (st != SRDI_OK) {
            free(map);
            return st;
        }
    }
    free(map);
    if (gp->n_facts == 0) { /* take the worker's array as it is */
        free(gp->facts);
        gp->facts = wf;
        gp->n_facts = wn;
        wp->facts = NULL;
        wp->n_facts = 0;
        return SRDI_OK;
    }
    /* in place, from the back: gp's array grows to hold both, the largest fact
       is written last-first (equal facts added up), so memory is the two lists */
    size_t gn = gp->n_facts;
    srdi_pfact *g = realloc(gp->facts, (gn + wn) * sizeof *g);
    if (!g) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory merging patents");
    gp->facts = g;
    size_t i = gn, j = wn, o = gn + wn;
    while (j > 0) {
        int c = i == 0 ? -1 : srdi_pfact_cmp(&g[i - 1], &wf[j - 1]);
        if (c > 0)
            g[--o] = g[--i];
        else if (c < 0)
            g[--o] = wf[--j];
        else {
            srdi_pfact f = g[--i];
            f.count += wf[--j].count;
            g[--o] = f;
        }
    }
    /* g[0, i) are the smallest, in place when no facts were added up; close the gap */
    size_t gap = o - i, n = gn + wn - gap;
    if (gap) memmove(g + i, g + o, (gn + wn - o) * sizeof *g);
    gp->n_facts = n;
    return SRDI_OK;
}

srdi_status srdi_ingest_patents_body(srdi_dataset *d, const srdi_patent_cols *cols, const char *body, size_t n,
                                     long first_line, srdi_encoding enc, int threads, srdi_rejects *rj, long long *read,
                                     long long *accepted, long long *rejected)
{
    srdi_status st = SRDI_OK;
    srdi_pfacc *heads[MAX_PARTS];       /* the accumulators of the chain heads, in file order */
    uint32_t *maps[MAX_PARTS] = {NULL}; /* each one's key ids → gp->keys */
    int nheads = 0;
    if (threads <= 0) {
        threads = srdi_cpu_count();
    }
    /* a thread's read buffer, accumulator and share of the merge: ~5 MB measured at 4x the national data,
       counted as 12 since the merge's peak comes after the threads are chosen (at 16 threads 4x peaked at
       ~198 MiB with 10); on many cores as many as the memory budget leaves room for (util.h) */
    threads = srdi_threads_in_budget(threads, PAT_THREAD_BYTES);
    if (threads > MAX_PARTS) threads = MAX_PARTS;
    size_t min_part = srdi_ingest_min_part ? srdi_ingest_min_part : 1;
    if ((size_t)threads > n / min_part) threads = (int)(n / min_part);
    if (threads < 1) threads = 1;

    size_t cuts[MAX_PARTS + 1] = {0, n};
    /* PARTS_PER_THREAD parts a thread, and parts of at most MAX_PART bytes (as min_part
       allows), taken in turn (run_parts) */
    size_t want = (size_t)threads * PARTS_PER_THREAD;
    if (threads > 1 || n > MAX_PART) {
        if (want < n / MAX_PART + 1) want = n / MAX_PART + 1;
    } else
        want = 1;
    if (want > MAX_PARTS) want = MAX_PARTS;
    if (want > n / min_part) want = n / min_part;
    int parts = want > 1 ? split_body(body, n, (int)want, cuts) : 1;
    /*
     * The cuts were found in the mapping, and a page cache of large folios
     * (a file just written) maps a whole folio, up to 2 MiB, for the byte
     * read at each cut: ~55 MB for the 47 cuts of a freshly generated 3 GB
     * patents.csv (4x the national data) stayed in the process through
     * the parse (peak 253 MB; 197 MB for the same bytes generated earlier).
     * The parts are read with pread: the mapping's pages go now.
     */
    if (cols->read_base && cols->release_pages && parts > 1) srdi_csv_release_pages(body, body + n);
    pworker *w = calloc((size_t)parts, sizeof *w);
    if (!w) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    /* the sealed facts of every part (pfacts.c): room for 1/8 of the body's bytes, an array past it a mapping
       of its own (the national data's facts are ~1/37 of its bytes) */
    srdi_pfarena arena;
    srdi_pfarena_init(&arena, parts > 1 ? n / 8 : 0);
    for (int k = 0; k < parts; k++) {
        memset(&w[k], 0, sizeof w[k]);
        w[k].d = d;
        w[k].cols = cols;
        w[k].enc = enc;
        w[k].p = body + cuts[k];
        w[k].n = cuts[k + 1] - cuts[k];
        w[k].first_line = k == 0 ? first_line : 1;
        if (cols->blocks) { /* part 0 hashes from the file's start, the last to its end */
            w[k].hash_lo = k == 0 ? 0 : (size_t)(body + cuts[k] - cols->file);
            w[k].hash_hi = k == parts - 1 ? cols->file_size : (size_t)(body + cuts[k + 1] - cols->file);
        }
        w[k].last_len = (size_t)-1;
        w[k].hint = -1;
        w[k].acc.arena = &arena;
        w[k].facts.keys = srdi_strpool_new();
        if (!w[k].facts.keys) {
            st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
            goto cleanup;
        }
    }
    if ((st = run_parts(w, parts, threads)) != SRDI_OK) goto cleanup;

    /*
     * Phase 3: the chain of valid parts.  Part 0 starts at a record; a
     * part's reader that ends inside a record (its cut was not a record
     * boundary after all) goes on through the following parts, whose own
     * speculative results are dropped, until it stands between records.
     * The part after that starts at a true record boundary.
     */
    long base = 0; /* absolute line of a part's relative line 1, minus 1 */
    srdi_patents *gp = &d->patents;
    for (int k = 0; k < parts;) {
        pworker *v = &w[k];
        if (v->st != SRDI_OK) {
            st = srdi_error_set(v->st, "%s", v->err);
            goto cleanup;
        }
        int j = k;
        while (j + 1 < parts && !srdi_csv_reader_between(&v->r)) {
            j++;
            if ((st = srdi_csv_feed_encoded(&v->r, w[j].p, w[j].n, enc, cols->release_pages)) != SRDI_OK) goto cleanup;
        }
        if (j == parts - 1 && (st = srdi_csv_reader_finish(&v->r)) != SRDI_OK) goto cleanup;
        long end_line = v->r.line;
        long off = k == 0 ? 0 : base;
        if ((st = srdi_rejects_move(rj, &v->rj, off)) != SRDI_OK) goto cleanup;
        base = end_line + off - 1;
        *read += v->read;
        *accepted += v->accepted;
        *rejected += v->rejected;
        if (v->max_app > gp->max_app_year) gp->max_app_year = v->max_app;
        if (v->max_grant > gp->max_grant_year) gp->max_grant_year = v->max_grant;
        if (v->max_pub > gp->max_pub_year) gp->max_pub_year = v->max_pub;
        if ((st = key_map(gp, &v->facts, &maps[nheads])) != SRDI_OK) goto cleanup;
        heads[nheads++] = &v->acc;
        k = j + 1;
    }
    /* every row is read: the id index goes before the facts are collected (srdi_ingest seals the dataset
       anyway; 16 MiB of the peak at 4x the national data) */
    srdi_dataset_seal(d);
    st = srdi_pfacc_collect_mt(heads, (const uint32_t *const *)maps, nheads, gp, threads); /* sorted and merged at once */

cleanup:
    for (int k = 0; k < nheads; k++) free(maps[k]);
    for (int k = 0; k < parts; k++) {
        if (w[k].reader_on) srdi_csv_reader_free(&w[k].r);
        srdi_pfacc_free(&w[k].acc); /* an accumulator left by a failure */
        free(w[k].facts.facts);
        srdi_strpool_free(w[k].facts.keys);
        srdi_rejects_free(&w[k].rj);
        srdi_buf_free(&w[k].scratch);
    }
    free(w);
    srdi_pfarena_free(&arena); /* every accumulator is empty: collected, or freed just above */
    return st;
}

/* ======================================================= one-by-one rows */

struct srdi_patents_seq {
    pworker w;
    srdi_dataset *d;
};

srdi_status srdi_patents_seq_begin(srdi_dataset *d, const srdi_patent_cols *cols, srdi_encoding enc,
                                   srdi_patents_seq **out)
{
    srdi_patents_seq *s = calloc(1, sizeof *s);
    if (!s) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    s->w.d = d;
    s->d = d;
    s->w.cols = cols;
    s->w.enc = enc;
    s->w.last_len = (size_t)-1;
    s->w.hint = -1;
    if (!(s->w.facts.keys = srdi_strpool_new())) {
        free(s);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    }
    *out = s;
    return SRDI_OK;
}

srdi_status srdi_patents_seq_row(srdi_patents_seq *s, const srdi_csv_record *rec)
{
    return pat_row(&s->w, rec);
}

srdi_status srdi_patents_seq_end(srdi_patents_seq *s, srdi_rejects *rj, long long *read, long long *accepted,
                                 long long *rejected)
{
    if (!s) return SRDI_OK;
    pworker *v = &s->w;
    srdi_patents *gp = &s->d->patents;
    srdi_status st = srdi_pfacc_finish(&v->acc, &v->facts);
    if (st == SRDI_OK && rj) st = srdi_rejects_move(rj, &v->rj, 0);
    if (st == SRDI_OK && rj) {
        *read += v->read;
        *accepted += v->accepted;
        *rejected += v->rejected;
        if (v->max_app > gp->max_app_year) gp->max_app_year = v->max_app;
        if (v->max_grant > gp->max_grant_year) gp->max_grant_year = v->max_grant;
        if (v->max_pub > gp->max_pub_year) gp->max_pub_year = v->max_pub;
        st = merge_facts(gp, &v->facts);
    }
    srdi_pfacc_free(&v->acc);
    free(v->facts.facts);
    srdi_strpool_free(v->facts.keys);
    srdi_rejects_free(&v->rj);
    srdi_buf_free(&v->scratch);
    free(s);
    return st;
}
