/* oauth2.c: the auth method `oauth2`: OAuth2 client credentials (RFC 6749 section 4.4). The
 * access token is fetched from token_url when the first request needs it (a form POST of
 * grant_type, client_id, client_secret and scope), sent as "Authorization: Bearer <token>",
 * kept until a quarter of its life (at most 60 s) before expires_in, and fetched again once
 * when a request carrying it gets a 401 (the source then sends that request again, once). The
 * token and the client secret are never printed: the plan shows where they come from, and a
 * refusal quotes the token endpoint's own words. */
#include <curl/curl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "apiwords.h"
#include "auth.h"
#include "plan.h"
#include "urlcode.h"

enum { TOKEN_REPLY_MAX = 64 << 10, MARGIN_MAX_MS = 60000, KEPT_OLD = 8 };

typedef struct oauth2_opts {
    sl_optval token_url, client_id, client_secret, scope, allow_insecure_http;
} oauth2_opts;

#define F(field) offsetof(oauth2_opts, field)
static const sl_opt rows[] = {
    {"token_url", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, F(token_url), NULL, NULL,
     "the token endpoint (http:// or https://), where the access token is asked for"},
    {"client_id", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, F(client_id), NULL, NULL,
     "the client's id (may be a ${env:}/${file:} reference)"},
    {"client_secret", SL_T_SECRET, SL_OF_REQUIRED, NULL, 1, 0, F(client_secret), NULL, NULL,
     "the client's secret, as ${env:NAME} or ${file:PATH}"},
    {"scope", SL_T_STRING, 0, NULL, 1, 0, F(scope), NULL, NULL,
     "the scope asked for (space-separated), when the API wants one"},
    {"allow_insecure_http", SL_T_BOOL, 0, "false", 1, 0, F(allow_insecure_http), NULL, NULL,
     "true: token_url may be plain http:// to another machine (the client secret then "
     "travels unencrypted)"},
};
#undef F

static const sl_opt_table table = {"auth", "oauth2", rows, sizeof rows / sizeof rows[0]};

/* The compiled method: what every request carries (a header whose value the session fills)
 * and how to ask for the token. */
typedef struct oauth2_cfg {
    sl_auth_cred cred; /* first: the source reads it as any method's credential */
    char *token_url, *client_id, *client_secret, *scope;
} oauth2_cfg;

static void cfg_free(void *p)
{
    oauth2_cfg *o = p;
    if (!o)
        return;
    free(o->cred.header);
    free(o->token_url);
    free(o->client_id);
    free(o->client_secret);
    free(o->scope);
    free(o);
}

/* token_url must be http(s), and plain http only to this machine unless allowed: the client
 * secret goes there. Messages name the host only (the rest of a URL may hold a key). */
static void check_url(sl_kind_ctx *c, const sl_optval *url, const sl_optval *allow, const char *u)
{
    char host[256];
    if (sl_kind_unread(url))
        return;
    if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
        sl_kind_error(c, url, "auth 'oauth2': token_url must start with http:// or https://");
    else if (!allow->i && sl_url_plain_remote(u, host, sizeof host))
        sl_kind_error(c, url,
                      "auth 'oauth2': token_url is plain http:// to '%s', not this machine: use "
                      "https://, or set 'allow_insecure_http: true' in auth if unencrypted "
                      "traffic is intended", host);
}

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const oauth2_opts *o = opts;
    oauth2_cfg *a = calloc(1, sizeof *a);
    if (!a || !(a->cred.header = strdup("Authorization")))
        return cfg_free(a), NULL;
    sl_kind_text(c, &o->token_url, &a->token_url);
    sl_kind_text(c, &o->client_id, &a->client_id);
    sl_kind_secret(c, &o->client_secret, &a->client_secret);
    sl_kind_text(c, &o->scope, &a->scope);
    check_url(c, &o->token_url, &o->allow_insecure_http, a->token_url ? a->token_url : "");
    return a;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    const oauth2_cfg *a = cfg;
    fprintf(out, "  auth: header Authorization: Bearer <an access token, fetched>\n");
    sl_plan_put_field(plan, out, "    token_url", &a->token_url);
    sl_plan_put_field(plan, out, "    client_id", &a->client_id);
    sl_plan_put_field(plan, out, "    client_secret", &a->client_secret);
    sl_plan_put_field(plan, out, "    scope", &a->scope);
}

/* ---- the session: the token in force ---- */

