/*
 * src/ingest/ingest_private.h — the pieces of the ingest module that its
 * own sources and tests share: typed value parsing, the rejects list, the
 * patents reader.  The CSV record reader and encoding detection are core
 * (srdi/csvread.h).
 */
#ifndef SRDI_INGEST_PRIVATE_H
#define SRDI_INGEST_PRIVATE_H

#include <csv.h>
#include <iconv.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "srdi/csvread.h"
#include "srdi/ingest.h"

/* ----------------------------------------------------- one file, any source */

/** Per-file ingest state (ingest.c): the header mapping, counts, the row checks. */
typedef struct srdi_ingest_file srdi_ingest_file;

/**
 * @brief Rows of cells → the file's row handler.  Hand every record of one
 * input file in order, the header row first (@p ctx is the file's
 * srdi_ingest_file): the header is mapped onto the known columns (aliases,
 * typo check), every later record is checked, typed and added or rejected
 * exactly as a CSV row is.  rec->line is what rejects.csv reports (the CSV
 * line, or a sheet's row number).  A srdi_csv_record_fn, so the CSV reader
 * and a workbook reader both feed it.
 * @param rec the record (borrowed for the call)
 * @return SRDI_OK, or SRDI_ERR_HEADER / SRDI_ERR_NOMEM (message set); a bad row is a reject, not an error
 */
srdi_status srdi_ingest_record(void *ctx, const srdi_csv_record *rec);

/* ------------------------------------------------------------ value parse */

typedef enum srdi_num_result {
    SRDI_NUM_OK = 0,   /* *v set */
    SRDI_NUM_EMPTY,    /* empty (after trimming): a missing value */
    SRDI_NUM_BAD,      /* not a number */
    SRDI_NUM_NEGATIVE, /* < 0 */
    SRDI_NUM_FRACTION  /* not integral (only when integer was asked) */
} srdi_num_result;

/**
 * @brief Parse a number cell: spaces trimmed, thousands separators ("1,234"),
 * full-width digits, comma, period and sign accepted.  Negative values and
 * (when @p integer) fractions are reported as such with *v still set.
 * @param s       the cell text (borrowed)
 * @param n       its length
 * @param integer true when only whole numbers are valid
 * @param v       receives the value
 */
srdi_num_result srdi_ingest_parse_number(const char *s, size_t n, bool integer, double *v);
/**
 * @brief @brief 0/1 cell: 1/0, 是/否, Y/N, yes/no, true/false. 1 = ok (*v set), 0 = empty, -1 = bad.
 * @param s the cell text
 * @param n its length
 * @param v receives 0 or 1
 */
int srdi_ingest_parse_flag(const char *s, size_t n, double *v);
/**
 * @brief @brief Trim ASCII spaces/tabs, U+3000 and a BOM from both ends: adjusts *s and *n.
 * @param s the text, advanced
 * @param n its length, reduced
 */
void srdi_ingest_trim_slow(const char **s, size_t *n);
/** Bytes that may open (bit 1: space, tab, the lead bytes of U+3000 and the BOM) or close
    (bit 2: space, tab, CR, the last byte of U+3000) a cell that trimming changes. */
extern const unsigned char srdi_ingest_trim_class[256];
static inline void srdi_ingest_trim(const char **s, size_t *n)
{
    if (*n == 0) return;
    unsigned char a = (unsigned char)(*s)[0], z = (unsigned char)(*s)[*n - 1];
    if (!((srdi_ingest_trim_class[a] & 1) | (srdi_ingest_trim_class[z] & 2))) return;
    srdi_ingest_trim_slow(s, n);
}

/* ----------------------------------------------------------------- rejects */

typedef struct srdi_reject {
    int file;     /* srdi_file_id */
    long line;    /* physical line where the record starts */
    char *column; /* column header as found in the file, or "" */
    char *value;  /* offending value, sanitised (valid UTF-8, at most ~200 bytes) */
    char *reason;
} srdi_reject;

typedef struct srdi_rejects {
    srdi_reject *v;
    size_t n, cap;
    char *label[SRDI_FILE_COUNT]; /* file column of rejects.csv when not the CSV name
                                             ("enterprises.xlsx[Sheet1]"); owned, NULL = default */
} srdi_rejects;

/**
 * @brief @brief Append a reject; copies the strings (value is sanitised and truncated).
 * @param rj        the list
 * @param file      a srdi_file_id
 * @param line      the physical line (or sheet row)
 * @param column    the header as found (NULL = "")
 * @param value     the offending value (borrowed)
 * @param value_len its length
 * @param reason    why
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_rejects_add(srdi_rejects *rj, int file, long line, const char *column, const char *value,
                             size_t value_len, const char *reason);
/**
 * @brief Per file, the rejects counted by reason (numbers in a reason read as
 * '#'), most frequent first: "reason (count); …" into d->files[f].reject_reasons.
 * @param rj the rejects
 * @param d  the dataset whose files[] get the summaries
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_rejects_summarise(const srdi_rejects *rj, srdi_dataset *d);
/** @brief Move every entry of @p src to the end of @p dst, adding @p line_offset to each line. */
srdi_status srdi_rejects_move(srdi_rejects *dst, srdi_rejects *src, long line_offset);
/** @brief Free every entry of @p rj (the struct itself is the caller's). @param rj the rejects */
void srdi_rejects_free(srdi_rejects *rj);
/**
 * @brief @brief Write rejects.csv (header file,line,column,value,reason) atomically.
 * @param rj   the rejects
 * @param path rejects.csv
 * @return SRDI_OK, SRDI_ERR_IO (message names the file) or SRDI_ERR_NOMEM
 */
