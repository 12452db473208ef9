"""A hostile S3 server for pail's tests: path-style S3 on 127.0.0.1 that misbehaves on purpose.

It answers the calls pail makes (ListBuckets, ListObjectsV2, HEAD, ranged GET, CopyObject,
DeleteObjects, DELETE, ACL and tagging reads, multipart uploads and copies) well enough for
every subcommand to do its work in mode "honest", and in every other mode misbehaves the way
a broken S3-compatible server, a proxy or an attacker can: keys outside the requested prefix,
continuation tokens that loop, absurd sizes, 200 answers that carry an error, XML that is
truncated, endless or full of entities, undecodable keys, bytes dripped or never sent,
redirects to other hosts, connections reset mid-body, HTML where XML belongs.

Signatures are not checked. Every request is logged (method, bucket, key as bytes, query,
headers, the copy source and the keys of a DeleteObjects body) so a test can assert what pail
did, not only what it printed. Requests to a second server, the trap (`trap_url`), are
logged too: a redirect or an external entity pointing there must never be followed.

In a test: `HostileServer(mode)` (a free port; `.url`, `.log`, `.trap.log`, `.close()`).
Standalone: `python hostile_server.py [MODE]` prints its URL; `POST /__mode?name=MODE`
switches mode, `GET /__log` returns the log as JSON, `GET /__modes` lists the modes.
"""
import base64
import email.utils
import hashlib
import html
import http.server
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
import uuid

BUCKET = "b"
PREFIX = b"media/2023/"
# The objects of bucket "b". The first three sit under the prefix the tests target; the
# last two are what a delete of media/2023/ must never touch.
INSIDE = {
    b"media/2023/a.jpg": (b"JPEG" * 8, "image/jpeg"),
    b"media/2023/b.css": (b"body{color:red}\n" * 4, "text/css"),
    b"media/2023/sub/c.txt": (b"hello\n", "text/plain"),
}
OUTSIDE = {
    b"media/2023-old/keep": (b"keep me\n", "application/octet-stream"),
    b"etc/important": (b"important\n", "text/plain"),
}
# Keys a hostile listing may carry in some modes (stored, so acting on them "works").
CONTROL_KEYS = [b"media/2023/\x1b]0;pwned\x07title", b"media/2023/\x1b[31mred\x1b[0m",
                b"media/2023/cr\rlf\nbell\x07", "media/2023/csi\u009b2J".encode()]
TRAVERSAL_KEYS = [b"media/2023/../../../../escape.txt", b"media/2023/sub/../../../../up.txt",
                  b"media/2023//tmp/pail-hostile-rooted", b"media/2023/./dot", b"media/2023/..", b"media/2023/sub/.."]
BAD_UTF8_KEY = b"media/2023/\xff\xfe.bin"
BIG = 6 * 1024 ** 3  # above 5 GiB: a header edit becomes a multipart copy

# What the server claims in the size modes.
SIZES = {"size-2p62": 2 ** 62, "size-2p50": 2 ** 50, "size-negative": -1}
HEAD_SIZES = {"size-2p62": 2 ** 62, "size-2p50": 2 ** 50, "size-negative": -5}

