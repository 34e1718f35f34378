/*
 * src/sample/sample_model.c — the sample generator's random sources (PRNG
 * sub-streams, quasi-random and stratified draws, systematic sampling,
 * quantile knots) and its model tables (provinces, cities, classes) built
 * from the calibration tables of sample_data.c and the reference data.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"
#include "sample_private.h"

/* ================================================================ PRNG */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Seed a sub-stream for (seed, index, stream) through splitmix64. */
void smp_rng_init(rng *r, uint64_t seed, uint64_t index, uint64_t stream)
{
    uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ULL) ^ (stream * 0xABC98388FB8FAC03ULL);
    (void)splitmix64(&x);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

/* Uniform integer in [lo, hi]. */
long smp_rng_range(rng *r, long lo, long hi)
{
    return lo + (long)(rng_unif(r) * (double)(hi - lo + 1));
}

/* Standard normal (Box–Muller, one value per call). */
double smp_rng_norm(rng *r)
{
    double u1 = rng_unif(r), u2 = rng_unif(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Poisson(lambda): multiplication method below 30, normal approximation above. */
long smp_rng_poisson(rng *r, double lam)
{
    if (!(lam > 0)) return 0;
    if (lam < 30) {
        double l = exp(-lam), p = 1.0;
        long k = 0;
        do {
            k++;
            p *= rng_unif(r);
        } while (p > l);
        return k - 1;
    }
    double v = floor(lam + sqrt(lam) * smp_rng_norm(r) + 0.5);
    return v < 0 ? 0 : (long)v;
}

/* Lognormal factor with mean 1. */
double smp_rng_lnmean1(rng *r, double sigma)
{
    return exp(sigma * smp_rng_norm(r) - 0.5 * sigma * sigma);
}

double smp_phi(double z)
{
    return 0.5 * erfc(-z / 1.4142135623730951);
}

/* Inverse standard normal CDF (Acklam's rational approximation, |rel err| < 1.2e-9). */
double smp_phi_inv(double p)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                3.754408661907416e+00};
    if (p < 1e-12) p = 1e-12;
    if (p > 1 - 1e-12) p = 1 - 1e-12;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) {
        double q = sqrt(-2 * log(1 - p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
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

/*
 * R_d generator of @p dim dimensions: alpha[j] = 1 / phi_d^(j+1) mod 1 with
 * phi_d the positive root of x^(d+1) = x + 1 (Newton), and a random shift
 * per dimension from sub-stream (seed, 0, @p stream).
 */
static void rd_init(double *alpha, double *shift, int dim, uint64_t seed, uint64_t stream)
{
    double x = 2.0;
    for (int it = 0; it < 60; it++) {
        double f = pow(x, dim + 1) - x - 1, df = (dim + 1) * pow(x, dim) - 1;
        x -= f / df;
    }
    rng r;
    smp_rng_init(&r, seed, 0, stream);
    for (int j = 0; j < dim; j++) {
        alpha[j] = fmod(1.0 / pow(x, j + 1), 1.0);
        shift[j] = rng_unif(&r);
    }
}

void smp_quasi_init(quasi *q, uint64_t seed)
{
    rd_init(q->alpha, q->shift, QDIM, seed, 7);
}

/* Coordinate @p dim of point @p i, in [0, 1). */
double smp_quasi_u(const quasi *q, long i, int dim)
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

static long gcd_l(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Multipliers once the level sizes are known. */
void smp_lquasi_levels(lquasi *q)
{
    for (int l = 0; l < 3; l++)
        for (int j = 0; j < LQDIM; j++) {
            long n = q->n[l] > 0 ? q->n[l] : 1;
            long m = (long)(q->alpha[j] * (double)n) | 1;
            while (n > 1 && gcd_l(m, n) != 1) m++;
            q->m[l][j] = m;
        }
}

void smp_lquasi_init(lquasi *q, uint64_t seed)
{
    rd_init(q->alpha, q->shift, LQDIM, seed, 9);
}

/* Clamp a uniform into the strata of a level of @p n rows. */
double smp_clamp_u(double u, long n)
{
    double lo = n > 0 ? 0.5 / (double)n : 1e-9;
    return u < lo ? lo : u > 1 - lo ? 1 - lo : u;
}

/* Stratified uniform for the @p k-th row of @p level. */
double smp_lq_u(const lquasi *q, int level, long k, int dim)
{
    long n = q->n[level] > 0 ? q->n[level] : 1;
    long c = (long)(q->shift[dim] * (double)n);
    long idx = (long)(((unsigned long long)(k % n) * (unsigned long long)q->m[level][dim] + (unsigned long long)c) %
                      (unsigned long long)n);
    return ((double)idx + 0.5) / (double)n;
}

int smp_acc_fire(accs *s, int level, int k, double rate)
{
    s->a[level][k] += rate;
    if (s->a[level][k] >= 1.0) {
        s->a[level][k] -= 1.0;
        return 1;
    }
    return 0;
}

/* ============================================================ knots */

/* Quantile function through (u, v) knots, log-linear between knots. */
double smp_quantile(const knot *k, int n, double u)
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
double smp_quantile_lin(const knot *k, int n, double u)
{
    if (u <= k[0].u) return k[0].v;
    for (int i = 1; i < n; i++)
        if (u <= k[i].u) return k[i - 1].v + (k[i].v - k[i - 1].v) * (u - k[i - 1].u) / (k[i].u - k[i - 1].u);
    return k[n - 1].v;
}
/* T01: national share of P. */
const double NAT_SHARE = 0.1057;

/* ============================================================ model tables */

/* Pick an index from a cumulative weight array of n entries. */
int smp_pick(const double *cum, int n, double u)
{
    double x = u * cum[n - 1];
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* FNV-1a of a string, for deterministic uneven splits. */
uint32_t smp_fnv(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void smp_model_free(model *m)
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
    for (const char *q = s; *q; q++)
        if (*q == ';') n++;
    p->cities = calloc((size_t)n, sizeof *p->cities);
    if (!p->cities) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    double fixed = 0;
    int n_free = 0;
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
        if (p->cities[i].weight < 0) p->cities[i].weight = resid > 0 ? resid * (1.0 / (k++ + 1.5)) / tot : 0;
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
    /* "…修理业" → "…修理", but 农业 / 林业 / 渔业 keep their 业: a field
       label is never one character */
    if (len >= 9 && memcmp(d->name + len - 3, "业", 3) == 0) len -= 3;
    char *s = malloc(len + 4);
    if (!s) return NULL;
    memcpy(s, div, 2);
    s[2] = ':';
    memcpy(s + 3, d->name, len);
    s[len + 3] = '\0';
    if (srdi_grow((void **)&m->labels, &m->labels_cap, (size_t)m->n_labels + 1, sizeof *m->labels) != SRDI_OK) {
        free(s);
        return NULL;
    }
    m->labels[m->n_labels++] = s;
    return s + 3;
}

/* True when @p code is four ASCII digits. */
static int is_class_code(const char *code)
{
    if (strlen(code) != 4) return 0;
    for (int i = 0; i < 4; i++)
        if (code[i] < '0' || code[i] > '9') return 0;
    return 1;
}

/*
 * Build the model from the calibration tables and the reference data:
 * provinces (national shares derived for the unpublished ones), cities,
 * classes with shares and national shares, cumulative pick tables.
 */
/* The published national share inside province @p name (sample_nat_shares), or -1. */
static double published_nat(const char *name)
{
    for (int i = 0; i < sample_n_nat_shares; i++)
        if (strcmp(sample_nat_shares[i].province, name) == 0) return sample_nat_shares[i].nat_share;
    return -1;
}

/* The provinces of the model: their shares by level (prov_cum) and their cities. */
static srdi_status build_provinces(model *m, const srdi_reference *ref)
{
    srdi_status st = SRDI_OK;
    double known = 0, free_share = 0;
    for (int i = 0; i < sample_n_provinces; i++) {
        const sample_prov_spec *ps = &sample_provinces[i];
        if (srdi_reference_province(ref, ps->name) < 0)
            return srdi_error_set(SRDI_ERR_REFERENCE, "sample: province %s not in reference data", ps->name);
        double nat = published_nat(ps->name);
        if (nat >= 0)
            known += ps->share * nat;
        else
            free_share += ps->share;
    }
    double derived = (NAT_SHARE - known) / free_share;
    for (int i = 0; i < sample_n_provinces && i < 64; i++) {
        prov *p = &m->provs[m->n_provs++];
        p->spec = &sample_provinces[i];
        p->nat = published_nat(p->spec->name);
        if (p->nat < 0) p->nat = derived;
        if ((st = parse_cities(p)) != SRDI_OK) return st;
        double wn = p->spec->share * p->nat, wp = p->spec->share * (1 - p->nat);
        m->prov_cum[LV_NAT][i] = (i ? m->prov_cum[LV_NAT][i - 1] : 0) + wn;
        m->prov_cum[LV_PROV][i] = (i ? m->prov_cum[LV_PROV][i - 1] : 0) + wp;
        m->prov_cum[LV_CHAMP][i] = (i ? m->prov_cum[LV_CHAMP][i - 1] : 0) + wn;
    }
    return SRDI_OK;
}

/* The industry classes of the model: their shares by level (class_cum), division labels and IPC lists. */
static srdi_status build_classes(model *m, const srdi_reference *ref)
{
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
            if (ind->level != SRDI_IND_CLASS || !is_class_code(ind->code) || strncmp(ind->code, div, 2) != 0) continue;
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
            if (k->nat < 0) {
                k->share = 0.3 + (smp_fnv(ind->code) % 1000) / 1000.0;
                wsum += k->share;
            }
            k->ipcs = sample_ipcs[sample_n_ipcs - 1].ipcs;
            for (int c = 0; c < sample_n_ipcs; c++)
                if (strcmp(sample_ipcs[c].div, div) == 0) {
                    k->ipcs = sample_ipcs[c].ipcs;
                    break;
                }
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

srdi_status smp_model_build(model *m, const srdi_reference *ref)
{
    memset(m, 0, sizeof *m);
    srdi_status st = build_provinces(m, ref);
    return st == SRDI_OK ? build_classes(m, ref) : st;
}
