/*
 * src/sample/sample.c — the synthetic data generator (`srdi-report sample`).
 *
 * Writes enterprises.csv, financials.csv, patents.csv and SYNTHETIC.txt to
 * opts->out_dir.  Everything is drawn from one seed through xoshiro256**
 * sub-streams keyed by (seed, enterprise index, purpose), so the output is
 * identical for the same seed whatever the order of work, and enterprises.csv
 * does not change when patents.csv is skipped.
 *
 * The model (docs/calibration.md explains the figures it reproduces):
 *   level → province (T13) → city (T16) ; level → class (T17–T19);
 *   one latent innovation factor z_inn per enterprise drives patents,
 *   grants, applications (T06, T20, T21, T28) and, weakly, staff and
 *   registered capital (T02, T03) and the R&D ratio (T10, T11, T22).
 *
 * Ownership: nothing allocated here outlives srdi_sample_generate().
 */
#include "srdi/log.h"
#include "srdi/sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"
#include "sample_private.h"

/* ================================================================ PRNG */

typedef struct rng { uint64_t s[4]; } rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Seed a sub-stream for (seed, index, stream) through splitmix64. */
static void rng_init(rng *r, uint64_t seed, uint64_t index, uint64_t stream)
{
    uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ULL) ^ (stream * 0xABC98388FB8FAC03ULL);
    (void)splitmix64(&x);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unif(rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

/* Uniform integer in [lo, hi]. */
static long rng_range(rng *r, long lo, long hi)
{
    return lo + (long)(rng_unif(r) * (double)(hi - lo + 1));
}

/* Standard normal (Box–Muller, one value per call). */
static double rng_norm(rng *r)
{
    double u1 = rng_unif(r), u2 = rng_unif(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Poisson(lambda): multiplication method below 30, normal approximation above. */
static long rng_poisson(rng *r, double lam)
{
    if (!(lam > 0)) return 0;
    if (lam < 30) {
        double l = exp(-lam), p = 1.0;
        long k = 0;
        do { k++; p *= rng_unif(r); } while (p > l);
        return k - 1;
    }
    double v = floor(lam + sqrt(lam) * rng_norm(r) + 0.5);
    return v < 0 ? 0 : (long)v;
}

/* Lognormal factor with mean 1. */
static double rng_lnmean1(rng *r, double sigma)
{
    return exp(sigma * rng_norm(r) - 0.5 * sigma * sigma);
}

static double phi(double z) { return 0.5 * erfc(-z / 1.4142135623730951); }

/* Inverse standard normal CDF (Acklam's rational approximation, |rel err| < 1.2e-9). */
static double phi_inv(double p)
{
    static const double a[6] = { -3.969683028665376e+01, 2.209460984245205e+02,
        -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
    static const double b[5] = { -5.447609879822406e+01, 1.615858368580409e+02,
        -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
    static const double c[6] = { -7.784894002430293e-03, -3.223964580411365e-01,
        -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
    static const double d[4] = { 7.784695709041462e-03, 3.224671290700398e-01,
        2.445134137142996e+00, 3.754408661907416e+00 };
    if (p < 1e-12) p = 1e-12;
    if (p > 1 - 1e-12) p = 1 - 1e-12;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1);
    }
    if (p > 1 - 0.02425) {
        double q = sqrt(-2 * log(1 - p));
        return -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1);
    }
    double q = p - 0.5, r = q * q;
    return (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r+a[5])*q /
           (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r+1);
}

/* ============================================================ quasi-random draws
 *
 * The categorical and latent draws that the published shares and medians
 * depend on come from a randomly shifted R_d (Kronecker) sequence, so that
 * level × province × class counts are nearly exact even in small groups
 * (a class of 700 enterprises would otherwise miss its national share by
 * ±1.5 pp from sampling noise alone).  Rates (honours, standards, tech_eval)
 * use per-level systematic sampling: an accumulator adds the rate at each
 * enterprise and fires when it passes 1.
 */
#define QDIM 7
enum { Q_LEVEL, Q_PROV, Q_CITY, Q_CLASS, Q_INN, Q_SIZE, Q_REG };

typedef struct quasi {
    double alpha[QDIM];
    double shift[QDIM];
} quasi;

static void quasi_init(quasi *q, uint64_t seed)
{
    /* phi_d: the positive root of x^(d+1) = x + 1 (Newton) */
    double x = 2.0;
    for (int it = 0; it < 60; it++) {
        double f = pow(x, QDIM + 1) - x - 1, df = (QDIM + 1) * pow(x, QDIM) - 1;
        x -= f / df;
    }
    rng r;
    rng_init(&r, seed, 0, 7);
    for (int j = 0; j < QDIM; j++) {
        q->alpha[j] = fmod(1.0 / pow(x, j + 1), 1.0);
        q->shift[j] = rng_unif(&r);
    }
}

/* Coordinate @p dim of point @p i, in [0, 1). */
static double quasi_u(const quasi *q, long i, int dim)
{
    double v = q->shift[dim] + (double)i * q->alpha[dim];
    return v - floor(v);
}

/*
 * Per-level stratified draws: coordinate @p dim of the k-th enterprise of a
 * level of n rows is (π(k) + 0.5) / n with π(k) = (k·m + c) mod n, a rank-1
 * lattice (m ≈ alpha·n coprime to n, alpha from R_d; c from the seed).  Each
 * level receives exactly the same n strata for every seed, so means of
 * heavy-tailed draws (T28 champion means over 1,500 rows) do not move with
 * the seed; only which enterprise gets which stratum does.
 */
#define LQDIM 7
enum { L_RES_P, L_RES_G, L_RES_A, L_SOFT, L_STD, L_ACT, L_INN };

typedef struct lquasi {
    double alpha[LQDIM];
    double shift[LQDIM];
    long   n[3];          /* rows per level */
    long   m[3][LQDIM];   /* lattice multipliers per level */
} lquasi;

static long gcd_l(long a, long b) { while (b) { long t = a % b; a = b; b = t; } return a; }

/* Multipliers once the level sizes are known. */
static void lquasi_levels(lquasi *q)
{
    for (int l = 0; l < 3; l++)
        for (int j = 0; j < LQDIM; j++) {
            long n = q->n[l] > 0 ? q->n[l] : 1;
            long m = (long)(q->alpha[j] * (double)n) | 1;
            while (n > 1 && gcd_l(m, n) != 1) m++;
            q->m[l][j] = m;
        }
}

static void lquasi_init(lquasi *q, uint64_t seed)
{
    double x = 2.0;
    for (int it = 0; it < 60; it++) {
        double f = pow(x, LQDIM + 1) - x - 1, df = (LQDIM + 1) * pow(x, LQDIM) - 1;
        x -= f / df;
    }
    rng r;
    rng_init(&r, seed, 0, 9);
    for (int j = 0; j < LQDIM; j++) {
        q->alpha[j] = fmod(1.0 / pow(x, j + 1), 1.0);
        q->shift[j] = rng_unif(&r);
    }
}

/* Clamp a uniform into the strata of a level of @p n rows. */
static double clamp_u(double u, long n)
{
    double lo = n > 0 ? 0.5 / (double)n : 1e-9;
    return u < lo ? lo : u > 1 - lo ? 1 - lo : u;
}

/* Stratified uniform for the @p k-th row of @p level. */
static double lq_u(const lquasi *q, int level, long k, int dim)
{
    long n = q->n[level] > 0 ? q->n[level] : 1;
    long c = (long)(q->shift[dim] * (double)n);
    long idx = (long)(((unsigned long long)(k % n) * (unsigned long long)q->m[level][dim] + (unsigned long long)c) % (unsigned long long)n);
    return ((double)idx + 0.5) / (double)n;
}

/* Systematic sampling state: one accumulator per level and rate. */
#define N_ACC 24
typedef struct accs {
    double a[3][N_ACC];   /* accumulators */
    long   count[3];      /* enterprises drawn so far per level */
} accs;

static int acc_fire(accs *s, int level, int k, double rate)
{
    s->a[level][k] += rate;
    if (s->a[level][k] >= 1.0) { s->a[level][k] -= 1.0; return 1; }
    return 0;
}

/* ============================================================ knots */

typedef struct knot { double u, v; } knot;

/* Quantile function through (u, v) knots, log-linear between knots. */
static double quantile(const knot *k, int n, double u)
{
    if (u <= k[0].u) return k[0].v;
    for (int i = 1; i < n; i++) {
        if (u <= k[i].u) {
            double t = (u - k[i - 1].u) / (k[i].u - k[i - 1].u);
            return exp(log(k[i - 1].v) + (log(k[i].v) - log(k[i - 1].v)) * t);
        }
    }
    return k[n - 1].v;
}

/* Quantile function, linear between knots (for ratios). */
static double quantile_lin(const knot *k, int n, double u)
{
    if (u <= k[0].u) return k[0].v;
    for (int i = 1; i < n; i++)
        if (u <= k[i].u)
            return k[i - 1].v + (k[i].v - k[i - 1].v) * (u - k[i - 1].u) / (k[i].u - k[i - 1].u);
    return k[n - 1].v;
}

/* ============================================================ model constants */

enum { LV_NAT = 0, LV_PROV = 1, LV_CHAMP = 2 };
static const double NAT_SHARE = 0.1057;                 /* T01 */

/* T03 staff bands (residual of the published bands put in 0–50, see docs). */
static const knot STAFF_NAT[] = { {0, 5}, {.0935, 51}, {.2791, 101}, {.5, 173.5},
    {.5639, 201}, {.8815, 501}, {.9901, 1001}, {.999, 2100}, {1, 4000} };
static const knot STAFF_PROV[] = { {0, 1.5}, {.5, 45.5}, {.5373, 50.5}, {.7377, 100.5},
    {.8762, 200.5}, {.9709, 500.5}, {.9963, 1000.5}, {1, 3000} };
/* T02 registered capital (万元): median, share >= 10000, mean. */
static const knot REG_NAT[] = { {0, 100}, {.5, 5774}, {.615, 10000}, {.9, 27000},
    {.99, 85000}, {1, 300000} };
static const knot REG_PROV[] = { {0, 10}, {.5, 2000}, {.848, 10000}, {.97, 17000},
    {.997, 45000}, {1, 120000} };
/* T11 R&D ratio inside [0, 0.30]: median, P75, P90 by level. */
/* Knots at 0.15 and 0.25 put the T22 band shares inside the filter (see FIN_*). */
static const knot RD_NAT[] = { {0, .05}, {.215, .15}, {.5, .201}, {.75, .245}, {.774, .25},
    {.9, .278}, {1, .2999} };
static const knot RD_PROV[] = { {0, .08}, {.389, .15}, {.5, .182}, {.75, .231}, {.823, .25},
    {.9, .265}, {1, .2999} };
#define RD_KNOTS 7
/* F(0.15) and F(0.25) of the knots above: band edges inside the filter. */
static const double RD_EDGE[2][2] = { {.215, .774}, {.389, .823} };

/* Patents (T06/T21/T28): medians by level × holds a standard. */
static const double PAT_MED[3][2] = { {87, 123}, {24, 52}, {398, 619} };
static const double PAT_SIG[3]    = { 0.71, 0.65, 0.90 };
static const double GRT_MED[3][2] = { {19, 29}, {4, 9}, {130, 152} };
static const double GRT_SIG[3]    = { 0.32, 0.70, 0.60 };
static const double GRT_TAIL_FROM[3] = { 60, 15, 600 };  /* grants follow the apps tail (T20) */
static const double GRT_TAIL_SLOPE   = 0.12;
static const double INN_LOAD = 0.97;                     /* patents/grants/apps on z_inn */
static const double SIZE_LOAD = 0.06;                    /* staff on z_inn (T20) */
static const double PAT_SIZE = 0.1;                      /* patents (utility models) on size (T20) */
static const double APP_MED[3]    = { 22, 5, 250 };
static const double APP_SIG[3]    = { 1.58, 1.40, 1.30 };
static const double REJ_RATIO[3]  = { 0.5525, 0.75, 0.477 }; /* rejected / granted (T28 rate) */

static const double STD_RATE[3]   = { 0.8317, 0.4438, 0.95 };   /* T05 */
static const double STD_HOLD_MEAN[3] = { 6.24, 12.0, 24.7 };    /* among holders */
/* shares of national / industry+local / group standards (T28) */
static const double STD_SPLIT[3][3] = { {.385, .108, .507}, {.25, .15, .60}, {.40, .138, .462} };

/* T07 tech_eval shares: intl_advanced, domestic_advanced, intl_level, domestic_level */
static const char *const TECH_EVAL[4] = { "intl_advanced", "domestic_advanced",
                                          "intl_level", "domestic_level" };
static const double TECH_SHARE[3][4] = { {.0117, .0040, .0058, .0026},
                                         {.0041, .0025, .0016, .0010},
                                         {.03, .02, .01, .005} };

/* Honours in docs/data.md order; T04 rates (green factory and CNAS are ours). */
#define N_HON 10
/* order: little_giant, high_tech, tech_center, tech_sme, champion, eng_center,
 * gazelle, unicorn, green_factory, cnas */
static const double HON_RATE[3][N_HON] = {
    { 1.0,   .9454, .6328, .3605, .2593, .2244, .1374, .0633, .25, .35 },
    { .0842, .8461, .2032, .6794, .0375, .0840, .0826, .0162, .08, .15 },
    { .30,   .95,   .85,   .20,   1.0,   .50,   .10,   .05,   .50, .70 } };

/* T28 means of derived counts: national, provincial (ours), champion. */
enum { D_INVENTORS, D_COOP, D_PLEDGED, D_LICENSED, D_LITIGATED, D_DIGITAL, D_AWARDED,
       D_STDPAT, D_FOREIGN, N_DERIVED };
static const double DERIVED_MEAN[3][N_DERIVED] = {
    { 52.19, 4.98, 3.54, 0.93, 0.37, 19.63, 0.16, 0.11, 10 },
    { 14.0,  1.2,  1.0,  0.2,  0.08, 4.0,   0.03, 0.02, 1.0 },
    { 340.96, 12.81, 5.87, 3.57, 1.63, 147.39, 1.47, 0.39, 185 } };
static const double PCT_MEAN[3] = { 3, 0.3, 53 };           /* T28 pct_apps */
static const double HV_RATIO[3] = { 0.88, 0.80, 0.845 };
static const double CITE_MEAN[3] = { 2.38, 1.6, 2.84 };
static const double SOFT_MED[3] = { 4, 2, 6 };
static const knot SOFT_PROV_STD[] = { {0, 0}, {.35, 1}, {.62, 2}, {.97, 3}, {1, 12} };
static const knot SOFT_PROV_NOSTD[] = { {0, 0}, {.08, 2}, {.16, 3}, {.5, 6.5}, {.85, 19.5}, {1, 150} };
static const double SOFT_SIG[3] = { 1.87, 1.2, 1.686 };

/* T09 revenue growth medians 2022..2024; T10 year factors 2021..2024. */
static const double GROWTH_MED[2][3] = { {.0732, .0814, .0421}, {.0241, .0530, .0031} };
static const double RD_YEAR_FACTOR[4] = { .98, .98, 1.046, 1.0 };
/*
 * Financials (T10, T11, T22).  Per level and T22 band (0: >= 25%, 1: 15–25%,
 * 2: < 15%): the share of the level's rows that have financials in that band
 * and the window of innovation quantiles they are taken from (systematic
 * sampling, uniform inside the window).  FIN_OUT: share of band 0 whose ratio
 * lies above 0.30 (outside the T10/T11 filter).  Derivation in
 * docs/calibration.md (T22 shares × national shares with T10's n of 1059).
 */
static const double FIN_RATE[2][3] = { { 178 / 17692.0, 195 / 17692.0, 75 / 17692.0 },
                                       { 162 / 149680.0, 308 / 149680.0, 276 / 149680.0 } };
static const double FIN_WIN[2][3][2] = { { {.7, 1}, {.3, .9}, {0, .58} },
                                         { {.8, 1}, {.55, .98}, {.08, .67} } };
/* Per band: only firms whose patent residual exceeds their grant residual by
 * more than this are eligible (-10 = all); the rate is divided by the
 * eligible share Φ(−t/√2).  Gives T22's patents/grants medians together. */
static const double FIN_RES_T[3] = { 1.5, -0.5, -1.5 };
static const double FIN_RES_DIR[3] = { -1, 1, 1 };   /* band 0: grants ahead of patents */
static const double FIN_OUT[2] = { 99 / 178.0, 36 / 162.0 };
static const double FIN_YEARS[2] = { 0.642, 0.0123 };   /* 2021–24, 2023–24; rest 2024 */

/* ============================================================ model tables */

typedef struct city {
    char  *name;        /* owned */
    double weight;      /* share of P */
    double mult;        /* patent multiplier */
} city;

typedef struct prov {
    const sample_prov_spec *spec;
    double  nat;        /* national share inside */
    city   *cities;  int n_cities;
} prov;

typedef struct klass {
    const char *code;   /* borrowed from ref */
    const char *div_name; /* field label (division name minus trailing 业), owned by model */
    double share, nat;
    const char *ipcs;   /* borrowed "G01N,G01R" */
} klass;

typedef struct model {
    prov   provs[64];  int n_provs;
    double prov_cum[3][64];               /* cumulative weights per level */
    klass *classes;    int n_classes;
    double *class_cum[3];
    char  **labels;    int n_labels;      /* owned division labels */
} model;

typedef struct ent {
    unsigned char level, has_std, tech, fin;
    unsigned char band, out;              /* financials: T22 band, ratio > 0.30 */
    long  k;                              /* index inside the level */
    double u_inn;                         /* innovation quantile inside the level */
    double rd_w;                          /* position of the ratio inside its band */
    double res_pg;                        /* patent minus grant residual (T22) */
    double p0;                            /* patents before the city multiplier */
    unsigned char hon[N_HON];
    short prov, city;
    int   cls;
    double z_inn;
    double reg_capital;
    long  staff, rd_staff;
    long  std_n[4];                       /* national, industry, local, group */
    long  patents, apps, grants, rejected, utility, design, software, class1;
    long  pct, foreign, hv, derived[N_DERIVED];
    double citations;
    unsigned missing;                     /* bit per blankable column */
} ent;

enum { M_REG = 1, M_SOFT = 2, M_CITE = 4, M_INV = 8, M_COOP = 16, M_CLASS1 = 32,
       M_DIGITAL = 64, M_RDSTAFF = 128 };

/* Pick an index from a cumulative weight array of n entries. */
static int pick(const double *cum, int n, double u)
{
    double x = u * cum[n - 1];
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cum[mid] > x) hi = mid; else lo = mid + 1;
    }
    return lo;
}

/* FNV-1a of a string, for deterministic uneven splits. */
static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void model_free(model *m)
{
    for (int p = 0; p < m->n_provs; p++) {
        for (int c = 0; c < m->provs[p].n_cities; c++) free(m->provs[p].cities[c].name);
        free(m->provs[p].cities);
    }
    for (int i = 0; i < m->n_labels; i++) free(m->labels[i]);
    free(m->labels);
    free(m->classes);
    for (int l = 0; l < 3; l++) free(m->class_cum[l]);
}

/*
 * Parse a province's city list "name:share:mult;name;…": named shares are
 * kept, the residual of the province share is split over the rest with
 * declining weights.  Returns SRDI_OK or SRDI_ERR_NOMEM.
 */
static srdi_status parse_cities(prov *p)
{
    const char *s = p->spec->cities;
    int n = 1;
    for (const char *q = s; *q; q++) if (*q == ';') n++;
    p->cities = calloc((size_t)n, sizeof *p->cities);
    if (!p->cities) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    double fixed = 0; int n_free = 0;
    while (*s) {
        const char *end = strchr(s, ';');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *colon = memchr(s, ':', len);
        size_t nlen = colon ? (size_t)(colon - s) : len;
        city *c = &p->cities[p->n_cities++];
        c->name = malloc(nlen + 1);
        if (!c->name) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        memcpy(c->name, s, nlen);
        c->name[nlen] = '\0';
        c->mult = 1.0;
        c->weight = -1;
        if (colon) {
            char *e;
            c->weight = strtod(colon + 1, &e);
            if (*e == ':') c->mult = strtod(e + 1, NULL);
            fixed += c->weight;
        } else {
            n_free++;
        }
        s += len;
        if (*s == ';') s++;
    }
    double resid = p->spec->share - fixed, tot = 0;
    int k = 0;
    for (int i = 0; i < p->n_cities; i++)
        if (p->cities[i].weight < 0) tot += 1.0 / (k++ + 1.5);
    k = 0;
    for (int i = 0; i < p->n_cities; i++)
        if (p->cities[i].weight < 0)
            p->cities[i].weight = resid > 0 ? resid * (1.0 / (k++ + 1.5)) / tot : 0;
    return SRDI_OK;
}

/* Division label of a class: the division's name without a trailing 业. */
static const char *division_label(model *m, const srdi_reference *ref, const char *div)
{
    const srdi_industry *d = srdi_reference_industry(ref, div);
    if (!d) return "";
    for (int i = 0; i < m->n_labels; i++)
        if (strncmp(m->labels[i], div, 2) == 0) return m->labels[i] + 3;
    size_t len = strlen(d->name);
    if (len >= 3 && memcmp(d->name + len - 3, "业", 3) == 0) len -= 3;
    char *s = malloc(len + 4);
    if (!s) return NULL;
    memcpy(s, div, 2);
    s[2] = ':';
    memcpy(s + 3, d->name, len);
    s[len + 3] = '\0';
    char **nl = realloc(m->labels, (size_t)(m->n_labels + 1) * sizeof *nl);
    if (!nl) { free(s); return NULL; }
    m->labels = nl;
    m->labels[m->n_labels++] = s;
    return s + 3;
}

/* True when @p code is four ASCII digits. */
static int is_class_code(const char *code)
{
    if (strlen(code) != 4) return 0;
    for (int i = 0; i < 4; i++) if (code[i] < '0' || code[i] > '9') return 0;
    return 1;
}

/*
 * Build the model from the calibration tables and the reference data:
 * provinces (national shares derived for the unpublished ones), cities,
 * classes with shares and national shares, cumulative pick tables.
 */
static srdi_status model_build(model *m, const srdi_reference *ref)
{
    srdi_status st = SRDI_OK;
    memset(m, 0, sizeof *m);
    /* ---- provinces */
    double known = 0, free_share = 0;
    for (int i = 0; i < sample_n_provinces; i++) {
        const sample_prov_spec *ps = &sample_provinces[i];
        if (srdi_reference_province(ref, ps->name) < 0)
            return srdi_error_set(SRDI_ERR_REFERENCE, "sample: province %s not in reference data", ps->name);
        if (ps->nat_share >= 0) known += ps->share * ps->nat_share;
        else free_share += ps->share;
    }
    double derived = (NAT_SHARE - known) / free_share;
    for (int i = 0; i < sample_n_provinces && i < 64; i++) {
        prov *p = &m->provs[m->n_provs++];
        p->spec = &sample_provinces[i];
        p->nat = p->spec->nat_share >= 0 ? p->spec->nat_share : derived;
        if ((st = parse_cities(p)) != SRDI_OK) return st;
        double wn = p->spec->share * p->nat, wp = p->spec->share * (1 - p->nat);
        m->prov_cum[LV_NAT][i] = (i ? m->prov_cum[LV_NAT][i - 1] : 0) + wn;
        m->prov_cum[LV_PROV][i] = (i ? m->prov_cum[LV_PROV][i - 1] : 0) + wp;
        m->prov_cum[LV_CHAMP][i] = (i ? m->prov_cum[LV_CHAMP][i - 1] : 0) + wn;
    }
    /* ---- classes */
    size_t cap = 0;
    for (size_t i = 0; i < ref->n_industries; i++)
        if (ref->industries[i].level == SRDI_IND_CLASS) cap++;
    m->classes = calloc(cap ? cap : 1, sizeof *m->classes);
    if (!m->classes) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    double other_div = 0;
    for (int d = 12; d < sample_n_divisions; d++) other_div += sample_divisions[d].share;
    double scale = (1.0 - sample_top_div_total) / other_div;
    double pinned_nat = 0, free_total = 0;
    for (int d = 0; d < sample_n_divisions; d++) {
        const char *div = sample_divisions[d].code;
        double dshare = sample_divisions[d].share * (d < 12 ? 1.0 : scale);
        double pinned = 0, wsum = 0;
        int first = m->n_classes;
        for (size_t i = 0; i < ref->n_industries; i++) {
            const srdi_industry *ind = &ref->industries[i];
            if (ind->level != SRDI_IND_CLASS || !is_class_code(ind->code) ||
                strncmp(ind->code, div, 2) != 0) continue;
            klass *k = &m->classes[m->n_classes++];
            k->code = ind->code;
            k->div_name = division_label(m, ref, div);
            if (!k->div_name) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            k->nat = -1;
            for (int c = 0; c < sample_n_classes; c++)
                if (strcmp(sample_classes[c].code, ind->code) == 0) {
                    k->share = sample_classes[c].share;
                    k->nat = sample_classes[c].nat_share;
                    pinned += k->share;
                    pinned_nat += k->share * k->nat;
                }
            if (k->nat < 0) { k->share = 0.3 + (fnv(ind->code) % 1000) / 1000.0; wsum += k->share; }
            k->ipcs = sample_ipcs[sample_n_ipcs - 1].ipcs;
            for (int c = 0; c < sample_n_ipcs; c++)
                if (strcmp(sample_ipcs[c].div, div) == 0) { k->ipcs = sample_ipcs[c].ipcs; break; }
        }
        if (m->n_classes == first)
            return srdi_error_set(SRDI_ERR_REFERENCE, "sample: division %s has no classes in the reference data", div);
        for (int c = first; c < m->n_classes; c++)
            if (m->classes[c].nat < 0) {
                m->classes[c].share = wsum > 0 ? (dshare - pinned) * m->classes[c].share / wsum : 0;
                free_total += m->classes[c].share;
            }
    }
    double q0 = (NAT_SHARE - pinned_nat) / free_total;
    for (int l = 0; l < 3; l++) {
        m->class_cum[l] = calloc((size_t)m->n_classes, sizeof(double));
        if (!m->class_cum[l]) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    for (int c = 0; c < m->n_classes; c++) {
        klass *k = &m->classes[c];
        if (k->nat < 0) k->nat = q0;
        double wn = k->share * k->nat, wp = k->share * (1 - k->nat);
        m->class_cum[LV_NAT][c] = (c ? m->class_cum[LV_NAT][c - 1] : 0) + wn;
        m->class_cum[LV_PROV][c] = (c ? m->class_cum[LV_PROV][c - 1] : 0) + wp;
        m->class_cum[LV_CHAMP][c] = (c ? m->class_cum[LV_CHAMP][c - 1] : 0) + wn;
    }
    return SRDI_OK;
}

/* ============================================================ enterprise draw */

/* Draw enterprise @p i (level already decided by the caller's rule). */
static void draw_enterprise(const model *m, const quasi *q, const lquasi *lq, accs *ac,
                            uint64_t seed, long i, int level, ent *e)
{
    rng r;
    rng_init(&r, seed, (uint64_t)i, 1);
    memset(e, 0, sizeof *e);
    e->level = (unsigned char)level;
    /* province and class: per-level golden-ratio type sequences, so that the
     * counts inside each level are nearly exact */
    long k = ac->count[level]++;
    long nl = lq->n[level];
    e->k = k;
    double up = q->shift[Q_PROV] + (double)k * 0.41421356237309503;
    double uc = q->shift[Q_CLASS] + (double)k * 0.6180339887498949;
    e->prov = (short)pick(m->prov_cum[level], m->n_provs, up - floor(up));
    const prov *p = &m->provs[e->prov];
    double cu = rng_unif(&r) * p->spec->share, acc = 0;
    e->city = (short)(p->n_cities - 1);
    for (int c = 0; c < p->n_cities; c++) {
        acc += p->cities[c].weight;
        if (cu < acc) { e->city = (short)c; break; }
    }
    e->cls = pick(m->class_cum[level], m->n_classes, uc - floor(uc));
    e->u_inn = lq_u(lq, level, k, L_INN);
    e->z_inn = phi_inv(e->u_inn);
    e->has_std = (unsigned char)acc_fire(ac, level, 0, STD_RATE[level]);

    /* tech_eval */
    for (int t = 0; t < 4; t++)
        if (acc_fire(ac, level, 1 + t, TECH_SHARE[level][t]) && !e->tech) e->tech = (unsigned char)(t + 1);
    for (int h = 0; h < N_HON; h++) e->hon[h] = (unsigned char)acc_fire(ac, level, 5 + h, HON_RATE[level][h]);
    if (level == LV_NAT) e->hon[0] = 1;

    /* size: staff and registered capital */
    double z_size = SIZE_LOAD * e->z_inn + sqrt(1 - SIZE_LOAD * SIZE_LOAD) * phi_inv(clamp_u(quasi_u(q, i, Q_SIZE), nl));
    double z_reg = 0.55 * z_size + 0.835 * phi_inv(clamp_u(quasi_u(q, i, Q_REG), nl));
    if (level == LV_CHAMP) {
        e->staff = lround(1000 * exp(0.88 * z_size));
        e->reg_capital = 40000 * exp(1.25 * z_reg);
    } else if (level == LV_NAT) {
        e->staff = lround(floor(quantile(STAFF_NAT, 9, phi(z_size))));
        e->reg_capital = quantile(REG_NAT, 6, phi(z_reg));
    } else {
        e->staff = lround(floor(quantile(STAFF_PROV, 8, phi(z_size))));
        e->reg_capital = quantile(REG_PROV, 6, phi(z_reg));
    }
    e->reg_capital = floor(e->reg_capital * 10 + 0.5) / 10;
    e->rd_staff = lround(e->staff * (0.08 + 0.3 * rng_unif(&r)));

    /* standards */
    if (e->has_std) {
        double act = exp(0.8 * phi_inv(lq_u(lq, level, k, L_STD)) - 0.32);
        long s = 1 + rng_poisson(&r, (STD_HOLD_MEAN[level] - 1) * act);
        for (long k = 0; k < s; k++) {
            double u = rng_unif(&r);
            if (u < STD_SPLIT[level][0]) e->std_n[0]++;
            else if (u < STD_SPLIT[level][0] + STD_SPLIT[level][1]) e->std_n[rng_unif(&r) < 0.5 ? 1 : 2]++;
            else e->std_n[3]++;
        }
    }

    /* patents: one latent factor, level × standard medians (the city
     * multiplier and the split into kinds come in finish_patents) */
    const double ld = INN_LOAD, res = sqrt(1 - INN_LOAD * INN_LOAD);
    double r_p = phi_inv(lq_u(lq, level, k, L_RES_P)), r_g = phi_inv(lq_u(lq, level, k, L_RES_G));
    double z_p = ld * e->z_inn + res * r_p;
    double z_g = ld * e->z_inn + res * r_g;
    e->res_pg = r_p - r_g;
    double z_a = ld * e->z_inn + res * phi_inv(lq_u(lq, level, k, L_RES_A));
    e->p0 = PAT_MED[level][e->has_std] * exp(PAT_SIG[level] * z_p + PAT_SIZE * z_size);
    double g0 = GRT_MED[level][e->has_std] * exp(GRT_SIG[level] * z_g);
    if (e->tech) g0 *= level == LV_NAT ? 32.0 / 27.0 : 1.57;
    double a0 = APP_MED[level] * exp(APP_SIG[level] * z_a);
    if (a0 > GRT_TAIL_FROM[level]) g0 += GRT_TAIL_SLOPE * (a0 - GRT_TAIL_FROM[level]);
    e->apps = lround(a0);
    e->grants = lround(g0);

    e->hv = lround(e->grants * HV_RATIO[level] * (0.8 + 0.4 * rng_unif(&r)));
    if (e->hv > e->grants) e->hv = e->grants;
    e->citations = e->grants > 0 ? CITE_MEAN[level] * rng_lnmean1(&r, 0.5) : 0;
    e->citations = floor(e->citations * 100 + 0.5) / 100;
    if (level == LV_PROV) {
        /* provincial software copyrights: few for standard holders, more for
         * the others, so that T06's provincial 综合成果 medians and T21's
         * provincial median of 2 hold together (docs/calibration.md) */
        double us = lq_u(lq, level, k, L_SOFT);
        e->software = (long)floor(e->has_std ? quantile_lin(SOFT_PROV_STD, 5, us)
                                             : quantile_lin(SOFT_PROV_NOSTD, 6, us));
    } else {
        e->software = lround(SOFT_MED[level] * exp(SOFT_SIG[level] * phi_inv(lq_u(lq, level, k, L_SOFT))));
    }
    e->class1 = rng_poisson(&r, 0.8 * e->grants + 0.1 * e->software);

    /* missing cells: ~1% in optional numeric columns (0.5% for two) */
    if (level != LV_CHAMP) {
        if (rng_unif(&r) < 0.005) e->missing |= M_REG;
        if (rng_unif(&r) < 0.005) e->missing |= M_SOFT;
        if (rng_unif(&r) < 0.01) e->missing |= M_CITE;
        if (rng_unif(&r) < 0.01) e->missing |= M_INV;
        if (rng_unif(&r) < 0.01) e->missing |= M_COOP;
        if (rng_unif(&r) < 0.01) e->missing |= M_CLASS1;
        if (rng_unif(&r) < 0.01) e->missing |= M_DIGITAL;
        if (rng_unif(&r) < 0.01) e->missing |= M_RDSTAFF;
    }
}

/* patents_total, utility models and designs of one enterprise for a city
 * multiplier (stream 5, so the result depends only on the multiplier). */
static void split_patents(ent *e, uint64_t seed, long i, double mult)
{
    rng r;
    rng_init(&r, seed, (uint64_t)i, 5);
    double p0 = e->p0 * mult;
    e->design = rng_poisson(&r, 0.04 * p0);
    e->utility = lround(p0) - e->apps - e->design;
    if (e->utility < 0) e->utility = rng_poisson(&r, 0.2 * p0);
    e->patents = e->apps + e->utility + e->design;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/*
 * Second pass over the patent counts.  Each published city (T16) gets the
 * multiplier that puts its median patents_total on the published median
 * (three fixed-point rounds over the city's P rows); other cities keep the
 * multiplier of the city table.  Then invention_rejected is drawn and scaled
 * so that each level's grant rate (T28) holds exactly.
 */
static srdi_status finish_patents(const model *m, ent *ents, long total, uint64_t seed)
{
    long *idx = NULL, *val = NULL;
    srdi_status st = SRDI_OK;
    double *mult = calloc((size_t)m->n_provs * 64, sizeof *mult);
    idx = malloc((size_t)total * sizeof *idx);
    val = malloc((size_t)total * sizeof *val);
    if (!mult || !idx || !val) { st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); goto cleanup; }
    for (int p = 0; p < m->n_provs; p++)
        for (int c = 0; c < m->provs[p].n_cities && c < 64; c++) mult[p * 64 + c] = m->provs[p].cities[c].mult;
    for (int t = 0; t < sample_n_city_medians; t++) {
        const sample_city_median *cm = &sample_city_medians[t];
        int pp = -1, cc = -1;
        for (int p = 0; p < m->n_provs && pp < 0; p++)
            for (int c = 0; c < m->provs[p].n_cities && c < 64; c++)
                if (strcmp(m->provs[p].cities[c].name, cm->city) == 0) { pp = p; cc = c; break; }
        if (pp < 0) continue;
        long n = 0;
        for (long i = 0; i < total; i++)
            if (ents[i].level != LV_CHAMP && ents[i].prov == pp && ents[i].city == cc) idx[n++] = i;
        if (n == 0) continue;
        double mu = mult[pp * 64 + cc];
        for (int round = 0; round < 4; round++) {
            for (long j = 0; j < n; j++) {
                split_patents(&ents[idx[j]], seed, idx[j], mu);
                val[j] = ents[idx[j]].patents;
            }
            qsort(val, (size_t)n, sizeof *val, cmp_long);
            double med = n % 2 ? (double)val[n / 2] : 0.5 * (double)(val[n / 2 - 1] + val[n / 2]);
            if (med <= 0) break;
            mu *= cm->median / med;
        }
        mult[pp * 64 + cc] = mu;
    }
    for (long i = 0; i < total; i++)
        split_patents(&ents[i], seed, i, ents[i].city < 64 ? mult[ents[i].prov * 64 + ents[i].city] : 1.0);

    /* rejected: lognormal around REJ_RATIO × grants, scaled per level */
    double sum_g[3] = {0}, sum_l[3] = {0}, acc[3];
    rng r;
    for (int pass = 0; pass < 2; pass++) {
        rng_init(&r, seed, 0, 12);
        for (int l = 0; l < 3; l++) acc[l] = rng_unif(&r);
        for (long i = 0; i < total; i++) {
            ent *e = &ents[i];
            rng_init(&r, seed, (uint64_t)i, 6);
            double lam = (double)e->grants * rng_lnmean1(&r, 0.4);
            if (pass == 0) { sum_g[e->level] += (double)e->grants; sum_l[e->level] += lam; continue; }
            acc[e->level] += sum_l[e->level] > 0 ? lam * REJ_RATIO[e->level] * sum_g[e->level] / sum_l[e->level] : 0;
            double c = floor(acc[e->level]);
            acc[e->level] -= c;
            e->rejected = (long)c;
        }
    }
cleanup:
    free(mult);
    free(idx);
    free(val);
    return st;
}

/*
 * Second pass: derived counts of T28 (inventors, cooperation, pledged, …,
 * foreign filings, PCT).  Each is proportional to the enterprise's patents
 * (applications for foreign filings) × a shared stratified activity factor ×
 * a small lognormal noise, scaled so that each level's mean is the target,
 * and rounded systematically (an accumulator per level and count), so the
 * level means hold to within 1/n whatever the seed.  Foreign filings are
 * capped at the invention rows; PCT filings are a share of them.
 */
static void draw_derived(ent *ents, long total, const lquasi *lq, uint64_t seed)
{
    double sum[3][N_DERIVED], scale[3][N_DERIVED], acc[3][N_DERIVED];
    long cnt[3] = {0};
    memset(sum, 0, sizeof sum);
    rng r;
    /* pass 0: raw sums; passes 1–3: foreign scale under the cap; pass 4: draw */
    for (int pass = 0; pass < 5; pass++) {
        double capped[3] = {0};
        rng_init(&r, seed, 0, 10);
        for (int l = 0; l < 3; l++)
            for (int d = 0; d < N_DERIVED; d++) acc[l][d] = rng_unif(&r);
        for (long i = 0; i < total; i++) {
            ent *e = &ents[i];
            int lv = e->level;
            if (pass == 0) cnt[lv]++;
            rng_init(&r, seed, (uint64_t)i, 4);
            double act = exp(0.5 * phi_inv(lq_u(lq, lv, e->k, L_ACT)) - 0.125);
            long inv_rows = e->apps > e->grants + e->rejected ? e->apps : e->grants + e->rejected;
            for (int d = 0; d < N_DERIVED; d++) {
                double lam = (double)(d == D_FOREIGN ? e->apps : e->patents) * act * rng_lnmean1(&r, 0.3);
                if (pass == 0) { sum[lv][d] += lam; continue; }
                lam *= scale[lv][d];
                if (d == D_FOREIGN && lam > (double)inv_rows) lam = (double)inv_rows;
                if (pass < 4) { if (d == D_FOREIGN) capped[lv] += lam; continue; }
                acc[lv][d] += lam;
                double c = floor(acc[lv][d]);
                acc[lv][d] -= c;
                e->derived[d] = (long)c;
            }
            if (pass == 4) e->foreign = e->derived[D_FOREIGN] < inv_rows ? e->derived[D_FOREIGN] : inv_rows;
        }
        for (int l = 0; l < 3; l++) {
            if (pass == 0)
                for (int d = 0; d < N_DERIVED; d++)
                    scale[l][d] = sum[l][d] > 0 ? DERIVED_MEAN[l][d] * (double)cnt[l] / sum[l][d] : 0;
            else if (pass < 4 && capped[l] > 0)
                scale[l][D_FOREIGN] *= DERIVED_MEAN[l][D_FOREIGN] * (double)cnt[l] / capped[l];
        }
    }
    /* PCT filings: a share of the foreign ones, scaled to PCT_MEAN */
    double psum[3] = {0}, pacc[3];
    for (int pass = 0; pass < 2; pass++) {
        rng_init(&r, seed, 0, 13);
        for (int l = 0; l < 3; l++) pacc[l] = rng_unif(&r);
        for (long i = 0; i < total; i++) {
            ent *e = &ents[i];
            rng_init(&r, seed, (uint64_t)i, 7);
            double lam = (double)e->foreign * (0.5 + rng_unif(&r));
            if (pass == 0) { psum[e->level] += lam; continue; }
            pacc[e->level] += psum[e->level] > 0 ? lam * PCT_MEAN[e->level] * (double)cnt[e->level] / psum[e->level] : 0;
            double c = floor(pacc[e->level]);
            pacc[e->level] -= c;
            e->pct = (long)c > e->foreign ? e->foreign : (long)c;
        }
    }
}

/*
 * Second pass: which national and provincial enterprises have financials,
 * in which T22 band their latest R&D ratio lies, whether it is above 0.30,
 * and which years they report (T10 n).  Systematic sampling inside windows
 * of the innovation quantile (FIN_WIN), so the band medians of T22 hold.
 */
static void assign_financials(ent *ents, long total, uint64_t seed)
{

    double acc[2][3][2], acc_out[2], w_shift[2][3];
    long w_k[2][3] = { {0} };
    rng r;
    rng_init(&r, seed, 0, 11);
    for (int l = 0; l < 2; l++) {
        for (int b = 0; b < 3; b++) {
            acc[l][b][0] = rng_unif(&r);
            acc[l][b][1] = rng_unif(&r);
            w_shift[l][b] = rng_unif(&r);
        }
        acc_out[l] = rng_unif(&r);
    }
    for (long i = 0; i < total; i++) {
        ent *e = &ents[i];
        if (e->level == LV_CHAMP) continue;
        int lv = e->level, hs = e->has_std, pick_b = -1;
        /* one accumulator per standard holding too: the band's mix of holders
         * (whose patent medians differ, T06) is then exact */
        for (int b = 0; b < 3; b++) {
            const double *w = FIN_WIN[lv][b];
            if (e->u_inn < w[0] || e->u_inn >= w[1]) continue;
            /* the 15–25% band leans to firms with more patents than grants
             * for their innovation level (T22: 86 patents but 16 grants) */
            double keep = 1.0;
            if (FIN_RES_T[b] > -9) {
                if (FIN_RES_DIR[b] * e->res_pg <= FIN_RES_T[b]) continue;
                keep = phi(-FIN_RES_T[b] / 1.4142135623730951);
            }
            acc[lv][b][hs] += FIN_RATE[lv][b] / (w[1] - w[0]) / keep;
            if (pick_b < 0 && acc[lv][b][hs] >= 1.0) pick_b = b;
        }
        if (pick_b < 0) continue;
        acc[lv][pick_b][hs] -= 1.0;
        e->band = (unsigned char)pick_b;
        if (pick_b == 0) {
            acc_out[lv] += FIN_OUT[lv];
            if (acc_out[lv] >= 1.0) { acc_out[lv] -= 1.0; e->out = 1; }
        }
        double v = w_shift[lv][pick_b] + (double)w_k[lv][pick_b]++ * 0.6180339887498949;
        e->rd_w = v - floor(v);
        e->fin = 3;
    }
    /* years: systematic over the financial rows */
    double a1 = rng_unif(&r), a2 = rng_unif(&r);
    for (long i = 0; i < total; i++) {
        ent *e = &ents[i];
        if (!e->fin) continue;
        a1 += FIN_YEARS[0];
        if (a1 >= 1.0) { a1 -= 1.0; e->fin = 1; continue; }
        a2 += FIN_YEARS[1] / (1 - FIN_YEARS[0]);
        if (a2 >= 1.0) { a2 -= 1.0; e->fin = 2; }
    }
}

/* ============================================================ output */

typedef struct writer {
    srdi_atomic a;
    char  *buf;
    size_t len, cap;
    int    failed;
} writer;

static void w_flush(writer *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->a.fp) != w->len) w->failed = 1;
    w->len = 0;
}

