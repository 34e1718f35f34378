/*
 * srdi/csvread.h — THE CSV reader: a streaming record reader over libcsv
 * that knows the physical line each record starts on (inputs, reference
 * CSVs and the incremental state all read through it), plus the text
 * layer under it: encoding detection (BOM, UTF-8 / GB18030 / UTF-16),
 * GB18030 → UTF-8 streaming, separator detection.
 *
 * Quoting is RFC 4180 with one leniency: a quote inside an unquoted field is
 * a literal character (Excel).  Text after a closing quote ("ab"c) and a
 * quoted field still open at the end are reported as records with a
 * non-OK status (SRDI_CSV_REC_BADQUOTE / _UNTERMINATED); the caller decides
 * whether that is a rejected row or an error.
 *
 * Ownership: a reader owns its buffers (srdi_csv_reader_free); the record
 * passed to a callback is borrowed and valid only during the call.
 */
#ifndef SRDI_CSVREAD_H
#define SRDI_CSVREAD_H

#include <csv.h>
#include <stdbool.h>
#include <stddef.h>
#include "srdi/error.h"

/** Text encodings of an input file (--encoding). */
typedef enum srdi_encoding {
    SRDI_ENC_AUTO = 0,
    SRDI_ENC_UTF8,
    SRDI_ENC_GB18030,
    SRDI_ENC_UTF16LE,
    SRDI_ENC_UTF16BE
} srdi_encoding;

/* ------------------------------------------------------------ CSV records */

typedef enum srdi_csv_rec_status {
    SRDI_CSV_REC_OK = 0,       /* a well-formed record */
    SRDI_CSV_REC_BADQUOTE,     /* text after the closing quote of a quoted field */
    SRDI_CSV_REC_UNTERMINATED, /* a quoted field was still open at the end of the input */
    SRDI_CSV_REC_EXTRA_CELL    /* a worksheet row with a value right of the header's last column
                                   (the last field is that value) */
} srdi_csv_rec_status;

typedef struct srdi_csv_record {
    long line;            /* physical line (1-based) where the record starts */
    size_t n;             /* number of fields (for a bad record: up to and including the broken one) */
    const char *const *f; /* fields, each NUL-terminated */
    const size_t *len;    /* field lengths in bytes */
    srdi_csv_rec_status status;
    bool clean; /* the reader checked: every field valid UTF-8, no NUL byte */
} srdi_csv_record;

/** Record callback: return SRDI_OK to go on; any other status stops the reader, which returns it. */
typedef srdi_status (*srdi_csv_record_fn)(void *ctx, const srdi_csv_record *rec);

typedef struct srdi_csv_reader {
    struct csv_parser p;   /* libcsv state */
    srdi_csv_record_fn fn; /* per-record callback */
    void *ctx;             /* its context */
    long line;             /* physical line of the next byte fed */
    long rec_line;         /* line where the current record started */
    char *buf;             /* field bytes of the current record, NUL-separated */
    size_t len, cap;       /* bytes used / allocated in buf */
    size_t *off;           /* field start offsets into buf */
    size_t *flen;          /* field lengths */
    const char **fp;       /* field pointers handed to the callback */
    size_t nf, capf;       /* fields used / allocated */
    bool skip_eol;         /* after a parse error: drop bytes up to the next line end */
    bool after_cr;         /* the last feed ended in '\r': a '\n' opening the next is its CRLF */
    char delim;            /* field separator: ',' ';' or '\t' */
    size_t blk;            /* libcsv's current buffer growth block */
    bool inited;           /* p is initialised */
    srdi_status status;    /* first failure (callback or allocation) */
} srdi_csv_reader;

/**
 * @brief Prepare @p r; the first byte fed is on physical line @p first_line.
 * Line ends are LF, CRLF or a lone CR, mixed freely; each counts one line.
 * @param r          the reader (its previous contents are ignored; srdi_csv_reader_free it, also after a failure)
 * @param fn         called once per record
 * @param ctx        user data for @p fn
 * @param first_line the line of the first byte
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_csv_reader_init(srdi_csv_reader *r, srdi_csv_record_fn fn, void *ctx, long first_line);
/**
 * @brief @brief As srdi_csv_reader_init with field separator @p delim (',' ';' or '\t').
 * @param r          the reader
 * @param fn         called once per record
 * @param ctx        user data for @p fn
 * @param first_line the line of the first byte
 * @param delim      the field separator
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status srdi_csv_reader_init_delim(srdi_csv_reader *r, srdi_csv_record_fn fn, void *ctx, long first_line,
                                       char delim);
/**
 * @brief @brief True when the reader stands between records (a cut here parses as the file would).
 * @param r the reader
 */
bool srdi_csv_reader_between(const srdi_csv_reader *r);
/**
 * @brief Length of the physical line at [s, s+n) including its line end
 * (LF, CRLF or CR); n when there is none (*has_eol false).  A CR that is the
 * last byte counts as a line end.
 * @param s       the text
 * @param n       its length
 * @param has_eol receives whether a line end was found
 */
