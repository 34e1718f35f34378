/*
 * params.c — params.ini loaded into an ordered list of section / key /
 * value entries, then checked against the schema below: every section and
 * key must be known (an unknown one is an error naming file:line and the
 * nearest valid name), every value must have its type and lie in its range,
 * and the cross-key rules hold (bands strictly increasing, weights with a
 * positive sum, a usable type area).
 *
 * The INI dialect: "[section]" lines, "key = value" lines, comments from
 * ';' or '#' at the start of a line and from " ;" inside a line, an
 * optional UTF-8 byte-order mark.  Lines may be of any length.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/params.h"
#include "srdi/util.h"
#include "srdi/log.h"

typedef struct entry {
    char *section;   /* "section\0key\0": the name, one allocation */
    const char *key; /* inside section's allocation */
    char *value;     /* its own allocation (srdi_params_set replaces it) */
    int line, secline;
} entry;

struct srdi_params {
    entry *e;   /* in file order (replacements keep their place) */
    int n;      /* entries used */
    size_t cap; /* entries allocated (srdi_grow) */
};

srdi_params *srdi_params_new(void)
{
    return calloc(1, sizeof(srdi_params));
}

/* Free the strings of @p e (the name holds the key). */
static void entry_free(entry *e)
{
    free(e->section);
    free(e->value);
}

void srdi_params_free(srdi_params *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) entry_free(&p->e[i]);
    free(p->e);
    free(p);
}

static entry *find(const srdi_params *p, const char *section, const char *key)
{
    if (!p) return NULL;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->e[i].section, section) == 0 && strcmp(p->e[i].key, key) == 0) return &p->e[i];
    return NULL;
}

srdi_status srdi_params_set(srdi_params *p, const char *section, const char *key, const char *value)
{
    entry *e = find(p, section, key);
    if (e) {
        char *v = srdi_strdup(value);
        if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory setting [%s] %s", section, key);
        free(e->value);
        e->value = v;
        return SRDI_OK;
    }
    size_t ls = strlen(section) + 1, lk = strlen(key) + 1;
    entry n = {malloc(ls + lk), NULL, srdi_strdup(value), 0, 0};
    if (n.section) {
        memcpy(n.section, section, ls);
        memcpy(n.section + ls, key, lk);
        n.key = n.section + ls;
    }
    if (!n.section || !n.value || srdi_grow((void **)&p->e, &p->cap, (size_t)p->n + 1, sizeof *p->e) != SRDI_OK) {
        entry_free(&n);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory setting [%s] %s", section, key);
    }
    p->e[p->n++] = n;
    return SRDI_OK;
}

/* ------------------------------------------------------------------ schema */

typedef enum { PT_NUM, PT_INT, PT_STR } ptype;

/*
 * Every parameter the program reads.  Ranges are closed [lo, hi] unless
 * lo_open (lo, hi].  Add a row here when code starts reading a new key.
 */
typedef struct pspec {
    const char *sec, *key;
    ptype type;
    double lo, hi; /* the range of a number */
    int lo_open;   /* 1: the range is (lo, hi] */
    double def;    /* the default (docs/tables.md) */
} pspec;

