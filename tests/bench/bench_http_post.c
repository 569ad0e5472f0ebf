/*
 * A keep-alive HTTP/1.1 load client for the benchmarks (not a test): POSTs
 * one body to 127.0.0.1:PORT/PATH over one connection, again and again for
 * SECONDS, and prints the requests per second that got a 200. It asserts
 * nothing and talks to loopback only.
 *
 * Usage: bench_http_post PORT PATH CONTENT-TYPE BODY-FILE SECONDS
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one response whole: its status, or -1. */
static int
read_response(int fd, char *buf, size_t size)
{
    size_t have = 0;
    char *end = NULL;
    while (end == NULL) {
        if (have + 1 >= size)
            return -1;
        ssize_t r = recv(fd, buf + have, size - 1 - have, 0);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    int status = atoi(buf + 9);
    const char *cl = strcasestr(buf, "\r\nContent-Length:");
    size_t length = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
    size_t got = have - (size_t)(end + 4 - buf);
    while (got < length) {
        ssize_t r = recv(fd, buf, size - 1, 0);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return status;
}

int
main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_http_post PORT PATH CONTENT-TYPE BODY-FILE SECONDS\n");
        return 2;
    }
    FILE *f = fopen(argv[4], "rb");
    static char body[65536];
    size_t n = f ? fread(body, 1, sizeof body, f) : 0;
    if (f == NULL || n == 0) {
        fprintf(stderr, "bench_http_post: cannot read %s\n", argv[4]);
        return 1;
    }
    fclose(f);
    char head[512];
    int hn = snprintf(head, sizeof head,
                      "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: %s\r\n"
                      "Content-Length: %zu\r\n\r\n",
                      argv[2], argv[1], argv[3], n);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("bench_http_post: connect");
        return 1;
    }
    double seconds = atof(argv[5]), t0 = now_seconds(), t = t0;
    long ok = 0, other = 0;
    static char buf[1 << 16];
    while (t - t0 < seconds) {
        if (send_all(fd, head, (size_t)hn) != 0 || send_all(fd, body, n) != 0) {
            fprintf(stderr, "bench_http_post: the connection closed\n");
            return 1;
        }
        int status = read_response(fd, buf, sizeof buf);
        if (status < 0) {
            fprintf(stderr, "bench_http_post: no response\n");
            return 1;
        }
        if (status == 200)
            ok++;
        else
            other++;
        t = now_seconds();
    }
    close(fd);
    printf("%.0f\n", (double)ok / (t - t0));
    if (other > 0)
        fprintf(stderr, "bench_http_post: %ld responses were not 200\n", other);
    return other > 0;
}
