#!/usr/bin/env python3
"""The echo and http workloads of asyncbench in Python's asyncio, with Protocol callbacks.

The reference that asyncbench is modelled on: the same bytes on the wire as every JVM strategy
(see the io.asyncbench.api.http package documentation and io.asyncbench.api.Limits.DEFAULTS),
written the way asyncio's own documentation writes a server. With --loop uvloop the same code runs
on uvloop's libuv-based loop.

    python3 server.py --port 9000 echo
    python3 server.py --port 9000 --loop uvloop http
"""

import argparse
import asyncio
import re
import socket
import sys
import time

# io.asyncbench.api.Limits.DEFAULTS
WRITE_HIGH_WATER = 64 * 1024
WRITE_LOW_WATER = 32 * 1024
MAX_HEADER_BYTES = 8 * 1024
MAX_BODY_BYTES = 1024 * 1024
# io.asyncbench.api.http.LingeringClose: after a closing answer and our FIN, what the client still
# sends is read and dropped until it closes, for at most 1 s or 4 MiB, then the connection closes.
DRAIN_SECONDS = 1.0
DRAIN_BYTES = 4 << 20

# ---------------------------------------------------------------------------------------------
# echo: every byte read is written back; the transport's flow control does the rest.


class EchoProtocol(asyncio.Protocol):

    def connection_made(self, transport):
        self.transport = transport
        transport.set_write_buffer_limits(high=WRITE_HIGH_WATER, low=WRITE_LOW_WATER)

    def data_received(self, data):
        self.transport.write(data)

    def pause_writing(self):
        # The peer reads our echo too slowly: stop reading from it until it catches up.
        self.transport.pause_reading()

    def resume_writing(self):
        self.transport.resume_reading()

    def eof_received(self):
        return False  # close once everything queued is written


# ---------------------------------------------------------------------------------------------
# http: the subset of io.asyncbench.api.http, byte for byte.

MAX_FAN_OUT = 64

STATUS = {
    100: (b"Continue", False), 200: (b"OK", False), 400: (b"Bad Request", True),
    404: (b"Not Found", False), 405: (b"Method Not Allowed", False), 408: (b"Request Timeout", True),
    413: (b"Content Too Large", True), 431: (b"Request Header Fields Too Large", True),
    501: (b"Not Implemented", True), 505: (b"HTTP Version Not Supported", True),
}
METHODS = {b"GET", b"POST", b"HEAD", b"PUT", b"DELETE", b"OPTIONS", b"PATCH", b"TRACE", b"CONNECT"}
ENDPOINTS = {b"/plaintext": b"GET", b"/json": b"GET", b"/echo": b"POST", b"/delay": b"GET",
             b"/fanout": b"GET"}
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
PLAINTEXT = b"Hello, World!"
JSON = b'{"message":"Hello, World!"}'
TEXT, APPLICATION_JSON, OCTET_STREAM = b"text/plain", b"application/json", b"application/octet-stream"

# The request syntax of io.asyncbench.api.http (package documentation, "Request syntax"), as
# HttpRequestParser and HttpSyntax read it.
SKIPPED_BEFORE_REQUEST_LINE = re.compile(rb"[\x00-\x20\x7f]*")  # blank lines, whitespace, controls
END_OF_HEAD = re.compile(rb"\n\r?\n")
# Controls a head may not hold: in the request line VT, FF and a bare CR separate words like SP;
# in the header fields only HTAB, and CR before LF.
BAD_IN_REQUEST_LINE = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
BAD_IN_FIELDS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?=[^\n])")
REQUEST_LINE = re.compile(rb"([^\x00-\x20]+)[\x00-\x20]+([^\x00-\x20]+)[\x00-\x20]+([^\x00-\x20].*)\Z", re.S)
TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
DIGITS = re.compile(rb"[0-9]+\Z")
BAD_IN_TARGET = re.compile(rb"[^\x21-\x7e]|%(?![0-9A-Fa-f]{2})")
AUTHORITY = re.compile(rb"[A-Za-z0-9\-._~!$&'()*+,;=:\[\]%]+\Z")
HOST = re.compile(rb"(?:[A-Za-z0-9\-._~!$&'()*+,;=:\[\]]|%[0-9A-Fa-f]{2})*\Z")
ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")
MISCASED, OTHER_VERSION = -1, -2
MAX_CONTENT_LENGTH_PREFIX = (2 ** 63 - 1 - 9) // 10  # HttpRequestParser's overflow bound

_date_second = None
_date_line = b""


