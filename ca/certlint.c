/*
 * The linter walks the DER once, in place, with a small TLV reader rather
 * than libtasn1 element trees: it runs before every signature, and with an
 * EC CA key a libtasn1 tree of a certificate costs more than signing it
 * (ca/issue.c). Findings are allocated only when a rule is broken, so a
 * clean certificate costs the walk and nothing else.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certlint.h"
#include "status.h"
#include "util.h"

static const struct certlint_rule_info rules[CERTLINT_RULE_COUNT] = {
#define CERTLINT_INFO(id, name, error, section, text)                                              \
    [CERTLINT_##id] = {name, error, section, text},
    CERTLINT_RULES(CERTLINT_INFO)
#undef CERTLINT_INFO
};

const struct certlint_rule_info *
certlint_rule(int rule)
{
    if (rule < 0 || rule >= CERTLINT_RULE_COUNT)
        return NULL;
    return &rules[rule];
}

void
certlint_result_free(struct certlint_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].detail);
    free(r->v);
    memset(r, 0, sizeof *r);
}

static void finding(struct certlint_result *r, int rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finding(struct certlint_result *r, int rule, const char *fmt, ...)
{
    /* one finding per rule and place is enough; a rule repeated in a list is reported once */
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].rule == rule)
            return;
    struct certlint_finding *v = realloc(r->v, (r->n + 1) * sizeof *v);
    if (v == NULL) {
        r->oom = 1;
        r->errors += rules[rule].error; /* never let lost memory pass a certificate */
        return;
    }
    r->v = v;
    va_list ap;
    va_start(ap, fmt);
    v[r->n].rule = rule;
    v[r->n].detail = cc_vasprintf(fmt, ap);
    va_end(ap);
    r->n++;
    r->errors += rules[rule].error;
}

/* --- a TLV reader --- */

struct der {
    const unsigned char *p;
    size_t n;
};

/*
 * Takes the next TLV (single-byte tag, definite and minimal length of at
 * most four octets): *tag, content *val, whole TLV *all (may be NULL).
 */
static int
take(struct der *c, unsigned char *tag, struct der *val, struct der *all)
{
    const unsigned char *p = c->p;
    size_t n = c->n, len = 0, hdr;
    if (n < 2 || (p[0] & 0x1F) == 0x1F)
        return 0;
    if (p[1] < 0x80) {
        len = p[1];
        hdr = 2;
    } else {
        size_t k = p[1] & 0x7F;
        if (k == 0 || k > 4 || n < 2 + k || p[2] == 0)
            return 0;
        for (size_t i = 0; i < k; i++)
            len = len << 8 | p[2 + i];
        if (len < 0x80)
            return 0;
        hdr = 2 + k;
    }
    if (len > n - hdr)
        return 0;
    *tag = p[0];
    val->p = p + hdr;
    val->n = len;
    if (all) {
        all->p = p;
        all->n = hdr + len;
    }
    c->p += hdr + len;
    c->n -= hdr + len;
    return 1;
}

static int
take_tag(struct der *c, unsigned char want, struct der *val, struct der *all)
{
    unsigned char tag;
    struct der save = *c;
    if (!take(c, &tag, val, all))
        return 0;
    if (tag != want) {
        *c = save;
        return 0;
    }
    return 1;
}

static int
peek(const struct der *c)
{
    return c->n > 0 ? c->p[0] : -1;
}

#define OID_IS(d, lit) ((d)->n == sizeof(lit) - 1 && memcmp((d)->p, (lit), sizeof(lit) - 1) == 0)

#define DER_CN             "\x55\x04\x03"
#define DER_C              "\x55\x04\x06"
#define DER_L              "\x55\x04\x07"
#define DER_ST             "\x55\x04\x08"
#define DER_O              "\x55\x04\x0A"
#define DER_OU             "\x55\x04\x0B"
#define DER_EMAIL          "\x2A\x86\x48\x86\xF7\x0D\x01\x09\x01"
#define DER_KU             "\x55\x1D\x0F"
#define DER_SAN            "\x55\x1D\x11"
#define DER_BC             "\x55\x1D\x13"
#define DER_AKI            "\x55\x1D\x23"
#define DER_CRL_NUMBER     "\x55\x1D\x14"
#define DER_CRL_REASON     "\x55\x1D\x15"
#define DER_UPN            "\x2B\x06\x01\x04\x01\x82\x37\x14\x02\x03"
#define DER_DS_GUID        "\x2B\x06\x01\x04\x01\x82\x37\x19\x01"
#define DER_EXT_REQUEST    "\x2A\x86\x48\x86\xF7\x0D\x01\x09\x0E"
#define DER_MS_EXT_REQUEST "\x2B\x06\x01\x04\x01\x82\x37\x02\x01\x0E"
#define DER_RSA            "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x01"
#define DER_RSA_PSS        "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0A"
#define DER_EC             "\x2A\x86\x48\xCE\x3D\x02\x01"
#define DER_ED25519        "\x2B\x65\x70"
#define DER_ED448          "\x2B\x65\x71"

/* --- names --- */

/* Decodes one UTF-8 character at s (n bytes left); 0 on a bad sequence. */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t k;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        k = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return k;
}

static int
is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

static int
printable_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           strchr(" '()+,-./:=?", c) != NULL;
}

/*
 * Checks a directory string's encoding and counts its characters. Returns
 * the number of characters, or -1 when the encoding is broken (reported).
 */
