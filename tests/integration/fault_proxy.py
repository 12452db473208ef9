"""A small HTTP proxy in front of the test S3 server that injects faults on chosen requests.

`decide(method, path, n)` is called for every request (n counts requests so far) and returns
"forward", "500", "503-slowdown", "reset-body" (send headers and half the body, then drop
the connection), "truncate" (half the body, with a Content-Length that matches it: a server
that loses bytes without the connection noticing), "flip-byte" (the whole body with one bit
of its middle byte flipped, every header, the ETag too, kept), ("delay", seconds), or
("respond", status, body) to answer from the proxy. The body of every request is kept in
`bodies`, so tests can check exactly what was sent.
`before_body(method, path)`, when given, is called before the request body is read: the
client is still sending it then. `after_response(method, path, n)`, when given, is called
once the answer to request n has been sent.
"""
import http.server
import socket
import socketserver
import threading
import time
import urllib.error
import urllib.request


class FaultyProxy:
    def __init__(self, upstream, decide, before_body=None, after_response=None):
        self.upstream = upstream
        self.decide = decide
        self.before_body = before_body
        self.after_response = after_response
        self.requests = []
        # The headers of each request, in the same order as `requests`.
        self.headers = []
        # The body of each request (b"" when it had none), in the same order.
        self.bodies = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                n = self.answer()
                if proxy.after_response and n is not None:
                    proxy.after_response(self.command, self.path, n)

            def answer(self):
                if proxy.before_body:
                    proxy.before_body(self.command, self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with proxy.lock:
                    n = len(proxy.requests)
                    proxy.requests.append((self.command, self.path))
                    proxy.headers.append({k.lower(): v for k, v in self.headers.items()})
                    proxy.bodies.append(body or b"")
                action = proxy.decide(self.command, self.path, n)
                if isinstance(action, tuple) and action[0] == "delay":
                    time.sleep(action[1])
                    action = "forward"
                if isinstance(action, tuple) and action[0] == "respond":
                    _, status, payload = action
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return n
                if action in ("500", "503-slowdown"):
                    code = 500 if action == "500" else 503
                    name = "InternalError" if code == 500 else "SlowDown"
                    payload = f"<Error><Code>{name}</Code><Message>injected</Message></Error>".encode()
                    self.send_response(code)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return n
                req = urllib.request.Request(proxy.upstream + self.path, data=body, method=self.command)
                for k, v in self.headers.items():
                    req.add_header(k, v)
                try:
                    resp = urllib.request.urlopen(req, timeout=60)
                except urllib.error.HTTPError as e:
                    resp = e
                data = resp.read()
                if self.command != "HEAD" and data:
                    if action == "truncate":
                        data = data[: len(data) // 2]
                    elif action == "flip-byte":
                        middle = len(data) // 2
                        data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]
                self.send_response(resp.status)
                for k, v in resp.headers.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(k, v)
                # A HEAD answer has no body but the object's length.
                length = resp.headers.get("Content-Length", "0") if self.command == "HEAD" else str(len(data))
                self.send_header("Content-Length", length)
                self.end_headers()
                if action == "reset-body" and self.command != "HEAD":
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.connection.close()
                    self.close_connection = True
                    return n
                self.wfile.write(data)
                self.wfile.flush()
                return n

            do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = handle_any

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def seen(self):
        return len(self.requests)

    def count(self, predicate):
        with self.lock:
            return sum(1 for m, p in self.requests if predicate(m, p))

    def close(self):
        self.server.shutdown()
        self.server.server_close()
