/*
 * The ordered policy checks of ADCS-SPEC 5.2. Each check appends a line to
 * the decision (what `certcon explain` prints); the first failure decides
 * the status and message that the request row records. Templates and
 * tokens are cached per session so a batch of requests costs one lookup.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "certlint.h"
#include "clock.h"
#include "context.h"
#include "policy.h"
#include "status.h"

#define OID_EMAIL "1.2.840.113549.1.9.1"

/*
 * What a session remembers. Requests of one session do not change
 * templates, the CA's permissions or group membership, so these hold
 * until another connection commits (the caller resets the cache then,
 * see policy_cache_reset).
 */
struct cached_token {
    int64_t principal;
    int64_t *ids;
    size_t n;
    int have_ca_rights;
    unsigned ca_rights;     /* authority_rights of the token */
};

struct cached_template {
    char *name;
    int status;             /* CC_OK or ENOTFOUND */
    char *why;
    struct template t;
    int have_enabled;
    int enabled;            /* in the Certificate Templates to Issue */
};

struct policy_cache {
    int brief; /* passed checks keep no detail text: only explain reads it */
    struct cached_token *tokens;
    size_t ntokens;
    struct cached_template **templates; /* pointers: decisions borrow &templates[i]->t */
    size_t ntemplates;
};

int
policy_cache_new(struct policy_cache **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? CC_OK : CC_ENOMEM;
}

void
policy_cache_set_brief(struct policy_cache *c, int on)
{
    c->brief = on;
}

void
policy_cache_reset(struct policy_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->ntokens; i++)
        free(c->tokens[i].ids);
    for (size_t i = 0; i < c->ntemplates; i++) {
        free(c->templates[i]->name);
        free(c->templates[i]->why);
        template_free(&c->templates[i]->t);
        free(c->templates[i]);
    }
    free(c->tokens);
    free(c->templates);
    memset(c, 0, sizeof *c);
}

void
policy_cache_free(struct policy_cache *c)
{
    policy_cache_reset(c);
    free(c);
}

static int
token_of(struct store *st, struct policy_cache *c, int64_t principal, const int64_t **ids,
         size_t *n, struct cached_token **entry, char **cause)
{
    *entry = NULL;
    if (c != NULL)
        for (size_t i = 0; i < c->ntokens; i++)
            if (c->tokens[i].principal == principal) {
                *ids = c->tokens[i].ids;
                *n = c->tokens[i].n;
                *entry = &c->tokens[i];
                return CC_OK;
            }
    int64_t *v = NULL;
    size_t k = 0;
    int rc = dir_token(st, principal, &v, &k, cause);
    if (rc != CC_OK)
        return rc;
    if (c == NULL) { /* no cache: the caller frees *ids */
        *ids = v;
        *n = k;
        return CC_OK;
    }
    struct cached_token *p = realloc(c->tokens, (c->ntokens + 1) * sizeof *p);
    if (p == NULL) {
        free(v);
        return CC_ENOMEM;
    }
    c->tokens = p;
    c->tokens[c->ntokens] = (struct cached_token){principal, v, k, 0, 0};
    *entry = &c->tokens[c->ntokens++];
    *ids = v;
    *n = k;
    return CC_OK;
}

/*
 * Looks a template up by name/OID. With a cache, *t points into the cache
 * (valid until policy_cache_reset) and *entry is its cache entry; without,
 * the template is loaded into *own, which the caller frees.
 */
