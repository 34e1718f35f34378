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

#include "srdi/csvout.h"
#include "srdi/util.h"
#include "sample_private.h"

/* ============================================================ output constants */

/* T11 R&D ratio inside [0, 0.30]: median, P75, P90 by level. */
/* Knots at 0.15 and 0.25 put the T22 band shares inside the filter (see FIN_* in sample_enterprises.c). */
static const knot RD_NAT[] = {{0, .05}, {.215, .15}, {.5, .201}, {.75, .245}, {.774, .25}, {.9, .278}, {1, .2999}};
static const knot RD_PROV[] = {{0, .08}, {.389, .15}, {.5, .182}, {.75, .231}, {.823, .25}, {.9, .265}, {1, .2999}};
#define RD_KNOTS 7
/* F(0.15) and F(0.25) of the knots above: band edges inside the filter. */
static const double RD_EDGE[2][2] = {{.215, .774}, {.389, .823}};

/* tech_eval values written for the four drawn categories. */
static const char *const TECH_EVAL[4] = {"intl_advanced", "domestic_advanced", "intl_level", "domestic_level"};

/* T09 revenue growth medians 2022..2024; T10 year factors 2021..2024. */
static const double GROWTH_MED[2][3] = {{.0732, .0814, .0421}, {.0241, .0530, .0031}};
static const double RD_YEAR_FACTOR[4] = {.98, .98, 1.046, 1.0};

/* ============================================================ output */

typedef struct writer {
    srdi_atomic a;
    char *buf;
    size_t len, cap;
    int failed;     /* a write failed */
    srdi_buf field; /* scratch: one text field as THE CSV writer quotes it */
    srdi_status st; /* SRDI_ERR_NOMEM when a field could not be made (message set) */
} writer;

static void w_flush(writer *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->a.fp) != w->len) w->failed = 1;
    w->len = 0;
}

