/*
 * faascell-agent: PID 1 of every FaaSCell microVM.
 *
 * Speaks the framed protocol of docs/PROTOCOL.md with the host over a virtio-serial port, loads the
 * function's code (INIT) and runs it per request (RUN) inside the read-only runtime root, and applies
 * the host's clock and entropy after a snapshot restore. Single-threaded: one request at a time, which
 * is all the host ever sends to one VM.
 *
 * Built statically by the image builder: gcc -static -O2 -o faascell-agent agent.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/random.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AGENT_VERSION "faascell-agent/1"
#define PROTOCOL_VERSION 1

enum { HELLO = 0x01, INIT = 0x02, RUN = 0x03, PING = 0x04, SET_CLOCK = 0x05, RESEED = 0x06,
       READY = 0x81, OK = 0x82, RESULT = 0x83, ERROR = 0x84, PONG = 0x85 };
enum { F_RUNTIME = 1, F_HANDLER, F_CODE, F_CODE_FORMAT, F_CODE_FILENAME, F_ENV, F_PAYLOAD, F_EXEC_NS,
       F_MESSAGE, F_STDERR_TAIL, F_AGENT_VERSION, F_PROTOCOL_VERSION, F_UPTIME_NS, F_REALTIME_NS,
       F_ENTROPY, F_ERROR_KIND, F_FATAL, F_MEM_TOTAL_KB, F_FUNCTION_NAME, F_MEMORY_MB, F_TIMEOUT_MS,
       F_REQUEST_ID };

#define HEADER_BYTES 12
#define MAX_HOST_BODY (96u << 20)     /* code limit + slack; the host enforces the real limit */
#define MAX_OUTPUT (6u << 20)         /* a function's result; the host accepts frames up to 8 MiB */
#define TAIL_BYTES 4096
#define MAX_ENV 256

static int port = -1;
static const char *root = "/newroot";

/* ---------- small buffers ---------- */

typedef struct { uint8_t *data; size_t len, cap; } buf_t;

static void buf_reserve(buf_t *b, size_t more) {
    if (b->len + more <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more) cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d) { perror("faascell-agent: out of memory"); _exit(1); }
    b->data = d; b->cap = cap;
}
static void buf_put(buf_t *b, const void *p, size_t n) { buf_reserve(b, n); memcpy(b->data + b->len, p, n); b->len += n; }
static void buf_u8(buf_t *b, uint8_t v) { buf_put(b, &v, 1); }
static void buf_u32(buf_t *b, uint32_t v) { uint8_t x[4] = { v >> 24, v >> 16, v >> 8, v }; buf_put(b, x, 4); }
static void buf_u64(buf_t *b, uint64_t v) { buf_u32(b, (uint32_t)(v >> 32)); buf_u32(b, (uint32_t)v); }
static uint32_t get_u32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint64_t get_u64(const uint8_t *p) { return (uint64_t)get_u32(p) << 32 | get_u32(p + 4); }

/* Keeps the last TAIL_BYTES of a function's stdout/stderr. */
typedef struct { char data[TAIL_BYTES]; size_t start, len; } tail_t;
static void tail_reset(tail_t *t) { t->start = t->len = 0; }
static void tail_put(tail_t *t, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (t->len < TAIL_BYTES) t->data[(t->start + t->len++) % TAIL_BYTES] = p[i];
        else { t->data[t->start] = p[i]; t->start = (t->start + 1) % TAIL_BYTES; }
    }
}
static void tail_field(buf_t *b, const tail_t *t);

static uint64_t now_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
static void sleep_ms(long ms) { struct timespec ts = { 0, ms * 1000000L }; nanosleep(&ts, NULL); }

/* ---------- frames ---------- */

typedef struct { uint8_t type; uint32_t id; uint8_t *body; uint32_t len; } frame_t;
typedef struct { uint8_t tag; uint32_t len; const uint8_t *value; } field_t;

