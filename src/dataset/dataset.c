/*
 * dataset.c — the columnar dataset: enterprise rows, financial rows and the
 * streaming patent aggregates.
 */
#include <assert.h>
#include <stdatomic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "srdi/dataset.h"
#include "srdi/hash.h"
#include "srdi/util.h"

/* ======================================================== field metadata */

static const srdi_field_info fields[SRDI_F_COUNT] = {
    {"reg_capital", "注册资本（万元）", SRDI_FK_NUMBER},
    {"staff", "参保人数", SRDI_FK_INTEGER},
    {"rd_staff", "研发人员数", SRDI_FK_INTEGER},
    {"hon_little_giant", "专精特新小巨人", SRDI_FK_FLAG},
    {"hon_high_tech", "高新技术企业", SRDI_FK_FLAG},
    {"hon_tech_center", "企业技术中心", SRDI_FK_FLAG},
    {"hon_tech_sme", "科技型中小企业", SRDI_FK_FLAG},
    {"hon_champion", "制造业单项冠军", SRDI_FK_FLAG},
    {"hon_eng_center", "工程技术研究中心", SRDI_FK_FLAG},
    {"hon_gazelle", "瞪羚企业", SRDI_FK_FLAG},
    {"hon_unicorn", "独角兽企业", SRDI_FK_FLAG},
    {"hon_green_factory", "绿色工厂", SRDI_FK_FLAG},
    {"hon_cnas", "CNAS认证", SRDI_FK_FLAG},
    {"std_national", "国家标准数", SRDI_FK_INTEGER},
    {"std_industry", "行业标准数", SRDI_FK_INTEGER},
    {"std_local", "地方标准数", SRDI_FK_INTEGER},
    {"std_group", "团体标准数", SRDI_FK_INTEGER},
    {"patents_total", "专利总量", SRDI_FK_INTEGER},
    {"invention_apps", "发明申请量", SRDI_FK_INTEGER},
    {"invention_grants", "发明授权量", SRDI_FK_INTEGER},
    {"invention_rejected", "发明驳回量", SRDI_FK_INTEGER},
    {"utility_models", "实用新型", SRDI_FK_INTEGER},
    {"software_copyrights", "软件著作权", SRDI_FK_INTEGER},
    {"class1_ip", "I类知识产权", SRDI_FK_INTEGER},
    {"pct_apps", "PCT申请量", SRDI_FK_INTEGER},
    {"foreign_patents", "涉外专利量", SRDI_FK_INTEGER},
    {"high_value_inventions", "有效高价值发明专利", SRDI_FK_INTEGER},
    {"citations_avg", "发明专利被引用平均次数", SRDI_FK_NUMBER},
    {"awarded_patents", "获奖发明专利", SRDI_FK_INTEGER},
    {"standard_patents", "标准发明专利", SRDI_FK_INTEGER},
    {"inventors", "专利发明人数量", SRDI_FK_INTEGER},
    {"coop_patents", "高校科研院所合作专利", SRDI_FK_INTEGER},
    {"pledged_patents", "质押融资专利", SRDI_FK_INTEGER},
    {"licensed_patents", "许可专利", SRDI_FK_INTEGER},
    {"litigated_patents", "诉讼维权专利", SRDI_FK_INTEGER},
    {"digital_patents", "有效数字化技术专利", SRDI_FK_INTEGER},
};

const srdi_field_info *srdi_field_get(srdi_field f)
{
    return (f >= 0 && f < SRDI_F_COUNT) ? &fields[f] : NULL;
}

int srdi_field_lookup(const char *name)
{
    for (int i = 0; i < SRDI_F_COUNT; i++)
        if (strcmp(fields[i].name, name) == 0 || strcmp(fields[i].zh, name) == 0) return i;
    return -1;
}

const char *srdi_level_key(srdi_level l)
{
    static const char *k[] = {"provincial", "national", "champion"};
    return (unsigned)l < 3 ? k[l] : "";
}

const char *srdi_level_label(srdi_level l)
{
    static const char *k[] = {"省级", "国家级", "单项冠军"};
    return (unsigned)l < 3 ? k[l] : "";
}

const char *srdi_tech_eval_key(srdi_tech_eval t)
{
    static const char *k[] = {NULL, "intl_advanced", "domestic_advanced", "intl_level", "domestic_level"};
    return (unsigned)t < 5 ? k[t] : NULL;
}

const char *srdi_tech_eval_label(srdi_tech_eval t)
{
    static const char *k[] = {"无", "国际先进/领先", "国内先进/领先", "达到国际水平", "达到国内水平"};
    return (unsigned)t < 5 ? k[t] : "";
}

/* ================================================================ dataset */

/*
 * The id index: THE hash index (srdi/hash.h: a 32-bit tag of each id's hash
 * beside its row, so a probe compares strings only when the tags agree, and
 * growing never hashes an id again) over srdi_hash_mem of the id.  The id and
 * name strings live in an arena of large chunks (two mallocs per row cost
 * more than the rest of adding the row).
 */
typedef struct id_arena {
    struct id_arena *next;
    size_t used, cap;
    char bytes[];
} id_arena;

/*
 * The enterprise columns' cells (the fixed ones and the numeric ones) in one
 * range of address space on 2 MiB pages, handed out from its bottom.  On a
 * virtual machine the first touch of a small page costs about 10 us: a
 * column of 168,872 two-byte cells is 83 of them, paid again each time the
 * column widens (a new block), about 35 ms of faults when the national
 * enterprises.csv is read, on the thread that commits its rows.  A block
 * that a column leaves (it widened or grew) gives its whole pages back.
 * The range is made by the first reserve of at least
 * srdi_dataset_arena_min_rows rows, sized for every column to widen to 8
 * bytes twice over; a block that does not fit is malloc'ed, as all are
 * without a range.
 */
typedef struct cell_arena {
    char *map;         /* the mapping (NULL: no range) */
    size_t map_size;
    char *base;        /* its first 2 MiB boundary: blocks are handed out from here */
    size_t size, used; /* bytes from base, bytes handed out (a multiple of 64) */
} cell_arena;

size_t srdi_dataset_arena_min_rows = 16384;

typedef struct id_index {
    srdi_hindex index; /* hash of the id → row (released by srdi_dataset_seal) */
    bool sealed;       /* index released: find scans; the next add builds it again */
    id_arena *arena;   /* newest chunk first */
    size_t cap;        /* rows the enterprise columns hold (cells of rows ≥ n are zero) */
    cell_arena cells;  /* where the enterprise columns' cells are */
    bool cols_short;   /* srdi_dataset_reserve_rows: numeric columns without cells may remain (cols_fill) */
    /* the rows' content hashes given by srdi_dataset_content_hashes_known, for hash_n rows and hash_ncities
       city names: which still hold in hash_known (bit f: numeric column f's, HASH_FIXED: the fixed columns'),
       each dropped by a change of what it hashes (hash_drop, hash_drop_field; srdi_dataset_patch_row the fixed) */
    _Atomic uint64_t hash_known; /* (atomic: the cache's columns are loaded while its rows are adopted) */
    size_t hash_n;
    uint32_t hash_ncities;
    uint64_t hash_fixed, hash_fields[SRDI_F_COUNT];
} id_index;

#define HASH_FIXED ((uint64_t)1 << 63)
#define HASH_ALL (HASH_FIXED | (((uint64_t)1 << SRDI_F_COUNT) - 1))
_Static_assert(SRDI_F_COUNT < 63, "a bit per numeric column below HASH_FIXED");

