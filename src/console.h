/*
 * The console's entry point, called when certcon runs without a command.
 */
#ifndef CERTCON_CONSOLE_H
#define CERTCON_CONSOLE_H

#include "cli.h"
#include "host.h"

/* Opens the store as the acting account and describes it to the console. */
int console_host(struct cli *c, struct ui_host *h);
int console_main(struct cli *c);

#endif
