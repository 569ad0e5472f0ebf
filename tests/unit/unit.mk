# tests/unit/: cmocka unit tests of the core modules (one group per binary,
# TAP output). Each binary makes its scratch database under
# $(TESTS_BUILDDIR)/tmp/unit-NAME from the contoso lab in $(CERTCON_DATADIR).
if HAVE_CMOCKA
CORE_UNIT_TESTS = \
	tests/unit/test_util \
	tests/unit/test_clock \
	tests/unit/test_store \
	tests/unit/test_directory \
	tests/unit/test_ops_directory \
	tests/unit/test_acl \
	tests/unit/test_oids \
	tests/unit/test_template \
	tests/unit/test_audit \
	tests/unit/test_lab \
	tests/unit/test_lint \
	tests/unit/test_unitdb
check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS)
endif

tests_unit_test_util_SOURCES = tests/unit/test_util.c tests/unit/unit.h
tests_unit_test_util_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_util_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_clock_SOURCES = tests/unit/test_clock.c tests/unit/unit.h
tests_unit_test_clock_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_clock_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/unit.h
tests_unit_test_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_store_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_directory_SOURCES = tests/unit/test_directory.c tests/unit/unit.h
tests_unit_test_directory_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_directory_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ops_directory_SOURCES = tests/unit/test_ops_directory.c tests/unit/unit.h
tests_unit_test_ops_directory_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ops_directory_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_acl_SOURCES = tests/unit/test_acl.c tests/unit/unit.h
tests_unit_test_acl_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_acl_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_oids_SOURCES = tests/unit/test_oids.c tests/unit/unit.h
tests_unit_test_oids_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_oids_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_template_SOURCES = tests/unit/test_template.c tests/unit/unit.h
tests_unit_test_template_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_template_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_audit_SOURCES = tests/unit/test_audit.c tests/unit/unit.h
tests_unit_test_audit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_audit_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_lab_SOURCES = tests/unit/test_lab.c tests/unit/unit.h
tests_unit_test_lab_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_lab_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_lint_SOURCES = tests/unit/test_lint.c tests/unit/unit.h
tests_unit_test_lint_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_lint_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_unitdb_SOURCES = tests/unit/test_unitdb.c tests/unit/unit.h
tests_unit_test_unitdb_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_unitdb_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
