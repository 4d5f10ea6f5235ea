/* plan.c: the plan's queries that every stage uses: the names of its enums, its allocation and
 * secrets bookkeeping, the origin-aware printing of a field, and redaction. (Freeing and
 * dumping reach into each element's own module, so they sit above: plan_free.c, plan_dump.c.) */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "plan_int.h"
#include "text.h"

const char *const sl_action_names[] = {[SL_ACT_THROTTLE] = "throttle", [SL_ACT_RETRY] = "retry",
                                       [SL_ACT_FAIL] = "fail", [SL_ACT_SPLIT] = "split", NULL};
const char *const sl_http_method_names[] = {"POST", "GET", NULL};
const char *const sl_body_names[] = {"form", "json", NULL};
const char *const sl_write_mode_names[] = {[SL_WRITE_REPLACE] = "replace",
                                           [SL_WRITE_UPSERT] = "upsert", NULL};
const char *const sl_load_mode_names[] = {[SL_LOAD_BULK] = "bulk", [SL_LOAD_DATA] = "load_data",
                                          [SL_LOAD_STATEMENTS] = "statements", NULL};
const char *const sl_alert_format_names[] = {[SL_ALERT_WECOM] = "wecom",
                                             [SL_ALERT_DINGTALK] = "dingtalk",
                                             [SL_ALERT_JSON] = "json", NULL};
const char *const sl_alert_on_names[] = {"failure", "rejects", "success", "quality", "volume",
                                         NULL};
const char *const sl_dq_kind_names[] = {[SL_DQ_RANGE] = "range", [SL_DQ_PATTERN] = "pattern",
                                        [SL_DQ_VALUES] = "values", [SL_DQ_NOT_NULL] = "not_null",
                                        [SL_DQ_UNIQUE] = "unique", [SL_DQ_CHECK] = "check", NULL};
const char *const sl_personal_names[] = {"clear", "mask", "hash", "drop", NULL};
const char *const sl_dq_action_names[] = {[SL_DQ_REJECT] = "reject", [SL_DQ_WARN] = "warn", NULL};
const char *const sl_volume_by_names[] = {"hour", "day", NULL};


sl_plan *sl_plan_alloc(void)
{
    sl_plan_priv *priv = calloc(1, sizeof *priv);
    return priv ? &priv->pub : NULL;
}

int sl_plan_add_secret(sl_plan *plan, const char *value)
{
    if (!value || !value[0])
        return 0;
    for (size_t i = 0; i < plan->n_secrets; i++)
        if (!strcmp(plan->secrets[i], value))
            return 0;
    sl_plan_priv *priv = (sl_plan_priv *)plan;
    char **s = sl_grow(plan->secrets, &priv->cap_secrets, plan->n_secrets + 1, sizeof *s, 8);
    if (!s)
        return -1;
    plan->secrets = s;
    if (!(s[plan->n_secrets] = strdup(value)))
        return -1;
    plan->n_secrets++;
    return 0;
}

int sl_plan_mark_secret(sl_plan *plan, char *const *field, const char *ref, bool resolved)
{
    sl_plan_priv *priv = (sl_plan_priv *)plan;
    sl_plan_origin *o =
        sl_grow(priv->origins, &priv->cap_origins, priv->n_origins + 1, sizeof *o, 8);
    if (!o)
        return -1;
    priv->origins = o;
    char *copy = ref ? strdup(ref) : NULL;
    if (ref && !copy)
        return -1;
    priv->origins[priv->n_origins++] =
        (sl_plan_origin){(const char *const *)field, copy, resolved};
    return 0;
}

static bool is_secret(const sl_plan *plan, const char *value)
{
    for (size_t i = 0; i < plan->n_secrets; i++)
        if (!strcmp(plan->secrets[i], value))
            return true;
    return false;
}

void sl_plan_each_credential(const sl_plan *plan, void (*fn)(const char *value, void *ctx),
                             void *ctx)
{
    const sl_plan_priv *priv = (const sl_plan_priv *)plan;
    for (size_t i = priv->cred_from; i < priv->cred_to && i < priv->n_origins; i++) {
        const sl_plan_origin *o = &priv->origins[i];
        const char *value = *o->field;
        if (o->resolved && value && value[0] && is_secret(plan, value))
            fn(value, ctx);
    }
}

