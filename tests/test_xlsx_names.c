/* tests/test_xlsx_names.c — split workbook file names: unique, never a path. */
#include "srdi/xlsx.h"
#include "testutil.h"

int main(void)
{
    srdi_strpool *used = srdi_strpool_new();
    char a[512], b[512], c[512], d[512];
    bool r;
    srdi_xlsx_safe_filename("A/B市", a, sizeof a);
    srdi_xlsx_safe_filename("A:B市", b, sizeof b);
    CHECK_STR(a, b); /* both sanitise to the same name */
    CHECK_INT(srdi_xlsx_unique_filename(used, a, sizeof a, &r), SRDI_OK);
    CHECK(!r);
    CHECK_INT(srdi_xlsx_unique_filename(used, b, sizeof b, &r), SRDI_OK);
    CHECK(r);
    CHECK_STR(b, "A_B市-2");
    srdi_strlcpy(c, "a_b市", sizeof c); /* case-insensitive file systems */
    CHECK_INT(srdi_xlsx_unique_filename(used, c, sizeof c, &r), SRDI_OK);
    CHECK_STR(c, "a_b市-3");
    srdi_xlsx_safe_filename("../../etc", d, sizeof d);
    CHECK(strchr(d, '/') == NULL);
    srdi_strpool_free(used);
    return testutil_finish();
}
