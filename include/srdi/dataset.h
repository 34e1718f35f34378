/*
 * srdi/dataset.h — the columnar in-memory data set that ingest fills and
 * the tables read.
 *
 * Ownership: the dataset owns everything reachable from it, including the
 * reference data it was built against (srdi_dataset_free frees it all).
 * Tables receive `const srdi_dataset *` and never modify it.
 *
 * Enterprises are rows 0..n-1 in file order (accepted rows only).  Their
 * numeric columns (srdi_ecol) are stored as narrow as their values allow and
 * read with srdi_get; the financial columns (srdi_numcol) are doubles with a
 * presence mask: present[i] == 0 means missing (empty cell); v[i] is 0 then
 * and must not be read.
 */
#ifndef SRDI_DATASET_H
#define SRDI_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "srdi/error.h"
#include "srdi/reference.h"
#include "srdi/util.h"

/* ------------------------------------------------------------ enumerations */

typedef enum srdi_level {
    SRDI_LEVEL_PROVINCIAL = 0, /* 省级专精特新中小企业 */
    SRDI_LEVEL_NATIONAL = 1,   /* 国家级专精特新"小巨人" */
    SRDI_LEVEL_CHAMPION = 2    /* 制造业单项冠军 benchmark rows (T28–T29 only) */
} srdi_level;

typedef enum srdi_tech_eval {
    SRDI_TE_NONE = 0,          /* empty cell: "none" (not missing) */
    SRDI_TE_INTL_ADVANCED,     /* intl_advanced 国际先进/领先 */
    SRDI_TE_DOMESTIC_ADVANCED, /* domestic_advanced 国内先进/领先 */
    SRDI_TE_INTL_LEVEL,        /* intl_level 达到国际水平 */
    SRDI_TE_DOMESTIC_LEVEL     /* domestic_level 达到国内水平 */
} srdi_tech_eval;

/** Numeric enterprise columns, in docs/data.md order. */
typedef enum srdi_field {
    SRDI_F_REG_CAPITAL = 0,
    SRDI_F_STAFF,
    SRDI_F_RD_STAFF,
    SRDI_F_HON_LITTLE_GIANT,
    SRDI_F_HON_HIGH_TECH,
    SRDI_F_HON_TECH_CENTER,
    SRDI_F_HON_TECH_SME,
    SRDI_F_HON_CHAMPION,
    SRDI_F_HON_ENG_CENTER,
    SRDI_F_HON_GAZELLE,
    SRDI_F_HON_UNICORN,
    SRDI_F_HON_GREEN_FACTORY,
    SRDI_F_HON_CNAS,
    SRDI_F_STD_NATIONAL,
    SRDI_F_STD_INDUSTRY,
    SRDI_F_STD_LOCAL,
    SRDI_F_STD_GROUP,
    SRDI_F_PATENTS_TOTAL,
    SRDI_F_INVENTION_APPS,
    SRDI_F_INVENTION_GRANTS,
    SRDI_F_INVENTION_REJECTED,
    SRDI_F_UTILITY_MODELS,
    SRDI_F_SOFTWARE_COPYRIGHTS,
    SRDI_F_CLASS1_IP,
    SRDI_F_PCT_APPS,
    SRDI_F_FOREIGN_PATENTS,
    SRDI_F_HIGH_VALUE_INVENTIONS,
    SRDI_F_CITATIONS_AVG,
    SRDI_F_AWARDED_PATENTS,
    SRDI_F_STANDARD_PATENTS,
    SRDI_F_INVENTORS,
    SRDI_F_COOP_PATENTS,
    SRDI_F_PLEDGED_PATENTS,
    SRDI_F_LICENSED_PATENTS,
    SRDI_F_LITIGATED_PATENTS,
    SRDI_F_DIGITAL_PATENTS,
    SRDI_F_COUNT
} srdi_field;