def date_line():
    """The Date header line, formatted at most once a second."""
    global _date_second, _date_line
    now = int(time.time())
    if now != _date_second:
        _date_second = now
        _date_line = b"Date: " + time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                               time.gmtime(now)).encode() + b"\r\n"
    return _date_line


def encode(status, content_type, body, close=False, keep_alive10=False, allow=None, head_only=False):
    parts = [b"HTTP/1.1 %d %s\r\nServer: asyncbench\r\n" % (status, STATUS[status][0]), date_line(),
             b"Content-Type: %s\r\nContent-Length: %d\r\n" % (content_type, len(body))]
    if allow:
        parts.append(b"Allow: %s\r\n" % allow)
    if close:
        parts.append(b"Connection: close\r\n")
    elif keep_alive10:
        parts.append(b"Connection: keep-alive\r\n")
    parts.append(b"\r\n")
    if not head_only:
        parts.append(body)
    return b"".join(parts)


def error_body(status):
    return b"%d %s\n" % (status, STATUS[status][0])


class HttpError(Exception):
    def __init__(self, status, why):
        super().__init__(why)
        self.status = status


class Request:
    __slots__ = ("method", "path", "http10", "keep_alive", "ms", "body", "expect_continue", "length")


def parse_head(head):
    """One request head (request line to blank line, nothing skipped before it) -> Request, or
    HttpError. Syntax first (request line, fields, framing), then meaning (method 501, target 400,
    version 505, Transfer-Encoding 501, Host 400, query 400, size 413): the order every strategy
    judges a request with several faults in."""
    line_end = head.index(b"\n")
    line = head[:line_end - 1] if head[line_end - 1:line_end] == b"\r" else head[:line_end]
    if line[-1] <= 0x20:
        raise HttpError(400, "whitespace at the end of the request line")
    words = REQUEST_LINE.match(line)
    if words is None:
        raise HttpError(400, "malformed request line")
    method, target, version = words.groups()
    version = http_version(version)
    if not TOKEN.match(method):
        raise HttpError(400, "invalid character in method")

    length = -1
    close = keep_alive = expect_continue = transfer_encoding = chunked_last = False
    chunked = hosts = 0
    host = b""
    lines = [field[:-1] if field.endswith(b"\r") else field for field in head[line_end + 1:].split(b"\n")]
    i = 0
    while lines[i]:
        field = lines[i]
        if field[0] in b" \t":
            raise HttpError(400, "whitespace between the request line and the first header field")
        colon = field.find(b":")
        if colon <= 0:
            raise HttpError(400, "header line without a name and colon")
        name = field[:colon]
        if not TOKEN.match(name):
            raise HttpError(400, "invalid character in header name")
        value = field[colon + 1:]
        i += 1
        while lines[i][:1] in (b" ", b"\t"):  # obs-fold: replaced by a space (RFC 9112 section 5.2)
            if not value.strip(b" \t"):
                raise HttpError(400, "obsolete line folding at the start of a header value")
            value += b" " + lines[i]
            i += 1
        value = value.strip(b" \t")
        name = name.lower()
        if name == b"host":
            hosts += 1
            host = value
        elif name == b"content-length":
            if length >= 0:
                raise HttpError(400, "more than one Content-Length")  # RFC 9110 section 8.6
            if not DIGITS.match(value) or len(value) > 1 and int(value[:-1]) > MAX_CONTENT_LENGTH_PREFIX:
                raise HttpError(400, "malformed Content-Length")
            length = int(value)
        elif name == b"transfer-encoding":
            transfer_encoding = True
            for coding in value.split(b","):
                coding = coding.strip(b" \t")
                if coding:
                    chunked_last = coding.lower() == b"chunked"
                    chunked += chunked_last
        elif name == b"connection":
            tokens = [token.strip(b" \t").lower() for token in value.split(b",")]
            close |= b"close" in tokens
            keep_alive |= b"keep-alive" in tokens
        elif name == b"expect":
            expect_continue = value.lower() == b"100-continue"
    if transfer_encoding and (version != 11 or length >= 0 or chunked != 1 or not chunked_last):
        raise HttpError(400, "Transfer-Encoding must be a final chunked coding, in HTTP/1.1, without Content-Length")

    if method not in METHODS:
        raise HttpError(501, "unknown method")
    path = endpoint(target)
    if version == MISCASED:
        raise HttpError(400, "the HTTP version is case-sensitive: HTTP/1.0 or HTTP/1.1")
    if version == OTHER_VERSION:
        raise HttpError(505, "only HTTP/1.0 and HTTP/1.1")
    http10 = version == 10
    if transfer_encoding:
        raise HttpError(501, "Transfer-Encoding request bodies are not accepted; send Content-Length")
    if hosts > 1 or hosts == 0 and not http10 or hosts == 1 and not HOST.match(host):
        raise HttpError(400, "HTTP/1.1 needs exactly one valid Host header, HTTP/1.0 at most one")
    request = Request()
    request.ms = 0
    if path == b"/delay" or path == b"/fanout":
        request.ms = query_parameter(target, b"ms", 0, 60000)
        if path == b"/fanout":
            query_parameter(target, b"k", 1, MAX_FAN_OUT)
    if length > MAX_BODY_BYTES:
        raise HttpError(413, "body exceeds %d bytes" % MAX_BODY_BYTES)
    request.method, request.path, request.http10 = method, path, http10
    request.keep_alive = keep_alive and not close if http10 else not close
    request.length = max(length, 0)
    request.expect_continue = expect_continue and length > 0 and not http10  # RFC 9110 section 10.1.1
    request.body = b""
    return request


