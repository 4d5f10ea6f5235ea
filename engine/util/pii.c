/* pii.c: see pii.h. A name is split at '_' into words; a word list per kind, and "name" only
 * beside a word for a person (a receiver's name, but not a product's or a shop's). */
#include "pii.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* True when the words of name (split at '_') hold word. */
static bool has_word(const char *name, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = name; *p;) {
        size_t len = strcspn(p, "_");
        if (len == n && !strncasecmp(p, word, n))
            return true;
        p += len + (p[len] == '_');
    }
    return false;
}

static bool has_any(const char *name, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (has_word(name, words[i]))
            return true;
    return false;
}

const char *sl_pii_kind(const char *name)
{
    static const char *const phone[] = {"phone", "tel", "telno", "telephone", "mobile",
                                        "cellphone", NULL};
    static const char *const email[] = {"email", "mail", NULL};
    static const char *const address[] = {"address", "addr", "street", NULL};
    static const char *const nick[] = {"nick", "nickname", "username", NULL};
    static const char *const idcard[] = {"idcard", "passport", "ssn", NULL};
    static const char *const person[] = {"receiver", "buyer", "customer", "consignee",
                                         "contact", "user", "member", "person", "real",
                                         "full", "first", "last", "sender", "recipient",
                                         "payer", NULL};
    if (has_any(name, phone))
        return "a phone number";
    if (has_any(name, email))
        return "an email address";
    if (has_any(name, address))
        return "an address";
    if (has_any(name, nick))
        return "a nickname";
    if (has_any(name, idcard) || (has_word(name, "id") && has_word(name, "card")))
        return "an identity document";
    if (has_word(name, "realname") || has_word(name, "fullname") ||
        (has_word(name, "name") && has_any(name, person)))
        return "a person's name";
    return NULL;
}
