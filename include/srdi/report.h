/*
 * srdi/report.h — the publication-style PDF report: templates
 * (the .md files of templates/<t>/, cmark-gfm), placeholders and directives, the layout
 * engine over the canvas, and the libharu backend.
 */
#ifndef SRDI_REPORT_H
#define SRDI_REPORT_H

#include "srdi/canvas.h"
#include "srdi/charts.h"
#include "srdi/dataset.h"
#include "srdi/fonts.h"
#include "srdi/params.h"
#include "srdi/table.h"

typedef struct srdi_report_opts {
    const char *template_dir; /* templates/report-2026 */
    const char *out_path;     /* out/report.pdf */
    const srdi_tableset *tables;
    const srdi_dataset *d;
    const srdi_params *params;
    const srdi_fonts *fonts;
    long long epoch;
    const char *scope;             /* "province=江苏省", "city=苏州市" or NULL (national):
                                           scope.kind / scope.name of template conditions */
    const srdi_tableset *national; /* a regional edition's benchmark over the whole data set
                                           ({{national:…}}, 全国 columns); NULL for the nation */
    const srdi_tableset *province; /* a city edition's province ({{province:…}}), else NULL */
    const char *breaks_path;       /* the line breaks kept from render to render (OUT/.srdi-breaks:
                                           read before the layout, rewritten after a render), or NULL */
    uint64_t breaks_key;           /* what a line break depends on besides its text: the program, the fonts */
    bool breaks_reuse;             /* false (--force): the files are written, not read */
    const char *streams_path;      /* the PDF's deflated streams kept from render to render
                                           (OUT/.srdi-streams, srdi_canvas_hpdf_set_streams), or NULL */
    const char *layout_path;       /* the last render's layout (OUT/.srdi-layout): the PDF is drawn from it while
                                           the layout is worked out, and kept when that comes out the same; NULL: none */
} srdi_report_opts;

/**
 * @brief Threads a report's layout may use (process-wide; 1 by default):
 * the make-up option passes run on up to n threads.  The PDF does not
 * depend on n.
 * @param n threads (below 1: 1)
 */
void srdi_report_set_threads(int n);

/**
 * @brief Keep the line breaks of the renders on this thread from one render
 * to the next (@p on), or forget them (!@p on; frees what was kept).  A
 * render that keeps no break file (srdi_report_opts.breaks_path NULL) looks
 * its paragraphs up there first: the editions of a split break the
 * paragraphs they share (headings, captions, fixed text, table labels)
 * once per worker.  A break is a function of its whole input, which is the
 * key, so the PDFs are the same bytes either way.
 * @param on keep (true) or forget (false)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; nothing is kept)
 */
srdi_status srdi_report_keep_breaks(bool on);
/** @brief How many line breaks this thread keeps from render to render (srdi_report_keep_breaks; 0: none kept). */
size_t srdi_report_breaks_kept(void);
/** @brief PDFs of this process kept as drawn from the last render's layout (srdi_report_opts.layout_path; tests). */
size_t srdi_report_layouts_reused(void);

/** The report's templates, parsed once (every template warning prints once). */
typedef struct srdi_report srdi_report;

/**
 * @brief Set every table's source line from params.ini ([report] source,
 * source_financials, source_patents) and note the rows whose sample size
 * (column n or *_n) is below [claims] min_n: "…样本量小于30，仅供参考。".
 * @param ts the tables, changed in place (NULL: nothing to do)
 * @param p  the parameters
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; tables partly annotated)
 */
srdi_status srdi_report_annotate(srdi_tableset *ts, const srdi_params *p);

/**
 * @brief Read and parse the templates of o->template_dir against o->tables
 * and o->params (placeholders, conditions, chart and table directives).
 * @param o   the options (borrowed for the call)
 * @param out receives the parsed report (free with srdi_report_free); NULL on failure
 * @return SRDI_OK; SRDI_ERR_USAGE without a template folder; SRDI_ERR_TEMPLATE
 *         or SRDI_ERR_IO (file and line in the message); SRDI_ERR_NOMEM
 */
srdi_status srdi_report_load(const srdi_report_opts *o, srdi_report **out);
/** @brief Free a parsed report. @param r the report (NULL is fine) */
void srdi_report_free(srdi_report *r);

/**
 * @brief The 图表 number and caption every chart has in the report, into @p nums
 * (charts the report does not show keep 0: the 2026 edition's number), so
 * figure files are named and titled as the PDF numbers and captions them.
 * @param r    the parsed report
 * @param nums cleared, then filled (numbers and copies of the captions)
 */
void srdi_report_figure_numbers(const srdi_report *r, srdi_fignums *nums);

/**
 * @brief Render the parsed report @p r to o->out_path (atomically), in two
 * passes (the first learns the pages of the 目录).  Also writes claims.csv next
 * to the PDF (江苏省.claims.csv beside 江苏省.pdf): one row per condition of
 * the templates (file,line,condition,holds,rendered,values).  Read-only on @p r,
 * so several editions may render one parsed report in turn.
 * @param r the parsed report
 * @param o the options (o->out_path and o->fonts required)
 * @return SRDI_OK; SRDI_ERR_USAGE without them; the first error otherwise
 *         (SRDI_ERR_TEMPLATE with file and line, SRDI_ERR_FONT, SRDI_ERR_RENDER,
 *         SRDI_ERR_IO, SRDI_ERR_NOMEM; message set)
 */
srdi_status srdi_report_render_parsed(const srdi_report *r, const srdi_report_opts *o);

/**
 * @brief Parse and render the whole report PDF (srdi_report_load, then srdi_report_render_parsed).
 * @param o the options
 * @return as those two
 */
srdi_status srdi_report_render(const srdi_report_opts *o);

#endif