static inline void w_put(writer *w, const char *s, size_t n)
{
    if (w->len + n > w->cap) w_flush(w);
    if (n > w->cap) {
        if (fwrite(s, 1, n, w->a.fp) != n) w->failed = 1;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static inline void w_str(writer *w, const char *s)
{
    w_put(w, s, strlen(s));
}
static inline void w_ch(writer *w, char c)
{
    if (w->len + 1 > w->cap) w_flush(w);
    w->buf[w->len++] = c;
}

/* A text field as THE CSV writer writes it (srdi/csvout.h: RFC 4180 quoting, formula guard). */
static void w_text(writer *w, const char *s)
{
    if (!strpbrk(s, ",\"\r\n =+-@\t")) { /* the common case: nothing to quote or guard */
        w_str(w, s);
        return;
    }
    srdi_buf_reset(&w->field);
    srdi_status st = srdi_csv_field(&w->field, s);
    if (st != SRDI_OK) {
        if (w->st == SRDI_OK) w->st = st;
        return;
    }
    w_put(w, w->field.data, w->field.len);
}

static void w_long(writer *w, long v)
{
    char tmp[24];
    int n = 0;
    unsigned long u = v < 0 ? (unsigned long)(-v) : (unsigned long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) tmp[n++] = '-';
    if (w->len + (size_t)n > w->cap) w_flush(w);
    while (n) w->buf[w->len++] = tmp[--n];
}

/* A separator, then @p v when @p present (else an empty field). */
static void w_count(writer *w, long v, bool present)
{
    w_ch(w, ',');
    if (present) w_long(w, v);
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
    if (!w->buf) {
        srdi_atomic_abort(&w->a);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    return SRDI_OK;
}

/* Flush and rename into place (or remove on failure). */
static srdi_status w_close(writer *w, srdi_status st)
{
    if (!w->buf) return st;
    if (st == SRDI_OK) w_flush(w);
    free(w->buf);
    w->buf = NULL;
    srdi_buf_free(&w->field);
    if (st == SRDI_OK && w->st != SRDI_OK) st = w->st; /* message set */
    if (st == SRDI_OK && w->failed) st = srdi_error_set(SRDI_ERR_IO, "sample: write failed: %s", w->a.path);
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

static const char ENT_HEADER[] = "id,name,level,province,city,industry_code,reg_capital,staff,rd_staff,"
                                 "hon_little_giant,hon_high_tech,hon_tech_center,hon_tech_sme,hon_champion,"
                                 "hon_eng_center,hon_gazelle,hon_unicorn,hon_green_factory,hon_cnas,"
                                 "std_national,std_industry,std_local,std_group,patents_total,invention_apps,"
                                 "invention_grants,invention_rejected,utility_models,software_copyrights,class1_ip,"
                                 "pct_apps,foreign_patents,high_value_inventions,citations_avg,awarded_patents,"
                                 "standard_patents,inventors,coop_patents,pledged_patents,licensed_patents,"
                                 "litigated_patents,digital_patents,tech_eval\n";

static void write_enterprise(writer *w, const model *m, const ent *e, const char *id, long seq)
{
    static const char *const LEVEL[3] = {"national", "provincial", "champion"};
    const prov *p = &m->provs[e->prov];
    char name[64];
    snprintf(name, sizeof name, "%s%06ld", e->level == LV_CHAMP ? "样本冠军企业" : "样本企业", seq);
    /* id … industry_code */
    const char *text[] = {id, name, LEVEL[e->level], p->spec->name, p->cities[e->city].name, m->classes[e->cls].code};
    for (size_t k = 0; k < sizeof text / sizeof text[0]; k++) {
        w_text(w, text[k]);
        w_ch(w, ',');
    }
    if (!(e->missing & M_REG)) w_fixed(w, e->reg_capital, 1);
    w_count(w, e->staff, true);
    w_count(w, e->rd_staff, !(e->missing & M_RDSTAFF));
    for (int h = 0; h < N_HON; h++) w_count(w, e->hon[h] ? 1 : 0, true);
    for (int s = 0; s < 4; s++) w_count(w, e->std_n[s], true);
    /* patents_total … high_value_inventions: a value and the flag that marks it missing */
    const struct {
        long v;
        unsigned missing;
    } counts[] = {{e->patents, 0},       {e->apps, 0},          {e->grants, 0}, {e->rejected, 0}, {e->utility, 0},
                  {e->software, M_SOFT}, {e->class1, M_CLASS1}, {e->pct, 0},    {e->foreign, 0},  {e->hv, 0}};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        w_count(w, counts[k].v, !(e->missing & counts[k].missing));
    w_ch(w, ',');
    if (!(e->missing & M_CITE)) w_fixed(w, e->citations, 2);
    /* awarded_patents … digital_patents */
    static const struct {
        int d;
        unsigned missing;
    } DERIVED[] = {{D_AWARDED, 0}, {D_STDPAT, 0},   {D_INVENTORS, M_INV}, {D_COOP, M_COOP},
                   {D_PLEDGED, 0}, {D_LICENSED, 0}, {D_LITIGATED, 0},     {D_DIGITAL, M_DIGITAL}};
    for (size_t k = 0; k < sizeof DERIVED / sizeof DERIVED[0]; k++)
        w_count(w, e->derived[DERIVED[k].d], !(e->missing & DERIVED[k].missing));
    w_ch(w, ',');
    if (e->tech) w_str(w, TECH_EVAL[e->tech - 1]);
    w_ch(w, '\n');
}

/* Financial rows of one enterprise (stream 2). */
static void write_financials(writer *w, uint64_t seed, long i, const ent *e, const char *id)
{
    rng r;
    smp_rng_init(&r, seed, (uint64_t)i, 2);
    int lv = e->level == LV_NAT ? 0 : 1;
    double ratio;
    /* above the 30% "reasonable range" (kept above it in every year), else
     * inside the T22 band's slice of the T11 quantile function */
    if (e->out) {
        ratio = 0.31 + 0.24 * rng_unif(&r);
    } else {
        double lo = e->band == 2 ? 0 : e->band == 1 ? RD_EDGE[lv][0] : RD_EDGE[lv][1];
        double hi = e->band == 2 ? RD_EDGE[lv][0] : e->band == 1 ? RD_EDGE[lv][1] : 1;
        ratio = smp_quantile_lin(lv == 0 ? RD_NAT : RD_PROV, RD_KNOTS, lo + (hi - lo) * e->rd_w);
    }
    double rev = (lv == 0 ? 40000 : 12000) * exp(0.8 * smp_rng_norm(&r));
    int first = e->fin == 1 ? 2021 : e->fin == 2 ? 2023 : 2024;
    for (int y = 2021; y <= 2024; y++) {
        if (y > 2021) {
            /* 40% sit exactly at the median so small samples keep it (T09) */
            double gr = GROWTH_MED[lv][y - 2022];
            if (rng_unif(&r) >= 0.4) gr += 0.12 * smp_rng_norm(&r);
            if (gr < -0.6) gr = -0.6;
            rev *= 1 + gr;
        }
        if (y < first) continue;
        double ry = ratio * RD_YEAR_FACTOR[y - 2021];
        if (ratio <= 0.30 && ry > 0.2999) ry = 0.2999;
        double rv = floor(rev * 10 + 0.5) / 10;
        w_str(w, id);
        w_ch(w, ',');
        w_long(w, y);
        w_ch(w, ',');
        w_fixed(w, rv, 1);
        w_ch(w, ',');
        w_fixed(w, floor(rv * ry * 10 + 0.5) / 10, 1);
        w_ch(w, '\n');
    }
}

/* Application year in [lo, hi], weights growing 12% a year from 2015. */
static int draw_year(rng *r, int lo, int hi)
{
    double tot = 0, wy = 1;
    for (int y = lo; y <= hi; y++) {
        tot += wy;
        wy *= 1.12;
    }
    double x = rng_unif(r) * tot;
    wy = 1;
    for (int y = lo; y <= hi; y++) {
        if (x < wy) return y;
        x -= wy;
        wy *= 1.12;
    }
    return hi;
}

#define YEAR_MIN 2015
#define YEAR_MAX 2025

typedef struct patctx {
    long serial[YEAR_MAX - YEAR_MIN + 1][3]; /* next serial per (app_year, kind) */
    long rows;
} patctx;

enum { ST_GRANTED, ST_PENDING, ST_REJECTED, ST_WITHDRAWN };

/* First application year of the utility-model and design rows listed in
 * patents.csv (inventions: every year).  See docs/calibration.md. */
#define LISTED_FROM 2023

/* Application, publication (0: none) and grant years of a document of @p kind and @p status. */
static void draw_dates(rng *r, int kind, int status, int *app_out, int *pub_out, int *grant_out)
{
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
    *app_out = app;
    *pub_out = pub;
    *grant_out = grant;
}

/* The main IPC of a document of class @p k: one of the division's subclasses, group/subgroup drawn. */
static void write_ipc(writer *w, rng *r, const klass *k)
{
    const char *list = k->ipcs;
    int cnt = 1;
    for (const char *q = list; *q; q++)
        if (*q == ',') cnt++;
    long pick_i = smp_rng_range(r, 0, cnt - 1);
    const char *s = list;
    while (pick_i-- > 0) s = strchr(s, ',') + 1;
    w_put(w, s, 4);
    w_long(w, smp_rng_range(r, 1, 60));
    w_ch(w, '/');
    long sg = smp_rng_range(r, 0, 20) * 2;
    w_ch(w, (char)('0' + sg / 10));
    w_ch(w, (char)('0' + sg % 10));
}

/* One patents.csv row; nothing is written when the drawn application year is
 * before @p min_app (the document is counted in enterprises.csv only). */
static void write_patent(writer *w, patctx *pc, rng *r, const char *id, const klass *k, int kind, const char *office,
                         int status, int min_app)
{
    static const char *const KIND[3] = {"invention", "utility", "design"};
    static const char *const STATUS[4] = {"granted", "pending", "rejected", "withdrawn"};
    int app, pub, grant;
    draw_dates(r, kind, status, &app, &pub, &grant);
    if (app < min_app) return;
    long serial = pc->serial[app - YEAR_MIN][kind]++;
    char no[40];
    int n = snprintf(no, sizeof no, "%s%d%d%07ld", office, app, kind + 1, serial % 10000000);
    if (strcmp(office, "CN") == 0 && n > 0 && n < 36) {
        no[n] = '.';
        no[n + 1] = (char)('0' + (serial * 7 + app) % 10);
        no[n + 2] = '\0';
    }
    const char *text[] = {id, no, KIND[kind], office}; /* id … office */
    for (size_t j = 0; j < sizeof text / sizeof text[0]; j++) {
        w_str(w, text[j]);
        w_ch(w, ',');
    }
    w_long(w, app);
    w_count(w, pub, pub != 0);
    w_ch(w, ',');
    w_str(w, STATUS[status]);
    w_count(w, grant, status == ST_GRANTED);
    w_ch(w, ',');
    if (kind != 2) write_ipc(w, r, k);
    w_ch(w, ',');
    if (kind == 0) w_text(w, k->div_name); /* field: inventions only (T30) */
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
static void write_patents(writer *w, patctx *pc, uint64_t seed, long i, const ent *e, const klass *k, const char *id,
                          int compact)
{
    static const char *const OFFICES[7] = {"US", "EP", "JP", "KR", "TW", "DE", "GB"};
    static const double OFF_CUM[7] = {.38, .60, .75, .85, .93, .97, 1.0};
    rng r;
    smp_rng_init(&r, seed, (uint64_t)i, 3);
    long rest = e->apps - e->grants - e->rejected;
    if (rest < 0) rest = 0;
    long inv = e->grants + e->rejected + rest;
    long foreign_left = e->foreign, pct_left = e->pct, left = inv;
    for (long j = 0; j < inv; j++, left--) {
        int status = j < e->grants                 ? ST_GRANTED
                     : j < e->grants + e->rejected ? ST_REJECTED
                     : rng_unif(&r) < 0.85         ? ST_PENDING
                                                   : ST_WITHDRAWN;
        const char *office = "CN";
        if (foreign_left > 0 && rng_unif(&r) * (double)left < (double)foreign_left) {
            if (rng_unif(&r) * (double)foreign_left < (double)pct_left) {
                office = "WO";
                pct_left--;
            } else {
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

static const char SYNTHETIC_TXT[] = "SYNTHETIC DATA — 合成数据，非真实企业\n"
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

/* Draw every enterprise into @p ents: o->n of the two SRDI levels, then @p champs champions. */
static srdi_status draw_all(const srdi_sample_opts *o, const model *m, ent *ents, long champs)
{
    long total = o->n + champs;
    quasi q;
    smp_quasi_init(&q, o->seed);
    accs ac;
    rng r;
    smp_rng_init(&r, o->seed, 0, 8);
    for (int l = 0; l < 3; l++)
        for (int k = 0; k < N_ACC; k++) ac.a[l][k] = rng_unif(&r);
    ac.count[0] = ac.count[1] = ac.count[2] = 0;
    lquasi lq;
    smp_lquasi_init(&lq, o->seed);
    lq.n[LV_NAT] = lq.n[LV_PROV] = 0;
    lq.n[LV_CHAMP] = champs;
    for (long i = 0; i < o->n; i++) lq.n[smp_quasi_u(&q, i, Q_LEVEL) < NAT_SHARE ? LV_NAT : LV_PROV]++;
    smp_lquasi_levels(&lq);
    for (long i = 0; i < total; i++) {
        int level = i >= o->n ? LV_CHAMP : smp_quasi_u(&q, i, Q_LEVEL) < NAT_SHARE ? LV_NAT : LV_PROV;
        smp_draw_enterprise(m, &q, &lq, &ac, o->seed, i, level, &ents[i]);
    }
    srdi_status st = smp_finish_patents(m, ents, total, o->seed);
    if (st != SRDI_OK) return st;
    smp_draw_derived(ents, total, &lq, o->seed);
    smp_assign_financials(ents, total, o->seed);
    return SRDI_OK;
}

enum { CSV_ENTERPRISES, CSV_FINANCIALS, CSV_PATENTS, N_CSV };

/*
 * One CSV file of the set (@p kind) from the @p total enterprises @p ents:
 * the header, then each enterprise's rows.  Patent rows are counted in @p pc.
 */
static srdi_status write_csv(const srdi_sample_opts *o, const model *m, const ent *ents, long total, int kind,
                             patctx *pc)
{
    static const char *const NAME[N_CSV] = {"enterprises.csv", "financials.csv", "patents.csv"};
    static const char *const HEADER[N_CSV] = {
        ENT_HEADER, "id,year,revenue,rd_expense\n",
        "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field\n"};
    writer w;
    srdi_status st = w_open(&w, o->out_dir, NAME[kind]);
    if (st != SRDI_OK) return st;
    w_str(&w, HEADER[kind]);
    int compact = o->patents == 2;
    for (long i = 0; i < total; i++) {
        const ent *e = &ents[i];
        if ((kind == CSV_FINANCIALS && !e->fin) || (kind == CSV_PATENTS && compact && e->level != LV_NAT)) continue;
        char id[19];
        make_id(id, m->provs[e->prov].spec->code, i + 1);
        if (kind == CSV_ENTERPRISES)
            write_enterprise(&w, m, e, id, i + 1);
        else if (kind == CSV_FINANCIALS)
            write_financials(&w, o->seed, i, e, id);
        else
            write_patents(&w, pc, o->seed, i, e, &m->classes[e->cls], id, compact);
    }
    return w_close(&w, SRDI_OK);
}

/* SYNTHETIC.txt: what the files are, and for a compact set what it leaves out. */
static srdi_status write_readme(const srdi_sample_opts *o)
{
    writer w;
    srdi_status st = w_open(&w, o->out_dir, "SYNTHETIC.txt");
    if (st != SRDI_OK) return st;
    w_str(&w, SYNTHETIC_TXT);
    if (o->patents == 2)
        w_str(&w, "\nCompact set: patents.csv holds only the invention patents of the national-level\n"
                  "(小巨人) enterprises, which is all the patent tables (T30–T35) read; the\n"
                  "enterprise-level patent counts in enterprises.csv are complete.\n");
    return w_close(&w, SRDI_OK);
}

srdi_status srdi_sample_generate(const srdi_sample_opts *o, const srdi_reference *ref)
{
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
    model m;
    ent *ents = NULL;
    patctx pc = {0};
    srdi_status st = smp_model_build(&m, ref);
    if (st == SRDI_OK) st = srdi_mkdirs(o->out_dir);
    if (st == SRDI_OK && !(ents = calloc((size_t)total, sizeof *ents)))
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory (%ld enterprises)", total);
    if (st == SRDI_OK) st = draw_all(o, &m, ents, champs);
    for (int kind = 0; st == SRDI_OK && kind < N_CSV; kind++)
        if (kind != CSV_PATENTS || o->patents) st = write_csv(o, &m, ents, total, kind, &pc);
    if (st == SRDI_OK) st = write_readme(o);
    if (st == SRDI_OK && !o->quiet)
        srdi_log_note("sample: %ld enterprises (%ld champions), %ld patent rows, %.1f s → %s", total, champs, pc.rows,
                      srdi_now() - t0, o->out_dir);
    free(ents);
    smp_model_free(&m);
    return st;
}
