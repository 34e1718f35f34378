/*
 * src/incr/values.c — the previous run's values.csv and the change summary
 * (changes.csv: which values moved, old → new).
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/csvout.h"
#include "srdi/csvread.h"
#include "srdi/hash.h"
#include "srdi/incremental.h"
#include "srdi/util.h"

/* One data line of values.csv: pointers into the arena. */
typedef struct vrec {
    const char *table, *row, *col, *value;
    uint64_t h;   /* hash of (table, row, col) */
    bool matched; /* paired with a value of the new set */
} vrec;

struct srdi_incr_values {
    char *arena; /* unescaped fields, NUL-terminated (owned) */
    vrec *recs;
    size_t n, cap;
    srdi_hindex index; /* key_hash → record index (equal keys in file order) */
};

/* Hash of a value's key. */
static uint64_t key_hash(const char *table, const char *row, const char *col)
{
    uint64_t h = SRDI_INCR_HASH_INIT;
    h = srdi_incr_hash_str(h, table);
    h = srdi_incr_hash_str(h, row);
    return srdi_hash_mix(srdi_incr_hash_str(h, col));
}

void srdi_incr_values_free(srdi_incr_values *v)
{
    if (!v) return;
    free(v->arena);
    free(v->recs);
    srdi_hindex_free(&v->index);
    free(v);
}

size_t srdi_incr_values_count(const srdi_incr_values *v)
{
    return v ? v->n : 0;
}

/* Parse state: the records of values.csv arrive from THE CSV reader (srdi/csvread.h). */
typedef struct vparse {
    srdi_incr_values *v;
    const char *name;
    size_t used, cap; /* bytes of v->arena used / allocated */
    bool header;      /* the header line was seen */
} vparse;

/* Copy one field with its NUL into the arena; the arena was sized for the whole text. */
static const char *arena_put(vparse *p, const char *s, size_t n)
{
    assert(p->used + n + 1 <= p->cap); /* unescaped fields + NULs never outgrow the text + 1 */
    char *o = p->v->arena + p->used;
    memcpy(o, s, n + 1);
    p->used += n + 1;
    return o;
}

static srdi_status values_record(void *ctx, const srdi_csv_record *rec)
{
    vparse *p = ctx;
    srdi_incr_values *v = p->v;
    if (rec->status != SRDI_CSV_REC_OK) {
        assert(rec->n > 0);
        const char *bad = rec->f[rec->n - 1];
        return srdi_error_set(SRDI_ERR_CSV, "%s:%ld: column %zu: malformed quoted field (%s): '%.*s'", p->name,
                              rec->line, rec->n, srdi_csv_rec_problem(rec), srdi_csv_quote_len(bad), bad);
    }
    if (rec->n != 4)
        return srdi_error_set(SRDI_ERR_CSV, "%s:%ld: expected 4 fields (table,row,column,value), got %zu", p->name,
                              rec->line, rec->n);
    const char *const *f = rec->f;
    if (!p->header) {
        p->header = true;
        if (strcmp(f[0], "table") || strcmp(f[1], "row") || strcmp(f[2], "column") || strcmp(f[3], "value"))
            return srdi_error_set(SRDI_ERR_CSV, "%s:%ld: header is not table,row,column,value", p->name, rec->line);
        return SRDI_OK;
    }
    if (v->n == v->cap) {
        size_t nc = v->cap;
        if (srdi_grow((void **)&v->recs, &nc, v->n + 1, sizeof *v->recs) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", p->name);
        v->cap = nc;
    }
    const char *k[4];
    for (int i = 0; i < 4; i++) k[i] = arena_put(p, f[i], rec->len[i]);
    v->recs[v->n++] = (vrec){k[0], k[1], k[2], k[3], key_hash(k[0], k[1], k[2]), false};
    return SRDI_OK;
}

srdi_status srdi_incr_values_parse(const char *text, size_t len, const char *name, srdi_incr_values **out)
{
    srdi_status st = SRDI_OK;
    srdi_incr_values *v = calloc(1, sizeof *v);
    srdi_csv_reader rd;
    bool reader = false;
    *out = NULL;
    if (!v || !(v->arena = malloc(len + 2))) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", name);
        goto cleanup;
    }
    vparse p = {.v = v, .name = name, .cap = len + 2};
    if ((st = srdi_csv_reader_init(&rd, values_record, &p, 1)) != SRDI_OK) goto cleanup;
    reader = true;
    size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if ((st = srdi_csv_reader_feed(&rd, text + bom, len - bom)) != SRDI_OK) goto cleanup;
    if ((st = srdi_csv_reader_finish(&rd)) != SRDI_OK) goto cleanup;
    if (!p.header) {
        st = srdi_error_set(SRDI_ERR_CSV, "%s: empty file (no header)", name);
        goto cleanup;
    }
    st = srdi_hindex_reserve(&v->index, v->n);
    for (size_t i = 0; i < v->n && st == SRDI_OK; i++) st = srdi_hindex_add(&v->index, v->recs[i].h, (uint32_t)i);
    if (st != SRDI_OK) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory indexing %s", name);
        goto cleanup;
    }
    *out = v;
    v = NULL;
