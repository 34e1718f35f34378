#include "testutil.h"
#include <stdlib.h>
#include <sys/stat.h>

int tu_passed, tu_failed;

int testutil_finish(void)
{
    printf("%d passed, %d failed\n", tu_passed, tu_failed);
    return (tu_failed == 0 && tu_passed > 0) ? 0 : 1;
}

const char *testutil_src(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", SRDI_SOURCE_DIR, rel);
    return buf;
}

int testutil_write_file(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) return -1;
    size_t w = fwrite(text, 1, len, fp);
    return (fclose(fp) == 0 && w == len) ? 0 : -1;
}

char *testutil_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) {
        buf[n] = 0;
        if (len) *len = (size_t)n;
    }
    return buf;
}

int testutil_flip_byte(const char *path, long at, int mask)
{
    FILE *fp = fopen(path, "r+b");
    if (!fp) return -1;
    int ch = fseek(fp, at, SEEK_SET) == 0 ? fgetc(fp) : EOF;
    int ok = ch != EOF && fseek(fp, at, SEEK_SET) == 0 && fputc(ch ^ mask, fp) != EOF;
    return fclose(fp) == 0 && ok ? 0 : -1;
}

const char *testutil_tmpdir(const char *name)
{
    static char buf[4096];
    char cmd[8400];
    snprintf(buf, sizeof buf, "%s/tmp-%s", SRDI_BINARY_DIR, name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", buf, buf);
    if (system(cmd) != 0) return NULL;
    return buf;
}
