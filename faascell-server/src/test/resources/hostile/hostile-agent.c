/*
 * A hostile guest agent for tests: it boots and loads like the real one (READY, OK), then answers
 * RUN according to the function's handler name with what an untrusted guest might write:
 *   garbage   bytes that are not the protocol      huge      a frame announcing 2 GiB
 *   half      half a frame, then silence           flood     unsolicited frames without end
 *   wrong-id  a RESULT to a request never sent     silent    nothing at all
 *   ready     a READY to RUN (a reply of another phase's type)
 *   ok        an OK to RUN (the type INIT expects)
 *   replay-init   a RESULT carrying the INIT's request id, an answer replayed from an earlier phase
 *   replay-run    a correct RESULT to the first RUN, then that RESULT's id again for every later RUN
 *   echo      a correct RESULT (the guest behaves)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int port = -1;
static char handler[256] = "";
static uint32_t init_id, first_run_id;
static int runs;

static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static void sleep_ms(long ms) { struct timespec t = { ms / 1000, (ms % 1000) * 1000000L }; nanosleep(&t, NULL); }

static void write_all(const uint8_t *p, size_t n) {
    while (n > 0) { ssize_t w = write(port, p, n); if (w <= 0) { sleep_ms(1); continue; } p += w; n -= w; }
}

static void frame(uint8_t type, uint32_t id, const uint8_t *body, uint32_t len, uint32_t claimed) {
    uint8_t h[12] = { 'F', 'C', 1, type };
    put32(h + 4, id); put32(h + 8, claimed);
    write_all(h, 12);
    if (len) write_all(body, len);
}

/* One field: tag, 4-byte length, value. */
static uint32_t field(uint8_t *out, uint8_t tag, const void *value, uint32_t len) {
    out[0] = tag; put32(out + 1, len); memcpy(out + 5, value, len); return 5 + len;
}

static int read_full(uint8_t *p, size_t n) {
    size_t got = 0;
    while (got < n) { ssize_t r = read(port, p + got, n - got); if (r <= 0) return -1; got += r; }
    return 0;
}

static int open_port(void) {
    DIR *d = opendir("/sys/class/virtio-ports");
    struct dirent *e; int fd = -1;
    if (!d) return -1;
    while (fd < 0 && (e = readdir(d))) {
        char f[300], name[128] = "", path[300];
        if (e->d_name[0] == '.') continue;
        snprintf(f, sizeof f, "/sys/class/virtio-ports/%s/name", e->d_name);
        FILE *n = fopen(f, "r");
        if (!n) continue;
        if (fgets(name, sizeof name, n)) name[strcspn(name, "\n")] = 0;
        fclose(n);
        if (strcmp(name, "dev.faascell.agent") == 0) { snprintf(path, sizeof path, "/dev/%s", e->d_name); fd = open(path, O_RDWR); }
    }
    closedir(d);
    return fd;
}

int main(void) {
    while ((port = open_port()) < 0) sleep_ms(1);
    for (;;) {
        uint8_t h[12];
        if (read_full(h, 12) != 0) { sleep_ms(1); continue; }
        uint32_t id = get32(h + 4), len = get32(h + 8);
        uint8_t *body = malloc(len ? len : 1);
        if (len && read_full(body, len) != 0) { free(body); continue; }
        uint8_t out[512]; uint32_t n = 0; uint64_t one = 0x0100000000000000ull;   /* 1, big-endian */
        if (h[3] == 0x01) {                     /* HELLO → READY */
            n += field(out + n, 12, &one, 8);
            n += field(out + n, 11, "hostile/1", 9);
            frame(0x81, id, out, n, n);
        } else if (h[3] == 0x02) {              /* INIT → remember the handler and the id, OK */
            init_id = id;
            for (uint32_t pos = 0; pos + 5 <= len;) {
                uint32_t l = get32(body + pos + 1);
                if (body[pos] == 2 && l < sizeof handler) { memcpy(handler, body + pos + 5, l); handler[l] = 0; }
                pos += 5 + l;
            }
            frame(0x82, id, NULL, 0, 0);
        } else if (h[3] == 0x03) {              /* RUN → the misbehaviour */
            if (runs++ == 0) first_run_id = id;
            if (strcmp(handler, "garbage") == 0) {
                write_all((const uint8_t *)"\x13\x37 this is not a frame at all \xff\xfe", 32);
            } else if (strcmp(handler, "huge") == 0) {
                frame(0x83, id, NULL, 0, 0x7fffffff);
            } else if (strcmp(handler, "half") == 0) {
                frame(0x83, id, (const uint8_t *)"\x07\x00\x00\x00\x64partial", 12, 200);
            } else if (strcmp(handler, "flood") == 0) {
                for (uint32_t i = 0;; i++) frame(0x85, id + 1 + i, NULL, 0, 0);
            } else if (strcmp(handler, "wrong-id") == 0) {
                n += field(out + n, 7, "\"stolen\"", 8);
                frame(0x83, id + 1000, out, n, n);
            } else if (strcmp(handler, "ready") == 0) {
                n += field(out + n, 12, &one, 8);
                n += field(out + n, 11, "hostile/1", 9);
                frame(0x81, id, out, n, n);
            } else if (strcmp(handler, "ok") == 0) {
                frame(0x82, id, NULL, 0, 0);
            } else if (strcmp(handler, "replay-init") == 0) {
                n += field(out + n, 7, "\"replayed\"", 10);
                frame(0x83, init_id, out, n, n);
            } else if (strcmp(handler, "replay-run") == 0) {
                n += field(out + n, 7, "\"fine\"", 6);
                frame(0x83, first_run_id, out, n, n);
            } else if (strcmp(handler, "silent") == 0) {
                /* nothing */
            } else {
                n += field(out + n, 7, "\"fine\"", 6);
                frame(0x83, id, out, n, n);
            }
        } else {
            frame(0x82, id, NULL, 0, 0);
        }
        free(body);
    }
}
