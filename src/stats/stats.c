/*
 * src/stats/stats.c — the statistics of docs/tables.md "Conventions" (median,
 * mean, PERCENTILE.INC, Pearson, safe division) and the value collector the
 * tables use to gather present values of a numeric field.
 */
#include "srdi/stats.h"
#include "srdi/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* qsort comparator for ascending doubles (callers never pass NaN). */
static int stats_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Order-preserving map of a double to an unsigned key (and back). */
static inline uint64_t stats_key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : (u | 0x8000000000000000ULL);
}

static inline double stats_unkey(uint64_t k)
{
    uint64_t u = (k >> 63) ? (k & 0x7FFFFFFFFFFFFFFFULL) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

#define STATS_RADIX_BITS   11
#define STATS_RADIX_SIZE   (1u << STATS_RADIX_BITS)
#define STATS_RADIX_PASSES 6 /* 6 × 11 ≥ 64 bits */

/*
 * Sort v ascending.  Large arrays use an LSD radix sort on order-preserving
 * 64-bit keys (one histogram pass, digits shared by every key skipped — the
 * common case for counts), which is several times faster than qsort on the
 * national data set; small arrays, or a failed allocation, use qsort.
 * Values must not be NaN.
 */
static void stats_sort(double *v, size_t n)
{
    if (n < 2) return;
    uint64_t *a = n >= 1024 ? malloc(2 * n * sizeof *a) : NULL;
    size_t(*hist)[STATS_RADIX_SIZE] = a ? calloc(STATS_RADIX_PASSES, sizeof *hist) : NULL;
    if (!hist) {
        free(a);
        qsort(v, n, sizeof *v, stats_cmp_double);
        return;
    }
    uint64_t *b = a + n;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = stats_key(v[i]);
        a[i] = k;
        for (int p = 0; p < STATS_RADIX_PASSES; p++) hist[p][(k >> (p * STATS_RADIX_BITS)) & (STATS_RADIX_SIZE - 1)]++;
    }
    for (int p = 0; p < STATS_RADIX_PASSES; p++) {
        unsigned shift = (unsigned)(p * STATS_RADIX_BITS);
        if (hist[p][(a[0] >> shift) & (STATS_RADIX_SIZE - 1)] == n) continue; /* one digit: nothing to do */
        size_t sum = 0;
        for (size_t d = 0; d < STATS_RADIX_SIZE; d++) {
            size_t c = hist[p][d];
            hist[p][d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) b[hist[p][(a[i] >> shift) & (STATS_RADIX_SIZE - 1)]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++) v[i] = stats_unkey(a[i]);
    free(a < b ? a : b);
    free(hist);
}

static inline void stats_swap(double *v, size_t i, size_t j)
{
    double t = v[i];
    v[i] = v[j];
    v[j] = t;
}

/*
 * Put the k-th smallest of v[0..n) at v[k], smaller ones before it and the
 * others after, in stats_sort's order of large arrays (order-preserving keys:
 * the element chosen is the one sorting would put there, bit for bit).
 * Quickselect with a median-of-three pivot and a three-way partition (counts
 * repeat a lot); degenerate pivots hand the rest to stats_sort.  No memory.
 */
static void stats_select(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* v[k] belongs in [lo, hi) */
    for (int rounds = 0; hi - lo > 16; rounds++) {
        if (rounds > 64) {
            stats_sort(v + lo, hi - lo);
            return;
        }
        uint64_t a = stats_key(v[lo]), b = stats_key(v[lo + (hi - lo) / 2]), c = stats_key(v[hi - 1]);
        uint64_t p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t lt = lo, i = lo, gt = hi; /* [lo, lt) < p, [lt, i) == p, [gt, hi) > p */
        while (i < gt) {
            uint64_t x = stats_key(v[i]);
            if (x < p)
                stats_swap(v, lt++, i++);
            else if (x > p)
                stats_swap(v, i, --gt);
            else
                i++;
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return; /* v[k] is the pivot's value */
    }
    for (size_t i = lo + 1; i < hi; i++) { /* insertion sort of the last few */
        double x = v[i];
        uint64_t kx = stats_key(x);
        size_t j = i;
        for (; j > lo && stats_key(v[j - 1]) > kx; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

/*
 * The value of rank @p r (from 0) of @p v, all small integers (counted_median)
 * whose high bytes are counted in hi[]: the low byte counted over the values
 * in the high byte's bucket.
 */
static double counted_rank(const double *v, size_t n, const uint32_t hi[256], size_t r)
{
    size_t cum = 0, b = 0;
    while (cum + hi[b] <= r) cum += hi[b++];
    uint32_t lo[256] = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned k = (unsigned)v[i];
        if (k >> 8 == b) lo[k & 0xFFu]++;
    }
    size_t l = 0;
    while (cum + lo[l] <= r) cum += lo[l++];
    return (double)(b << 8 | l);
}

/*
 * The median of @p v when every value is an integer in [0, 65536) (not
 * -0): counted by high byte, then by low byte within the bucket of each
 * middle rank; v is not reordered.  False at the first other value.  The
 * middle values are the selection's, added the same way: the same bits.
 */
static bool counted_median(const double *v, size_t n, double *out)
{
    uint32_t hi[256] = {0};
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        if (!(x >= 0.0 && x < 65536.0) || signbit(x) || (double)(unsigned)x != x) return false;
        hi[(unsigned)x >> 8]++;
    }
    double h = counted_rank(v, n, hi, n / 2);
    *out = n % 2 == 1 ? h : (counted_rank(v, n, hi, n / 2 - 1) + h) / 2.0;
    return true;
}

/*
 * Median: the middle value, or the mean of the two middle values when n is
 * even.  NAN for an empty set.  Large arrays of small integers are counted
 * (counted_median), other large ones reordered by a selection (no sort, no
 * memory: the tables take medians of every enterprise's values), small ones
 * sorted.
 */
double srdi_median(double *v, size_t n)
{
    if (n == 0) return NAN;
    if (n < 1024) { /* stats_sort's qsort: the same order as ever */
        stats_sort(v, n);
        return srdi_median_sorted(v, n);
    }
    double cm;
    if (counted_median(v, n, &cm)) return cm; /* counts, staff numbers … */
    size_t k = n / 2;
    stats_select(v, n, k);
    if (n % 2 == 1) return v[k];
    size_t m = 0; /* the (k-1)-th: the largest of v[0..k), all ≤ v[k] */
    for (size_t i = 1; i < k; i++)
        if (stats_key(v[i]) > stats_key(v[m])) m = i;
    return (v[m] + v[k]) / 2.0;
}

double srdi_median_sorted(const double *v, size_t n)
{
    if (n == 0) return NAN;
    if (n % 2 == 1) return v[n / 2];
    return (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double srdi_mean(const double *v, size_t n)
{
    if (n == 0) return NAN;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += v[i];
    return s / (double)n;
}

/*
 * Percentile on sorted data, PERCENTILE.INC / numpy "linear": the rank
 * h = (n − 1) · k/100 is split into floor index i and fraction f and the
 * result is v[i] + f · (v[i+1] − v[i]).  k is clamped to [0, 100].
 */
double srdi_percentile_sorted(const double *v, size_t n, double k)
{
    if (n == 0 || isnan(k)) return NAN;
    if (k <= 0.0) return v[0];
    if (k >= 100.0) return v[n - 1];
    double h = (double)(n - 1) * (k / 100.0);
    double fl = floor(h);
    size_t i = (size_t)fl;
    if (i >= n - 1) return v[n - 1];
    double f = h - fl;
    if (f == 0.0) return v[i];
    return v[i] + f * (v[i + 1] - v[i]);
}

double srdi_percentile(double *v, size_t n, double k)
{
    if (n == 0) return NAN;
    stats_sort(v, n);
    return srdi_percentile_sorted(v, n, k);
}

/*
 * Pearson correlation with the two-pass formula.  A constant series (all
 * values equal, tested exactly so rounding in the mean cannot fake a
 * variance) or fewer than two pairs gives NAN.
 */
double srdi_pearson(const double *x, const double *y, size_t n)
{
    if (n < 2) return NAN;
    /* one pass: whether either is constant, and the sums of the means (srdi_mean's, in the same order) */
    int xconst = 1, yconst = 1;
    double sx = 0.0, sy = 0.0;
    for (size_t i = 0; i < n; i++) {
        xconst &= x[i] == x[0];
        yconst &= y[i] == y[0];
        sx += x[i];
        sy += y[i];
    }
    if (xconst || yconst) return NAN;
    double mx = sx / (double)n, my = sy / (double)n;
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (size_t i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx <= 0.0 || syy <= 0.0) return NAN;
    double r = sxy / sqrt(sxx * syy);
    if (r > 1.0) r = 1.0;
    if (r < -1.0) r = -1.0;
    return r;
}

double srdi_div(double a, double b)
{
    if (isnan(a) || isnan(b) || b == 0.0) return NAN;
    return a / b;
}

/* Append x, doubling the capacity when full. */
srdi_status srdi_vec_push(srdi_vec *a, double x)
{
    if (a->n == a->cap && srdi_grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory growing a value vector to %zu", a->n + 1);
    a->v[a->n++] = x;
    return SRDI_OK;
}

/*
 * Room for exactly @p n values when there is less (a reserve is the size the
 * caller knows it needs — every enterprise row — so no power of two above it:
 * at 670,000 rows that is 5.4 MB a vector instead of 8.4).
 */
srdi_status srdi_vec_reserve(srdi_vec *a, size_t n)
{
    if (n == 0) n = 1; /* never a NULL v after a reserve */
    if (n <= a->cap) return SRDI_OK;
    /* the first block of a vector over every row: 2 MiB pages when large (srdi_malloc_huge) */
    double *v = n > SIZE_MAX / sizeof *v ? NULL : a->v ? realloc(a->v, n * sizeof *v) : srdi_malloc_huge(n * sizeof *v);
    if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory growing a value vector to %zu", n);
    a->v = v; /* the room is not cleared: its pages are touched (and, fresh, faulted in) only where values go */
    a->cap = n;
    return SRDI_OK;
}

void srdi_vec_clear(srdi_vec *a)
{
    a->n = 0;
}

void srdi_vec_free(srdi_vec *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/*
 * Collect the present values of field f over the rows keep() accepts (all
 * rows when keep is NULL), appending to out (which is not cleared first).
 */
srdi_status srdi_collect(const srdi_dataset *d, srdi_field f, srdi_row_pred keep, const void *ud, srdi_vec *out)
{
    if ((int)f < 0 || f >= SRDI_F_COUNT) return srdi_error_set(SRDI_ERR_INTERNAL, "srdi_collect: bad field %d", (int)f);
    const srdi_ecol *c = &d->num[f];
    double x;
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_ecol_get(c, i, &x)) continue;
        if (keep && !keep(d, i, ud)) continue;
        srdi_status st = srdi_vec_push(out, x);
        if (st != SRDI_OK) return st;
    }
    return SRDI_OK;
}
