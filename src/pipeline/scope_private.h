/*
 * src/pipeline/scope_private.h — what editions.c uses of scope.c.
 */
#ifndef SRDI_PIPELINE_SCOPE_PRIVATE_H
#define SRDI_PIPELINE_SCOPE_PRIVATE_H

#include <stddef.h>

#include "srdi/dataset.h"
#include "srdi/editions.h"

/**
 * @brief The short name of @p s's region as the prose uses it (苏州 for
 * 苏州市, the province name as it is).
 * @param d    the data set (its reference names)
 * @param s    the scope (kind and name set)
 * @param buf  receives the name, NUL-terminated, cut to fit
 * @param size size of @p buf
 */
void pipeline_short_name(const srdi_dataset *d, const srdi_scope *s, char *buf, size_t size);

#endif