srdi_status srdi_rejects_write(const srdi_rejects *rj, const char *path);

/* ---------------------------------------------------------------- patents */

/** Column mapping of patents.csv (index into the record, or -1). */
typedef struct srdi_patent_cols {
    int id, patent_no, kind, office, app_year, pub_year, status, grant_year, ipc, field;
    const char *const *names;         /* header names as found in the file, by record index */
    size_t ncols;                     /* header field count */
    char delim;                       /* field separator */
    bool release_pages;               /* the body is a file mapping whose read pages may be given back */
    const srdi_strpool *rejected_ids; /* ids of rejected enterprises rows (may be NULL) */
    const long *rejected_line;        /* their lines in enterprises.csv, by pool id */
    const char *ent_fname;            /* "enterprises.csv" (or the workbook's name) */
    /* content hash in the parsing pass: when blocks is not NULL, the body lies in
       the mapping [file, file + file_size) of the whole file, and blocks[b] gets
       srdi_patcache_block_hash of its block b, every block hashed once */
    const char *file;
    size_t file_size;
    uint64_t *blocks;
    /* when read_base is not NULL, the body lies in the mapping [read_base, read_base + file_size)
       of the whole file open as read_fd: the workers pread their bytes into a buffer of their own
       rather than touch the mapping (a page mapped costs more than the copy: srdi_ingest_read_piece) */
    const char *read_base;
    int read_fd;
} srdi_patent_cols;

/** Smallest part the parallel patents reader cuts (64 KiB; tests lower it). */
extern size_t srdi_ingest_min_part;
/** Whether plain patents lines are split in place (true) or every line goes through the CSV
    reader (tests compare the two). */
extern bool srdi_ingest_patents_split;
/** Whether the common split patents row is taken straight from the line (true) or every split
    line is made a record for the general row checks (tests compare the two). */
extern bool srdi_ingest_patents_direct;
/** Widest SIMD the patents line splitter classifies bytes with: 2 AVX2 where the CPU has it, 1 SSE2,
    0 none (tests compare them; every choice gives the same result). */
extern int srdi_ingest_patents_simd;
/** Bytes the patents workers read into their buffer at a time, at offsets that are multiples of it
    (SRDI_PATCACHE_BLOCK, so a content block is hashed from the buffer; tests lower it). */
extern size_t srdi_ingest_read_piece;
/** Bytes per part of the parallel enterprises.csv reader, and of the file's pieces (srdi_ent_next_cut): 4 KiB
    short of 512 KiB, so that a part and the line it ends with (a piece is cut at the first line end from a
    multiple of it) mostly fit 512 KiB, and the four read buffers of two threads one 2 MiB page. */
#define SRDI_INGEST_ENT_PART (((size_t)512 << 10) - 4096)
/** Bytes per part of the parallel enterprises.csv reader (SRDI_INGEST_ENT_PART; tests change it). */
extern size_t srdi_ingest_ent_part;
/** Bytes read at a time when the lines of a split enterprises.csv body are counted (1 MiB; 0: in the mapping). */
extern size_t srdi_ingest_ent_count_piece;
/** Whether the parallel enterprises.csv reader's parts are the file's pieces (srdi_ent_next_cut), whose hashes
    give its content hash, and the columns are reserved for the first part's rows a byte (true; tests set it
    false: parts cut from the body, its lines counted, the file hashed apart). */
extern bool srdi_ingest_ent_pieces;
/**
 * @brief The end of the piece of enterprises.csv that starts at @p at: the
 * file is cut just after the first line end ('\n', '\r', a CRLF kept whole)
 * at or after each multiple k·P of P = srdi_ingest_ent_part (k ≥ 1, k·P <
 * @p size), the same cuts whoever reads it.  The pieces' hashes make its
 * content hash (srdi_entcache_content), and the parallel reader's parts
 * are the pieces.
 * @param fd   the file, read with pread a few KiB at a cut (-1: read in @p map)
 * @param map  the whole file (read where pread cannot)
 * @param size its size
 * @param at   a piece's start (0, or a cut)
 * @return the next cut, or @p size
 */
size_t srdi_ent_next_cut(int fd, const char *map, size_t size, size_t at);

/**
 * @brief Parse the body of patents.csv ([body, body+n), starting at physical
 * line @p first_line) into d->patents with @p threads threads, appending row
 * errors to @p rj and counts to *read / *accepted / *rejected.
 * @param d          the dataset (its enterprises are read; d->patents filled)
 * @param cols       the column mapping
 * @param body       the bytes after the header (borrowed)
 * @param n          their count
 * @param enc        their encoding
 * @param read       receives the rows read (added to)
 * @param accepted   receives the rows accepted (added to)
 * @param rejected   receives the rows rejected (added to)
 * @return SRDI_OK, or the first error of a part (SRDI_ERR_NOMEM …; message set); bad rows are rejects
 */
srdi_status srdi_ingest_patents_body(srdi_dataset *d, const srdi_patent_cols *cols, const char *body, size_t n,
                                     long first_line, srdi_encoding enc, int threads, srdi_rejects *rj, long long *read,
                                     long long *accepted, long long *rejected);

