/*
 * The smallest honest open-loop Redis client, the yardstick for the harness's open model: one connection, a
 * blocking socket, GET key:N of uniformly chosen keys, each request sent at its intended time (t0 + i/rate,
 * nanosleep until then) and its latency taken from that intended time to the end of its reply, so a late
 * send counts against the client as it does in the harness (no coordinated omission). Every latency is kept
 * and sorted at the end: exact percentiles, no histogram. The service time (from the actual send to the end of
 * the reply, the harness's uncorrected latency) is kept too, so that the two request paths compare apart from
 * how late each client sends.
 *   open_loop_get HOST PORT RATE SECONDS KEYS [PREFIX]
 *   prints: count p50 p90 p99 p99.9 max (ms), late sends, then the service time's p50 p99 p99.9 (ms)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads until one whole GET reply ($-1, or $n + n bytes + CRLF) is in; returns 0, or -1 on a closed socket. */
static int read_reply(int fd, char *buffer, size_t size) {
    size_t have = 0;
    long need = -1;
    for (;;) {
        ssize_t n = read(fd, buffer + have, size - have);
        if (n <= 0) return -1;
        have += (size_t)n;
        if (need < 0) {
            char *end = memchr(buffer, '\n', have);
            if (!end) continue;
            if (buffer[0] != '$') { fprintf(stderr, "unexpected reply: %.*s\n", (int)(end - buffer), buffer); exit(1); }
            long length = strtol(buffer + 1, NULL, 10);
            need = (long)(end - buffer + 1) + (length < 0 ? 0 : length + 2);
        }
        if ((long)have >= need) return 0;
    }
}

static double percentile(const uint64_t *sorted, size_t count, double p) {
    size_t at = (size_t)(p / 100.0 * (double)count);
    if (at >= count) at = count - 1;
    return (double)sorted[at] / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: %s HOST PORT RATE SECONDS KEYS [PREFIX]\n", argv[0]); return 2; }
    const char *host = argv[1], *prefix = argc > 6 ? argv[6] : "key:";
    int port = atoi(argv[2]);
    double rate = atof(argv[3]);
    double seconds = atof(argv[4]);
    long keys = atol(argv[5]);
    size_t count = (size_t)(rate * seconds);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, host, &address.sin_addr);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) { perror("connect"); return 3; }

    uint64_t *latencies = malloc(count * sizeof *latencies);
    uint64_t *service = malloc(count * sizeof *service);
    static char reply[1 << 20];
    char request[256];
    uint64_t period = (uint64_t)(1e9 / rate), late = 0;
    unsigned seed = 12345;
    uint64_t start = now_ns() + 1000000;
    for (size_t i = 0; i < count; i++) {
        uint64_t intended = start + i * period;
        uint64_t t = now_ns();
        if (t < intended) {
            struct timespec wait = { .tv_sec = (time_t)((intended - t) / 1000000000ull), .tv_nsec = (long)((intended - t) % 1000000000ull) };
            nanosleep(&wait, NULL);
            while (now_ns() < intended) { }
        } else if (t - intended > 1000000) {
            late++;
        }
        char key[128];
        int key_length = snprintf(key, sizeof key, "%s%ld", prefix, (long)(rand_r(&seed) % keys));
        int length = snprintf(request, sizeof request, "*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", key_length, key);
        uint64_t sent = now_ns();
        if (write(fd, request, (size_t)length) != length || read_reply(fd, reply, sizeof reply) != 0) { fprintf(stderr, "connection lost\n"); return 3; }
        uint64_t done = now_ns();
        latencies[i] = done - intended;
        service[i] = done - sent;
    }

    qsort(latencies, count, sizeof *latencies, compare);
    qsort(service, count, sizeof *service, compare);
    printf("count=%zu p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f late_sends_over_1ms=%llu service p50=%.3f p99=%.3f p99.9=%.3f\n", count,
           percentile(latencies, count, 50), percentile(latencies, count, 90), percentile(latencies, count, 99),
           percentile(latencies, count, 99.9), (double)latencies[count - 1] / 1e6, (unsigned long long)late,
           percentile(service, count, 50), percentile(service, count, 99), percentile(service, count, 99.9));
    return 0;
}
