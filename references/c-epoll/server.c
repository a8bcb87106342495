/*
 * The echo and http workloads of asyncbench in C: one thread, one level-triggered epoll set,
 * non-blocking sockets. The machine's limit: what the same protocol costs with nothing between
 * the code and the kernel, the row every JVM style is measured against.
 *
 * The bytes on the wire are those of every JVM strategy (the io.asyncbench.api.http package
 * documentation; io.asyncbench.api.Limits.DEFAULTS for the limits).
 *
 *     cc -O2 -o server server.c
 *     ./server --port 9000 echo
 *     ./server --port 9000 --idle-timeout-ms 30000 http
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* io.asyncbench.api.Limits.DEFAULTS */
#define READ_BUFFER (16 * 1024)
#define WRITE_HIGH_WATER (64 * 1024)
#define WRITE_LOW_WATER (32 * 1024)
#define MAX_HEADER_BYTES (8 * 1024)
#define MAX_BODY_BYTES (1024 * 1024)
#define MAX_FAN_OUT 64
/* io.asyncbench.api.http.LingeringClose: after a closing answer and our FIN, what the client still
 * sends is read and dropped until it closes, for at most 1 s or 4 MiB, then the connection closes. */
#define DRAIN_NS (1000LL * 1000 * 1000)
#define DRAIN_BYTES (4 << 20)

enum workload { ECHO, HTTP };
enum timer_kind { IDLE, DELAY, LINGER, ACCEPT };

/* ------------------------------------------------------------------------------------------ */
/* Byte buffers and time. */

typedef struct {
    char *data;
    size_t start, len, cap; /* bytes in use are data[start .. start + len) */
} buffer;

static void buffer_reserve(buffer *b, size_t more) {
    if (b->start > 0 && b->start + b->len + more > b->cap) {
        memmove(b->data, b->data + b->start, b->len);
        b->start = 0;
    }
    if (b->len + more > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + more) cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data) { perror("realloc"); exit(1); }
        b->cap = cap;
    }
}

static void buffer_append(buffer *b, const void *bytes, size_t n) {
    buffer_reserve(b, n);
    memcpy(b->data + b->start + b->len, bytes, n);
    b->len += n;
}

