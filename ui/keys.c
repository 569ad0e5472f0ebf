/*
 * Key notation: one table of key names read by the script parser, the
 * certcon.conf parser and the help screen, so they cannot disagree.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "keys.h"
#include "mem.h"

struct key_name {
    const char *name;  /* notation, without the angle brackets */
    const char *label; /* what help shows */
    int key;
};

static const struct key_name key_names[] = {
    {"Enter", "Enter", UI_KEY_ENTER},
    {"Tab", "Tab", UI_KEY_TAB},
    {"S-Tab", "Shift-Tab", UI_KEY_BTAB},
    {"Esc", "Esc", UI_KEY_ESC},
    {"BS", "Backspace", UI_KEY_BS},
    {"Del", "Del", UI_KEY_DEL},
    {"Ins", "Ins", UI_KEY_INS},
    {"Space", "Space", ' '},
    {"Up", "Up", UI_KEY_UP},
    {"Down", "Down", UI_KEY_DOWN},
    {"Left", "Left", UI_KEY_LEFT},
    {"Right", "Right", UI_KEY_RIGHT},
    {"PgUp", "PgUp", UI_KEY_PGUP},
    {"PgDn", "PgDn", UI_KEY_PGDN},
    {"Home", "Home", UI_KEY_HOME},
    {"End", "End", UI_KEY_END},
    {"lt", "<", '<'},
};

int
ui_key_is_text(int k)
{
    return k >= 0x20 && k != 0x7f && k < UI_KEY_SPECIAL && !(k >= 0x80 && k < 0xa0);
}

/* Decodes one UTF-8 sequence; returns its length, or 0 when malformed. */
static size_t
utf8_decode(const char *s, int *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int n, c;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xe0) == 0xc0) {
        n = 2, c = u[0] & 0x1f;
    } else if ((u[0] & 0xf0) == 0xe0) {
        n = 3, c = u[0] & 0x0f;
    } else if ((u[0] & 0xf8) == 0xf0) {
        n = 4, c = u[0] & 0x07;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3f);
    }
    static const int min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return (size_t)n;
}

/* The key named by name (without brackets, length len), or UI_KEY_NONE. */
static int
key_by_name(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strlen(key_names[i].name) == len && strncasecmp(key_names[i].name, name, len) == 0)
            return key_names[i].key;
    int shift = 0;
    if (len > 2 && (name[0] == 'S' || name[0] == 's') && name[1] == '-' &&
        (name[2] == 'F' || name[2] == 'f')) {
        shift = 1;
        name += 2;
        len -= 2;
    }
    if (len >= 2 && len <= 3 && (name[0] == 'F' || name[0] == 'f')) {
        int n = 0;
        for (size_t i = 1; i < len; i++) {
            if (name[i] < '0' || name[i] > '9')
                return UI_KEY_NONE;
            n = n * 10 + (name[i] - '0');
        }
        if (n >= 1 && n <= 12)
            return shift ? UI_KEY_SF(n) : UI_KEY_F(n);
        return UI_KEY_NONE;
    }
    if (shift)
        return UI_KEY_NONE;
    if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
        int c = (unsigned char)name[2];
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if ((c >= 'a' && c <= 'z') || c == '[' || c == '\\' || c == ']' || c == '_')
            return UI_KEY_CTRL(c);
    }
    return UI_KEY_NONE;
}

int
ui_keys_parse(const char *line, int *keys, size_t max, size_t *n, char **cause)
{
    *n = 0;
    for (const char *p = line; *p;) {
        int k = UI_KEY_NONE;
        if (*p == '<') {
            const char *close = strchr(p + 1, '>');
            if (close != NULL && close > p + 1)
                k = key_by_name(p + 1, (size_t)(close - p - 1));
            if (k != UI_KEY_NONE) {
                p = close + 1;
            } else {
                k = '<';
                p++;
            }
        } else {
            size_t len = utf8_decode(p, &k);
            if (len == 0) {
                if (cause)
                    *cause = ui_xasprintf("byte %zu is not valid UTF-8", (size_t)(p - line) + 1);
                return -1;
            }
            p += len;
        }
        if (*n >= max) {
            if (cause)
                *cause = ui_xasprintf("more than %zu keys on one line", max);
            return -1;
        }
        keys[(*n)++] = k;
    }
    return 0;
}

