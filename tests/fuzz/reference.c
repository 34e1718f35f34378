/*
 * tests/fuzz/fuzz_reference.c — libFuzzer harness: the reference CSVs.
 * The first byte picks the file replaced by the rest of the input
 * (provinces.csv, cities.csv, gbt4754_2017.csv, strategic_domains.csv).
 */
#include "fuzz_common.h"
#include "srdi/reference.h"

static const char *const FILES[] = {"provinces.csv", "cities.csv", "gbt4754_2017.csv", "strategic_domains.csv"};

static void restore(int i)
{
    char p[512], rel[128];
    snprintf(p, sizeof p, "%s/%s", fuzz_dir(), FILES[i]);
    snprintf(rel, sizeof rel, "templates/report-2026/reference/%s", FILES[i]);
    fuzz_copy(rel, p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < 4; i++) restore(i);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int pick = data[0] % 4;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", fuzz_dir(), FILES[pick]);
    fuzz_write(p, data + 1, size - 1);
    srdi_reference *r = NULL;
    if (srdi_reference_load(fuzz_dir(), &r) == SRDI_OK) {
        (void)srdi_reference_province(r, "江苏省");
        (void)srdi_reference_province(r, "内蒙古自治区");
        srdi_reference_free(r);
    }
    restore(pick);
    srdi_error_clear();
    return 0;
}