static int
lookup_template(struct store *st, struct policy_cache *c, const char *name, struct template *own,
                const struct template **t, struct cached_template **entry, char **why)
{
    *t = NULL;
    if (entry)
        *entry = NULL;
    if (c != NULL)
        for (size_t i = 0; i < c->ntemplates; i++)
            if (strcmp(c->templates[i]->name, name) == 0) {
                struct cached_template *e = c->templates[i];
                if (e->status != CC_OK) {
                    if (why)
                        *why = cc_strdup(e->why);
                    return e->status;
                }
                *t = &e->t;
                if (entry)
                    *entry = e;
                return CC_OK;
            }
    struct template loaded = {0};
    char *w = NULL;
    int rc = template_load(st, name, &loaded, &w);
    if (rc != CC_OK && rc != CC_ENOTFOUND) {
        template_free(&loaded);
        if (why)
            *why = w;
        else
            free(w);
        return rc;
    }
    if (c == NULL) {
        if (why)
            *why = w;
        else
            free(w);
        if (rc != CC_OK) {
            template_free(&loaded);
            return rc;
        }
        *own = loaded;
        *t = own;
        return CC_OK;
    }
    struct cached_template *e = calloc(1, sizeof *e);
    struct cached_template **p = e ? realloc(c->templates, (c->ntemplates + 1) * sizeof *p) : NULL;
    if (p != NULL)
        c->templates = p;
    if (e != NULL) {
        e->name = cc_strdup(name);
        e->why = w ? cc_strdup(w) : NULL;
    }
    if (p == NULL || e->name == NULL || (w != NULL && e->why == NULL)) {
        if (e != NULL) {
            free(e->name);
            free(e->why);
        }
        free(e);
        template_free(&loaded);
        free(w);
        return CC_ENOMEM;
    }
    c->templates[c->ntemplates++] = e;
    e->status = rc;
    e->t = loaded; /* the cache owns it now */
    if (why)
        *why = w;
    else
        free(w);
    if (rc != CC_OK)
        return rc;
    *t = &e->t;
    if (entry)
        *entry = e;
    return CC_OK;
}

void
policy_decision_free(struct policy_decision *d)
{
    if (d == NULL)
        return;
    free(d->message);
    if (d->have_template == 1) /* 2: borrowed from the session's cache */
        template_free(&d->tmpl);
    issue_names_free(&d->names);
    for (size_t i = 0; i < d->nchecks; i++)
        free(d->checks[i].detail);
    memset(d, 0, sizeof *d);
}

