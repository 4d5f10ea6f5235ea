/* pii.h: whether a column's name reads like personal data, by generic words only (phone,
 * email, address, nick, id card, a person's name): what `sluice validate` warns of when such a
 * column is stored in clear, and what `sluice guess` shows no samples of. */
#ifndef SLUICE_PII_H
#define SLUICE_PII_H

/* What kind of personal data name (words separated by '_', any case) reads like ("a phone
 * number", "a person's name", ...; static text), or NULL. */
const char *sl_pii_kind(const char *name);

#endif