typedef struct session {
    const oauth2_cfg *cfg;
    int64_t timeout_ms, connect_ms;
    char *value;        /* "Bearer <token>", or NULL when none is in force */
    char *old[KEPT_OLD]; /* the tokens in force before it, newest first (NULL: none), masked
                          * too: a request sent with one may still be answered */
    int64_t renew_at;   /* ms, monotonic: fetch another from then on */
    uint64_t gen;       /* numbers the tokens fetched */
} session;

typedef struct reply_buf {
    char data[TOKEN_REPLY_MAX];
    size_t len;
    bool over;
} reply_buf;

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
    reply_buf *b = ctx;
    size_t len = size * n;
    if (len > sizeof b->data - 1 - b->len) {
        b->over = true;
        return 0; /* stops the transfer */
    }
    memcpy(b->data + b->len, p, len);
    b->len += len;
    return len;
}

/* Appends "&name=escaped value" (no '&' first) to the form f; false when out of memory. */
static bool form_add(CURL *h, char **f, const char *name, const char *value)
{
    char *esc = curl_easy_escape(h, value ? value : "", 0);
    size_t old = *f ? strlen(*f) : 0, n = old + strlen(name) + (esc ? strlen(esc) : 0) + 3;
    char *grown = esc ? realloc(*f, n) : NULL;
    if (grown)
        snprintf(grown + old, n - old, "%s%s=%s", old ? "&" : "", name, esc);
    curl_free(esc);
    if (!grown)
        return false;
    *f = grown;
    return true;
}

/* POSTs the token request; the HTTP status in *status, the reply in b. CURLE_OK or libcurl's
 * error. */
static CURLcode post_token(const session *s, reply_buf *b, long *status)
{
    CURL *h = curl_easy_init();
    char *form = NULL;
    struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/json");
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    const oauth2_cfg *c = s->cfg;
    if (h && hdr && form_add(h, &form, "grant_type", "client_credentials") &&
        form_add(h, &form, "client_id", c->client_id) &&
        form_add(h, &form, "client_secret", c->client_secret) &&
        (!c->scope || form_add(h, &form, "scope", c->scope))) {
        curl_easy_setopt(h, CURLOPT_URL, c->token_url);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)s->timeout_ms);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)s->connect_ms);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
        rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    }
    b->data[b->len] = '\0';
    curl_slist_free_all(hdr);
    free(form);
    curl_easy_cleanup(h);
    return rc;
}

/* Reads access_token and expires_in (seconds; none when absent) from a 200 reply into s:
 * SL_AUTH_READY; SL_AUTH_TRANSIENT when the reply is no JSON object (cut short on the way, as
 * an API's page may be); SL_AUTH_REFUSED when it holds no token. */
static void retire(session *s);

static sl_auth_got take_token(session *s, const reply_buf *b, int64_t now_ms)
{
    json_t *doc = json_loadb(b->data, b->len, 0, NULL);
    if (!json_is_object(doc))
        return json_decref(doc), SL_AUTH_TRANSIENT;
    const json_t *t = json_object_get(doc, "access_token");
    const json_t *e = json_object_get(doc, "expires_in");
    const char *tok = json_string_value(t);
    bool ok = tok && *tok && strcspn(tok, "\r\n") == strlen(tok);
    size_t n = ok ? strlen(tok) + sizeof "Bearer " : 0;
    char *v = ok ? malloc(n) : NULL;
    if (v) {
        snprintf(v, n, "Bearer %s", tok);
        double life = json_is_number(e) ? json_number_value(e)
                      : json_is_string(e) ? strtod(json_string_value(e), NULL) : 0;
        int64_t ms = life > 0 && life < 1e9 ? (int64_t)(life * 1000) : 0;
        int64_t margin = ms / 4 < MARGIN_MAX_MS ? ms / 4 : MARGIN_MAX_MS;
        retire(s);
        s->value = v;
        s->renew_at = ms ? now_ms + ms - margin : INT64_MAX;
        s->gen++;
    }
    json_decref(doc);
    return v ? SL_AUTH_READY : SL_AUTH_REFUSED;
}

/* Masks in text (cap bytes) also (NULL: nothing more), the token in force and the recent ones,
 * by sl_plan_redact's rules: any length, letters in any case, one "***" per covered stretch. */
