/*
 * srdi/incremental.h — incremental re-render and the change summary.
 *
 * After the tables of a build are computed, every output (figure file,
 * workbook, report PDF) gets a 64-bit key: an FNV-1a hash over everything
 * the output is made from (its tables' full content, params, template files,
 * fonts, the data files' statistics, the program itself, SOURCE_DATE_EPOCH
 * when set).  OUT/.srdi-state records, per output, the key it was made from
 * and the identity of the file written (device, inode, size, mtime in ns).
 * An output is skipped when its key is unchanged AND the file on disk is
 * still the very file that was written, so a skipped output always has the
 * bytes a full build would write.
 *
 * The change summary compares the previous OUT/values.csv with the new
 * table set and writes OUT/changes.csv:
 *     table,row,column,old,new,change       change = moved | added | removed
 *
 * This header is the library srdi_incr (src/incr/: dataset, table and core
 * only): hashing, the state file, values.csv parsing and the diff.  It
 * takes plain data (paths, tables, params, hashes) and knows nothing of a
 * build's options; the glue the build pipeline calls (srdi_incr_begin …
 * srdi_incr_end) is src/pipeline/incr_run.h.
 *
 * Ownership: _load/_new results are owned by the caller and freed with the
 * matching _free; every const pointer argument is borrowed.
 */
#ifndef SRDI_INCREMENTAL_H
#define SRDI_INCREMENTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "srdi/dataset.h"
#include "srdi/error.h"
#include "srdi/hash.h"
#include "srdi/params.h"
#include "srdi/table.h"

/* ---------------------------------------------------------------- hashing */

/** FNV-1a 64 offset basis: the hash of nothing. */
#define SRDI_INCR_HASH_INIT SRDI_HASH_INIT /* srdi/hash.h: FNV-1a 64 */

/**
 * @brief Continue FNV-1a 64 hash @p h over @p n bytes.
 * @param h the hash so far (SRDI_INCR_HASH_INIT to start)
 * @param p the bytes (borrowed)
 * @param n their count
 * @return the new hash
 */
uint64_t srdi_incr_hash_bytes(uint64_t h, const void *p, size_t n);
/**
 * @brief Hash a string with its length (so "ab","c" ≠ "a","bc"); NULL differs from "".
 * @param h the hash so far
 * @param s the string (may be NULL)
 */
uint64_t srdi_incr_hash_str(uint64_t h, const char *s);
/** @brief Hash a 64-bit integer (8 little-endian bytes). @param h the hash so far @param v the value */
uint64_t srdi_incr_hash_u64(uint64_t h, uint64_t v);

/**
 * @brief Hash of everything an output can show of a table: id, name, title,
 * sheet, note, source, params, n, no_data, the sample-size fields (small_sample,
 * base_note, small_groups, small_min, basis_col/unit/what), columns (key, label,
 * type, unit, decimals), rows (key, label, small, basis_n) and cells (kind, the
 * full 64-bit value, text, format override).  Also the key of a figure shared
 * between editions (figshare.c).
 * @param t the table
 */
uint64_t srdi_incr_table_hash(const srdi_table *t);
/** @brief Hash of a table set: the count and each table's hash, in order. @param ts the set */
uint64_t srdi_incr_tableset_hash(const srdi_tableset *ts);
/**
 * @brief Hash of every params entry (section, key, value) in order.
 * @param h the hash so far
 * @param p the parameters (NULL hashes as empty)
 */
uint64_t srdi_incr_params_hash(uint64_t h, const srdi_params *p);
/**
 * @brief Hash of what the workbooks show of the dataset beyond the tables:
 * per input file present / path / encoding / read / accepted / rejected,
 * the latest financial year, has_financials / has_patents.
 * @param h the hash so far
 * @param d the dataset
 */
uint64_t srdi_incr_dataset_hash(uint64_t h, const srdi_dataset *d);

enum {
    SRDI_INCR_FILE_IDENTITY = 1, /* path, size, mtime (ns), inode */
    SRDI_INCR_FILE_CONTENTS = 2  /* every byte */
};
/**
 * @brief Continue @p *h over a file: its identity and/or contents.
 * A missing file hashes as "missing" and is not an error.
 * @param h    the hash, updated
 * @param path the file
 * @param what SRDI_INCR_FILE_IDENTITY and/or SRDI_INCR_FILE_CONTENTS
 * @return SRDI_OK, or SRDI_ERR_IO naming the file when it cannot be read
 */
