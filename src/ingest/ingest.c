/*
 * src/ingest/ingest.c — srdi_ingest: reads enterprises.csv, financials.csv
 * and patents.csv (docs/data.md) into a dataset.
 *
 * Each file is memory-mapped, its encoding detected, its header row mapped
 * onto the known columns (English names or Chinese aliases, any order), and
 * its body streamed through the CSV reader one record at a time.  Rows that
 * fail a check go to the rejects list (first error found, one per row); the
 * counts satisfy read == accepted + rejected for every file.
 */
#include "ingest_file.h"
#include "xlsxin.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "srdi/log.h"

static const char *const file_names[SRDI_FILE_COUNT] = {"enterprises.csv", "financials.csv", "patents.csv"};

static void file_ctx_free(file_ctx *c)
{
    for (size_t i = 0; i < c->ncols; i++) free(c->names[i]);
    free(c->names);
    free(c->spec_col);
    free(c->ent_line);
    free(c->eparts.v);
    srdi_hindex_free(&c->fin_seen);
    free(c->city_id);
    srdi_patents_seq_end(c->pseq, NULL, NULL, NULL, NULL);
    c->pseq = NULL;
    srdi_buf_free(&c->b_id);
    srdi_buf_free(&c->b_name);
    srdi_buf_free(&c->b_city);
    srdi_ent_scratch_free(&c->es);
}

static const char *delim_name(char c)
{
    return c == ';' ? "semicolon" : c == '\t' ? "tab" : "comma";
}

static void *pat_save_main(void *arg)
{
    srdi_ingest_bg *s = arg;
    s->st = srdi_patcache_save(s->path, s->key, &s->in, s->d, &s->rj, 0, s->read, s->accepted, s->rejected);
    if (s->st != SRDI_OK) srdi_strlcpy(s->err, srdi_error_message(), sizeof s->err);
    srdi_error_clear();
    return NULL;
}

/* Free a patents cache write (joined). */
static void pat_save_free(srdi_ingest_bg *s)
{
    if (s->own_strings) srdi_rejects_free(&s->rj);
    free(s->rj.v);
    free(s->path);
    free(s);
}

static void ent_save_end(ent_save *s, bool quiet);

void srdi_ingest_settle(srdi_ingest_bg *bg, bool quiet)
{
    if (!bg) return;
    if (bg->pat) pthread_join(bg->tid, NULL);
    if (bg->pat && bg->st != SRDI_OK && !quiet) srdi_log_warn("patents cache not saved: %s", bg->err);
    ent_save_end(bg->ent, quiet);
    pat_save_free(bg);
}

/*
 * Write the patents refresh cache after the body was read (a failure is only
 * a warning): with more than one thread on a thread of its own
 * (srdi_ingest_bg), else here and now.
 */
static void save_pat_cache(file_ctx *c, const srdi_ingest_opts *opts, uint64_t key, const srdi_patcache_in *in,
                           size_t rj_from)
{
    int threads = opts->threads > 0 ? opts->threads : srdi_cpu_count();
    size_t nr = c->rj->n - rj_from;
    srdi_ingest_bg *s = threads > 1 && c->run && !c->run->psave ? calloc(1, sizeof *s) : NULL; /* (read first) */
    if (s && (s->path = strdup(opts->patents_cache)) != NULL && (nr == 0 || (s->rj.v = malloc(nr * sizeof *s->rj.v)))) {
        if (nr) memcpy(s->rj.v, c->rj->v + rj_from, nr * sizeof *s->rj.v);
        s->rj.n = s->rj.cap = nr;
        s->rj_from = rj_from;
        s->key = key;
        s->in = *in;
        if (in->sb) {
            s->sb = *in->sb;
            s->in.sb = &s->sb;
        }
        /* the key is made: the head needs only the file's identity (the rest is the run's, freed before the write ends) */
        s->in.d = NULL;
        s->in.rej_ids = NULL;
        s->in.rej_line = NULL;
        s->in.ent_fname = "";
        s->in.cache_path = NULL;
        s->d = c->d;
        s->read = c->read;
        s->accepted = c->accepted;
        s->rejected = c->rejected;
        if (pthread_create(&s->tid, NULL, pat_save_main, s) == 0) {
            s->pat = true;
            c->run->psave = s;
            return;
        }
    }
    if (s) {
        free(s->rj.v);
        free(s->path);
        free(s);
    }
    /* one thread (or no thread could be started): here and now */
    if (srdi_patcache_save(opts->patents_cache, key, in, c->d, c->rj, rj_from, c->read, c->accepted, c->rejected) !=
        SRDI_OK) {
        if (!opts->quiet) srdi_log_warn("patents cache not saved: %s", srdi_error_message());
        srdi_error_clear();
    }
}

/*
 * The body of patents.csv: from the refresh cache (patcache.c) when
 * opts->patents_cache holds the aggregates of these very bytes read
 * against these enterprises, else parsed (and the cache written).  With no
 * cache file to check (or --force) the content hash of the key is computed
 * in the parsing pass: the file is read once.
 */