MODES = {
    "honest": "a well-behaved server (the rig's own check)",
    "wrong-prefix": "listings add keys and prefixes outside the requested prefix",
    "wrong-level": "listings with a delimiter add keys and prefixes not directly in the prefix",
    "token-repeat": "IsTruncated with the same continuation token every time",
    "token-cycle": "continuation tokens A -> B -> A",
    "no-advance": "a new token on every page, but pages repeat the same keys",
    "probe-outside": "one-key listings (max-keys=1, probes) answer with keys outside the prefix, more to follow",
    "range-before": "start-after listings begin two keys early (keys of the range before)",
    "size-2p62": "sizes of 2^62 in listings and HEAD",
    "size-2p50": "sizes of 2^50 in listings and HEAD",
    "size-negative": "negative sizes in listings and HEAD",
    "copy-error-long": "CopyObject: 200, 8 KiB of whitespace, then <Error>",
    "copy-error-short": "CopyObject: 200, a little whitespace, then <Error>",
    "copy-empty": "CopyObject: 200 with an empty body",
    "copy-html": "CopyObject: 200 with an HTML page",
    "complete-error-long": "CompleteMultipartUpload: 200, 8 KiB of whitespace, then <Error> (objects claim 6 GiB)",
    "complete-empty": "CompleteMultipartUpload: 200 with an empty body (objects claim 6 GiB)",
    "complete-html": "CompleteMultipartUpload: 200 with an HTML page (objects claim 6 GiB)",
    "xml-truncated": "listings cut off mid-element",
    "xml-endless-slow": "a listing body that never ends, 256 KiB a second",
    "xml-endless-fast": "a listing body that never ends, as fast as it goes",
    "xml-entities": "a listing with a billion-laughs entity expansion in a key",
    "xml-xxe": "a listing with external entities (a local file, the trap's URL) in keys",
    "bad-utf8": "an EncodingType=url listing with a key %FF%FE that is not UTF-8",
    "control-keys": "keys (and a bucket name) with control characters and escape sequences",
    "traversal": "keys with ../, //, ./ segments",
    "get-longer": "GETs answer 64 KiB more than the range asked for (and than HEAD said)",
    "drip": "every answer sent one byte a second",
    "stall": "requests read, never answered",
    "redirect-permanent": "301 PermanentRedirect naming another host (its message with a C1 control)",
    "redirect-location": "301/307 with Location: the trap server",
    "reset": "connections reset half way through the body (HEAD: before any answer)",
    "html": "every answer a 200 HTML page (a captive portal), ListBuckets included",
}

# A stop for the fast stream, far above what a client may buffer (the tests kill a pail
# that grows past 1 GiB long before).
ENDLESS_FAST_LIMIT = 8 * 1024 ** 3


NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


def xml_escape(s):
    return html.escape(s, quote=False)


def delete_keys(body):
    """The keys of a DeleteObjects body, as bytes."""
    return [html.unescape(k.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
            for k in re.findall(rb"<Key>(.*?)</Key>", body, re.S)]


def decode_query(raw):
    """Query pairs with values as bytes (a prefix may hold any byte)."""
    out = {}
    for part in raw.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        out[urllib.parse.unquote(name)] = urllib.parse.unquote_to_bytes(value.replace("+", "%20"))
    return out


class Obj:
    def __init__(self, body, content_type, headers=None):
        self.body = body
        self.headers = {"Content-Type": content_type}
        if headers:
            self.headers.update(headers)
        self.etag = hashlib.md5(body).hexdigest()
        self.modified = 1767225600  # 2026-01-01


class Trap:
    """A server that must never be reached: logs what reaches it and answers 403."""

    def __init__(self):
        self.log = []
        trap = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                trap.log.append({"method": self.command, "path": self.path, "headers": dict(self.headers.items())})
                body = b"<Error><Code>AccessDenied</Code><Message>trap</Message></Error>"
                self.send_response(403)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = handle_any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Response:
    def __init__(self, status, body=b"", headers=None, content_type="application/xml", length=None, stream=None):
        self.status = status
        self.body = body
        self.headers = list(headers or [])
        self.content_type = content_type
        self.length = length  # a Content-Length other than len(body) (HEAD)
        self.stream = stream  # an iterator of chunks instead of body (no Content-Length)


def error(status, code, message, **extra):
    fields = "".join(f"<{k}>{xml_escape(v)}</{k}>" for k, v in extra.items())
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{xml_escape(message)}</Message>{fields}<RequestId>HOSTILE</RequestId></Error>").encode()
    return Response(status, body)


HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Welcome to Hotel WiFi</title></head>"
             b"<body><h1>Please log in</h1><form><input name=room></form></body></html>\n")


