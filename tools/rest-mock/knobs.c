/* knobs.c: rest-mock's tunables as one table (tools/mockkit reads it for the command line,
 * POST /_admin and --help, so the three never disagree). */
#include <stddef.h>

#include "rest.h"

const char *const RM_PAGING_NAMES[] = {"offset", "page", "cursor", "link", NULL};
static const char *const TOTAL[] = {"body", "header", "both", "none", NULL};
static const char *const AUTH[] = {"none", "bearer", "api-key", "basic", "oauth2", NULL};
static const char *const IN[] = {"both", "body", "header", NULL};
static const char *const CURSOR_KIND[] = {"keyset", "offset", NULL};
static const char *const WINDOW_FORMAT[] = {"any", "iso", "epoch-s", "epoch-ms", NULL};
static const char *const RETRY_FORM[] = {"seconds", "date", NULL};
static const char *const SIGN[] = {"none", "hmac-sha256", "hmac-sha256-body", NULL};
static const char *const VIA[] = {"offset", "page", "cursor", NULL}; /* RM_PAGING_NAMES' first */

#define KI(n, f, lo, hi, d, doc) {n, MK_INT, offsetof(rm_knobs, f), lo, hi, d, doc, NULL}
#define KR(n, f, doc) {n, MK_RATE, offsetof(rm_knobs, f), 0, 1, 0, doc, NULL}
#define KE(n, f, names, hi, d, doc) {n, MK_ENUM, offsetof(rm_knobs, f), 0, hi, d, doc, names}
static const mk_knob_def KNOBS[] = {
    KE("paging", paging, RM_PAGING_NAMES, 3, 0,
       "paging style when neither the path nor _paging names one"),
    KE("total", total, TOTAL, 3, 0, "where the matching records' count goes: \"total\" in the "
                                    "body, X-Total-Count, both, or nowhere"),
    KE("auth", auth, AUTH, 4, 1, "the credentials every API request must carry"),
    KE("cursor-in", cursor_in, IN, 2, 0,
       "cursor paging: the next cursor in the body (next_cursor), X-Next-Cursor, or both"),
    KE("link-in", link_in, IN, 2, 0,
       "link paging: the next URL in the body (links.next), a Link rel=\"next\" header, or both"),
    KE("link-via", link_via, VIA, 2, 2,
       "link paging: the parameters the next URL carries (offset, page or cursor)"),
    KE("cursor-kind", cursor_kind, CURSOR_KIND, 1, 0,
       "what a cursor holds: the last record's sort key (keyset), or a plain offset"),
    KI("page-base", page_base, 0, 1, 1, "page paging: the first page's number"),
    KI("default-page-size", default_page_size, 1, 100000, 50, "limit/per_page when not given"),
    KI("max-page-size", max_page_size, 1, 100000, 500, "a larger limit/per_page is a 400"),
    KI("max-window", max_window_s, 0, 1e10, 0,
       "orders: a window wider than this many seconds (or open) is a 422 range_too_wide; 0 = "
       "any"),
    KE("window-format", window_format, WINDOW_FORMAT, 3, 0,
       "the form updated_from/updated_to must take: ISO-8601 or epoch seconds (any), or only "
       "one of ISO-8601, epoch seconds, epoch milliseconds"),
    KI("to-exclusive", to_exclusive, 0, 1, 0, "1: updated_to is exclusive; 0: inclusive"),
    KI("strict-params", strict_params, 0, 1, 1, "1: an unknown query parameter is a 400"),
    KI("shop-tokens", shop_tokens, 0, 1, 0,
       "1: auth bearer wants TOKEN-N from a request with shop_id=N (one credential per shop)"),
    KI("token-ttl", token_ttl_s, 1, 1e7, 3600, "oauth2: seconds an issued token lives"),
    KI("token-uses", token_uses, 0, 1e9, 0,
       "oauth2: API requests a token authorises before it is refused as expired (0 = any)"),
    KI("token-faults", token_faults, 0, 1, 0,
       "oauth2: 1: POST /oauth/token draws the API's faults too (5xx, 429, truncation)"),
    KI("latency-ms", latency_ms, 0, 600000, 0, "delay before every API reply"),
    KR("fail-500", fail_500, "rate of HTTP 500 replies (JSON error body)"),
    KR("fail-502", fail_502, "rate of HTTP 502 replies (an HTML proxy page)"),
    KR("fail-503", fail_503, "rate of HTTP 503 replies with Retry-After"),
    KR("fail-429", fail_429, "rate of HTTP 429 replies with Retry-After"),
    KR("fail-truncate", fail_truncate, "rate of 200 replies cut in half"),
    KR("fail-empty", fail_empty,
       "rate of 200 replies as if nothing matched (no records, total 0, no next page)"),
    KI("retry-after", retry_after_s, 0, 3600, 1, "Retry-After seconds on 429 and 503"),
    KE("retry-after-form", retry_after_date, RETRY_FORM, 1, 0,
       "Retry-After as delay seconds or as an HTTP date that far ahead"),
    KI("mutate-after", mutate_after, 0, 1e9, 0,
       "orders: after this many pages served, records change (0 = never)"),
    KI("mutate-every", mutate_every, 0, 1e9, 0,
       "orders: and again every this many pages after that (0 = once)"),
    KI("mutate-update", mutate_update, 0, 1e6, 1,
       "records of the request's selection moved to the data clock per change"),
    KI("mutate-insert", mutate_insert, 0, 1e6, 0, "new orders at the data clock per change"),
    KI("mutate-drop-item", mutate_drop_item, 0, 1, 0,
       "1: a changed order with more than one line item also loses its last (and its discounts)"),
    KE("sign", sign, SIGN, 2, 0,
       "hmac-sha256: every API request carries `sign`, the HMAC-SHA256 of its other parameters "
       "(sorted, k=v joined by &) keyed by " RM_SIGN_SECRET ", or it is a 401 invalid_signature; "
       "hmac-sha256-body: of the query's parameters and body=<the exact body bytes>, the "
       "signature in `sign` or the header X-Sign"),
};
const mk_knob_table rm_knob_table = {KNOBS, sizeof KNOBS / sizeof KNOBS[0]};
