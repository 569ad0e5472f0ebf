/*
 * The CA service's wire format (see proto.h): framing, descriptor passing
 * and the base64 that carries file contents inside JSON.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proto.h"
#include "status.h"
#include "util.h"

static const char *const type_names[] = {
#define PROTO_NAME(id, name, doc) name,
    PROTO_MESSAGES(PROTO_NAME)
#undef PROTO_NAME
};

const char *const proto_env_names[] = {
    "TERM", "LANG", "LC_ALL", "LC_CTYPE", "COLUMNS", "LINES", "NO_COLOR", "ESCDELAY",
    "CERTCON_NOW", NULL,
};

const char *
proto_type_name(enum proto_type t)
{
    return t >= 0 && t < PROTO_TYPE_COUNT ? type_names[t] : "?";
}

enum proto_type
proto_type_of(const json_t *msg)
{
    const char *s = json_string_value(json_object_get(msg, "type"));
    for (int i = 0; s != NULL && i < PROTO_TYPE_COUNT; i++)
        if (strcmp(s, type_names[i]) == 0)
            return (enum proto_type)i;
    return PROTO_UNKNOWN;
}

json_t *
proto_new(enum proto_type t)
{
    return json_pack("{s:s}", "type", proto_type_name(t));
}

/* Every byte of buf, the descriptors with the first sendmsg. */
static int
send_all(int sock, const char *buf, size_t n, const int *fds, size_t nfds)
{
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int) * PROTO_FDS_MAX)];
    } ctl;
    while (n > 0) {
        struct iovec iov = {.iov_base = (void *)buf, .iov_len = n};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        if (nfds > 0) {
            memset(&ctl, 0, sizeof ctl);
            mh.msg_control = ctl.b;
            mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
            struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
            cm->cmsg_level = SOL_SOCKET;
            cm->cmsg_type = SCM_RIGHTS;
            cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
            memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
        }
        ssize_t w = sendmsg(sock, &mh, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += w;
        n -= (size_t)w;
        nfds = 0;
    }
    return 0;
}

int
proto_send(int sock, const json_t *msg, const int *fds, size_t nfds, char **cause)
{
    if (nfds > PROTO_FDS_MAX)
        return cc_fail(cause, CC_EINVAL, "too many descriptors for one message");
    char *text = json_dumps(msg, JSON_COMPACT);
    if (text == NULL)
        return cc_fail(cause, CC_ENOMEM, "cannot encode a message");
    size_t n = strlen(text);
    if (n > PROTO_MESSAGE_MAX) {
        free(text);
        return cc_fail(cause, CC_EINVAL, "a message of %zu bytes is over the limit of %d", n,
                       PROTO_MESSAGE_MAX);
    }
    char *frame = malloc(4 + n);
    if (frame == NULL) {
        free(text);
        return CC_ENOMEM;
    }
    frame[0] = (char)(n >> 24);
    frame[1] = (char)(n >> 16);
    frame[2] = (char)(n >> 8);
    frame[3] = (char)n;
    memcpy(frame + 4, text, n);
    free(text);
    int rc = send_all(sock, frame, 4 + n, fds, nfds) == 0
                 ? CC_OK
                 : cc_fail(cause, CC_EIO, "cannot send: %s", strerror(errno));
    free(frame);
    return rc;
}

/*
 * Reads exactly n bytes; descriptors that arrive are appended to fds (or
 * closed when there is no room). Returns n, 0 at end of file before any
 * byte, -1 on error (errno set; EPIPE for a message cut short).
 */
