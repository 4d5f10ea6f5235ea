/* regex.c: PCRE2 wrapper; one match-data block per pattern (see regex.h on threads). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

struct sl_regex {
    pcre2_code *code;
    pcre2_match_data *md;
    int groups;
};

sl_regex *sl_regex_compile(const char *pattern, char *err, size_t errlen, size_t *err_offset)
{
    int code = 0;
    PCRE2_SIZE off = 0;
    uint32_t groups = 0;
    sl_regex *re = calloc(1, sizeof *re);
    if (!re) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off,
                             NULL);
    if (!re->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, errlen, "bad pattern at offset %zu: %s", (size_t)off, (const char *)msg);
        if (err_offset)
            *err_offset = off;
        goto fail;
    }
    pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* optional: falls back to the interpreter */
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    re->groups = (int)groups;
    if (!(re->md = pcre2_match_data_create_from_pattern(re->code, NULL))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    return re;
fail:
    sl_regex_free(re);
    return NULL;
}

void sl_regex_free(sl_regex *re)
{
    if (!re)
        return;
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re);
}

int sl_regex_groups(const sl_regex *re)
{
    return re->groups;
}

static int run(const sl_regex *re, const char *s, size_t len)
{
    /* Input is UTF-8 checked by jansson or the YAML loader; an invalid subject is a no-match. */
    return pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, NULL);
}

bool sl_regex_match(const sl_regex *re, const char *s, size_t len)
{
    return run(re, s, len) > 0;
}

bool sl_regex_group(const sl_regex *re, const char *s, size_t len, int group, size_t *start,
                    size_t *glen)
{
    if (group < 0 || group > re->groups || run(re, s, len) <= 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
    if (ov[2 * group] == PCRE2_UNSET)
        return false;
    *start = ov[2 * group];
    *glen = ov[2 * group + 1] - ov[2 * group];
    return true;
}
