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
    long        n;            /* 专精特新 enterprises (national + provincial) */
    long        champions;    /* champion benchmark rows (default: n * 1500 / 167372, at least 10) */
    uint64_t    seed;
    const char *out_dir;
    int         patents;      /* 1 = write patents.csv (default), 0 = skip,
                                 2 = compact: invention rows of national-level
                                 enterprises only (the bundled samples/, added by sample) */
    int         quiet;
} srdi_sample_opts;

srdi_status srdi_sample_generate(const srdi_sample_opts *o, const srdi_reference *ref);

#endif
