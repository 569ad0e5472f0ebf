/*
 * Template lint. Each rule is one entry of a table: a test over the template
 * and the principals that hold broad rights on it, and the advice to give.
 * "Broad" means a group every account is in by default (Authenticated Users,
 * Domain Users, Domain Computers).
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

struct lint_ctx {
    const struct template *t;
    char *broad_enroll; /* names of broad groups allowed Enroll, or NULL */
    char *broad_write;  /* names of broad groups allowed Write or Full Control */
};

static const char *const broad_groups[] = {"Authenticated Users", "Domain Users",
                                           "Domain Computers"};

static int
has_eku(const struct template *t, const char *oid)
{
    return strlist_find(&t->eku, oid, 0) >= 0;
}

static int
client_auth_capable(const struct template *t)
{
    return t->eku.n == 0 || has_eku(t, "1.3.6.1.5.5.7.3.2") || has_eku(t, "1.3.6.1.5.2.3.4") ||
           has_eku(t, "1.3.6.1.4.1.311.20.2.2") || has_eku(t, "2.5.29.37.0");
}

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
rule_any_purpose(const struct lint_ctx *x)
{
    return x->broad_enroll && !is_ca(x->t) && unchecked(x->t) &&
           (x->t->eku.n == 0 || has_eku(x->t, "2.5.29.37.0"));
}

static int
rule_agent(const struct lint_ctx *x)
{
    return x->broad_enroll && unchecked(x->t) && has_eku(x->t, "1.3.6.1.4.1.311.20.2.1");
}

static int
rule_write(const struct lint_ctx *x)
{
    return x->broad_write != NULL;
}

static int
rule_export(const struct lint_ctx *x)
{
    return x->broad_enroll && template_exportable(x->t) && !is_ca(x->t);
}

static int
rule_key_size(const struct lint_ctx *x)
{
    /* RSA sizes only: a template naming a curve has that curve's size */
    const char *alg = template_algorithm(x->t);
    return x->t->min_key_size < 2048 && x->t->schema_version >= 2 &&
           (alg == NULL || cc_strcaseeq(alg, "RSA"));
}

static int
rule_validity(const struct lint_ctx *x)
{
    return !is_ca(x->t) && x->t->validity > 5 * PERIOD_YEAR;
}

static const struct {
    enum lint_severity severity;
    const char *code;
    int (*test)(const struct lint_ctx *);
    const char *advice; /* %s: the broad groups */
} rules[] = {
    {LINT_HIGH, "supplied-subject-client-auth", rule_esc1,
     "the subject is supplied in the request, the certificate authenticates clients and %s may "
     "enroll without approval: anyone there can obtain a certificate in anyone's name. Build the "
     "subject from AD, require approval, or restrict Enroll"},
    {LINT_HIGH, "any-purpose", rule_any_purpose,
     "the certificate is good for any purpose and %s may enroll without approval. List the "
     "application policies it needs"},
    {LINT_HIGH, "enrollment-agent", rule_agent,
     "%s may obtain an enrollment agent certificate without approval, which lets them request "
     "certificates on behalf of others. Require approval or restrict Enroll"},
    {LINT_HIGH, "broad-write", rule_write,
     "%s may change this template: anyone there can make it issue what they want. Give Write "
     "and Full Control to PKI administrators only"},
    {LINT_MEDIUM, "broad-exportable", rule_export,
     "private keys are exportable and %s may enroll. Allow export only where the key must move"},
    {LINT_LOW, "small-key", rule_key_size, "the minimum key size is below 2048 bits%s"},
    {LINT_LOW, "long-validity", rule_validity,
     "end-entity certificates are valid for more than five years%s"},
};

const char *
lint_severity_name(enum lint_severity s)
{
    return s == LINT_HIGH ? "high" : s == LINT_MEDIUM ? "medium" : "low";
}

void
lint_findings_free(struct lint_finding *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].message);
    }
    free(v);
}

/* Names of broad groups whose entry allows any right of mask (Deny honoured). */
static char *
broad_with(struct store *st, const struct template *t, unsigned mask)
{
    struct strlist names = {0};
    for (size_t i = 0; i < sizeof broad_groups / sizeof broad_groups[0]; i++) {
        struct dir_principal p = {0};
        if (dir_lookup(st, broad_groups[i], &p, NULL) != CC_OK)
            continue;
        int64_t token[1] = {p.id};
        if (acl_effective(&t->acl, token, 1, NULL) & mask)
            strlist_add(&names, p.name);
        dir_principal_free(&p);
    }
    char *s = names.n ? strlist_join(&names, " and ") : NULL;
    strlist_free(&names);
    return s;
}

int
template_lint(struct store *st, const struct template *t, struct lint_finding **out, size_t *n,
              char **cause)
{
    (void)cause;
    struct lint_ctx x = {t, broad_with(st, t, ACL_ENROLL), broad_with(st, t, ACL_WRITE)};
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
        const char *who = rules[i].test == rule_write ? x.broad_write
                          : strstr(rules[i].advice, "%s") && rules[i].severity != LINT_LOW
                              ? x.broad_enroll
                              : "";
        v[*n].severity = rules[i].severity;
        v[*n].code = strdup(rules[i].code);
        v[*n].message = cc_asprintf(rules[i].advice, who ? who : "");
        if (v[*n].code == NULL || v[*n].message == NULL)
            rc = CC_ENOMEM;
        (*n)++;
    }
    free(x.broad_enroll);
    free(x.broad_write);
    return rc;
}
