# tests/fuzz/: libFuzzer harnesses, one file each (tests/fuzz/fuzz_NAME.c),
# with seeds in tests/fuzz/corpus/fuzz_NAME/ and past findings in
# tests/fuzz/regress/fuzz_NAME/. configure --enable-fuzzers (CC=clang, as
# tests/fuzz/run does in build-fuzz) links them with libFuzzer; otherwise
# they link tests/fuzz/replay.c and `make check` replays seeds and findings
# through them (tests/fuzz/replay.sh).
#
# A harness that needs only the core library is one line here: programs
# without their own _LDADD get the LDADD below.
FUZZ_TARGETS = \
	tests/fuzz/fuzz_request \
	tests/fuzz/fuzz_template_import \
	tests/fuzz/fuzz_script \
	tests/fuzz/fuzz_lint \
	tests/fuzz/fuzz_ocsp

check_PROGRAMS += $(FUZZ_TARGETS)
if ENABLE_FUZZERS
FUZZ_DRIVER =
else
FUZZ_DRIVER = tests/fuzz/libreplay.a
check_LIBRARIES = tests/fuzz/libreplay.a
tests_fuzz_libreplay_a_SOURCES = tests/fuzz/replay.c
endif
LDADD = $(FUZZ_DRIVER) $(CORE_LIBS) $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/fuzz.h

# The console harness runs the real console: every object of certcon but
# its main, so a file added to certcon is in the harness too.
FUZZ_CONSOLE_OBJECTS = $(certcon_OBJECTS:src/certcon-main.o=)
tests_fuzz_fuzz_script_CPPFLAGS = $(certcon_CPPFLAGS)
tests_fuzz_fuzz_script_LDADD = $(FUZZ_DRIVER) $(FUZZ_CONSOLE_OBJECTS) $(certcon_LDADD) $(FUZZ_LINK)

# make check: every seed and every past finding once through each harness.
TESTS += tests/fuzz/replay.sh
AM_TESTS_ENVIRONMENT += FUZZ_TARGETS='$(FUZZ_TARGETS)'; export FUZZ_TARGETS;
EXTRA_DIST += tests/fuzz/replay.sh tests/fuzz/run tests/fuzz/lsan.supp tests/fuzz/fuzz_script.dict \
	tests/fuzz/corpus tests/fuzz/regress

# tests/fuzz/run asks which harnesses there are.
fuzz-targets:
	@echo $(FUZZ_TARGETS)
.PHONY: fuzz-targets
