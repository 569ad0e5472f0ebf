/*
 * "Why Can't ... Enroll?": the console's face of `certcon explain`. From a
 * template the principal picker chooses the user or computer; from a user
 * or computer a list of the templates the CA issues chooses the template.
 * The dialog then shows the CA's checks in order, what lies behind the
 * template permission check and the verdict, all from explain_enroll
 * (ca/explain.h), so the console and the command cannot disagree.
 */
#ifndef CERTCON_UI_WHY_ENROLL_H
#define CERTCON_UI_WHY_ENROLL_H

#include "app.h"
#include "directory.h"

/* The explanation for p requesting template (named as the command line names it). */
void ui_why_enroll_show(struct ui_app *app, const struct dir_principal *p, const char *template);
/* From a template: the picker chooses a user or computer, then the explanation. */
void ui_why_enroll_for_template(struct ui_app *app, const char *template);
/* From a user or computer: a template the CA issues is chosen, then the explanation. */
void ui_why_enroll_for_principal(struct ui_app *app, const struct dir_principal *p);

#endif
