/*
 * tests/test_ingest_pfacts.c — the patent fact accumulator and sort of the
 * ingest (src/ingest/pfacts.c) against a plain reference: every fact
 * counted in a dense array, read back in (kind, year, key, ent) order.
 * Covers rows grouped by enterprise, rows interleaved (enterprises coming
 * back: the buckets are added up in place), keys that do not pack into the
 * radix key (id ≥ 2^21 − 1: the qsort path), "no key" (UINT32_MAX, last
 * in its year), a finish on top of facts of an earlier finish, and two
 * readers collected together with their keys renumbered, the first sealed
 * (srdi_pfacc_seal) halfway through its rows and continued, and the size
 * of a sealed array in the arena (12 bytes a fact).
 */
#include "testutil.h"
#include "../src/ingest/ingest_private.h"

#include <stdatomic.h>
#include <stdlib.h>

#define NENT  40
#define NYEAR 6
#define NKEY  5 /* key ids 0..3 and "no key" */

static uint32_t key_of(int k, uint32_t big)
{
    return k == NKEY - 1 ? UINT32_MAX : k == 3 ? big : (uint32_t)k;
}

/* Add the same random facts to the accumulator and to counts[kind][year][key][ent]. */
static void feed(srdi_pfacc *a, unsigned counts[3][NYEAR][NKEY][NENT], int rows, bool grouped, uint32_t big,
                 unsigned seed)
{
    srand(seed);
    for (int r = 0; r < rows; r++) {
        int ent = grouped ? r * NENT / rows : rand() % NENT;
        int kind = rand() % 3, year = rand() % NYEAR, k = rand() % NKEY;
        CHECK_INT(srdi_pfacc_add(a, (uint32_t)ent, (srdi_pfact_kind)kind, 2015 + year, key_of(k, big)), SRDI_OK);
        counts[kind][year][k][ent]++;
    }
}

/* p's facts equal the counts, in order, each once. */
static void expect(const srdi_patents *p, unsigned counts[3][NYEAR][NKEY][NENT], uint32_t big)
{
    size_t at = 0;
    int bad = 0;
    /* key order: 0, 1, 2, big, UINT32_MAX (big < UINT32_MAX) */
    for (int kind = 0; kind < 3; kind++)
        for (int y = 0; y < NYEAR; y++)
            for (int k = 0; k < NKEY; k++)
                for (int e = 0; e < NENT; e++) {
                    if (!counts[kind][y][k][e]) continue;
                    const srdi_pfact *f = at < p->n_facts ? &p->facts[at] : NULL;
                    if (!f || f->kind != kind || f->year != 2015 + y || f->key != key_of(k, big) ||
                        f->ent != (uint32_t)e || f->count != counts[kind][y][k][e]) {
                        if (!bad++)
                            fprintf(stderr, "first wrong fact at %zu (kind %d year %d key %d ent %d)\n", at, kind,
                                    2015 + y, k, e);
                    }
                    at++;
                }
    CHECK_INT(bad, 0);
    CHECK_INT(p->n_facts, at);
}

static void run(bool grouped, uint32_t big, int rows)
{
    static unsigned counts[3][NYEAR][NKEY][NENT];
    memset(counts, 0, sizeof counts);
    srdi_pfacc a = {0};
    srdi_patents p = {0};
    feed(&a, counts, rows, grouped, big, 7);
    /* an interleaved input is added up in place as it comes: memory follows the 3600 distinct
       facts (each bucket's chunks about twice its own; the list of facts that do not pack is added
       up when 4096 fill it), not the 200000 or 50000 rows */
    if (!grouped) CHECK(srdi_pfacc_room(&a) <= 4 * (size_t)3 * NYEAR * NKEY * NENT + 4096);
    CHECK_INT(srdi_pfacc_finish(&a, &p), SRDI_OK);
    CHECK_INT(srdi_pfacc_room(&a), 0);
    expect(&p, counts, big);
    /* more facts after a finish (a reader continued through the next part) */
    feed(&a, counts, rows / 3, !grouped, big, 11);
    CHECK_INT(srdi_pfacc_finish(&a, &p), SRDI_OK);
    expect(&p, counts, big);
    srdi_pfacc_free(&a);
    free(p.facts);
}

/*
 * Two readers of consecutive parts of one input collected together: the
 * second numbers its keys its own way (local id 3 - k for key k, mapped back
 * by map) and, grouped, its first enterprise is the first reader's last (a
 * part cut inside an enterprise's rows); interleaved, their enterprises
 * overlap throughout.
 */
