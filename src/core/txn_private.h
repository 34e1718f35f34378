/*
 * src/core/txn_private.h — hooks of the output transaction (txn.c) used by
 * the file helpers of util.c.  Not for other modules.
 */
#ifndef SRDI_TXN_PRIVATE_H
#define SRDI_TXN_PRIVATE_H

#include <stdbool.h>
#include "srdi/error.h"

/* True when a transaction is open and @p path is OUT or under it; *rel = the part after "OUT/". */
bool        srdi_txn_rel_(const char *path, const char **rel);
/* Temporary file for @p path in the staging folder (mkstemp): fd, *tmp owned; -2 when not under OUT. */
int         srdi_txn_tmp_(const char *path, char **tmp);
/* Move @p tmp to the staged place of @p path; *handled false when not under OUT (nothing done). */
srdi_status srdi_txn_stage_(const char *tmp, const char *path, bool *handled);
/* mkdir -p of @p dir inside the staging folder; *handled false when not under OUT. */
srdi_status srdi_txn_mkdirs_(const char *dir, bool *handled);

#endif
