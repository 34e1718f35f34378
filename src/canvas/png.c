/*
 * src/canvas/png.c — the PNG writer of the cairo backend's figure files.
 *
 * cairo's own writer (libpng defaults) tries all five row filters on every
 * row and deflates at zlib's default level: about two thirds of the CPU time
 * of a figure.  A chart is flat colour on white, so one fixed filter (Up: a
 * row like the one above becomes zeros; a repeated row is not even
 * filtered) and one of zlib's fast levels give files of about the same size
 * at a fraction of the cost.  The output is 8-bit RGB (colour type 2),
 * non-interlaced, with the resolution as a pHYs chunk after IHDR; the bytes
 * depend only on the pixels, the resolution and the zlib build (no time, no
 * text chunks).
 */
#include "canvas_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PNG_IDAT_MAX 65536 /* bytes of compressed data per IDAT chunk */
#define PNG_LEVEL    2     /* zlib level: 1–3 cost the same here, 2 packs a little tighter */

static void put32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC of type + data.  False on a write error. */
static bool put_chunk(FILE *f, const char type[4], const unsigned char *data, size_t len)
{
    unsigned char hdr[8], crc[4];
    put32(hdr, (uint32_t)len);
    memcpy(hdr + 4, type, 4);
    uLong c = crc32(0L, (const Bytef *)type, 4);
    if (len) c = crc32(c, data, (uInt)len);
    put32(crc, (uint32_t)c);
    return fwrite(hdr, 1, 8, f) == 8 && (len == 0 || fwrite(data, 1, len, f) == len) && fwrite(crc, 1, 4, f) == 4;
}

/*
 * Deflate whatever @p z holds with @p flush, writing every full (or, at the
 * end, the last) output buffer as an IDAT chunk.  False on a zlib or write error.
 */
static bool pump(FILE *f, z_stream *z, unsigned char *out, int flush)
{
    for (;;) {
        int zr = deflate(z, flush);
        if (zr == Z_STREAM_ERROR) return false;
        size_t have = PNG_IDAT_MAX - z->avail_out;
        bool full = z->avail_out == 0;
        if ((full || (flush == Z_FINISH && have > 0)) && !put_chunk(f, "IDAT", out, have)) return false;
        if (full || (flush == Z_FINISH && have > 0)) {
            z->next_out = out;
            z->avail_out = PNG_IDAT_MAX;
        }
        if (flush == Z_FINISH ? zr == Z_STREAM_END : (z->avail_in == 0 && !full)) return true;
    }
}

srdi_status srdi_png_write_rgb24(FILE *f, const char *path, const unsigned char *pix, int w, int h, int stride,
                                 uint32_t ppm)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (!f || !pix || w <= 0 || h <= 0 || stride < 4 * w)
        return srdi_error_set(SRDI_ERR_INTERNAL, "png '%s': bad image (%dx%d, stride %d)", path, w, h, stride);
    unsigned char ihdr[13], phys[9];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bits per sample */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (one filter byte per row) */
    ihdr[12] = 0; /* not interlaced */
    put32(phys, ppm);
    put32(phys + 4, ppm);
    phys[8] = 1; /* unit: metre */

    /* the filtered row, then the compressed output */
    size_t rowlen = 1 + 3 * (size_t)w;
    unsigned char *mem = malloc(rowlen + PNG_IDAT_MAX);
    if (!mem) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory writing '%s' (%dx%d pixels)", path, w, h);
    unsigned char *filt = mem, *out = mem + rowlen;
    z_stream z;
    memset(&z, 0, sizeof z);
    errno = 0;
    bool ok =
        fwrite(sig, 1, 8, f) == 8 && put_chunk(f, "IHDR", ihdr, sizeof ihdr) && put_chunk(f, "pHYs", phys, sizeof phys);
    bool zinit = ok && deflateInit2(&z, PNG_LEVEL, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    ok = ok && zinit;
    z.next_out = out;
    z.avail_out = PNG_IDAT_MAX;
    const uint32_t *above = NULL;
    for (int y = 0; ok && y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(pix + (size_t)y * (size_t)stride);
        if (!above) { /* the first row: filter None */
            filt[0] = 0;
            for (int x = 0; x < w; x++) {
                uint32_t v = row[x]; /* cairo RGB24: 0x00RRGGBB in native order */
                filt[1 + 3 * x] = (unsigned char)(v >> 16);
                filt[2 + 3 * x] = (unsigned char)(v >> 8);
                filt[3 + 3 * x] = (unsigned char)v;
            }
        } else if (memcmp(row, above, 4 * (size_t)w) == 0) { /* Up of a repeated row: zeros */
            memset(filt, 0, rowlen);
            filt[0] = 2;
        } else { /* filter Up: each byte minus the byte above (bytewise, in one word) */
            filt[0] = 2;
            for (int x = 0; x < w; x++) {
                uint32_t v = row[x], u = above[x];
                uint32_t d = ((v | 0x80808080u) - (u & 0x7F7F7F7Fu)) ^ ((v ^ ~u) & 0x80808080u);
                filt[1 + 3 * x] = (unsigned char)(d >> 16);
                filt[2 + 3 * x] = (unsigned char)(d >> 8);
                filt[3 + 3 * x] = (unsigned char)d;
            }
        }
        above = row;
        z.next_in = filt;
        z.avail_in = (uInt)rowlen;
        ok = pump(f, &z, out, Z_NO_FLUSH);
    }
    if (ok) {
        z.next_in = NULL;
        z.avail_in = 0;
        ok = pump(f, &z, out, Z_FINISH);
    }
    if (zinit) deflateEnd(&z);
    free(mem);
    ok = ok && put_chunk(f, "IEND", NULL, 0);
    if (!ok) return srdi_error_set(SRDI_ERR_IO, "cannot write '%s': %s", path, errno ? strerror(errno) : "zlib error");
    return SRDI_OK;
}
