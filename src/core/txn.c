/*
 * txn.c — the output transaction of a build (see srdi/txn.h): a lock on
 * OUT, a private staging folder inside OUT, publish on success, removal on
 * failure or on a fatal signal.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "srdi/txn.h"
#include "srdi/util.h"
#include "txn_private.h"
#include "srdi/log.h"

#define STAGE_PREFIX ".srdi-staging-"
#define LOCK_NAME    ".srdi-lock"
#define STATE_NAME   ".srdi-state"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static bool active;
static char out[4096];   /* OUT without trailing '/' */
static char stage[4200]; /* OUT/.srdi-staging-XXXXXX (read by the signal handler) */
static int lock_fd = -1;
static char **staged; /* rel paths written in this build, first-write order */
static size_t nstaged, capstaged;
static char **removed; /* rel paths removed at commit */
static size_t nremoved, capremoved;
static unsigned tmp_seq;
static struct sigaction old_int, old_term, old_hup, old_xfsz;

/* ------------------------------------------------ async-signal-safe rm -rf */

struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Remove @p name (file or folder tree) in @p dirfd; only syscalls, no malloc. */
static void rm_tree_at(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0 || (errno != EISDIR && errno != EPERM) || depth > 16) return;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    char buf[2048];
    for (int pass = 0; pass < 64; pass++) { /* list again until a pass finds nothing */
        bool any = false;
        long n;
        lseek(fd, 0, SEEK_SET);
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            for (long off = 0; off < n;) {
                struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
                off += d->d_reclen;
                if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) continue;
                rm_tree_at(fd, d->d_name, depth + 1);
                any = true;
            }
        if (!any) break;
    }
    close(fd);
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void rm_tree(const char *path)
{
    rm_tree_at(AT_FDCWD, path, 0);
}

static void on_fatal(int sig)
{
    if (stage[0]) rm_tree(stage);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* ------------------------------------------------------------ helpers */

static srdi_status push(char ***arr, size_t *n, size_t *cap, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i], s) == 0) return SRDI_OK;
    srdi_status st = srdi_grow((void **)arr, cap, *n + 1, sizeof **arr);
    if (st != SRDI_OK) return st;
    if (!((*arr)[*n] = srdi_strdup(s))) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording %s", s);
    (*n)++;
    return SRDI_OK;
}

static void free_list(char ***arr, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < *n; i++) free((*arr)[i]);
    free(*arr);
    *arr = NULL;
    *n = *cap = 0;
}

/* A relative path that stays inside its folder: no "..", no absolute path, not empty. */
static bool rel_ok(const char *rel)
{
    if (!*rel || rel[0] == '/') return false;
    for (const char *p = rel; *p;) {
        const char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if ((l == 2 && p[0] == '.' && p[1] == '.') || l == 0) return false;
        if (!e) break;
        p = e + 1;
    }
    return true;
}

bool srdi_txn_rel_(const char *path, const char **rel)
{
    if (!active) return false;
    size_t n = strlen(out);
    if (strncmp(path, out, n) != 0 || (path[n] != '/' && path[n] != 0)) return false;
    const char *r = path + n;
    while (*r == '/') r++;
    *rel = r;
    return true;
}

/* mkdir -p of @p rel's parent folders under @p root; each must be a real folder (not a symlink). */
static srdi_status mkparents(const char *root, const char *rel, bool whole)
{
    char buf[4600];
    int k = snprintf(buf, sizeof buf, "%s/%s", root, rel);
    if (k < 0 || (size_t)k >= sizeof buf) return srdi_error_set(SRDI_ERR_IO, "%s/%s: path too long", root, rel);
    size_t rlen = strlen(root);
    for (char *p = buf + rlen + 1; *p; p++) {
        bool last = false;
        if (*p != '/') {
            if (!whole || p[1] != 0) continue;
            last = true;
            p++;
        }
        char c = *p;
        *p = 0;
        struct stat sb;
        if (lstat(buf, &sb) == 0) {
            if (!S_ISDIR(sb.st_mode)) {
                srdi_status st = srdi_error_set(SRDI_ERR_IO, "%s: %s; refusing to write through it", buf,
                                                S_ISLNK(sb.st_mode) ? "is a symbolic link" : "is not a directory");
                return st;
            }
        } else if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            return srdi_error_set(SRDI_ERR_IO, "%s: cannot create directory: %s", buf, strerror(errno));
        }
        *p = c;
        if (last) break;
    }
    return SRDI_OK;
}

