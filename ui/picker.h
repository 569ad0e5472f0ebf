/*
 * The principal picker ("Select Users, Computers, or Groups"): a text
 * field that searches the directory by name as you type and a list of the
 * matches. Used by the Security tab (Add...) and by group Members (Add...).
 */
#ifndef CERTCON_UI_PICKER_H
#define CERTCON_UI_PICKER_H

#include "app.h"
#include "directory.h"

/*
 * Opens the picker over the principals whose kind bit (1 << DIR_USER, ...)
 * is in kinds. On OK calls done(ctx, p, qualified), qualified being p as
 * permissions name it (CONTOSO\alice); both are valid only during the call.
 * Cancel calls nothing.
 */
/* Users, computers and groups: whom group memberships and filters name. */
#define UI_PICK_ACCOUNTS ((1u << DIR_USER) | (1u << DIR_COMPUTER) | (1u << DIR_GROUP))
/* ...and the well-known principals (Authenticated Users): whom permissions name. */
#define UI_PICK_SECURITY (UI_PICK_ACCOUNTS | (1u << DIR_WELLKNOWN))

void ui_picker_open(struct ui_app *app, const char *title, unsigned kinds,
                    void (*done)(void *ctx, const struct dir_principal *p, const char *qualified),
                    void *ctx);

#endif
