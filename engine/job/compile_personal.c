/* compile_personal.c: personal data (docs/personal-data.md). The `personal` section gives the
 * mask widths and the HMAC key (hex, a secret); each column's `personal` key says how it is
 * stored, checked against its converter and its role (a key, a link, the window column). A
 * column whose name reads like personal data (generic words: phone, email, address, nick,
 * id card, a person's name) stored without a `personal` key gets a located warning. */
#include <string.h>

#include "compile_int.h"
#include "convert.h"
#include "pii.h"
#include "plan_int.h"

enum { KEY_MIN_HEX = 32, KEY_MAX_HEX = 2 * SL_PERSONAL_KEY_MAX };

static int hex_digit(char ch)
{
    return ch >= '0' && ch <= '9'   ? ch - '0'
           : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                    : -1;
}

/* The key's hex text into plan->personal.key, or a located error. */
static void lower_key(cc *c, const sl_optval *v)
{
    sl_personal_plan *pp = &c->plan->personal;
    sl_kind_secret(&c->k, v, &pp->hash_key);
    if (!v->set || sl_kind_unread(v) || !v->s)
        return;
    size_t n = strlen(v->s);
    if (n < KEY_MIN_HEX || n > KEY_MAX_HEX || n % 2) {
        sl_diag_error(c->diag, v->node->pos,
                      "'hash_key' must be %d to %d hex digits, an even number (it has %zu "
                      "characters)", KEY_MIN_HEX, KEY_MAX_HEX, n);
        return;
    }
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_digit(v->s[i]), lo = hex_digit(v->s[i + 1]);
        if (hi < 0 || lo < 0) {
            sl_diag_error(c->diag, v->node->pos, "'hash_key' must be hex digits (0-9, a-f)");
            explicit_bzero(pp->key, sizeof pp->key);
            return;
        }
        pp->key[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    pp->key_len = n / 2;
}

static bool is_key_col(const sl_table *t, size_t ci)
{
    for (size_t k = 0; k < t->n_key; k++)
        if (t->key[k] == ci)
            return true;
    return false;
}

/* Why mode cannot apply to column col of t (NULL: it can). */
static const char *refusal(const cc *c, const sl_table *t, size_t ci, sl_personal mode)
{
    const sl_column *col = &t->cols[ci];
    sl_ltype lt = col->conv ? sl_conv_type(col->conv) : (sl_ltype){SL_LT_TEXT, 0, 0};
    bool text = lt.kind == SL_LT_VARCHAR || lt.kind == SL_LT_TEXT;
    if (col->from_parent >= 0)
        return "a copy of a parent column is stored as the parent's is: remove 'personal'";
    if (mode == SL_PERSONAL_DROP && is_key_col(t, ci))
        return "a key column cannot be dropped";
    if (mode == SL_PERSONAL_DROP && (col->required || col->default_text))
        return "a dropped column is always NULL: remove 'required' and 'default'";
    if (mode == SL_PERSONAL_MASK && is_key_col(t, ci))
        return "masked keys would collide: hash a key column instead";
    if ((mode == SL_PERSONAL_MASK || mode == SL_PERSONAL_HASH) && !text)
        return "only a text column (varchar, text, join, regex) can be masked or hashed";
    if (mode == SL_PERSONAL_HASH && lt.kind == SL_LT_VARCHAR && lt.n < 64)
        return "a hash is 64 hex digits: make the column varchar(64) or wider";
    if (mode == SL_PERSONAL_HASH && !c->opts.personal.hash_key.set)
        return "a hashed column needs the key: add personal.hash_key (hex, a ${env:} or "
               "${file:} reference)";
    if (t == &c->plan->table && c->plan->target.window_column == (int)ci &&
        mode != SL_PERSONAL_CLEAR)
        return "the window column is read by `sluice verify`: it cannot be personal";
    return NULL;
}

static void lower_column(cc *c, const col_opts *co, const sl_table *t, size_t ci)
{
    sl_column *col = &t->cols[ci];
    const sl_optval *v = &co->o.personal;
    col->personal = v->set ? (sl_personal)(v->i + 1) : SL_PERSONAL_NONE;
    if (!v->set) {
        const char *what = col->from_parent < 0 ? sl_pii_kind(col->name) : NULL;
        if (what)
            sl_diag_warning(c->diag, co->name->pos,
                            "column '%s' looks like %s and is stored in clear: add 'personal: "
                            "mask', 'hash' or 'drop' (or 'personal: clear' to keep it so)",
                            col->name, what);
        return;
    }
    const char *why = refusal(c, t, ci, col->personal);
    if (why)
        sl_diag_error(c->diag, v->node->pos, "column '%s': personal: %s: %s", col->name,
                      sl_personal_names[v->i], why);
    if (col->personal != SL_PERSONAL_CLEAR)
        c->plan->personal.any = true;
}

static void lower_table(cc *c, const tbl_opts *to, const sl_table *t)
{
    for (size_t i = 0; i < to->n_cols && i < t->n_cols; i++)
        lower_column(c, &to->cols[i], t, i);
}

void cc_lower_personal(cc *c)
{
    const sl_o_personal *o = &c->opts.personal;
    sl_personal_plan *pp = &c->plan->personal;
    pp->keep_first = o->keep_first.i;
    pp->keep_last = o->keep_last.i;
    lower_key(c, &o->hash_key);
    lower_table(c, &c->opts.parent, &c->plan->table);
    for (size_t i = 0; i < c->opts.n_children && i < c->plan->n_children; i++)
        lower_table(c, &c->opts.children[i], &c->plan->children[i]);
}