static void field_bytes(buf_t *b, uint8_t tag, const void *p, size_t n) { buf_u8(b, tag); buf_u32(b, (uint32_t)n); buf_put(b, p, n); }
static void field_str(buf_t *b, uint8_t tag, const char *s) { field_bytes(b, tag, s, strlen(s)); }
static void field_u64(buf_t *b, uint8_t tag, uint64_t v) { buf_u8(b, tag); buf_u32(b, 8); buf_u64(b, v); }
static void tail_field(buf_t *b, const tail_t *t) {
    buf_u8(b, F_STDERR_TAIL); buf_u32(b, (uint32_t)t->len);
    for (size_t i = 0; i < t->len; i++) buf_u8(b, (uint8_t)t->data[(t->start + i) % TAIL_BYTES]);
}

/* Iterates the fields of a body; returns 0 at the end, -1 on a malformed body. */
static int next_field(const frame_t *f, uint32_t *pos, field_t *out) {
    if (*pos >= f->len) return 0;
    if (f->len - *pos < 5) return -1;
    out->tag = f->body[*pos];
    out->len = get_u32(f->body + *pos + 1);
    if (out->len > f->len - *pos - 5) return -1;
    out->value = f->body + *pos + 5;
    *pos += 5 + out->len;
    return 1;
}
static int find_field(const frame_t *f, uint8_t tag, field_t *out) {
    uint32_t pos = 0; field_t fl; int r;
    while ((r = next_field(f, &pos, &fl)) > 0) if (fl.tag == tag) { *out = fl; return 1; }
    return 0;
}
static char *field_cstr(const field_t *fl) {
    char *s = malloc(fl->len + 1);
    if (!s) _exit(1);
    memcpy(s, fl->value, fl->len); s[fl->len] = 0;
    return s;
}

/* Writes everything to a pipe or file; -1 if the reader is gone. */
static int write_all(int fd, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w; n -= (size_t)w;
    }
    return 0;
}

/* The port refuses writes while no host is connected; the host reconnects, so wait for it. */
static void write_port(const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(port, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { sleep_ms(1); continue; }
        p += w; n -= (size_t)w;
    }
}

static void send_frame(uint8_t type, uint32_t id, const buf_t *body) {
    buf_t f = {0};
    uint8_t head[4] = { 'F', 'C', PROTOCOL_VERSION, type };
    buf_put(&f, head, 4); buf_u32(&f, id); buf_u32(&f, body ? (uint32_t)body->len : 0);
    if (body && body->len) buf_put(&f, body->data, body->len);
    write_port(f.data, f.len);
    free(f.data);
}

static void send_error(uint32_t id, const char *kind, const char *message, const tail_t *tail,
                       uint64_t exec_ns, int fatal) {
    buf_t b = {0};
    field_str(&b, F_ERROR_KIND, kind);
    field_str(&b, F_MESSAGE, message);
    if (tail) tail_field(&b, tail);
    if (exec_ns) field_u64(&b, F_EXEC_NS, exec_ns);
    field_u64(&b, F_FATAL, fatal ? 1 : 0);
    send_frame(ERROR, id, &b);
    free(b.data);
}

/* Reads exactly n bytes from the port. read() returns 0 while no host is connected (before the first
   connection and while a snapshot is being taken or restored): a partial frame is then lost, so
   report it and let the caller wait for a fresh frame. */
static int port_read(uint8_t *p, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(port, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return got == 0 ? 0 : -1;
        got += (size_t)r;
    }
    return 1;
}

static int read_frame(frame_t *f) {
    uint8_t h[HEADER_BYTES];
    int r = port_read(h, HEADER_BYTES);
    if (r <= 0) return r;
    if (h[0] != 'F' || h[1] != 'C' || h[2] != PROTOCOL_VERSION) return -2;
    f->type = h[3]; f->id = get_u32(h + 4); f->len = get_u32(h + 8);
    if (f->len > MAX_HOST_BODY) return -2;
    f->body = malloc(f->len ? f->len : 1);
    if (!f->body) _exit(1);
    if (f->len && port_read(f->body, f->len) <= 0) { free(f->body); return -1; }
    return 1;
}

