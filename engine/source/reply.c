/* reply.c: what one reply means for its window. A reply is classified in order: HTTP status
 * (first the error rules that read @status, then: 429 and a 503 with Retry-After throttle,
 * other 5xx and 408 are transient, anything else but 200 fails), a body that doesn't
 * decode (transient, or refused when too large), the error rules (throttle, retry, split,
 * fail); a reply that passes them all is a page, which the window's pager reads (docs/sync-rules.md,
 * rules 3 to 6 and 11 to 13). */
#include "reply.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "apiwords.h"
#include "expr.h"
#include "jpath.h"
#include "regex.h"
#include "text.h"

enum { MAX_THROTTLES_PER_REQUEST = 200 };

static uint64_t rng_next(sl_source *src)
{
    src->rng ^= src->rng << 13;
    src->rng ^= src->rng >> 7;
    src->rng ^= src->rng << 17;
    return src->rng;
}

static void window_name(const sl_source *src, const sl_window *w, char *out, size_t len)
{
    sl_runlog_window(src->rl, w->from, w->to, out, len);
}

/* ---- retry, throttle, split ---- */

static int64_t backoff_ms(sl_source *src, int attempt)
{
    const sl_source_plan *sp = src->sp;
    double d = (double)sp->backoff_min_ms * pow(2.0, attempt - 1);
    if (d > (double)sp->backoff_max_ms)
        d = (double)sp->backoff_max_ms;
    /* "equal jitter": half fixed, half random, so retries of many requests spread out. */
    int64_t half = (int64_t)(d / 2);
    return half + (half > 0 ? (int64_t)(rng_next(src) % (uint64_t)half) : 0);
}

void sl_source_transient(sl_source *src, sl_window *w, const char *what)
{
    win_read *wr = read_of(w);
    char name[64];
    window_name(src, w, name, sizeof name);
    wr->attempts++;
    src->stats.retries++;
    if (wr->attempts >= src->sp->retry_attempts) {
        sl_runlog_fail(src->rl, SL_ERR_SOURCE,
                       "window %s page %" PRId64 ": giving up after %d attempts: %s", name,
                       wr->label, wr->attempts, what);
        return;
    }
    int64_t wait = backoff_ms(src, wr->attempts);
    wr->not_before = sl_source_now_ms() + wait;
    sl_runlog_event(src->rl, "window %s page %" PRId64 ": %s; retry %d in %" PRId64 " ms", name,
                    wr->label, what, wr->attempts, wait);
}

/* A throttle of w: what names its cause ("HTTP 429", "error rule"), words are the API's
 * (quoted only when the wait is refused). */
static void throttled(sl_source *src, sl_window *w, int64_t ban_ms, int conc, const char *what,
                      const char *words)
{
    win_read *wr = read_of(w);
    int64_t cap = src->sp->max_wait_ms;
    if (ban_ms > cap) {
        /* Obeying would hold the run lock for as long as the API likes: fail the request as
         * transient, so retry.attempts bounds what a hostile or broken throttle can cost. */
        char why[SL_API_WORDS_MAX + 160];
        snprintf(why, sizeof why,
                 "%s asks to wait %" PRId64 " s, more than source.limits.max_wait (%" PRId64
                 " s)%s%s",
                 what, ban_ms / 1000, cap / 1000, *words ? ": " : "", words);
        sl_source_transient(src, w, why);
        return;
    }
    src->stats.throttles++;
    if (++wr->throttles > MAX_THROTTLES_PER_REQUEST) {
        sl_runlog_fail(src->rl, SL_ERR_SOURCE,
                       "throttled %d times on one request (%s); lower calls_per_minute",
                       wr->throttles - 1, what);
        return;
    }
    int64_t t = sl_source_now_ms();
    if (src->lim) {
        sl_limiter_throttled(src->lim, t, ban_ms, conc);
        ban_ms = sl_limiter_ban_until(src->lim) - t; /* the pause in force, default included */
    }
    sl_runlog_event(src->rl, "throttled (%s)%s; waiting %" PRId64 " ms, rate now %.0f/min", what,
                    conc ? ", concurrency" : "", ban_ms,
                    src->lim ? sl_limiter_rate(src->lim) : 0.0);
}