def http_version(version):
    """11 or 10, MISCASED for either in another case, OTHER_VERSION for another HTTP/d.d; else 400."""
    if len(version) == 8 and version[6:7] == b"." and version[5:6].isdigit() and version[7:8].isdigit() \
            and version[:5].lower() == b"http/":
        number = (version[5] - 48) * 10 + version[7] - 48
        if number != 10 and number != 11:
            return OTHER_VERSION
        return number if version[:5] == b"HTTP/" else MISCASED
    raise HttpError(400, "malformed HTTP version")


def decoded(text):
    return ESCAPE.sub(lambda escape: bytes((int(escape.group(1), 16),)), text) if b"%" in text else text


def endpoint(target):
    """The path a target names, percent-decoded: origin-form /path[?query], or absolute-form
    http://host[:port][/path][?query] (an empty path matches no endpoint); else 400."""
    if BAD_IN_TARGET.search(target):
        raise HttpError(400, "request target must be visible US-ASCII, every '%' starting an escape")
    query = target.find(b"?")
    query = len(target) if query < 0 else query
    if target[:1] == b"/":
        start = 0
    elif target[:7].lower() == b"http://":
        start = target.find(b"/", 7, query)
        start = query if start < 0 else start
        if not AUTHORITY.match(target, 7, start):  # no userinfo (RFC 9110 section 4.2.4), not empty
            raise HttpError(400, "absolute-form target with an authority that is not host[:port]")
    else:
        raise HttpError(400, "request target must be origin-form (/path) or absolute-form (http://host/path)")
    return decoded(target[start:query])


def query_parameter(target, name, low, high):
    """The value of the last name=digits pair ('&'-separated, percent-decoded), within [low, high]."""
    value = -1
    query = target.find(b"?")
    if query >= 0:
        for pair in target[query + 1:].split(b"&"):
            name_end = pair.find(b"=")
            if name_end >= 0 and decoded(pair[:name_end]) == name:
                digits = decoded(pair[name_end + 1:])
                if not 1 <= len(digits) <= 9 or not DIGITS.match(digits):
                    raise HttpError(400, "malformed query parameter " + name.decode())
                value = int(digits)
    if not low <= value <= high:
        raise HttpError(400, "query parameter %s must be between %d and %d" % (name.decode(), low, high))
    return value


def answer(request):
    """The answer to a request that needs no waiting: (bytes, close)."""
    head_only = request.method == b"HEAD"
    wanted = ENDPOINTS.get(request.path)
    if wanted is None or request.path == b"/fanout":  # /fanout calls backends: the gateway's
        return error(request, 404, head_only=head_only)
    if request.method != wanted:
        return error(request, 405, allow=wanted, head_only=head_only)
    if request.path == b"/plaintext":
        body, content_type = PLAINTEXT, TEXT
    elif request.path == b"/json":
        body, content_type = JSON, APPLICATION_JSON
    elif request.path == b"/echo":
        body, content_type = request.body, OCTET_STREAM
    else:
        body, content_type = b"slept %d ms" % request.ms, TEXT
    close = not request.keep_alive
    return encode(200, content_type, body, close, request.keep_alive and request.http10,
                  head_only=head_only), close


def error(request, status, allow=None, head_only=False):
    close = STATUS[status][1] or not request.keep_alive
    return encode(status, TEXT, error_body(status), close, not close and request.http10, allow,
                  head_only), close


