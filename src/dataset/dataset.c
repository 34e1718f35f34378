/*
 * dataset.c — the columnar dataset: enterprise rows, financial rows and the
 * streaming patent aggregates.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/dataset.h"

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
 * The id index: open addressing over rows (slot = row + 1, 0 = empty) with
 * a 32-bit tag of each slot's hash beside it, so a probe compares strings
 * only when the tags agree (no pointer chase into a string per probe), and
 * each row's hash kept, so growing never hashes an id again.  The id and
 * name strings live in an arena of large chunks (two mallocs per row cost
 * more than the rest of adding the row).
 */
typedef struct id_arena {
    struct id_arena *next;
    size_t           used, cap;
    char             bytes[];
} id_arena;

typedef struct id_slot {
    uint32_t row;                /* row + 1, 0 = empty */
    uint32_t tag;                /* tag of the hash of the row's id */
} id_slot;

typedef struct id_index {
    id_slot  *slots;             /* row and tag side by side: one cache line per probe */
    uint64_t *row_hash;          /* hash of each row's id */
    size_t    nslots, cap_rows;
    id_arena *arena;             /* newest chunk first */
} id_index;

/* Hash of a NUL-terminated id, eight bytes at a time; *len gets its length. */
static uint64_t hash_id(const char *s, size_t *len)
{
    size_t n = strlen(s);
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, s + i, n - i);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    if (len) *len = n;
    return h;
}

static inline uint32_t hash_tag(uint64_t h) { return (uint32_t)(h >> 32); }

/* Copy [s, s+n) and a NUL into the arena; NULL when out of memory. */
static char *arena_dup(id_index *ix, const char *s, size_t n)
{
    id_arena *a = ix->arena;
    if (!a || a->cap - a->used < n + 1) {
        size_t cap = n + 1 > ((size_t)1 << 18) ? n + 1 : (size_t)1 << 18;
        id_arena *na = malloc(sizeof *na + cap);
        if (!na) return NULL;
        na->next = a;
        na->used = 0;
        na->cap = cap;
        ix->arena = a = na;
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
    for (id_arena *a = ix->arena, *nx; a; a = nx) { nx = a->next; free(a); }
    free(ix->slots);
    free(ix->row_hash);
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
        d->ref = NULL;          /* the caller still owns ref on failure */
        srdi_dataset_free(d);
        return NULL;
    }
    return d;
}

static void patents_acc_free(srdi_patents *p);

void srdi_dataset_free(srdi_dataset *d)
{
    if (!d) return;
    free(d->id); free(d->name); free(d->level); free(d->province); free(d->city);
    free(d->industry); free(d->tech_eval);
    for (int f = 0; f < SRDI_F_COUNT; f++) { free(d->num[f].v); free(d->num[f].present); }
    srdi_strpool_free(d->cities);
    id_index_free(d->id_index);
    free(d->fin_ent); free(d->fin_year);
    free(d->fin_revenue.v); free(d->fin_revenue.present);
    free(d->fin_rd.v); free(d->fin_rd.present);
    free(d->patents.facts);
    patents_acc_free(&d->patents);
    srdi_strpool_free(d->patents.keys);
    for (int i = 0; i < SRDI_FILE_COUNT; i++) { free(d->files[i].path); free(d->files[i].reject_reasons); }
    srdi_reference_free(d->ref);
    free(d);
}

/* Grow every enterprise column to hold @p cap rows. */
static srdi_status ent_reserve(srdi_dataset *d, size_t cap)
{
#define RE(p, n) do { void *q_ = realloc((p), (n) * sizeof *(p)); if (!q_) goto oom; (p) = q_; } while (0)
    RE(d->id, cap); RE(d->name, cap); RE(d->level, cap); RE(d->province, cap);
    RE(d->city, cap); RE(d->industry, cap); RE(d->tech_eval, cap);
    for (int f = 0; f < SRDI_F_COUNT; f++) { RE(d->num[f].v, cap); RE(d->num[f].present, cap); }
    return SRDI_OK;
oom:
    return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
}

