/*
 * src/ingest/ingest_ent.c — the body of enterprises.csv on several threads.
 *
 * Every check of a row but one needs nothing but the row (srdi_ent_parse);
 * the duplicate-id check and adding the row need the rows before it
 * (srdi_ent_commit).  So the body is cut at line ends into parts of about
 * srdi_ingest_ent_part bytes — the file's pieces (srdi_ent_next_cut), whose
 * hashes are its content hash, so that a cold build reads the file once —
 * taken a window of `threads` parts at a time: the parts of
 * a window are parsed by one thread each into a compact list of verdicts
 * (strings in the part's own arena), while the calling thread commits the
 * window before it, part by part, in file order.  Memory stays two
 * windows' worth whatever the file's size.
 *
 * Correct for any CSV, as the patents reader (patents.c): a cut is a guess
 * (it may fall inside a quoted field that holds a line break); a part whose
 * reader ends inside a record is continued through the following parts'
 * bytes at commit time, and their own speculative verdicts are dropped.  Line
 * numbers of parts after the first are relative until committed.  The
 * result — dataset rows, rejects, rejected ids, counts — is the streamed
 * one's, row for row.
 */
#include "ingest_file.h"
#include "linesplit.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENT_MAX_T 16 /* threads of one window */
#define ENT_HUGE_T 4 /* at most this many threads: a part's buffers on a 2 MiB page (part_room) */

size_t srdi_ingest_ent_part = SRDI_INGEST_ENT_PART; /* bytes per part; a part is at least an eighth of it */

_Static_assert(SRDI_F_COUNT <= 64, "present fields fit a 64-bit mask");

/*
 * One parsed row.  A string is where the row's bytes lie (the body, mapped
 * until the reader is done, or the part's copy of them in its buffer, kept
 * until the part is committed) or the reference holds it (a city's name),
 * else (NULL) at an offset into the part's arena.
 */
typedef struct ent_item {
    long line;
    const char *id, *name, *city;
    size_t id_o, name_o, city_o, value, reason, note;
    size_t id_n, name_n, city_n, value_n, note_n;
    uint64_t id_hash;
    const char *col;
    int prov, city_ref;
    uint8_t verdict, level, te;
    char code4[5];
} ent_item;

/*
 * The numeric cells of a part's accepted rows, by field, as
 * srdi_dataset_set_cells takes them: cell j of field f in k[f][j], its value
 * in v[f][j] too once a cell of f needs 8 bytes (bit f of wmask); kmax1[f]
 * the largest k + 1 of a present narrow cell (0: none).
 */
typedef struct ent_cells {
    uint32_t *k[SRDI_F_COUNT];
    double *v[SRDI_F_COUNT];
    uint32_t kmax1[SRDI_F_COUNT];
    uint64_t wmask;
    size_t n, cap; /* cells per field, room */
    uint32_t *rows; /* commit: the row of each cell (UINT32_MAX: a duplicate) */
    char *slab; /* the block of the part's items, every k[f] and rows (part_room) */
} ent_cells;

typedef struct ent_part {
    const file_ctx *c; /* read only while threads run */
    const char *p;     /* the part's bytes */
    size_t n;
    const char *lo, *hi; /* the whole body: strings in it are not copied */
    char *buf;           /* NULL, or room for the part's bytes read from the file (a slice of the body's block) */
    const char *src;     /* the bytes parsed: p, or buf once read into it (strings in them are not copied either) */
    long first_line;
    srdi_csv_reader r;
    bool reader_on, skipped;
    bool small_pages; /* its buffers on small pages: many parts in flight (part_room) */
    size_t room;      /* the rows its buffers are made for at first (part_main) */
    ent_scratch *sc; /* handed on with the buffers (54 KB: moved, not copied) */
    ent_item *v;
    size_t nv, cap; /* items, room for items (and cells) */
    srdi_buf text; /* the items' strings that are not in the body */
    ent_cells cells;
    long long read;
    uint64_t hash; /* srdi_patcache_block_hash of the part's bytes (the cache's parts table) */
    size_t pre;    /* the bytes of the file just before the part read and hashed with it (the first piece's header) */
    bool piece;    /* the part is a piece of the file (srdi_ent_next_cut): piece_hash wanted */
    uint64_t piece_hash; /* srdi_patcache_block_hash of the piece: the part's bytes and the pre bytes before them */
    srdi_status st;
    char err[512];
} ent_part;

/* Copy [s, s+n) and a NUL into the arena; its offset in *at. */
static srdi_status put_str(ent_part *w, const char *s, size_t n, size_t *at)
{
    *at = w->text.len;
    srdi_status st = srdi_buf_append(&w->text, s, n);
    if (st == SRDI_OK) st = srdi_buf_append(&w->text, "", 1);
    return st;
}

/* Keep [s, s+n): *p = s when it lies in the body or the part's read bytes, else NULL and a copy in the arena at *at. */
static srdi_status keep_str(ent_part *w, const char *s, size_t n, const char **p, size_t *at)
{
    if ((s >= w->lo && s <= w->hi && n <= (size_t)(w->hi - s)) ||
        (s >= w->src && s <= w->src + w->n && n <= (size_t)(w->src + w->n - s))) {
        *p = s;
        return SRDI_OK;
    }
    *p = NULL;
    return put_str(w, s, n, at);
}

static void cells_free(ent_cells *e)
{
    for (int f = 0; f < SRDI_F_COUNT; f++) free(e->v[f]);
    free(e->slab);
    memset(e, 0, sizeof *e);
}

/*
 * Room for @p need rows in @p w: its items and its cells (every field's and
 * the rows') in one block, on a 2 MiB page when large (srdi_malloc_huge): a
 * part's buffers are fresh memory, dear on this kind of machine whichever
 * the page (a small page's first touch ~11 us; a large one's zeroed whole),
 * so they are taken at once and in as few pages as they fill.  Not when many
 * parts are in flight (w->small_pages): a 2 MiB page a part is in memory
 * whole though a part fills about half of it, and at 16 threads the 32 parts'
 * pages were the read's peak (4x the national data: 261 MiB, against 188 on
 * small pages).
 */