static srdi_status read_patents_body(file_ctx *c, const srdi_ingest_opts *opts, const char *body, size_t n,
                                     long body_line)
{
    uint64_t key = 0;
    bool use_cache = opts->patents_cache && c->sb && c->fd >= 0;
    struct stat csb;
    bool fold = use_cache && c->map && (opts->patents_cache_write_only || stat(opts->patents_cache, &csb) != 0);
    srdi_patcache_in in = {
        c->d,
        c->fd,
        c->sb,
        c->enc,
        c->delim,
        c->bom,
        opts->threads > 0 ? opts->threads : srdi_cpu_count(),
        c->run ? c->run->rej_ids : NULL,
        c->run ? c->run->rej_line : NULL,
        c->run ? c->run->ent_fname : "",
        false,
        0,
        c->t_open,
        opts->patents_cache_write_only ? NULL : opts->patents_cache,
        false,
    };
    if (use_cache && !fold) {
        srdi_status st = srdi_patcache_key(&in, &key);
        if (st != SRDI_OK) return st;
        if (!opts->patents_cache_write_only) {
            bool hit = false;
            st = srdi_patcache_load(opts->patents_cache, key, &in, c->d, c->rj, &hit, &c->read, &c->accepted,
                                    &c->rejected, c->run ? c->run->pahead : NULL);
            if (st != SRDI_OK || hit) {
                if (hit && !opts->quiet)
                    srdi_log_note("ingest: patents.csv unchanged (%s, same enterprises): aggregates reused from %s",
                                  in.peeked ? "same file, untouched since its bytes were hashed" : "same bytes",
                                  opts->patents_cache);
                return st;
            }
        }
        if (in.peeked) { /* a miss (other enterprises): the bytes are hashed afresh for the new cache */
            in.have_content = false;
            in.cache_path = NULL;
            if (c->map)
                fold = true;
            else if ((st = srdi_patcache_key(&in, &key)) != SRDI_OK)
                return st;
        }
    }
    size_t rj_from = c->rj->n, size = c->sb ? (size_t)c->sb->st_size : 0;
    size_t nblocks = (size + SRDI_PATCACHE_BLOCK - 1) / SRDI_PATCACHE_BLOCK;
    if (c->map && c->fd >= 0 && c->sb && body >= c->map && body + n <= c->map + size) {
        /* the workers pread the body rather than touch the mapping (patents.c: feed_part_read) */
        c->pc.read_base = c->map;
        c->pc.read_fd = c->fd;
        c->pc.file_size = size;
    }
    if (fold) {
        c->pc.file = c->map;
        c->pc.file_size = size;
        if (!(c->pc.blocks = calloc(nblocks ? nblocks : 1, sizeof *c->pc.blocks)))
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    }
    srdi_status st = srdi_ingest_patents_body(c->d, &c->pc, body, n, body_line, c->enc, opts->threads, c->rj, &c->read,
                                              &c->accepted, &c->rejected);
    if (st == SRDI_OK && fold) {
        in.have_content = true;
        in.content = srdi_patcache_combine(c->pc.blocks, nblocks, size);
        st = srdi_patcache_key(&in, &key);
    }
    free(c->pc.blocks);
    c->pc.blocks = NULL;
    if (st == SRDI_OK && use_cache) save_pat_cache(c, opts, key, &in, rj_from);
    return st;
}

long long srdi_ingest_ent_delta_rows = -1;

/* The lines of [p, p+n): its '\n' bytes, plus one when the last line has none. */
size_t srdi_ingest_count_lines(const char *p, size_t n)
{
    size_t lines = 0, i = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), z = _mm_setzero_si128();
    while (i + 16 <= n) { /* byte counters (a match is -1), summed every 255 blocks */
        __m128i acc = z;
        for (int b = 0; b < 255 && i + 16 <= n; b++, i += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), nl));
        __m128i sum = _mm_sad_epu8(acc, z);
        lines += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    }
#endif
    for (; i < n; i++) lines += p[i] == '\n';
    return lines + (n > 0 && p[n - 1] != '\n');
}

static void *ent_save_main(void *arg)
{
    ent_save *s = arg;
    s->st = srdi_entcache_save(s->path, s->key, &s->in, s->d, &s->rj, 0, s->rej_ids, s->rej_line, &s->parts,
                               s->read, s->accepted, s->rejected);
    if (s->st != SRDI_OK) srdi_strlcpy(s->err, srdi_error_message(), sizeof s->err);
    srdi_error_clear();
    return NULL;
}

/*
 * Write the enterprises refresh cache after the body was parsed (a failure
 * is only a warning).  With more than one thread it is written on a thread
 * of its own while financials.csv and patents.csv are read, and on after
 * srdi_ingest returns when the caller takes the background writes
 * (srdi_ingest_settle joins it): it reads only the enterprise rows, which
 * nothing changes after their file, the rejected ids and a copy of the
 * body's reject entries (handed over with their strings when srdi_ingest
 * returns).
 */
