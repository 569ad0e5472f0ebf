/*
 * Unit tests of the virtual list (ui/list.c): scrolling keeps the
 * selection visible, the list asks its source only for the rows on screen
 * (counted here over a million rows), and the in-memory source sorts,
 * filters, jumps by type-ahead and keeps the selection across a refresh.
 */
#include "config.h"

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

/* A source of n computed rows that counts the cells asked for. */
struct counting {
    size_t n;
    size_t asked;
    size_t max_pos;
};

static size_t
c_count(void *ctx)
{
    return ((struct counting *)ctx)->n;
}

static const char *
c_cell(void *ctx, size_t pos, int col, char *buf, size_t size)
{
    struct counting *c = ctx;
    c->asked++;
    if (pos > c->max_pos)
        c->max_pos = pos;
    snprintf(buf, size, "row %zu col %d", pos, col);
    return buf;
}

static int64_t
c_row_id(void *ctx, size_t pos)
{
    (void)ctx;
    return (int64_t)pos;
}

static const struct ui_list_source counting_ops = {
    .count = c_count,
    .cell = c_cell,
    .row_id = c_row_id,
};

static const struct ui_column two[] = {{"Name", 20}, {"Value", 10}};

static void
test_scrolling_keeps_selection_visible(void **state)
{
    (void)state;
    struct counting c = {.n = 100};
    struct ui_list l;
    ui_list_init(&l, two, 2, &counting_ops, &c);
    ui_list_set_height(&l, 10);
    assert_int_equal(l.sel, 0);
    ui_list_move(&l, 15);
    assert_int_equal(l.sel, 15);
    assert_int_equal(l.top, 6);
    ui_list_action(&l, UI_A_PGDN);
    assert_int_equal(l.sel, 24);
    ui_list_action(&l, UI_A_END);
    assert_int_equal(l.sel, 99);
    assert_int_equal(l.top, 90);
    ui_list_move(&l, 5);
    assert_int_equal(l.sel, 99);
    ui_list_action(&l, UI_A_HOME);
    assert_int_equal(l.sel, 0);
    assert_int_equal(l.top, 0);
    ui_list_move(&l, -3);
    assert_int_equal(l.sel, 0);
    /* a taller window shows more rows without leaving blank ones */
    ui_list_action(&l, UI_A_END);
    ui_list_set_height(&l, 30);
    assert_int_equal(l.top, 70);
    ui_list_free(&l);
}

static void
test_draw_asks_only_visible_rows(void **state)
{
    (void)state;
    struct counting c = {.n = 1000000};
    struct ui_list l;
    ui_list_init(&l, two, 2, &counting_ops, &c);
    struct ui_screen s = {0};
    ui_screen_resize(&s, 40, 11);
    struct ui_win w = ui_screen_win(&s);
    ui_list_draw(&l, &w, 1, 1);
    /* a header and 10 rows of 2 columns */
    assert_int_equal(c.asked, 20);
    c.asked = 0;
    ui_list_action(&l, UI_A_END);
    ui_list_draw(&l, &w, 1, 1);
    assert_int_equal(c.asked, 20);
    assert_int_equal(c.max_pos, 999999);
    char *last = ui_screen_row_text(&s, 10);
    assert_string_equal(last, "> row 999999 col 0    row 999999 col 1");
    free(last);
    ui_screen_free(&s);
    ui_list_free(&l);
}

/*
 * Columns that do not fit scroll sideways by whole columns, Left and Right
 * stopping where the last column is in view; a hidden column is skipped.
 */
