/*
 * tests/test_tables_champions.c — T28 and T29 (src/tables/champions.c) on a small hand-made
 * data set; every expected value is computed by hand in the comments.
 */
#include "test_tables_util.h"

/*
 * Champion data set: 2 national, 2 champion, 1 provincial (ignored), and
 * 1 champion outside the scope in the scoped run.
 */
static void test_t28_t29(void)
{
    srdi_dataset *d = tb_new();
    size_t n1 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971"), n2 = tb_add(d, SRDI_LEVEL_NATIONAL, "3971");
    size_t c1 = tb_add(d, SRDI_LEVEL_CHAMPION, "3971"), c2 = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");
    size_t p1 = tb_add(d, SRDI_LEVEL_PROVINCIAL, "3971");
    size_t c3 = tb_add(d, SRDI_LEVEL_CHAMPION, "3971");
    const struct {
        size_t r;
        double pat, gr, rej, loc, ind, pct, staff, sw;
    } v[] = {
        /* rej/loc < 0 = missing */
        {n1, 10, 3, 1, 1, 2, 0, 100, 5},  {n2, 20, 1, -1, -1, 5, 0, 300, 5},    {c1, 60, 8, 2, 2, 2, 4, 1000, 0},
        {c2, 90, 2, 8, 4, 4, 6, 1000, 0}, {p1, 1000, 100, 0, 50, 50, 50, 1, 1}, {c3, 1e4, 0, 0, 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        srdi_dataset_set(d, v[i].r, SRDI_F_PATENTS_TOTAL, v[i].pat);
        srdi_dataset_set(d, v[i].r, SRDI_F_INVENTION_GRANTS, v[i].gr);
        if (v[i].rej >= 0) srdi_dataset_set(d, v[i].r, SRDI_F_INVENTION_REJECTED, v[i].rej);
        if (v[i].loc >= 0) srdi_dataset_set(d, v[i].r, SRDI_F_STD_LOCAL, v[i].loc);
        srdi_dataset_set(d, v[i].r, SRDI_F_STD_INDUSTRY, v[i].ind);
        srdi_dataset_set(d, v[i].r, SRDI_F_PCT_APPS, v[i].pct);
        srdi_dataset_set(d, v[i].r, SRDI_F_STAFF, v[i].staff);
        srdi_dataset_set(d, v[i].r, SRDI_F_SOFTWARE_COPYRIGHTS, v[i].sw);
    }
    uint8_t *scope = calloc(d->n, 1);
    for (size_t i = 0; i < d->n; i++) scope[i] = i != c3;

    srdi_table *t = tb_build("T28", d, scope, NULL);
    CHECK_INT(t->nrows, 22);
    CHECK_STR(t->rows[0].key, "patents_total");
    CHECK_STR(t->rows[5].key, "grant_rate");
    CHECK_STR(t->rows[18].key, "std_local_industry");
    CHECK_STR(t->rows[21].key, "digital_patents");
    CHECK_CELL(t, "patents_total", "national_mean", 15);
    CHECK_CELL(t, "patents_total", "champion_mean", 75);
    CHECK_CELL(t, "patents_total", "multiple", 5);
    /* grant rate: national only n1 has both: 3 / 4; champion (8+2) / (10+10) */
    CHECK_CELL(t, "grant_rate", "national_mean", 0.75);
    CHECK_CELL(t, "grant_rate", "champion_mean", 0.5);
    CHECK_CELL(t, "grant_rate", "multiple", 0.5 / 0.75);
    /* std_local + std_industry: national only n1 (3); champion (4 + 8) / 2 = 6 */
    CHECK_CELL(t, "std_local_industry", "national_mean", 3);
    CHECK_CELL(t, "std_local_industry", "champion_mean", 6);
    CHECK_CELL(t, "std_local_industry", "multiple", 2);
    CHECK_CELL(t, "invention_grants", "national_mean", 2);
    CHECK_CELL(t, "invention_grants", "champion_mean", 5);
    CHECK_CELL(t, "pct_apps", "national_mean", 0);
    CHECK_NULLCELL(t, "pct_apps", "multiple"); /* divide by a zero mean */
    CHECK_NULLCELL(t, "citations_avg", "national_mean");
    CHECK_NULLCELL(t, "citations_avg", "multiple");
    CHECK_INT(t->n, 4);
    srdi_table_free(t);

    t = tb_build("T29", d, scope, NULL);
    CHECK_INT(t->nrows, 5);
    CHECK_CELL(t, "技术实力", "score", 20);   /* 15 / 75 */
    CHECK_CELL(t, "创新质量", "score", 40);   /* 2 / 5 */
    CHECK_CELL(t, "创新规模", "score", 20);   /* 200 / 1000 */
    CHECK_NULLCELL(t, "资本实力", "score");   /* no reg_capital */
    CHECK_NULLCELL(t, "数字化能力", "score"); /* champion mean 0 */
    srdi_table_free(t);

    /* without scope the third champion (patents 1e4) enters: (60+90+1e4)/3 */
    t = tb_build("T28", d, NULL, NULL);
    CHECK_CELL(t, "patents_total", "champion_mean", (60 + 90 + 1e4) / 3);
    srdi_table_free(t);
    free(scope);
    srdi_dataset_free(d);
}

int main(void)
{
    test_t28_t29();
    return testutil_finish();
}