cleanup:
    if (reader) srdi_csv_reader_free(&rd);
    srdi_incr_values_free(v);
    return st;
}

srdi_status srdi_incr_values_load(const char *path, srdi_incr_values **out)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (errno == ENOENT) return SRDI_OK;
        return srdi_error_set(SRDI_ERR_IO, "%s: %s", path, strerror(errno));
    }
    srdi_buf b = {0};
    char chunk[65536];
    size_t n;
    srdi_status st = SRDI_OK;
    while (st == SRDI_OK && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) st = srdi_buf_append(&b, chunk, n);
    if (st == SRDI_OK && ferror(fp)) st = srdi_error_set(SRDI_ERR_IO, "%s: read failed: %s", path, strerror(errno));
    fclose(fp);
    if (st == SRDI_OK) st = srdi_incr_values_parse(b.data ? b.data : "", b.len, path, out);
    srdi_buf_free(&b);
    return st;
}

/*
 * The first old value with this key not yet paired, or NULL.  Repeated keys
 * pair up in file order because equal keys probe in insertion order.
 */
static vrec *find_unmatched(srdi_incr_values *v, const char *table, const char *row, const char *col)
{
    if (!v || !v->n) return NULL;
    uint64_t h = key_hash(table, row, col);
    size_t pos;
    for (uint32_t i = srdi_hindex_first(&v->index, h, &pos); i != SRDI_HINDEX_NONE;
         i = srdi_hindex_next(&v->index, h, &pos)) {
        assert(i < v->n);
        vrec *r = &v->recs[i];
        if (r->h == h && !r->matched && !strcmp(r->table, table) && !strcmp(r->row, row) && !strcmp(r->col, col))
            return r;
    }
    return NULL;
}

/* Append a CSV field to @p b, quoted per RFC 4180 when needed (as values.csv is). */
static srdi_status csv_field(srdi_buf *b, const char *s, char sep)
{
    srdi_status st = srdi_csv_field(b, s); /* quoted and formula-guarded (srdi/csvout.h) */
    if (st == SRDI_OK) st = srdi_buf_append(b, &sep, 1);
    return st;
}

/* Diff state shared by the helpers below. */
typedef struct diff {
    srdi_buf *b;
    srdi_buf g1, g2, g3; /* scratch: guarded row key, column key, value */
    srdi_incr_summary *sum;
    const char *last_table; /* last table added to sum->tables */
} diff;

/* Note that table @p id has a change (once per table, in order). */
static void note_table(diff *d, const char *id)
{
    if (d->last_table && strcmp(d->last_table, id) == 0) return;
    d->last_table = id;
    d->sum->ntables++;
    size_t len = strlen(d->sum->tables), cap = sizeof d->sum->tables;
    if (len + 2 + strlen(id) + 8 >= cap) { /* room for ", …" kept */
        if (!strstr(d->sum->tables, "…")) snprintf(d->sum->tables + len, cap - len, ", …");
        return;
    }
    snprintf(d->sum->tables + len, cap - len, "%s%s", len ? ", " : "", id);
}

/* One line of changes.csv. */
static srdi_status emit(diff *d, const char *table, const char *row, const char *col, const char *old, const char *new_,
                        const char *change)
{
    srdi_status st = csv_field(d->b, table, ',');
    if (st == SRDI_OK) st = csv_field(d->b, row, ',');
    if (st == SRDI_OK) st = csv_field(d->b, col, ',');
    if (st == SRDI_OK) st = csv_field(d->b, old, ',');
    if (st == SRDI_OK) st = csv_field(d->b, new_, ',');
    if (st == SRDI_OK) st = csv_field(d->b, change, '\n');
    if (st != SRDI_OK) return srdi_error_set(SRDI_ERR_NOMEM, "changes.csv: out of memory");
    note_table(d, table);
    d->sum->nvalues++;
    if (change[0] == 'm')
        d->sum->nmoved++;
    else if (change[0] == 'a')
        d->sum->nadded++;
    else
        d->sum->nremoved++;
    return SRDI_OK;
}

