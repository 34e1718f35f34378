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

/**
 * @brief An empty parameter set (every getter returns its default).
 * @return the set, owned by the caller (srdi_params_free); NULL when out of memory (no message)
 */
srdi_params *srdi_params_new(void);
/**
 * @brief Load and validate an INI file.
 * Every error is SRDI_ERR_PARAM and names "path:line": syntax, an unknown
 * section or key (with the nearest valid name), a value of the wrong type or
 * out of range, a key set twice, a NUL or control byte, a broken cross-key
 * rule (bands strictly increasing, weights summing to > 0, a type area of at
 * least half the page).  A missing or unreadable file is SRDI_ERR_IO; an
 * allocation failure SRDI_ERR_NOMEM.  The message is set in every case.
 * @param path the file (borrowed)
 * @param out  receives the set, owned by the caller (srdi_params_free); untouched on failure
 */
srdi_status srdi_params_load(const char *path, srdi_params **out);
/**
 * @brief Same as srdi_params_load for @p len bytes of text (a UTF-8 BOM is skipped).
 * @param path the name used in error messages
 * @param text the INI text (borrowed; need not be NUL-terminated)
 * @param len  its length in bytes
 * @param out  receives the set, owned by the caller; untouched on failure
 * @return SRDI_OK, SRDI_ERR_PARAM or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_params_parse(const char *path, const char *text, size_t len, srdi_params **out);
/**
 * @brief Check @p p against the schema of known keys (the list in params.c):
 * unknown sections or keys, types, ranges and the cross-key rules.
 * @param p    the set (the line numbers of entries read by srdi_params_parse are used)
 * @param path the file name for messages ("path:line: …")
 * @return SRDI_OK, or SRDI_ERR_PARAM (message set)
 */
srdi_status srdi_params_validate(const srdi_params *p, const char *path);
/** @brief Free @p p and every string it holds. @param p the set (NULL is fine) */
void srdi_params_free(srdi_params *p);

/**
 * @brief Set or replace "section.key" = value (used by tests and --set);
 * a replaced value keeps its place in the file order.  No validation.
 * @param p       the set
 * @param section the section name (copied)
 * @param key     the key (copied)
 * @param value   the value text (copied)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (the set unchanged)
 */
srdi_status srdi_params_set(srdi_params *p, const char *section, const char *key, const char *value);

/**
 * @brief Number at section.key, or @p def when absent.
 * A value that is not a finite number gives @p def and a warning through
 * srdi_log_warn (silenced by --quiet); srdi_params_validate rejects it earlier.
 * @param p       the set (NULL: always @p def)
 * @param section the section name
 * @param key     the key
 * @param def     the default (the docs/tables.md value)
 */
double srdi_params_num(const srdi_params *p, const char *section, const char *key, double def);
/**
 * @brief String at section.key, or @p def when absent.
 * @param p       the set (NULL: always @p def)
 * @param section the section name
 * @param key     the key
 * @param def     the default (returned as it is)
 * @return borrowed: valid until the set is freed or the key is set again
 */
const char *srdi_params_str(const srdi_params *p, const char *section, const char *key, const char *def);

/** @brief Number of entries (in file order, for the 说明 sheet, tables.json). @param p the set (NULL: 0) */
int srdi_params_count(const srdi_params *p);
/**
 * @brief The i-th entry as "section.key" = value (borrowed strings).
 * @param p       the set
 * @param i       0 … srdi_params_count(p)-1 (not checked)
 * @param section receives the section name
 * @param key     receives the key
 * @param value   receives the value text
 */
void srdi_params_entry(const srdi_params *p, int i, const char **section, const char **key, const char **value);

#endif