static srdi_status save_ent_cache(file_ctx *c, const srdi_ingest_opts *opts, uint64_t key, const srdi_entcache_in *in,
                                  size_t rj_from)
{
    int threads = opts->threads > 0 ? opts->threads : srdi_cpu_count();
    size_t nr = c->rj->n - rj_from;
    ent_save *s = threads > 1 && !c->run->esave ? calloc(1, sizeof *s) : NULL;
    char *path = s ? strdup(opts->enterprises_cache) : NULL; /* its own: the write may outlive the options */
    if (s && path && (nr == 0 || (s->rj.v = malloc(nr * sizeof *s->rj.v)) != NULL)) {
        *s = (ent_save){.path = path,
                        .key = key,
                        .in = *in,
                        .d = c->d,
                        .rj = s->rj,
                        .rj_from = rj_from,
                        .rej_ids = c->run->rej_ids,
                        .rej_line = c->run->rej_line,
                        .parts = c->eparts,
                        .read = c->read,
                        .accepted = c->accepted,
                        .rejected = c->rejected};
        if (nr) memcpy(s->rj.v, c->rj->v + rj_from, nr * sizeof *s->rj.v);
        s->rj.n = s->rj.cap = nr;
        if (pthread_create(&s->tid, NULL, ent_save_main, s) == 0) {
            c->eparts = (srdi_ent_parts){0}; /* the table is the writer's now */
            c->run->esave = s;
            return SRDI_OK;
        }
    }
    if (s) {
        free(s->rj.v);
        free(s);
    }
    free(path);
    /* one thread (or none could be started): here and now */
    if (srdi_entcache_save(opts->enterprises_cache, key, in, c->d, c->rj, rj_from, c->run->rej_ids, c->run->rej_line,
                           &c->eparts, c->read, c->accepted, c->rejected) != SRDI_OK) {
        if (!opts->quiet) srdi_log_warn("enterprises cache not saved: %s", srdi_error_message());
        srdi_error_clear();
    }
    return SRDI_OK;
}

/* Wait for an enterprises cache written in the background (NULL: none) and free it; its failure is a warning. */
static void ent_save_end(ent_save *s, bool quiet)
{
    if (!s) return;
    pthread_join(s->tid, NULL);
    if (s->st != SRDI_OK && !quiet) srdi_log_warn("enterprises cache not saved: %s", s->err);
    if (s->own_strings) srdi_rejects_free(&s->rj);
    free(s->rj.v);
    free(s->parts.v);
    free(s->path);
    if (s->own_ids) {
        srdi_strpool_free(s->rej_ids);
        free(s->rej_line);
    }
    free(s);
}

/* The content hash of enterprises.csv, computed on a thread of its own while the body is parsed. */
typedef struct ent_keyer {
    pthread_t tid;
    bool started;
    const char *bytes;
    size_t size;
    bool release;
    uint64_t content;
} ent_keyer;

static void *ent_key_main(void *arg)
{
    ent_keyer *k = arg;
    k->content = srdi_entcache_content(k->bytes, k->size, k->release);
    return NULL;
}

/* The content hash, from the thread when one was started (joined here), else computed now. */
static uint64_t ent_key_join(ent_keyer *k)
{
    if (!k->started) return srdi_entcache_content(k->bytes, k->size, k->release);
    pthread_join(k->tid, NULL);
    k->started = false;
    return k->content;
}

/*
 * Read the CSV text [text, text+n) (after any BOM, in encoding c->enc) of
 * one file: the header record first (at most 1 MiB), then the rows — the
 * patents rows in parallel parts, the others streamed.
 */