/* ---------- function state ---------- */

/* python and nodejs: one long-lived interpreter serving RUNs over pipes; exec: one process per RUN */
static enum { RT_NONE, RT_INTERPRETER, RT_EXEC } runtime = RT_NONE;
typedef struct { const char *name, *path, *script; } interpreter_t;
static const interpreter_t INTERPRETERS[] = {
    { "python", "/usr/bin/python3", "/faascell/pyrt.py" },
    { "nodejs", "/usr/bin/node", "/faascell/nodert.mjs" },
};
static const interpreter_t *interpreter;
static char *handler;
static char *env[MAX_ENV + 8];
static int env_count;
static pid_t rt_pid = -1;
static int rt_exit_status;   /* valid once rt_pid is -1 after the runtime ended */
static int rt_requests = -1, rt_responses = -1, rt_output = -1;
static tail_t tail;

static void add_env(const char *kv) { if (env_count < MAX_ENV + 7) { env[env_count++] = strdup(kv); env[env_count] = NULL; } }

/* Enters the runtime root in a child, before exec. */
static void enter_root(void) {
    if (chroot(root) != 0 || chdir("/fn") != 0) { perror("faascell-agent: chroot"); _exit(126); }
}

static int safe_filename(const char *s) {
    if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strlen(s) > 255) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-')) return 0;
    return 1;
}
static int safe_relative_path(const char *s) {
    if (!*s || s[0] == '/' || strstr(s, "..")) return 0;
    return 1;
}

static int write_file(const char *path, const uint8_t *p, size_t n, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, p + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { close(fd); return -1; }
        off += (size_t)w;
    }
    return close(fd);
}

static int wait_child(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0) if (errno != EINTR) return -1;
    return status;
}

static void describe_status(char *out, size_t n, const char *what, int status) {
    if (WIFEXITED(status)) snprintf(out, n, "%s exited with status %d", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(out, n, "%s was killed by signal %d", what, WTERMSIG(status));
    else snprintf(out, n, "%s ended (status 0x%x)", what, status);
}

static int unpack_zip(const uint8_t *code, size_t n, char *err, size_t errn) {
    char zip[512];
    snprintf(zip, sizeof zip, "%s/tmp/.code.zip", root);
    if (write_file(zip, code, n, 0600) != 0) { snprintf(err, errn, "cannot write the code: %s", strerror(errno)); return -1; }
    pid_t pid = fork();
    if (pid == 0) {
        enter_root();
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0); dup2(devnull, 1);
        execl("/bin/busybox", "unzip", "-o", "-q", "/tmp/.code.zip", "-d", "/fn", (char *)NULL);
        _exit(127);
    }
    int status = wait_child(pid);
    unlink(zip);
    if (status != 0) { describe_status(err, errn, "unzip", status); return -1; }
    return 0;
}

/* Reads whatever the runtime printed so far into the tail, without blocking. */
static void drain_output(void) {
    char chunk[4096];
    if (rt_output < 0) return;
    for (;;) {
        ssize_t r = read(rt_output, chunk, sizeof chunk);
        if (r > 0) { tail_put(&tail, chunk, (size_t)r); continue; }
        if (r == 0) { close(rt_output); rt_output = -1; }
        return;
    }
}

/* Waits for one response of the interpreter runtime; returns 1, or 0 if the runtime died. A result over
   MAX_OUTPUT is read and dropped, and reported as status 2. */
