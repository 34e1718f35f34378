/*
 * error.c — the project's error type: fixed descriptions and the
 * thread-local detail message of the last failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include "srdi/error.h"

static _Thread_local char last_msg[2048];

/* The fixed description of each status, by value. */
static const char *const DESCRIPTION[] = {
    [SRDI_OK] = "success",
    [SRDI_ERR_NOMEM] = "out of memory",
    [SRDI_ERR_IO] = "input/output error",
    [SRDI_ERR_USAGE] = "invalid usage",
    [SRDI_ERR_ENCODING] = "invalid encoding",
    [SRDI_ERR_CSV] = "malformed CSV",
    [SRDI_ERR_HEADER] = "bad header",
    [SRDI_ERR_DATA] = "row errors in input",
    [SRDI_ERR_REFERENCE] = "bad reference data",
    [SRDI_ERR_PARAM] = "bad parameter",
    [SRDI_ERR_TEMPLATE] = "template error",
    [SRDI_ERR_FONT] = "font error",
    [SRDI_ERR_RENDER] = "rendering error",
    [SRDI_ERR_INTERNAL] = "internal error",
    [SRDI_ERR_INPUT] = "input file missing or unreadable",
};

const char *srdi_strerror(srdi_status s)
{
    if ((unsigned)s >= sizeof DESCRIPTION / sizeof DESCRIPTION[0] || !DESCRIPTION[s]) return "unknown error";
    return DESCRIPTION[s];
}

srdi_status srdi_error_set(srdi_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    return s;
}

const char *srdi_error_message(void)
{
    return last_msg;
}

void srdi_error_clear(void)
{
    last_msg[0] = 0;
}
