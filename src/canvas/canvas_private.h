/*
 * src/canvas/canvas_private.h — what backends (cairo.c, null.c, hpdf.c)
 * share with the generic canvas code.
 */
#ifndef SRDI_CANVAS_PRIVATE_H
#define SRDI_CANVAS_PRIVATE_H

#include <stdint.h>
#include <stdio.h>

#include "srdi/canvas.h"

/**
 * @brief Initialise the embedded base struct of a backend canvas (page -1, no path).
 * @param c     the backend's canvas (its first member)
 * @param be    the backend's function table (static)
 * @param fonts the fonts (borrowed)
 */
void srdi_canvas_init_base(srdi_canvas *c, const srdi_canvas_backend *be, const srdi_fonts *fonts);

/**
 * @brief Write a cairo RGB24 image (rows of native-endian 0x00RRGGBB words)
 * as an 8-bit RGB PNG to @p f, with @p ppm pixels per metre as pHYs and
 * @p title (when given) as an iTXt "Title" chunk, both before the pixels (png.c).
 * @param path the file's name, for messages only
 * @param title the image's title (UTF-8; NULL or "": none)
 * @return SRDI_OK, SRDI_ERR_IO (write failed; message names @p path) or SRDI_ERR_NOMEM.
 * The caller opens and closes @p f.
 */
srdi_status srdi_png_write_rgb24(FILE *f, const char *path, const unsigned char *pix, int w, int h, int stride,
                                 uint32_t ppm, const char *title);

/**
 * @brief libharu's allocator (hpdf_mem.c): @p size bytes, 16-byte aligned, cut
 * from 2 MiB chunks kept for the process; NULL when out of memory.
 */
void *srdi_hpdf_mem_alloc(unsigned int size);
/** @brief Free a block of srdi_hpdf_mem_alloc (NULL is fine). @param p the block */
void srdi_hpdf_mem_free(void *p);
/**
 * @brief In a forked process: this thread's chunk and free lists forgotten
 * (its parent's pages), so that its blocks come from chunks of its own.
 */
void srdi_hpdf_mem_forked(void);
/**
 * @brief Whether an allocation of srdi_hpdf_mem_alloc failed on this thread
 * since the last call (the flag is cleared): libharu then reports the object
 * it could not make, which is out of memory all the same.
 */
bool srdi_hpdf_mem_failed(void);
/** @brief Whether srdi_hpdf_mem_alloc is plain malloc (sanitizer builds: every block checked) (tests). */
bool srdi_hpdf_mem_plain(void);

/**
 * @brief Deflate the @p n pieces ptr[i] (len[i] bytes each), one after the
 * other, as one zlib stream with the PNG writer's encoder (png.c): greedy
 * matches of distance 1, 3 or one hashed earlier position, dynamic Huffman
 * blocks.  The bytes depend on the input alone (SRDI_ZLIB_ENCODER names the
 * encoder for caches of its output).
 * @param out    *out gets the stream (malloc'd, the caller frees it)
 * @param outlen its length
 * @return false when out of memory (*out NULL).
 */
bool srdi_zlib_deflate(const unsigned char *const *ptr, const size_t *len, size_t n, unsigned char **out,
                       size_t *outlen);
#define SRDI_ZLIB_ENCODER "srdi-png-deflate 1" /* change it with the encoder's bytes */

/*
 * The drawing operations every file backend implements, as designated
 * initializers of its srdi_canvas_backend table: PREFIX_begin_page …
 * PREFIX_rotate_ccw (cairo.c: cr_, hpdf.c: hpdf_).  A backend adds its
 * name and the optional operations (link, outline, page_label) beside it.
 */
#define SRDI_CANVAS_FILE_OPS(prefix)                                                                                   \
    .begin_page = prefix##_begin_page, .end_page = prefix##_end_page, .save = prefix##_save,                           \
    .restore = prefix##_restore, .move_to = prefix##_move_to, .line_to = prefix##_line_to,                             \
    .curve_to = prefix##_curve_to, .close_path = prefix##_close_path, .fill = prefix##_fill,                           \
    .stroke = prefix##_stroke, .clip = prefix##_clip, .text_segment = prefix##_text_segment,                           \
    .image_rgba = prefix##_image_rgba, .finish = prefix##_finish, .destroy = prefix##_destroy,                         \
    .rotate_ccw = prefix##_rotate_ccw

#endif
