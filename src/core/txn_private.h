/*
 * src/core/txn_private.h — hooks of the output transaction (txn.c) used by
 * the file helpers of util.c.  Not for other modules.
 */
#ifndef SRDI_TXN_PRIVATE_H
#define SRDI_TXN_PRIVATE_H

#include <stdbool.h>
#include "srdi/error.h"

/**
 * @brief True when a transaction is open and @p path is OUT or under it; *rel = the part after "OUT/".
 * @param path a path
 * @param rel  receives a pointer into @p path (borrowed)
 */
bool srdi_txn_rel_(const char *path, const char **rel);
/**
 * @brief Temporary file for @p path in the staging folder (mkstemp): fd, *tmp owned; -2 when not under OUT.
 * @param path the final path
 * @param tmp  receives the temporary path (caller frees)
 * @return the fd; -2 when @p path is not under OUT (nothing done); -1 when the
 *         file cannot be created, -3 when out of memory (message set)
 */
int srdi_txn_tmp_(const char *path, char **tmp);
/**
 * @brief Move @p tmp to the staged place of @p path; *handled false when not under OUT (nothing done).
 * @param tmp     the written temporary file
 * @param path    its final path
 * @param handled receives true when @p path is under OUT (staged, or the error returned with its message)
 */
srdi_status srdi_txn_stage_(const char *tmp, const char *path, bool *handled);
/**
 * @brief mkdir -p of @p dir inside the staging folder; *handled false when not under OUT.
 * @param dir     the folder
 * @param handled receives true when @p dir is under OUT (made in the staging folder, or the error returned)
 */
srdi_status srdi_txn_mkdirs_(const char *dir, bool *handled);

#endif