#define INF HUGE_VAL
/* The ranges keys share, as lo, hi, lo_open ([lo, hi], or (lo, hi] when lo_open); TEXT: a string key. */
#define ANY          -INF, INF, 0
#define NONNEG       0, INF, 0
#define POSITIVE     0, INF, 1
#define FRACTION     0, 1, 0
#define PERCENT      0, 100, 0
#define PERCENT_OPEN 0, 100, 1
#define AT_LEAST_1   1, INF, 0
#define TOP_N        1, 1000, 0
#define YEARS        1, 50, 0
#define LAG          0, 20, 0
#define DECIMALS     0, 6, 0
#define PAGE_PT      144, 14400, 0 /* 2 in to 200 in */
#define FONT_PT      6, 24, 0
#define SPACING      1, 3, 0
#define TEXT         PT_STR, 0, 0, 0, 0
static const pspec SCHEMA[] = {
    {"t02", "capital_threshold", PT_NUM, NONNEG, 10000},
    {"t03", "band_1", PT_INT, AT_LEAST_1, 50},
    {"t03", "band_2", PT_INT, AT_LEAST_1, 100},
    {"t03", "band_3", PT_INT, AT_LEAST_1, 200},
    {"t03", "band_4", PT_INT, AT_LEAST_1, 500},
    {"t03", "band_5", PT_INT, AT_LEAST_1, 1000},
    {"t10", "rd_min", PT_NUM, ANY, 0},
    {"t10", "rd_max", PT_NUM, ANY, 0.30},
    {"t11", "rd_min", PT_NUM, ANY, 0},
    {"t11", "rd_max", PT_NUM, ANY, 0.30},
    {"t12", "staff_threshold", PT_NUM, NONNEG, 100},
    {"t12", "patents_threshold", PT_NUM, NONNEG, 50},
    {"t13", "top_n_documents", PT_INT, TOP_N, 10},
    {"t15", "top_n", PT_INT, TOP_N, 10},
    {"t16", "top_n_documents", PT_INT, TOP_N, 20},
    {"t17", "top_n_documents", PT_INT, TOP_N, 12},
    {"t18", "top_decile_pct", PT_NUM, PERCENT_OPEN, 90},
    {"t18", "high_share_factor", PT_NUM, POSITIVE, 1.5},
    {"t19", "min_count", PT_NUM, NONNEG, 300},
    {"t19", "min_national_share", PT_NUM, FRACTION, 0.15},
    {"t21", "label_very_high", PT_NUM, POSITIVE, 4},
    {"t21", "label_high", PT_NUM, POSITIVE, 2.5},
    {"t22", "band_high", PT_NUM, ANY, 0.25},
    {"t22", "band_mid", PT_NUM, ANY, 0.15},
    {"t24", "w_tech", PT_NUM, NONNEG, 25},
    {"t24", "w_quality", PT_NUM, NONNEG, 30},
    {"t24", "w_scale", PT_NUM, NONNEG, 15},
    {"t24", "w_capital", PT_NUM, NONNEG, 20},
    {"t24", "w_digital", PT_NUM, NONNEG, 10},
    {"t24", "cap", PT_NUM, POSITIVE, 100},
    {"t24", "rd_high", PT_NUM, ANY, 0.25},
    {"t24", "rd_mid", PT_NUM, ANY, 0.15},
    {"scores", "type_high", PT_NUM, NONNEG, 80},
    {"scores", "type_mid", PT_NUM, NONNEG, 60},
    {"scores", "band_high", PT_NUM, NONNEG, 85},
    {"scores", "band_mid", PT_NUM, NONNEG, 70},
    {"scores", "band_low", PT_NUM, NONNEG, 60},
    {"t27", "rate_cut", PT_NUM, FRACTION, 0.5},
    {"t27", "lift_cut", PT_NUM, NONNEG, 1.5},
    /* the 评价要素优先度矩阵 (chart M31, src/charts/priority.c): policy importance 0–100 */
    {"priority", "importance_cut", PT_NUM, PERCENT, 70},
    {"priority", "gap_cut", PT_NUM, PERCENT, 50},
    {"priority", "importance_invention_grants", PT_NUM, PERCENT, 95},
    {"priority", "importance_patents", PT_NUM, PERCENT, 85},
    {"priority", "importance_rd_ratio", PT_NUM, PERCENT, 85},
    {"priority", "importance_standards", PT_NUM, PERCENT, 80},
    {"priority", "importance_tech_center", PT_NUM, PERCENT, 70},
    {"priority", "importance_software", PT_NUM, PERCENT, 60},
    {"priority", "importance_staff", PT_NUM, PERCENT, 55},
    {"priority", "importance_capital", PT_NUM, PERCENT, 45},
    {"priority", "importance_champion", PT_NUM, PERCENT, 45},
    {"priority", "importance_high_tech", PT_NUM, PERCENT, 40},
    {"priority", "importance_cnas", PT_NUM, PERCENT, 35},
    {"t30", "years", PT_INT, YEARS, 3},
    {"t30", "top_n", PT_INT, TOP_N, 10},
    {"t31", "years", PT_INT, YEARS, 3},
    {"t32", "years", PT_INT, YEARS, 6},
    {"t33", "years", PT_INT, YEARS, 3},
    {"t33", "top_n", PT_INT, TOP_N, 10},
    {"t34", "years", PT_INT, YEARS, 6},
    {"t35", "years", PT_INT, YEARS, 3},
    {"report", "title", TEXT},
    {"report", "subtitle", TEXT},
    {"report", "organisation", TEXT},
    {"report", "edition", TEXT},
    {"report", "date", TEXT},
    {"report", "author", TEXT},
    {"report", "keywords", TEXT},
    /* source lines under tables and charts (src/report/annotate.c) */
    {"report", "source", TEXT},
    {"report", "source_financials", TEXT},
    {"report", "source_patents", TEXT},
    /* data-decided prose (docs/templates.md) */
    {"claims", "min_n", PT_INT, AT_LEAST_1, 30},
    {"claims", "trend_tolerance", PT_NUM, FRACTION, 0.05},
    {"claims", "eq_share_pp", PT_NUM, FRACTION, 0.005},
    {"claims", "high_rd", PT_NUM, FRACTION, 0.05},
    {"patents", "grant_lag", PT_INT, LAG, 2},
    {"patents", "publication_lag", PT_INT, LAG, 1},
    /* number rules: digits after the point per quantity (src/table, srdi_number_format) */
    {"numbers", "share_decimals", PT_INT, DECIMALS, 2},
    {"numbers", "ratio_decimals", PT_INT, DECIMALS, 3},
    {"numbers", "multiple_decimals", PT_INT, DECIMALS, 2},
    {"numbers", "pp_decimals", PT_INT, DECIMALS, 2},
    {"numbers", "score_decimals", PT_INT, DECIMALS, 1},
    {"numbers", "amount_decimals", PT_INT, DECIMALS, 0},
    {"numbers", "number_decimals", PT_INT, DECIMALS, 2},
    /* page geometry in points (72 pt to 200 in), margins in mm */
    {"layout", "page_width", PT_NUM, PAGE_PT, 595.276},
    {"layout", "page_height", PT_NUM, PAGE_PT, 841.89},
    {"layout", "margin_left_mm", PT_NUM, NONNEG, 25},
    {"layout", "margin_right_mm", PT_NUM, NONNEG, 25},
    {"layout", "margin_top_mm", PT_NUM, NONNEG, 28},
    {"layout", "margin_bottom_mm", PT_NUM, NONNEG, 25},
    {"layout", "body_size", PT_NUM, FONT_PT, 10.5},
    {"layout", "line_spacing", PT_NUM, SPACING, 1.6},
#define PATH_STAGE(k)                                                                                                  \
    {"path", "stage" #k "_name", TEXT}, {"path", "stage" #k "_sub", TEXT}, {"path", "stage" #k "_desc", TEXT},         \
    {                                                                                                                  \
        "path", "stage" #k "_goal", TEXT                                                                               \
    }
    PATH_STAGE(1),
    PATH_STAGE(2),
    PATH_STAGE(3),
    PATH_STAGE(4),
#undef PATH_STAGE
};
#define NSCHEMA (sizeof SCHEMA / sizeof SCHEMA[0])

static const pspec *spec_of(const char *sec, const char *key)
{
    for (size_t i = 0; i < NSCHEMA; i++)
        if (strcmp(SCHEMA[i].sec, sec) == 0 && strcmp(SCHEMA[i].key, key) == 0) return &SCHEMA[i];
    return NULL;
}

static bool section_known(const char *sec)
{
    for (size_t i = 0; i < NSCHEMA; i++)
        if (strcmp(SCHEMA[i].sec, sec) == 0) return true;
    return false;
}

/* Levenshtein distance of two short strings (bytes), capped at 99. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* Nearest section name (sec == NULL) or key of section @p sec to @p word. */
static const char *nearest(const char *sec, const char *word)
{
    const char *best = NULL;
    int bd = 1 << 30;
    for (size_t i = 0; i < NSCHEMA; i++) {
        const char *cand = sec ? SCHEMA[i].key : SCHEMA[i].sec;
        if (sec && strcmp(SCHEMA[i].sec, sec) != 0) continue;
        int dd = edit_distance(word, cand);
        if (dd < bd) {
            bd = dd;
            best = cand;
        }
    }
    return best;
}

/* Parse a finite number (integer when @p integer); false when malformed. */
static bool parse_num(const char *s, bool integer, double *out)
{
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != 0 || !isfinite(v) || errno == ERANGE) return false;
    if (integer && v != floor(v)) return false;
    *out = v;
    return true;
}

