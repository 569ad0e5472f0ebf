/*
 * The operations table: every action a front end (a verb, a console
 * action, the service) may ask of the CA, named, with its arguments and
 * result, the CA right it needs and whether it changes anything. A front
 * end fills an operation's argument structure, calls ops_call() with its
 * caller's context and shows the result; it never composes core modules,
 * opens transactions or decides rights itself.
 *
 * ops_call() is where every operation meets the same rules: the right is
 * decided (and a refusal audited) by authz before the operation runs, a
 * changing operation runs in one write transaction that commits or rolls
 * back whole, and its own audit records land in that transaction.
 *
 * The operations come in families, one pair of files each (ops_queue.c and
 * ops_queue.h, ops_template.c, ...): a family's header holds its argument
 * and result structures and its ids, numbered from the family's base; its
 * .c holds the run functions and its part of the table, which ops.c joins.
 */
#ifndef CERTCON_OPS_H
#define CERTCON_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cadb.h"
#include "context.h"
#include "crl.h"

/* Each family numbers its operations from its own base. */
enum {
    OPS_QUEUE_BASE = 100,
    OPS_TEMPLATE_BASE = 200,
    OPS_DIRECTORY_BASE = 300,
    OPS_ENROLL_BASE = 400,
    OPS_CA_BASE = 500,
    OPS_NET_BASE = 600,
};

struct ops_def {
    int id;             /* OP_*; 0 ends a family's part of the table */
    const char *name;   /* "certificate.revoke": what the audit and `certcon ops` say */
    const char *args;   /* "serial:text reason:crl-reason effective:time" */
    const char *result; /* "outcome", "crl-publication", or "" */
    unsigned ca_right;  /* CA_RIGHT_* the caller must hold; 0: the operation decides finer */
    const char *what;   /* "revoke a certificate": ends a refusal */
    int changes;        /* runs in one write transaction */
    int (*run)(const struct cc_ctx *cx, const void *args, void *result, char **cause);
};

/* The i-th operation of the whole table, family by family; NULL past the end. */
const struct ops_def *ops_at(size_t i);
/* An operation by id, or NULL. */
const struct ops_def *ops_get(int id);
/* An operation by name, or NULL. */
const struct ops_def *ops_find(const char *name);

/*
 * Runs operation id for cx's caller: decides its right (CC_EACCES naming
 * the missing right, audited), then runs it, in one transaction when it
 * changes state. result may be NULL for operations without one; the
 * caller frees a result with its own _free function.
 */
int ops_call(const struct cc_ctx *cx, int id, const void *args, void *result, char **cause);

/*
 * Whether ops_call has decided that cx's caller holds the CA right `right`
 * (all its bits) for the operation now running on this thread with this
 * very context: authority_require then answers at once. Always 0 outside
 * a running operation.
 */
int ops_decided(const struct cc_ctx *cx, unsigned right);

#include "ops_queue.h"
#include "ops_template.h"
#include "ops_directory.h"
#include "ops_enroll.h"
#include "ops_ca.h"
#include "ops_net.h"

#endif