typedef enum srdi_field_kind {
    SRDI_FK_NUMBER,  /* number ≥ 0 (reg_capital, citations_avg) */
    SRDI_FK_INTEGER, /* integer ≥ 0 */
    SRDI_FK_FLAG     /* 0/1 (是/否, Y/N, true/false accepted) */
} srdi_field_kind;

typedef struct srdi_field_info {
    const char *name; /* English column name: "reg_capital" */
    const char *zh;   /* Chinese alias: "注册资本（万元）" */
    srdi_field_kind kind;
} srdi_field_info;

/**
 * @brief Static description of a numeric field.
 * @param f a field
 * @return a static entry; NULL for a value outside the enum
 */
const srdi_field_info *srdi_field_get(srdi_field f);
/**
 * @brief Field by English name or Chinese alias.
 * @param name "reg_capital" or "注册资本（万元）" (borrowed)
 * @return the srdi_field, or -1
 */
int srdi_field_lookup(const char *name);
/** @brief "national", "provincial" or "champion" (static; "" outside the enum). @param l a level */
const char *srdi_level_key(srdi_level l);
/** @brief 国家级, 省级 or 单项冠军 (static; "" outside the enum). @param l a level */
const char *srdi_level_label(srdi_level l);
/** @brief "intl_advanced" …; NULL for SRDI_TE_NONE or outside the enum (static). @param t a value */
const char *srdi_tech_eval_key(srdi_tech_eval t);
/** @brief Chinese label: 无, 国际先进/领先 … (static; "" outside the enum). @param t a value */
const char *srdi_tech_eval_label(srdi_tech_eval t);

/* ------------------------------------------------------------------ columns */

typedef struct srdi_numcol {
    double *v;        /* values, length = rows */
    uint8_t *present; /* 1 = has a value, 0 = missing */
} srdi_numcol;

/*
 * An enterprise numeric column, as narrow as its values allow.  It starts at
 * two bits a cell and widens itself when srdi_dataset_set meets a value that
 * does not fit: SRDI_ECOL_2BIT holds 0, 1 and 2 (a flag column stays there),
 * width 1, 2 or 4 the integers 0 … 2^(8·width) − 2, SRDI_ECOL_CENTS a value
 * of at most two decimals as its hundredths in 4 bytes (registered capital,
 * citations: v == k / 100.0 exactly), width 8 any double beside a presence
 * bitmap.  In the narrow forms a cell with every bit set is missing.  A value
 * reads back (srdi_get, srdi_ecol_get) bit for bit as it was set; which form
 * a column has is never visible in a value.
 */
#define SRDI_ECOL_2BIT 3  /* width code: 2 bits a cell, four cells a byte (cell row at bits 2·(row % 4)) */
#define SRDI_ECOL_CENTS 5 /* width code: uint32_t hundredths */
typedef struct srdi_ecol {
    void *v;       /* cells by width (missing: all bits set; 0 beside a clear bit at width 8) */
    uint8_t *bits; /* width 8: bit row % 8 of bits[row / 8] set = present; NULL otherwise */
    uint8_t width; /* 1, 2, 4, 8 (bytes a cell), SRDI_ECOL_2BIT or SRDI_ECOL_CENTS; 0 before the first row */
} srdi_ecol;

/**
 * @brief The narrowest width of an srdi_ecol cell that holds @p v exactly: 1,
 * 2 or 4 for an integer 0 … 2^32 − 2 (its value in *k) that converts back to
 * the same bits (not −0), else 8.  A reader may compute it on its own thread
 * and hand the cells to srdi_dataset_set_cells.
 * @param v the value
 * @param k receives the integer (widths 1, 2 and 4)
 */
static inline unsigned srdi_ecol_width(double v, uint32_t *k)
{
    if (v >= 0 && v <= 4294967294.0) {
        uint32_t x = (uint32_t)v;
        if ((double)x == v && (x != 0 || !__builtin_signbit(v))) {
            *k = x;
            return x < UINT8_MAX ? 1 : x < UINT16_MAX ? 2 : 4;
        }
    }
    return 8;
}

