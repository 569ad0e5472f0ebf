/*
 * Transitional: the SQLite handle for modules not yet moved to the
 * statement API of store.h. Goes once none includes it.
 */
#ifndef CERTCON_STORE_SQLITE_H
#define CERTCON_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"

sqlite3 *store_db(struct store *st);
int store_prepare_sqlite(struct store *st, const char *sql, sqlite3_stmt **out, char **cause);

#endif
