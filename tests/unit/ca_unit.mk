# tests/unit/: cmocka unit tests of the CA half of the core (request,
# authority, policy, CA database, certificate stores, export, CRLs), one
# group per binary, each with its scratch database and CA under
# $(TESTS_BUILDDIR)/tmp/unit-NAME; and the PKCS #11 CA key test (SoftHSM).
if HAVE_CMOCKA
CA_CORE_UNIT_TESTS = \
	tests/unit/test_request \
	tests/unit/test_authority \
	tests/unit/test_policy \
	tests/unit/test_cadb \
	tests/unit/test_ops_template \
	tests/unit/test_certstore \
	tests/unit/test_export \
	tests/unit/test_crl \
	tests/unit/test_ocsp \
	tests/unit/test_certlint \
	tests/unit/test_ops_ca \
	tests/unit/test_ops_enroll \
	tests/unit/test_ops_net
check_PROGRAMS += $(CA_CORE_UNIT_TESTS)
TESTS += $(CA_CORE_UNIT_TESTS)
endif

tests_unit_test_request_SOURCES = tests/unit/test_request.c tests/unit/unit.h
tests_unit_test_request_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_request_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_authority_SOURCES = tests/unit/test_authority.c tests/unit/unit.h
tests_unit_test_authority_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_authority_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c tests/unit/unit.h
tests_unit_test_policy_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_policy_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ops_template_SOURCES = tests/unit/test_ops_template.c tests/unit/unit.h
tests_unit_test_ops_template_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ops_template_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_cadb_SOURCES = tests/unit/test_cadb.c tests/unit/unit.h
tests_unit_test_cadb_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cadb_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_certstore_SOURCES = tests/unit/test_certstore.c tests/unit/unit.h
tests_unit_test_certstore_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_certstore_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_export_SOURCES = tests/unit/test_export.c tests/unit/unit.h
tests_unit_test_export_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_export_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ops_ca_SOURCES = tests/unit/test_ops_ca.c tests/unit/unit.h
tests_unit_test_ops_ca_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ops_ca_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ops_enroll_SOURCES = tests/unit/test_ops_enroll.c tests/unit/unit.h
tests_unit_test_ops_enroll_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ops_enroll_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ops_net_SOURCES = tests/unit/test_ops_net.c tests/unit/unit.h
tests_unit_test_ops_net_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ops_net_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_crl_SOURCES = tests/unit/test_crl.c tests/unit/unit.h
tests_unit_test_crl_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_crl_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ocsp_SOURCES = tests/unit/test_ocsp.c tests/unit/unit.h
tests_unit_test_ocsp_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ocsp_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_certlint_SOURCES = tests/unit/test_certlint.c
tests_unit_test_certlint_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_certlint_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)

TESTS += tests/cli/ca_pkcs11.sh
EXTRA_DIST += tests/cli/ca_pkcs11.sh
