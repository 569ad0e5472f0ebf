/*
 * Certificate Properties of the Request New Certificate wizard, as Windows
 * has it: the Subject tab (Subject name and Alternative name, each a Type
 * list, a Value, Add and Remove, and the chosen values listed), the General
 * tab (friendly name) and the Private Key tab (the key
 * types the template accepts; "Make private key exportable" only when the
 * template allows it). The dialog edits a draft of one offer's settings and
 * copies it back on OK.
 */
#ifndef CERTCON_UI_REQUEST_PROPS_H
#define CERTCON_UI_REQUEST_PROPS_H

#include "app.h"
#include "cadb.h"
#include "template.h"

/* A subject name part or an alternative name. */
struct req_name {
    int san;  /* 0: subject name (REQ_SUBJECT_*), 1: alternative name (REQ_SAN_*) */
    int type; /* index in the Type list */
    char *value;
};

enum { REQ_SUBJECT_CN, REQ_SUBJECT_DN, REQ_SUBJECT_O, REQ_SUBJECT_OU, REQ_SUBJECT_L,
       REQ_SUBJECT_ST, REQ_SUBJECT_C, REQ_SUBJECT_E };
enum { REQ_SAN_DNS, REQ_SAN_EMAIL, REQ_SAN_UPN, REQ_SAN_IP };

/* One template's settings in the wizard; owned by the wizard's offer. */
struct req_props {
    struct req_name *v;
    size_t n, cap;
    char *friendly;
    char *key_type; /* "rsa:2048"; NULL: the template's default */
    int exportable; /* the template allows it and the box is checked */
    int set;        /* OK was pressed at least once */
};

void ui_req_props_free(struct req_props *p);
/* "CN=www.contoso.com; DNS: a, b" or "(empty subject); DNS: a, b"; allocated. */
char *ui_req_props_summary(const struct req_props *p);
/* Whether the settings name a subject or at least one alternative name. */
int ui_req_props_named(const struct req_props *p);
/*
 * Fills the names, key and friendly name of p into params (which borrows
 * p's strings; *dn is allocated, free it after the call).
 */
void ui_req_props_params(const struct req_props *p, struct cadb_enroll_params *params, char **dn);
/*
 * Opens the dialog over a draft of *target for template t (loaded by the
 * caller, read during the call only). On OK the draft replaces *target and
 * done(ctx) runs; Cancel changes nothing.
 */
void ui_req_props_open(struct ui_app *app, const struct template *t, struct req_props *target,
                       void (*done)(void *ctx), void *ctx);

#endif
