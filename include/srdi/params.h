/*
 * srdi/params.h — report parameters from templates/<t>/params.ini.
 *
 * Every threshold, band, weight and top-N of docs/tables.md is read through
 * these getters with the docs/tables.md default as fallback, so a bureau can
 * change them without recompiling.  Keys are "section.key".
 */
#ifndef SRDI_PARAMS_H
#define SRDI_PARAMS_H

#include <stddef.h>
#include "srdi/error.h"

typedef struct srdi_params srdi_params;

/** @brief Empty parameter set (every getter returns its default). */
srdi_params *srdi_params_new(void);
/**
 * @brief Load and validate an INI file.  Every error is SRDI_ERR_PARAM and
 * names "path:line": syntax, an unknown section or key (with the nearest
 * valid name), a value of the wrong type or out of range, a broken cross-key
 * rule (bands strictly increasing, weights summing to > 0, a type area of at
 * least half the page).  A missing file is SRDI_ERR_IO.
 */
srdi_status  srdi_params_load(const char *path, srdi_params **out);
/** @brief Same as srdi_params_load for @p len bytes of text; @p path names it in errors. */
srdi_status  srdi_params_parse(const char *path, const char *text, size_t len, srdi_params **out);
/** @brief Check @p p against the schema of known keys (see params.c); errors name @p path:line. */
srdi_status  srdi_params_validate(const srdi_params *p, const char *path);
void         srdi_params_free(srdi_params *p);

/** @brief Set or replace "section.key" = value (used by tests and --set). */
srdi_status  srdi_params_set(srdi_params *p, const char *section, const char *key, const char *value);

/** @brief Number at section.key, or @p def when absent.  Malformed → def and a warning on stderr. */
double       srdi_params_num(const srdi_params *p, const char *section, const char *key, double def);
/** @brief String at section.key (borrowed), or @p def when absent. */
const char  *srdi_params_str(const srdi_params *p, const char *section, const char *key, const char *def);

/** @brief Number of entries, and the i-th as "section.key" = value (for the 说明 sheet, tables.json). */
int          srdi_params_count(const srdi_params *p);
void         srdi_params_entry(const srdi_params *p, int i, const char **section, const char **key, const char **value);

#endif