static srdi_status part_room(ent_part *w, size_t need)
{
    ent_cells *e = &w->cells;
    if (need <= w->cap) return SRDI_OK;
    size_t nc = w->cap ? 2 * w->cap : need;
    if (nc < need) nc = need;
    const size_t per = sizeof(ent_item) + (SRDI_F_COUNT + 1) * sizeof(uint32_t);
    char *slab = nc > SIZE_MAX / per ? NULL : w->small_pages ? malloc(nc * per) : srdi_malloc_huge(nc * per);
    if (!slab) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
    for (int f = 0; f < SRDI_F_COUNT; f++)
        if (e->v[f]) { /* (grown first: a failure leaves w as it was, its doubles with more room) */
            double *v = realloc(e->v[f], nc * sizeof *v);
            if (!v) {
                free(slab);
                return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
            }
            e->v[f] = v;
        }
    ent_item *items = (ent_item *)(void *)slab;
    uint32_t *cells = (uint32_t *)(void *)(slab + nc * sizeof(ent_item)); /* field f's at f·nc, the rows last */
    if (w->nv) memcpy(items, w->v, w->nv * sizeof *items);
    for (int f = 0; f <= SRDI_F_COUNT; f++) {
        uint32_t **a = f < SRDI_F_COUNT ? &e->k[f] : &e->rows;
        if (e->n) memcpy(cells + (size_t)f * nc, *a, e->n * sizeof **a);
        *a = cells + (size_t)f * nc;
    }
    free(e->slab);
    e->slab = slab;
    w->v = items;
    w->cap = e->cap = nc;
    return SRDI_OK;
}

/* kmax1[f] = max(kmax1[f], k[f] + 1) for every field (a missing cell, UINT32_MAX, adds 0): apart from the
   cells' stores, which the compiler must otherwise assume may change kmax1, so that it is one vector loop */
static inline void kmax1_add(uint32_t *restrict kmax1, const uint32_t *restrict k)
{
    for (int f = 0; f < SRDI_F_COUNT; f++) {
        uint32_t k1 = k[f] + 1;
        kmax1[f] = k1 > kmax1[f] ? k1 : kmax1[f];
    }
}

/* Add the numeric cells of accepted row @p p (hon_little_giant 1 at national level, as the commit sets it). */
static srdi_status cells_add(ent_cells *e, const ent_parsed *p)
{
    assert(e->n < e->cap); /* part_row made room for the item, and the cells are at most the items */
    size_t j = e->n++;
    kmax1_add(e->kmax1, p->k);
    for (int f = 0; f < SRDI_F_COUNT; f++) e->k[f][j] = p->k[f];
    if (p->level == SRDI_LEVEL_NATIONAL) { /* a flag: never wide */
        e->k[SRDI_F_HON_LITTLE_GIANT][j] = 1;
        if (e->kmax1[SRDI_F_HON_LITTLE_GIANT] < 2) e->kmax1[SRDI_F_HON_LITTLE_GIANT] = 2;
    }
    if (!(e->wmask | p->wide)) return SRDI_OK;
    for (uint64_t m = p->wide & ~e->wmask; m; m &= m - 1) { /* a field's first wide cell: its values from here on */
        int f = __builtin_ctzll(m);
        if (!e->v[f] && !(e->v[f] = malloc(e->cap * sizeof *e->v[f])))
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
        for (size_t i = 0; i < j; i++) e->v[f][i] = e->k[f][i] == UINT32_MAX ? 0 : (double)e->k[f][i];
    }
    e->wmask |= p->wide;
    for (uint64_t m = e->wmask; m; m &= m - 1) {
        int f = __builtin_ctzll(m);
        e->v[f][j] = (p->wide >> f) & 1 ? p->vals[f] : e->k[f][j] == UINT32_MAX ? 0 : (double)e->k[f][j];
    }
    return SRDI_OK;
}

/* The width of field @p f's cells: 8 when one is wide, else the narrowest that holds kmax1[f] - 1. */
static unsigned cells_width_all(const ent_cells *e, int f)
{
    if ((e->wmask >> f) & 1) return 8;
    uint32_t k = e->kmax1[f] ? e->kmax1[f] - 1 : 0;
    return k < UINT8_MAX ? 1 : k < UINT16_MAX ? 2 : 4;
}

/* Record callback of a part: parse the row, keep its verdict. */
static srdi_status part_row(void *ctx, const srdi_csv_record *rec)
{
    ent_part *w = ctx;
    ent_parsed p;
    w->read++;
    srdi_status st = srdi_ent_parse(w->c, w->sc, rec, &p);
    if (st != SRDI_OK) return st;
    if ((st = part_room(w, w->nv + 1)) != SRDI_OK) return st;
    ent_item *it = &w->v[w->nv];
    it->line = rec->line;
    it->verdict = (uint8_t)p.verdict;
    if (p.verdict != ENT_REJECT) {
        it->id_n = p.id_n;
        it->id_hash = p.id_hash;
        if ((st = keep_str(w, p.id, p.id_n, &it->id, &it->id_o)) != SRDI_OK) return st;
    }
    if (p.verdict != ENT_ACCEPT) {
        it->col = p.col;
        it->value_n = p.value_n;
        it->note_n = p.note_n;
        if ((st = put_str(w, p.value, p.value_n, &it->value)) != SRDI_OK ||
            (st = put_str(w, p.reason, strlen(p.reason), &it->reason)) != SRDI_OK ||
            (st = put_str(w, p.note, p.note_n, &it->note)) != SRDI_OK)
            return st;
    } else {
        it->name_n = p.name_n;
        it->city_n = p.city_n;
        it->city_ref = p.city_ref;
        if ((st = keep_str(w, p.name, p.name_n, &it->name, &it->name_o)) != SRDI_OK) return st;
        if (p.city_ref >= 0)
            it->city = p.city; /* the reference's name */
        else if ((st = keep_str(w, p.city, p.city_n, &it->city, &it->city_o)) != SRDI_OK)
            return st;
        it->level = (uint8_t)p.level;
        it->te = (uint8_t)p.te;
        it->prov = p.prov;
        memcpy(it->code4, p.code4, sizeof it->code4);
        if ((st = cells_add(&w->cells, &p)) != SRDI_OK) return st;
    }
    w->nv++;
    return SRDI_OK;
}