static inline void w_put(writer *w, const char *s, size_t n)
{
    if (w->len + n > w->cap) w_flush(w);
    if (n > w->cap) { if (fwrite(s, 1, n, w->a.fp) != n) w->failed = 1; return; }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static inline void w_str(writer *w, const char *s) { w_put(w, s, strlen(s)); }
static inline void w_ch(writer *w, char c) { if (w->len + 1 > w->cap) w_flush(w); w->buf[w->len++] = c; }

/* A text field, RFC 4180-quoted when it holds a comma, quote or line break. */
static void w_text(writer *w, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) { w_str(w, s); return; }
    w_ch(w, '"');
    for (; *s; s++) { if (*s == '"') w_ch(w, '"'); w_ch(w, *s); }
    w_ch(w, '"');
}

static void w_long(writer *w, long v)
{
    char tmp[24];
    int n = 0;
    unsigned long u = v < 0 ? (unsigned long)(-v) : (unsigned long)v;
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) tmp[n++] = '-';
    if (w->len + (size_t)n > w->cap) w_flush(w);
    while (n) w->buf[w->len++] = tmp[--n];
}

/* A non-negative number with @p dec decimals (0–2), trailing zeros dropped. */
static void w_fixed(writer *w, double v, int dec)
{
    long scale = dec == 2 ? 100 : dec == 1 ? 10 : 1;
    long x = lround(v * (double)scale);
    w_long(w, x / scale);
    long frac = x % scale;
    if (frac) {
        w_ch(w, '.');
        if (dec == 2) {
            w_ch(w, (char)('0' + frac / 10));
            if (frac % 10) w_ch(w, (char)('0' + frac % 10));
        } else {
            w_ch(w, (char)('0' + frac));
        }
    }
}

