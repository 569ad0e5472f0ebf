/*
 * The certification-authority commands (ca, enroll, submit, explain, store,
 * export) that the table in commands.c names, and the helpers they share:
 * writing output files whole or not at all, reading secrets, and resolving
 * the --for principal.
 */
#ifndef CERTCON_CMD_CA_H
#define CERTCON_CMD_CA_H

#include <stddef.h>
#include <time.h>

#include "cli.h"
#include "directory.h"
#include "lab.h"

/* cmd_ca.c */
int cmd_ca_show(struct cli *c, int argc, char **argv);
int cmd_ca_cert(struct cli *c, int argc, char **argv);
int cmd_ca_get(struct cli *c, int argc, char **argv);
int cmd_ca_crl(struct cli *c, int argc, char **argv);
int cmd_ca_set(struct cli *c, int argc, char **argv);
int cmd_ca_enable(struct cli *c, int argc, char **argv);
int cmd_ca_disable(struct cli *c, int argc, char **argv);
int cmd_ca_templates(struct cli *c, int argc, char **argv);
int cmd_ca_list(struct cli *c, int argc, char **argv);
int cmd_ca_approve(struct cli *c, int argc, char **argv);
int cmd_ca_deny(struct cli *c, int argc, char **argv);
int cmd_ca_revoke(struct cli *c, int argc, char **argv);
int cmd_ca_unrevoke(struct cli *c, int argc, char **argv);
/*
 * The CA key's passphrase at init: the first line of passphrase_file, else
 * of the file $CERTCON_CA_PASSPHRASE_FILE names; *out NULL when neither is
 * given. The caller wipes and frees *out.
 */
int cmd_ca_passphrase(struct cli *c, const char *passphrase_file, char **out, char **cause);
/* cmd_enroll.c */
int cmd_enroll(struct cli *c, int argc, char **argv);
int cmd_submit(struct cli *c, int argc, char **argv);
int cmd_explain(struct cli *c, int argc, char **argv);
/* cmd_store.c */
int cmd_store_list(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);

/*
 * Writes data to path whole or not at all, with the given mode (cc_write_file:
 * an existing path only with force, and only a regular file). Prints why on
 * failure.
 */
int cmd_ca_write_file(struct cli *c, const char *path, const void *data, size_t n, int mode,
                      int force);
/*
 * Checks before any change that path may be written: its directory exists
 * and is writable, and nothing is there (or, with force, a regular file), so
 * a bad --out is refused before a request is recorded. Prints why.
 */
int cmd_ca_check_writable(struct cli *c, const char *path, int force);
/* The same for a file whose directory was already checked: path only. */
int cmd_ca_check_target(struct cli *c, const char *path, int force);
/* Looks up --for (NULL: the acting account); prints why on failure. */
int cmd_ca_principal(struct cli *c, const char *name, struct dir_principal *out);
/* One line per request (enroll, submit, approve): ID, disposition, serial, message. */
struct cadb_outcome;
void cmd_ca_print_outcome(struct cli *c, const struct cadb_outcome *o);
/* "2027-10-26 09:00" for tables; buf of at least 20 bytes. */
const char *cmd_ca_time(time_t t, char *buf, size_t size);

#endif