/* ------------------------------------------- patent fact accumulator (pfacts.c) */

#define SRDI_PFACC_BITS  10
#define SRDI_PFACC_SLOTS (1u << SRDI_PFACC_BITS)

/*
 * The facts of one reader: a small table adds up the facts of the current
 * enterprise (rows come grouped by enterprise), flushed when the enterprise
 * changes onto the end of one list (the log, in flush order) with a count per
 * (kind, year) bucket — the top bits of the canonical order.  Before they
 * are collected the log is sealed: moved, stably, into one array in bucket
 * order, so that srdi_pfacc_collect sorts and moves them one bucket at a time
 * and gives the array's pages back as it goes (memory: the facts about once,
 * not twice; a few system calls a reader, not one a bucket).
 * Zero-initialised is empty.
 *
 * Not THE hash index (srdi/hash.h) on purpose: this is the innermost loop of
 * ingest (every patent row), so the group table holds the packed 32-bit key
 * and its count inline, in fixed arrays of 8 KiB that stay in the L1 cache and
 * are emptied per enterprise through used[]; the general index keeps only ids
 * and would add a load from a second array on every probe.
 */
#define SRDI_PFACC_BUCKETS 2048 /* (kind, year − 1900): the top 11 bits of the packed key */

/*
 * Room for the sealed arrays of the readers of one file: one reserved
 * range of address space (pages are committed as they are written, 2 MiB
 * ones where the system gives them), taken from the front by every reader
 * at once; an array that does not fit gets a mapping of its own.  A sealed
 * array of the national data is ~2 MB: on 4 KiB pages its own mapping cost
 * ~500 page faults, ~20 us each on a virtual machine.
 */
typedef struct srdi_pfarena {
    char *base; /* NULL: none (every array its own mapping) */
    size_t size;
    _Atomic size_t used;
} srdi_pfarena;
/** @brief Reserve an arena of @p bytes (none when that fails: *a is then empty). */
void srdi_pfarena_init(srdi_pfarena *a, size_t bytes);
/** @brief Release the arena (every accumulator that took from it emptied first). */
void srdi_pfarena_free(srdi_pfarena *a);

/*
 * A fact that packs, as the log and the sealed arrays hold it: 12 bytes, not
 * the 16 of an srdi_pfact (at 4x the national data the sealed arrays of
 * every part, ~5 M facts, are held at once at the end of the parse: 60 MB,
 * not 80).  kyk is (kind, year − 1900, key) as srdi_pfacc_add_quick packs
 * it: its top 11 bits are the fact's bucket.
 */
typedef struct srdi_pfpk {
    uint32_t kyk, ent, count;
} srdi_pfpk;

typedef struct srdi_pfacc {
    uint32_t ent;                        /* enterprise of the open group */
    uint32_t gkey[SRDI_PFACC_SLOTS];     /* packed (kind, year, key) */
    uint32_t gcnt[SRDI_PFACC_SLOTS];     /* 0 = empty slot */
    uint16_t used[SRDI_PFACC_SLOTS / 2]; /* slots in use */
    size_t nused;
    srdi_pfpk *log;    /* flushed facts that pack, in flush order (may repeat) */
    size_t n_log, cap_log;
    size_t kept;       /* n_log after the last adding up (an input not grouped by enterprise) */
    srdi_pfpk *sorted;  /* sealed facts that pack, bucket after bucket (in arena, or a mapping), or NULL */
    bool sorted_own;    /* sorted is a mapping of its own (else part of arena) */
    srdi_pfarena *arena; /* where sealed arrays are taken from (NULL: mappings of their own) */
    size_t n_sorted;
    size_t bcnt[SRDI_PFACC_BUCKETS]; /* facts of each bucket, in sorted and log together */
    size_t *boff;                    /* SRDI_PFACC_BUCKETS + 1 offsets of the buckets in sorted (with it) */
    srdi_pfact *odd;                 /* flushed facts that do not pack (unsorted, may repeat) */
    size_t n_odd, cap_odd;
    size_t n;                /* facts held in the log, sorted and odd */
    uint32_t min_ent;        /* enterprise of the first group */
    uint32_t max_ent;        /* largest enterprise of a group so far */
    size_t groups, regroups; /* groups opened; of them not above max_ent */
    bool mixed;              /* a group not above max_ent was ever added: a bucket is not "unique facts,
                                enterprises ascending" */
} srdi_pfacc;

/**
 * @brief @brief Count one fact (count 1) of enterprise row @p ent.
 * @param a    the accumulator
 * @param ent  the enterprise row
 * @param kind the fact's kind
 * @param year its year
 * @param key  its key (per kind)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_pfacc_add(srdi_pfacc *a, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key);

#define SRDI_PFACC_KEY_BITS 21                                  /* key bits of a packed fact */
#define SRDI_PFACC_KEY_NONE ((1u << SRDI_PFACC_KEY_BITS) - 1) /* UINT32_MAX ("no key") packed */
/**
 * @brief srdi_pfacc_add of the common fact, inline: one of the enterprise of
 * the open group while it has room, whose kind, year (1900–2155) and key
 * (none, or below SRDI_PFACC_KEY_NONE) pack.  False, with nothing done, for
 * any other: then srdi_pfacc_add counts it.
 * @param a    the accumulator
 * @param ent  the enterprise row
 * @param kind the fact's kind
 * @param year its year
 * @param key  its key (per kind)
 * @return true when counted
 */
