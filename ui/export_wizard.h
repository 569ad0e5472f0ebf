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
 * Opens the wizard on the entry id of one of the computer's (or user's)
 * stores, read as the Certificates snap-in reads it (act_for: a user
 * node's; store.certificate). The export itself is the console's own
 * (certificate.export).
 */
void ui_export_wizard_open(struct ui_app *app, const char *computer, int act_for,
                           enum certstore_kind kind, int64_t entry_id);

#endif
