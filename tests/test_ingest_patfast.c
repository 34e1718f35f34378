/*
 * tests/test_ingest_patfast.c — the patents.csv line splitter (the bytes
 * classified 64 at a time, with AVX2, SSE2 or byte by byte) against the CSV
 * reader alone, on the lines where the two could part: a quote, a doubled
 * quote, a quoted comma or line break, a CRLF, a lone CR, a NUL byte, a
 * space or tab, a bad or a split UTF-8 sequence, a line of 70 separators,
 * each put at the last byte of a 64-byte block, on its first byte and next
 * to them; rows of every length between them, blank lines, and a last row
 * with no line end.  Every way must give the reader's rows, facts, keys and
 * rejects.csv byte for byte, on one thread (blocks counted from the body's
 * start) and on three (parts cut at other offsets).
 */
#include "testutil.h"
#include "test_ingest_fixture.h"
#include "../src/ingest/ingest_private.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint32_t rnd(uint32_t n)
{
    return testutil_rnd(&rng, n);
}

#define N_ENT 12
#define HEADER "id,patent_no,kind,office,app_year,pub_year,status,grant_year,ipc,field\n"

/*
 * Lines whose byte after '|' is the one put at a block edge ('|' is not
 * written; '@' becomes an enterprise id).  Some are rejected, some hold
 * quoted fields over several lines: both sides must agree on each.
 */
#define L(x) {x, sizeof x - 1}
typedef struct edge {
    const char *s;
    size_t n;
} edge;
static const edge edgy[] = {
    L("@,CNQ,invention,CN,2020,2021,granted,2022,G01N,\"|领域,1\"\n"),        /* quote, quoted comma */
    L("@,CNQ,invention,CN,2020,2021,granted,2022,G01N,\"a|,b\"\n"),           /* comma inside quotes */
    L("@,CNQ,invention,CN,2020,2021,granted,2022,G01N,\"a|\nb\"\n"),          /* quoted LF */
    L("@,CNQ,invention,CN,2020,2021,granted,2022,G01N,\"a|\r\nb\"\n"),        /* quoted CRLF */
    L("@,CNQ,invention,US,2020,2021,granted,2022,G01N,\"x\"|\"y\"\n"),        /* doubled quote */
    L("@,CNC,invention,CN,2020,2021,granted,2022,G01N,领域|\r\n"),             /* CRLF: CR last of a block */
    L("@,CNC,invention,CN,2020,2021,granted,2022,G01N,领域\r|\n"),             /* CRLF: LF last of a block */
    L("@,CNR,invention,CN,2020,2021,granted,2022,G01N,领域|\r"),               /* a lone CR ends the line */
    L("@,CNZ,invention,CN,2020,2021,granted,2022,G01N,a|\0b\n"),              /* NUL byte */
    L("@,CNS,invention,CN,2020,2021,granted,2022,G01N,|  领域 \n"),           /* spaces to trim */
    L("@,CNT,invention,CN,2020,2021,granted,2022,G01N |\t,领域\n"),          /* tab to trim */
    L("@,CNU,invention,CN,2020,2021,granted,2022,G01N,领\xE5|\x9F\x9F\n"),   /* UTF-8 cut by the block edge */
    L("@,CNB,invention,CN,2020,2021,granted,2022,G01N,领\xFF|域\n"),          /* bad UTF-8 */
    L("@,CNE,invention,CN,2020,2021,granted,2022,G01N,|\xE2\x80\x8B\n"),      /* valid, high at the edge */
    L("@,CNW,invention,CN,2020,2021,granted,2022,G01N,a|,b\n"),               /* 11 fields */
    L("@,CNN,invention,CN,2020,2021,granted,2022|,G01N\n"),                   /* 9 fields */
    L("@,CNY,invention,CN,19|xx,,granted,2022,G01N,领域\n"),                   /* bad year: rejected */
    L("@,CNK,INVENTION,cn,2020,,Granted|,2022,g01n,领域\n"),                   /* case of literals */
    L("@,CNK,发明,CN,2020,,授权,20|22,G01N,领域\n"),                            /* Chinese literals */
    L("|\n"),                                                                 /* blank line */
    L(" \t|\n"),                                                               /* white line */
    L("@,CNL,invention,CN,2020,2021,granted,2022,G01N,|,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n"),
};