static inline bool srdi_pfacc_add_quick(srdi_pfacc *a, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key)
{
    uint32_t kc = key == UINT32_MAX ? SRDI_PFACC_KEY_NONE : key;
    if (ent != a->ent || a->nused == 0 || a->nused >= SRDI_PFACC_SLOTS / 2 || (unsigned)kind >= 8 ||
        (unsigned)(year - 1900) > 255 || kc > SRDI_PFACC_KEY_NONE || (kc == SRDI_PFACC_KEY_NONE && key != UINT32_MAX))
        return false;
    uint32_t p = (uint32_t)kind << 29 | (uint32_t)(year - 1900) << SRDI_PFACC_KEY_BITS | kc;
    for (uint32_t i = (p * 0x9E3779B1u) >> (32 - SRDI_PFACC_BITS);; i = (i + 1) & (SRDI_PFACC_SLOTS - 1)) {
        if (a->gcnt[i] == 0) {
            a->gkey[i] = p;
            a->gcnt[i] = 1;
            a->used[a->nused++] = (uint16_t)i;
            return true;
        }
        if (a->gkey[i] == p) {
            a->gcnt[i]++;
            return true;
        }
    }
}
/**
 * @brief Seal the facts counted so far (the open group flushed): moved into
 * one array bucket by bucket, as srdi_pfacc_collect takes them; the log's
 * memory is kept for more facts (a reader's next part: pass it on by moving
 * log and cap_log while n_log is 0).  Collecting seals what is left.
 * @param a the accumulator
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; the facts are still held)
 */
srdi_status srdi_pfacc_seal(srdi_pfacc *a);
/**
 * @brief Move the accumulated facts into p->facts (sorted by (kind, year,
 * key, ent), equal facts added up, together with any facts p held); the
 * accumulator is empty after.  srdi_pfacc_collect of one accumulator.
 * @param a the accumulator
 * @param p the aggregates
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_pfacc_finish(srdi_pfacc *a, srdi_patents *p);
/**
 * @brief Move the facts of the accumulators a[0..n) (the readers of
 * consecutive parts of one file, in file order) into p->facts: their key ids
 * renumbered by map[i] (local id → id in p->keys; NULL: the same ids; kind
 * SRDI_PF_DECIDED and UINT32_MAX keys are never renumbered), sorted by
 * (kind, year, key, ent), equal facts added up, together with any facts p
 * held.  One bucket at a time is sorted into place and its memory released,
 * so the peak is about the facts once.  The accumulators are empty after
 * (also on failure).
 * @param a   the accumulators
 * @param map per accumulator, its key id map or NULL
 * @param n   how many
 * @param p   the aggregates
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_pfacc_collect(srdi_pfacc *const *a, const uint32_t *const *map, int n, srdi_patents *p);
/**
 * @brief srdi_pfacc_collect on up to @p threads threads (the calling thread
 * is one; 16 at most): the (kind, year) buckets are cut into as many ranges
 * of about as many facts each, sorted into place at once.  The same result as
 * srdi_pfacc_collect.  One thread when @p threads is 1, the facts fewer than
 * srdi_pfacc_collect_split, or a fact that does not pack.
 * @param a       the accumulators
 * @param map     per accumulator, its key id map or NULL
 * @param n       how many
 * @param p       the aggregates
 * @param threads threads to use
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_pfacc_collect_mt(srdi_pfacc *const *a, const uint32_t *const *map, int n, srdi_patents *p,
                                  int threads);
/** Facts from which srdi_pfacc_collect_mt uses more threads than one (65536; tests lower it). */
extern size_t srdi_pfacc_collect_split;
/** @brief Facts the accumulator has room for (its memory, in facts): tests. @param a the accumulator */
size_t srdi_pfacc_room(const srdi_pfacc *a);
/** @brief Free what the accumulator holds and empty it (the struct is the caller's). @param a the accumulator */
void srdi_pfacc_free(srdi_pfacc *a);
/**
 * @brief @brief Sort v[0..*n) into the order of srdi_patents.facts, adding up equal facts (*n = facts left).
 * @param v the facts, sorted in place
 * @param n their count, updated
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_pfacts_sort(srdi_pfact *v, size_t *n);
/**
 * @brief Sort facts that were in canonical order, unique, before their key ids
 * were renumbered (each old id to its own new id): within one (kind, year, key)
 * the enterprises still ascend, so one stable counting sort on (kind, year,
 * key) does (else srdi_pfacts_sort).  *v may be replaced by a new array.
 * @param v the facts (malloc'ed), sorted; may be reallocated
 * @param n their count
 * @return SRDI_OK, or SRDI_ERR_NOMEM (*v as it was)
 */
srdi_status srdi_pfacts_resort(srdi_pfact **v, size_t *n);

/* ------------------------------------------------- patents refresh cache */

/* A reading of the patents cache started ahead (srdi_patcache_ahead_start). */
typedef struct srdi_patcache_ahead srdi_patcache_ahead;

