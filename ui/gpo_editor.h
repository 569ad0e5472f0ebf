/*
 * The Group Policy Management Editor of one GPO: a window over the console
 * with its own tree (Computer and User Configuration -> Policies -> Windows
 * Settings -> Security Settings -> Public Key Policies) and results pane,
 * where "Certificate Services Client - Auto-Enrollment" opens its
 * Properties: Configuration Model and the two check boxes, edited as a
 * draft and saved by one core call (gpo_set_autoenroll).
 */
#ifndef CERTCON_UI_GPO_EDITOR_H
#define CERTCON_UI_GPO_EDITOR_H

#include "app.h"

/* Opens the editor over the GPO with that name (a message says why not). */
void ui_gpo_editor_open(struct ui_app *app, const char *gpo);

#endif
