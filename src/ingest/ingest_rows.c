/*
 * src/ingest/ingest_rows.c — the row checks of enterprises.csv and
 * financials.csv (first error found, one reject per row), the rejected ids
 * that later files name as the reason for an unknown id, and
 * srdi_ingest_record, the record handler every source feeds.
 */
#include "ingest_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "srdi/hash.h"
#include "srdi/log.h"

/*
 * Make the line array *v (capacity *cap) hold index @p k: doubled from
 * @p first as needed.  SRDI_ERR_NOMEM (with @p what in the message) when
 * memory runs out; *v is then unchanged.
 */
static srdi_status grow_lines(long **v, size_t *cap, size_t k, size_t first, const char *what)
{
    if (k < *cap) return SRDI_OK;
    size_t nc = *cap ? *cap * 2 : first;
    while (nc <= k) nc *= 2;
    long *nv = realloc(*v, nc * sizeof *nv);
    if (!nv) return srdi_error_set(SRDI_ERR_NOMEM, "%s", what);
    *v = nv;
    *cap = nc;
    return SRDI_OK;
}

/* Remember the id of a rejected enterprises.csv row with its line (the first one kept). */
static srdi_status note_rejected_id(file_ctx *c, const char *id, size_t n, long line)
{
    ingest_run *ru = c->run;
    if (!ru || n == 0) return SRDI_OK;
    srdi_buf_reset(&c->b_id);
    if (srdi_buf_append(&c->b_id, id, n) != SRDI_OK) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    if (srdi_strpool_find(ru->rej_ids, c->b_id.data) != UINT32_MAX) return SRDI_OK;
    uint32_t k = srdi_strpool_intern(ru->rej_ids, c->b_id.data);
    if (k == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    if (grow_lines(&ru->rej_line, &ru->rej_cap, k, 256, "out of memory") != SRDI_OK) return SRDI_ERR_NOMEM;
    ru->rej_line[k] = line;
    return SRDI_OK;
}

const char *srdi_ingest_unknown_id_reason(const srdi_strpool *rejected_ids, const long *rejected_line,
                                          const char *ent_fname, const char *id, char *buf, size_t cap)
{
    uint32_t k = rejected_ids ? srdi_strpool_find(rejected_ids, id) : UINT32_MAX;
    if (k == UINT32_MAX)
        snprintf(buf, cap, "id not found in %s", ent_fname ? ent_fname : "enterprises.csv");
    else
        snprintf(buf, cap, "enterprise rejected (%s line %ld)", ent_fname ? ent_fname : "enterprises.csv",
                 rejected_line[k]);
    return buf;
}

/* ================================================================== cells */

/* Trimmed cell of spec k (empty when the column is absent). */
static inline void cell(const file_ctx *c, const srdi_csv_record *rec, int k, const char **s, size_t *n)
{
    int j = c->spec_col[k];
    if (j < 0) {
        *s = "";
        *n = 0;
        return;
    }
    *s = rec->f[j];
    *n = rec->len[j];
    srdi_ingest_trim(s, n);
}

/* Copy a trimmed cell into scratch buffer b (NUL-terminated). */
static const char *cell_str(const file_ctx *c, const srdi_csv_record *rec, int k, srdi_buf *b)
{
    const char *s;
    size_t n;
    cell(c, rec, k, &s, &n);
    srdi_buf_reset(b);
    if (srdi_buf_append(b, s, n) != SRDI_OK) return NULL;
    return b->data;
}

/* Header name (as found in the file) of spec k, or "". */
static const char *col_name(const file_ctx *c, int k)
{
    return c->spec_col[k] >= 0 ? c->names[c->spec_col[k]] : "";
}

/* Record a rejected row: column by spec index k (or -1), value the cell. */
static srdi_status reject(file_ctx *c, const srdi_csv_record *rec, int k, const char *reason)
{
    const char *v = "";
    size_t n = 0;
    if (k >= 0) cell(c, rec, k, &v, &n);
    c->rejected++;
    if (c->fid == SRDI_FILE_ENTERPRISES) {
        const char *id;
        size_t idn;
        cell(c, rec, EC_ID, &id, &idn);
        srdi_status st = note_rejected_id(c, id, idn, rec->line);
        if (st != SRDI_OK) return st;
    }
    return srdi_rejects_add(c->rj, c->fid, rec->line, k >= 0 ? col_name(c, k) : "", v, n, reason);
}

/* Reject a row that failed srdi_ingest_row_basic (column given by record index). */
static srdi_status reject_basic(file_ctx *c, const srdi_csv_record *rec, int j, const char *reason)
{
    c->rejected++;
    int ic = c->spec_col[EC_ID];
    if (c->fid == SRDI_FILE_ENTERPRISES && ic >= 0 && (size_t)ic < rec->n && j != ic) {
        const char *id = rec->f[ic];
        size_t idn = rec->len[ic];
        srdi_ingest_trim(&id, &idn);
        srdi_status st = note_rejected_id(c, id, idn, rec->line);
        if (st != SRDI_OK) return st;
    }
    if (j >= 0 && (size_t)j < rec->n)
        return srdi_rejects_add(c->rj, c->fid, rec->line, (size_t)j < c->ncols ? c->names[j] : "", rec->f[j],
                                rec->len[j], reason);
    return srdi_rejects_add(c->rj, c->fid, rec->line, "", "", 0, reason);
}

static bool cell_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* ============================================================ enterprises */

static int parse_level(const char *s, size_t n)
{
    if (n == 10 && memcmp(s, "provincial", 10) == 0) return SRDI_LEVEL_PROVINCIAL; /* as written mostly */
    if (n == 8 && memcmp(s, "national", 8) == 0) return SRDI_LEVEL_NATIONAL;
    if (cell_is(s, n, "provincial") || cell_is(s, n, "省级")) return SRDI_LEVEL_PROVINCIAL;
    if (cell_is(s, n, "national") || cell_is(s, n, "国家级")) return SRDI_LEVEL_NATIONAL;
    if (cell_is(s, n, "champion") || cell_is(s, n, "单项冠军")) return SRDI_LEVEL_CHAMPION;
    return -1;
}

/* Slot of the bytes [s, s+n) (1 to 24 of them) in a cache of 2^bits entries. */
static inline size_t cache_slot(const char *s, size_t n, int bits, uint64_t salt)
{
    uint64_t a = 0, z = 0;
    memcpy(&a, s, n < 8 ? n : 8);
    memcpy(&z, s + n - (n < 8 ? n : 8), n < 8 ? n : 8);
    return (size_t)((((a * 0x9E3779B97F4A7C15ull) ^ (z * 0xC2B2AE3D27D4EB4Full) ^ (n + salt)) * 0xFF51AFD7ED558CCDull) >>
                    (64 - bits));
}

/* srdi_reference_province of the trimmed cell [s, s+n) (1 to 127 bytes), through the scratch's cache. */
static int province_of(const srdi_reference *ref, ent_scratch *sc, const char *s, size_t n)
{
    size_t slot = 0;
    bool cacheable = n <= sizeof sc->pcache[0].s;
    if (cacheable) {
        slot = cache_slot(s, n, 6, 0);
        if (sc->pcache[slot].n == n && memcmp(sc->pcache[slot].s, s, n) == 0) return sc->pcache[slot].prov;
    }
    char pbuf[128];
    memcpy(pbuf, s, n);
    pbuf[n] = 0;
    int prov = srdi_reference_province(ref, pbuf);
    if (cacheable) {
        memcpy(sc->pcache[slot].s, s, n);
        sc->pcache[slot].n = (uint8_t)n;
        sc->pcache[slot].prov = prov;
    }
    return prov;
}

/*
 * srdi_reference_city of province @p prov and the trimmed cell [s, s+n) (not
 * empty), through the scratch's cache: the city's index or -1, *other as it sets it.
 */
static int city_of(const srdi_reference *ref, ent_scratch *sc, int prov, const char *s, size_t n, int *other,
                   bool *nomem)
{
    size_t slot = 0;
    bool cacheable = n <= sizeof sc->ccache[0].s;
    *nomem = false;
    if (cacheable) {
        slot = cache_slot(s, n, 10, (uint64_t)prov << 8);
        if (sc->ccache[slot].n == n && sc->ccache[slot].prov == prov && memcmp(sc->ccache[slot].s, s, n) == 0) {
            *other = sc->ccache[slot].other;
            return sc->ccache[slot].city;
        }
    }
    srdi_buf_reset(&sc->city);
    if (srdi_buf_append(&sc->city, s, n) != SRDI_OK) {
        *nomem = true;
        return -1;
    }
    int ci = srdi_reference_city(ref, prov, sc->city.data, other);
    if (cacheable) {
        memcpy(sc->ccache[slot].s, s, n);
        sc->ccache[slot].n = (uint8_t)n;
        sc->ccache[slot].prov = prov;
        sc->ccache[slot].city = ci;
        sc->ccache[slot].other = *other;
    }
    return ci;
}

static int parse_tech_eval(const char *s, size_t n)
{
    if (n == 0 || cell_is(s, n, "none") || cell_is(s, n, "无")) return SRDI_TE_NONE;
    if (cell_is(s, n, "intl_advanced") || cell_is(s, n, "国际先进") || cell_is(s, n, "国际领先"))
        return SRDI_TE_INTL_ADVANCED;
    if (cell_is(s, n, "domestic_advanced") || cell_is(s, n, "国内先进") || cell_is(s, n, "国内领先"))
        return SRDI_TE_DOMESTIC_ADVANCED;
    if (cell_is(s, n, "intl_level") || cell_is(s, n, "达到国际水平")) return SRDI_TE_INTL_LEVEL;
    if (cell_is(s, n, "domestic_level") || cell_is(s, n, "达到国内水平")) return SRDI_TE_DOMESTIC_LEVEL;
    return -1;
}

/*
 * Industry code: optional section letter + 4 digits (full-width digits
 * allowed), a class of GB/T 4754-2017.  Writes the 4 digits to code4.
 * Returns NULL when fine, else the reason.  @p class_of remembers, by code,
 * whether the reference holds it as a class (each code is looked up once).
 */
static const char *parse_industry(const srdi_reference *ref, uint8_t class_of[10000], const char *s, size_t n,
                                  char code4[5], char *reason, size_t cap)
{
    char a[16];
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (o + 1 >= sizeof a) goto bad;
        if ((unsigned char)s[i] < 0x80)
            a[o++] = s[i++];
        else if (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
                 (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            a[o++] = (char)('0' + ((unsigned char)s[i + 2] - 0x90));
            i += 3;
        } else
            goto bad;
    }
    a[o] = 0;
    char letter = 0;
    const char *d = a;
    if (o == 5 && ((a[0] >= 'A' && a[0] <= 'Z') || (a[0] >= 'a' && a[0] <= 'z'))) {
        letter = (char)(a[0] & ~0x20);
        d = a + 1;
    } else if (o != 4)
        goto bad;
    for (int i = 0; i < 4; i++)
        if (d[i] < '0' || d[i] > '9') goto bad;
    memcpy(code4, d, 4);
    code4[4] = 0;
    uint8_t *known = &class_of[(d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0')];
    if (!*known) {
        const srdi_industry *ind = srdi_reference_industry(ref, code4);
        *known = ind && ind->level == SRDI_IND_CLASS ? 1 : 2;
    }
    if (*known != 1) {
        snprintf(reason, cap, "unknown industry class %s (not in GB/T 4754-2017)", code4);
        return reason;
    }
    if (letter) {
        char div[3] = {code4[0], code4[1], 0};
        const srdi_industry *dv = srdi_reference_industry(ref, div);
        if (dv && dv->parent && dv->parent[0] && dv->parent[0] != letter) {
            snprintf(reason, cap, "section letter %c does not match class %s (section %s)", letter, code4, dv->parent);
            return reason;
        }
    }
    return NULL;
bad:
    snprintf(reason, cap,
             "industry_code must be a 4-digit GB/T 4754-2017 class, optionally with its section letter (C3985)");
    return reason;
}

/*
 * Set *p to the reject of spec column @p k (or -1) of @p rec: its trimmed
 * cell as the value, the trimmed id remembered as rejected.  @p reason must
 * outlive *p (a literal or the scratch's buffer).
 */
static void ent_reject(const file_ctx *c, const srdi_csv_record *rec, int k, const char *reason, ent_verdict v,
                       ent_parsed *p)
{
    p->verdict = v;
    p->value = "";
    p->value_n = 0;
    if (k >= 0) cell(c, rec, k, &p->value, &p->value_n);
    p->col = k >= 0 ? col_name(c, k) : "";
    p->reason = reason;
    cell(c, rec, EC_ID, &p->note, &p->note_n);
}

/* The value of numeric cell @p f of @p p (present). */
static inline double num_val(const ent_parsed *p, int f)
{
    return (p->wide >> f) & 1 ? p->vals[f] : (double)p->k[f];
}

/*
 * The numeric columns of an enterprises.csv row, in docs/data.md order:
 * p->k[f] (and p->vals[f] with bit f of p->wide) for every field (flags:
 * 0/1; an empty cell is missing).  A bad cell makes *p a reject
 * (ENT_REJECT_LATER); returns whether all were fine.
 */
static bool ent_numbers(const file_ctx *c, ent_scratch *sc, const srdi_csv_record *rec, ent_parsed *p)
{
    uint32_t *kout = p->k;
    uint64_t wide = 0;
    if (!sc->kinds_set) { /* the fields' kinds and columns, once per scratch (not a call per cell) */
        for (int f = 0; f < SRDI_F_COUNT; f++) {
            sc->kind[f] = (uint8_t)srdi_field_get((srdi_field)f)->kind;
            sc->col[f] = c->spec_col[EC_NUM0 + f];
        }
        sc->kinds_set = true;
    }
    /* read through locals: the cells' stores (kout) would otherwise make the compiler load these again a cell */
    const char *const *rf = rec->f;
    const size_t *rlen = rec->len;
    const int *col = sc->col;
    const uint8_t *kind = sc->kind;
    for (int f = 0; f < SRDI_F_COUNT; f++) {
        int j = col[f];
        kout[f] = UINT32_MAX;
        if (j < 0) continue;
        const char *s = rf[j];
        size_t n = rlen[j];
        /* the common cell: one to four ASCII digits (nothing to trim), read as parse_flag / parse_number read them;
           a flag only 0 or 1 */
        const unsigned char *u = (const unsigned char *)s;
        unsigned x;
        switch (n) {
        case 1:
            x = u[0] - 0x30u;
            if (x <= (kind[f] == SRDI_FK_FLAG ? 1u : 9u)) {
                kout[f] = x;
                continue;
            }
            break;
        case 2:
            x = (u[0] - 0x30u) * 10 + (u[1] - 0x30u);
            if (kind[f] != SRDI_FK_FLAG && u[0] - 0x30u <= 9 && u[1] - 0x30u <= 9) {
                kout[f] = x;
                continue;
            }
            break;
        case 3:
        case 4: {
            unsigned a = u[0] - 0x30u, b = u[1] - 0x30u, d = u[2] - 0x30u, e = n == 4 ? u[3] - 0x30u : 0;
            if (kind[f] != SRDI_FK_FLAG && a <= 9 && b <= 9 && d <= 9 && e <= 9) {
                x = a * 100 + b * 10 + d;
                kout[f] = n == 4 ? x * 10 + e : x;
                continue;
            }
            break;
        }
        default: break;
        }
        int k = EC_NUM0 + f;
        double v;
        srdi_ingest_trim(&s, &n);
        if (sc->kind[f] == SRDI_FK_FLAG) {
            int r = srdi_ingest_parse_flag(s, n, &v);
            if (r < 0) {
                snprintf(sc->reason, sizeof sc->reason, "%s must be 0 or 1 (是/否, Y/N, true/false)", col_name(c, k));
                ent_reject(c, rec, k, sc->reason, ENT_REJECT_LATER, p);
                return false;
            }
            if (r == 0) continue;
        } else {
            srdi_num_result r = srdi_ingest_parse_number(s, n, sc->kind[f] == SRDI_FK_INTEGER, &v);
            if (r == SRDI_NUM_EMPTY) continue;
            if (r != SRDI_NUM_OK) {
                snprintf(sc->reason, sizeof sc->reason, "%s must be %s ≥ 0", col_name(c, k),
                         sc->kind[f] == SRDI_FK_INTEGER ? "an integer" : "a number");
                ent_reject(c, rec, k, sc->reason, ENT_REJECT_LATER, p);
                return false;
            }
        }
        uint32_t kv = 0;
        if (srdi_ecol_width(v, &kv) == 8) {
            wide |= (uint64_t)1 << f;
            p->vals[f] = v;
            kv = 0;
        }
        kout[f] = kv;
    }
    p->wide = wide;
    const int fs = SRDI_F_STAFF, fr = SRDI_F_RD_STAFF;
    bool has_s = kout[fs] != UINT32_MAX || ((wide >> fs) & 1), has_r = kout[fr] != UINT32_MAX || ((wide >> fr) & 1);
    if (has_s && has_r && num_val(p, fr) > num_val(p, fs)) {
        snprintf(sc->reason, sizeof sc->reason, "%s (%.0f) exceeds %s (%.0f)", col_name(c, EC_NUM0 + fr),
                 num_val(p, fr), col_name(c, EC_NUM0 + fs), num_val(p, fs));
        ent_reject(c, rec, EC_NUM0 + fr, sc->reason, ENT_REJECT_LATER, p);
        return false;
    }
    return true;
}

/*
 * One data row of enterprises.csv.  Checks in order: the record (quoting,
 * field count, bytes), id (required; the duplicate check is the commit's),
 * name, level, province, city, industry class, tech_eval, every numeric
 * column in docs/data.md order, rd_staff ≤ staff.  The first failure makes
 * the verdict.
 */
srdi_status srdi_ent_parse(const file_ctx *c, ent_scratch *sc, const srdi_csv_record *rec, ent_parsed *p)
{
    const srdi_dataset *d = c->d;
    const char *s;
    size_t n;
    int j;
    p->note_n = 0;
    p->note = "";
    if (!srdi_ingest_row_basic(rec, c->ncols, c->enc, &j, sc->reason, sizeof sc->reason)) {
        p->verdict = ENT_REJECT;
        p->reason = sc->reason;
        p->col = "";
        p->value = "";
        p->value_n = 0;
        if (j >= 0 && (size_t)j < rec->n) {
            p->col = (size_t)j < c->ncols ? c->names[j] : "";
            p->value = rec->f[j];
            p->value_n = rec->len[j];
        }
        int ic = c->spec_col[EC_ID];
        if (ic >= 0 && (size_t)ic < rec->n && j != ic) {
            p->note = rec->f[ic];
            p->note_n = rec->len[ic];
            srdi_ingest_trim(&p->note, &p->note_n);
        }
        return SRDI_OK;
    }
    const char *id, *name, *city;
    size_t idn, namen, cityn;
    cell(c, rec, EC_ID, &id, &idn);
    cell(c, rec, EC_NAME, &name, &namen);
    cell(c, rec, EC_CITY, &city, &cityn);
    p->id = id;
    p->id_n = idn;
    p->name = name;
    p->name_n = namen;
    p->city = city;
    p->city_n = cityn;
    p->city_ref = -1;
    if (idn == 0) {
        ent_reject(c, rec, EC_ID, "id is required", ENT_REJECT, p);
        return SRDI_OK;
    }
    p->id_hash = srdi_hash_mem(id, idn);
    p->verdict = ENT_ACCEPT;
    if (namen == 0) {
        ent_reject(c, rec, EC_NAME, "name is required", ENT_REJECT_LATER, p);
        return SRDI_OK;
    }
    cell(c, rec, EC_LEVEL, &s, &n);
    int level = parse_level(s, n);
    if (level < 0) {
        ent_reject(c, rec, EC_LEVEL,
                   n ? "level must be provincial, national or champion (省级/国家级/单项冠军)" : "level is required",
                   ENT_REJECT_LATER, p);
        return SRDI_OK;
    }
    cell(c, rec, EC_PROVINCE, &s, &n);
    int prov = n > 0 && n < 128 ? province_of(d->ref, sc, s, n) : -1;
    if (prov < 0) {
        ent_reject(c, rec, EC_PROVINCE, n ? "unknown province" : "province is required", ENT_REJECT_LATER, p);
        return SRDI_OK;
    }
    if (cityn == 0) {
        ent_reject(c, rec, EC_CITY, "city is required", ENT_REJECT_LATER, p);
        return SRDI_OK;
    }
    if (d->ref->n_cities > 0) {
        /* the city must be one of that province (reference/cities.csv); short forms normalised */
        int other;
        bool nomem;
        int ci = city_of(d->ref, sc, prov, city, cityn, &other, &nomem);
        if (nomem) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading enterprises");
        if (ci < 0 && other >= 0) {
            snprintf(sc->reason, sizeof sc->reason, "%s belongs to %s, not %s", d->ref->cities[other].name,
                     d->ref->provinces[d->ref->cities[other].province].name, d->ref->provinces[prov].name);
            ent_reject(c, rec, EC_CITY, sc->reason, ENT_REJECT_LATER, p);
            return SRDI_OK;
        }
        if (ci < 0) {
            snprintf(sc->reason, sizeof sc->reason,
                     "unknown city: not a city-level division of %s in reference/cities.csv",
                     d->ref->provinces[prov].name);
            ent_reject(c, rec, EC_CITY, sc->reason, ENT_REJECT_LATER, p);
            return SRDI_OK;
        }
        p->city = d->ref->cities[ci].name;
        p->city_ref = ci;
    }
    cell(c, rec, EC_INDUSTRY, &s, &n);
    if (n == 0) {
        ent_reject(c, rec, EC_INDUSTRY, "industry_code is required", ENT_REJECT_LATER, p);
        return SRDI_OK;
    }
    if (parse_industry(d->ref, sc->ind_class, s, n, p->code4, sc->reason, sizeof sc->reason)) {
        ent_reject(c, rec, EC_INDUSTRY, sc->reason, ENT_REJECT_LATER, p);
        return SRDI_OK;
    }
    cell(c, rec, EC_TECH_EVAL, &s, &n);
    int te = parse_tech_eval(s, n);
    if (te < 0) {
        ent_reject(c, rec, EC_TECH_EVAL,
                   "tech_eval must be intl_advanced, domestic_advanced, intl_level or "
                   "domestic_level (国际先进/国内先进/达到国际水平/达到国内水平) or empty",
                   ENT_REJECT_LATER, p);
        return SRDI_OK;
    }
    if (!ent_numbers(c, sc, rec, p)) return SRDI_OK;
    p->level = level;
    p->prov = prov;
    p->te = te;
    return SRDI_OK;
}

/* Count a rejected enterprises row: its id remembered, the reject listed. */
static srdi_status ent_commit_reject(file_ctx *c, long line, const char *col, const char *value, size_t value_n,
                                     const char *reason, const char *note, size_t note_n)
{
    c->rejected++;
    srdi_status st = note_rejected_id(c, note, note_n, line);
    if (st != SRDI_OK) return st;
    return srdi_rejects_add(c->rj, c->fid, line, col, value, value_n, reason);
}

/* Reject the row of line @p line as a duplicate of the accepted row @p prev. */
static srdi_status ent_commit_dup(file_ctx *c, const ent_parsed *p, long prev, long line)
{
    char reason[512];
    snprintf(reason, sizeof reason, "duplicate id (first seen on line %ld)", c->ent_line[prev]);
    return ent_commit_reject(c, line, col_name(c, EC_ID), p->id, p->id_n, reason, p->id, p->id_n);
}

/* The id in d->cities of the city of accepted row @p p (interned the first time, as adding the row did). */
static uint32_t city_id(file_ctx *c, const ent_parsed *p)
{
    srdi_dataset *d = c->d;
    if (p->city_ref >= 0) {
        if (!c->city_id) {
            size_t nc = d->ref->n_cities;
            if (!(c->city_id = malloc(nc * sizeof *c->city_id))) return UINT32_MAX;
            memset(c->city_id, 0xFF, nc * sizeof *c->city_id);
        }
        uint32_t *k = &c->city_id[p->city_ref];
        if (*k == UINT32_MAX) *k = srdi_strpool_intern(d->cities, p->city);
        return *k;
    }
    srdi_buf_reset(&c->b_city);
    if (srdi_buf_append(&c->b_city, p->city, p->city_n) != SRDI_OK) return UINT32_MAX;
    return srdi_strpool_intern(d->cities, c->b_city.data);
}

srdi_status srdi_ent_commit_row(file_ctx *c, const ent_parsed *p, long line, size_t *row)
{
    srdi_dataset *d = c->d;
    *row = SIZE_MAX;
    if (p->verdict != ENT_REJECT) {
        long prev = srdi_dataset_find_hashed(d, p->id, p->id_n, p->id_hash);
        if (prev >= 0) return ent_commit_dup(c, p, prev, line);
    }
    if (p->verdict != ENT_ACCEPT)
        return ent_commit_reject(c, line, p->col, p->value, p->value_n, p->reason, p->note, p->note_n);
    srdi_ent_row e = {p->id,           p->id_n, p->id_hash, p->name, p->name_n, (srdi_level)p->level, p->prov,
                      city_id(c, p),   p->code4, (srdi_tech_eval)p->te};
    if (e.city == UINT32_MAX)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding enterprise %.*s", (int)p->id_n, p->id);
    size_t r;
    srdi_status st = srdi_dataset_add_row(d, &e, &r);
    if (st != SRDI_OK) return st;
    if (grow_lines(&c->ent_line, &c->ent_line_cap, r, 1024, "out of memory reading enterprises") != SRDI_OK)
        return SRDI_ERR_NOMEM;
    c->ent_line[r] = line;
    c->accepted++;
    *row = r;
    return SRDI_OK;
}

srdi_status srdi_ent_reserve(file_ctx *c, size_t rows)
{
    srdi_status st = srdi_dataset_reserve(c->d, c->d->n + rows);
    if (st == SRDI_OK)
        st = srdi_grow((void **)&c->ent_line, &c->ent_line_cap, c->d->n + rows, sizeof *c->ent_line);
    return st;
}

srdi_status srdi_ent_commit(file_ctx *c, const ent_parsed *p, long line)
{
    size_t row;
    srdi_status st = srdi_ent_commit_row(c, p, line, &row);
    if (st != SRDI_OK || row == SIZE_MAX) return st;
    srdi_dataset *d = c->d;
    for (int f = 0; f < SRDI_F_COUNT && st == SRDI_OK; f++) {
        bool wide = (p->wide >> f) & 1;
        uint32_t k = p->k[f];
        if (k == UINT32_MAX && !wide) continue; /* missing */
        unsigned wd = wide ? 8 : k < UINT8_MAX ? 1 : k < UINT16_MAX ? 2 : 4;
        st = srdi_dataset_set_cells(d, (srdi_field)f, NULL, row, 1, &p->k[f], wide ? &p->vals[f] : NULL, wd);
    }
    if (st == SRDI_OK && p->level == SRDI_LEVEL_NATIONAL) st = srdi_dataset_set(d, row, SRDI_F_HON_LITTLE_GIANT, 1);
    return st;
}

void srdi_ent_scratch_free(ent_scratch *sc)
{
    srdi_buf_free(&sc->id);
    srdi_buf_free(&sc->name);
    srdi_buf_free(&sc->city);
}

/* ============================================================= financials */

/*
 * One data row of financials.csv: id must be an accepted enterprise, year an
 * integer 2000–2100 not yet given for that id, revenue and rd_expense numbers
 * ≥ 0 or empty (NAN).  A bad row is rejected with its first error.
 */
static srdi_status fin_row(file_ctx *c, const srdi_csv_record *rec)
{
    const char *id = cell_str(c, rec, FC_ID, &c->b_id);
    if (!id) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading financials");
    if (!id[0]) return reject(c, rec, FC_ID, "id is required");
    srdi_dataset *d = c->d;
    char reason[512];
    long ent = srdi_dataset_find(d, id);
    if (ent < 0)
        return reject(c, rec, FC_ID,
                      srdi_ingest_unknown_id_reason(c->run ? c->run->rej_ids : NULL, c->run ? c->run->rej_line : NULL,
                                                    c->run ? c->run->ent_fname : NULL, id, reason, sizeof reason));
    const char *s;
    size_t n;
    cell(c, rec, FC_YEAR, &s, &n);
    double y;
    srdi_num_result r = srdi_ingest_parse_number(s, n, true, &y);
    if (r == SRDI_NUM_EMPTY) return reject(c, rec, FC_YEAR, "year is required");
    if (r != SRDI_NUM_OK || y < 2000 || y > 2100)
        return reject(c, rec, FC_YEAR, "year must be an integer from 2000 to 2100");
    double v[2];
    for (int k = FC_REVENUE; k <= FC_RD; k++) {
        cell(c, rec, k, &s, &n);
        r = srdi_ingest_parse_number(s, n, false, &v[k - FC_REVENUE]);
        if (r == SRDI_NUM_EMPTY)
            v[k - FC_REVENUE] = NAN;
        else if (r != SRDI_NUM_OK) {
            snprintf(reason, sizeof reason, "%s must be a number ≥ 0", col_name(c, k));
            return reject(c, rec, k, reason);
        }
    }
    /*
     * (id, year) seen before: the financial rows so far with its hash (a
     * hash set of the rows, not a bitmap of every enterprise's 101 years —
     * 2 MB for the national data, touched a page per row on this VM's dear
     * first touches, for 3,519 rows)
     */
    uint64_t h = srdi_hash_mix((uint64_t)ent * 101 + (uint64_t)(y - 2000));
    size_t pos;
    for (uint32_t k = srdi_hindex_first(&c->fin_seen, h, &pos); k != SRDI_HINDEX_NONE;
         k = srdi_hindex_next(&c->fin_seen, h, &pos))
        if (d->fin_ent[k] == (uint32_t)ent && d->fin_year[k] == (int16_t)y) {
            snprintf(reason, sizeof reason, "duplicate (id, year): year %d already given for this id", (int)y);
            return reject(c, rec, FC_YEAR, reason);
        }
    size_t row = d->n_fin;
    srdi_status st = srdi_dataset_add_financial(d, (uint32_t)ent, (int)y, v[0], v[1]);
    if (st != SRDI_OK) return st;
    if (row > UINT32_MAX - 2 || srdi_hindex_add(&c->fin_seen, h, (uint32_t)row) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading financials");
    c->accepted++;
    return SRDI_OK;
}

/* ================================================================ drivers */

srdi_status srdi_ingest_record(void *ctx, const srdi_csv_record *rec)
{
    file_ctx *c = ctx;
    if (!c->have_header) {
        c->have_header = true;
        srdi_status st = srdi_ingest_header_map(c, rec);
        if (st != SRDI_OK) return st;
        if (c->fid != SRDI_FILE_PATENTS) return SRDI_OK;
        c->pc = (srdi_patent_cols){
            c->spec_col[PC_ID],
            c->spec_col[PC_NO],
            c->spec_col[PC_KIND],
            c->spec_col[PC_OFFICE],
            c->spec_col[PC_APP],
            c->spec_col[PC_PUB],
            c->spec_col[PC_STATUS],
            c->spec_col[PC_GRANT],
            c->spec_col[PC_IPC],
            c->spec_col[PC_FIELD],
            (const char *const *)c->names,
            c->ncols,
            c->delim,
            false,
            c->run ? c->run->rej_ids : NULL,
            c->run ? c->run->rej_line : NULL,
            c->run ? c->run->ent_fname : NULL,
            NULL,
            0,
            NULL,
            NULL,
            -1,
        };
        return SRDI_OK;
    }
    switch (c->fid) {
    case SRDI_FILE_ENTERPRISES: {
        c->read++;
        ent_parsed p;
        srdi_status st = srdi_ent_parse(c, &c->es, rec, &p);
        return st != SRDI_OK ? st : srdi_ent_commit(c, &p, rec->line);
    }
    case SRDI_FILE_FINANCIALS: {
        /* the record itself first: quoting, field count, bytes */
        char reason[512];
        int j;
        c->read++;
        if (!srdi_ingest_row_basic(rec, c->ncols, c->enc, &j, reason, sizeof reason))
            return reject_basic(c, rec, j, reason);
        return fin_row(c, rec);
    }
    default:
        if (!c->pseq) {
            srdi_status st = srdi_patents_seq_begin(c->d, &c->pc, c->enc, &c->pseq);
            if (st != SRDI_OK) return st;
        }
        return srdi_patents_seq_row(c->pseq, rec);
    }
}