srdi_status srdi_incr_hash_file(uint64_t *h, const char *path, int what);
/**
 * @brief Continue @p *h over the contents of every regular file below
 * @p dir (relative names in sorted order, hidden files skipped, at most 8
 * levels).  A missing directory hashes as "missing".
 * @param h   the hash, updated
 * @param dir the folder (templates, fonts)
 * @return SRDI_OK; SRDI_ERR_IO naming an unreadable file; SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_hash_tree(uint64_t *h, const char *dir);

/** @brief 16 lowercase hex digits of @p h and a NUL. @param h the hash @param buf ≥ 17 bytes */
void srdi_incr_hex(uint64_t h, char *buf);

/* ------------------------------------------------------------- state file */

typedef struct srdi_incr_state srdi_incr_state;

/** Name of the state file inside the output directory. */
#define SRDI_INCR_STATE_FILE ".srdi-state"

/**
 * @brief Load OUT/.srdi-state.  A missing file gives an empty state; lines
 * that cannot be parsed are ignored (the outputs they describe are then
 * simply re-rendered).
 * @param out_dir the output folder
 * @param out     receives the state, owned by the caller (srdi_incr_state_free)
 * @return SRDI_OK, SRDI_ERR_NOMEM or SRDI_ERR_IO (message set)
 */
srdi_status srdi_incr_state_load(const char *out_dir, srdi_incr_state **out);
/** @brief An empty state. @return owned by the caller (srdi_incr_state_free); NULL when out of memory */
srdi_incr_state *srdi_incr_state_new(void);
/** @brief Free a state. @param s the state (NULL is fine) */
void srdi_incr_state_free(srdi_incr_state *s);

/**
 * @brief True when output @p rel was recorded with @p key and the file on disk
 * is still the one recorded (same device, inode, size and mtime).
 * @param s       the state of the previous build
 * @param out_dir the output folder
 * @param rel     the output's path relative to @p out_dir
 * @param key     the key the output would be made from now
 */
bool srdi_incr_state_fresh(const srdi_incr_state *s, const char *out_dir, const char *rel, uint64_t key);
/**
 * @brief Record that @p rel was just written from @p key: stats the file now.
 * A file that does not exist, or a name holding a line break, is forgotten
 * (re-rendered next time).
 * @param s       the state being built
 * @param out_dir the output folder
 * @param rel     the output's path relative to @p out_dir (copied)
 * @param key     the key it was made from
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_state_record(srdi_incr_state *s, const char *out_dir, const char *rel, uint64_t key);
/**
 * @brief Set an informational "input NAME HASH" line (params, template, fonts …).
 * @param s    the state
 * @param name the input's name (copied)
 * @param h    its hash
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_state_set_input(srdi_incr_state *s, const char *name, uint64_t h);
/**
 * @brief Hash of the "input NAME HASH" line @p name.
 * @param s    the state
 * @param name the input's name
 * @param h    receives the hash when found
 * @return false when there is none
 */
bool srdi_incr_state_input(const srdi_incr_state *s, const char *name, uint64_t *h);
/**
 * @brief Replace the "table ID HASH" lines with the hashes of @p ts.
 * @param s  the state
 * @param ts the new tables
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_state_set_tables(srdi_incr_state *s, const srdi_tableset *ts);
/**
 * @brief Hash recorded for table @p id.
 * @param s  the state
 * @param id "T13"
 * @param h  receives the hash when found
 * @return false when there is none
 */
bool srdi_incr_state_table(const srdi_incr_state *s, const char *id, uint64_t *h);
/**
 * @brief Write OUT/.srdi-state atomically (staged like every output during a transaction).
 * @param s       the state
 * @param out_dir the output folder
 * @return SRDI_OK, SRDI_ERR_IO (message names the file) or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_state_save(const srdi_incr_state *s, const char *out_dir);

/* ------------------------------------------------------- values and diffs */

typedef struct srdi_incr_values srdi_incr_values;

