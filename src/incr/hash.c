/*
 * src/incr/hash.c — FNV-1a 64 content hashes of tables, params, dataset
 * statistics, files and directory trees, for incremental builds.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srdi/hash.h"
#include "srdi/incremental.h"
#include "srdi/util.h"

/* THE digest (srdi/hash.h, FNV-1a 64): the state file's hashes are chains of it. */
uint64_t srdi_incr_hash_bytes(uint64_t h, const void *p, size_t n)
{
    return srdi_hash_bytes(h, p, n);
}

uint64_t srdi_incr_hash_u64(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    return srdi_incr_hash_bytes(h, b, sizeof b);
}

/*
 * A string is hashed as a presence byte, its length and its bytes, so that
 * neighbouring strings cannot trade characters and NULL differs from "".
 */
uint64_t srdi_incr_hash_str(uint64_t h, const char *s)
{
    if (!s) return srdi_incr_hash_u64(h, UINT64_MAX);
    size_t n = strlen(s);
    h = srdi_incr_hash_u64(h, (uint64_t)n);
    return srdi_incr_hash_bytes(h, s, n);
}

/* The 64 bits of a double (so 0.1 and 0.1000000000000000055 … stay apart only if they differ). */
static uint64_t hash_double(uint64_t h, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return srdi_incr_hash_u64(h, bits);
}

/*
 * Hash every field of a table that any output can show.  The order of the
 * fields is fixed; a change in any cell, label, note or column format gives
 * a different hash.
 */
uint64_t srdi_incr_table_hash(const srdi_table *t)
{
    uint64_t h = SRDI_INCR_HASH_INIT;
    if (!t) return srdi_incr_hash_str(h, NULL);
    h = srdi_incr_hash_str(h, t->id);
    h = srdi_incr_hash_str(h, t->name);
    h = srdi_incr_hash_str(h, t->title);
    h = srdi_incr_hash_str(h, t->sheet);
    h = srdi_incr_hash_str(h, t->note);
    h = srdi_incr_hash_str(h, t->source);
    h = srdi_incr_hash_str(h, t->params);
    h = srdi_incr_hash_u64(h, (uint64_t)t->n);
    h = srdi_incr_hash_u64(h, (uint64_t)t->no_data << 1 | (uint64_t)t->small_sample);
    /* the sample-size notes and markers the outputs print from them */
    h = srdi_incr_hash_str(h, t->base_note);
    h = srdi_incr_hash_str(h, t->small_groups);
    h = hash_double(h, t->small_min);
    h = srdi_incr_hash_u64(h, (uint64_t)(int64_t)t->basis_col);
    h = srdi_incr_hash_str(h, t->basis_unit);
    h = srdi_incr_hash_str(h, t->basis_what);
    h = srdi_incr_hash_u64(h, (uint64_t)t->ncols);
    for (size_t c = 0; c < t->ncols; c++) {
        const srdi_tcol *col = &t->cols[c];
        h = srdi_incr_hash_str(h, col->key);
        h = srdi_incr_hash_str(h, col->label);
        h = srdi_incr_hash_u64(h, (uint64_t)col->type);
        h = srdi_incr_hash_str(h, col->unit);
        h = srdi_incr_hash_u64(h, (uint64_t)(int64_t)col->decimals);
    }
    h = srdi_incr_hash_u64(h, (uint64_t)t->nrows);
    for (size_t r = 0; r < t->nrows; r++) {
        const srdi_trow *row = &t->rows[r];
        h = srdi_incr_hash_str(h, row->key);
        h = srdi_incr_hash_str(h, row->label);
        h = srdi_incr_hash_u64(h, (uint64_t)row->small);
        h = srdi_incr_hash_u64(h, (uint64_t)row->basis_n);
        for (size_t c = 0; c < t->ncols; c++) {
            const srdi_cell *cell = &row->cells[c];
            h = srdi_incr_hash_u64(h, ((uint64_t)cell->kind << 8) | cell->fmt);
            if (cell->kind == SRDI_CELL_NUM)
                h = hash_double(h, cell->num);
            else if (cell->kind == SRDI_CELL_TEXT)
                h = srdi_incr_hash_str(h, cell->text);
        }
    }
    return h;
}

uint64_t srdi_incr_tableset_hash(const srdi_tableset *ts)
{
    uint64_t h = SRDI_INCR_HASH_INIT;
    size_t n = ts ? ts->n : 0;
    h = srdi_incr_hash_u64(h, (uint64_t)n);
    for (size_t i = 0; i < n; i++) h = srdi_incr_hash_u64(h, srdi_incr_table_hash(ts->tables[i]));
    return h;
}

uint64_t srdi_incr_params_hash(uint64_t h, const srdi_params *p)
{
    int n = p ? srdi_params_count(p) : 0;
    h = srdi_incr_hash_u64(h, (uint64_t)(n > 0 ? n : 0));
    for (int i = 0; i < n; i++) {
        const char *sec = NULL, *key = NULL, *val = NULL;
        srdi_params_entry(p, i, &sec, &key, &val);
        h = srdi_incr_hash_str(h, sec);
        h = srdi_incr_hash_str(h, key);
        h = srdi_incr_hash_str(h, val);
    }
    return h;
}