static srdi_status w_open(writer *w, const char *dir, const char *name)
{
    memset(w, 0, sizeof *w);
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return srdi_error_set(SRDI_ERR_IO, "sample: output path too long: %s/%s", dir, name);
    srdi_status st = srdi_atomic_open(&w->a, path);
    if (st != SRDI_OK) return st;
    w->cap = 1 << 22;
    w->buf = malloc(w->cap);
    if (!w->buf) { srdi_atomic_abort(&w->a); return srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); }
    return SRDI_OK;
}

/* Flush and rename into place (or remove on failure). */
static srdi_status w_close(writer *w, srdi_status st)
{
    if (!w->buf) return st;
    if (st == SRDI_OK) w_flush(w);
    free(w->buf);
    w->buf = NULL;
    if (st == SRDI_OK && w->failed) {
        st = srdi_error_set(SRDI_ERR_IO, "sample: write failed: %s", w->a.path);
    }
    if (st == SRDI_OK) return srdi_atomic_commit(&w->a);
    srdi_atomic_abort(&w->a);
    return st;
}

/* 18-character synthetic credit code: 91 + province code + 0000 + SY + seq + check. */
static void make_id(char out[19], int prov_code, long seq)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "91%02d0000SY%07ld", abs(prov_code % 100), labs(seq % 10000000));
    memcpy(out, tmp, 17);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += out[i] >= '0' && out[i] <= '9' ? out[i] - '0' : out[i] % 10;
    out[17] = (char)('0' + sum % 10);
    out[18] = '\0';
}