static long
string_chars(struct certlint_result *r, unsigned char tag, const struct der *v, const char *where)
{
    long chars = 0;
    int control = 0;
    switch (tag) {
    case 0x0C: /* UTF8String */
        for (size_t i = 0; i < v->n;) {
            uint32_t cp;
            size_t k = utf8_next(v->p + i, v->n - i, &cp);
            if (k == 0) {
                finding(r, CERTLINT_NAME_UTF8_INVALID, "%s is not valid UTF-8", where);
                return -1;
            }
            control |= is_control(cp);
            i += k;
            chars++;
        }
        break;
    case 0x13: /* PrintableString */
        for (size_t i = 0; i < v->n; i++) {
            if (!printable_char(v->p[i])) {
                if (is_control(v->p[i]))
                    finding(r, CERTLINT_NAME_CONTROL_CHAR, "%s holds control character 0x%02x",
                            where, v->p[i]);
                finding(r, CERTLINT_NAME_PRINTABLE_BAD_CHAR,
                        "%s holds 0x%02x, not in PrintableString", where, v->p[i]);
                return -1;
            }
        }
        chars = (long)v->n;
        break;
    case 0x1E: /* BMPString */
        if (v->n % 2) {
            finding(r, CERTLINT_NAME_BMP_ODD_LENGTH, "%s has %zu octets", where, v->n);
            return -1;
        }
        for (size_t i = 0; i < v->n; i += 2)
            control |= is_control((uint32_t)v->p[i] << 8 | v->p[i + 1]);
        chars = (long)(v->n / 2);
        break;
    case 0x1C: /* UniversalString */
        if (v->n % 4) {
            finding(r, CERTLINT_DER_MALFORMED, "%s: a UniversalString of %zu octets", where, v->n);
            return -1;
        }
        for (size_t i = 0; i < v->n; i += 4)
            control |= is_control((uint32_t)v->p[i] << 24 | (uint32_t)v->p[i + 1] << 16 |
                                  (uint32_t)v->p[i + 2] << 8 | v->p[i + 3]);
        chars = (long)(v->n / 4);
        break;
    case 0x16: /* IA5String */
        for (size_t i = 0; i < v->n; i++) {
            if (v->p[i] >= 0x80) {
                finding(r, CERTLINT_DER_MALFORMED, "%s: an IA5String holds 0x%02x", where, v->p[i]);
                return -1;
            }
            control |= is_control(v->p[i]);
        }
        chars = (long)v->n;
        break;
    default: /* TeletexString and the rest: octets */
        for (size_t i = 0; i < v->n; i++)
            control |= is_control(v->p[i]);
        chars = (long)v->n;
        break;
    }
    if (control)
        finding(r, CERTLINT_NAME_CONTROL_CHAR, "%s holds a control character", where);
    return chars;
}

/* Upper bounds of RFC 5280 Appendix A, in characters. */
static const struct {
    const char *der;
    size_t n;
    long max;
    int rule;
    const char *name;
} bounds[] = {
    {DER_CN, 3, 64, CERTLINT_SUBJECT_CN_MAX_LENGTH, "commonName"},
    {DER_O, 3, 64, CERTLINT_SUBJECT_O_MAX_LENGTH, "organizationName"},
    {DER_OU, 3, 64, CERTLINT_SUBJECT_OU_MAX_LENGTH, "organizationalUnitName"},
    {DER_L, 3, 128, CERTLINT_SUBJECT_L_MAX_LENGTH, "localityName"},
    {DER_ST, 3, 128, CERTLINT_SUBJECT_ST_MAX_LENGTH, "stateOrProvinceName"},
    {DER_EMAIL, 9, 255, CERTLINT_SUBJECT_EMAIL_MAX_LENGTH, "emailAddress"},
};

/*
 * Walks a Name. Every attribute value's encoding is checked; with
 * is_subject, also the upper bounds. *empty says whether it has no RDN.
 */
static int
lint_name(struct certlint_result *r, const struct der *name, int is_subject, int *empty)
{
    struct der c = *name, rdn, atv, oid, val;
    unsigned char tag;
    *empty = c.n == 0;
    const char *which = is_subject ? "the subject" : "the issuer";
    while (c.n > 0) {
        if (!take_tag(&c, 0x31, &rdn, NULL) || rdn.n == 0)
            return 0;
        while (rdn.n > 0) {
            if (!take_tag(&rdn, 0x30, &atv, NULL) || !take_tag(&atv, 0x06, &oid, NULL) ||
                !take(&atv, &tag, &val, NULL) || atv.n != 0)
                return 0;
            size_t b = 0;
            while (b < sizeof bounds / sizeof bounds[0] &&
                   !(oid.n == bounds[b].n && memcmp(oid.p, bounds[b].der, oid.n) == 0))
                b++;
            char where[96];
            snprintf(where, sizeof where, "%s %s of %s",
                     b < sizeof bounds / sizeof bounds[0] ? bounds[b].name
                     : OID_IS(&oid, DER_C)                ? "countryName"
                                                          : "attribute",
                     tag == 0x0C   ? "(UTF8String)"
                     : tag == 0x13 ? "(PrintableString)"
                     : tag == 0x1E ? "(BMPString)"
                                   : "value",
                     which);
            if (val.n == 0) {
                finding(r, CERTLINT_NAME_EMPTY_VALUE, "%s is empty", where);
                continue;
            }
            long chars = string_chars(r, tag, &val, where);
            if (chars < 0 || !is_subject)
                continue;
            if (b < sizeof bounds / sizeof bounds[0] && chars > bounds[b].max)
                finding(r, bounds[b].rule, "%s has %ld characters; at most %ld are allowed", where,
                        chars, bounds[b].max);
            if (OID_IS(&oid, DER_C) &&
                (val.n != 2 || !((val.p[0] | 0x20) >= 'a' && (val.p[0] | 0x20) <= 'z' &&
                                 (val.p[1] | 0x20) >= 'a' && (val.p[1] | 0x20) <= 'z')))
                finding(r, CERTLINT_SUBJECT_COUNTRY_NOT_TWO_LETTERS,
                        "countryName of the subject is %zu octets, not two letters", val.n);
        }
    }
    return 1;
}

/* --- subject alternative names --- */

