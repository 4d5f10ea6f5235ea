/* fuzz_jscan.c: differential fuzz target for engine/jscan.c. Every input is decoded by
 * sl_jscan_decode (with the projection of mappings/wdt_refund.yml) and by json_loadb; both must
 * fail, or jscan's tree must equal jansson's restricted to the projection (jscan_restrict.h).
 * A difference aborts. Run from the repository root (the job file is read from there). */
#include <stdio.h>
#include <stdlib.h>

#include "compile.h"
#include "diag.h"
#include "fuzz_jscan.h"
#include "jscan_restrict.h"

static sl_plan *plan;
static sl_jscan *scan;

static void setup(void)
{
    static const char *const env[] = {"WDT_ENDPOINT", "QIMEN_APP_KEY", "QIMEN_APP_SECRET",
                                      "QIMEN_TARGET_APP_KEY", "WDT_SID", "WDT_APPKEY"};
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
        setenv(env[i], "fuzz", 1);
    setenv("WDT_APPSECRET", "secret:salt", 1);
    setenv("SLUICE_DB", "mysql://u@localhost/db", 1);
    sl_diag *diag = sl_diag_new("mappings/wdt_refund.yml");
    plan = sl_compile_file("mappings/wdt_refund.yml", diag);
    if (!plan || !(scan = sl_jscan_new(plan))) {
        sl_diag_print(diag, stderr);
        fprintf(stderr, "fuzz_jscan: run from the repository root\n");
        abort();
    }
    sl_diag_free(diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!plan)
        setup();
    if (rx_differ(scan, plan, (const char *)data, size, "fuzz input"))
        abort();
    return 0;
}
