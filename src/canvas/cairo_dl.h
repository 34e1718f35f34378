/*
 * src/canvas/cairo_dl.h — the cairo functions the figure files
 * (src/canvas/cairo.c) call, through a
 * table filled when the library is first needed (srdi/dl.h): a run that
 * never calls them never loads it.  Every source that calls the library
 * includes this header in place of the library's own: the names below are
 * then the table's members.  A function called for the first time is added
 * to SRDI_CAIRO_FNS.
 */
#ifndef SRDI_CAIRO_DL_H
#define SRDI_CAIRO_DL_H

#include <cairo.h>
#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "srdi/dl.h"

#define SRDI_CAIRO_FNS(X) \
    X(cairo_clip) \
    X(cairo_close_path) \
    X(cairo_copy_clip_rectangle_list) \
    X(cairo_create) \
    X(cairo_curve_to) \
    X(cairo_destroy) \
    X(cairo_fill) \
    X(cairo_fill_preserve) \
    X(cairo_font_face_destroy) \
    X(cairo_font_face_reference) \
    X(cairo_font_face_status) \
    X(cairo_font_options_create) \
    X(cairo_font_options_destroy) \
    X(cairo_font_options_set_antialias) \
    X(cairo_font_options_set_hint_metrics) \
    X(cairo_font_options_set_hint_style) \
    X(cairo_format_stride_for_width) \
    X(cairo_ft_font_face_create_for_ft_face) \
    X(cairo_get_group_target) \
    X(cairo_get_matrix) \
    X(cairo_get_operator) \
    X(cairo_glyph_extents) \
    X(cairo_glyph_path) \
    X(cairo_image_surface_create) \
    X(cairo_image_surface_create_for_data) \
    X(cairo_image_surface_get_data) \
    X(cairo_image_surface_get_height) \
    X(cairo_image_surface_get_stride) \
    X(cairo_image_surface_get_width) \
    X(cairo_line_to) \
    X(cairo_move_to) \
    X(cairo_new_path) \
    X(cairo_paint) \
    X(cairo_pdf_surface_create) \
    X(cairo_pdf_surface_set_size) \
    X(cairo_rectangle_list_destroy) \
    X(cairo_restore) \
    X(cairo_rotate) \
    X(cairo_save) \
    X(cairo_scale) \
    X(cairo_set_dash) \
    X(cairo_set_font_face) \
    X(cairo_set_font_options) \
    X(cairo_set_font_size) \
    X(cairo_set_line_join) \
    X(cairo_set_line_width) \
    X(cairo_set_source_rgb) \
    X(cairo_set_source_rgba) \
    X(cairo_set_source_surface) \
    X(cairo_show_glyphs) \
    X(cairo_show_page) \
    X(cairo_status) \
    X(cairo_status_to_string) \
    X(cairo_stroke) \
    X(cairo_surface_destroy) \
    X(cairo_surface_finish) \
    X(cairo_surface_flush) \
    X(cairo_surface_mark_dirty) \
    X(cairo_surface_mark_dirty_rectangle) \
    X(cairo_surface_status) \
    X(cairo_svg_surface_create) \
    X(cairo_svg_surface_set_document_unit) \
    X(cairo_translate) \
    X(cairo_user_to_device)

/** The functions, as pointers of their own types (filled by srdi_cairo_load). */
typedef struct srdi_cairo_fns {
#define SRDI_DL_MEMBER(f) __typeof__(&f) f;
    SRDI_CAIRO_FNS(SRDI_DL_MEMBER)
#undef SRDI_DL_MEMBER
} srdi_cairo_fns;

extern srdi_cairo_fns srdi_cairo;

/**
 * @brief Load libcairo.so.2 and fill srdi_cairo, once for the process (srdi_dl_load).
 * @return SRDI_OK; SRDI_ERR_RENDER, message set, when the library cannot be loaded
 */
srdi_status srdi_cairo_load(void);

