/* test_dataset.c — the columnar dataset: enterprise rows, lookups, financial rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/dataset.h"
#include "srdi/reference.h"
#include "srdi/util.h"
#include "testutil.h"

static void test_dataset(void)
{
    srdi_reference *r = NULL;
    srdi_reference_load(testutil_src("templates/report-2026/reference"), &r);
    srdi_dataset *d = srdi_dataset_new(r);
    CHECK(d != NULL);
    /* a reserve below the rows then added: the columns grow past it; every cell not set is missing */
    CHECK(srdi_dataset_reserve(d, 3001) == SRDI_OK);
    CHECK(srdi_dataset_reserve(d, 10) == SRDI_OK);
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "91%016d", i);
        size_t row;
        CHECK(srdi_dataset_add_enterprise(d, id, "样本", i % 3 == 0 ? SRDI_LEVEL_NATIONAL : SRDI_LEVEL_PROVINCIAL, 9,
                                          i % 2 ? "苏州市" : "南京市", "3985", SRDI_TE_NONE, &row) == SRDI_OK);
        if (i % 2) srdi_dataset_set(d, row, SRDI_F_STAFF, i);
    }
    CHECK_INT(d->n, 5000);
    CHECK_INT(srdi_dataset_find(d, "910000000000004999"), 4999);
    CHECK_INT(srdi_dataset_find(d, "nope"), -1);
    double v = -1;
    CHECK(srdi_get(d, SRDI_F_STAFF, 7, &v) == 1 && v == 7);
    CHECK(srdi_get(d, SRDI_F_STAFF, 8, &v) == 0);
    CHECK(srdi_get(d, SRDI_F_STAFF, 3002, &v) == 0 && srdi_get(d, SRDI_F_STAFF, 4999, &v) == 1 && v == 4999);
    int missing = 0;
    for (int f = 0; f < SRDI_F_COUNT; f++)
        for (size_t k = 0; k < d->n; k++) missing += f != SRDI_F_STAFF && srdi_get(d, (srdi_field)f, k, &v) == 0;
    CHECK_INT(missing, (SRDI_F_COUNT - 1) * 5000);
    CHECK_STR(d->id[3001], "910000000000003001");
    /* sealed (the index released): ids are still found, and adding a row builds the index again */
    srdi_dataset_seal(d);
    CHECK_INT(srdi_dataset_find(d, "910000000000004998"), 4998);
    CHECK_INT(srdi_dataset_find(d, "nope"), -1);
    size_t added;
    long dup;
    CHECK(srdi_dataset_add_enterprise_new(d, "910000000000000007", "重复", SRDI_LEVEL_PROVINCIAL, 9, "苏州市", "3985",
                                          SRDI_TE_NONE, &added, &dup) == SRDI_OK && dup == 7 && d->n == 5000);
    CHECK(srdi_dataset_add_enterprise(d, "new", "新", SRDI_LEVEL_PROVINCIAL, 9, "苏州市", "3985", SRDI_TE_NONE,
                                      &added) == SRDI_OK && added == 5000);
    CHECK_INT(srdi_dataset_find(d, "new"), 5000);
    CHECK_INT(srdi_dataset_find(d, "910000000000000009"), 9);
    CHECK_INT(srdi_dataset_find(d, "nope"), -1);
    CHECK_INT(srdi_strpool_count(d->cities), 2);

    CHECK(srdi_dataset_add_financial(d, 3, 2024, 100, NAN) == SRDI_OK);
    CHECK(d->has_financials && d->n_fin == 1 && d->fin_rd.present[0] == 0 && d->fin_revenue.v[0] == 100);

    srdi_patents *p = &d->patents;
    srdi_patents_add(p, 5, SRDI_PF_APP, 2024, UINT32_MAX, 1);
    srdi_patents_add(p, 5, SRDI_PF_APP, 2024, UINT32_MAX, 2);
    srdi_patents_add(p, 1, SRDI_PF_APP, 2023, UINT32_MAX, 1);
    srdi_patents_add(p, 1, SRDI_PF_DECIDED, 2023, 1, 4);
    CHECK(srdi_patents_finish(p) == SRDI_OK);
    CHECK_INT(p->n_facts, 3);
    CHECK(p->facts[0].kind == SRDI_PF_APP && p->facts[0].year == 2023);
    CHECK(p->facts[1].ent == 5 && p->facts[1].count == 3);
    CHECK(p->facts[2].kind == SRDI_PF_DECIDED && p->facts[2].count == 4);
    /* adding after finish keeps earlier facts */
    srdi_patents_add(p, 5, SRDI_PF_APP, 2024, UINT32_MAX, 1);
    srdi_patents_finish(p);
    CHECK_INT(p->n_facts, 3);
    CHECK_INT(p->facts[1].count, 4);

    CHECK_INT(srdi_field_lookup("staff"), SRDI_F_STAFF);
    CHECK_INT(srdi_field_lookup("参保人数"), SRDI_F_STAFF);
    CHECK_INT(srdi_field_lookup("CNAS认证"), SRDI_F_HON_CNAS);
    CHECK_INT(srdi_field_lookup("nope"), -1);
    CHECK_STR(srdi_field_get(SRDI_F_DIGITAL_PATENTS)->name, "digital_patents");
    CHECK_STR(srdi_level_key(SRDI_LEVEL_NATIONAL), "national");
    CHECK_STR(srdi_tech_eval_key(SRDI_TE_INTL_LEVEL), "intl_level");
    CHECK(srdi_tech_eval_key(SRDI_TE_NONE) == NULL);
    srdi_dataset_free(d);
}

