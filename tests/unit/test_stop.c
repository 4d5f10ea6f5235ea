/* Unit tests of the stop request: a signal sets it, wakes a long sleep at once, makes the
 * descriptor readable for any number of waiters, and a thread's wait sees it too. */
#include "check.h"
#include "stop.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Sleeps "an hour" in another thread: only a stop ends it. */
static void *sleeper(void *arg)
{
    *(bool *)arg = sl_stop_sleep_ms(3600 * 1000);
    return NULL;
}

int main(void)
{
    CHECK(sl_stop_install() == 0);
    CHECK(!sl_stop_requested());
    CHECK(sl_stop_fd() >= 0 && !readable(sl_stop_fd()));
    CHECK(!sl_stop_sleep_ms(5)); /* no stop: the sleep runs out, reporting none */

    bool woke = false;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, sleeper, &woke) == 0);
    raise(SIGTERM); /* handled: the process goes on */
    pthread_join(t, NULL);
    CHECK(woke);
    CHECK(sl_stop_requested());
    CHECK(readable(sl_stop_fd()) && readable(sl_stop_fd())); /* for every waiter, every time */

    int64_t t0 = mono_ms();
    CHECK(sl_stop_sleep_ms(3600 * 1000));
    CHECK(mono_ms() - t0 < 60 * 1000); /* a deadline, not a timing: it must not sleep the hour */
    return check_done();
}
