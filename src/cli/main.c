/*
 * main.c — the srdi-report command line: build, check, sample.
 *
 * Exit codes (documented in --help and the README):
 *   0  success
 *   1  row errors in the input and --strict was given (nothing rendered)
 *   2  usage error (bad option or argument)
 *   3  input error: missing/unreadable file, missing column, bad encoding,
 *      bad reference data, params or template
 *   4  output error: a file could not be written or a renderer failed
 *   5  internal error or out of memory
 */
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "srdi/pipeline.h"
#include "srdi/sample.h"
#include "srdi/tables.h"
#include "srdi/util.h"

#ifndef SRDI_SOURCE_DIR
#define SRDI_SOURCE_DIR "."
#endif

static const char *usage_main = "usage: srdi-report [COMMAND] [OPTIONS]\n"
                                "\n"
                                "Batch generator of the 专精特新 (SRDI) cultivation report: reads enterprise data\n"
                                "(CSV), computes the report's tables {TABLES} and writes the PDF report, Excel\n"
                                "workbooks, chart files and machine-readable exports.\n"
                                "\n"
                                "commands:\n"
                                "  build    compute the tables and write the requested outputs\n"
                                "  check    validate the input files, write rejects.csv, print the reconciliation\n"
                                "  sample   write a synthetic data set calibrated to the 2026 edition\n"
                                "  (none)   build the bundled sample into out/ (same as: srdi-report build)\n"
                                "\n"
                                "Run 'srdi-report COMMAND --help' for the options of a command.\n"
                                "\n"
                                "exit codes: 0 success; 1 row errors with --strict; 2 usage error; 3 input error\n"
                                "(file, column, encoding, reference data, params, template); 4 output error;\n"
                                "5 internal error.\n";

static const char *usage_build =
    "usage: srdi-report build [OPTIONS]\n"
    "\n"
    "  --data DIR          input directory with enterprises.csv [financials.csv]\n"
    "                      [patents.csv] (default: the bundled samples/); each may be\n"
    "                      an Excel workbook instead (enterprises.xlsx …, see --sheet)\n"
    "  --template DIR      report template (default: templates/report-2026)\n"
    "  --out DIR           output directory (default: out)\n"
    "  --formats LIST      comma list of pdf,xlsx,png,svg,json (default: pdf,xlsx,png,json);\n"
    "                      tables.json, values.csv and rejects.csv are always written\n"
    "  --scope KEY=NAME    compute for one province or city: province=江苏省, city=苏州市\n"
    "  --split province|city\n"
    "                      also write one workbook per province/city (needs xlsx)\n"
    "                      into OUT/provinces/ or OUT/cities/, with national benchmarks\n"
    "  --only {ONLY}      compute only these tables\n"
    "  --strict            any row error stops the run before anything is rendered (exit 1)\n"
    "  --max-reject-rate P a file with more than P of its rows rejected stops the run like\n"
    "                      --strict (default 1%%; a file whose every row is rejected always does)\n"
    "  --encoding E        auto (default), utf-8, gb18030, utf-16le or utf-16be\n"
    "  --delimiter C       field separator: comma, semicolon or tab (default: detected from\n"
    "                      the header line)\n"
    "  --sheet [FILE=]NAME worksheet of the .xlsx inputs (default: the first); FILE =\n"
    "                      enterprises, financials or patents names one workbook\n"
    "  --jobs N            threads for reading enterprises.csv and patents.csv, for\n"
    "                      building the tables and for drawing the PDF, workbook and\n"
    "                      figures at once (default: $SRDI_JOBS, else the CPUs this\n"
    "                      process may run on); fewer, though never fewer than 2, when\n"
    "                      their memory would pass 180 MiB\n"
    "  --dpi N             resolution of PNG figures (default 200)\n"
    "  --quiet             no progress on stderr\n"
    "  --force             re-render every output, even those whose inputs did not change\n"
    "  --no-wait           when another build is writing into OUT, fail (exit 4) instead\n"
    "                      of waiting for it\n"
    "  -h, --help          this help\n"
    "\n"
    "Outputs: OUT/report.pdf, OUT/report.xlsx, OUT/figures/*.png|svg, OUT/tables.json,\n"
    "OUT/values.csv, OUT/rejects.csv.  A build is a transaction: every output is\n"
    "written into a private staging folder inside OUT and moved into OUT only when\n"
    "the whole build succeeded, so a failed or interrupted build leaves OUT as it was\n"
    "(a --strict failure publishes rejects.csv only).  One build at a time writes\n"
    "into an OUT (lock OUT/.srdi-lock).  Set SOURCE_DATE_EPOCH for byte-identical\n"
    "outputs.\n"
    "\n"
    "Rebuilding into the same OUT re-renders only the figures, workbooks and report\n"
    "whose inputs changed (OUT/.srdi-state remembers them) and writes OUT/changes.csv\n"
    "(table,row,column,old,new,change): every value that moved since the previous\n"
    "OUT/values.csv, was added or removed.\n";