static size_t ent_cap(size_t n)
{
    size_t c = 1024;
    while (c < n) c *= 2;
    return c;
}

/* Put row @p row (hash @p h) into the index, growing it to stay at most half full. */
static srdi_status index_insert(srdi_dataset *d, size_t row, uint64_t h)
{
    id_index *ix = d->id_index;
    if (row >= ix->cap_rows) {
        size_t nc = ix->cap_rows ? ix->cap_rows * 2 : 1024;
        while (nc <= row) nc *= 2;
        uint64_t *rh = realloc(ix->row_hash, nc * sizeof *rh);
        if (!rh) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        ix->row_hash = rh;
        ix->cap_rows = nc;
    }
    ix->row_hash[row] = h;
    if ((row + 1) * 2 > ix->nslots) {
        size_t ns = ix->nslots ? ix->nslots * 2 : 4096;
        id_slot *slots = calloc(ns, sizeof *slots);
        if (!slots) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        for (size_t r = 0; r < row; r++) {
            size_t i = ix->row_hash[r] & (ns - 1);
            while (slots[i].row) i = (i + 1) & (ns - 1);
            slots[i] = (id_slot){ (uint32_t)r + 1, hash_tag(ix->row_hash[r]) };
        }
        free(ix->slots);
        ix->slots = slots;
        ix->nslots = ns;
    }
    size_t i = h & (ix->nslots - 1);
    while (ix->slots[i].row) i = (i + 1) & (ix->nslots - 1);
    ix->slots[i] = (id_slot){ (uint32_t)row + 1, hash_tag(h) };
    return SRDI_OK;
}

/* Row of @p id whose hash is @p h, or -1. */
static long index_find(const srdi_dataset *d, const char *id, uint64_t h)
{
    const id_index *ix = d->id_index;
    if (!ix->nslots) return -1;
    uint32_t tag = hash_tag(h);
    size_t i = h & (ix->nslots - 1);
    while (ix->slots[i].row) {
        if (ix->slots[i].tag == tag) {
            uint32_t r = ix->slots[i].row - 1;
            if (strcmp(d->id[r], id) == 0) return (long)r;
        }
        i = (i + 1) & (ix->nslots - 1);
    }
    return -1;
}

long srdi_dataset_find(const srdi_dataset *d, const char *id)
{
    return index_find(d, id, hash_id(id, NULL));
}

srdi_status srdi_dataset_add_enterprise(srdi_dataset *d, const char *id, const char *name,
                                        srdi_level level, int province, const char *city,
                                        const char *industry4, srdi_tech_eval te, size_t *row)
{
    size_t r = d->n;
    if (r == 0 || ent_cap(r) == r) {
        if (ent_reserve(d, ent_cap(r + 1)) != SRDI_OK) return SRDI_ERR_NOMEM;
    }
    id_index *ix = d->id_index;
    uint32_t cid = srdi_strpool_intern(d->cities, city ? city : "");
    size_t idn, nn = name ? strlen(name) : 0;
    uint64_t h = hash_id(id, &idn);
    char *idc = arena_dup(ix, id, idn), *nc = idc ? arena_dup(ix, name ? name : "", nn) : NULL;
    if (cid == UINT32_MAX || !nc) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    d->id[r] = idc;
    d->name[r] = nc;
    d->level[r] = (uint8_t)level;
    d->province[r] = (uint16_t)(province < 0 ? 0 : province);
    d->city[r] = cid;
    srdi_strlcpy(d->industry[r], industry4 ? industry4 : "", sizeof d->industry[r]);
    d->tech_eval[r] = (uint8_t)te;
    for (int f = 0; f < SRDI_F_COUNT; f++) { d->num[f].v[r] = 0; d->num[f].present[r] = 0; }
    if (index_insert(d, r, h) != SRDI_OK) return SRDI_ERR_NOMEM;   /* the arena copies are freed with d */
    d->n = r + 1;
    if (row) *row = r;
    return SRDI_OK;
}