/* Effective number of sec.key: the file's value (validated already) or the schema default. */
static double eff(const srdi_params *p, const char *sec, const char *key, int *line)
{
    const entry *e = find(p, sec, key);
    const pspec *s = spec_of(sec, key);
    double v = s ? s->def : 0;
    *line = e ? e->line : 0;
    if (e) parse_num(e->value, false, &v);
    return v;
}

/* Line of whichever of two keys is in the file (the later one), for cross-key errors. */
static int line2(int a, int b)
{
    return a > b ? a : b;
}

/* @p hi_key must be strictly above @p lo_key (effective values). */
static srdi_status check_order(const srdi_params *p, const char *path, const char *sec, const char *hi_key,
                               const char *lo_key)
{
    int lh, ll;
    double h = eff(p, sec, hi_key, &lh), l = eff(p, sec, lo_key, &ll);
    if (h > l) return SRDI_OK;
    return srdi_error_set(SRDI_ERR_PARAM, "%s:%d: [%s] %s = %g must be greater than %s = %g", path, line2(lh, ll), sec,
                          hi_key, h, lo_key, l);
}

/*
 * One entry against the schema: a known section and key, and for numbers a
 * well-formed value inside the key's range.  SRDI_ERR_PARAM with
 * "path:line: …" otherwise.
 */
