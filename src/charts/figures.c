/*
 * src/charts/figures.c — standalone figure files: every chart drawn by the
 * cairo backend into out_dir/figures/figNN_<key>.png / .svg, titled like
 * the report's caption ("图表16：…", srdi_chart_figure_title).
 */
#include "srdi/charts.h"

#include <stdio.h>
#include <string.h>

#include "srdi/util.h"

#define CM 28.3464566929 /* points per centimetre */

/* Draw one chart into one file of the given kind. */
static srdi_status write_one(const srdi_chart_def *def, const srdi_table *t, const srdi_params *p, const srdi_fonts *f,
                             const srdi_fignums *nums, const char *path, srdi_cairo_kind kind, double dpi)
{
    char title[320];
    srdi_chart_figure_title(def, nums, title, sizeof title);
    double w = 16 * CM, h = w * (def->aspect > 0.3 && def->aspect < 1.5 ? def->aspect : 0.625);
    /* a chart of horizontal bars showing fewer rows than its top N is set
       shorter, as in the report (srdi_chart_height_share): its plot by that
       share, the 90 pt of title, note and source lines as they are */
    double share = srdi_chart_height_share(def, t, p);
    if (share < 1 && h > 90) h = 90 + (h - 90) * share;
    srdi_canvas *c = srdi_canvas_cairo_new(f, kind, path, w, h, dpi);
    if (!c) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating '%s'", path);
    srdi_status st = srdi_canvas_status(c);
    if (st == SRDI_OK) st = srdi_canvas_cairo_set_title(c, title); /* the file titled like the caption too */
    if (st == SRDI_OK) st = srdi_canvas_begin_page(c, w, h);
    if (st == SRDI_OK) st = srdi_chart_draw_titled(c, def->key, t, p, 0, 0, w, h, title);
    if (st == SRDI_OK) st = srdi_canvas_end_page(c);
    if (st == SRDI_OK) st = srdi_canvas_finish(c);
    srdi_canvas_free(c);
    return st;
}

srdi_status srdi_figures_write(const srdi_tableset *ts, const srdi_params *p, const srdi_fonts *f,
                               const srdi_fignums *nums, const char *out_dir, int want_png, int want_svg, double dpi,
                               int *n_written)
{
    return srdi_figures_write_only(ts, p, f, nums, out_dir, want_png, want_svg, dpi, NULL, 0, n_written);
}

/* True when @p key is one of keys[0..nkeys) (a NULL list means every key). */
static int figures_wanted(const char *key, const char *const *keys, size_t nkeys)
{
    if (!keys) return 1;
    for (size_t i = 0; i < nkeys; i++)
        if (keys[i] && strcmp(keys[i], key) == 0) return 1;
    return 0;
}

srdi_status srdi_figures_write_only(const srdi_tableset *ts, const srdi_params *p, const srdi_fonts *f,
                                    const srdi_fignums *nums, const char *out_dir, int want_png, int want_svg,
                                    double dpi, const char *const *keys, size_t nkeys, int *n_written)
{
    if (n_written) *n_written = 0;
    if (!f || !out_dir) return srdi_error_set(SRDI_ERR_INTERNAL, "figures: no fonts or output directory");
    if (!(dpi > 0)) dpi = 200;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/figures", out_dir);
    srdi_status st = srdi_mkdirs(dir);
    if (st != SRDI_OK) return st;
    size_t n;
    const srdi_chart_def *defs = srdi_charts_list(&n);
    for (size_t i = 0; i < n; i++) {
        const srdi_table *t = NULL;
        srdi_table *own = NULL; /* a derived chart's table (M31) */
        if (!figures_wanted(defs[i].key, keys, nkeys)) continue;
        if (defs[i].table) {
            t = ts ? srdi_tableset_get(ts, defs[i].table) : NULL;
            if (!t) continue;
        } else if (srdi_chart_derived(defs[i].key)) {
            if ((st = srdi_chart_derived_table(defs[i].key, ts, p, &own)) != SRDI_OK) return st;
            if (!(t = own)) continue; /* its source tables are not in the set */
        }
        char path[4200], rel[256];
        for (int k = 0; k < 2; k++) {
            if (k == 0 && !want_png) continue;
            if (k == 1 && !want_svg) continue;
            srdi_chart_file_name(&defs[i], nums, k == 0 ? "png" : "svg", rel, sizeof rel);
            snprintf(path, sizeof path, "%s/%s", out_dir, rel);
            st = write_one(&defs[i], t, p, f, nums, path, k == 0 ? SRDI_CAIRO_PNG : SRDI_CAIRO_SVG, dpi);
            if (st != SRDI_OK) break;
            if (n_written) (*n_written)++;
        }
        srdi_table_free(own);
        if (st != SRDI_OK) return st;
    }
    return SRDI_OK;
}
