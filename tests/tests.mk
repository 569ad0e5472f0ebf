# tests/: cmocka unit tests (TAP), command-line tests (shell, TAP), screen
# tests and benchmarks. Each area appends its own programs and scripts.
CLI_TESTS = \
	tests/cli/templates.sh \
	tests/cli/directory.sh \
	tests/cli/template_lint.sh \
	tests/cli/badinput.sh \
	tests/cli/autoenroll.sh \
	tests/cli/roles.sh \
	tests/cli/audit.sh \
	tests/cli/serve.sh \
	tests/cli/serve_roles.sh \
	tests/cli/http.sh \
	tests/cli/ocsp_http.sh \
	tests/cli/est.sh \
	tests/cli/serve_stop.sh \
	tests/cli/concurrency.sh \
	tests/cli/store_confined.sh \
	tests/cli/ops.sh \
	tests/cli/ops_confined.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += tests/cli/lib.sh $(CLI_TESTS) tests/bench/serve tests/testctx.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_autoenroll
TESTS += tests/unit/test_autoenroll
endif
tests_unit_test_autoenroll_SOURCES = tests/unit/test_autoenroll.c tests/unit/unit.h
tests_unit_test_autoenroll_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_autoenroll_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
include tests/unit/unit.mk
include tests/unit/ca_unit.mk

# The command-line and screen tests once more with the system clock years
# ahead (Debian's faketime): nothing may depend on today's date. Only the
# normal build: AddressSanitizer must be the first library a program loads,
# and faketime's is preloaded.
FUTURE_OFFSET = +6y
check-future: all
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(CLI_TESTS) $(CA_CLI_TESTS) tests/cli/ca_pkcs11.sh $(LAB_CLI_TESTS) $(UI_SCREEN_TESTS) $(LAB_SCREEN_TESTS)' \
		TEST_SUITE_LOG=test-suite-future.log \
		SH_LOG_COMPILER='faketime -f $(FUTURE_OFFSET) $(SHELL)'
.PHONY: check-future

# The screen tests once more with the lab served by `certcon serve` and the
# console a client of it over the Unix socket: the screens must not change.
check-served: all
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(UI_SCREEN_TESTS) $(LAB_SCREEN_TESTS)' \
		TEST_SUITE_LOG=test-suite-served.log \
		SH_LOG_COMPILER='env CERTCON_SCREEN_SERVED=1 $(SHELL)'
.PHONY: check-served

# Benchmark of the audit chain (append, verify): built with `make`, run by
# hand, prints figures and asserts nothing.
noinst_PROGRAMS += tests/bench/bench_audit
tests_bench_bench_audit_LDADD = $(CORE_LIBS)

# Benchmark of several writers on one database: run by hand, never a test.
EXTRA_DIST += tests/bench/concurrent

# Benchmark of CRL publication (tests/bench/crl runs it): built with `make`,
# run by hand, prints figures and asserts nothing.
noinst_PROGRAMS += tests/bench/bench_crl
tests_bench_bench_crl_LDADD = $(CORE_LIBS)
EXTRA_DIST += tests/bench/crl

# A keep-alive HTTP load client for tests/bench/ocsp_http (run by hand).
noinst_PROGRAMS += tests/bench/bench_http_post
# its own main and nothing else: not the fuzzing build's default LDADD
tests_bench_bench_http_post_LDADD =
EXTRA_DIST += tests/bench/ocsp_http
