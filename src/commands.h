/*
 * The command functions the table in commands.c names, one group per file.
 */
#ifndef CERTCON_COMMANDS_H
#define CERTCON_COMMANDS_H

#include "cli.h"

/* cmd_init.c */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_oid_add(struct cli *c, int argc, char **argv);
int cmd_oid_list(struct cli *c, int argc, char **argv);
/* cmd_dir.c */
int cmd_dir_list(struct cli *c, int argc, char **argv);
int cmd_dir_show(struct cli *c, int argc, char **argv);
int cmd_dir_add_user(struct cli *c, int argc, char **argv);
int cmd_dir_add_computer(struct cli *c, int argc, char **argv);
int cmd_dir_add_group(struct cli *c, int argc, char **argv);
int cmd_dir_add_ou(struct cli *c, int argc, char **argv);
int cmd_dir_add_member(struct cli *c, int argc, char **argv);
int cmd_dir_remove_member(struct cli *c, int argc, char **argv);
int cmd_dir_set(struct cli *c, int argc, char **argv);
int cmd_dir_restart(struct cli *c, int argc, char **argv);
int cmd_dir_logon(struct cli *c, int argc, char **argv);
/* cmd_template.c */
int cmd_template_list(struct cli *c, int argc, char **argv);
int cmd_template_show(struct cli *c, int argc, char **argv);
int cmd_template_duplicate(struct cli *c, int argc, char **argv);
int cmd_template_set(struct cli *c, int argc, char **argv);
int cmd_template_acl(struct cli *c, int argc, char **argv);
int cmd_template_export(struct cli *c, int argc, char **argv);
int cmd_template_import(struct cli *c, int argc, char **argv);
int cmd_template_delete(struct cli *c, int argc, char **argv);
int cmd_template_reenroll(struct cli *c, int argc, char **argv);
int cmd_template_lint(struct cli *c, int argc, char **argv);
/* cmd_account.c */
int cmd_account_map(struct cli *c, int argc, char **argv);
int cmd_account_unmap(struct cli *c, int argc, char **argv);
int cmd_account_list(struct cli *c, int argc, char **argv);
int cmd_ca_roles(struct cli *c, int argc, char **argv);
int cmd_ca_role_separation(struct cli *c, const char *value);
/* cmd_audit.c */
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_audit_verify(struct cli *c, int argc, char **argv);
/* cmd_lint.c */
int cmd_lint(struct cli *c, int argc, char **argv);

/* cmd_lab.c */
int cmd_lab_list(struct cli *c, int argc, char **argv);
int cmd_lab_check(struct cli *c, int argc, char **argv);
int cmd_lab_bind(struct cli *c, int argc, char **argv);
int cmd_lab_snapshot(struct cli *c, int argc, char **argv);
int cmd_lab_restore(struct cli *c, int argc, char **argv);
int cmd_lab_reset(struct cli *c, int argc, char **argv);

/* cmd_gpo.c */
int cmd_gpo_create(struct cli *c, int argc, char **argv);
int cmd_gpo_delete(struct cli *c, int argc, char **argv);
int cmd_gpo_link(struct cli *c, int argc, char **argv);
int cmd_gpo_unlink(struct cli *c, int argc, char **argv);
int cmd_gpo_autoenroll(struct cli *c, int argc, char **argv);
int cmd_gpo_filter(struct cli *c, int argc, char **argv);
int cmd_gpo_list(struct cli *c, int argc, char **argv);
int cmd_gpo_show(struct cli *c, int argc, char **argv);
int cmd_pulse(struct cli *c, int argc, char **argv);
/* Runs and prints one pulse (dir restart uses it). */
int cmd_pulse_run(struct cli *c, const char *principal, int explain);
/* Prints a pulse's report (and frees it); CLI_FAILED when an enrollment failed. */
struct pulse_report;
int cmd_pulse_print(struct cli *c, struct pulse_report *r, const char *principal, int explain);
/* cmd_est.c */
int cmd_est_secret(struct cli *c, int argc, char **argv);
/* cmd_ops.c */
int cmd_ops(struct cli *c, int argc, char **argv);
/* cmd_ocsp.c */
int cmd_ocsp_respond(struct cli *c, int argc, char **argv);
/* cmd_acme.c */
int cmd_acme_eab(struct cli *c, int argc, char **argv);
int cmd_acme_accounts(struct cli *c, int argc, char **argv);
int cmd_acme_orders(struct cli *c, int argc, char **argv);
int cmd_acme_deactivate(struct cli *c, int argc, char **argv);

#endif