/* from here on each name is the table's member */
#define cairo_clip (srdi_cairo.cairo_clip)
#define cairo_close_path (srdi_cairo.cairo_close_path)
#define cairo_copy_clip_rectangle_list (srdi_cairo.cairo_copy_clip_rectangle_list)
#define cairo_create (srdi_cairo.cairo_create)
#define cairo_curve_to (srdi_cairo.cairo_curve_to)
#define cairo_destroy (srdi_cairo.cairo_destroy)
#define cairo_fill (srdi_cairo.cairo_fill)
#define cairo_fill_preserve (srdi_cairo.cairo_fill_preserve)
#define cairo_font_face_destroy (srdi_cairo.cairo_font_face_destroy)
#define cairo_font_face_reference (srdi_cairo.cairo_font_face_reference)
#define cairo_font_face_status (srdi_cairo.cairo_font_face_status)
#define cairo_font_options_create (srdi_cairo.cairo_font_options_create)
#define cairo_font_options_destroy (srdi_cairo.cairo_font_options_destroy)
#define cairo_font_options_set_antialias (srdi_cairo.cairo_font_options_set_antialias)
#define cairo_font_options_set_hint_metrics (srdi_cairo.cairo_font_options_set_hint_metrics)
#define cairo_font_options_set_hint_style (srdi_cairo.cairo_font_options_set_hint_style)
#define cairo_format_stride_for_width (srdi_cairo.cairo_format_stride_for_width)
#define cairo_ft_font_face_create_for_ft_face (srdi_cairo.cairo_ft_font_face_create_for_ft_face)
#define cairo_get_group_target (srdi_cairo.cairo_get_group_target)
#define cairo_get_matrix (srdi_cairo.cairo_get_matrix)
#define cairo_get_operator (srdi_cairo.cairo_get_operator)
#define cairo_glyph_extents (srdi_cairo.cairo_glyph_extents)
#define cairo_glyph_path (srdi_cairo.cairo_glyph_path)
#define cairo_image_surface_create (srdi_cairo.cairo_image_surface_create)
#define cairo_image_surface_create_for_data (srdi_cairo.cairo_image_surface_create_for_data)
#define cairo_image_surface_get_data (srdi_cairo.cairo_image_surface_get_data)
#define cairo_image_surface_get_height (srdi_cairo.cairo_image_surface_get_height)
#define cairo_image_surface_get_stride (srdi_cairo.cairo_image_surface_get_stride)
#define cairo_image_surface_get_width (srdi_cairo.cairo_image_surface_get_width)
#define cairo_line_to (srdi_cairo.cairo_line_to)
#define cairo_move_to (srdi_cairo.cairo_move_to)
#define cairo_new_path (srdi_cairo.cairo_new_path)
#define cairo_paint (srdi_cairo.cairo_paint)
#define cairo_pdf_surface_create (srdi_cairo.cairo_pdf_surface_create)
#define cairo_pdf_surface_set_size (srdi_cairo.cairo_pdf_surface_set_size)
#define cairo_rectangle_list_destroy (srdi_cairo.cairo_rectangle_list_destroy)
#define cairo_restore (srdi_cairo.cairo_restore)
#define cairo_rotate (srdi_cairo.cairo_rotate)
#define cairo_save (srdi_cairo.cairo_save)
#define cairo_scale (srdi_cairo.cairo_scale)
#define cairo_set_dash (srdi_cairo.cairo_set_dash)
#define cairo_set_font_face (srdi_cairo.cairo_set_font_face)
#define cairo_set_font_options (srdi_cairo.cairo_set_font_options)
#define cairo_set_font_size (srdi_cairo.cairo_set_font_size)
#define cairo_set_line_join (srdi_cairo.cairo_set_line_join)
#define cairo_set_line_width (srdi_cairo.cairo_set_line_width)
#define cairo_set_source_rgb (srdi_cairo.cairo_set_source_rgb)
#define cairo_set_source_rgba (srdi_cairo.cairo_set_source_rgba)
#define cairo_set_source_surface (srdi_cairo.cairo_set_source_surface)
#define cairo_show_glyphs (srdi_cairo.cairo_show_glyphs)
#define cairo_show_page (srdi_cairo.cairo_show_page)
#define cairo_status (srdi_cairo.cairo_status)
#define cairo_status_to_string (srdi_cairo.cairo_status_to_string)
#define cairo_stroke (srdi_cairo.cairo_stroke)
#define cairo_surface_destroy (srdi_cairo.cairo_surface_destroy)
#define cairo_surface_finish (srdi_cairo.cairo_surface_finish)
#define cairo_surface_flush (srdi_cairo.cairo_surface_flush)
#define cairo_surface_mark_dirty (srdi_cairo.cairo_surface_mark_dirty)
#define cairo_surface_mark_dirty_rectangle (srdi_cairo.cairo_surface_mark_dirty_rectangle)
#define cairo_surface_status (srdi_cairo.cairo_surface_status)
#define cairo_svg_surface_create (srdi_cairo.cairo_svg_surface_create)
#define cairo_svg_surface_set_document_unit (srdi_cairo.cairo_svg_surface_set_document_unit)
#define cairo_translate (srdi_cairo.cairo_translate)
#define cairo_user_to_device (srdi_cairo.cairo_user_to_device)

#endif