/* The rows change: none of the content hashes given for them holds. */
static inline void hash_drop(srdi_dataset *d)
{
    atomic_store_explicit(&((id_index *)d->id_index)->hash_known, 0, memory_order_relaxed);
}

/* Numeric column @p f changes: its given hash no longer holds. */
static inline void hash_drop_field(srdi_dataset *d, srdi_field f)
{
    atomic_fetch_and_explicit(&((id_index *)d->id_index)->hash_known, ~((uint64_t)1 << f), memory_order_relaxed);
}

/* Whether @p p lies in the range of @p a. */
static bool in_arena(const cell_arena *a, const void *p)
{
    return a->base && (const char *)p >= a->base && (const char *)p < a->base + a->size;
}

/* Make the range of @p a for @p rows rows (nothing when there is one, the rows are few or it cannot be mapped). */
static void arena_make(cell_arena *a, size_t rows, size_t fixed_bytes)
{
    const size_t H = (size_t)2 << 20;
    if (a->map || rows < srdi_dataset_arena_min_rows) return;
    size_t per = 2 * (fixed_bytes + 8 * (size_t)SRDI_F_COUNT) + 64; /* a row's bytes in every column, twice, and slack */
    if (rows > (SIZE_MAX / 2 - 2 * H) / per) return;
    size_t size = (rows * per + H - 1) & ~(H - 1);
    void *m = mmap(NULL, size + H, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return;
    a->map = m;
    a->map_size = size + H;
    a->base = (char *)(((uintptr_t)m + H - 1) & ~(uintptr_t)(H - 1));
    a->size = size;
    a->used = 0;
    srdi_mem_huge(a->base, size);
}

static void arena_free(cell_arena *a)
{
    if (a->map) munmap(a->map, a->map_size);
    memset(a, 0, sizeof *a);
}

/*
 * A block of @p n bytes: from the range when @p range and it has room (zero
 * bytes), else malloc'ed; NULL when out of memory.
 */
static void *cells_alloc(cell_arena *a, size_t n, bool range)
{
    size_t r = (n + 63) & ~(size_t)63;
    if (range && a->base && r >= n && r <= a->size - a->used) {
        void *p = a->base + a->used;
        a->used += r;
        return p;
    }
    return srdi_malloc_huge(n ? n : 1);
}

/* Give back block @p p of @p n bytes (in the range: its whole pages, the range is never handed out again below used). */
static void cells_free(cell_arena *a, void *p, size_t n)
{
    if (!p) return;
    if (!in_arena(a, p)) {
        free(p);
        return;
    }
    const uintptr_t H = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)p + H - 1) & ~(H - 1), hi = ((uintptr_t)p + n) & ~(H - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED); /* a hint: a failure keeps the pages */
}

/*
 * Block @p p of @p have bytes (NULL: none) as one of @p need bytes whose
 * first @p keep bytes are p's, in the range when @p range (else, or when it
 * has no room, malloc'ed): the last block of the range grows in place,
 * another moves; NULL when out of memory (@p p is then unchanged).
 */
static void *cells_realloc(cell_arena *a, void *p, size_t have, size_t need, size_t keep, bool range)
{
    if (!p) return cells_alloc(a, need, range);
    if (in_arena(a, p)) {
        size_t at = (size_t)((char *)p - a->base), rh = (have + 63) & ~(size_t)63, rn = (need + 63) & ~(size_t)63;
        if (range && at + rh == a->used && rn >= need && rn <= a->size - at) {
            a->used = at + rn;
            return p;
        }
    } else if (!range || !a->base) {
        return realloc(p, need);
    }
    void *q = cells_alloc(a, need, range);
    if (!q) return NULL;
    memcpy(q, p, keep < need ? keep : need);
    cells_free(a, p, have);
    return q;
}

/* A new chunk of @p cap bytes at the head of the arena (2 MiB pages from 1 MiB on: srdi_malloc_huge); NULL when out of memory. */
static id_arena *arena_chunk(id_index *ix, size_t cap)
{
    id_arena *na = cap <= SIZE_MAX - sizeof *na ? srdi_malloc_huge(sizeof *na + cap) : NULL;
    if (!na) return NULL;
    na->next = ix->arena;
    na->used = 0;
    na->cap = cap;
    return ix->arena = na;
}

/* Copy [s, s+n) and a NUL into the arena; NULL when out of memory. */
static char *arena_dup(id_index *ix, const char *s, size_t n)
{
    id_arena *a = ix->arena;
    if (!a || a->cap - a->used < n + 1) {
        /* chunks of 256 KiB, each twice the last up to 4 MiB */
        size_t last = a ? sizeof *a + a->cap : 0;
        size_t total = !last ? (size_t)1 << 18 : last < ((size_t)2 << 20) ? 2 * last : (size_t)4 << 20;
        if (!(a = arena_chunk(ix, n + 1 > total - sizeof *a ? n + 1 : total - sizeof *a))) return NULL;
    }
    char *o = a->bytes + a->used;
    memcpy(o, s, n);
    o[n] = 0;
    a->used += n + 1;
    return o;
}

static void id_index_free(id_index *ix)
{
    if (!ix) return;
    for (id_arena *a = ix->arena, *nx; a; a = nx) {
        nx = a->next;
        free(a);
    }
    srdi_hindex_free(&ix->index);
    arena_free(&ix->cells);
    free(ix);
}

srdi_dataset *srdi_dataset_new(srdi_reference *ref)
{
    srdi_dataset *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->ref = ref;
    d->cities = srdi_strpool_new();
    d->patents.keys = srdi_strpool_new();
    d->id_index = calloc(1, sizeof(id_index));
    if (!d->cities || !d->patents.keys || !d->id_index) {
        d->ref = NULL; /* the caller still owns ref on failure */
        srdi_dataset_free(d);
        return NULL;
    }
    return d;
}

static void patents_acc_free(srdi_patents *p);

/* One column of a table of rows: where its array pointer lives and the size of an element. */
typedef struct column {
    void **arr;
    size_t elem;
} column;

#define COLUMN(p) ((column){(void **)&(p), sizeof *(p)})
/* The fixed enterprise columns (the numeric ones, srdi_ecol, are apart). */
#define ENT_COLUMNS 7
/* The financial columns. */
#define FIN_COLUMNS 6

/* The ENT_COLUMNS enterprise columns of @p d into @p c. */
static void ent_columns(srdi_dataset *d, column c[ENT_COLUMNS])
{
    column fixed[ENT_COLUMNS] = {COLUMN(d->id),   COLUMN(d->name),     COLUMN(d->level),    COLUMN(d->province),
                                 COLUMN(d->city), COLUMN(d->industry), COLUMN(d->tech_eval)};
    memcpy(c, fixed, sizeof fixed);
}

/* The FIN_COLUMNS financial columns of @p d into @p c. */
static void fin_columns(srdi_dataset *d, column c[FIN_COLUMNS])
{
    column all[FIN_COLUMNS] = {COLUMN(d->fin_ent),       COLUMN(d->fin_year),
                               COLUMN(d->fin_revenue.v), COLUMN(d->fin_revenue.present),
                               COLUMN(d->fin_rd.v),      COLUMN(d->fin_rd.present)};
    memcpy(c, all, sizeof all);
}
#undef COLUMN