/* Rows 0..n-1 of field f read back: set[k] rows hold want[k] bit for bit, all others are missing. */
static int check_cells(const srdi_dataset *d, srdi_field f, const size_t *rows, const double *want, size_t n)
{
    int bad = 0;
    for (size_t r = 0; r < d->n; r++) {
        double v = -1;
        int has = srdi_get(d, f, r, &v);
        size_t k = 0;
        while (k < n && rows[k] != r) k++;
        if (k == n)
            bad += has != 0;
        else
            bad += has != 1 || memcmp(&v, &want[k], sizeof v) != 0;
    }
    return bad;
}

/*
 * A column widens as values come (2 bits → 1 → 2 → 4 → 8 bytes a cell) and every
 * value reads back bit for bit, missing cells stay missing across each
 * widening and in rows added afterwards.
 */
static void test_widths(void)
{
    srdi_dataset *d = srdi_dataset_new(NULL);
    CHECK(d != NULL);
    char id[32];
    for (int i = 0; i < 1500; i++) { /* 1024 rows, then the columns double */
        snprintf(id, sizeof id, "id%d", i);
        CHECK(srdi_dataset_add_enterprise(d, id, "", SRDI_LEVEL_PROVINCIAL, 0, "", "", SRDI_TE_NONE, NULL) == SRDI_OK);
    }
    static const double vals[] = {0, 254, 3, 255, 65534, 65535, 4294967294.0, 7, 4294967295.0, -0.0, 0.5, 1e300, -2};
    static const unsigned width[] = {SRDI_ECOL_2BIT, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8, 8, 8};
    size_t rows[13];
    for (size_t k = 0; k < 13; k++) {
        rows[k] = 3 + 101 * k;
        CHECK(srdi_dataset_set(d, rows[k], SRDI_F_STAFF, vals[k]) == SRDI_OK);
        CHECK_INT(d->num[SRDI_F_STAFF].width, width[k]);
        CHECK_INT(check_cells(d, SRDI_F_STAFF, rows, vals, k + 1), 0);
    }
    double nan = NAN, v = 0; /* any double at all, NaN included, is a value */
    CHECK(srdi_dataset_set(d, 1, SRDI_F_CITATIONS_AVG, nan) == SRDI_OK && srdi_get(d, SRDI_F_CITATIONS_AVG, 1, &v) == 1);
    CHECK(memcmp(&v, &nan, sizeof v) == 0 && srdi_get(d, SRDI_F_CITATIONS_AVG, 0, &v) == 0);
    for (int i = 1500; i < 2100; i++) { /* the width-8 column and its bitmap grow: new cells missing */
        snprintf(id, sizeof id, "id%d", i);
        CHECK(srdi_dataset_add_enterprise(d, id, "", SRDI_LEVEL_PROVINCIAL, 0, "", "", SRDI_TE_NONE, NULL) == SRDI_OK);
    }
    CHECK_INT(check_cells(d, SRDI_F_STAFF, rows, vals, 13), 0);
    bool present[SRDI_F_COUNT] = {false};
    double row_vals[SRDI_F_COUNT] = {0};
    present[SRDI_F_STAFF] = present[SRDI_F_HON_CNAS] = true;
    row_vals[SRDI_F_STAFF] = 2.25;
    row_vals[SRDI_F_HON_CNAS] = 1;
    CHECK(srdi_dataset_set_fields(d, 2099, row_vals, present) == SRDI_OK);
    CHECK(srdi_get(d, SRDI_F_STAFF, 2099, &v) == 1 && v == 2.25);
    CHECK(srdi_get(d, SRDI_F_HON_CNAS, 2099, &v) == 1 && v == 1 && d->num[SRDI_F_HON_CNAS].width == SRDI_ECOL_2BIT);
    CHECK(srdi_get(d, SRDI_F_HON_CNAS, 2098, &v) == 0 && srdi_get(d, SRDI_F_RD_STAFF, 2099, &v) == 0);
    srdi_dataset_free(d);
}

