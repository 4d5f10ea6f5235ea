/* serve_clock.c: what every file of the service reads: the wall clock and the names of the
 * outcomes of a run (serve_int.h). */
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