/* Free the @p n columns @p c (and set their pointers to NULL). */
static void columns_free(column *c, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(*c[k].arr);
        *c[k].arr = NULL;
    }
}

/*
 * Grow the @p n columns @p c from @p have to hold @p need rows (srdi_grow each,
 * all to one size).  Returns SRDI_OK, or SRDI_ERR_NOMEM (message set; the caller
 * may replace it); columns grown already keep their new size, the row count is the caller's.
 */
static srdi_status columns_reserve(column *c, size_t n, size_t have, size_t need)
{
    for (size_t k = 0; k < n; k++) {
        size_t cap = have;
        srdi_status st = srdi_grow(c[k].arr, &cap, need, c[k].elem);
        if (st != SRDI_OK) return st;
    }
    return SRDI_OK;
}

void srdi_dataset_free(srdi_dataset *d)
{
    if (!d) return;
    column c[ENT_COLUMNS];
    ent_columns(d, c);
    cell_arena none = {0}, *a = d->id_index ? &((id_index *)d->id_index)->cells : &none; /* unmapped last, with the index */
    for (size_t k = 0; k < ENT_COLUMNS; k++) {
        cells_free(a, *c[k].arr, 0);
        *c[k].arr = NULL;
    }
    for (int f = 0; f < SRDI_F_COUNT; f++) {
        cells_free(a, d->num[f].v, 0);
        free(d->num[f].bits);
    }
    fin_columns(d, c);
    columns_free(c, FIN_COLUMNS);
    srdi_strpool_free(d->cities);
    id_index_free(d->id_index);
    srdi_patents_free_facts(&d->patents);
    patents_acc_free(&d->patents);
    srdi_strpool_free(d->patents.keys);
    for (int i = 0; i < SRDI_FILE_COUNT; i++) {
        free(d->files[i].path);
        free(d->files[i].reject_reasons);
    }
    srdi_reference_free(d->ref);
    free(d);
}

/* Capacity of the financial columns of a table of @p n rows: 0, then 1024 doubling. */
static size_t fin_cap(size_t n)
{
    if (n == 0) return 0;
    size_t c = 1024;
    while (c < n) c *= 2;
    return c;
}

/* ================================================= narrow numeric columns */

/* Bytes of the presence bitmap of @p rows cells. */
static size_t bits_size(size_t rows)
{
    return rows / 8 + 1;
}

/* Bytes of @p n cells of width code @p w. */
static size_t cells_size(unsigned w, size_t n)
{
    return w == SRDI_ECOL_2BIT ? (n + 3) / 4 : w == SRDI_ECOL_CENTS ? 4 * n : w * n;
}

/* Rank of a width code by the values it holds (2-bit < 1 < 2 < 4 < cents < 8). */
static unsigned rank_of(unsigned w)
{
    switch (w) {
    case SRDI_ECOL_2BIT: return 0;
    case 1: return 1;
    case 2: return 2;
    case 4: return 3;
    case SRDI_ECOL_CENTS: return 4;
    default: return 5;
    }
}

/*
 * Grow column @p c from @p have to @p need cells (@p need > @p have), the new
 * ones missing.  SRDI_ERR_NOMEM (no message) leaves it as it was but for a
 * larger allocation.
 */
static srdi_status ecol_reserve(cell_arena *a, srdi_ecol *c, size_t have, size_t need)
{
    if (c->width == 0) c->width = SRDI_ECOL_2BIT;
    if (need > SIZE_MAX / 8) return SRDI_ERR_NOMEM;
    if (c->width == 8) {
        uint8_t *b = realloc(c->bits, bits_size(need));
        if (!b) return SRDI_ERR_NOMEM;
        memset(b + bits_size(have), 0, bits_size(need) - bits_size(have));
        c->bits = b;
    }
    size_t hb = cells_size(c->width, have), nb = cells_size(c->width, need);
    /* 2-bit cells stay malloc'ed: most such columns widen on their first values, and a block left in the
       range keeps its pages (a quarter byte a row each, 4 MB at 4x the national data) */
    void *p = cells_realloc(a, c->v, hb, nb, hb, c->width != SRDI_ECOL_2BIT);
    if (!p) return SRDI_ERR_NOMEM;
    /* missing: every bit set (the narrow forms: the cells of a last, partial byte of 2-bit
       cells were set so when it was allocated), 0 beside a clear bit (doubles) */
    memset((char *)p + hb, c->width == 8 ? 0 : 0xFF, nb - hb);
    c->v = p;
    return SRDI_OK;
}

/* Cell @p i of a narrow column of width code @p w (not 8), all ones when missing. */
static inline uint32_t cell_u(const void *v, unsigned w, size_t i)
{
    switch (w) {
    case SRDI_ECOL_2BIT: return (((const uint8_t *)v)[i >> 2] >> ((i & 3) * 2)) & 3u;
    case 1: return ((const uint8_t *)v)[i];
    case 2: return ((const uint16_t *)v)[i];
    default: return ((const uint32_t *)v)[i];
    }
}

/* The all-ones (missing) cell of width code @p w (not 8). */
static inline uint32_t missing_u(unsigned w)
{
    return w == SRDI_ECOL_2BIT ? 3u : w == 1 ? UINT8_MAX : w == 2 ? UINT16_MAX : UINT32_MAX;
}

/* Store @p x in narrow cell @p i of width code @p w. */
static inline void put_u(void *v, unsigned w, size_t i, uint32_t x)
{
    switch (w) {
    case SRDI_ECOL_2BIT: {
        uint8_t *b = &((uint8_t *)v)[i >> 2];
        unsigned sh = (unsigned)(i & 3) * 2;
        *b = (uint8_t)((*b & ~(3u << sh)) | (x << sh));
        break;
    }
    case 1: ((uint8_t *)v)[i] = (uint8_t)x; break;
    case 2: ((uint16_t *)v)[i] = (uint16_t)x; break;
    default: ((uint32_t *)v)[i] = x;
    }
}

/*
 * Widen column @p c of @p cap cells to width code @p w, every value kept
 * (an integer column becomes a cents column only from 2 bytes or less: its
 * values times 100 fit).  The cells of the @p used rows are converted in
 * place from the last one down (a wider cell i never overlaps a narrower
 * cell below i); the rest, all missing, are filled as missing at once (a
 * reader that reserved every row up front widens early, over few rows).
 * SRDI_ERR_NOMEM (no message) leaves it as it was.
 */
static srdi_status ecol_widen(cell_arena *a, srdi_ecol *c, size_t cap, size_t used, unsigned w)
{
    unsigned ow = c->width;
    uint8_t *bits = NULL;
    if (cap > SIZE_MAX / 8) return SRDI_ERR_NOMEM;
    if (w == 8 && !(bits = calloc(bits_size(cap), 1))) return SRDI_ERR_NOMEM;
    if (used > cap) used = cap;
    /* the used cells are kept (converted in place below), the rest filled */
    void *p = cells_size(w, cap) > cells_size(ow, cap)
                  ? cells_realloc(a, c->v, cells_size(ow, cap), cells_size(w, cap), cells_size(ow, used), true)
                  : c->v;
    if (!p) {
        free(bits);
        return SRDI_ERR_NOMEM;
    }
    uint32_t omiss = missing_u(ow);
    size_t wb = cells_size(w, 1); /* w is never the 2-bit form: whole bytes a cell */
    memset((char *)p + used * wb, w == 8 ? 0 : 0xFF, (cap - used) * wb);
    for (size_t i = used; i-- > 0;) {
        uint32_t x = cell_u(p, ow, i);
        if (w == 8) {
            double y = x == omiss ? 0 : ow == SRDI_ECOL_CENTS ? (double)x / 100.0 : (double)x;
            ((double *)p)[i] = y;
            if (x != omiss) bits[i >> 3] |= (uint8_t)(1u << (i & 7));
        } else if (w == SRDI_ECOL_CENTS) {
            ((uint32_t *)p)[i] = x == omiss ? UINT32_MAX : x * 100u; /* ow is 2 bytes at most: ≤ 6,553,400 */
        } else {
            put_u(p, w, i, x == omiss ? missing_u(w) : x);
        }
    }
    c->v = p;
    c->bits = bits;
    c->width = (uint8_t)w;
    return SRDI_OK;
}