class HostileServer:
    def __init__(self, mode="honest", page_size=2):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode}; modes: {', '.join(MODES)}")
        self.mode = mode
        self.page_size = page_size
        self.log = []
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self.uploads = {}
        # Listings the misbehaviour was put into (wrong-prefix, wrong-level): a client that
        # never asked the question the server answers wrongly has nothing to warn about.
        self.injected = 0
        self.trap = Trap()
        self.objects = {}
        for key, (body, ctype) in list(INSIDE.items()) + list(OUTSIDE.items()):
            self.objects[key] = Obj(body, ctype, {"Cache-Control": "max-age=60"})
        if mode == "control-keys":
            for key in CONTROL_KEYS:
                self.objects[key] = Obj(b"ctl\n", "text/plain")
        if mode == "traversal":
            for key in TRAVERSAL_KEYS:
                self.objects[key] = Obj(b"escaped\n", "text/plain")
        if mode == "bad-utf8":
            self.objects[BAD_UTF8_KEY] = Obj(b"bytes\n", "application/octet-stream")
        self.initial_keys = set(self.objects)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                try:
                    server.handle(self)
                except (BrokenPipeError, ConnectionResetError, socket.timeout):
                    self.close_connection = True

            do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = handle_any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()
        self.trap.close()

    # ------------------------------------------------------------------ the log

    def requests(self, method=None):
        with self.lock:
            entries = list(self.log)
        return [e for e in entries if method is None or e["method"] == method]

    # ------------------------------------------------------------------ dispatch

    def handle(self, h):
        split = urllib.parse.urlsplit(h.path)
        query = decode_query(split.query)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        parts = split.path.split("/", 2)
        bucket = urllib.parse.unquote(parts[1]) if len(parts) > 1 and parts[1] else None
        key = urllib.parse.unquote_to_bytes(parts[2]) if len(parts) > 2 and parts[2] != "" else None
        if bucket and bucket.startswith("__"):
            return self.control(h, bucket, query, body)
        entry = {"method": h.command, "path": h.path, "bucket": bucket, "key": key,
                 "query": {k: v.decode("utf-8", "replace") for k, v in query.items()},
                 "headers": {k.lower(): v for k, v in h.headers.items()}, "copy_source": None, "delete_keys": None}
        source = h.headers.get("x-amz-copy-source")
        if source:
            raw = urllib.parse.unquote_to_bytes(source.split("?versionId=")[0]).lstrip(b"/")
            sb, _, sk = raw.partition(b"/")
            entry["copy_source"] = (sb.decode("utf-8", "replace"), sk)
        if h.command == "POST" and "delete" in query:
            entry["delete_keys"] = delete_keys(body)
        with self.lock:
            self.log.append(entry)
        if self.mode == "stall":
            self.closing.wait()
            h.close_connection = True
            return
        if self.mode == "reset" and h.command == "HEAD":
            return self.reset(h, b"")
        response = self.respond(h.command, bucket, key, query, h.headers, body)
        self.deliver(h, response)

    def control(self, h, name, query, body):
        if name == "__mode" and h.command == "POST":
            mode = query.get("name", b"").decode()
            if mode not in MODES:
                return self.deliver(h, Response(400, f"unknown mode {mode}\n".encode(), content_type="text/plain"))
            with self.lock:
                self.mode = mode
            return self.deliver(h, Response(200, b"ok\n", content_type="text/plain"))
        if name == "__log":
            def plain(e):
                return dict(e, key=None if e["key"] is None else e["key"].decode("utf-8", "backslashreplace"),
                            copy_source=e["copy_source"] and [e["copy_source"][0],
                                                              e["copy_source"][1].decode("utf-8", "backslashreplace")],
                            delete_keys=e["delete_keys"] and [k.decode("utf-8", "backslashreplace")
                                                              for k in e["delete_keys"]])
            data = json.dumps([plain(e) for e in self.requests()], indent=1).encode()
            return self.deliver(h, Response(200, data, content_type="application/json"))
        if name == "__modes":
            return self.deliver(h, Response(200, json.dumps(MODES, indent=1).encode(), content_type="application/json"))
        return self.deliver(h, Response(404, b"no such control\n", content_type="text/plain"))

    # ------------------------------------------------------------------ delivery

    def deliver(self, h, r):
        head = [f"HTTP/1.1 {r.status} {http.server.BaseHTTPRequestHandler.responses.get(r.status, ('X',))[0]}"]
        head.append(f"Date: {http_date(time.time())}")
        head.append("x-amz-request-id: HOSTILE")
        if r.content_type:
            head.append(f"Content-Type: {r.content_type}")
        for name, value in r.headers:
            head.append(f"{name}: {value}")
        if r.stream is not None:
            head.append("Connection: close")
        else:
            head.append(f"Content-Length: {r.length if r.length is not None else len(r.body)}")
        raw_head = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        payload = b"" if (h.command == "HEAD" or r.stream is not None) else r.body
        if self.mode == "drip":
            h.close_connection = True
            for byte in raw_head + payload:
                if self.closing.wait(1.0):
                    return
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
            return
        if self.mode == "reset" and payload:
            return self.reset(h, raw_head + payload[: len(payload) // 2])
        h.wfile.write(raw_head + payload)
        if r.stream is not None:
            h.close_connection = True
            for chunk in r.stream:
                if self.closing.is_set():
                    return
                h.wfile.write(chunk)
                h.wfile.flush()
            return

    def reset(self, h, partial):
        if partial:
            h.wfile.write(partial)
            h.wfile.flush()
        # SO_LINGER 0: close() sends RST, not FIN.
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        h.connection.close()
        h.close_connection = True

    # ------------------------------------------------------------------ S3

    def respond(self, method, bucket, key, query, headers, body):
        mode = self.mode
        if mode == "html":
            return Response(200, HTML_PAGE, content_type="text/html; charset=utf-8")
        if bucket is None:
            return self.list_buckets()
        if bucket not in (BUCKET, "b\u009b2J"):
            return error(404, "NoSuchBucket", "The specified bucket does not exist", BucketName=bucket)
        if mode == "redirect-permanent":
            return error(301, "PermanentRedirect",
                         "The bucket you are attempting to access must be addressed using the specified endpoint. "
                         "Please send all future requests to this endpoint.\u009b2J",
                         Endpoint="b.s3.attacker.example", Bucket=bucket)
        if mode == "redirect-location":
            target = self.trap.url + "/" + bucket + "/" + urllib.parse.quote_from_bytes(key or b"")
            status = 307 if method == "GET" and key is not None else 301
            return Response(status, b"", headers=[("Location", target)], content_type=None)
        if key is None:
            if method == "GET" and query.get("list-type") == b"2":
                return self.list_objects(query)
            if method == "POST" and "delete" in query:
                return self.delete_objects(body)
            if method == "GET" and "versioning" in query:
                return Response(200, b'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>')
            if method == "GET" and "location" in query:
                return Response(200, b'<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>')
            if method == "GET" and "ownershipControls" in query:
                return error(404, "OwnershipControlsNotFoundError", "The bucket ownership controls were not found")
            if method == "HEAD":
                return Response(200, b"", content_type=None)
            return error(501, "NotImplemented", "the hostile server does not do this")
        return self.object_call(method, bucket, key, query, headers, body)

    def list_buckets(self):
        names = [BUCKET] + (["b\u009b2J"] if self.mode == "control-keys" else [])
        items = "".join(f"<Bucket><Name>{xml_escape(n)}</Name><CreationDate>{iso(1767225600)}</CreationDate></Bucket>"
                        for n in names)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<ListAllMyBucketsResult xmlns="{NS}">'
                f"<Owner><ID>owner</ID><DisplayName>owner</DisplayName></Owner><Buckets>{items}</Buckets>"
                "</ListAllMyBucketsResult>").encode()
        if self.mode == "xml-truncated":
            body = body[: len(body) * 2 // 3]
        return Response(200, body)

    def size_of(self, key, head=False):
        mode = self.mode
        if mode in SIZES:
            return (HEAD_SIZES if head else SIZES)[mode]
        if mode.startswith("complete-"):
            return BIG
        return len(self.objects[key].body)

    def entry_xml(self, key, encode):
        obj = self.objects.get(key)
        shown = urllib.parse.quote_from_bytes(key, safe="/") if encode else xml_escape(key.decode("utf-8", "replace"))
        etag = obj.etag if obj else "0" * 32
        size = self.size_of(key) if obj else 7
        return (f"<Contents><Key>{shown}</Key><LastModified>{iso(obj.modified if obj else 0)}</LastModified>"
                f"<ETag>&quot;{etag}&quot;</ETag><Size>{size}</Size><StorageClass>STANDARD</StorageClass></Contents>")

    def list_objects(self, query):
        mode = self.mode
        prefix = query.get("prefix", b"")
        delimiter = query.get("delimiter") or None
        token = query.get("continuation-token")
        encode = query.get("encoding-type") == b"url"
        start = query.get("start-after", b"")
        if mode == "range-before" and start and not token:
            earlier = sorted(k for k in self.objects if k.startswith(prefix) and k <= start)
            start = earlier[-3] if len(earlier) >= 3 else b""
        if mode == "probe-outside" and query.get("max-keys") == b"1":
            outside = [k for k in sorted(self.objects) if not k.startswith(prefix)][:1] or [b"etc/important"]
            body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="{NS}"><Name>{BUCKET}</Name>'
                    "<IsTruncated>true</IsTruncated><NextContinuationToken>probe</NextContinuationToken>"
                    + self.entry_xml(outside[0], query.get("encoding-type") == b"url") + "</ListBucketResult>")
            return Response(200, body.encode("utf-8", "surrogateescape"))
        if token and mode not in ("token-repeat", "token-cycle", "no-advance"):
            try:
                start = base64.urlsafe_b64decode(token)
            except ValueError:
                return error(400, "InvalidArgument", "The continuation token provided is incorrect")
        keys = sorted(k for k in self.objects if k.startswith(prefix) and k > start)
        if delimiter and start.endswith(delimiter) and start.startswith(prefix):
            # The last page ended on a common prefix: every key below it was rolled up there.
            keys = [k for k in keys if not k.startswith(start)]
        contents, prefixes = [], []
        for k in keys:
            if delimiter:
                rest = k[len(prefix):]
                cut = rest.find(delimiter)
                if cut >= 0:
                    common = prefix + rest[: cut + len(delimiter)]
                    if common not in prefixes:
                        prefixes.append(common)
                    continue
            contents.append(k)
        # One sorted stream of keys and common prefixes, cut into pages.
        stream = sorted([(k, "key") for k in contents] + [(p, "prefix") for p in prefixes])
        truncated, next_token = False, None
        if mode == "token-repeat":
            page, truncated, next_token = stream[:2], True, "same-token"
        elif mode == "token-cycle":
            at = {None: 0, b"A": 1, b"B": 2}.get(token, 0)
            page = stream[at:at + 1] or stream[:1]
            truncated, next_token = True, "A" if token in (None, b"B") else "B"
        elif mode == "no-advance":
            n = int(token[1:]) if token else 0
            page, truncated, next_token = stream[:2], True, f"t{n + 1}"
        else:
            size = self.page_size
            if query.get("max-keys", b"").isdigit():
                size = max(1, min(size, int(query["max-keys"])))
            page = stream[:size]
            if len(stream) > size:
                truncated = True
                next_token = base64.urlsafe_b64encode(page[-1][0]).decode()
        page_keys = [k for k, kind in page if kind == "key"]
        page_prefixes = [p for p, kind in page if kind == "prefix"]
        first_page = token is None
        if (mode == "wrong-prefix" and first_page) or (mode == "wrong-level" and first_page and delimiter):
            self.injected += 1
        if mode == "wrong-prefix" and first_page:
            page_keys = sorted(set(page_keys) | set(OUTSIDE))
            if delimiter:
                page_prefixes = sorted(set(page_prefixes) | {b"etc/", b"media/2023-old/"})
        if mode == "wrong-level" and first_page and delimiter:
            page_keys = sorted(set(page_keys) | {b"media/2023/sub/c.txt"})
            page_prefixes = sorted(set(page_prefixes) | {b"media/2023/sub/deeper/"})
        enc = "<EncodingType>url</EncodingType>" if encode else ""
        shown_prefix = (urllib.parse.quote_from_bytes(prefix, safe="/") if encode
                        else xml_escape(prefix.decode("utf-8", "replace")))
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
        if mode == "xml-entities":
            lol = ['<!ENTITY lol0 "lollollollollollollollollollol">']
            for i in range(1, 10):
                lol.append(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">')
            parts.append("<!DOCTYPE ListBucketResult [" + "".join(lol) + "]>\n")
        if mode == "xml-xxe":
            parts.append(f'<!DOCTYPE ListBucketResult [<!ENTITY file SYSTEM "file:///etc/passwd">'
                         f'<!ENTITY web SYSTEM "{self.trap.url}/xxe">]>\n')
        parts.append('<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">')
        parts.append(f"<Name>{BUCKET}</Name><Prefix>{shown_prefix}</Prefix><KeyCount>{len(page)}</KeyCount>"
                     f"<MaxKeys>1000</MaxKeys>{enc}")
        if delimiter:
            parts.append(f"<Delimiter>{xml_escape(delimiter.decode('utf-8', 'replace'))}</Delimiter>")
        parts.append(f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>")
        if token is not None:
            parts.append(f"<ContinuationToken>{xml_escape(token.decode('utf-8', 'replace'))}</ContinuationToken>")
        if next_token:
            parts.append(f"<NextContinuationToken>{next_token}</NextContinuationToken>")
        if mode == "xml-entities":
            parts.append(f"<Contents><Key>{xml_escape(PREFIX.decode())}&lol9;</Key><Size>1</Size>"
                         "<ETag>&quot;x&quot;</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents>")
        if mode == "xml-xxe":
            for ent in ("file", "web"):
                parts.append(f"<Contents><Key>{xml_escape(PREFIX.decode())}&{ent};</Key><Size>1</Size>"
                             "<ETag>&quot;x&quot;</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                             "</Contents>")
        for k in page_keys:
            parts.append(self.entry_xml(k, encode))
        for p in page_prefixes:
            shown = urllib.parse.quote_from_bytes(p, safe="/") if encode else xml_escape(p.decode("utf-8", "replace"))
            parts.append(f"<CommonPrefixes><Prefix>{shown}</Prefix></CommonPrefixes>")
        if mode in ("xml-endless-slow", "xml-endless-fast"):
            return Response(200, stream=self.endless("".join(parts).encode(), fast=mode == "xml-endless-fast"))
        parts.append("</ListBucketResult>")
        body = "".join(parts).encode("utf-8", "surrogateescape")
        if mode == "xml-truncated":
            cut = body.find(b"<Key>", body.find(b"<Contents>")) + 12
            body = body[:cut] if cut > 12 else body[: len(body) // 2]
        return Response(200, body)

    def endless(self, start, fast):
        """A listing that never closes: the start of a page, then <Contents> after <Contents>."""
        yield start
        n, sent = 0, len(start)
        while not self.closing.is_set():
            chunk = "".join(f"<Contents><Key>media/2023/endless-{n + i:012d}</Key><Size>1</Size></Contents>"
                            for i in range(2048)).encode()
            n += 2048
            sent += len(chunk)
            yield chunk
            if fast:
                if sent > ENDLESS_FAST_LIMIT:
                    return
            else:
                time.sleep(len(chunk) / (256 * 1024))

    # ------------------------------------------------------------------ objects

    def object_call(self, method, bucket, key, query, headers, body):
        mode = self.mode
        source = headers.get("x-amz-copy-source")
        if method == "PUT" and source and "uploadId" not in query:
            if mode in ("copy-error-long", "copy-error-short", "copy-empty", "copy-html"):
                return self.bad_200(mode)
            return self.copy_object(key, source, headers)
        if method == "PUT" and "uploadId" in query:
            upload = self.uploads.get(query["uploadId"])
            if upload is None:
                return error(404, "NoSuchUpload", "The specified upload does not exist")
            n = int(query.get("partNumber", b"0"))
            if source:
                if mode in ("copy-error-long", "copy-error-short", "copy-empty", "copy-html"):
                    return self.bad_200(mode)
                etag = hashlib.md5(source.encode() + str(n).encode()).hexdigest()
                upload["parts"][n] = b""
                return Response(200, f"<CopyPartResult><ETag>&quot;{etag}&quot;</ETag>"
                                     f"<LastModified>{iso(time.time())}</LastModified></CopyPartResult>".encode())
            upload["parts"][n] = body
            return Response(200, b"", headers=[("ETag", f'"{hashlib.md5(body).hexdigest()}"')], content_type=None)
        if method == "POST" and "uploads" in query:
            upload_id = uuid.uuid4().hex
            self.uploads[upload_id.encode()] = {"key": key, "parts": {}, "headers": dict(headers.items())}
            return Response(200, (f"<InitiateMultipartUploadResult><Bucket>{bucket}</Bucket>"
                                  f"<Key>{xml_escape(key.decode('utf-8', 'replace'))}</Key>"
                                  f"<UploadId>{upload_id}</UploadId></InitiateMultipartUploadResult>").encode())
        if method == "POST" and "uploadId" in query:
            upload = self.uploads.pop(query["uploadId"], None)
            if upload is None:
                return error(404, "NoSuchUpload", "The specified upload does not exist")
            if mode.startswith("complete-"):
                return self.bad_200(mode)
            data = b"".join(upload["parts"][n] for n in sorted(upload["parts"]))
            self.objects[key] = Obj(data, upload["headers"].get("Content-Type", "binary/octet-stream"))
            return Response(200, (f"<CompleteMultipartUploadResult><Bucket>{bucket}</Bucket>"
                                  f"<Key>{xml_escape(key.decode('utf-8', 'replace'))}</Key>"
                                  f"<ETag>&quot;{self.objects[key].etag}-2&quot;</ETag>"
                                  "</CompleteMultipartUploadResult>").encode())
        if method == "DELETE" and "uploadId" in query:
            self.uploads.pop(query["uploadId"], None)
            return Response(204, b"", content_type=None)
        if method == "PUT":
            obj = Obj(body, headers.get("Content-Type", "binary/octet-stream"),
                      {k: v for k, v in headers.items() if k.lower().startswith("x-amz-meta-")
                       or k.lower() in ("cache-control", "content-encoding")})
            self.objects[key] = obj
            return Response(200, b"", headers=[("ETag", f'"{obj.etag}"')], content_type=None)
        if method == "DELETE":
            self.objects.pop(key, None)
            return Response(204, b"", content_type=None)
        obj = self.objects.get(key)
        if obj is None:
            if method == "HEAD":
                return Response(404, b"", content_type=None)
            return error(404, "NoSuchKey", "The specified key does not exist.")
        if method == "GET" and "acl" in query:
            return Response(200, (
                '<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>owner</ID>'
                "<DisplayName>owner</DisplayName></Owner><AccessControlList><Grant>"
                '<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">'
                "<ID>owner</ID><DisplayName>owner</DisplayName></Grantee><Permission>FULL_CONTROL</Permission>"
                "</Grant></AccessControlList></AccessControlPolicy>").encode())
        if method == "GET" and "tagging" in query:
            return Response(200, b'<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet/></Tagging>')
        meta = [(k, v) for k, v in obj.headers.items() if k != "Content-Type"]
        common = [("ETag", f'"{obj.etag}"'), ("Last-Modified", http_date(obj.modified)),
                  ("Accept-Ranges", "bytes")] + meta
        if method == "HEAD":
            return Response(200, b"", headers=common, content_type=obj.headers["Content-Type"],
                            length=self.size_of(key, head=True))
        if method == "GET":
            total = self.size_of(key, head=True)
            rng = headers.get("Range")
            if rng:
                m = re.match(r"bytes=(\d+)-(\d*)$", rng)
                first = int(m.group(1)) if m else 0
                last = int(m.group(2)) if m and m.group(2) else len(obj.body) - 1
                if first >= len(obj.body):
                    return error(416, "InvalidRange", "The requested range is not satisfiable")
                # Never more than the real bytes, whatever the claimed size.
                data = obj.body[first: min(last, len(obj.body) - 1) + 1]
                if mode == "get-longer":
                    data += b"X" * 65536
                return Response(206, data, content_type=obj.headers["Content-Type"],
                                headers=common + [("Content-Range", f"bytes {first}-{first + len(data) - 1}/{total}")])
            extra = b"X" * 65536 if mode == "get-longer" else b""
            return Response(200, obj.body + extra, content_type=obj.headers["Content-Type"], headers=common)
        return error(501, "NotImplemented", "the hostile server does not do this")

    def copy_object(self, key, source, headers):
        raw = urllib.parse.unquote_to_bytes(source.split("?versionId=")[0]).lstrip(b"/")
        _, _, source_key = raw.partition(b"/")
        src = self.objects.get(source_key)
        if src is None:
            return error(404, "NoSuchKey", "The specified key does not exist.")
        if headers.get("x-amz-metadata-directive", "COPY").upper() == "REPLACE":
            kept = {k: v for k, v in headers.items() if k.lower().startswith("x-amz-meta-") or k.lower() in (
                "cache-control", "content-encoding", "content-disposition", "content-language", "expires")}
            obj = Obj(src.body, headers.get("Content-Type", "binary/octet-stream"), kept)
        else:
            kept = {k: v for k, v in src.headers.items() if k != "Content-Type"}
            obj = Obj(src.body, src.headers["Content-Type"], kept)
        self.objects[key] = obj
        return Response(200, (f'<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult>'
                              f"<LastModified>{iso(obj.modified)}</LastModified>"
                              f"<ETag>&quot;{obj.etag}&quot;</ETag></CopyObjectResult>").encode())

    def bad_200(self, mode):
        err = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
               b"<Message>We encountered an internal error. Please try again.</Message>"
               b"<RequestId>HOSTILE</RequestId></Error>")
        if mode.endswith("error-long"):
            # S3 sends whitespace every few seconds while a long copy runs, then the result.
            return Response(200, b" \n" * 4096 + err)
        if mode.endswith("error-short"):
            return Response(200, b"\n\n   " + err)
        if mode.endswith("empty"):
            return Response(200, b"")
        return Response(200, HTML_PAGE, content_type="text/html; charset=utf-8")

    def delete_objects(self, body):
        keys = delete_keys(body)
        quiet = b"<Quiet>true</Quiet>" in body
        out = []
        for k in keys:
            self.objects.pop(k, None)
            if not quiet:
                out.append(f"<Deleted><Key>{xml_escape(k.decode('utf-8', 'replace'))}</Key></Deleted>")
        return Response(200, ('<?xml version="1.0" encoding="UTF-8"?>\n'
                              f'<DeleteResult xmlns="{NS}">{"".join(out)}</DeleteResult>').encode())


if __name__ == "__main__":
    server = HostileServer(sys.argv[1] if len(sys.argv) > 1 else "honest")
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.close()
