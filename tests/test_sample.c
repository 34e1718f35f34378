/*
 * tests/test_sample.c — the synthetic data generator: determinism per seed,
 * row counts, every row valid under docs/data.md's rules, patents.csv consistent
 * with each enterprise's counts, usage errors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/error.h"
#include "srdi/reference.h"
#include "srdi/sample.h"
#include "testutil.h"

#define MAXF 64

/* Split one CSV line (no embedded newlines in generated data) in place. */
static int split(char *line, char **f)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == MAXF) return -1;
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                *w++ = *p++;
            }
            if (*p == '"') p++;
            *w = '\0';
            if (*p == ',') {
                p++;
                continue;
            }
            break;
        }
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

/* Next line of a buffer (newline replaced by NUL), or NULL at the end. */
static char *next_line(char **cur)
{
    if (!*cur || !**cur) return NULL;
    char *s = *cur, *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        *cur = nl + 1;
    } else
        *cur = s + strlen(s);
    return s;
}

static int is_uint(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

static int is_unum(const char *s)
{
    if (!*s) return 0;
    char *e;
    double v = strtod(s, &e);
    return *e == '\0' && v >= 0;
}

static srdi_status gen(const srdi_reference *ref, const char *dir, long n, uint64_t seed)
{
    srdi_sample_opts o = {.n = n, .champions = 0, .seed = seed, .out_dir = dir, .patents = 1, .quiet = 1};
    return srdi_sample_generate(&o, ref);
}

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = testutil_read_file(a, &la), *y = testutil_read_file(b, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

typedef struct entc {
    char id[19];
    long apps, grants, rejected, utility, patents, foreign, pct;
    long seen_inv, seen_granted, seen_rejected, seen_util, seen_design, seen_foreign, seen_wo;
} entc;

static entc *find(entc *e, long n, const char *id)
{
    for (long i = 0; i < n; i++)
        if (strcmp(e[i].id, id) == 0) return &e[i];
    return NULL;
}

/*
 * Read DIR/@p name (a failed CHECK when it cannot be read): returns its text
 * (caller frees; NULL when unreadable), *cur the position after the header
 * line and *header that line (NULL when there is none).
 */
static char *csv_open(const char *dir, const char *name, char **cur, char **header)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *buf = testutil_read_file(path, &len);
    CHECK(buf != NULL);
    *cur = buf;
    *header = next_line(cur);
    return buf;
}

static void check_dataset(const srdi_reference *ref, const char *dir, long n_expected)
{
    char *cur, *line, *f[MAXF];
    char *buf = csv_open(dir, "enterprises.csv", &cur, &line);
    if (!buf) return;
    CHECK(split(line, f) == 43);
    CHECK_STR(f[0], "id");
    CHECK_STR(f[42], "tech_eval");
    entc *ents = calloc((size_t)n_expected + 1, sizeof *ents);
    long rows = 0, bad = 0, nat = 0, champ = 0, missing_cells = 0;
    while ((line = next_line(&cur)) != NULL) {
        int nf = split(line, f);
        if (nf != 43) {
            bad++;
            continue;
        }
        int ok = strlen(f[0]) == 18 && f[1][0] != '\0';
        ok = ok && (!strcmp(f[2], "national") || !strcmp(f[2], "provincial") || !strcmp(f[2], "champion"));
        ok = ok && srdi_reference_province(ref, f[3]) >= 0 && f[4][0] != '\0';
        const srdi_industry *ind = srdi_reference_industry(ref, f[5]);
        ok = ok && ind && ind->level == SRDI_IND_CLASS;
        for (int c = 6; c <= 41; c++) {
            if (f[c][0] == '\0') {
                missing_cells++;
                continue;
            }
            if (c == 6 || c == 33)
                ok = ok && is_unum(f[c]);
            else
                ok = ok && is_uint(f[c]);
            if (c >= 9 && c <= 18) ok = ok && (f[c][1] == '\0') && (f[c][0] == '0' || f[c][0] == '1');
        }
        /* required-for-consistency columns are never blank */
        for (int c = 19; c <= 27; c++) ok = ok && f[c][0] != '\0';
        ok = ok && f[7][0] != '\0';
        if (f[8][0]) ok = ok && strtol(f[8], NULL, 10) <= strtol(f[7], NULL, 10);
        if (!strcmp(f[2], "national")) {
            nat++;
            ok = ok && !strcmp(f[9], "1");
        }
        if (!strcmp(f[2], "champion")) champ++;
        ok = ok && (!f[42][0] || !strcmp(f[42], "intl_advanced") || !strcmp(f[42], "domestic_advanced") ||
                    !strcmp(f[42], "intl_level") || !strcmp(f[42], "domestic_level"));
        if (!ok) {
            bad++;
            if (bad < 4) fprintf(stderr, "bad enterprise row %ld\n", rows + 2);
        }
        if (rows < n_expected) {
            entc *e = &ents[rows];
            memcpy(e->id, f[0], 18);
            e->patents = strtol(f[23], NULL, 10);
            e->apps = strtol(f[24], NULL, 10);
            e->grants = strtol(f[25], NULL, 10);
            e->rejected = strtol(f[26], NULL, 10);
            e->utility = strtol(f[27], NULL, 10);
            e->pct = strtol(f[30], NULL, 10);
            e->foreign = strtol(f[31], NULL, 10);
            if (find(ents, rows, e->id)) bad++; /* ids unique */
        }
        rows++;
    }
    CHECK_INT(rows, n_expected);
    CHECK_INT(bad, 0);
    CHECK(nat > 0 && champ >= 30);
    CHECK(missing_cells > 0); /* some blanks exercise missing-value handling */
    free(buf);

    /* financials */
    buf = csv_open(dir, "financials.csv", &cur, &line);
    CHECK_STR(line, "id,year,revenue,rd_expense");
    long frows = 0;
    bad = 0;
    char prev_id[19] = "";
    long prev_year = 0;
    while ((line = next_line(&cur)) != NULL) {
        int nf = split(line, f);
        int ok = nf == 4 && find(ents, rows, f[0]) && is_uint(f[1]) && is_unum(f[2]) && is_unum(f[3]);
        long y = strtol(f[1], NULL, 10);
        ok = ok && y >= 2021 && y <= 2024;
        if (!strcmp(prev_id, f[0])) ok = ok && y > prev_year; /* (id, year) unique */
        snprintf(prev_id, sizeof prev_id, "%s", f[0]);
        prev_year = y;
        if (!ok) bad++;
        frows++;
    }
    CHECK(frows > 0);
    CHECK_INT(bad, 0);
    free(buf);

    /* patents: consistent with each enterprise's counts */
    buf = csv_open(dir, "patents.csv", &cur, &line);
    CHECK_STR(line, "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field");
    bad = 0;
    long prow = 0;
    entc *last = NULL;
    while ((line = next_line(&cur)) != NULL) {
        int nf = split(line, f);
        prow++;
        if (nf != 10) {
            bad++;
            continue;
        }
        entc *e = last && !strcmp(last->id, f[0]) ? last : find(ents, rows, f[0]);
        last = e;
        if (!e) {
            bad++;
            continue;
        }
        long app = strtol(f[4], NULL, 10);
        int ok = f[1][0] && app >= 2015 && app <= 2025 && strlen(f[3]) == 2;
        if (f[5][0]) ok = ok && strtol(f[5], NULL, 10) >= app;
        ok = ok && ((!strcmp(f[6], "granted")) == (f[7][0] != '\0'));
        if (!strcmp(f[2], "invention")) {
            e->seen_inv++;
            if (!strcmp(f[6], "granted")) e->seen_granted++;
            if (!strcmp(f[6], "rejected")) e->seen_rejected++;
            if (strcmp(f[3], "CN")) e->seen_foreign++;
            if (!strcmp(f[3], "WO")) e->seen_wo++;
            ok = ok && strlen(f[8]) >= 4;
        } else if (!strcmp(f[2], "utility") || !strcmp(f[2], "design")) {
            /* listed only when filed 2023–2025; no field */
            if (f[2][0] == 'u')
                e->seen_util++;
            else
                e->seen_design++;
            ok = ok && app >= 2023 && f[9][0] == '\0';
        } else
            ok = 0;
        if (!ok) bad++;
    }
    CHECK(prow > 0);
    CHECK_INT(bad, 0);
    /* every invention is listed; utility models and designs only when filed
     * 2023–2025, about a third of them (docs/calibration.md) */
    long incons = 0, util_all = 0, util_seen = 0, des_all = 0, des_seen = 0;
    for (long i = 0; i < rows && i < n_expected; i++) {
        entc *e = &ents[i];
        long inv = e->apps > e->grants + e->rejected ? e->apps : e->grants + e->rejected;
        long design = e->patents - e->apps - e->utility;
        if (e->seen_inv != inv || e->seen_granted != e->grants || e->seen_rejected != e->rejected ||
            e->seen_util > e->utility || e->seen_design > design || design < 0 || e->seen_foreign != e->foreign ||
            e->seen_wo != e->pct) {
            if (incons++ < 3) fprintf(stderr, "patents of %s inconsistent\n", e->id);
        }
        util_all += e->utility;
        util_seen += e->seen_util;
        des_all += design;
        des_seen += e->seen_design;
    }
    CHECK_INT(incons, 0);
    CHECK(util_all > 0 && des_all > 0);
    double uf = (double)util_seen / (double)util_all, df = (double)des_seen / (double)des_all;
    if (!(uf > 0.28 && uf < 0.38 && df > 0.25 && df < 0.41))
        fprintf(stderr, "listed share: utility %.3f, design %.3f\n", uf, df);
    CHECK(uf > 0.28 && uf < 0.38);
    CHECK(df > 0.25 && df < 0.41);
    free(buf);
    free(ents);
}

int main(void)
{
    srdi_reference *ref = NULL;
    if (srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) != SRDI_OK) {
        fprintf(stderr, "reference: %s\n", srdi_error_message());
        CHECK(0);
        return testutil_finish();
    }
    char a[512], b[512], c[512], p1[600], p2[600];
    snprintf(a, sizeof a, "%s", testutil_tmpdir("sample_a"));
    snprintf(b, sizeof b, "%s", testutil_tmpdir("sample_b"));
    snprintf(c, sizeof c, "%s", testutil_tmpdir("sample_c"));

    /* determinism: same seed → identical bytes; another seed → different */
    CHECK_INT(gen(ref, a, 2000, 7), SRDI_OK);
    CHECK_INT(gen(ref, b, 2000, 7), SRDI_OK);
    CHECK_INT(gen(ref, c, 2000, 8), SRDI_OK);
    static const char *const files[3] = {"enterprises.csv", "financials.csv", "patents.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(p1, sizeof p1, "%s/%s", a, files[i]);
        snprintf(p2, sizeof p2, "%s/%s", b, files[i]);
        CHECK(same_file(p1, p2));
        snprintf(p2, sizeof p2, "%s/%s", c, files[i]);
        CHECK(!same_file(p1, p2));
    }
    snprintf(p1, sizeof p1, "%s/SYNTHETIC.txt", a);
    size_t len;
    char *syn = testutil_read_file(p1, &len);
    CHECK(syn && strstr(syn, "SYNTHETIC DATA") != NULL);
    free(syn);

    /* 2000 enterprises + max(30, round(2000 × 1500 / 167372)) = 30 champions */
    check_dataset(ref, a, 2030);

    /* usage errors */
    srdi_sample_opts o = {.n = 0, .seed = 1, .out_dir = a, .patents = 1, .quiet = 1};
    CHECK_INT(srdi_sample_generate(&o, ref), SRDI_ERR_USAGE);
    CHECK_STR(srdi_error_message(), "sample: --n must be between 1 and 50000000, got 0");
    o.n = 10;
    o.out_dir = NULL;
    CHECK_INT(srdi_sample_generate(&o, ref), SRDI_ERR_USAGE);
    CHECK_STR(srdi_error_message(), "sample: an output directory is required");

    /* an explicit champion count is honoured */
    o.out_dir = c;
    o.n = 50;
    o.champions = 5;
    o.patents = 0;
    CHECK_INT(srdi_sample_generate(&o, ref), SRDI_OK);
    snprintf(p1, sizeof p1, "%s/enterprises.csv", c);
    char *ent = testutil_read_file(p1, &len);
    long lines = 0;
    for (size_t i = 0; ent && i < len; i++) lines += ent[i] == '\n';
    CHECK_INT(lines, 1 + 55);
    free(ent);

    /* compact mode (bundled samples/): national-level invention rows only */
    o.n = 400;
    o.champions = 0;
    o.patents = 2;
    o.seed = 3;
    o.out_dir = b;
    CHECK_INT(srdi_sample_generate(&o, ref), SRDI_OK);
    snprintf(p1, sizeof p1, "%s/enterprises.csv", b);
    ent = testutil_read_file(p1, &len);
    snprintf(p2, sizeof p2, "%s/patents.csv", b);
    char *pat = testutil_read_file(p2, &len);
    long prows = 0, wrong = 0;
    long expect_rows = 0;
    char *cur = ent, *line, *f[MAXF];
    next_line(&cur);
    while ((line = next_line(&cur)) != NULL)
        if (split(line, f) == 43 && !strcmp(f[2], "national")) {
            long apps = strtol(f[24], NULL, 10), gr = strtol(f[25], NULL, 10) + strtol(f[26], NULL, 10);
            expect_rows += apps > gr ? apps : gr;
        }
    free(ent);
    ent = testutil_read_file(p1, &len);
    cur = pat;
    next_line(&cur);
    while ((line = next_line(&cur)) != NULL) {
        prows++;
        if (split(line, f) != 10 || strcmp(f[2], "invention")) {
            wrong++;
            continue;
        }
        char needle[40];
        snprintf(needle, sizeof needle, "%s,", f[0]);
        char *hit = ent ? strstr(ent, needle) : NULL;
        if (!hit || strncmp(strchr(strchr(hit, ',') + 1, ',') + 1, "national,", 9) != 0) wrong++;
    }
    CHECK(prows > 0);
    CHECK_INT(prows, expect_rows);
    CHECK_INT(wrong, 0);
    free(ent);
    free(pat);

    srdi_reference_free(ref);
    return testutil_finish();
}
