# ca/: the certification authority half of the core (authority, policy,
# issue, request, certstore, export) and the ASN.1 module they encode with.
libcertcon_a_SOURCES += \
	ca/pkix.c ca/pkix.h \
	ca/request.c ca/request.h \
	ca/authority.c ca/authority.h \
	ca/crl.c ca/crl.h \
	ca/ocsp.c ca/ocsp.h \
	ca/certlint.c ca/certlint.h \
	ca/issue.c ca/issue.h \
	ca/cadb.c ca/cadb.h \
	ca/svccert.c ca/svccert.h \
	ca/ops.c ca/ops.h ca/ops_family.h \
	ca/ops_queue.c ca/ops_queue.h \
	ca/ops_template.c ca/ops_template.h \
	ca/ops_directory.c ca/ops_directory.h \
	ca/ops_enroll.c ca/ops_enroll.h \
	ca/ops_ca.c ca/ops_ca.h \
	ca/ops_net.c ca/ops_net.h \
	ca/est.c ca/est.h \
	ca/policy.c ca/policy.h \
	ca/certstore.c ca/certstore.h \
	ca/export.c ca/export.h \
	ca/certinfo.c ca/certinfo.h \
	ca/acme.c ca/acme.h
nodist_libcertcon_a_SOURCES = ca/pkix_asn1_tab.c
certcon_SOURCES += \
	src/cmd_ca.c src/cmd_ca.h \
	src/cmd_enroll.c \
	src/cmd_store.c \
	src/cmd_est.c
EXTRA_DIST += ca/pkix.asn

# The ASN.1 definitions are compiled into a C table by libtasn1's asn1Parser
# (Debian: libtasn1-bin).
ASN1PARSER = asn1Parser
BUILT_SOURCES = ca/pkix_asn1_tab.c
CLEANFILES += ca/pkix_asn1_tab.c
ca/pkix_asn1_tab.c: ca/pkix.asn
	$(AM_V_GEN)$(MKDIR_P) ca && $(ASN1PARSER) -o $@ -n ca_pkix_asn1_tab $(srcdir)/ca/pkix.asn >/dev/null

if HAVE_CMOCKA
CA_UNIT_TESTS = \
	tests/unit/test_pkix
check_PROGRAMS += $(CA_UNIT_TESTS)
TESTS += $(CA_UNIT_TESTS)
tests_unit_test_pkix_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_pkix_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
endif

# Command-line tests of the CA (TAP shell scripts).
CA_CLI_TESTS = \
	tests/cli/ca_webserver.sh \
	tests/cli/ca_clouddp.sh \
	tests/cli/ca_amt.sh \
	tests/cli/ca_revoke.sh \
	tests/cli/ca_clock.sh \
	tests/cli/ca_badinput.sh \
	tests/cli/lint.sh \
	tests/cli/ca_crash.sh \
	tests/cli/output.sh \
	tests/cli/ca_keys.sh \
	tests/cli/ca_retrieve.sh \
	tests/cli/ocsp.sh \
	tests/cli/ocsp_pkcs11.sh
TESTS += $(CA_CLI_TESTS)
EXTRA_DIST += $(CA_CLI_TESTS)

# ACME from the CA service, with certbot, lego and uacme (tests/cli/acme_lib.sh sets up).
ACME_CLI_TESTS = \
	tests/cli/acme.sh \
	tests/cli/acme_policy.sh \
	tests/cli/acme_challenges.sh \
	tests/cli/acme_revoke.sh \
	tests/cli/acme_https.sh
CA_CLI_TESTS += $(ACME_CLI_TESTS)
EXTRA_DIST += tests/cli/acme_lib.sh
# ACME orders per second against certcon serve and pebble (run by hand, never a test).
EXTRA_DIST += tests/bench/acme

# Benchmark: built with `make`, run by hand (tests/bench/issue), never a test.
noinst_PROGRAMS += tests/bench/bench_sign
tests_bench_bench_sign_LDADD = $(CORE_LIBS)
EXTRA_DIST += tests/bench/issue

# OCSP benchmark: ocsp_respond in-process beside the raw signing rate of the
# responder's key (tests/bench/ocsp runs it); prints figures, never a test.
noinst_PROGRAMS += tests/bench/bench_ocsp
tests_bench_bench_ocsp_LDADD = $(CORE_LIBS)
EXTRA_DIST += tests/bench/ocsp
