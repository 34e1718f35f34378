/*
 * tests/test_ingest_fixture.h — what the ingest tests (tests/test_ingest_*.c)
 * share: reading a data folder with the bundled reference data, its
 * rejects.csv, and the comparison of two datasets that must be equal (the
 * same data as CSV and as workbooks, in two encodings, with 1 … 16 threads).
 * Everything here is static inline: a test uses what it needs.
 */
#ifndef TEST_INGEST_FIXTURE_H
#define TEST_INGEST_FIXTURE_H

#include <stdio.h>
#include <string.h>
#include "srdi/ingest.h"
#include "testutil.h"

/*
 * srdi_ingest on @p data_dir with the bundled reference data, quietly, with
 * @p threads parse threads and worksheet @p sheet (NULL = the first);
 * rejects.csv goes into @p rejects_dir, or into the data folder when NULL.
 * *out receives the dataset (NULL on failure); *errs the row errors (may be
 * NULL).  Returns the status; the message is left in srdi_error_message().
 */
static inline srdi_status fx_ingest(const char *data_dir, const char *rejects_dir, int threads, const char *sheet,
                                    srdi_dataset **out, long long *errs)
{
    char dir[4096], rpath[4200];
    *out = NULL;
    snprintf(dir, sizeof dir, "%s", data_dir); /* testutil_src's buffer is reused below */
    snprintf(rpath, sizeof rpath, "%s/rejects.csv", rejects_dir ? rejects_dir : dir);
    srdi_reference *ref = NULL;
    srdi_status st = srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref);
    if (st != SRDI_OK) return st;
    srdi_ingest_opts o = {.data_dir = dir, .rejects_path = rpath, .quiet = true, .threads = threads, .sheet = sheet};
    return srdi_ingest(&o, ref, out, errs);
}

/* The rejects.csv of data folder @p dir (caller frees), NULL when there is none. */
static inline char *fx_rejects(const char *dir)
{
    char rpath[4200];
    snprintf(rpath, sizeof rpath, "%s/rejects.csv", dir);
    return testutil_read_file(rpath, NULL);
}

/* Check that the patent aggregates of @p a and @p b are equal: facts, keys, maximum years. */
static inline void fx_same_patents(const srdi_dataset *a, const srdi_dataset *b)
{
    const srdi_patents *p = &a->patents, *q = &b->patents;
    CHECK_INT(p->n_facts, q->n_facts);
    CHECK_INT(p->max_app_year, q->max_app_year);
    CHECK_INT(p->max_grant_year, q->max_grant_year);
    CHECK_INT(p->max_pub_year, q->max_pub_year);
    CHECK_INT(srdi_strpool_count(p->keys), srdi_strpool_count(q->keys));
    for (uint32_t i = 0; i < srdi_strpool_count(p->keys) && i < srdi_strpool_count(q->keys); i++)
        CHECK_STR(srdi_strpool_get(p->keys, i), srdi_strpool_get(q->keys, i));
    int bad = 0;
    for (size_t i = 0; i < p->n_facts && i < q->n_facts; i++) {
        const srdi_pfact *x = &p->facts[i], *y = &q->facts[i];
        if (x->ent != y->ent || x->year != y->year || x->kind != y->kind || x->key != y->key || x->count != y->count)
            bad++;
    }
    CHECK_INT(bad, 0);
}

/*
 * Check that datasets @p a and @p b hold the same data: every enterprise row
 * (id, name, level, province, city, industry, tech evaluation, every numeric
 * field with its presence), every financials row, the patent aggregates
 * (fx_same_patents) and the per-file read / accepted / rejected
 * counts.  Each difference is a failed CHECK.
 */
static inline void fx_same_dataset(const srdi_dataset *a, const srdi_dataset *b)
{
    CHECK_INT(a->n, b->n);
    int bad = 0;
    for (size_t i = 0; i < a->n && i < b->n; i++) {
        if (strcmp(a->id[i], b->id[i]) || strcmp(a->name[i], b->name[i]) || a->level[i] != b->level[i] ||
            a->province[i] != b->province[i] || strcmp(a->industry[i], b->industry[i]) ||
            a->tech_eval[i] != b->tech_eval[i] ||
            strcmp(srdi_strpool_get(a->cities, a->city[i]), srdi_strpool_get(b->cities, b->city[i]))) {
            bad++;
            continue;
        }
        for (int f = 0; f < SRDI_F_COUNT; f++) {
            double u = 0, v = 0;
            int hu = srdi_get(a, (srdi_field)f, i, &u), hv = srdi_get(b, (srdi_field)f, i, &v);
            if (hu != hv || (hu && u != v)) bad++;
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(a->n_fin, b->n_fin);
    bad = 0;
    for (size_t i = 0; i < a->n_fin && i < b->n_fin; i++)
        if (a->fin_ent[i] != b->fin_ent[i] || a->fin_year[i] != b->fin_year[i] ||
            a->fin_revenue.present[i] != b->fin_revenue.present[i] || a->fin_rd.present[i] != b->fin_rd.present[i] ||
            (a->fin_revenue.present[i] && a->fin_revenue.v[i] != b->fin_revenue.v[i]) ||
            (a->fin_rd.present[i] && a->fin_rd.v[i] != b->fin_rd.v[i]))
            bad++;
    CHECK_INT(bad, 0);
    fx_same_patents(a, b);
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        CHECK_INT(a->files[f].read, b->files[f].read);
        CHECK_INT(a->files[f].accepted, b->files[f].accepted);
        CHECK_INT(a->files[f].rejected, b->files[f].rejected);
    }
}

/* A dataset read from a test folder and its rejects.csv (both NULL on failure). */
typedef struct fx_result {
    srdi_dataset *d;
    char *rejects;
} fx_result;

/*
 * Write @p ent (@p ent_n bytes) and @p pat (@p pat_n bytes) as enterprises.csv
 * and patents.csv into testutil_tmpdir(@p name) and read the folder with
 * @p threads parse threads (fx_ingest).  A failure is printed with @p name and
 * gives a result of NULLs.
 */
static inline fx_result fx_load(const char *name, const char *ent, size_t ent_n, const char *pat, size_t pat_n,
                                int threads)
{
    fx_result r = {NULL, NULL};
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s", testutil_tmpdir(name));
    snprintf(path, sizeof path, "%s/enterprises.csv", dir);
    testutil_write_file(path, ent, ent_n);
    snprintf(path, sizeof path, "%s/patents.csv", dir);
    testutil_write_file(path, pat, pat_n);
    long long errs = 0;
    if (fx_ingest(dir, NULL, threads, NULL, &r.d, &errs) != SRDI_OK) {
        fprintf(stderr, "%s (%d threads): %s\n", name, threads, srdi_error_message());
        srdi_dataset_free(r.d);
        r.d = NULL;
        return r;
    }
    r.rejects = fx_rejects(dir);
    return r;
}

#endif
