/*
 * tests/fuzz/fuzz_common.h — helpers shared by the libFuzzer harnesses:
 * a private scratch folder per process and whole-file writes.
 */
#ifndef SRDI_FUZZ_COMMON_H
#define SRDI_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SRDI_SOURCE_DIR
#define SRDI_SOURCE_DIR "."
#endif

/* A scratch folder of this process (created once; static buffer). */
static inline const char *fuzz_dir(void)
{
    static char dir[256];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/srdi-fuzz.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(dir)) abort();
    }
    return dir;
}

static inline void fuzz_write(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) abort();
    if (n && fwrite(data, 1, n, fp) != n) abort();
    fclose(fp);
}

/* Copy a file of the source tree to @p dst. */
static inline void fuzz_copy(const char *rel, const char *dst)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/%s", SRDI_SOURCE_DIR, rel);
    FILE *in = fopen(src, "rb");
    if (!in) abort();
    FILE *out = fopen(dst, "wb");
    if (!out) abort();
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, k, out);
    fclose(in);
    fclose(out);
}

/* Copy the first @p lines lines of a file of the source tree to @p dst. */
static inline void fuzz_copy_head(const char *rel, const char *dst, int lines)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/%s", SRDI_SOURCE_DIR, rel);
    FILE *in = fopen(src, "rb");
    if (!in) abort();
    FILE *out = fopen(dst, "wb");
    if (!out) abort();
    int c, n = 0;
    while (n < lines && (c = fgetc(in)) != EOF) {
        fputc(c, out);
        n += c == '\n';
    }
    fclose(in);
    fclose(out);
}

#endif
