/*
 * src/sample/sample_enterprises.c — the sample generator's model constants
 * and the per-enterprise draws: level, place, class, size, honours,
 * standards, the latent innovation factor and the counts it drives, the
 * derived counts and which enterprises get financials.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"
#include "sample_private.h"

/* ============================================================ model constants */

/* T03 staff bands (residual of the published bands put in 0–50, see docs). */
static const knot STAFF_NAT[] = {{0, 5},       {.0935, 51},   {.2791, 101}, {.5, 173.5}, {.5639, 201},
                                 {.8815, 501}, {.9901, 1001}, {.999, 2100}, {1, 4000}};
static const knot STAFF_PROV[] = {{0, 1.5},       {.5, 45.5},     {.5373, 50.5},   {.7377, 100.5},
                                  {.8762, 200.5}, {.9709, 500.5}, {.9963, 1000.5}, {1, 3000}};
/* T02 registered capital (万元): median, share >= 10000, mean. */
static const knot REG_NAT[] = {{0, 100}, {.5, 5774}, {.615, 10000}, {.9, 27000}, {.99, 85000}, {1, 300000}};
static const knot REG_PROV[] = {{0, 10}, {.5, 2000}, {.848, 10000}, {.97, 17000}, {.997, 45000}, {1, 120000}};
/* Patents (T06/T21/T28): medians by level × holds a standard. */
static const double PAT_MED[3][2] = {{87, 123}, {24, 52}, {398, 619}};
static const double PAT_SIG[3] = {0.71, 0.65, 0.90};
static const double GRT_MED[3][2] = {{19, 29}, {4, 9}, {130, 152}};
static const double GRT_SIG[3] = {0.32, 0.70, 0.60};
static const double GRT_TAIL_FROM[3] = {60, 15, 600}; /* grants follow the apps tail (T20) */
static const double GRT_TAIL_SLOPE = 0.12;
static const double INN_LOAD = 0.97;  /* patents/grants/apps on z_inn */
static const double SIZE_LOAD = 0.06; /* staff on z_inn (T20) */
static const double PAT_SIZE = 0.1;   /* patents (utility models) on size (T20) */
static const double APP_MED[3] = {22, 5, 250};
static const double APP_SIG[3] = {1.58, 1.40, 1.30};
static const double REJ_RATIO[3] = {0.5525, 0.75, 0.477}; /* rejected / granted (T28 rate) */

static const double STD_RATE[3] = {0.8317, 0.4438, 0.95};  /* T05 */
static const double STD_HOLD_MEAN[3] = {6.24, 12.0, 24.7}; /* among holders */
/* shares of national / industry+local / group standards (T28) */
static const double STD_SPLIT[3][3] = {{.385, .108, .507}, {.25, .15, .60}, {.40, .138, .462}};

/* T07 tech_eval shares: intl_advanced, domestic_advanced, intl_level, domestic_level */
static const double TECH_SHARE[3][4] = {
    {.0117, .0040, .0058, .0026}, {.0041, .0025, .0016, .0010}, {.03, .02, .01, .005}};

/* Honours in docs/data.md order; T04 rates (green factory and CNAS are ours). */
/* order: little_giant, high_tech, tech_center, tech_sme, champion, eng_center,
 * gazelle, unicorn, green_factory, cnas */
static const double HON_RATE[3][N_HON] = {{1.0, .9454, .6328, .3605, .2593, .2244, .1374, .0633, .25, .35},
                                          {.0842, .8461, .2032, .6794, .0375, .0840, .0826, .0162, .08, .15},
                                          {.30, .95, .85, .20, 1.0, .50, .10, .05, .50, .70}};

/* T28 means of derived counts: national, provincial (ours), champion. */
static const double DERIVED_MEAN[3][N_DERIVED] = {{52.19, 4.98, 3.54, 0.93, 0.37, 19.63, 0.16, 0.11, 10},
                                                  {14.0, 1.2, 1.0, 0.2, 0.08, 4.0, 0.03, 0.02, 1.0},
                                                  {340.96, 12.81, 5.87, 3.57, 1.63, 147.39, 1.47, 0.39, 185}};
