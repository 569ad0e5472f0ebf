/*
 * Name checks for dialog fields (names.h). The console runs them from a
 * field's changed hook, so the reason shows while the name is typed; the
 * CA checks the same rules again when a request arrives, so a name that
 * reaches it some other way is refused there too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "certlint.h"
#include "mem.h"
#include "names.h"
#include "status.h"
#include "util.h"

char *
ui_dns_name_problem(const char *text, int flags)
{
    struct strlist names = {0};
    if (flags & UI_DNS_LIST) {
        if (strlist_split(&names, text, ", ") != CC_OK)
            ui_die("out of memory");
    } else if (*text && strlist_add(&names, text) != CC_OK) {
        ui_die("out of memory");
    }
    char *why = NULL;
    if (names.n == 0 && !(flags & UI_DNS_EMPTY_OK))
        why = ui_xstrdup("Type a DNS name, such as server1.contoso.com");
    for (size_t i = 0; why == NULL && i < names.n; i++) {
        char *cause = NULL;
        int rc = certlint_dns_name(names.v[i], (flags & UI_DNS_WILDCARD) != 0, &cause);
        if (rc == CC_ENOMEM)
            ui_die("out of memory");
        if (rc != CC_OK)
            why = ui_xstrdup(cause ? cause : cc_strerror(rc));
        free(cause);
    }
    strlist_free(&names);
    return why;
}

int
ui_field_check_dns(struct ui_field *f, int flags)
{
    char *why = ui_dns_name_problem(f->text ? f->text : "", flags);
    ui_field_set_error(f, why);
    free(why);
    return why == NULL;
}
