/*
 * Template risk lint: settings that make a template dangerous, such as a
 * subject supplied in the request together with client authentication and
 * Enroll for a broad group (anyone could ask for a certificate in anyone's
 * name). Each finding carries the attack it opens (ESC1..ESC4 in the
 * published naming of AD CS escalations, or a short name), a severity, one
 * sentence on why it matters and one on how to fix it. Broad groups count
 * also when they hold a right through a group they are nested in.
 */
#ifndef CERTCON_LINT_H
#define CERTCON_LINT_H

#include <stddef.h>

#include "store.h"
#include "template.h"

/* LINT_MEDIUM ("warning") and above make `template lint` exit 1. */
enum lint_severity { LINT_LOW = 1, LINT_MEDIUM = 2, LINT_HIGH = 3 };

struct lint_finding {
    enum lint_severity severity;
    char *id;      /* "ESC1".."ESC4", or the code when no ESC applies */
    char *code;    /* short tag: "supplied-subject-client-auth", ... */
    char *why;     /* one sentence: why it matters, naming the groups */
    char *fix;     /* one sentence: how to fix it */
    char *message; /* why and fix joined, for one-line displays */
};

/* Appends the template's findings to *out (allocated; *out and *n may hold earlier ones). */
int template_lint(struct store *st, const struct template *t, struct lint_finding **out, size_t *n,
                  char **cause);
void lint_findings_free(struct lint_finding *v, size_t n);
/* "high", "warning", "note" */
const char *lint_severity_name(enum lint_severity s);

#endif