static const double PCT_MEAN[3] = {3, 0.3, 53}; /* T28 pct_apps */
static const double HV_RATIO[3] = {0.88, 0.80, 0.845};
static const double CITE_MEAN[3] = {2.38, 1.6, 2.84};
static const double SOFT_MED[3] = {4, 2, 6};
static const knot SOFT_PROV_STD[] = {{0, 0}, {.35, 1}, {.62, 2}, {.97, 3}, {1, 12}};
static const knot SOFT_PROV_NOSTD[] = {{0, 0}, {.08, 2}, {.16, 3}, {.5, 6.5}, {.85, 19.5}, {1, 150}};
static const double SOFT_SIG[3] = {1.87, 1.2, 1.686};

/*
 * Financials (T10, T11, T22).  Per level and T22 band (0: >= 25%, 1: 15–25%,
 * 2: < 15%): the share of the level's rows that have financials in that band
 * and the window of innovation quantiles they are taken from (systematic
 * sampling, uniform inside the window).  FIN_OUT: share of band 0 whose ratio
 * lies above 0.30 (outside the T10/T11 filter).  Derivation in
 * docs/calibration.md (T22 shares × national shares with T10's n of 1059).
 */
static const double FIN_RATE[2][3] = {{178 / 17692.0, 195 / 17692.0, 75 / 17692.0},
                                      {162 / 149680.0, 308 / 149680.0, 276 / 149680.0}};
static const double FIN_WIN[2][3][2] = {{{.7, 1}, {.3, .9}, {0, .58}}, {{.8, 1}, {.55, .98}, {.08, .67}}};
/* Per band: only firms whose patent residual exceeds their grant residual by
 * more than this are eligible (-10 = all); the rate is divided by the
 * eligible share Φ(−t/√2).  Gives T22's patents/grants medians together. */
static const double FIN_RES_T[3] = {1.5, -0.5, -1.5};
static const double FIN_RES_DIR[3] = {-1, 1, 1}; /* band 0: grants ahead of patents */
static const double FIN_OUT[2] = {99 / 178.0, 36 / 162.0};
static const double FIN_YEARS[2] = {0.642, 0.0123}; /* 2021–24, 2023–24; rest 2024 */
/* ============================================================ enterprise draw */

