/*
 * Template risk lint. Each rule is one entry of a table: a test over the
 * template and the broad groups that hold rights on it, its ESC id, and two
 * sentences, why and how to fix. "Broad" means a group every account or
 * every computer is in by default (Everyone, Authenticated Users, Domain
 * Users, Domain Computers); a broad group counts as holding a right also
 * when the right is given to a group it is nested in, since every member of
 * the broad group then holds it.
 *
 * Settings of a built-in template (User's exportable key, Exchange User's
 * subject from the request, Cross Certification Authority's 1024-bit
 * minimum) are AD's design, which a version 1 template cannot change, not
 * the administrator's choice, so the rules about settings alone skip
 * built-ins; rules
 * about who may enroll or write apply to every template, because its
 * Security tab can always be changed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "directory.h"
#include "lint.h"
#include "status.h"
#include "template.h"
#include "util.h"

#define OID_CLIENT_AUTH     "1.3.6.1.5.5.7.3.2"
#define OID_PKINIT_CLIENT   "1.3.6.1.5.2.3.4"
#define OID_SMARTCARD_LOGON "1.3.6.1.4.1.311.20.2.2"
#define OID_ANY_PURPOSE     "2.5.29.37.0"
#define OID_REQUEST_AGENT   "1.3.6.1.4.1.311.20.2.1"

struct lint_ctx {
    const struct template *t;
    char *broad_enroll; /* "Domain Users and Everyone", or NULL when no broad group may enroll */
    char *broad_write;  /* the same for Write or Full Control */
    char *one_group;    /* the one group the guide gives Enroll on this template, or NULL */
};

static const char *const broad_groups[] = {"Everyone", "Authenticated Users", "Domain Users",
                                           "Domain Computers"};

/*
 * Templates the deployment guide duplicates and then gives Enroll to one
 * group only: Domain Users or Domain Computers keeping Enroll there lets
 * every account enroll for a certificate meant for a few.
 */
static const struct {
    const char *display_name;
    const char *group;
} one_group_templates[] = {
    {"ConfigMgr Mac Client Certificate", "ConfigMgr Mac Client Users"},
    {"ConfigMgr Mobile Device Enrollment Certificate", "ConfigMgr Mobile Device Users"},
    {"ConfigMgr Client Distribution Point Certificate", "ConfigMgr IIS Servers"},
};

static int
has_eku(const struct template *t, const char *oid)
{
    return strlist_find(&t->eku, oid, 0) >= 0;
}

static int
any_purpose(const struct template *t)
{
    return t->eku.n == 0 || has_eku(t, OID_ANY_PURPOSE);
}

static int
client_auth_capable(const struct template *t)
{
    return any_purpose(t) || has_eku(t, OID_CLIENT_AUTH) || has_eku(t, OID_PKINIT_CLIENT) ||
           has_eku(t, OID_SMARTCARD_LOGON);
}

/* Issued without a person or a signature looking at the request first. */
static int
unchecked(const struct template *t)
{
    return !template_needs_approval(t) && t->ra_signature == 0;
}

static int
is_ca(const struct template *t)
{
    return (t->flags & (CT_FLAG_IS_CA | CT_FLAG_IS_CROSS_CA)) != 0;
}

static int
rule_esc1(const struct lint_ctx *x)
{
    return x->broad_enroll && template_subject_supplied(x->t) && client_auth_capable(x->t) &&
           unchecked(x->t) && !is_ca(x->t);
}

static int
rule_ca_broad(const struct lint_ctx *x)
{
    return x->broad_enroll && is_ca(x->t);
}

static int
rule_agent(const struct lint_ctx *x)
{
    return x->broad_enroll && has_eku(x->t, OID_REQUEST_AGENT);
}

static int
rule_any_purpose_broad(const struct lint_ctx *x)
{
    return x->broad_enroll && !is_ca(x->t) && unchecked(x->t) && any_purpose(x->t);
}

static int
rule_any_purpose(const struct lint_ctx *x)
{
    return !rule_any_purpose_broad(x) && !is_ca(x->t) && !template_is_builtin(x->t) &&
           any_purpose(x->t);
}

static int
rule_write(const struct lint_ctx *x)
{
    return x->broad_write != NULL;
}

static int
rule_export(const struct lint_ctx *x)
{
    return x->broad_enroll && !template_is_builtin(x->t) && template_exportable(x->t) &&
           !is_ca(x->t) && client_auth_capable(x->t);
}

static int
rule_one_group(const struct lint_ctx *x)
{
    return x->one_group != NULL;
}

static int
rule_approval(const struct lint_ctx *x)
{
    /* the ESC1 case says more; this one is the server or e-mail certificate */
    return x->broad_enroll && !template_is_builtin(x->t) && template_subject_supplied(x->t) &&
           unchecked(x->t) && !client_auth_capable(x->t) && !is_ca(x->t);
}