/* Set @p n values of field @p f in rows[k]: the width code after each in want_w[k], all read back. */
static void set_series(srdi_dataset *d, srdi_field f, const size_t *rows, const double *vals, const unsigned *want_w,
                       size_t n)
{
    for (size_t k = 0; k < n; k++) {
        CHECK(srdi_dataset_set(d, rows[k], f, vals[k]) == SRDI_OK);
        CHECK_INT(d->num[f].width, want_w[k]);
        CHECK_INT(check_cells(d, f, rows, vals, k + 1), 0);
    }
}

/*
 * Flags stay at 2 bits a cell (0, 1, 2; four to a byte, neighbours kept);
 * hundredths are 4-byte cents from a 2-bit, 1- or 2-byte column and read
 * back bit for bit (8238.9 is not 82389 / 10 in binary, but it is 823890 /
 * 100.0); a 4-byte integer column meeting hundredths, or a cents column
 * meeting a value with more decimals or an integer whose hundredths do not
 * fit, holds doubles.
 */
static void test_narrow_forms(void)
{
    srdi_dataset *d = srdi_dataset_new(NULL);
    CHECK(d != NULL);
    char id[32];
    for (int i = 0; i < 1030; i++) {
        snprintf(id, sizeof id, "id%d", i);
        CHECK(srdi_dataset_add_enterprise(d, id, "", SRDI_LEVEL_PROVINCIAL, 0, "", "", SRDI_TE_NONE, NULL) == SRDI_OK);
    }
    static const size_t flag_rows[] = {0, 1, 2, 3, 4, 7, 1029};
    static const double flags[] = {1, 0, 2, 1, 1, 0, 2};
    static const unsigned flag_w[] = {SRDI_ECOL_2BIT, SRDI_ECOL_2BIT, SRDI_ECOL_2BIT, SRDI_ECOL_2BIT,
                                      SRDI_ECOL_2BIT, SRDI_ECOL_2BIT, SRDI_ECOL_2BIT};
    set_series(d, SRDI_F_HON_GAZELLE, flag_rows, flags, flag_w, 7);
    static const size_t cap_rows[] = {5, 6, 9, 10, 11, 12, 13, 1028};
    static const double caps[] = {2, 300, 8238.9, 100, 0.07, 2688440.25, 42949672.94, 0};
    static const unsigned cap_w[] = {SRDI_ECOL_2BIT, 2, SRDI_ECOL_CENTS, SRDI_ECOL_CENTS,
                                     SRDI_ECOL_CENTS, SRDI_ECOL_CENTS, SRDI_ECOL_CENTS, SRDI_ECOL_CENTS};
    set_series(d, SRDI_F_REG_CAPITAL, cap_rows, caps, cap_w, 8);
    for (int i = 1030; i < 2100; i++) { /* the narrow columns grow: new cells missing, old ones kept */
        snprintf(id, sizeof id, "id%d", i);
        CHECK(srdi_dataset_add_enterprise(d, id, "", SRDI_LEVEL_PROVINCIAL, 0, "", "", SRDI_TE_NONE, NULL) == SRDI_OK);
    }
    CHECK_INT(check_cells(d, SRDI_F_HON_GAZELLE, flag_rows, flags, 7), 0);
    CHECK_INT(check_cells(d, SRDI_F_REG_CAPITAL, cap_rows, caps, 8), 0);
    static const size_t more_rows[] = {5, 6, 9, 10, 11, 12, 13, 1028, 2099, 2098};
    static const double more[] = {2, 300, 8238.9, 100, 0.07, 2688440.25, 42949672.94, 0, 1.125, 7};
    static const unsigned more_w[] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 8};
    for (size_t k = 8; k < 10; k++) {
        CHECK(srdi_dataset_set(d, more_rows[k], SRDI_F_REG_CAPITAL, more[k]) == SRDI_OK);
        CHECK_INT(d->num[SRDI_F_REG_CAPITAL].width, more_w[k]);
    }
    CHECK_INT(check_cells(d, SRDI_F_REG_CAPITAL, more_rows, more, 10), 0);
    /* a cents column meeting an integer too large for its hundredths */
    static const size_t c_rows[] = {0, 1, 2};
    static const double c_vals[] = {14.5, 3, 50000000};
    static const unsigned c_w[] = {SRDI_ECOL_CENTS, SRDI_ECOL_CENTS, 8};
    set_series(d, SRDI_F_CITATIONS_AVG, c_rows, c_vals, c_w, 3);
    /* a 4-byte integer column meeting hundredths */
    static const size_t i_rows[] = {0, 2099};
    static const double i_vals[] = {70000, 0.5};
    static const unsigned i_w[] = {4, 8};
    set_series(d, SRDI_F_INVENTORS, i_rows, i_vals, i_w, 2);
    srdi_dataset_free(d);
}

