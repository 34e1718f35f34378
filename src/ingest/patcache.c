/*
 * src/ingest/patcache.c — the refresh cache of patents.csv: the patent
 * facts, counts and rejected rows of one reading of patents.csv, kept in a
 * file of the output directory (OUT/.srdi-patents) and used instead of
 * reading patents.csv again when nothing they are made from changed.
 *
 * What the facts are made from, all in the key:
 *   - patents.csv itself: device, inode, size, mtime and ctime (ns) AND a
 *     64-bit hash of every byte of its text (identity alone is not enough:
 *     file times tick coarsely, so a same-size rewrite within one tick
 *     keeps them; the content hash is what makes a hit safe);
 *   - how it is read: the encoding detected or forced, the separator;
 *   - the enterprises it is checked against: every accepted id in row
 *     order with its level (facts are keyed by row and kept for national
 *     enterprises only), the ids of rejected enterprise rows with their
 *     lines and the enterprises file name (they appear in reject reasons);
 *   - the program (path, size, mtime, inode of /proc/self/exe), so a new
 *     build with other parsing rules never reads an old file.
 * The file also ends with a hash of its own bytes; a file that is short,
 * damaged or of another key is a miss (patents.csv is read), never an error.
 * It is written and read in small blocks, hashed on the way: the file is
 * never held in memory beside the facts.  With more than one thread a
 * refresh reads it while enterprises.csv is read (srdi_patcache_ahead_start:
 * all of the file but its key and its enterprises, which are checked when
 * the key is known and the enterprises are in).
 *
 * Content hash: 1 MiB blocks, each hashed with eight lanes of 32x32-bit
 * products over 64-byte stripes (srdi_patcache_block_hash, SSE2 where there
 * is SSE2, AVX2 where the CPU has it; the small inputs of keys and the
 * file's own check use core's four-lane stream hash, srdi/hash.h); the
 * block hashes are combined in file order,
 * so the value does not depend on who hashed which block.  A cold build
 * hashes the blocks in the parsing pass, while its threads have the pages
 * mapped anyway (patents.c); a build that finds a cache file to check
 * reads the file for its hash first, with pread (the page cache pages are
 * not mapped into the process: memory stays flat), by up to `threads`
 * threads — unless the identity is settled (below).
 *
 * Settled identity (the "racily clean" rule of git's index): the kernel
 * stamps every change of a file's bytes with its ctime, from the same
 * real-time clock, and no program can set a ctime back.  When both mtime
 * and ctime were older than the clock read before the file was opened for
 * the reading that was hashed, by more than a timer tick (the file times
 * come from the tick-updated coarse clock) and the file system's time
 * granularity, any later change stamps a strictly newer ctime.  So as long
 * as device, inode, size, mtime and ctime all still match, the bytes are
 * the ones hashed, and the recorded content hash is used without reading
 * the file again.  The margin is PC_SETTLE_FINE_S for times with
 * sub-microsecond digits, PC_SETTLE_COARSE_S when a time is whole
 * microseconds (a coarse file system).  An identity that was not settled
 * then (a file written just before the build, or while it ran) is never
 * trusted: its bytes are hashed again (and once settled, recorded).  Not
 * covered: a system clock stepped back, or a network file system whose
 * server clock lags this machine's by more than the margin (after
 * rewriting patents.csv there within a second of a build, use --force,
 * which reads everything).
 *
 * File (native byte order, written atomically):
 *   head (32 bytes): "SRDIPAT3", u64 settled identity (0: none), u64 its
 *   content hash, u64 hash of the 24 bytes before it (the head is rewritten
 *   in place when an identity settles; a torn head is only "none");
 *   body: u64 key, u64 read, accepted, rejected, i32 max_app, max_grant,
 *   max_pub, u32 nkeys + (u32 len, bytes) each, u64 nfacts, u64 the facts'
 *   digest (srdi_patents_digest), zero bytes up to a file offset that is a
 *   multiple of 16, the facts as they lie in memory (srdi_pfact: ent u32,
 *   year i16, kind u8, a zero byte, key u32, count u32), u64 nrejects +
 *   (i64 line, 3 strings) each, u64 hash of all body bytes before it.
 *
 * A hit hashes every byte (and checks every fact's enterprise) through a
 * small window, then maps the facts from the file (private, copy on write)
 * instead of copying them into fresh memory: a refresh whose patent tables
 * all come from the table cache never touches them (the national data's
 * 20 MB of facts, faulted in, were ~25 ms of a refresh on this VM), and
 * their digest, stored beside them, keys those tables.
 */
#include "cachefile.h"
#include "ingest_private.h"
#include "srdi/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define PC_MAGIC "SRDIPAT4"
#define PC_HEAD  SRDI_CACHE_HEAD /* bytes of the head */
#define PC_LABEL "patents.csv identity" /* what the identity hash of the head starts from */
/* Seconds a file's mtime and ctime must precede the clock read before it was
   opened for its identity to be settled: a few timer ticks for times with
   sub-microsecond digits, more than FAT's 2 s for whole-microsecond times
   (coarse file systems: FAT, ext3, many network and FUSE ones). */
#define PC_SETTLE_FINE_S   0.05
#define PC_SETTLE_COARSE_S 3.0
#define PC_BLOCK SRDI_PATCACHE_BLOCK
#define PC_MAXT  16
#define P1       0x9E3779B185EBCA87ULL
#define P2       0xC2B2AE3D27D4EB4FULL