static const char ENT_HEADER[] =
    "id,name,level,province,city,industry_code,reg_capital,staff,rd_staff,"
    "hon_little_giant,hon_high_tech,hon_tech_center,hon_tech_sme,hon_champion,"
    "hon_eng_center,hon_gazelle,hon_unicorn,hon_green_factory,hon_cnas,"
    "std_national,std_industry,std_local,std_group,patents_total,invention_apps,"
    "invention_grants,invention_rejected,utility_models,software_copyrights,class1_ip,"
    "pct_apps,foreign_patents,high_value_inventions,citations_avg,awarded_patents,"
    "standard_patents,inventors,coop_patents,pledged_patents,licensed_patents,"
    "litigated_patents,digital_patents,tech_eval\n";

static void write_enterprise(writer *w, const model *m, const ent *e, const char *id, long seq)
{
    static const char *const LEVEL[3] = { "national", "provincial", "champion" };
    const prov *p = &m->provs[e->prov];
    char name[64];
    snprintf(name, sizeof name, "%s%06ld", e->level == LV_CHAMP ? "样本冠军企业" : "样本企业", seq);
    w_str(w, id); w_ch(w, ',');
    w_text(w, name); w_ch(w, ',');
    w_str(w, LEVEL[e->level]); w_ch(w, ',');
    w_text(w, p->spec->name); w_ch(w, ',');
    w_text(w, p->cities[e->city].name); w_ch(w, ',');
    w_str(w, m->classes[e->cls].code); w_ch(w, ',');
    if (!(e->missing & M_REG)) w_fixed(w, e->reg_capital, 1);
    w_ch(w, ','); w_long(w, e->staff); w_ch(w, ',');
    if (!(e->missing & M_RDSTAFF)) w_long(w, e->rd_staff);
    for (int h = 0; h < N_HON; h++) { w_ch(w, ','); w_ch(w, e->hon[h] ? '1' : '0'); }
    for (int s = 0; s < 4; s++) { w_ch(w, ','); w_long(w, e->std_n[s]); }
    w_ch(w, ','); w_long(w, e->patents);
    w_ch(w, ','); w_long(w, e->apps);
    w_ch(w, ','); w_long(w, e->grants);
    w_ch(w, ','); w_long(w, e->rejected);
    w_ch(w, ','); w_long(w, e->utility);
    w_ch(w, ','); if (!(e->missing & M_SOFT)) w_long(w, e->software);
    w_ch(w, ','); if (!(e->missing & M_CLASS1)) w_long(w, e->class1);
    w_ch(w, ','); w_long(w, e->pct);
    w_ch(w, ','); w_long(w, e->foreign);
    w_ch(w, ','); w_long(w, e->hv);
    w_ch(w, ','); if (!(e->missing & M_CITE)) w_fixed(w, e->citations, 2);
    w_ch(w, ','); w_long(w, e->derived[D_AWARDED]);
    w_ch(w, ','); w_long(w, e->derived[D_STDPAT]);
    w_ch(w, ','); if (!(e->missing & M_INV)) w_long(w, e->derived[D_INVENTORS]);
    w_ch(w, ','); if (!(e->missing & M_COOP)) w_long(w, e->derived[D_COOP]);
    w_ch(w, ','); w_long(w, e->derived[D_PLEDGED]);
    w_ch(w, ','); w_long(w, e->derived[D_LICENSED]);
    w_ch(w, ','); w_long(w, e->derived[D_LITIGATED]);
    w_ch(w, ','); if (!(e->missing & M_DIGITAL)) w_long(w, e->derived[D_DIGITAL]);
    w_ch(w, ',');
    if (e->tech) w_str(w, TECH_EVAL[e->tech - 1]);
    w_ch(w, '\n');
}

