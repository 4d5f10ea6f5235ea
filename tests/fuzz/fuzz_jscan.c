/* fuzz_jscan.c: differential fuzz target for engine/json/jscan.c. Every input is decoded by
 * sl_jscan_decode (with the projection of mappings/wdt_refund.yml) and by json_loadb; both must
 * fail, or jscan's tree must equal jansson's restricted to the projection (jscan_restrict.h);
 * where jansson stopped at a well-formed value it cannot hold, jscan may do either.
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
    /* The job's ${env:} references are not read: only its shape matters here. */
    const sl_compile_options no_refs = {.resolve_secrets = false};
    sl_diag *diag = sl_diag_new("mappings/wdt_refund.yml");
    plan = sl_compile_file_opts("mappings/wdt_refund.yml", &no_refs, diag);
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
