/*
 * Unit tests of the CA family of operations (ca/ops_ca.c) through
 * ops_call, as every front end reaches them: a plain user is refused what
 * needs Manage CA (CC_EACCES, nothing changed, the refusal audited) and a
 * CA Administrator is not; role edits land all or none; anyone reads the
 * CA and its views; a CRL needs a certificate manager or administrator,
 * the audit log an Auditor or administrator; the lint needs no database.
 * And the right ops_call decided is trusted only for the context and the
 * operation it was decided for: outside an operation authority_require
 * decides in full.
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "authority.h"
#include "authz.h"
#include "ops.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_ca(state, "ops_ca", "plain");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    unit_act_as(fx->st, "Administrator");
    return 0;
}

static int64_t
refusals(struct store *st)
{
    return unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused'");
}

static int64_t
crl_period(struct store *st)
{
    return unit_count(st, "SELECT crl_period FROM ca WHERE id = 1");
}

static void
test_configure(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t before = crl_period(st), refused = refusals(st);
    struct ops_ca_setting set[] = {{"crl-period", "2d"}, {"publish-on-revoke", "on"}};
    struct ops_ca_configure a = {.settings = set, .nsettings = 2};

    unit_act_as(st, "plain");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_CONFIGURE, &a, NULL, &cause), CC_EACCES, cause, "plain",
               "Manage CA", "change the CA's settings");
    assert_int_equal(crl_period(st), before);
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(refusals(st), refused + 1);

    unit_act_as(st, "Administrator");
    int64_t records = unit_count(st, "SELECT count(*) FROM audit");
    UNIT_OK(ops_call(test_cx(st), OP_CA_CONFIGURE, &a, NULL, &cause), cause);
    assert_int_equal(crl_period(st), 2 * 24 * 3600);
    assert_int_equal(unit_count(st, "SELECT publish_on_revoke FROM ca"), 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit"), records + 2);

    /* a bad second setting undoes the first: one transaction */
    struct ops_ca_setting bad[] = {{"crl-period", "3d"}, {"validity", "soon"}};
    struct ops_ca_configure b = {.settings = bad, .nsettings = 2};
    db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_CONFIGURE, &b, NULL, &cause), CC_EINVAL, cause, "soon");
    assert_int_equal(crl_period(st), 2 * 24 * 3600);
    UNIT_DB_UNCHANGED(st, db);

    struct ops_ca_setting back[] = {{"crl-period", "1w"}, {"publish-on-revoke", "off"}};
    struct ops_ca_configure c = {.settings = back, .nsettings = 2};
    UNIT_OK(ops_call(test_cx(st), OP_CA_CONFIGURE, &c, NULL, &cause), cause);
    assert_int_equal(crl_period(st), before);
}

static void
test_permissions(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t user = unit_principal_id(st, "plain"), refused = refusals(st);
    struct ops_ca_ace ace = {user, CA_RIGHT_AUDIT, 0};
    struct ops_ca_configure a = {.aces = &ace, .naces = 1};
    const char *count = "SELECT count(*) FROM ca_ace WHERE principal_id = "
                        "(SELECT id FROM principal WHERE name = 'plain')";

    unit_act_as(st, "plain");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_PERMISSIONS, &a, NULL, &cause), CC_EACCES, cause,
               "plain", "Manage CA", "change the CA's permissions");
    assert_int_equal(unit_count(st, count), 0);
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(refusals(st), refused + 1);

    unit_act_as(st, "Administrator");
    UNIT_OK(ops_call(test_cx(st), OP_CA_PERMISSIONS, &a, NULL, &cause), cause);
    assert_int_equal(unit_count(st, count), 1);
    ace.allow = 0;
    UNIT_OK(ops_call(test_cx(st), OP_CA_PERMISSIONS, &a, NULL, &cause), cause);
    assert_int_equal(unit_count(st, count), 0);
}