class HttpProtocol(asyncio.Protocol):
    """Bytes go into one buffer; each complete request is answered in order. While a /delay
    sleeps, reading pauses and the requests behind it wait their turn (in the buffer or the
    kernel); a client that reads our answers too slowly pauses reading the same way."""

    def __init__(self, idle_timeout, head_deadline):
        self.idle_timeout = idle_timeout
        self.head_deadline = head_deadline
        self.head_started = None  # when the head being read began (its first byte, a blank line included)
        self.blank = 0  # blank-line bytes before this request line: they count toward the header limit
        self.buffer = bytearray()
        self.request = None  # a head whose body is still arriving
        self.waiting = False  # a /delay holds the line
        self.writing_paused = False
        self.closing = False
        self.drained = 0
        self.buffered_at_idle_check = 0

    def connection_made(self, transport):
        self.transport = transport
        self.loop = asyncio.get_running_loop()
        transport.set_write_buffer_limits(high=WRITE_HIGH_WATER, low=WRITE_LOW_WATER)
        self.heard_from = self.loop.time()
        self.check_at(self.heard_from + self.idle_timeout)

    def data_received(self, data):
        self.heard_from = self.loop.time()
        if self.closing:
            self.drained += len(data)  # draining after a closing answer
            if self.drained > DRAIN_BYTES:
                self.transport.abort()
            return
        self.buffer += data
        self.answer_what_is_complete()

    def answer_what_is_complete(self):
        out = []  # the answers of one read go out in one write, unless they grow past the high water mark
        pending = 0
        try:
            while not self.waiting and not self.writing_paused:
                request = self.next_request()
                if request is None:
                    break
                if request.path == b"/delay" and request.method == b"GET":
                    self.waiting = True
                    self.transport.pause_reading()
                    self.timer_delay = self.loop.call_later(request.ms / 1000, self.respond, request)
                    break
                response, close = answer(request)
                out.append(response)
                if close:
                    return self.close_after(out)
                pending += len(response)
                if pending >= WRITE_HIGH_WATER:
                    self.transport.write(b"".join(out))  # may call pause_writing: the loop then stops
                    out.clear()
                    pending = 0
            if self.request is not None and self.request.expect_continue:
                self.request.expect_continue = False
                out.append(CONTINUE)
        except HttpError as failure:
            out.append(encode(failure.status, TEXT, error_body(failure.status), close=True))
            return self.close_after(out)
        if out:
            self.transport.write(b"".join(out))
        reading_head = not self.waiting and self.request is None and (self.buffer or self.blank)
        if not reading_head:
            self.head_started = None
        elif self.head_started is None:
            self.head_started = self.loop.time()
            self.check_at(self.head_started + self.head_deadline)

    def next_request(self):
        """The next complete request from the buffer, or None until more bytes arrive."""
        if self.request is None:
            # RFC 9112 section 2.2: empty lines (here any whitespace and controls, as Netty's codec
            # skips) before a request line are ignored, but count toward the header limit.
            skipped = SKIPPED_BEFORE_REQUEST_LINE.match(self.buffer).end()
            if skipped:
                del self.buffer[:skipped]
                self.blank += skipped
                if self.blank >= MAX_HEADER_BYTES:
                    raise HttpError(431, "blank lines before the request exceed the header limit")
            room = MAX_HEADER_BYTES - self.blank
            end = END_OF_HEAD.search(self.buffer, 0, room)
            head_end = end.end() if end else min(len(self.buffer), room)
            line_end = self.buffer.find(b"\n", 0, head_end)
            line_end = head_end if line_end < 0 else line_end
            if BAD_IN_REQUEST_LINE.search(self.buffer, 0, line_end) \
                    or BAD_IN_FIELDS.search(self.buffer, line_end, head_end):
                raise HttpError(400, "control character in the request head")
            if end is None:
                if len(self.buffer) >= room:
                    raise HttpError(431, "request line and headers exceed the limit")
                return None
            self.request = parse_head(bytes(self.buffer[:head_end]))
            self.blank = 0
            del self.buffer[:head_end]
        request = self.request
        if len(self.buffer) < request.length:
            return None
        request.body = bytes(self.buffer[:request.length])
        del self.buffer[:request.length]
        self.request = None
        return request

    def respond(self, request):
        if self.closing or self.transport.is_closing():
            return
        self.waiting = False
        self.heard_from = self.loop.time()  # the idle clock starts once the answer is out
        response, close = answer(request)
        if close:
            return self.close_after([response])
        self.transport.write(response)
        self.carry_on()

    def carry_on(self):
        self.answer_what_is_complete()
        if not self.waiting and not self.writing_paused and not self.closing:
            self.transport.resume_reading()

    def pause_writing(self):
        self.writing_paused = True
        if not self.closing:  # a closing connection drains its input whatever it writes
            self.transport.pause_reading()

    def resume_writing(self):
        self.writing_paused = False
        if not self.closing:
            self.carry_on()

    def close_after(self, out):
        """A closing answer: send it, end our side, and drain what the client still sends for a
        moment, so that unread input does not make the kernel reset the answer away."""
        self.closing = True
        self.buffer.clear()
        self.transport.write(b"".join(out))
        self.transport.resume_reading()
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self.loop.call_later(DRAIN_SECONDS, self.transport.abort)
        else:
            self.transport.close()

    def check_at(self, due):
        """One timer per connection, at the earliest of the idle timeout and the head deadline."""
        timer = getattr(self, "timer", None)
        if timer is not None:
            if timer.when() <= due:
                return
            timer.cancel()
        self.timer = self.loop.call_at(due, self.check_idle)

    def check_idle(self):
        """Answers 408 to a head past its deadline; closes a connection silent for the idle
        timeout with no answer in progress (a half-sent request does not count: that is a
        slowloris); otherwise re-arms."""
        self.timer = None
        if self.transport.is_closing() or self.closing:
            return
        now = self.loop.time()
        if self.head_started is not None and now >= self.head_started + self.head_deadline:
            return self.close_after([encode(408, TEXT, error_body(408), close=True)])
        buffered = self.transport.get_write_buffer_size()
        client_reading = buffered != 0 and buffered != self.buffered_at_idle_check
        self.buffered_at_idle_check = buffered
        if self.waiting or client_reading:
            self.heard_from = now
        due = self.heard_from + self.idle_timeout
        if due > now:
            self.check_at(due if self.head_started is None else min(due, self.head_started + self.head_deadline))
        else:
            self.transport.abort()

    def eof_received(self):
        return False  # the client is done: close once our answers are written

    def connection_lost(self, exc):
        if self.timer is not None:
            self.timer.cancel()
        if self.waiting:
            self.timer_delay.cancel()


