/*
 * publish.c — a build is a transaction on its output folder: lock OUT,
 * stage every output in a private folder inside OUT, publish them only
 * when the whole build succeeded (srdi/txn.h).
 */
#include "srdi/log.h"
#include "srdi/pipeline.h"
#include "srdi/txn.h"
#include "srdi/util.h"

srdi_status srdi_pipeline_build(const srdi_build_opts *o)
{
    if (!o->out_dir || !*o->out_dir)
        return srdi_error_set(SRDI_ERR_USAGE, "--out needs a folder name, not an empty string");
    srdi_log_set_quiet(o->quiet);
    srdi_status st = srdi_txn_begin(o->out_dir, !o->no_wait, o->quiet);
    if (st != SRDI_OK) return st;
    st = srdi_pipeline_build_staged(o);
    if (st == SRDI_OK) return srdi_txn_commit();
    if (st == SRDI_ERR_DATA) {
        /* --strict: nothing rendered, but the message points at OUT/rejects.csv */
        char msg[2048];
        srdi_strlcpy(msg, srdi_error_message(), sizeof msg);
        if (srdi_txn_publish_one("rejects.csv") == SRDI_OK) srdi_error_set(st, "%s", msg);
    }
    srdi_txn_abort();
    return st;
}
