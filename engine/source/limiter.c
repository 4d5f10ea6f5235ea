/* limiter.c: see limiter.h. Multiplicative decrease on throttles, additive increase on success.
 * The rate (token bucket, ban, throttle feedback) lives in a bucket: the limiter's own, or one
 * of the shared pool's, in memory mapped MAP_SHARED before any fork and guarded by a robust
 * process-shared mutex (a process killed holding it does not block the others). The cap on
 * requests in flight stays the process's own: a crashed run's slots can't leak into others. */
#include "limiter.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "digest.h"

enum { DEFAULT_PAUSE_MS = 1000, RECOVER_EVERY = 20, POOL_SLOTS = 1024 };

typedef struct bucket {
    double rate0;     /* configured calls per ms (shared: the smallest of its users') */
    double rate;      /* current calls per ms */
    double tokens;    /* 0..1 */
    int64_t last_ms;  /* when tokens were last refilled */
    int64_t ban_until;
    int started;
} bucket;

typedef struct pool_slot {
    pthread_mutex_t mu;
    uint8_t id[SL_DIGEST_MAX]; /* keyed hash of the credentials; never the secret */
    bucket b;
} pool_slot;

typedef struct pool {
    pthread_mutex_t mu; /* guards taking a slot */
    uint8_t key[32];    /* the hash key: random per pool, never leaves memory */
    size_t n_used;
    pool_slot slot[POOL_SLOTS];
} pool;

struct sl_limiter {
    bucket own;
    bucket *b;          /* &own, or a slot's bucket in the pool */
    pthread_mutex_t *mu; /* the slot's lock, or NULL */
    int cap0;
    int cap;
    int in_flight;
    int successes;    /* since the cap was last raised */
};

static pool *the_pool; /* inherited by forked children, mapped shared */

static void bucket_init(bucket *b, double calls_per_minute)
{
    *b = (bucket){.rate0 = calls_per_minute / 60000.0, .tokens = 1.0, .ban_until = INT64_MIN};
    b->rate = b->rate0;
}

static void lock(sl_limiter *lim)
{
    if (lim->mu && pthread_mutex_lock(lim->mu) == EOWNERDEAD)
        pthread_mutex_consistent(lim->mu); /* a bucket is valid after any single store */
}

static void unlock(sl_limiter *lim)
{
    if (lim->mu)
        pthread_mutex_unlock(lim->mu);
}

sl_limiter *sl_limiter_new(double calls_per_minute, int concurrency)
{
    sl_limiter *lim = calloc(1, sizeof *lim);
    if (!lim)
        return NULL;
    bucket_init(&lim->own, calls_per_minute);
    lim->b = &lim->own;
    lim->cap0 = lim->cap = concurrency < 1 ? 1 : concurrency;
    return lim;
}

void sl_limiter_free(sl_limiter *lim)
{
    free(lim);
}

/* ---- the shared pool ---- */

static int shared_mutex(pthread_mutex_t *mu)
{
    pthread_mutexattr_t a;
    if (pthread_mutexattr_init(&a) != 0)
        return -1;
    int rc = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) ||
             pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) || pthread_mutex_init(mu, &a);
    pthread_mutexattr_destroy(&a);
    return rc ? -1 : 0;
}

int sl_limiter_pool_open(void)
{
    if (the_pool)
        return 0;
    pool *p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    int bad = getrandom(p->key, sizeof p->key, 0) != (ssize_t)sizeof p->key || shared_mutex(&p->mu);
    for (size_t i = 0; !bad && i < POOL_SLOTS; i++)
        bad = shared_mutex(&p->slot[i].mu);
    if (bad) {
        munmap(p, sizeof *p);
        return -1;
    }
    the_pool = p;
    return 0;
}

bool sl_limiter_pool_is_open(void)
{
    return the_pool != NULL;
}

/* The slot of id, taken when new (its bucket set for calls_per_minute); NULL when full. */
static pool_slot *pool_slot_of(const uint8_t *id, double calls_per_minute)
{
    pool *p = the_pool;
    if (pthread_mutex_lock(&p->mu) == EOWNERDEAD)
        pthread_mutex_consistent(&p->mu);
    pool_slot *s = NULL;
    for (size_t i = 0; i < p->n_used && !s; i++)
        if (!memcmp(p->slot[i].id, id, SL_DIGEST_MAX))
            s = &p->slot[i];
    if (!s && p->n_used < POOL_SLOTS) {
        s = &p->slot[p->n_used];
        memcpy(s->id, id, SL_DIGEST_MAX);
        bucket_init(&s->b, calls_per_minute);
        p->n_used++; /* last: a reader under the lock sees the slot whole */
    }
    pthread_mutex_unlock(&p->mu);
    return s;
}

