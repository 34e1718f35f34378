/*
 * src/report/report_private.h — internals of the report module shared by
 * the template engine (template.c), the line breaker (linebreak.c), the
 * layout engine (layout.c) and the tests (tests/test_report*.c).
 *
 * Ownership: an report_doc owns every block, run and string reachable from it;
 * report_doc_free releases them all.
 */
#ifndef SRDI_REPORT_PRIVATE_H
#define SRDI_REPORT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include "srdi/fonts.h"
#include "srdi/params.h"
#include "srdi/report.h"
#include "srdi/table.h"
#include "cond.h"

/* ------------------------------------------------------------- inline text */

enum {
    REPORT_BOLD = 1,  /* **strong** */
    REPORT_EMPH = 2,  /* *emphasis* (set in the sans face) */
    REPORT_FNREF = 4, /* footnote reference: text is the number, set superscript */
    REPORT_BREAK = 8  /* hard line break (text empty) */
};

typedef struct report_run {
    char *text;     /* UTF-8, owned */
    unsigned style; /* REPORT_* bits */
    int footnote;   /* global footnote number when REPORT_FNREF, else 0 */
} report_run;

typedef struct report_inline {
    report_run *runs;
    size_t n, cap;
} report_inline;

/* ------------------------------------------------------------------ blocks */

typedef enum report_kind {
    RB_HEADING,   /* level 1–3; number "第一章" / "1.1" / "" */
    RB_PARA,      /* body paragraph (first-line indent) */
    RB_ITEM,      /* list item paragraph: marker + hanging indent */
    RB_PIPE,      /* narrative pipe table (cells as plain strings) */
    RB_CHART,     /* ::: chart / ::: chart+table */
    RB_TABLE,     /* ::: table */
    RB_PAGEBREAK, /* ::: pagebreak */
    RB_TOC,       /* generated 目录 */
    RB_LOF,       /* generated 图表目录 */
    RB_COVER      /* the cover page (from 00-cover.md) */
} report_kind;

typedef struct report_block {
    report_kind kind;
    int file;           /* index into report_doc.files */
    int line;           /* 1-based source line */
    int level;          /* heading level; list depth (0 = top) */
    bool chapter;       /* heading in a chapter file (numbered, starts a page) */
    char *number;       /* heading number / list marker ("" if none) */
    report_inline text; /* heading / paragraph / item text */

    /* RB_PIPE */
    size_t ncols, nrows; /* nrows counts the header row */
    char **cells;        /* nrows × ncols, row-major, owned */
    int *align;          /* per column: 0 left, 1 centre, 2 right */

    /* figures: RB_CHART, RB_TABLE and RB_PIPE/RB_ITEM bodies of ::: figure */
    int fig;         /* 图表 number, 0 when not a numbered figure */
    bool fig_first;  /* first block of a ::: figure body (caption goes above) */
    bool fig_last;   /* last block of a ::: figure body (source goes below) */
    char *caption;   /* caption title without "图表N："; owned */
    char *source;    /* 资料来源 line or NULL */
    char key[16];    /* table / chart key: "T13", "S48" */
    bool with_table; /* RB_CHART written as chart+table */
    int top;         /* top=N (0 = all rows) */
    char **colsel;   /* cols=… keys, owned */
    size_t ncolsel;

    /* RB_COVER: title, subtitle and the lines below (owned) */
    char **cover_lines;
    int *cover_level; /* 1 title, 2 subtitle, 0 other line */
    size_t ncover;
} report_block;

typedef struct report_footnote {
    int number; /* global, 1-based */
    report_inline text;
} report_footnote;

typedef struct report_figure {
    int number;    /* 图表 number */
    char *caption; /* owned */
    size_t block;  /* index of its (first) block */
} report_figure;

typedef struct report_doc {
    char **files; /* display paths, "templates/report-2026/20-ch2.md" */
    size_t nfiles;
    report_block *blocks;
    size_t nblocks, capblocks;
    report_footnote *notes;
    size_t nnotes, capnotes;
    report_figure *figs;
    size_t nfigs, capfigs;
    report_claims claims; /* every {{#if}} / {{else if}} / {{else}} evaluated (claims.csv) */
} report_doc;

/* ---------------------------------------------------------- template engine */

