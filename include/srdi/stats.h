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

/** @brief Median (mean of the two middle values when n is even). Sorts @p v in place. NAN if n == 0. */
double srdi_median(double *v, size_t n);
/** @brief Median of an already ascending-sorted array (no sorting). NAN if n == 0. */
double srdi_median_sorted(const double *v, size_t n);
/** @brief Arithmetic mean; NAN if n == 0. */
double srdi_mean(const double *v, size_t n);
/** @brief Percentile k in [0,100] with linear interpolation between closest
 *  ranks (Excel PERCENTILE.INC, numpy default). Sorts @p v in place. NAN if n == 0. */
double srdi_percentile(double *v, size_t n, double k);
/** @brief Same on an already ascending-sorted array (no sorting). */
double srdi_percentile_sorted(const double *v, size_t n, double k);
/** @brief Pearson correlation of pairs (x[i], y[i]); NAN if n < 2 or a variance is 0. */
double srdi_pearson(const double *x, const double *y, size_t n);
/** @brief a / b, NAN when b == 0 or either is NAN. */
double srdi_div(double a, double b);

/** A growable array of doubles for collecting values. */
typedef struct srdi_vec { double *v; size_t n, cap; } srdi_vec;
srdi_status srdi_vec_push(srdi_vec *a, double x);
/** @brief Make room for @p n values (contents kept); SRDI_ERR_NOMEM (recorded) on failure. */
srdi_status srdi_vec_reserve(srdi_vec *a, size_t n);
void        srdi_vec_clear(srdi_vec *a);   /* n = 0, keeps memory */
void        srdi_vec_free(srdi_vec *a);

/**
 * @brief Collect present values of field f over rows where keep(row) is true.
 * keep is a predicate with user data; NULL keeps every row.
 */
typedef int (*srdi_row_pred)(const srdi_dataset *d, size_t row, const void *ud);
srdi_status srdi_collect(const srdi_dataset *d, srdi_field f, srdi_row_pred keep, const void *ud, srdi_vec *out);

#endif