/* Financial rows of one enterprise (stream 2). */
static void write_financials(writer *w, uint64_t seed, long i, const ent *e, const char *id)
{
    rng r;
    rng_init(&r, seed, (uint64_t)i, 2);
    int lv = e->level == LV_NAT ? 0 : 1;
    double ratio;
    /* above the 30% "reasonable range" (kept above it in every year), else
     * inside the T22 band's slice of the T11 quantile function */
    if (e->out) {
        ratio = 0.31 + 0.24 * rng_unif(&r);
    } else {
        double lo = e->band == 2 ? 0 : e->band == 1 ? RD_EDGE[lv][0] : RD_EDGE[lv][1];
        double hi = e->band == 2 ? RD_EDGE[lv][0] : e->band == 1 ? RD_EDGE[lv][1] : 1;
        ratio = quantile_lin(lv == 0 ? RD_NAT : RD_PROV, RD_KNOTS, lo + (hi - lo) * e->rd_w);
    }
    double rev = (lv == 0 ? 40000 : 12000) * exp(0.8 * rng_norm(&r));
    int first = e->fin == 1 ? 2021 : e->fin == 2 ? 2023 : 2024;
    for (int y = 2021; y <= 2024; y++) {
        if (y > 2021) {
            /* 40% sit exactly at the median so small samples keep it (T09) */
            double gr = GROWTH_MED[lv][y - 2022];
            if (rng_unif(&r) >= 0.4) gr += 0.12 * rng_norm(&r);
            if (gr < -0.6) gr = -0.6;
            rev *= 1 + gr;
        }
        if (y < first) continue;
        double ry = ratio * RD_YEAR_FACTOR[y - 2021];
        if (ratio <= 0.30 && ry > 0.2999) ry = 0.2999;
        double rv = floor(rev * 10 + 0.5) / 10;
        w_str(w, id); w_ch(w, ',');
        w_long(w, y); w_ch(w, ',');
        w_fixed(w, rv, 1); w_ch(w, ',');
        w_fixed(w, floor(rv * ry * 10 + 0.5) / 10, 1); w_ch(w, '\n');
    }
}