static void
test_roles_change(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct strlist grant = {0}, none = {0};
    strlist_add(&grant, "plain:Auditor,manager");
    struct ops_ca_roles_change a = {&grant, &none, &none};
    int64_t refused = refusals(st);

    unit_act_as(st, "plain");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &a, NULL, &cause), CC_EACCES, cause,
               "plain", "Manage CA");
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(refusals(st), refused + 1);

    /* anyone reads the roles */
    struct ops_ca_roles r;
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES, NULL, &r, &cause), cause);
    assert_true(r.n > 0);
    for (size_t i = 0; i < r.n; i++)
        assert_false(r.aces[i].name != NULL && strstr(r.aces[i].name, "plain") != NULL);
    assert_int_equal(r.role_separation, 0);
    ops_ca_roles_free(&r);

    /* all or none: the bad second grant undoes the first */
    unit_act_as(st, "Administrator");
    strlist_add(&grant, "nobody-here:Auditor");
    db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &a, NULL, &cause), CC_ENOTFOUND, cause,
               "nobody-here");
    const char *allow = "SELECT allow FROM ca_ace WHERE principal_id = "
                        "(SELECT id FROM principal WHERE name = 'plain')";
    assert_int_equal(unit_count(st, allow), -1);
    UNIT_DB_UNCHANGED(st, db);

    strlist_free(&grant);
    strlist_add(&grant, "plain:Auditor,manager");
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &a, NULL, &cause), cause);
    assert_int_equal(unit_count(st, allow), CA_RIGHT_AUDIT | CA_RIGHT_OFFICER);
    struct ops_ca_roles_change back = {&none, &none, &grant};
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &back, NULL, &cause), cause);
    assert_int_equal(unit_count(st, allow), -1);
    strlist_free(&grant);
}

static void
test_reads(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "plain");
    struct ops_ca_info info;
    UNIT_OK(ops_call(test_cx(st), OP_CA_SHOW, NULL, &info, &cause), cause);
    assert_string_equal(info.info.name, fx->def.ca.name);
    assert_true(info.templates > 0);
    assert_true(strstr(info.subject, "CN=") != NULL);
    assert_int_equal(strlen(info.thumbprint), 40);
    assert_int_equal(info.key_mode_rc, CC_OK);
    assert_int_equal(info.key_mode & 077, 0);
    assert_string_equal(info.database, fx->db);
    char *key = cc_asprintf("%s.ca-key.pem", fx->db);
    assert_string_equal(info.key_file, key);
    free(key);
    ops_ca_info_free(&info);

    struct ops_request_view v = {.view = CADB_ALL};
    struct ops_request_rows rows;
    UNIT_OK(ops_call(test_cx(st), OP_REQUEST_LIST, &v, &rows, &cause), cause);
    size_t n = rows.n;
    ops_request_rows_free(&rows);
    UNIT_OK(ops_call(test_cx(st), OP_REQUEST_COUNT, &v, &rows, &cause), cause);
    assert_int_equal(rows.count, n);
    ops_request_rows_free(&rows);
}

/* Anyone reads the change counter; every committed change moves it, a refusal's change none. */
static void
test_changes(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "plain");
    int64_t before = -1, after = -1;
    UNIT_OK(ops_call(test_cx(st), OP_CA_CHANGES, NULL, &before, &cause), cause);
    assert_true(before >= 0);
    UNIT_OK(ops_call(test_cx(st), OP_CA_CHANGES, NULL, &after, &cause), cause);
    assert_int_equal(after, before);

    unit_act_as(st, "Administrator");
    struct ops_ca_setting set[] = {{"crl-period", "2d"}};
    struct ops_ca_configure a = {.settings = set, .nsettings = 1};
    UNIT_OK(ops_call(test_cx(st), OP_CA_CONFIGURE, &a, NULL, &cause), cause);
    UNIT_OK(ops_call(test_cx(st), OP_CA_CHANGES, NULL, &after, &cause), cause);
    assert_true(after > before);
    struct ops_ca_setting back[] = {{"crl-period", "1w"}};
    struct ops_ca_configure b = {.settings = back, .nsettings = 1};
    UNIT_OK(ops_call(test_cx(st), OP_CA_CONFIGURE, &b, NULL, &cause), cause);
}

