/*
 * src/report/annotate.c — what the report writes under every table and
 * chart besides the numbers: the source line (from params.ini, never the
 * tool's name) and the small-sample note ("样本量小于30，仅供参考") for rows
 * whose statistic rests on fewer than [claims] min_n observations, and for
 * rows whose basis column (srdi_table_set_basis: T25's mean R&D ratio) rests
 * on fewer.  The rows are flagged on the table (srdi_trow.small), so that a
 * top-N table or a ranking chart names only the rows it shows
 * (srdi_table_note_for, layout_tables.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/report.h"
#include "srdi/tables.h"
#include "srdi/util.h"

/* Does column key @p k hold a row's sample size? */
static bool is_n_col(const char *k)
{
    size_t l = strlen(k);
    return strcmp(k, "n") == 0 || (l > 2 && strcmp(k + l - 2, "_n") == 0);
}

/*
 * Tables that compare the two tiers but carry no sample-size column of
 * their own (T04 holding rates, T08 medians with and without an
 * evaluation, T21 medians, T23 the radar's scores, T27 the honour
 * matrix's lifts): their groups are T01's national and provincial rows.
 */
static bool tier_table(const char *id)
{
    static const char *const ids[] = {"T04", "T08", "T21", "T23", "T27"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

/*
 * Tables that compare national enterprises with single-item champions
 * (T28 the indicator means, T29 the radar's scores), again without a
 * sample-size column: their n is national + champion enterprises.
 */
static bool champion_table(const char *id)
{
    return strcmp(id, "T28") == 0 || strcmp(id, "T29") == 0;
}

/*
 * Append to @p rows the labels of T01's tiers below @p min_n (none of a
 * tier without enterprises); returns how many.  With @p t a champion table the groups are T01's national row and
 * the champions (t->n less the national count).
 */
static size_t small_tiers(const srdi_table *t01, const srdi_table *t, double min_n, srdi_buf *rows)
{
    static const char *const tiers[] = {"national", "provincial"};
    bool champ = champion_table(t->id);
    size_t n = 0;
    int cc = t01 ? srdi_table_col(t01, "count") : -1;
    double national = -1;
    for (size_t k = 0; cc >= 0 && k < 2; k++) {
        int r = srdi_table_row(t01, tiers[k]);
        const srdi_cell *c = r >= 0 ? &t01->rows[r].cells[cc] : NULL;
        if (!c || c->kind != SRDI_CELL_NUM) continue;
        if (k == 0) national = c->num;
        if (k == 1 && champ) break;
        /* a tier without enterprises is no small sample: nothing of it is shown */
        if (c->num > 0 && c->num < min_n)
            srdi_buf_printf(rows, "%s%s", n++ ? "、" : "", t01->rows[r].label ? t01->rows[r].label : tiers[k]);
    }
    if (champ && national >= 0 && t->n >= 0 && (double)t->n - national < min_n)
        srdi_buf_printf(rows, "%s单项冠军企业", n++ ? "、" : "");
    return n;
}

srdi_status srdi_report_annotate(srdi_tableset *ts, const srdi_params *p)
{
    const char *src = srdi_params_str(p, "report", "source", "资料来源：专精特新企业数据库，课题组计算。");
    const char *fin = srdi_params_str(p, "report", "source_financials", "资料来源：专精特新企业财务数据，课题组计算。");
    const char *pat = srdi_params_str(p, "report", "source_patents", "资料来源：专精特新企业专利数据，课题组计算。");
    double min_n = srdi_params_num(p, "claims", "min_n", 30);
    for (size_t i = 0; ts && i < ts->n; i++) {
        srdi_table *t = ts->tables[i];
        const char *old = t->source ? t->source : "";
        const srdi_table_def *def = srdi_tables_def(t->id);
        bool patents = def && def->needs && strncmp(def->needs, "patents.csv", 11) == 0;
        const char *want = strstr(old, "财务") ? fin : patents ? pat : src;
        srdi_status s = srdi_table_set_source(t, want);
        if (s) return s;
        /* the note as the table computed it, before the additions (kept
           when annotated again) */
        if (!t->base_note && !(t->base_note = srdi_strdup(t->note ? t->note : "")))
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory annotating %s", t->id);
        t->small_min = min_n;
        /* rows resting on fewer than min_n observations: flagged, so that a
           table or chart showing some rows names only those (layout_tables.c) */
        size_t nsmall = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            bool small = false;
            for (size_t c = 0; c < t->ncols && !small; c++)
                if ((is_n_col(t->cols[c].key) ||
                     (strcmp(t->cols[c].key, "count") == 0 && srdi_tables_count_is_n(t->id))) &&
                    strcmp(t->rows[r].key, "total") != 0 && t->rows[r].cells[c].kind == SRDI_CELL_NUM &&
                    t->rows[r].cells[c].num > 0 && t->rows[r].cells[c].num < min_n)
                    small = true;
            t->rows[r].small = small;
            nsmall += small;
        }
        free(t->small_groups);
        t->small_groups = NULL;
        if (!nsmall && !t->no_data && (tier_table(t->id) || champion_table(t->id))) {
            srdi_buf groups = {0};
            if (small_tiers(srdi_tableset_get(ts, "T01"), t, min_n, &groups) &&
                !(t->small_groups = srdi_buf_steal(&groups))) {
                srdi_buf_free(&groups);
                return srdi_error_set(SRDI_ERR_NOMEM, "out of memory annotating %s", t->id);
            }
            srdi_buf_free(&groups);
        }
        char *note = NULL;
        bool flagged = false;
        s = srdi_table_note_for(t, SIZE_MAX, &note, &flagged);
        if (s) return s;
        free(t->note);
        t->note = note;
        t->small_sample = flagged; /* a chart drawn from it carries the note too (layout_tables.c) */
    }
    return SRDI_OK;
}