/*
 * The rows' content hashes: computed from the rows; the hashes given for
 * them (srdi_dataset_content_hashes_known) returned for what did not change
 * since: a cell set or cleared drops its column's alone, a row or a city
 * name added drops them all; dropped ones are computed again.
 */
static void test_content_hashes(void)
{
    srdi_reference *r = NULL;
    srdi_reference_load(testutil_src("templates/report-2026/reference"), &r);
    srdi_dataset *d = srdi_dataset_new(r);
    CHECK(d != NULL);
    if (!d) return;
    uint64_t f0, c0[SRDI_F_COUNT], f1, c1[SRDI_F_COUNT], given[SRDI_F_COUNT];
    CHECK(!srdi_dataset_content_hashes(d, &f0, c0)); /* no rows */
    uint64_t none = f0;
    for (int i = 0; i < 50; i++) {
        char id[32];
        snprintf(id, sizeof id, "91%016d", i);
        size_t row;
        CHECK(srdi_dataset_add_enterprise(d, id, "样本", SRDI_LEVEL_PROVINCIAL, 9, i % 2 ? "苏州市" : "南京市", "3985",
                                          SRDI_TE_NONE, &row) == SRDI_OK);
        CHECK(srdi_dataset_set(d, row, SRDI_F_STAFF, i) == SRDI_OK);
    }
    CHECK(!srdi_dataset_content_hashes(d, &f0, c0));
    CHECK(f0 != none && c0[SRDI_F_STAFF] != c0[SRDI_F_RD_STAFF]);
    for (int f = 0; f < SRDI_F_COUNT; f++) given[f] = (uint64_t)f + 1000;
    srdi_dataset_content_hashes_known(d, 77, given);
    CHECK(srdi_dataset_content_hashes(d, &f1, c1));
    CHECK(f1 == 77 && memcmp(c1, given, sizeof given) == 0);
    /* a cell changed: its column's hash computed, the others still the given ones */
    CHECK(srdi_dataset_set(d, 5, SRDI_F_RD_STAFF, 2) == SRDI_OK);
    CHECK(!srdi_dataset_content_hashes(d, &f1, c1));
    CHECK(f1 == 77 && c1[SRDI_F_STAFF] == given[SRDI_F_STAFF] && c1[SRDI_F_RD_STAFF] != c0[SRDI_F_RD_STAFF] &&
          c1[SRDI_F_RD_STAFF] != given[SRDI_F_RD_STAFF]);
    uint64_t rd_set = c1[SRDI_F_RD_STAFF];
    srdi_dataset_content_hashes_drop(d); /* all computed: the same for that column */
    CHECK(!srdi_dataset_content_hashes(d, &f1, c1));
    CHECK(f1 == f0 && c1[SRDI_F_STAFF] == c0[SRDI_F_STAFF] && c1[SRDI_F_RD_STAFF] == rd_set);
    /* a cell cleared: that column's computed (as before the cell was set) */
    srdi_dataset_content_hashes_known(d, 77, given);
    srdi_dataset_clear(d, 5, SRDI_F_RD_STAFF);
    CHECK(!srdi_dataset_content_hashes(d, &f1, c1));
    CHECK(f1 == 77 && c1[SRDI_F_RD_STAFF] == c0[SRDI_F_RD_STAFF] && c1[SRDI_F_STAFF] == given[SRDI_F_STAFF]);
    /* a row added, a city name added: every hash computed */
    srdi_dataset_content_hashes_known(d, 77, given);
    CHECK(srdi_dataset_add_enterprise(d, "91000000000000XYZ", "新", SRDI_LEVEL_NATIONAL, 9, "苏州市", "3985",
                                      SRDI_TE_NONE, NULL) == SRDI_OK);
    CHECK(!srdi_dataset_content_hashes(d, &f1, c1));
    CHECK(f1 != f0 && f1 != 77 && c1[SRDI_F_STAFF] != given[SRDI_F_STAFF]);
    srdi_dataset_content_hashes_known(d, 77, given);
    CHECK(srdi_strpool_intern(d->cities, "无锡市") != UINT32_MAX);
    CHECK(!srdi_dataset_content_hashes(d, &f0, c0));
    CHECK(f0 != f1 && f0 != 77 && c0[SRDI_F_STAFF] == c1[SRDI_F_STAFF]);
    srdi_dataset_free(d);
}

int main(void)
{
    test_content_hashes();
    test_dataset();
    test_widths();
    test_narrow_forms();
    /* the same with the cells in one range of address space from the first reserve (1024 rows): it fills up
       as the columns widen and double, and the blocks after are malloc'ed beside those left in it */
    srdi_dataset_arena_min_rows = 1;
    test_dataset();
    test_widths();
    test_narrow_forms();
    return testutil_finish();
}