/* What the cache key of a patents.csv reading is made from (patcache.c). */
typedef struct srdi_patcache_in {
    const srdi_dataset *d; /* enterprises read (ids, levels), files[PATENTS].encoding */
    int fd;                /* patents.csv, open */
    const struct stat *sb; /* its fstat */
    srdi_encoding enc;
    char delim;
    size_t bom;
    int threads;                 /* for hashing the bytes */
    const srdi_strpool *rej_ids; /* ids of rejected enterprise rows, or NULL */
    const long *rej_line;        /* their lines */
    const char *ent_fname;       /* name of the enterprises source */
    bool have_content;           /* content: the content hash, computed already (set by srdi_patcache_key) */
    uint64_t content;
    double t_open;          /* CLOCK_REALTIME (s) taken before patents.csv was opened; 0 = unknown */
    const char *cache_path; /* the cache file whose settled identity may give the content hash, or NULL */
    bool peeked;            /* set by srdi_patcache_key: the content hash came from cache_path */
} srdi_patcache_in;

/* Bytes of one block of the content hash of patents.csv. */
#define SRDI_PATCACHE_BLOCK ((size_t)1 << 20)
/**
 * @brief @brief Hash of one block (bytes [b·BLOCK, min((b+1)·BLOCK, size)) of the file).
 * @param p the block's bytes
 * @param n their count
 */
uint64_t srdi_patcache_block_hash(const void *p, size_t n);
/** Widest SIMD srdi_patcache_block_hash may use: 2 AVX2 where the CPU has it, 1 SSE2, 0 none (tests
    compare them; every choice gives the same value). */
extern int srdi_patcache_simd;
/**
 * @brief srdi_patcache_block_hash without SIMD (the same value; for the tests).
 * @param p the block's bytes
 * @param n their count
 */
uint64_t srdi_patcache_block_hash_portable(const void *p, size_t n);
/**
 * @brief @brief The content hash of a file of @p size bytes from its block hashes in file order.
 * @param blocks  the block hashes
 * @param nblocks their count
 * @param size    the file's size
 */
uint64_t srdi_patcache_combine(const uint64_t *blocks, size_t nblocks, uint64_t size);
/**
 * @brief The content hash of the pieces [cuts[b], cuts[b + 1]) of the file
 * open as @p fd, b < @p npieces, each hashed as a block
 * (srdi_patcache_block_hash) and combined in order as srdi_patcache_combine
 * does with the bytes they span, read with pread by up to @p threads threads.
 * False (errno set) when it cannot be read or memory is short.
 * @param fd      the file
 * @param cuts    npieces + 1 offsets, ascending
 * @param npieces the pieces
 * @param threads threads that may read and hash (at least 1 is used)
 * @param out     receives the hash
 * @param each    NULL, or room for npieces hashes: each piece's
 */
bool srdi_patcache_pieces(int fd, const uint64_t *cuts, size_t npieces, int threads, uint64_t *out, uint64_t *each);
/**
 * @brief The content hash of the whole file open as @p fd (its blocks hashed
 * and combined as srdi_patcache_combine does), read with pread by up to
 * @p threads threads: nothing of it is mapped into the process.  False
 * (errno set) when it cannot be read.
 * @param fd      the file
 * @param size    its size
 * @param threads threads that may read and hash (at least 1 is used)
 * @param out     receives the hash
 */
bool srdi_patcache_content(int fd, uint64_t size, int threads, uint64_t *out);
/**
 * @brief Read bytes [at, at + n) of @p fd into @p dst whole (pread, retried
 * after a signal and after a short read): the readers' one way to copy a
 * file's bytes instead of mapping them.  False (errno set, EIO for a file
 * cut short) when they cannot all be read.
 * @param fd  the file
 * @param dst n bytes of room
 * @param n   the bytes wanted
 * @param at  their file offset
 */
bool srdi_ingest_pread_all(int fd, void *dst, size_t n, uint64_t at);

/**
 * @brief Whether a file identity is settled (patcache.c's head comment): its
 * mtime and ctime both older than @p t_open by more than 50 ms, or by more
 * than 3 s when either time is a whole number of microseconds (a coarse file
 * system).  A changed file then never keeps this identity.
 * @param sb     the file's fstat
 * @param t_open CLOCK_REALTIME in seconds, read before the file was opened; 0 = unknown (false)
 */
bool srdi_patcache_settled(const struct stat *sb, double t_open);
/**
 * @brief The key (identity, content hash, enterprises, program); SRDI_ERR_IO when unreadable.
 * Without in->have_content the content hash is the one in->cache_path holds
 * when that file recorded this very identity as settled (in->peeked set),
 * else every byte is read and hashed; in->content and in->have_content are set.
 * @param in  what the key is made from
 * @param key receives the key
 */
srdi_status srdi_patcache_key(srdi_patcache_in *in, uint64_t *key);
/**
 * @brief When @p path holds the cache of @p key: fill d->patents, append the
 * cached patents rejects to @p rj, add the counts, *hit = true.  A missing,
 * damaged or other-key file is a miss (SRDI_OK, *hit false); only running
 * out of memory is an error.
 * @param path     the cache file (OUT/.srdi-patents)
 * @param key      the key wanted
 * @param in       what the key was made from (a hit with a freshly hashed,
 *                 now settled identity records it in the file's head)
 * @param d        the dataset, filled on a hit
 * @param rj       the rejects, appended to on a hit
 * @param hit      receives whether the cache was used
 * @param read     receives the rows read (added to)
 * @param accepted receives the rows accepted (added to)
 * @param rejected receives the rows rejected (added to)
 * @param ahead    the file's reading started ahead (srdi_patcache_ahead_start;
 *                 taken over, to be freed by the caller), or NULL: read here
 */
