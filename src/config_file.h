/*
 * certcon.conf: the settings a person writes (libconfig). Read once at
 * start; the console reads its key bindings and colours from c->conf.
 */
#ifndef CERTCON_CONFIG_FILE_H
#define CERTCON_CONFIG_FILE_H

#include "cli.h"

/* The path used when --config is not given; allocated. */
char *config_file_default_path(void);
/* Loads c->config_path (or the default); a missing file is not an error. */
int config_file_load(struct cli *c, char **cause);
/*
 * A client's certcon.conf in the service: read through the client (its
 * permissions, its working directory) and used for its console's keys and
 * colours only; who the client is never comes from it. Replaces c->conf.
 */
int config_file_load_served(struct cli *c, const char *path, char **cause);
void config_file_free(struct cli *c);

#endif