typedef struct gen {
    srdi_buf b;
    size_t body; /* offset of the body (after the header) */
} gen;

/* An enterprise id (a few rows name none that exists). */
static void put_id(gen *g)
{
    if (rnd(40) == 0)
        srdi_buf_printf(&g->b, "91320500XX%08u", rnd(N_ENT));
    else
        srdi_buf_printf(&g->b, "91320500TH%08u", rnd(N_ENT));
}

/* A common row, its patent_no @p pad bytes long (so the rows after it shift). */
static void plain_row(gen *g, size_t pad)
{
    static const char *const tails[] = {
        "invention,CN,2019,2020,granted,2021,F16B53/12,金属制品", "invention,US,2019,2020,pending,,b22f22/06,",
        "utility,CN,2018,,rejected,,B23P21/20,机械",               "invention,WO,2017,2019,withdrawn,,H01L,电子",
        "design,,2016,,,,A01B,",                                  "invention,EP,2019,2021,granted,2022,G06F,软件与信息",
    };
    put_id(g);
    const char *tail = tails[rnd(sizeof tails / sizeof tails[0])];
    srdi_buf_puts(&g->b, ",C");
    for (size_t i = 0; i < pad; i++) srdi_buf_append(&g->b, &"0123456789"[(g->b.len * 7 + i) % 10], 1);
    srdi_buf_printf(&g->b, ",%s\n", tail);
}

/* Length of the common row before its patent_no's padding and after it. */
static size_t plain_len(gen *g, size_t pad)
{
    size_t at = g->b.len;
    uint64_t keep = rng;
    plain_row(g, pad);
    size_t n = g->b.len - at;
    g->b.len = at; /* undone: the same row is written again */
    rng = keep;
    return n;
}

/* Write edgy line @p e so that its marked byte lands @p delta bytes after a block edge. */
static void edge_line(gen *g, const char *e, size_t elen, int delta)
{
    const char *mark = memchr(e, '|', elen);
    size_t key = (size_t)(mark - e);
    /* a common row first, padded so that the marked byte falls where asked */
    size_t cur = g->b.len - g->body, base = plain_len(g, 1) - 1;
    size_t want = (size_t)(64 * 4 + delta), pad = (want - (cur + base + key) % 64) % 64;
    if (pad < 1) pad += 64;
    plain_row(g, pad);
    CHECK_INT((g->b.len - g->body + key) % 64, (size_t)(64 + delta) % 64);
    for (size_t i = 0; i < elen; i++) {
        if (i == key) continue;
        if (e[i] == '@')
            put_id(g);
        else
            srdi_buf_append(&g->b, &e[i], 1);
    }
}

static void make(gen *g, bool last_eol)
{
    srdi_buf_puts(&g->b, HEADER);
    g->body = g->b.len;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof edgy / sizeof edgy[0]; i++)
            for (int delta = -2; delta <= 2; delta++) {
                edge_line(g, edgy[i].s, edgy[i].n, delta);
                for (uint32_t k = rnd(4); k > 0; k--) plain_row(g, 1 + rnd(60));
            }
    for (int i = 0; i < 300; i++) plain_row(g, 1 + rnd(90));
    plain_row(g, 7);
    if (!last_eol) g->b.len--; /* the last row has no line end */
}

typedef fx_result result;

/* enterprises.csv and patents.csv into a fresh folder @p name, read with @p threads threads */
static result load(const char *name, const srdi_buf *ent, const srdi_buf *pat, int threads)
{
    return fx_load(name, ent->data, ent->len, pat->data, pat->len, threads);
}