/* Application year in [lo, hi], weights growing 12% a year from 2015. */
static int draw_year(rng *r, int lo, int hi)
{
    double tot = 0, wy = 1;
    for (int y = lo; y <= hi; y++) { tot += wy; wy *= 1.12; }
    double x = rng_unif(r) * tot;
    wy = 1;
    for (int y = lo; y <= hi; y++) { if (x < wy) return y; x -= wy; wy *= 1.12; }
    return hi;
}

#define YEAR_MIN 2015
#define YEAR_MAX 2025

typedef struct patctx {
    long serial[YEAR_MAX - YEAR_MIN + 1][3];   /* next serial per (app_year, kind) */
    long rows;
} patctx;

enum { ST_GRANTED, ST_PENDING, ST_REJECTED, ST_WITHDRAWN };

/* First application year of the utility-model and design rows listed in
 * patents.csv (inventions: every year).  See docs/calibration.md. */
#define LISTED_FROM 2023

/* One patents.csv row; nothing is written when the drawn application year is
 * before @p min_app (the document is counted in enterprises.csv only). */
static void write_patent(writer *w, patctx *pc, rng *r, const char *id, const klass *k,
                         int kind, const char *office, int status, int min_app)
{
    static const char *const KIND[3] = { "invention", "utility", "design" };
    static const char *const STATUS[4] = { "granted", "pending", "rejected", "withdrawn" };
    int app, pub = 0, grant = 0;
    switch (status) {
    case ST_GRANTED:
        /* examination takes 1–3 years; an application is drawn again when its
           grant would fall after YEAR_MAX, so grants never pile up in the last
           year and every decided application year holds grants (T31, T32) */
        if (kind == 0) {
            int lag;
            do {
                app = draw_year(r, YEAR_MIN, YEAR_MAX - 1);
                lag = 1 + (rng_unif(r) < 0.55) + (rng_unif(r) < 0.35);
            } while (app + lag > YEAR_MAX);
            grant = app + lag;
            pub = app + 1 + (lag >= 3 && rng_unif(r) < 0.4);
            if (pub > grant) pub = grant;
        } else {
            app = draw_year(r, YEAR_MIN, YEAR_MAX - 1);
            pub = grant = app + 1;
        }
        break;
    case ST_PENDING:
        app = kind == 0 ? draw_year(r, 2021, YEAR_MAX) : YEAR_MAX;
        pub = app + 1 + (rng_unif(r) < 0.3);
        if (pub > YEAR_MAX) pub = app + 1 <= YEAR_MAX ? app + 1 : 0;
        break;
    case ST_REJECTED:
        app = draw_year(r, 2016, 2024);
        pub = app + 1 + (rng_unif(r) < 0.4);
        if (pub > YEAR_MAX) pub = YEAR_MAX;
        break;
    default:
        app = draw_year(r, YEAR_MIN, 2024);
        pub = app + 1;
        break;
    }
    if (app < min_app) return;
    long serial = pc->serial[app - YEAR_MIN][kind]++;
    char no[40];
    int n = snprintf(no, sizeof no, "%s%d%d%07ld", office, app, kind + 1, serial % 10000000);
    if (strcmp(office, "CN") == 0 && n > 0 && n < 36) {
        no[n] = '.';
        no[n + 1] = (char)('0' + (serial * 7 + app) % 10);
        no[n + 2] = '\0';
    }
    w_str(w, id); w_ch(w, ',');
    w_str(w, no); w_ch(w, ',');
    w_str(w, KIND[kind]); w_ch(w, ',');
    w_str(w, office); w_ch(w, ',');
    w_long(w, app); w_ch(w, ',');
    if (pub) w_long(w, pub);
    w_ch(w, ','); w_str(w, STATUS[status]); w_ch(w, ',');
    if (status == ST_GRANTED) w_long(w, grant);
    w_ch(w, ',');
    if (kind != 2) {
        /* main IPC: one of the division's subclasses, group/subgroup drawn */
        const char *list = k->ipcs;
        int cnt = 1;
        for (const char *q = list; *q; q++) if (*q == ',') cnt++;
        long pick_i = rng_range(r, 0, cnt - 1);
        const char *s = list;
        while (pick_i-- > 0) s = strchr(s, ',') + 1;
        w_put(w, s, 4);
        w_long(w, rng_range(r, 1, 60));
        w_ch(w, '/');
        long sg = rng_range(r, 0, 20) * 2;
        w_ch(w, (char)('0' + sg / 10)); w_ch(w, (char)('0' + sg % 10));
    }
    w_ch(w, ',');
    if (kind == 0) w_text(w, k->div_name);   /* field: inventions only (T30) */
    w_ch(w, '\n');
    pc->rows++;
}

