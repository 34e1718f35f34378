/*
 * test_tables_patents.c (src/tables/patents.c) — T30–T35 on hand-made patent facts; every
 * expected value is computed by hand in the comments.
 *
 * Enterprises: N1, N2, N3 national (N3 has no patents), P1 provincial.
 * Maximum years: grant 2024, application 2025, publication 2025.
 */
#include "test_tables_util.h"

typedef struct pset {
    srdi_dataset *d;
    size_t n1, n2, n3, p1;
} pset;

static uint32_t key(srdi_dataset *d, const char *s)
{
    return srdi_strpool_intern(d->patents.keys, s);
}

static void add(srdi_dataset *d, size_t ent, srdi_pfact_kind kind, int year, uint32_t k, uint32_t count)
{
    if (srdi_patents_add(&d->patents, (uint32_t)ent, kind, year, k, count) != SRDI_OK) exit(2);
}

static pset patent_set(void)
{
    pset s;
    srdi_dataset *d = s.d = tb_new();
    s.n1 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    s.n2 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    s.n3 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    s.p1 = tb_add(d, SRDI_LEVEL_PROVINCIAL, "3971");
    uint32_t A = key(d, "仪器仪表制造"), B = key(d, "通用设备"), C = key(d, "专用设备");
    /* T30 grants (window 2022–2024): A 5+3 = 8, B 8, C 6, empty 4 (not in shares),
     * B 100 in 2021 (outside) */
    add(d, s.n1, SRDI_PF_GRANT, 2024, A, 5);
    add(d, s.n2, SRDI_PF_GRANT, 2023, A, 3);
    add(d, s.n1, SRDI_PF_GRANT, 2022, B, 8);
    add(d, s.n2, SRDI_PF_GRANT, 2021, B, 100);
    add(d, s.n1, SRDI_PF_GRANT, 2024, C, 6);
    add(d, s.n2, SRDI_PF_GRANT, 2024, UINT32_MAX, 4);
    /* T31 applications (window 2023–2025): 2025: 4 + 2, 2024: 3, 2022: 10 (outside) */
    add(d, s.n1, SRDI_PF_APP, 2025, UINT32_MAX, 4);
    add(d, s.n2, SRDI_PF_APP, 2025, UINT32_MAX, 2);
    add(d, s.n1, SRDI_PF_APP, 2024, UINT32_MAX, 3);
    add(d, s.n1, SRDI_PF_APP, 2022, UINT32_MAX, 10);
    /* T32 decided (window 2020–2025) */
    add(d, s.n1, SRDI_PF_DECIDED, 2025, 1, 3);
    add(d, s.n2, SRDI_PF_DECIDED, 2025, 0, 1);
    add(d, s.n1, SRDI_PF_DECIDED, 2024, 1, 2);
    add(d, s.n2, SRDI_PF_DECIDED, 2021, 0, 2);
    add(d, s.n1, SRDI_PF_DECIDED, 2019, 1, 5);
    /* T33 IPC (window 2023–2025): G01N 5, H01L 5, G06F 2, empty 7, A61K 9 in 2022 */
    add(d, s.n1, SRDI_PF_IPC, 2025, key(d, "G01N"), 5);
    add(d, s.n2, SRDI_PF_IPC, 2024, key(d, "H01L"), 5);
    add(d, s.n1, SRDI_PF_IPC, 2023, key(d, "G06F"), 2);
    add(d, s.n1, SRDI_PF_IPC, 2024, UINT32_MAX, 7);
    add(d, s.n1, SRDI_PF_IPC, 2022, key(d, "A61K"), 9);
    /* T34/T35 foreign (pub years) */
    add(d, s.n1, SRDI_PF_FOREIGN, 2025, key(d, "US"), 2);
    add(d, s.n1, SRDI_PF_FOREIGN, 2025, key(d, "WO"), 3);
    add(d, s.n2, SRDI_PF_FOREIGN, 2025, key(d, "WO"), 1);
    add(d, s.n1, SRDI_PF_FOREIGN, 2024, key(d, "EP"), 1);
    add(d, s.n2, SRDI_PF_FOREIGN, 2019, key(d, "US"), 9);
    if (srdi_patents_finish(&d->patents) != SRDI_OK) exit(2);
    d->has_patents = true;
    d->patents.max_grant_year = 2024;
    d->patents.max_app_year = 2025;
    d->patents.max_pub_year = 2025;
    return s;
}