static int
rule_key_size(const struct lint_ctx *x)
{
    /* RSA sizes only: a template naming a curve has that curve's size */
    const char *alg = template_algorithm(x->t);
    return !template_is_builtin(x->t) && x->t->min_key_size < 2048 &&
           (alg == NULL || cc_strcaseeq(alg, "RSA"));
}

static int
rule_validity(const struct lint_ctx *x)
{
    return !template_is_builtin(x->t) && !is_ca(x->t) && x->t->validity > 5 * PERIOD_YEAR;
}

enum who { WHO_NONE, WHO_ENROLL, WHO_WRITE, WHO_ONE_GROUP };

static const struct {
    enum lint_severity severity;
    const char *id; /* NULL: the code */
    const char *code;
    int (*test)(const struct lint_ctx *);
    enum who who;    /* what %s in why stands for */
    const char *why; /* one sentence */
    const char *fix; /* one sentence */
} rules[] = {
    {LINT_HIGH, "ESC1", "supplied-subject-client-auth", rule_esc1, WHO_ENROLL,
     "The subject is supplied in the request, the certificate authenticates clients and %s may "
     "enroll without approval, so anyone there can obtain a certificate in anyone's name, an "
     "administrator's included.",
     "Build the subject from Active Directory, require CA certificate manager approval, or give "
     "Enroll only to the accounts that need it."},
    {LINT_HIGH, "ESC2", "broad-ca", rule_ca_broad, WHO_ENROLL,
     "The template issues CA certificates and %s may enroll, so anyone there can get a CA "
     "certificate and issue any certificate the domain trusts.",
     "Remove Enroll from the broad groups and leave it to Domain Admins and Enterprise Admins."},
    {LINT_HIGH, "ESC3", "enrollment-agent", rule_agent, WHO_ENROLL,
     "%s may obtain an enrollment agent certificate, which lets them request certificates on "
     "behalf of any other account.",
     "Give Enroll only to the enrollment agents' own group, or require CA certificate manager "
     "approval."},
    {LINT_HIGH, "ESC2", "any-purpose", rule_any_purpose_broad, WHO_ENROLL,
     "The certificate is good for any purpose, client authentication and certificate signing "
     "included, and %s may enroll without approval.",
     "List only the application policies the certificate needs, or give Enroll only to the "
     "accounts that need it."},
    {LINT_HIGH, "ESC4", "broad-write", rule_write, WHO_WRITE,
     "%s may change this template, so anyone there can make it issue whatever they want.",
     "Give Write and Full Control to PKI administrators only."},
    {LINT_MEDIUM, "exportable-auth-key", "broad-exportable", rule_export, WHO_ENROLL,
     "Private keys of this authentication certificate are exportable and %s may enroll, so a "
     "copied key lets someone else sign in as its holder.",
     "Clear Allow private key to be exported unless the key must move to another machine."},
    {LINT_MEDIUM, "one-group-enroll", "one-group-enroll", rule_one_group, WHO_ONE_GROUP, "%s.",
     "Remove Enroll from Domain Users and Domain Computers, as the deployment guide's Security "
     "step does."},
    {LINT_MEDIUM, "approval-off", "approval-off", rule_approval, WHO_ENROLL,
     "The subject is supplied in the request and %s may enroll with neither CA certificate "
     "manager approval nor an authorized signature, so nobody checks the names a request asks "
     "for.",
     "Turn on CA certificate manager approval, or build the subject from Active Directory."},
    {LINT_LOW, "any-purpose-eku", "any-purpose-eku", rule_any_purpose, WHO_NONE,
     "The certificate is good for any purpose (no application policy or Any Purpose), which "
     "becomes ESC2 as soon as a broad group may enroll.",
     "List only the application policies the certificate needs."},
    {LINT_LOW, "small-key", "small-key", rule_key_size, WHO_NONE,
     "The minimum key size is below 2048 bits, which current guidance no longer accepts for "
     "RSA.",
     "Set the minimum key size to 2048 or more."},
    {LINT_LOW, "long-validity", "long-validity", rule_validity, WHO_NONE,
     "End-entity certificates are valid for more than five years, so a stolen key stays useful "
     "that long.",
     "Shorten the validity period to what the certificate's use needs."},
};

const char *
lint_severity_name(enum lint_severity s)
{
    return s == LINT_HIGH ? "high" : s == LINT_MEDIUM ? "warning" : "note";
}

void
lint_findings_free(struct lint_finding *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].code);
        free(v[i].why);
        free(v[i].fix);
        free(v[i].message);
    }
    free(v);
}

static int
bit_index(unsigned bit)
{
    int i = 0;
    while (bit > 1) {
        bit >>= 1;
        i++;
    }
    return i;
}

static int
is_broad(const char *name)
{
    for (size_t i = 0; i < sizeof broad_groups / sizeof broad_groups[0]; i++)
        if (cc_strcaseeq(name, broad_groups[i]))
            return 1;
    return 0;
}