srdi_status srdi_patcache_load(const char *path, uint64_t key, const srdi_patcache_in *in, srdi_dataset *d,
                               srdi_rejects *rj, bool *hit, long long *read, long long *accepted, long long *rejected,
                               srdi_patcache_ahead *ahead);
/**
 * @brief Start reading the patents cache @p path on a thread of its own
 * (everything srdi_patcache_load reads and checks of the file but the key
 * and the enterprises): a refresh reads it while enterprises.csv is read.
 * @param path the cache file (copied)
 * @return the reading, for srdi_patcache_load and srdi_patcache_ahead_free;
 *         NULL when there is no file or no thread (the load then reads it)
 */
srdi_patcache_ahead *srdi_patcache_ahead_start(const char *path);
/** @brief Wait for @p a and free what it read and did not hand over (NULL is fine). */
void srdi_patcache_ahead_free(srdi_patcache_ahead *a);
/**
 * @brief @brief Write the cache of @p key (d->patents, rj->v[rj_from..], counts) to @p path atomically.
 * @param path     the cache file
 * @param key      its key
 * @param in       what the key was made from (the head records its identity
 *                 and content hash when the identity is settled)
 * @param d        the dataset (its patents)
 * @param rj       the rejects
 * @param rj_from  the first of them that belongs to patents.csv
 * @param read     rows read
 * @param accepted rows accepted
 * @param rejected rows rejected
 * @return SRDI_OK, SRDI_ERR_IO or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_patcache_save(const char *path, uint64_t key, const srdi_patcache_in *in, const srdi_dataset *d,
                               const srdi_rejects *rj, size_t rj_from, long long read, long long accepted,
                               long long rejected);

/* ---------------------------------------------- enterprises refresh cache */

/* What the head of the enterprises.csv cache is made from (entcache.c). */
typedef struct srdi_entcache_in {
    struct stat sb;   /* enterprises.csv's fstat (a copy: the cache may be written after its reading returned) */
    double t_open;    /* CLOCK_REALTIME (s) taken before it was opened; 0 = unknown */
    uint64_t content; /* the content hash of every byte of it (srdi_entcache_content) */
    bool peeked;      /* the content hash came from the cache's head, not from the bytes */
    uint64_t ctx;     /* the context key (srdi_entcache_ctx_key) */
} srdi_entcache_in;

/*
 * How the parallel reader cut the body of enterprises.csv into parts, and
 * what each part added (ingest_ent.c fills it; the enterprises cache keeps
 * it): a refresh after values of a few rows changed finds the parts whose
 * bytes are unchanged (from the start and, shifted, from the end) and parses
 * only the rest again (srdi_ingest_ent_delta).
 */
typedef struct srdi_ent_part_rec {
    uint64_t off, len, hash; /* body bytes [off, off+len) and their srdi_patcache_block_hash */
    uint8_t clean;           /* a record starts at off: the part was committed as itself, not as
                                the tail of a record of the part before */
    uint64_t rows, rj, read; /* clean parts: accepted rows (= first row), body rejects, rows read before it */
    int64_t line;            /* clean parts: the line of its first record */
    uint64_t idsum, citysum; /* clean parts: srdi_ent_row_sum of the ids and cities of its rows and
                                those of the unclean parts after it (made by the cache's writer) */
    uint64_t linesum;        /* clean parts: srdi_ent_row_sum of the lines of those rows (made by the reader) */
} srdi_ent_part_rec;

typedef struct srdi_ent_parts {
    srdi_ent_part_rec *v; /* in file order (owned) */
    size_t n;
    uint64_t hdr_len, hdr_hash; /* the text before the body (BOM left out), its srdi_patcache_block_hash */
    int64_t end_line;           /* the line after the last record */
    uint64_t end_rows, end_rj, end_read; /* accepted rows, body rejects, rows read in all */
} srdi_ent_parts;

/** Rows the last refresh that patched the enterprises cache's rows parsed again; -1: the last did not (tests). */
extern long long srdi_ingest_ent_delta_rows;
/** Parts of the cache's table a patched refresh read to compare (not found among the file's pieces; tests). */
extern size_t srdi_ingest_ent_delta_reads;

/**
 * @brief One accepted row's share of a part's id or city sum: a hash of
 * @p h (the id's or the city name's srdi_hash_mem) at row @p row, added up
 * over the rows (so the sums of consecutive parts add up to theirs).
 * @param h   the string's hash
 * @param row the row
 * @param salt 0 for ids, 1 for cities, 2 for lines
 */
uint64_t srdi_ent_row_sum(uint64_t h, uint64_t row, unsigned salt);

/**
 * @brief The content hash of enterprises.csv: its pieces (srdi_ent_next_cut)
 * hashed as patents.csv's blocks are (srdi_patcache_block_hash), combined in
 * file order as srdi_patcache_combine does.
 * @param bytes   the whole file as mapped (BOM and header included)
 * @param size    its size
 * @param release @p bytes is a private read-only file mapping (page-aligned) whose pages may be given back
 */
