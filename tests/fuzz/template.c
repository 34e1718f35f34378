/*
 * tests/fuzz/fuzz_template.c — libFuzzer harness: the template parser and
 * the placeholder resolver.  The input is one chapter file (10-ch1.md)
 * parsed against the tables of the bundled sample and its params.ini.
 */
#include "fuzz_common.h"
#include "../../src/report/report_private.h"
#include "srdi/dataset.h"
#include "srdi/ingest.h"
#include "srdi/reference.h"
#include "srdi/tables.h"

static srdi_tableset *TS;
static srdi_params *PR;
static srdi_dataset *D; /* kept alive (and reachable) for the whole run */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    srdi_reference *ref = NULL;
    srdi_dataset *d = NULL;
    long long errs = 0;
    if (srdi_reference_load(SRDI_SOURCE_DIR "/templates/report-2026/reference", &ref) != SRDI_OK) abort();
    srdi_ingest_opts io = {.data_dir = SRDI_SOURCE_DIR "/samples", .quiet = true, .threads = 1};
    if (srdi_ingest(&io, ref, &d, &errs) != SRDI_OK) abort();
    if (srdi_params_load(SRDI_SOURCE_DIR "/templates/report-2026/params.ini", &PR) != SRDI_OK) abort();
    srdi_tctx ctx = {.d = d, .scope = NULL, .params = PR};
    if (srdi_tables_compute(&ctx, NULL, &TS) != SRDI_OK) abort();
    D = d; /* the dataset stays alive: tables may point into it */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    const char *names[] = {"00-cover.md", "10-ch1.md"};
    const char *texts[] = {"# 封面\n", text};
    report_ctx ctx = {.tables = TS, .params = PR};
    report_doc *doc = NULL;
    if (report_check_bytes(names[1], text, size) == SRDI_OK && report_doc_parse(names, texts, 2, &ctx, &doc) == SRDI_OK)
        report_doc_free(doc);
    srdi_error_clear();
    free(text);
    return 0;
}