# ---------------------------------------------------------------------------------------------

def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("workload", choices=["echo", "http"])
    arguments.add_argument("--host", default="127.0.0.1", help="bind address (loopback unless told)")
    arguments.add_argument("--port", type=int, default=0, help="0 picks a free port, printed")
    arguments.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    arguments.add_argument("--idle-timeout-ms", type=int, default=30_000)
    arguments.add_argument("--head-deadline-ms", type=int, default=10_000)
    options = arguments.parse_args()
    if options.loop == "uvloop":
        import uvloop
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    asyncio.run(serve(options))


class AcceptFailures:
    """Out of descriptors, asyncio already backs a failed accept off for a second (its
    ACCEPT_RETRY_DELAY) and hands the failure to the loop's exception handler, whose default logs
    a traceback each time; this one says so in one line, at most once a second, with a count."""

    def __init__(self):
        self.count = 0
        self.reported = None

    def __call__(self, loop, context):
        if context.get("message") != "socket.accept() out of system resource":
            return loop.default_exception_handler(context)
        self.count += 1
        now = loop.time()
        if self.reported is None or now - self.reported >= 1:
            print("accept failed: %s (%d times since the last report); retrying in 1 s"
                  % (context.get("exception"), self.count), file=sys.stderr, flush=True)
            self.count = 0
            self.reported = now


async def serve(options):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(AcceptFailures())
    if options.workload == "echo":
        factory = EchoProtocol
    else:
        idle, head = options.idle_timeout_ms / 1000, options.head_deadline_ms / 1000
        factory = lambda: HttpProtocol(idle, head)  # noqa: E731
    # The kernel's accept queue holds 4,096 connections, as the JVM strategies' does. asyncio also
    # takes its backlog as how many accepts to try per wake-up, and out of descriptors it goes on
    # trying (each failure scheduling a retry) that many times: 100, its default, keeps that to
    # 100 failures a second. So the socket is ours, listening again with 4,096 once asyncio has.
    family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
    listener = socket.create_server((options.host, options.port), family=family, backlog=4096)
    listener.setblocking(False)
    server = await loop.create_server(factory, sock=listener, backlog=100)
    listener.listen(4096)
    port = listener.getsockname()[1]
    print("%s %s listening on %s:%d" % (options.loop, options.workload, options.host, port),
          file=sys.stderr, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
