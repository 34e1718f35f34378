/*
 * src/report/template_private.h — private to the template engine
 * (template.c, template_expand.c, template_directive.c, template_walk.c):
 * the ::: directives of the templates and their 图表 numbers (report_refs),
 * the state of the walk over a file's cmark-gfm tree, and the document
 * helpers the parts share.
 *
 * Ownership: a report_directive owns its strings (freed with the refs); a
 * block or inline added to a document belongs to the document
 * (report_doc_free).  Every srdi_status function records its message.
 */
#ifndef SRDI_REPORT_TEMPLATE_PRIVATE_H
#define SRDI_REPORT_TEMPLATE_PRIVATE_H

#include <cmark-gfm.h>
#include "report_private.h"

typedef enum { DIR_CHART, DIR_TABLE, DIR_FIGURE, DIR_SOURCE, DIR_PAGEBREAK } dir_kind;

typedef struct report_directive {
    dir_kind kind;
    int file, line;
    char key[16];    /* table / chart key, or the figure id (truncated copy) */
    char *figid;     /* figure id (owned) */
    char *caption;   /* quoted title or NULL (owned) */
    char *source;    /* ::: source text (owned) */
    bool with_table; /* chart+table */
    int top;
    char **cols;
    size_t ncols;
    int fig; /* 图表 number (chart / table / figure) */
} report_directive;

struct report_refs {
    report_directive *d;
    size_t n, cap;
};

typedef struct walk {
    report_doc *doc;
    const report_refs *refs;
    int file;
    int role;
    int fn_base; /* footnotes numbered before this file */
    int *chapter, *section;
    int pending_fig;    /* directive index of a ::: figure waiting for its body, or -1 */
    int last_fig_block; /* index of the last block of the last figure, or -1 */
    report_block *cover;
    const report_ctx *ctx; /* tables, for caption fallbacks */
    const int *orig;       /* source line of each expanded line (1-based index) */
    size_t norig;
} walk;

/* template.c: the document helpers. */
/* Record "out of memory" and return SRDI_ERR_NOMEM. */
srdi_status report_nomem(void);
/* Append @p len bytes of @p text as a run with @p style (and footnote @p fn, or -1) to @p in. */
srdi_status report_inline_add(report_inline *in, const char *text, size_t len, unsigned style, int fn);
/* Free the runs of @p in (not @p in itself). */
void report_inline_free(report_inline *in);
/* A new block of kind @p k appended to @p d (from @p file, source @p line); NULL when out of memory. */
report_block *report_doc_add(report_doc *d, report_kind k, int file, int line);
/* Record 图表 @p number with @p caption starting at block index @p block. */
srdi_status report_doc_add_fig(report_doc *d, int number, const char *caption, size_t block);

/* template_expand.c: placeholders. */
/*
 * Expand prose line @p line as report_expand_line (Markdown-escaped) into
 * @p out; when a placeholder of it printed an empty value ("—") and the line
 * is a paragraph or list item, the line is replaced by the no-data sentence
 * (a list item keeps its marker) and a warning names the line.
 */
srdi_status report_expand_prose_line(const char *line, const report_ctx *ctx, const report_refs *refs, const char *file,
                                     int lineno, srdi_buf *out);
/* Start counting the placeholders printed "—" for a missing row (the first five are named). */
void report_placeholder_warnings_begin(void);
/* Warn once how many more than five were printed since report_placeholder_warnings_begin. */
void report_placeholder_warnings_end(void);

/* template_directive.c: ::: lines. */
/* Is line k (0-based) of @p lines (n) a standalone ":::" paragraph? */
bool report_is_directive_line(char **lines, size_t n, size_t k);
/*
 * Parse the expanded directive @p text (file @p file, line @p line) into
 * @p d (its strings owned by @p d); SRDI_ERR_TEMPLATE naming the line for a
 * bad directive, an unknown chart or table.
 */
srdi_status report_parse_directive(const char *text, const report_ctx *ctx, const char *file, int line,
                                   report_directive *d);

/* template_walk.c: a file's text → blocks of w->doc (cmark-gfm, table and footnote extensions). */
srdi_status report_parse_file(walk *w, const char *text, size_t len);

#endif