static srdi_status check_entry(const entry *e, const char *path)
{
    if (!section_known(e->section))
        return srdi_error_set(SRDI_ERR_PARAM, "%s:%d: unknown section [%s] (did you mean [%s]?)", path, e->secline,
                              e->section, nearest(NULL, e->section));
    const pspec *s = spec_of(e->section, e->key);
    if (!s) {
        const char *near = nearest(e->section, e->key);
        int dist = edit_distance(e->key, near), len = (int)strlen(e->key);
        if (dist <= 2 || dist * 3 <= len)
            return srdi_error_set(SRDI_ERR_PARAM, "%s:%d: unknown key '%s' in [%s] (did you mean '%s'?)", path, e->line,
                                  e->key, e->section, near);
        srdi_buf keys = {0};
        for (size_t k = 0; k < NSCHEMA; k++)
            if (strcmp(SCHEMA[k].sec, e->section) == 0)
                srdi_buf_printf(&keys, "%s%s", keys.len ? ", " : "", SCHEMA[k].key);
        srdi_status st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: unknown key '%s' in [%s] (valid keys: %s)", path,
                                        e->line, e->key, e->section, keys.data ? keys.data : "");
        srdi_buf_free(&keys);
        return st;
    }
    if (s->type == PT_STR) return SRDI_OK;
    double v;
    if (!parse_num(e->value, s->type == PT_INT, &v))
        return srdi_error_set(SRDI_ERR_PARAM, "%s:%d: [%s] %s = '%s' is not %s", path, e->line, e->section, e->key,
                              e->value, s->type == PT_INT ? "a whole number" : "a number");
    bool below = s->lo_open ? v <= s->lo : v < s->lo;
    if (below || v > s->hi) {
        char lo[32], hi[32];
        snprintf(lo, sizeof lo, "%g", s->lo);
        snprintf(hi, sizeof hi, "%g", s->hi);
        return srdi_error_set(SRDI_ERR_PARAM, "%s:%d: [%s] %s = %s is out of range %s%s, %s]", path, e->line,
                              e->section, e->key, e->value, s->lo_open ? "(" : "[", isinf(s->lo) ? "-inf" : lo,
                              isinf(s->hi) ? "inf" : hi);
    }
    return SRDI_OK;
}

