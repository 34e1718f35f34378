/* tests/test_core_csvout.c — the one CSV field writer: quoting and formula guards. */
#include "srdi/csvout.h"
#include "testutil.h"

static const char *field(const char *s)
{
    static srdi_buf b;
    srdi_buf_reset(&b);
    if (srdi_csv_field(&b, s) != SRDI_OK) return "(error)";
    return b.data ? b.data : "";
}

int main(void)
{
    /* numbers stay numbers in every column */
    CHECK_STR(field("-1.5"), "-1.5");
    CHECK_STR(field("+3"), "+3");
    CHECK_STR(field("-12e-3"), "-12e-3");
    CHECK_STR(field("0.25"), "0.25");
    /* formulas and formula-like text get the apostrophe */
    CHECK_STR(field("=1+1"), "'=1+1");
    CHECK_STR(field("-1+2"), "'-1+2");
    CHECK_STR(field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
    CHECK_STR(field("@SUM(A1:A9)"), "'@SUM(A1:A9)");
    CHECK_STR(field("-"), "'-");
    CHECK_STR(field("\tx"), "'\tx");
    CHECK_STR(field("\rx"), "\"'\rx\"");
    CHECK_STR(field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK_STR(field("-1e"), "'-1e");
    /* plain text and RFC 4180 quoting */
    CHECK_STR(field("苏州市"), "苏州市");
    CHECK_STR(field("a,b"), "\"a,b\"");
    CHECK_STR(field(" lead"), "\" lead\"");
    CHECK_STR(field("'=already"), "'=already");
    CHECK_STR(field(""), "");
    CHECK_STR(field(NULL), "");
    CHECK(srdi_csv_is_number("1"));
    CHECK(!srdi_csv_is_number("."));
    CHECK(!srdi_csv_is_number("1.2.3"));
    CHECK(!srdi_csv_is_number("nan"));
    srdi_buf t = {0};
    CHECK_STR(srdi_csv_neutral("=x", &t), "'=x");
    CHECK_STR(srdi_csv_neutral("-2", &t), "-2");
    srdi_buf_free(&t);
    return testutil_finish();
}