static inline uint64_t rotl64(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}
static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}


/*
 * The content hash of a block (patents.csv's 1 MiB blocks, enterprises.csv
 * in the entcache key): eight 64-bit lanes over 64-byte stripes, each lane
 * adding the product of the two 32-bit halves of its word xor a constant,
 * and its neighbour's word as it is (XXH3's accumulation); every 1 KiB the
 * lanes are scrambled (shift-xor, multiply); a short tail is zero-padded to
 * one more stripe; the lanes and the length folded at the end.  Only 32x32
 * multiplies, so the SSE2 path (two lanes a register) computes exactly the
 * portable one's value at several times the four-lane hash's speed: hashing keeps
 * up with the memory the parse reads anyway.
 */
#define CH_STRIPE  64
#define CH_SCRAMBLE 16 /* stripes between scrambles */
#define CH_P32     0x9E3779B1u
static const uint64_t ch_key[8] = {0xbe4ba423396cfeb8ULL, 0x1cad21f72c81017cULL, 0xdb979083e96dd4deULL,
                                   0x1f67b3b7a4a44072ULL, 0x78e5c0cc4ee679cbULL, 0x2172ffcc7dd05a82ULL,
                                   0x8e2443f7744608b8ULL, 0x4c263a81e69035e0ULL};
static const uint64_t ch_key2[8] = {0xcb00c391bb52283cULL, 0xa32e531b8b65d088ULL, 0x4ef90da297486471ULL,
                                    0xd8acdea946ef1938ULL, 0x3f349ce33f76faa8ULL, 0x1d4f0bc7c7bbdcf9ULL,
                                    0x3159b4cd4be0518aULL, 0x647378d9c97e9fc8ULL};

/* One stripe into the lanes, portably. */
static inline void ch_stripe(uint64_t acc[8], const unsigned char *p)
{
    for (int j = 0; j < 8; j++) {
        uint64_t d = rd64(p + 8 * j), k = d ^ ch_key[j];
        acc[j ^ 1] += d;
        acc[j] += (uint64_t)(uint32_t)k * (k >> 32);
    }
}
static inline void ch_scramble(uint64_t acc[8])
{
    for (int j = 0; j < 8; j++) acc[j] = (acc[j] ^ (acc[j] >> 47) ^ ch_key2[j]) * CH_P32;
}

#if defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SRDI_CH_SIMD 1
/* The whole stripes of [p, p + nstripes·64) into acc, two lanes a register (the same value as ch_stripe). */
static void ch_stripes(uint64_t acc[8], const unsigned char *p, size_t nstripes, size_t *done)
{
    __m128i a[4], key[4], key2[4];
    for (int q = 0; q < 4; q++) {
        a[q] = _mm_loadu_si128((const __m128i *)(const void *)(acc + 2 * q));
        key[q] = _mm_loadu_si128((const __m128i *)(const void *)(ch_key + 2 * q));
        key2[q] = _mm_loadu_si128((const __m128i *)(const void *)(ch_key2 + 2 * q));
    }
    const __m128i prime = _mm_set1_epi64x(CH_P32);
    size_t s = *done;
    for (size_t i = 0; i < nstripes; i++, p += CH_STRIPE) {
        for (int q = 0; q < 4; q++) {
            __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * q));
            __m128i k = _mm_xor_si128(d, key[q]);
            __m128i prod = _mm_mul_epu32(k, _mm_shuffle_epi32(k, _MM_SHUFFLE(2, 3, 0, 1)));
            a[q] = _mm_add_epi64(a[q], _mm_add_epi64(prod, _mm_shuffle_epi32(d, _MM_SHUFFLE(1, 0, 3, 2))));
        }
        if (++s % CH_SCRAMBLE == 0)
            for (int q = 0; q < 4; q++) {
                __m128i x = _mm_xor_si128(_mm_xor_si128(a[q], _mm_srli_epi64(a[q], 47)), key2[q]);
                __m128i lo = _mm_mul_epu32(x, prime), hi = _mm_mul_epu32(_mm_srli_epi64(x, 32), prime);
                a[q] = _mm_add_epi64(lo, _mm_slli_epi64(hi, 32));
            }
    }
    for (int q = 0; q < 4; q++) _mm_storeu_si128((__m128i *)(void *)(acc + 2 * q), a[q]);
    *done = s;
}
#endif