static void
test_crl_publish(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct ops_crl_kind base = {CRL_BASE};
    struct ops_crl crl;

    unit_act_as(st, "plain");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CRL_PUBLISH, &base, &crl, &cause), CC_EACCES, cause,
               "plain", "publish a CRL");
    UNIT_DB_UNCHANGED(st, db);

    unit_act_as(st, "Administrator");
    UNIT_OK(ops_call(test_cx(st), OP_CRL_PUBLISH, &base, &crl, &cause), cause);
    assert_true(crl.der.n > 0);
    int64_t number = crl.info.number;
    ops_crl_free(&crl);
    UNIT_OK(ops_call(test_cx(st), OP_CRL_LATEST, &base, &crl, &cause), cause);
    assert_int_equal(crl.info.number, number);
    ops_crl_free(&crl);
}

static void
test_role_separation(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    /* the test owns the database: the owner sets it, whatever its CA roles */
    unit_act_as(st, "plain");
    struct ops_ca_role_separation on = {1}, off = {0};
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLE_SEPARATION, &on, NULL, &cause), cause);
    assert_int_equal(authz_role_separation(st), 1);
    assert_int_equal(unit_count(st,
                                "SELECT count(*) FROM audit WHERE field = 'role separation' AND "
                                "new_value = 'on'"),
                     1);
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLE_SEPARATION, &off, NULL, &cause), cause);
    assert_int_equal(authz_role_separation(st), 0);
}

static void
test_audit(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct audit_filter f = {.limit = 5};
    struct ops_audit_entries r;
    struct audit_verdict v;
    int64_t refused = refusals(st);

    unit_act_as(st, "plain");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_AUDIT_READ, &f, &r, &cause), CC_EACCES, cause, "plain",
               "Auditor");
    UNIT_FAILS(ops_call(test_cx(st), OP_AUDIT_VERIFY, NULL, &v, &cause), CC_EACCES, cause, "plain",
               "Auditor");
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(refusals(st), refused + 2);

    unit_act_as(st, "Administrator");
    UNIT_OK(ops_call(test_cx(st), OP_AUDIT_READ, &f, &r, &cause), cause);
    assert_int_equal(r.n, 5);
    audit_list_free(r.v, r.n);
    UNIT_OK(ops_call(test_cx(st), OP_AUDIT_VERIFY, NULL, &v, &cause), cause);
    assert_false(v.broken);
    assert_int_equal((int64_t)v.records, unit_count(st, "SELECT count(*) FROM audit"));
    audit_verdict_free(&v);
}

/* The lint needs no database: a context without a store will do. */
static void
test_lint(void **state)
{
    (void)state;
    char *cause = NULL;
    struct cc_ctx none = {.system = 1};
    struct ops_lint_rules rules;
    UNIT_OK(ops_call(&none, OP_LINT_RULES, NULL, &rules, &cause), cause);
    assert_int_equal(rules.n, CERTLINT_RULE_COUNT);
    assert_non_null(rules.v[0]->name);
    struct ops_lint_data junk = {"not a certificate", 17};
    struct ops_lint_result found;
    UNIT_FAILS(ops_call(&none, OP_LINT_CHECK, &junk, &found, &cause), CC_EPARSE, cause, "");
}

/* Setting a database up is the system's alone: an account is refused and nothing is made. */
static void
test_init_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    char *db = unit_db_digest(st);
    struct ops_ca_init a = {.datadir = fx->datadir, .lab = "contoso"};
    struct ops_ca_init_result r;
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_INIT, &a, &r, &cause), CC_EACCES, cause, "init");
    UNIT_DB_UNCHANGED(st, db);
}

/* What ops_call decided holds for its own context while the operation runs, and nowhere else. */
static void
test_decided_once(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    assert_false(ops_decided(test_cx(st), CA_RIGHT_MANAGE));
    struct ops_ca_setting set = {"crl-period", "1w"};
    struct ops_ca_configure a = {.settings = &set, .nsettings = 1};
    UNIT_OK(ops_call(test_cx(st), OP_CA_CONFIGURE, &a, NULL, &cause), cause);
    /* after the operation the same context is checked in full again */
    assert_false(ops_decided(test_cx(st), CA_RIGHT_MANAGE));
    unit_act_as(st, "plain");
    int64_t refused = refusals(st);
    UNIT_FAILS(authority_config_set(test_cx(st), "crl-period", "2w", &cause), CC_EACCES, cause,
               "plain", "Manage CA");
    assert_int_equal(refusals(st), refused + 1);
    assert_int_equal(crl_period(st), 7 * 24 * 3600);
}

