/*
 * params.c — params.ini loaded with inih into an ordered list of
 * section / key / value entries.
 */
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/params.h"
#include "srdi/util.h"

typedef struct entry { char *section, *key, *value; } entry;

struct srdi_params {
    entry *e;      /* in file order (replacements keep their place) */
    int    n, cap;
};

srdi_params *srdi_params_new(void)
{
    return calloc(1, sizeof(srdi_params));
}

void srdi_params_free(srdi_params *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) {
        free(p->e[i].section);
        free(p->e[i].key);
        free(p->e[i].value);
    }
    free(p->e);
    free(p);
}

static entry *find(const srdi_params *p, const char *section, const char *key)
{
    if (!p) return NULL;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->e[i].section, section) == 0 && strcmp(p->e[i].key, key) == 0)
            return &p->e[i];
    return NULL;
}

srdi_status srdi_params_set(srdi_params *p, const char *section, const char *key, const char *value)
{
    entry *e = find(p, section, key);
    if (e) {
        char *v = srdi_strdup(value);
        if (!v) return SRDI_ERR_NOMEM;
        free(e->value);
        e->value = v;
        return SRDI_OK;
    }
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 32;
        entry *ne = realloc(p->e, (size_t)cap * sizeof *ne);
        if (!ne) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        p->e = ne;
        p->cap = cap;
    }
    entry n = {srdi_strdup(section), srdi_strdup(key), srdi_strdup(value)};
    if (!n.section || !n.key || !n.value) {
        free(n.section); free(n.key); free(n.value);
        return SRDI_ERR_NOMEM;
    }
    p->e[p->n++] = n;
    return SRDI_OK;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    return srdi_params_set(user, section, name, value) == SRDI_OK;
}

srdi_status srdi_params_load(const char *path, srdi_params **out)
{
    srdi_params *p = srdi_params_new();
    if (!p) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    int rc = ini_parse(path, on_entry, p);
    if (rc != 0) {
        srdi_params_free(p);
        if (rc < 0) return srdi_error_set(SRDI_ERR_IO, "%s: cannot open parameter file", path);
        return srdi_error_set(SRDI_ERR_PARAM, "%s:%d: syntax error in parameter file", path, rc);
    }
    *out = p;
    return SRDI_OK;
}

double srdi_params_num(const srdi_params *p, const char *section, const char *key, double def)
{
    entry *e = find(p, section, key);
    if (!e) return def;
    char *end;
    double v = strtod(e->value, &end);
    while (*end == ' ' || *end == '\t') end++;
    if (end == e->value || *end != 0 || !isfinite(v)) {
        fprintf(stderr, "warning: params.ini [%s] %s = '%s' is not a number; using %g\n",
                section, key, e->value, def);
        return def;
    }
    return v;
}

const char *srdi_params_str(const srdi_params *p, const char *section, const char *key, const char *def)
{
    entry *e = find(p, section, key);
    return e ? e->value : def;
}

int srdi_params_count(const srdi_params *p) { return p ? p->n : 0; }

void srdi_params_entry(const srdi_params *p, int i, const char **section, const char **key, const char **value)
{
    *section = p->e[i].section;
    *key = p->e[i].key;
    *value = p->e[i].value;
}
