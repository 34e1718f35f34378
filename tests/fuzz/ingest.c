/*
 * tests/fuzz/fuzz_ingest.c — libFuzzer harness: CSV ingest of one input
 * file (FUZZ_FILE: enterprises.csv, financials.csv or patents.csv); the
 * other files are the bundled samples.  Built once per file.
 */
#include "fuzz_common.h"
#include "srdi/dataset.h"
#include "srdi/ingest.h"
#include "srdi/reference.h"

#ifndef FUZZ_FILE
#define FUZZ_FILE "enterprises.csv"
#endif

static srdi_reference *REF; /* loaded once; each srdi_ingest takes (and drops) one reference */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (srdi_reference_load(SRDI_SOURCE_DIR "/templates/report-2026/reference", &REF) != SRDI_OK) abort();
    const char *names[] = {"enterprises.csv", "financials.csv", "patents.csv"};
    char p[512];
    for (int i = 0; i < 3; i++) {
        if (strcmp(names[i], FUZZ_FILE) == 0) continue;
        snprintf(p, sizeof p, "%s/%s", fuzz_dir(), names[i]);
        char rel[64];
        snprintf(rel, sizeof rel, "samples/%s", names[i]);
        fuzz_copy_head(rel, p, 300); /* small companions keep each run fast */
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char p[512], rej[512];
    snprintf(p, sizeof p, "%s/%s", fuzz_dir(), FUZZ_FILE);
    snprintf(rej, sizeof rej, "%s/rejects.csv", fuzz_dir());
    fuzz_write(p, data, size);
    srdi_ingest_opts io = {.data_dir = fuzz_dir(), .rejects_path = rej, .quiet = true, .threads = 1};
    srdi_dataset *d = NULL;
    long long errs = 0;
    if (srdi_ingest(&io, srdi_reference_retain(REF), &d, &errs) == SRDI_OK) srdi_dataset_free(d);
    srdi_error_clear();
    return 0;
}
