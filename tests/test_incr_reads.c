/*
 * tests/test_incr_reads.c — the table cache of a refresh (OUT/.srdi-tables)
 * reuses a table while the inputs its registry entry declares are
 * unchanged (srdi_table_def.reads), so the declarations are checked here
 * against what the builders actually touch, not trusted:
 *
 *   1. every table is built over the bundled sample (national, and over one
 *      province's rows) twice: as it is, and with each input it does not
 *      declare made unreadable — the financial rows' and patent facts'
 *      arrays (and the patent key pool), and the cells and bitmaps of the
 *      numeric enterprise columns outside its srdi_table_def.fields, point
 *      at pages mapped PROT_NONE, so
 *      any read ends the test on SIGSEGV naming the table and the input, and
 *      the flags and scalars of those inputs are changed (has_financials,
 *      has_patents, the maximum patent years, released), so a table that
 *      looks at them builds differently: both builds must pack to the same
 *      bytes;
 *   2. the input hashes: one value changed in one input changes that
 *      input's hash and no other;
 *   3. a packed table unpacks to a table that packs to the same bytes and
 *      has the same content hash (every table of the sample); a cut or
 *      corrupted .srdi-tables gives back only its whole, checked entries.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "srdi/ingest.h"
#include "srdi/incremental.h"
#include "srdi/log.h"
#include "srdi/params.h"
#include "srdi/reference.h"
#include "srdi/tables.h"
#include "srdi/util.h"
#include "testutil.h"

/* ------------------------------------------------------- the poisoned pages */

/* PROT_NONE pages in place of the financial rows (poison), of the patent aggregates (poison + poison_size) and
   of the numeric enterprise columns a table does not declare (poison + 2 * poison_size) */
static char *poison;
static size_t poison_size;
static volatile const char *building = ""; /* the table being built */

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    char msg[512];
    const char *a = (const char *)si->si_addr;
    int n;
    if (a >= poison && a < poison + 3 * poison_size)
        n = snprintf(msg, sizeof msg,
                     "test_incr_reads: FAILED: %s read %s, which its registry entry (src/tables/registry.c) does "
                     "not declare: a refresh would serve it stale\n",
                     (const char *)building,
                     a < poison + poison_size       ? "the financial rows"
                     : a < poison + 2 * poison_size ? "the patent aggregates"
                                                    : "a numeric enterprise column outside its fields");
    else
        n = snprintf(msg, sizeof msg, "test_incr_reads: FAILED: %s crashed outside the poisoned inputs\n",
                     (const char *)building);
    if (n > 0) {
        ssize_t w = write(2, msg, (size_t)n);
        (void)w;
    }
    _exit(1);
}

/*
 * The dataset @p d with every input outside @p reads unreadable (a shallow
 * copy: frees nothing): its arrays poisoned, and with @p flip its flags and
 * scalars changed too (a builder that tests has_financials first would
 * otherwise never reach the arrays); the numeric enterprise columns outside
 * @p fields (srdi_table_def.fields; 0: all) poisoned as well.
 */
static srdi_dataset masked(const srdi_dataset *d, unsigned reads, uint64_t fields, bool flip)
{
    srdi_dataset m = *d;
    for (int f = 0; f < SRDI_F_COUNT && fields; f++)
        if (!(fields >> f & 1)) {
            m.num[f].v = (void *)(poison + 2 * poison_size);
            m.num[f].bits = (void *)(poison + 2 * poison_size);
        }
    if (!(reads & SRDI_READS_FINANCIALS)) {
        if (flip) m.has_financials = !d->has_financials;
        m.fin_ent = (void *)poison;
        m.fin_year = (void *)poison;
        m.fin_revenue.v = (void *)poison;
        m.fin_revenue.present = (void *)poison;
        m.fin_rd.v = (void *)poison;
        m.fin_rd.present = (void *)poison;
    }
    if (!(reads & SRDI_READS_PATENTS)) {
        m.patents.facts = (void *)(poison + poison_size);
        m.patents.keys = (void *)(poison + poison_size);
        m.patents.acc = poison + poison_size;
        if (flip) {
            m.has_patents = !d->has_patents;
            m.patents.max_app_year += 3;
            m.patents.max_grant_year += 3;
            m.patents.max_pub_year += 3;
            m.patents.released = !d->patents.released;
        }
    }
    return m;
}