static void buffer_consume(buffer *b, size_t n) {
    b->start += n;
    b->len -= n;
    if (b->len == 0) b->start = 0;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* ------------------------------------------------------------------------------------------ */
/* Connections, indexed by file descriptor; a generation tells a timer whether its connection
 * is still the one it was set for. */

typedef struct {
    bool has_head;     /* head parsed, body still arriving */
    size_t head_len;
    bool get, head_only, http10, keep_alive, expect_continue;
    const char *method_name;
    int endpoint;      /* index into ENDPOINTS, or -1 */
    long ms;
    size_t body_len;
} request;

typedef struct {
    bool open;
    uint32_t generation;
    uint32_t events;   /* what epoll is asked for now */
    buffer in, out;
    bool eof;          /* the peer half-closed */
    bool closing;      /* a closing answer is queued: flush, end our side, drain, close */
    bool shut;         /* our side is ended */
    bool waiting;      /* a /delay holds the line */
    bool write_paused; /* above the high water mark until below the low one */
    request req;
    request delayed;
    int64_t heard_from;
    size_t buffered_at_idle_check;
    size_t drained;       /* bytes read and dropped since a closing answer */
    size_t blank;         /* blank-line bytes before this request line: they count toward the limit */
    int64_t head_started; /* when the head being read began (0: none is being read) */
    int64_t check_due;    /* the one live idle/head-deadline check; other heap entries are stale */
} connection;

static connection *connections;
static size_t connection_slots;
static int epoll_fd;
static enum workload workload;
static int64_t idle_timeout_ns = 30000LL * 1000 * 1000;
static int64_t head_deadline_ns = 10000LL * 1000 * 1000;

typedef struct {
    int64_t due;
    int fd;
    uint32_t generation;
    enum timer_kind kind;
} timer;

static timer *timers;
static size_t timer_count, timer_cap;

static void timer_add(int64_t due, int fd, enum timer_kind kind) {
    if (timer_count == timer_cap) {
        timer_cap = timer_cap ? timer_cap * 2 : 1024;
        timers = realloc(timers, timer_cap * sizeof(timer));
        if (!timers) { perror("realloc"); exit(1); }
    }
    size_t i = timer_count++;
    timer t = {due, fd, fd < 0 ? 0 : connections[fd].generation, kind};
    while (i > 0 && timers[(i - 1) / 2].due > t.due) {
        timers[i] = timers[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    timers[i] = t;
}

static timer timer_pop(void) {
    timer top = timers[0], last = timers[--timer_count];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= timer_count) break;
        if (child + 1 < timer_count && timers[child + 1].due < timers[child].due) child++;
        if (timers[child].due >= last.due) break;
        timers[i] = timers[child];
        i = child;
    }
    if (timer_count > 0) timers[i] = last;
    return top;
}

static void close_connection(int fd) {
    connection *c = &connections[fd];
    close(fd); /* also removes it from the epoll set */
    free(c->in.data);
    free(c->out.data);
    uint32_t generation = c->generation;
    memset(c, 0, sizeof *c);
    c->generation = generation + 1;
}

/* Level-triggered: ask for readability while we want input, writability while output waits. */
static void update_interest(int fd) {
    connection *c = &connections[fd];
    bool reading = !c->eof && (c->closing || (!c->waiting && !c->write_paused));
    uint32_t events = (reading ? EPOLLIN : 0) | (c->out.len > 0 ? EPOLLOUT : 0);
    if (events != c->events) {
        struct epoll_event ev = {.events = events, .data.fd = fd};
        epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
        c->events = events;
    }
}

/* Writes what the kernel takes now; false when the connection is gone. */
static bool flush(int fd) {
    connection *c = &connections[fd];
    while (c->out.len > 0) {
        ssize_t n = send(fd, c->out.data + c->out.start, c->out.len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN) break;
            close_connection(fd);
            return false;
        }
        buffer_consume(&c->out, (size_t) n);
    }
    if (c->out.len > WRITE_HIGH_WATER) c->write_paused = true;
    if (c->out.len < WRITE_LOW_WATER) c->write_paused = false;
    if (c->out.len == 0 && c->eof && !c->waiting) {
        close_connection(fd); /* the client is done and has every answer */
        return false;
    }
    if (c->out.len == 0 && c->closing && !c->shut) {
        shutdown(fd, SHUT_WR);
        c->shut = true;
        timer_add(now_ns() + DRAIN_NS, fd, LINGER);
    }
    update_interest(fd);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* echo */

static void echo_readable(int fd) {
    connection *c = &connections[fd];
    char data[READ_BUFFER];
    ssize_t n = recv(fd, data, sizeof data, 0);
    if (n > 0) {
        buffer_append(&c->out, data, (size_t) n);
        flush(fd);
    } else if (n == 0) {
        c->eof = true; /* finish writing, then close */
        flush(fd);
    } else if (errno != EAGAIN) {
        close_connection(fd);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* http: the subset of io.asyncbench.api.http, byte for byte. */

static const char *const METHODS[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH",
                                      "TRACE", "CONNECT"};
static const struct { const char *path, *method; } ENDPOINTS[] = {
    {"/plaintext", "GET"}, {"/json", "GET"}, {"/echo", "POST"}, {"/delay", "GET"},
    {"/fanout", "GET"}};
enum { PLAINTEXT, JSON, ECHO_BODY, DELAY_MS, FANOUT };

static const char *reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    default: return "HTTP Version Not Supported";
    }
}

static bool closes(int status) {
    return status == 400 || status == 408 || status == 413 || status == 431 || status == 501 || status == 505;
}

static bool is_token(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
           || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static bool equals_ignore_case(const char *s, size_t n, const char *lower) {
    return strlen(lower) == n && strncasecmp(s, lower, n) == 0;
}

static bool equals_exactly(const char *s, size_t n, const char *text) {
    return strlen(text) == n && memcmp(s, text, n) == 0;
}

static char *find(const char *from, const char *to, char ch) {
    return from < to ? memchr(from, ch, (size_t) (to - from)) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The request syntax of io.asyncbench.api.http (package documentation, "Request syntax"), as
 * HttpRequestParser and HttpSyntax read it. */

enum { MISCASED = -1, OTHER_VERSION = -2, UNKNOWN_ENDPOINT = -1, BAD_TARGET = -2 };

static bool is_blank(char ch) {
    return ch == ' ' || ch == '\t';
}

/* A word separator in the request line: SP, HTAB, VT, FF or CR (the head holds no other controls). */
static bool is_separator(char ch) {
    return (unsigned char) ch <= ' ';
}

/* Before a request line: SP and the controls (Netty's codec skips the same). */
static bool skipped_before_request_line(char ch) {
    return (unsigned char) ch <= ' ' || ch == 0x7f;
}

static int hex(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* RFC 3986 unreserved, sub-delims, ':' and the brackets of an IP literal. */
static bool is_host_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
           || (ch && strchr("-._~!$&'()*+,;=:[]", ch));
}

/* Empty, or host[:port] characters and percent-escapes. */
static bool is_valid_host(const char *s, const char *end) {
    for (; s < end; s++) {
        if (*s == '%') {
            if (s + 2 >= end || hex(s[1]) < 0 || hex(s[2]) < 0) return false;
        } else if (!is_host_char(*s)) {
            return false;
        }
    }
    return true;
}

/* The next character of s[.. end), percent-decoded. */
static int next_decoded(const char **s, const char *end) {
    const char *p = *s;
    if (*p == '%' && p + 2 < end) {
        *s = p + 3;
        return hex(p[1]) << 4 | hex(p[2]);
    }
    *s = p + 1;
    return (unsigned char) *p;
}

static bool decoded_equals(const char *s, const char *end, const char *expected) {
    size_t n = strlen(expected), matched = 0;
    while (s < end) {
        int ch = next_decoded(&s, end);
        if (matched == n || ch != (unsigned char) expected[matched++]) return false;
    }
    return matched == n;
}

/* The endpoint a request-target names: origin-form /path[?query] or absolute-form
 * http://host[:port][/path][?query], its path percent-decoded; UNKNOWN_ENDPOINT for another path,
 * BAD_TARGET (400) for another form, a byte outside visible US-ASCII or a '%' not starting an escape. */
static int target_endpoint(const char *target, const char *end) {
    const char *query = end;
    for (const char *p = target; p < end; p++) {
        unsigned char ch = (unsigned char) *p;
        if (ch <= ' ' || ch >= 0x7f) return BAD_TARGET;
        if (ch == '%' && (p + 2 >= end || hex(p[1]) < 0 || hex(p[2]) < 0)) return BAD_TARGET;
        if (ch == '?' && query == end) query = p;
    }
    const char *path = target;
    if (query == target || *target != '/') {
        if (end - target < 7 || strncasecmp(target, "http://", 7) != 0) return BAD_TARGET;
        for (path = target + 7; path < query && *path != '/'; path++)
            if (!is_host_char(*path) && *path != '%') return BAD_TARGET; /* no userinfo: RFC 9110 section 4.2.4 */
        if (path == target + 7) return BAD_TARGET;
    }
    for (int i = 0; i < (int) (sizeof ENDPOINTS / sizeof *ENDPOINTS); i++)
        if (decoded_equals(path, query, ENDPOINTS[i].path)) return i;
    return UNKNOWN_ENDPOINT;
}

/* The last name=value pair's value in the target's query ('&'-separated, percent-decoded): 1 to 9
 * digits within [low, high]; -1 when missing or malformed (then 400). */
static long query_parameter(const char *target, const char *end, const char *name, long low, long high) {
    long value = -1;
    for (const char *pair = find(target, end, '?'); pair && pair < end;) {
        pair++;
        const char *pair_end = find(pair, end, '&');
        if (!pair_end) pair_end = end;
        const char *equals = find(pair, pair_end, '=');
        if (equals && decoded_equals(pair, equals, name)) {
            int digits = 0;
            value = 0;
            for (const char *p = equals + 1; p < pair_end;) {
                int ch = next_decoded(&p, pair_end);
                if (ch < '0' || ch > '9' || ++digits > 9) return -1;
                value = value * 10 + ch - '0';
            }
            if (digits == 0) return -1;
        }
        pair = pair_end;
    }
    return value < low || value > high ? -1 : value;
}

/* 11 or 10; MISCASED for either in another case; OTHER_VERSION for another HTTP/d.d; 0: malformed. */
static int http_version(const char *v, const char *end) {
    if (end - v == 8 && v[6] == '.' && v[5] >= '0' && v[5] <= '9' && v[7] >= '0' && v[7] <= '9'
        && strncasecmp(v, "http/", 5) == 0) {
        int number = (v[5] - '0') * 10 + v[7] - '0';
        if (number != 10 && number != 11) return OTHER_VERSION;
        return memcmp(v, "HTTP/", 5) == 0 ? number : MISCASED;
    }
    return 0;
}

/* Skips what may precede a request line (counted toward the header limit), then looks for the
 * blank line ending the head, refusing the controls a head may not hold: any but HTAB, and a CR
 * not followed by LF; in the request line VT, FF and a bare CR separate words like SP. Returns 0
 * with *end (past the blank line) and *line_end (the request line's LF), -1 when more bytes are
 * needed, or the error status (400, 431). */
static int find_head(connection *c, size_t *end, size_t *line_end) {
    while (c->in.len > 0 && skipped_before_request_line(c->in.data[c->in.start])) {
        buffer_consume(&c->in, 1);
        if (++c->blank >= MAX_HEADER_BYTES) return 431;
    }
    const unsigned char *h = (const unsigned char *) c->in.data + c->in.start;
    size_t room = MAX_HEADER_BYTES - c->blank, window = c->in.len < room ? c->in.len : room;
    bool in_fields = false;
    for (size_t i = 0; i < window; i++) {
        unsigned char b = h[i];
        if (b >= ' ' && b != 0x7f) continue; /* the common case: visible, SP or obs-text */
        if (b == '\n') {
            if (h[i - 1] == '\n' || (h[i - 1] == '\r' && h[i - 2] == '\n')) {
                *end = i + 1;
                return 0;
            }
            if (!in_fields) *line_end = i;
            in_fields = true;
        } else if (b == '\r') {
            if (i + 1 == window) break; /* decided by the next byte */
            if (h[i + 1] != '\n' && in_fields) return 400;
        } else if (b != '\t' && (in_fields || (b != 0x0b && b != 0x0c))) {
            return 400;
        }
    }
    return window == room ? 431 : -1;
}

/* Parses the head h[0..n) (blank line included; line_end its first LF) into r; returns 0 or the
 * error status. Syntax first (request line, fields, framing), then meaning (method 501, target
 * 400, version 505, Transfer-Encoding 501, Host 400, query 400, size 413): the order every
 * strategy judges a request with several faults in. */
static int parse_head(char *h, size_t n, size_t line_end, request *r) {
    char *end = h + n, *stop = h + line_end;
    if (stop > h && stop[-1] == '\r') stop--;
    if (is_separator(stop[-1])) return 400; /* whitespace at the end of the request line */
    char *method_end = h, *target, *target_end, *version;
    while (method_end < stop && !is_separator(*method_end)) method_end++;
    for (target = method_end; target < stop && is_separator(*target); target++) {}
    for (target_end = target; target_end < stop && !is_separator(*target_end); target_end++) {}
    for (version = target_end; version < stop && is_separator(*version); version++) {}
    if (version == stop) return 400;
    int http = http_version(version, stop);
    if (http == 0) return 400;
    for (const char *p = h; p < method_end; p++)
        if (!is_token(*p)) return 400;

    long long length = -1;
    bool close = false, keep_alive = false, expect_continue = false, transfer_encoding = false;
    bool chunked_last = false;
    int chunked = 0, hosts = 0;
    const char *host = NULL, *host_end = NULL;
    for (char *line = h + line_end + 1;;) {
        char *next = find(line, end, '\n');
        char *value_end = next > line && next[-1] == '\r' ? next - 1 : next;
        if (value_end == line) break; /* the blank line */
        if (is_blank(*line)) return 400; /* whitespace before the first field */
        const char *colon = find(line, value_end, ':');
        if (!colon || colon == line) return 400;
        for (const char *p = line; p < colon; p++)
            if (!is_token(*p)) return 400;
        /* obs-fold: a line starting with SP or HTAB continues the field; replaced by spaces (RFC
         * 9112 section 5.2), but it cannot start a value. */
        while (is_blank(next[1])) {
            const char *v = colon + 1;
            while (v < value_end && is_blank(*v)) v++;
            if (v == value_end) return 400;
            *next = ' ';
            if (next[-1] == '\r') next[-1] = ' ';
            next = find(next + 1, end, '\n');
            value_end = next[-1] == '\r' ? next - 1 : next;
        }
        const char *value = colon + 1, *value_stop = value_end;
        while (value < value_stop && is_blank(*value)) value++;
        while (value_stop > value && is_blank(value_stop[-1])) value_stop--;
        size_t name_len = (size_t) (colon - line), value_len = (size_t) (value_stop - value);
        if (equals_ignore_case(line, name_len, "host")) {
            hosts++;
            host = value;
            host_end = value_stop;
        } else if (equals_ignore_case(line, name_len, "content-length")) {
            if (length >= 0 || value_len == 0) return 400; /* RFC 9110 section 8.6: no duplicates */
            length = 0;
            for (const char *p = value; p < value_stop; p++) {
                if (*p < '0' || *p > '9' || length > (LLONG_MAX - 9) / 10) return 400;
                length = length * 10 + *p - '0';
            }
        } else if (equals_ignore_case(line, name_len, "transfer-encoding")) {
            transfer_encoding = true;
            for (const char *coding = value; coding < value_stop;) {
                const char *comma = find(coding, value_stop, ',');
                const char *a = coding, *b = comma ? comma : value_stop;
                while (a < b && is_blank(*a)) a++;
                while (b > a && is_blank(b[-1])) b--;
                if (a < b) {
                    chunked_last = equals_ignore_case(a, (size_t) (b - a), "chunked");
                    chunked += chunked_last;
                }
                coding = (comma ? comma : value_stop) + 1;
            }
        } else if (equals_ignore_case(line, name_len, "connection")) {
            for (const char *token = value; token < value_stop;) {
                const char *comma = find(token, value_stop, ',');
                const char *a = token, *b = comma ? comma : value_stop;
                while (a < b && is_blank(*a)) a++;
                while (b > a && is_blank(b[-1])) b--;
                close |= equals_ignore_case(a, (size_t) (b - a), "close");
                keep_alive |= equals_ignore_case(a, (size_t) (b - a), "keep-alive");
                token = (comma ? comma : value_stop) + 1;
            }
        } else if (equals_ignore_case(line, name_len, "expect")) {
            expect_continue = equals_ignore_case(value, value_len, "100-continue");
        }
        line = next + 1;
    }
    if (transfer_encoding && (http != 11 || length >= 0 || chunked != 1 || !chunked_last))
        return 400; /* RFC 9112 section 6.1: framing a server must refuse */

    r->method_name = NULL;
    for (size_t i = 0; i < sizeof METHODS / sizeof *METHODS; i++)
        if (equals_exactly(h, (size_t) (method_end - h), METHODS[i])) r->method_name = METHODS[i];
    if (!r->method_name) return 501;
    r->endpoint = target_endpoint(target, target_end);
    if (r->endpoint == BAD_TARGET) return 400;
    if (http == MISCASED) return 400;
    if (http == OTHER_VERSION) return 505;
    r->http10 = http == 10;
    if (transfer_encoding) return 501; /* a chunked body is refused, not decoded */
    if (hosts > 1 || (hosts == 0 && !r->http10) || (hosts == 1 && !is_valid_host(host, host_end))) return 400;
    r->ms = 0;
    if (r->endpoint == DELAY_MS || r->endpoint == FANOUT) {
        if ((r->ms = query_parameter(target, target_end, "ms", 0, 60000)) < 0) return 400;
        if (r->endpoint == FANOUT && query_parameter(target, target_end, "k", 1, MAX_FAN_OUT) < 0) return 400;
    }
    if (length > MAX_BODY_BYTES) return 413;
    r->get = strcmp(r->method_name, "GET") == 0;
    r->head_only = strcmp(r->method_name, "HEAD") == 0;
    r->keep_alive = r->http10 ? keep_alive && !close : !close;
    r->body_len = length > 0 ? (size_t) length : 0;
    r->expect_continue = expect_continue && length > 0 && !r->http10; /* RFC 9110 section 10.1.1 */
    r->head_len = n;
    return 0;
}

/* The Date header line, formatted at most once a second. */
static const char *date_line(void) {
    static time_t formatted = -1;
    static char line[64];
    time_t now = time(NULL);
    if (now != formatted) {
        struct tm utc;
        gmtime_r(&now, &utc);
        strftime(line, sizeof line, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &utc);
        formatted = now;
    }
    return line;
}

static void encode(buffer *out, int status, const char *type, const char *body, size_t body_len,
                   bool close, bool keep_alive10, const char *allow, bool head_only) {
    char head[512];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nServer: asyncbench\r\n%sContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n%s%s%s%s\r\n", status, reason(status), date_line(), type,
                     body_len, allow ? "Allow: " : "", allow ? allow : "", allow ? "\r\n" : "",
                     close ? "Connection: close\r\n" : keep_alive10 ? "Connection: keep-alive\r\n" : "");
    buffer_append(out, head, (size_t) n);
    if (!head_only) buffer_append(out, body, body_len);
}

/* Appends the answer to a complete request that needs no waiting; true when it closes. */
static bool answer(connection *c, const request *r, const char *body) {
    char text[64];
    int status = 200;
    const char *type = "text/plain", *allow = NULL;
    size_t len;
    if (r->endpoint < 0 || r->endpoint == FANOUT) { /* /fanout calls backends: the gateway's */
        status = 404;
    } else if (strcmp(r->method_name, ENDPOINTS[r->endpoint].method) != 0) {
        status = 405;
        allow = ENDPOINTS[r->endpoint].method;
    }
    if (status != 200) {
        bool close = closes(status) || !r->keep_alive;
        len = (size_t) snprintf(text, sizeof text, "%d %s\n", status, reason(status));
        encode(&c->out, status, type, text, len, close, !close && r->http10, allow, r->head_only);
        return close;
    }
    switch (r->endpoint) {
    case PLAINTEXT: body = "Hello, World!"; len = 13; break;
    case JSON: body = "{\"message\":\"Hello, World!\"}"; len = 27; type = "application/json"; break;
    case ECHO_BODY: len = r->body_len; type = "application/octet-stream"; break;
    default: len = (size_t) snprintf(text, sizeof text, "slept %ld ms", r->ms); body = text; break;
    }
    encode(&c->out, 200, type, body, len, !r->keep_alive, r->keep_alive && r->http10, NULL, r->head_only);
    return !r->keep_alive;
}

static void close_after_answer(connection *c) {
    c->closing = true; /* whatever follows is never answered */
    buffer_consume(&c->in, c->in.len);
}

/* Answers every complete request in the input until one must wait or the client stops reading. */
static void answer_what_is_complete(int fd) {
    connection *c = &connections[fd];
    request *r = &c->req;
    while (!c->waiting && !c->closing && c->out.len <= WRITE_HIGH_WATER) {
        if (!r->has_head) {
            size_t end = 0, line_end = 0;
            int status = find_head(c, &end, &line_end);
            if (status < 0) break; /* more bytes needed */
            if (status == 0) status = parse_head(c->in.data + c->in.start, end, line_end, r);
            if (status > 0) {
                char text[64];
                size_t len = (size_t) snprintf(text, sizeof text, "%d %s\n", status, reason(status));
                encode(&c->out, status, "text/plain", text, len, true, false, NULL, false);
                close_after_answer(c);
                break;
            }
            r->has_head = true;
            c->blank = 0;
            buffer_consume(&c->in, end);
        }
        if (c->in.len < r->body_len) {
            if (r->expect_continue) {
                static const char CONTINUE[] = "HTTP/1.1 100 Continue\r\n\r\n";
                buffer_append(&c->out, CONTINUE, sizeof CONTINUE - 1);
                r->expect_continue = false;
            }
            break;
        }
        r->has_head = false;
        if (r->endpoint == DELAY_MS && r->get) {
            c->waiting = true; /* the requests behind it wait in the buffer and the kernel */
            c->delayed = *r;
            timer_add(now_ns() + r->ms * 1000000LL, fd, DELAY);
            break;
        }
        bool close = answer(c, r, c->in.data + c->in.start);
        buffer_consume(&c->in, r->body_len);
        if (close) close_after_answer(c);
    }
}

/* Answers and writes until a request must wait, more bytes are needed or the client reads too
 * slowly: the answering stops at the high water mark, and goes on when the kernel took it all. */
static void check_at(int fd, int64_t due);

static void serve(int fd) {
    connection *c = &connections[fd];
    for (;;) {
        size_t before = c->in.len;
        answer_what_is_complete(fd);
        if (!flush(fd)) return;
        if (c->waiting || c->closing || c->write_paused || c->in.len == 0 || c->in.len == before) break;
    }
    /* The head deadline runs from the first byte of a head (a blank line included) to its end. */
    bool reading_head = !c->waiting && !c->closing && !c->req.has_head && (c->in.len > 0 || c->blank > 0);
    if (!reading_head) {
        c->head_started = 0;
    } else if (c->head_started == 0) {
        c->head_started = now_ns();
        check_at(fd, c->head_started + head_deadline_ns);
    }
}

static void http_readable(int fd) {
    connection *c = &connections[fd];
    buffer_reserve(&c->in, READ_BUFFER);
    ssize_t n = recv(fd, c->in.data + c->in.start + c->in.len, READ_BUFFER, 0);
    if (n > 0) {
        c->heard_from = now_ns();
        if (c->closing) { /* draining after a closing answer */
            c->drained += (size_t) n;
            if (c->drained > DRAIN_BYTES) close_connection(fd);
            return;
        }
        c->in.len += (size_t) n;
        serve(fd);
    } else if (n == 0) {
        if (c->closing) {
            close_connection(fd);
            return;
        }
        c->eof = true; /* close once the answers are written; a pending /delay is dropped */
        c->waiting = false;
        flush(fd);
    } else if (errno != EAGAIN) {
        close_connection(fd);
    }
}

static void delay_done(int fd) {
    connection *c = &connections[fd];
    if (!c->waiting) return;
    c->waiting = false;
    c->heard_from = now_ns(); /* the idle clock starts once the answer is out */
    if (answer(c, &c->delayed, NULL)) close_after_answer(c);
    serve(fd);
}

/* The kernel took more of our output; once below the low water mark, answer what waits. */
static bool writable(int fd) {
    connection *c = &connections[fd];
    if (!flush(fd)) return false;
    if (workload == HTTP && !c->write_paused && !c->waiting && !c->closing && c->in.len > 0) {
        serve(fd);
        return connections[fd].open;
    }
    return true;
}

/* One live check per connection, at the earliest of the idle timeout and the head deadline. */
static void check_at(int fd, int64_t due) {
    connection *c = &connections[fd];
    if (c->check_due != 0 && c->check_due <= due) return;
    c->check_due = due;
    timer_add(due, fd, IDLE);
}

/* Answers 408 to a head past its deadline; closes a connection silent for the idle timeout with
 * no answer in progress (a half-sent request does not count: that is a slowloris); otherwise
 * re-arms for when it could be idle. */
static void idle_check(int fd) {
    connection *c = &connections[fd];
    c->check_due = 0;
    if (c->closing) return;
    int64_t now = now_ns();
    if (c->head_started != 0 && now >= c->head_started + head_deadline_ns) {
        char text[64];
        size_t len = (size_t) snprintf(text, sizeof text, "%d %s\n", 408, reason(408));
        encode(&c->out, 408, "text/plain", text, len, true, false, NULL, false);
        close_after_answer(c);
        flush(fd);
        return;
    }
    bool client_reading = c->out.len != 0 && c->out.len != c->buffered_at_idle_check;
    c->buffered_at_idle_check = c->out.len;
    if (c->waiting || client_reading) c->heard_from = now;
    int64_t due = c->heard_from + idle_timeout_ns;
    if (due <= now) {
        close_connection(fd);
        return;
    }
    if (c->head_started != 0 && c->head_started + head_deadline_ns < due) due = c->head_started + head_deadline_ns;
    check_at(fd, due);
}

/* ------------------------------------------------------------------------------------------ */
/* The loop. */

/* Out of descriptors (or memory), accept fails until some come back: the listener leaves the
 * epoll set for a second (level-triggered, it would wake us at once, forever), and the failures
 * are reported at most once a second, with a count. */
#define ACCEPT_RETRY_NS (1000LL * 1000 * 1000)
static int listener_fd;
static long accept_failures;
static int64_t accept_reported;

static void accept_failed(int listener, int error) {
    accept_failures++;
    int64_t now = now_ns();
    if (now - accept_reported >= ACCEPT_RETRY_NS) {
        fprintf(stderr, "accept failed: %s (%ld times since the last report); retrying in 1 s\n",
                strerror(error), accept_failures);
        accept_failures = 0;
        accept_reported = now;
    }
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listener, NULL);
    timer_add(now + ACCEPT_RETRY_NS, -1, ACCEPT);
}

static void accept_all(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) accept_failed(listener, errno);
            return; /* EAGAIN: all accepted */
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if ((size_t) fd >= connection_slots) {
            size_t slots = connection_slots ? connection_slots : 1024;
            while (slots <= (size_t) fd) slots *= 2;
            connections = realloc(connections, slots * sizeof(connection));
            if (!connections) { perror("realloc"); exit(1); }
            memset(connections + connection_slots, 0, (slots - connection_slots) * sizeof(connection));
            connection_slots = slots;
        }
        connection *c = &connections[fd];
        c->open = true;
        c->events = EPOLLIN;
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
        if (workload == HTTP) {
            c->heard_from = now_ns();
            check_at(fd, c->heard_from + idle_timeout_ns);
        }
    }
}

