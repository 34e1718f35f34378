/*
 * src/sample/sample_private.h — calibration tables shared by the sample
 * generator's sources (sample_data.c defines them), and the generator's
 * internal types and functions (smp_ prefix).
 * Every share below is a fraction of the 专精特新 population P.
 */
#ifndef SRDI_SAMPLE_PRIVATE_H
#define SRDI_SAMPLE_PRIVATE_H

#include <stdint.h>

#include "srdi/error.h"
#include "srdi/reference.h"

/* One province: share of P, GB/T 2260 code (for ids) and its cities as
 * "name:share:patent_multiplier;…" (share 0 = residual split). */
typedef struct sample_prov_spec {
    const char *name;   /* full name, must exist in reference provinces.csv */
    double share;       /* share of P */
    int code;           /* GB/T 2260 two-digit code */
    const char *cities; /* "苏州市:0.0385:1.9;南通市;…" */
} sample_prov_spec;

/* A published national share inside a province (T13); a province without
 * one gets a share derived so that the overall national share is met. */
typedef struct sample_nat_spec {
    const char *province; /* full name, as in sample_provinces */
    double nat_share;     /* national share inside */
} sample_nat_spec;

/* One division (大类): share of P. */
typedef struct sample_div_spec {
    const char *code; /* "75" */
    double share;     /* share of P; others are scaled to fill 1 */
} sample_div_spec;

/* One class (小类) pinned by the published tables: share of P, national share. */
typedef struct sample_class_spec {
    const char *code; /* "3985" */
    double share;     /* share of P */
    double nat_share; /* national share inside the class */
} sample_class_spec;

/* One division → IPC subclasses typical for it. */
typedef struct sample_ipc_spec {
    const char *div;  /* "40", or "" for the default row */
    const char *ipcs; /* "G01N,G01R,G05B" */
} sample_ipc_spec;

/* One city with a published median patents_total (T16). */
typedef struct sample_city_median {
    const char *city;
    double median;
} sample_city_median;

extern const sample_prov_spec sample_provinces[];
extern const sample_nat_spec sample_nat_shares[];
extern const int sample_n_nat_shares;
extern const sample_city_median sample_city_medians[];
extern const int sample_n_city_medians;
extern const int sample_n_provinces;
extern const sample_div_spec sample_divisions[];
extern const int sample_n_divisions;
extern const double sample_top_div_total; /* sum of the published 12 */
extern const sample_class_spec sample_classes[];
extern const int sample_n_classes;
extern const sample_ipc_spec sample_ipcs[];
extern const int sample_n_ipcs;

/* ============================================== generator internals
 * Shared by sample_model.c (random sources, model tables),
 * sample_enterprises.c (per-enterprise draws) and sample.c (output). */