/*
 * The type area along one page direction: page @p page_key minus margins
 * @p k1 and @p k2 must be at least half the page (@p dim names the
 * direction in the message).
 */
static srdi_status check_type_area(const srdi_params *p, const char *path, const char *page_key, const char *k1,
                                   const char *k2, const char *dim)
{
    const double mm = 72.0 / 25.4;
    int lp, l1, l2;
    double pg = eff(p, "layout", page_key, &lp), m1 = eff(p, "layout", k1, &l1), m2 = eff(p, "layout", k2, &l2);
    if (!(pg - (m1 + m2) * mm < pg / 2)) return SRDI_OK;
    return srdi_error_set(SRDI_ERR_PARAM,
                          "%s:%d: [layout] %s = %g and %s = %g leave %.1f mm of a "
                          "%.1f mm page %s; the type area must be at least half the page",
                          path,
                          m1 >= m2 && l1 ? l1
                          : l2           ? l2
                                         : line2(lp, l1),
                          k1, m1, k2, m2, pg / mm - m1 - m2, pg / mm, dim);
}

srdi_status srdi_params_validate(const srdi_params *p, const char *path)
{
    if (!p) return SRDI_OK;
    srdi_status st;
    for (int i = 0; i < p->n; i++)
        if ((st = check_entry(&p->e[i], path)) != SRDI_OK) return st;
    /* staff bands strictly increasing */
    static const char *const bands[] = {"band_1", "band_2", "band_3", "band_4", "band_5"};
    for (int k = 0; k + 1 < 5; k++)
        if ((st = check_order(p, path, "t03", bands[k + 1], bands[k])) != SRDI_OK) return st;
    static const char *const pairs[][3] = {
        {"t10", "rd_max", "rd_min"},
        {"t11", "rd_max", "rd_min"},
        {"t21", "label_very_high", "label_high"},
        {"t22", "band_high", "band_mid"},
        {"t24", "rd_high", "rd_mid"},
        {"scores", "type_high", "type_mid"},
        {"scores", "band_high", "band_mid"},
        {"scores", "band_mid", "band_low"},
    };
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
        if ((st = check_order(p, path, pairs[k][0], pairs[k][1], pairs[k][2])) != SRDI_OK) return st;
    /* score weights: non-negative (checked above) with a positive sum */
    static const char *const wkeys[] = {"w_tech", "w_quality", "w_scale", "w_capital", "w_digital"};
    double sum = 0;
    int wl = 0;
    for (int k = 0; k < 5; k++) {
        int l;
        sum += eff(p, "t24", wkeys[k], &l);
        wl = line2(wl, l);
    }
    if (!(sum > 0))
        return srdi_error_set(SRDI_ERR_PARAM,
                              "%s:%d: [t24] the weights w_tech … w_digital sum to %g; "
                              "their sum must be positive",
                              path, wl, sum);
    /* the type area: at least half the page in each direction */
    if ((st = check_type_area(p, path, "page_width", "margin_left_mm", "margin_right_mm", "width")) != SRDI_OK)
        return st;
    return check_type_area(p, path, "page_height", "margin_top_mm", "margin_bottom_mm", "height");
}

/* ------------------------------------------------------------------ parser */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