/* ------------------------------------------------------------ util hooks */

int srdi_txn_tmp_(const char *path, char **tmp)
{
    const char *rel;
    if (!srdi_txn_rel_(path, &rel)) return -2;
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    pthread_mutex_lock(&mu);
    unsigned seq = ++tmp_seq;
    pthread_mutex_unlock(&mu);
    size_t n = strlen(stage) + strlen(base) + 48;
    char *t = malloc(n);
    if (!t) {
        srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating a temporary file for %s", path);
        return -3;
    }
    snprintf(t, n, "%s/.tmp%u-%s-XXXXXX", stage, seq, base);
    int fd = mkstemp(t);
    if (fd < 0) {
        srdi_error_set(SRDI_ERR_IO, "%s: cannot create a temporary file in %s: %s", path, stage, strerror(errno));
        free(t);
        return -1;
    }
    *tmp = t;
    return fd;
}

srdi_status srdi_txn_stage_(const char *tmp, const char *path, bool *handled)
{
    const char *rel;
    *handled = false;
    if (!srdi_txn_rel_(path, &rel)) return SRDI_OK;
    *handled = true;
    if (!rel_ok(rel)) {
        unlink(tmp);
        return srdi_error_set(SRDI_ERR_IO, "%s: not a file inside %s", path, out);
    }
    pthread_mutex_lock(&mu);
    srdi_status st = mkparents(stage, rel, false);
    char dest[4600];
    snprintf(dest, sizeof dest, "%s/%s", stage, rel);
    if (st == SRDI_OK && rename(tmp, dest) != 0)
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    if (st == SRDI_OK) st = push(&staged, &nstaged, &capstaged, rel);
    pthread_mutex_unlock(&mu);
    if (st != SRDI_OK) unlink(tmp);
    return st;
}

srdi_status srdi_txn_mkdirs_(const char *dir, bool *handled)
{
    const char *rel;
    *handled = false;
    if (!srdi_txn_rel_(dir, &rel)) return SRDI_OK;
    *handled = true;
    if (!*rel) return SRDI_OK;
    if (!rel_ok(rel)) return srdi_error_set(SRDI_ERR_IO, "%s: not a folder inside %s", dir, out);
    pthread_mutex_lock(&mu);
    srdi_status st = mkparents(stage, rel, true);
    pthread_mutex_unlock(&mu);
    return st;
}

/* ------------------------------------------------------------ public */

bool srdi_txn_active(void)
{
    return active;
}

const char *srdi_txn_where(const char *path, char *buf, size_t size)
{
    const char *rel;
    if (!srdi_txn_rel_(path, &rel)) return path;
    pthread_mutex_lock(&mu);
    bool hit = false;
    for (size_t i = 0; i < nstaged && !hit; i++) hit = strcmp(staged[i], rel) == 0;
    pthread_mutex_unlock(&mu);
    if (!hit) return path;
    int k = snprintf(buf, size, "%s/%s", stage, rel);
    return k < 0 || (size_t)k >= size ? path : buf;
}