uint64_t srdi_entcache_content(const void *bytes, size_t size, bool release);
/** The pieces of enterprises.csv (srdi_ent_next_cut) and their hashes, as its content hash took them. */
typedef struct srdi_ent_pieces {
    uint64_t *cut;  /* n + 1 offsets from the file's start: piece k is [cut[k], cut[k + 1]) */
    uint64_t *hash; /* n: srdi_patcache_block_hash of each */
    size_t n;
} srdi_ent_pieces;

/**
 * @brief srdi_entcache_content of the file open as @p fd, its cuts and
 * pieces read with pread by up to @p threads threads (nothing of it mapped
 * into the process).  False (errno set) when it cannot be read.
 * @param fd      the file
 * @param map     its mapping (a cut is found there when pread fails)
 * @param size    its size
 * @param threads threads that may read and hash (at least 1 is used)
 * @param out     receives the hash
 * @param keep    NULL, or receives the pieces and their hashes (freed with srdi_ent_pieces_free;
 *                none when memory is short or false is returned)
 */
bool srdi_entcache_content_fd(int fd, const char *map, size_t size, int threads, uint64_t *out,
                              srdi_ent_pieces *keep);
/** @brief Free what srdi_entcache_content_fd kept (emptied). @param p the pieces */
void srdi_ent_pieces_free(srdi_ent_pieces *p);
/**
 * @brief Whether the cache file @p path records exactly the identity @p sb of
 * enterprises.csv as settled (patcache.c's rule); if so *content receives the
 * content hash it records, and the file need not be read.
 * @param path    the cache file (OUT/.srdi-enterprises)
 * @param sb      enterprises.csv's fstat
 * @param content receives the recorded content hash
 */
bool srdi_entcache_peek(const char *path, const struct stat *sb, uint64_t *content);
/**
 * @brief The key of the enterprises.csv cache (entcache.c): the program,
 * the file's size and content hash, how it is read, the reference data of @p d.
 * @param d       the dataset (its reference)
 * @param content the content hash (srdi_entcache_content, or the head's)
 * @param size    the file's size
 * @param enc     the encoding detected or forced (srdi_encoding)
 * @param delim   the separator
 * @param bom     bytes of BOM
 */
uint64_t srdi_entcache_key(const srdi_dataset *d, uint64_t content, size_t size, int enc, char delim, size_t bom);
/**
 * @brief The key of how enterprises.csv is read, its bytes left out: the
 * program, the encoding, separator and BOM, the reference data of @p d.  A
 * cache of another content but this context key holds rows a refresh may
 * patch (srdi_ingest_ent_delta); srdi_entcache_key adds the size and content.
 * @param d     the dataset (its reference)
 * @param enc   the encoding detected or forced (srdi_encoding)
 * @param delim the separator
 * @param bom   bytes of BOM
 */
uint64_t srdi_entcache_ctx_key(const srdi_dataset *d, int enc, char delim, size_t bom);
/*
 * The dataset's room for the rows of an enterprises cache, made on a thread
 * of its own while the cache is checked or the changed bytes of the file
 * are found and parsed (entcache.c): the columns' first touches (fresh
 * pages, dear on a virtual machine) are half of loading the rows otherwise.
 */
typedef struct srdi_ent_reserver {
    pthread_t tid;
    bool started;
    srdi_dataset *d;
    size_t n;
} srdi_ent_reserver;
/**
 * @brief Start reserving @p n rows of @p d for the enterprises cache's rows
 * on a thread of its own (srdi_dataset_reserve_rows: the numeric columns
 * are not reserved, the cache brings them whole; a whole parse after all
 * gives them room with srdi_dataset_reserve); nothing when @p d has rows, @p
 * n is 0 or no thread starts.  @p d is not touched by the caller until
 * srdi_ent_reserve_join.  A failure is met again, and reported, when the
 * rows are added.
 * @param x the reserver (filled)
 * @param d the dataset
 * @param n the rows
 */
void srdi_ent_reserve_start(srdi_ent_reserver *x, srdi_dataset *d, size_t n);
/** @brief Wait for srdi_ent_reserve_start's thread, if one runs. @param x the reserver */
void srdi_ent_reserve_join(srdi_ent_reserver *x);

/**
 * @brief The parts table of the cache file @p path when it was written for
 * context key @p ctx (srdi_entcache_ctx_key) by a parallel reading, else
 * false (none, another context, a short file; nothing allocated).  Read
 * without the file's check: srdi_entcache_load verifies every byte before a
 * row is used.
 * @param path  the cache file (OUT/.srdi-enterprises)
 * @param ctx   the context key wanted
 * @param parts receives the table (owned by the caller: free(parts->v))
 */
