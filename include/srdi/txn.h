/*
 * srdi/txn.h — a build is a transaction on its output folder OUT.
 *
 * srdi_txn_begin() takes the lock OUT/.srdi-lock (flock: one build per
 * OUT; a second one waits, or fails with --no-wait) and creates a private
 * staging folder OUT/.srdi-staging-XXXXXX (mkdtemp, mode 0700).  While the
 * transaction is open, every file the program writes under OUT through
 * srdi/util.h (srdi_atomic_*, srdi_tmp_path + srdi_rename_into_place,
 * srdi_mkdirs) lands in the staging folder instead; reads of OUT still see
 * the previous build's files (the changes baseline, .srdi-state).
 * srdi_txn_commit() moves the staged files into OUT (.srdi-state last) and
 * applies deferred removals; srdi_txn_abort() deletes the staging folder, so
 * a failed build leaves OUT exactly as it was.  SIGINT, SIGTERM and SIGHUP
 * delete the staging folder before the process dies; a staging folder left
 * by SIGKILL is removed by the next build into the same OUT.  SIGXFSZ is
 * ignored while a transaction is open, so a file-size limit (ulimit -f)
 * becomes a write error (EFBIG) reported with the file name.
 *
 * One transaction per process; the functions are thread-safe.
 */
#ifndef SRDI_TXN_H
#define SRDI_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include "srdi/error.h"

/**
 * @brief Lock OUT (creating it) and open the staging folder.
 * @param out_dir the output folder OUT (borrowed; its path is copied)
 * @param wait    true: wait for another build's lock; false (--no-wait): fail at once
 * @param quiet   true: no "waiting for …" note
 * @return SRDI_OK; SRDI_ERR_IO (exit 4; message names the folder or lock and
 *         the cause); SRDI_ERR_USAGE for an empty name; SRDI_ERR_INTERNAL when
 *         a transaction is already open; SRDI_ERR_NOMEM
 */
srdi_status srdi_txn_begin(const char *out_dir, bool wait, bool quiet);
/**
 * @brief Publish every staged file into OUT (.srdi-state last), apply the
 * deferred removals, then close the transaction (lock released, staging folder removed).
 * @return SRDI_OK, or SRDI_ERR_IO (message names the file); without a transaction SRDI_OK
 */
srdi_status srdi_txn_commit(void);
/**
 * @brief Publish only OUT/@p rel (if staged), e.g. rejects.csv of a --strict failure.
 * @param rel the path relative to OUT (borrowed)
 * @return SRDI_OK (also when @p rel was not staged), or SRDI_ERR_IO (message set)
 */
srdi_status srdi_txn_publish_one(const char *rel);
/** @brief Drop the staging folder and release the lock (no-op without a transaction). */
void srdi_txn_abort(void);
/** @brief True while a transaction is open. */
bool srdi_txn_active(void);
/**
 * @brief Where @p path (a file under OUT) is right now: its staged copy when
 * this build wrote it, else @p path.  Writes into @p buf (size @p size).
 */
const char *srdi_txn_where(const char *path, char *buf, size_t size);
/** @brief Remove @p path at commit (immediately without a transaction). */
srdi_status srdi_txn_remove(const char *path);

/* ---- added by editions: files staged by worker processes (fork) ---------- */

/** @brief Number of files staged so far by this process (0 without a transaction). */
size_t srdi_txn_staged_count(void);
/**
 * @brief The i-th staged file, relative to OUT.
 * @param i 0 … srdi_txn_staged_count()-1
 * @return borrowed: valid until the transaction ends or stages more; NULL when out of range
 */
const char *srdi_txn_staged_at(size_t i);
/**
 * @brief Take over OUT/@p rel, which a worker process forked from this one
 * staged in the shared staging folder: it is published at commit.
 */
srdi_status srdi_txn_adopt(const char *rel);

#endif
