/*
 * src/incr/state.c — OUT/.srdi-state: what the previous builds wrote and
 * from which inputs.
 *
 * Text, one record per line, fields separated by one space:
 *     srdi-state 1
 *     input NAME HASH                        informational (params, template …)
 *     table ID HASH                          content hash of each table
 *     output HASH DEV INO SIZE SEC.NSEC PATH key + identity of a written file
 * PATH is relative to the output directory and is the rest of the line (it
 * may hold spaces).  HASH is 16 hex digits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srdi/incremental.h"
#include "srdi/txn.h"
#include "srdi/util.h"

typedef struct state_output {
    char *path;        /* relative to the output directory (owned) */
    uint64_t key;      /* hash of the inputs it was made from */
    uint64_t dev, ino; /* identity of the file written */
    int64_t size;
    int64_t sec, nsec; /* mtime */
} state_output;

typedef struct state_named {
    char *name; /* "params" or a table id (owned) */
    uint64_t h;
} state_named;

struct srdi_incr_state {
    state_output *out; /* outputs in first-recorded order */
    size_t nout, capout;
    state_named *inputs; /* "input" lines */
    size_t nin, capin;
    state_named *tables; /* "table" lines */
    size_t ntab, captab;
};

srdi_incr_state *srdi_incr_state_new(void)
{
    return calloc(1, sizeof(srdi_incr_state));
}

void srdi_incr_state_free(srdi_incr_state *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nout; i++) free(s->out[i].path);
    for (size_t i = 0; i < s->nin; i++) free(s->inputs[i].name);
    for (size_t i = 0; i < s->ntab; i++) free(s->tables[i].name);
    free(s->out);
    free(s->inputs);
    free(s->tables);
    free(s);
}

/* Set name = h in a named list (replacing an existing entry). */
static srdi_status named_set(state_named **arr, size_t *n, size_t *cap, const char *name, uint64_t h)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i].name, name) == 0) {
            (*arr)[i].h = h;
            return SRDI_OK;
        }
    if (srdi_grow((void **)arr, cap, *n + 1, sizeof **arr) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording the hash of %s", name);
    char *copy = srdi_strdup(name);
    if (!copy) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording the hash of %s", name);
    (*arr)[*n].name = copy;
    (*arr)[*n].h = h;
    (*n)++;
    return SRDI_OK;
}

static state_output *find_output(const srdi_incr_state *s, const char *rel)
{
    for (size_t i = 0; i < s->nout; i++)
        if (strcmp(s->out[i].path, rel) == 0) return &s->out[i];
    return NULL;
}

/* Drop output @p rel from the state (no-op when absent). */
static void forget_output(srdi_incr_state *s, const char *rel)
{
    state_output *o = find_output(s, rel);
    if (!o) return;
    size_t i = (size_t)(o - s->out);
    free(o->path);
    memmove(&s->out[i], &s->out[i + 1], (s->nout - i - 1) * sizeof *s->out);
    s->nout--;
}

/* Parse 16 hex digits at *p (advancing it); returns 0 or -1. */
static int parse_hex(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = (*p)[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v << 4 | (uint64_t)d;
    }
    *p += 16;
    *out = v;
    return 0;
}

/*
 * Parse a decimal number at *p ending with @p sep, into *u (unsigned) when
 * @p u is given, else into *i; *p advances past @p sep.  Returns 0 or -1.
 * Overflow shows in errno (strtoull / strtoll), left for the caller.
 */
static int parse_dec(const char **p, char sep, uint64_t *u, int64_t *i)
{
    char *end;
    if (u)
        *u = strtoull(*p, &end, 10);
    else
        *i = strtoll(*p, &end, 10);
    if (end == *p || *end != sep) return -1;
    *p = end + 1;
    return 0;
}

