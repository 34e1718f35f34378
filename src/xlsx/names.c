/*
 * src/xlsx/names.c — names that leave the program: worksheet names
 * (Excel's rules) and file names for --split workbooks (hostile input:
 * province and city names come from the data).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "srdi/util.h"
#include "srdi/xlsx.h"

/* Excel's limit on a sheet name, in characters. */
#define XLSX_SHEET_MAX_CHARS 31
/* Longest file name component srdi_xlsx_safe_filename produces, in bytes. */
#define XLSX_FILENAME_MAX_BYTES 120

/*
 * Decode one code point at *p and advance *p.  Returns the code point, or
 * -1 when the bytes are not valid UTF-8 (bad lead or continuation byte,
 * overlong form, surrogate, beyond U+10FFFF).  *len gets the bytes used.
 */
static int32_t names_next(const char **p, size_t *len)
{
    const char *start = *p;
    int32_t c = srdi_utf8_next(p);
    size_t n = (size_t)(*p - start);
    *len = n;
    if (c < 0) return -1;
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000)) return -1;
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return -1;
    return c;
}

/*
 * True for code points that must not appear in a name: C0/C1 controls,
 * DEL, and invisible direction / format controls that can disguise a name
 * (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF).
 */
static bool names_is_control(int32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

/*
 * Build "<id> <sheet>" as an Excel sheet name: forbidden []:*?/\ and
 * control characters become '_', at most 31 characters, no apostrophe at
 * either end.  See xlsx.h.
 */
srdi_status srdi_xlsx_sheet_name(const char *id, const char *sheet, char *buf, size_t size)
{
    char src[512];
    size_t len = 0, chars = 0;

    if (!id || !buf || size < 4 * XLSX_SHEET_MAX_CHARS + 1)
        return srdi_error_set(SRDI_ERR_USAGE, "srdi_xlsx_sheet_name: bad arguments");
    snprintf(src, sizeof src, "%s%s%s", id, (sheet && *sheet) ? " " : "", sheet ? sheet : "");

    for (const char *p = src; *p && chars < XLSX_SHEET_MAX_CHARS; chars++) {
        const char *start = p;
        size_t n;
        int32_t c = names_next(&p, &n);
        if (c < 0 || names_is_control(c) || (c < 0x80 && strchr("[]:*?/\\", (int)c))) {
            buf[len++] = '_';
        } else {
            memcpy(buf + len, start, n);
            len += n;
        }
    }
    buf[len] = '\0';
    if (len > 0 && buf[0] == '\'') buf[0] = '_';
    if (len > 0 && buf[len - 1] == '\'') buf[len - 1] = '_';
    if (len == 0) {
        buf[0] = '_';
        buf[1] = '\0';
    }
    return SRDI_OK;
}

/*
 * True when the part of @p s before the first '.' is a Windows device name
 * (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9), compared without case.
 */
static bool names_is_device(const char *s)
{
    static const char *const dev[] = {"CON", "PRN", "AUX", "NUL"};
    size_t n = strcspn(s, ".");
    for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++)
        if (n == 3 && strncasecmp(s, dev[i], 3) == 0) return true;
    if (n == 4 && (strncasecmp(s, "COM", 3) == 0 || strncasecmp(s, "LPT", 3) == 0) && s[3] >= '1' && s[3] <= '9')
        return true;
    return false;
}

/*
 * Make a file name component from a province / city name: see xlsx.h for
 * the rules.  The result is always valid UTF-8 and never empty.
 */
srdi_status srdi_xlsx_safe_filename(const char *name, char *buf, size_t size)
{
    size_t cap, len = 0;
    bool leading = true;

    if (!buf || size < 2 || !name) {
        if (buf && size) buf[0] = '\0';
        return srdi_error_set(SRDI_ERR_USAGE, "srdi_xlsx_safe_filename: bad arguments");
    }
    cap = size - 1 < XLSX_FILENAME_MAX_BYTES ? size - 1 : XLSX_FILENAME_MAX_BYTES;

    for (const char *p = name; *p;) {
        const char *start = p;
        size_t n;
        int32_t c = names_next(&p, &n);
        bool bad = c < 0 || names_is_control(c) || (c < 0x80 && strchr("/\\:*?\"<>|", (int)c)) || (leading && c == '.');
        size_t need = bad ? 1 : n;
        if (len + need > cap) break;
        if (bad)
            buf[len] = '_';
        else
            memcpy(buf + len, start, n);
        len += need;
        leading = leading && c == '.';
    }
    /* Windows drops trailing dots and spaces: make them visible instead. */
    for (size_t i = len; i > 0 && (buf[i - 1] == '.' || buf[i - 1] == ' '); i--) buf[i - 1] = '_';
    if (len == 0) buf[len++] = '_';
    buf[len] = '\0';

    if (names_is_device(buf)) {
        if (len + 1 <= cap) {
            memmove(buf + 1, buf, len + 1);
        }
        buf[0] = '_';
    }
    return SRDI_OK;
}

/*
 * Make @p fname (a srdi_xlsx_safe_filename result, buffer of @p size) unique
 * among the names in @p used, compared without ASCII case (case-insensitive
 * file systems): "苏州市" stays, a second "苏州市" becomes "苏州市-2", then
 * "苏州市-3" …  The result is added to @p used; *renamed says whether it changed.
 */
srdi_status srdi_xlsx_unique_filename(srdi_strpool *used, char *fname, size_t size, bool *renamed)
{
    char base[512], key[600];
    *renamed = false;
    srdi_strlcpy(base, fname, sizeof base);
    for (int k = 1; k < 100000; k++) {
        if (k > 1) {
            snprintf(fname, size, "%s-%d", base, k);
            *renamed = true;
        }
        size_t i = 0;
        for (; fname[i] && i + 1 < sizeof key; i++)
            key[i] = (fname[i] >= 'A' && fname[i] <= 'Z') ? (char)(fname[i] - 'A' + 'a') : fname[i];
        key[i] = 0;
        if (srdi_strpool_find(used, key) == UINT32_MAX) {
            if (srdi_strpool_intern(used, key) == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            return SRDI_OK;
        }
    }
    return srdi_error_set(SRDI_ERR_INTERNAL, "%s: no unique file name", base);
}