srdi_status srdi_params_parse(const char *path, const char *text, size_t len, srdi_params **out)
{
    srdi_params *p = srdi_params_new();
    if (!p) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    srdi_status st = SRDI_OK;
    char *buf = malloc(len + 1);
    if (!buf) {
        srdi_params_free(p);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    memcpy(buf, text, len);
    buf[len] = 0;
    char section[256] = "";
    int line = 0, secline = 0;
    char *s = buf;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
    if (memchr(buf, 0, len)) {
        int l = 1;
        for (const char *q = buf; *q; q++) l += *q == '\n';
        st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: NUL byte in the parameter file", path, l);
        goto done;
    }
    while (s && *s) {
        line++;
        char *nl = strchr(s, '\n');
        if (nl) *nl = 0;
        char *t = trim(s);
        s = nl ? nl + 1 : NULL;
        if (!*t || *t == ';' || *t == '#') continue;
        for (const unsigned char *c = (const unsigned char *)t; *c; c++)
            if (*c < 0x20 && *c != '\t') {
                st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: control character 0x%02X in the parameter file", path, line,
                                    *c);
                goto done;
            }
        if (*t == '[') {
            char *close = strchr(t, ']');
            char *rest = close ? trim(close + 1) : NULL;
            if (!close || (*rest && *rest != ';' && *rest != '#')) {
                st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: syntax error in parameter file", path, line);
                goto done;
            }
            *close = 0;
            char *name = trim(t + 1);
            if (!*name || strlen(name) >= sizeof section) {
                st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: syntax error in parameter file", path, line);
                goto done;
            }
            strcpy(section, name);
            secline = line;
            continue;
        }
        char *eq = strchr(t, '=');
        if (!eq) eq = strchr(t, ':');
        if (!eq || eq == t) {
            st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: syntax error in parameter file (expected key = value)", path,
                                line);
            goto done;
        }
        *eq = 0;
        char *key = trim(t), *val = eq + 1;
        /* inline comment: ';' after whitespace */
        for (char *c = val; *c; c++)
            if (*c == ';' && (c == val || c[-1] == ' ' || c[-1] == '\t')) {
                *c = 0;
                break;
            }
        val = trim(val);
        if (!section[0]) {
            st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: key '%s' outside any [section]", path, line, key);
            goto done;
        }
        if (find(p, section, key)) {
            st = srdi_error_set(SRDI_ERR_PARAM, "%s:%d: [%s] %s is set twice", path, line, section, key);
            goto done;
        }
        if ((st = srdi_params_set(p, section, key, val)) != SRDI_OK) goto done;
        p->e[p->n - 1].line = line;
        p->e[p->n - 1].secline = secline;
    }
    st = srdi_params_validate(p, path);
done:
    free(buf);
    if (st != SRDI_OK) {
        srdi_params_free(p);
        return st;
    }
    *out = p;
    return SRDI_OK;
}

srdi_status srdi_params_load(const char *path, srdi_params **out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return srdi_error_set(SRDI_ERR_IO, "%s: cannot open parameter file", path);
    srdi_buf b = {0};
    char chunk[8192];
    size_t got;
    srdi_status st = SRDI_OK;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        if ((st = srdi_buf_append(&b, chunk, got)) != SRDI_OK) break;
    if (st == SRDI_OK && ferror(fp)) st = srdi_error_set(SRDI_ERR_IO, "%s: cannot read parameter file", path);
    fclose(fp);
    if (st == SRDI_OK) st = srdi_params_parse(path, b.data ? b.data : "", b.len, out);
    srdi_buf_free(&b);
    return st;
}

double srdi_params_num(const srdi_params *p, const char *section, const char *key, double def)
{
    entry *e = find(p, section, key);
    if (!e) return def;
    char *end;
    double v = strtod(e->value, &end);
    while (*end == ' ' || *end == '\t') end++;
    if (end == e->value || *end != 0 || !isfinite(v)) {
        srdi_log_warn("params.ini [%s] %s = '%s' is not a number; using %g", section, key, e->value, def);
        return def;
    }
    return v;
}

const char *srdi_params_str(const srdi_params *p, const char *section, const char *key, const char *def)
{
    entry *e = find(p, section, key);
    return e ? e->value : def;
}

int srdi_params_count(const srdi_params *p)
{
    return p ? p->n : 0;
}

void srdi_params_entry(const srdi_params *p, int i, const char **section, const char **key, const char **value)
{
    *section = p->e[i].section;
    *key = p->e[i].key;
    *value = p->e[i].value;
}
