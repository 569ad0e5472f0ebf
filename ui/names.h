/*
 * Checks of names typed into dialog fields, as the user types: a field that
 * takes a DNS name carries the reason it is refused (shown by the dialog,
 * and OK or Next stays off) until the name is one the CA would issue. The
 * rules are the CA's own (certlint_dns_name), so the console refuses
 * exactly what the CA's lint would, and says the same thing.
 */
#ifndef CERTCON_UI_NAMES_H
#define CERTCON_UI_NAMES_H

#include "dialog.h"

enum {
    UI_DNS_WILDCARD = 1, /* a leftmost "*." label is allowed (a request's SAN) */
    UI_DNS_EMPTY_OK = 2, /* an empty field is not an error (an optional name) */
    UI_DNS_LIST = 4,     /* the field holds names separated by commas or blanks */
};

/* Sets or clears f's error for its text as a DNS name (flags UI_DNS_*). Returns 1 when valid. */
int ui_field_check_dns(struct ui_field *f, int flags);
/* The reason text is not a DNS name (allocated), or NULL when it is one. */
char *ui_dns_name_problem(const char *text, int flags);

#endif
