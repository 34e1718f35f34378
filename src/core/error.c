/*
 * error.c — the project's error type: fixed descriptions and the
 * thread-local detail message of the last failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include "srdi/error.h"

static _Thread_local char last_msg[2048];

const char *srdi_strerror(srdi_status s)
{
    switch (s) {
    case SRDI_OK:
        return "success";
    case SRDI_ERR_NOMEM:
        return "out of memory";
    case SRDI_ERR_IO:
        return "input/output error";
    case SRDI_ERR_USAGE:
        return "invalid usage";
    case SRDI_ERR_ENCODING:
        return "invalid encoding";
    case SRDI_ERR_CSV:
        return "malformed CSV";
    case SRDI_ERR_HEADER:
        return "bad header";
    case SRDI_ERR_DATA:
        return "row errors in input";
    case SRDI_ERR_REFERENCE:
        return "bad reference data";
    case SRDI_ERR_PARAM:
        return "bad parameter";
    case SRDI_ERR_TEMPLATE:
        return "template error";
    case SRDI_ERR_FONT:
        return "font error";
    case SRDI_ERR_RENDER:
        return "rendering error";
    case SRDI_ERR_INTERNAL:
        return "internal error";
    case SRDI_ERR_INPUT:
        return "input file missing or unreadable";
    }
    return "unknown error";
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