/**
 * @brief Parse a values.csv (header table,row,column,value; RFC 4180).
 * @param path the file
 * @param out  receives the values, owned by the caller (srdi_incr_values_free);
 *             NULL with SRDI_OK when the file is missing (first build)
 * @return SRDI_OK; SRDI_ERR_CSV naming the file and line for a malformed one;
 *         SRDI_ERR_IO; SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_values_load(const char *path, srdi_incr_values **out);
/**
 * @brief Parse values.csv text (see srdi_incr_values_load).
 * @param text the bytes (borrowed; need not be NUL-terminated)
 * @param len  their count
 * @param name the file name for messages
 * @param out  receives the values (srdi_incr_values_free)
 * @return SRDI_OK, SRDI_ERR_CSV (name and line) or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_values_parse(const char *text, size_t len, const char *name, srdi_incr_values **out);
/** @brief Free parsed values. @param v the values (NULL is fine) */
void srdi_incr_values_free(srdi_incr_values *v);
/** @brief Number of values (data lines). @param v the values (NULL: 0) */
size_t srdi_incr_values_count(const srdi_incr_values *v);

/** What srdi_incr_changes_write found. */
typedef struct srdi_incr_summary {
    size_t nvalues; /* lines of changes.csv (moved + added + removed) */
    size_t nmoved, nadded, nremoved;
    size_t ntables;   /* tables with at least one change */
    char tables[512]; /* their ids, "T02, T13, T16" (cut with "…" if long) */
} srdi_incr_summary;

/**
 * @brief Write changes.csv (atomically) from the old values and the new
 * table set: header "table,row,column,old,new,change", then per new table
 * (in set order) its moved and added values in table order followed by its
 * removed values, then the values of tables no longer in the set (unless
 * @p only_listed).  Values compare as their values.csv text (full
 * precision).  A value's key is (table, row, column); repeated keys pair up
 * in order.
 * @param old         the previous values.csv (NULL: every value is added)
 * @param ts          the new tables
 * @param only_listed true for a build limited with --only: only the tables it computed are compared
 * @param path        changes.csv
 * @param sum         receives the counts (may be NULL)
 * @return SRDI_OK, SRDI_ERR_IO (message names the file) or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_changes_write(const srdi_incr_values *old, const srdi_tableset *ts, bool only_listed,
                                    const char *path, srdi_incr_summary *sum);
/**
 * @brief The one-line summary: "changes: 12 values in 3 tables (T02, T13, T16); see PATH"
 * or "changes: none; see PATH".
 * @param sum  what srdi_incr_changes_write found
 * @param path changes.csv as the user should see it
 * @param buf  the output (truncated, NUL-terminated)
 * @param size the size of @p buf
 */
void srdi_incr_summary_line(const srdi_incr_summary *sum, const char *path, char *buf, size_t size);

/* ------------------------------------------------------------ table cache */

/*
 * OUT/.srdi-tables keeps every table as it was built, keyed by the hash of
 * exactly the inputs it reads (the caller makes the key: srdi/tables.h
 * declares what each table reads), so that a refresh after a change of
 * financials.csv builds only the tables that read financial rows.  The
 * inputs are hashed from the dataset itself (srdi_incr_*_hash), never from
 * the files.
 */

/** Name of the table cache inside the output directory. */
#define SRDI_INCR_TABLES_FILE ".srdi-tables"

/** A streaming 64-bit hash of many bytes: core's srdi_stream_hash (srdi/hash.h). */
typedef srdi_stream_hash srdi_incr_wide;
/** @brief Start a wide hash. @param w the state */
void srdi_incr_wide_init(srdi_incr_wide *w);
/**
 * @brief Continue a wide hash over @p n bytes.
 * @param w    the state
 * @param data the bytes (borrowed)
 * @param n    their count
 */
void srdi_incr_wide_feed(srdi_incr_wide *w, const void *data, size_t n);
/** @brief Continue a wide hash over a string with its length (NULL differs from ""). @param w the state @param s the string */
void srdi_incr_wide_str(srdi_incr_wide *w, const char *s);
/** @brief The hash of everything fed so far. @param w the state */
uint64_t srdi_incr_wide_final(const srdi_incr_wide *w);

/**
 * @brief Hash of the enterprise rows of @p d: their count, ids, names,
 * levels, provinces, cities, industries, technology evaluations, every
 * numeric column's stored bytes and the city names.
 * @param d the dataset (NULL: the hash of nothing)
 */