bool srdi_entcache_parts(const char *path, uint64_t ctx, srdi_ent_parts *parts);
/**
 * @brief When @p path holds the cache of @p key (every byte checked first):
 * add its enterprise rows, cities and columns to @p d (which has no rows
 * yet), append its rejects to @p rj and its rejected ids to @p rej_ids /
 * *rej_line, add its counts, *hit = true.  A missing, damaged or other-key
 * file is a miss (SRDI_OK, nothing changed).
 * @param path     the cache file (OUT/.srdi-enterprises)
 * @param key      the key wanted; with @p in NULL, the context key
 *                 (srdi_entcache_ctx_key) wanted: the rows of another
 *                 content, which a refresh patches (the head is left as it is)
 * @param in       what the key was made from (a hit with a content hash
 *                 hashed from the bytes and an identity settled by now
 *                 records that identity in the file's head), or NULL
 * @param d        the dataset
 * @param helper   threads of their own may reserve @p d's rows while the
 *                 file is checked (nothing when they are reserved already) and
 *                 load its numeric columns while the rows are adopted (false:
 *                 one thread, --jobs 1)
 * @param rj       the rejects
 * @param rej_ids  the rejected ids of the run (empty)
 * @param rej_line their lines, by pool id (grown)
 * @param rej_cap  its capacity
 * @param hit      receives whether the cache was used
 * @param read     rows read (added to)
 * @param accepted rows accepted (added to)
 * @param rejected rows rejected (added to)
 * @return SRDI_OK, SRDI_ERR_NOMEM, or SRDI_ERR_INTERNAL for a file whose hash matches but whose parts do not
 */
srdi_status srdi_entcache_load(const char *path, uint64_t key, const srdi_entcache_in *in, srdi_dataset *d,
                               bool helper, srdi_rejects *rj, srdi_strpool *rej_ids, long **rej_line, size_t *rej_cap,
                               bool *hit, long long *read, long long *accepted, long long *rejected);
/**
 * @brief Write the enterprises cache of @p key atomically: @p d's rows,
 * cities and columns, rj->v[rj_from..], the rejected ids and the counts.
 * @param path     the cache file
 * @param key      its key
 * @param in       what the key was made from (the head records the identity
 *                 with the content hash when the identity is settled)
 * @param d        the dataset after the body of enterprises.csv
 * @param rj       the rejects
 * @param rj_from  the first of them from the body
 * @param rej_ids  the rejected ids (may be NULL)
 * @param rej_line their lines
 * @param parts    how the body was cut (its sums made here), or NULL (a
 *                 streamed body: no table, and no refresh patches its rows)
 * @param read     rows read
 * @param accepted rows accepted
 * @param rejected rows rejected
 * @return SRDI_OK, SRDI_ERR_IO or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_entcache_save(const char *path, uint64_t key, const srdi_entcache_in *in, const srdi_dataset *d,
                               const srdi_rejects *rj, size_t rj_from, const srdi_strpool *rej_ids,
                               const long *rej_line, srdi_ent_parts *parts, long long read, long long accepted,
                               long long rejected);

/* Patents rows one by one (a workbook source): begin, one call per data row, end (merges, frees). */
typedef struct srdi_patents_seq srdi_patents_seq;
/**
 * @brief Start reading patents rows one by one (a workbook source).
 * @param d    the dataset whose enterprises the rows refer to (borrowed until _end)
 * @param cols where the columns are
 * @param enc  the source's encoding (for the cache key)
 * @param out  receives the reader (ended and freed by srdi_patents_seq_end)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_patents_seq_begin(srdi_dataset *d, const srdi_patent_cols *cols, srdi_encoding enc,
                                   srdi_patents_seq **out);
/**
 * @brief Parse one data row: count its facts or record a reject.
 * @param s   the reader
 * @param rec the row's fields
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_patents_seq_row(srdi_patents_seq *s, const srdi_csv_record *rec);
/**
 * @brief @brief Merge the rows into d->patents and the rejects into @p rj (NULL: just free); frees @p s.
 * @param s        the reader (freed)
 * @param rj       the rejects list, or NULL
 * @param read     receives the rows read (added to)
 * @param accepted receives the rows accepted (added to)
 * @param rejected receives the rows rejected (added to)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_patents_seq_end(srdi_patents_seq *s, srdi_rejects *rj, long long *read, long long *accepted,
                                 long long *rejected);

/**
 * @brief The reason given for a row whose id is not an accepted enterprise:
 * "enterprise rejected (enterprises.csv line N)" when that enterprise's row
 * was rejected, else "id not found in enterprises.csv".  Writes to @p buf.
 * @param rejected_ids  ids of the rejected enterprise rows (may be NULL)
 * @param rejected_line their lines, by pool id
 * @param ent_fname     the enterprises source's name
 * @param id            the id looked up
 * @param buf           the output
 * @param cap           its size
 * @return @p buf
 */
const char *srdi_ingest_unknown_id_reason(const srdi_strpool *rejected_ids, const long *rejected_line,
                                          const char *ent_fname, const char *id, char *buf, size_t cap);

/**
 * @brief @brief Reason for a field that holds a NUL byte or bytes invalid in encoding @p enc.
 * @param s the field's bytes
 * @param n their count
 * @return static text
 */
const char *srdi_ingest_bad_bytes_reason(srdi_encoding enc, const char *s, size_t n);

/**
 * @brief Checks every data row gets first: the record parsed, it has
 * @p ncols fields, no field holds a NUL byte or invalid UTF-8.  Returns true
 * when the row passes; else sets *col (field index or -1) and @p reason.
 * @param rec    the record
 * @param ncols  the header's width
 * @param enc    the file's encoding (for the reason)
 * @param col    receives the failing field (or -1)
 * @param reason receives why
 * @param cap    the size of @p reason
 */
bool srdi_ingest_row_basic(const srdi_csv_record *rec, size_t ncols, srdi_encoding enc, int *col, char *reason,
                           size_t cap);

#endif
