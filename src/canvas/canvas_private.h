/*
 * src/canvas/canvas_private.h — what backends (cairo.c, null.c, hpdf.c)
 * share with the generic canvas code.
 */
#ifndef SRDI_CANVAS_PRIVATE_H
#define SRDI_CANVAS_PRIVATE_H

#include "srdi/canvas.h"

/** @brief Initialise the embedded base struct of a backend canvas (page -1, no path). */
void srdi_canvas_init_base(srdi_canvas *c, const srdi_canvas_backend *be, const srdi_fonts *fonts);

/** @brief Put @p c into an error state (first error sticks); returns the sticky status. */
srdi_status srdi_canvas_fail(srdi_canvas *c, srdi_status st);

#endif
