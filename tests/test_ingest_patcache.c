/*
 * tests/test_ingest_patcache.c — when the refresh cache of patents.csv may
 * trust a file identity without reading the bytes (srdi_patcache_settled,
 * src/ingest/patcache.c): only when mtime AND ctime precede the clock read
 * before the file was opened by more than 50 ms (times with sub-microsecond
 * digits) or 3 s (whole-microsecond times: a coarse file system), never
 * with an unknown clock.  And the content hash of a block: the SIMD path
 * gives the portable path's value for every length and alignment, and a
 * changed byte anywhere (or one more zero byte) changes it.  And
 * srdi_ingest_patents_cached, which lets a refresh load the fonts while it
 * reads its inputs: true for the patents.csv a cache was made from, false
 * for a copy of it, without a cache, or with the cache of another file.
 */
#include "testutil.h"
#include "../src/ingest/ingest_private.h"
#include "../src/ingest/cachefile.h"

#include "srdi/ingest.h"
#include "srdi/reference.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x243F6A8885A308D3ull;
static unsigned char rnd8(void)
{
    return (unsigned char)(testutil_xorshift(&rng) >> 24);
}

static void content_hash_checks(void)
{
    size_t cap = ((size_t)1 << 20) + 200;
    unsigned char *buf = malloc(cap);
    CHECK(buf != NULL);
    if (!buf) return;
    for (size_t i = 0; i < cap; i++) buf[i] = (i % 7 == 0) ? 0 : rnd8();
    /* every length up to 3 stripes + a scramble period, at odd offsets; a whole 1 MiB block */
    for (int simd = 2; simd >= 1; simd--) { /* AVX2 (where the CPU has it), then SSE2 */
        srdi_patcache_simd = simd;
        int same = 0, total = 0;
        for (size_t n = 0; n <= 1100; n++) {
            size_t off = n % 9;
            total++;
            same += srdi_patcache_block_hash(buf + off, n) == srdi_patcache_block_hash_portable(buf + off, n);
        }
        CHECK_INT(same, total);
        CHECK(srdi_patcache_block_hash(buf, (size_t)1 << 20) == srdi_patcache_block_hash_portable(buf, (size_t)1 << 20));
        CHECK(srdi_patcache_block_hash(buf + 3, cap - 3) == srdi_patcache_block_hash_portable(buf + 3, cap - 3));
    }
    srdi_patcache_simd = 2;
    /* a fixed value: the same bytes give the same hash in every build of the program */
    unsigned char fixed[300];
    for (size_t i = 0; i < sizeof fixed; i++) fixed[i] = (unsigned char)(i * 37 + 11);
    CHECK(srdi_patcache_block_hash_portable(fixed, sizeof fixed) == 0xa66203babf7f9605ULL);
    CHECK(srdi_patcache_block_hash(fixed, sizeof fixed) == 0xa66203babf7f9605ULL);
    /* the key parts' mix (core's stream hash): fixed values too, a tail and a 32-byte stripe */
    CHECK(srdi_cache_mix_u64(7, 0x0123456789abcdefULL) == 0xecf925e0012ba9ebULL);
    CHECK(srdi_cache_mix_str(1, "patents.csv 专利 and a string longer than thirty-two bytes, with a tail") ==
          0xfce3f813adab2600ULL);
    CHECK(srdi_cache_mix_str(0, "") == 0x2e16481afc6272f3ULL);
    /* one byte changed, anywhere: another hash; a zero byte more: another hash */
    uint64_t h0 = srdi_patcache_block_hash(buf, 5000);
    int changed = 0, tried = 0;
    for (size_t i = 0; i < 5000; i += 37) {
        buf[i] ^= 0x01;
        changed += srdi_patcache_block_hash(buf, 5000) != h0;
        buf[i] ^= 0x01;
        tried++;
    }
    CHECK_INT(changed, tried);
    memset(buf, 0, 200);
    CHECK(srdi_patcache_block_hash(buf, 100) != srdi_patcache_block_hash(buf, 101));
    CHECK(srdi_patcache_block_hash(buf, 64) != srdi_patcache_block_hash(buf, 128));
    free(buf);
}

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

static void patents_cached(void)
{
    char samples[4096], copy[4096], path[4200], cache[4200], rejects[4200];
    snprintf(samples, sizeof samples, "%s", testutil_src("samples"));
    snprintf(copy, sizeof copy, "%s", testutil_tmpdir("patcache-cached"));
    snprintf(cache, sizeof cache, "%s/.srdi-patents", copy);
    snprintf(rejects, sizeof rejects, "%s/rejects.csv", copy);
    CHECK(!srdi_ingest_patents_cached(samples, cache)); /* no cache yet */
    srdi_reference *ref = NULL;
    CHECK_INT(srdi_reference_load(testutil_src("templates/report-2026/reference"), &ref), SRDI_OK);
    srdi_ingest_opts o = {.data_dir = samples, .rejects_path = rejects, .quiet = true, .threads = 1,
                          .patents_cache = cache};
    srdi_dataset *d = NULL;
    CHECK_INT(srdi_ingest(&o, ref, &d, NULL), SRDI_OK); /* the bundled patents.csv: settled long ago */
    srdi_dataset_free(d);
    CHECK(srdi_ingest_patents_cached(samples, cache));
    CHECK(!srdi_ingest_patents_cached(samples, NULL));
    /* the same bytes in another file (another inode): not the identity recorded */
    snprintf(path, sizeof path, "%s/patents.csv", samples);
    size_t n = 0;
    char *bytes = testutil_read_file(path, &n);
    CHECK(bytes != NULL);
    snprintf(path, sizeof path, "%s/patents.csv", copy);
    if (bytes) testutil_write_file(path, bytes, n);
    free(bytes);
    CHECK(!srdi_ingest_patents_cached(copy, cache));
    /* no patents.csv at all */
    CHECK(!srdi_ingest_patents_cached(testutil_tmpdir("patcache-cached-none"), cache));
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
    content_hash_checks();
    patents_cached();
    return testutil_finish();
}