static const char *usage_check =
    "usage: srdi-report check --data DIR [OPTIONS]\n"
    "\n"
    "Validate the input files without rendering: every rejected row goes to\n"
    "OUT/rejects.csv (file, line, column, value, reason) and the reconciliation\n"
    "'read N = accepted A + rejected R' is printed per file.\n"
    "\n"
    "  --data DIR          input directory (default: the bundled samples/)\n"
    "  --template DIR      template whose reference/ data is used (default: templates/report-2026)\n"
    "  --out DIR           where rejects.csv goes (default: out)\n"
    "  --strict            exit 1 when any row was rejected\n"
    "  --max-reject-rate P exit 1 when a file has more than P of its rows rejected (default 1%%;\n"
    "                      a file whose every row is rejected always does)\n"
    "  --encoding E        auto (default), utf-8, gb18030, utf-16le or utf-16be\n"
    "  --delimiter C       field separator: comma, semicolon or tab (default: detected)\n"
    "  --sheet [FILE=]NAME worksheet of the .xlsx inputs (default: the first); FILE =\n"
    "                      enterprises, financials or patents names one workbook\n"
    "  --jobs N            threads reading enterprises.csv and patents.csv (default:\n"
    "                      $SRDI_JOBS, else the CPUs this process may run on)\n"
    "  --quiet             no progress on stderr\n"
    "  -h, --help          this help\n"
    "\n"
    "Each input may be an Excel workbook instead: enterprises.xlsx, financials.xlsx,\n"
    "patents.xlsx (same columns; a reject names the worksheet row, its file is\n"
    "'enterprises.xlsx[Sheet1]').  A .csv and an .xlsx of the same input is an error.\n";

static const char *usage_sample =
    "usage: srdi-report sample --n N --seed S --out DIR [OPTIONS]\n"
    "\n"
    "Write a SYNTHETIC data set (enterprises.csv, financials.csv, patents.csv and\n"
    "SYNTHETIC.txt) calibrated to the published aggregates of the 2026 edition;\n"
    "deterministic for a given seed.  --n 167372 gives the national scale\n"
    "(about 7–8 million patent rows).\n"
    "\n"
    "  --n N               专精特新 enterprises (national + provincial), required\n"
    "  --seed S            random seed (default 2026)\n"
    "  --out DIR           output directory, required\n"
    "  --champions K       champion benchmark rows (default: n × 1500 / 167372, at least 10)\n"
    "  --no-patents        do not write patents.csv\n"
    "  --compact-patents   patents.csv with only the invention rows of national-level\n"
    "                      enterprises (all that {PATENT_TABLES} read; used for samples/)\n"
    "  --template DIR      template whose reference/ data is used (default: templates/report-2026)\n"
    "  --quiet             no progress on stderr\n"
    "  -h, --help          this help\n";

/* Root of the installation: $SRDI_HOME, else the source tree compiled in. */
static const char *home_dir(void)
{
    const char *h = getenv("SRDI_HOME");
    return (h && *h) ? h : SRDI_SOURCE_DIR;
}

static char *home_path(const char *rel)
{
    size_t n = strlen(home_dir()) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", home_dir(), rel);
    return p;
}

static int exit_code(srdi_status st)
{
    switch (st) {
    case SRDI_OK:
        return 0;
    case SRDI_ERR_DATA:
        return 1;
    case SRDI_ERR_USAGE:
        return 2;
    case SRDI_ERR_ENCODING:
    case SRDI_ERR_CSV:
    case SRDI_ERR_HEADER:
    case SRDI_ERR_REFERENCE:
    case SRDI_ERR_PARAM:
    case SRDI_ERR_TEMPLATE:
    case SRDI_ERR_FONT:
    case SRDI_ERR_INPUT:
        return 3;
    case SRDI_ERR_IO:
    case SRDI_ERR_RENDER:
        return 4;
    default:
        return 5;
    }
}

