/*
 * src/canvas/null.c — the null backend: measures text and records text
 * boxes (through the generic canvas), draws and writes nothing.  Used by
 * tests and by the layout engine's measuring pass.
 */
#include "canvas_private.h"

#include <stdlib.h>

/* The null canvas needs nothing beyond the base struct. */
typedef struct null_canvas {
    srdi_canvas base; /* must be first */
} null_canvas;

/* Free the struct (the generic code has freed the boxes). */
static void null_destroy(srdi_canvas *c)
{
    free(c);
}

/* Every drawing entry is NULL: the generic code skips missing entries. */
static const srdi_canvas_backend null_backend = {
    .name = "null",
    .destroy = null_destroy,
};

/* Returns a new null canvas (caller frees with srdi_canvas_free), NULL on OOM. */
srdi_canvas *srdi_canvas_null_new(const srdi_fonts *fonts)
{
    null_canvas *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    srdi_canvas_init_base(&n->base, &null_backend, fonts);
    return &n->base;
}