/* xoshiro256** state of one sub-stream (seeded by smp_rng_init). */
typedef struct rng {
    uint64_t s[4];
} rng;

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static inline double rng_unif(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Randomly shifted R_d (Kronecker) sequence: the categorical and latent draws. */
#define QDIM 7
enum { Q_LEVEL, Q_PROV, Q_CITY, Q_CLASS, Q_INN, Q_SIZE, Q_REG };

typedef struct quasi {
    double alpha[QDIM];
    double shift[QDIM];
} quasi;

/* Per-level stratified draws (rank-1 lattice per level; see sample_model.c). */
#define LQDIM 7
enum { L_RES_P, L_RES_G, L_RES_A, L_SOFT, L_STD, L_ACT, L_INN };

typedef struct lquasi {
    double alpha[LQDIM];
    double shift[LQDIM];
    long n[3];        /* rows per level */
    long m[3][LQDIM]; /* lattice multipliers per level */
} lquasi;

/* Systematic sampling state: one accumulator per level and rate. */
#define N_ACC 24
typedef struct accs {
    double a[3][N_ACC]; /* accumulators */
    long count[3];      /* enterprises drawn so far per level */
} accs;

/* A (u, v) knot of a quantile function. */
typedef struct knot {
    double u, v;
} knot;

/* T01: national share of P (sample_model.c). */
extern const double NAT_SHARE;

/* Level index of the model: national, provincial, champion. */
enum { LV_NAT = 0, LV_PROV = 1, LV_CHAMP = 2 };

/* Honours in docs/data.md order (little_giant … cnas). */
#define N_HON 10

/* Derived counts of T28 (inventors … foreign patents). */
enum { D_INVENTORS, D_COOP, D_PLEDGED, D_LICENSED, D_LITIGATED, D_DIGITAL, D_AWARDED, D_STDPAT, D_FOREIGN, N_DERIVED };

/* Model tables (smp_model_build): provinces with their cities, classes. */
typedef struct city {
    char *name;    /* owned */
    double weight; /* share of P */
    double mult;   /* patent multiplier */
} city;

typedef struct prov {
    const sample_prov_spec *spec;
    double nat; /* national share inside */
    city *cities;
    int n_cities;
} prov;

typedef struct klass {
    const char *code;     /* borrowed from ref */
    const char *div_name; /* field label (division name minus trailing 业), owned by model */
    double share, nat;
    const char *ipcs; /* borrowed "G01N,G01R" */
} klass;

typedef struct model {
    prov provs[64];
    int n_provs;
    double prov_cum[3][64]; /* cumulative weights per level */
    klass *classes;
    int n_classes;
    double *class_cum[3];
    char **labels;
    int n_labels;      /* owned division labels */
    size_t labels_cap; /* labels allocated (srdi_grow) */
} model;

/* One drawn enterprise, before it is written. */
typedef struct ent {
    unsigned char level, has_std, tech, fin;
    unsigned char band, out; /* financials: T22 band, ratio > 0.30 */
    long k;                  /* index inside the level */
    double u_inn;            /* innovation quantile inside the level */
    double rd_w;             /* position of the ratio inside its band */
    double res_pg;           /* patent minus grant residual (T22) */
    double p0;               /* patents before the city multiplier */
    unsigned char hon[N_HON];
    short prov, city;
    int cls;
    double z_inn;
    double reg_capital;
    long staff, rd_staff;
    long std_n[4]; /* national, industry, local, group */
    long patents, apps, grants, rejected, utility, design, software, class1;
    long pct, foreign, hv, derived[N_DERIVED];
    double citations;
    unsigned missing; /* bit per blankable column */
} ent;

/* ent.missing: bit per blankable column. */
enum { M_REG = 1, M_SOFT = 2, M_CITE = 4, M_INV = 8, M_COOP = 16, M_CLASS1 = 32, M_DIGITAL = 64, M_RDSTAFF = 128 };

/** @brief Seed sub-stream @p r for (@p seed, @p index, @p stream) through splitmix64. */
void smp_rng_init(rng *r, uint64_t seed, uint64_t index, uint64_t stream);
/** @brief Uniform integer in [@p lo, @p hi] from @p r. */
long smp_rng_range(rng *r, long lo, long hi);
/** @brief Standard normal draw from @p r. */
double smp_rng_norm(rng *r);
/** @brief Poisson draw of mean @p lam from @p r. */
long smp_rng_poisson(rng *r, double lam);
/** @brief Log-normal draw from @p r of mean 1 and log-sd @p sigma. */
double smp_rng_lnmean1(rng *r, double sigma);
/** @brief Standard normal CDF at @p z. */
double smp_phi(double z);
/** @brief Inverse of the standard normal CDF at @p p in (0, 1). */
double smp_phi_inv(double p);
/** @brief Quasi-random sequence @p q: init from @p seed. */
void smp_quasi_init(quasi *q, uint64_t seed);
/** @brief Coordinate @p dim of point @p i of quasi-random sequence @p q, in [0, 1). */
double smp_quasi_u(const quasi *q, long i, int dim);
/** @brief Stratified draws @p q: the lattice multipliers, once q->n is known per level. */
void smp_lquasi_levels(lquasi *q);
/** @brief Stratified draws @p q: init from @p seed. */
void smp_lquasi_init(lquasi *q, uint64_t seed);
/** @brief Clamp uniform @p u into the strata of @p n rows (away from 0 and 1). */
double smp_clamp_u(double u, long n);
/** @brief The uniform of row @p k of level @p level, coordinate @p dim, of stratified draws @p q. */
double smp_lq_u(const lquasi *q, int level, long k, int dim);
/** @brief Systematic sampling: add @p rate to accumulator @p k of level @p level in @p s; 1 when it fires. */
int smp_acc_fire(accs *s, int level, int k, double rate);
/** @brief Quantile function through the @p n knots @p k at @p u, log-linear between knots. */
double smp_quantile(const knot *k, int n, double u);
/** @brief Quantile function through the @p n knots @p k at @p u, linear between knots. */
double smp_quantile_lin(const knot *k, int n, double u);
/** @brief Index drawn from the cumulative weight array @p cum of @p n entries by the uniform @p u. */
int smp_pick(const double *cum, int n, double u);
/** @brief FNV-1a of string @p s, for deterministic uneven splits. */
uint32_t smp_fnv(const char *s);
/* Release what smp_model_build allocated in @p m (the struct is the caller's). */
void smp_model_free(model *m);
/**
 * @brief Model tables from sample_data.c and the reference data @p ref (borrowed)
 * into @p m; SRDI_OK or SRDI_ERR_NOMEM (free with smp_model_free in both cases).
 */
srdi_status smp_model_build(model *m, const srdi_reference *ref);
/**
 * @brief Draw enterprise @p i of level @p level into *@p e (sample_enterprises.c)
 * from model @p m, the sequences @p q and @p lq, the accumulators @p ac and @p seed.
 */
void smp_draw_enterprise(const model *m, const quasi *q, const lquasi *lq, accs *ac, uint64_t seed, long i, int level,
                         ent *e);
/**
 * @brief Split e->patents of enterprise @p i (@p e) into inventions / utility models / designs (patent multiplier @p mult, @p seed).
 */
void smp_split_patents(ent *e, uint64_t seed, long i, double mult);
/**
 * @brief Patent counts of the @p total enterprises @p ents after the city multipliers of @p m (@p seed); SRDI_OK or SRDI_ERR_NOMEM.
 */
srdi_status smp_finish_patents(const model *m, ent *ents, long total, uint64_t seed);
/** @brief The derived counts (T28) of the @p total enterprises @p ents, from @p lq and @p seed. */
void smp_draw_derived(ent *ents, long total, const lquasi *lq, uint64_t seed);
/**
 * @brief Which of the @p total enterprises @p ents get financials (T10, T11, T22), and their band (@p seed).
 */
void smp_assign_financials(ent *ents, long total, uint64_t seed);

#endif
