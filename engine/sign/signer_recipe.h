/* signer_recipe.h: the `recipe` signer's options (one table) and their lowering into a
 * compiled recipe (recipe.h). */
#ifndef SLUICE_SIGNER_RECIPE_H
#define SLUICE_SIGNER_RECIPE_H

#include "diag.h"
#include "options.h"
#include "recipe.h"

typedef struct sl_o_recipe {
    sl_optval type, secret, add, params, exclude, skip_empty, sort, json, json_form, sign_from,
        body_param, pair, join, before, after, hash, encoding, sign_param, sign_header, timestamp,
        timestamp_zone, timestamp_epoch, timestamp_param, timestamp_header, nonce_param,
        nonce_header, nonce_length;
} sl_o_recipe;

extern const sl_opt_table sl_opts_recipe;

/* Lowers loaded options into an owned recipe. Reports every problem into diag, at the key it
 * is about (at where when about the section); returns NULL when there was any. */
sl_recipe *sl_recipe_lower(const sl_o_recipe *o, sl_pos where, sl_diag *diag);

#endif