static void split_window(sl_source *src, sl_window *w, const char *why)
{
    char name[64];
    window_name(src, w, name, sizeof name);
    sl_window *b = sl_wq_split(&src->q, w);
    if (!b) {
        sl_runlog_fail(src->rl, SL_ERR_SOURCE,
                       "window %s can't be split further (%s); raise max_records or narrow the "
                       "filters; the watermark stays before it",
                       name, why);
        return;
    }
    if (sl_source_window_open(src, b) != 0) {
        sl_runlog_fail(src->rl, SL_ERR_INTERNAL, "out of memory");
        return;
    }
    src->stats.splits++;
    sl_runlog_event(src->rl, "window %s split in halves (%s)", name, why);
    sl_source_window_restart(src, w);
}

/* ---- error rules ---- */

static int64_t rule_wait_ms(const sl_error_rule *rule, const json_t *doc)
{
    if (!rule->wait_path || !rule->wait_regex)
        return 0;
    const json_t *v = sl_jpath_get(rule->wait_path, doc);
    if (!json_is_string(v))
        return 0;
    size_t start, len;
    const char *s = json_string_value(v);
    if (sl_regex_group(rule->wait_regex, s, json_string_length(v), 1, &start, &len) !=
        SL_RE_MATCHED)
        return 0; /* no number (or the pattern gave up): the default wait */
    int64_t secs = 0;
    for (size_t i = 0; i < len && secs < 86400; i++)
        if (s[start + i] >= '0' && s[start + i] <= '9')
            secs = secs * 10 + (s[start + i] - '0');
    return secs * 1000;
}

/* Masks in text the credential a fetched-credential method has in force (the plan's secrets
 * are masked by the run log): a reply may echo it. */
static void mask_credential(const sl_source *src, char *text, size_t cap)
{
    if (src->auth)
        src->auth->mask(src->auth_session, text, cap);
}

/* The API's words' mask (apiwords.h): the plan's secrets and the credential in force, masked
 * before the words are cut to size (after the cut, the start of a secret would not be). */
static void mask_words(void *ctx, char *text, size_t cap)
{
    const sl_source *src = ctx;
    sl_plan_redact(src->plan, text, cap);
    mask_credential(src, text, cap);
}

static void rule_failed(sl_source *src, sl_window *w, const sl_error_rule *rule,
                        const json_t *doc)
{
    char name[64];
    window_name(src, w, name, sizeof name);
    const json_t *m = rule->message ? sl_jpath_get(rule->message, doc) : NULL;
    char *dump = m ? NULL : json_dumps(doc, JSON_COMPACT);
    const char *text = json_is_string(m) ? json_string_value(m) : dump ? dump : "";
    size_t len = json_is_string(m) ? json_string_length(m) : strlen(text);
    char quoted[SL_API_WORDS_MAX + 1];
    sl_api_quote(text, len, mask_words, src, quoted, sizeof quoted);
    sl_runlog_fail(src->rl, SL_ERR_SOURCE, "the API refused window %s (rule at %s:%d): %s%s%s",
                   name, src->plan->file, rule->pos.line, quoted, rule->hint ? "; " : "",
                   rule->hint ? rule->hint : "");
    free(dump);
}

/* Applies the first matching error rule to a reply of this HTTP status; returns 1 when one
 * matched. A rule that doesn't read @status sees only 200 replies, as it was written for. */
static int apply_rules(sl_source *src, sl_window *w, const json_t *doc, long status)
{
    for (size_t i = 0; i < src->sp->n_rules; i++) {
        const sl_error_rule *rule = &src->sp->rules[i];
        if (status != 200 && !sl_expr_uses_status(rule->when))
            continue;
        if (!sl_expr_eval_http(rule->when, doc, status, src->headers))
            continue;
        switch (rule->then) {
        case SL_ACT_THROTTLE:
            throttled(src, w, rule_wait_ms(rule, doc), rule->lower_concurrency, "error rule",
                      "");
            break;
        case SL_ACT_RETRY:
            sl_source_transient(src, w, "error rule says retry");
            break;
        case SL_ACT_SPLIT:
            split_window(src, w, "the API says the window is too wide");
            break;
        case SL_ACT_FAIL:
            rule_failed(src, w, rule, doc);
            break;
        }
        return 1;
    }
    return 0;
}

/* ---- pages ---- */