static int rt_response(uint8_t *status, uint64_t *exec_ns, buf_t *data) {
    uint8_t head[13]; size_t have = 0; uint32_t len = 0; int in_body = 0, oversize = 0;
    for (;;) {
        struct pollfd p[2] = { { rt_responses, POLLIN, 0 }, { rt_output, POLLIN, 0 } };
        int r = poll(p, rt_output >= 0 ? 2 : 1, -1);
        if (r < 0) { if (errno == EINTR) continue; return 0; }
        if (rt_output >= 0 && p[1].revents) drain_output();
        if (!p[0].revents) continue;
        if (!in_body) {
            ssize_t n = read(rt_responses, head + have, sizeof head - have);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return 0;
            have += (size_t)n;
            if (have == sizeof head) {
                *status = head[0]; *exec_ns = get_u64(head + 1); len = get_u32(head + 9);
                in_body = 1; have = 0;
                if (len > MAX_OUTPUT) { oversize = 1; *status = 2; }
                if (len == 0) { drain_output(); return 1; }
            }
        } else {
            uint8_t chunk[65536];
            size_t want = len - have < sizeof chunk ? len - have : sizeof chunk;
            ssize_t n = read(rt_responses, chunk, want);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return 0;
            if (!oversize) buf_put(data, chunk, (size_t)n);
            have += (size_t)n;
            if (have == len) { drain_output(); return 1; }
        }
    }
}

static void rt_died(uint32_t id, const char *during) {
    char msg[256], what[64];
    drain_output();
    if (rt_pid > 0) { rt_exit_status = wait_child(rt_pid); rt_pid = -1; }
    snprintf(what, sizeof what, "the %s runtime (%s)", interpreter->name, during);
    describe_status(msg, sizeof msg, what, rt_exit_status);
    send_error(id, "runtime", msg, &tail, 0, 1);
}

