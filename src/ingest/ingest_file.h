/*
 * src/ingest/ingest_file.h — private to ingest.c, ingest_header.c and
 * ingest_rows.c: the columns each input file knows (col_spec tables), the
 * state of one file being read (srdi_ingest_file, file_ctx) and of one
 * srdi_ingest run (ingest_run), and the header mapping.
 */
#ifndef SRDI_INGEST_FILE_H
#define SRDI_INGEST_FILE_H

#include "ingest_private.h"
#include "srdi/hash.h"

#include <pthread.h>
#include <sys/stat.h>

/* ============================================================ column specs */

typedef struct col_spec {
    const char *name; /* English column name */
    const char *zh;   /* Chinese alias */
    bool required;    /* the column must be in the header */
} col_spec;

/* enterprises.csv: the text/enum columns; the numeric ones follow from srdi_field_get */
enum { EC_ID, EC_NAME, EC_LEVEL, EC_PROVINCE, EC_CITY, EC_INDUSTRY, EC_TECH_EVAL, EC_NUM0 };
extern const col_spec srdi_ingest_ent_specs[EC_NUM0];
#define ENT_NSPECS (EC_NUM0 + SRDI_F_COUNT)

enum { FC_ID, FC_YEAR, FC_REVENUE, FC_RD, FC_N };
extern const col_spec srdi_ingest_fin_specs[FC_N];

enum { PC_ID, PC_NO, PC_KIND, PC_OFFICE, PC_APP, PC_PUB, PC_STATUS, PC_GRANT, PC_IPC, PC_FIELD, PC_N };
extern const col_spec srdi_ingest_pat_specs[PC_N];

/* ============================================================ file context */

/* Scratch of one enterprises.csv row parser (one per thread). */
typedef struct ent_scratch {
    srdi_buf id, name, city;  /* copies of trimmed cells */
    char reason[512];         /* a reject's reason when formatted */
    uint8_t ind_class[10000]; /* 4-digit code → 0 not looked up yet, 1 a class of GB/T 4754,
                                 2 not one (saves a lookup per row) */
    uint8_t kind[SRDI_F_COUNT]; /* srdi_field_kind of each numeric field, once kinds_set */
    int col[SRDI_F_COUNT];      /* the record index of each numeric field (-1: absent), once kinds_set */
    bool kinds_set;
    struct {                    /* province cells met lately: bytes → index in the reference (or -1) */
        char s[24];
        uint8_t n;
        int prov;
    } pcache[64];
    struct { /* (province, city cell) met lately → srdi_reference_city's answer */
        char s[24];
        uint8_t n;
        int prov, city, other;
    } ccache[1024];
} ent_scratch;

/* What an enterprises.csv row comes to before the duplicate-id check (srdi_ent_parse). */
typedef enum ent_verdict {
    ENT_ACCEPT,      /* every check passed: added unless its id is a duplicate */
    ENT_REJECT,      /* rejected as it stands (the record, or no id) */
    ENT_REJECT_LATER /* rejected by a check after the duplicate-id check (a duplicate rejects it first) */
} ent_verdict;

typedef struct ent_parsed {
    ent_verdict verdict;
    const char *id, *name, *city; /* id_n, name_n, city_n bytes, not NUL-terminated (not for ENT_REJECT) */
    size_t id_n, name_n, city_n;
    uint64_t id_hash; /* srdi_hash_mem(id, id_n) (not for ENT_REJECT) */
    int city_ref;     /* the city's index in the reference (city is its name, NUL-terminated), or -1 */
    int level, prov, te;
    char code4[5];
    uint32_t k[SRDI_F_COUNT];  /* the numeric cells as srdi_dataset_set_cells takes them: UINT32_MAX missing,
                                  else the integer srdi_ecol_width gives (0 for a wide one) */
    uint64_t wide;             /* bit f: field f needs 8 bytes, its value in vals[f] */
    double vals[SRDI_F_COUNT]; /* the values of the wide fields */
    const char *col;   /* a reject's column header, or "" */
    const char *value; /* its value (value_n bytes, not trimmed for a record error) */
    size_t value_n;
    const char *reason; /* why */
    const char *note;   /* the id remembered as rejected (note_n 0: none) */
    size_t note_n;
} ent_parsed;

/*
 * The enterprises refresh cache being written on a thread of its own while
 * the other files are read, and after srdi_ingest returns when the caller
 * takes the background writes (ingest.c: save_ent_cache, ent_save_end,
 * srdi_ingest_settle).
 */
