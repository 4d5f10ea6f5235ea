/* Unit tests of sl_plan_redact: every secret of a plan is masked wherever it appears, whatever
 * the secrets look like (the mask itself, one character, one inside another), and the
 * redaction always ends. */
#include "check.h"
#include "plan.h"
#include "plan_int.h"

/* Redacts text with a plan holding the given secrets; returns the result in a static buffer. */
static const char *redact(const char *const *secrets, size_t n, const char *text, size_t cap)
{
    static char buf[256];
    sl_plan *plan = sl_plan_alloc();
    CHECK(plan != NULL);
    for (size_t i = 0; i < n; i++)
        CHECK(sl_plan_add_secret(plan, secrets[i]) == 0);
    snprintf(buf, cap, "%s", text);
    sl_plan_redact(plan, buf, cap);
    sl_plan_free(plan);
    return buf;
}

static void test_basic(void)
{
    const char *s[] = {"qmsecret", "mysql://u:pw123@h/db"};
    CHECK_STR(redact(s, 2, "bad sign qmsecret and qmsecret; dsn mysql://u:pw123@h/db", 128),
              "bad sign *** and ***; dsn ***");
    CHECK_STR(redact(s, 2, "xqmsecretyyyyyy", 16), "x***yyyyyy");
    CHECK_STR(redact(s, 2, "nothing to hide", 32), "nothing to hide");
}

/* A secret equal to the mask, or holding it, used to loop for ever. */
static void test_mask_like_secrets(void)
{
    const char *mask[] = {"***"};
    CHECK_STR(redact(mask, 1, "a *** b ****** c", 64), "a *** b *** c");
    const char *holds[] = {"p***q"};
    CHECK_STR(redact(holds, 1, "key p***q and p***q***q", 64), "key *** and ******q");
    const char *star[] = {"*"};
    CHECK_STR(redact(star, 1, "a*b**c", 64), "a***b***c");
}

/* One character is still a secret: masked, however ugly the message gets. */
static void test_short_secrets(void)
{
    const char *one[] = {"7"};
    CHECK_STR(redact(one, 1, "pin 7, 77 and 1789", 64), "pin ***, *** and 1***89");
    const char *empty[] = {""};
    CHECK_STR(redact(empty, 1, "nothing", 64), "nothing");
}

/* A secret inside another: neither leaves a part of the longer one behind, whatever order
 * the secrets were added in; overlapping occurrences merge into one mask. */
static void test_nested_and_overlapping(void)
{
    const char *short_first[] = {"abc", "abcdef"};
    CHECK_STR(redact(short_first, 2, "k=abcdef;", 64), "k=***;");
    const char *long_first[] = {"abcdef", "abc"};
    CHECK_STR(redact(long_first, 2, "k=abcdef; abc", 64), "k=***; ***");
    const char *overlap[] = {"abcd", "cdef"};
    CHECK_STR(redact(overlap, 2, "x abcdef y", 64), "x *** y");
    const char *self[] = {"aba"};
    CHECK_STR(redact(self, 1, "ababa!", 64), "***!");
}

/* The mask makes a message longer: it is cut at the capacity, still NUL-terminated, and no
 * byte of the secret survives the cut. */
static void test_growth_is_capped(void)
{
    const char *one[] = {"x"};
    const char *got = redact(one, 1, "x x x x x", 8);
    CHECK(strlen(got) <= 7);
    CHECK(strchr(got, 'x') == NULL);
    const char *s[] = {"zz"};
    got = redact(s, 1, "ab zz", 6);
    CHECK(strstr(got, "z") == NULL);
    /* A cut never ends inside a character: "zz 密码" is 9 bytes; masked, it needs 10. */
    CHECK_STR(redact(s, 1, "zz \xe5\xaf\x86\xe7\xa0\x81", 10), "*** \xe5\xaf\x86");
}

/* The same masking of secrets a kind holds itself (oauth2's tokens and client secret): a NULL
 * secret is none, case does not hide one, and one or two bytes are still a secret. */
static void test_secrets_given(void)
{
    char buf[64];
    const char *s[] = {NULL, "tok3NxY", "k9"};
    snprintf(buf, sizeof buf, "bad token TOK3NXY, key k9/K9; tok3NxY");
    sl_secrets_redact(s, 3, buf, sizeof buf);
    CHECK_STR(buf, "bad token ***, key ***/***; ***");
    snprintf(buf, sizeof buf, "k9k9k9k");
    sl_secrets_redact(s, 3, buf, 8); /* one stretch, one mask, then "k" */
    CHECK_STR(buf, "***k");
    const char *none[] = {NULL};
    snprintf(buf, sizeof buf, "as it is");
    sl_secrets_redact(none, 1, buf, sizeof buf);
    CHECK_STR(buf, "as it is");
}

int main(void)
{
    test_basic();
    test_mask_like_secrets();
    test_short_secrets();
    test_nested_and_overlapping();
    test_growth_is_capped();
    test_secrets_given();
    return check_done();
}