void srdi_dataset_set(srdi_dataset *d, size_t row, srdi_field f, double v)
{
    d->num[f].v[row] = v;
    d->num[f].present[row] = 1;
}

srdi_status srdi_dataset_add_financial(srdi_dataset *d, uint32_t ent, int year, double revenue, double rd)
{
    size_t r = d->n_fin;
    if (r == 0 || ent_cap(r) == r) {
        size_t cap = ent_cap(r + 1);
#define RF(p) do { void *q_ = realloc((p), cap * sizeof *(p)); if (!q_) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); (p) = q_; } while (0)
        RF(d->fin_ent); RF(d->fin_year); RF(d->fin_revenue.v); RF(d->fin_revenue.present);
        RF(d->fin_rd.v); RF(d->fin_rd.present);
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

typedef struct pacc {            /* open-addressing hash of facts */
    srdi_pfact *slots;           /* count == 0 means empty */
    size_t      nslots, used;
} pacc;

static uint64_t fact_hash(uint32_t ent, int year, int kind, uint32_t key)
{
    uint64_t h = ((uint64_t)ent * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)(uint16_t)year << 40) ^
                 ((uint64_t)kind << 56) ^ ((uint64_t)key * 0xC2B2AE3D27D4EB4Full);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

static void patents_acc_free(srdi_patents *p)
{
    pacc *a = p->acc;
    if (a) { free(a->slots); free(a); }
    p->acc = NULL;
}

static int pacc_insert(pacc *a, const srdi_pfact *f)
{
    size_t m = a->nslots - 1, i = fact_hash(f->ent, f->year, f->kind, f->key) & m;
    for (;;) {
        srdi_pfact *s = &a->slots[i];
        if (s->count == 0) { *s = *f; a->used++; return 0; }
        if (s->ent == f->ent && s->year == f->year && s->kind == f->kind && s->key == f->key) {
            s->count += f->count;
            return 0;
        }
        i = (i + 1) & m;
    }
}

static srdi_status pacc_grow(pacc *a)
{
    size_t ns = a->nslots ? a->nslots * 2 : 1024;
    srdi_pfact *old = a->slots;
    size_t on = a->nslots;
    a->slots = calloc(ns, sizeof *a->slots);
    if (!a->slots) { a->slots = old; return srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); }
    a->nslots = ns;
    a->used = 0;
    for (size_t i = 0; i < on; i++) if (old[i].count) pacc_insert(a, &old[i]);
    free(old);
    return SRDI_OK;
}

srdi_status srdi_patents_add(srdi_patents *p, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key, uint32_t count)
{
    if (count == 0) return SRDI_OK;
    pacc *a = p->acc;
    if (!a) {
        if (!(a = p->acc = calloc(1, sizeof *a))) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        /* carry facts of an earlier finish back into the accumulator */
        if (pacc_grow(a) != SRDI_OK) return SRDI_ERR_NOMEM;
        for (size_t i = 0; i < p->n_facts; i++) {
            if ((a->used + 1) * 2 > a->nslots && pacc_grow(a) != SRDI_OK) return SRDI_ERR_NOMEM;
            pacc_insert(a, &p->facts[i]);
        }
        free(p->facts);
        p->facts = NULL;
        p->n_facts = 0;
    }
    if ((a->used + 1) * 2 > a->nslots && pacc_grow(a) != SRDI_OK) return SRDI_ERR_NOMEM;
    srdi_pfact f = {ent, (int16_t)year, (uint8_t)kind, key, count};
    pacc_insert(a, &f);
    return SRDI_OK;
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
    srdi_pfact *out = malloc((a->used ? a->used : 1) * sizeof *out);
    if (!out) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < a->nslots; i++) if (a->slots[i].count) out[n++] = a->slots[i];
    qsort(out, n, sizeof *out, srdi_pfact_cmp);
    free(p->facts);
    p->facts = out;
    p->n_facts = n;
    patents_acc_free(p);
    return SRDI_OK;
}
