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
#define LINGER_NS (2000LL * 1000 * 1000) /* draining unread input after a closing answer */

enum workload { ECHO, HTTP };
enum timer_kind { IDLE, DELAY, LINGER };

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
    timer t = {due, fd, connections[fd].generation, kind};
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
        timer_add(now_ns() + LINGER_NS, fd, LINGER);
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

static bool all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return n > 0;
}

static bool equals_ignore_case(const char *s, size_t n, const char *lower) {
    return strlen(lower) == n && strncasecmp(s, lower, n) == 0;
}

static const char *find(const char *from, const char *to, char ch) {
    const char *at = memchr(from, ch, (size_t) (to - from));
    return at ? at : NULL;
}

/* The decimal value of name= in the query; -1 when missing or malformed (then 400). */
static long query_parameter(const char *query, const char *end, const char *name, long low, long high) {
    long value = -1;
    size_t name_len = strlen(name);
    while (query && query < end) {
        const char *pair_end = find(query, end, '&');
        if (!pair_end) pair_end = end;
        if ((size_t) (pair_end - query) > name_len && memcmp(query, name, name_len) == 0
            && query[name_len] == '=') {
            const char *digits = query + name_len + 1;
            size_t n = (size_t) (pair_end - digits);
            if (n < 1 || n > 9 || !all_digits(digits, n)) return -1;
            value = strtol(digits, NULL, 10);
        }
        query = pair_end + 1;
    }
    return value < low || value > high ? -1 : value;
}

/* Parses the head h[0..n) (blank line included) into r; returns 0 or the error status. */
static int parse_head(const char *h, size_t n, request *r) {
    const char *end = h + n, *line_end = find(h, end, '\n');
    const char *sp1 = find(h, line_end, ' ');
    const char *sp2 = sp1 ? find(sp1 + 1, line_end, ' ') : NULL;
    if (!sp1 || sp1 == h || !sp2 || find(sp2 + 1, line_end, ' ')) return 400;
    for (const char *p = h; p < sp1; p++)
        if (!is_token(*p)) return 400;
    r->method_name = NULL;
    for (size_t i = 0; i < sizeof METHODS / sizeof *METHODS; i++)
        if ((size_t) (sp1 - h) == strlen(METHODS[i]) && memcmp(h, METHODS[i], strlen(METHODS[i])) == 0)
            r->method_name = METHODS[i];
    if (!r->method_name) return 501;
    const char *target = sp1 + 1;
    if (target == sp2 || *target != '/') return 400;
    const char *version = sp2 + 1, *version_end = line_end > version && line_end[-1] == '\r' ? line_end - 1 : line_end;
    size_t version_len = (size_t) (version_end - version);
    if (version_len == 8 && memcmp(version, "HTTP/1.1", 8) == 0) r->http10 = false;
    else if (version_len == 8 && memcmp(version, "HTTP/1.0", 8) == 0) r->http10 = true;
    else if (version_len == 8 && memcmp(version, "HTTP/", 5) == 0 && version[5] >= '0' && version[5] <= '9'
             && version[6] == '.' && version[7] >= '0' && version[7] <= '9') return 505;
    else return 400;
    for (const char *p = target; p < sp2; p++)
        if ((unsigned char) *p <= ' ' || *p == 0x7f) return 400;
    const char *query = find(target, sp2, '?');
    const char *path_end = query ? query : sp2;
    r->endpoint = -1;
    for (int i = 0; i < (int) (sizeof ENDPOINTS / sizeof *ENDPOINTS); i++)
        if ((size_t) (path_end - target) == strlen(ENDPOINTS[i].path)
            && memcmp(target, ENDPOINTS[i].path, (size_t) (path_end - target)) == 0) r->endpoint = i;

    long long length = -1;
    bool close = false, keep_alive = false, expect_continue = false;
    for (const char *line = line_end + 1; line < end;) {
        const char *next = find(line, end, '\n');
        if (!next) next = end;
        const char *value_end = next > line && next[-1] == '\r' ? next - 1 : next;
        if (value_end == line) break; /* the blank line */
        if (*line == ' ' || *line == '\t') return 400;
        const char *colon = find(line, value_end, ':');
        if (!colon || colon == line) return 400;
        for (const char *p = line; p < colon; p++)
            if (!is_token(*p)) return 400;
        const char *value = colon + 1, *value_stop = value_end;
        while (value < value_stop && (*value == ' ' || *value == '\t')) value++;
        while (value_stop > value && (value_stop[-1] == ' ' || value_stop[-1] == '\t')) value_stop--;
        size_t name_len = (size_t) (colon - line), value_len = (size_t) (value_stop - value);
        if (equals_ignore_case(line, name_len, "content-length")) {
            if (value_len > 18 || !all_digits(value, value_len)) return 400;
            long long parsed = strtoll(value, NULL, 10);
            if (length >= 0 && length != parsed) return 400;
            length = parsed;
        } else if (equals_ignore_case(line, name_len, "transfer-encoding")) {
            return 501;
        } else if (equals_ignore_case(line, name_len, "connection")) {
            for (const char *token = value; token < value_stop;) {
                const char *comma = find(token, value_stop, ',');
                const char *a = token, *b = comma ? comma : value_stop;
                while (a < b && (*a == ' ' || *a == '\t')) a++;
                while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
                close |= equals_ignore_case(a, (size_t) (b - a), "close");
                keep_alive |= equals_ignore_case(a, (size_t) (b - a), "keep-alive");
                token = (comma ? comma : value_stop) + 1;
            }
        } else if (equals_ignore_case(line, name_len, "expect")) {
            expect_continue = equals_ignore_case(value, value_len, "100-continue");
        }
        line = next + 1;
    }
    r->ms = 0;
    if (r->endpoint == DELAY_MS || r->endpoint == FANOUT) {
        const char *q = query ? query + 1 : sp2;
        if ((r->ms = query_parameter(q, sp2, "ms", 0, 60000)) < 0) return 400;
        if (r->endpoint == FANOUT && query_parameter(q, sp2, "k", 1, MAX_FAN_OUT) < 0) return 400;
    }
    if (length > MAX_BODY_BYTES) return 413;
    r->get = strcmp(r->method_name, "GET") == 0;
    r->head_only = strcmp(r->method_name, "HEAD") == 0;
    r->keep_alive = r->http10 ? keep_alive && !close : !close;
    r->body_len = length > 0 ? (size_t) length : 0;
    r->expect_continue = expect_continue && length > 0;
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
            /* RFC 9112 section 2.2: empty lines before a request are ignored, but counted */
            while (c->in.len > 0 && c->blank < MAX_HEADER_BYTES
                   && (c->in.data[c->in.start] == '\r' || c->in.data[c->in.start] == '\n')) {
                buffer_consume(&c->in, 1);
                c->blank++;
            }
            const char *h = c->in.data + c->in.start;
            size_t room = MAX_HEADER_BYTES - c->blank, end = 0;
            size_t window = c->in.len < room ? c->in.len : room;
            for (size_t i = 1; i < window && !end; i++)
                if (h[i] == '\n' && (h[i - 1] == '\n' || (i >= 2 && h[i - 1] == '\r' && h[i - 2] == '\n')))
                    end = i + 1;
            int status = end ? parse_head(h, end, r) : window == room ? 431 : -1;
            if (status < 0) break; /* more bytes needed */
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
        if (c->closing) {
            return; /* draining after a closing answer */
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

static void accept_all(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return; /* EAGAIN, or out of descriptors: try again on the next wakeup */
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