/** @brief Cell @p row of @p c: returns 1 and sets *v when present, else 0. */
static inline int srdi_ecol_get(const srdi_ecol *c, size_t row, double *v)
{
    switch (c->width) {
    case SRDI_ECOL_2BIT: {
        unsigned x = (((const uint8_t *)c->v)[row >> 2] >> ((row & 3) * 2)) & 3u;
        if (x == 3) return 0;
        *v = x;
        return 1;
    }
    case 1: {
        uint8_t x = ((const uint8_t *)c->v)[row];
        if (x == UINT8_MAX) return 0;
        *v = x;
        return 1;
    }
    case 2: {
        uint16_t x = ((const uint16_t *)c->v)[row];
        if (x == UINT16_MAX) return 0;
        *v = x;
        return 1;
    }
    case 4: {
        uint32_t x = ((const uint32_t *)c->v)[row];
        if (x == UINT32_MAX) return 0;
        *v = x;
        return 1;
    }
    case SRDI_ECOL_CENTS: {
        uint32_t x = ((const uint32_t *)c->v)[row];
        if (x == UINT32_MAX) return 0;
        *v = (double)x / 100.0;
        return 1;
    }
    default:
        if (!((c->bits[row >> 3] >> (row & 7)) & 1)) return 0;
        *v = ((const double *)c->v)[row];
        return 1;
    }
}

/* ------------------------------------------------------- patent aggregates */

/*
 * patents.csv is never held in memory.  While it streams, each accepted row
 * of kind=invention whose enterprise is national-level adds 1 to the facts
 * below (keyed by enterprise, so a --scope can still filter them).  The
 * maximum years are taken over ALL accepted patent rows (any kind, any
 * level), as docs/tables.md defines the windows.
 */
typedef enum srdi_pfact_kind {
    SRDI_PF_APP = 0, /* year = app_year; key unused (UINT32_MAX)                        */
    SRDI_PF_GRANT,   /* year = grant_year (row has one); key = field id or UINT32_MAX     */
    SRDI_PF_DECIDED, /* year = app_year; key = 1 granted, 0 rejected (other statuses: no fact) */
    SRDI_PF_IPC,     /* year = app_year; key = IPC subclass id or UINT32_MAX when empty   */
    SRDI_PF_FOREIGN  /* year = pub_year (row has one), office != CN; key = office id       */
} srdi_pfact_kind;

typedef struct srdi_pfact {
    uint32_t ent; /* enterprise row */
    int16_t year;
    uint8_t kind;   /* srdi_pfact_kind */
    uint32_t key;   /* id in srdi_patents.keys, meaning per kind */
    uint32_t count; /* number of patent rows */
} srdi_pfact;

/**
 * @brief qsort comparator of two srdi_pfact: the order of srdi_patents.facts,
 * (kind, year, key, ent).
 * @param x the first srdi_pfact
 * @param y the second
 */
int srdi_pfact_cmp(const void *x, const void *y);

typedef struct srdi_patents {
    srdi_pfact *facts; /* sorted by (kind, year, key, ent); unique keys */
    size_t n_facts;
    srdi_strpool *keys; /* field labels, IPC subclasses ("G01N"), office codes */
    int max_app_year;   /* over all accepted rows; 0 when none */
    int max_grant_year; /* 0 when no row has a grant_year */
    int max_pub_year;   /* 0 when no row has a pub_year */
    bool released;      /* srdi_patents_release: facts gone (no table may be computed from them) */
    void *acc;          /* private: hash accumulator until srdi_patents_finish */
    /* facts read from a refresh cache: they may lie in its file, mapped privately (freed with munmap) */
    void *map;
    size_t map_size;
    bool has_digest; /* digest holds srdi_patents_digest of the facts (given with them by the cache) */
    uint64_t digest;
} srdi_patents;