sl_limiter *sl_limiter_new_shared(const void *creds, size_t len, double calls_per_minute,
                                  int concurrency)
{
    sl_limiter *lim = sl_limiter_new(calls_per_minute, concurrency);
    if (!lim || !the_pool || !len)
        return lim;
    sl_digest d;
    uint8_t id[SL_DIGEST_MAX];
    sl_digest_init(&d, SL_HASH_SHA256, the_pool->key, sizeof the_pool->key);
    sl_digest_update(&d, creds, len);
    sl_digest_final(&d, id);
    pool_slot *s = pool_slot_of(id, calls_per_minute);
    if (!s)
        return lim; /* more credentials than slots: this one is limited alone */
    lim->b = &s->b;
    lim->mu = &s->mu;
    double rate0 = calls_per_minute / 60000.0;
    lock(lim);
    if (rate0 < lim->b->rate0) /* the strictest limit of those sharing the credentials */
        lim->b->rate0 = lim->b->rate = rate0;
    unlock(lim);
    return lim;
}

/* ---- the limiter ---- */

static void refill(bucket *b, int64_t now_ms)
{
    if (!b->started) {
        b->started = 1;
        b->last_ms = now_ms;
        return;
    }
    if (now_ms > b->last_ms) {
        b->tokens += (double)(now_ms - b->last_ms) * b->rate;
        if (b->tokens > 1.0)
            b->tokens = 1.0;
        b->last_ms = now_ms;
    }
}

static int64_t take_token(bucket *b, int64_t now_ms)
{
    if (now_ms < b->ban_until)
        return b->ban_until - now_ms;
    refill(b, now_ms);
    if (b->tokens < 1.0) {
        int64_t wait = (int64_t)ceil((1.0 - b->tokens) / b->rate);
        return wait > 0 ? wait : 1;
    }
    b->tokens -= 1.0;
    return 0;
}

int64_t sl_limiter_acquire(sl_limiter *lim, int64_t now_ms)
{
    if (lim->in_flight >= lim->cap) {
        lock(lim);
        int64_t ban = lim->b->ban_until;
        unlock(lim);
        return now_ms < ban ? ban - now_ms : -1;
    }
    lock(lim);
    int64_t wait = take_token(lim->b, now_ms);
    unlock(lim);
    if (wait == 0)
        lim->in_flight++;
    return wait;
}

void sl_limiter_release(sl_limiter *lim)
{
    if (lim->in_flight > 0)
        lim->in_flight--;
}

void sl_limiter_throttled(sl_limiter *lim, int64_t now_ms, int64_t ban_ms, int concurrency_hit)
{
    int64_t until = now_ms + (ban_ms > 0 ? ban_ms : DEFAULT_PAUSE_MS);
    lock(lim);
    bucket *b = lim->b;
    if (until > b->ban_until)
        b->ban_until = until;
    b->rate /= 2.0;
    if (b->rate < b->rate0 / 16.0)
        b->rate = b->rate0 / 16.0;
    refill(b, now_ms);
    b->tokens = 0.0;
    b->last_ms = b->ban_until;
    unlock(lim);
    if (concurrency_hit && lim->cap > 1)
        lim->cap--;
    lim->successes = 0;
}

void sl_limiter_success(sl_limiter *lim)
{
    lock(lim);
    bucket *b = lim->b;
    b->rate += b->rate0 / 20.0;
    if (b->rate > b->rate0)
        b->rate = b->rate0;
    unlock(lim);
    if (lim->cap < lim->cap0 && ++lim->successes >= RECOVER_EVERY) {
        lim->cap++;
        lim->successes = 0;
    }
}

double sl_limiter_rate(const sl_limiter *lim)
{
    return lim->b->rate * 60000.0;
}

int sl_limiter_cap(const sl_limiter *lim)
{
    return lim->cap;
}

int64_t sl_limiter_ban_until(const sl_limiter *lim)
{
    return lim->b->ban_until;
}