#if defined(SRDI_CH_SIMD) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SRDI_CH_AVX2 1
/* ch_stripes with AVX2 (four lanes a register, the same operations, the same value), where the CPU has it. */
__attribute__((target("avx2"))) static void ch_stripes_avx2(uint64_t acc[8], const unsigned char *p, size_t nstripes,
                                                           size_t *done)
{
    __m256i a[2], key[2], key2[2];
    for (int q = 0; q < 2; q++) {
        a[q] = _mm256_loadu_si256((const __m256i *)(const void *)(acc + 4 * q));
        key[q] = _mm256_loadu_si256((const __m256i *)(const void *)(ch_key + 4 * q));
        key2[q] = _mm256_loadu_si256((const __m256i *)(const void *)(ch_key2 + 4 * q));
    }
    const __m256i prime = _mm256_set1_epi64x(CH_P32);
    size_t s = *done;
    for (size_t i = 0; i < nstripes; i++, p += CH_STRIPE) {
        for (int q = 0; q < 2; q++) {
            __m256i d = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * q));
            __m256i k = _mm256_xor_si256(d, key[q]);
            __m256i prod = _mm256_mul_epu32(k, _mm256_shuffle_epi32(k, _MM_SHUFFLE(2, 3, 0, 1)));
            a[q] = _mm256_add_epi64(a[q], _mm256_add_epi64(prod, _mm256_shuffle_epi32(d, _MM_SHUFFLE(1, 0, 3, 2))));
        }
        if (++s % CH_SCRAMBLE == 0)
            for (int q = 0; q < 2; q++) {
                __m256i x = _mm256_xor_si256(_mm256_xor_si256(a[q], _mm256_srli_epi64(a[q], 47)), key2[q]);
                __m256i lo = _mm256_mul_epu32(x, prime), hi = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), prime);
                a[q] = _mm256_add_epi64(lo, _mm256_slli_epi64(hi, 32));
            }
    }
    for (int q = 0; q < 2; q++) _mm256_storeu_si256((__m256i *)(void *)(acc + 4 * q), a[q]);
    *done = s;
}
#endif

int srdi_patcache_simd = 2;

/* The whole stripes of [p, p + nstripes·64) into acc, one lane at a time (*done: stripes so far). */
static void ch_stripes_portable(uint64_t acc[8], const unsigned char *p, size_t nstripes, size_t *done)
{
    size_t s = *done;
    for (size_t i = 0; i < nstripes; i++, p += CH_STRIPE) {
        ch_stripe(acc, p);
        if (++s % CH_SCRAMBLE == 0) ch_scramble(acc);
    }
    *done = s;
}

/* The content hash of [p, p + n) with @p stripes for the whole stripes. */
static uint64_t ch_hash(const unsigned char *p, size_t n,
                        void (*stripes)(uint64_t acc[8], const unsigned char *, size_t, size_t *))
{
    uint64_t acc[8] = {P1, P2, P1 + P2, (uint64_t)0 - P1, P2 ^ P1, P1 * 3, P2 * 5, 0x165667B19E3779F9ULL};
    size_t s = 0, full = n / CH_STRIPE;
    stripes(acc, p, full, &s);
    unsigned char tail[CH_STRIPE] = {0}; /* the last bytes, zero-padded (the length is in h) */
    memcpy(tail, p + full * CH_STRIPE, n - full * CH_STRIPE);
    ch_stripe(acc, tail);
    uint64_t h = (uint64_t)n * P1;
    for (int j = 0; j < 8; j++) h = rotl64(h ^ (acc[j] * P2), 27) * P1 + P2;
    return srdi_hash_avalanche(h);
}

uint64_t srdi_patcache_block_hash_portable(const void *p, size_t n)
{
    return ch_hash(p, n, ch_stripes_portable);
}

uint64_t srdi_patcache_block_hash(const void *p, size_t n)
{
#if defined(SRDI_CH_SIMD)
#if defined(SRDI_CH_AVX2)
    if (srdi_patcache_simd >= 2 && __builtin_cpu_supports("avx2")) return ch_hash(p, n, ch_stripes_avx2);
#endif
    if (srdi_patcache_simd >= 1) return ch_hash(p, n, ch_stripes);
    return ch_hash(p, n, ch_stripes_portable);
#else
    return ch_hash(p, n, ch_stripes_portable);
#endif
}

/* Continue h over n bytes (small inputs: key parts, the file's own check). */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    srdi_stream_hash s; /* core's four-lane stream hash (srdi/hash.h) */
    srdi_sh_init(&s);
    srdi_sh_update(&s, p, n);
    return rotl64(h ^ srdi_sh_digest(&s), 27) * P1 + P2;
}
uint64_t srdi_cache_mix_u64(uint64_t h, uint64_t v)
{
    return mix(h, &v, sizeof v);
}
uint64_t srdi_cache_mix_str(uint64_t h, const char *s)
{
    size_t n = s ? strlen(s) : (size_t)-1;
    h = srdi_cache_mix_u64(h, (uint64_t)n);
    return s ? mix(h, s, n) : h;
}

typedef struct hash_job {
    int fd;
    const uint64_t *cuts; /* piece b: bytes [cuts[b], cuts[b + 1]) of the file */
    uint64_t *hashes;
    size_t npieces, longest;
    int nthreads, k;
    bool failed;
} hash_job;

static void *hash_worker(void *arg)
{
    hash_job *j = arg;
    unsigned char *buf = srdi_malloc_huge(j->longest ? j->longest : 1);
    if (!buf) {
        j->failed = true;
        return NULL;
    }
    for (size_t b = (size_t)j->k; b < j->npieces; b += (size_t)j->nthreads) {
        size_t want = (size_t)(j->cuts[b + 1] - j->cuts[b]);
        if (!srdi_ingest_pread_all(j->fd, buf, want, j->cuts[b])) {
            j->failed = true;
            free(buf);
            return NULL;
        }
        j->hashes[b] = srdi_patcache_block_hash(buf, want);
    }
    free(buf);
    return NULL;
}