/* ca.info: the CA's settings as stored, for anyone (the service reads them for every request). */
static void
test_ca_info(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "plain");
    struct authority_info info;
    UNIT_OK(ops_call(test_cx(st), OP_CA_INFO, NULL, &info, &cause), cause);
    assert_string_equal(info.name, fx->def.ca.name);
    assert_true(info.cert.n > 0);
    authority_info_free(&info);
}

/* lab.name: the lab a database is, or none for a production database. */
static void
test_lab_name(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "plain");
    struct ops_lab_name lab;
    UNIT_OK(ops_call(test_cx(st), OP_LAB_NAME, NULL, &lab, &cause), cause);
    assert_non_null(lab.lab);
    assert_string_equal(lab.lab, "contoso");
    ops_lab_name_free(&lab);

    char *path = cc_asprintf("%s/production.db", fx->dir);
    struct store *prod = NULL;
    UNIT_OK(store_open(path, STORE_CREATE, &prod, &cause), cause);
    struct cc_ctx sys;
    assert_int_equal(ctx_init_system(&sys, prod, test_cx(NULL)->clock), CC_OK);
    UNIT_OK(ops_call(&sys, OP_LAB_NAME, NULL, &lab, &cause), cause);
    assert_null(lab.lab);
    ctx_free(&sys);
    store_close(prod);
    free(path);
}

/*
 * crl.publish-due: the service's schedule, as the service alone: an
 * account (a CA Administrator too) is refused and nothing is published;
 * the system publishes what is due, audited as SYSTEM, and nothing more
 * when nothing is; crl.latest then serves the CRL's bytes.
 */
static void
test_crl_schedule(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    const char *crls = "SELECT count(*) FROM crl";
    int64_t before = unit_count(st, crls);
    struct ops_crl_due due;
    unit_act_as(st, "Administrator");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CRL_PUBLISH_DUE, NULL, &due, &cause), CC_EACCES, cause,
               "CA service");
    UNIT_DB_UNCHANGED(st, db);

    unit_act_as(st, NULL);
    test_clock_set(fx->now + 30 * 86400); /* a month on: a base CRL is due whatever came before */
    int64_t by_system = unit_count(st, "SELECT count(*) FROM audit WHERE actor = 'SYSTEM'");
    UNIT_OK(ops_call(test_cx(st), OP_CRL_PUBLISH_DUE, NULL, &due, &cause), cause);
    assert_true(due.published >= 1);
    assert_true(due.base.number > 0);
    assert_true(due.next > fx->now + 30 * 86400);
    assert_int_equal(unit_count(st, crls), before + due.published);
    assert_true(unit_count(st, "SELECT count(*) FROM audit WHERE actor = 'SYSTEM'") > by_system);

    struct ops_crl_kind base = {CRL_BASE};
    struct ops_crl latest;
    UNIT_OK(ops_call(test_cx(st), OP_CRL_LATEST, &base, &latest, &cause), cause);
    assert_int_equal(latest.info.number, due.base.number);
    assert_true(latest.der.n > 0);
    ops_crl_free(&latest);

    int64_t published = unit_count(st, crls);
    UNIT_OK(ops_call(test_cx(st), OP_CRL_PUBLISH_DUE, NULL, &due, &cause), cause);
    assert_int_equal(due.published, 0);
    assert_int_equal(unit_count(st, crls), published);
    test_clock_set(fx->now);
}

/*
 * ca.service-certificate: the service's own, so an account is refused;
 * the system enrolls the CA host only once its account may enroll for
 * Web Server, keeps the certificate beside the database, and then keeps
 * the one in use, or reads the files back when it has none in use.
 */
