/*
 * Unit tests of the one escaping text function (ui_draw_text and its
 * helpers in ui/screen.c): nothing that came from outside may reach the
 * terminal as a control sequence, and widths must stay right so columns
 * line up. Also the word wrapping used by message boxes.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screen.h"
#include "theme.h"

static void
check_escape(const char *in, const char *want)
{
    char *got = ui_text_escape(in);
    assert_string_equal(got, want);
    assert_int_equal(ui_text_width(in), ui_text_width(got));
    free(got);
}

static void
test_plain(void **state)
{
    (void)state;
    check_escape("Web Server", "Web Server");
    check_escape("", "");
}

static void
test_c0_controls(void **state)
{
    (void)state;
    /* an escape sequence that would retitle the terminal */
    check_escape("CN=\x1b]0;pwned\x07x", "CN=^[]0;pwned^Gx");
    check_escape("a\tb\nc\rd\x7f", "a^Ib^Jc^Md^?");
}

static void
test_c1_and_bidi(void **state)
{
    (void)state;
    /* U+009B is CSI on 8-bit terminals; U+202E reverses text */
    check_escape("a\xc2\x9b"
                 "2J",
                 "a<U+009B>2J");
    check_escape("x\xe2\x80\xaey", "x<U+202E>y");
    check_escape("z\xe2\x80\x8bw", "z<U+200B>w");
}

static void
test_bad_utf8(void **state)
{
    (void)state;
    check_escape("a\xff"
                 "b",
                 "a\\xFFb");
    check_escape("\xc3", "\\xC3");
    check_escape("\xe0\x80\x80", "\\xE0\\x80\\x80"); /* overlong */
    check_escape("\xed\xa0\x80", "\\xED\\xA0\\x80"); /* surrogate */
}

static void
test_printable_unicode_kept(void **state)
{
    (void)state;
    check_escape("Ren\xc3\xa9", "Ren\xc3\xa9");
    assert_int_equal(ui_text_width("Ren\xc3\xa9"), 4);
    /* a double-width character takes two columns */
    assert_int_equal(ui_text_width("\xe4\xb8\xad"), 2);
}

static void
test_draw_clips_and_marks(void **state)
{
    (void)state;
    struct ui_screen s = {0};
    ui_screen_resize(&s, 10, 2);
    struct ui_win w = ui_screen_win(&s);
    int used = ui_draw_text(&w, 0, 0, -1, UI_EL_NORMAL, "ab\x1b[2Jcdefghijk");
    assert_int_equal(used, 10);
    char *row = ui_screen_row_text(&s, 0);
    assert_string_equal(row, "ab^[[2Jcde");
    free(row);
    /* the escape is drawn in its own element, so a person sees it was escaped */
    assert_int_equal(s.cells[2].el, UI_EL_ESCAPED);
    assert_int_equal(s.cells[0].el, UI_EL_NORMAL);
    /* an escape is never split at the edge */
    used = ui_draw_text(&w, 0, 1, 3, UI_EL_NORMAL, "ab\x1b");
    assert_int_equal(used, 2);
    ui_screen_free(&s);
}

static void
test_no_control_reaches_the_screen(void **state)
{
    (void)state;
    struct ui_screen s = {0};
    ui_screen_resize(&s, 80, 1);
    struct ui_win w = ui_screen_win(&s);
    char evil[256];
    for (int i = 0; i < 255; i++)
        evil[i] = (char)(i + 1);
    evil[255] = '\0';
    ui_draw_text(&w, 0, 0, -1, UI_EL_NORMAL, evil);
    for (int x = 0; x < 80; x++) {
        uint32_t c = s.cells[x].ch;
        assert_false(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }
    ui_screen_free(&s);
}

static void
test_wrap(void **state)
{
    (void)state;
    char **lines;
    size_t n = ui_text_wrap("The quick brown fox jumps over the lazy dog", 10, &lines);
    const char *want[] = {"The quick", "brown fox", "jumps over", "the lazy", "dog"};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(lines[i], want[i]);
    ui_text_lines_free(lines, n);
    n = ui_text_wrap("abcdefghijkl\nxy", 5, &lines);
    assert_int_equal(n, 4);
    assert_string_equal(lines[0], "abcde");
    assert_string_equal(lines[2], "kl");
    assert_string_equal(lines[3], "xy");
    ui_text_lines_free(lines, n);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_c0_controls),
        cmocka_unit_test(test_c1_and_bidi),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_printable_unicode_kept),
        cmocka_unit_test(test_draw_clips_and_marks),
        cmocka_unit_test(test_no_control_reaches_the_screen),
        cmocka_unit_test(test_wrap),
    };
    return cmocka_run_group_tests_name("ui_text", tests, NULL, NULL);
}