/* ----------------------------------------------------- ingest bookkeeping */

typedef enum srdi_file_id {
    SRDI_FILE_ENTERPRISES = 0,
    SRDI_FILE_FINANCIALS,
    SRDI_FILE_PATENTS,
    SRDI_FILE_COUNT
} srdi_file_id;

typedef struct srdi_file_stats {
    bool present;      /* the file existed */
    char *path;        /* as opened (owned) */
    char encoding[16]; /* "utf-8", "utf-8-bom", "gb18030", "utf-16le", "utf-16be" */
    long long read;    /* data rows read (not counting the header) */
    long long accepted;
    long long rejected; /* read == accepted + rejected, always */
    long long bytes;
    double seconds;
    char delim;           /* field separator found (',' ';' '\t') */
    char *reject_reasons; /* "reason (count); …", most frequent first, or NULL (owned) */
} srdi_file_stats;

/* ------------------------------------------------------------- the dataset */

typedef struct srdi_dataset {
    srdi_reference *ref; /* owned */

    /* enterprises (all levels, champion rows included) */
    size_t n;  /* accepted enterprise rows */
    char **id; /* 统一社会信用代码 */
    char **name;
    uint8_t *level;      /* srdi_level */
    uint16_t *province;  /* index into ref->provinces */
    uint32_t *city;      /* id in cities */
    char (*industry)[5]; /* 4-digit class code without section letter, "3985" */
    uint8_t *tech_eval;  /* srdi_tech_eval */
    srdi_ecol num[SRDI_F_COUNT]; /* read with srdi_get; write with srdi_dataset_set */
    srdi_strpool *cities;
    void *id_index; /* private: id → row */

    /* financials (optional) */
    bool has_financials;
    size_t n_fin;
    uint32_t *fin_ent; /* enterprise row */
    int16_t *fin_year;
    srdi_numcol fin_revenue; /* 万元 */
    srdi_numcol fin_rd;      /* 研发费用 万元 */

    /* patents (optional) */
    bool has_patents;
    srdi_patents patents;

    srdi_file_stats files[SRDI_FILE_COUNT];
    bool synthetic; /* the data folder holds SYNTHETIC.txt (made by `srdi-report sample`) */
} srdi_dataset;

/**
 * @brief An empty dataset owning @p ref.
 * @param ref the reference data (ownership passes; may be NULL in tests that set it later)
 * @return the dataset, owned by the caller (srdi_dataset_free); NULL when out of
 *         memory (@p ref is not freed then)
 */
srdi_dataset *srdi_dataset_new(srdi_reference *ref);
/** @brief Free @p d, everything reachable from it and its reference. @param d the dataset (NULL is fine) */
void srdi_dataset_free(srdi_dataset *d);

/**
 * @brief Append one enterprise row; all numeric fields start missing.  Strings are copied.
 * @param d         the dataset
 * @param id        统一社会信用代码 (not checked for duplicates here)
 * @param name      the enterprise name
 * @param level     its level
 * @param province  index into d->ref->provinces (negative: 0)
 * @param city      the city name (interned; NULL = "")
 * @param industry4 the 4-digit class code (the first 4 bytes are kept)
 * @param te        the technology evaluation
 * @param row       receives the new row index
 * @return SRDI_OK, or SRDI_ERR_NOMEM (the row is not added)
 */
srdi_status srdi_dataset_add_enterprise(srdi_dataset *d, const char *id, const char *name, srdi_level level,
                                        int province, const char *city, const char *industry4, srdi_tech_eval te,
                                        size_t *row);
/**
 * @brief srdi_dataset_add_enterprise unless a row has @p id already (one hash
 * and one probe for both: the duplicate check and the add).
 * @param d         the dataset
 * @param id        统一社会信用代码
 * @param name      the enterprise name
 * @param level     its level
 * @param province  index into d->ref->provinces (negative: 0)
 * @param city      the city name (interned; NULL = "")
 * @param industry4 the 4-digit class code (the first 4 bytes are kept)
 * @param te        the technology evaluation
 * @param row       receives the new row index (when added)
 * @param dup       receives the row that has @p id already (nothing added), or -1 (added)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (the row is not added)
 */
