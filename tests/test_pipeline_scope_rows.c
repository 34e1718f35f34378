/*
 * tests/test_pipeline_scope_rows.c — a regional edition's tables visit the
 * region's rows only (srdi_tctx.next, .facts) and read the whole data set's
 * reference medians computed once (srdi_tables_shared): for every province
 * and every city of the bundled sample, the 35 tables are the same bytes
 * (tables.json) as over the bare mask, which tests every row.  The scope's
 * successor list holds exactly the mask's rows in order, its facts exactly
 * the facts of those rows.  Built on 4 threads (srdi_tables_compute_threads),
 * the tables of the nation and of a province are the same bytes as on one,
 * in registry order, also for a list of ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/dataset.h"
#include "srdi/editions.h"
#include "srdi/ingest.h"
#include "srdi/params.h"
#include "srdi/reference.h"
#include "srdi/table.h"
#include "srdi/tables.h"
#include "testutil.h"

/* tables.json of the tables over @p ctx built on @p threads (malloc'd text), NULL on failure */
static char *tables_json_on(const srdi_tctx *ctx, const char *only, int threads, const char *path)
{
    srdi_tableset *ts = NULL;
    if ((threads == 1 ? srdi_tables_compute(ctx, only, &ts)
                      : srdi_tables_compute_threads(ctx, only, threads, &ts)) != SRDI_OK) {
        fprintf(stderr, "tables: %s\n", srdi_error_message());
        return NULL;
    }
    srdi_status st = srdi_export_json(ts, path);
    srdi_tableset_free(ts);
    return st == SRDI_OK ? testutil_read_file(path, NULL) : NULL;
}

static char *tables_json(const srdi_tctx *ctx, const char *path)
{
    return tables_json_on(ctx, NULL, 1, path);
}

/* The same bytes on 1 and on 4 threads (all tables, then three ids out of order); the ids in registry order. */
static void check_threads(const srdi_tctx *ctx, const char *pa, const char *pb)
{
    char *a = tables_json_on(ctx, NULL, 1, pa), *b = tables_json_on(ctx, NULL, 4, pb);
    CHECK(a && b && strcmp(a, b) == 0);
    CHECK(a && strstr(a, "\"T01\"") && strstr(a, "\"T35\"") && strstr(a, "\"T01\"") < strstr(a, "\"T35\""));
    free(a);
    free(b);
    a = tables_json_on(ctx, "T35,T13,T02", 1, pa);
    b = tables_json_on(ctx, "T35,T13,T02", 4, pb);
    CHECK(a && b && strcmp(a, b) == 0);
    const char *t02 = a ? strstr(a, "\"T02\"") : NULL, *t13 = a ? strstr(a, "\"T13\"") : NULL,
               *t35 = a ? strstr(a, "\"T35\"") : NULL;
    CHECK(t02 && t13 && t35 && t02 < t13 && t13 < t35 && !strstr(a, "\"T01\""));
    free(a);
    free(b);
}

/* The successor list and the facts of @p s against its mask. */
static int lists_match(const srdi_dataset *d, const srdi_scope *s)
{
    size_t i = s->next[d->n], seen = 0;
    for (size_t r = 0; r < d->n; r++) {
        if (!s->mask[r]) continue;
        if (i != r) return 0;
        i = s->next[i];
        seen++;
    }
    if (i != d->n || seen == 0) return 0;
    size_t k = 0;
    for (size_t j = 0; j < d->patents.n_facts; j++) {
        const srdi_pfact *f = &d->patents.facts[j];
        if (!s->mask[f->ent]) continue;
        if (k >= s->n_facts || memcmp(f, &s->facts[k], sizeof *f) != 0) return 0;
        k++;
    }
    return k == s->n_facts;
}

int main(void)
{
    srdi_reference *ref = NULL;
    srdi_dataset *d = NULL;
    char rpath[4200], pa[4200], pb[4200];
    const char *dir = testutil_tmpdir("test_pipeline_scope_rows");
    snprintf(rpath, sizeof rpath, "%s/rejects.csv", dir);
    snprintf(pa, sizeof pa, "%s/a.json", dir);
    snprintf(pb, sizeof pb, "%s/b.json", dir);
    CHECK(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) == SRDI_OK);
    srdi_ingest_opts o = {.data_dir = testutil_src("samples"), .rejects_path = rpath, .quiet = true};
    long long errs = 0;
    CHECK(ref && srdi_ingest(&o, ref, &d, &errs) == SRDI_OK);
    if (!d) {
        srdi_reference_free(ref);
        return testutil_finish();
    }
    CHECK(d->has_patents && d->patents.n_facts > 0);
    srdi_params *p = srdi_params_new();
    srdi_tables_shared *sh = NULL;
    CHECK(srdi_tables_shared_new(d, &sh) == SRDI_OK);
    srdi_tctx whole = {.d = d, .params = p};
    check_threads(&whole, pa, pb);

    /* the regions with enterprises: provinces, then (province, city) pairs */
    size_t np = ref->n_provinces, nprov = 0, ncity = 0, same = 0, lists = 0;
    uint32_t nc = srdi_strpool_count(d->cities);
    uint8_t *seen = calloc((size_t)nc + 1, 1);
    for (size_t prov = 0; prov < np; prov++) {
        memset(seen, 0, (size_t)nc + 1);
        for (size_t i = 0; i <= d->n; i++) {
            /* i == d->n: the province itself, once its cities are done */
            if (i < d->n && (d->province[i] != prov || d->level[i] == SRDI_LEVEL_CHAMPION || seen[d->city[i]]))
                continue;
            if (i == d->n && !memchr(seen, 1, (size_t)nc + 1)) break; /* no enterprise in the province */
            srdi_scope s;
            srdi_scope_kind kind = i < d->n ? SRDI_SCOPE_CITY : SRDI_SCOPE_PROVINCE;
            if (i < d->n) seen[d->city[i]] = 1;
            if (srdi_scope_region(d, kind, (int)prov, i < d->n ? d->city[i] : 0, &s) != SRDI_OK) {
                CHECK(0);
                continue;
            }
            s.shared = sh;
            srdi_tctx bare = {.d = d, .scope = s.mask, .params = p};
            srdi_tctx rows = {d, s.mask, p, s.next, s.facts, s.n_facts, s.shared, NULL};
            char *a = tables_json(&bare, pa), *b = tables_json(&rows, pb);
            if (prov == 0 && kind == SRDI_SCOPE_PROVINCE) check_threads(&rows, pa, pb);
            if (a && b && strcmp(a, b) == 0)
                same++;
            else
                fprintf(stderr, "tables differ: %s\n", s.name);
            lists += lists_match(d, &s);
            nprov += kind == SRDI_SCOPE_PROVINCE;
            ncity += kind == SRDI_SCOPE_CITY;
            free(a);
            free(b);
            srdi_scope_free(&s);
        }
    }
    /* the sample: 31 provinces and 168 cities with enterprises */
    CHECK(nprov == 31);
    CHECK(ncity == 168);
    CHECK(same == nprov + ncity);
    CHECK(lists == nprov + ncity);
    free(seen);
    srdi_tables_shared_free(sh);
    srdi_params_free(p);
    srdi_dataset_free(d); /* and the reference it was built against */
    return testutil_finish();
}