uint64_t srdi_incr_enterprises_hash(const srdi_dataset *d);
/**
 * @brief The enterprise rows of @p d hashed in parts, for tables that read
 * only some numeric columns (srdi_table_def.fields): *fixed receives the hash
 * of their count, ids, names, levels, provinces, cities, industries,
 * technology evaluations and the city names, fields[f] that of numeric
 * column f's stored bytes (srdi_incr_enterprises_hash combines them all).
 * @param d      the dataset (NULL: the hashes of nothing)
 * @param fixed  receives the hash of the columns every table reads
 * @param fields receives one hash per numeric column
 */
void srdi_incr_enterprises_hashes(const srdi_dataset *d, uint64_t *fixed, uint64_t fields[SRDI_F_COUNT]);
/**
 * @brief Hash of the financial rows of @p d (has_financials, n_fin, fin_*).
 * @param d the dataset (NULL: the hash of nothing)
 */
uint64_t srdi_incr_financials_hash(const srdi_dataset *d);
/**
 * @brief Hash of the patent aggregates of @p d (has_patents, the facts, the
 * keys, the maximum years); call it before srdi_patents_release.
 * @param d the dataset (NULL: the hash of nothing)
 */
uint64_t srdi_incr_patents_hash(const srdi_dataset *d);

/**
 * @brief Append every field of @p t (texts, flags, columns, rows, cells,
 * the annotations' fields) to @p out in the cache's packed form.
 * @param t   the table
 * @param out the buffer appended to
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_incr_table_pack(const srdi_table *t, srdi_buf *out);
/**
 * @brief The table srdi_incr_table_pack packed into @p bytes.
 * @param bytes the packed form (borrowed)
 * @param n     its length
 * @param out   receives the table (srdi_table_free), NULL on failure
 * @return SRDI_OK; SRDI_ERR_INPUT for bytes that are not a whole packed
 *         table; SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_incr_table_unpack(const void *bytes, size_t n, srdi_table **out);

typedef struct srdi_incr_tcache srdi_incr_tcache;
/** @brief An empty table cache. @return owned by the caller (srdi_incr_tcache_free); NULL when out of memory */
srdi_incr_tcache *srdi_incr_tcache_new(void);
/** @brief Free a table cache. @param c the cache (NULL is fine) */
void srdi_incr_tcache_free(srdi_incr_tcache *c);
/**
 * @brief Load OUT/.srdi-tables.  A missing file or one of another format
 * gives an empty cache; an entry that is cut or fails its check ends the
 * reading (the entries before it stay).
 * @param out_dir the output folder
 * @param out     receives the cache (srdi_incr_tcache_free)
 * @return SRDI_OK, SRDI_ERR_IO (the file exists but cannot be opened) or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_tcache_load(const char *out_dir, srdi_incr_tcache **out);
/**
 * @brief The packed table recorded for @p id, when it was recorded with @p key.
 * @param c   the cache
 * @param id  the table id
 * @param key the key it would have now
 * @param n   receives the length
 * @return the bytes (borrowed from @p c), or NULL
 */
const void *srdi_incr_tcache_get(const srdi_incr_tcache *c, const char *id, uint64_t key, size_t *n);
/**
 * @brief Record (or replace) the packed table of @p id made under @p key.
 * @param c     the cache
 * @param id    the table id (at most 7 bytes)
 * @param key   the key of the inputs it was made from
 * @param bytes the packed table (copied)
 * @param n     its length
 * @return SRDI_OK, SRDI_ERR_NOMEM or SRDI_ERR_INTERNAL (a bad id)
 */
srdi_status srdi_incr_tcache_put(srdi_incr_tcache *c, const char *id, uint64_t key, const void *bytes, size_t n);
/** @brief Number of tables recorded. @param c the cache (NULL: 0) */
size_t srdi_incr_tcache_count(const srdi_incr_tcache *c);
/**
 * @brief Write OUT/.srdi-tables atomically (staged during a transaction).
 * @param c       the cache
 * @param out_dir the output folder
 * @return SRDI_OK, SRDI_ERR_IO (message names the file) or SRDI_ERR_NOMEM
 */
srdi_status srdi_incr_tcache_save(const srdi_incr_tcache *c, const char *out_dir);

#endif
