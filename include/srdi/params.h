/*
 * srdi/params.h — report parameters from templates/<t>/params.ini (inih).
 *
 * Every threshold, band, weight and top-N of TABLES.md is read through
 * these getters with the TABLES.md default as fallback, so a bureau can
 * change them without recompiling.  Keys are "section.key".
 */
#ifndef SRDI_PARAMS_H
#define SRDI_PARAMS_H

#include "srdi/error.h"

typedef struct srdi_params srdi_params;

/** @brief Empty parameter set (every getter returns its default). */
srdi_params *srdi_params_new(void);
/** @brief Load an INI file (inih).  Syntax errors name the file and line. */
srdi_status  srdi_params_load(const char *path, srdi_params **out);
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
