/*
 * Coaching rules: one table row per thing the deployment guide warns
 * against, each with the guide's reason in our own words and a function
 * that looks for it in the lab. What the guide wants of its own templates
 * (their compatibility, whether their keys may be exported, who must lose
 * Enroll) comes from the lab's exercise files, so a rule and an exercise
 * cannot disagree about the guide.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "authority.h"
#include "coach.h"
#include "directory.h"
#include "status.h"
#include "template.h"
#include "util.h"

struct rule;
typedef int (*rule_fn)(struct store *st, const struct exercise_set *set, const struct rule *r,
                       struct coach_notes *out, char **cause);

struct rule {
    const char *id;
    const char *reason;
    rule_fn fn;
};

static int rule_compat(struct store *, const struct exercise_set *, const struct rule *,
                       struct coach_notes *, char **);
static int rule_exportable(struct store *, const struct exercise_set *, const struct rule *,
                           struct coach_notes *, char **);
static int rule_admins_enroll(struct store *, const struct exercise_set *, const struct rule *,
                              struct coach_notes *, char **);
static int rule_restart(struct store *, const struct exercise_set *, const struct rule *,
                        struct coach_notes *, char **);
static int rule_standard(struct store *, const struct exercise_set *, const struct rule *,
                         struct coach_notes *, char **);

static const struct rule rules[] = {
    {"compat",
     "The guide duplicates this template for Windows Server 2003 and warns against 2008: a "
     "template made for 2008 or later is one that the older clients and site systems the "
     "procedure supports cannot use, so their enrollment fails. Duplicate it again with "
     "2003 compatibility.",
     rule_compat},
    {"exportable",
     "The guide lets a private key be exported only where its procedure needs the key as a file "
     "(the cloud-based distribution point and the distribution point certificates): an "
     "exportable key can be copied off the computer and used elsewhere. Clear Allow private "
     "key to be exported on this template.",
     rule_exportable},
    {"admins-enroll",
     "The guide takes Enroll away from Domain Admins and Enterprise Admins on its copy, so that "
     "only the group made for the purpose can request these certificates; an administrator's "
     "account that keeps Enroll can obtain one it has no use for. Remove the Enroll right "
     "from that group on the Security tab.",
     rule_admins_enroll},
    {"restart",
     "A computer takes its group memberships when it starts, so the guide restarts a server "
     "after changing its groups: until then the CA judges its requests by the groups it had, "
     "and the permissions given to its new group do not apply. Restart the computer.",
     rule_restart},
    {"standard-edition",
     "Only an Enterprise Edition CA issues version 2 and later templates, which is why the "
     "guide's CA runs an Enterprise Edition of Windows Server; a Standard Edition CA cannot "
     "issue the guide's templates at all. Make the lab with an Enterprise CA.",
     rule_standard},
};
#define NRULES (sizeof rules / sizeof rules[0])

void
coach_notes_free(struct coach_notes *notes)
{
    for (size_t i = 0; i < notes->n; i++) {
        free(notes->v[i].subject);
        free(notes->v[i].text);
    }
    free(notes->v);
    notes->v = NULL;
    notes->n = 0;
}

char *
coach_note_key(const struct coach_note *note)
{
    return cc_asprintf("%s\t%s", note->rule, note->subject);
}

static int add_note(struct coach_notes *out, const struct rule *r, const char *subject,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
add_note(struct coach_notes *out, const struct rule *r, const char *subject, const char *fmt, ...)
{
    struct coach_note *v = realloc(out->v, (out->n + 1) * sizeof *v);
    if (v == NULL)
        return CC_ENOMEM;
    out->v = v;
    va_list ap;
    va_start(ap, fmt);
    char *text = cc_vasprintf(fmt, ap);
    va_end(ap);
    char *subj = cc_strdup(subject);
    if (text == NULL || subj == NULL) {
        free(text);
        free(subj);
        return CC_ENOMEM;
    }
    out->v[out->n++] = (struct coach_note){r->id, subj, text, r->reason};
    return CC_OK;
}

/*
 * Calls fn for each of the guide's templates that exists in the lab. A
 * template the trainee has not made yet is simply skipped.
 */
typedef int (*each_fn)(struct store *st, const struct exercise_set *set, const struct rule *r,
                       const struct template *t, struct coach_notes *out, char **cause);

static int
each_guide_template(struct store *st, const struct exercise_set *set, const struct rule *r,
                    each_fn fn, struct coach_notes *out, char **cause)
{
    struct strlist names = {0};
    int rc = exercise_templates(set, &names);
    for (size_t i = 0; rc == CC_OK && i < names.n; i++) {
        struct template t = {0};
        if (template_load(st, names.v[i], &t, NULL) != CC_OK)
            continue;
        rc = fn(st, set, r, &t, out, cause);
        template_free(&t);
    }
    strlist_free(&names);
    return rc;
}

static int
compat_one(struct store *st, const struct exercise_set *set, const struct rule *r,
           const struct template *t, struct coach_notes *out, char **cause)
{
    (void)st;
    (void)cause;
    const char *want = exercise_wanted_setting(set, t->display_name, "compat");
    enum template_compat c = template_compat_of(t);
    if (want == NULL || strcmp(want, "2003") != 0 || c < COMPAT_2008)
        return CC_OK;
    return add_note(out, r, t->display_name,
                    "%s is made for Windows Server %s; the guide makes it for Windows Server 2003",
                    t->display_name, template_compat_name(c));
}

static int
rule_compat(struct store *st, const struct exercise_set *set, const struct rule *r,
            struct coach_notes *out, char **cause)
{
    return each_guide_template(st, set, r, compat_one, out, cause);
}