static int start_interpreter(uint32_t id) {
    int req[2], resp[2], out[2];
    if (pipe2(req, O_CLOEXEC) || pipe2(resp, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
        send_error(id, "system", "pipe failed", NULL, 0, 1); return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* move the sources above the targets first: dup2 onto itself would keep O_CLOEXEC */
        int devnull = fcntl(open("/dev/null", O_RDONLY | O_CLOEXEC), F_DUPFD_CLOEXEC, 10);
        int o = fcntl(out[1], F_DUPFD_CLOEXEC, 10), rq = fcntl(req[0], F_DUPFD_CLOEXEC, 10);
        int rs = fcntl(resp[1], F_DUPFD_CLOEXEC, 10);
        dup2(devnull, 0); dup2(o, 1); dup2(o, 2); dup2(rq, 3); dup2(rs, 4);
        enter_root();
        char *argv[] = { (char *)interpreter->path, (char *)interpreter->script, handler, NULL };
        execve(interpreter->path, argv, env);
        perror("faascell-agent: exec the runtime");
        _exit(127);
    }
    close(req[0]); close(resp[1]); close(out[1]);
    rt_pid = pid; rt_requests = req[1]; rt_responses = resp[0]; rt_output = out[0];
    fcntl(rt_output, F_SETFL, O_NONBLOCK);
    tail_reset(&tail);
    uint8_t status; uint64_t ns; buf_t data = {0};
    if (!rt_response(&status, &ns, &data)) { rt_died(id, "while importing the handler"); free(data.data); return -1; }
    if (status != 0) {
        buf_u8(&data, 0);
        send_error(id, "init", (char *)data.data, &tail, 0, 1);
        free(data.data);
        return -1;
    }
    free(data.data);
    return 0;
}

static void on_init(const frame_t *f) {
    field_t fl;
    if (runtime != RT_NONE) { send_error(f->id, "protocol", "already initialized", NULL, 0, 0); return; }
    if (!find_field(f, F_RUNTIME, &fl)) { send_error(f->id, "protocol", "INIT without RUNTIME", NULL, 0, 0); return; }
    char *rt = field_cstr(&fl);
    int exec_rt = strcmp(rt, "exec") == 0;
    interpreter = NULL;
    for (size_t i = 0; i < sizeof INTERPRETERS / sizeof *INTERPRETERS; i++)
        if (strcmp(rt, INTERPRETERS[i].name) == 0) interpreter = &INTERPRETERS[i];
    free(rt);
    if (!interpreter && !exec_rt) { send_error(f->id, "init", "unknown runtime", NULL, 0, 1); return; }
    if (!find_field(f, F_HANDLER, &fl)) { send_error(f->id, "protocol", "INIT without HANDLER", NULL, 0, 0); return; }
    handler = field_cstr(&fl);

    field_t code, format, name;
    if (!find_field(f, F_CODE, &code) || !find_field(f, F_CODE_FORMAT, &format)) {
        send_error(f->id, "protocol", "INIT without CODE", NULL, 0, 0); return;
    }
    char err[512] = "";
    char *fmt = field_cstr(&format);
    if (strcmp(fmt, "zip") == 0) {
        if (unpack_zip(code.value, code.len, err, sizeof err) != 0) { free(fmt); send_error(f->id, "init", err, NULL, 0, 1); return; }
    } else {
        char *file = find_field(f, F_CODE_FILENAME, &name) ? field_cstr(&name) : strdup("main.py");
        char path[512];
        snprintf(path, sizeof path, "%s/fn/%s", root, file);
        if (!safe_filename(file) || write_file(path, code.value, code.len, 0755) != 0) {
            snprintf(err, sizeof err, "cannot write the code file '%s'", file);
            free(file); free(fmt); send_error(f->id, "init", err, NULL, 0, 1); return;
        }
        free(file);
    }
    free(fmt);

    env_count = 0;
    add_env("PATH=/usr/bin:/bin"); add_env("HOME=/tmp"); add_env("LANG=C.UTF-8");
    add_env("PYTHONDONTWRITEBYTECODE=1"); add_env("PYTHONUNBUFFERED=1"); add_env("PYTHONPATH=/fn");
    add_env("NODE_PATH=/fn");
    /* what a handler's context reports (Lambda's names; the timeout is FaaSCell's) */
    char kv[512];
    if (find_field(f, F_FUNCTION_NAME, &fl)) {
        char *value = field_cstr(&fl);
        snprintf(kv, sizeof kv, "AWS_LAMBDA_FUNCTION_NAME=%s", value); add_env(kv); free(value);
    }
    if (find_field(f, F_MEMORY_MB, &fl) && fl.len == 8) {
        snprintf(kv, sizeof kv, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%llu", (unsigned long long)get_u64(fl.value)); add_env(kv);
    }
    if (find_field(f, F_TIMEOUT_MS, &fl) && fl.len == 8) {
        snprintf(kv, sizeof kv, "FAASCELL_FUNCTION_TIMEOUT_MS=%llu", (unsigned long long)get_u64(fl.value)); add_env(kv);
    }
    uint32_t pos = 0; int r;
    while ((r = next_field(f, &pos, &fl)) > 0) if (fl.tag == F_ENV) { char *kv = field_cstr(&fl); add_env(kv); free(kv); }

    if (interpreter) {
        if (start_interpreter(f->id) != 0) return;
        runtime = RT_INTERPRETER;
    } else {
        char path[512];
        snprintf(path, sizeof path, "%s/fn/%s", root, handler);
        if (!safe_relative_path(handler) || chmod(path, 0755) != 0) {
            snprintf(err, sizeof err, "handler '%s' is not a file in the code", handler);
            send_error(f->id, "init", err, NULL, 0, 1); return;
        }
        runtime = RT_EXEC;
    }
    send_frame(OK, f->id, NULL);
}

static void send_result(uint32_t id, const buf_t *out, uint64_t exec_ns) {
    buf_t b = {0};
    field_bytes(&b, F_PAYLOAD, out->data ? out->data : (uint8_t *)"", out->len);
    field_u64(&b, F_EXEC_NS, exec_ns ? exec_ns : 1);
    tail_field(&b, &tail);
    send_frame(RESULT, id, &b);
    free(b.data);
}

/* Request R carries the request id (length byte, then the id) before the payload. */
static void run_interpreter(uint32_t id, const field_t *payload, const field_t *request_id) {
    drain_output();
    tail_reset(&tail);
    buf_t req = {0};
    uint8_t id_len = request_id->len > 255 ? 255 : (uint8_t)request_id->len;
    buf_u8(&req, 'R'); buf_u32(&req, 1 + id_len + payload->len);
    buf_u8(&req, id_len); buf_put(&req, request_id->value, id_len); buf_put(&req, payload->value, payload->len);
    int sent = write_all(rt_requests, req.data, req.len);
    free(req.data);
    uint8_t status; uint64_t ns; buf_t out = {0};
    if (sent != 0 || !rt_response(&status, &ns, &out)) { rt_died(id, "while running the handler"); runtime = RT_NONE; free(out.data); return; }
    if (status == 0) send_result(id, &out, ns);
    else if (status == 2) send_error(id, "function", "the function's result exceeds 6 MiB", &tail, ns ? ns : 1, 0);
    else { buf_u8(&out, 0); send_error(id, "function", (char *)out.data, &tail, ns ? ns : 1, 0); }
    free(out.data);
}

static void run_exec(uint32_t id, const field_t *payload) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
        send_error(id, "system", "pipe failed", NULL, 0, 0); return;
    }
    tail_reset(&tail);
    uint64_t start = now_ns(CLOCK_MONOTONIC);
    pid_t pid = fork();
    if (pid == 0) {
        int i = fcntl(in[0], F_DUPFD_CLOEXEC, 10), o = fcntl(out[1], F_DUPFD_CLOEXEC, 10);
        int e = fcntl(err[1], F_DUPFD_CLOEXEC, 10);
        dup2(i, 0); dup2(o, 1); dup2(e, 2);
        enter_root();
        char path[512];
        snprintf(path, sizeof path, "/fn/%s", handler);
        char *argv[] = { path, NULL };
        execve(path, argv, env);
        fprintf(stderr, "cannot execute %s: %s\n", handler, strerror(errno));
        _exit(127);
    }
    close(in[0]); close(out[1]); close(err[1]);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    size_t written = 0;
    int stdin_fd = in[1], stdout_fd = out[0], stderr_fd = err[0], too_big = 0;
    if (payload->len == 0) { close(stdin_fd); stdin_fd = -1; }
    buf_t result = {0};
    while (stdout_fd >= 0 || stderr_fd >= 0) {
        struct pollfd p[3] = { { stdout_fd, POLLIN, 0 }, { stderr_fd, POLLIN, 0 }, { stdin_fd, POLLOUT, 0 } };
        if (poll(p, 3, -1) < 0) { if (errno == EINTR) continue; break; }
        char chunk[65536];
        if (stdin_fd >= 0 && p[2].revents) {
            ssize_t w = write(stdin_fd, payload->value + written, payload->len - written);
            if (w > 0) written += (size_t)w;
            if (w < 0 && errno != EAGAIN && errno != EINTR) written = payload->len;  /* the function closed stdin */
            if (written == payload->len) { close(stdin_fd); stdin_fd = -1; }
        }
        if (stdout_fd >= 0 && p[0].revents) {
            ssize_t r = read(stdout_fd, chunk, sizeof chunk);
            if (r > 0 && result.len + (size_t)r <= MAX_OUTPUT) buf_put(&result, chunk, (size_t)r);
            else if (r > 0) { too_big = 1; kill(pid, SIGKILL); }
            else if (r == 0 || errno != EINTR) { close(stdout_fd); stdout_fd = -1; }
        }
        if (stderr_fd >= 0 && p[1].revents) {
            ssize_t r = read(stderr_fd, chunk, sizeof chunk);
            if (r > 0) tail_put(&tail, chunk, (size_t)r);
            else if (r == 0 || errno != EINTR) { close(stderr_fd); stderr_fd = -1; }
        }
    }
    if (stdin_fd >= 0) close(stdin_fd);
    int status = wait_child(pid);
    uint64_t exec_ns = now_ns(CLOCK_MONOTONIC) - start;
    if (too_big) send_error(id, "function", "the function's output exceeds 6 MiB", &tail, exec_ns, 0);
    else if (status == 0) send_result(id, &result, exec_ns);
    else { char msg[128]; describe_status(msg, sizeof msg, handler, status); send_error(id, "function", msg, &tail, exec_ns, 0); }
    free(result.data);
}

