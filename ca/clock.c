/*
 * The lab clock: a pinned "now" for labs and tests, the system clock
 * otherwise. Times are always UTC.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "status.h"
#include "util.h"

static int
days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int
cc_time_parse(const char *s, time_t *out, char **cause)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    size_t len = strlen(s);
    int ok = 0;
    /* every position is a digit except the separators: %2d alone would take " 6" or "+1" */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    for (size_t i = 0; i < len && i < sizeof shape - 1; i++) {
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return cc_fail(cause, CC_EINVAL,
                           "'%s' is not a date: use 2027-10-26 or 2027-10-26T09:00:00Z (UTC)",
                           s);
    }
    if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10)
        ok = 1;
    else if (len == 20 && sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec,
                                 &n) == 6 && n == 20)
        ok = 1;
    if (!ok || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
        h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
        return cc_fail(cause, CC_EINVAL,
                       "'%s' is not a date: use 2027-10-26 or 2027-10-26T09:00:00Z (UTC)", s);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    *out = timegm(&tm);
    return CC_OK;
}

const char *
cc_time_format(time_t t, char *buf, unsigned size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

const char *
cc_date_format(time_t t, char *buf, unsigned size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d", &tm);
    return buf;
}