static void test_t30(void)
{
    pset s = patent_set();
    srdi_table *t = tb_build("T30", s.d, NULL, NULL);
    CHECK(!t->no_data);
    CHECK_INT(t->nrows, 4);
    CHECK_STR(t->rows[0].key, "仪器仪表制造"); /* tie 8/8: 仪 (U+4EEA) < 通 (U+901A) */
    CHECK_STR(t->rows[1].key, "通用设备");
    CHECK_STR(t->rows[2].key, "专用设备");
    CHECK_STR(t->rows[3].key, "total");
    CHECK_CELL(t, "仪器仪表制造", "count", 8);
    CHECK_CELL(t, "仪器仪表制造", "share", 8.0 / 22.0);
    CHECK_CELL(t, "专用设备", "share", 6.0 / 22.0);
    CHECK_CELL(t, "total", "count", 22);
    CHECK_ABSENT(t, "total", "share");
    CHECK_STR(t->title, "2022—2024年“小巨人”企业发明专利重点产业领域分布");
    srdi_table_free(t);

    /* top_n 2 → two fields + total (total still counts every field) */
    srdi_params *p = srdi_params_new();
    srdi_params_set(p, "t30", "top_n", "2");
    t = tb_build("T30", s.d, NULL, p);
    CHECK_INT(t->nrows, 3);
    CHECK_INT(srdi_table_row(t, "专用设备"), -1);
    CHECK_CELL(t, "total", "count", 22);
    srdi_table_free(t);
    srdi_params_free(p);

    /* scope without N1: only N2's A 3 in 2023 */
    uint8_t *scope = calloc(s.d->n, 1);
    for (size_t i = 0; i < s.d->n; i++) scope[i] = i != s.n1;
    t = tb_build("T30", s.d, scope, NULL);
    CHECK_INT(t->nrows, 2);
    CHECK_CELL(t, "仪器仪表制造", "share", 1);
    CHECK_CELL(t, "total", "count", 3);
    srdi_table_free(t);
    free(scope);
    srdi_dataset_free(s.d);
}

static void test_t31_t32(void)
{
    pset s = patent_set();
    srdi_table *t = tb_build("T31", s.d, NULL, NULL);
    /* 3 national enterprises (N3 without patents counts, P1 does not) */
    CHECK_INT(t->nrows, 3);
    CHECK_STR(t->rows[0].key, "2023");
    CHECK_STR(t->rows[2].key, "2025");
    CHECK_CELL(t, "2023", "applications_per_enterprise", 0);
    CHECK_CELL(t, "2024", "applications_per_enterprise", 1);
    CHECK_CELL(t, "2025", "applications_per_enterprise", 2);
    /* grants by grant year inside the app-year window: 2023: 3, 2024: 5+6+4, 2025: 0 */
    CHECK_CELL(t, "2023", "grants_per_enterprise", 1);
    CHECK_CELL(t, "2024", "grants_per_enterprise", 5);
    CHECK_CELL(t, "2025", "grants_per_enterprise", 0);
    CHECK_INT(t->n, 3);
    /* the count as counts print (separators), set solid against the Han text */
    CHECK_STR(t->note, "分母为全部国家级企业3家（含无专利企业）");
    srdi_table_free(t);

    t = tb_build("T32", s.d, NULL, NULL);
    CHECK_INT(t->nrows, 6);
    CHECK_STR(t->rows[0].key, "2020");
    CHECK_CELL(t, "2025", "rate", 0.75);
    CHECK_CELL(t, "2025", "n", 4);
    CHECK_CELL(t, "2024", "rate", 1);
    CHECK_CELL(t, "2021", "rate", 0);
    CHECK_CELL(t, "2021", "n", 2);
    CHECK_NULLCELL(t, "2020", "rate"); /* window year without data */
    CHECK_CELL(t, "2020", "n", 0);
    CHECK_INT(srdi_table_row(t, "2019"), -1);
    srdi_table_free(t);
    srdi_dataset_free(s.d);
}

static void test_t33(void)
{
    pset s = patent_set();
    srdi_table *t = tb_build("T33", s.d, NULL, NULL);
    CHECK_INT(t->nrows, 4);
    CHECK_STR(t->rows[0].key, "G01N");
    CHECK_STR(t->rows[1].key, "H01L");
    CHECK_STR(t->rows[2].key, "G06F");
    CHECK_CELL(t, "G01N", "count", 5);
    CHECK_CELL(t, "G01N", "share", 5.0 / 12.0);
    CHECK_CELL(t, "G06F", "share", 2.0 / 12.0);
    CHECK_CELL(t, "total", "count", 12);
    CHECK_INT(srdi_table_row(t, "A61K"), -1);
    srdi_table_free(t);
    srdi_dataset_free(s.d);
}