/* Applies the host's wall clock; NULL, or why it could not. */
static const char *apply_clock(const field_t *fl) {
    if (fl->len != 8) return "REALTIME_NS must be 8 bytes";
    uint64_t ns = get_u64(fl->value);
    struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
    return clock_settime(CLOCK_REALTIME, &ts) == 0 ? NULL : strerror(errno);
}

/* Mixes the host's entropy into the kernel pool, forces the CRNG to reseed now, and reseeds the
   runtime's own generator, so getrandom() and random() diverge in every clone of one snapshot. NULL,
   or why it could not (the runtime is then gone). */
static const char *apply_entropy(uint32_t id, const field_t *fl) {
    if (fl->len == 0 || fl->len > 4096) return "ENTROPY must be 1..4096 bytes";
    int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        struct rand_pool_info *info = malloc(sizeof *info + fl->len);
        info->entropy_count = (int)fl->len * 8;
        info->buf_size = (int)fl->len;
        memcpy(info->buf, fl->value, fl->len);
        if (ioctl(fd, RNDADDENTROPY, info) != 0 && write_all(fd, fl->value, fl->len) != 0)
            perror("faascell-agent: reseed");
        ioctl(fd, RNDRESEEDCRNG);
        free(info);
        close(fd);
    }
    if (runtime == RT_INTERPRETER) {
        buf_t req = {0};
        buf_u8(&req, 'S'); buf_u32(&req, fl->len); buf_put(&req, fl->value, fl->len);
        int sent = write_all(rt_requests, req.data, req.len);
        free(req.data);
        uint8_t status; uint64_t ns; buf_t out = {0};
        int answered = sent == 0 && rt_response(&status, &ns, &out);
        free(out.data);
        if (!answered) { rt_died(id, "while reseeding"); runtime = RT_NONE; return ""; }
    }
    return NULL;
}