static int fail(srdi_status st)
{
    const char *msg = srdi_error_message();
    fprintf(stderr, "srdi-report: error: %s\n", msg[0] ? msg : srdi_strerror(st));
    return exit_code(st);
}

/*
 * Print a usage text with the table ids filled in from the registry (the
 * only place that spells them): {TABLES} the first–last id, {ONLY} an --only
 * example of the first two ids, {PATENT_TABLES} the tables patents.csv feeds;
 * "%%" prints as "%".
 */
static void put_usage(const char *usage, FILE *fp)
{
    size_t n;
    const srdi_table_def *defs = srdi_tables_defs(&n);
    const char *first, *last;
    srdi_tables_id_range(&first, &last);
    srdi_buf pat = {0};
    if (srdi_tables_needing("patents.csv", &pat) != SRDI_OK) srdi_error_clear();
    for (const char *p = usage; *p;) {
        if (strncmp(p, "{TABLES}", 8) == 0) {
            fprintf(fp, "%s–%s", first, last);
            p += 8;
        } else if (strncmp(p, "{ONLY}", 6) == 0) {
            fprintf(fp, "%s,%s", defs[0].id, defs[n > 1].id);
            p += 6;
        } else if (strncmp(p, "{PATENT_TABLES}", 15) == 0) {
            fputs(pat.data ? pat.data : "", fp);
            p += 15;
        } else if (p[0] == '%' && p[1] == '%') {
            fputc('%', fp);
            p += 2;
        } /* the texts are printf-style */
        else
            fputc(*p++, fp);
    }
    srdi_buf_free(&pat);
}

/* parse_jobs: a thread count from 1 to 1024 (--jobs or $SRDI_JOBS) into *out;
   -1 for anything else (empty, not a number, out of range) */
static int parse_jobs(const char *v, int *out)
{
    char *end;
    long j = strtol(v, &end, 10);
    if (!*v || *end || j < 1 || j > 1024) return -1;
    *out = (int)j;
    return 0;
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "srdi-report: ");
    fprintf(stderr, fmt, arg);
    fputs("\n\n", stderr);
    put_usage(usage, stderr);
    return 2;
}

static int parse_formats(const char *s, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {
        {"pdf", SRDI_FMT_PDF}, {"xlsx", SRDI_FMT_XLSX}, {"png", SRDI_FMT_PNG},
        {"svg", SRDI_FMT_SVG}, {"json", SRDI_FMT_JSON},
    };
    unsigned f = 0;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        size_t k = 0;
        for (; k < sizeof names / sizeof names[0]; k++)
            if (strlen(names[k].name) == len && strncmp(names[k].name, s, len) == 0) break;
        if (k == sizeof names / sizeof names[0]) return -1;
        f |= names[k].bit;
        if (!e) break;
        s = e + 1;
    }
    *out = f;
    return 0;
}

static int parse_encoding(const char *s, srdi_encoding *e)
{
    if (strcmp(s, "auto") == 0)
        *e = SRDI_ENC_AUTO;
    else if (strcmp(s, "utf-8") == 0 || strcmp(s, "utf8") == 0)
        *e = SRDI_ENC_UTF8;
    else if (strcmp(s, "gb18030") == 0 || strcmp(s, "gbk") == 0)
        *e = SRDI_ENC_GB18030;
    else if (strcmp(s, "utf-16le") == 0 || strcmp(s, "utf-16") == 0)
        *e = SRDI_ENC_UTF16LE;
    else if (strcmp(s, "utf-16be") == 0)
        *e = SRDI_ENC_UTF16BE;
    else
        return -1;
    return 0;
}

/* --sheet NAME (every workbook) or --sheet enterprises|financials|patents=NAME. */
static int parse_sheet(const char *v, srdi_build_opts *o)
{
    static const char *const files[SRDI_FILE_COUNT] = {"enterprises", "financials", "patents"};
    for (int f = 0; f < SRDI_FILE_COUNT; f++) {
        size_t n = strlen(files[f]);
        if (strncmp(v, files[f], n) == 0 && v[n] == '=') {
            if (!v[n + 1]) return -1;
            o->sheet_for[f] = v + n + 1;
            return 0;
        }
    }
    if (!*v) return -1;
    o->sheet = v;
    return 0;
}

