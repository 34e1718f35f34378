/*
 * src/ingest/ingest_file.h — private to ingest.c, ingest_header.c and
 * ingest_rows.c: the columns each input file knows (col_spec tables), the
 * state of one file being read (srdi_ingest_file, file_ctx) and of one
 * srdi_ingest run (ingest_run), and the header mapping.
 */
#ifndef SRDI_INGEST_FILE_H
#define SRDI_INGEST_FILE_H

#include "ingest_private.h"

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

/* State shared by the files of one srdi_ingest run. */
typedef struct ingest_run {
    srdi_strpool *rej_ids; /* ids of rejected enterprises.csv rows (first rejection kept) */
    long *rej_line;        /* their lines, by pool id */
    size_t rej_cap;
    char ent_fname[64]; /* name of the enterprises source as read */
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
    uint8_t *fin_seen;             /* financials: (row, year) bitmap */
    srdi_patent_cols pc;           /* patents: column mapping */
    srdi_patents_seq *pseq;        /* patents rows handed one by one (not the parallel CSV path) */
    int fd;                        /* the file, open (CSV sources), for the patents cache key */
    const struct stat *sb;         /* its fstat */
    size_t bom;                    /* bytes of BOM before the text */
    const char *map;               /* the whole file mapped (CSV text read in place), else NULL */
    srdi_buf b_id, b_name, b_city; /* scratch copies of trimmed cells */
    uint8_t ind_class[10000];      /* enterprises: 4-digit code → 0 not looked up yet,
                                           1 a class of GB/T 4754, 2 not one (saves a lookup per row) */
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

#endif