static void same(const char *what, const result *a, const result *b)
{
    CHECK(a->d && b->d);
    if (!a->d || !b->d) return;
    const srdi_patents *p = &a->d->patents, *q = &b->d->patents;
    const srdi_file_stats *x = &a->d->files[SRDI_FILE_PATENTS], *y = &b->d->files[SRDI_FILE_PATENTS];
    CHECK_INT(y->read, x->read);
    CHECK_INT(y->accepted, x->accepted);
    CHECK_INT(y->rejected, x->rejected);
    CHECK_INT(q->n_facts, p->n_facts);
    CHECK_INT(q->max_app_year, p->max_app_year);
    CHECK_INT(q->max_grant_year, p->max_grant_year);
    CHECK_INT(q->max_pub_year, p->max_pub_year);
    uint32_t nk = srdi_strpool_count(p->keys);
    CHECK_INT(srdi_strpool_count(q->keys), nk);
    int bad = 0;
    for (uint32_t i = 0; i < nk && i < srdi_strpool_count(q->keys); i++)
        bad += strcmp(srdi_strpool_get(p->keys, i), srdi_strpool_get(q->keys, i)) != 0;
    for (size_t i = 0; i < p->n_facts && i < q->n_facts; i++) {
        const srdi_pfact *f = &p->facts[i], *h = &q->facts[i];
        bad += f->ent != h->ent || f->year != h->year || f->kind != h->kind || f->key != h->key || f->count != h->count;
    }
    if (bad) fprintf(stderr, "%s: %d differences\n", what, bad);
    CHECK_INT(bad, 0);
    bool rj = a->rejects && b->rejects && strcmp(a->rejects, b->rejects) == 0;
    if (!rj) fprintf(stderr, "%s: rejects.csv differs\n", what);
    CHECK(rj);
}

static void run(const char *name, bool last_eol)
{
    srdi_buf ent = {0};
    gen g = {{0}, 0};
    srdi_buf_puts(&ent, "id,name,level,province,city,industry_code\n");
    for (int i = 0; i < N_ENT; i++)
        srdi_buf_printf(&ent, "91320500TH%08d,企业%d,%s,江苏省,苏州市,3985\n", i, i, i % 3 ? "national" : "provincial");
    make(&g, last_eol);

    /* the reader alone is the reference */
    char tname[128];
    srdi_ingest_patents_split = false;
    snprintf(tname, sizeof tname, "%s-reader", name);
    result base = load(tname, &ent, &g.b, 1);
    srdi_ingest_patents_split = true;
    CHECK(base.d != NULL);
    if (base.d) {
        /* the file is what it should be: rows read, some rejected with their lines, facts made */
        const srdi_file_stats *f = &base.d->files[SRDI_FILE_PATENTS];
        CHECK(f->read > 1000 && f->rejected > 60 && f->accepted > 900);
        CHECK(base.d->patents.n_facts > 100);
        CHECK(base.rejects && strstr(base.rejects, "patents.csv,") && strstr(base.rejects, "app_year must be a year"));
    }
    static const int simd[] = {2, 1, 0};
    static const int threads[] = {1, 3};
    for (size_t s = 0; s < sizeof simd / sizeof simd[0]; s++)
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            srdi_ingest_patents_simd = simd[s];
            snprintf(tname, sizeof tname, "%s-simd%d-t%d", name, simd[s], threads[t]);
            result r = load(tname, &ent, &g.b, threads[t]);
            if (base.d) same(tname, &base, &r);
            srdi_dataset_free(r.d);
            free(r.rejects);
        }
    srdi_ingest_patents_simd = 2;
    /* every split line a record for the general row checks */
    srdi_ingest_patents_direct = false;
    snprintf(tname, sizeof tname, "%s-records", name);
    result r = load(tname, &ent, &g.b, 1);
    if (base.d) same(tname, &base, &r);
    srdi_dataset_free(r.d);
    free(r.rejects);
    srdi_ingest_patents_direct = true;

    srdi_dataset_free(base.d);
    free(base.rejects);
    srdi_buf_free(&ent);
    srdi_buf_free(&g.b);
}

int main(void)
{
    srdi_ingest_min_part = 4096; /* three threads cut the file into parts at other offsets */
    run("patfast-eol", true);
    run("patfast-noeol", false);
    return testutil_finish();
}