typedef struct ent_save {
    pthread_t tid;
    char *path; /* a copy */
    uint64_t key;
    srdi_entcache_in in;   /* what the key and the head are made from */
    const srdi_dataset *d; /* read only: the enterprise rows do not change after their file */
    srdi_rejects rj;       /* the body's rejects: the entries copied, their strings the run's until
                              srdi_ingest hands the write on (then its own: own_strings) */
    size_t rj_from;        /* where they are in the run's list */
    bool own_strings;
    srdi_strpool *rej_ids; /* the run's (then its own: own_ids) */
    long *rej_line;
    bool own_ids;
    srdi_ent_parts parts; /* how the body was cut (owned: moved from the file's context) */
    long long read, accepted, rejected;
    srdi_status st;
    char err[1024];
} ent_save;

/*
 * The patents cache (OUT/.srdi-patents) written on a thread of its own
 * after patents.csv was read (ingest.c: save_pat_cache): the
 * build goes on to its tables while it writes, and srdi_ingest_settle
 * joins it.  It reads the dataset's patent facts (unchanged until then) and
 * copies of everything else.
 */
struct srdi_ingest_bg {
    pthread_t tid;
    char *path;
    uint64_t key;
    struct stat sb;        /* patents.csv's fstat (in.sb points here) */
    srdi_patcache_in in;   /* what the head is made from */
    const srdi_dataset *d; /* read only */
    srdi_rejects rj;       /* the body's rejects: the entries copied, their strings the run's until
                              srdi_ingest hands the write on (then its own: own_strings) */
    size_t rj_from;        /* where they are in the run's list */
    bool own_strings;
    bool pat;              /* the patents cache write is running (tid) */
    struct ent_save *ent;  /* the enterprises cache write, or NULL */
    long long read, accepted, rejected;
    srdi_status st;
    char err[1024];
};

/* State shared by the files of one srdi_ingest run. */
typedef struct ingest_run {
    srdi_strpool *rej_ids; /* ids of rejected enterprises.csv rows (first rejection kept) */
    long *rej_line;        /* their lines, by pool id */
    size_t rej_cap;
    char ent_fname[64]; /* name of the enterprises source as read */
    ent_save *esave;    /* the enterprises cache write in the background, or NULL */
    srdi_ingest_bg *psave; /* the patents cache write in the background, or NULL */
    srdi_patcache_ahead *pahead; /* the patents cache read while enterprises.csv is, or NULL */
} ingest_run;

struct srdi_ingest_file {
    srdi_dataset *d;
    srdi_file_id fid;
    const char *fname; /* "enterprises.csv" (a workbook source sets its own name) */
    srdi_encoding enc;
    char delim; /* field separator of a CSV source */
    srdi_rejects *rj;
    ingest_run *run;
    const col_spec *specs; /* the file's columns */
    size_t nspecs;
    int *spec_col; /* spec → record index, or -1 */
    char **names;  /* header names as found (trimmed, owned) */
    size_t ncols;
    bool have_header;
    bool quiet;
    long long read, accepted, rejected;
    long *ent_line; /* enterprises: line of each accepted row */
    size_t ent_line_cap;
    srdi_hindex fin_seen;          /* financials: (row, year) hash → the financial row that has it */
    srdi_patent_cols pc;           /* patents: column mapping */
    srdi_patents_seq *pseq;        /* patents rows handed one by one (not the parallel CSV path) */
    int fd;                        /* the file, open (CSV sources), for the patents cache key */
    const struct stat *sb;         /* its fstat */
    double t_open;                 /* CLOCK_REALTIME before it was opened (patents cache: settled identity) */
    size_t bom;                    /* bytes of BOM before the text */
    const char *map;               /* the whole file mapped (CSV text read in place), else NULL */
    srdi_buf b_id, b_name, b_city; /* scratch copies of trimmed cells */
    uint32_t *city_id;             /* enterprises: reference city → id in d->cities (UINT32_MAX: not yet) */
    ent_scratch es;                /* enterprises rows parsed on this thread */
    srdi_ent_parts eparts;         /* enterprises: how the parallel reader cut the body (n 0: streamed) */
    int threads;                   /* --jobs (0: every online CPU) */
};
typedef struct srdi_ingest_file file_ctx;

/*
 * Map the header record onto c->specs (ingest_header.c): fills c->names and
 * c->spec_col (owned by @p c, freed with it).  Unknown columns are reported
 * once as a note (unless c->quiet), unless one nearly matches a known column
 * that the header lacks (a likely typo): that, a duplicate or a missing
 * required column is a file-level error (SRDI_ERR_HEADER); a malformed
 * header row SRDI_ERR_CSV, bytes not valid in the encoding
 * SRDI_ERR_ENCODING, no memory SRDI_ERR_NOMEM (message set each time).
 */