srdi_status srdi_dataset_add_enterprise_new(srdi_dataset *d, const char *id, const char *name, srdi_level level,
                                            int province, const char *city, const char *industry4, srdi_tech_eval te,
                                            size_t *row, long *dup);
/**
 * @brief Make room for @p n enterprise rows in all (exactly @p n when more
 * than now): a reader that knows the row count up front (an upper bound)
 * reserves it once, so the columns are neither copied nor doubled past it.
 * The first reserve of a large dataset (srdi_dataset_arena_min_rows) also
 * takes the first block of its ids and names, room for ~64 bytes a row
 * (the part not written to is never touched).
 * @param d the dataset
 * @param n the rows to hold
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; rows already added stay)
 */
srdi_status srdi_dataset_reserve(srdi_dataset *d, size_t n);
/**
 * @brief The least rows of a first reserve that puts the enterprise columns'
 * cells in one range of address space on 2 MiB pages (fewer: each column is
 * malloc'ed); 16384 unless a test sets it.
 */
extern size_t srdi_dataset_arena_min_rows;
/**
 * @brief Set numeric field @p f of @p row (marks it present); the column
 * widens when @p v does not fit it (srdi_ecol).  No other checks.
 * @param d   the dataset
 * @param row a row < d->n
 * @param f   a field
 * @param v   the value (any double: it reads back bit for bit)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; the cell is unchanged)
 */
srdi_status srdi_dataset_set(srdi_dataset *d, size_t row, srdi_field f, double v);
/**
 * @brief Make field @p f of @p row missing (a refresh that patches a row
 * whose cell became empty); the column keeps its width.
 * @param d   the dataset
 * @param row a row < d->n
 * @param f   a field
 */
void srdi_dataset_clear(srdi_dataset *d, size_t row, srdi_field f);
/**
 * @brief srdi_dataset_set of every field f of @p row with @p present[f].
 * @param d       the dataset
 * @param row     a row < d->n
 * @param vals    the values, by field
 * @param present which of them to set
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; fields before the failing one are set)
 */
srdi_status srdi_dataset_set_fields(srdi_dataset *d, size_t row, const double vals[SRDI_F_COUNT],
                                    const bool present[SRDI_F_COUNT]);
/** An enterprise row prepared by a reader (srdi_dataset_add_row): strings by length, the id's hash computed. */
typedef struct srdi_ent_row {
    const char *id; /* 统一社会信用代码: id_n bytes, no NUL inside (need not end in one) */
    size_t id_n;
    uint64_t id_hash; /* srdi_hash_mem(id, id_n) */
    const char *name; /* name_n bytes */
    size_t name_n;
    srdi_level level;
    int province;          /* index into d->ref->provinces (negative: 0) */
    uint32_t city;         /* an id of d->cities */
    const char *industry4; /* the 4-digit class code (the first 4 bytes are kept) */
    srdi_tech_eval te;
} srdi_ent_row;

/**
 * @brief Append a prepared row whose id the caller found new
 * (srdi_dataset_find_hashed): srdi_dataset_add_enterprise without hashing
 * the id or interning a city again.  Numeric fields start missing.
 * @param d   the dataset
 * @param e   the row (strings copied)
 * @param row receives the new row index
 * @return SRDI_OK, or SRDI_ERR_NOMEM (the row is not added)
 */