/* Parse one "output …" record body; returns 0 or -1 (malformed). */
static int parse_output(srdi_incr_state *s, const char *p)
{
    state_output o = {0};
    if (parse_hex(&p, &o.key) != 0 || *p++ != ' ') return -1;
    errno = 0;
    if (parse_dec(&p, ' ', &o.dev, NULL) != 0 || parse_dec(&p, ' ', &o.ino, NULL) != 0 ||
        parse_dec(&p, ' ', NULL, &o.size) != 0 || parse_dec(&p, '.', NULL, &o.sec) != 0 ||
        parse_dec(&p, ' ', NULL, &o.nsec) != 0 || errno)
        return -1;
    if (!*p) return -1;
    forget_output(s, p);
    if (srdi_grow((void **)&s->out, &s->capout, s->nout + 1, sizeof *s->out) != SRDI_OK) return -2;
    if (!(o.path = srdi_strdup(p))) return -2;
    s->out[s->nout++] = o;
    return 0;
}

/* Parse "NAME HASH" into a named list; returns 0, -1 (malformed) or -2 (OOM). */
static int parse_named(state_named **arr, size_t *n, size_t *cap, const char *p)
{
    const char *sp = strchr(p, ' ');
    if (!sp || sp == p || sp - p > 255) return -1;
    char name[256];
    memcpy(name, p, (size_t)(sp - p));
    name[sp - p] = 0;
    const char *q = sp + 1;
    uint64_t h;
    if (parse_hex(&q, &h) != 0 || *q) return -1;
    return named_set(arr, n, cap, name, h) == SRDI_OK ? 0 : -2;
}

