/*
 * Dates and times as certcon reads and writes them. "Now" is not here: it
 * belongs to the context an operation runs in (context.h), so a trainer can
 * move a class forward with --now or CERTCON_NOW without touching the system
 * clock, and no process-wide setting decides it.
 */
#ifndef CERTCON_CLOCK_H
#define CERTCON_CLOCK_H

#include <time.h>

/*
 * Parses an ISO 8601 date (2027-10-26, midnight UTC) or UTC date-time
 * (2027-10-26T09:00:00Z); CC_OK or CC_EINVAL with a cause.
 */
int cc_time_parse(const char *s, time_t *out, char **cause);
/* Formats t as 2027-10-26T09:00:00Z into buf (at least 21 bytes). */
const char *cc_time_format(time_t t, char *buf, unsigned size);
/* Formats t as 2027-10-26 into buf (at least 11 bytes). */
const char *cc_date_format(time_t t, char *buf, unsigned size);

#endif