/* A RUN may carry the host's clock and entropy: the first RUN after a restore does, so that the guest is
   brought up to date in the same exchange as the invocation (no extra round trip), and always before the
   function runs. A guest that cannot apply them fails the RUN as fatal, kind "resume": the function never
   runs with a stale clock or a clone's shared randomness. */
static void on_run(const frame_t *f) {
    field_t payload = { F_PAYLOAD, 0, (const uint8_t *)"" };
    field_t request_id = { F_REQUEST_ID, 0, (const uint8_t *)"" };
    field_t fl;
    find_field(f, F_PAYLOAD, &payload);
    find_field(f, F_REQUEST_ID, &request_id);
    const char *problem = NULL;
    if (find_field(f, F_REALTIME_NS, &fl)) problem = apply_clock(&fl);
    if (!problem && find_field(f, F_ENTROPY, &fl)) problem = apply_entropy(f->id, &fl);
    if (problem) {
        if (*problem) send_error(f->id, "resume", problem, NULL, 0, 1);   /* "": the runtime died and said so */
        return;
    }
    if (runtime == RT_INTERPRETER) run_interpreter(f->id, &payload, &request_id);
    else if (runtime == RT_EXEC) run_exec(f->id, &payload);
    else send_error(f->id, "protocol", "RUN before a successful INIT", NULL, 0, 1);
}

