# The training lab: exercises and their checks (ca/exercise.c), snapshots
# (ca/labsnap.c), the lab command (src/cmd_lab.c), the contoso exercises,
# certcon-exercises(5) and the lab's tests.
libcertcon_a_SOURCES += \
	ca/exercise.c ca/exercise.h \
	ca/labsnap.c ca/labsnap.h \
	ca/explain.c ca/explain.h \
	ca/coach.c ca/coach.h
certcon_SOURCES += src/cmd_lab.c

nobase_dist_pkgdata_DATA += \
	data/labs/contoso/exercises/web-server.conf \
	data/labs/contoso/exercises/cloud-dp.conf \
	data/labs/contoso/exercises/client.conf \
	data/labs/contoso/exercises/distribution-point.conf \
	data/labs/contoso/exercises/mobile-device.conf \
	data/labs/contoso/exercises/amt.conf \
	data/labs/contoso/exercises/mac-client.conf

dist_man_MANS += man/certcon-exercises.5

LAB_CLI_TESTS = \
	tests/cli/lab.sh \
	tests/cli/lab_snapshot.sh \
	tests/cli/lab_explain.sh \
	tests/cli/lab_coach.sh
TESTS += $(LAB_CLI_TESTS)
EXTRA_DIST += $(LAB_CLI_TESTS)

# The console's Lab node (ui/snap_lab.c); goldens in tests/screen/golden.
LAB_SCREEN_TESTS = tests/screen/lab.sh tests/screen/lab_coach.sh tests/screen/why_enroll.sh \
	tests/screen/command_preview.sh
TESTS += $(LAB_SCREEN_TESTS)
EXTRA_DIST += $(LAB_SCREEN_TESTS)

# F2's commands replayed on a second lab; session recording (ui/app.c).
PREVIEW_SCREEN_TESTS = tests/screen/command_replay.sh tests/screen/command_export.sh
TESTS += $(PREVIEW_SCREEN_TESTS)
EXTRA_DIST += $(PREVIEW_SCREEN_TESTS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_exercise
TESTS += tests/unit/test_exercise
tests_unit_test_exercise_SOURCES = tests/unit/test_exercise.c tests/unit/unit.h
tests_unit_test_exercise_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_exercise_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test_coach
TESTS += tests/unit/test_coach
tests_unit_test_coach_SOURCES = tests/unit/test_coach.c tests/unit/unit.h
tests_unit_test_coach_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_coach_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
endif