static srdi_status read_csv_text(file_ctx *c, const srdi_ingest_opts *opts, const char *text, size_t n, bool release)
{
    srdi_csv_reader r;
    srdi_status st = srdi_csv_reader_init_delim(&r, srdi_ingest_record, c, 1, c->delim);
    if (st != SRDI_OK) return st;
    size_t at = 0;
    /* the header: whole physical lines until its record is complete */
    while (st == SRDI_OK && !c->have_header && at < n) {
        if (at > SRDI_CSV_HEADER_MAX) {
            st = srdi_error_set(SRDI_ERR_HEADER,
                                "%s: the header row is longer than 1 MiB "
                                "(no line end outside quotes): not a CSV file?",
                                c->fname);
            break;
        }
        bool eol;
        size_t l =
            srdi_csv_line_len(text + at, n - at < SRDI_CSV_HEADER_MAX + 2 ? n - at : SRDI_CSV_HEADER_MAX + 2, &eol);
        if (l > SRDI_CSV_HEADER_MAX) {
            st = srdi_error_set(SRDI_ERR_HEADER,
                                "%s: the header row is longer than 1 MiB "
                                "(no line end outside quotes): not a CSV file?",
                                c->fname);
            break;
        }
        st = srdi_csv_feed_encoded(&r, text + at, l, c->enc, false);
        at += l;
    }
    if (st == SRDI_OK && !c->have_header) st = srdi_csv_reader_finish(&r);
    if (st == SRDI_OK && !c->have_header)
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: file is empty (no header row)", c->fname);
    if (st == SRDI_OK && c->fid == SRDI_FILE_PATENTS) {
        long body_line = r.line;
        srdi_csv_reader_free(&r);
        c->d->has_patents = true;
        c->pc.release_pages = release;
        return read_patents_body(c, opts, text + at, n - at, body_line);
    }
    uint64_t ekey = 0;
    size_t erj_from = c->rj->n;
    bool ecache = st == SRDI_OK && c->fid == SRDI_FILE_ENTERPRISES && opts->enterprises_cache && c->map && c->run &&
                  c->d->n == 0;
    /*
     * With no cache file to check (a first build, --force), the key is not
     * needed before the body is parsed: the parallel reader's parts are the
     * file's pieces, whose hashes it takes (srdi_ingest_ent_body), a streamed
     * body's is hashed on a thread of its own meanwhile (each block's pages
     * given back once hashed, as below; the parser maps again what it still
     * needs); either is taken before the cache is written.
     */
    size_t esize = c->sb ? (size_t)c->sb->st_size : 0;
    ent_keyer kt = {.bytes = c->map, .size = esize, .release = release};
    srdi_entcache_in ein = {.t_open = c->t_open};
    if (ecache) {
        ein.sb = *c->sb;
        ein.ctx = srdi_entcache_ctx_key(c->d, (int)c->enc, c->delim, c->bom);
    }
    struct stat csb;
    bool defer = ecache && (opts->patents_cache_write_only || stat(opts->enterprises_cache, &csb) != 0);
    int threads = opts->threads > 0 ? opts->threads : srdi_cpu_count();
    if (ecache) srdi_ingest_ent_delta_rows = -1;
    if (ecache && !defer) {
        /*
         * The body from the refresh cache when the file's bytes are those it
         * was made from: known without reading them when the cache's head
         * records this very identity as settled, else hashed.
         */
        ein.peeked = srdi_entcache_peek(opts->enterprises_cache, c->sb, &ein.content);
        /* read with pread by the threads (a page of the mapping costs more than its copy: patents.c) */
        srdi_ent_pieces now = {0}; /* kept: a patched refresh compares its parts by them */
        if (!ein.peeked && !srdi_entcache_content_fd(c->fd, c->map, esize, threads, &ein.content, &now))
            ein.content = srdi_entcache_content(c->map, esize, release);
        ekey = srdi_entcache_key(c->d, ein.content, esize, (int)c->enc, c->delim, c->bom);
        bool hit = false;
        st = srdi_entcache_load(opts->enterprises_cache, ekey, &ein, c->d, threads > 1, c->rj, c->run->rej_ids,
                                &c->run->rej_line, &c->run->rej_cap, &hit, &c->read, &c->accepted, &c->rejected);
        if (st != SRDI_OK || hit) {
            if (hit && !opts->quiet)
                srdi_log_note("ingest: enterprises.csv unchanged (%s, same reference data): rows reused from %s",
                              ein.peeked ? "same file, untouched since its bytes were hashed" : "same bytes",
                              opts->enterprises_cache);
            srdi_ent_pieces_free(&now);
            srdi_csv_reader_free(&r);
            return st;
        }
        /* other bytes: when few rows changed, the cache's rows with those patched (a refresh after an edit) */
        srdi_ent_parts old;
        if (threads > 1 && srdi_entcache_parts(opts->enterprises_cache, ein.ctx, &old)) {
            srdi_ent_delta_info di;
            bool done = false;
            st = srdi_ingest_ent_delta(c, &old, &now, opts->enterprises_cache, ein.ctx, text, at, n, &done, &di);
            free(old.v);
            srdi_ent_pieces_free(&now);
            if (st != SRDI_OK || done) {
                srdi_csv_reader_free(&r);
                if (st != SRDI_OK) return st;
                srdi_ingest_ent_delta_rows = (long long)di.rows;
                if (!opts->quiet)
                    srdi_log_note("ingest: enterprises.csv changed in %zu of its %zu parts: %zu rows (%.2f MB) "
                                  "parsed again, the other rows reused from %s",
                                  di.parsed, di.parts, di.rows, (double)di.bytes / 1e6, opts->enterprises_cache);
                return save_ent_cache(c, opts, ekey, &ein, erj_from);
            }
        }
        srdi_ent_pieces_free(&now);
    }
    if (st == SRDI_OK && c->fid == SRDI_FILE_ENTERPRISES) {
        bool done = false, hashed = false;
        long body_line = r.line;
        /* in parallel parts (the columns reserved while the first parts are parsed), or else streamed */
        st = srdi_ingest_ent_body(c, text + at, n - at, body_line, release, defer ? &ein.content : NULL, &hashed,
                                  &done);
        if (done && c->eparts.n) { /* the text before the body, which the parts table's offsets follow */
            c->eparts.hdr_len = at;
            c->eparts.hdr_hash = srdi_patcache_block_hash(text, at);
        }
        if (st == SRDI_OK && !done && defer) /* streamed: hashed meanwhile */
            kt.started = threads > 1 && pthread_create(&kt.tid, NULL, ent_key_main, &kt) == 0;
        if (st == SRDI_OK && !done) /* the rows are at most the lines: the columns are allocated once, to that size */
            st = srdi_ent_reserve(c, srdi_ingest_count_lines(text + at, n - at));
        if (done || st != SRDI_OK) {
            srdi_csv_reader_free(&r);
            if (defer && st == SRDI_OK) {
                if (!hashed) ein.content = ent_key_join(&kt); /* joined, or hashed here */
                ekey = srdi_entcache_key(c->d, ein.content, esize, (int)c->enc, c->delim, c->bom);
            } else if (kt.started) { /* joined on every path: it reads the mapping */
                ent_key_join(&kt);
            }
            return ecache && st == SRDI_OK ? save_ent_cache(c, opts, ekey, &ein, erj_from) : st;
        }
    }
    if (st == SRDI_OK) st = srdi_csv_feed_encoded(&r, text + at, n - at, c->enc, release);
    if (st == SRDI_OK) st = srdi_csv_reader_finish(&r);
    srdi_csv_reader_free(&r);
    if (defer) {
        ein.content = ent_key_join(&kt);
        ekey = srdi_entcache_key(c->d, ein.content, esize, (int)c->enc, c->delim, c->bom);
    }
    return ecache && st == SRDI_OK ? save_ent_cache(c, opts, ekey, &ein, erj_from) : st;
}

