/* tests/fuzz/fuzz_params.c — libFuzzer harness: params.ini parsing and validation. */
#include "srdi/params.h"
#include "srdi/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    srdi_params *p = NULL;
    if (srdi_params_parse("params.ini", (const char *)data, size, &p) == SRDI_OK) {
        /* every accepted value reads back as a number or a string */
        for (int i = 0; i < srdi_params_count(p); i++) {
            const char *s, *k, *v;
            srdi_params_entry(p, i, &s, &k, &v);
            (void)srdi_params_str(p, s, k, NULL);
        }
        srdi_params_free(p);
    }
    srdi_error_clear();
    return 0;
}
