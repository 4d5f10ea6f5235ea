/* stop.c: see stop.h. A self-pipe: the handler writes one byte and nobody reads it, so the
 * read end stays readable for every waiter, in every thread, from then on. */
#include "stop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t requested;
static volatile sig_atomic_t forked; /* a forked run's process: its parent passes stops on */
static int pipe_fd[2] = {-1, -1};
static pid_t pipe_owner; /* the process that made the pipe: a forked child never writes its
                          * parent's (it would wake the parent's waits for nothing, forever) */

static void on_signal(int sig)
{
    if (requested && !forked) { /* the second one: the user means it */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    sl_stop_request();
}

void sl_stop_request(void)
{
    int saved = errno;
    requested = 1;
    if (pipe_fd[1] >= 0 && getpid() == pipe_owner) {
        ssize_t n = write(pipe_fd[1], "x", 1);
        (void)n; /* full or closed: already readable, or nobody waits */
    }
    errno = saved;
}

bool sl_stop_requested(void)
{
    return requested != 0;
}

int sl_stop_fd(void)
{
    return pipe_fd[0];
}

int sl_stop_install(void)
{
    int rc = 0;
    if (pipe_fd[0] < 0 && pipe2(pipe_fd, O_NONBLOCK | O_CLOEXEC) != 0) {
        pipe_fd[0] = pipe_fd[1] = -1;
        rc = -1;
    } else if (pipe_owner == 0) {
        pipe_owner = getpid();
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return rc;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool sl_stop_sleep_ms(int64_t ms)
{
    int64_t end = mono_ms() + (ms > 0 ? ms : 0);
    for (int64_t left = end - mono_ms(); !requested && left > 0; left = end - mono_ms()) {
        int slice = left > 1000 ? 1000 : (int)left; /* no pipe: the flag is seen each second */
        if (pipe_fd[0] >= 0) {
            struct pollfd p = {.fd = pipe_fd[0], .events = POLLIN};
            poll(&p, 1, slice);
        } else {
            struct timespec ts = {slice / 1000, (long)(slice % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    return requested != 0;
}

int sl_stop_fork_child(void)
{
    if (pipe_fd[0] >= 0) {
        close(pipe_fd[0]);
        close(pipe_fd[1]);
        pipe_fd[0] = pipe_fd[1] = -1;
    }
    pipe_owner = 0;
    forked = 1;
    int rc = sl_stop_install();
    if (requested) /* a stop that came since the fork: the new pipe says so too */
        sl_stop_request();
    return rc;
}