srdi_status srdi_ingest_header_map(file_ctx *c, const srdi_csv_record *rec);

/*
 * Parse one enterprises.csv data record (ingest_rows.c): every check but the
 * duplicate id, in docs/data.md order, into *p (pointers into @p rec, @p sc or
 * the reference).  Reads c, never writes it: threads may parse at once, each
 * with its own scratch.  SRDI_ERR_NOMEM only; a bad row is a verdict.
 */
srdi_status srdi_ent_parse(const file_ctx *c, ent_scratch *sc, const srdi_csv_record *rec, ent_parsed *p);
/* Room for @p rows more accepted rows: the dataset's columns (srdi_dataset_reserve) and their lines. */
srdi_status srdi_ent_reserve(file_ctx *c, size_t rows);
/*
 * The row of line @p line in file order: the duplicate-id check, then the
 * reject (rejects list, rejected ids) or the enterprise added to c->d.
 */
srdi_status srdi_ent_commit(file_ctx *c, const ent_parsed *p, long line);
/*
 * srdi_ent_commit but for the numeric fields: *row gets the row added, or
 * SIZE_MAX when the row is rejected (the caller sets the fields, and
 * hon_little_giant of a national-level row, as srdi_ent_commit does).
 */
srdi_status srdi_ent_commit_row(file_ctx *c, const ent_parsed *p, long line, size_t *row);
/** Free a scratch's buffers. */
void srdi_ent_scratch_free(ent_scratch *sc);

/*
 * The body of enterprises.csv [body, body+n) (after the header, which ends on
 * line @p body_line - 1) parsed by c->threads threads in windows of parts
 * while the rows of the window before are committed in file order
 * (ingest_ent.c).  The parts are the file's pieces (srdi_ent_next_cut) when
 * the body lies in the file's mapping and runs to its end, and the dataset is
 * then reserved for as many rows a byte as the first window holds (and more
 * as the parts come, if they hold more); else the body is cut apart and the
 * dataset reserved for as many rows as it has lines, counted while the first
 * window is parsed.  *done false (nothing read, nothing reserved) when the
 * body is too small to split; the caller then streams it.  @p release: the
 * body lies in a file mapping whose pages may be given back once committed.
 * With @p content (NULL: not wanted), the parts being the pieces, their
 * hashes make the content hash srdi_entcache_content gives, into *content,
 * and *hashed is set (false when it was not hashed so: the caller hashes it).
 */
srdi_status srdi_ingest_ent_body(file_ctx *c, const char *body, size_t n, long body_line, bool release,
                                 uint64_t *content, bool *hashed, bool *done);

/* What srdi_ingest_ent_delta did (for its note). */
typedef struct srdi_ent_delta_info {
    size_t parts, parsed; /* parts of the body in the cache, of them parsed again */
    size_t rows;          /* rows parsed again */
    uint64_t bytes;       /* bytes parsed again */
} srdi_ent_delta_info;

/*
 * A refresh's enterprises.csv whose bytes differ from those the cache file
 * @p cache_path was made from (ingest_ent.c).  With the cache's parts table
 * @p old (srdi_entcache_parts), the parts whose bytes are unchanged are found
 * from the start and, shifted, from the end; when the bytes between them
 * parse into rows with the ids and cities those parts held, on the same
 * lines, and the cache held no reject there (so no verdict elsewhere can
 * change), the cache's rows are loaded (context key @p ctx) and those rows'
 * values replaced: *done true, c->eparts the new table, *info what was
 * parsed.  Otherwise *done false and nothing changed: the body is parsed as
 * usual.  [text, text+n) is the text after any BOM, its body from @p at on
 * (the header ends on line @p body_line - 1).  @p now (NULL: none) are the
 * file's pieces as its content hash took them: an old part that is one of
 * them is compared by its hash, not read again.
 */
srdi_status srdi_ingest_ent_delta(file_ctx *c, const srdi_ent_parts *old, const srdi_ent_pieces *now,
                                  const char *cache_path, uint64_t ctx, const char *text, size_t at, size_t n,
                                  bool *done, srdi_ent_delta_info *info);

/* The lines of [p, p+n): its '\n' bytes, plus one when the last line has none (ingest.c). */
size_t srdi_ingest_count_lines(const char *p, size_t n);

#endif