bool srdi_patcache_pieces(int fd, const uint64_t *cuts, size_t npieces, int threads, uint64_t *out, uint64_t *each)
{
    uint64_t *hashes = each ? each : calloc(npieces ? npieces : 1, sizeof *hashes);
    if (!hashes) return false;
    size_t longest = 0;
    for (size_t b = 0; b < npieces; b++)
        if (cuts[b + 1] - cuts[b] > longest) longest = (size_t)(cuts[b + 1] - cuts[b]);
    if (threads < 1) threads = 1;
    if (threads > PC_MAXT) threads = PC_MAXT;
    if ((size_t)threads > npieces) threads = npieces ? (int)npieces : 1;
    hash_job jobs[PC_MAXT];
    pthread_t tid[PC_MAXT];
    bool started[PC_MAXT] = {false};
    for (int k = 0; k < threads; k++) jobs[k] = (hash_job){fd, cuts, hashes, npieces, longest, threads, k, false};
    for (int k = 1; k < threads; k++) started[k] = pthread_create(&tid[k], NULL, hash_worker, &jobs[k]) == 0;
    hash_worker(&jobs[0]);
    bool ok = !jobs[0].failed;
    for (int k = 1; k < threads; k++) {
        if (started[k]) {
            pthread_join(tid[k], NULL);
            ok = ok && !jobs[k].failed;
        } else { /* not started: its pieces on this thread */
            hash_worker(&jobs[k]);
            ok = ok && !jobs[k].failed;
        }
    }
    *out = srdi_patcache_combine(hashes, npieces, cuts[npieces] - cuts[0]);
    if (hashes != each) free(hashes);
    return ok;
}

/* Hash of the whole file of @p size bytes, its PC_BLOCK blocks, with up to @p threads threads; false on a read error. */
static bool content_hash(int fd, uint64_t size, int threads, uint64_t *out)
{
    size_t nblocks = (size_t)((size + PC_BLOCK - 1) / PC_BLOCK);
    uint64_t *cuts = malloc((nblocks + 1) * sizeof *cuts);
    if (!cuts) return false;
    for (size_t b = 0; b < nblocks; b++) cuts[b] = (uint64_t)b * PC_BLOCK;
    cuts[nblocks] = size;
    bool ok = srdi_patcache_pieces(fd, cuts, nblocks, threads, out, NULL);
    free(cuts);
    return ok;
}

bool srdi_ingest_patents_cached(const char *data_dir, const char *patents_cache)
{
    char path[4096];
    struct stat sb;
    uint64_t content;
    int n = snprintf(path, sizeof path, "%s/patents.csv", data_dir ? data_dir : ".");
    return n > 0 && (size_t)n < sizeof path && patents_cache && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
           srdi_cache_head_peek(patents_cache, PC_MAGIC, PC_LABEL, &sb, &content);
}

bool srdi_patcache_content(int fd, uint64_t size, int threads, uint64_t *out)
{
    return content_hash(fd, size, threads, out);
}

uint64_t srdi_patcache_combine(const uint64_t *blocks, size_t nblocks, uint64_t size)
{
    uint64_t h = srdi_cache_mix_u64(0x5352444950415431ULL, size);
    for (size_t b = 0; b < nblocks; b++) h = srdi_cache_mix_u64(h, blocks[b]);
    return h;
}

uint64_t srdi_cache_program(uint64_t h)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat sb;
    if (n <= 0) return srdi_cache_mix_str(h, "unknown program");
    exe[n] = 0;
    if (stat(exe, &sb) != 0) return srdi_cache_mix_str(h, "unknown program");
    h = srdi_cache_mix_str(h, exe);
    h = srdi_cache_mix_u64(h, (uint64_t)sb.st_size);
    h = srdi_cache_mix_u64(h, (uint64_t)sb.st_ino);
    h = srdi_cache_mix_u64(h, (uint64_t)sb.st_mtim.tv_sec);
    return srdi_cache_mix_u64(h, (uint64_t)sb.st_mtim.tv_nsec);
}

/* ------------------------------------------------ settled identity, head */

/* Continue h over a file's identity (srdi_sh_stat: device, inode, size, mtime and ctime to the nanosecond). */
static uint64_t mix_stat(uint64_t h, const struct stat *sb)
{
    srdi_stream_hash x;
    srdi_sh_init(&x);
    srdi_sh_stat(&x, sb);
    return srdi_cache_mix_u64(h, srdi_sh_final(&x));
}

/* A file's identity as fstat gave it, under @p label (never 0: 0 is "none" in a head). */
static uint64_t ident_hash(const char *label, const struct stat *sb)
{
    uint64_t h = srdi_cache_mix_str(0, label);
    h = mix_stat(h, sb);
    return h ? h : 1;
}

bool srdi_patcache_settled(const struct stat *sb, double t_open)
{
    if (!(t_open > 0)) return false;
    bool coarse = sb->st_mtim.tv_nsec % 1000 == 0 || sb->st_ctim.tv_nsec % 1000 == 0;
    double lim = t_open - (coarse ? PC_SETTLE_COARSE_S : PC_SETTLE_FINE_S);
    double m = (double)sb->st_mtim.tv_sec + (double)sb->st_mtim.tv_nsec * 1e-9;
    double c = (double)sb->st_ctim.tv_sec + (double)sb->st_ctim.tv_nsec * 1e-9;
    return m < lim && c < lim;
}
void srdi_cache_head_make(unsigned char head[SRDI_CACHE_HEAD], const char *magic, const char *label,
                          const struct stat *sb, double t_open, bool have_content, uint64_t content)
{
    uint64_t id = 0, ch = 0;
    if (have_content && srdi_patcache_settled(sb, t_open)) {
        id = ident_hash(label, sb);
        ch = content;
    }
    memcpy(head, magic, 8);
    memcpy(head + 8, &id, 8);
    memcpy(head + 16, &ch, 8);
    uint64_t check = mix(0, head, 24);
    memcpy(head + 24, &check, 8);
}