size_t srdi_csv_line_len(const char *s, size_t n, bool *has_eol);
/**
 * @brief @brief Feed UTF-8 bytes (any split). Returns the first non-OK status of a callback or allocation.
 * @param r    the reader
 * @param data the bytes (borrowed)
 * @param n    their count
 */
srdi_status srdi_csv_reader_feed(srdi_csv_reader *r, const char *data, size_t n);
/**
 * @brief @brief End of input: flush the last record (or report an unterminated quoted field).
 * @param r the reader
 * @return SRDI_OK, or the first non-OK status of a callback or allocation
 */
srdi_status srdi_csv_reader_finish(srdi_csv_reader *r);
/**
 * @brief Free the buffers of @p r (the struct itself is the caller's); @p r may be freed after a failed init. @param r the reader
 */
void srdi_csv_reader_free(srdi_csv_reader *r);
/**
 * @brief What is wrong with a record whose status is not SRDI_CSV_REC_OK, for an
 * error message ("text after the closing quote of a quoted field", "quoted field
 * never closed", …); "" for a good record.  Static text.
 * @param rec the record
 */
const char *srdi_csv_rec_problem(const srdi_csv_record *rec);
/** @brief Bytes of @p s to quote in an error message: up to the first line end, at most 60. */
int srdi_csv_quote_len(const char *s);

/* --------------------------------------------------------------- encoding */

/**
 * @brief Decide the encoding of a file from its first bytes (up to 64 KiB
 * are looked at): a BOM means UTF-8; otherwise the one of UTF-8 and GB18030
 * with fewer invalid sequences there (a tie is UTF-8), so one bad byte in a
 * GB18030 file does not turn it into UTF-8.  @p forced overrides detection.  Writes the
 * name ("utf-8", "utf-8-bom", "gb18030") to @p name and the number of BOM
 * bytes to skip to *bom.
 * @param p      the first bytes of the file
 * @param n      their count
 * @param forced --encoding (SRDI_ENC_AUTO: detect)
 * @param name   receives the encoding's name
 * @param bom    receives the number of BOM bytes
 */
srdi_encoding srdi_csv_detect_encoding(const char *p, size_t n, srdi_encoding forced, char name[16], size_t *bom);

/** Longest header row read before giving up (a file with no line end is not CSV). */
#define SRDI_CSV_HEADER_MAX ((size_t)1 << 20)

/**
 * @brief @brief "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE".
 * @param enc the encoding
 * @return static text
 */
const char *srdi_csv_encoding_label(srdi_encoding enc);

/**
 * @brief What a file that is not CSV text is ("an Excel workbook (.xlsx)",
 * "an Excel 97–2003 workbook (.xls) …", "a PDF document", "a binary file" …),
 * from its first bytes; NULL for text (UTF-16 counts as text).
 * @param p the first bytes
 * @param n their count
 * @return static text, or NULL
 */
const char *srdi_csv_binary_kind(const char *p, size_t n);

/**
 * @brief @brief Convert UTF-16 to UTF-8 (malloc'd *out); an unpaired surrogate becomes byte 0xFF (invalid UTF-8).
 * @param p          the UTF-16 bytes (after the BOM)
 * @param n          their count
 * @param big_endian UTF-16BE (else LE)
 * @param out        receives the UTF-8 text (caller frees)
 * @param outlen     receives its length
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_csv_utf16_to_utf8(const char *p, size_t n, bool big_endian, char **out, size_t *outlen);

/**
 * @brief @brief The separator of the first line with one (',' ';' or tab, outside quotes; most frequent; ',' if none).
 * @param p the text (a header line at least)
 * @param n its length
 */
char srdi_csv_detect_delim(const char *p, size_t n);

/**
 * @brief @brief 1 when [s, s+n) is well-formed UTF-8 (no overlongs, no surrogates).
 * @param s the bytes
 * @param n their count
 */
int srdi_utf8_valid(const char *s, size_t n);

/**
 * @brief Feed raw bytes in encoding @p enc into @p r (GB18030 is converted
 * with iconv; bytes it cannot convert are passed through unchanged so that
 * the field they land in fails UTF-8 validation).  When @p release is true,
 * pages of the (mmapped) input behind the read position are released.
 * @param r       the reader
 * @param p       the raw bytes
 * @param n       their count
 * @param enc     their encoding
 * @param release release the pages read (an mmapped input)
 * @return as srdi_csv_reader_feed; SRDI_ERR_ENCODING or SRDI_ERR_NOMEM from the conversion
 */
srdi_status srdi_csv_feed_encoded(srdi_csv_reader *r, const char *p, size_t n, srdi_encoding enc, bool release);

/**
 * @brief @brief Give the kernel back the whole pages of [base, upto) of a read-only file mapping.
 * @param base the start of the mapping
 * @param upto the read position
 */
void srdi_csv_release_pages(const char *base, const char *upto);

#endif
