/*
 * srdi/stats.h — the statistics of docs/tables.md "Conventions", exact and
 * shared by every table.
 *
 * All functions take plain arrays of the values that are present (callers
 * collect them first with srdi_collect) and return NAN for an empty set or an
 * undefined result; the table model turns NAN into a null cell.
 */
#ifndef SRDI_STATS_H
#define SRDI_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "srdi/dataset.h"

/**
 * @brief Median (mean of the two middle values when n is even).  Reorders
 * @p v in place (not necessarily sorted after).
 * @param v the values (no NAN), reordered
 * @param n their count
 * @return the median; NAN if n == 0
 */
double srdi_median(double *v, size_t n);
/**
 * @brief Median of an already ascending-sorted array (no sorting).
 * @param v the values, ascending (borrowed)
 * @param n their count
 * @return the median; NAN if n == 0
 */
double srdi_median_sorted(const double *v, size_t n);
/** @brief Arithmetic mean. @param v the values (borrowed) @param n their count @return NAN if n == 0 */
double srdi_mean(const double *v, size_t n);
/**
 * @brief Percentile k with linear interpolation between closest ranks
 * (Excel PERCENTILE.INC, numpy default). Sorts @p v in place.
 * @param v the values (no NAN), reordered
 * @param n their count
 * @param k the percentile, 0 … 100
 * @return the value; NAN if n == 0
 */
double srdi_percentile(double *v, size_t n, double k);
/**
 * @brief Same on an already ascending-sorted array (no sorting).
 * @param v the values, ascending (borrowed)
 * @param n their count
 * @param k the percentile, 0 … 100
 * @return the value; NAN if n == 0
 */
double srdi_percentile_sorted(const double *v, size_t n, double k);
/**
 * @brief Pearson correlation of the pairs (x[i], y[i]).
 * @param x the first values (borrowed)
 * @param y the second values (borrowed)
 * @param n the number of pairs
 * @return the coefficient; NAN if n < 2 or either series is constant
 */
double srdi_pearson(const double *x, const double *y, size_t n);
/** @brief a / b, NAN when b == 0 or either is NAN. @param a the numerator @param b the denominator */
double srdi_div(double a, double b);

/** A growable array of doubles for collecting values. */
typedef struct srdi_vec {
    double *v;
    size_t n, cap;
} srdi_vec;
/**
 * @brief Append @p x to @p a, doubling its capacity when full.
 * @param a the vector (a zeroed srdi_vec is empty; owned by the caller, srdi_vec_free)
 * @param x the value
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; @p a unchanged)
 */
srdi_status srdi_vec_push(srdi_vec *a, double x);
/**
 * @brief Make room for @p n values (contents kept; the room after them is not cleared).
 * @param a the vector
 * @param n the capacity wanted
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; @p a unchanged)
 */
srdi_status srdi_vec_reserve(srdi_vec *a, size_t n);
/** @brief Empty @p a (n = 0), keeping its memory. @param a the vector */
void srdi_vec_clear(srdi_vec *a);
/** @brief Free the values of @p a and zero it (it may be used again). @param a the vector */
void srdi_vec_free(srdi_vec *a);

/** A row predicate for srdi_collect: non-zero keeps row @p row of @p d. */
typedef int (*srdi_row_pred)(const srdi_dataset *d, size_t row, const void *ud);
/**
 * @brief Collect the present values of field @p f over the rows @p keep accepts,
 * appending them to @p out (which is not cleared first).
 * @param d    the dataset (borrowed)
 * @param f    a numeric field
 * @param keep predicate on a row, called with @p ud; NULL keeps every row
 * @param ud   user data for @p keep
 * @param out  the vector appended to
 * @return SRDI_OK; SRDI_ERR_NOMEM (message set; @p out holds what was
 *         collected so far); SRDI_ERR_INTERNAL for a field outside the enum
 */
srdi_status srdi_collect(const srdi_dataset *d, srdi_field f, srdi_row_pred keep, const void *ud, srdi_vec *out);

#endif