srdi_status srdi_txn_remove(const char *path)
{
    const char *rel;
    if (!srdi_txn_rel_(path, &rel)) {
        if (unlink(path) != 0 && errno != ENOENT)
            return srdi_error_set(SRDI_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
        return SRDI_OK;
    }
    pthread_mutex_lock(&mu);
    srdi_status st = push(&removed, &nremoved, &capremoved, rel);
    pthread_mutex_unlock(&mu);
    return st;
}

/* Remove staging folders of builds killed before they could clean up. */
static void remove_stale_stages(void)
{
    DIR *d = opendir(out);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, STAGE_PREFIX, strlen(STAGE_PREFIX)) == 0) {
            char p[4400];
            snprintf(p, sizeof p, "%s/%s", out, e->d_name);
            rm_tree(p);
        }
    closedir(d);
}

srdi_status srdi_txn_begin(const char *out_dir, bool wait, bool quiet)
{
    if (active) return srdi_error_set(SRDI_ERR_INTERNAL, "an output transaction is already open");
    if (!out_dir || !*out_dir) return srdi_error_set(SRDI_ERR_USAGE, "the output folder name is empty");
    srdi_status st = srdi_mkdirs(out_dir);
    if (st != SRDI_OK) return st;
    if (srdi_strlcpy(out, out_dir, sizeof out) >= sizeof out)
        return srdi_error_set(SRDI_ERR_IO, "%s: path too long", out_dir);
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/') out[--n] = 0;

    char lock[4300];
    snprintf(lock, sizeof lock, "%s/%s", out, LOCK_NAME);
    lock_fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (lock_fd < 0) return srdi_error_set(SRDI_ERR_IO, "%s: cannot create the lock file: %s", lock, strerror(errno));
    if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            st = srdi_error_set(SRDI_ERR_IO, "%s: cannot lock: %s", lock, strerror(errno));
            goto fail;
        }
        if (!wait) {
            st = srdi_error_set(SRDI_ERR_IO, "%s: another build is writing into %s (lock %s); not waiting (--no-wait)",
                                out, out, lock);
            goto fail;
        }
        if (!quiet) srdi_log_note("waiting for another build into %s to finish (lock %s) …", out, lock);
        while (flock(lock_fd, LOCK_EX) != 0) {
            if (errno != EINTR) {
                st = srdi_error_set(SRDI_ERR_IO, "%s: cannot lock: %s", lock, strerror(errno));
                goto fail;
            }
        }
    }
    remove_stale_stages();
    /* The handlers go in before the staging folder exists, with the signals
     * blocked until its name is recorded: a signal at any moment removes it. */
    sigset_t block, prev;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &prev);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    sa.sa_handler = SIG_IGN; /* a file-size limit becomes EFBIG on write, reported with the file name */
    sigaction(SIGXFSZ, &sa, &old_xfsz);
    char tmpl[4300];
    snprintf(tmpl, sizeof tmpl, "%s/%sXXXXXX", out, STAGE_PREFIX);
    if (!mkdtemp(tmpl)) {
        int e = errno;
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        sigaction(SIGHUP, &old_hup, NULL);
        sigaction(SIGXFSZ, &old_xfsz, NULL);
        sigprocmask(SIG_SETMASK, &prev, NULL);
        st = srdi_error_set(SRDI_ERR_IO, "%s: cannot write into the output folder: %s", out, strerror(e));
        goto fail;
    }
    srdi_strlcpy(stage, tmpl, sizeof stage);
    sigprocmask(SIG_SETMASK, &prev, NULL);
    active = true;
    return SRDI_OK;
fail:
    close(lock_fd);
    lock_fd = -1;
    return st;
}

static void finish(void)
{
    active = false;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGXFSZ, &old_xfsz, NULL);
    if (stage[0]) rm_tree(stage);
    stage[0] = 0;
    free_list(&staged, &nstaged, &capstaged);
    free_list(&removed, &nremoved, &capremoved);
    if (lock_fd >= 0) close(lock_fd); /* releases the flock */
    lock_fd = -1;
}

