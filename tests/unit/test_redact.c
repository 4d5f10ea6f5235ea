/* Unit tests of sl_plan_redact: every secret of a plan is masked wherever it appears. */
#include "check.h"
#include "plan.h"
#include "plan_int.h"

int main(void)
{
    sl_plan *plan = sl_plan_alloc();
    CHECK(plan != NULL);
    sl_plan_add_secret(plan, "qmsecret");
    sl_plan_add_secret(plan, "mysql://u:pw123@h/db");
    char msg[128] = "bad sign qmsecret and qmsecret; dsn mysql://u:pw123@h/db";
    sl_plan_redact(plan, msg, sizeof msg);
    CHECK_STR(msg, "bad sign *** and ***; dsn ***");
    char tight[16] = "xqmsecretyyyyyy";
    sl_plan_redact(plan, tight, sizeof tight);
    CHECK_STR(tight, "x***yyyyyy");
    char none[32] = "nothing to hide";
    sl_plan_redact(plan, none, sizeof none);
    CHECK_STR(none, "nothing to hide");
    sl_plan_free(plan);
    return check_done();
}
