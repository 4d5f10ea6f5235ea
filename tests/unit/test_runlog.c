/* Unit tests of runlog.c: a run's failure message and event lines never show any part of a
 * secret, even when the message is longer than the record and the secret lies across its end
 * (it used to be cut first and masked after, so the secret's beginning was printed). */
#include <stdlib.h>

#include "check.h"
#include "plan_int.h"
#include "runlog.h"

#define SECRET "TOPSECRETvalue42"

/* Returns a plan named "j" holding SECRET; owned. */
static sl_plan *secret_plan(void)
{
    sl_plan *plan = sl_plan_alloc();
    CHECK(plan != NULL);
    plan->name = strdup("j");
    CHECK(sl_plan_add_secret(plan, SECRET) == 0);
    return plan;
}

/* A message that starts with pad bytes of filler and then holds SECRET; owned. */
static char *filler(size_t pad)
{
    char *f = malloc(pad + 1);
    memset(f, 'a', pad);
    f[pad] = '\0';
    return f;
}

/* The secret starts at every offset around the failure record's capacity. */
static void test_fail_never_shows_a_cut_secret(void)
{
    sl_plan *plan = secret_plan();
    for (size_t pad = 1000; pad < 1030; pad++) {
        sl_error err = {0};
        sl_runlog rl = {.plan = plan, .err = &err};
        char *f = filler(pad);
        CHECK(sl_runlog_fail(&rl, SL_ERR_SOURCE, "%s%s tail", f, SECRET) == SL_ERR_SOURCE);
        CHECK(strstr(err.msg, "TOPS") == NULL);
        CHECK(strncmp(err.msg, "aaaa", 4) == 0);
        CHECK(strlen(err.msg) < sizeof err.msg);
        free(f);
    }
    sl_error err = {0};
    sl_runlog rl = {.plan = plan, .err = &err};
    sl_runlog_fail(&rl, SL_ERR_SOURCE, "short %s end", SECRET);
    CHECK_STR(err.msg, "short *** end");
    sl_plan_free(plan);
}

/* The same for an event line. */
static void test_event_never_shows_a_cut_secret(void)
{
    sl_plan *plan = secret_plan();
    for (size_t pad = 980; pad < 1030; pad++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *log = open_memstream(&buf, &len);
        CHECK(log != NULL);
        sl_runlog rl = {.plan = plan, .log = log};
        char *f = filler(pad);
        sl_runlog_event(&rl, "%s%s tail", f, SECRET);
        fclose(log);
        CHECK(strstr(buf, "TOPS") == NULL);
        CHECK(strstr(buf, " sluice j: aaaa") != NULL);
        CHECK(len > 0 && buf[len - 1] == '\n');
        free(f);
        free(buf);
    }
    sl_plan_free(plan);
}

int main(void)
{
    test_fail_never_shows_a_cut_secret();
    test_event_never_shows_a_cut_secret();
    return check_done();
}