static void
test_columns_scroll_and_hide(void **state)
{
    (void)state;
    static const struct ui_column four[] = {{"A", 12}, {"B", 12}, {"C", 12}, {"D", 12}};
    struct counting c = {.n = 3};
    struct ui_list l;
    ui_list_init(&l, four, 4, &counting_ops, &c);
    l.show_header = 1;
    struct ui_screen s = {0};
    ui_screen_resize(&s, 31, 4); /* a marker and 30 columns: two and a half columns */
    struct ui_win w = ui_screen_win(&s);
    ui_list_draw(&l, &w, 1, 1);
    char *row = ui_screen_row_text(&s, 0);
    assert_string_equal(row, "  A           B           C");
    free(row);
    /* Right twice reaches D (C and D fit from there); a third Right stays */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ui_list_action(&l, UI_A_EXPAND), 1);
        ui_list_draw(&l, &w, 1, 1);
    }
    assert_int_equal(l.hscroll, 2);
    row = ui_screen_row_text(&s, 0);
    assert_string_equal(row, "< C           D");
    free(row);
    row = ui_screen_row_text(&s, 1);
    assert_string_equal(row, "> row 0 col 2 row 0 col 3");
    free(row);
    ui_list_action(&l, UI_A_COLLAPSE);
    ui_list_action(&l, UI_A_COLLAPSE);
    ui_list_action(&l, UI_A_COLLAPSE);
    assert_int_equal(l.hscroll, 0);
    /* hiding B and C leaves A and D, which fit: no scrolling */
    ui_list_show_column(&l, 1, 0);
    ui_list_show_column(&l, 2, 0);
    ui_list_draw(&l, &w, 1, 1);
    assert_int_equal(l.hmax, 0);
    row = ui_screen_row_text(&s, 1);
    assert_string_equal(row, "> row 0 col 0 row 0 col 3");
    free(row);
    /* the last shown column stays */
    ui_list_show_column(&l, 0, 0);
    ui_list_show_column(&l, 3, 0);
    assert_false(ui_list_column_shown(&l, 0));
    assert_true(ui_list_column_shown(&l, 3));
    ui_screen_free(&s);
    ui_list_free(&l);
}

static void
test_empty_list(void **state)
{
    (void)state;
    struct counting c = {.n = 0};
    struct ui_list l;
    ui_list_init(&l, two, 2, &counting_ops, &c);
    ui_list_action(&l, UI_A_DOWN);
    ui_list_action(&l, UI_A_END);
    assert_int_equal(ui_list_selected(&l), UI_LIST_NONE);
    ui_list_free(&l);
}

static struct ui_memsource *
sample(void)
{
    struct ui_memsource *m = ui_memsource_new(2);
    const char *rows[][2] = {{"Web Server", "4.1"},
                             {"Workstation Authentication", "101.0"},
                             {"Administrator", "4.1"},
                             {"User", "3.1"},
                             {"Computer", "5.1"}};
    for (size_t i = 0; i < 5; i++)
        ui_memsource_add(m, (int64_t)(i + 10), rows[i]);
    return m;
}

static const char *
cell(struct ui_list *l, size_t pos, int col)
{
    static char buf[64];
    return l->src->cell(l->ctx, pos, col, buf, sizeof buf);
}

static void
test_memsource_sort_and_filter(void **state)
{
    (void)state;
    struct ui_memsource *m = sample();
    struct ui_list l;
    ui_list_init(&l, two, 2, &ui_memsource_ops, m);
    assert_string_equal(cell(&l, 0, 0), "Administrator");
    assert_string_equal(cell(&l, 4, 0), "Workstation Authentication");
    /* versions sort by value, not as text */
    ui_list_sort(&l, 1, 1);
    assert_string_equal(cell(&l, 0, 1), "101.0");
    assert_string_equal(cell(&l, 4, 1), "3.1");
    ui_list_sort(&l, 0, 0);
    ui_list_set_filter(&l, "ser");
    assert_int_equal(l.count, 2); /* Web Server, User */
    assert_string_equal(cell(&l, 0, 0), "User");
    ui_list_set_filter(&l, NULL);
    assert_int_equal(l.count, 5);
    ui_list_free(&l);
    ui_memsource_free(m);
}