/*
 * Names of broad groups that hold a right of mask on t, through their own
 * entry or a group they are nested in ("Domain Users (through Helpdesk)"),
 * Deny honoured; NULL when none does. Allocated.
 */
static char *
broad_with(struct store *st, const struct template *t, unsigned mask)
{
    struct strlist names = {0};
    for (size_t i = 0; i < sizeof broad_groups / sizeof broad_groups[0]; i++) {
        struct dir_principal p = {0};
        if (dir_lookup(st, broad_groups[i], &p, NULL) != CC_OK)
            continue;
        int64_t *token = NULL;
        size_t ntoken = 0;
        if (dir_token_live(st, p.id, &token, &ntoken, NULL) != CC_OK) {
            dir_principal_free(&p);
            continue;
        }
        struct acl_decision why;
        int64_t self[1] = {p.id};
        unsigned own = acl_effective(&t->acl, self, 1, NULL);
        unsigned rights = acl_effective(&t->acl, token, ntoken, &why);
        if (own & rights & mask) { /* its own entry grants: name it plainly */
            strlist_add(&names, p.name);
            free(token);
            dir_principal_free(&p);
            continue;
        }
        for (unsigned bit = 1; bit <= ACL_FULL; bit <<= 1) {
            if (!(rights & mask & bit))
                continue;
            const struct acl_entry *e = why.granted_by[bit_index(bit)];
            char *s = NULL;
            if (e == NULL || e->principal == p.id || e->name == NULL)
                s = cc_asprintf("%s", p.name);
            else if (!is_broad(e->name)) /* a broad group's own entry names it already */
                s = cc_asprintf("%s (through %s)", p.name, e->name);
            if (s && strlist_find(&names, s, 1) < 0)
                strlist_add(&names, s);
            free(s);
            break;
        }
        free(token);
        dir_principal_free(&p);
    }
    char *s = names.n ? strlist_join(&names, " and ") : NULL;
    strlist_free(&names);
    return s;
}

/* The sentence for a guide template whose Enroll went beyond its one group, or NULL. */
static char *
one_group_of(struct store *st, const struct template *t)
{
    for (size_t i = 0; i < sizeof one_group_templates / sizeof one_group_templates[0]; i++) {
        if (!cc_strcaseeq(t->display_name, one_group_templates[i].display_name))
            continue;
        struct strlist kept = {0};
        static const char *const wide[] = {"Domain Users", "Domain Computers"};
        for (size_t k = 0; k < 2; k++) {
            struct dir_principal p = {0};
            if (dir_lookup(st, wide[k], &p, NULL) != CC_OK)
                continue;
            int64_t token[1] = {p.id};
            if (acl_effective(&t->acl, token, 1, NULL) & ACL_ENROLL)
                strlist_add(&kept, p.name);
            dir_principal_free(&p);
        }
        char *s = NULL;
        if (kept.n) {
            char *names = strlist_join(&kept, " and ");
            s = cc_asprintf("The deployment guide gives Enroll on this template to %s only, but "
                            "%s still %s it, so every member can enroll",
                            one_group_templates[i].group, names, kept.n > 1 ? "hold" : "holds");
            free(names);
        }
        strlist_free(&kept);
        return s;
    }
    return NULL;
}

int
template_lint(struct store *st, const struct template *t, struct lint_finding **out, size_t *n,
              char **cause)
{
    struct lint_ctx x = {t, broad_with(st, t, ACL_ENROLL), broad_with(st, t, ACL_WRITE | ACL_FULL),
                         one_group_of(st, t)};
    int rc = CC_OK;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0] && rc == CC_OK; i++) {
        if (!rules[i].test(&x))
            continue;
        struct lint_finding *v = realloc(*out, (*n + 1) * sizeof *v);
        if (v == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        *out = v;
        const char *who = rules[i].who == WHO_ENROLL      ? x.broad_enroll
                          : rules[i].who == WHO_WRITE     ? x.broad_write
                          : rules[i].who == WHO_ONE_GROUP ? x.one_group
                                                          : "";
        struct lint_finding *f = &v[(*n)++];
        memset(f, 0, sizeof *f);
        f->severity = rules[i].severity;
        f->id = strdup(rules[i].id ? rules[i].id : rules[i].code);
        f->code = strdup(rules[i].code);
        f->why = cc_asprintf(rules[i].why, who ? who : "");
        f->fix = strdup(rules[i].fix);
        if (f->why && f->why[0] >= 'a' && f->why[0] <= 'z')
            f->why[0] = (char)(f->why[0] - 'a' + 'A');
        f->message = f->why ? cc_asprintf("%s %s", f->why, rules[i].fix) : NULL;
        if (!f->id || !f->code || !f->why || !f->fix || !f->message)
            rc = CC_ENOMEM;
    }
    free(x.broad_enroll);
    free(x.broad_write);
    free(x.one_group);
    if (rc == CC_ENOMEM && cause)
        *cause = cc_asprintf("out of memory while linting %s", t->display_name);
    return rc;
}
