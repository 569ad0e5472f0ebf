/*
 * The Certificate dialog (what double-clicking a certificate opens in
 * Windows): General — issued to and by, validity, template, serial — and
 * Details — every field and extension with its value, the selected one
 * shown whole below the list. It reads only the DER it is given, so any
 * view that can fetch a certificate (the CA's Issued and Revoked views, a
 * computer's stores) shows it the same way.
 */
#ifndef CERTCON_UI_CERT_VIEW_H
#define CERTCON_UI_CERT_VIEW_H

#include <stddef.h>

#include "app.h"
#include "certstore.h"

/* Opens the dialog over a copy of the certificate's DER; a message box if it does not parse. */
void ui_cert_view_open(struct ui_app *app, const void *der, size_t n);

/*
 * The same over an entry of one of a computer's or user's stores (Personal, Root, ...),
 * read as the Certificates snap-in reads it (act_for: a user node's; store.certificate).
 */
void ui_cert_view_open_entry(struct ui_app *app, const char *principal, int act_for,
                             enum certstore_kind kind, int64_t entry_id);

#endif