/* ======================================================== Excel workbooks */

/* Records of a worksheet → srdi_ingest_record; after the header, the sheet reader learns the width. */
typedef struct xlsx_feed {
    file_ctx *c;
    srdi_xlsx *x;
} xlsx_feed;

static srdi_status xlsx_record(void *ctx, const srdi_csv_record *rec)
{
    xlsx_feed *f = ctx;
    bool header = !f->c->have_header;
    srdi_status st = srdi_ingest_record(f->c, rec);
    if (st == SRDI_OK && header) {
        srdi_xlsx_set_width(f->x, f->c->ncols); /* rows padded to the header, extra cells flagged */
        if (f->c->fid == SRDI_FILE_ENTERPRISES) /* 511 stored as a number is class 0511 */
            srdi_xlsx_set_pad4(f->x, f->c->spec_col[EC_INDUSTRY]);
    }
    return st;
}

/*
 * Read input file c->fid from the workbook at @p path (enterprises.xlsx …):
 * its first worksheet or the one --sheet names, every row through
 * srdi_ingest_record as a CSV record would go — same header aliases,
 * checks, rejects and counts.  A reject's line is the worksheet row and its
 * file "enterprises.xlsx[Sheet1]"; the name also stands in messages.
 */
static srdi_status ingest_xlsx(file_ctx *c, const srdi_ingest_opts *opts, const char *path, double t0)
{
    srdi_status st = SRDI_OK;
    srdi_dataset *d = c->d;
    srdi_file_stats *fs = &d->files[c->fid];
    srdi_xlsx *x = NULL;
    srdi_buf label = {0};
    const char *csv_name = c->fname;
    char xname[32];
    snprintf(xname, sizeof xname, "%.*s.xlsx", (int)(strlen(c->fname) - 4), c->fname);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return srdi_error_set(SRDI_ERR_INPUT, "%s: %s is not a regular file; give a file", xname, path);
    fs->present = true;
    if (!(fs->path = srdi_strdup(path))) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    fs->bytes = (long long)sb.st_size;
    srdi_strlcpy(fs->encoding, "xlsx", sizeof fs->encoding);
    if ((st = srdi_xlsx_open(path, xname, &x)) != SRDI_OK) return st;
    const char *sheet = opts->sheet_for[c->fid] ? opts->sheet_for[c->fid] : opts->sheet;
    if ((st = srdi_xlsx_select(x, sheet)) != SRDI_OK) goto cleanup;
    if ((st = srdi_buf_printf(&label, "%s[%s]", xname, srdi_xlsx_sheet(x))) != SRDI_OK) goto cleanup;
    free(c->rj->label[c->fid]);
    if (!(c->rj->label[c->fid] = srdi_strdup(label.data))) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    c->fname = label.data;
    c->enc = SRDI_ENC_UTF8;
    if (c->fid == SRDI_FILE_ENTERPRISES && c->run) srdi_strlcpy(c->run->ent_fname, xname, sizeof c->run->ent_fname);

    xlsx_feed feed = {c, x};
    if ((st = srdi_xlsx_rows(x, 0, 0, xlsx_record, &feed, NULL)) != SRDI_OK) goto cleanup;
    if (!c->have_header) {
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: the worksheet is empty (no header row)", c->fname);
        goto cleanup;
    }
    if (c->fid == SRDI_FILE_FINANCIALS) d->has_financials = true;
    if (c->fid == SRDI_FILE_PATENTS) d->has_patents = true;
    if (c->pseq) {
        st = srdi_patents_seq_end(c->pseq, c->rj, &c->read, &c->accepted, &c->rejected);
        c->pseq = NULL;
        if (st != SRDI_OK) goto cleanup;
    }
    fs->read = c->read;
    fs->accepted = c->accepted;
    fs->rejected = c->rejected;
    fs->seconds = srdi_now() - t0;
    if (!opts->quiet)
        srdi_log_note("ingest: %s  read %lld = accepted %lld + rejected %lld  (xlsx, %.3f s)", c->fname, fs->read,
                      fs->accepted, fs->rejected, fs->seconds);
cleanup:
    c->fname = csv_name; /* label is freed here */
    srdi_buf_free(&label);
    srdi_xlsx_close(x);
    return st;
}