static int
exportable_one(struct store *st, const struct exercise_set *set, const struct rule *r,
               const struct template *t, struct coach_notes *out, char **cause)
{
    (void)st;
    (void)cause;
    const char *want = exercise_wanted_setting(set, t->display_name, "exportable");
    if (!template_exportable(t) || (want != NULL && cc_strcaseeq(want, "yes")))
        return CC_OK;
    return add_note(
        out, r, t->display_name,
        "%s lets the private key be exported, which the guide's procedure does not need",
        t->display_name);
}

static int
rule_exportable(struct store *st, const struct exercise_set *set, const struct rule *r,
                struct coach_notes *out, char **cause)
{
    return each_guide_template(st, set, r, exportable_one, out, cause);
}

/*
 * Enroll is "left" on an administrators' group once the template is in
 * use: while a trainee is still between duplicating and editing it, the
 * exercise's own step says what is missing.
 */
static int
admins_one(struct store *st, const struct exercise_set *set, const struct rule *r,
           const struct template *t, struct coach_notes *out, char **cause)
{
    (void)cause;
    static const char *const admins[] = {"Domain Admins", "Enterprise Admins"};
    if (!authority_template_enabled(st, t->cn))
        return CC_OK;
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < sizeof admins / sizeof admins[0]; i++) {
        struct dir_principal p = {0};
        if (!exercise_wants_absent(set, t->display_name, admins[i], ACL_ENROLL) ||
            dir_lookup(st, admins[i], &p, NULL) != CC_OK)
            continue;
        const struct acl_entry *e = acl_find(&t->acl, p.id);
        unsigned has = e ? e->allow & ~e->deny : 0;
        if (has & (ACL_ENROLL | ACL_FULL)) {
            char *subject = cc_asprintf("%s\t%s", t->display_name, p.name);
            rc = subject
                     ? add_note(out, r, subject, "%s still has Enroll on %s, which the CA issues",
                                p.name, t->display_name)
                     : CC_ENOMEM;
            free(subject);
        }
        dir_principal_free(&p);
    }
    return rc;
}

static int
rule_admins_enroll(struct store *st, const struct exercise_set *set, const struct rule *r,
                   struct coach_notes *out, char **cause)
{
    return each_guide_template(st, set, r, admins_one, out, cause);
}

static int
has_id(const int64_t *v, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == id)
            return 1;
    return 0;
}

/* Names of the groups in a but not in b, joined by ", " into *names (NULL when none). */
static int
groups_missing(struct store *st, const int64_t *a, size_t na, const int64_t *b, size_t nb,
               char **names)
{
    struct strlist l = {0};
    int rc = CC_OK;
    *names = NULL;
    for (size_t i = 0; rc == CC_OK && i < na; i++) {
        struct dir_principal g = {0};
        if (has_id(b, nb, a[i]) || dir_get(st, a[i], &g, NULL) != CC_OK)
            continue;
        rc = strlist_add(&l, g.name);
        dir_principal_free(&g);
    }
    if (rc == CC_OK && l.n > 0 && (*names = strlist_join(&l, ", ")) == NULL)
        rc = CC_ENOMEM;
    strlist_free(&l);
    return rc;
}

static int
rule_restart(struct store *st, const struct exercise_set *set, const struct rule *r,
             struct coach_notes *out, char **cause)
{
    (void)set;
    struct dir_principal *v = NULL;
    size_t n = 0;
    int rc = dir_list(st, 1u << DIR_COMPUTER, &v, &n, cause);
    for (size_t i = 0; rc == CC_OK && i < n; i++) {
        int64_t *now = NULL, *acts = NULL;
        size_t nnow = 0, nacts = 0;
        char *joined = NULL, *left = NULL;
        rc = dir_token_live(st, v[i].id, &now, &nnow, cause);
        if (rc == CC_OK)
            rc = dir_token(st, v[i].id, &acts, &nacts, cause);
        if (rc == CC_OK)
            rc = groups_missing(st, now, nnow, acts, nacts, &joined);
        if (rc == CC_OK)
            rc = groups_missing(st, acts, nacts, now, nnow, &left);
        if (rc == CC_OK && (joined || left))
            rc = add_note(out, r, v[i].name, "%s acts %s%s%s%s%s until it restarts", v[i].name,
                          joined ? "without " : "", joined ? joined : "",
                          joined && left ? " and still " : "", left ? "with " : "",
                          left ? left : "");
        free(joined);
        free(left);
        free(now);
        free(acts);
    }
    dir_list_free(v, n);
    return rc;
}

static int
standard_one(struct store *st, const struct exercise_set *set, const struct rule *r,
             const struct template *t, struct coach_notes *out, char **cause)
{
    (void)set;
    if (t->schema_version < 2)
        return CC_OK;
    struct authority_info ca = {0};
    int rc = authority_info_load(st, &ca, cause);
    if (rc == CC_OK && cc_strcaseeq(ca.edition, "Standard"))
        rc = add_note(out, r, t->display_name,
                      "%s is a version %d template and %s is a Standard Edition CA, which cannot "
                      "issue it",
                      t->display_name, t->schema_version, ca.name);
    authority_info_free(&ca);
    return rc;
}

static int
rule_standard(struct store *st, const struct exercise_set *set, const struct rule *r,
              struct coach_notes *out, char **cause)
{
    if (!authority_exists(st))
        return CC_OK;
    return each_guide_template(st, set, r, standard_one, out, cause);
}

int
coach_evaluate(struct store *st, const struct exercise_set *set, struct coach_notes *out,
               char **cause)
{
    memset(out, 0, sizeof *out);
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < NRULES; i++)
        rc = rules[i].fn(st, set, &rules[i], out, cause);
    if (rc != CC_OK)
        coach_notes_free(out);
    return rc;
}