srdi_status srdi_incr_state_load(const char *out_dir, srdi_incr_state **out)
{
    char path[4096];
    *out = NULL;
    int k = snprintf(path, sizeof path, "%s/%s", out_dir, SRDI_INCR_STATE_FILE);
    if (k < 0 || (size_t)k >= sizeof path) return srdi_error_set(SRDI_ERR_IO, "path too long: %s", out_dir);
    srdi_incr_state *s = srdi_incr_state_new();
    if (!s) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *out = s;
            return SRDI_OK;
        }
        srdi_incr_state_free(s);
        return srdi_error_set(SRDI_ERR_IO, "%s: %s", path, strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    bool header = false;
    int rc = 0;
    while (rc != -2 && (len = getline(&line, &cap, fp)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!header) {
            /* Another format version: start from nothing (everything re-renders). */
            if (strcmp(line, "srdi-state 1") != 0) break;
            header = true;
        } else if (strncmp(line, "output ", 7) == 0) {
            rc = parse_output(s, line + 7);
        } else if (strncmp(line, "input ", 6) == 0) {
            rc = parse_named(&s->inputs, &s->nin, &s->capin, line + 6);
        } else if (strncmp(line, "table ", 6) == 0) {
            rc = parse_named(&s->tables, &s->ntab, &s->captab, line + 6);
        }
    }
    bool failed = ferror(fp);
    free(line);
    fclose(fp);
    if (rc == -2) {
        srdi_incr_state_free(s);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    if (failed) {
        srdi_incr_state_free(s);
        return srdi_error_set(SRDI_ERR_IO, "%s: read failed", path);
    }
    *out = s;
    return SRDI_OK;
}

/* stat OUT/rel into an identity record; returns 0 or -1 (no such file). */
static int stat_output(const char *out_dir, const char *rel, state_output *o)
{
    char path[4096];
    struct stat sb;
    char staged[4300];
    int k = snprintf(path, sizeof path, "%s/%s", out_dir, rel);
    if (k < 0 || (size_t)k >= sizeof path) return -1;
    /* during a build the file just written is in the staging folder (srdi/txn.h) */
    if (stat(srdi_txn_where(path, staged, sizeof staged), &sb) != 0 || !S_ISREG(sb.st_mode)) return -1;
    o->dev = (uint64_t)sb.st_dev;
    o->ino = (uint64_t)sb.st_ino;
    o->size = (int64_t)sb.st_size;
    o->sec = (int64_t)sb.st_mtim.tv_sec;
    o->nsec = (int64_t)sb.st_mtim.tv_nsec;
    return 0;
}

bool srdi_incr_state_fresh(const srdi_incr_state *s, const char *out_dir, const char *rel, uint64_t key)
{
    const state_output *o = s ? find_output(s, rel) : NULL;
    state_output now;
    if (!o || o->key != key || stat_output(out_dir, rel, &now) != 0) return false;
    return now.dev == o->dev && now.ino == o->ino && now.size == o->size && now.sec == o->sec && now.nsec == o->nsec;
}

srdi_status srdi_incr_state_record(srdi_incr_state *s, const char *out_dir, const char *rel, uint64_t key)
{
    state_output now = {0};
    if (strchr(rel, '\n') || strchr(rel, '\r')) return SRDI_OK; /* cannot be recorded: re-rendered */
    if (stat_output(out_dir, rel, &now) != 0) {
        forget_output(s, rel);
        return SRDI_OK;
    }
    state_output *o = find_output(s, rel);
    if (!o) {
        if (srdi_grow((void **)&s->out, &s->capout, s->nout + 1, sizeof *s->out) != SRDI_OK ||
            !(now.path = srdi_strdup(rel)))
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording output %s", rel);
        o = &s->out[s->nout++];
    } else {
        now.path = o->path;
    }
    now.key = key;
    *o = now;
    return SRDI_OK;
}

srdi_status srdi_incr_state_set_input(srdi_incr_state *s, const char *name, uint64_t h)
{
    return named_set(&s->inputs, &s->nin, &s->capin, name, h);
}

bool srdi_incr_state_input(const srdi_incr_state *s, const char *name, uint64_t *h)
{
    for (size_t i = 0; s && i < s->nin; i++)
        if (strcmp(s->inputs[i].name, name) == 0) {
            *h = s->inputs[i].h;
            return true;
        }
    return false;
}

srdi_status srdi_incr_state_set_tables(srdi_incr_state *s, const srdi_tableset *ts)
{
    for (size_t i = 0; i < s->ntab; i++) free(s->tables[i].name);
    s->ntab = 0;
    for (size_t i = 0; ts && i < ts->n; i++) {
        srdi_status st =
            named_set(&s->tables, &s->ntab, &s->captab, ts->tables[i]->id, srdi_incr_table_hash(ts->tables[i]));
        if (st != SRDI_OK) return st;
    }
    return SRDI_OK;
}

bool srdi_incr_state_table(const srdi_incr_state *s, const char *id, uint64_t *h)
{
    for (size_t i = 0; s && i < s->ntab; i++)
        if (strcmp(s->tables[i].name, id) == 0) {
            *h = s->tables[i].h;
            return true;
        }
    return false;
}

srdi_status srdi_incr_state_save(const srdi_incr_state *s, const char *out_dir)
{
    char path[4096], hex[17];
    int k = snprintf(path, sizeof path, "%s/%s", out_dir, SRDI_INCR_STATE_FILE);
    if (k < 0 || (size_t)k >= sizeof path) return srdi_error_set(SRDI_ERR_IO, "path too long: %s", out_dir);
    srdi_atomic a = {0};
    srdi_status st = srdi_atomic_open(&a, path);
    if (st != SRDI_OK) return st;
    fputs("srdi-state 1\n", a.fp);
    for (size_t i = 0; i < s->nin; i++) {
        srdi_incr_hex(s->inputs[i].h, hex);
        fprintf(a.fp, "input %s %s\n", s->inputs[i].name, hex);
    }
    for (size_t i = 0; i < s->ntab; i++) {
        srdi_incr_hex(s->tables[i].h, hex);
        fprintf(a.fp, "table %s %s\n", s->tables[i].name, hex);
    }
    for (size_t i = 0; i < s->nout; i++) {
        const state_output *o = &s->out[i];
        srdi_incr_hex(o->key, hex);
        fprintf(a.fp, "output %s %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64 ".%09" PRId64 " %s\n", hex, o->dev,
                o->ino, o->size, o->sec, o->nsec, o->path);
    }
    if (ferror(a.fp)) {
        st = srdi_error_set(SRDI_ERR_IO, "%s: write failed: %s", path, strerror(errno));
        srdi_atomic_abort(&a);
        return st;
    }
    return srdi_atomic_commit(&a);
}
