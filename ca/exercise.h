/*
 * Lab exercises: one per procedure of the deployment guide, written as data
 * (data/labs/LAB/exercises, one .conf file each; certcon-exercises(5)). Each step has a
 * title, what to do, and checks over the lab's real state in a small
 * declarative language: a template with given settings, an access entry
 * present or absent, a template the CA issues, a group member, a computer
 * restarted since it joined a group, a valid certificate in a principal's
 * store, a PFX that opens with its password, a web server that completes a
 * TLS handshake. Checking never changes the lab.
 */
#ifndef CERTCON_EXERCISE_H
#define CERTCON_EXERCISE_H

#include <stddef.h>
#include <time.h>

struct cc_ctx;

#include "store.h"
#include "util.h"

struct exercise_check; /* one parsed check (private to exercise.c) */

struct exercise_step {
    char *title;
    char *instructions; /* what to do, in words and commands */
    struct exercise_check *checks;
    size_t nchecks;
    unsigned line; /* where the step starts in its file */
};

struct exercise {
    char *id; /* "web-server" */
    char *title;
    char *summary;
    char *path; /* the file it came from */
    int order;  /* the guide's order */
    struct exercise_step *steps;
    size_t nsteps;
};

struct exercise_set {
    struct exercise *v;
    size_t n;
};

/*
 * Parses one exercise file. A malformed file, an unknown key or check kind,
 * or a check missing what it needs gives CC_EPARSE with "FILE:LINE: why".
 */
int exercise_load_file(const char *path, struct exercise *out, char **cause);
/* Every *.conf of a folder, in the guide's order (the files' order keys). */
int exercise_load_dir(const char *dir, struct exercise_set *out, char **cause);
/* The exercises of the lab this database was made from (meta key "lab"). */
int exercise_load_lab(struct store *st, const char *datadir, struct exercise_set *out,
                      char **cause);
void exercise_free(struct exercise *e);
void exercise_set_free(struct exercise_set *set);
/* The exercise with that id, or NULL. */
const struct exercise *exercise_find(const struct exercise_set *set, const char *id);

/*
 * What the exercises say about the guide's templates, for coaching
 * (ca/coach.c): the templates their template checks name (display names as
 * written, each once, in the guide's order), the value a template check
 * wants for one of a template's settings (NULL when none says), and whether
 * an acl check wants principal to be without any of the rights in mask on
 * the template. Names compare case-insensitively.
 */
int exercise_templates(const struct exercise_set *set, struct strlist *names);
const char *exercise_wanted_setting(const struct exercise_set *set, const char *template,
                                    const char *setting);
int exercise_wants_absent(const struct exercise_set *set, const char *template,
                          const char *principal, unsigned mask);

/*
 * Evaluates a step's checks in order against the lab. *done is 1 when every
 * check holds; otherwise *reason (allocated) says what the first failing
 * check found, in words a trainee can act on ("Domain Admins still has
 * Enroll on ConfigMgr Web Server Certificate"). Files a check names are
 * taken relative to the lab folder: the database's folder. Returns CC_OK
 * unless the lab could not be read at all.
 */
int exercise_check_step(const struct cc_ctx *cx, const struct exercise_step *step, int *done,
                        char **reason, char **cause);

/* The folder that holds the lab's files (the database's folder); allocated. */
char *exercise_lab_dir(struct store *st);

/*
 * The simulated IIS binding of the web server exercise: writes the
 * certificate, the chain up to the lab root and the private key of a
 * certificate in the computer's Personal store as PEM files in the lab
 * folder (PREFIX-cert.pem, PREFIX-chain.pem, PREFIX-key.pem, mode 0600),
 * as the computer's own web server would load them. The key never leaves
 * the computer in the lab's model, so the template's export flag does not
 * apply. *files (allocated, may be NULL) lists the three paths.
 */
int exercise_bind_web(const struct cc_ctx *cx, const char *principal, const char *cert_spec,
                      char **files, char **cause);

/*
 * Makes a TLS handshake (GnuTLS, in-process over a socket pair) between a
 * server loading cert/chain/key PEM files and a client that trusts only
 * root (DER) and asks for host; validity is judged at now (the lab clock).
 * CC_OK when the handshake completes and the server's certificate is
 * valid for host; otherwise a cause saying what failed.
 */
int exercise_tls_handshake(const char *cert_file, const char *chain_file, const char *key_file,
                           const void *root_der, size_t root_n, const char *host, time_t now,
                           char **cause);

#endif