static void
test_typeahead(void **state)
{
    (void)state;
    struct ui_memsource *m = sample();
    struct ui_list l;
    ui_list_init(&l, two, 2, &ui_memsource_ops, m);
    ui_list_typeahead(&l, 'W', 0);
    assert_string_equal(cell(&l, l.sel, 0), "Web Server");
    ui_list_typeahead(&l, 'o', 0);
    assert_string_equal(cell(&l, l.sel, 0), "Workstation Authentication");
    ui_list_typeahead_reset(&l);
    ui_list_typeahead(&l, 'c', 0);
    assert_string_equal(cell(&l, l.sel, 0), "Computer");
    /* after a pause the keys start a new prefix */
    ui_list_typeahead(&l, 'u', 5000);
    ui_list_typeahead(&l, 'a', 7000);
    assert_string_equal(cell(&l, l.sel, 0), "Administrator");
    ui_list_free(&l);
    ui_memsource_free(m);
}

/* The whole prefix counts, spaces included: "Domain C" is Domain Computers. */
static void
test_typeahead_spaces(void **state)
{
    (void)state;
    static const char *const names[] = {"Cert Publishers", "Domain Admins", "Domain Computers",
                                        "Domain Controllers", "Domain Users"};
    struct ui_memsource *m = ui_memsource_new(2);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *row[] = {names[i], "Security Group"};
        ui_memsource_add(m, (int64_t)i, row);
    }
    struct ui_list l;
    ui_list_init(&l, two, 2, &ui_memsource_ops, m);
    const char *typed = "Domain C";
    for (const char *p = typed; *p; p++)
        assert_int_equal(ui_list_typeahead(&l, *p, 1000 + 100 * (p - typed)), 1);
    assert_string_equal(cell(&l, l.sel, 0), "Domain Computers");
    assert_string_equal(l.typeahead, "Domain C");
    ui_list_typeahead(&l, 'o', 2000);
    ui_list_typeahead(&l, 'n', 2100);
    assert_string_equal(cell(&l, l.sel, 0), "Domain Controllers");
    /* a space that would start a prefix is not type-ahead: it is left to the caller */
    ui_list_typeahead_reset(&l);
    assert_int_equal(ui_list_typeahead(&l, ' ', 0), 0);
    assert_string_equal(l.typeahead, "");
    /* nor after a pause, which ends the prefix */
    ui_list_typeahead(&l, 'D', 10000);
    assert_int_equal(ui_list_typeahead(&l, ' ', 12000), 0);
    ui_list_free(&l);
    ui_memsource_free(m);
}

static void
test_refresh_keeps_selection(void **state)
{
    (void)state;
    struct ui_memsource *m = sample();
    struct ui_list l;
    ui_list_init(&l, two, 2, &ui_memsource_ops, m);
    ui_list_typeahead(&l, 'U', 0);
    assert_int_equal(l.src->row_id(l.ctx, l.sel), 13);
    const char *extra[] = {"Basic EFS", "3.1"};
    ui_memsource_add(m, 99, extra);
    ui_list_refresh(&l);
    assert_int_equal(l.count, 6);
    assert_string_equal(cell(&l, l.sel, 0), "User");
    ui_list_free(&l);
    ui_memsource_free(m);
}

static void
test_natural_compare(void **state)
{
    (void)state;
    assert_true(ui_natural_compare("4.1", "101.0") < 0);
    assert_true(ui_natural_compare("row 9", "row 10") < 0);
    assert_true(ui_natural_compare("abc", "ABD") < 0);
    assert_int_equal(ui_natural_compare("Web", "web"), 0);
    assert_true(ui_natural_compare("a", "ab") < 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scrolling_keeps_selection_visible),
        cmocka_unit_test(test_draw_asks_only_visible_rows),
        cmocka_unit_test(test_columns_scroll_and_hide),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_memsource_sort_and_filter),
        cmocka_unit_test(test_typeahead),
        cmocka_unit_test(test_typeahead_spaces),
        cmocka_unit_test(test_refresh_keeps_selection),
        cmocka_unit_test(test_natural_compare),
    };
    return cmocka_run_group_tests_name("ui_list", tests, NULL, NULL);
}