int
ui_keys_parse_list(const char *s, int *keys, size_t max, char **cause)
{
    size_t count = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t')
            e++;
        char *item = ui_xstrndup(p, (size_t)(e - p));
        int one[4];
        size_t n = 0;
        char *why = NULL;
        if (ui_keys_parse(item, one, 4, &n, &why) != 0 || n != 1) {
            if (cause)
                *cause = why ? ui_xasprintf("'%s': %s", item, why)
                             : ui_xasprintf("'%s' is not one key (write keys as a, /, "
                                            "<Enter>, <F10>, <C-c>)",
                                            item);
            free(why);
            free(item);
            return -1;
        }
        free(item);
        if (count >= max) {
            if (cause)
                *cause = ui_xasprintf("more than %zu keys for one action", max);
            return -1;
        }
        keys[count++] = one[0];
        p = e;
    }
    return (int)count;
}

static const struct key_name *
name_of(int key)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].key == key && key != ' ' && key != '<')
            return &key_names[i];
    return NULL;
}

static void
encode_utf8(int c, char *buf, size_t size)
{
    char tmp[5];
    size_t n = 0;
    if (c < 0x80) {
        tmp[n++] = (char)c;
    } else if (c < 0x800) {
        tmp[n++] = (char)(0xc0 | (c >> 6));
        tmp[n++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        tmp[n++] = (char)(0xe0 | (c >> 12));
        tmp[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
        tmp[n++] = (char)(0x80 | (c & 0x3f));
    } else {
        tmp[n++] = (char)(0xf0 | (c >> 18));
        tmp[n++] = (char)(0x80 | ((c >> 12) & 0x3f));
        tmp[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
        tmp[n++] = (char)(0x80 | (c & 0x3f));
    }
    tmp[n] = '\0';
    snprintf(buf, size, "%s", tmp);
}

const char *
ui_key_notation(int key, char *buf, size_t size)
{
    const struct key_name *kn = name_of(key);
    if (kn != NULL)
        snprintf(buf, size, "<%s>", kn->name);
    else if (key == ' ')
        snprintf(buf, size, "<Space>");
    else if (key == '<')
        snprintf(buf, size, "<lt>");
    else if (key > UI_KEY_F0 && key <= UI_KEY_F(12))
        snprintf(buf, size, "<F%d>", key - UI_KEY_F0);
    else if (key > UI_KEY_SF0 && key <= UI_KEY_SF(12))
        snprintf(buf, size, "<S-F%d>", key - UI_KEY_SF0);
    else if (key > 0 && key < 0x20)
        snprintf(buf, size, "<C-%c>", key + 'a' - 1);
    else if (ui_key_is_text(key))
        encode_utf8(key, buf, size);
    else
        snprintf(buf, size, "<?>");
    return buf;
}

const char *
ui_key_label(int key, char *buf, size_t size)
{
    const struct key_name *kn = name_of(key);
    if (kn != NULL)
        snprintf(buf, size, "%s", kn->label);
    else if (key == ' ')
        snprintf(buf, size, "Space");
    else if (key > UI_KEY_F0 && key <= UI_KEY_F(12))
        snprintf(buf, size, "F%d", key - UI_KEY_F0);
    else if (key > UI_KEY_SF0 && key <= UI_KEY_SF(12))
        snprintf(buf, size, "Shift-F%d", key - UI_KEY_SF0);
    else if (key > 0 && key < 0x20)
        snprintf(buf, size, "Ctrl-%c", key + 'A' - 1);
    else if (ui_key_is_text(key))
        encode_utf8(key, buf, size);
    else
        snprintf(buf, size, "?");
    return buf;
}