static const char *inputs_not_declared(unsigned reads)
{
    switch (~reads & (SRDI_READS_FINANCIALS | SRDI_READS_PATENTS)) {
    case SRDI_READS_FINANCIALS: return "the financial rows";
    case SRDI_READS_PATENTS: return "the patent aggregates";
    case SRDI_READS_FINANCIALS | SRDI_READS_PATENTS: return "the financial rows or the patent aggregates";
    default: return "nothing";
    }
}

/* The packed bytes of table @p id over @p ctx (exits on a build failure unless @p may_fail). */
static char *build_packed(const srdi_tctx *ctx, const char *id, size_t *n, srdi_status *st)
{
    srdi_table *t = NULL;
    srdi_buf b = {0};
    *st = srdi_tables_build(ctx, id, &t);
    if (*st == SRDI_OK) {
        if (srdi_incr_table_pack(t, &b) != SRDI_OK) exit(2);
    }
    srdi_table_free(t);
    srdi_error_clear();
    *n = b.len;
    return b.data;
}

static void check_declarations(const srdi_dataset *d, const srdi_params *p, const uint8_t *scope, const char *what)
{
    size_t ndefs;
    const srdi_table_def *defs = srdi_tables_defs(&ndefs);
    int checked = 0;
    for (size_t i = 0; i < ndefs; i++) {
        unsigned reads = defs[i].reads;
        CHECK(reads & SRDI_READS_ENTERPRISES); /* every table reads the enterprise rows */
        srdi_tctx ctx = {.d = d, .scope = scope, .params = p};
        size_t na, nb;
        srdi_status sa, sb;
        char *a = build_packed(&ctx, defs[i].id, &na, &sa);
        bool same = true;
        for (int flip = 0; flip < 2; flip++) {
            srdi_dataset m = masked(d, reads, defs[i].fields, flip);
            srdi_tctx mctx = ctx;
            mctx.d = &m;
            building = defs[i].id;
            char *b = build_packed(&mctx, defs[i].id, &nb, &sb);
            building = "";
            if (sa != SRDI_OK || sb != sa || na != nb || (na && memcmp(a, b, na) != 0)) {
                fprintf(stderr,
                        "test_incr_reads: %s (%s): built with %s %s, it is not the same table "
                        "(status %d / %d): it reads an input it does not declare\n",
                        defs[i].id, what, inputs_not_declared(reads), flip ? "changed" : "unreadable", (int)sa,
                        (int)sb);
                same = false;
            }
            free(b);
        }
        CHECK(same);
        checked += same;
        free(a);
    }
    CHECK_INT(checked, (long long)ndefs);
}

/* ------------------------------------------------------------- the sample */

static srdi_dataset *load_sample(void)
{
    srdi_reference *ref = NULL;
    if (srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref) != SRDI_OK) {
        fprintf(stderr, "reference: %s\n", srdi_error_message());
        exit(2);
    }
    srdi_ingest_opts io = {.data_dir = testutil_src("samples"), .quiet = true, .no_progress = true, .threads = 1};
    srdi_dataset *d = NULL;
    if (srdi_ingest(&io, ref, &d, NULL) != SRDI_OK) {
        fprintf(stderr, "ingest: %s\n", srdi_error_message());
        exit(2);
    }
    return d;
}

/* The rows of the province of row 0 (a scope of some rows, not all). */
static uint8_t *province_mask(const srdi_dataset *d)
{
    uint8_t *m = calloc(d->n ? d->n : 1, 1);
    if (!m) exit(2);
    for (size_t i = 0; i < d->n; i++) m[i] = d->province[i] == d->province[0];
    return m;
}

