/*
 * Template lint: settings that make a template risky, such as a subject
 * supplied in the request together with client authentication and Enroll
 * for a broad group (anyone could ask for a certificate in anyone's name).
 */
#ifndef CERTCON_LINT_H
#define CERTCON_LINT_H

#include <stddef.h>

#include "store.h"
#include "template.h"

enum lint_severity { LINT_LOW = 1, LINT_MEDIUM = 2, LINT_HIGH = 3 };

struct lint_finding {
    enum lint_severity severity;
    char *code;    /* short tag: "supplied-subject-client-auth", ... */
    char *message; /* what is risky and what to change */
};

/* Appends the template's findings to *out (allocated). */
int template_lint(struct store *st, const struct template *t, struct lint_finding **out,
                  size_t *n, char **cause);
void lint_findings_free(struct lint_finding *v, size_t n);
const char *lint_severity_name(enum lint_severity s);

#endif
