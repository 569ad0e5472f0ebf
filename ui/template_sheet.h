/*
 * The template property sheet: the tabs of ADCS-SPEC §1 for the template's
 * schema version, editing a draft copy through template_set() — the same
 * validation as `certcon template set` — and committing it with one
 * template_save() on OK or Apply. Also the Extensions tab's editors
 * (Application Policies with Add... and New..., Issuance Policies, Key
 * Usage, Basic Constraints) and the Security tab with the principal picker.
 */
#ifndef CERTCON_UI_TEMPLATE_SHEET_H
#define CERTCON_UI_TEMPLATE_SHEET_H

#include "app.h"
#include "template.h"

/* Properties of a stored template (t is copied). */
void ui_template_sheet_open(struct ui_app *app, const struct template *t);
/*
 * Properties of New Template: the duplicate of src at compat, created in
 * the store only when OK or Apply is pressed. Shows an error instead when
 * the duplicate cannot be made.
 */
void ui_template_sheet_new(struct ui_app *app, const char *src, enum template_compat compat);

#endif
