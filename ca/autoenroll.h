/*
 * Group policy autoenrollment: group policy objects with the "Certificate
 * Services Client - Auto-Enrollment" setting for computers and users, their
 * links to the domain or an OU and their security filtering, and the pulse
 * that a computer runs when it starts (and every eight hours) and a user at
 * logon: enroll, renew, re-enroll, fetch pending requests and tidy the
 * Personal store as the policy in force says (ADCS-SPEC §5.6-§5.10).
 * Every pulse records, per template, what it did or why it did nothing.
 */
#ifndef CERTCON_AUTOENROLL_H
#define CERTCON_AUTOENROLL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cc_ctx;

#include "store.h"
#include "template.h"
#include "util.h"

enum ae_model { AE_NOT_CONFIGURED = 0, AE_ENABLED = 1, AE_DISABLED = 2 };

/* AEPolicy bits (§5.6) */
#define AE_POLICY_TEMPLATE_CHECK 0x1u    /* Update certificates that use certificate templates */
#define AE_POLICY_STORE_MANAGEMENT 0x2u  /* Renew expired ..., remove revoked */
#define AE_POLICY_PENDING_FETCH 0x4u     /* ... update pending certificates */
#define AE_POLICY_DISABLE_ALL 0x8000u

struct gpo_settings {
    enum ae_model model;
    int renew;  /* Renew expired certificates, update pending, remove revoked */
    int update; /* Update certificates that use certificate templates */
};

struct gpo {
    int64_t id;
    char *name;
    char *guid;
    struct gpo_settings computer, user;
    struct strlist links;  /* "contoso.com" or "OU=Servers" */
    struct strlist filter; /* security filtering: principal names; empty = Authenticated Users */
    time_t created, modified; /* modified: when its settings or filtering last changed */
};

void gpo_free(struct gpo *g);
const char *gpo_model_name(enum ae_model m);
/*
 * A setting in a few words, as every face shows it: "Not configured",
 * "Disabled" or "Enabled" with ", renew" and ", update" for its boxes.
 * Written into buf (GPO_SETTINGS_TEXT_MAX bytes is always enough).
 */
#define GPO_SETTINGS_TEXT_MAX 32
const char *gpo_settings_text(const struct gpo_settings *s, char *buf, size_t size);
/* The AEPolicy value of a setting. */
unsigned gpo_policy_bits(const struct gpo_settings *s);

/* Each change needs Domain Admins or Enterprise Admins. */
int gpo_create(const struct cc_ctx *cx, const char *name, char **cause);
/*
 * "Create a GPO in this domain, and Link it here": a new GPO linked to
 * scope (as gpo_link names it) in one transaction, so a refused link
 * leaves no unlinked GPO behind.
 */
int gpo_create_linked(const struct cc_ctx *cx, const char *name, const char *scope, char **cause);
int gpo_delete(const struct cc_ctx *cx, const char *name, char **cause);
/* scope: the domain's DNS name, or an OU ("Servers" or "OU=Servers"). */
int gpo_link(const struct cc_ctx *cx, const char *name, const char *scope, char **cause);
int gpo_unlink(const struct cc_ctx *cx, const char *name, const char *scope, char **cause);
/* user: the User Configuration setting rather than the Computer one. */
int gpo_set_autoenroll(const struct cc_ctx *cx, const char *name, int user,
                       const struct gpo_settings *s, char **cause);
int gpo_filter_add(const struct cc_ctx *cx, const char *name, const char *principal, char **cause);
int gpo_filter_remove(const struct cc_ctx *cx, const char *name, const char *principal,
                      char **cause);
/*
 * Makes the security filtering exactly the principals named (empty: back
 * to Authenticated Users) in one transaction: what the console's Security
 * Filtering draft holds when OK is pressed. Nothing changes on a refusal.
 */
int gpo_filter_set(const struct cc_ctx *cx, const char *name, const struct strlist *principals,
                   char **cause);
int gpo_get(struct store *st, const char *name, struct gpo *out, char **cause);
int gpo_list(struct store *st, struct gpo **out, size_t *n, char **cause);
/* The GPOs linked to scope (as gpo_link names it), in link order: the first one wins. */
int gpo_list_linked(struct store *st, const char *scope, struct gpo **out, size_t *n,
                    char **cause);
void gpo_list_free(struct gpo *v, size_t n);

/*
 * The autoenrollment setting in force for a principal (computer settings
 * for computers, user settings for users): the GPOs linked to its OU win
 * over those linked to the domain; the first configured one decides.
 * *source (allocated, may be NULL) names it.
 */
int gpo_effective(struct store *st, int64_t principal, struct gpo_settings *out, char **source,
                  char **cause);

/* ---- the pulse ----------------------------------------------------------- */

/* What the pulse knows of the certificate a principal holds from a template. */
struct ae_held {
    int have;
    time_t not_before, not_after;
    int64_t major; /* from the template extension; -1 when absent (schema 1) */
};

enum ae_action {
    AE_ACT_NONE = 0, /* valid and not due */
    AE_ACT_ENROLL,
    AE_ACT_RENEW,
    AE_ACT_REENROLL,
};

/*
 * The start of the renewal window: the later of notAfter - renewal period
 * and 80% of the lifetime (§5.8).
 */
time_t autoenroll_renewal_start(time_t not_before, time_t not_after, int64_t renewal);
/* The decision for one template and the certificate held from it; why is static text. */
enum ae_action autoenroll_decide(const struct template *t, const struct ae_held *held, time_t now,
                                 const char **why);

struct pulse_item {
    char *template; /* display name, or "" for the policy line */
    char *action;   /* enrolled, renewed, reenrolled, pending, installed, archived, removed,
                       failed, skipped, none */
    char *reason;
    int64_t request_id;
    char serial[41];
};

struct pulse_report {
    int64_t id;
    int64_t principal;
    char *principal_name;
    time_t at;
    unsigned policy; /* AEPolicy in force */
    char *source;    /* the GPO that decided, or "" */
    struct pulse_item *v;
    size_t n;
};

void pulse_report_free(struct pulse_report *r);
/*
 * Runs one pulse for the principal as the principal itself (the acting
 * account is set to it for the duration) and records it. CA passphrase may
 * be NULL. Keys are generated and certificates signed before the pulse's
 * write transaction, which then only records (outside any transaction of
 * the caller's; inside one, everything runs in it). Two pulses of one
 * principal at once are serialised: the second sees what the first
 * enrolled. Each pulse commits on its own: a failure loses only its work.
 */
int autoenroll_pulse(const struct cc_ctx *cx, const char *principal, const char *ca_passphrase,
                     struct pulse_report *out, char **cause);
/*
 * What a computer does when it starts, and a user at logon: a computer
 * takes its group token afresh (dir_restart), then either runs its
 * autoenrollment pulse. Both front ends call this; a user or a computer is
 * refused when `how` does not fit it. On success *out holds the pulse.
 */
enum ae_start { AE_START_RESTART, AE_START_LOGON };
int autoenroll_restart(const struct cc_ctx *cx, enum ae_start how, const char *principal,
                       const char *ca_passphrase, struct pulse_report *out, char **cause);
/* Whether a pulse report says an enrollment failed. */
int pulse_report_failed(const struct pulse_report *r);
/* The newest recorded pulse of a principal. */
int autoenroll_last_pulse(struct store *st, const char *principal, struct pulse_report *out,
                          char **cause);

#endif