srdi_status srdi_dataset_add_row(srdi_dataset *d, const srdi_ent_row *e, size_t *row);
/**
 * @brief srdi_dataset_reserve for the rows of a refresh cache on an empty
 * dataset: the enterprise columns and the index, not the numeric columns,
 * whose cells srdi_dataset_column_load brings whole.  The next
 * srdi_dataset_reserve (any size) gives every numeric column still without
 * cells room for the rows reserved, all missing; nothing else may touch the
 * numeric columns before.  On a dataset with rows or room: srdi_dataset_reserve.
 * @param d the dataset
 * @param n rows
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_dataset_reserve_rows(srdi_dataset *d, size_t n);
/**
 * @brief Room for @p len bytes of ids and names in the dataset's string
 * store (the refresh cache reads them straight into it; then
 * srdi_dataset_rows_adopt).  Reserve the rows first (srdi_dataset_reserve).
 * @param d   the dataset
 * @param len bytes
 * @return the room (the dataset's), or NULL when out of memory
 */
char *srdi_dataset_string_room(srdi_dataset *d, size_t len);
/**
 * @brief Rows 0 … n−1 of an empty dataset whose fixed columns (level,
 * province, city, industry, tech_eval) the caller has written already into
 * the reserved columns, with ids and names in @p strs (from
 * srdi_dataset_string_room: each NUL-terminated, id then name, row after
 * row; @p lens their lengths, two a row) and @p hashes the ids' hashes
 * (srdi_hash_mem): the strings are checked against @p lens, the id index
 * built and d->n set.  Numeric fields are loaded after
 * (srdi_dataset_column_load).
 * @param d      an empty, reserved dataset (srdi_dataset_reserve with at least @p n)
 * @param n      rows
 * @param strs   the strings
 * @param len    their bytes
 * @param lens   2 @p n lengths
 * @param hashes @p n id hashes
 * @return SRDI_OK; SRDI_ERR_INTERNAL when the strings do not match @p lens
 *         or the dataset is not empty and reserved; SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_dataset_rows_adopt(srdi_dataset *d, size_t n, char *strs, size_t len, const uint32_t *lens,
                                   const uint64_t *hashes);
/**
 * @brief Replace what row @p row holds besides its id, city and numeric
 * cells with @p e (name, level, province, industry, tech evaluation): a
 * refresh whose rows came from the enterprises cache patches the rows whose
 * values changed.  The id and the city id must be the row's own.
 * @param d   the dataset
 * @param row a row < d->n
 * @param e   the row as parsed again (e->city: an id of d->cities)
 * @return SRDI_OK, SRDI_ERR_NOMEM, or SRDI_ERR_INTERNAL when @p e has another id or city (message set)
 */
srdi_status srdi_dataset_patch_row(srdi_dataset *d, size_t row, const srdi_ent_row *e);
/**
 * @brief srdi_dataset_find of an id given by length and hash.
 * @param d  the dataset
 * @param id the id (@p n bytes)
 * @param n  its length
 * @param h  srdi_hash_mem(id, n)
 * @return the row, or -1
 */
long srdi_dataset_find_hashed(const srdi_dataset *d, const char *id, size_t n, uint64_t h);
/**
 * @brief Start loading what srdi_dataset_find_hashed of hash @p h reads first
 * (a hint: nothing changes): a reader that knows the next ids' hashes ahead
 * overlaps the cache misses of the look-ups.
 * @param d the dataset
 * @param h srdi_hash_mem of an id looked up soon
 */
void srdi_dataset_prefetch_id(const srdi_dataset *d, uint64_t h);
/**
 * @brief Start numeric column @p f, while the dataset has no enterprise rows
 * (none reserved either), at width code @p width (1, 2 or 4): one its
 * cells will reach anyway (a reader saw rows that are sure to be added with
 * such a value), so srdi_dataset_reserve allocates the column so, on
 * 2 MiB pages, instead of as 2-bit cells that the first such value widens
 * (a fresh small page is dear).  Values and the final width are the same
 * (widths only grow).  No effect on a column with rows or a width.
 * @param d     the dataset
 * @param f     the field
 * @param width 1, 2 or 4 (anything else: no effect)
 */