static void test_t34_t35(void)
{
    pset s = patent_set();
    srdi_table *t = tb_build("T34", s.d, NULL, NULL);
    CHECK_INT(t->nrows, 6);
    CHECK_STR(t->rows[0].key, "2020");
    CHECK_CELL(t, "2025", "count", 6);
    CHECK_CELL(t, "2025", "applicants", 2); /* N1 (US + WO) counted once */
    CHECK_CELL(t, "2024", "count", 1);
    CHECK_CELL(t, "2024", "applicants", 1);
    CHECK_CELL(t, "2020", "count", 0);
    CHECK_CELL(t, "2020", "applicants", 0);
    CHECK_STR(t->note, "涉外=受理局非CN的发明专利，按公开年统计");
    srdi_table_free(t);

    t = tb_build("T35", s.d, NULL, NULL);
    CHECK_INT(t->nrows, 4);
    CHECK_STR(t->rows[0].key, "WO");
    CHECK_STR(t->rows[1].key, "US");
    CHECK_STR(t->rows[0].label, "WO PCT国际申请"); /* two Latin words keep their space */
    CHECK_STR(t->rows[2].key, "EP");
    CHECK_STR(t->rows[1].label, "US美国"); /* the CJK spacing rule: no space between US and 美国 */
    CHECK_CELL(t, "WO", "count", 4);
    CHECK_CELL(t, "WO", "share", 4.0 / 7.0);
    CHECK_CELL(t, "EP", "share", 1.0 / 7.0);
    CHECK_CELL(t, "total", "count", 7);
    srdi_table_free(t);
    srdi_dataset_free(s.d);
}

static void test_no_patents(void)
{
    srdi_dataset *d = tb_new();
    tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    const char *fns[6] = {"T30", "T31", "T32", "T33", "T34", "T35"};
    for (int i = 0; i < 6; i++) {
        srdi_table *t = tb_build(fns[i], d, NULL, NULL);
        CHECK(t->no_data);
        CHECK_INT(t->nrows, 0);
        CHECK(t->ncols == 2);
        srdi_table_free(t);
    }
    srdi_dataset_free(d);
}

/* Header-only patents.csv: has_patents but no year anywhere → no window rows,
 * keyed tables hold only total 0. */
static void test_empty_patents(void)
{
    srdi_dataset *d = tb_new();
    tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    d->has_patents = true;
    const char *years[3] = {"T31", "T32", "T34"};
    for (int i = 0; i < 3; i++) {
        srdi_table *t = tb_build(years[i], d, NULL, NULL);
        CHECK(!t->no_data);
        CHECK_INT(t->nrows, 0);
        srdi_table_free(t);
    }
    const char *keyed[3] = {"T30", "T33", "T35"};
    for (int i = 0; i < 3; i++) {
        srdi_table *t = tb_build(keyed[i], d, NULL, NULL);
        CHECK_INT(t->nrows, 1);
        CHECK_CELL(t, "total", "count", 0);
        srdi_table_free(t);
    }
    srdi_dataset_free(d);
}

/*
 * A field label longer than any fixed buffer (300 bytes, 100 CJK
 * characters) and an office code: both labels whole, never cut inside a
 * character (the label once went through a 128-byte buffer).
 */
static void test_long_labels(void)
{
    srdi_dataset *d = tb_new();
    size_t n1 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    char longf[301];
    for (int i = 0; i < 100; i++) memcpy(longf + 3 * i, "领", 3);
    longf[300] = '\0';
    add(d, n1, SRDI_PF_GRANT, 2024, key(d, longf), 2);
    add(d, n1, SRDI_PF_FOREIGN, 2024, key(d, "JP"), 1);
    if (srdi_patents_finish(&d->patents) != SRDI_OK) exit(2);
    d->has_patents = true;
    d->patents.max_grant_year = 2024;
    d->patents.max_pub_year = 2024;
    srdi_table *t = tb_build("T30", d, NULL, NULL);
    CHECK_STR(t->rows[0].key, longf);
    CHECK_STR(t->rows[0].label, longf);
    srdi_table_free(t);
    t = tb_build("T35", d, NULL, NULL);
    CHECK_STR(t->rows[0].label, "JP日本");
    srdi_table_free(t);
    srdi_dataset_free(d);
}

/* An unknown id is a usage error that names the id. */
static void test_unknown_id(void)
{
    srdi_dataset *d = tb_new();
    srdi_params *p = srdi_params_new();
    srdi_tctx ctx = {.d = d, .params = p};
    srdi_table *t = (srdi_table *)1;
    CHECK_INT(srdi_tables_build(&ctx, "T36", &t), SRDI_ERR_USAGE);
    CHECK(t == NULL);
    CHECK_STR(srdi_error_message(), "unknown table id 'T36'");
    CHECK(srdi_tables_def("T36") == NULL);
    CHECK_STR(srdi_tables_def("T35")->name, "foreign_offices");
    srdi_params_free(p);
    srdi_dataset_free(d);
}

int main(void)
{
    test_long_labels();
    test_unknown_id();
    test_t30();
    test_t31_t32();
    test_t33();
    test_t34_t35();
    test_no_patents();
    test_empty_patents();
    return testutil_finish();
}
