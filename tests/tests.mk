# tests/: cmocka unit tests (TAP), command-line tests (shell, TAP), screen
# tests and benchmarks. Each area appends its own programs and scripts.
CLI_TESTS = \
	tests/cli/templates.sh \
	tests/cli/directory.sh \
	tests/cli/badinput.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += tests/cli/lib.sh $(CLI_TESTS)