static void test_declarations(const srdi_dataset *d, const srdi_params *p)
{
    CHECK(d->has_financials && d->n_fin > 0);
    CHECK(d->has_patents && d->patents.n_facts > 0);
    size_t need = d->n_fin * sizeof(double);
    if (d->patents.n_facts * sizeof(srdi_pfact) > need) need = d->patents.n_facts * sizeof(srdi_pfact);
    if (d->n * sizeof(double) > need) need = d->n * sizeof(double); /* a numeric column at its widest */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    poison_size = (need + 4096 + page - 1) / page * page;
    void *map = mmap(NULL, 3 * poison_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    poison = map;
    if (map == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    check_declarations(d, p, NULL, "national");
    uint8_t *mask = province_mask(d);
    check_declarations(d, p, mask, "one province");
    free(mask);

    /* the check itself: a table built with its undeclared inputs poisoned
       that reads them is caught (T10 reads the financial rows) */
    srdi_dataset m = masked(d, SRDI_READS_ENTERPRISES | SRDI_READS_PATENTS, 0, true);
    m.fin_ent = d->fin_ent; /* readable again, so that the difference shows instead of a crash */
    m.fin_year = d->fin_year;
    m.fin_revenue = d->fin_revenue;
    m.fin_rd = d->fin_rd;
    srdi_tctx ctx = {.d = d, .params = p}, mctx = {.d = &m, .params = p};
    size_t na, nb;
    srdi_status sa_, sb_;
    char *a = build_packed(&ctx, "T10", &na, &sa_), *b = build_packed(&mctx, "T10", &nb, &sb_);
    CHECK(sa_ == SRDI_OK && sb_ == SRDI_OK);
    CHECK(na != nb || memcmp(a, b, na) != 0); /* has_financials flipped: T10 says it has no data */
    free(a);
    free(b);
    /* and a column: T03 reads staff; built with staff unreadable (only reg_capital declared), it is caught */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        srdi_dataset m2 = masked(d, SRDI_READS_ENTERPRISES, SRDI_FIELD_BIT(SRDI_F_REG_CAPITAL), false);
        srdi_tctx c2 = {.d = &m2, .params = p};
        size_t n2;
        srdi_status s2;
        free(build_packed(&c2, "T03", &n2, &s2));
        _exit(0); /* not caught */
    }
    int ws = 0;
    CHECK(pid > 0 && waitpid(pid, &ws, 0) == pid);
    CHECK(!(WIFEXITED(ws) && WEXITSTATUS(ws) == 0));
    munmap(poison, 3 * poison_size);
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
}

/* ------------------------------------------------------------ input hashes */

static void test_input_hashes(srdi_dataset *d)
{
    uint64_t e = srdi_incr_enterprises_hash(d), f = srdi_incr_financials_hash(d), p = srdi_incr_patents_hash(d);
    CHECK(e != f && f != p && e != p);
    CHECK(srdi_incr_enterprises_hash(d) == e);

    /* one financial value */
    double rev = d->fin_revenue.v[0];
    d->fin_revenue.v[0] = rev * 2;
    CHECK(srdi_incr_financials_hash(d) != f);
    CHECK(srdi_incr_enterprises_hash(d) == e && srdi_incr_patents_hash(d) == p);
    d->fin_revenue.v[0] = rev;
    CHECK(srdi_incr_financials_hash(d) == f);

    /* one patent fact's count, then its padding byte (not content: no change) */
    d->patents.facts[0].count++;
    CHECK(srdi_incr_patents_hash(d) != p);
    CHECK(srdi_incr_enterprises_hash(d) == e && srdi_incr_financials_hash(d) == f);
    d->patents.facts[0].count--;
    unsigned char *pad = (unsigned char *)&d->patents.facts[0] + 7;
    unsigned char was = *pad;
    *pad ^= 0xff;
    CHECK(srdi_incr_patents_hash(d) == p);
    *pad = was;

    /* one enterprise value: a field, then one byte of a name */
    double staff = 0;
    CHECK(srdi_get(d, SRDI_F_STAFF, 1, &staff));
    CHECK(srdi_dataset_set(d, 1, SRDI_F_STAFF, staff + 1) == SRDI_OK);
    CHECK(srdi_incr_enterprises_hash(d) != e);
    CHECK(srdi_incr_financials_hash(d) == f && srdi_incr_patents_hash(d) == p);
    CHECK(srdi_dataset_set(d, 1, SRDI_F_STAFF, staff) == SRDI_OK);
    CHECK(srdi_incr_enterprises_hash(d) == e);
    char c0 = d->name[2][0];
    d->name[2][0] = (char)(c0 ^ 1);
    CHECK(srdi_incr_enterprises_hash(d) != e);
    d->name[2][0] = c0;
    d->level[3] ^= 1;
    CHECK(srdi_incr_enterprises_hash(d) != e);
    d->level[3] ^= 1;
    CHECK(srdi_incr_enterprises_hash(d) == e);

    /* the wide hash: one bit anywhere in a long run, and how it is cut into feeds */
    unsigned char buf[1000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 7);
    srdi_incr_wide w;
    srdi_incr_wide_init(&w);
    srdi_incr_wide_feed(&w, buf, sizeof buf);
    uint64_t whole = srdi_incr_wide_final(&w);
    srdi_incr_wide_init(&w);
    for (size_t i = 0; i < sizeof buf; i += 7) srdi_incr_wide_feed(&w, buf + i, i + 7 <= sizeof buf ? 7 : sizeof buf - i);
    CHECK(srdi_incr_wide_final(&w) == whole);
    int differ = 0;
    for (size_t i = 0; i < sizeof buf; i += 37) {
        buf[i] ^= 0x10;
        srdi_incr_wide_init(&w);
        srdi_incr_wide_feed(&w, buf, sizeof buf);
        differ += srdi_incr_wide_final(&w) != whole;
        buf[i] ^= 0x10;
    }
    CHECK_INT(differ, (long long)((sizeof buf + 36) / 37));
    srdi_incr_wide_init(&w);
    srdi_incr_wide_feed(&w, buf, sizeof buf - 1);
    CHECK(srdi_incr_wide_final(&w) != whole);
}

/* ------------------------------------------------- packing and the file */

static void test_pack_and_file(const srdi_dataset *d, const srdi_params *p)
{
    srdi_tctx ctx = {.d = d, .params = p};
    srdi_tableset *ts = NULL;
    CHECK(srdi_tables_compute(&ctx, NULL, &ts) == SRDI_OK);
    if (!ts) return;
    CHECK_INT((long long)ts->n, 35);
    srdi_incr_tcache *c = srdi_incr_tcache_new();
    /* a table with what only the annotations set, too */
    srdi_table *t0 = ts->tables[0];
    t0->base_note = srdi_strdup("注：基础");
    t0->small_groups = srdi_strdup("单项冠军企业");
    t0->small_min = 30;
    t0->small_sample = true;
    if (t0->nrows) t0->rows[0].small = true;
    int same = 0;
    for (size_t i = 0; i < ts->n; i++) {
        srdi_buf a = {0}, b = {0};
        srdi_table *u = NULL;
        CHECK(srdi_incr_table_pack(ts->tables[i], &a) == SRDI_OK);
        CHECK(srdi_incr_table_unpack(a.data, a.len, &u) == SRDI_OK);
        if (u && srdi_incr_table_pack(u, &b) == SRDI_OK && a.len == b.len && memcmp(a.data, b.data, a.len) == 0 &&
            srdi_incr_table_hash(u) == srdi_incr_table_hash(ts->tables[i]) &&
            u->basis_col == ts->tables[i]->basis_col && u->small_sample == ts->tables[i]->small_sample)
            same++;
        else
            fprintf(stderr, "test_incr_reads: %s does not come back as it was packed\n", ts->tables[i]->id);
        /* every cut of the packed bytes is refused, never half-read */
        int refused = 0, cuts = 0;
        for (size_t cut = 0; cut < a.len; cut += 1 + a.len / 50, cuts++) {
            srdi_table *v = NULL;
            srdi_status st = srdi_incr_table_unpack(a.data, cut, &v);
            refused += st == SRDI_ERR_INPUT && !v;
            srdi_table_free(v);
        }
        CHECK_INT(refused, cuts);
        srdi_error_clear();
        CHECK(srdi_incr_tcache_put(c, ts->tables[i]->id, 1000 + i, a.data, a.len) == SRDI_OK);
        srdi_table_free(u);
        srdi_buf_free(&a);
        srdi_buf_free(&b);
    }
    CHECK_INT(same, 35);

    const char *dir = testutil_tmpdir("test_incr_reads");
    CHECK(srdi_incr_tcache_save(c, dir) == SRDI_OK);
    srdi_incr_tcache *l = NULL;
    CHECK(srdi_incr_tcache_load(dir, &l) == SRDI_OK);
    CHECK_INT((long long)srdi_incr_tcache_count(l), 35);
    size_t n1 = 0, n2 = 0;
    const void *b1 = srdi_incr_tcache_get(c, "T20", 1019, &n1), *b2 = srdi_incr_tcache_get(l, "T20", 1019, &n2);
    CHECK(b1 && b2 && n1 == n2 && memcmp(b1, b2, n1) == 0);
    CHECK(srdi_incr_tcache_get(l, "T20", 1018, &n2) == NULL); /* another key: not served */
    CHECK(srdi_incr_tcache_get(l, "T99", 1019, &n2) == NULL);
    srdi_incr_tcache_free(l);

    /* one byte of T20's packed bytes changed on disk: T20 and what follows it are dropped */
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, SRDI_INCR_TABLES_FILE);
    size_t len = 0;
    char *file = testutil_read_file(path, &len);
    CHECK(file != NULL);
    const char *at = file ? memmem(file, len, "correlation", 11) : NULL;
    CHECK(at != NULL);
    if (file && at) {
        file[at - file] ^= 1;
        CHECK(testutil_write_file(path, file, len) == 0);
        CHECK(srdi_incr_tcache_load(dir, &l) == SRDI_OK);
        CHECK_INT((long long)srdi_incr_tcache_count(l), 19);
        CHECK(srdi_incr_tcache_get(l, "T19", 1018, &n2) != NULL);
        CHECK(srdi_incr_tcache_get(l, "T20", 1019, &n2) == NULL);
        srdi_incr_tcache_free(l);
        /* cut in the middle: the whole entries before the cut stay */
        CHECK(testutil_write_file(path, file, (size_t)(at - file)) == 0);
        CHECK(srdi_incr_tcache_load(dir, &l) == SRDI_OK);
        CHECK_INT((long long)srdi_incr_tcache_count(l), 19);
        srdi_incr_tcache_free(l);
        /* another format */
        CHECK(testutil_write_file(path, "SRDI-TABLES 0\n", 14) == 0);
        CHECK(srdi_incr_tcache_load(dir, &l) == SRDI_OK);
        CHECK_INT((long long)srdi_incr_tcache_count(l), 0);
        srdi_incr_tcache_free(l);
    }
    free(file);
    srdi_incr_tcache_free(c);
    srdi_tableset_free(ts);
}

int main(void)
{
    srdi_log_set_quiet(true);
    srdi_dataset *d = load_sample();
    srdi_params *p = NULL;
    if (srdi_params_load(testutil_src("templates/report-2026/params.ini"), &p) != SRDI_OK) {
        fprintf(stderr, "params: %s\n", srdi_error_message());
        return 2;
    }
    test_declarations(d, p);
    test_input_hashes(d);
    test_pack_and_file(d, p);
    srdi_params_free(p);
    srdi_dataset_free(d);
    return testutil_finish();
}