void srdi_dataset_width_hint(srdi_dataset *d, srdi_field f, unsigned width);
/**
 * @brief Set field @p f of many rows at once from cells a reader prepared:
 * cell i goes to row rows[i] (rows NULL: row0 + i; UINT32_MAX: skipped);
 * k[i] is UINT32_MAX for a missing cell, else the integer srdi_ecol_width
 * gave (any other value when that width was 8); v[i] the value of a present
 * cell when @p width is 8 (v NULL otherwise).  @p width is at least the
 * largest srdi_ecol_width of the cells set: the column widens to it once.
 * The same cells as srdi_dataset_set of each present one.
 * @param d     the dataset
 * @param f     the field
 * @param rows  the rows, or NULL
 * @param row0  the first row when @p rows is NULL
 * @param n     the cells
 * @param k     their integers
 * @param v     their values (width 8), or NULL
 * @param width 1, 2, 4 or 8
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_dataset_set_cells(srdi_dataset *d, srdi_field f, const uint32_t *rows, size_t row0, size_t n,
                                   const uint32_t *k, const double *v, unsigned width);
/**
 * @brief Row of an enterprise id (a scan of every id once the dataset is sealed).
 * @param d  the dataset
 * @param id the 统一社会信用代码 (borrowed)
 * @return the row, or -1
 */
long srdi_dataset_find(const srdi_dataset *d, const char *id);
/**
 * @brief Release the id index when reading is over (the tables never look
 * an id up): srdi_dataset_find then scans, and adding a row builds the index again.
 * @param d the dataset
 */
void srdi_dataset_seal(srdi_dataset *d);
/**
 * @brief Append a financials row (sets has_financials).
 * @param d       the dataset
 * @param ent     the enterprise row
 * @param year    the financial year
 * @param revenue 营业收入 in 万元, NAN when missing
 * @param rd      研发费用 in 万元, NAN when missing
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_dataset_add_financial(srdi_dataset *d, uint32_t ent, int year, double revenue, double rd);
/**
 * @brief The latest financial year: the largest year of any financials row
 * (all levels, whatever the scope of an edition), 0 when there are no
 * financials.  The one definition used by the tables, workbooks and state.
 * @param d the dataset
 */
int srdi_dataset_latest_fin_year(const srdi_dataset *d);
/**
 * @brief Add @p count to a patent fact (used by ingest and tests); call
 * srdi_patents_finish after the last one.  Not thread-safe.
 * @param p     the aggregates
 * @param ent   the enterprise row
 * @param kind  what the fact counts
 * @param year  its year (per @p kind)
 * @param key   an id in p->keys, or UINT32_MAX (per @p kind)
 * @param count rows to add (0: nothing)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_patents_add(srdi_patents *p, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key,
                             uint32_t count);
/**
 * @brief Merge the accumulated facts into p->facts, sorted (srdi_pfact_cmp).
 * @param p the aggregates
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_patents_finish(srdi_patents *p);

/**
 * @brief Free the facts once every table that reads them is computed (the
 * largest part of a dataset at scale: 16 bytes a fact, ~5 M facts at 4x the
 * national data); the keys and maximum years stay.  p->released is set and
 * a patent table computed afterwards fails with SRDI_ERR_INTERNAL, never
 * from an empty list.
 * @param p the aggregates
 */
void srdi_patents_release(srdi_patents *p);

/**
 * @brief The hash of the facts' content (each fact's fields, in order; the
 * padding byte left out) — p->digest when p->has_digest, else computed.
 * A refresh's table cache keys the patent tables by it; the patents cache
 * stores it beside the facts, so a refresh need not read them to know it.
 * @param p the aggregates
 */
uint64_t srdi_patents_digest(const srdi_patents *p);

/**
 * @brief Free the facts of @p p (malloc'ed, or the cache file's mapping they
 * lie in); facts and n_facts become NULL and 0.
 * @param p the aggregates
 */
void srdi_patents_free_facts(srdi_patents *p);