/* Does what the pager answered about w (a reply's step, or the window's completion). */
static void page_act(sl_source *src, sl_window *w, sl_page_act act, const sl_page_note *note)
{
    char name[64];
    switch (act) {
    case SL_PAGE_SKIP:
    case SL_PAGE_TAKE:
    case SL_PAGE_LAST:
        return;
    case SL_PAGE_DONE:
        sl_source_window_finish(src, w);
        return;
    case SL_PAGE_SPLIT:
        split_window(src, w, note->text);
        return;
    case SL_PAGE_REFUSE:
        sl_runlog_fail(src->rl, SL_ERR_SOURCE, "%s", note->text);
        return;
    case SL_PAGE_REREAD:
    case SL_PAGE_FAIL:
        break;
    }
    window_name(src, w, name, sizeof name);
    if (act == SL_PAGE_FAIL) {
        sl_runlog_fail(src->rl, SL_ERR_SOURCE, "window %s: %s", name, note->text);
        return;
    }
    src->stats.rereads++;
    sl_runlog_event(src->rl, "window %s: %s", name, note->text);
    sl_source_window_restart(src, w);
}

/* Takes a page's records: the window's distinct keys, then the pipeline's rows. */
static int take(sl_source *src, sl_window *w, const json_t *records, const json_t *bad)
{
    if (sl_keyset_add_page(&read_of(w)->keys, src->plan, records) != 0)
        return sl_runlog_fail(src->rl, SL_ERR_INTERNAL, "out of memory"), -1;
    return src->hooks->records(w, records, bad, src->hooks->ctx);
}

static void on_page(sl_source *src, sl_window *w, const json_t *doc, const json_t *bad)
{
    win_read *wr = read_of(w);
    const sl_pager_ops *pg = src->pager;
    sl_page_note note = {{0}};
    sl_page_reply rp = {.doc = doc, .max_records = src->sp->window.max_records,
                        .headers = src->headers, .endpoint = src->sp->endpoint};
    int64_t total;
    if (!pg->total(src->pager_cfg, &rp, &total, &note)) {
        page_act(src, w, SL_PAGE_REFUSE, &note);
        return;
    }
    const json_t *records = sl_jpath_get(src->sp->records, doc);
    if (records && !json_is_array(records)) {
        sl_runlog_fail(src->rl, SL_ERR_SOURCE, "the reply's %s is not a list",
                       sl_jpath_text(src->sp->records));
        return;
    }
    /* A missing list is an empty page (jansson's array functions accept NULL). */
    if (src->opts->on_total) {
        src->opts->on_total(w->from, w->to, total, src->opts->on_total_ctx);
        sl_source_window_finish(src, w);
        return;
    }
    rp.n = json_array_size(records);
    sl_page_act act = pg->step(src->pager_cfg, wr->paging, &rp, total, &note);
    if ((act == SL_PAGE_TAKE || act == SL_PAGE_LAST) && take(src, w, records, bad) != 0)
        return;
    if (act == SL_PAGE_LAST)
        act = pg->complete(src->pager_cfg, wr->paging, wr->keys.n, &note);
    page_act(src, w, act, &note);
}

/* ---- classifying replies ---- */

/* The same reply would take the same memory again: no retry. */
static void too_big_decoded(sl_source *src, const sl_window *w, size_t len)
{
    char name[64];
    window_name(src, w, name, sizeof name);
    sl_runlog_fail(src->rl, SL_ERR_SOURCE,
                   "window %s: a reply of %zu bytes needs more than %" PRId64
                   " bytes of memory decoded (twice source.max_body); refused, the watermark "
                   "stays before it; raise max_body if the API's pages are really this large",
                   name, len, 2 * src->sp->max_body_bytes);
}

/* A reply that passed the error rules: the request worked. */
static void passed(sl_source *src, sl_window *w, const char *body, size_t len, const json_t *doc,
                   const json_t *bad)
{
    win_read *wr = read_of(w);
    src->proven = true;
    wr->attempts = 0;
    wr->throttles = 0;
    wr->auth_refused_gen = 0;
    src->auth_refusals = 0;
    if (src->lim)
        sl_limiter_success(src->lim);
    src->stats.pages++;
    if (src->opts->record_dir)
        sl_replay_save(src->opts->record_dir, w, wr->label, body, len, src->rl);
    on_page(src, w, doc, bad);
}

