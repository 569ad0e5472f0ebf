/*
 * Benchmark of the console's virtual list: the time one keypress takes
 * (move the selection, then draw the results pane into an 80x24 screen)
 * over a list of a million rows and over one of ten. The list asks its
 * source only for the rows on screen, so the two figures should match.
 * Prints figures; asserts nothing (speed is measured, never tested).
 *
 *   tests/bench/bench_ui [KEYPRESSES]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "list.h"
#include "screen.h"

struct synthetic {
    size_t n;
};

static size_t
syn_count(void *ctx)
{
    return ((struct synthetic *)ctx)->n;
}

/* Cells computed from the position, as an SQL source with LIMIT/OFFSET would fetch them. */
static const char *
syn_cell(void *ctx, size_t pos, int col, char *buf, size_t size)
{
    (void)ctx;
    static const char *const purposes[] = {"Server Authentication", "Client Authentication",
                                           "Secure Email"};
    switch (col) {
    case 0:
        snprintf(buf, size, "%016zX", pos * 2654435761u);
        break;
    case 1:
        snprintf(buf, size, "CN=server%zu.contoso.com", pos);
        break;
    default:
        snprintf(buf, size, "%s", purposes[pos % 3]);
        break;
    }
    return buf;
}

static int64_t
syn_row_id(void *ctx, size_t pos)
{
    (void)ctx;
    return (int64_t)pos;
}

static const struct ui_list_source syn_ops = {
    .count = syn_count,
    .cell = syn_cell,
    .row_id = syn_row_id,
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct ui_column cols[] = {
    {"Serial Number", 18}, {"Requester Name", 30}, {"Certificate Template", 20}};

/* Microseconds per keypress: the action, then a full redraw of the pane. */
static double
run(size_t rows, enum ui_action action, long presses)
{
    struct synthetic syn = {rows};
    struct ui_list l;
    ui_list_init(&l, cols, 3, &syn_ops, &syn);
    struct ui_screen s = {0};
    ui_screen_resize(&s, 80, 24);
    struct ui_win root = ui_screen_win(&s);
    struct ui_win pane = ui_win_sub(&root, 31, 2, 48, 20);
    ui_list_draw(&l, &pane, 1, 1);
    double t0 = now_s();
    for (long i = 0; i < presses; i++) {
        if (!ui_list_action(&l, action) || l.sel + 1 >= l.count)
            ui_list_action(&l, UI_A_HOME); /* wrap around to keep scrolling */
        ui_list_draw(&l, &pane, 1, 1);
    }
    double us = (now_s() - t0) * 1e6 / (double)presses;
    ui_screen_free(&s);
    ui_list_free(&l);
    return us;
}

int
main(int argc, char **argv)
{
    long presses = argc > 1 ? atol(argv[1]) : 200000;
    if (presses < 1)
        presses = 1;
    static const struct {
        enum ui_action a;
        const char *name;
    } keys[] = {{UI_A_DOWN, "Down"}, {UI_A_PGDN, "PgDn"}, {UI_A_END, "End"}};
    printf("virtual list: time per keypress (action + redraw of a 48x20 pane), %ld presses\n",
           presses);
    /* ten rows fill half the pane; a thousand and a million fill it all */
    printf("%-6s %14s %14s %14s\n", "key", "10 rows", "1000 rows", "1000000 rows");
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        double small = run(10, keys[k].a, presses);
        double mid = run(1000, keys[k].a, presses);
        double big = run(1000000, keys[k].a, presses);
        printf("%-6s %11.2f us %11.2f us %11.2f us\n", keys[k].name, small, mid, big);
    }
    return 0;
}
