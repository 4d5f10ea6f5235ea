/* signers.c: the signer family, from signers.def. */
#include "kind.h"

#define SL_KIND(id) extern const sl_kind sl_kind_signer_##id;
#include "signers.def"
#undef SL_KIND

static const sl_kind *const signers[] = {
#define SL_KIND(id) &sl_kind_signer_##id,
#include "signers.def"
#undef SL_KIND
};

const sl_kind_family sl_kinds_signer = {{"signer", "how requests are signed", NULL, 0}, signers,
                                        sizeof signers / sizeof signers[0]};