/* The settled identity a head records (0: none, or not a sound head) and its content hash. */
static uint64_t head_ident(const unsigned char head[SRDI_CACHE_HEAD], const char *magic, uint64_t *content)
{
    uint64_t id, check;
    memcpy(&id, head + 8, 8);
    memcpy(content, head + 16, 8);
    memcpy(&check, head + 24, 8);
    if (memcmp(head, magic, 8) != 0 || check != mix(0, head, 24)) return 0;
    return id;
}

bool srdi_cache_head_peek(const char *path, const char *magic, const char *label, const struct stat *sb,
                          uint64_t *content)
{
    unsigned char head[SRDI_CACHE_HEAD];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t r = pread(fd, head, sizeof head, 0);
    close(fd);
    if (r != (ssize_t)sizeof head) return false;
    uint64_t id = head_ident(head, magic, content);
    return id != 0 && id == ident_hash(label, sb);
}

void srdi_cache_head_settle(const char *path, const unsigned char head[SRDI_CACHE_HEAD], const char *magic,
                            const char *label, const struct stat *sb, double t_open, uint64_t content)
{
    if (!srdi_patcache_settled(sb, t_open)) return;
    uint64_t hc, id = head_ident(head, magic, &hc);
    if (id == ident_hash(label, sb) && hc == content) return; /* recorded already */
    unsigned char nh[SRDI_CACHE_HEAD];
    srdi_cache_head_make(nh, magic, label, sb, t_open, true, content);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    /* best effort: a head not written is only "none" (the bytes are hashed next time) */
    if (fd >= 0) {
        ssize_t w = pwrite(fd, nh, sizeof nh, 0);
        (void)w;
        close(fd);
    }
}

srdi_status srdi_patcache_key(srdi_patcache_in *in, uint64_t *key)
{
    const srdi_dataset *d = in->d;
    const struct stat *sb = in->sb;
    uint64_t h = srdi_cache_mix_str(0, PC_MAGIC);
    h = srdi_cache_program(h);
    h = mix_stat(h, sb);
    in->peeked = false;
    if (!in->have_content) {
        if (in->cache_path && srdi_cache_head_peek(in->cache_path, PC_MAGIC, PC_LABEL, sb, &in->content))
            in->peeked = true;
        else if (!content_hash(in->fd, (uint64_t)sb->st_size, in->threads, &in->content))
            return srdi_error_set(SRDI_ERR_IO, "patents.csv: cannot read it to hash it: %s", strerror(errno));
        in->have_content = true;
    }
    h = srdi_cache_mix_u64(h, in->content);
    h = srdi_cache_mix_u64(h, (uint64_t)in->enc);
    h = srdi_cache_mix_str(h, d->files[SRDI_FILE_PATENTS].encoding);
    h = srdi_cache_mix_u64(h, (uint64_t)(unsigned char)in->delim);
    h = srdi_cache_mix_u64(h, (uint64_t)in->bom);
    /*
     * the enterprises: accepted ids in row order with their level, as
     * records (u64 length << 8 | level, the id's bytes) gathered into 16 KiB
     * chunks, each chunk's content hash mixed in (a chunk ends before the
     * record that would not fit; an id longer than a chunk is mixed alone)
     */
    h = srdi_cache_mix_u64(h, (uint64_t)d->n);
    {
        enum { CHUNK = 1 << 14 };
        unsigned char buf[CHUNK];
        size_t used = 0;
        for (size_t i = 0; i < d->n; i++) {
            size_t n = strlen(d->id[i]);
            uint64_t rec = (uint64_t)n << 8 | d->level[i];
            if (used + 8 + n > CHUNK && used) {
                h = srdi_cache_mix_u64(h, srdi_patcache_block_hash(buf, used));
                used = 0;
            }
            if (8 + n > CHUNK) { /* never in practice: ids are short */
                h = srdi_cache_mix_u64(h, rec);
                h = mix(h, d->id[i], n);
                continue;
            }
            memcpy(buf + used, &rec, 8);
            memcpy(buf + used + 8, d->id[i], n);
            used += 8 + n;
        }
        if (used) h = srdi_cache_mix_u64(h, srdi_patcache_block_hash(buf, used));
    }
    /* rejected enterprise ids and their lines: they name the reason of a patent row's reject */
    uint32_t nr = in->rej_ids ? srdi_strpool_count(in->rej_ids) : 0;
    h = srdi_cache_mix_u64(h, nr);
    for (uint32_t i = 0; i < nr; i++) {
        h = srdi_cache_mix_str(h, srdi_strpool_get(in->rej_ids, i));
        h = srdi_cache_mix_u64(h, (uint64_t)(in->rej_line ? in->rej_line[i] : 0));
    }
    h = srdi_cache_mix_str(h, in->ent_fname);
    *key = h;
    return SRDI_OK;
}

/* ---------------------------------------------------------------- writing */