/* Thread body: parse the part from its start as if a record began there (the reader stays open). */
static void *part_main(void *arg)
{
    ent_part *w = arg;
    /* room for the rows the largest part holds at ~96 bytes a row (the national data's are ~160; more grow),
       at once: a 512 KiB part's in one 2 MiB page.  The largest part's, not this one's: the buffers go on to
       later parts, and a part a few bytes larger than the one before it grew them to twice the room (three
       more 2 MiB pages of fresh memory, each zeroed whole, for no row) */
    if (w->nv == 0 && part_room(w, w->room) != SRDI_OK) srdi_error_clear(); /* grown row by row instead */
    /* copied with pread when there is room: a page of the mapping costs more than its copy (patents.c) */
    const file_ctx *c = w->c;
    w->src = w->buf && srdi_ingest_pread_all(c->fd, w->buf, w->pre + w->n, (uint64_t)(w->p - c->map) - w->pre)
                 ? w->buf + w->pre
                 : w->p;
    w->hash = srdi_patcache_block_hash(w->src, w->n); /* its bytes, read again at once by the parser */
    if (w->piece) w->piece_hash = w->pre ? srdi_patcache_block_hash(w->src - w->pre, w->pre + w->n) : w->hash;
    w->st = srdi_csv_reader_init_delim(&w->r, part_row, w, w->first_line, w->c->delim);
    if (w->st == SRDI_OK) {
        w->reader_on = true;
        if (w->c->enc == SRDI_ENC_GB18030) /* converted as one stream */
            w->st = srdi_csv_feed_encoded(&w->r, w->p, w->n, w->c->enc, false);
        else /* plain lines split in place, the rest through the reader */
            w->st = srdi_split_feed(&w->r, w->src, w->n, w->c->ncols, w->c->delim, part_row, w);
    }
    if (w->st != SRDI_OK) srdi_strlcpy(w->err, srdi_error_message(), sizeof w->err);
    return NULL;
}

/* The widest cell of field @p f among the cells whose row is not UINT32_MAX. */
static unsigned cells_width(const ent_cells *e, int f)
{
    unsigned wd = 1;
    for (size_t j = 0; j < e->n; j++) {
        if (e->rows[j] == UINT32_MAX || e->k[f][j] == UINT32_MAX) continue;
        uint32_t k;
        unsigned x = (e->wmask >> f) & 1 ? srdi_ecol_width(e->v[f][j], &k) : srdi_ecol_width((double)e->k[f][j], &k);
        if (x > wd) wd = x;
    }
    return wd;
}

/*
 * Commit the part's verdicts in order, lines made absolute by adding @p off;
 * its lists are emptied.  *linesum (NULL: not wanted) adds srdi_ent_row_sum
 * of each accepted row's line.
 */
static srdi_status commit_part(file_ctx *c, ent_part *w, long off, uint64_t *linesum)
{
    srdi_status st = SRDI_OK;
    const char *t = w->text.data;
    ent_cells *e = &w->cells;
    size_t j = 0, row0 = 0;
    bool run = true; /* the cells' rows are row0, row0 + 1 … */
    /* the duplicate check's index slots are read in hash order, a cache miss each: loaded PREFETCH items ahead */
    enum { PREFETCH = 16 };
    for (size_t i = 0; i < PREFETCH && i < w->nv; i++)
        if (w->v[i].verdict != ENT_REJECT) srdi_dataset_prefetch_id(c->d, w->v[i].id_hash);
    for (size_t i = 0; i < w->nv && st == SRDI_OK; i++) {
        const ent_item *it = &w->v[i];
        if (i + PREFETCH < w->nv && w->v[i + PREFETCH].verdict != ENT_REJECT)
            srdi_dataset_prefetch_id(c->d, w->v[i + PREFETCH].id_hash);
        ent_parsed p;
        p.verdict = (ent_verdict)it->verdict;
        if (p.verdict != ENT_REJECT) {
            p.id = it->id ? it->id : t + it->id_o;
            p.id_n = it->id_n;
            p.id_hash = it->id_hash;
        }
        if (p.verdict != ENT_ACCEPT) {
            p.col = it->col;
            p.value = t + it->value;
            p.value_n = it->value_n;
            p.reason = t + it->reason;
            p.note = t + it->note;
            p.note_n = it->note_n;
        } else {
            p.name = it->name ? it->name : t + it->name_o;
            p.name_n = it->name_n;
            p.city = it->city ? it->city : t + it->city_o;
            p.city_n = it->city_n;
            p.city_ref = it->city_ref;
            p.level = it->level;
            p.te = it->te;
            p.prov = it->prov;
            memcpy(p.code4, it->code4, sizeof p.code4);
        }
        size_t row;
        st = srdi_ent_commit_row(c, &p, it->line + off, &row);
        if (st == SRDI_OK && p.verdict == ENT_ACCEPT) {
            if (linesum && row != SIZE_MAX) *linesum += srdi_ent_row_sum((uint64_t)(it->line + off), row, 2);
            if (j == 0) row0 = row;
            if (row == SIZE_MAX || row != row0 + j) run = false;
            e->rows[j++] = row == SIZE_MAX ? UINT32_MAX : (uint32_t)row;
        }
    }
    for (int f = 0; f < SRDI_F_COUNT && st == SRDI_OK && e->n; f++) {
        unsigned wd = run ? cells_width_all(e, f) : cells_width(e, f);
        st = srdi_dataset_set_cells(c->d, (srdi_field)f, run ? NULL : e->rows, row0, e->n, e->k[f],
                                    (e->wmask >> f) & 1 ? e->v[f] : NULL, wd);
    }
    c->read += w->read;
    w->nv = 0; /* the buffers go on to a later part */
    e->n = 0;
    memset(e->kmax1, 0, sizeof e->kmax1);
    e->wmask = 0;
    srdi_buf_reset(&w->text);
    return st;
}

/* Offset of the first line end ('\n' or '\r') at or after @p from, or n. */
static size_t line_end(const char *p, size_t n, size_t from)
{
    for (size_t i = from; i < n; i++)
        if (p[i] == '\n' || p[i] == '\r') return i;
    return n;
}

