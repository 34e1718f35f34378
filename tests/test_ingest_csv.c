/*
 * tests/test_ingest_csv.c — the ingest module's value parsing: numbers
 * (grouping, full-width digits, signs, fractions) and yes/no flags.  The CSV
 * reader itself is core (tests/test_core_csv.c).
 */
#include "testutil.h"
#include "../src/ingest/ingest_private.h"

#include <string.h>

/* ================================================================ values */

static void test_numbers(void)
{
    double v = -1;
    CHECK_INT(srdi_ingest_parse_number("1234", 4, true, &v), SRDI_NUM_OK);
    CHECK_NUM(v, 1234, 0);
    CHECK_INT(srdi_ingest_parse_number("1,234", 5, true, &v), SRDI_NUM_OK);
    CHECK_NUM(v, 1234, 0);
    CHECK_INT(srdi_ingest_parse_number(" 12,345,678.5 ", 14, false, &v), SRDI_NUM_OK);
    CHECK_NUM(v, 12345678.5, 0);
    const char *fw = "１，２３４．５"; /* full-width digits, comma and period */
    CHECK_INT(srdi_ingest_parse_number(fw, strlen(fw), false, &v), SRDI_NUM_OK);
    CHECK_NUM(v, 1234.5, 0);
    CHECK_INT(srdi_ingest_parse_number("", 0, true, &v), SRDI_NUM_EMPTY);
    CHECK_INT(srdi_ingest_parse_number("  ", 2, true, &v), SRDI_NUM_EMPTY);
    CHECK_INT(srdi_ingest_parse_number("-3", 2, true, &v), SRDI_NUM_NEGATIVE);
    CHECK_NUM(v, -3, 0);
    CHECK_INT(srdi_ingest_parse_number("2.5", 3, true, &v), SRDI_NUM_FRACTION);
    CHECK_INT(srdi_ingest_parse_number("3.0", 3, true, &v), SRDI_NUM_OK);
    CHECK_NUM(v, 3, 0);
    CHECK_INT(srdi_ingest_parse_number("-0", 2, true, &v), SRDI_NUM_OK);
    CHECK_INT(srdi_ingest_parse_number("12,34", 5, true, &v), SRDI_NUM_BAD);
    CHECK_INT(srdi_ingest_parse_number("1234,567", 8, true, &v), SRDI_NUM_BAD);
    CHECK_INT(srdi_ingest_parse_number(",123", 4, true, &v), SRDI_NUM_BAD);
    CHECK_INT(srdi_ingest_parse_number("1e5", 3, false, &v), SRDI_NUM_BAD);
    CHECK_INT(srdi_ingest_parse_number("nan", 3, false, &v), SRDI_NUM_BAD);
    CHECK_INT(srdi_ingest_parse_number("0x10", 4, false, &v), SRDI_NUM_BAD);
    CHECK_INT(srdi_ingest_parse_number("12%", 3, false, &v), SRDI_NUM_BAD);
    CHECK_INT(srdi_ingest_parse_number(".5", 2, false, &v), SRDI_NUM_OK);
    CHECK_NUM(v, 0.5, 0);
    CHECK_INT(srdi_ingest_parse_number(".", 1, false, &v), SRDI_NUM_BAD);

    CHECK_INT(srdi_ingest_parse_flag("是", strlen("是"), &v), 1);
    CHECK_NUM(v, 1, 0);
    CHECK_INT(srdi_ingest_parse_flag("否", strlen("否"), &v), 1);
    CHECK_NUM(v, 0, 0);
    CHECK_INT(srdi_ingest_parse_flag("Y", 1, &v), 1);
    CHECK_NUM(v, 1, 0);
    CHECK_INT(srdi_ingest_parse_flag("false", 5, &v), 1);
    CHECK_NUM(v, 0, 0);
    CHECK_INT(srdi_ingest_parse_flag("TRUE", 4, &v), 1);
    CHECK_INT(srdi_ingest_parse_flag("", 0, &v), 0);
    CHECK_INT(srdi_ingest_parse_flag("2", 1, &v), -1);
}

int main(void)
{
    test_numbers();
    return testutil_finish();
}