void srdi_cache_flush(srdi_cache_out *o)
{
    srdi_sh_update(&o->h, o->buf, o->n);
    if (o->n && fwrite(o->buf, 1, o->n, o->fp) != o->n) o->bad = true;
    o->n = 0;
}
void srdi_cache_put(srdi_cache_out *o, const void *p, size_t n)
{
    const unsigned char *q = p;
    while (n) {
        size_t k = sizeof o->buf - o->n < n ? sizeof o->buf - o->n : n;
        memcpy(o->buf + o->n, q, k);
        o->n += k;
        o->at += k;
        q += k;
        n -= k;
        if (o->n == sizeof o->buf) srdi_cache_flush(o);
    }
}
void srdi_cache_put_u64(srdi_cache_out *o, uint64_t v)
{
    srdi_cache_put(o, &v, 8);
}
void srdi_cache_put_u32(srdi_cache_out *o, uint32_t v)
{
    srdi_cache_put(o, &v, 4);
}
void srdi_cache_put_str(srdi_cache_out *o, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    srdi_cache_put_u32(o, n);
    srdi_cache_put(o, s, n);
}

srdi_status srdi_cache_open(const char *path, const char *what, srdi_atomic *a, srdi_cache_out **out)
{
    srdi_cache_out *b = malloc(sizeof *b);
    if (!b) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory saving the %s cache", what);
    srdi_status st = srdi_atomic_open(a, path);
    if (st != SRDI_OK) {
        free(b);
        return st;
    }
    b->fp = a->fp;
    b->bad = false;
    b->n = 0;
    b->at = 0;
    srdi_sh_init(&b->h);
    *out = b;
    return SRDI_OK;
}

void srdi_cache_put_rejects(srdi_cache_out *b, const srdi_rejects *rj, size_t rj_from)
{
    srdi_cache_put_u64(b, (uint64_t)(rj->n - rj_from));
    for (size_t i = rj_from; i < rj->n; i++) {
        srdi_cache_put_u64(b, (uint64_t)rj->v[i].line);
        srdi_cache_put_str(b, rj->v[i].column);
        srdi_cache_put_str(b, rj->v[i].value);
        srdi_cache_put_str(b, rj->v[i].reason);
    }
}

srdi_status srdi_cache_close(srdi_cache_out *b, srdi_atomic *a, const char *path)
{
    srdi_status st;
    srdi_cache_flush(b);
    uint64_t check = srdi_sh_final(&b->h);
    if (b->bad || fwrite(&check, 1, 8, a->fp) != 8) {
        srdi_atomic_abort(a);
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    } else
        st = srdi_atomic_commit(a);
    free(b);
    return st;
}

srdi_status srdi_patcache_save(const char *path, uint64_t key, const srdi_patcache_in *in, const srdi_dataset *d,
                               const srdi_rejects *rj, size_t rj_from, long long read, long long accepted,
                               long long rejected)
{
    const srdi_patents *p = &d->patents;
    srdi_cache_out *b = NULL;
    srdi_atomic a;
    srdi_status st = srdi_cache_open(path, "patents", &a, &b);
    if (st != SRDI_OK) return st;
    unsigned char head[PC_HEAD];
    srdi_cache_head_make(head, PC_MAGIC, PC_LABEL, in->sb, in->t_open, in->have_content, in->content);
    if (fwrite(head, 1, sizeof head, b->fp) != sizeof head) b->bad = true; /* not in the body's hash */
    srdi_cache_put_u64(b, key);
    srdi_cache_put_u64(b, (uint64_t)read);
    srdi_cache_put_u64(b, (uint64_t)accepted);
    srdi_cache_put_u64(b, (uint64_t)rejected);
    int32_t years[3] = {p->max_app_year, p->max_grant_year, p->max_pub_year};
    srdi_cache_put(b, years, sizeof years);
    uint32_t nk = p->keys ? srdi_strpool_count(p->keys) : 0;
    srdi_cache_put_u32(b, nk);
    for (uint32_t i = 0; i < nk; i++) srdi_cache_put_str(b, srdi_strpool_get(p->keys, i));
    srdi_cache_put_u64(b, (uint64_t)p->n_facts);
    srdi_cache_put_u64(b, srdi_patents_digest(p));
    static const unsigned char zero[16];
    srdi_cache_put(b, zero, (16 - (PC_HEAD + b->at) % 16) % 16); /* the facts at a multiple of 16: mapped in place */
    for (size_t i = 0; i < p->n_facts; i++) {
        srdi_pfact f;
        memset(&f, 0, sizeof f); /* the padding byte too: the same bytes every time */
        f.ent = p->facts[i].ent;
        f.year = p->facts[i].year;
        f.kind = p->facts[i].kind;
        f.key = p->facts[i].key;
        f.count = p->facts[i].count;
        srdi_cache_put(b, &f, sizeof f);
    }
    srdi_cache_put_rejects(b, rj, rj_from);
    return srdi_cache_close(b, &a, path);
}

/* ---------------------------------------------------------------- reading */

bool srdi_cache_reject_take(srdi_rejects *rj, int file, long line, char *column, char *value, char *reason)
{
    if (rj->n == rj->cap) {
        size_t nc = rj->cap ? rj->cap * 2 : 64;
        srdi_reject *v = realloc(rj->v, nc * sizeof *v);
        if (!v) return false;
        rj->v = v;
        rj->cap = nc;
    }
    rj->v[rj->n++] = (srdi_reject){file, line, column, value, reason};
    return true;
}