/*
 * The narrowest width code that holds @p v exactly (its cell in *k when not
 * 8): SRDI_ECOL_2BIT, 1, 2 or 4 for an integer 0 … 2^32 − 2 that converts back
 * to the same bits (not −0), SRDI_ECOL_CENTS for k / 100.0 == v, else 8.
 */
static inline unsigned width_of(double v, uint32_t *k)
{
    if (v >= 0 && v <= 4294967294.0 && !signbit(v)) {
        uint32_t x = (uint32_t)v;
        if ((double)x == v) {
            *k = x;
            return x < 3 ? SRDI_ECOL_2BIT : x < UINT8_MAX ? 1 : x < UINT16_MAX ? 2 : 4;
        }
        double h = nearbyint(v * 100.0);
        if (h < 4294967295.0) {
            uint32_t y = (uint32_t)h;
            if ((double)y / 100.0 == v) {
                *k = y;
                return SRDI_ECOL_CENTS;
            }
        }
    }
    return 8;
}

/* srdi_dataset_set of column @p c holding @p cap cells, the first @p used of them rows (row < used). */
static inline srdi_status ecol_set(cell_arena *a, srdi_ecol *c, size_t cap, size_t used, size_t row, double v)
{
    uint32_t k = 0;
    unsigned w = width_of(v, &k);
    unsigned cw = c->width;
    if (w != cw && rank_of(w) > rank_of(cw)) {
        /* an integer column meeting hundredths: cents when its values fit (2 bytes at most), else doubles */
        unsigned to = w == SRDI_ECOL_CENTS && rank_of(cw) > rank_of(2) ? 8 : w;
        if (ecol_widen(a, c, cap, used, to) != SRDI_OK) return SRDI_ERR_NOMEM;
        cw = to;
    }
    if (cw == SRDI_ECOL_CENTS && w != SRDI_ECOL_CENTS) {
        /* an integer into a cents column: its hundredths, when they fit */
        double h = v * 100.0;
        if (h < 4294967295.0)
            k = (uint32_t)h;
        else {
            if (ecol_widen(a, c, cap, used, 8) != SRDI_OK) return SRDI_ERR_NOMEM;
            cw = 8;
        }
    }
    if (cw == 8) {
        ((double *)c->v)[row] = v;
        c->bits[row >> 3] |= (uint8_t)(1u << (row & 7));
    } else {
        put_u(c->v, cw, row, k);
    }
    return SRDI_OK;
}

