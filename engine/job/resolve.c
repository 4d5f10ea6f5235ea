/* resolve.c: stage 2 of the compiler: every ${env:NAME} / ${file:PATH} value is read (or, when
 * validating without secrets, only checked) and registered as a secret. See compile_int.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_int.h"
#include "plan_int.h"

enum { SECRET_FILE_MAX = 64 * 1024 };

static bool env_name_ok(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Reads a ${file:} reference's file into *out (owned), trailing newline stripped. */
static int read_secret_file(cc *c, const sl_ynode *node, const char *ref_path, char **out)
{
    char full[4096];
    if (ref_path[0] == '/' || !c->dir)
        snprintf(full, sizeof full, "%s", ref_path);
    else
        snprintf(full, sizeof full, "%s/%s", c->dir, ref_path);
    FILE *f = fopen(full, "rb");
    if (!f) {
        sl_diag_error(c->diag, node->pos, "cannot read file '%s': %s", ref_path, strerror(errno));
        return -1;
    }
    char *buf = malloc(SECRET_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, SECRET_FILE_MAX + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad || n > SECRET_FILE_MAX || memchr(buf, '\0', n)) {
        sl_diag_error(c->diag, node->pos, "cannot read file '%s': %s", ref_path,
                      bad ? "read error" : n > SECRET_FILE_MAX ? "larger than 64 KiB"
                                                              : "it holds a NUL byte");
        free(buf);
        return -1;
    }
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    char *fit = realloc(buf, n + 1); /* keep the value, not the 64 KiB it was read into */
    *out = fit ? fit : buf;
    return 0;
}

static int read_ref(cc *c, const sl_ynode *node, bool is_env, const char *arg, char **value)
{
    if (!is_env)
        return read_secret_file(c, node, arg, value);
    const char *v = getenv(arg);
    if (!v) {
        sl_diag_error(c->diag, node->pos, "environment variable %s is not set", arg);
        return -1;
    }
    *value = strdup(v);
    return *value ? 0 : -1;
}

/* Sets node's text to value (taken; NULL: out of memory) as read through its reference,
 * registering it as a secret when it is one. */
static void take_value(cc *c, sl_ynode *node, char *value, bool secret)
{
    if (!value || !node->ref) {
        free(value);
        return;
    }
    if ((c->ref_bytes += strlen(value)) > SL_MAX_REF_BYTES) {
        sl_diag_error(c->diag, node->pos,
                      "values read through references exceed %d bytes (1 MiB) in all",
                      SL_MAX_REF_BYTES);
        free(value);
        return;
    }
    free(node->str);
    node->str = value;
    node->len = strlen(value);
    if (secret && value[0])
        sl_plan_add_secret(c->plan, value);
}

static void resolve_scalar(cc *c, sl_ynode *node);

/* Every account has the value or secret `name` (or it is `id`); else reported at node. */
static bool every_account_has(cc *c, const sl_ynode *node, const char *name)
{
    const acct_opts *a = cc_account_lacking(c, name);
    if (a)
        sl_diag_error(c->diag, node->pos, "${account:%s}: account '%s' (line %d) has no "
                      "value or secret '%s'", name, a->o.id.s, a->node->pos.line, name);
    return !a;
}

/* ${account:NAME}: the value or secret NAME of the account the plan is compiled for; unread
 * (empty) in the plan of the whole job. */
static void resolve_account(cc *c, sl_ynode *node, const char *name)
{
    if (!c->has_accounts) {
        sl_diag_error(c->diag, node->pos, "${account:%s}: the job has no `accounts`", name);
        return;
    }
    if (!every_account_has(c, node, name))
        return;
    char ref[200];
    snprintf(ref, sizeof ref, "account:%s", name);
    free(node->ref);
    if (!(node->ref = strdup(ref)))
        return;
    bool secret = false;
    const sl_ynode *v = c->acc_sel && strcmp(name, "id")
                            ? cc_account_value(c->acc_sel, name, &secret) : NULL;
    if (!c->acc_sel || (secret && !c->resolve)) {
        node->unresolved = true;
        take_value(c, node, strdup(""), false);
    } else if (!v) {
        take_value(c, node, strdup(c->acc_sel->o.id.s), false);
    } else if (secret && strstr(v->str, "${")) {
        char *keep = node->ref; /* read the account's reference in place of this one */
        node->ref = NULL;
        free(node->str);
        if ((node->str = strdup(v->str)))
            resolve_scalar(c, node);
        free(node->ref);
        node->ref = keep;
    } else {
        take_value(c, node, strdup(v->str), secret);
    }
}

static void resolve_scalar(cc *c, sl_ynode *node)
{
    const char *s = node->str;
    size_t n = strlen(s);
    if (!strncmp(s, "${account:", 10) && s[n - 1] == '}' && n > 11) {
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(n - 11), s + 10);
        resolve_account(c, node, name);
        return;
    }
    bool is_env = strncmp(s, "${env:", 6) == 0, is_file = strncmp(s, "${file:", 7) == 0;
    size_t head = is_env ? 6 : 7;
    if ((!is_env && !is_file) || s[n - 1] != '}' || n <= head + 1 ||
        memchr(s + head, '}', n - head - 1) || (is_env && !env_name_ok(s + head, n - head - 1))) {
        sl_diag_error(c->diag, node->pos,
                      "malformed reference: a value using ${...} must be exactly ${env:NAME} or "
                      "${file:PATH}");
        return;
    }
    char arg[1024];
    snprintf(arg, sizeof arg, "%.*s", (int)(n - head - 1), s + head);
    char ref[1100];
    snprintf(ref, sizeof ref, "%s:%s", is_env ? "env" : "file", arg);
    node->ref = strdup(ref);
    char *value = NULL;
    if (!c->resolve) {
        node->unresolved = true;
        value = strdup("");
    } else if (c->ref_bytes > SL_MAX_REF_BYTES || read_ref(c, node, is_env, arg, &value) != 0) {
        return; /* past the limit: reported once, read no more */
    }
    take_value(c, node, value, true);
}

static void resolve_refs(cc *c, sl_ynode *node)
{
    if (node->kind == SL_Y_SCALAR) {
        if (strstr(node->str, "${"))
            resolve_scalar(c, node);
        return;
    }
    for (size_t i = 0; i < node->n; i++)
        resolve_refs(c, node->items[i]);
}

/* The root: as resolve_refs, but `target:` and `alerts:` unread when the options say so, and
 * `personal:` read when they say so. */
void cc_resolve_root(cc *c, sl_ynode *root)
{
    for (size_t i = 0; i < root->n; i++) {
        bool resolve = c->resolve;
        if (root->kind == SL_Y_MAP && !strcmp(root->keys[i]->str, "accounts"))
            continue; /* read per account, by ${account:NAME} (compile_accounts.c) */
        const char *key = root->kind == SL_Y_MAP ? root->keys[i]->str : "";
        if (c->skip_target && (!strcmp(key, "target") || !strcmp(key, "alerts")))
            c->resolve = false;
        if (c->read_personal && !strcmp(key, "personal"))
            c->resolve = true;
        resolve_refs(c, root->items[i]);
        c->resolve = resolve;
    }
}
