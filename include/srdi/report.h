/*
 * srdi/report.h — the publication-style PDF report: templates
 * (the .md files of templates/<t>/, cmark-gfm), placeholders and directives, the layout
 * engine over the canvas, and the libharu backend.
 */
#ifndef SRDI_REPORT_H
#define SRDI_REPORT_H

#include "srdi/canvas.h"
#include "srdi/dataset.h"
#include "srdi/fonts.h"
#include "srdi/params.h"
#include "srdi/table.h"

typedef struct srdi_pdf_info {
    const char *title, *author, *subject, *keywords;
    long long   epoch;          /* creation date (SOURCE_DATE_EPOCH) */
} srdi_pdf_info;

/** @brief libharu canvas writing a multi-page PDF to @p path at finish (atomically). */
srdi_canvas *srdi_canvas_hpdf_new(const srdi_fonts *fonts, const char *path, const srdi_pdf_info *info);

typedef struct srdi_report_opts {
    const char          *template_dir;  /* templates/report-2026 */
    const char          *out_path;      /* out/report.pdf */
    const srdi_tableset *tables;
    const srdi_dataset  *d;
    const srdi_params   *params;
    const srdi_fonts    *fonts;
    long long            epoch;
    const char          *scope;         /* "province=江苏省", "city=苏州市" or NULL (national):
                                           scope.kind / scope.name of template conditions */
} srdi_report_opts;

/**
 * @brief Read the templates and give every chart the 图表 number it has in
 * the report (srdi_chart_set_figure_number), so figure files are named as
 * the PDF numbers them.  Needs o->template_dir, o->tables, o->params.
 */
srdi_status srdi_report_figure_numbers(const srdi_report_opts *o);

/**
 * @brief Render the whole report PDF.  Template errors name file and line.
 * Also writes claims.csv next to the PDF: one row per condition of the
 * templates (file,line,condition,holds,rendered,values).
 */
srdi_status srdi_report_render(const srdi_report_opts *o);

#endif