/* The numeric columns left without cells by srdi_dataset_reserve_rows given cap rows, all missing. */
static srdi_status cols_fill(srdi_dataset *d)
{
    id_index *ix = d->id_index;
    for (int f = 0; f < SRDI_F_COUNT; f++) {
        srdi_ecol *c = &d->num[f];
        if (c->v) continue;
        if (c->width == 8) c->width = 0; /* (never without cells: a width hint is 1, 2 or 4) */
        if (ecol_reserve(&ix->cells, c, 0, ix->cap) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (dataset of %zu enterprises)", ix->cap);
    }
    ix->cols_short = false;
    return SRDI_OK;
}

/* Grow every enterprise column to hold @p need rows (missing or zero beyond the rows added): the fixed ones,
   and the numeric ones with @p cols (else they are left for cols_fill). */
static srdi_status ent_reserve_cols(srdi_dataset *d, size_t need, bool cols)
{
    id_index *ix = d->id_index;
    if (ix->cols_short) {
        hash_drop(d); /* columns without cells get theirs */
        srdi_status st = cols_fill(d);
        if (st != SRDI_OK) return st;
    }
    if (need <= ix->cap) return SRDI_OK;
    hash_drop(d);
    column c[ENT_COLUMNS];
    ent_columns(d, c);
    size_t fixed = 0;
    for (size_t k = 0; k < ENT_COLUMNS; k++) fixed += c[k].elem;
    arena_make(&ix->cells, need, fixed);
    for (size_t k = 0; k < ENT_COLUMNS; k++) { /* exactly @p need: a reserve from the row count is the peak */
        if (need > SIZE_MAX / c[k].elem) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (dataset of %zu enterprises)", need);
        /* in the range, else the first block of a column with 2 MiB pages when large (a small page's fault is dear) */
        void *p = cells_realloc(&ix->cells, *c[k].arr, ix->cap * c[k].elem, need * c[k].elem, ix->cap * c[k].elem, true);
        if (!p) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (dataset of %zu enterprises)", need);
        if (!in_arena(&ix->cells, p)) /* the range's bytes are zero: never handed out before (cells_free) */
            memset((char *)p + ix->cap * c[k].elem, 0, (need - ix->cap) * c[k].elem);
        *c[k].arr = p;
    }
    if (!ix->arena && need >= srdi_dataset_arena_min_rows && need <= SIZE_MAX / 64)
        /* the ids' and names' first chunk, for ~64 bytes a row, on 2 MiB pages: pages past the strings are never
           touched (not in memory), while the chunks grown from 256 KiB took a small page's fault every 4 KiB;
           none (out of memory): arena_dup grows them so */
        (void)arena_chunk(ix, need * 64);
    for (int f = 0; cols && f < SRDI_F_COUNT; f++)
        if (ecol_reserve(&ix->cells, &d->num[f], ix->cap, need) != SRDI_OK) /* columns grown already keep their size */
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (dataset of %zu enterprises)", need);
    ix->cols_short = !cols;
    ix->cap = need;
    return SRDI_OK;
}

static srdi_status ent_reserve(srdi_dataset *d, size_t need)
{
    return ent_reserve_cols(d, need, true);
}

srdi_status srdi_dataset_reserve(srdi_dataset *d, size_t n)
{
    id_index *ix = d->id_index;
    if (n <= ix->cap && !ix->cols_short) return SRDI_OK;
    srdi_status st = ent_reserve(d, n);
    if (st == SRDI_OK && srdi_hindex_reserve(&ix->index, n) != SRDI_OK)
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory (index of %zu enterprises)", n);
    return st;
}

/* Row of @p id whose hash is @p h, or -1. */
static long index_find(const srdi_dataset *d, const char *id, uint64_t h)
{
    const id_index *ix = d->id_index;
    size_t pos;
    for (uint32_t r = srdi_hindex_first(&ix->index, h, &pos); r != SRDI_HINDEX_NONE;
         r = srdi_hindex_next(&ix->index, h, &pos)) {
        assert(r < d->n);
        if (strcmp(d->id[r], id) == 0) return (long)r;
    }
    return -1;
}

/* Row of @p id (@p n bytes, no NUL inside) whose hash is @p h, or -1. */
static long index_find_n(const srdi_dataset *d, const char *id, size_t n, uint64_t h)
{
    const id_index *ix = d->id_index;
    size_t pos;
    for (uint32_t r = srdi_hindex_first(&ix->index, h, &pos); r != SRDI_HINDEX_NONE;
         r = srdi_hindex_next(&ix->index, h, &pos)) {
        assert(r < d->n);
        if (strncmp(d->id[r], id, n) == 0 && d->id[r][n] == 0) return (long)r;
    }
    return -1;
}

long srdi_dataset_find(const srdi_dataset *d, const char *id)
{
    const id_index *ix = d->id_index;
    if (ix->sealed) {
        for (size_t r = 0; r < d->n; r++)
            if (strcmp(d->id[r], id) == 0) return (long)r;
        return -1;
    }
    return index_find(d, id, srdi_hash_mem(id, strlen(id)));
}

long srdi_dataset_find_hashed(const srdi_dataset *d, const char *id, size_t n, uint64_t h)
{
    const id_index *ix = d->id_index;
    if (ix->sealed) {
        for (size_t r = 0; r < d->n; r++)
            if (strncmp(d->id[r], id, n) == 0 && d->id[r][n] == 0) return (long)r;
        return -1;
    }
    return index_find_n(d, id, n, h);
}

void srdi_dataset_prefetch_id(const srdi_dataset *d, uint64_t h)
{
    const id_index *ix = d->id_index;
    if (!ix->sealed) srdi_hindex_prefetch(&ix->index, h);
}

void srdi_dataset_seal(srdi_dataset *d)
{
    id_index *ix = d->id_index;
    srdi_hindex_free(&ix->index);
    ix->sealed = true;
}

/* Build the index of a sealed dataset again (rows are about to be added). */
static srdi_status unseal(srdi_dataset *d)
{
    id_index *ix = d->id_index;
    if (!ix->sealed) return SRDI_OK;
    if (srdi_hindex_reserve(&ix->index, d->n + 1) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (index of %zu enterprises)", d->n + 1);
    for (size_t r = 0; r < d->n; r++)
        if (srdi_hindex_add(&ix->index, srdi_hash_mem(d->id[r], strlen(d->id[r])), (uint32_t)r) != SRDI_OK) {
            srdi_hindex_free(&ix->index);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (index of %zu enterprises)", d->n + 1);
        }
    ix->sealed = false;
    return SRDI_OK;
}

/* Append row @p e (its id not in the index): srdi_dataset_add_row after the duplicate check. */
static srdi_status add_row(srdi_dataset *d, const srdi_ent_row *e, size_t *row)
{
    hash_drop(d);
    size_t r = d->n;
    id_index *ix = d->id_index;
    srdi_status st = r == ix->cap ? ent_reserve(d, r < 1024 ? 1024 : 2 * r) : SRDI_OK;
    if (st != SRDI_OK) return st; /* SRDI_ERR_NOMEM, message set */
    char *idc = arena_dup(ix, e->id, e->id_n), *nc = idc ? arena_dup(ix, e->name ? e->name : "", e->name_n) : NULL;
    if (!nc) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding enterprise %.*s", (int)e->id_n, e->id);
    d->id[r] = idc;
    d->name[r] = nc;
    d->level[r] = (uint8_t)e->level;
    d->province[r] = (uint16_t)(e->province < 0 ? 0 : e->province);
    d->city[r] = e->city;
    srdi_strlcpy(d->industry[r], e->industry4 ? e->industry4 : "", sizeof d->industry[r]);
    d->tech_eval[r] = (uint8_t)e->te; /* the numeric cells of row r are missing since they grew */
    if (srdi_hindex_add(&ix->index, e->id_hash, (uint32_t)r) != SRDI_OK) /* the arena copies are freed with d */
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory indexing enterprise %.*s", (int)e->id_n, e->id);
    d->n = r + 1;
    if (row) *row = r;
    return SRDI_OK;
}

srdi_status srdi_dataset_reserve_rows(srdi_dataset *d, size_t n)
{
    id_index *ix = d->id_index;
    if (d->n == 0 && ix->cols_short && n <= ix->cap) return SRDI_OK;  /* reserved so already */
    if (d->n != 0 || ix->cap != 0) return srdi_dataset_reserve(d, n); /* cells to keep: the whole reserve */
    if (n == 0) return SRDI_OK;
    srdi_status st = ent_reserve_cols(d, n, false);
    if (st == SRDI_OK && srdi_hindex_reserve(&ix->index, n) != SRDI_OK)
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory (index of %zu enterprises)", n);
    return st;
}

char *srdi_dataset_string_room(srdi_dataset *d, size_t len)
{
    id_index *ix = d->id_index;
    id_arena *a = ix->arena;
    if (!a || a->cap - a->used < len) a = len <= SIZE_MAX - sizeof *a - 1 ? arena_chunk(ix, len + 1) : NULL;
    if (!a) return NULL;
    char *o = a->bytes + a->used;
    a->used += len;
    return o;
}

srdi_status srdi_dataset_rows_adopt(srdi_dataset *d, size_t n, char *strs, size_t len, const uint32_t *lens,
                                   const uint64_t *hashes)
{
    hash_drop(d);
    id_index *ix = d->id_index;
    if (d->n != 0 || ix->sealed || ix->cap < n)
        return srdi_error_set(SRDI_ERR_INTERNAL, "rows adopted by a dataset not empty and reserved");
    if (srdi_hindex_reserve(&ix->index, n) != SRDI_OK) return SRDI_ERR_NOMEM; /* message set */
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 16 < n) srdi_hindex_prefetch(&ix->index, hashes[i + 16]);
        size_t a = lens[2 * i], b = lens[2 * i + 1];
        if (a >= len - at || b >= len - at - a - 1 || strs[at + a] || strs[at + a + 1 + b])
            return srdi_error_set(SRDI_ERR_INTERNAL, "row %zu: its id and name do not end where their lengths say", i);
        d->id[i] = strs + at;
        d->name[i] = strs + at + a + 1;
        at += a + b + 2;
        if (srdi_hindex_add(&ix->index, hashes[i], (uint32_t)i) != SRDI_OK) return SRDI_ERR_NOMEM; /* (reserved) */
    }
    if (at != len) return srdi_error_set(SRDI_ERR_INTERNAL, "%zu bytes of ids and names beyond the last row", len - at);
    d->n = n;
    return SRDI_OK;
}

