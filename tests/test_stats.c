/*
 * tests/test_stats.c — srdi/stats.h: median, mean, PERCENTILE.INC, Pearson,
 * safe division, vectors and srdi_collect, with values computed by hand.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/stats.h"
#include "srdi/dataset.h"
#include "testutil.h"

static void test_median(void)
{
    double odd[] = {3, 1, 2};
    CHECK_NUM(srdi_median(odd, 3), 2.0, 0);
    double even[] = {4, 1, 3, 2};
    CHECK_NUM(srdi_median(even, 4), 2.5, 0);
    double ties[] = {5, 5, 1, 5}; /* 1 5 5 5 → (5+5)/2 */
    CHECK_NUM(srdi_median(ties, 4), 5.0, 0);
    double one[] = {7};
    CHECK_NUM(srdi_median(one, 1), 7.0, 0);
    CHECK(isnan(srdi_median(NULL, 0)));
    double two[] = {10, 0};
    CHECK_NUM(srdi_median(two, 2), 5.0, 0);
    CHECK_NUM(two[0], 0.0, 0); /* sorted in place */
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Large arrays take the radix-sort path (percentile) and the selection (median): compare with qsort, mixed signs. */
static void test_large_sort(void)
{
    size_t n = 5001;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        CHECK(0);
        return;
    }
    unsigned long long x = 88172645463325252ULL;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v = (double)(x % 2000001) - 1000000.0;
        if (i % 7 == 0) v /= 3.0;
        if (i % 11 == 0) v = (double)(x % 50); /* many small integers */
        if (i == 5) v = 1e300;
        if (i == 6) v = -1e-300;
        a[i] = b[i] = v;
    }
    qsort(b, n, sizeof *b, cmp_d);
    /* the median selects (large arrays): the sorted middle, odd and even n, whatever the order */
    CHECK_NUM(srdi_median(a, n), b[n / 2], 0);
    CHECK_NUM(srdi_median(a, n - 1), (b[(n - 1) / 2 - 1] + b[(n - 1) / 2]) / 2.0, 0);
    for (size_t i = 0; i < n; i++) a[i] = b[n - 1 - i]; /* descending: the pivots still split it */
    CHECK_NUM(srdi_median(a, n), b[n / 2], 0);
    double med = srdi_percentile(a, n, 50); /* sorts */
    int same = 1;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) same = 0;
    CHECK(same);
    CHECK_NUM(med, b[n / 2], 0);
    /* 1..10000 shuffled by the sort itself: median 5000.5, P90 h = 8999.1 → 9000.1 */
    double *c = realloc(a, 10000 * sizeof *c);
    if (!c) {
        free(a);
        free(b);
        CHECK(0);
        return;
    }
    for (size_t i = 0; i < 10000; i++) c[i] = (double)((i * 7919) % 10000 + 1);
    CHECK_NUM(srdi_percentile(c, 10000, 90), 9000.1, 1e-9);
    CHECK_NUM(srdi_median(c, 10000), 5000.5, 0);
    /* all equal: every pass skipped */
    for (size_t i = 0; i < 10000; i++) c[i] = 4.0;
    CHECK_NUM(srdi_median(c, 10000), 4.0, 0);
    /* counts: few distinct values, many ties; the even median straddles two of them */
    for (size_t i = 0; i < 10000; i++) c[i] = (double)((i * 7919) % 10000 < 5000 ? i % 3 : 3 + i % 2);
    CHECK_NUM(srdi_median(c, 10000), 2.5, 0);
    for (size_t i = 0; i < 10000; i++) c[i] = (double)((i * 7919) % 10000 < 5001 ? i % 3 : 3 + i % 2);
    CHECK_NUM(srdi_median(c, 10000), 2.0, 0);
    /* integers of 0 … 65535 (counted by bytes): the sorted middle, odd and even n; one value out of range or
       not an integer (selected): the same */
    double *e = malloc(4001 * sizeof *e), *f = malloc(4001 * sizeof *f);
    CHECK(e && f);
    for (int round = 0; e && f && round < 4; round++) {
        for (size_t i = 0; i < 4001; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            e[i] = (double)(x % (round == 1 ? 300u : 65536u));
        }
        if (round == 2) e[17] = 65536.0;
        if (round == 3) e[4000] = 12.5;
        for (size_t m = 4000; m <= 4001; m++) {
            memcpy(f, e, m * sizeof *f);
            qsort(f, m, sizeof *f, cmp_d);
            double want = m % 2 ? f[m / 2] : (f[m / 2 - 1] + f[m / 2]) / 2.0;
            memcpy(f, e, m * sizeof *f);
            CHECK_NUM(srdi_median(f, m), want, 0);
        }
    }
    free(e);
    free(f);
    free(c);
    free(b);
}

static void test_mean(void)
{
    double v[] = {1, 2, 4};
    CHECK_NUM(srdi_mean(v, 3), 7.0 / 3.0, 1e-15);
    CHECK(isnan(srdi_mean(NULL, 0)));
}