const void *srdi_cache_take(srdi_cache_rdr *r, size_t n)
{
    if (r->bad || r->n - r->at < n) {
        r->bad = true;
        return NULL;
    }
    if (r->hi - r->lo < n) {
        memmove(r->buf, r->buf + r->lo, r->hi - r->lo);
        r->hi -= r->lo;
        r->lo = 0;
        if (n > r->cap) {
            unsigned char *nb = realloc(r->buf, n);
            if (!nb) {
                r->bad = true;
                return NULL;
            }
            r->buf = nb;
            r->cap = n;
        }
        size_t want = r->cap - r->hi;
        if (want > r->n - r->fed) want = (size_t)(r->n - r->fed);
        size_t got = fread(r->buf + r->hi, 1, want, r->fp);
        srdi_sh_update(&r->h, r->buf + r->hi, got);
        r->fed += got;
        r->hi += got;
        if (r->hi < n) {
            r->bad = true;
            return NULL;
        }
    }
    const void *q = r->buf + r->lo;
    r->lo += n;
    r->at += n;
    return q;
}
uint64_t srdi_cache_get_u64(srdi_cache_rdr *r)
{
    const void *q = srdi_cache_take(r, 8);
    uint64_t v = 0;
    if (q) memcpy(&v, q, 8);
    return v;
}
uint32_t srdi_cache_get_u32(srdi_cache_rdr *r)
{
    const void *q = srdi_cache_take(r, 4);
    uint32_t v = 0;
    if (q) memcpy(&v, q, 4);
    return v;
}
char *srdi_cache_get_str(srdi_cache_rdr *r)
{
    uint32_t n = srdi_cache_get_u32(r);
    const char *q = srdi_cache_take(r, n);
    if (!q) return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->bad = true;
        return NULL;
    }
    memcpy(s, q, n);
    s[n] = 0;
    return s;
}

/*
 * What reading a cache file found (pc_read_file): the key it was made for,
 * the aggregates and rejects it holds (ok), or why not (a miss: !ok with
 * SRDI_OK, or out of memory).  Nothing of the dataset is read: the largest
 * enterprise row its facts name is kept (ent_max1: that row + 1) for the
 * dataset to be checked against when the result is taken.
 */
struct srdi_patcache_ahead {
    char *path;
    pthread_t tid;
    bool started;
    srdi_status st; /* SRDI_ERR_NOMEM (message in err) or SRDI_OK */
    char err[256];
    bool ok;
    uint64_t file_key;
    uint64_t ent_max1;
    srdi_patents np;
    srdi_rejects nr;
    long long cnt[3];
    int32_t years[3];
    unsigned char head[PC_HEAD];
};

/*
 * Read and check the cache file a->path (the head, every byte hashed, the
 * facts mapped where they lie): a->ok when it is sound.  With @p want_key a
 * file of another key is left at its key (a miss), else the whole is read.
 */
static void pc_read_file(srdi_patcache_ahead *a, const uint64_t *want_key)
{
    a->ok = false;
    a->st = SRDI_OK;
    FILE *fp = fopen(a->path, "rb");
    if (!fp) return; /* none or unreadable: a miss */
    srdi_patents *np = &a->np;
    srdi_cache_rdr r = {.fp = fp, .cap = (size_t)1 << 16};
    srdi_sh_init(&r.h);
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0 || sb.st_size < PC_HEAD + 8 + 8 || !(r.buf = malloc(r.cap))) goto done;
    if (fread(a->head, 1, sizeof a->head, fp) != sizeof a->head || memcmp(a->head, PC_MAGIC, 8) != 0) goto done;
    r.n = (uint64_t)sb.st_size - 8;
    r.at = r.fed = PC_HEAD;
    a->file_key = srdi_cache_get_u64(&r);
    if (r.bad || (want_key && a->file_key != *want_key)) goto done;
    for (int i = 0; i < 3; i++) a->cnt[i] = (long long)srdi_cache_get_u64(&r);
    const int32_t *years = srdi_cache_take(&r, 12);
    if (!years) goto done;
    memcpy(a->years, years, sizeof a->years);
    if (!(np->keys = srdi_strpool_new())) goto nomem;
    uint32_t nk = srdi_cache_get_u32(&r);
    for (uint32_t i = 0; i < nk && !r.bad; i++) {
        char *s = srdi_cache_get_str(&r);
        if (!s) goto done;
        uint32_t id = srdi_strpool_intern(np->keys, s);
        free(s);
        if (id != i) goto done; /* the pool must come back with the same ids */
    }
    uint64_t nf = srdi_cache_get_u64(&r), digest = srdi_cache_get_u64(&r);
    size_t pad = (size_t)((16 - r.at % 16) % 16);
    if (r.bad || nf > (r.n - r.at) / sizeof(srdi_pfact) || (pad && !srdi_cache_take(&r, pad))) goto done;
    uint64_t facts_at = r.at; /* mapped from here once every byte of the file has been checked */
    uint32_t ent_max = 0;
    for (uint64_t i = 0; i < nf;) { /* hashed as many at a time as the window holds, the largest enterprise kept */
        size_t m = r.cap / sizeof(srdi_pfact);
        if (m > nf - i) m = (size_t)(nf - i);
        const unsigned char *q = srdi_cache_take(&r, sizeof(srdi_pfact) * m);
        if (!q) goto done; /* the file changed under us */
        for (size_t j = 0; j < m; j++, q += sizeof(srdi_pfact)) {
            uint32_t ent;
            memcpy(&ent, q, 4);
            if (ent > ent_max) ent_max = ent;
        }
        i += m;
    }
    a->ent_max1 = nf ? (uint64_t)ent_max + 1 : 0;
    np->n_facts = (size_t)nf;
    uint64_t nrej = srdi_cache_get_u64(&r);
    for (uint64_t i = 0; i < nrej && !r.bad; i++) {
        long line = (long)srdi_cache_get_u64(&r);
        char *c = srdi_cache_get_str(&r), *v = srdi_cache_get_str(&r), *why = srdi_cache_get_str(&r);
        if (!c || !v || !why || !srdi_cache_reject_take(&a->nr, SRDI_FILE_PATENTS, line, c, v, why)) {
            free(c);
            free(v);
            free(why);
            goto done;
        }
    }
    if (r.bad || r.at != r.n) goto done;
    uint64_t check;
    if (fread(&check, 1, 8, fp) != 8 || srdi_sh_final(&r.h) != check) goto done; /* damaged: every byte was hashed */
    if (nf) { /* the facts where they lie in the file, else (a file that cannot be mapped) read into memory */
        size_t bytes = (size_t)nf * sizeof(srdi_pfact), len = (size_t)facts_at + bytes;
        void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fileno(fp), 0);
        if (m != MAP_FAILED) {
            np->map = m;
            np->map_size = len;
            np->facts = (srdi_pfact *)(void *)((char *)m + facts_at);
        } else {
            if (!(np->facts = srdi_malloc_huge(bytes))) goto nomem;
            if (!srdi_ingest_pread_all(fileno(fp), np->facts, bytes, facts_at)) goto done;
        }
    }
    np->has_digest = true;
    np->digest = digest;
    a->ok = true;
    goto done;
