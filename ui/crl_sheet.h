/*
 * The CA's CRL dialogs: All Tasks -> Publish (a new base CRL or, while
 * delta CRLs are on, a delta CRL only) and the Revoked Certificates
 * node's Properties (the CRL and delta CRL publication intervals and
 * publish on revoke, with the current CRLs' next updates).
 */
#ifndef CERTCON_UI_CRL_SHEET_H
#define CERTCON_UI_CRL_SHEET_H

#include "app.h"

void ui_crl_publish_open(struct ui_app *app);
void ui_crl_sheet_open(struct ui_app *app);

#endif