static void mask_tokens(const session *s, const char *also, char *text, size_t cap)
{
    const char *secrets[KEPT_OLD + 2];
    size_t n = 0;
    secrets[n++] = also;
    if (s->value)
        secrets[n++] = s->value + sizeof "Bearer " - 1;
    for (size_t i = 0; i < KEPT_OLD && s->old[i]; i++)
        secrets[n++] = s->old[i] + sizeof "Bearer " - 1;
    sl_secrets_redact(secrets, n, text, cap);
}

/* The token endpoint's words' mask (apiwords.h): the client secret and the tokens. */
static void mask_endpoint_words(void *sp, char *text, size_t cap)
{
    const session *s = sp;
    mask_tokens(s, s->cfg->client_secret, text, cap);
}

static sl_auth_got fetch(session *s, int64_t now_ms, char *why, size_t cap)
{
    reply_buf *b = calloc(1, sizeof *b);
    long status = 0;
    if (!b)
        return snprintf(why, cap, "out of memory"), SL_AUTH_REFUSED;
    CURLcode rc = post_token(s, b, &status);
    char words[SL_API_WORDS_MAX + 1];
    sl_api_words(b->data, b->len, mask_endpoint_words, s, words, sizeof words);
    sl_auth_got got = SL_AUTH_REFUSED;
    if (b->over)
        snprintf(why, cap, "the token endpoint's reply is over %d bytes", TOKEN_REPLY_MAX);
    else if (rc != CURLE_OK)
        got = SL_AUTH_TRANSIENT, snprintf(why, cap, "the token endpoint: %s",
                                          curl_easy_strerror(rc));
    else if (status >= 500 || status == 429 || status == 408)
        got = SL_AUTH_TRANSIENT, snprintf(why, cap, "the token endpoint answered HTTP %ld%s%s",
                                          status, *words ? ": " : "", words);
    else if (status != 200)
        snprintf(why, cap, "the token endpoint answered HTTP %ld%s%s; check source.auth's "
                           "client_id, client_secret and scope", status, *words ? ": " : "",
                 words);
    else if ((got = take_token(s, b, now_ms)) != SL_AUTH_READY) /* never quoted: it may hold
                                                                   * the token by another name */
        snprintf(why, cap, "the token endpoint's reply (HTTP 200) %s",
                 got == SL_AUTH_TRANSIENT ? "is not a JSON object" : "holds no access_token text");
    free(b);
    return got;
}

static void *session_new(const void *cfg, int64_t timeout_ms, int64_t connect_timeout_ms)
{
    session *s = calloc(1, sizeof *s);
    if (s)
        *s = (session){.cfg = cfg, .timeout_ms = timeout_ms, .connect_ms = connect_timeout_ms};
    return s;
}

static sl_auth_got current(void *sp, int64_t now_ms, const char **value, uint64_t *gen,
                           char *why, size_t cap)
{
    session *s = sp;
    if (!s->value || now_ms >= s->renew_at) {
        sl_auth_got got = fetch(s, now_ms, why, cap);
        if (got != SL_AUTH_READY)
            return got;
    }
    *value = s->value;
    *gen = s->gen;
    return SL_AUTH_READY;
}

static void refused(void *sp, uint64_t gen)
{
    session *s = sp;
    if (gen == s->gen)
        retire(s);
}

/* The token in force is kept among the old ones (for masking) and is no longer in force. */
static void retire(session *s)
{
    if (!s->value)
        return;
    free(s->old[KEPT_OLD - 1]);
    memmove(s->old + 1, s->old, (KEPT_OLD - 1) * sizeof s->old[0]);
    s->old[0] = s->value;
    s->value = NULL;
}

static void mask(void *sp, char *text, size_t cap)
{
    mask_tokens(sp, NULL, text, cap);
}

static void session_free(void *sp)
{
    session *s = sp;
    if (s) {
        free(s->value);
        for (size_t i = 0; i < KEPT_OLD; i++)
            free(s->old[i]);
    }
    free(s);
}

static const sl_auth_ops ops = {session_new, current, refused, mask, session_free};

const sl_kind sl_kind_auth_oauth2 = {
    .family = "auth",
    .name = "oauth2",
    .doc = "OAuth2 client credentials: an access token fetched from token_url, sent as a "
           "bearer token, fetched again when it expires or a request gets a 401.",
    .opts = &table,
    .opts_size = sizeof(oauth2_opts),
    .compile = compile,
    .dump = dump,
    .free = cfg_free,
    .ops = &ops,
};