/* The prepared row of the strings of srdi_dataset_add_enterprise (@p city interned). */
static srdi_status str_row(srdi_dataset *d, const char *id, const char *name, srdi_level level, int province,
                           const char *city, const char *industry4, srdi_tech_eval te, srdi_ent_row *e)
{
    size_t idn = strlen(id);
    *e = (srdi_ent_row){id, idn, srdi_hash_mem(id, idn), name, name ? strlen(name) : 0, level, province, 0, industry4,
                        te};
    e->city = srdi_strpool_intern(d->cities, city ? city : "");
    if (e->city == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding enterprise %s", id);
    return SRDI_OK;
}

srdi_status srdi_dataset_add_enterprise(srdi_dataset *d, const char *id, const char *name, srdi_level level,
                                        int province, const char *city, const char *industry4, srdi_tech_eval te,
                                        size_t *row)
{
    srdi_status st = unseal(d);
    srdi_ent_row e;
    if (st == SRDI_OK) st = str_row(d, id, name, level, province, city, industry4, te, &e);
    return st != SRDI_OK ? st : add_row(d, &e, row);
}

srdi_status srdi_dataset_add_enterprise_new(srdi_dataset *d, const char *id, const char *name, srdi_level level,
                                            int province, const char *city, const char *industry4, srdi_tech_eval te,
                                            size_t *row, long *dup)
{
    size_t idn = strlen(id);
    srdi_status st = unseal(d);
    if (st != SRDI_OK) return st;
    *dup = index_find(d, id, srdi_hash_mem(id, idn));
    if (*dup >= 0) return SRDI_OK;
    srdi_ent_row e;
    if ((st = str_row(d, id, name, level, province, city, industry4, te, &e)) != SRDI_OK) return st;
    return add_row(d, &e, row);
}

srdi_status srdi_dataset_add_row(srdi_dataset *d, const srdi_ent_row *e, size_t *row)
{
    srdi_status st = unseal(d);
    return st != SRDI_OK ? st : add_row(d, e, row);
}

void srdi_dataset_column_bytes(const srdi_dataset *d, srdi_field f, unsigned *width, const void **cells,
                               size_t *ncells, const uint8_t **bits, size_t *nbits)
{
    const srdi_ecol *c = &d->num[f];
    *width = c->width;
    *cells = c->v;
    *ncells = c->width ? cells_size(c->width, d->n) : 0;
    *bits = c->width == 8 ? c->bits : NULL;
    *nbits = c->width == 8 ? bits_size(d->n) : 0;
}

/* ---------------------------------------------------- the rows' content hashes */

/* The content hash of numeric column @p f of the rows of @p d (NULL: no rows): its width, cells and bitmap as stored. */
static uint64_t field_hash(const srdi_dataset *d, int f)
{
    srdi_stream_hash c;
    srdi_sh_init(&c);
    srdi_sh_u64(&c, (uint64_t)f);
    if (d && d->n) {
        unsigned width;
        const void *cells;
        const uint8_t *bits;
        size_t ncells, nbits;
        srdi_dataset_column_bytes(d, (srdi_field)f, &width, &cells, &ncells, &bits, &nbits);
        srdi_sh_u64(&c, width);
        srdi_sh_u64(&c, ncells);
        if (ncells) srdi_sh_update(&c, cells, ncells);
        srdi_sh_u64(&c, bits ? nbits : UINT64_MAX);
        if (bits && nbits) srdi_sh_update(&c, bits, nbits);
    }
    return srdi_sh_final(&c);
}

/* The content hash of the fixed columns of the rows of @p d (NULL: no rows) and of the city names. */
static uint64_t fixed_hash(const srdi_dataset *d)
{
    srdi_stream_hash w;
    srdi_sh_init(&w);
    srdi_sh_str(&w, "enterprises");
    size_t n = d ? d->n : 0;
    srdi_sh_u64(&w, n);
    if (!n) return srdi_sh_final(&w);
    /* ids and names with their NULs (no string holds one), a block at a time */
    char blk[4096];
    size_t nb = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        const char *str = (i & 1) ? d->name[i >> 1] : d->id[i >> 1];
        if (!str) str = "";
        for (;;) {
            size_t room = sizeof blk - nb;
            const char *z = memccpy(blk + nb, str, 0, room);
            if (z) {
                nb = (size_t)(z - blk);
                break;
            }
            srdi_sh_update(&w, blk, sizeof blk);
            str += room;
            nb = 0;
        }
    }
    srdi_sh_update(&w, blk, nb);
    srdi_sh_update(&w, d->level, n * sizeof *d->level);
    srdi_sh_update(&w, d->province, n * sizeof *d->province);
    srdi_sh_update(&w, d->city, n * sizeof *d->city);
    srdi_sh_update(&w, d->industry, n * sizeof *d->industry);
    srdi_sh_update(&w, d->tech_eval, n * sizeof *d->tech_eval);
    srdi_sh_pool(&w, d->cities); /* the city names */
    return srdi_sh_final(&w);
}

bool srdi_dataset_content_hashes(const srdi_dataset *d, uint64_t *fixed, uint64_t fields[SRDI_F_COUNT])
{
    const id_index *ix = d ? d->id_index : NULL;
    uint64_t known = ix && ix->hash_n == d->n && d->cities && ix->hash_ncities == srdi_strpool_count(d->cities)
                         ? atomic_load_explicit(&ix->hash_known, memory_order_relaxed)
                         : 0; /* rows or city names added since: none holds */
    *fixed = known & HASH_FIXED ? ix->hash_fixed : fixed_hash(d);
    for (int f = 0; f < SRDI_F_COUNT; f++) fields[f] = (known >> f) & 1 ? ix->hash_fields[f] : field_hash(d, f);
    return known == HASH_ALL;
}

void srdi_dataset_content_hashes_known(srdi_dataset *d, uint64_t fixed, const uint64_t fields[SRDI_F_COUNT])
{
    id_index *ix = d->id_index;
    atomic_store_explicit(&ix->hash_known, d->cities ? HASH_ALL : 0, memory_order_relaxed);
    ix->hash_n = d->n;
    ix->hash_ncities = d->cities ? srdi_strpool_count(d->cities) : 0;
    ix->hash_fixed = fixed;
    memcpy(ix->hash_fields, fields, sizeof ix->hash_fields);
}

void srdi_dataset_content_hashes_drop(srdi_dataset *d)
{
    hash_drop(d);
}

srdi_status srdi_dataset_column_load(srdi_dataset *d, srdi_field f, unsigned width, const void *cells, size_t ncells,
                                     const uint8_t *bits, size_t nbits, size_t n)
{
    hash_drop_field(d, f);
    id_index *ix = d->id_index;
    srdi_ecol *c = &d->num[f];
    size_t cap = ix->cap;
    if (width == 0) /* left as it is: no cells to give */
        return ncells || nbits ? srdi_error_set(SRDI_ERR_INTERNAL, "column %s: cells at width 0", fields[f].name)
                               : SRDI_OK;
    if (width != SRDI_ECOL_2BIT && width != 1 && width != 2 && width != 4 && width != SRDI_ECOL_CENTS && width != 8)
        return srdi_error_set(SRDI_ERR_INTERNAL, "column %s: width code %u", fields[f].name, width);
    if (cap < n || cap > SIZE_MAX / 8) return srdi_error_set(SRDI_ERR_INTERNAL, "column %s: %zu rows", fields[f].name, n);
    size_t nb = cells_size(width, cap), have = cells_size(width, n);
    if (ncells != have || nbits != (width == 8 ? bits_size(n) : 0) || (width == 8 && !bits))
        return srdi_error_set(SRDI_ERR_INTERNAL, "column %s: %zu + %zu bytes for %zu rows at width %u", fields[f].name,
                              ncells, nbits, n, width);
    void *v = cells_alloc(&ix->cells, nb ? nb : 1, width != SRDI_ECOL_2BIT); /* written whole below */
    uint8_t *b = width == 8 ? calloc(bits_size(cap), 1) : NULL;
    if (!v || (width == 8 && !b)) {
        cells_free(&ix->cells, v, nb ? nb : 1);
        free(b);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory loading column %s (%zu enterprises)", fields[f].name, n);
    }
    memcpy(v, cells, have);
    memset((char *)v + have, width == 8 ? 0 : 0xFF, nb - have); /* rows beyond n: missing */
    if (b) memcpy(b, bits, bits_size(n));
    cells_free(&ix->cells, c->v, c->width ? cells_size(c->width, cap) : 0);
    free(c->bits);
    c->v = v;
    c->bits = b;
    c->width = (uint8_t)width;
    return SRDI_OK;
}

