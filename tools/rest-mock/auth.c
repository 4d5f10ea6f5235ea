/* auth.c: the credentials each auth kind demands (a bearer token, an API key in a header or a
 * parameter, HTTP basic, an OAuth2 access token from POST /oauth/token) and the 401s that
 * refuse the rest, with a JSON body and WWW-Authenticate. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rest.h"

#define MAX_TOKENS 4096 /* the oldest issued tokens are forgotten past this */

struct rm_token {
    char text[48];
    int64_t expires_ms;
    int64_t uses; /* API requests it has authorised */
};

static int b64_value(char c)
{
    const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(a, c) : NULL;
    return p ? (int)(p - a) : -1;
}

/* Decodes base64 text into out (NUL-terminated); false if malformed or too long. */
static bool b64_decode(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (; *in && *in != '='; in++) {
        int v = b64_value(*in);
        if (v < 0)
            return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n + 1 >= cap)
                return false;
            out[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[n] = '\0';
    return true;
}

/* The value after "scheme " in the Authorization header, or NULL. */
static const char *auth_value(struct MHD_Connection *mc, const char *scheme)
{
    const char *h = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Authorization");
    size_t n = strlen(scheme);
    if (!h || strncasecmp(h, scheme, n) != 0 || h[n] != ' ')
        return NULL;
    return h + n + 1;
}

/* user:password from HTTP basic, split at the first colon; false if absent or malformed. */
static bool basic_pair(struct MHD_Connection *mc, char *buf, size_t cap, char **pass)
{
    const char *v = auth_value(mc, "Basic");
    if (!v || !b64_decode(v, buf, cap) || !(*pass = strchr(buf, ':')))
        return false;
    *(*pass)++ = '\0';
    return true;
}

/* True when t is an issued token not expired and not used up (knob token-uses); counts the
 * use. */
static bool token_live(rm_server *s, const char *t)
{
    int64_t now = mock_wall_ms();
    for (size_t i = 0; i < s->ntokens; i++) {
        rm_token *k = &s->tokens[i];
        if (strcmp(k->text, t) != 0)
            continue;
        if (k->expires_ms <= now || (s->knobs.token_uses && k->uses >= s->knobs.token_uses))
            return false;
        k->uses++;
        return true;
    }
    return false;
}

static bool refuse(rm_reply *rep, const char *scheme, const char *code, const char *msg)
{
    rm_reply_error(rep, 401, code, msg);
    rm_reply_header(rep, "WWW-Authenticate", scheme);
    return false;
}

bool rm_auth_check(rm_server *s, struct MHD_Connection *mc, rm_reply *rep)
{
    const rm_creds *c = &s->creds;
    const char *v;
    char buf[512], *pass;
    switch ((rm_auth)s->knobs.auth) {
    case RM_AUTH_NONE:
        return true;
    case RM_AUTH_BEARER:
        v = auth_value(mc, "Bearer");
        if (s->knobs.shop_tokens) { /* one credential per shop: TOKEN-<shop_id> */
            const char *shop = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "shop_id");
            snprintf(buf, sizeof buf, "%s-%s", c->token, shop ? shop : "");
            return (v && shop && strcmp(v, buf) == 0) ||
                   refuse(rep, "Bearer realm=\"rest-mock\"", "unauthorized",
                          v ? "invalid bearer token for this shop" : "missing bearer token");
        }
        return (v && strcmp(v, c->token) == 0) ||
               refuse(rep, "Bearer realm=\"rest-mock\"", "unauthorized",
                      v ? "invalid bearer token" : "missing bearer token");
    case RM_AUTH_API_KEY:
        v = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, c->api_key_header);
        if (!v)
            v = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, c->api_key_param);
        return (v && strcmp(v, c->api_key) == 0) ||
               refuse(rep, "ApiKey", "unauthorized", v ? "invalid API key" : "missing API key");
    case RM_AUTH_BASIC:
        if (basic_pair(mc, buf, sizeof buf, &pass) && strcmp(buf, c->basic_user) == 0 &&
            strcmp(pass, c->basic_password) == 0)
            return true;
        return refuse(rep, "Basic realm=\"rest-mock\"", "unauthorized",
                      "missing or invalid user name and password");
    case RM_AUTH_OAUTH2:
        v = auth_value(mc, "Bearer");
        return (v && token_live(s, v)) ||
               refuse(rep, "Bearer realm=\"rest-mock\", error=\"invalid_token\"", "invalid_token",
                      v ? "the access token is unknown or expired" : "missing access token");
    }
    return true;
}

bool rm_auth_param(const rm_server *s, const char *name)
{
    return s->knobs.auth == RM_AUTH_API_KEY && strcmp(name, s->creds.api_key_param) == 0;
}

/* The token request's form fields (owned). */
typedef struct token_form {
    char *grant, *id, *secret;
} token_form;

static void token_field(void *cls, char *key, char *value)
{
    token_form *f = cls;
    char **slot = strcmp(key, "grant_type") == 0  ? &f->grant
                  : strcmp(key, "client_id") == 0 ? &f->id
                  : strcmp(key, "client_secret") == 0 ? &f->secret
                                                      : NULL;
    if (slot && !*slot) {
        *slot = value;
        value = NULL;
    }
    free(key);
    free(value);
}

static void issue(rm_server *s, rm_reply *rep)
{
    if (s->ntokens == MAX_TOKENS) {
        memmove(s->tokens, s->tokens + 1, (MAX_TOKENS - 1) * sizeof *s->tokens);
        s->ntokens--;
    }
    if (s->ntokens == s->cap_tokens) {
        s->cap_tokens = s->cap_tokens ? s->cap_tokens * 2 : 16;
        s->tokens = realloc(s->tokens, s->cap_tokens * sizeof *s->tokens);
        if (!s->tokens)
            abort();
    }
    rm_token *t = &s->tokens[s->ntokens++];
    snprintf(t->text, sizeof t->text, "at-%llu-%016llx", (unsigned long long)++s->token_seq,
             (unsigned long long)mock_rng_next(&s->rng));
    t->expires_ms = mock_wall_ms() + s->knobs.token_ttl_s * 1000;
    t->uses = 0;
    s->stats.tokens++;
    mock_buf_str(&rep->body, "{\"access_token\":");
    mock_buf_json_str(&rep->body, t->text);
    mock_buf_fmt(&rep->body, ",\"token_type\":\"Bearer\",\"expires_in\":%lld}",
                 (long long)s->knobs.token_ttl_s);
}

void rm_auth_token(rm_server *s, struct MHD_Connection *mc, const mock_buf *body, rm_reply *rep)
{
    token_form f = {0};
    char pair[512], *pass = NULL;
    rm_form_parse(body->s, token_field, &f);
    bool basic = basic_pair(mc, pair, sizeof pair, &pass);
    const char *cid = basic ? pair : f.id, *csec = basic ? pass : f.secret;
    if (!f.grant || strcmp(f.grant, "client_credentials") != 0) {
        rm_reply_error(rep, 400, "unsupported_grant_type",
                       "grant_type=client_credentials is required");
    } else if (!cid || !csec || strcmp(cid, s->creds.client_id) != 0 ||
               strcmp(csec, s->creds.client_secret) != 0) {
        s->stats.auth_failures++;
        rm_reply_error(rep, 401, "invalid_client", "unknown client or wrong client secret");
    } else {
        issue(s, rep);
    }
    free(f.grant);
    free(f.id);
    free(f.secret);
}

void rm_auth_expire_all(rm_server *s)
{
    for (size_t i = 0; i < s->ntokens; i++)
        s->tokens[i].expires_ms = 0;
}
