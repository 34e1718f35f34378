/*
 * srdi/log.h — the one reporter: progress lines, notes and warnings on
 * stderr, all silenced by --quiet.  Library code never writes to stderr
 * itself; it calls these (the command line alone prints its usage text and
 * the final error line).
 *
 * The quiet switch is process-wide: set it once before the work starts
 * (the pipeline sets it from srdi_build_opts.quiet).  Each call writes its
 * whole line under the stdio lock of stderr, so lines from several threads
 * never interleave.
 */
#ifndef SRDI_LOG_H
#define SRDI_LOG_H

#include <stdarg.h>
#include <stdbool.h>

/**
 * @brief Silence (true) or allow (false) every srdi_log_* line but srdi_log_error.
 * Process-wide; set it before worker threads start.
 * @param quiet true for --quiet
 */
void srdi_log_set_quiet(bool quiet);
/** @brief True after srdi_log_set_quiet(true). */
bool srdi_log_quiet(void);

/**
 * @brief A progress line "[  1.23 s] MESSAGE" — seconds since @p t0
 * (an srdi_now() value) — unless quiet.
 * @param t0  start of the timed work (srdi_now)
 * @param fmt printf format of the message, without the newline
 */
void srdi_log_progress(double t0, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * @brief va_list form of srdi_log_progress.
 * @param t0  start of the timed work (srdi_now)
 * @param fmt printf format of the message, without the newline
 * @param ap  its arguments (consumed)
 */
void srdi_log_vprogress(double t0, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/** @brief A line "MESSAGE" as given (a note, a summary), unless quiet. @param fmt printf format, no newline */
void srdi_log_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** @brief A line "warning: MESSAGE", unless quiet. @param fmt printf format, no "warning: ", no newline */
void srdi_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/**
 * @brief A line "MESSAGE" that belongs to a failure being reported (a list
 * of valid names printed before the error line): printed even when quiet.
 * @param fmt printf format, no newline
 */
void srdi_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
