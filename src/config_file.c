/*
 * Reading certcon.conf. Settings:
 *   account = "Administrator";            acting account for every Unix user
 *   accounts = ( { user = "alice"; account = "CONTOSO\\alice"; } );
 *   computer_tokens_at_restart = true;    false: group changes apply at once
 *   connect = "/run/certcon/certcon.sock"; run every command in the CA service
 * The console's own settings (keys, colours) are read by ui/ from c->conf.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config_file.h"
#include "status.h"
#include "util.h"

char *
config_file_default_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg != NULL && *xdg != '\0')
        return xasprintf("%s/certcon/certcon.conf", xdg);
    const char *home = getenv("HOME");
    char *user = xasprintf("%s/.config/certcon/certcon.conf", home ? home : ".");
    struct stat sb;
    if (stat(user, &sb) == 0)
        return user;
    free(user);
    return xstrdup("/etc/certcon/certcon.conf");
}

static const char *
unix_user_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw ? pw->pw_name : NULL;
}

int
config_file_load(struct cli *c, char **cause)
{
    char *path = c->config_path ? xstrdup(c->config_path) : config_file_default_path();
    struct stat sb;
    if (stat(path, &sb) != 0) {
        int explicit = c->config_path != NULL;
        int rc = explicit ? cc_fail(cause, CC_EIO, "%s: %s", path, strerror(errno)) : CC_OK;
        free(path);
        return rc;
    }
    config_t *conf = xmalloc(sizeof *conf);
    config_init(conf);
    if (!config_read_file(conf, path)) {
        int rc = config_error_type(conf) == CONFIG_ERR_FILE_IO
                     ? cc_fail(cause, CC_EIO, "%s: cannot read the file", path)
                     : cc_fail(cause, CC_EPARSE, "%s:%d: %s", path, config_error_line(conf),
                               config_error_text(conf));
        config_destroy(conf);
        free(conf);
        free(path);
        return rc;
    }
    int b;
    if (config_lookup_bool(conf, "computer_tokens_at_restart", &b))
        c->tokens_at_restart = b;
    const char *acct = NULL;
    if (config_lookup_string(conf, "account", &acct))
        c->config_account = xstrdup(acct);
    const char *sock = NULL;
    if (config_lookup_string(conf, "connect", &sock) && *sock != '\0')
        c->config_connect = xstrdup(sock);
    config_setting_t *list = config_lookup(conf, "accounts");
    const char *me = unix_user_name();
    if (list != NULL && me != NULL) {
        for (int i = 0; i < config_setting_length(list); i++) {
            config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
            const char *u = NULL, *a = NULL;
            if (config_setting_lookup_string(e, "user", &u) &&
                config_setting_lookup_string(e, "account", &a) && strcmp(u, me) == 0) {
                free(c->config_account);
                c->config_account = xstrdup(a);
            }
        }
    }
    c->conf = conf;
    free(path);
    return CC_OK;
}

/* A certcon.conf holds a few lines; anything larger is not one. */
#define CONFIG_FILE_MAX (1u << 20)

int
config_file_load_served(struct cli *c, const char *path, char **cause)
{
    void *data = NULL;
    size_t n = 0;
    int rc = cli_read_file(c, path, CONFIG_FILE_MAX, &data, &n, cause);
    if (rc != CC_OK)
        return rc;
    char *text = xmalloc(n + 1);
    memcpy(text, data, n);
    text[n] = '\0';
    free(data);
    if (strlen(text) != n) {
        free(text);
        return cc_fail(cause, CC_EPARSE, "%s: not a text file", path);
    }
    /* the service would open an included file itself, with its own rights */
    for (const char *p = text; (p = strstr(p, "@include")) != NULL; p++) {
        const char *bol = p;
        while (bol > text && (bol[-1] == ' ' || bol[-1] == '\t'))
            bol--;
        if (bol == text || bol[-1] == '\n') {
            free(text);
            return cc_fail(cause, CC_EINVAL,
                           "%s: @include cannot be used in a certcon.conf given to the CA "
                           "service; put the settings in the file itself",
                           path);
        }
    }
    config_t *conf = xmalloc(sizeof *conf);
    config_init(conf);
    if (!config_read_string(conf, text)) {
        rc = cc_fail(cause, CC_EPARSE, "%s:%d: %s", path, config_error_line(conf),
                     config_error_text(conf));
        config_destroy(conf);
        free(conf);
        free(text);
        return rc;
    }
    free(text);
    if (c->conf != NULL) {
        config_destroy(c->conf);
        free(c->conf);
    }
    c->conf = conf;
    return CC_OK;
}

void
config_file_free(struct cli *c)
{
    free(c->config_connect);
    c->config_connect = NULL;
    if (c->conf != NULL) {
        config_destroy(c->conf);
        free(c->conf);
        c->conf = NULL;
    }
}