/* Parse build/check options.  Returns -1 to exit 0 (help), >0 exit code, 0 ok. */
static int parse_build(int argc, char **argv, srdi_build_opts *o, const char *usage, int is_check)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            put_usage(usage, stdout);
            return -1;
        }
        if (strcmp(a, "--strict") == 0) {
            o->strict = true;
            continue;
        }
        if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
            continue;
        }
        if (!is_check && strcmp(a, "--force") == 0) {
            o->force = true;
            continue;
        }
        if (!is_check && strcmp(a, "--no-wait") == 0) {
            o->no_wait = true;
            continue;
        }
        if (a[0] != '-') return usage_error(usage, "unexpected argument '%s'", a);
        if (!v) return usage_error(usage, "option %s needs a value", a);
        i++;
        if (strcmp(a, "--data") == 0) {
            o->data_dir = v;
            o->synthetic = false;
        } else if (strcmp(a, "--template") == 0)
            o->template_dir = v;
        else if (strcmp(a, "--jobs") == 0) {
            if (parse_jobs(v, &o->jobs) != 0)
                return usage_error(usage, "--jobs must be a number of threads from 1 to 1024, not '%s'", v);
        } else if (strcmp(a, "--delimiter") == 0) {
            if (strcmp(v, ",") == 0 || strcmp(v, "comma") == 0)
                o->delimiter = ',';
            else if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
                o->delimiter = ';';
            else if (strcmp(v, "\t") == 0 || strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0)
                o->delimiter = '\t';
            else
                return usage_error(usage, "--delimiter must be comma, semicolon or tab, not '%s'", v);
        } else if (strcmp(a, "--sheet") == 0) {
            if (parse_sheet(v, o) != 0) return usage_error(usage, "--sheet needs a worksheet name, not '%s'", v);
        } else if (strcmp(a, "--max-reject-rate") == 0) {
            char *end;
            double r = strtod(v, &end);
            if (end != v && *end == '%' && end[1] == 0) {
                r /= 100;
                end++;
            }
            if (end == v || *end || !(r >= 0 && r <= 1))
                return usage_error(usage,
                                   "--max-reject-rate must be a share from 0 to 1 or a percentage "
                                   "(0.05, 5%%), not '%s'",
                                   v);
            o->max_reject_rate = r;
        } else if (strcmp(a, "--out") == 0) {
            if (!*v) return usage_error(usage, "%s", "--out needs a folder name, not an empty string");
            o->out_dir = v;
        } else if (strcmp(a, "--encoding") == 0) {
            if (parse_encoding(v, &o->encoding) != 0)
                return usage_error(usage, "--encoding must be auto, utf-8, gb18030, utf-16le or utf-16be, not '%s'", v);
        } else if (is_check) {
            return usage_error(usage, "unknown option '%s'", a);
        } else if (strcmp(a, "--formats") == 0) {
            if (parse_formats(v, &o->formats) != 0)
                return usage_error(usage, "--formats takes a comma list of pdf,xlsx,png,svg,json, not '%s'", v);
        } else if (strcmp(a, "--scope") == 0)
            o->scope = v;
        else if (strcmp(a, "--split") == 0) {
            if (strcmp(v, "province") != 0 && strcmp(v, "city") != 0)
                return usage_error(usage, "--split must be 'province' or 'city', not '%s'", v);
            o->split = v;
        } else if (strcmp(a, "--only") == 0)
            o->only = v;
        else if (strcmp(a, "--dpi") == 0) {
            char *end;
            o->dpi = strtod(v, &end);
            if (*end || o->dpi < 30 || o->dpi > 1200)
                return usage_error(usage, "--dpi must be a number from 30 to 1200, not '%s'", v);
        } else
            return usage_error(usage, "unknown option '%s'", a);
    }
    /* no --jobs: SRDI_JOBS, else the CPUs this process may run on (the sanitizer test trees set
       SRDI_JOBS=1, as ctest already runs two tests at once) */
    const char *env = o->jobs <= 0 ? getenv("SRDI_JOBS") : NULL;
    if (env && *env && parse_jobs(env, &o->jobs) != 0)
        return usage_error(usage, "SRDI_JOBS must be a number of threads from 1 to 1024, not '%s'", env);
    if (o->jobs <= 0) o->jobs = srdi_cpu_count(); /* the CPUs this process may use (taskset, cpuset) */
    return 0;
}

