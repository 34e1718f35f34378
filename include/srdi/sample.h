/*
 * srdi/sample.h — the synthetic data generator (`srdi-report sample`),
 * deterministic per seed, calibrated to the published aggregates of the
 * 2026 edition (tests/data/published-2026.csv).  Output is clearly
 * labelled synthetic (a SYNTHETIC.txt beside the CSVs and names like
 * 样本企业000123).
 */
#ifndef SRDI_SAMPLE_H
#define SRDI_SAMPLE_H

#include <stdint.h>
#include "srdi/error.h"
#include "srdi/reference.h"

typedef struct srdi_sample_opts {
    long n;         /* 专精特新 enterprises (national + provincial) */
    long champions; /* champion benchmark rows (0 = n * 1500 / 167372, at least 30) */
    uint64_t seed;
    const char *out_dir;
    int patents; /* 1 = write patents.csv (default), 0 = skip,
                                 2 = compact: invention rows of national-level
                                 enterprises only (the bundled samples/, added by sample) */
    int quiet;
} srdi_sample_opts;

/**
 * @brief Write a synthetic data set (enterprises.csv, financials.csv, patents.csv
 * and SYNTHETIC.txt) into o->out_dir, deterministic for o->seed.
 * @param o   the options (borrowed)
 * @param ref the reference data the codes and regions are drawn from (borrowed)
 * @return SRDI_OK; SRDI_ERR_USAGE (no output folder, --n outside 1 … 50000000);
 *         SRDI_ERR_IO (a file or the folder cannot be written); SRDI_ERR_NOMEM;
 *         message set.  Files are written atomically.
 */
srdi_status srdi_sample_generate(const srdi_sample_opts *o, const srdi_reference *ref);

#endif
