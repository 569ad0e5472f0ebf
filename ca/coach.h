/*
 * Coaching: where a trainee's lab differs from the deployment guide in a way
 * the guide warns against, a note says what was found and the guide's reason
 * for doing otherwise. Each rule reads the lab's real state (templates, their
 * access entries, the CA, the computers' tokens) and what the lab's exercises
 * want (ca/exercise.h), so the guide's facts are written once, in the
 * exercise files. Evaluating never changes the lab.
 */
#ifndef CERTCON_COACH_H
#define CERTCON_COACH_H

#include <stddef.h>

#include "exercise.h"
#include "store.h"

struct coach_note {
    const char *rule;   /* the rule's id: "compat", "exportable", "admins-enroll", ... */
    char *subject;      /* what it is about: a template's or a computer's name */
    char *text;         /* what was found: "ConfigMgr Web Server Certificate is ..." */
    const char *reason; /* the guide's reason, in our words */
};

struct coach_notes {
    struct coach_note *v;
    size_t n;
};

/*
 * The notes that apply to the lab now, rule by rule in the table's order
 * (then by subject as the rule finds them). out is filled and owned by the
 * caller (coach_notes_free). CC_OK unless the lab could not be read.
 */
int coach_evaluate(struct store *st, const struct exercise_set *set, struct coach_notes *out,
                   char **cause);
void coach_notes_free(struct coach_notes *notes);

/* A key that names one note across evaluations ("compat\tT"); allocated. */
char *coach_note_key(const struct coach_note *note);

#endif
