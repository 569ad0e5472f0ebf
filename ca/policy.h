/*
 * The enterprise policy module: the ordered checks of ADCS-SPEC 5.2 that
 * turn (requester, template, request) into issue, pend or deny with the AD CS
 * status code and message, and the subject and alternative names of the
 * certificate built as the template's Subject Name tab says (2.4), from the
 * request or from the directory. The same evaluation explains itself check
 * by check (certcon explain).
 */
#ifndef CERTCON_POLICY_H
#define CERTCON_POLICY_H

#include <stddef.h>
#include <stdint.h>

struct cc_ctx;

#include "authority.h"
#include "directory.h"
#include "issue.h"
#include "request.h"
#include "store.h"
#include "template.h"

#define POLICY_MAX_CHECKS 16

/* One step of the evaluation, for `certcon explain`. */
struct policy_check {
    const char *name;  /* "Template permission (Enroll)" */
    int status;        /* CC_OK passed; otherwise the status it failed with */
    char *detail;      /* what was found; allocated */
};

struct policy_decision {
    int status;        /* CC_OK: issue (or pend); otherwise the refusal */
    int pending;       /* CA certificate manager approval required */
    char *message;     /* the disposition message; allocated */
    struct template tmpl;
    int have_template;   /* 1: tmpl is owned; 2: borrowed from the policy cache */
    struct issue_names names;
    struct policy_check checks[POLICY_MAX_CHECKS];
    int brief;         /* set from the cache: passed checks carry no detail */
    size_t nchecks;
};

/*
 * Caches templates, tokens, the Templates to Issue and the CA's permissions
 * across the requests of one session. A decision made with a cache borrows
 * the cache's template: free the decision before resetting the cache.
 */
struct policy_cache;
int policy_cache_new(struct policy_cache **out);
/* A cache for bulk issuance: passed checks are recorded without their detail text. */
void policy_cache_set_brief(struct policy_cache *c, int on);
/* Forgets everything (another connection changed the database). */
void policy_cache_reset(struct policy_cache *c);
void policy_cache_free(struct policy_cache *c);

enum {
    POLICY_RESUBMIT = 1, /* an officer issues a pending request: no pending again */
    POLICY_AGENT = 2,    /* an enrollment agent requests for the requester (authz_agent_for) */
};

/*
 * Evaluates a request. template_name is the template named outside the
 * request (the CertificateTemplate attribute: --template), may be NULL.
 * req may be NULL to explain what a request would meet. Returns CC_OK when
 * the evaluation ran (out->status says the outcome), or an error when it
 * could not (database, memory).
 */
int policy_evaluate(const struct cc_ctx *cx, const struct authority_info *ca,
                    struct policy_cache *cache, const struct dir_principal *requester,
                    const char *template_name, const struct request_info *req, int flags,
                    struct policy_decision *out, char **cause);
void policy_decision_free(struct policy_decision *d);

#endif