static void
test_service_cert(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    char *certpath = cc_asprintf("%s.https.pem", fx->db);
    char *keypath = cc_asprintf("%s.https-key.pem", fx->db);
    const char *issued = "SELECT count(*) FROM request WHERE disposition = 20";
    struct svccert_in_use none = {NULL, 0, 0};
    struct svccert sc;

    unit_act_as(st, "Administrator");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_SERVICE_CERT, &none, &sc, &cause), CC_EACCES, cause,
               "service");
    assert_int_equal(access(certpath, F_OK), -1);
    UNIT_DB_UNCHANGED(st, db);

    /* the CA host may not enroll for Web Server yet: no file (the CA keeps the denied request) */
    unit_act_as(st, NULL);
    const char *denied = "SELECT count(*) FROM request WHERE disposition = 31";
    int64_t denials = unit_count(st, denied);
    assert_int_not_equal(ops_call(test_cx(st), OP_CA_SERVICE_CERT, &none, &sc, &cause), CC_OK);
    assert_non_null(cause);
    assert_non_null(strstr(cause, "Enroll"));
    free(cause);
    cause = NULL;
    assert_int_equal(access(certpath, F_OK), -1);
    assert_int_equal(unit_count(st, denied), denials + 1);

    unit_act_as(st, "Administrator");
    char *spec = cc_asprintf("%s$:Enroll", fx->def.ca.host);
    struct ops_acl_change allow = {OPS_ACL_ALLOW, spec};
    struct ops_template_acl acl = {"WebServer", &allow, 1};
    struct ops_template_view view;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_ACL, &acl, &view, &cause), cause);
    ops_template_view_free(&view);
    free(spec);

    unit_act_as(st, NULL);
    int64_t before = unit_count(st, issued);
    UNIT_OK(ops_call(test_cx(st), OP_CA_SERVICE_CERT, &none, &sc, &cause), cause);
    assert_true(sc.fresh);
    assert_true(sc.renewed);
    assert_true(sc.cert.n > 0 && sc.ca.n > 0 && sc.key.n > 0);
    assert_true(sc.not_after > sc.not_before);
    assert_non_null(sc.names);
    assert_int_equal(unit_count(st, issued), before + 1);
    struct stat sb;
    assert_int_equal(stat(keypath, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);
    assert_int_equal(stat(certpath, &sb), 0);

    /* the one in use is still good: nothing changes */
    struct svccert_in_use in_use = {sc.names, sc.not_before, sc.not_after};
    struct svccert again;
    UNIT_OK(ops_call(test_cx(st), OP_CA_SERVICE_CERT, &in_use, &again, &cause), cause);
    assert_false(again.fresh);
    svccert_free(&again);

    /* a service that starts again reads it back instead of enrolling */
    UNIT_OK(ops_call(test_cx(st), OP_CA_SERVICE_CERT, &none, &again, &cause), cause);
    assert_true(again.fresh);
    assert_false(again.renewed);
    assert_int_equal(again.cert.n, sc.cert.n);
    assert_memory_equal(again.cert.p, sc.cert.p, sc.cert.n);
    assert_int_equal(unit_count(st, issued), before + 1);
    svccert_free(&again);
    svccert_free(&sc);
    free(certpath);
    free(keypath);
}

/*
 * ca.service-stop: Manage CA (a refusal audited, the service left alone);
 * the stop is audited only when the service was told.
 */
static void
test_service_stop(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    const char *stops = "SELECT count(*) FROM audit WHERE object = 'service' AND "
                        "new_value = 'stopped'";
    pid_t service = fork();
    assert_true(service >= 0);
    if (service == 0) {
        pause();
        _exit(0);
    }
    struct ops_service_stop a = {service};
    int64_t refused = refusals(st), stopped = unit_count(st, stops);

    unit_act_as(st, "plain");
    char *db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_SERVICE_STOP, &a, NULL, &cause), CC_EACCES, cause,
               "plain", "Manage CA", "stop the CA service");
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(refusals(st), refused + 1);
    assert_int_equal(waitpid(service, NULL, WNOHANG), 0); /* still running */

    unit_act_as(st, "Administrator");
    struct ops_service_stop nobody = {0};
    db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_SERVICE_STOP, &nobody, NULL, &cause), CC_EIO, cause,
               "could not be reached");
    assert_int_equal(unit_count(st, stops), stopped);
    UNIT_DB_UNCHANGED(st, db);

    UNIT_OK(ops_call(test_cx(st), OP_CA_SERVICE_STOP, &a, NULL, &cause), cause);
    int status = 0;
    assert_int_equal(waitpid(service, &status, 0), service);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    assert_int_equal(unit_count(st, stops), stopped + 1);
}

