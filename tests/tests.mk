# tests/: cmocka unit tests (TAP), command-line tests (shell, TAP), screen
# tests and benchmarks. Each area appends its own programs and scripts.
CLI_TESTS = \
	tests/cli/templates.sh \
	tests/cli/directory.sh \
	tests/cli/badinput.sh \
	tests/cli/autoenroll.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += tests/cli/lib.sh $(CLI_TESTS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_autoenroll
TESTS += tests/unit/test_autoenroll
endif
tests_unit_test_autoenroll_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_autoenroll_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
include tests/unit/unit.mk
include tests/unit/ca_unit.mk