/* Decodes a 200 reply and applies the error rules, then the pager. */
static void decode_reply(sl_source *src, sl_window *w, const char *body, size_t len)
{
    char what[96];
    sl_error jerr = {0};
    sl_jarena_begin(src->arena);
    json_t *bad = NULL;
    json_t *doc = sl_jscan_decode(src->scan, body, len, &bad, &jerr);
    sl_jarena_end();
    if (!doc && sl_jarena_over_limit(src->arena)) {
        sl_jarena_drop(src->arena, NULL);
        too_big_decoded(src, w, len);
        return;
    }
    if (!doc) {
        sl_jarena_drop(src->arena, NULL);
        snprintf(what, sizeof what, "malformed JSON reply (%.*s)",
                 (int)sl_text_cut_len(jerr.msg, strlen(jerr.msg), 60), jerr.msg);
        sl_source_transient(src, w, what);
        return;
    }
    if (!apply_rules(src, w, doc, 200))
        passed(src, w, body, len, doc, bad);
    json_decref(bad); /* its own tree: the drop walks only doc's */
    sl_jarena_drop(src->arena, doc);
}

static bool any_status_rule(const sl_source_plan *sp)
{
    for (size_t i = 0; i < sp->n_rules; i++)
        if (sl_expr_uses_status(sp->rules[i].when))
            return true;
    return false;
}

/* Tries the @status rules on a reply other than 200: its body decoded as JSON, or else its
 * text (cut) as a JSON string. Returns 1 when a rule matched. */
static int status_rules(sl_source *src, sl_window *w, long status, const char *body, size_t len)
{
    if (!any_status_rule(src->sp))
        return 0;
    json_t *doc = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (!doc) /* not JSON: its text, or null when that isn't UTF-8 (@status still works) */
        doc = json_stringn(body, sl_text_cut_len(body, len, 4 * SL_API_WORDS_MAX));
    if (!doc)
        doc = json_null();
    int matched = doc ? apply_rules(src, w, doc, status) : 0;
    json_decref(doc);
    return matched;
}

/* A 401 to a request that carried a fetched credential: the credential is forgotten (when
 * still in force) and the request sent again with a new one; 1 then. A request is sent again
 * only with a credential it was not refused with before (another request may have spent or
 * replaced the new one first), and at most AUTH_REFUSALS_MAX times while no reply passes; until
 * a first reply has passed, once in all: an API refusing every credential costs two requests. */
static int reauth(sl_source *src, sl_window *w)
{
    enum { AUTH_REFUSALS_MAX = 16 };
    win_read *wr = read_of(w);
    int cap = src->proven ? AUTH_REFUSALS_MAX : 1;
    if (!src->auth || wr->auth_gen == wr->auth_refused_gen || src->auth_refusals >= cap)
        return 0;
    wr->auth_refused_gen = wr->auth_gen;
    src->auth_refusals++;
    src->auth_resends++;
    src->auth->refused(src->auth_session, wr->auth_gen);
    char name[64];
    window_name(src, w, name, sizeof name);
    sl_runlog_event(src->rl,
                    "window %s page %" PRId64 ": HTTP 401 to credential %" PRIu64
                    "; sending the request again with a new one",
                    name, wr->label, wr->auth_gen);
    return 1;
}

/* The failure of a request refused for good (a 4xx, a 3xx, a 204...): its status, the API's
 * words and where to look. */
static void refused(sl_source *src, long status, const char *words)
{
    const char *look = status == 401 || status == 403
                           ? "check source.auth and the signer's secret"
                           : "check source.endpoint and the request's parameters";
    sl_runlog_fail(src->rl, SL_ERR_SOURCE, "the API answered HTTP %ld%s%s; %s", status,
                   *words ? ": " : "", words, look);
}

void sl_source_reply(sl_source *src, sl_window *w, long status, const char *body, size_t len,
                     int64_t retry_after_s)
{
    if (status == 200) {
        decode_reply(src, w, body, len);
        return;
    }
    if ((status == 401 && reauth(src, w)) || status_rules(src, w, status, body, len))
        return;
    char words[SL_API_WORDS_MAX + 1], what[SL_API_WORDS_MAX + 32];
    sl_api_words(body, len, mask_words, src, words, sizeof words);
    if (status == 429 || (status == 503 && retry_after_s > 0)) {
        /* The API says when to come back: a throttle, capped by source.limits.max_wait. */
        snprintf(what, sizeof what, "HTTP %ld", status);
        throttled(src, w, retry_after_s > 0 ? retry_after_s * 1000 : 0, 0, what, words);
    } else if (status >= 500 || status == 408) {
        snprintf(what, sizeof what, "HTTP %ld%s%s", status, *words ? ": " : "", words);
        sl_source_transient(src, w, what);
    } else {
        refused(src, status, words);
    }
}