srdi_status srdi_dataset_set(srdi_dataset *d, size_t row, srdi_field f, double v)
{
    hash_drop_field(d, f);
    const id_index *ix = d->id_index;
    if (ecol_set(&((id_index *)d->id_index)->cells, &d->num[f], ix->cap, d->n, row, v) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory widening column %s (%zu enterprises)", fields[f].name, ix->cap);
    return SRDI_OK;
}

void srdi_dataset_clear(srdi_dataset *d, size_t row, srdi_field f)
{
    hash_drop_field(d, f);
    srdi_ecol *c = &d->num[f];
    switch (c->width) {
    case 0: break; /* no cell yet: all missing */
    case SRDI_ECOL_2BIT: put_u(c->v, SRDI_ECOL_2BIT, row, 3); break;
    case 1: ((uint8_t *)c->v)[row] = UINT8_MAX; break;
    case 2: ((uint16_t *)c->v)[row] = UINT16_MAX; break;
    case 8:
        ((double *)c->v)[row] = 0;
        c->bits[row >> 3] &= (uint8_t) ~(1u << (row & 7));
        break;
    default: ((uint32_t *)c->v)[row] = UINT32_MAX; /* 4 and cents */
    }
}

srdi_status srdi_dataset_patch_row(srdi_dataset *d, size_t row, const srdi_ent_row *e)
{
    if (row >= d->n || strlen(d->id[row]) != e->id_n || memcmp(d->id[row], e->id, e->id_n) != 0 ||
        d->city[row] != e->city)
        return srdi_error_set(SRDI_ERR_INTERNAL, "enterprise row %zu patched with another id or city (%.*s)", row,
                              (int)e->id_n, e->id);
    const char *old = d->name[row];
    uint16_t prov = (uint16_t)(e->province < 0 ? 0 : e->province);
    char ind[sizeof d->industry[row]]; /* the code as srdi_strlcpy leaves it over the old one */
    memcpy(ind, d->industry[row], sizeof ind);
    srdi_strlcpy(ind, e->industry4 ? e->industry4 : "", sizeof ind);
    bool name_moved = strlen(old) != e->name_n || (e->name_n && memcmp(old, e->name, e->name_n) != 0);
    if (name_moved || d->level[row] != (uint8_t)e->level || d->province[row] != prov ||
        memcmp(d->industry[row], ind, sizeof ind) != 0 || d->tech_eval[row] != (uint8_t)e->te)
        atomic_fetch_and_explicit(&((id_index *)d->id_index)->hash_known, ~HASH_FIXED,
                                  memory_order_relaxed); /* the fixed columns' hash, when they change */
    if (name_moved) {
        char *nc = arena_dup(d->id_index, e->name ? e->name : "", e->name_n); /* the old copy stays in the arena */
        if (!nc) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory patching enterprise %.*s", (int)e->id_n, e->id);
        d->name[row] = nc;
    }
    d->level[row] = (uint8_t)e->level;
    d->province[row] = prov;
    memcpy(d->industry[row], ind, sizeof ind);
    d->tech_eval[row] = (uint8_t)e->te;
    return SRDI_OK;
}

srdi_status srdi_dataset_set_fields(srdi_dataset *d, size_t row, const double vals[SRDI_F_COUNT],
                                    const bool present[SRDI_F_COUNT])
{
    for (int f = 0; f < SRDI_F_COUNT; f++)
        if (present[f]) hash_drop_field(d, (srdi_field)f);
    const id_index *ix = d->id_index;
    for (int f = 0; f < SRDI_F_COUNT; f++)
        if (present[f] && ecol_set(&((id_index *)d->id_index)->cells, &d->num[f], ix->cap, d->n, row, vals[f]) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory widening column %s (%zu enterprises)", fields[f].name,
                                  ix->cap);
    return SRDI_OK;
}

void srdi_dataset_width_hint(srdi_dataset *d, srdi_field f, unsigned width)
{
    hash_drop_field(d, f);
    const id_index *ix = d->id_index;
    srdi_ecol *c = &d->num[f];
    if ((width == 1 || width == 2 || width == 4) && d->n == 0 && ix->cap == 0 && c->width == 0 && !c->v)
        c->width = (uint8_t)width;
}

srdi_status srdi_dataset_set_cells(srdi_dataset *d, srdi_field f, const uint32_t *rows, size_t row0, size_t n,
                                   const uint32_t *k, const double *v, unsigned width)
{
    hash_drop_field(d, f);
    const id_index *ix = d->id_index;
    srdi_ecol *c = &d->num[f];
    if (n == 0) return SRDI_OK;
    if (c->width == 0) c->width = SRDI_ECOL_2BIT;
    unsigned cw = c->width;
    if (cw == SRDI_ECOL_2BIT && width == 1) { /* a flag column: as below when every present cell is 0, 1 or 2 */
        bool fits = true;
        for (size_t i = 0; i < n && fits; i++) fits = k[i] < 3 || k[i] == UINT32_MAX;
        if (fits) {
            size_t i = 0;
            if (!rows) { /* whole bytes of four cells at once (a missing cell's low bits are 3, as it was) */
                uint8_t *b = c->v;
                for (; i < n && ((row0 + i) & 3); i++)
                    if (k[i] != UINT32_MAX) put_u(c->v, SRDI_ECOL_2BIT, row0 + i, k[i]);
                for (; i + 4 <= n; i += 4)
                    b[(row0 + i) >> 2] =
                        (uint8_t)((k[i] & 3) | (k[i + 1] & 3) << 2 | (k[i + 2] & 3) << 4 | (k[i + 3] & 3) << 6);
            }
            for (; i < n; i++) {
                if ((rows && rows[i] == UINT32_MAX) || k[i] == UINT32_MAX) continue;
                put_u(c->v, SRDI_ECOL_2BIT, rows ? rows[i] : row0 + i, k[i]);
            }
            return SRDI_OK;
        }
    }
    if (width == 8 || (cw != 1 && cw != 2 && cw != 4) || width > cw) {
        /* the column's own forms (2 bits, cents, doubles) or a wider value: cell by cell, as srdi_dataset_set */
        for (size_t i = 0; i < n; i++) {
            if ((rows && rows[i] == UINT32_MAX) || k[i] == UINT32_MAX) continue;
            double x = width == 8 && v ? v[i] : (double)k[i];
            if (ecol_set(&((id_index *)d->id_index)->cells, c, ix->cap, d->n, rows ? rows[i] : row0 + i, x) != SRDI_OK)
                return srdi_error_set(SRDI_ERR_NOMEM, "out of memory widening column %s (%zu enterprises)",
                                      fields[f].name, ix->cap);
        }
        return SRDI_OK;
    }
    /* integers that fit the column as they are; a missing cell (all ones) narrows to the missing cell of widths 1 and 2 */
    if (!rows) {
        switch (cw) {
        case 1: {
            uint8_t *o = (uint8_t *)c->v + row0;
            size_t i = 0;
#if defined(__SSE2__)
            const __m128i lo = _mm_set1_epi32(0xFF); /* the low bytes, 16 cells at a time */
            for (; i + 16 <= n; i += 16) {
                __m128i a = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(k + i)), lo);
                __m128i b = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(k + i + 4)), lo);
                __m128i x = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(k + i + 8)), lo);
                __m128i y = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(k + i + 12)), lo);
                _mm_storeu_si128((__m128i *)(void *)(o + i),
                                 _mm_packus_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(x, y)));
            }
