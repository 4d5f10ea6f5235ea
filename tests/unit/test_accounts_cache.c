/* Unit tests of an accounts file kept between compiles (compile_accounts.c) and of a plan's
 * credentials (sl_plan_each_credential): a later compile of the same unchanged file reuses its
 * list, a changed file is read again; an account's credentials are its source's secret values
 * and nothing of the target. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "compile.h"

static char dir[] = "/tmp/sluice-accounts-cache-XXXXXX";

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static sl_plan *compile(const char *account)
{
    char job[128];
    snprintf(job, sizeof job, "%s/job.yml", dir);
    sl_diag *diag = sl_diag_new(job);
    sl_compile_options opts = {.resolve_secrets = true, .account = account};
    sl_plan *plan = sl_compile_file_opts(job, &opts, diag);
    if (sl_diag_errors(diag))
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

static void join(const char *value, void *ctx)
{
    strcat(ctx, value);
    strcat(ctx, "|");
}

static void credentials_of(const char *account, const char *want)
{
    sl_plan *p = compile(account);
    CHECK(p != NULL);
    if (!p)
        return;
    char got[256] = "";
    sl_plan_each_credential(p, join, got);
    CHECK_STR(got, want);
    sl_plan_free(p);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    write_file("job.yml",
               "version: 1\nname: t\naccounts_file: accounts.yml\nsource:\n"
               "  endpoint: https://x\n  method: m\n  signer: { type: none }\n"
               "  auth: { type: bearer, token: \"${account:token}\" }\n"
               "  request: { headers: { X-Shop: \"${account:id}\" } }\n"
               "  window: { from_param: a, to_param: b, start: \"2024-01-01 00:00:00\" }\n"
               "  paging: { page_param: p, size_param: s, total: total }\n  records: items\n"
               "target:\n  dsn: \"mysql://u:Db-Pass@h/d\"\n  table: t\n  key: id\n"
               "columns:\n  id: { path: id, type: int }\n");
    write_file("a.tok", "Token-A\n");
    write_file("b.tok", "Token-B\n");
    write_file("accounts.yml", "- { id: a, secrets: { token: \"${file:a.tok}\" } }\n"
                               "- { id: b, secrets: { token: \"${file:b.tok}\" } }\n");
    sl_plan *all = compile(NULL);
    CHECK(all && all->n_accounts == 2 && !all->account);
    sl_plan_free(all);
    /* The list reused; the id in a header is no secret. */
    credentials_of("a", "Bearer Token-A|Token-A|");
    credentials_of("b", "Bearer Token-B|Token-B|");

    /* The file changes (another size): the next compile reads it again. */
    write_file("accounts.yml", "- { id: a, secrets: { token: \"${file:a.tok}\" } }\n"
                               "- { id: b, secrets: { token: \"${file:b.tok}\" } }\n"
                               "- { id: c, secrets: { token: \"${file:a.tok}\" } }\n");
    all = compile(NULL);
    CHECK(all && all->n_accounts == 3);
    sl_plan_free(all);
    credentials_of("c", "Bearer Token-A|Token-A|"); /* as for a: one shared limiter */
    sl_plan *none = compile("d");
    CHECK(none == NULL);

    /* An account without the token the job reads: found in the file read again, although
     * every account of the list kept before had it. */
    write_file("accounts.yml", "- { id: a, secrets: { token: \"${file:a.tok}\" } }\n"
                               "- { id: b, values: { region: east } }\n");
    none = compile(NULL);
    CHECK(none == NULL);

    const char *files[] = {"job.yml", "a.tok", "b.tok", "accounts.yml"};
    for (size_t i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return check_done();
}
