/*
 * The console's entry point: certcon without a command opens the
 * full-screen console, which lives in ui/ (ui/app.c runs it).
 */
#include "config.h"

#include "app.h"
#include "console.h"

int
console_main(struct cli *c)
{
    return ui_app_run(c);
}
