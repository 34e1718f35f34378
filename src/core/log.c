/*
 * src/core/log.c — the one reporter (srdi/log.h): every progress line,
 * note and warning of the library goes through here, so --quiet silences
 * them all in one place.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/log.h"
#include "srdi/util.h"

static atomic_bool quiet_flag;

void srdi_log_set_quiet(bool quiet)
{
    atomic_store(&quiet_flag, quiet);
}

bool srdi_log_quiet(void)
{
    return atomic_load(&quiet_flag);
}

/*
 * One whole line on stderr — PREFIX, "[t s] " when t0 >= 0, the message, a
 * newline — in one write, so lines of threads and of forked edition workers
 * never interleave.  A long line (a list of names) is formatted on the heap;
 * when that allocation fails it is written in pieces.
 */
static void line(const char *prefix, double t0, const char *fmt, va_list ap)
{
    char head[64] = "", small[2048];
    int h = 0;
    if (t0 >= 0) h = snprintf(head, sizeof head, "[%6.2f s] ", srdi_now() - t0);
    va_list aq;
    va_copy(aq, ap);
    int k = snprintf(small, sizeof small, "%s%s", prefix ? prefix : "", h > 0 ? head : "");
    int m = vsnprintf(small + k, sizeof small - (size_t)k, fmt, ap);
    if (m < 0) m = 0;
    if ((size_t)k + (size_t)m + 1 < sizeof small) {
        small[k + m] = '\n';
        fwrite(small, 1, (size_t)k + (size_t)m + 1, stderr);
    } else {
        char *big = malloc((size_t)k + (size_t)m + 2);
        if (big) {
            memcpy(big, small, (size_t)k);
            vsnprintf(big + k, (size_t)m + 1, fmt, aq);
            big[k + m] = '\n';
            fwrite(big, 1, (size_t)k + (size_t)m + 1, stderr);
            free(big);
        } else {
            fwrite(small, 1, (size_t)k, stderr);
            vfprintf(stderr, fmt, aq);
            fputc('\n', stderr);
        }
    }
    va_end(aq);
}

void srdi_log_vprogress(double t0, const char *fmt, va_list ap)
{
    if (!srdi_log_quiet()) line(NULL, t0 < 0 ? 0 : t0, fmt, ap);
}

void srdi_log_progress(double t0, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    srdi_log_vprogress(t0, fmt, ap);
    va_end(ap);
}

void srdi_log_note(const char *fmt, ...)
{
    if (srdi_log_quiet()) return;
    va_list ap;
    va_start(ap, fmt);
    line(NULL, -1, fmt, ap);
    va_end(ap);
}

void srdi_log_warn(const char *fmt, ...)
{
    if (srdi_log_quiet()) return;
    va_list ap;
    va_start(ap, fmt);
    line("warning: ", -1, fmt, ap);
    va_end(ap);
}

void srdi_log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line(NULL, -1, fmt, ap);
    va_end(ap);
}