/* What placeholders and directives see. */
typedef struct report_ctx {
    const srdi_tableset *tables;   /* may be NULL (then every T-placeholder is unknown) */
    const srdi_params *params;     /* may be NULL */
    const char *scope_kind;        /* "national" (NULL), "province" or "city": scope.kind */
    const char *scope_name;        /* "全国" (NULL), "江苏省", "苏州市": scope.name */
    const srdi_tableset *national; /* benchmark "national:" — the whole data set (NULL: tables) */
    const srdi_tableset *province; /* benchmark "province:" — a city's province (NULL: tables) */
} report_ctx;

/**
 * @brief Benchmark prefix at @p p: "national:" or "province:" → its length, and the
 * tables it reads in *ts (the build's own tables when the edition has no
 * such benchmark: a national build is its own 全国); else 0.  (scope.c)
 * @param p   the text
 * @param ctx the edition
 * @param ts  receives the benchmark tables
 */
size_t report_bench_prefix(const char *p, const report_ctx *ctx, const srdi_tableset **ts);

/* A scope.* value: text (kind, name, province …) or a number with its column. */
typedef struct report_scope_val {
    bool is_text;
    char text[192];
    srdi_cell cell;       /* NUM, or ABSENT when the scope has no such value */
    const srdi_tcol *col; /* static column giving the format */
} report_scope_val;

/**
 * @brief The table @p t as a regional edition prints it (bench.c): the columns @p b
 * selects, each numeric one followed by the same statistic over the
 * edition's province (o->province) and the whole data set (o->national);
 * T16 with the ranks within the scope and in the nation.  *out = NULL when
 * the table prints as computed (the national report, a table over the whole
 * data set); else the caller frees *out and lays it out with @p vb (the
 * block without its column selection).
 * @param o   the report options (the benchmarks)
 * @param t   the table
 * @param b   the block (its column selection)
 * @param out receives the edition's view, or NULL
 * @param vb  receives the block to lay it out with
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status report_bench_view(const srdi_report_opts *o, const srdi_table *t, const report_block *b, srdi_table **out,
                              report_block *vb);

/**
 * @brief Resolve @p name ("scope.rank", "scope.city_rank" …; docs/templates.md) in
 * the context's scope.  false with the reason in @p why for an unknown name.
 * @param ctx   the edition
 * @param name  the scope.* name
 * @param out   receives the value
 * @param why   receives the reason
 * @param wsize the size of @p why
 */
bool report_scope_value(const report_ctx *ctx, const char *name, report_scope_val *out, char *why, size_t wsize);

/**
 * @brief Read every *.md of @p dir in file-name order (display names are
 * dir + "/" + name), assign 图表 numbers, expand placeholders and parse with
 * cmark-gfm into a new document (caller frees with report_doc_free).
 * Errors (SRDI_ERR_TEMPLATE, SRDI_ERR_IO) name file and line.
 * @param dir the template folder
 * @param ctx the tables, params and scope
 * @param out receives the document
 */
srdi_status report_doc_load(const char *dir, const report_ctx *ctx, report_doc **out);

/**
 * @brief Same as report_doc_load for in-memory files: @p names[i] (display name, its
 * base name decides the role: 00… cover, 01… preface, 10…89 chapters) and
 * @p texts[i], already in order.
 * @param names the display names
 * @param texts the files' text
 * @param n     their count
 * @param ctx   the tables, params and scope
 * @param out   receives the document (report_doc_free)
 * @return SRDI_OK, SRDI_ERR_TEMPLATE (file and line) or SRDI_ERR_NOMEM
 */
srdi_status report_doc_parse(const char *const *names, const char *const *texts, size_t n, const report_ctx *ctx,
                             report_doc **out);
/** @brief Free a parsed document and everything it owns. @param d the document (NULL is fine) */
void report_doc_free(report_doc *d);

typedef struct report_refs report_refs;
/*
 * Expand the placeholders of one line of text into @p out (appended).
 * @p refs maps directive ids to 图表 numbers (see template_expand.c).  On error,
 * records "file:line: unknown placeholder {{…}}: reason" and returns
 * SRDI_ERR_TEMPLATE.  @p md_escape backslash-escapes ASCII punctuation of
 * substituted values so Markdown does not reinterpret them.
 * @param line      the text
 * @param len       its length
 * @param ctx       the tables, params and scope
 * @param refs      the directive numbers (may be NULL)
 * @param file      the file name for messages
 * @param lineno    the line number for messages
 * @param md_escape escape Markdown punctuation in values
 * @param out       appended to
 */
