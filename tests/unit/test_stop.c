/* Unit tests of the stop request: a signal sets it, wakes a long sleep at once, makes the
 * descriptor readable for any number of waiters, and a thread's wait sees it too. */
#include "check.h"
#include "stop.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* Forks a child that runs fn and exits with its result; returns the child's wait status. */
static int in_child(int (*fn)(void))
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn());
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

/* A stop that reaches a forked child before it installs its own pipe is kept (serve and run
 * --jobs stop a run they have just forked). */
static int early_stop_kept(void)
{
    raise(SIGTERM); /* the inherited handler */
    sl_stop_fork_child();
    return sl_stop_requested() && readable(sl_stop_fd()) ? 0 : 1;
}

/* The same stop reaching a forked child twice (its parent passes it on, and systemd or a
 * Ctrl-C sends it to every process) does not kill it: it stops through the interrupt path. */
static int second_stop_not_fatal(void)
{
    sl_stop_fork_child();
    raise(SIGTERM);
    raise(SIGTERM);
    return sl_stop_requested() && readable(sl_stop_fd()) ? 0 : 1;
}

static void test_fork_child(void)
{
    int status = in_child(early_stop_kept);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    status = in_child(second_stop_not_fatal);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The control: outside a forked child, a second signal kills the process the default way. */
static int second_stop_fatal(void)
{
    raise(SIGTERM);
    raise(SIGTERM);
    return 0;
}

int main(void)
{
    CHECK(sl_stop_install() == 0);
    test_fork_child();
    int status = in_child(second_stop_fatal);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
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
