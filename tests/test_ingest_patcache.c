/*
 * tests/test_ingest_patcache.c — when the refresh cache of patents.csv may
 * trust a file identity without reading the bytes (srdi_patcache_settled,
 * src/ingest/patcache.c): only when mtime AND ctime precede the clock read
 * before the file was opened by more than 50 ms (times with sub-microsecond
 * digits) or 3 s (whole-microsecond times: a coarse file system), never
 * with an unknown clock.
 */
#include "testutil.h"
#include "../src/ingest/ingest_private.h"

#include <string.h>

/* An identity with mtime and ctime at @p m and @p c (seconds, nanoseconds). */
static struct stat at(time_t ms, long mns, time_t cs, long cns)
{
    struct stat sb;
    memset(&sb, 0, sizeof sb);
    sb.st_mtim.tv_sec = ms;
    sb.st_mtim.tv_nsec = mns;
    sb.st_ctim.tv_sec = cs;
    sb.st_ctim.tv_nsec = cns;
    return sb;
}

int main(void)
{
    const double now = 1767225600.5; /* the clock before the open */
    struct stat sb;
    /* fine times (nanosecond digits) */
    sb = at(1767225600, 400000001, 1767225600, 400000001); /* 100 ms old */
    CHECK(srdi_patcache_settled(&sb, now));
    sb = at(1767225600, 470000001, 1767225600, 470000001); /* 30 ms old: a tick or two */
    CHECK(!srdi_patcache_settled(&sb, now));
    sb = at(1767225600, 900000001, 1767225600, 900000001); /* after the clock reading */
    CHECK(!srdi_patcache_settled(&sb, now));
    sb = at(1767225500, 123456789, 1767225600, 470000001); /* old bytes, fresh ctime (touch -d, chmod, rename) */
    CHECK(!srdi_patcache_settled(&sb, now));
    sb = at(1767225600, 470000001, 1767225500, 123456789); /* fresh mtime */
    CHECK(!srdi_patcache_settled(&sb, now));
    /* coarse times: whole microseconds in either */
    sb = at(1767225599, 0, 1767225599, 0); /* 1.5 s old, whole seconds (FAT ticks 2 s) */
    CHECK(!srdi_patcache_settled(&sb, now));
    sb = at(1767225599, 123456789, 1767225599, 123456000); /* ctime whole microseconds */
    CHECK(!srdi_patcache_settled(&sb, now));
    sb = at(1767225597, 0, 1767225597, 0); /* 3.5 s old */
    CHECK(srdi_patcache_settled(&sb, now));
    /* no clock reading: never */
    sb = at(1000, 1, 1000, 1);
    CHECK(!srdi_patcache_settled(&sb, 0));
    CHECK(srdi_patcache_settled(&sb, now));
    return testutil_finish();
}
