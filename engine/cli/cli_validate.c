/* cli_validate.c: see cli_validate.h. */
#include "cli_validate.h"

#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "error.h"
#include "plan_diagram.h"
#include "reference.h"

/* Compiles one file, prints its diagnostics; returns the plan (owned) or NULL. */
static sl_plan *compile_one(const char *path, bool strict)
{
    sl_diag *diag = sl_diag_new(path);
    if (!diag) {
        fputs("sluice: error: out of memory\n", stderr);
        return NULL;
    }
    sl_compile_options opts = {.resolve_secrets = strict};
    sl_plan *plan = sl_compile_file_opts(path, &opts, diag);
    sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

int sl_cmd_validate(const cli_opts *o)
{
    if (o->print_schema)
        return sl_options_schema(stdout) == 0 ? SL_OK : SL_ERR_INTERNAL;
    if (o->print_reference) {
        sl_options_reference(stdout);
        return SL_OK;
    }
    if (o->n_args == 0)
        return sl_cli_usage_error("validate", "which job file?");
    int rc = SL_OK;
    for (int i = 0; i < o->n_args; i++) {
        sl_plan *plan = compile_one(o->args[i], o->strict);
        if (!plan)
            rc = SL_ERR_CONFIG;
        sl_plan_free(plan);
    }
    return rc;
}

int sl_cmd_plan(const cli_opts *o)
{
    int fmt = o->format ? sl_plan_format_parse(o->format) : SL_PLAN_TEXT;
    if (fmt < 0)
        return sl_cli_usage_error("plan", "unknown --format '%s' (text, mermaid or dot)",
                                  o->format);
    sl_plan *plan = compile_one(o->job, o->strict);
    if (!plan)
        return SL_ERR_CONFIG;
    int rc = sl_plan_print(plan, (sl_plan_format)fmt, stdout) == 0 ? SL_OK : SL_ERR_INTERNAL;
    sl_plan_free(plan);
    return rc;
}
