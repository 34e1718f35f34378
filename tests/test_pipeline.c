/*
 * tests/test_pipeline.c — the build pipeline through its library API
 * (srdi/pipeline.h, library srdi_pipeline): a hand-made five-row input and
 * the bundled sample, built and checked without the command line.
 *
 * Fixture (hand-checked): four 专精特新 enterprises — one national (江苏省),
 * three provincial (江苏省, 江苏省, 广东省) — and one row whose level is
 * "foo" (rejected, line 6).  So T01: national 1 (share 0.25), provincial 3
 * (0.75), total 4; T13: 江苏省 rank 1, count 3, share 0.75; 广东省 rank 2,
 * count 1.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srdi/canvas.h"
#include "srdi/pipeline.h"
#include "testutil.h"
#include "../src/pipeline/render.h"

static const char *fixture = "id,name,level,province,city,industry_code\n"
                             "91320000TP00000001,甲,national,江苏省,苏州市,3394\n"
                             "91320000TP00000002,乙,provincial,江苏省,南京市,3394\n"
                             "91320000TP00000003,丙,provincial,江苏,无锡市,6591\n"
                             "91440000TP00000004,丁,provincial,广东省,广州市,6591\n"
                             "91440000TP00000005,戊,foo,广东省,深圳市,6591\n";

static bool exists(const char *dir, const char *name)
{
    char p[1024];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &sb) == 0;
}

/* The whole of DIR/NAME as a string (static buffer of the test; NULL when missing). */
static char *slurp(const char *dir, const char *name)
{
    char p[1024];
    size_t len;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return testutil_read_file(p, &len);
}

/* True when values.csv text @p v holds the line @p line exactly. */
static bool has_line(const char *v, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = v; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, line, n) == 0) return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

/*
 * CHECK that DIR/values.csv exists, starts with its header and holds every
 * line of the NULL-terminated @p lines exactly; a missing line is named.
 */
static void check_values(const char *dir, const char *const *lines)
{
    char *v = slurp(dir, "values.csv");
    CHECK(v && strncmp(v, "table,row,column,value\n", 23) == 0);
    for (; *lines; lines++) {
        bool found = has_line(v, *lines);
        if (!found) fprintf(stderr, "%s/values.csv: no line \"%s\"\n", dir, *lines);
        CHECK(found);
    }
    free(v);
}

/* CHECK that DIR/NAME is exactly @p text (@p whole) or contains it. */
static void check_file(const char *dir, const char *name, const char *text, bool whole)
{
    char *f = slurp(dir, name);
    bool ok = f && (whole ? strcmp(f, text) == 0 : strstr(f, text) != NULL);
    if (!ok)
        fprintf(stderr, "%s/%s: %s \"%s\", got \"%s\"\n", dir, name, whole ? "expected" : "no", text,
                f ? f : "(missing)");
    CHECK(ok);
    free(f);
}

static srdi_build_opts base_opts(const char *data, const char *out)
{
    static char tmpl[1024], fonts[1024];
    snprintf(tmpl, sizeof tmpl, "%s", testutil_src("templates/report-2026"));
    snprintf(fonts, sizeof fonts, "%s", testutil_src("fonts"));
    srdi_build_opts o = {
        .data_dir = data,
        .template_dir = tmpl,
        .fonts_dir = fonts,
        .out_dir = out,
        .formats = SRDI_FMT_JSON,
        .dpi = 200,
        .max_reject_rate = 1.0,
        .quiet = true,
        .jobs = 1,
    };
    return o;
}

/* The folders of one test's build. */
typedef struct run_dirs {
    char data[1024], out[1024];
} run_dirs;

/*
 * base_opts for a build from a fresh temporary folder @p data_tmp, or from
 * the source tree's folder @p data_src when @p data_tmp is NULL, into a fresh
 * temporary folder @p out_tmp; the paths are kept in @p d.
 */
static srdi_build_opts dirs_opts(run_dirs *d, const char *data_tmp, const char *data_src, const char *out_tmp)
{
    snprintf(d->data, sizeof d->data, "%s", data_tmp ? testutil_tmpdir(data_tmp) : testutil_src(data_src));
    snprintf(d->out, sizeof d->out, "%s", testutil_tmpdir(out_tmp));
    return base_opts(d->data, d->out);
}