/*
 * lab.restore: whoever plays in the lab; a snapshot that is missing or
 * damaged, a restore inside a transaction or one whose files cannot all
 * be written changes nothing and says nothing was replaced; a good one brings the lab back under
 * the very store handle the caller holds. Last: it takes the database back.
 */
static void
test_lab_restore(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    const char *later = "SELECT count(*) FROM principal WHERE name = 'later'";
    unit_act_as(st, "plain");
    struct ops_lab_snapshot snap = {.name = "before"};
    struct ops_lab_files written;
    UNIT_OK(ops_call(test_cx(st), OP_LAB_SNAPSHOT, &snap, &written, &cause), cause);
    free(written.files);
    unit_add_user(st, "later");
    assert_int_equal(unit_count(st, later), 1);

    struct ops_lab_restored done;
    struct ops_lab_restore missing = {.name = "nosuch"};
    UNIT_FAILS(ops_call(test_cx(st), OP_LAB_RESTORE, &missing, &done, &cause), CC_ENOTFOUND, cause,
               "nosuch");
    assert_false(done.replaced);
    struct ops_lab_restore junk = {.data = "not a snapshot", .n = 14};
    UNIT_FAILS(ops_call(test_cx(st), OP_LAB_RESTORE, &junk, &done, &cause), CC_EPARSE, cause,
               "nothing was changed");
    assert_false(done.replaced);
    UNIT_OK(store_begin(st, &cause), cause);
    struct ops_lab_restore before = {.name = "before"};
    UNIT_FAILS(ops_call(test_cx(st), OP_LAB_RESTORE, &before, &done, &cause), CC_ESTATE, cause,
               "transaction");
    assert_false(done.replaced);
    store_rollback(st);
    assert_int_equal(unit_count(st, later), 1);

    /* a part that cannot be written (here the CA key's) leaves every file as it was */
    char *blocked = cc_asprintf("%s.ca-key.pem.restoring", fx->db);
    assert_int_equal(mkdir(blocked, 0700), 0);
    UNIT_FAILS(ops_call(test_cx(st), OP_LAB_RESTORE, &before, &done, &cause), CC_EINVAL, cause,
               "regular file");
    assert_false(done.replaced);
    assert_int_equal(rmdir(blocked), 0);
    free(blocked);
    assert_int_equal(unit_count(st, later), 1);

    UNIT_OK(ops_call(test_cx(st), OP_LAB_RESTORE, &before, &done, &cause), cause);
    assert_true(done.replaced);
    assert_string_equal(done.info.lab, "contoso");
    assert_int_equal(done.info.taken, fx->now);
    ops_lab_restored_free(&done);
    /* the same handle, now on the restored lab */
    assert_int_equal(unit_count(st, later), 0);
    struct authority_info info;
    UNIT_OK(ops_call(test_cx(st), OP_CA_INFO, NULL, &info, &cause), cause);
    assert_string_equal(info.name, fx->def.ca.name);
    authority_info_free(&info);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_configure, test_setup),
        cmocka_unit_test_setup(test_permissions, test_setup),
        cmocka_unit_test_setup(test_roles_change, test_setup),
        cmocka_unit_test_setup(test_reads, test_setup),
        cmocka_unit_test_setup(test_changes, test_setup),
        cmocka_unit_test_setup(test_crl_publish, test_setup),
        cmocka_unit_test_setup(test_role_separation, test_setup),
        cmocka_unit_test_setup(test_audit, test_setup),
        cmocka_unit_test_setup(test_lint, test_setup),
        cmocka_unit_test_setup(test_init_refused, test_setup),
        cmocka_unit_test_setup(test_decided_once, test_setup),
        cmocka_unit_test_setup(test_ca_info, test_setup),
        cmocka_unit_test_setup(test_lab_name, test_setup),
        cmocka_unit_test_setup(test_crl_schedule, test_setup),
        cmocka_unit_test_setup(test_service_cert, test_setup),
        cmocka_unit_test_setup(test_service_stop, test_setup),
        cmocka_unit_test_setup(test_lab_restore, test_setup), /* last: it takes the lab back */
    };
    return cmocka_run_group_tests_name("ops_ca", tests, group_setup, unit_group_teardown);
}
