/*
 * The CA's Properties (certsrv.msc → the CA → Properties): a property sheet
 * with General, Policy Module, Extensions, Storage, Certificate Managers,
 * Auditing and Security tabs. It edits a draft of the CRL distribution
 * point and authority information access URLs and of the CA's roles; OK
 * or Apply writes the whole draft in one transaction through the core
 * calls `ca set` and `ca roles` use, so a refusal changes nothing.
 */
#ifndef CERTCON_UI_CA_SHEET_H
#define CERTCON_UI_CA_SHEET_H

#include "app.h"

/* Opens the sheet on the store's CA; a CA that cannot be read is shown as an error. */
void ui_ca_sheet_open(struct ui_app *app);

#endif