static void run_due_timers(void) {
    int64_t now = now_ns();
    while (timer_count > 0 && timers[0].due <= now) {
        timer t = timer_pop();
        if (t.kind == ACCEPT) { /* descriptors may be back: listen again */
            struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener_fd};
            epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener_fd, &ev);
            continue;
        }
        connection *c = &connections[t.fd];
        if (!c->open || c->generation != t.generation) continue; /* its connection is gone */
        if (t.kind == IDLE) {
            if (t.due == c->check_due) idle_check(t.fd); /* else superseded by an earlier check */
        }
        else if (t.kind == DELAY) delay_done(t.fd);
        else close_connection(t.fd);
    }
}

static int usage(void) {
    fprintf(stderr, "usage: server [--host 127.0.0.1] [--port N] [--idle-timeout-ms N] [--head-deadline-ms N] echo|http\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 0, chosen = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--host") == 0 && i + 1 < argc) host = argv[++i];
        else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--idle-timeout-ms") == 0 && i + 1 < argc)
            idle_timeout_ns = atoll(argv[++i]) * 1000000LL;
        else if (strcmp(argv[i], "--head-deadline-ms") == 0 && i + 1 < argc)
            head_deadline_ns = atoll(argv[++i]) * 1000000LL;
        else if (strcmp(argv[i], "echo") == 0) workload = ECHO, chosen = 1;
        else if (strcmp(argv[i], "http") == 0) workload = HTTP, chosen = 1;
        else return usage();
    }
    if (!chosen || idle_timeout_ns <= 0 || head_deadline_ns <= 0) return usage();
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) return usage();
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("bind");
        return 1;
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *) &address, &length);
    fprintf(stderr, "c-epoll %s listening on %s:%d\n", workload == ECHO ? "echo" : "http", host,
            ntohs(address.sin_port));

    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    listener_fd = listener;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &ev);
    struct epoll_event events[256];
    for (;;) {
        int timeout = -1;
        if (timer_count > 0) {
            int64_t wait = timers[0].due - now_ns();
            timeout = wait <= 0 ? 0 : (int) ((wait + 999999) / 1000000);
        }
        int n = epoll_wait(epoll_fd, events, 256, timeout);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                accept_all(listener);
                continue;
            }
            uint32_t ready = events[i].events;
            if ((ready & EPOLLOUT) && connections[fd].open && !writable(fd)) continue;
            if ((ready & (EPOLLIN | EPOLLHUP | EPOLLERR)) && connections[fd].open) {
                if (workload == ECHO) echo_readable(fd);
                else http_readable(fd);
            }
        }
        run_due_timers();
    }
}