/*
 * Which source holds input file @p fid: *xlsx_path gets the path of
 * NAME.xlsx when it is there instead of NAME.csv (else stays empty).  Both
 * present is an input error asking which one to read.
 */
static srdi_status pick_source(const char *dir, const char *csv_path, const char *fname, srdi_buf *xlsx_path)
{
    struct stat sb;
    srdi_status st = srdi_buf_printf(xlsx_path, "%s/%.*s.xlsx", dir, (int)(strlen(fname) - 4), fname);
    if (st != SRDI_OK) return st;
    if (stat(xlsx_path->data, &sb) != 0) {
        srdi_buf_reset(xlsx_path);
        return SRDI_OK;
    }
    if (stat(csv_path, &sb) == 0)
        return srdi_error_set(SRDI_ERR_INPUT,
                              "%s and %s are both present: which one should be read? "
                              "Move or rename the other one",
                              csv_path, xlsx_path->data);
    return SRDI_OK;
}

/*
 * Read one input file into d.  A missing optional file is fine (present =
 * false, said on stderr with the tables it leaves without data); a missing
 * enterprises.csv, a file that is not a regular file, not CSV text (a
 * workbook, a binary) or empty, a header problem or an allocation failure is
 * a file-level error.
 */
static srdi_status ingest_file(srdi_dataset *d, const srdi_ingest_opts *opts, srdi_file_id fid, srdi_rejects *rj,
                               ingest_run *ru)
{
    srdi_status st = SRDI_OK;
    srdi_file_stats *fs = &d->files[fid];
    file_ctx c = {.d = d,
                  .fid = fid,
                  .fname = file_names[fid],
                  .rj = rj,
                  .run = ru,
                  .quiet = opts->quiet,
                  .fd = -1,
                  .threads = opts->threads};
    char *map = NULL, *conv = NULL;
    size_t size = 0;
    int fd = -1;
    double t0 = srdi_now();
    srdi_buf path = {0};

    if (fid == SRDI_FILE_ENTERPRISES) {
        c.specs = NULL;
        c.nspecs = ENT_NSPECS;
    } else if (fid == SRDI_FILE_FINANCIALS) {
        c.specs = srdi_ingest_fin_specs;
        c.nspecs = FC_N;
    } else {
        c.specs = srdi_ingest_pat_specs;
        c.nspecs = PC_N;
    }
    if (fid == SRDI_FILE_ENTERPRISES) srdi_strlcpy(ru->ent_fname, c.fname, sizeof ru->ent_fname);

    if (srdi_buf_printf(&path, "%s/%s", opts->data_dir ? opts->data_dir : ".", c.fname) != SRDI_OK)
        return SRDI_ERR_NOMEM;
    { /* an Excel workbook in place of the CSV (xlsxin.c) */
        srdi_buf xpath = {0};
        st = pick_source(opts->data_dir ? opts->data_dir : ".", path.data, c.fname, &xpath);
        if (st == SRDI_OK && xpath.len) st = ingest_xlsx(&c, opts, xpath.data, t0);
        bool done = st != SRDI_OK || xpath.len;
        srdi_buf_free(&xpath);
        if (done) goto cleanup;
    }
    struct timespec topen;
    if (clock_gettime(CLOCK_REALTIME, &topen) == 0) c.t_open = (double)topen.tv_sec + (double)topen.tv_nsec * 1e-9;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below) */
    fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT && fid != SRDI_FILE_ENTERPRISES) {
            if (!opts->quiet)
                srdi_log_note("%s: not found \xE2\x80\x94 %s will have no data", c.fname,
                              opts->starved[fid] ? opts->starved[fid] : "its tables");
            goto cleanup;
        }
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot open %s: %s", c.fname, path.data, strerror(e));
        goto cleanup;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot stat: %s", c.fname, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = srdi_error_set(SRDI_ERR_INPUT, "%s: %s is not a regular file (%s); give a file", c.fname, path.data,
                            S_ISDIR(sb.st_mode)                          ? "a directory"
                            : S_ISFIFO(sb.st_mode)                       ? "a FIFO"
                            : S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "a device"
                            : S_ISSOCK(sb.st_mode)                       ? "a socket"
                                                                         : "not a plain file");
        goto cleanup;
    }
    fs->present = true;
    fs->path = srdi_buf_steal(&path);
    size = (size_t)sb.st_size;
    fs->bytes = (long long)size;
    if (size == 0) {
        st = srdi_error_set(SRDI_ERR_HEADER, "%s: file is empty (no header row)", c.fname);
        goto cleanup;
    }
    map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        map = NULL;
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot map: %s", c.fname, strerror(errno));
        goto cleanup;
    }
    madvise(map, size, MADV_SEQUENTIAL);

    /* what the bytes are: a workbook or other binary is named, never read as text */
    const char *what = srdi_csv_binary_kind(map, size);
    if (what) {
        const char *base = c.fname;
        size_t bl = strcspn(base, ".");
        if (strstr(what, "Excel workbook (.xlsx"))
            st = srdi_error_set(SRDI_ERR_INPUT, "%s: this is an Excel workbook, not CSV text; name it %.*s.xlsx",
                                c.fname, (int)bl, base);
        else if (strstr(what, ".xls"))
            st = srdi_error_set(SRDI_ERR_INPUT, "%s: this is %s, not CSV text; save it as %.*s.xlsx or as CSV", c.fname,
                                what, (int)bl, base);
        else
            st = srdi_error_set(SRDI_ERR_INPUT, "%s: this is %s, not CSV text", c.fname, what);
        goto cleanup;
    }
    size_t bom;
    c.enc = srdi_csv_detect_encoding(map, size, opts->encoding, fs->encoding, &bom);
    c.fd = fd;
    c.sb = &sb;
    c.bom = bom;
    c.map = map;
    const char *text = map + bom;
    size_t tlen = size - bom;
    if (c.enc == SRDI_ENC_UTF16LE || c.enc == SRDI_ENC_UTF16BE) {
        /* a header line must end within its first MiB (2 MiB of UTF-16) before the whole is converted */
        size_t probe = tlen < 2 * SRDI_CSV_HEADER_MAX ? tlen : 2 * SRDI_CSV_HEADER_MAX;
        if (tlen > probe && !memchr(text, '\n', probe) && !memchr(text, '\r', probe)) {
            st = srdi_error_set(SRDI_ERR_HEADER,
                                "%s: the header row is longer than 1 MiB "
                                "(no line end outside quotes): not a CSV file?",
                                c.fname);
            goto cleanup;
        }
        /* UTF-16: converted whole to UTF-8 first (bad sequences become a byte that fails UTF-8) */
        if ((st = srdi_csv_utf16_to_utf8(text, tlen, c.enc == SRDI_ENC_UTF16BE, &conv, &tlen)) != SRDI_OK) goto cleanup;
        text = conv;
        munmap(map, size);
        map = NULL;
        c.map = NULL;
    }
    c.delim = opts->delimiter ? opts->delimiter : srdi_csv_detect_delim(text, tlen);
    st = read_csv_text(&c, opts, text, tlen, map != NULL);
    if (st != SRDI_OK) goto cleanup;
    if (fid == SRDI_FILE_FINANCIALS) d->has_financials = true;
    if (fid == SRDI_FILE_PATENTS) d->has_patents = true;
    if (c.pseq) {
        st = srdi_patents_seq_end(c.pseq, rj, &c.read, &c.accepted, &c.rejected);
        c.pseq = NULL;
        if (st != SRDI_OK) goto cleanup;
    }
    fs->read = c.read;
    fs->accepted = c.accepted;
    fs->rejected = c.rejected;
    fs->delim = c.delim;
    fs->seconds = srdi_now() - t0;
    if (!opts->quiet && !opts->no_progress)
        srdi_log_note("ingest: %s  read %lld = accepted %lld + rejected %lld  (%s, %s, %.3f s)", c.fname, fs->read,
                      fs->accepted, fs->rejected, fs->encoding, delim_name(c.delim), fs->seconds);