static void run_parts(bool grouped, int rows)
{
    static unsigned counts[3][NYEAR][NKEY][NENT];
    memset(counts, 0, sizeof counts);
    srdi_pfacc a[2] = {{0}, {0}};
    srdi_patents p = {0};
    static const uint32_t map[4] = {3, 2, 1, 0}; /* local id → global id */
    srand(3);
    for (int r = 0; r < rows; r++) {
        if (r == rows / 4) { /* the first reader sealed inside an enterprise's rows, then continued (phase 3) */
            CHECK_INT(srdi_pfacc_seal(&a[0]), SRDI_OK);
            CHECK_INT(a[0].n_log, 0);
            CHECK(a[0].n_sorted > 0 && a[0].n_sorted == a[0].n);
        }
        int part = r < rows / 2 ? 0 : 1, ent = grouped ? r * NENT / rows : rand() % NENT;
        int kind = rand() % 3, year = rand() % NYEAR, k = rand() % NKEY;
        uint32_t key = key_of(k, 3);
        if (part == 1 && kind != SRDI_PF_DECIDED && key != UINT32_MAX) key = 3 - key;
        CHECK_INT(srdi_pfacc_add(&a[part], (uint32_t)ent, (srdi_pfact_kind)kind, 2015 + year, key), SRDI_OK);
        counts[kind][year][k][ent]++;
    }
    srdi_pfacc *const acc[2] = {&a[0], &a[1]};
    const uint32_t *const maps[2] = {NULL, map};
    CHECK_INT(srdi_pfacc_collect(acc, maps, 2, &p), SRDI_OK);
    expect(&p, counts, 3);
    CHECK_INT(srdi_pfacc_room(&a[0]) + srdi_pfacc_room(&a[1]), 0);
    srdi_pfacc_free(&a[0]);
    srdi_pfacc_free(&a[1]);
    free(p.facts);
}

/*
 * A reader's facts sealed into the arena take 12 bytes each, not an
 * srdi_pfact's 16 (the sealed arrays of every part are held at once at the
 * end of a parse: 20 MB less at 4x the national data), and collect back to
 * the same facts.
 */
static void sealed_size(void)
{
    static unsigned counts[3][NYEAR][NKEY][NENT];
    memset(counts, 0, sizeof counts);
    srdi_pfarena ar;
    srdi_pfarena_init(&ar, (size_t)1 << 20);
    CHECK(ar.base != NULL);
    srdi_pfacc a = {0};
    srdi_patents p = {0};
    a.arena = &ar;
    feed(&a, counts, 20000, true, 3, 13);
    CHECK_INT(srdi_pfacc_seal(&a), SRDI_OK);
    CHECK(a.n_sorted > 1000 && a.n_sorted == a.n && !a.sorted_own);
    CHECK_INT(atomic_load(&ar.used), (a.n_sorted * 12 + 63) / 64 * 64);
    CHECK_INT(srdi_pfacc_finish(&a, &p), SRDI_OK);
    expect(&p, counts, 3);
    srdi_pfacc_free(&a);
    free(p.facts);
    srdi_pfarena_free(&ar);
}

int main(void)
{
    sealed_size();
    run_parts(true, 20000);
    run_parts(false, 20000);
    run(true, 3, 20000);       /* grouped, every key packs: counting sort on (kind, year, key) */
    run(false, 3, 200000);     /* interleaved: added up in place while counting */
    run(true, 3000000, 20000); /* a key id that does not pack: qsort */
    run(false, 3000000, 50000);

    /* facts re-keyed after a sort (a part's keys renumbered into the global pool): the counting
       re-sort gives exactly what the full sort gives */
    {
        static unsigned counts[3][NYEAR][NKEY][NENT];
        memset(counts, 0, sizeof counts);
        srdi_pfacc a = {0};
        srdi_patents p = {0};
        feed(&a, counts, 20000, true, 3, 5);
        CHECK_INT(srdi_pfacc_finish(&a, &p), SRDI_OK);
        static const uint32_t renum[4] = {3, 0, 2, 1}; /* old id → new id */
        for (size_t i = 0; i < p.n_facts; i++)
            if (p.facts[i].key != UINT32_MAX) p.facts[i].key = renum[p.facts[i].key];
        srdi_pfact *copy = malloc(p.n_facts * sizeof *copy);
        memcpy(copy, p.facts, p.n_facts * sizeof *copy);
        size_t n1 = p.n_facts, n2 = p.n_facts;
        CHECK_INT(srdi_pfacts_resort(&p.facts, &n1), SRDI_OK);
        CHECK_INT(srdi_pfacts_sort(copy, &n2), SRDI_OK);
        CHECK_INT(n1, n2);
        CHECK(n1 > 1000 && memcmp(p.facts, copy, n1 * sizeof *copy) == 0);
        CHECK(p.facts[0].key == 0 && p.facts[n1 - 1].key == UINT32_MAX);
        free(copy);
        free(p.facts);
        srdi_pfacc_free(&a);
    }

    /* the sort alone: equal facts added up, order (kind, year, key, ent) */
    srdi_pfact v[] = {
        {5, 2020, SRDI_PF_GRANT, 2, 1},        {1, 2020, SRDI_PF_APP, UINT32_MAX, 2}, {5, 2020, SRDI_PF_GRANT, 2, 3},
        {0, 2021, SRDI_PF_APP, UINT32_MAX, 1}, {9, 2020, SRDI_PF_APP, 0, 4},
    };
    size_t n = sizeof v / sizeof v[0];
    CHECK_INT(srdi_pfacts_sort(v, &n), SRDI_OK);
    CHECK_INT(n, 4);
    CHECK_INT(v[0].ent, 9);
    CHECK_INT(v[0].key, 0);
    CHECK_INT(v[1].ent, 1);
    CHECK(v[1].key == UINT32_MAX);
    CHECK_INT(v[2].ent, 0);
    CHECK_INT(v[2].year, 2021);
    CHECK_INT(v[3].ent, 5);
    CHECK_INT(v[3].count, 4);
    return testutil_finish();
}