/*
 * Patent rows of one enterprise (stream 3).  Inventions: invention_grants
 * granted, invention_rejected rejected, and max(0, invention_apps − grants −
 * rejected) pending (85%) or withdrawn; foreign_patents of them filed abroad
 * (pct_apps at WO).  Then the utility_models utility documents and the
 * design documents (patents_total − invention_apps − utility_models), of
 * which only those filed from LISTED_FROM on get a row.  @p compact: invention
 * rows only (the caller also skips non-national enterprises).
 */
static void write_patents(writer *w, patctx *pc, uint64_t seed, long i, const ent *e,
                          const klass *k, const char *id, int compact)
{
    static const char *const OFFICES[7] = { "US", "EP", "JP", "KR", "TW", "DE", "GB" };
    static const double OFF_CUM[7] = { .38, .60, .75, .85, .93, .97, 1.0 };
    rng r;
    rng_init(&r, seed, (uint64_t)i, 3);
    long rest = e->apps - e->grants - e->rejected;
    if (rest < 0) rest = 0;
    long inv = e->grants + e->rejected + rest;
    long foreign_left = e->foreign, pct_left = e->pct, left = inv;
    for (long j = 0; j < inv; j++, left--) {
        int status = j < e->grants ? ST_GRANTED : j < e->grants + e->rejected ? ST_REJECTED
                   : rng_unif(&r) < 0.85 ? ST_PENDING : ST_WITHDRAWN;
        const char *office = "CN";
        if (foreign_left > 0 && rng_unif(&r) * (double)left < (double)foreign_left) {
            if (rng_unif(&r) * (double)foreign_left < (double)pct_left) { office = "WO"; pct_left--; }
            else {
                double u = rng_unif(&r);
                int o = 0;
                while (o < 6 && u >= OFF_CUM[o]) o++;
                office = OFFICES[o];
            }
            foreign_left--;
        }
        write_patent(w, pc, &r, id, k, 0, office, status, 0);
    }
    if (compact) return;
    for (long j = 0; j < e->utility; j++)
        write_patent(w, pc, &r, id, k, 1, "CN", rng_unif(&r) < 0.04 ? ST_PENDING : ST_GRANTED, LISTED_FROM);
    for (long j = 0; j < e->design; j++)
        write_patent(w, pc, &r, id, k, 2, "CN", rng_unif(&r) < 0.04 ? ST_PENDING : ST_GRANTED, LISTED_FROM);
}