/* The text to print for a string field: its value, or where it came from when it was read
 * through a reference or is a secret (the origins the compiler recorded). */
const char *sl_plan_shown(const sl_plan *plan, char *const *field, char *buf, size_t n)
{
    const sl_plan_priv *priv = (const sl_plan_priv *)plan;
    for (size_t i = 0; i < priv->n_origins; i++) {
        const sl_plan_origin *o = &priv->origins[i];
        if (o->field != (const char *const *)field)
            continue;
        if (!o->ref)
            snprintf(buf, n, "<secret written in the job file>");
        else
            snprintf(buf, n, "<secret from %s%s>", o->ref, o->resolved ? "" : ", not read");
        return buf;
    }
    return *field ? *field : "(none)";
}

void sl_plan_put_field(const sl_plan *plan, FILE *out, const char *label, char *const *field)
{
    char buf[1200];
    fprintf(out, "%s: %s\n", label, sl_plan_shown(plan, field, buf, sizeof buf));
}

/* The first occurrence of needle in hay, ASCII letters compared without case (a message may
 * upper-case what it quotes, as the plan's SQL types do); NULL when none. */
static const char *find_nocase(const char *hay, const char *needle, size_t n)
{
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

/* Marks in hide[] every byte of text inside some occurrence of some secret (occurrences may
 * overlap, and one secret may sit inside another: all of them are covered). */
static void cover_secrets(const char *const *secrets, size_t n_secrets, const char *text,
                          bool *hide)
{
    for (size_t i = 0; i < n_secrets; i++) {
        const char *secret = secrets[i];
        size_t n = secret ? strlen(secret) : 0;
        if (n == 0)
            continue;
        for (const char *hit = find_nocase(text, secret, n); hit;
             hit = find_nocase(hit + 1, secret, n))
            memset(hide + (hit - text), 1, n);
    }
}

/* Writes text with each run of hidden bytes replaced by one mask into out (cap bytes); a mask
 * that does not fit whole is cut, so no hidden byte is ever written, and a character that
 * does not fit whole is left out. */
static void write_masked(const char *text, size_t len, const bool *hide, char *out, size_t cap)
{
    static const char mask[] = "***";
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < cap;) {
        if (!hide[i]) {
            size_t n = sl_text_char_len(text + i, len - i);
            n = n ? n : 1; /* an invalid byte is copied as it is (the caller escapes) */
            for (size_t k = 1; k < n; k++)
                if (hide[i + k]) { /* a secret starts inside it: copy up to there */
                    n = k;
                    break;
                }
            if (o + n >= cap)
                break;
            memcpy(out + o, text + i, n);
            o += n;
            i += n;
            continue;
        }
        for (size_t k = 0; k < sizeof mask - 1 && o + 1 < cap; k++)
            out[o++] = mask[k];
        while (i < len && hide[i])
            i++;
    }
    out[o] = '\0';
}

bool sl_plan_holds_secret(const sl_plan *plan, const char *text)
{
    for (size_t i = 0; plan && i < plan->n_secrets; i++) {
        size_t n = strlen(plan->secrets[i]);
        if (n && find_nocase(text, plan->secrets[i], n))
            return true;
    }
    return false;
}

void sl_plan_redact(const sl_plan *plan, char *text, size_t cap)
{
    if (plan)
        sl_secrets_redact((const char *const *)plan->secrets, plan->n_secrets, text, cap);
}

void sl_secrets_redact(const char *const *secrets, size_t n, char *text, size_t cap)
{
    if (n == 0 || cap == 0)
        return;
    size_t len = strlen(text);
    bool *hide = calloc(len + 1, sizeof *hide);
    char *copy = malloc(len + 1);
    if (!hide || !copy) { /* cannot tell what to hide: hide everything */
        snprintf(text, cap, "***");
    } else {
        memcpy(copy, text, len + 1);
        cover_secrets(secrets, n, copy, hide);
        write_masked(copy, len, hide, text, cap);
    }
    free(hide);
    free(copy);
}
