/*
 * src/canvas/canvas_private.h — what backends (cairo.c, null.c, hpdf.c)
 * share with the generic canvas code.
 */
#ifndef SRDI_CANVAS_PRIVATE_H
#define SRDI_CANVAS_PRIVATE_H

#include "srdi/canvas.h"

/**
 * @brief Initialise the embedded base struct of a backend canvas (page -1, no path).
 * @param c     the backend's canvas (its first member)
 * @param be    the backend's function table (static)
 * @param fonts the fonts (borrowed)
 */
void srdi_canvas_init_base(srdi_canvas *c, const srdi_canvas_backend *be, const srdi_fonts *fonts);

/**
 * @brief Put @p c into an error state (first error sticks); returns the sticky status.
 * @param c  the canvas (NULL: @p st is returned)
 * @param st the error (SRDI_OK changes nothing); the message gets "(drawing WHAT)" when c->what is set
 */
srdi_status srdi_canvas_fail(srdi_canvas *c, srdi_status st);

#endif