srdi_status report_expand_line(const char *line, size_t len, const report_ctx *ctx, const report_refs *refs,
                               const char *file, int lineno, bool md_escape, srdi_buf *out);

/**
 * @brief Plain text of an inline (runs concatenated, footnote refs left out); caller frees;
 * NULL when out of memory (message set).
 * @param in the inline
 */
char *report_inline_plain(const report_inline *in);

/* ------------------------------------------------------------ line breaking */

/* One styled piece of text to be broken into lines. */
typedef struct report_span {
    const char *text; /* UTF-8, borrowed */
    size_t len;
    srdi_font font;
    int tag; /* caller's tag (run index …), copied to pieces */
    bool superscript;
} report_span;

/* A piece of a line: bytes [start, end) of span @p span, drawn at x (relative to the line start). */
typedef struct report_piece {
    size_t span;
    size_t start, end;
    double x, w;
} report_piece;

typedef struct report_line {
    size_t first, count; /* pieces[first … first+count) */
    double width;        /* natural width (trailing spaces excluded) */
    bool last;           /* last line of the paragraph (or before a hard break): not justified */
} report_line;

typedef struct report_lines {
    report_piece *pieces;
    size_t npieces, cappieces;
    report_line *lines;
    size_t nlines, caplines;
} report_lines;

/**
 * @brief Break @p spans into lines of at most @p width points (the first line
 * @p first_width, for indents) with UAX #14 opportunities (libunibreak) plus
 * the CJK rules: no line starts with ，。、；：？！ or a closing bracket, none
 * ends with an opening bracket; Latin words and digit runs stay whole unless
 * longer than a line.  When @p justify, the pieces of every line but the last
 * are spread to the full width (CJK characters and spaces take the slack).
 * A span text of "\n" is a hard break.  @p out must be zeroed or reused.
 * @param f           the fonts (measuring)
 * @param spans       the text
 * @param nspans      their count
 * @param first_width the first line's width
 * @param width       the other lines' width
 * @param justify     spread the pieces of full lines
 * @param out         receives the lines (report_lines_free)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status report_break_lines(const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                               double width, bool justify, report_lines *out);
/**
 * @brief report_break_lines set tight where that saves a line: each gap between
 * the justification units of a line may close up by up to @p tight em (a
 * line is set tight only when the paragraph has fewer lines so).
 * @param f           the fonts
 * @param spans       the text
 * @param nspans      their count
 * @param first_width the first line's width
 * @param width       the other lines' width
 * @param justify     spread the pieces of full lines
 * @param tight       the share of an em a gap may close up (0: report_break_lines)
 * @param out         receives the lines (report_lines_free)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status report_break_lines_tight(const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                                     double width, bool justify, double tight, report_lines *out);
/**
 * @brief Words mode for table cells, chart labels and boxes: lines break only at
 * spaces, after punctuation (、，；：） …) and before an opening bracket,
 * so a CJK name, a number with its unit and a code with its name stay
 * whole when they fit; a word longer than @p width is split between
 * characters, never leaving one character alone.  Not justified.
 * @param f      the fonts
 * @param spans  the text
 * @param nspans their count
 * @param width  the line width
 * @param out    receives the lines (report_lines_free)
 * @return SRDI_OK, or SRDI_ERR_NOMEM
 */
srdi_status report_break_words(const srdi_fonts *f, const report_span *spans, size_t nspans, double width,
                               report_lines *out);
/**
 * @brief Width of the widest unbreakable word of @p spans in words mode.
 * @param f      the fonts
 * @param spans  the text
 * @param nspans their count
 * @param widest receives the width (0 on error)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status report_widest_word(const srdi_fonts *f, const report_span *spans, size_t nspans, double *widest);
/** @brief Free the lines of @p l (the struct is the caller's). */
void report_lines_free(report_lines *l);
/*
 * The lines already broken in a render, to copy out when the same spans are
 * broken again with the same widths and mode (each layout pass breaks every
 * paragraph anew).  The cache is seen by the thread that set it only.
 */
