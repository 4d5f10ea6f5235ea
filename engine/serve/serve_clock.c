/* serve_clock.c: what every file of the service reads: the wall clock, the names of the
 * outcomes of a run and of a job (serve_int.h). */
#include <stdio.h>
#include <time.h>

#include "serve_int.h"

int64_t sv_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *sv_outcome_name(int outcome)
{
    return outcome == SV_CRASHED ? "crashed" : sl_status_name((sl_status)outcome);
}

void sv_job_names(sv_job *j)
{
    const char *name = j->plan->name;
    if (j->account) {
        snprintf(j->who, sizeof j->who, "%s account %s", name, j->account);
        snprintf(j->labels, sizeof j->labels, "job=\"%s\",account=\"%s\"", name, j->account);
    } else {
        snprintf(j->who, sizeof j->who, "%s", name);
        snprintf(j->labels, sizeof j->labels, "job=\"%s\"", name);
    }
}
