/*
 * The Certificate Export Wizard (ADCS-SPEC 7.7): a certificate of a
 * computer's store to a DER or Base-64 .cer, a PKCS #7 .p7b, or with its
 * private key (only when the key was stored exportable) to a password-
 * protected PKCS #12 .pfx. The file is written by the same helpers as
 * `certcon export`: whole or not at all.
 */
#ifndef CERTCON_UI_EXPORT_WIZARD_H
#define CERTCON_UI_EXPORT_WIZARD_H

#include <stdint.h>

#include "app.h"
#include "certstore.h"

/*
 * Opens the wizard on the entry id of one of the computer's stores, read in
 * cx (the console's own context, or the one it manages that account in).
 */
void ui_export_wizard_open(struct ui_app *app, const struct cc_ctx *cx, const char *computer,
                           enum certstore_kind kind, int64_t entry_id);

/*
 * The entry id of one of the computer's stores (a row of the Certificates
 * snap-in) into *out (free with certstore_entry_free); CC_OK or why not.
 */
int ui_certstore_entry_find(struct ui_app *app, const struct cc_ctx *cx, const char *computer,
                            enum certstore_kind kind, int64_t id, struct certstore_entry *out,
                            char **cause);

#endif
