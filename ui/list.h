/*
 * The virtual list: columns, a selection, scrolling, sort by any column,
 * a "/" filter and MMC-style type-ahead. The list never holds its rows: it
 * asks a data source for the number of rows and for the cells of the rows
 * on screen, so a view over a million certificates costs what one over ten
 * does. A source answers in the order of a query (sort column, direction,
 * filter); one backed by SQL turns that into ORDER BY / WHERE / LIMIT, and
 * ui_memsource below does it in memory for short lists.
 */
#ifndef CERTCON_UI_LIST_H
#define CERTCON_UI_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "screen.h"

#define UI_LIST_NONE ((size_t)-1)

struct ui_list_query {
    int sort_col; /* -1: the source's own order */
    int descending;
    const char *filter; /* case-insensitive substring of any column, or NULL */
};

struct ui_list_source {
    /* Re-reads the rows for a query; called when the sort or filter changes and on refresh. */
    void (*requery)(void *ctx, const struct ui_list_query *q);
    size_t (*count)(void *ctx);
    /* Text of column col of the row at pos (in query order); may use buf. Never NULL. */
    const char *(*cell)(void *ctx, size_t pos, int col, char *buf, size_t size);
    /*
     * First position at or after from whose sort column starts with prefix
     * (case-insensitive), wrapping around, or UI_LIST_NONE. May be NULL
     * (type-ahead then does nothing).
     */
    size_t (*find)(void *ctx, const char *prefix, size_t from);
    /* An identifier of the row at pos that survives a requery (for keeping the selection). */
    int64_t (*row_id)(void *ctx, size_t pos);
    /* Position of the row with that identifier, or UI_LIST_NONE. May be NULL. */
    size_t (*find_id)(void *ctx, int64_t id);
};

struct ui_column {
    const char *title;
    int width; /* preferred width; the last column takes what is left */
};

struct ui_list {
    const struct ui_column *cols;
    size_t ncols;
    const struct ui_list_source *src;
    void *ctx;
    struct ui_list_query q;
    char *filter; /* owned; q.filter points to it */
    size_t count, sel, top;
    int height; /* rows of the last layout (without the header) */
    int show_header;
    char typeahead[64];
    long long typeahead_at; /* ms of the last type-ahead key; 0 disables the timeout */
    /*
     * Columns shown: hidden has bit c set for a column left out (View ->
     * Add/Remove Columns). When the shown columns' preferred widths do not
     * fit, the list scrolls sideways by whole columns: hscroll is the first
     * shown column drawn, hmax the last value that still reveals one more
     * (set by the last draw).
     */
    unsigned hidden;
    int hscroll, hmax;
};

/* Column widths for total columns (widths[] of ncols); the last takes the rest. */
void ui_list_layout_columns(const struct ui_column *cols, size_t ncols, int total, int *widths);

void ui_list_init(struct ui_list *l, const struct ui_column *cols, size_t ncols,
                  const struct ui_list_source *src, void *ctx);
void ui_list_free(struct ui_list *l);
/* Asks the source again (after a change), keeping the selected row when it still exists. */
void ui_list_refresh(struct ui_list *l);
void ui_list_set_height(struct ui_list *l, int height);
/* Moves the selection by delta rows (clamped) and scrolls to keep it visible. */
void ui_list_move(struct ui_list *l, long delta);
void ui_list_select(struct ui_list *l, size_t pos);
/* Sorts by column col (-1: the source's own order). */
void ui_list_sort(struct ui_list *l, int col, int descending);
void ui_list_set_filter(struct ui_list *l, const char *filter);
/*
 * A type-ahead prefix as MMC keeps one: characters typed within a second
 * of each other add up to one prefix, spaces included ("Domain C"); a
 * pause starts a new one. now_ms 0 (scripts) never times out. Adds ch to
 * buf (of size bytes; *at is the time of the last key) and returns the
 * length the prefix had before, or -1 when ch is not taken: a space that
 * would start a prefix (it means Space to whoever has the focus then).
 */
long ui_typeahead_add(char *buf, size_t size, long long *at, int ch, long long now_ms);
/*
 * Type-ahead: adds a character to the prefix and jumps to the first row
 * whose sort column starts with the whole prefix. Returns 1 when it took
 * the key (see ui_typeahead_add).
 */
int ui_list_typeahead(struct ui_list *l, int ch, long long now_ms);
void ui_list_typeahead_reset(struct ui_list *l);
/*
 * Handles a navigation action; returns 1 when it did. Left and Right
 * scroll sideways by a column when the columns do not fit.
 */
int ui_list_action(struct ui_list *l, enum ui_action a);
/* Shows (show 1) or hides column col; the last shown column cannot be hidden. */
void ui_list_show_column(struct ui_list *l, size_t col, int show);
int ui_list_column_shown(const struct ui_list *l, size_t col);
/* The selected position, or UI_LIST_NONE for an empty list. */
size_t ui_list_selected(const struct ui_list *l);
/*
 * Draws the header (when shown) and the visible rows into w. marker: draw a
 * selection column ('>' when focused, '*' otherwise).
 */
void ui_list_draw(struct ui_list *l, const struct ui_win *w, int focused, int marker);

/* ---- an in-memory source for short lists (templates, principals, menus) ---- */

struct ui_memsource;

struct ui_memsource *ui_memsource_new(size_t ncols);
void ui_memsource_free(struct ui_memsource *m);
void ui_memsource_clear(struct ui_memsource *m);
/* Adds a row (the cells are copied); id identifies it for the caller. */
void ui_memsource_add(struct ui_memsource *m, int64_t id, const char *const *cells);
size_t ui_memsource_rows(const struct ui_memsource *m);
/* The source operations; ctx is the memsource. */
extern const struct ui_list_source ui_memsource_ops;
/* Natural comparison: digit runs by value, the rest case-insensitively. */
int ui_natural_compare(const char *a, const char *b);

#endif
