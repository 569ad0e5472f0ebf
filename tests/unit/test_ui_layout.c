/*
 * Unit tests of layout in the screen model: column widths of lists,
 * clipping of windows, boxes and the plain-text dump the screen tests
 * compare with their goldens.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "list.h"
#include "screen.h"
#include "theme.h"

static void
test_columns_fit(void **state)
{
    (void)state;
    const struct ui_column cols[] = {{"Name", 30}, {"Schema", 8}, {"Version", 9}, {"Purposes", 20}};
    int w[4];
    ui_list_layout_columns(cols, 4, 100, w);
    assert_int_equal(w[0], 30);
    assert_int_equal(w[1], 8);
    assert_int_equal(w[2], 9);
    assert_int_equal(w[3], 53); /* the last takes the rest */
}

static void
test_columns_narrow(void **state)
{
    (void)state;
    const struct ui_column cols[] = {{"Name", 30}, {"Schema", 8}, {"Version", 9}, {"Purposes", 20}};
    int w[4];
    /* the first column gives way so the last keeps 12 */
    ui_list_layout_columns(cols, 4, 49, w);
    assert_int_equal(w[0], 20);
    assert_int_equal(w[3], 12);
    assert_int_equal(w[0] + w[1] + w[2] + w[3], 49);
    /* never below 12 for the first; the rest is cut at the edge */
    ui_list_layout_columns(cols, 4, 20, w);
    assert_int_equal(w[0], 12);
    assert_int_equal(w[0] + w[1] + w[2] + w[3], 20);
    assert_int_equal(w[3], 0);
}

static void
test_window_clipping(void **state)
{
    (void)state;
    struct ui_screen s = {0};
    ui_screen_resize(&s, 20, 5);
    struct ui_win root = ui_screen_win(&s);
    struct ui_win sub = ui_win_sub(&root, 15, 3, 10, 10);
    assert_int_equal(sub.w, 5);
    assert_int_equal(sub.h, 2);
    ui_draw_text(&sub, 0, 0, -1, UI_EL_NORMAL, "abcdefgh");
    ui_draw_text(&sub, -2, 1, -1, UI_EL_NORMAL, "xyz"); /* left of the window: clipped */
    char *r3 = ui_screen_row_text(&s, 3), *r4 = ui_screen_row_text(&s, 4);
    assert_string_equal(r3, "               abcde");
    assert_string_equal(r4, "               z");
    free(r3);
    free(r4);
    ui_screen_free(&s);
}

static void
test_box_dump(void **state)
{
    (void)state;
    struct ui_screen s = {0};
    ui_screen_resize(&s, 12, 4);
    struct ui_win w = ui_screen_win(&s);
    ui_draw_box(&w, 0, 0, 12, 4, UI_EL_BORDER, "Title");
    ui_draw_text(&w, 1, 1, -1, UI_EL_NORMAL, "\xe2\x94\x80"); /* a box character as text */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ui_screen_dump(&s, f), 0);
    fclose(f);
    /* line drawing becomes + - |; the same character drawn as text stays itself */
    assert_string_equal(buf, "+ Title ---+\n"
                             "|\xe2\x94\x80         |\n"
                             "|          |\n"
                             "+----------+\n");
    free(buf);
    ui_screen_free(&s);
}

static void
test_wide_characters(void **state)
{
    (void)state;
    struct ui_screen s = {0};
    ui_screen_resize(&s, 6, 1);
    struct ui_win w = ui_screen_win(&s);
    /* a double-width character does not fit in the last column: it is left out */
    int used = ui_draw_text(&w, 0, 0, -1, UI_EL_NORMAL,
                            "ab\xe4\xb8\xad\xe4\xb8\xad"
                            "c");
    assert_int_equal(used, 6);
    assert_int_equal(s.cells[3].flags & UI_CELL_CONT, UI_CELL_CONT);
    char *row = ui_screen_row_text(&s, 0);
    assert_string_equal(row, "ab\xe4\xb8\xad\xe4\xb8\xad");
    free(row);
    ui_screen_free(&s);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_fit),     cmocka_unit_test(test_columns_narrow),
        cmocka_unit_test(test_window_clipping), cmocka_unit_test(test_box_dump),
        cmocka_unit_test(test_wide_characters),
    };
    return cmocka_run_group_tests_name("ui_layout", tests, NULL, NULL);
}