static void on_set_clock(const frame_t *f) {
    field_t fl;
    if (!find_field(f, F_REALTIME_NS, &fl)) { send_error(f->id, "protocol", "SET_CLOCK without REALTIME_NS", NULL, 0, 0); return; }
    const char *problem = apply_clock(&fl);
    if (problem) send_error(f->id, "system", problem, NULL, 0, 0);
    else send_frame(OK, f->id, NULL);
}

static void on_reseed(const frame_t *f) {
    field_t fl = { F_ENTROPY, 0, NULL };
    find_field(f, F_ENTROPY, &fl);
    const char *problem = apply_entropy(f->id, &fl);
    if (!problem) send_frame(OK, f->id, NULL);
    else if (*problem) send_error(f->id, "protocol", problem, NULL, 0, 0);
}

static uint64_t mem_total_kb(void) {
    FILE *m = fopen("/proc/meminfo", "r");
    unsigned long long kb = 0;
    if (m) { if (fscanf(m, "MemTotal: %llu kB", &kb) != 1) kb = 0; fclose(m); }
    return kb;
}

static void on_hello(const frame_t *f) {
    buf_t b = {0};
    field_u64(&b, F_PROTOCOL_VERSION, PROTOCOL_VERSION);
    field_str(&b, F_AGENT_VERSION, AGENT_VERSION);
    field_u64(&b, F_UPTIME_NS, now_ns(CLOCK_BOOTTIME));
    field_u64(&b, F_MEM_TOTAL_KB, mem_total_kb());
    send_frame(READY, f->id, &b);
    free(b.data);
}

static void on_ping(const frame_t *f) {
    buf_t b = {0};
    field_u64(&b, F_UPTIME_NS, now_ns(CLOCK_BOOTTIME));
    send_frame(PONG, f->id, &b);
    free(b.data);
}

/* As PID 1 the agent inherits every orphan; reap them, noticing if the runtime's interpreter was one. */
static void reap_orphans(void) {
    int status; pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        if (pid == rt_pid) { rt_exit_status = status; rt_pid = -1; }
}

/* The host names the virtio-serial port; its device node (vport<device>p<port>) depends on the order
   of the VM's virtio devices, so look the name up in sysfs. */
static int open_port(const char *name, char *path, size_t n) {
    DIR *dir = opendir("/sys/class/virtio-ports");
    struct dirent *e;
    int fd = -1;
    if (!dir) return -1;
    while (fd < 0 && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char file[300], found[128] = "";
        snprintf(file, sizeof file, "/sys/class/virtio-ports/%s/name", e->d_name);
        FILE *f = fopen(file, "r");
        if (!f) continue;
        if (fgets(found, sizeof found, f)) found[strcspn(found, "\n")] = 0;
        fclose(f);
        if (strcmp(found, name) == 0) {
            snprintf(path, n, "/dev/%s", e->d_name);
            fd = open(path, O_RDWR | O_CLOEXEC);
        }
    }
    closedir(dir);
    return fd;
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "dev.faascell.agent";
    char path[300];
    if (argc > 2) root = argv[2];
    signal(SIGPIPE, SIG_IGN);
    while ((port = open_port(name, path, sizeof path)) < 0) sleep_ms(1);
    for (;;) {
        frame_t f = {0};
        int r = read_frame(&f);
        if (r == 0 || r == -1) { sleep_ms(1); continue; }    /* no host connected */
        if (r == -2) {                                       /* not our protocol: resynchronise */
            send_error(0, "protocol", "bad frame header", NULL, 0, 0);
            continue;
        }
        switch (f.type) {
            case HELLO: on_hello(&f); break;
            case INIT: on_init(&f); break;
            case RUN: on_run(&f); break;
            case PING: on_ping(&f); break;
            case SET_CLOCK: on_set_clock(&f); break;
            case RESEED: on_reseed(&f); break;
            default: send_error(f.id, "protocol", "unknown message type", NULL, 0, 0);
        }
        free(f.body);
        reap_orphans();
    }
}