typedef struct report_break_cache report_break_cache;
/** @brief A new empty break cache; NULL when out of memory (then nothing is cached). */
report_break_cache *report_break_cache_new(void);
/** @brief Free @p c and what it kept (NULL is fine). @param c the cache */
void report_break_cache_free(report_break_cache *c);
/**
 * @brief Make @p c the cache of this thread's breaks (NULL: none).
 * @param c the cache (borrowed until replaced)
 * @return the cache that was in use before (to put back)
 */
report_break_cache *report_break_cache_use(report_break_cache *c);
/*
 * The breaks of the previous render of an output, read from its file
 * (linebreak.c: OUT/.srdi-breaks), looked in by the caches attached to it
 * after their own entries; the render's breaks are written back at its end.
 * Its entries are read-only: the render's threads share it.
 */
typedef struct report_break_store report_break_store;
/**
 * @brief Read the store of @p path (a missing, damaged or other-key file: an empty store).
 * @param path the file (NULL: an empty store)
 * @param key  what the breaks depend on besides their input (the program, the fonts)
 * @param f    the fonts of the render (only breaks asked with them are looked up)
 * @return the store (free with report_break_store_free); NULL when out of memory
 */
report_break_store *report_break_store_load(const char *path, uint64_t key, const srdi_fonts *f);
/** @brief Free @p st and the caches it adopted (NULL is fine). @param st the store */
void report_break_store_free(report_break_store *st);
/**
 * @brief Let @p c look in @p st after its own entries.
 * @param c  the cache (NULL: nothing)
 * @param st the store (borrowed; NULL: none)
 */
void report_break_cache_attach(report_break_cache *c, report_break_store *st);
/** @brief The breaks @p c made itself (not those it found in its store; tests). @param c the cache (NULL: 0) */
size_t report_break_cache_count(const report_break_cache *c);
/** @brief The store the cache of this thread looks in (NULL: none). */
report_break_store *report_break_cache_store(void);
/**
 * @brief Keep the breaks of @p c, a helper thread's ended cache, for the file
 * @p st writes (thread-safe).
 * @param st the store (NULL: @p c is freed)
 * @param c  the cache (owned by @p st from now on; NULL: nothing)
 */
void report_break_store_adopt(report_break_store *st, report_break_cache *c);
/**
 * @brief Write the breaks the render used or made — entries of @p st used,
 * the breaks of @p main and of the adopted caches, each once — to @p path
 * (atomically; staged in an open transaction).
 * @param st   the store (NULL: nothing written)
 * @param main the render's main cache (NULL: none)
 * @param path the file (NULL: nothing written)
 * @param key  the key given to report_break_store_load
 * @return SRDI_OK; SRDI_ERR_IO (message names the file) or SRDI_ERR_NOMEM
 */
srdi_status report_break_store_save(report_break_store *st, report_break_cache *main, const char *path, uint64_t key);
/*
 * Answers of the layout kept through a render (layout_memo.c): the height a
 * figure block needs, whether a chart is empty.  Seen by the thread that set
 * it only; it forgets everything when asked about another document.
 */
typedef struct report_layout_memo report_layout_memo;
/** @brief A new empty layout memo; NULL when out of memory (then nothing is kept). */
report_layout_memo *report_layout_memo_new(void);
/** @brief Free @p m (NULL is fine). @param m the memo */
void report_layout_memo_free(report_layout_memo *m);
/**
 * @brief Make @p m this thread's layout memo (NULL: none).
 * @param m the memo (borrowed until replaced)
 * @return the memo that was in use before (to put back)
 */
report_layout_memo *report_layout_memo_use(report_layout_memo *m);
/**
 * @brief UTF-8 text of line @p i (pieces joined; trailing spaces dropped); caller frees.
 * @param l     the lines
 * @param spans their spans
 * @param i     the line index
 */
char *report_line_text(const report_lines *l, const report_span *spans, size_t i);
/**
 * @brief GB/T 15834 spacing (srdi_cjk_spacing: no space between a Han character
 * and a digit or Latin letter) over every text of @p d (paragraphs, headings,
 * captions, cells, notes, cover).
 */
void report_doc_spacing(report_doc *d);

/* ------------------------------------------------------------------ layout */