static int
ldh(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* Checks a host name; rules are reported under the dNSName rules unless as_rule is set. */
static int
lint_hostname(struct certlint_result *r, const unsigned char *s, size_t n, int wildcard_ok,
              int as_rule, const char *what)
{
    int bad = 0;
#define HOST_FINDING(rule, ...)                                                                    \
    do {                                                                                           \
        finding(r, as_rule ? as_rule : (rule), __VA_ARGS__);                                       \
        bad = 1;                                                                                   \
    } while (0)
    if (n > 253)
        HOST_FINDING(CERTLINT_SAN_DNS_TOO_LONG, "%s has %zu characters; at most 253 are allowed",
                     what, n);
    size_t start = 0;
    for (size_t label = 0;; label++) {
        size_t end = start;
        while (end < n && s[end] != '.')
            end++;
        size_t len = end - start;
        const unsigned char *l = s + start;
        if (len == 1 && l[0] == '*' && label == 0 && wildcard_ok && end < n) {
            /* a wildcard as the whole leftmost label */
        } else if (memchr(l, '*', len) != NULL) {
            HOST_FINDING(CERTLINT_SAN_DNS_BAD_WILDCARD,
                         "%s has a '*' that is not the whole leftmost label", what);
        } else if (len == 0) {
            HOST_FINDING(CERTLINT_SAN_DNS_BAD_LABEL, "%s has an empty label", what);
        } else {
            if (len > 63)
                HOST_FINDING(CERTLINT_SAN_DNS_LABEL_TOO_LONG,
                             "%s has a label of %zu characters; at most 63 are allowed", what, len);
            int chars_ok = 1;
            for (size_t i = 0; i < len; i++)
                chars_ok &= ldh(l[i]);
            if (!chars_ok)
                HOST_FINDING(CERTLINT_SAN_DNS_BAD_LABEL,
                             "%s has a label with characters other than letters, digits and '-'",
                             what);
            else if (l[0] == '-' || l[len - 1] == '-')
                HOST_FINDING(CERTLINT_SAN_DNS_BAD_LABEL,
                             "%s has a label that starts or ends with '-'", what);
        }
        if (end >= n)
            break;
        start = end + 1;
    }
#undef HOST_FINDING
    return bad;
}

/*
 * `dNSName "not a host!!"` into buf: the name a finding is about, so that a
 * failed request's message names it. Only printable ASCII is copied (a host
 * name holds nothing else; anything else shows as '?'), and a long name is
 * cut with "...".
 */
static void
lint_quote_name(char *buf, size_t size, const char *kind, const unsigned char *s, size_t n)
{
    size_t max = size - strlen(kind) - 8, len = 0;
    char *q = buf + snprintf(buf, size, "%s \"", kind);
    for (size_t i = 0; i < n && len < max; i++, len++)
        *q++ = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
    if (len < n)
        q += sprintf(q, "...");
    *q++ = '"';
    *q = '\0';
}

/* The first thing wrong with a host name that lint_hostname refused, in a few words. */
static const char *
dns_name_reason(const char *s, size_t n, int wildcard_ok, char *buf, size_t size)
{
    for (size_t i = 0; i < n; i++)
        if (is_control((unsigned char)s[i]))
            return "holds a control character";
    for (size_t i = 0; i < n; i++)
        if (!ldh((unsigned char)s[i]) && s[i] != '.' && s[i] != '*') {
            if ((unsigned char)s[i] >= 0x80)
                return "holds a character other than a letter, digit, '-' or '.'";
            snprintf(buf, size, "'%c' is not a letter, digit, '-' or '.'", s[i]);
            return buf;
        }
    const char *star = memchr(s, '*', n);
    if (star != NULL && !(wildcard_ok && star == s && n > 2 && s[1] == '.' &&
                          memchr(s + 1, '*', n - 1) == NULL))
        return wildcard_ok ? "'*' is allowed only as the whole first label"
                           : "'*' is not allowed here";
    if (n > 253) {
        snprintf(buf, size, "%zu characters; at most 253 are allowed", n);
        return buf;
    }
    size_t start = 0;
    for (;;) {
        size_t end = start;
        while (end < n && s[end] != '.')
            end++;
        if (end == start)
            return "an empty label: two dots, or a dot at an end";
        if (s[start] == '-' || s[end - 1] == '-')
            return "a label starts or ends with '-'";
        if (end - start > 63) {
            snprintf(buf, size, "a label of %zu characters; at most 63", end - start);
            return buf;
        }
        if (end >= n)
            break;
        start = end + 1;
    }
    return NULL;
}

int
certlint_dns_name(const char *name, int wildcard_ok, char **cause)
{
    struct certlint_result r;
    memset(&r, 0, sizeof r);
    size_t n = strlen(name);
    int control = 0;
    for (size_t i = 0; i < n; i++)
        control |= is_control((unsigned char)name[i]);
    if (!control)
        lint_hostname(&r, (const unsigned char *)name, n, wildcard_ok, 0, "the name");
    int rc = CC_OK;
    if (r.oom) {
        rc = CC_ENOMEM;
    } else if (control || r.n > 0) {
        /* the lint decides; the reason is said shortly enough for a dialog's message line */
        char quoted[40], buf[64];
        lint_quote_name(quoted, sizeof quoted, "", (const unsigned char *)name, n);
        const char *why = dns_name_reason(name, n, wildcard_ok, buf, sizeof buf);
        rc = cc_fail(cause, CC_E_BAD_REQUESTSUBJECT, "%s: %s.", quoted + 1,
                     why ? why : r.v[0].detail);
    }
    certlint_result_free(&r);
    return rc;
}

/* local-part@domain: a printable local part and a host name. */
static void
lint_mailbox(struct certlint_result *r, const unsigned char *s, size_t n, int rule,
             const char *what)
{
    const unsigned char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    if (at == NULL || at == s || at == s + n - 1) {
        finding(r, rule, "%s is not local-part@domain", what);
        return;
    }
    for (const unsigned char *c = s; c < at; c++)
        if (*c <= 0x20 || *c == 0x7F) {
            finding(r, rule, "%s has a space or control character in its local part", what);
            return;
        }
    lint_hostname(r, at + 1, (size_t)(s + n - at - 1), 0, rule, what);
}

static void
lint_san(struct certlint_result *r, const struct der *value, int request)
{
    struct der c = *value, names, gn;
    unsigned char tag;
    if (!take_tag(&c, 0x30, &names, NULL) || c.n != 0) {
        finding(r, CERTLINT_DER_MALFORMED, "subjectAltName is not a GeneralNames");
        return;
    }
    if (names.n == 0) {
        finding(r, CERTLINT_SAN_EMPTY, "subjectAltName is an empty sequence");
        return;
    }
    while (names.n > 0) {
        if (!take(&names, &tag, &gn, NULL)) {
            finding(r, CERTLINT_DER_MALFORMED, "a subjectAltName entry is not DER");
            return;
        }
        switch (tag) {
        case 0x82: /* dNSName */
            for (size_t i = 0; i < gn.n; i++)
                if (is_control(gn.p[i])) {
                    finding(r, CERTLINT_NAME_CONTROL_CHAR,
                            "a dNSName holds control character 0x%02x", gn.p[i]);
                    break;
                }
            {
                char what[96];
                lint_quote_name(what, sizeof what, "dNSName", gn.p, gn.n);
                lint_hostname(r, gn.p, gn.n, 1, 0, what);
            }
            break;
        case 0x81: /* rfc822Name */
            lint_mailbox(r, gn.p, gn.n, CERTLINT_SAN_RFC822_BAD_SYNTAX, "an rfc822Name");
            break;
        case 0x86: { /* uniformResourceIdentifier */
            size_t i = 0;
            int ok = gn.n > 0 && ((gn.p[0] | 0x20) >= 'a' && (gn.p[0] | 0x20) <= 'z');
            while (ok && i < gn.n && gn.p[i] != ':')
                ok = ldh(gn.p[i]) || gn.p[i] == '+' || gn.p[i] == '.', i++;
            ok = ok && i < gn.n && i + 1 < gn.n;
            for (size_t k = 0; ok && k < gn.n; k++)
                ok = gn.p[k] > 0x20 && gn.p[k] < 0x7F;
            if (!ok)
                finding(r, CERTLINT_SAN_URI_BAD_SYNTAX,
                        "a uniformResourceIdentifier is not scheme:rest in printable ASCII");
            break;
        }
        case 0x87: /* iPAddress */
            if (gn.n != 4 && gn.n != 16)
                finding(r, CERTLINT_SAN_IP_BAD_LENGTH, "an iPAddress has %zu octets", gn.n);
            break;
        case 0xA0: { /* otherName */
            struct der oid, wrap, s;
            unsigned char st;
            if (!take_tag(&gn, 0x06, &oid, NULL) || !take_tag(&gn, 0xA0, &wrap, NULL) ||
                gn.n != 0) {
                finding(r, CERTLINT_DER_MALFORMED, "an otherName is not DER");
                break;
            }
            if (OID_IS(&oid, DER_UPN)) {
                if (!take(&wrap, &st, &s, NULL) || wrap.n != 0 || st != 0x0C) {
                    finding(r, CERTLINT_SAN_UPN_BAD_SYNTAX,
                            "a user principal name is not a UTF8String");
                    break;
                }
                if (string_chars(r, st, &s, "a user principal name") >= 0)
                    lint_mailbox(r, s.p, s.n, CERTLINT_SAN_UPN_BAD_SYNTAX, "a user principal name");
            } else if (request && !OID_IS(&oid, DER_DS_GUID)) {
                finding(r, CERTLINT_SAN_TYPE_NOT_ALLOWED,
                        "an otherName other than a user principal name");
            }
            break;
        }
        case 0xA3:
        case 0xA4:
        case 0xA5:
        case 0x88:
            if (request)
                finding(r, CERTLINT_SAN_TYPE_NOT_ALLOWED, "a %s",
                        tag == 0xA4   ? "directoryName"
                        : tag == 0x88 ? "registeredID"
                        : tag == 0xA3 ? "x400Address"
                                      : "ediPartyName");
            break;
        default:
            finding(r, CERTLINT_DER_MALFORMED, "a subjectAltName entry has tag 0x%02x", tag);
            return;
        }
    }
}

/* --- extensions --- */

/* What the extensions said, for the rules that relate several of them. */
struct ext_facts {
    int has_san, san_critical;
    int has_ku;
    unsigned ku; /* bit 0 digitalSignature ... bit 8 decipherOnly */
    int has_bc, bc_ca, bc_critical, bc_pathlen;
    int has_aki, has_crl_number;
};

#define KU_DIGITAL_SIGNATURE (1u << 0)
#define KU_NON_REPUDIATION   (1u << 1)
#define KU_KEY_ENCIPHERMENT  (1u << 2)
#define KU_DATA_ENCIPHERMENT (1u << 3)
#define KU_KEY_AGREEMENT     (1u << 4)
#define KU_KEY_CERT_SIGN     (1u << 5)
#define KU_CRL_SIGN          (1u << 6)
#define KU_ENCIPHER_ONLY     (1u << 7)
#define KU_DECIPHER_ONLY     (1u << 8)

static void
lint_key_usage(struct certlint_result *r, const struct der *value, struct ext_facts *f)
{
    struct der c = *value, bits;
    if (!take_tag(&c, 0x03, &bits, NULL) || c.n != 0 || bits.n == 0 || bits.p[0] > 7) {
        finding(r, CERTLINT_DER_MALFORMED, "keyUsage is not a BIT STRING");
        return;
    }
    f->has_ku = 1;
    for (size_t i = 1; i < bits.n && i < 3; i++)
        for (int b = 0; b < 8; b++)
            if (bits.p[i] & (0x80 >> b))
                f->ku |= 1u << ((i - 1) * 8 + (size_t)b);
    if (f->ku == 0)
        finding(r, CERTLINT_KEY_USAGE_EMPTY, "keyUsage has no bit set");
}

static void
lint_basic_constraints(struct certlint_result *r, const struct der *value, int critical,
                       struct ext_facts *f)
{
    struct der c = *value, seq, v;
    if (!take_tag(&c, 0x30, &seq, NULL) || c.n != 0) {
        finding(r, CERTLINT_DER_MALFORMED, "basicConstraints is not a SEQUENCE");
        return;
    }
    f->has_bc = 1;
    f->bc_critical = critical;
    if (take_tag(&seq, 0x01, &v, NULL))
        f->bc_ca = v.n == 1 && v.p[0] != 0;
    if (take_tag(&seq, 0x02, &v, NULL))
        f->bc_pathlen = 1;
    if (seq.n != 0)
        finding(r, CERTLINT_DER_MALFORMED, "basicConstraints has trailing data");
}

/* The extension OID as dotted text, for messages. */
static void
oid_text(const struct der *oid, char *buf, size_t size)
{
    size_t k = 0;
    uint64_t v = 0;
    int first = 1;
    buf[0] = '\0';
    for (size_t i = 0; i < oid->n && k + 24 < size; i++) {
        v = v << 7 | (oid->p[i] & 0x7F);
        if (oid->p[i] & 0x80)
            continue;
        if (first) {
            unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;
            k +=
                (size_t)snprintf(buf + k, size - k, "%u.%llu", a, (unsigned long long)(v - 40 * a));
            first = 0;
        } else {
            k += (size_t)snprintf(buf + k, size - k, ".%llu", (unsigned long long)v);
        }
        v = 0;
    }
}

enum ext_kind { EXT_CERT, EXT_CRL, EXT_CRL_ENTRY, EXT_REQUEST };

/*
 * Walks Extensions (the SEQUENCE's content). seen/nseen collect the OIDs
 * across calls (a request's several extensionRequest attributes).
 */
static int
lint_extensions(struct certlint_result *r, struct der exts, enum ext_kind kind, int names,
                struct ext_facts *f, struct der *seen, size_t *nseen, size_t maxseen)
{
    struct der ext, oid, crit, val;
    if (exts.n == 0 && kind != EXT_REQUEST)
        return 0; /* RFC 5280: Extensions is SIZE (1..MAX) */
    while (exts.n > 0) {
        int critical = 0;
        if (!take_tag(&exts, 0x30, &ext, NULL) || !take_tag(&ext, 0x06, &oid, NULL))
            return 0;
        if (take_tag(&ext, 0x01, &crit, NULL)) {
            if (crit.n != 1 || crit.p[0] != 0xFF)
                return 0; /* DER writes only TRUE; FALSE is the default */
            critical = 1;
        }
        if (!take_tag(&ext, 0x04, &val, NULL) || ext.n != 0)
            return 0;
        for (size_t i = 0; i < *nseen; i++)
            if (seen[i].n == oid.n && memcmp(seen[i].p, oid.p, oid.n) == 0) {
                char t[128];
                oid_text(&oid, t, sizeof t);
                finding(r, CERTLINT_EXT_DUPLICATE, "extension %s appears more than once", t);
                break;
            }
        if (*nseen < maxseen)
            seen[(*nseen)++] = oid;
        if (kind == EXT_CERT || (kind == EXT_REQUEST && names)) {
            if (OID_IS(&oid, DER_SAN)) {
                f->has_san = 1;
                f->san_critical = critical;
                lint_san(r, &val, kind == EXT_REQUEST);
            }
        }
        if (kind == EXT_CERT) {
            if (OID_IS(&oid, DER_KU))
                lint_key_usage(r, &val, f);
            else if (OID_IS(&oid, DER_BC))
                lint_basic_constraints(r, &val, critical, f);
        } else if (kind == EXT_CRL) {
            if (OID_IS(&oid, DER_AKI)) {
                f->has_aki = 1;
            } else if (OID_IS(&oid, DER_CRL_NUMBER)) {
                struct der c = val, num;
                f->has_crl_number = 1;
                if (!take_tag(&c, 0x02, &num, NULL) || c.n != 0 || num.n == 0)
                    return 0;
                if ((num.p[0] & 0x80) || num.n > 20)
                    finding(r, CERTLINT_CRL_NUMBER_BAD, "cRLNumber is %s",
                            num.p[0] & 0x80 ? "negative" : "longer than 20 octets");
            }
        } else if (kind == EXT_CRL_ENTRY && OID_IS(&oid, DER_CRL_REASON)) {
            struct der c = val, e;
            if (!take_tag(&c, 0x0A, &e, NULL) || c.n != 0 || e.n == 0)
                return 0;
            if (e.n == 1 && e.p[0] == 0)
                finding(r, CERTLINT_CRL_REASON_UNSPECIFIED,
                        "an entry carries reason code unspecified");
        }
    }
    return 1;
}

/* --- times --- */

static int
digits(const unsigned char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; timegm without the locale). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/*
 * Reads a Time (UTCTime or GeneralizedTime) and checks RFC 5280's forms:
 * 0 not a Time, 1 read into *out, 2 a Time whose text is broken (reported).
 */
static int
lint_time(struct certlint_result *r, struct der *c, const char *what, int64_t *out)
{
    unsigned char tag;
    struct der v;
    if (!take(c, &tag, &v, NULL) || (tag != 0x17 && tag != 0x18))
        return 0;
    size_t yl = tag == 0x17 ? 2 : 4;
    int y, mo, d, h, mi, s;
    if (v.n != yl + 11 || v.p[v.n - 1] != 'Z' || !digits(v.p, yl, &y) ||
        !digits(v.p + yl, 2, &mo) || !digits(v.p + yl + 2, 2, &d) || !digits(v.p + yl + 4, 2, &h) ||
        !digits(v.p + yl + 6, 2, &mi) || !digits(v.p + yl + 8, 2, &s) || mo < 1 || mo > 12 ||
        d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
        finding(r, CERTLINT_TIME_FORMAT, "%s is not %s", what,
                tag == 0x17 ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ");
        *out = 0;
        return 2; /* read, but not a time to compare */
    }
    if (tag == 0x17)
        y += y < 50 ? 2000 : 1900;
    else if (y < 2050)
        finding(r, CERTLINT_TIME_FORMAT, "%s is a GeneralizedTime before 2050", what);
    *out = (days_from_civil(y, mo, d) * 24 + h) * 3600 + mi * 60 + s;
    return 1;
}

/* --- certificates --- */

enum key_kind { KEY_OTHER, KEY_RSA, KEY_EC, KEY_EDDSA };

static enum key_kind
key_kind(const struct der *spki)
{
    struct der c = *spki, info, alg, oid;
    if (!take_tag(&c, 0x30, &info, NULL) || !take_tag(&info, 0x30, &alg, NULL) ||
        !take_tag(&alg, 0x06, &oid, NULL))
        return KEY_OTHER;
    if (OID_IS(&oid, DER_RSA) || OID_IS(&oid, DER_RSA_PSS))
        return KEY_RSA;
    if (OID_IS(&oid, DER_EC))
        return KEY_EC;
    if (OID_IS(&oid, DER_ED25519) || OID_IS(&oid, DER_ED448))
        return KEY_EDDSA;
    return KEY_OTHER;
}

#define MAX_EXTS 64

/* Splits a signed object into its signed part, checking the algorithm fields agree. */
static int
unwrap_signed(struct certlint_result *r, const unsigned char *der, size_t n, struct der *tbs,
              struct der *alg_out)
{
    struct der in = {der, n}, outer, alg, sig;
    if (!take_tag(&in, 0x30, &outer, NULL) || in.n != 0 || !take_tag(&outer, 0x30, tbs, NULL) ||
        !take_tag(&outer, 0x30, &alg, alg_out) || !take_tag(&outer, 0x03, &sig, NULL) ||
        outer.n != 0)
        return 0;
    (void)r;
    return 1;
}

static int
lint_tbs_certificate(struct certlint_result *r, struct der c, const struct der *outer_alg,
                     const struct certlint_context *ctx)
{
    struct der v, serial, sigalg, issuer, validity, subject, spki, exts = {NULL, 0};
    struct ext_facts f = {0};
    if (peek(&c) == 0xA0 && !take_tag(&c, 0xA0, &v, NULL))
        return 0;
    if (!take_tag(&c, 0x02, &serial, NULL) || serial.n == 0 || !take_tag(&c, 0x30, &v, &sigalg) ||
        !take_tag(&c, 0x30, &issuer, NULL) || !take_tag(&c, 0x30, &validity, NULL) ||
        !take_tag(&c, 0x30, &subject, NULL) || !take_tag(&c, 0x30, &v, &spki))
        return 0;
    if (peek(&c) == 0x81 && !take_tag(&c, 0x81, &v, NULL))
        return 0;
    if (peek(&c) == 0x82 && !take_tag(&c, 0x82, &v, NULL))
        return 0;
    if (peek(&c) == 0xA3) {
        struct der wrap;
        if (!take_tag(&c, 0xA3, &wrap, NULL) || !take_tag(&wrap, 0x30, &exts, NULL) || wrap.n != 0)
            return 0;
    }
    if (c.n != 0)
        return 0;
    if (outer_alg && (outer_alg->n != sigalg.n || memcmp(outer_alg->p, sigalg.p, sigalg.n) != 0))
        finding(r, CERTLINT_SIGNATURE_ALGORITHM_MISMATCH,
                "signatureAlgorithm differs from the TBSCertificate's signature");

    if (serial.p[0] & 0x80)
        finding(r, CERTLINT_SERIAL_NOT_POSITIVE, "the serial number is negative");
    else if (serial.n == 1 && serial.p[0] == 0)
        finding(r, CERTLINT_SERIAL_NOT_POSITIVE, "the serial number is zero");
    if (serial.n > 20)
        finding(r, CERTLINT_SERIAL_TOO_LONG, "the serial number has %zu octets", serial.n);

    int64_t nb, na;
    int t1 = lint_time(r, &validity, "notBefore", &nb);
    int t2 = t1 ? lint_time(r, &validity, "notAfter", &na) : 0;
    if (!t1 || !t2 || validity.n != 0)
        return 0;
    int times = t1 == 1 && t2 == 1;
    if (times && na < nb)
        finding(r, CERTLINT_VALIDITY_NEGATIVE, "notAfter is before notBefore");
    if (times && ctx && (ctx->issuer_not_before || ctx->issuer_not_after) &&
        (nb < (int64_t)ctx->issuer_not_before || na > (int64_t)ctx->issuer_not_after))
        finding(r, CERTLINT_VALIDITY_OUTSIDE_ISSUER,
                "the validity reaches outside the CA certificate's");

    int issuer_empty, subject_empty;
    if (!lint_name(r, &issuer, 0, &issuer_empty) || !lint_name(r, &subject, 1, &subject_empty))
        return 0;
    struct der seen[MAX_EXTS];
    size_t nseen = 0;
    if (exts.p && !lint_extensions(r, exts, EXT_CERT, 1, &f, seen, &nseen, MAX_EXTS))
        return 0;

    if (subject_empty && !f.has_san)
        finding(r, CERTLINT_SUBJECT_EMPTY_WITHOUT_SAN,
                "the subject is empty and there is no subjectAltName");
    else if (subject_empty && !f.san_critical)
        finding(r, CERTLINT_SUBJECT_EMPTY_SAN_NOT_CRITICAL,
                "the subject is empty and subjectAltName is not critical");
    if (f.has_ku && (f.ku & KU_KEY_CERT_SIGN) && !f.bc_ca)
        finding(r, CERTLINT_KEY_USAGE_CERT_SIGN_WITHOUT_CA,
                "keyCertSign is set and basicConstraints %s",
                f.has_bc ? "says cA FALSE" : "is absent");
    if (f.bc_ca && f.has_ku && !(f.ku & KU_KEY_CERT_SIGN))
        finding(r, CERTLINT_CA_KEY_CERT_SIGN_NOT_SET, "a CA certificate lacks keyCertSign");
    if (f.bc_ca && !f.bc_critical)
        finding(r, CERTLINT_CA_BASIC_CONSTRAINTS_NOT_CRITICAL,
                "basicConstraints with cA is not critical");
    if (f.bc_pathlen && !f.bc_ca)
        finding(r, CERTLINT_PATH_LEN_WITHOUT_CA, "pathLenConstraint is set and cA is not");
    if (f.has_ku) {
        enum key_kind k = key_kind(&spki);
        unsigned bad =
            k == KEY_RSA  ? KU_KEY_AGREEMENT | KU_ENCIPHER_ONLY | KU_DECIPHER_ONLY
            : k == KEY_EC ? KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT
            : k == KEY_EDDSA
                ? ~(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION | KU_KEY_CERT_SIGN | KU_CRL_SIGN)
                : 0;
        if (f.ku & bad)
            finding(r, CERTLINT_KEY_USAGE_BAD_FOR_KEY, "keyUsage 0x%03x does not fit %s key",
                    f.ku & bad,
                    k == KEY_RSA  ? "an RSA"
                    : k == KEY_EC ? "an EC"
                                  : "an EdDSA");
    }
    return 1;
}

static int
malformed(struct certlint_result *r, const char *what)
{
    finding(r, CERTLINT_DER_MALFORMED, "%s", what);
    return CC_OK;
}

int
certlint_certificate(const unsigned char *der, size_t n, int is_tbs,
                     const struct certlint_context *ctx, struct certlint_result *out)
{
    memset(out, 0, sizeof *out);
    struct der tbs, alg;
    if (is_tbs) {
        struct der in = {der, n};
        if (!take_tag(&in, 0x30, &tbs, NULL) || in.n != 0)
            return malformed(out, "the TBSCertificate is not a DER SEQUENCE");
    } else if (!unwrap_signed(out, der, n, &tbs, &alg)) {
        return malformed(out, "the certificate is not a DER Certificate");
    }
    if (!lint_tbs_certificate(out, tbs, is_tbs ? NULL : &alg, ctx))
        malformed(out, "the TBSCertificate does not follow RFC 5280's syntax");
    return out->oom ? CC_ENOMEM : CC_OK;
}

/* --- CRLs --- */

static int
lint_tbs_crl(struct certlint_result *r, struct der c, const struct der *outer_alg)
{
    struct der v, sigalg, issuer, revoked = {NULL, 0}, exts = {NULL, 0};
    struct ext_facts f = {0};
    if (peek(&c) == 0x02 && (!take_tag(&c, 0x02, &v, NULL) || v.n != 1 || v.p[0] != 1))
        return 0;
    if (!take_tag(&c, 0x30, &v, &sigalg) || !take_tag(&c, 0x30, &issuer, NULL))
        return 0;
    int64_t this_update, next_update = 0;
    int t1 = lint_time(r, &c, "thisUpdate", &this_update), t2 = 1;
    if (!t1)
        return 0;
    int have_next = peek(&c) == 0x17 || peek(&c) == 0x18;
    if (have_next && !(t2 = lint_time(r, &c, "nextUpdate", &next_update)))
        return 0;
    int have_revoked = peek(&c) == 0x30;
    if (have_revoked && !take_tag(&c, 0x30, &revoked, NULL))
        return 0;
    if (peek(&c) == 0xA0) {
        struct der wrap;
        if (!take_tag(&c, 0xA0, &wrap, NULL) || !take_tag(&wrap, 0x30, &exts, NULL) || wrap.n != 0)
            return 0;
    }
    if (c.n != 0)
        return 0;
    if (outer_alg && (outer_alg->n != sigalg.n || memcmp(outer_alg->p, sigalg.p, sigalg.n) != 0))
        finding(r, CERTLINT_SIGNATURE_ALGORITHM_MISMATCH,
                "signatureAlgorithm differs from the TBSCertList's signature");
    int empty;
    if (!lint_name(r, &issuer, 0, &empty))
        return 0;
    if (!have_next)
        finding(r, CERTLINT_CRL_NEXT_UPDATE_MISSING, "the CRL has no nextUpdate");
    else if (t1 == 1 && t2 == 1 && next_update < this_update)
        finding(r, CERTLINT_CRL_NEXT_UPDATE_BEFORE_THIS, "nextUpdate is before thisUpdate");
    if (have_revoked && revoked.n == 0)
        finding(r, CERTLINT_CRL_EMPTY_REVOKED_LIST, "revokedCertificates is an empty sequence");
    while (revoked.n > 0) {
        struct der entry, serial, eexts;
        int64_t when;
        if (!take_tag(&revoked, 0x30, &entry, NULL) || !take_tag(&entry, 0x02, &serial, NULL) ||
            serial.n == 0 || !lint_time(r, &entry, "a revocationDate", &when))
            return 0;
        if (entry.n > 0) {
            struct der seen[16];
            size_t nseen = 0;
            if (!take_tag(&entry, 0x30, &eexts, NULL) || entry.n != 0 ||
                !lint_extensions(r, eexts, EXT_CRL_ENTRY, 0, &f, seen, &nseen, 16))
                return 0;
        }
    }
    struct der seen[MAX_EXTS];
    size_t nseen = 0;
    if (exts.p && !lint_extensions(r, exts, EXT_CRL, 0, &f, seen, &nseen, MAX_EXTS))
        return 0;
    if (!f.has_aki)
        finding(r, CERTLINT_CRL_AKI_MISSING, "the CRL has no authorityKeyIdentifier");
    if (!f.has_crl_number)
        finding(r, CERTLINT_CRL_NUMBER_MISSING, "the CRL has no cRLNumber");
    return 1;
}

int
certlint_crl(const unsigned char *der, size_t n, int is_tbs, struct certlint_result *out)
{
    memset(out, 0, sizeof *out);
    struct der tbs, alg;
    if (is_tbs) {
        struct der in = {der, n};
        if (!take_tag(&in, 0x30, &tbs, NULL) || in.n != 0)
            return malformed(out, "the TBSCertList is not a DER SEQUENCE");
    } else if (!unwrap_signed(out, der, n, &tbs, &alg)) {
        return malformed(out, "the CRL is not a DER CertificateList");
    }
    if (!lint_tbs_crl(out, tbs, is_tbs ? NULL : &alg))
        malformed(out, "the TBSCertList does not follow RFC 5280's syntax");
    return out->oom ? CC_ENOMEM : CC_OK;
}

int
certlint_is_crl(const unsigned char *der, size_t n)
{
    struct der in = {der, n}, outer, tbs, v;
    if (!take_tag(&in, 0x30, &outer, NULL) || !take_tag(&outer, 0x30, &tbs, NULL))
        return 0;
    if (peek(&tbs) == 0xA0)
        return 0;
    if (peek(&tbs) == 0x02)
        take_tag(&tbs, 0x02, &v, NULL);
    if (!take_tag(&tbs, 0x30, &v, NULL) || !take_tag(&tbs, 0x30, &v, NULL))
        return 0;
    return peek(&tbs) == 0x17 || peek(&tbs) == 0x18;
}

/* --- requests --- */

int
certlint_request(const unsigned char *der, size_t n, int names, struct certlint_result *out)
{
    memset(out, 0, sizeof *out);
    struct der in = {der, n}, req, cri, v, subject, attrs, attr, oid, values, one;
    struct ext_facts f = {0};
    struct der seen[MAX_EXTS];
    size_t nseen = 0;
    int empty;
    if (!take_tag(&in, 0x30, &req, NULL) || !take_tag(&req, 0x30, &cri, NULL) ||
        !take_tag(&cri, 0x02, &v, NULL) || !take_tag(&cri, 0x30, &subject, NULL) ||
        !take_tag(&cri, 0x30, &v, NULL) || !take_tag(&cri, 0xA0, &attrs, NULL))
        return malformed(out, "the request is not a DER PKCS #10 request");
    if (names && !lint_name(out, &subject, 1, &empty))
        return malformed(out, "the request's subject is not a DER Name");
    while (attrs.n > 0) {
        if (!take_tag(&attrs, 0x30, &attr, NULL) || !take_tag(&attr, 0x06, &oid, NULL) ||
            !take_tag(&attr, 0x31, &values, NULL))
            return malformed(out, "a request attribute is not DER");
        if (!OID_IS(&oid, DER_EXT_REQUEST) && !OID_IS(&oid, DER_MS_EXT_REQUEST))
            continue;
        while (values.n > 0) {
            if (!take_tag(&values, 0x30, &one, NULL) ||
                !lint_extensions(out, one, EXT_REQUEST, names, &f, seen, &nseen, MAX_EXTS))
                return malformed(out, "the request's extensions are not DER");
        }
    }
    return out->oom ? CC_ENOMEM : CC_OK;
}

/* --- summaries --- */

char *
certlint_error_names(const struct certlint_result *r)
{
    struct strlist l = {0};
    for (size_t i = 0; i < r->n; i++)
        if (rules[r->v[i].rule].error && strlist_add(&l, rules[r->v[i].rule].name) != CC_OK) {
            strlist_free(&l);
            return NULL;
        }
    char *s = l.n ? strlist_join(&l, ", ") : NULL;
    strlist_free(&l);
    return s;
}

char *
certlint_error_summary(const struct certlint_result *r)
{
    char *names = certlint_error_names(r);
    if (names == NULL)
        return NULL;
    /* the details name what broke the rule (the bad dNSName), not only the rule */
    struct strlist details = {0};
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < r->n && details.n < 4; i++)
        if (rules[r->v[i].rule].error && r->v[i].detail != NULL)
            rc = strlist_add(&details, r->v[i].detail);
    char *why = rc == CC_OK && details.n ? strlist_join(&details, "; ") : NULL;
    char *s = rc != CC_OK                ? NULL
              : why != NULL              ? cc_asprintf("Broken rules: %s. %s.", names, why)
                                         : cc_asprintf("Broken rules: %s.", names);
    free(why);
    free(names);
    strlist_free(&details);
    return s;
}

int
certlint_names_only(const struct certlint_result *r)
{
    int any = 0;
    for (size_t i = 0; i < r->n; i++) {
        int rule = r->v[i].rule;
        if (!rules[rule].error)
            continue;
        const char *name = rules[rule].name;
        if (strncmp(name, "e_name_", 7) != 0 && strncmp(name, "e_subject_", 10) != 0 &&
            strncmp(name, "e_san_", 6) != 0)
            return 0;
        any = 1;
    }
    return any;
}

int
certlint_refuse(const unsigned char *tbs, size_t n, int crl, const struct certlint_context *ctx,
                char **cause)
{
    struct certlint_result r;
    int rc = crl ? certlint_crl(tbs, n, 1, &r) : certlint_certificate(tbs, n, 1, ctx, &r);
    if (rc == CC_OK && r.errors > 0) {
        char *why = certlint_error_summary(&r);
        rc = cc_fail(cause,
                     !crl && certlint_names_only(&r) ? CC_E_BAD_REQUESTSUBJECT : CC_E_CERT_LINT,
                     "%s", why ? why : "Broken rules: (out of memory).");
        free(why);
    }
    certlint_result_free(&r);
    return rc;
}

/* --- files --- */

void
certlint_objects_free(struct certlint_object *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        certlint_result_free(&v[i].result);
    free(v);
}

static int
lint_object(const unsigned char *der, size_t n, struct certlint_object **v, size_t *nv)
{
    struct certlint_object *p = realloc(*v, (*nv + 1) * sizeof *p);
    if (p == NULL)
        return CC_ENOMEM;
    *v = p;
    struct certlint_object *o = &p[(*nv)++];
    o->crl = certlint_is_crl(der, n);
    return o->crl ? certlint_crl(der, n, 0, &o->result)
                  : certlint_certificate(der, n, 0, NULL, &o->result);
}

/* Lints the PEM block at b if it is a certificate or a CRL; other blocks are skipped. */
static int
lint_pem_block(const char *b, const char *lim, struct certlint_object **out, size_t *nout,
               char **cause)
{
    static const char *const labels[] = {"CERTIFICATE", "X509 CRL"};
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t ll = strlen(labels[k]);
        if ((size_t)(lim - b) < 16 + ll || memcmp(b + 11, labels[k], ll) != 0 ||
            memcmp(b + 11 + ll, "-----", 5) != 0)
            continue;
        gnutls_datum_t in = {(unsigned char *)b, (unsigned)(lim - b)}, der = {NULL, 0};
        if (gnutls_pem_base64_decode2(labels[k], &in, &der) < 0)
            return cc_fail(cause, CC_EPARSE, "a %s block is not valid base64", labels[k]);
        int rc = lint_object(der.data, der.size, out, nout);
        gnutls_free(der.data);
        return rc;
    }
    return CC_OK;
}

int
certlint_data(const void *data, size_t n, struct certlint_object **out, size_t *nout, char **cause)
{
    const char *lim = (const char *)data + n;
    int rc = CC_OK;
    *out = NULL;
    *nout = 0;
    if (n > 0 && ((const unsigned char *)data)[0] == 0x30) {
        rc = lint_object(data, n, out, nout);
    } else {
        for (const char *b = data; rc == CC_OK && b < lim;) {
            if ((b = memmem(b, (size_t)(lim - b), "-----BEGIN ", 11)) == NULL)
                break;
            rc = lint_pem_block(b, lim, out, nout, cause);
            const char *e = memmem(b + 11, (size_t)(lim - b - 11), "-----END ", 9);
            if (e == NULL)
                break;
            b = e + 9;
        }
    }
    if (rc == CC_OK && *nout == 0)
        rc = cc_fail(cause, CC_EPARSE, "it holds no certificate or CRL (DER or PEM)");
    if (rc != CC_OK) {
        certlint_objects_free(*out, *nout);
        *out = NULL;
        *nout = 0;
    }
    return rc;
}
