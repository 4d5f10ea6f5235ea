/* auths.c: the auth family, from auths.def. */
#include "kind.h"

#define SL_KIND(id) extern const sl_kind sl_kind_auth_##id;
#include "auths.def"
#undef SL_KIND

static const sl_kind *const auths[] = {
#define SL_KIND(id) &sl_kind_auth_##id,
#include "auths.def"
#undef SL_KIND
};

const sl_kind_family sl_kinds_auth = {{"auth", "how requests prove who sends them", NULL, 0},
                                      auths, sizeof auths / sizeof auths[0]};