cleanup:
    if (map) munmap(map, size);
    free(conv);
    if (fd >= 0) close(fd);
    srdi_buf_free(&path);
    file_ctx_free(&c);
    return st;
}

/*
 * Financials need to know the enterprises; the bitmap of (enterprise, year)
 * is allocated once the enterprises are read.
 */
/*
 * The strings of the run's rejects [from, from+n), which a write going on
 * after srdi_ingest returns copied the entries of, are that write's to free
 * now (cleared here); returns true.
 */
static bool hand_over(srdi_rejects *rj, size_t from, size_t n)
{
    for (size_t i = from; i < from + n && i < rj->n; i++) rj->v[i].column = rj->v[i].value = rj->v[i].reason = NULL;
    return true;
}

srdi_status srdi_ingest(const srdi_ingest_opts *opts, srdi_reference *ref, srdi_dataset **out, long long *n_row_errors)
{
    srdi_status st = SRDI_OK;
    srdi_rejects rj = {0};
    ingest_run ru = {0};
    *out = NULL;
    if (n_row_errors) *n_row_errors = 0;
    srdi_dataset *d = srdi_dataset_new(ref);
    if (!d) {
        srdi_reference_free(ref);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating the dataset");
    }
    if (!(ru.rej_ids = srdi_strpool_new())) st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    if (st == SRDI_OK) { /* data made by `srdi-report sample` carries SYNTHETIC.txt: its outputs say so */
        srdi_buf sp = {0};
        struct stat sb;
        /* out of memory is an error here too: taken for real data, the outputs would lose their marking */
        if ((st = srdi_buf_printf(&sp, "%s/SYNTHETIC.txt", opts->data_dir ? opts->data_dir : ".")) == SRDI_OK &&
            stat(sp.data, &sb) == 0)
            d->synthetic = true;
        srdi_buf_free(&sp);
    }
    /* a refresh on more than one thread: the patents cache read (every byte hashed, 20 MB of the national
       data's) while the enterprises are, on a thread of its own; taken when the enterprises and patents.csv
       make its key (5 ms less on the path a refresh waits on, when a core is free for it) */
    if (st == SRDI_OK && opts->patents_cache && !opts->patents_cache_write_only &&
        (opts->threads > 0 ? opts->threads : srdi_cpu_count()) > 1)
        ru.pahead = srdi_patcache_ahead_start(opts->patents_cache);
    for (int f = 0; f < SRDI_FILE_COUNT && st == SRDI_OK; f++) st = ingest_file(d, opts, (srdi_file_id)f, &rj, &ru);
    srdi_patcache_ahead_free(ru.pahead);
    if (st == SRDI_OK) st = srdi_rejects_summarise(&rj, d);
    if (st == SRDI_OK && opts->rejects_path) st = srdi_rejects_write(&rj, opts->rejects_path);
    srdi_ingest_bg *bg = ru.psave;
    if (ru.esave) { /* with the patents cache's write, or in a handle of its own (none: written before returning) */
        if (!bg && st == SRDI_OK && opts->background) bg = calloc(1, sizeof *bg);
        if (bg)
            bg->ent = ru.esave;
        else
            ent_save_end(ru.esave, opts->quiet);
        ru.esave = NULL;
    }
    if (bg && (st != SRDI_OK || !opts->background)) { /* written before the dataset is returned (or freed) */
        srdi_ingest_settle(bg, opts->quiet);
        bg = NULL;
    }
    if (bg) { /* the writes go on after this returns: the strings of their rejects are their own now */
        if (bg->pat) bg->own_strings = hand_over(&rj, bg->rj_from, bg->rj.n);
        ent_save *e = bg->ent;
        if (e) {
            e->own_strings = hand_over(&rj, e->rj_from, e->rj.n);
            e->own_ids = true; /* and the rejected ids with their lines */
            ru.rej_ids = NULL;
            ru.rej_line = NULL;
        }
    }
    if (opts->background) *opts->background = bg;
    srdi_rejects_free(&rj);
    srdi_strpool_free(ru.rej_ids);
    free(ru.rej_line);
    if (st != SRDI_OK) {
        srdi_dataset_free(d);
        return st;
    }
    long long errs = 0;
    for (int f = 0; f < SRDI_FILE_COUNT; f++) errs += d->files[f].rejected;
    if (n_row_errors) *n_row_errors = errs;
    srdi_dataset_seal(d); /* reading is over: the id index is not needed by the tables */
    *out = d;
    return SRDI_OK;
}

