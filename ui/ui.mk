# ui/: the curses console. Only ui/term.c includes curses; everything else
# draws into the in-memory screen (ui/screen.c), which is what lets the
# screen tests run without a terminal.
UI_CORE_SOURCES = \
	ui/mem.c ui/mem.h \
	ui/keys.c ui/keys.h \
	ui/screen.c ui/screen.h \
	ui/theme.c ui/theme.h \
	ui/action.c ui/action.h \
	ui/list.c ui/list.h

libui_a_SOURCES += $(UI_CORE_SOURCES) \
	ui/dialog.c ui/dialog.h \
	ui/app.c ui/app.h ui/host.h \
	ui/term.c ui/term.h \
	ui/snap.h \
	ui/console_view.c \
	ui/snap_ca.c \
	ui/ca_sheet.c ui/ca_sheet.h \
	ui/crl_sheet.c ui/crl_sheet.h \
	ui/snap_audit.c \
	ui/snap_acme.c \
	ui/snap_certs.c \
	ui/cert_view.c ui/cert_view.h \
	ui/export_wizard.c ui/export_wizard.h \
	ui/snap_gpo.c \
	ui/gpo_editor.c ui/gpo_editor.h \
	ui/snap_lab.c \
	ui/snap_aduc.c \
	ui/snap_templates.c \
	ui/template_sheet.c ui/template_sheet.h \
	ui/picker.c ui/picker.h \
	ui/principals.c ui/principals.h \
	ui/why_enroll.c ui/why_enroll.h \
	ui/names.c ui/names.h \
	ui/request_props.c ui/request_props.h

# Unit tests of the pure parts: key notation, escaping, the virtual list,
# layout. One cmocka group per binary; none needs a terminal.
if HAVE_CMOCKA
UI_UNIT_TESTS = \
	tests/unit/test_ui_keys \
	tests/unit/test_ui_text \
	tests/unit/test_ui_list \
	tests/unit/test_ui_layout
check_PROGRAMS += $(UI_UNIT_TESTS)
TESTS += $(UI_UNIT_TESTS)
UI_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UI_TEST_LIBS = libcertcon.a $(CMOCKA_LIBS) $(LIBCONFIG_LIBS)
tests_unit_test_ui_keys_SOURCES = tests/unit/test_ui_keys.c $(UI_CORE_SOURCES)
tests_unit_test_ui_keys_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_keys_LDADD = $(UI_TEST_LIBS)
tests_unit_test_ui_text_SOURCES = tests/unit/test_ui_text.c $(UI_CORE_SOURCES)
tests_unit_test_ui_text_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_text_LDADD = $(UI_TEST_LIBS)
tests_unit_test_ui_list_SOURCES = tests/unit/test_ui_list.c $(UI_CORE_SOURCES)
tests_unit_test_ui_list_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_list_LDADD = $(UI_TEST_LIBS)
tests_unit_test_ui_layout_SOURCES = tests/unit/test_ui_layout.c $(UI_CORE_SOURCES)
tests_unit_test_ui_layout_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_ui_layout_LDADD = $(UI_TEST_LIBS)
endif

# Benchmark: built with `make`, run by hand, never a test: time per keypress over
# a million-row list next to a ten-row one.
noinst_PROGRAMS += tests/bench/bench_ui
tests_bench_bench_ui_SOURCES = tests/bench/bench_ui.c $(UI_CORE_SOURCES)
tests_bench_bench_ui_LDADD = libcertcon.a $(LIBCONFIG_LIBS)
# The same over SQL: the real console's Issued Certificates view over a
# million certificates next to ten (run from the build directory).
noinst_PROGRAMS += tests/bench/bench_ca_view
tests_bench_bench_ca_view_SOURCES = tests/bench/bench_ca_view.c
tests_bench_bench_ca_view_CPPFLAGS = $(AM_CPPFLAGS) -DBENCH_DATADIR='"$(abs_top_srcdir)/data"'
tests_bench_bench_ca_view_LDADD = $(SQLITE_LIBS)

# Screen tests: the real program in script mode, compared with goldens;
# the tmux test runs it in a real terminal.
UI_SCREEN_TESTS = \
	tests/screen/console.sh \
	tests/screen/keys.sh \
	tests/screen/templates.sh \
	tests/screen/template_risks.sh \
	tests/screen/aduc.sh \
	tests/screen/aduc_props.sh \
	tests/screen/walk_mobile.sh \
	tests/screen/walk_mac.sh \
	tests/screen/walk_amt.sh \
	tests/screen/webserver.sh \
	tests/screen/clouddp.sh \
	tests/screen/distpoint.sh \
	tests/screen/amt.sh \
	tests/screen/ca.sh \
	tests/screen/ca_props.sh \
	tests/screen/crl.sh \
	tests/screen/stop_service.sh \
	tests/screen/columns.sh \
	tests/screen/defects.sh \
	tests/screen/ca_get.sh \
	tests/screen/viewer.sh \
	tests/screen/certs.sh \
	tests/screen/certs_export.sh \
	tests/screen/certs_user.sh \
	tests/screen/dns.sh \
	tests/screen/request.sh \
	tests/screen/request_results.sh \
	tests/screen/tmux.sh \
	tests/screen/terminals.sh \
	tests/screen/fuzz.sh \
	tests/screen/audit.sh \
	tests/screen/acme.sh \
	tests/screen/gpmc.sh \
	tests/screen/gpmc_client.sh
TESTS += $(UI_SCREEN_TESTS)
EXTRA_DIST += $(UI_SCREEN_TESTS) tests/screen/lib.sh tests/screen/golden
