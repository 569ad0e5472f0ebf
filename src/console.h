/*
 * The console's entry point, called when certcon runs without a command.
 */
#ifndef CERTCON_CONSOLE_H
#define CERTCON_CONSOLE_H

#include "cli.h"

int console_main(struct cli *c);

#endif