static ssize_t
recv_all(int sock, char *buf, size_t n, int *fds, size_t maxfds, size_t *nfds)
{
    size_t got = 0;
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int) * PROTO_FDS_MAX)];
    } ctl;
    while (got < n) {
        struct iovec iov = {.iov_base = buf + got, .iov_len = n - got};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        mh.msg_control = ctl.b;
        mh.msg_controllen = sizeof ctl.b;
        ssize_t r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
            if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
                continue;
            size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < k; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
                if (fds != NULL && nfds != NULL && *nfds < maxfds)
                    fds[(*nfds)++] = fd;
                else
                    close(fd);
            }
        }
        if (r == 0) {
            if (got == 0)
                return 0;
            errno = EPIPE;
            return -1;
        }
        got += (size_t)r;
    }
    return (ssize_t)got;
}

int
proto_recv(int sock, json_t **msg, int *fds, size_t maxfds, size_t *nfds, char **cause)
{
    size_t dummy = 0;
    if (nfds == NULL)
        nfds = &dummy;
    *nfds = 0;
    *msg = NULL;
    unsigned char hdr[4];
    ssize_t r = recv_all(sock, (char *)hdr, 4, fds, maxfds, nfds);
    if (r == 0)
        return CC_ENOTFOUND;
    if (r < 0)
        return cc_fail(cause, CC_EIO, "cannot receive: %s", strerror(errno));
    uint32_t n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
    int rc = CC_OK;
    char *body = NULL;
    if (n > PROTO_MESSAGE_MAX) {
        rc = cc_fail(cause, CC_EPARSE, "a message of %u bytes is over the limit of %d", n,
                     PROTO_MESSAGE_MAX);
        goto fail;
    }
    body = malloc(n ? n : 1);
    if (body == NULL) {
        rc = CC_ENOMEM;
        goto fail;
    }
    if (n > 0 && recv_all(sock, body, n, fds, maxfds, nfds) != (ssize_t)n) {
        rc = cc_fail(cause, CC_EIO, "the connection ended inside a message");
        goto fail;
    }
    json_error_t err;
    json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &err);
    free(body);
    body = NULL;
    if (j == NULL || !json_is_object(j)) {
        json_decref(j);
        rc = cc_fail(cause, CC_EPARSE, "a message is not a JSON object");
        goto fail;
    }
    *msg = j;
    return CC_OK;
fail:
    free(body);
    for (size_t i = 0; fds != NULL && i < *nfds; i++)
        close(fds[i]);
    *nfds = 0;
    return rc;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
proto_set_data(json_t *msg, const char *key, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t len = (n + 2) / 3 * 4;
    char *s = malloc(len + 1), *o = s;
    if (s == NULL)
        return CC_ENOMEM;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = b64[v >> 18 & 63];
        *o++ = b64[v >> 12 & 63];
        *o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? b64[v & 63] : '=';
    }
    *o = '\0';
    json_t *str = json_stringn_nocheck(s, len);
    free(s);
    if (str == NULL || json_object_set_new(msg, key, str) != 0)
        return CC_ENOMEM;
    return CC_OK;
}

static int
b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

int
proto_get_data(const json_t *msg, const char *key, void **data, size_t *n)
{
    *data = NULL;
    *n = 0;
    json_t *str = json_object_get(msg, key);
    if (str == NULL || !json_is_string(str))
        return CC_EPARSE;
    const char *s = json_string_value(str);
    size_t len = json_string_length(str);
    if (len % 4 != 0)
        return CC_EPARSE;
    unsigned char *out = malloc(len / 4 * 3 + 1), *o = out;
    if (out == NULL)
        return CC_ENOMEM;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++)
            v[k] = s[i + k] == '=' && i + 4 == len && k >= 2 ? -2 : b64_value(s[i + k]);
        if (v[0] < 0 || v[1] < 0 || v[2] == -1 || v[3] == -1 || (v[2] == -2 && v[3] != -2)) {
            free(out);
            return CC_EPARSE;
        }
        *o++ = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (v[2] >= 0)
            *o++ = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
        if (v[3] >= 0)
            *o++ = (unsigned char)((v[2] & 3) << 6 | v[3]);
    }
    *data = out;
    *n = (size_t)(o - out);
    return CC_OK;
}