static const char SYNTHETIC_TXT[] =
    "SYNTHETIC DATA — 合成数据，非真实企业\n"
    "\n"
    "The files in this directory (enterprises.csv, financials.csv, patents.csv)\n"
    "were generated by `srdi-report sample`.  They describe no real enterprise:\n"
    "names (样本企业000123), credit codes (…SY…), patent numbers and every value\n"
    "are drawn from a seeded random model calibrated to the published aggregates\n"
    "of the 2026 cultivation report (see docs/calibration.md).  Do not use them\n"
    "as facts about any company, city or province.\n"
    "\n"
    "本目录数据由程序按随机模型生成，仅用于演示与测试，企业名称、统一社会信用代码、\n"
    "专利号及全部数值均为虚构，与任何真实企业无关。\n";

/* ============================================================ entry point */

srdi_status srdi_sample_generate(const srdi_sample_opts *o, const srdi_reference *ref)
{
    srdi_status st = SRDI_OK;
    model m;
    ent *ents = NULL;
    writer w = {0};
    patctx *pc = NULL;
    int model_ok = 0;

    if (!o || !ref || !o->out_dir || !*o->out_dir)
        return srdi_error_set(SRDI_ERR_USAGE, "sample: an output directory is required");
    if (o->n < 1 || o->n > 50000000)
        return srdi_error_set(SRDI_ERR_USAGE, "sample: --n must be between 1 and 50000000, got %ld", o->n);
    long champs = o->champions;
    if (champs <= 0) {
        champs = (long)((double)o->n * 1500.0 / 167372.0 + 0.5);
        if (champs < 30) champs = 30;
    }
    long total = o->n + champs;
    double t0 = srdi_now();

    st = model_build(&m, ref);
    model_ok = 1;
    if (st != SRDI_OK) goto cleanup;
    if ((st = srdi_mkdirs(o->out_dir)) != SRDI_OK) goto cleanup;

    ents = calloc((size_t)total, sizeof *ents);
    if (!ents) { st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); goto cleanup; }
    quasi q;
    quasi_init(&q, o->seed);

    accs ac;
    {
        rng r;
        rng_init(&r, o->seed, 0, 8);
        for (int l = 0; l < 3; l++)
            for (int k = 0; k < N_ACC; k++) ac.a[l][k] = rng_unif(&r);
        ac.count[0] = ac.count[1] = ac.count[2] = 0;
    }
    lquasi lq;
    lquasi_init(&lq, o->seed);
    lq.n[LV_NAT] = lq.n[LV_PROV] = 0;
    lq.n[LV_CHAMP] = champs;
    for (long i = 0; i < o->n; i++) lq.n[quasi_u(&q, i, Q_LEVEL) < NAT_SHARE ? LV_NAT : LV_PROV]++;
    lquasi_levels(&lq);
    for (long i = 0; i < total; i++) {
        int level = i >= o->n ? LV_CHAMP : quasi_u(&q, i, Q_LEVEL) < NAT_SHARE ? LV_NAT : LV_PROV;
        draw_enterprise(&m, &q, &lq, &ac, o->seed, i, level, &ents[i]);
    }
    if ((st = finish_patents(&m, ents, total, o->seed)) != SRDI_OK) goto cleanup;
    draw_derived(ents, total, &lq, o->seed);
    assign_financials(ents, total, o->seed);

    /* enterprises.csv */
    if ((st = w_open(&w, o->out_dir, "enterprises.csv")) != SRDI_OK) goto cleanup;
    w_str(&w, ENT_HEADER);
    for (long i = 0; i < total; i++) {
        char id[19];
        make_id(id, m.provs[ents[i].prov].spec->code, i + 1);
        write_enterprise(&w, &m, &ents[i], id, i + 1);
    }
    if ((st = w_close(&w, st)) != SRDI_OK) goto cleanup;

    /* financials.csv */
    if ((st = w_open(&w, o->out_dir, "financials.csv")) != SRDI_OK) goto cleanup;
    w_str(&w, "id,year,revenue,rd_expense\n");
    for (long i = 0; i < total; i++) {
        if (!ents[i].fin) continue;
        char id[19];
        make_id(id, m.provs[ents[i].prov].spec->code, i + 1);
        write_financials(&w, o->seed, i, &ents[i], id);
    }
    if ((st = w_close(&w, st)) != SRDI_OK) goto cleanup;

    /* patents.csv */
    if (o->patents) {
        pc = calloc(1, sizeof *pc);
        if (!pc) { st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); goto cleanup; }
        if ((st = w_open(&w, o->out_dir, "patents.csv")) != SRDI_OK) goto cleanup;
        w_str(&w, "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field\n");
        int compact = o->patents == 2;
        for (long i = 0; i < total; i++) {
            if (compact && ents[i].level != LV_NAT) continue;
            char id[19];
            make_id(id, m.provs[ents[i].prov].spec->code, i + 1);
            write_patents(&w, pc, o->seed, i, &ents[i], &m.classes[ents[i].cls], id, compact);
        }
        if ((st = w_close(&w, st)) != SRDI_OK) goto cleanup;
    }

    /* SYNTHETIC.txt */
    if ((st = w_open(&w, o->out_dir, "SYNTHETIC.txt")) != SRDI_OK) goto cleanup;
    w_str(&w, SYNTHETIC_TXT);
    if (o->patents == 2)
        w_str(&w, "\nCompact set: patents.csv holds only the invention patents of the national-level\n"
                  "(小巨人) enterprises, which is all the patent tables (T30–T35) read; the\n"
                  "enterprise-level patent counts in enterprises.csv are complete.\n");
    if ((st = w_close(&w, st)) != SRDI_OK) goto cleanup;

    if (!o->quiet)
        srdi_log_note("sample: %ld enterprises (%ld champions), %ld patent rows, %.1f s → %s",
                total, champs, pc ? pc->rows : 0L, srdi_now() - t0, o->out_dir);

cleanup:
    if (w.buf) w_close(&w, st == SRDI_OK ? SRDI_ERR_INTERNAL : st);
    free(pc);
    free(ents);
    if (model_ok) model_free(&m);
    return st;
}