/* Offset just after the first line end at or after @p from (a CRLF kept whole), or n. */
static size_t next_line(const char *p, size_t n, size_t from)
{
    size_t i = line_end(p, n, from);
    return i == n ? n : i + 1 + (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n');
}

/* Whether [p, p+n) lies in c's file mapping, so it can be read with pread from c->fd. */
static bool in_file_map(const file_ctx *c, const char *p, uint64_t n)
{
    return c->map && c->fd >= 0 && c->sb && p >= c->map && (uint64_t)(p - c->map) + n <= (uint64_t)c->sb->st_size;
}

/*
 * next_line for a body read from file @p fd, where it starts at offset
 * @p base: its bytes read with pread a few KiB at a time, not in the
 * mapping (a byte read there maps its page, or a whole folio of the page
 * cache, up to 2 MiB: ~30 us a cut); in the mapping @p body when they
 * cannot be read so.
 */
static size_t next_line_fd(int fd, uint64_t base, const char *body, size_t n, size_t from)
{
    char b[4096];
    for (size_t x = from; x < n;) {
        size_t m = n - x < sizeof b ? n - x : sizeof b;
        if (!srdi_ingest_pread_all(fd, b, m, base + x)) return next_line(body, n, from);
        size_t i = line_end(b, m, 0);
        if (i == m) {
            x += m;
            continue;
        }
        size_t at = x + i;
        char nx = 0; /* the byte after a CR: a CRLF is kept whole */
        if (b[i] == '\r' && at + 1 < n) {
            if (i + 1 < m)
                nx = b[i + 1];
            else if (!srdi_ingest_pread_all(fd, &nx, 1, base + at + 1))
                return next_line(body, n, from);
        }
        return at + 1 + (nx == '\n');
    }
    return n;
}

/*
 * The crew: T threads started once for the whole body; each takes the first
 * part no thread has taken as soon as the calling thread has released it:
 * two windows ahead of the commits, so a thread that ends its part goes on
 * with the next one without waiting for the window's other parts or their
 * commit, and a thread that runs slower (a CPU shared with the committing
 * thread, or with another machine's) parses fewer parts instead of holding
 * every window up (parts dealt out in turn, t, t + T, …, took 2 ms a part on
 * one thread and 1 ms on the other for whole windows on this VM).  Part k
 * takes over the buffers and scratch of part k - 2·T, committed (or dropped)
 * by then: memory is that of two windows, allocated once.
 */
typedef struct ent_crew {
    ent_part *w;
    size_t parts, T;
    size_t released; /* parts [0, released) may be parsed */
    size_t next;     /* the first part no thread has taken */
    bool stop;       /* no further part is parsed */
    bool *done;      /* done[k]: part k is parsed */
    pthread_mutex_t mu;
    pthread_cond_t go;   /* the crew waits here for parts to be released */
    pthread_cond_t done_cv; /* the calling thread waits here for parts to be parsed */
} ent_crew;

/* Thread body: the next part no thread has taken, as soon as it is released, until there is none. */
static void *crew_main(void *arg)
{
    ent_crew *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->stop && c->next < c->parts && c->next >= c->released) pthread_cond_wait(&c->go, &c->mu);
        if (c->stop || c->next >= c->parts) break;
        size_t k = c->next++;
        pthread_mutex_unlock(&c->mu);
        part_main(&c->w[k]);
        pthread_mutex_lock(&c->mu);
        c->done[k] = true;
        pthread_cond_signal(&c->done_cv);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* A cell's row in the first part and its id hash (width_hints). */
typedef struct hint_row {
    uint64_t h;
    size_t q;
} hint_row;

static int hint_row_cmp(const void *a, const void *b)
{
    const hint_row *x = a, *y = b;
    return (x->h > y->h) - (x->h < y->h);
}

/*
 * Start the dataset's numeric columns at the widths the first part's rows
 * need (srdi_dataset_width_hint), before they are reserved: a row whose id
 * hash repeats in the part may be a duplicate, never added, so its cells
 * are left out (the widths are then never wider than the rows need).
 */
static void width_hints(srdi_dataset *d, const ent_part *w)
{
    const ent_cells *e = &w->cells;
    if (w->st != SRDI_OK || e->n == 0) return;
    hint_row *rows = malloc(e->n * sizeof *rows);
    bool *skip = calloc(e->n, sizeof *skip);
    if (!rows || !skip) goto out;
    size_t j = 0;
    for (size_t i = 0; i < w->nv && j < e->n; i++)
        if (w->v[i].verdict == ENT_ACCEPT) { /* cell j: the j-th accepted item */
            rows[j] = (hint_row){w->v[i].id_hash, j};
            j++;
        }
    if (j != e->n) goto out;
    qsort(rows, e->n, sizeof *rows, hint_row_cmp);
    for (size_t a = 0, b; a < e->n; a = b) { /* a run of one hash: all its rows left out when it has more */
        for (b = a + 1; b < e->n && rows[b].h == rows[a].h; b++) {}
        for (size_t k = a; b - a > 1 && k < b; k++) skip[rows[k].q] = true;
    }
    for (int f = 0; f < SRDI_F_COUNT; f++) {
        if ((e->wmask >> f) & 1) continue; /* non-integers: widened as they come */
        uint32_t mx = 0;
        bool any = false;
        for (size_t q = 0; q < e->n; q++)
            if (!skip[q] && e->k[f][q] != UINT32_MAX) {
                any = true;
                if (e->k[f][q] > mx) mx = e->k[f][q];
            }
        if (any && mx >= 3) /* 0, 1 and 2 stay 2-bit cells */
            srdi_dataset_width_hint(d, (srdi_field)f, mx < UINT8_MAX ? 1 : mx < UINT16_MAX ? 2 : 4);
    }
out:
    free(rows);
    free(skip);
}

/* Hand parts [a, b) their buffers and release them to the crew. */
static void release_parts(ent_crew *c, size_t a, size_t b)
{
    ent_part *w = c->w;
    size_t T = c->T;
    for (size_t k = a; k < b; k++) {
        if (k >= 2 * T) {
            ent_part *o = &w[k - 2 * T];
            w[k].v = o->v;
            w[k].cap = o->cap;
            w[k].cells = o->cells; /* emptied: o may have been skipped rather than committed */
            w[k].cells.n = 0;
            memset(w[k].cells.kmax1, 0, sizeof w[k].cells.kmax1);
            w[k].cells.wmask = 0;
            w[k].text = o->text;
            w[k].text.len = 0;
            w[k].sc = o->sc;
            o->sc = NULL;
            o->v = NULL;
            o->cap = 0;
            memset(&o->cells, 0, sizeof o->cells);
            memset(&o->text, 0, sizeof o->text);
        }
    }
    pthread_mutex_lock(&c->mu);
    c->released = b;
    pthread_cond_broadcast(&c->go);
    pthread_mutex_unlock(&c->mu);
}

/* Wait until parts [a, b) are parsed. */
static void await_parts(ent_crew *c, size_t a, size_t b)
{
    pthread_mutex_lock(&c->mu);
    for (size_t k = a; k < b; k++)
        while (!c->done[k]) pthread_cond_wait(&c->done_cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

size_t srdi_ingest_ent_count_piece = (size_t)1 << 20;
bool srdi_ingest_ent_pieces = true;

/*
 * The lines of the body [body, body+n) (srdi_ingest_count_lines), read with
 * pread a piece at a time when it lies in c's file mapping, not in the
 * mapping: counting there mapped every page of the file at once, ahead of
 * the parsers (which give the pages behind each window back), so the whole
 * file stood in the process beside the columns it fills (enterprises.csv
 * of 4x the national data: 109 MB, the peak of the run).  In the mapping
 * when it cannot be read so.  (Only a body not cut into the file's pieces
 * is counted: body_pieces.)
 */
static size_t count_body_lines(const file_ctx *c, const char *body, size_t n)
{
    size_t P = srdi_ingest_ent_count_piece;
    if (P == 0 || !in_file_map(c, body, n)) return srdi_ingest_count_lines(body, n);
    const size_t lo = (size_t)(body - c->map), hi = lo + n;
    char *buf = srdi_malloc_huge(P); /* 1 MiB: one 2 MiB page, not 256 small first touches */
    if (!buf) return srdi_ingest_count_lines(body, n);
    size_t lines = 0, x = lo;
    char last = '\n';
    while (x < hi) {
        size_t k = hi - x < P ? hi - x : P;
        if (!srdi_ingest_pread_all(c->fd, buf, k, x)) { /* cannot read it: the rest in the mapping */
            lines += srdi_ingest_count_lines(c->map + x, hi - x);
            free(buf);
            return lines;
        }
        last = buf[k - 1];
        lines += srdi_ingest_count_lines(buf, k) - (last != '\n'); /* a last line without its end: once, below */
        x += k;
    }
    free(buf);
    return lines + (last != '\n');
}

size_t srdi_ent_next_cut(int fd, const char *map, size_t size, size_t at)
{
    size_t P = srdi_ingest_ent_part ? srdi_ingest_ent_part : 1;
    size_t k = at == 0 ? 1 : at / P + (at % P != 0); /* the first k·P at or after at (and after 0) */
    if (k > (size - 1) / P) return size;               /* k·P >= size (no overflow) */
    size_t cut = fd >= 0 ? next_line_fd(fd, 0, map, size, k * P) : next_line(map, size, k * P);
    return cut < size ? cut : size;
}

/* Rows to reserve for @p bytes of body at @p rows a @p of bytes (one more), @p margin times, and 64; at most a
   row a byte. */
static size_t rows_for(size_t bytes, size_t rows, size_t of, double margin)
{
    double x = (double)bytes * (of ? (double)(rows + 1) / (double)of : 1.0) * margin + 64.0;
    return x >= (double)bytes + 1.0 ? bytes + 1 : (size_t)x;
}

/*
 * The body's parts cut as the file's pieces are (srdi_ent_next_cut, offsets
 * from the file's start; the body from offset @p at to the end): cuts[0] 0,
 * cuts[k] the k-th piece's start less at; the number of parts, or 0 when
 * the first piece ends within the header (then the body is cut apart).
 * *cuts malloc'ed (NULL when out of memory, 0 returned).
 */
static size_t body_pieces(const file_ctx *c, size_t at, size_t size, size_t **cuts)
{
    size_t P = srdi_ingest_ent_part ? srdi_ingest_ent_part : 1;
    *cuts = malloc((size / P + 3) * sizeof **cuts);
    if (!*cuts) return 0;
    size_t parts = 0, x = srdi_ent_next_cut(c->fd, c->map, size, 0);
    if (x <= at && x < size) return 0;
    (*cuts)[parts++] = 0;
    for (; x < size; x = srdi_ent_next_cut(c->fd, c->map, size, x)) (*cuts)[parts++] = x - at;
    (*cuts)[parts] = size - at;
    return parts;
}

srdi_status srdi_ingest_ent_body(file_ctx *c, const char *body, size_t n, long body_line, bool release,
                                 uint64_t *content, bool *hashed, bool *done)
{
    *done = false;
    *hashed = false;
    int threads = c->threads;
    if (threads <= 0) {
        threads = srdi_cpu_count();
    }
    if (threads > ENT_MAX_T) threads = ENT_MAX_T;
    size_t part = srdi_ingest_ent_part ? srdi_ingest_ent_part : 1, min_part = part / 8 ? part / 8 : 1;
    if (threads < 2 || n < 2 * min_part) return SRDI_OK;
    size_t T = (size_t)threads;
    /* plain text in the file's mapping: the cuts found and each part read with pread (part_main); converted
       text in place */
    const bool in_map = c->enc != SRDI_ENC_GB18030 && in_file_map(c, body, n);
    const size_t size = c->sb ? (size_t)c->sb->st_size : 0, at = in_map ? (size_t)(body - c->map) : 0;
    /* the parts are the file's pieces (srdi_ent_next_cut) when the body runs to the file's end: the pieces'
       hashes are the content hash, no pass of its own; else of about `part` bytes (at least T of at least
       min_part), cut at line ends, and the lines counted for the columns' size */
    size_t *cuts = NULL, parts = 0;
    if (in_map && srdi_ingest_ent_pieces && at + n == size) parts = body_pieces(c, at, size, &cuts);
    const bool pieces = parts >= 2;
    if (!pieces) {
        free(cuts);
        size_t want = (n + part - 1) / part;
        if (want < T) want = T;
        if (want > n / min_part) want = n / min_part;
        if (want < 2) return SRDI_OK;
        if ((cuts = malloc((want + 1) * sizeof *cuts)) != NULL) {
            cuts[0] = 0;
            parts = 1;
            for (size_t k = 1; k < want; k++) {
                size_t from = n / want * k;
                if (from < cuts[parts - 1]) from = cuts[parts - 1];
                size_t cut = in_map ? next_line_fd(c->fd, (uint64_t)at, body, n, from) : next_line(body, n, from);
                if (cut >= n) break;
                if (cut > cuts[parts - 1]) cuts[parts++] = cut;
            }
            cuts[parts] = n;
            if (parts < 2) { /* not split: streamed by the caller */
                free(cuts);
                return SRDI_OK;
            }
        }
    }
    char *reads = NULL; /* the parts' read buffers */
    ent_part *w = cuts ? calloc(parts, sizeof *w) : NULL;
    bool *parsed = cuts ? calloc(parts, sizeof *parsed) : NULL;
    uint64_t *phash = pieces && content ? malloc(parts * sizeof *phash) : NULL; /* the pieces' hashes */
    pthread_t tid[ENT_MAX_T];
    size_t nstarted = 0;
    ent_crew crew = {.w = w, .T = T, .done = parsed};
    pthread_mutex_init(&crew.mu, NULL);
    pthread_cond_init(&crew.go, NULL);
    pthread_cond_init(&crew.done_cv, NULL);
    srdi_status st = SRDI_OK;
    if (!cuts || !w || !parsed || (pieces && content && !phash)) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
        goto cleanup;
    }
    *done = true;
    free(c->eparts.v);
    c->eparts = (srdi_ent_parts){.v = calloc(parts, sizeof *c->eparts.v)}; /* none: no table (no patched refresh) */
    const size_t rj0 = c->rj->n, rows0 = c->d->n;
    /* cuts found in the mapping (not read with pread): a page cache of large folios (a file just written)
       maps a whole folio, up to 2 MiB, for the byte read at each cut, every 512 KiB, so the whole file (as
       patents.c); the parsers map their parts' pages as they come to them */
    if (release) srdi_csv_release_pages(body, body + n);
    for (size_t k = 0; k < parts; k++) {
        w[k].c = c;
        w[k].p = body + cuts[k];
        w[k].n = cuts[k + 1] - cuts[k];
        w[k].first_line = k == 0 ? body_line : 1;
        w[k].lo = body;
        w[k].hi = body + n;
        w[k].small_pages = T > ENT_HUGE_T;
        w[k].piece = phash != NULL;
    }
    if (phash) w[0].pre = at; /* the first piece: the BOM and header too */
    /* the parts' read buffers in one block on 2 MiB pages, part k's the slice of part k - 2·T (committed
       before part k is released): a fresh small page's first touch costs ~12 us here, so 2 ms of the first
       read into a malloc'ed buffer (at any thread count: one block wastes no more than part of its last page,
       unlike a 2 MiB page a part).  None (out of memory): the parts are parsed in the mapping */
    size_t maxpart = 0, maxread = 0;
    for (size_t k = 0; k < parts; k++) {
        if (w[k].n > maxpart) maxpart = w[k].n;
        if (w[k].pre + w[k].n > maxread) maxread = w[k].pre + w[k].n;
    }
    for (size_t k = 0; k < parts; k++) w[k].room = maxpart / 96 + 64;
    const size_t nslots = 2 * T < parts ? 2 * T : parts;
    if (in_map && maxread <= SIZE_MAX / nslots && (reads = srdi_malloc_huge(nslots * maxread)) != NULL)
        for (size_t k = 0; k < parts; k++) w[k].buf = reads + k % nslots * maxread;
    for (size_t k = 0; k < 2 * T && k < parts; k++) /* the scratches of the first two windows, handed on after */
        if (!(w[k].sc = calloc(1, sizeof *w[k].sc))) {
            st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
            goto cleanup;
        }

    /* window i = parts [i·T, (i+1)·T): committed while window i + 1 (and i + 2 as soon as i is) is parsed */
    size_t nwin = (parts + T - 1) / T;
    long base = 0; /* absolute line of a part's relative line 1, minus 1 */
    const char *released = body; /* pages before this are released */
    crew.parts = parts;
    for (size_t t = 0; t < T && t < parts; t++) {
        if (pthread_create(&tid[t], NULL, crew_main, &crew) != 0) {
            st = srdi_error_set(SRDI_ERR_INTERNAL, "cannot start an enterprises.csv thread");
            goto cleanup;
        }
        nstarted++;
    }
    /* the first two windows at once: the crew parses the second while the first is committed, each window
       after as soon as the one two before it is committed */
    release_parts(&crew, 0, 2 * T < parts ? 2 * T : parts);
    /* a body not cut into pieces: its lines counted while they run (the parsers read the reference, never
       the rows); the rows are at most the lines, so the columns and the id index are allocated once */
    size_t lines = pieces ? 0 : release ? count_body_lines(c, body, n) : srdi_ingest_count_lines(body, n);
    /* the first part's rows tell the columns' widths: they are reserved so at once — for the lines, or for
       as many rows a byte as the first window holds and 2% more (more later, if the rest of the body has
       more: the columns then move, a copy of them, so the guess is taken from a window, 1 MiB at 2 threads) */
    await_parts(&crew, 0, pieces ? (T < parts ? T : parts) : 1);
    width_hints(c->d, &w[0]);
    size_t room = lines, room_to;
    if (pieces) {
        size_t rows = 0, bytes = 0;
        for (size_t k = 0; k < T && k < parts; k++) rows += w[k].nv, bytes += w[k].n;
        room = rows_for(n, rows, bytes, 1.02);
    }
    room_to = c->d->n + room;
    if ((st = srdi_ent_reserve(c, room)) != SRDI_OK) goto cleanup;
    for (size_t i = 0; i < nwin && st == SRDI_OK; i++) {
        size_t a = i * T, b = (i + 1) * T < parts ? (i + 1) * T : parts;
        await_parts(&crew, a, b);
        for (size_t k = a; k < b && st == SRDI_OK; k++) {
            ent_part *v = &w[k];
            srdi_ent_part_rec *pr = c->eparts.v ? &c->eparts.v[k] : NULL;
            if (pr) *pr = (srdi_ent_part_rec){.off = cuts[k], .len = v->n, .hash = v->hash};
            if (phash) phash[k] = v->piece_hash;
            if (v->skipped) continue;
            if (v->st != SRDI_OK) {
                st = srdi_error_set(v->st, "%s", v->err);
                break;
            }
            size_t j = k;
            while (j + 1 < parts && !srdi_csv_reader_between(&v->r)) {
                j++;
                w[j].skipped = true; /* its bytes belong to v's record: its own verdicts are dropped */
                if ((st = srdi_csv_feed_encoded(&v->r, w[j].p, w[j].n, c->enc, false)) != SRDI_OK) break;
            }
            if (st == SRDI_OK && j == parts - 1) st = srdi_csv_reader_finish(&v->r);
            if (st != SRDI_OK) break;
            if (c->d->n + v->nv > room_to) { /* more rows a byte than the reserve's guess: room for the rest */
                size_t more = v->nv + rows_for(n - cuts[j + 1], v->nv + c->d->n - rows0, cuts[j + 1], 1.15);
                if ((st = srdi_ent_reserve(c, more)) != SRDI_OK) break;
                room_to = c->d->n + more;
            }
            long off = k == 0 ? 0 : base;
            if (pr) {
                pr->clean = 1;
                pr->rows = c->d->n;
                pr->rj = c->rj->n - rj0;
                pr->read = (uint64_t)c->read;
                pr->line = k == 0 ? body_line : base + 1;
            }
            base = v->r.line + off - 1;
            st = commit_part(c, v, off, pr ? &pr->linesum : NULL);
        }
        /* window i + 2, on window i's buffers: committed now */
        if (st == SRDI_OK && i + 2 < nwin) release_parts(&crew, b + T, (i + 3) * T < parts ? (i + 3) * T : parts);
        if (st == SRDI_OK && release) { /* the pages behind this window, once (not again from the start) */
            srdi_csv_release_pages(released, w[b - 1].p + w[b - 1].n);
            released = w[b - 1].p + w[b - 1].n;
        }
    }

    if (st == SRDI_OK && c->eparts.v) {
        c->eparts.n = parts;
        c->eparts.end_line = base + 1;
        c->eparts.end_rows = c->d->n;
        c->eparts.end_rj = c->rj->n - rj0;
        c->eparts.end_read = (uint64_t)c->read;
    }
    if (st == SRDI_OK && phash) { /* every piece parsed (the skipped ones too): the file's content hash */
        *content = srdi_patcache_combine(phash, parts, size);
        *hashed = true;
    }

cleanup:
    pthread_mutex_lock(&crew.mu);
    crew.stop = true;
    pthread_cond_broadcast(&crew.go);
    pthread_mutex_unlock(&crew.mu);
    for (size_t t = 0; t < nstarted; t++) pthread_join(tid[t], NULL);
    pthread_cond_destroy(&crew.go);
    pthread_cond_destroy(&crew.done_cv);
    pthread_mutex_destroy(&crew.mu);
    if (w)
        for (size_t k = 0; k < parts; k++) {
            if (w[k].reader_on) srdi_csv_reader_free(&w[k].r);
            cells_free(&w[k].cells); /* the items too */
            srdi_buf_free(&w[k].text);
            if (w[k].sc) srdi_ent_scratch_free(w[k].sc);
            free(w[k].sc);
        }
    free(reads);
    free(cuts);
    free(w);
    free(parsed);
    free(phash);
    return st;
}

/* ======================================================== patched refresh */

size_t srdi_ingest_ent_delta_reads;

/*
 * Whether body bytes [off, off+len) hash to @p hash: by the hash of the
 * piece of @p now that they are, when they are one (its bytes hashed for the
 * file's content hash already), else read with pread into *buf (grown) when
 * the body lies in c's file mapping (its pages are not mapped into the
 * process: a mapped page costs more than its copy), else hashed where they
 * lie.
 */
static bool same_bytes(const file_ctx *c, const srdi_ent_pieces *now, const char *body, uint64_t off, uint64_t len,
                       uint64_t hash, char **buf, size_t *cap)
{
    if (!in_file_map(c, body, off + len)) return srdi_patcache_block_hash(body + off, (size_t)len) == hash;
    const uint64_t at = (uint64_t)(body - c->map) + off; /* in the file */
    if (now && now->n) {
        size_t lo = 0, hi = now->n; /* the piece that starts at `at`, if one does */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (now->cut[mid] < at)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < now->n && now->cut[lo] == at && now->cut[lo + 1] - at == len) return now->hash[lo] == hash;
    }
    srdi_ingest_ent_delta_reads++;
    if (len > *cap) {
        char *nb = realloc(*buf, (size_t)len);
        if (!nb) return false; /* a part not found the same: parsed again */
        *buf = nb;
        *cap = (size_t)len;
    }
    return srdi_ingest_pread_all(c->fd, *buf, (size_t)len, at) && srdi_patcache_block_hash(*buf, (size_t)len) == hash;
}

/* Replace rows r0 … of c->d with the accepted rows parsed into @p w (their ids and cities checked: the rows'). */
static srdi_status patch_rows(file_ctx *c, const ent_part *w, size_t r0)
{
    srdi_dataset *d = c->d;
    const char *t = w->text.data;
    const ent_cells *e = &w->cells;
    for (size_t q = 0; q < w->nv; q++) {
        const ent_item *it = &w->v[q];
        size_t r = r0 + q;
        const char *cs = it->city ? it->city : t + it->city_o;
        size_t cn = it->city_ref >= 0 ? strlen(cs) : it->city_n;
        const char *dc = r < d->n ? srdi_strpool_get(d->cities, d->city[r]) : "";
        if (r >= d->n || strlen(dc) != cn || memcmp(dc, cs, cn) != 0)
            return srdi_error_set(SRDI_ERR_INTERNAL, "enterprises cache: row %zu holds another city than its sums said",
                                  r);
        srdi_ent_row row = {it->id ? it->id : t + it->id_o,
                            it->id_n,
                            it->id_hash,
                            it->name ? it->name : t + it->name_o,
                            it->name_n,
                            (srdi_level)it->level,
                            it->prov,
                            d->city[r],
                            it->code4,
                            (srdi_tech_eval)it->te};
        srdi_status st = srdi_dataset_patch_row(d, r, &row);
        for (int f = 0; f < SRDI_F_COUNT && st == SRDI_OK; f++) {
            uint32_t k = e->k[f][q];
            double v = k == UINT32_MAX ? 0 : (e->wmask >> f) & 1 ? e->v[f][q] : (double)k, old = 0;
            /* a cell that holds this very value is left as it is (its column's content hash still holds) */
            if (srdi_get(d, (srdi_field)f, r, &old) == (k != UINT32_MAX) && memcmp(&old, &v, sizeof v) == 0) continue;
            srdi_dataset_clear(d, r, (srdi_field)f);
            if (k != UINT32_MAX) st = srdi_dataset_set(d, r, (srdi_field)f, v);
        }
        if (st != SRDI_OK) return st;
    }
    return SRDI_OK;
}

/*
 * Old parts [*pi, *pj) of @p old hold the bytes of the body [body, body+nb)
 * that changed, from a record's start to a record's start, with no reject
 * among their rows: found from the start and (shifted by the change of
 * size) from the end by the parts' hashes.  False when there are none (bytes
 * only added: new rows), they are more than a quarter of the body (parsing
 * them alone saves nothing), or a reject lies there (verdicts may move).
 */
static bool changed_parts(const file_ctx *c, const srdi_ent_parts *old, const srdi_ent_pieces *now, const char *body,
                          uint64_t nb, size_t *pi, size_t *pj)
{
    const srdi_ent_part_rec *v = old->v;
    const size_t m = old->n;
    const int64_t delta = (int64_t)nb - (int64_t)(v[m - 1].off + v[m - 1].len);
    char *buf = NULL;
    size_t cap = 0, i = 0, j = m;
    while (i < m && v[i].off + v[i].len <= nb && same_bytes(c, now, body, v[i].off, v[i].len, v[i].hash, &buf, &cap))
        i++;
    while (j > i) {
        int64_t no = (int64_t)v[j - 1].off + delta;
        if (no < (int64_t)v[i].off || (uint64_t)no + v[j - 1].len > nb ||
            !same_bytes(c, now, body, (uint64_t)no, v[j - 1].len, v[j - 1].hash, &buf, &cap))
            break;
        j--;
    }
    free(buf);
    if (i == m || j == i) return false;
    while (i > 0 && !v[i].clean) i--; /* a part that began inside a record goes with the one before */
    while (j < m && !v[j].clean) j++;
    const uint64_t mo = v[i].off, me = j < m ? (uint64_t)((int64_t)v[j].off + delta) : nb;
    const uint64_t r0 = v[i].rows, r1 = j < m ? v[j].rows : old->end_rows;
    const uint64_t rj1 = j < m ? v[j].rj : old->end_rj, rd1 = j < m ? v[j].read : old->end_read;
    if (me <= mo || me - mo > nb / 4 || rj1 != v[i].rj || r1 < r0 || rd1 - v[i].read != r1 - r0) return false;
    *pi = i;
    *pj = j;
    return true;
}

/*
 * Whether @p w, parsed from old part @p i on, holds the rows of old parts
 * [i, j): as many rows read, all accepted, the same ids and cities on the
 * same rows and lines (the parts' sums; the lines too, since a duplicate's
 * reject names the line of the row it repeats), ending where part j begins.
 * *lines receives the parts' line sum.
 */
static bool same_rows(const srdi_ent_parts *old, size_t i, size_t j, const ent_part *w, uint64_t *lines)
{
    const srdi_ent_part_rec *v = old->v;
    const size_t m = old->n;
    const uint64_t r0 = v[i].rows, r1 = j < m ? v[j].rows : old->end_rows;
    const int64_t line1 = j < m ? v[j].line : old->end_line;
    if (w->st != SRDI_OK || !srdi_csv_reader_between(&w->r) || w->r.line != line1 || w->nv != r1 - r0 ||
        (uint64_t)w->read != r1 - r0)
        return false;
    uint64_t ids = 0, cities = 0, ln = 0, want_ids = 0, want_cities = 0, want_lines = 0;
    for (size_t k = i; k < j; k++) {
        want_ids += v[k].idsum;
        want_cities += v[k].citysum;
        want_lines += v[k].linesum;
    }
    for (size_t q = 0; q < w->nv; q++) {
        const ent_item *it = &w->v[q];
        if (it->verdict != ENT_ACCEPT) return false;
        const char *cs = it->city ? it->city : w->text.data + it->city_o;
        size_t cn = it->city_ref >= 0 ? strlen(cs) : it->city_n;
        ids += srdi_ent_row_sum(it->id_hash, r0 + q, 0);
        cities += srdi_ent_row_sum(srdi_hash_mem(cs, cn), r0 + q, 1);
        ln += srdi_ent_row_sum((uint64_t)it->line, r0 + q, 2);
    }
    *lines = want_lines;
    return ids == want_ids && cities == want_cities && ln == want_lines;
}

srdi_status srdi_ingest_ent_delta(file_ctx *c, const srdi_ent_parts *old, const srdi_ent_pieces *now,
                                  const char *cache_path, uint64_t ctx, const char *text, size_t at, size_t n,
                                  bool *done, srdi_ent_delta_info *info)
{
    *done = false;
    memset(info, 0, sizeof *info);
    const srdi_ent_part_rec *v = old->v;
    const size_t m = old->n;
    const char *body = text + at;
    const uint64_t nb = n - at;
    if (m < 2 || old->hdr_len != at || srdi_patcache_block_hash(text, at) != old->hdr_hash) return SRDI_OK;
    for (size_t k = 0; k < m; k++) /* the parts tile the old body */
        if (v[k].off != (k ? v[k - 1].off + v[k - 1].len : 0) || (k == 0 && !v[k].clean)) return SRDI_OK;
    const int64_t delta = (int64_t)nb - (int64_t)(v[m - 1].off + v[m - 1].len);
    /* the columns' first touches are dear (fresh pages): made meanwhile, and of use to a whole parse too */
    srdi_ent_reserver rs;
    srdi_ent_reserve_start(&rs, c->d, old->end_rows <= nb ? (size_t)old->end_rows : 0);
    srdi_status st = SRDI_OK;
    size_t i = 0, j = 0;
    ent_part w = {.c = c};
    if (!changed_parts(c, old, now, body, nb, &i, &j)) goto out;
    const uint64_t mo = v[i].off, me = j < m ? (uint64_t)((int64_t)v[j].off + delta) : nb, r0 = v[i].rows;
    w = (ent_part){
        .c = c, .p = body + mo, .n = (size_t)(me - mo), .lo = body, .hi = body + nb, .first_line = v[i].line,
        .room = (size_t)(me - mo) / 96 + 64};
    if (!(w.sc = calloc(1, sizeof *w.sc))) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
        goto out;
    }
    part_main(&w);
    if (w.st == SRDI_OK && j == m) w.st = srdi_csv_reader_finish(&w.r);
    if (w.st == SRDI_ERR_NOMEM) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "%s", w.err);
        goto out;
    }
    srdi_error_clear(); /* any other failure: the whole body is parsed again, and reports it */
    uint64_t want_lines = 0;
    if (!same_rows(old, i, j, &w, &want_lines)) goto out;

    /* the cache's rows (every byte of the file checked first: a miss leaves the dataset as it was) */
    srdi_ent_reserve_join(&rs);
    bool hit = false;
    st = srdi_entcache_load(cache_path, ctx, NULL, c->d, true /* its columns on a thread (reserved above) */, c->rj,
                            c->run->rej_ids,
                            &c->run->rej_line, &c->run->rej_cap, &hit, &c->read, &c->accepted, &c->rejected);
    if (st != SRDI_OK || !hit) goto out;
    if (c->d->n != old->end_rows) {
        st = srdi_error_set(SRDI_ERR_INTERNAL, "%s: %zu rows, its parts table says %llu; remove it", cache_path,
                            c->d->n, (unsigned long long)old->end_rows);
        goto out;
    }
    if ((st = patch_rows(c, &w, (size_t)r0)) != SRDI_OK) goto out;
    /* the new table: the parts before, the changed bytes as one part, the parts after where they lie now */
    free(c->eparts.v);
    c->eparts = *old;
    c->eparts.n = i + 1 + (m - j);
    if (!(c->eparts.v = malloc(c->eparts.n * sizeof *c->eparts.v))) {
        c->eparts.n = 0; /* no table: the next refresh parses the whole body */
    } else {
        memcpy(c->eparts.v, v, i * sizeof *v);
        c->eparts.v[i] = v[i];
        c->eparts.v[i].len = me - mo;
        c->eparts.v[i].hash = w.hash;
        c->eparts.v[i].linesum = want_lines;
        for (size_t k = j; k < m; k++) {
            c->eparts.v[i + 1 + k - j] = v[k];
            c->eparts.v[i + 1 + k - j].off = (uint64_t)((int64_t)v[k].off + delta);
        }
    }
    *done = true;
    *info = (srdi_ent_delta_info){.parts = m, .parsed = j - i, .rows = w.nv, .bytes = me - mo};
out:
    srdi_ent_reserve_join(&rs);
    if (w.reader_on) srdi_csv_reader_free(&w.r);
    cells_free(&w.cells); /* the items too */
    srdi_buf_free(&w.text);
    if (w.sc) srdi_ent_scratch_free(w.sc);
    free(w.sc);
    return st;
}