nomem:
    a->st = SRDI_ERR_NOMEM;
    srdi_strlcpy(a->err, "out of memory reading the patents cache", sizeof a->err);
done:
    free(r.buf);
    fclose(fp);
}

static void *pc_ahead_main(void *arg)
{
    pc_read_file(arg, NULL);
    return NULL;
}

srdi_patcache_ahead *srdi_patcache_ahead_start(const char *path)
{
    struct stat sb;
    if (!path || stat(path, &sb) != 0) return NULL; /* no file: nothing to read ahead */
    srdi_patcache_ahead *a = calloc(1, sizeof *a);
    if (!a || !(a->path = srdi_strdup(path))) {
        free(a);
        return NULL; /* read when asked, as without */
    }
    a->started = pthread_create(&a->tid, NULL, pc_ahead_main, a) == 0;
    if (!a->started) {
        free(a->path);
        free(a);
        return NULL;
    }
    return a;
}

/* Wait for the reading of @p a (once). */
static void pc_ahead_join(srdi_patcache_ahead *a)
{
    if (a->started) pthread_join(a->tid, NULL);
    a->started = false;
}

void srdi_patcache_ahead_free(srdi_patcache_ahead *a)
{
    if (!a) return;
    pc_ahead_join(a);
    srdi_strpool_free(a->np.keys);
    srdi_patents_free_facts(&a->np);
    srdi_rejects_free(&a->nr);
    free(a->path);
    free(a);
}

srdi_status srdi_patcache_load(const char *path, uint64_t key, const srdi_patcache_in *in, srdi_dataset *d,
                               srdi_rejects *rj, bool *hit, long long *read, long long *accepted, long long *rejected,
                               srdi_patcache_ahead *ahead)
{
    *hit = false;
    srdi_patcache_ahead here = {0}, *a = ahead && ahead->path && strcmp(ahead->path, path) == 0 ? ahead : &here;
    if (a == ahead) {
        pc_ahead_join(a); /* read while the enterprises were */
    } else {
        here.path = (char *)(uintptr_t)path;
        pc_read_file(&here, &key);
    }
    srdi_status st = a->st;
    if (st != SRDI_OK) {
        srdi_error_set(st, "%s", a->err);
    } else if (a->ok && a->file_key == key && a->ent_max1 <= d->n) {
        /* a hit: hand everything over */
        srdi_patents *np = &a->np;
        if ((st = srdi_rejects_move(rj, &a->nr, 0)) != SRDI_OK) goto done;
        srdi_strpool_free(d->patents.keys);
        srdi_patents_free_facts(&d->patents);
        d->patents.keys = np->keys;
        d->patents.facts = np->facts;
        d->patents.n_facts = np->n_facts;
        d->patents.map = np->map;
        d->patents.map_size = np->map_size;
        d->patents.has_digest = np->has_digest;
        d->patents.digest = np->digest;
        d->patents.max_app_year = a->years[0];
        d->patents.max_grant_year = a->years[1];
        d->patents.max_pub_year = a->years[2];
        memset(np, 0, sizeof *np);
        *read += a->cnt[0];
        *accepted += a->cnt[1];
        *rejected += a->cnt[2];
        *hit = true;
        if (!in->peeked && in->have_content) /* settled since it was recorded: say so in the head */
            srdi_cache_head_settle(path, a->head, PC_MAGIC, PC_LABEL, in->sb, in->t_open, in->content);
    } else {
        srdi_error_clear(); /* a miss */
    }
done:
    srdi_strpool_free(a->np.keys);
    srdi_patents_free_facts(&a->np);
    srdi_rejects_free(&a->nr);
    memset(&a->np, 0, sizeof a->np);
    memset(&a->nr, 0, sizeof a->nr);
    a->ok = false; /* taken (or not wanted): not again */
    return st;
}