/* Emit the old values of table @p id (NULL = of every table not in @p ts) that found no partner. */
static srdi_status emit_removed(diff *d, srdi_incr_values *old, const char *id, const srdi_tableset *ts)
{
    for (size_t i = 0; old && i < old->n; i++) {
        vrec *r = &old->recs[i];
        if (r->matched) continue;
        if (id ? strcmp(r->table, id) != 0 : srdi_tableset_get(ts, r->table) != NULL) continue;
        r->matched = true;
        srdi_status st = emit(d, r->table, r->row, r->col, r->value, "", "removed");
        if (st != SRDI_OK) return st;
    }
    return SRDI_OK;
}

/* Compare one new table's values (as values.csv would write them) with the old ones. */
static srdi_status diff_table(diff *d, srdi_incr_values *old, const srdi_table *t)
{
    char num[64];
    srdi_status st = SRDI_OK;
    for (size_t r = 0; !t->no_data && r < t->nrows && st == SRDI_OK; r++) {
        const srdi_trow *row = &t->rows[r];
        for (size_t c = 0; c < t->ncols && st == SRDI_OK; c++) {
            const srdi_cell *cell = &row->cells[c];
            if (cell->kind == SRDI_CELL_ABSENT) continue;
            const char *value = "";
            if (cell->kind == SRDI_CELL_NUM) {
                srdi_cell_export(cell, num, sizeof num);
                value = num;
            } else if (cell->kind == SRDI_CELL_TEXT && cell->text) {
                value = cell->text;
            }
            const char *rk = row->key ? row->key : "", *ck = t->cols[c].key ? t->cols[c].key : "";
            /* values.csv holds the guarded text ("'-abc"): compare like with like */
            const char *rkw = srdi_csv_neutral(rk, &d->g1), *ckw = srdi_csv_neutral(ck, &d->g2);
            const char *vw = srdi_csv_neutral(value, &d->g3);
            if (!rkw || !ckw || !vw) return srdi_error_set(SRDI_ERR_NOMEM, "changes.csv: out of memory");
            vrec *o = find_unmatched(old, t->id, rkw, ckw);
            if (!o) {
                st = emit(d, t->id, rk, ck, "", value, "added");
            } else {
                o->matched = true;
                if (strcmp(o->value, vw) != 0) st = emit(d, t->id, rk, ck, o->value, value, "moved");
            }
        }
    }
    if (st == SRDI_OK) st = emit_removed(d, old, t->id, NULL);
    return st;
}

srdi_status srdi_incr_changes_write(const srdi_incr_values *old_c, const srdi_tableset *ts, bool only_listed,
                                    const char *path, srdi_incr_summary *sum)
{
    srdi_incr_values *old = (srdi_incr_values *)old_c; /* only the matched flags change */
    srdi_incr_summary local;
    srdi_buf b = {0};
    srdi_atomic a = {0};
    srdi_status st;
    if (!sum) sum = &local;
    memset(sum, 0, sizeof *sum);
    for (size_t i = 0; old && i < old->n; i++) old->recs[i].matched = false;

    diff d = {.b = &b, .sum = sum, .last_table = NULL};
    st = srdi_buf_puts(&b, "table,row,column,old,new,change\n");
    for (size_t i = 0; ts && i < ts->n && st == SRDI_OK; i++) st = diff_table(&d, old, ts->tables[i]);
    if (st == SRDI_OK && !only_listed) st = emit_removed(&d, old, NULL, ts);
    if (st != SRDI_OK) goto cleanup;

    if ((st = srdi_atomic_open(&a, path)) != SRDI_OK) goto cleanup;
    if (fwrite(b.data, 1, b.len, a.fp) != b.len || ferror(a.fp)) {
        st = srdi_error_set(SRDI_ERR_IO, "%s: write failed: %s", path, strerror(errno));
        srdi_atomic_abort(&a);
        goto cleanup;
    }
    st = srdi_atomic_commit(&a);
cleanup:
    srdi_buf_free(&b);
    srdi_buf_free(&d.g1);
    srdi_buf_free(&d.g2);
    srdi_buf_free(&d.g3);
    return st;
}

void srdi_incr_summary_line(const srdi_incr_summary *sum, const char *path, char *buf, size_t size)
{
    if (!sum->nvalues) {
        snprintf(buf, size, "changes: none; see %s", path);
        return;
    }
    snprintf(buf, size, "changes: %zu value%s in %zu table%s (%s); see %s", sum->nvalues, sum->nvalues == 1 ? "" : "s",
             sum->ntables, sum->ntables == 1 ? "" : "s", sum->tables, path);
}
