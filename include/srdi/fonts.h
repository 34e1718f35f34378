/*
 * srdi/fonts.h — the project's fonts, found through fonts/manifest.ini, and
 * text measurement from FreeType metrics so every backend lays text out
 * identically.
 *
 * A font role (sans / serif) maps to a CJK face (WenQuanYi Zen Hei /
 * AR PL UMing, from .ttc files with a face index) and a proportional Latin
 * companion (DejaVu Sans or Liberation Sans / Liberation Serif) used for runs
 * of ASCII letters, digits and punctuation (西文字体 practice).  Bold is
 * synthesised (fill + stroke of width size/30) where the face has no bold.
 */
#ifndef SRDI_FONTS_H
#define SRDI_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include "srdi/error.h"

typedef enum srdi_font_family { SRDI_FONT_SANS = 0, SRDI_FONT_SERIF = 1 } srdi_font_family;

typedef struct srdi_font {
    srdi_font_family family;
    double size; /* points */
    bool bold;
} srdi_font;

/* One physical face: the file and the index inside a .ttc. */
typedef struct srdi_face_file {
    char *path;
    int index;
    bool synth_bold; /* bold is drawn as fill + stroke */
} srdi_face_file;

typedef enum srdi_face_slot { SRDI_FACE_CJK = 0, SRDI_FACE_LATIN = 1 } srdi_face_slot;

typedef struct srdi_fonts srdi_fonts;

/**
 * @brief Load the manifest in @p fonts_dir (fonts/manifest.ini) and open the
 * faces with FreeType.
 * @param fonts_dir the folder (borrowed)
 * @param out       receives the fonts, owned by the caller (srdi_fonts_free); untouched on failure
 * @return SRDI_OK; SRDI_ERR_FONT for a missing or unreadable manifest or face
 *         (the message names the Debian package to install); SRDI_ERR_NOMEM
 */
srdi_status srdi_fonts_load(const char *fonts_dir, srdi_fonts **out);
/** @brief Close the faces and free @p f. @param f the fonts (NULL is fine) */
void srdi_fonts_free(srdi_fonts *f);

/**
 * @brief The face file for family + slot.
 * @param f    the fonts
 * @param fam  the family
 * @param slot CJK or Latin
 * @return borrowed, lives as long as @p f
 */
const srdi_face_file *srdi_fonts_face(const srdi_fonts *f, srdi_font_family fam, srdi_face_slot slot);
/**
 * @brief The FreeType FT_Face (as void*) for family + slot, for backends that need it.
 * FreeType faces are not thread-safe: a backend that calls FreeType on it
 * itself must not share it between threads.
 * @param f    the fonts
 * @param fam  the family
 * @param slot CJK or Latin
 * @return borrowed, lives as long as @p f
 */
void *srdi_fonts_ft_face(const srdi_fonts *f, srdi_font_family fam, srdi_face_slot slot);
/**
 * @brief A drawing backend's own face object for family + slot, made once per
 * fonts and kept until srdi_fonts_free (cairo's scaled fonts and their glyph
 * caches are keyed by the face object: a face made per figure had every glyph
 * rasterised again for every figure).
 * @param f    the fonts
 * @param fam  the family
 * @param slot CJK or Latin
 * @param make makes the object from the FT_Face (srdi_fonts_ft_face); called
 *             once, under the fonts' lock; NULL from it is returned as it is
 *             and tried again next time
 * @param drop releases the object at srdi_fonts_free (before the FT_Face)
 * @return borrowed, lives as long as @p f; NULL when @p make failed
 */
void *srdi_fonts_backend_face(const srdi_fonts *f, srdi_font_family fam, srdi_face_slot slot, void *(*make)(void *ft),
                              void (*drop)(void *obj));

/**
 * A text run split into segments that use one face each.  Callback receives
 * the slot, the byte range and the x advance of the segment.
 */
typedef void (*srdi_segment_fn)(void *ud, srdi_face_slot slot, const char *s, size_t len, double advance);
/**
 * @brief Split @p s into runs that use one face each and measure them.
 * Thread-safe (the glyph cache is locked).
 * @param f    the fonts
 * @param font family, size, bold
 * @param s    UTF-8 text (borrowed; need not be NUL-terminated)
 * @param len  its length in bytes
 * @param fn   called once per segment with the slot, its bytes and advance (may be NULL)
 * @param ud   user data for @p fn
 * @return the total advance in points
 */
double srdi_fonts_segments(const srdi_fonts *f, srdi_font font, const char *s, size_t len, srdi_segment_fn fn,
                           void *ud);
/**
 * @brief Advance width of @p s in points.  Thread-safe.
 * @param f    the fonts
 * @param font family, size, bold
 * @param s    UTF-8 text (borrowed)
 * @param len  its length in bytes
 */
double srdi_text_width(const srdi_fonts *f, srdi_font font, const char *s, size_t len);
/**
 * @brief Ascent and descent (both positive) of the font in points.
 * @param f       the fonts
 * @param font    family and size
 * @param ascent  receives the ascent
 * @param descent receives the descent
 */
void srdi_font_extents(const srdi_fonts *f, srdi_font font, double *ascent, double *descent);

/* ---- added by charts helper: glyph-level access for backends ---------- */
#include <stdint.h>

/**
 * @brief Glyph index and advance of code point @p cp in the face of
 * font.family + @p slot.  Thread-safe (cached).
 * @param f       the fonts
 * @param font    family and size
 * @param slot    CJK or Latin
 * @param cp      the code point
 * @param advance receives the advance in points (may be NULL)
 * @return the glyph index; 0 when the face lacks it
 */
unsigned srdi_fonts_glyph(const srdi_fonts *f, srdi_font font, srdi_face_slot slot, uint32_t cp, double *advance);

#endif