static int cmd_build(int argc, char **argv, int is_check)
{
    char *samples = home_path("samples"), *tmpl = home_path("templates/report-2026"), *fonts = home_path("fonts");
    if (!samples || !tmpl || !fonts) {
        free(samples);
        free(tmpl);
        free(fonts);
        return fail(srdi_error_set(SRDI_ERR_NOMEM, "out of memory"));
    }
    srdi_build_opts o = {
        .data_dir = samples,
        .template_dir = tmpl,
        .fonts_dir = fonts,
        .out_dir = "out",
        .formats = SRDI_FMT_PDF | SRDI_FMT_XLSX | SRDI_FMT_PNG | SRDI_FMT_JSON,
        .dpi = 200,
        .max_reject_rate = 0.01,
        .synthetic = true,
    };
    int rc = parse_build(argc, argv, &o, is_check ? usage_check : usage_build, is_check);
    if (rc == 0) {
        if (o.synthetic && !o.quiet)
            fprintf(stderr,
                    "no --data given: %s the bundled synthetic sample in %s "
                    "(合成样本数据（非真实企业）); give --data DIR to read your own data\n",
                    is_check ? "checking" : "building", o.data_dir);
        srdi_status st = is_check ? srdi_pipeline_check(&o) : srdi_pipeline_build(&o);
        rc = st == SRDI_OK ? 0 : fail(st);
    } else if (rc < 0) {
        rc = 0;
    }
    free(samples);
    free(tmpl);
    free(fonts);
    return rc;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0) return -1;
    *out = v;
    return 0;
}

static int cmd_sample(int argc, char **argv)
{
    srdi_sample_opts o = {.n = -1, .champions = -1, .seed = 2026, .patents = 1};
    const char *tmpl = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            put_usage(usage_sample, stdout);
            return 0;
        }
        if (strcmp(a, "--no-patents") == 0) {
            o.patents = 0;
            continue;
        }
        if (strcmp(a, "--compact-patents") == 0) {
            o.patents = 2;
            continue;
        }
        if (strcmp(a, "--quiet") == 0) {
            o.quiet = 1;
            continue;
        }
        if (a[0] != '-') return usage_error(usage_sample, "unexpected argument '%s'", a);
        if (!v) return usage_error(usage_sample, "option %s needs a value", a);
        i++;
        long x;
        if (strcmp(a, "--n") == 0) {
            if (parse_long(v, &x) != 0 || x < 1)
                return usage_error(usage_sample, "--n must be a positive integer, not '%s'", v);
            o.n = x;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_long(v, &x) != 0)
                return usage_error(usage_sample, "--seed must be a non-negative integer, not '%s'", v);
            o.seed = (uint64_t)x;
        } else if (strcmp(a, "--champions") == 0) {
            if (parse_long(v, &x) != 0)
                return usage_error(usage_sample, "--champions must be a non-negative integer, not '%s'", v);
            o.champions = x;
        } else if (strcmp(a, "--out") == 0)
            o.out_dir = v;
        else if (strcmp(a, "--template") == 0)
            tmpl = v;
        else
            return usage_error(usage_sample, "unknown option '%s'", a);
    }
    if (o.n < 0) return usage_error(usage_sample, "%s", "--n is required");
    if (!o.out_dir) return usage_error(usage_sample, "%s", "--out is required");
    char *deftmpl = home_path("templates/report-2026");
    if (!deftmpl) return fail(srdi_error_set(SRDI_ERR_NOMEM, "out of memory"));
    char refdir[4096];
    snprintf(refdir, sizeof refdir, "%s/reference", tmpl ? tmpl : deftmpl);
    free(deftmpl);
    srdi_reference *ref = NULL;
    srdi_status st = srdi_reference_load(refdir, &ref);
    if (st == SRDI_OK) st = srdi_sample_generate(&o, ref);
    srdi_reference_free(ref);
    return st == SRDI_OK ? 0 : fail(st);
}

int main(int argc, char **argv)
{
    if (argc < 2) return cmd_build(0, NULL, 0);
    const char *cmd = argv[1];
    if (strcmp(cmd, "build") == 0) return cmd_build(argc - 2, argv + 2, 0);
    if (strcmp(cmd, "check") == 0) return cmd_build(argc - 2, argv + 2, 1);
    if (strcmp(cmd, "sample") == 0) return cmd_sample(argc - 2, argv + 2);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        put_usage(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("srdi-report 0.1.0");
        return 0;
    }
    if (cmd[0] == '-') return cmd_build(argc - 1, argv + 1, 0); /* srdi-report --out x … */
    return usage_error(usage_main, "unknown command '%s'", cmd);
}