static void test_fixture_build(void)
{
    run_dirs dd;
    char p[1100];
    srdi_build_opts o = dirs_opts(&dd, "pipeline_data", NULL, "pipeline_out");
    const char *data = dd.data, *out = dd.out;
    snprintf(p, sizeof p, "%s/enterprises.csv", data);
    CHECK(testutil_write_file(p, fixture, strlen(fixture)) == 0);

    CHECK_INT(srdi_pipeline_build(&o), SRDI_OK);
    check_values(out, (const char *const[]){"T01,national,count,1", "T01,national,share,0.25", "T01,provincial,count,3",
                                            "T01,provincial,share,0.75", "T01,total,count,4", "T13,江苏省,rank,1",
                                            "T13,江苏省,count,3", "T13,江苏省,share,0.75", "T13,广东省,rank,2",
                                            "T13,广东省,count,1", NULL});
    check_file(out, "rejects.csv", "enterprises.csv,6,level,foo,", false);
    CHECK(exists(out, "tables.json"));
    /* only JSON asked: no PDF, no workbook, no staging folder left behind */
    CHECK(!exists(out, "report.pdf"));
    CHECK(!exists(out, "report.xlsx"));

    /* the same build again: nothing moved, changes.csv says so */
    CHECK_INT(srdi_pipeline_build(&o), SRDI_OK);
    check_file(out, "changes.csv", "table,row,column,old,new,change\n", true);

    /* --strict: the rejected row stops the build; values.csv stays the previous build's */
    o.strict = true;
    char *v = slurp(out, "values.csv");
    srdi_status st = srdi_pipeline_build(&o);
    CHECK_INT(st, SRDI_ERR_DATA);
    char *v2 = slurp(out, "values.csv");
    CHECK(v && v2 && strcmp(v, v2) == 0);
    free(v);
    free(v2);

    /* check: validates only, writes rejects.csv */
    char out2[1024];
    snprintf(out2, sizeof out2, "%s", testutil_tmpdir("pipeline_check"));
    srdi_build_opts c2 = base_opts(data, out2);
    CHECK_INT(srdi_pipeline_check(&c2), SRDI_OK);
    CHECK(exists(out2, "rejects.csv"));
    CHECK(!exists(out2, "values.csv"));
}

static void test_missing_input(void)
{
    run_dirs dd;
    srdi_build_opts o = dirs_opts(&dd, "pipeline_empty", NULL, "pipeline_empty_out");
    CHECK_INT(srdi_pipeline_build(&o), SRDI_ERR_INPUT);
    CHECK(!exists(dd.out, "values.csv"));
}

/* The bundled sample: 3,030 rows, 317 national, 2,683 provincial, 30
 * champions (not 专精特新); 江苏省 has 432 of the 3,000 (counted with
 * python's csv module from samples/enterprises.csv). */
static void test_bundled_sample(void)
{
    run_dirs dd;
    srdi_build_opts o = dirs_opts(&dd, NULL, "samples", "pipeline_sample");
    const char *out = dd.out;
    o.max_reject_rate = 0.01;
    CHECK_INT(srdi_pipeline_build(&o), SRDI_OK);
    check_values(out,
                 (const char *const[]){"T01,national,count,317", "T01,provincial,count,2683", "T01,total,count,3000",
                                       "T13,江苏省,rank,1", "T13,江苏省,count,432", "T13,江苏省,share,0.144", NULL});
    check_file(out, "rejects.csv", "file,line,column,value,reason\n", true);
}

/*
 * The PDF's own helper threads (its streams deflated beside the writing
 * thread, its make-up options laid out on several) only where the render's
 * other tasks leave threads idle: beside the bundled sample's figures and
 * workbook on two threads, none (they took a core from the figures in turns
 * and the PDF, the render's critical path, ended later).
 */
static void test_pdf_helpers(void)
{
    CHECK_INT(srdi_render_pdf_threads(1, 0), 1);
    CHECK_INT(srdi_render_pdf_threads(2, 0), 2);    /* the PDF alone (a refresh): helpers on the idle cores */
    CHECK_INT(srdi_render_pdf_threads(2, 7), 2);    /* too few figures to keep the other thread busy */
    CHECK_INT(srdi_render_pdf_threads(2, 20), 1);   /* the national build: 19 figures and the workbook */
    CHECK_INT(srdi_render_pdf_threads(4, 20), 4);   /* 20 tasks on 3 threads end before the PDF */
    CHECK_INT(srdi_render_pdf_threads(4, 24), 1);
    if (srdi_render_threads(2) < 2) return; /* one core: no second thread to test */
    run_dirs dd;
    srdi_build_opts o = dirs_opts(&dd, NULL, "samples", "pipeline_pdf_helpers");
    o.formats = SRDI_FMT_PDF | SRDI_FMT_PNG | SRDI_FMT_XLSX | SRDI_FMT_JSON;
    o.jobs = 2;
    size_t helped = srdi_canvas_hpdf_streams_helped();
    CHECK_INT(srdi_pipeline_build(&o), SRDI_OK);
    CHECK(exists(dd.out, "report.pdf"));
    CHECK_INT(srdi_canvas_hpdf_streams_helped() - helped, 0); /* every stream deflated by the writing thread */
}

int main(void)
{
    test_fixture_build();
    test_missing_input();
    test_bundled_sample();
    test_pdf_helpers();
    return testutil_finish();
}
