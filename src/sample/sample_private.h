/*
 * src/sample/sample_private.h — calibration tables shared by the sample
 * generator's sources (sample.c uses them, sample_data.c defines them).
 * Every share below is a fraction of the 专精特新 population P.
 */
#ifndef SRDI_SAMPLE_PRIVATE_H
#define SRDI_SAMPLE_PRIVATE_H

/* One province: share of P, national share inside (< 0 = derived so that
 * the overall national share is met), GB/T 2260 code (for ids) and its
 * cities as "name:share:patent_multiplier;…" (share 0 = residual split). */
typedef struct sample_prov_spec {
    const char *name;        /* full name, must exist in reference provinces.csv */
    double      share;       /* share of P */
    double      nat_share;   /* national share inside; < 0 = derived */
    int         code;        /* GB/T 2260 two-digit code */
    const char *cities;      /* "苏州市:0.0385:1.9;南通市;…" */
} sample_prov_spec;

/* One division (大类): share of P. */
typedef struct sample_div_spec {
    const char *code;        /* "75" */
    double      share;       /* share of P; others are scaled to fill 1 */
} sample_div_spec;

/* One class (小类) pinned by the published tables: share of P, national share. */
typedef struct sample_class_spec {
    const char *code;        /* "3985" */
    double      share;       /* share of P */
    double      nat_share;   /* national share inside the class */
} sample_class_spec;

/* One division → IPC subclasses typical for it. */
typedef struct sample_ipc_spec {
    const char *div;         /* "40", or "" for the default row */
    const char *ipcs;        /* "G01N,G01R,G05B" */
} sample_ipc_spec;

/* One city with a published median patents_total (T16). */
typedef struct sample_city_median {
    const char *city;
    double      median;
} sample_city_median;

extern const sample_prov_spec  sample_provinces[];
extern const sample_city_median sample_city_medians[];
extern const int               sample_n_city_medians;
extern const int               sample_n_provinces;
extern const sample_div_spec   sample_divisions[];
extern const int               sample_n_divisions;
extern const double            sample_top_div_total;   /* sum of the published 12 */
extern const sample_class_spec sample_classes[];
extern const int               sample_n_classes;
extern const sample_ipc_spec   sample_ipcs[];
extern const int               sample_n_ipcs;

#endif