static void
note(struct policy_decision *d, const char *name, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
note(struct policy_decision *d, const char *name, int status, const char *fmt, ...)
{
    if (d->nchecks >= POLICY_MAX_CHECKS)
        return;
    va_list ap;
    va_start(ap, fmt);
    struct policy_check *c = &d->checks[d->nchecks++];
    c->name = name;
    c->status = status;
    /* issuing in bulk, a passed check's text is never read: skip formatting it */
    c->detail = d->brief && status == CC_OK ? NULL : cc_vasprintf(fmt, ap);
    va_end(ap);
}

/* Records the refusal: the decision's status and message. Returns CC_OK (evaluation ran). */
static int
refuse(struct policy_decision *d, const char *check, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
refuse(struct policy_decision *d, const char *check, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *detail = cc_vasprintf(fmt, ap);
    va_end(ap);
    note(d, check, status, "%s", detail ? detail : "");
    d->status = status;
    d->message = cc_asprintf("Denied by Policy Module  0x%08x, %s%s%s", cc_hresult(status),
                             cc_strerror(status), detail && *detail ? " " : "",
                             detail ? detail : "");
    free(detail);
    return d->message ? CC_OK : CC_ENOMEM;
}

/* RFC 4514 escaping of one attribute value; appended to b. */
static void
dn_escape(struct pkix_buf *b, const char *v)
{
    for (const char *c = v; *c; c++) {
        if (strchr(",+\"\\<>;=", *c) || (c == v && (*c == '#' || *c == ' ')) ||
            (c[1] == '\0' && *c == ' '))
            pkix_buf_append(b, "\\", 1);
        pkix_buf_append(b, c, 1);
    }
}

static int
dn_to_der(const char *text, struct pkix_buf *out)
{
    gnutls_x509_dn_t dn;
    gnutls_datum_t d;
    const char *err = NULL;
    if (gnutls_x509_dn_init(&dn) < 0)
        return CC_ENOMEM;
    int rc = CC_EINVAL;
    if (gnutls_x509_dn_set_str(dn, text, &err) >= 0 &&
        gnutls_x509_dn_export2(dn, GNUTLS_X509_FMT_DER, &d) >= 0) {
        rc = pkix_buf_set(out, d.data, d.size);
        gnutls_free(d.data);
    }
    gnutls_x509_dn_deinit(dn);
    return rc;
}

/* The requester's distinguishedName in the directory's usual containers. */
static void
append_directory_path(struct store *st, struct pkix_buf *b, const struct dir_principal *p)
{
    struct dir_domain dom = {0};
    pkix_buf_append(b, "CN=", 3);
    dn_escape(b, p->name);
    const char *container = p->is_dc                    ? ",OU=Domain Controllers"
                            : p->kind == DIR_COMPUTER   ? ",CN=Computers"
                                                        : ",CN=Users";
    pkix_buf_append(b, container, strlen(container));
    if (dir_domain_get(st, &dom, NULL) == CC_OK) {
        char *copy = cc_strdup(dom.dns);
        char *save = NULL;
        for (char *tok = copy ? strtok_r(copy, ".", &save) : NULL; tok;
             tok = strtok_r(NULL, ".", &save)) {
            pkix_buf_append(b, ",DC=", 4);
            dn_escape(b, tok);
        }
        free(copy);
        dir_domain_free(&dom);
    }
}

/*
 * Refuses a request that breaks a lint rule: with names, its subject and
 * alternative names too (ADCS-SPEC 5.2 leaves the CA to judge them); without,
 * only its extensions (one extension twice, within or across extensionRequest
 * attributes, would leave which one counts to the parser).
 */
static int
lint_request(struct policy_decision *d, const char *check, const struct request_info *req,
             int names, int status)
{
    struct certlint_result r;
    int rc = certlint_request(req->der.p, req->der.n, names, &r);
    if (rc == CC_OK && r.errors > 0) {
        char *broken = certlint_error_summary(&r);
        rc = broken ? refuse(d, check, status, "%s", broken) : CC_ENOMEM;
        free(broken);
    }
    certlint_result_free(&r);
    return rc;
}

static int
subject_from_request(const struct request_info *req, struct policy_decision *d)
{
    struct issue_names *n = &d->names;
    const char *check = "Subject name (supplied in the request)";
    int empty = req->subject.n <= 2;
    int san = req->dns.n + req->ip.n + req->email.n + req->upn.n + req->uri.n > 0;
    if (empty && !san)
        return refuse(d, check, CC_E_BAD_REQUESTSUBJECT,
                      "The request has neither a subject name nor an alternative name.");
    /* the names the certificate would copy, by the rules the certificate is linted with */
    int rc = lint_request(d, check, req, 1, CC_E_BAD_REQUESTSUBJECT);
    if (rc != CC_OK || d->status != CC_OK)
        return rc;
    rc = pkix_buf_set(&n->subject, req->subject.p, req->subject.n);
    if (rc == CC_OK)
        rc = strlist_copy(&n->dns, &req->dns);
    if (rc == CC_OK)
        rc = strlist_copy(&n->ip, &req->ip);
    if (rc == CC_OK)
        rc = strlist_copy(&n->email, &req->email);
    if (rc == CC_OK)
        rc = strlist_copy(&n->upn, &req->upn);
    if (rc == CC_OK)
        rc = strlist_copy(&n->uri, &req->uri);
    if (rc != CC_OK)
        return rc;
    char *sans = NULL;
    struct strlist all = {0};
    for (size_t i = 0; i < req->dns.n; i++)
        strlist_add(&all, req->dns.v[i]);
    for (size_t i = 0; i < req->upn.n; i++)
        strlist_add(&all, req->upn.v[i]);
    for (size_t i = 0; i < req->email.n; i++)
        strlist_add(&all, req->email.v[i]);
    for (size_t i = 0; i < req->ip.n; i++)
        strlist_add(&all, req->ip.v[i]);
    sans = strlist_join(&all, ", ");
    strlist_free(&all);
    note(d, check, CC_OK, "subject \"%s\", alternative names: %s", req->subject_text,
         sans && *sans ? sans : "none");
    free(sans);
    return CC_OK;
}

static int
subject_from_directory(struct store *st, const struct dir_principal *p,
                       struct policy_decision *d)
{
    const struct template *t = &d->tmpl;
    struct issue_names *n = &d->names;
    uint32_t f = t->name_flag;
    const char *check = "Subject name (built from the directory)";
    int machine = p->kind == DIR_COMPUTER;
    struct pkix_buf text = {0};
    int rc = CC_OK;

    /* every required attribute first, so the code names what is missing */
    int need_dns = (f & (CT_NAME_SUBJECT_ALT_REQUIRE_DNS | CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN)) ||
                   (machine && (f & CT_NAME_SUBJECT_REQUIRE_COMMON_NAME));
    if (need_dns && (p->dns == NULL || *p->dns == '\0'))
        return refuse(d, check, CC_E_SUBJECT_DNS_REQUIRED, "%s has no DNS host name.", p->sam);
    if ((f & (CT_NAME_SUBJECT_REQUIRE_EMAIL | CT_NAME_SUBJECT_ALT_REQUIRE_EMAIL)) &&
        (p->mail == NULL || *p->mail == '\0'))
        return refuse(d, check, CC_E_SUBJECT_EMAIL_REQUIRED, "%s has no e-mail address.",
                      p->sam);
    if ((f & (CT_NAME_SUBJECT_ALT_REQUIRE_UPN | CT_NAME_SUBJECT_ALT_REQUIRE_SPN)) &&
        (p->upn == NULL || *p->upn == '\0'))
        return refuse(d, check, CC_E_SUBJECT_UPN_REQUIRED, "%s has no user principal name.",
                      p->sam);
    if ((f & CT_NAME_SUBJECT_ALT_REQUIRE_DIRECTORY_GUID) && (p->guid == NULL || *p->guid == '\0'))
        return refuse(d, check, CC_E_SUBJECT_DIRECTORY_GUID_REQUIRED, "%s has no objectGUID.",
                      p->sam);

    if (f & CT_NAME_SUBJECT_REQUIRE_EMAIL) {
        pkix_buf_append(&text, OID_EMAIL "=", strlen(OID_EMAIL) + 1);
        dn_escape(&text, p->mail);
    }
    if (f & CT_NAME_SUBJECT_REQUIRE_DIRECTORY_PATH) {
        if (text.n)
            pkix_buf_append(&text, ",", 1);
        append_directory_path(st, &text, p);
    } else if (f & (CT_NAME_SUBJECT_REQUIRE_COMMON_NAME | CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN)) {
        const char *cn = (machine || (f & CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN)) && p->dns
                             ? p->dns
                             : p->name;
        if (text.n)
            pkix_buf_append(&text, ",", 1);
        pkix_buf_append(&text, "CN=", 3);
        dn_escape(&text, cn);
    }
    pkix_buf_append(&text, "", 1);
    if (text.n > 1) {
        if (dn_to_der((const char *)text.p, &n->subject) != CC_OK) {
            rc = refuse(d, check, CC_E_BAD_REQUESTSUBJECT, "The subject \"%s\" is not valid.",
                        (const char *)text.p);
            pkix_buf_free(&text);
            return rc;
        }
    } else {
        static const unsigned char empty[] = {0x30, 0x00};
        rc = pkix_buf_set(&n->subject, empty, sizeof empty);
    }
    if (rc == CC_OK && (f & CT_NAME_SUBJECT_ALT_REQUIRE_DNS))
        rc = strlist_add(&n->dns, p->dns);
    if (rc == CC_OK && (f & CT_NAME_SUBJECT_ALT_REQUIRE_DOMAIN_DNS)) {
        struct dir_domain dom = {0};
        if (dir_domain_get(st, &dom, NULL) == CC_OK) {
            rc = strlist_add(&n->dns, dom.dns);
            if (rc == CC_OK)
                rc = strlist_add(&n->dns, dom.netbios);
            dir_domain_free(&dom);
        }
    }
    if (rc == CC_OK && (f & CT_NAME_SUBJECT_ALT_REQUIRE_EMAIL))
        rc = strlist_add(&n->email, p->mail);
    if (rc == CC_OK && (f & (CT_NAME_SUBJECT_ALT_REQUIRE_UPN | CT_NAME_SUBJECT_ALT_REQUIRE_SPN)))
        rc = strlist_add(&n->upn, p->upn);
    if (rc == CC_OK && (f & CT_NAME_SUBJECT_ALT_REQUIRE_DIRECTORY_GUID))
        n->guid = cc_strdup(p->guid);
    if (rc == CC_OK && !(t->enrollment_flag & CT_ENROLL_NO_SECURITY_EXTENSION) && p->sid)
        n->sid = cc_strdup(p->sid);
    if (rc == CC_OK) {
        struct strlist all = {0};
        for (size_t i = 0; i < n->dns.n; i++)
            strlist_add(&all, n->dns.v[i]);
        for (size_t i = 0; i < n->upn.n; i++)
            strlist_add(&all, n->upn.v[i]);
        for (size_t i = 0; i < n->email.n; i++)
            strlist_add(&all, n->email.v[i]);
        char *sans = strlist_join(&all, ", ");
        strlist_free(&all);
        note(d, check, CC_OK, "subject \"%s\", alternative names: %s",
             text.n > 1 ? (const char *)text.p : "(empty)", sans && *sans ? sans : "none");
        free(sans);
    }
    pkix_buf_free(&text);
    return rc;
}

/* "ECDSA P-256 (256 bits)", "RSA (2048 bits)", "Ed25519 (256 bits)" for a request's key. */
static char *
key_description(const struct request_info *req)
{
    if (req->pk == GNUTLS_PK_ECDSA)
        return cc_asprintf("ECDSA P-%u (%u bits)", req->bits, req->bits);
    if (req->pk == GNUTLS_PK_EDDSA_ED25519)
        return cc_asprintf("Ed25519 (%u bits)", req->bits);
    const char *name = gnutls_pk_get_name(req->pk);
    return cc_asprintf("%s (%u bits)", name ? name : "unknown algorithm", req->bits);
}

/*
 * Step 7's key check, as AD CS makes it: the template's minimum key size
 * against the key's own size in bits (a P-256 key has 256, whatever its
 * strength), and a schema 3+ template that names an algorithm takes that
 * algorithm only. Both refusals are CERTSRV_E_KEY_LENGTH, the code AD CS
 * gives for a key the template does not allow.
 */
static int
key_check(const struct template *t, const struct request_info *req, struct policy_decision *d,
          const char *check)
{
    char *wanted = template_key_wanted(t);
    if (wanted == NULL)
        return CC_ENOMEM;
    if (req == NULL) {
        note(d, check, CC_OK, "%s wants %s", t->display_name, wanted);
        free(wanted);
        return CC_OK;
    }
    char *have = key_description(req);
    if (have == NULL) {
        free(wanted);
        return CC_ENOMEM;
    }
    int family = req->pk == GNUTLS_PK_RSA || req->pk == GNUTLS_PK_RSA_PSS ? TEMPLATE_KEY_RSA
                 : req->pk == GNUTLS_PK_ECDSA                             ? TEMPLATE_KEY_EC
                 : req->pk == GNUTLS_PK_EDDSA_ED25519                     ? TEMPLATE_KEY_ED25519
                                                                          : TEMPLATE_KEY_ANY;
    int ok = template_key_accepts(t, family, req->bits);
    int rc = CC_OK;
    if (!ok)
        rc = refuse(d, check, CC_E_KEY_LENGTH, "%s wants %s; the request's key is %s.",
                    t->display_name, wanted, have);
    else
        note(d, check, CC_OK, "%s; %s wants %s", have, t->display_name, wanted);
    free(wanted);
    free(have);
    return rc;
}

/* Step 1 of 5.2: every identifier must name the same template. */
static int
identify_template(struct store *st, struct policy_cache *cache, const char *template_name,
                  const struct request_info *req, struct policy_decision *d, char **cn_out)
{
    const char *check = "Template identification";
    const char *names[3] = {template_name, req ? req->nv_template : NULL, NULL};
    const char *ext = req ? (req->template_oid ? req->template_oid : req->template_name) : NULL;
    names[2] = ext;
    char *found = NULL;
    const char *first = NULL;
    int rc = CC_OK;
    *cn_out = NULL;
    for (int i = 0; i < 3; i++) {
        if (names[i] == NULL || *names[i] == '\0')
            continue;
        struct template own = {0};
        const struct template *t = NULL;
        char *why = NULL;
        int r = lookup_template(st, cache, names[i], &own, &t, NULL, &why);
        if (r == CC_ENOTFOUND) {
            rc = refuse(d, check, CC_E_UNSUPPORTED_CERT_TYPE,
                        "No certificate template \"%s\" exists.%s%s", names[i], why ? " " : "",
                        why ? why : "");
            free(why);
            free(found);
            return rc;
        }
        free(why);
        if (r != CC_OK) {
            free(found);
            return r;
        }
        if (found != NULL && strcmp(found, t->cn) != 0) {
            rc = refuse(d, check, CC_E_TEMPLATE_CONFLICT,
                        "The request names template \"%s\" and template \"%s\".", first,
                        names[i]);
            if (cache == NULL)
                template_free(&own);
            free(found);
            return rc;
        }
        if (found == NULL) {
            found = cc_strdup(t->cn);
            first = names[i];
        }
        if (cache == NULL)
            template_free(&own);
    }
    if (found == NULL)
        return refuse(d, check, CC_E_NO_CERT_TYPE,
                      "Name one with --template, or put the template extension in the "
                      "request.");
    *cn_out = found;
    return CC_OK;
}

int
policy_evaluate(const struct cc_ctx *cx, const struct authority_info *ca,
                struct policy_cache *cache, const struct dir_principal *requester,
                const char *template_name, const struct request_info *req, int flags,
                struct policy_decision *out, char **cause)
{
    struct store *st = cx->st;
    struct policy_decision *d = out;
    char *cn = NULL, *why = NULL;
    int rc;
    memset(d, 0, sizeof *d);
    d->brief = cache != NULL && cache->brief;
    time_t now = ctx_now(cx);

    /* 0: a CA signs nothing outside its own certificate's validity */
    {
        char *why_time = NULL;
        if (authority_check_time(ca, now, &why_time) != CC_OK) {
            rc = refuse(d, "CA certificate validity", CC_E_CA_CERT_TIME, "%s", why_time);
            free(why_time);
            return rc;
        }
        char to[32];
        note(d, "CA certificate validity", CC_OK, "valid until %s",
             cc_time_format(ca->not_after, to, sizeof to));
    }

    /* the request's own signature was checked when it was parsed */
    if (req != NULL) {
        if (request_weak_hash(req))
            return refuse(d, "Request signature", CC_E_WEAK_SIGNATURE,
                          "The request is signed with %s.",
                          gnutls_sign_get_name(req->sign) ? gnutls_sign_get_name(req->sign)
                                                          : "an unknown algorithm");
        note(d, "Request signature", CC_OK, "%s, verified",
             gnutls_sign_get_name(req->sign) ? gnutls_sign_get_name(req->sign) : "?");
        rc = lint_request(d, "Request extensions", req, 0, CC_E_BAD_REQUEST);
        if (rc != CC_OK || d->status != CC_OK)
            return rc;
    }

    rc = identify_template(st, cache, template_name, req, d, &cn);
    if (rc != CC_OK || d->status != CC_OK)
        return rc;
    const struct template *cached = NULL;
    struct cached_template *entry = NULL;
    rc = lookup_template(st, cache, cn, &d->tmpl, &cached, &entry, &why);
    free(why);
    if (rc != CC_OK) {
        rc = cc_fail(cause, rc, "template %s cannot be loaded", cn);
        free(cn);
        return rc;
    }
    free(cn);
    if (cache != NULL) {
        d->tmpl = *cached; /* borrowed, not copied: a batch shares one template */
        d->have_template = 2;
    } else {
        d->have_template = 1;
    }
    const struct template *t = &d->tmpl;
    note(d, "Template identification", CC_OK, "%s (%s), schema version %d, version %u.%u",
         t->display_name, t->cn, t->schema_version, t->revision, t->minor_revision);

    /* 2: Certificate Templates to Issue (and the edition) */
    const char *check = "Certificate Templates to Issue";
    int enabled;
    if (entry != NULL && entry->have_enabled) {
        enabled = entry->enabled;
    } else {
        enabled = authority_template_enabled(st, t->cn);
        if (entry != NULL) {
            entry->enabled = enabled;
            entry->have_enabled = 1;
        }
    }
    if (!enabled)
        return refuse(d, check, CC_E_UNSUPPORTED_CERT_TYPE,
                      "%s is not in the Certificate Templates to Issue of %s.", t->display_name,
                      ca->name);
    if (cc_strcaseeq(ca->edition, "Standard") && t->schema_version >= 2)
        return refuse(d, check, CC_E_STANDARD_EDITION,
                      "%s is a version %d template and %s is a Standard Edition CA.",
                      t->display_name, t->schema_version, ca->name);
    note(d, check, CC_OK, "enabled on %s", ca->name);

    /* 3: the request's template version must not be newer than the CA's copy */
    check = "Template version";
    if (req != NULL && req->template_oid != NULL &&
        ((req->template_major > (int64_t)t->revision) ||
         (req->template_major == (int64_t)t->revision &&
          req->template_minor > (int64_t)t->minor_revision)))
        return refuse(d, check, CC_E_BAD_TEMPLATE_VERSION,
                      "The request asks for version %lld.%lld; the template is %u.%u.",
                      (long long)req->template_major, (long long)req->template_minor,
                      t->revision, t->minor_revision);
    note(d, check, CC_OK, "%u.%u", t->revision, t->minor_revision);

    /* 4: CA Request permission, then the template's Enroll */
    const int64_t *token = NULL;
    size_t ntoken = 0;
    struct cached_token *tok_entry = NULL;
    if ((rc = token_of(st, cache, requester->id, &token, &ntoken, &tok_entry, cause)) != CC_OK)
        return rc;
    unsigned ca_rights;
    if (tok_entry != NULL && tok_entry->have_ca_rights) {
        ca_rights = tok_entry->ca_rights;
    } else {
        ca_rights = authority_rights(st, token, ntoken);
        if (tok_entry != NULL) {
            tok_entry->ca_rights = ca_rights;
            tok_entry->have_ca_rights = 1;
        }
    }
    struct acl_decision why_acl;
    unsigned rights = acl_effective(&t->acl, token, ntoken, &why_acl);
    if (cache == NULL)
        free((void *)token);
    check = "CA permission (Request Certificates)";
    if (!(ca_rights & CA_RIGHT_ENROLL))
        return refuse(d, check, CC_E_ENROLL_DENIED,
                      "%s does not have Request Certificates on %s.", requester->sam, ca->name);
    note(d, check, CC_OK, "allowed");
    check = "Template permission (Enroll)";
    int enroll_bit = 2; /* ACL_ENROLL is 1 << 2 */
    if (!(rights & (ACL_ENROLL | ACL_FULL))) {
        const struct acl_entry *by = why_acl.denied_by[enroll_bit];
        if (by != NULL)
            return refuse(d, check, CC_E_TEMPLATE_DENIED, "Enroll is denied to %s by the entry of %s.",
                          requester->sam, by->name ? by->name : "?");
        return refuse(d, check, CC_E_TEMPLATE_DENIED,
                      "No entry of the template's security gives %s Enroll (token taken %s).",
                      requester->sam,
                      requester->kind == DIR_COMPUTER && store_tokens_at_restart(st)
                          ? "at the computer's last restart"
                          : "now");
    }
    {
        const struct acl_entry *by = why_acl.granted_by[enroll_bit];
        note(d, check, CC_OK, "Enroll granted%s%s", by && by->name ? " by " : "",
             by && by->name ? by->name : "");
    }

    /* 5: CA compatibility level */
    check = "CA compatibility level";
    unsigned server = (t->private_key_flag & CT_PK_SERVER_VERSION_MASK) >>
                      CT_PK_SERVER_VERSION_SHIFT;
    if (server > (unsigned)ca->version)
        return refuse(d, check, CC_E_CA_VERSION, "The template needs level %u; the CA is %d.",
                      server, ca->version);
    note(d, check, CC_OK, "template needs %u, CA is %d", server, ca->version);

    /* 7: version 2+ processing (RA signatures, archival), and the key size */
    check = "Issuance requirements";
    if (t->ra_signature == 1 && (flags & POLICY_AGENT)) {
        note(d, check, CC_OK, "signed by an enrollment agent (Certificate Request Agent)");
    } else if (t->ra_signature > 0)
        return refuse(d, check, CC_E_SIGNATURE_POLICY_REQUIRED,
                      "The template requires %u authorized signature(s); a PKCS #10 request "
                      "carries none.",
                      t->ra_signature);
    if (t->private_key_flag & CT_PK_REQUIRE_PRIVATE_KEY_ARCHIVAL)
        return refuse(d, check, CC_E_ARCHIVED_KEY_REQUIRED,
                      "The template requires key archival, which this CA does not do.");
    if (t->ra_signature == 0)
        note(d, check, CC_OK, "no authorized signatures, no key archival");
    check = "Key size";
    if ((rc = key_check(t, req, d, check)) != CC_OK || d->status != CC_OK)
        return rc;

    /* name flags (2.4) */
    if (t->name_flag & CT_NAME_ENROLLEE_SUPPLIES_SUBJECT) {
        if (req != NULL)
            rc = subject_from_request(req, d);
        else
            note(d, "Subject name (supplied in the request)", CC_OK,
                 "the request must carry a subject name or alternative names");
    } else {
        rc = subject_from_directory(st, requester, d);
    }
    if (rc != CC_OK || d->status != CC_OK)
        return rc;

    /* 10: issue, or pend for the certificate manager */
    check = "Issuance";
    if ((t->enrollment_flag & CT_ENROLL_PEND_ALL_REQUESTS) && !(flags & POLICY_RESUBMIT)) {
        d->pending = 1;
        d->message = cc_strdup("Taken Under Submission");
        note(d, check, CC_OK, "pending: the template requires CA certificate manager approval");
    } else {
        const char *done = (flags & POLICY_RESUBMIT) ? "Resubmitted by officer" : "Issued";
        time_t nb, na;
        enum authority_end end = AUTHORITY_END_PERIOD;
        if ((rc = authority_validity(ca, t->validity, now, &nb, &na, &end, cause)) != CC_OK)
            return rc;
        char until[32];
        cc_time_format(na, until, sizeof until);
        if (end == AUTHORITY_END_PERIOD) {
            d->message = cc_strdup(done);
        } else {
            /* AD CS says so in the disposition message when it shortens a certificate */
            char *period = template_period_format(t->validity);
            d->message = cc_asprintf(
                "%s. The certificate ends on %s, with %s, before the template's validity "
                "period of %s.",
                done, until,
                end == AUTHORITY_END_CA ? "the CA certificate" : "the CA's maximum validity",
                period ? period : "?");
            free(period);
        }
        note(d, check, CC_OK, "issued, valid until %s", until);
    }
    return d->message ? CC_OK : CC_ENOMEM;
}