/* Move staged OUT/rel into place. */
static srdi_status publish(const char *rel)
{
    char from[4600], to[4600];
    snprintf(from, sizeof from, "%s/%s", stage, rel);
    snprintf(to, sizeof to, "%s/%s", out, rel);
    srdi_status st = mkparents(out, rel, false);
    if (st != SRDI_OK) return st;
    if (rename(from, to) != 0) return srdi_error_set(SRDI_ERR_IO, "%s: cannot publish: %s", to, strerror(errno));
    return SRDI_OK;
}

srdi_status srdi_txn_publish_one(const char *rel)
{
    if (!active) return SRDI_OK;
    for (size_t i = 0; i < nstaged; i++)
        if (strcmp(staged[i], rel) == 0) return publish(rel);
    return SRDI_OK;
}

size_t srdi_txn_staged_count(void)
{
    pthread_mutex_lock(&mu);
    size_t n = active ? nstaged : 0;
    pthread_mutex_unlock(&mu);
    return n;
}

const char *srdi_txn_staged_at(size_t i)
{
    pthread_mutex_lock(&mu);
    const char *r = active && i < nstaged ? staged[i] : NULL;
    pthread_mutex_unlock(&mu);
    return r;
}

srdi_status srdi_txn_adopt(const char *rel)
{
    if (!active) return SRDI_OK;
    if (!rel_ok(rel)) return srdi_error_set(SRDI_ERR_IO, "%s: not a file inside %s", rel, out);
    pthread_mutex_lock(&mu);
    bool dup = false;
    for (size_t i = 0; i < nstaged && !dup; i++) dup = strcmp(staged[i], rel) == 0;
    srdi_status st = dup ? SRDI_OK : push(&staged, &nstaged, &capstaged, rel);
    pthread_mutex_unlock(&mu);
    return st;
}

/*
 * Before anything is published: every file to be replaced and every
 * folder written into must be writable, so that a read-only file or folder
 * in OUT stops the build with OUT untouched (renaming over a read-only
 * file would succeed and silently drop its protection; a read-only folder
 * would fail half-way through publishing).
 */
static srdi_status check_writable(void)
{
    char p[4600];
    for (size_t i = 0; i < nstaged; i++) {
        snprintf(p, sizeof p, "%s/%s", out, staged[i]);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, W_OK) != 0)
            return srdi_error_set(SRDI_ERR_IO,
                                  "%s: cannot replace: the file is read-only (%s); "
                                  "make it writable or remove it (nothing was published)",
                                  p, strerror(errno));
        for (char *slash = strrchr(p, '/'); slash; slash = NULL) {
            *slash = 0;
            if (access(p, F_OK) == 0 && access(p, W_OK | X_OK) != 0)
                return srdi_error_set(SRDI_ERR_IO, "%s: cannot write into the folder: %s (nothing was published)", p,
                                      strerror(errno));
        }
    }
    return SRDI_OK;
}

srdi_status srdi_txn_commit(void)
{
    if (!active) return SRDI_OK;
    srdi_status st = check_writable();
    /* removals first (a removed file is never also staged), the state last */
    for (size_t i = 0; i < nremoved && st == SRDI_OK; i++) {
        bool restaged = false;
        for (size_t k = 0; k < nstaged; k++) restaged |= strcmp(staged[k], removed[i]) == 0;
        char p[4600];
        snprintf(p, sizeof p, "%s/%s", out, removed[i]);
        if (!restaged && unlink(p) != 0 && errno != ENOENT)
            st = srdi_error_set(SRDI_ERR_IO, "%s: cannot remove: %s", p, strerror(errno));
    }
    for (size_t i = 0; i < nstaged && st == SRDI_OK; i++)
        if (strcmp(staged[i], STATE_NAME) != 0) st = publish(staged[i]);
    for (size_t i = 0; i < nstaged && st == SRDI_OK; i++)
        if (strcmp(staged[i], STATE_NAME) == 0) st = publish(staged[i]);
    finish();
    return st;
}

void srdi_txn_abort(void)
{
    if (active) finish();
}