/**
 * @brief The content hashes of the enterprise rows of @p d: *fixed of their
 * count, ids, names, levels, provinces, cities, industries, technology
 * evaluations and the city names, fields[f] of numeric column f's stored
 * bytes (its width, cells and bitmap).  The hashes given for these very rows
 * by srdi_dataset_content_hashes_known for what did not change since (every
 * function of this header that changes the rows drops the hashes of what it
 * changes: a numeric column's, the fixed columns', all when rows or city
 * names are added), the others computed (the fixed columns' is a pass over
 * every row's strings: ~3 ms of the national data).
 * @param d      the dataset (NULL: the hashes of no rows)
 * @param fixed  receives the hash of the columns every table reads
 * @param fields receives one hash per numeric column
 * @return true when every hash was a given one, false when one was computed
 */
bool srdi_dataset_content_hashes(const srdi_dataset *d, uint64_t *fixed, uint64_t fields[SRDI_F_COUNT]);
/**
 * @brief Give @p d the content hashes of its rows as they are now (the
 * enterprises refresh cache keeps them with the rows): the next
 * srdi_dataset_content_hashes returns them until the rows change.  The
 * caller vouches for them: they must be what srdi_dataset_content_hashes
 * would compute.
 * @param d      the dataset
 * @param fixed  the hash of the columns every table reads
 * @param fields the hash of each numeric column
 */
void srdi_dataset_content_hashes_known(srdi_dataset *d, uint64_t fixed, const uint64_t fields[SRDI_F_COUNT]);
/** @brief Forget the hashes given by srdi_dataset_content_hashes_known (the next call computes them). @param d the dataset */
void srdi_dataset_content_hashes_drop(srdi_dataset *d);
/**
 * @brief The stored bytes of enterprise column @p f over rows 0 … n−1 (a
 * refresh cache saves them as they are): its width code, the cells
 * (@p ncells bytes) and, at width 8, the presence bitmap (@p nbits bytes;
 * NULL and 0 otherwise).  Width 0: no rows were ever reserved (no bytes).
 * @param d      the dataset
 * @param f      the field
 * @param width  receives the width code
 * @param cells  receives the cells
 * @param ncells receives their byte count
 * @param bits   receives the bitmap, or NULL
 * @param nbits  receives its byte count
 */
void srdi_dataset_column_bytes(const srdi_dataset *d, srdi_field f, unsigned *width, const void **cells,
                               size_t *ncells, const uint8_t **bits, size_t *nbits);
/**
 * @brief Set enterprise column @p f of rows 0 … @p n − 1 (rows added
 * already, or reserved and about to be adopted: srdi_dataset_rows_adopt)
 * from bytes srdi_dataset_column_bytes gave for the same rows: the column
 * reads back cell for cell as the one they came from.  It touches column @p f
 * and the cells' range alone (not d->n, the rows or the other columns): the
 * refresh cache loads the columns on a thread of its own while the rows are
 * adopted on another.
 * @param d      the dataset
 * @param f      the field
 * @param width  the width code (0: left as it is)
 * @param cells  the cells
 * @param ncells their bytes (what srdi_dataset_column_bytes gives for @p n rows at @p width)
 * @param bits   the bitmap at width 8, else NULL
 * @param nbits its bytes (0 below width 8)
 * @param n      the rows (at most the rows reserved)
 * @return SRDI_OK, SRDI_ERR_NOMEM (message set), or SRDI_ERR_INTERNAL for a
 *         bad width code or sizes that are not those of @p n rows (message set)
 */
srdi_status srdi_dataset_column_load(srdi_dataset *d, srdi_field f, unsigned width, const void *cells, size_t ncells,
                                     const uint8_t *bits, size_t nbits, size_t n);

/** @brief Value accessor: returns 1 and sets *v when present, else 0. */
static inline int srdi_get(const srdi_dataset *d, srdi_field f, size_t row, double *v)
{
    return srdi_ecol_get(&d->num[f], row, v);
}

#endif
