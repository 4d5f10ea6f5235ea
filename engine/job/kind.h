/* kind.h: pluggable kinds (signers, pagers, auth methods). A kind is one file exporting one
 * descriptor (struct sl_kind, in options.h where the loader reads it): its name, its option
 * table, compile/dump/free of its own config, and the family's runtime vtable (ops). A family
 * lists its kinds once, in an X-macro file (e.g. engine/sign/signers.def) expanded by its
 * registry into an sl_kind_family. A job file section whose keys depend on its `type` is one
 * option row of type SL_T_KIND naming the family (and, in `def`, the kind used when `type` is
 * absent): the loader, the JSON Schema and the reference take each kind's keys from its
 * descriptor, and the plan holds an sl_kind_ref (plan.h). Nothing outside a kind's own file
 * names a particular kind. */
#ifndef SLUICE_KIND_H
#define SLUICE_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "options.h"
#include "plan.h"

/* What a kind's compile may use (located messages, secrets, JSON paths), through the
 * functions below; the compiler fills it. */
typedef struct sl_kind_ctx {
    sl_diag *diag;
    sl_plan *plan; /* secrets are registered here, for redaction and `sluice plan` */
    sl_pos where;  /* the section: where messages about keys not written go */
} sl_kind_ctx;

/* The families (each defined by its folder's registry, e.g. engine/sign/signers.c). */
extern const sl_kind_family sl_kinds_signer, sl_kinds_pager, sl_kinds_auth;

/* Frees ref's config through its kind and zeroes ref; an empty ref is fine. */
void sl_kind_ref_clear(sl_kind_ref *ref);

/* ---- for a kind's compile (and the compiler's own lowering) ---- */

/* Reports an error at v's node, or at the section when v was not written in the file. */
void sl_kind_error(sl_kind_ctx *c, const sl_optval *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports a warning, placed as sl_kind_error. */
void sl_kind_warning(sl_kind_ctx *c, const sl_optval *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports that memory ran out (the kind then returns what it has, or NULL). */
void sl_kind_oom(sl_kind_ctx *c);
/* Copies text option v (nothing when unset) into *field; when it came from a reference the
 * plan prints the reference instead of it. */
void sl_kind_text(sl_kind_ctx *c, const sl_optval *v, char **field);
/* As sl_kind_text for a secret: the value is kept out of every output even when written in
 * the file. */
void sl_kind_secret(sl_kind_ctx *c, const sl_optval *v, char **field);
/* Stores a copy of value, a part derived from the secret option v (e.g. the salt after a ':'),
 * into *field as a secret of v's origin. */
void sl_kind_secret_part(sl_kind_ctx *c, const sl_optval *v, char **field, const char *value,
                         size_t len);
/* True when v came from a reference that was not read (`sluice validate` without --strict):
 * its text is then empty and must not be checked. */
bool sl_kind_unread(const sl_optval *v);
/* Compiles the JSON path option v (NULL when unset or bad, reported), reaching one value;
 * what names the key in messages. */
sl_jpath *sl_kind_jpath(sl_kind_ctx *c, const sl_optval *v, const char *what);
/* As sl_kind_jpath, but the path may reach several values ([*]). */
sl_jpath *sl_kind_jpath_list(sl_kind_ctx *c, const sl_optval *v, const char *what);
/* Declares that the kind reads path (its own, borrowed; NULL is fine) from every reply outside
 * the records, so the reply decoder keeps what it reaches (plan.h, source.reply_paths). */
void sl_kind_reply_path(sl_kind_ctx *c, const sl_jpath *path);

#endif