/* The name a file is known by: the workbook's for an .xlsx input, else the CSV name. */
static const char *file_label(const srdi_file_stats *fs, int f)
{
    if (!fs->path || strcmp(fs->encoding, "xlsx") != 0) return file_names[f];
    const char *slash = strrchr(fs->path, '/');
    return slash ? slash + 1 : fs->path;
}

srdi_status srdi_ingest_check_reject_rate(const srdi_dataset *d, double max_rate, const char *out_dir)
{
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        const srdi_file_stats *fs = &d->files[f];
        if (!fs->present || fs->read == 0 || fs->rejected == 0) continue;
        double rate = (double)fs->rejected / (double)fs->read;
        if (rate <= max_rate && fs->rejected < fs->read) continue;
        char limit[80];
        if (fs->rejected == fs->read)
            snprintf(limit, sizeof limit, "every row");
        else
            snprintf(limit, sizeof limit, "more than --max-reject-rate %g%%", max_rate * 100);
        return srdi_error_set(SRDI_ERR_DATA,
                              "%s: %lld of %lld rows rejected (%.1f%%, %s): nothing rendered; "
                              "by reason: %s; see %s/rejects.csv",
                              file_label(fs, f), fs->rejected, fs->read, rate * 100, limit,
                              fs->reject_reasons ? fs->reject_reasons : "", out_dir);
    }
    return SRDI_OK;
}

void srdi_ingest_print_summary(const srdi_dataset *d, FILE *fp)
{
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        const srdi_file_stats *fs = &d->files[f];
        if (!fs->present) continue;
        bool xl = strcmp(fs->encoding, "xlsx") == 0;
        fprintf(fp, "ingest: %s  read %lld = accepted %lld + rejected %lld  (%s, %s, %.3f s)\n", file_label(fs, f),
                fs->read, fs->accepted, fs->rejected, fs->encoding, xl ? "worksheet" : delim_name(fs->delim),
                fs->seconds);
    }
}
