/* regex.c: PCRE2 wrapper; one match-data block per pattern (see regex.h on threads). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

struct sl_regex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mctx; /* the limits */
    int groups;
    char failure[128];         /* why the last match gave up */
};

sl_regex *sl_regex_compile(const char *pattern, sl_error *err, size_t *err_offset)
{
    int code = 0;
    PCRE2_SIZE off = 0;
    uint32_t groups = 0;
    sl_regex *re = calloc(1, sizeof *re);
    if (!re) {
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off,
                             NULL);
    if (!re->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        sl_error_set(err, SL_ERR_CONFIG, "bad pattern at offset %zu: %s", (size_t)off,
                     (const char *)msg);
        if (err_offset)
            *err_offset = off;
        goto fail;
    }
    pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* optional: falls back to the interpreter */
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    re->groups = (int)groups;
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    re->mctx = pcre2_match_context_create(NULL);
    if (!re->md || !re->mctx) {
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    pcre2_set_match_limit(re->mctx, SL_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(re->mctx, SL_REGEX_DEPTH_LIMIT);
    return re;
fail:
    sl_regex_free(re);
    return NULL;
}

void sl_regex_free(sl_regex *re)
{
    if (!re)
        return;
    pcre2_match_context_free(re->mctx);
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re);
}

int sl_regex_groups(const sl_regex *re)
{
    return re->groups;
}

/* Runs the match; a PCRE2 error (a limit hit, bad UTF-8) is SL_RE_FAILED with its reason. */
static sl_regex_rc run(sl_regex *re, const char *s, size_t len)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, re->mctx);
    if (rc >= 0)
        return SL_RE_MATCHED;
    if (rc == PCRE2_ERROR_NOMATCH)
        return SL_RE_NOMATCH;
    PCRE2_UCHAR msg[100];
    if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
        snprintf((char *)msg, sizeof msg, "error %d", rc);
    snprintf(re->failure, sizeof re->failure, "the pattern gave up: %s", (const char *)msg);
    return SL_RE_FAILED;
}

/* The match data and the failure text change per match: a pattern belongs to one thread at a
 * time (see regex.h), so matching through a const handle is safe. */
static sl_regex *mut(const sl_regex *re)
{
    return (sl_regex *)re;
}

sl_regex_rc sl_regex_match(const sl_regex *re, const char *s, size_t len)
{
    return run(mut(re), s, len);
}

sl_regex_rc sl_regex_group(const sl_regex *re, const char *s, size_t len, int group,
                           size_t *start, size_t *glen)
{
    if (group < 0 || group > re->groups)
        return SL_RE_NOMATCH;
    sl_regex_rc rc = run(mut(re), s, len);
    if (rc != SL_RE_MATCHED)
        return rc;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
    if (ov[2 * group] == PCRE2_UNSET)
        return SL_RE_NOMATCH;
    *start = ov[2 * group];
    *glen = ov[2 * group + 1] - ov[2 * group];
    return SL_RE_MATCHED;
}

const char *sl_regex_failure(const sl_regex *re)
{
    return re->failure;
}