static void test_percentile(void)
{
    /* 1..10: PERCENTILE.INC P50 = 5.5, P75 = 7.75 (h = 6.75), P90 = 9.1 (h = 8.1) */
    double a[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    CHECK_NUM(srdi_percentile(a, 10, 50), 5.5, 1e-12);
    CHECK_NUM(srdi_percentile(a, 10, 75), 7.75, 1e-12);
    CHECK_NUM(srdi_percentile(a, 10, 90), 9.1, 1e-12);
    CHECK_NUM(srdi_percentile(a, 10, 0), 1.0, 0);
    CHECK_NUM(srdi_percentile(a, 10, 100), 10.0, 0);
    /* 15 20 35 40 50: P40 h=1.6 → 20+0.6·15 = 29; P75 h=3 → 40; P90 h=3.6 → 46 */
    double b[5] = {50, 15, 40, 20, 35};
    CHECK_NUM(srdi_percentile(b, 5, 40), 29.0, 1e-12);
    CHECK_NUM(srdi_percentile(b, 5, 75), 40.0, 1e-12);
    CHECK_NUM(srdi_percentile(b, 5, 90), 46.0, 1e-12);
    CHECK_NUM(srdi_percentile(b, 5, 50), 35.0, 0); /* P50 == median */
    const double s[5] = {15, 20, 35, 40, 50};
    CHECK_NUM(srdi_percentile_sorted(s, 5, 90), 46.0, 1e-12);
    double one[] = {3};
    CHECK_NUM(srdi_percentile(one, 1, 90), 3.0, 0);
    CHECK(isnan(srdi_percentile(NULL, 0, 50)));
    CHECK(isnan(srdi_percentile_sorted(NULL, 0, 50)));
}

static void test_pearson(void)
{
    double x[] = {1, 2, 3}, y[] = {2, 4, 6}, z[] = {6, 4, 2};
    CHECK_NUM(srdi_pearson(x, y, 3), 1.0, 1e-15);
    CHECK_NUM(srdi_pearson(x, z, 3), -1.0, 1e-15);
    /* dx = dy-ish: sxy = 4, sxx = syy = 5 → 0.8 */
    double a[] = {1, 2, 3, 4}, b[] = {1, 3, 2, 4};
    CHECK_NUM(srdi_pearson(a, b, 4), 0.8, 1e-15);
    double c[] = {0.1, 0.1, 0.1};
    CHECK(isnan(srdi_pearson(c, x, 3))); /* zero variance */
    CHECK(isnan(srdi_pearson(x, c, 3)));
    CHECK(isnan(srdi_pearson(x, y, 1))); /* n < 2 */
    CHECK(isnan(srdi_pearson(NULL, NULL, 0)));
}

static void test_div(void)
{
    CHECK_NUM(srdi_div(3, 4), 0.75, 0);
    CHECK(isnan(srdi_div(1, 0)));
    CHECK(isnan(srdi_div(NAN, 2)));
    CHECK(isnan(srdi_div(2, NAN)));
    CHECK_NUM(srdi_div(0, 5), 0.0, 0);
}

static void test_vec(void)
{
    srdi_vec v = {0};
    for (int i = 0; i < 1000; i++) CHECK_INT(srdi_vec_push(&v, i), SRDI_OK);
    CHECK_INT(v.n, 1000);
    CHECK_NUM(v.v[999], 999.0, 0);
    srdi_vec_clear(&v);
    CHECK_INT(v.n, 0);
    CHECK(v.cap >= 1000);
    srdi_vec_free(&v);
    CHECK(v.v == NULL);
}

static int keep_national(const srdi_dataset *d, size_t row, const void *ud)
{
    (void)ud;
    return d->level[row] == SRDI_LEVEL_NATIONAL;
}

static void test_collect(void)
{
    srdi_dataset *d = srdi_dataset_new(NULL);
    CHECK(d != NULL);
    if (!d) return;
    size_t r;
    CHECK_INT(srdi_dataset_add_enterprise(d, "A", "a", SRDI_LEVEL_NATIONAL, 0, "c", "3985", SRDI_TE_NONE, &r), SRDI_OK);
    srdi_dataset_set(d, r, SRDI_F_STAFF, 10);
    CHECK_INT(srdi_dataset_add_enterprise(d, "B", "b", SRDI_LEVEL_PROVINCIAL, 0, "c", "3985", SRDI_TE_NONE, &r),
              SRDI_OK);
    srdi_dataset_set(d, r, SRDI_F_STAFF, 20);
    CHECK_INT(srdi_dataset_add_enterprise(d, "C", "c", SRDI_LEVEL_NATIONAL, 0, "c", "3985", SRDI_TE_NONE, &r), SRDI_OK);
    /* staff missing for C */
    CHECK_INT(srdi_dataset_add_enterprise(d, "D", "d", SRDI_LEVEL_NATIONAL, 0, "c", "3985", SRDI_TE_NONE, &r), SRDI_OK);
    srdi_dataset_set(d, r, SRDI_F_STAFF, 40);

    srdi_vec v = {0};
    CHECK_INT(srdi_collect(d, SRDI_F_STAFF, NULL, NULL, &v), SRDI_OK);
    CHECK_INT(v.n, 3);
    CHECK_NUM(srdi_mean(v.v, v.n), 70.0 / 3.0, 1e-12);
    srdi_vec_clear(&v);
    CHECK_INT(srdi_collect(d, SRDI_F_STAFF, keep_national, NULL, &v), SRDI_OK);
    CHECK_INT(v.n, 2);
    CHECK_NUM(srdi_median(v.v, v.n), 25.0, 0);
    srdi_vec_clear(&v);
    CHECK_INT(srdi_collect(d, SRDI_F_REG_CAPITAL, NULL, NULL, &v), SRDI_OK);
    CHECK_INT(v.n, 0);
    CHECK(isnan(srdi_median(v.v, v.n)));
    CHECK_INT(srdi_collect(d, SRDI_F_COUNT, NULL, NULL, &v), SRDI_ERR_INTERNAL);
    CHECK_STR(srdi_error_message(), "srdi_collect: bad field 36");
    srdi_vec_free(&v);
    srdi_dataset_free(d);
}

int main(void)
{
    test_median();
    test_mean();
    test_large_sort();
    test_percentile();
    test_pearson();
    test_div();
    test_vec();
    test_collect();
    return testutil_finish();
}