#endif
            for (; i < n; i++) o[i] = (uint8_t)k[i];
            return SRDI_OK;
        }
        case 2:
            for (size_t i = 0; i < n; i++) ((uint16_t *)c->v)[row0 + i] = (uint16_t)k[i];
            return SRDI_OK;
        default: memcpy((uint32_t *)c->v + row0, k, n * sizeof *k); return SRDI_OK;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (rows[i] == UINT32_MAX) continue;
        put_u(c->v, cw, rows[i], k[i]);
    }
    return SRDI_OK;
}

srdi_status srdi_dataset_add_financial(srdi_dataset *d, uint32_t ent, int year, double revenue, double rd)
{
    size_t r = d->n_fin;
    if (fin_cap(r) == r) {
        column c[FIN_COLUMNS];
        fin_columns(d, c);
        if (columns_reserve(c, FIN_COLUMNS, r, fin_cap(r + 1)) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (%zu financial rows)", fin_cap(r + 1));
    }
    d->fin_ent[r] = ent;
    d->fin_year[r] = (int16_t)year;
    d->fin_revenue.present[r] = !isnan(revenue);
    d->fin_revenue.v[r] = isnan(revenue) ? 0 : revenue;
    d->fin_rd.present[r] = !isnan(rd);
    d->fin_rd.v[r] = isnan(rd) ? 0 : rd;
    d->n_fin = r + 1;
    d->has_financials = true;
    return SRDI_OK;
}

int srdi_dataset_latest_fin_year(const srdi_dataset *d)
{
    int y = 0;
    if (!d || !d->has_financials) return 0;
    for (size_t k = 0; k < d->n_fin; k++)
        if (d->fin_year[k] > y) y = d->fin_year[k];
    return y;
}

/* ====================================================== patent aggregates */

void srdi_patents_free_facts(srdi_patents *p)
{
    if (p->map)
        munmap(p->map, p->map_size);
    else
        free(p->facts);
    p->map = NULL;
    p->map_size = 0;
    p->facts = NULL;
    p->n_facts = 0;
    p->has_digest = false;
}

void srdi_patents_release(srdi_patents *p)
{
    srdi_patents_free_facts(p);
    p->released = true;
}

uint64_t srdi_patents_digest(const srdi_patents *p)
{
    if (p->has_digest) return p->digest;
    srdi_stream_hash h;
    srdi_sh_init(&h);
    /* a fact's 16 bytes as two words, the padding byte (it holds anything) masked out */
    _Static_assert(sizeof(srdi_pfact) == 16, "srdi_pfact: 16 bytes");
    union {
        srdi_pfact f;
        uint64_t w[2];
    } mask;
    memset(&mask, 0, sizeof mask);
    mask.f.ent = UINT32_MAX;
    mask.f.year = -1;
    mask.f.kind = UINT8_MAX;
    mask.f.key = UINT32_MAX;
    mask.f.count = UINT32_MAX;
    uint64_t rec[2 * 256];
    size_t k = 0;
    const unsigned char *f = (const unsigned char *)p->facts;
    for (size_t i = 0; i < p->n_facts; i++, f += 16) {
        uint64_t a, b;
        memcpy(&a, f, 8);
        memcpy(&b, f + 8, 8);
        rec[k] = a & mask.w[0];
        rec[k + 1] = b & mask.w[1];
        if ((k += 2) == sizeof rec / sizeof rec[0]) {
            srdi_sh_update(&h, rec, sizeof rec);
            k = 0;
        }
    }
    if (k) srdi_sh_update(&h, rec, k * sizeof rec[0]);
    return srdi_sh_final(&h);
}

typedef struct pacc {  /* facts being added up: a list and THE hash index over it */
    srdi_pfact *facts; /* unique (ent, year, kind, key), in first-seen order */
    size_t n, cap;
    srdi_hindex index; /* fact_hash → index into facts */
} pacc;

static uint64_t fact_hash(uint32_t ent, int year, int kind, uint32_t key)
{
    uint64_t h = ((uint64_t)ent * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)(uint16_t)year << 40) ^ ((uint64_t)kind << 56) ^
                 ((uint64_t)key * 0xC2B2AE3D27D4EB4Full);
    return srdi_hash_mix(h);
}

static void patents_acc_free(srdi_patents *p)
{
    pacc *a = p->acc;
    if (a) {
        free(a->facts);
        srdi_hindex_free(&a->index);
        free(a);
    }
    p->acc = NULL;
}

/* Add @p f to the accumulator: its count joins an equal fact's, or it is a new one. */
static srdi_status pacc_add(pacc *a, const srdi_pfact *f)
{
    uint64_t h = fact_hash(f->ent, f->year, f->kind, f->key);
    size_t pos;
    for (uint32_t i = srdi_hindex_first(&a->index, h, &pos); i != SRDI_HINDEX_NONE;
         i = srdi_hindex_next(&a->index, h, &pos)) {
        srdi_pfact *s = &a->facts[i];
        if (s->ent == f->ent && s->year == f->year && s->kind == f->kind && s->key == f->key) {
            s->count += f->count;
            return SRDI_OK;
        }
    }
    if (a->n >= SRDI_HINDEX_NONE - 1)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (more than %u patent facts)", SRDI_HINDEX_NONE - 1);
    srdi_status st = srdi_grow((void **)&a->facts, &a->cap, a->n + 1, sizeof *a->facts);
    if (st == SRDI_OK) st = srdi_hindex_add(&a->index, h, (uint32_t)a->n);
    if (st != SRDI_OK) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding up patent facts (%zu)", a->n + 1);
    a->facts[a->n++] = *f;
    return SRDI_OK;
}

srdi_status srdi_patents_add(srdi_patents *p, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key,
                             uint32_t count)
{
    if (count == 0) return SRDI_OK;
    pacc *a = p->acc;
    if (!a) {
        if (!(a = p->acc = calloc(1, sizeof *a)))
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding up patent facts");
        /* carry facts of an earlier finish back into the accumulator */
        for (size_t i = 0; i < p->n_facts; i++) {
            srdi_status st = pacc_add(a, &p->facts[i]);
            if (st != SRDI_OK) return st;
        }
        srdi_patents_free_facts(p);
    }
    srdi_pfact f = {ent, (int16_t)year, (uint8_t)kind, key, count};
    return pacc_add(a, &f);
}

int srdi_pfact_cmp(const void *x, const void *y)
{
    const srdi_pfact *a = x, *b = y;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if (a->year != b->year) return a->year < b->year ? -1 : 1;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    if (a->ent != b->ent) return a->ent < b->ent ? -1 : 1;
    return 0;
}

srdi_status srdi_patents_finish(srdi_patents *p)
{
    pacc *a = p->acc;
    if (!a) return SRDI_OK;
    /* the list becomes the facts: sorted, the index dropped */
    srdi_pfact *out = a->facts;
    size_t n = a->n;
    a->facts = NULL;
    a->n = a->cap = 0;
    if (n) qsort(out, n, sizeof *out, srdi_pfact_cmp);
    srdi_patents_free_facts(p);
    p->facts = out;
    p->n_facts = n;
    patents_acc_free(p);
    return SRDI_OK;
}
