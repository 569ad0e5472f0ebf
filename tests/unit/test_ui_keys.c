/*
 * Unit tests of the key notation (ui/keys.c) that test scripts and
 * certcon.conf key bindings are written in, and of the action table's
 * bindings (ui/action.c).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libconfig.h>

#include "action.h"
#include "keys.h"

static void
parse(const char *line, const int *want, size_t nwant)
{
    int keys[64];
    size_t n = 0;
    char *cause = NULL;
    assert_int_equal(ui_keys_parse(line, keys, 64, &n, &cause), 0);
    assert_null(cause);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(keys[i], want[i]);
}

static void
test_plain_text(void **state)
{
    (void)state;
    const int want[] = {'W', 'e', 'b', ' ', 'S'};
    parse("Web S", want, 5);
}

static void
test_named_keys(void **state)
{
    (void)state;
    const int want[] = {UI_KEY_ENTER, UI_KEY_TAB,  UI_KEY_BTAB, UI_KEY_ESC,  UI_KEY_BS,
                        UI_KEY_DEL,   ' ',         UI_KEY_UP,   UI_KEY_DOWN, UI_KEY_LEFT,
                        UI_KEY_RIGHT, UI_KEY_PGUP, UI_KEY_PGDN, UI_KEY_HOME, UI_KEY_END};
    parse("<Enter><Tab><S-Tab><Esc><BS><Del><Space><Up><Down><Left><Right><PgUp><PgDn>"
          "<Home><End>",
          want, sizeof want / sizeof want[0]);
}

static void
test_function_and_control_keys(void **state)
{
    (void)state;
    const int want[] = {UI_KEY_F(1), UI_KEY_F(10), UI_KEY_F(12), UI_KEY_SF(10), 3, 21, 1};
    parse("<F1><F10><F12><S-F10><C-c><C-u><C-A>", want, 7);
}

static void
test_mixed_and_literal_angle(void **state)
{
    (void)state;
    /* an unknown name is typed as it is written */
    const int want[] = {'a', '<', 'b', '>', UI_KEY_ENTER, '<', 'F', '1', '3', '>', '<'};
    parse("a<b><Enter><F13><", want, sizeof want / sizeof want[0]);
    const int lt[] = {'<', 'x'};
    parse("<lt>x", lt, 2);
}

static void
test_utf8(void **state)
{
    (void)state;
    const int want[] = {0xe9, 0x4e2d, 'x'};
    parse("\xc3\xa9\xe4\xb8\xadx", want, 3);
}

static void
test_bad_utf8_and_overflow(void **state)
{
    (void)state;
    int keys[4];
    size_t n;
    char *cause = NULL;
    assert_int_equal(ui_keys_parse("ab\xff", keys, 4, &n, &cause), -1);
    assert_non_null(cause);
    free(cause);
    cause = NULL;
    assert_int_equal(ui_keys_parse("abcde", keys, 4, &n, &cause), -1);
    assert_non_null(cause);
    free(cause);
}

static void
test_key_list(void **state)
{
    (void)state;
    int keys[6];
    char *cause = NULL;
    assert_int_equal(ui_keys_parse_list("<F10> <C-c>  q", keys, 6, &cause), 3);
    assert_int_equal(keys[0], UI_KEY_F(10));
    assert_int_equal(keys[1], 3);
    assert_int_equal(keys[2], 'q');
    assert_int_equal(ui_keys_parse_list("<F10> ab", keys, 6, &cause), -1);
    assert_non_null(cause);
    assert_non_null(strstr(cause, "'ab'"));
    free(cause);
}

static void
test_notation_round_trip(void **state)
{
    (void)state;
    const int keys[] = {UI_KEY_ENTER, UI_KEY_F(5), UI_KEY_SF(10), 3, 'z', '<', ' ', 0xe9};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char buf[32];
        int back[4];
        size_t n;
        ui_key_notation(keys[i], buf, sizeof buf);
        assert_int_equal(ui_keys_parse(buf, back, 4, &n, NULL), 0);
        assert_int_equal(n, 1);
        assert_int_equal(back[0], keys[i]);
    }
    char buf[32];
    assert_string_equal(ui_key_label(3, buf, sizeof buf), "Ctrl-C");
    assert_string_equal(ui_key_label(UI_KEY_SF(10), buf, sizeof buf), "Shift-F10");
}

static void
test_default_bindings(void **state)
{
    (void)state;
    assert_int_equal(ui_action_configure(NULL, NULL), 0);
    assert_int_equal(ui_action_lookup(UI_KEY_F(10), UI_CTX_CONSOLE), UI_A_QUIT);
    assert_int_equal(ui_action_lookup(3, UI_CTX_DIALOG), UI_A_QUIT);
    assert_int_equal(ui_action_lookup('/', UI_CTX_CONSOLE), UI_A_FILTER);
    assert_int_equal(ui_action_lookup(UI_KEY_TAB, UI_CTX_CONSOLE), UI_A_PANE);
    assert_int_equal(ui_action_lookup(UI_KEY_TAB, UI_CTX_DIALOG), UI_A_NEXT_FIELD);
    assert_int_equal(ui_action_lookup(UI_KEY_SF(10), UI_CTX_CONSOLE), UI_A_MENU);
    /* every action has help text and a unique name */
    size_t n;
    const struct ui_action_def *defs = ui_actions(&n);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(defs[i].help);
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(defs[i].name, defs[j].name);
    }
}

static void
test_configured_bindings(void **state)
{
    (void)state;
    config_t conf;
    config_init(&conf);
    assert_true(config_read_string(&conf, "keys = { quit = \"<F10> <C-q>\"; };"));
    assert_int_equal(ui_action_configure(&conf, NULL), 0);
    assert_int_equal(ui_action_lookup(17, UI_CTX_CONSOLE), UI_A_QUIT);
    assert_int_equal(ui_action_lookup(3, UI_CTX_CONSOLE), UI_A_NONE);
    char buf[64];
    assert_string_equal(ui_action_key_labels(UI_A_QUIT, buf, sizeof buf, 0), "F10, Ctrl-Q");
    config_destroy(&conf);

    config_init(&conf);
    assert_true(config_read_string(&conf, "keys = { nosuch = \"x\"; };"));
    char *cause = NULL;
    assert_int_equal(ui_action_configure(&conf, &cause), -1);
    assert_non_null(strstr(cause, "nosuch"));
    free(cause);
    config_destroy(&conf);
    assert_int_equal(ui_action_configure(NULL, NULL), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_named_keys),
        cmocka_unit_test(test_function_and_control_keys),
        cmocka_unit_test(test_mixed_and_literal_angle),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_bad_utf8_and_overflow),
        cmocka_unit_test(test_key_list),
        cmocka_unit_test(test_notation_round_trip),
        cmocka_unit_test(test_default_bindings),
        cmocka_unit_test(test_configured_bindings),
    };
    return cmocka_run_group_tests_name("ui_keys", tests, NULL, NULL);
}