/* Draw enterprise @p i (level already decided by the caller's rule). */
void smp_draw_enterprise(const model *m, const quasi *q, const lquasi *lq, accs *ac, uint64_t seed, long i, int level,
                         ent *e)
{
    rng r;
    smp_rng_init(&r, seed, (uint64_t)i, 1);
    memset(e, 0, sizeof *e);
    e->level = (unsigned char)level;
    /* province and class: per-level golden-ratio type sequences, so that the
     * counts inside each level are nearly exact */
    long k = ac->count[level]++;
    long nl = lq->n[level];
    e->k = k;
    double up = q->shift[Q_PROV] + (double)k * 0.41421356237309503;
    double uc = q->shift[Q_CLASS] + (double)k * 0.6180339887498949;
    e->prov = (short)smp_pick(m->prov_cum[level], m->n_provs, up - floor(up));
    const prov *p = &m->provs[e->prov];
    double cu = rng_unif(&r) * p->spec->share, acc = 0;
    e->city = (short)(p->n_cities - 1);
    for (int c = 0; c < p->n_cities; c++) {
        acc += p->cities[c].weight;
        if (cu < acc) {
            e->city = (short)c;
            break;
        }
    }
    e->cls = smp_pick(m->class_cum[level], m->n_classes, uc - floor(uc));
    e->u_inn = smp_lq_u(lq, level, k, L_INN);
    e->z_inn = smp_phi_inv(e->u_inn);
    e->has_std = (unsigned char)smp_acc_fire(ac, level, 0, STD_RATE[level]);

    /* tech_eval */
    for (int t = 0; t < 4; t++)
        if (smp_acc_fire(ac, level, 1 + t, TECH_SHARE[level][t]) && !e->tech) e->tech = (unsigned char)(t + 1);
    for (int h = 0; h < N_HON; h++) e->hon[h] = (unsigned char)smp_acc_fire(ac, level, 5 + h, HON_RATE[level][h]);
    if (level == LV_NAT) e->hon[0] = 1;

    /* size: staff and registered capital */
    double z_size = SIZE_LOAD * e->z_inn +
                    sqrt(1 - SIZE_LOAD * SIZE_LOAD) * smp_phi_inv(smp_clamp_u(smp_quasi_u(q, i, Q_SIZE), nl));
    double z_reg = 0.55 * z_size + 0.835 * smp_phi_inv(smp_clamp_u(smp_quasi_u(q, i, Q_REG), nl));
    if (level == LV_CHAMP) {
        e->staff = lround(1000 * exp(0.88 * z_size));
        e->reg_capital = 40000 * exp(1.25 * z_reg);
    } else if (level == LV_NAT) {
        e->staff = lround(floor(smp_quantile(STAFF_NAT, 9, smp_phi(z_size))));
        e->reg_capital = smp_quantile(REG_NAT, 6, smp_phi(z_reg));
    } else {
        e->staff = lround(floor(smp_quantile(STAFF_PROV, 8, smp_phi(z_size))));
        e->reg_capital = smp_quantile(REG_PROV, 6, smp_phi(z_reg));
    }
    e->reg_capital = floor(e->reg_capital * 10 + 0.5) / 10;
    e->rd_staff = lround(e->staff * (0.08 + 0.3 * rng_unif(&r)));

    /* standards */
    if (e->has_std) {
        double act = exp(0.8 * smp_phi_inv(smp_lq_u(lq, level, k, L_STD)) - 0.32);
        long s = 1 + smp_rng_poisson(&r, (STD_HOLD_MEAN[level] - 1) * act);
        for (long k = 0; k < s; k++) {
            double u = rng_unif(&r);
            if (u < STD_SPLIT[level][0])
                e->std_n[0]++;
            else if (u < STD_SPLIT[level][0] + STD_SPLIT[level][1])
                e->std_n[rng_unif(&r) < 0.5 ? 1 : 2]++;
            else
                e->std_n[3]++;
        }
    }

    /* patents: one latent factor, level × standard medians (the city
     * multiplier and the split into kinds come in finish_patents) */
    const double ld = INN_LOAD, res = sqrt(1 - INN_LOAD * INN_LOAD);
    double r_p = smp_phi_inv(smp_lq_u(lq, level, k, L_RES_P)), r_g = smp_phi_inv(smp_lq_u(lq, level, k, L_RES_G));
    double z_p = ld * e->z_inn + res * r_p;
    double z_g = ld * e->z_inn + res * r_g;
    e->res_pg = r_p - r_g;
    double z_a = ld * e->z_inn + res * smp_phi_inv(smp_lq_u(lq, level, k, L_RES_A));
    e->p0 = PAT_MED[level][e->has_std] * exp(PAT_SIG[level] * z_p + PAT_SIZE * z_size);
    double g0 = GRT_MED[level][e->has_std] * exp(GRT_SIG[level] * z_g);
    if (e->tech) g0 *= level == LV_NAT ? 32.0 / 27.0 : 1.57;
    double a0 = APP_MED[level] * exp(APP_SIG[level] * z_a);
    if (a0 > GRT_TAIL_FROM[level]) g0 += GRT_TAIL_SLOPE * (a0 - GRT_TAIL_FROM[level]);
    e->apps = lround(a0);
    e->grants = lround(g0);

    e->hv = lround(e->grants * HV_RATIO[level] * (0.8 + 0.4 * rng_unif(&r)));
    if (e->hv > e->grants) e->hv = e->grants;
    e->citations = e->grants > 0 ? CITE_MEAN[level] * smp_rng_lnmean1(&r, 0.5) : 0;
    e->citations = floor(e->citations * 100 + 0.5) / 100;
    if (level == LV_PROV) {
        /* provincial software copyrights: few for standard holders, more for
         * the others, so that T06's provincial 综合成果 medians and T21's
         * provincial median of 2 hold together (docs/calibration.md) */
        double us = smp_lq_u(lq, level, k, L_SOFT);
        e->software =
            (long)floor(e->has_std ? smp_quantile_lin(SOFT_PROV_STD, 5, us) : smp_quantile_lin(SOFT_PROV_NOSTD, 6, us));
    } else {
        e->software = lround(SOFT_MED[level] * exp(SOFT_SIG[level] * smp_phi_inv(smp_lq_u(lq, level, k, L_SOFT))));
    }
    e->class1 = smp_rng_poisson(&r, 0.8 * e->grants + 0.1 * e->software);

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
void smp_split_patents(ent *e, uint64_t seed, long i, double mult)
{
    rng r;
    smp_rng_init(&r, seed, (uint64_t)i, 5);
    double p0 = e->p0 * mult;
    e->design = smp_rng_poisson(&r, 0.04 * p0);
    e->utility = lround(p0) - e->apps - e->design;
    if (e->utility < 0) e->utility = smp_rng_poisson(&r, 0.2 * p0);
    e->patents = e->apps + e->utility + e->design;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/*
 * Systematic rounding per level: @p lam is drawn for every enterprise (its
 * own stream, so twice the same value), summed per level, and then each
 * enterprise gets floor of an accumulator per level (started from stream
 * (seed, 0, @p acc_stream)) that adds lam × a[level] × b[level] / sum[level];
 * the level totals so hold to within one.  @p set stores a count.
 */
static void systematic_counts(ent *ents, long total, uint64_t seed, int acc_stream,
                              double (*lam)(const ent *e, uint64_t seed, long i), const double a[3], const double b[3],
                              void (*set)(ent *e, long c))
{
    double sum[3] = {0}, acc[3];
    for (long i = 0; i < total; i++) sum[ents[i].level] += lam(&ents[i], seed, i);
    rng r;
    smp_rng_init(&r, seed, 0, (uint64_t)acc_stream);
    for (int l = 0; l < 3; l++) acc[l] = rng_unif(&r);
    for (long i = 0; i < total; i++) {
        ent *e = &ents[i];
        int l = e->level;
        acc[l] += sum[l] > 0 ? lam(e, seed, i) * a[l] * b[l] / sum[l] : 0;
        double c = floor(acc[l]);
        acc[l] -= c;
        set(e, (long)c);
    }
}

/* Rejected inventions (stream 6): lognormal around the grants. */
static double rejected_lam(const ent *e, uint64_t seed, long i)
{
    rng r;
    smp_rng_init(&r, seed, (uint64_t)i, 6);
    return (double)e->grants * smp_rng_lnmean1(&r, 0.4);
}

static void set_rejected(ent *e, long c)
{
    e->rejected = c;
}

/* PCT filings (stream 7): a share of the foreign ones. */
static double pct_lam(const ent *e, uint64_t seed, long i)
{
    rng r;
    smp_rng_init(&r, seed, (uint64_t)i, 7);
    return (double)e->foreign * (0.5 + rng_unif(&r));
}

static void set_pct(ent *e, long c)
{
    e->pct = c > e->foreign ? e->foreign : c;
}

/*
 * Second pass over the patent counts.  Each published city (T16) gets the
 * multiplier that puts its median patents_total on the published median
 * (three fixed-point rounds over the city's P rows); other cities keep the
 * multiplier of the city table.  Then invention_rejected is drawn and scaled
 * so that each level's grant rate (T28) holds exactly.
 */
srdi_status smp_finish_patents(const model *m, ent *ents, long total, uint64_t seed)
{
    long *idx = NULL, *val = NULL;
    srdi_status st = SRDI_OK;
    double *mult = calloc((size_t)m->n_provs * 64, sizeof *mult);
    idx = malloc((size_t)total * sizeof *idx);
    val = malloc((size_t)total * sizeof *val);
    if (!mult || !idx || !val) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int p = 0; p < m->n_provs; p++)
        for (int c = 0; c < m->provs[p].n_cities && c < 64; c++) mult[p * 64 + c] = m->provs[p].cities[c].mult;
    for (int t = 0; t < sample_n_city_medians; t++) {
        const sample_city_median *cm = &sample_city_medians[t];
        int pp = -1, cc = -1;
        for (int p = 0; p < m->n_provs && pp < 0; p++)
            for (int c = 0; c < m->provs[p].n_cities && c < 64; c++)
                if (strcmp(m->provs[p].cities[c].name, cm->city) == 0) {
                    pp = p;
                    cc = c;
                    break;
                }
        if (pp < 0) continue;
        long n = 0;
        for (long i = 0; i < total; i++)
            if (ents[i].level != LV_CHAMP && ents[i].prov == pp && ents[i].city == cc) idx[n++] = i;
        if (n == 0) continue;
        double mu = mult[pp * 64 + cc];
        for (int round = 0; round < 4; round++) {
            for (long j = 0; j < n; j++) {
                smp_split_patents(&ents[idx[j]], seed, idx[j], mu);
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
        smp_split_patents(&ents[i], seed, i, ents[i].city < 64 ? mult[ents[i].prov * 64 + ents[i].city] : 1.0);

    /* rejected: lognormal around REJ_RATIO × grants, scaled per level */
    double sum_g[3] = {0};
    for (long i = 0; i < total; i++) sum_g[ents[i].level] += (double)ents[i].grants;
    systematic_counts(ents, total, seed, 12, rejected_lam, REJ_RATIO, sum_g, set_rejected);
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
void smp_draw_derived(ent *ents, long total, const lquasi *lq, uint64_t seed)
{
    double sum[3][N_DERIVED], scale[3][N_DERIVED], acc[3][N_DERIVED];
    long cnt[3] = {0};
    memset(sum, 0, sizeof sum);
    rng r;
    /* pass 0: raw sums; passes 1–3: foreign scale under the cap; pass 4: draw */
    for (int pass = 0; pass < 5; pass++) {
        double capped[3] = {0};
        smp_rng_init(&r, seed, 0, 10);
        for (int l = 0; l < 3; l++)
            for (int d = 0; d < N_DERIVED; d++) acc[l][d] = rng_unif(&r);
        for (long i = 0; i < total; i++) {
            ent *e = &ents[i];
            int lv = e->level;
            if (pass == 0) cnt[lv]++;
            smp_rng_init(&r, seed, (uint64_t)i, 4);
            double act = exp(0.5 * smp_phi_inv(smp_lq_u(lq, lv, e->k, L_ACT)) - 0.125);
            long inv_rows = e->apps > e->grants + e->rejected ? e->apps : e->grants + e->rejected;
            for (int d = 0; d < N_DERIVED; d++) {
                double lam = (double)(d == D_FOREIGN ? e->apps : e->patents) * act * smp_rng_lnmean1(&r, 0.3);
                if (pass == 0) {
                    sum[lv][d] += lam;
                    continue;
                }
                lam *= scale[lv][d];
                if (d == D_FOREIGN && lam > (double)inv_rows) lam = (double)inv_rows;
                if (pass < 4) {
                    if (d == D_FOREIGN) capped[lv] += lam;
                    continue;
                }
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
    double count[3] = {(double)cnt[0], (double)cnt[1], (double)cnt[2]};
    systematic_counts(ents, total, seed, 13, pct_lam, PCT_MEAN, count, set_pct);
}

/*
 * Second pass: which national and provincial enterprises have financials,
 * in which T22 band their latest R&D ratio lies, whether it is above 0.30,
 * and which years they report (T10 n).  Systematic sampling inside windows
 * of the innovation quantile (FIN_WIN), so the band medians of T22 hold.
 */
void smp_assign_financials(ent *ents, long total, uint64_t seed)
{

    double acc[2][3][2], acc_out[2], w_shift[2][3];
    long w_k[2][3] = {{0}};
    rng r;
    smp_rng_init(&r, seed, 0, 11);
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
                keep = smp_phi(-FIN_RES_T[b] / 1.4142135623730951);
            }
            acc[lv][b][hs] += FIN_RATE[lv][b] / (w[1] - w[0]) / keep;
            if (pick_b < 0 && acc[lv][b][hs] >= 1.0) pick_b = b;
        }
        if (pick_b < 0) continue;
        acc[lv][pick_b][hs] -= 1.0;
        e->band = (unsigned char)pick_b;
        if (pick_b == 0) {
            acc_out[lv] += FIN_OUT[lv];
            if (acc_out[lv] >= 1.0) {
                acc_out[lv] -= 1.0;
                e->out = 1;
            }
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
        if (a1 >= 1.0) {
            a1 -= 1.0;
            e->fin = 1;
            continue;
        }
        a2 += FIN_YEARS[1] / (1 - FIN_YEARS[0]);
        if (a2 >= 1.0) {
            a2 -= 1.0;
            e->fin = 2;
        }
    }
}