/* Page number (1-based, as printed) where each heading / figure ended up; filled by layout. */
typedef struct report_layout_result {
    int npages;        /* total pages */
    int body_first;    /* 0-based index of the first decimal-numbered page */
    int *block_page;   /* per block: 0-based page index where it starts (-1 if not placed) */
    double *block_y;   /* per block: y where it starts */
    size_t nchap;      /* level-1 headings (chapters, 前言 …) */
    int *chap_opt;     /* per chapter: make-up option chosen for page fill (owned) */
    double *chap_fill; /* per chapter: share of the type area its last page fills */
    int *chap_score;   /* per chapter: make-up faults (layout.c's make-up score; lower is better) */
    size_t *chap_brk;  /* per chapter: the block before which it turns the page to fill its last page (SIZE_MAX: none) */
    int *chap_last;    /* per chapter: 0-based index of its last page */
    int *chap_bare;    /* per chapter: 0-based index of its first page of figures without two lines of text (-1: none) */
} report_layout_result;

/**
 * @brief Lay the document out on @p c (pass 1: a null canvas; pass 2: the PDF).
 * @p prev: the pass-1 result (page numbers for 目录 / 图表目录), or NULL: pass 1,
 * whose canvas only measures (its lines of text are not drawn on it).
 * @p res receives this pass's result (caller frees with report_layout_result_free).
 * @param d    the parsed document
 * @param o    the report options
 * @param c    the canvas
 * @param prev the pass-1 result, or NULL
 * @param res  receives this pass's result
 * @return the canvas status, SRDI_ERR_TEMPLATE or SRDI_ERR_NOMEM
 */
srdi_status report_layout(const report_doc *d, const srdi_report_opts *o, srdi_canvas *c,
                          const report_layout_result *prev, report_layout_result *res);
/** @brief Free what a layout pass recorded in @p r (the struct is the caller's). */
void report_layout_result_free(report_layout_result *r);
/**
 * @brief Whether @p a and @p b agree on all the PDF pass reads of a pass
 * before it (layout_guess.c): pages, first body page, each block's page and
 * place, each chapter's option and page turn.
 */
bool report_layout_same(const report_doc *doc, const report_layout_result *a, const report_layout_result *b);
/**
 * @brief The layout the last render kept in @p path (layout_guess.c) into
 * @p g, for a document of @p doc's blocks; false (nothing in @p g) when there
 * is none or it does not read whole.
 */
bool report_layout_guess_load(const char *path, const report_doc *doc, report_layout_result *g);
/**
 * @brief Keep layout @p r of @p doc in @p path (atomically) for the next render.
 * @return SRDI_OK; SRDI_ERR_IO (message names the file) or SRDI_ERR_NOMEM
 */
srdi_status report_layout_guess_save(const char *path, const report_doc *doc, const report_layout_result *r);

/**
 * @brief "第一章" style numbers: 1 → 一, 10 → 十, 12 → 十二 into @p buf (outside 1–99: digits).
 * @param n    the number
 * @param buf  the output
 * @param size its size
 */
void report_chinese_number(int n, char *buf, size_t size);
/**
 * @brief Lower-case roman numeral of n (1..3999) into buf.
 * @param n    the number
 * @param buf  the output
 * @param size its size
 */
void report_roman(int n, char *buf, size_t size);

/* ------------------------------------------------ input checks (tcheck.c) */

/* Deepest nesting of lists and block quotes a template may use. */
#define REPORT_MAX_NESTING 8
/* Deepest nesting of emphasis, strong emphasis and links inside a paragraph. */
#define REPORT_MAX_INLINE_NESTING 16

/**
 * @brief The bytes of template file @p name: no NUL byte, valid UTF-8 (no overlong
 * forms, surrogates or truncated sequences), no control characters other
 * than tab, CR and LF.  Error: SRDI_ERR_TEMPLATE naming "name:line:column".
 * @param name the file name for messages
 * @param text its bytes
 * @param len  their count
 */
srdi_status report_check_bytes(const char *name, const char *text, size_t len);

struct cmark_node;
/**
 * @brief Nesting of lists and block quotes in a parsed cmark document at most
 * REPORT_MAX_NESTING, of emphasis/links at most REPORT_MAX_INLINE_NESTING
 * (walked without recursion).  Error names "name:line".
 * @param name the file name for messages
 * @param doc  the parsed document (borrowed)
 */
srdi_status report_check_nesting(const char *name, struct cmark_node *doc);

#endif