/*
 * The dataset facts workbooks print besides the tables (the 说明 sheet):
 * file statistics and the latest financial year.  Timings and byte counts
 * are left out (they vary between identical runs or show nowhere).
 */
uint64_t srdi_incr_dataset_hash(uint64_t h, const srdi_dataset *d)
{
    if (!d) return srdi_incr_hash_str(h, NULL);
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        const srdi_file_stats *fs = &d->files[f];
        h = srdi_incr_hash_u64(h, fs->present ? 1 : 0);
        if (!fs->present) continue;
        h = srdi_incr_hash_str(h, fs->path);
        h = srdi_incr_hash_str(h, fs->encoding);
        h = srdi_incr_hash_u64(h, (uint64_t)fs->read);
        h = srdi_incr_hash_u64(h, (uint64_t)fs->accepted);
        h = srdi_incr_hash_u64(h, (uint64_t)fs->rejected);
    }
    h = srdi_incr_hash_u64(h, (uint64_t)srdi_dataset_latest_fin_year(d));
    h = srdi_incr_hash_u64(h, (uint64_t)d->n);
    h = srdi_incr_hash_u64(h, (d->has_financials ? 1 : 0) | (d->has_patents ? 2 : 0));
    return h;
}

/* Hash the bytes of an open file. */
static srdi_status hash_stream(uint64_t *h, FILE *fp, const char *path)
{
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) *h = srdi_incr_hash_bytes(*h, buf, n);
    if (ferror(fp)) return srdi_error_set(SRDI_ERR_IO, "%s: read failed: %s", path, strerror(errno));
    return SRDI_OK;
}

srdi_status srdi_incr_hash_file(uint64_t *h, const char *path, int what)
{
    struct stat sb;
    *h = srdi_incr_hash_str(*h, path);
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *h = srdi_incr_hash_str(*h, "missing");
            return SRDI_OK;
        }
        return srdi_error_set(SRDI_ERR_IO, "%s: %s", path, strerror(errno));
    }
    if (what & SRDI_INCR_FILE_IDENTITY) {
        *h = srdi_incr_hash_u64(*h, (uint64_t)sb.st_size);
        *h = srdi_incr_hash_u64(*h, (uint64_t)sb.st_mtim.tv_sec);
        *h = srdi_incr_hash_u64(*h, (uint64_t)sb.st_mtim.tv_nsec);
        *h = srdi_incr_hash_u64(*h, (uint64_t)sb.st_ino);
    }
    if (what & SRDI_INCR_FILE_CONTENTS) {
        FILE *fp = fopen(path, "rb");
        if (!fp) return srdi_error_set(SRDI_ERR_IO, "%s: %s", path, strerror(errno));
        srdi_status st = hash_stream(h, fp, path);
        fclose(fp);
        return st;
    }
    return SRDI_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Hash the files below @p dir (relative name @p rel) in sorted order.
 * Holds the directory's sorted name list while recursing.
 */
static srdi_status hash_tree(uint64_t *h, const char *dir, const char *rel, int depth)
{
    srdi_status st = SRDI_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *dp = opendir(dir);
    if (!dp) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *h = srdi_incr_hash_str(*h, "missing");
            return SRDI_OK;
        }
        return srdi_error_set(SRDI_ERR_IO, "%s: %s", dir, strerror(errno));
    }
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if ((st = srdi_grow((void **)&names, &cap, n + 1, sizeof *names)) != SRDI_OK) goto cleanup;
        if (!(names[n] = srdi_strdup(e->d_name))) {
            st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory listing %s", dir);
            goto cleanup;
        }
        n++;
    }
    if (n) qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && st == SRDI_OK; i++) {
        char path[4096], sub[4096];
        struct stat sb;
        int a = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int b = snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        if (a < 0 || (size_t)a >= sizeof path || b < 0 || (size_t)b >= sizeof sub) {
            st = srdi_error_set(SRDI_ERR_IO, "path too long: %s/%s", dir, names[i]);
            break;
        }
        if (stat(path, &sb) != 0) continue; /* vanished or dangling link */
        if (S_ISDIR(sb.st_mode)) {
            if (depth < 8) {
                *h = srdi_incr_hash_str(*h, sub);
                st = hash_tree(h, path, sub, depth + 1);
            }
        } else if (S_ISREG(sb.st_mode)) {
            *h = srdi_incr_hash_str(*h, sub);
            FILE *fp = fopen(path, "rb");
            if (!fp) {
                st = srdi_error_set(SRDI_ERR_IO, "%s: %s", path, strerror(errno));
                break;
            }
            *h = srdi_incr_hash_u64(*h, (uint64_t)sb.st_size);
            st = hash_stream(h, fp, path);
            fclose(fp);
        }
    }
cleanup:
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    closedir(dp);
    return st;
}

srdi_status srdi_incr_hash_tree(uint64_t *h, const char *dir)
{
    return hash_tree(h, dir, "", 0);
}

void srdi_incr_hex(uint64_t h, char *buf)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--) {
        buf[i] = digits[h & 15];
        h >>= 4;
    }
    buf[16] = 0;
}
