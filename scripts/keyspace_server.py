#!/usr/bin/env python3
"""An S3 endpoint on 127.0.0.1 that serves a computed keyspace: millions of keys, none stored.

For measuring how pail lists at scale (issue 11) without seeding millions of objects: the
bucket name selects the layout, every key, size and ETag is computed from the key's position,
so a page of 1000 keys costs the server about a millisecond and the client is what is
measured. No signature checks; anonymous or signed requests are served alike.

    keyspace_server.py serve [--port P] [--workers N] [--log FILE]   # prints its URL, runs until killed
    keyspace_server.py measure BUCKET [--seconds S]                  # pages/s of this machine's server
    keyspace_server.py measure-objects BUCKET [--method HEAD|GET|COPY|PUT|DELETE]   # requests/s

Buckets (the name is the layout):
    flat-N               N keys in one prefix: k/0000000 ... (width 7, or more for N > 10^7)
    dates-N              10 years x 12 months, N/120 keys each: 2015/01/img-000000.jpg ...
    mixed-N              about N keys below non-ASCII, space and '+' names (e+U+0301, e-acute,
                         an emoji, ...) with objects between prefixes ("a.txt" before "a/"):
                         byte order differs from Unicode order here
    uflat-N              about N keys in one prefix u/ that start and end with multi-byte
                         characters (bytes above 0x7F right after the prefix, NFC and NFD
                         spellings of e-acute as two keys): u/<lead><number><tail>
    <layout>-delayMS     any of these with MS milliseconds per list request (a far region)
    <layout>-small       any of these with objects of 1 to 16 bytes whose ETags are their MD5s
                         (downloads of a million objects check out and fit on a disk)

Served: ListObjectsV2 (prefix, delimiter, continuation-token, start-after, max-keys,
encoding-type=url), HEAD and GET of an object (zero bytes of the computed size), HEAD of a
bucket, ListBuckets, CopyObject (a PUT with x-amz-copy-source of a key that exists: answered,
nothing stored), PutObject and DeleteObject (answered, nothing stored or removed), DeleteObjects
(every key answered as deleted; the keyspace never changes), and NotImplemented for ?acl,
?tagging, ?versioning, ?ownershipControls (as a server without them). Keys come in UTF-8 byte
order, as from S3.

Object requests are one per key, so they must be cheap: requests are parsed by hand (not by
BaseHTTPRequestHandler's email parser), a key's position is read from the key itself (not
found by binary search), connections are kept alive, and `--workers` processes accept on one
socket. About 6,000 HEADs and 2,000-2,500 GETs or copies a second with 2 processes on 2
loaded cores (`measure-objects`; the Python clients share the cores), against about 1,000 of
any before.

`--log FILE` appends one line per list request: time, bucket, prefix, start, count, truncated,
then the start-after and max-keys asked for and the time the request came in (after any
delay: `began` to the first number is the time the page was being made, overlaps show how
many requests were in flight), and one per GET, HEAD, COPY, PUT and DELETE of an object (time,
method, bucket, key; DeleteObjects writes one DELETE line per key); tests read it to see how
far the server has got while the client works. Query values are taken as bytes
(percent-escapes of any byte, not only UTF-8).
"""
import argparse
import hashlib
import html
import os
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus, unquote, urlsplit

MAX_KEYS = 1000
# Bytes that pass through encoding-type=url and XML unchanged.
_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/"
# Dates in the past: s5cmd skips objects modified after it started.
_TIMES = [b"2025-%02d-%02dT%02d:%02d:%02d.000Z" % (1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60)
          for i in range(997)]
# ETags: the position in hex, then 24 digits from a small table (a page costs a millisecond, not
# the two that formatting a 128-bit product per key would take).
_ETAG_TAILS = [b"%024x" % ((i * 0x9E3779B97F4A7C15F39CC06) & ((1 << 96) - 1)) for i in range(1009)]


class Fixed:
    """One level whose values are listed (sorted by bytes, none a prefix of another)."""

    def __init__(self, values):
        self.values = [v.encode() if isinstance(v, str) else v for v in values]
        assert self.values == sorted(self.values), "values must be in byte order"
        self.count = len(self.values)


class Numbered:
    """One level of zero-padded numbers: fmt is a bytes pattern with one %0Nd."""

    def __init__(self, count, fmt):
        self.count, self.pattern = count, fmt

    def parts(self):
        """(text before the number, its width, text after), for reading a key back."""
        head, _, rest = self.pattern.partition(b"%0")
        width, _, tail = rest.partition(b"d")
        return head.replace(b"%%", b"%"), int(width), tail.replace(b"%%", b"%")


class Block:
    """A product of levels: key(j) is the concatenation of one value per level, in
    mixed-radix order of j, which is byte order because each level is prefix-free."""

    def __init__(self, levels):
        self.levels = levels
        self.count = 1
        for level in levels:
            self.count *= level.count
        self.radix = []
        r = 1
        for level in reversed(levels):
            self.radix.insert(0, r)
            r *= level.count

    def digits(self, j):
        out = []
        for level, r in zip(self.levels, self.radix):
            d, j = divmod(j, r)
            out.append(d)
        return out

    @staticmethod
    def _value(level, d):
        return level.values[d] if isinstance(level, Fixed) else level.pattern % d

    def key(self, j):
        return b"".join(self._value(level, d) for level, d in zip(self.levels, self.digits(j)))

    def position(self, key):
        """j with key(j) == key, or None: the key read level by level (a HEAD, GET or copy
        of one key costs one key(), not the 20 of a binary search)."""
        j, rest = 0, key
        for level, r in zip(self.levels, self.radix):
            if isinstance(level, Fixed):
                d = next((n for n, v in enumerate(level.values) if rest.startswith(v)), None)
                if d is None:
                    return None
                rest = rest[len(level.values[d]):]
            else:
                head, width, tail = level.parts()
                digits = rest[len(head):len(head) + width]
                if not rest.startswith(head) or len(digits) != width or not digits.isdigit():
                    return None
                d = int(digits)
                rest = rest[len(head) + width:]
                if d >= level.count or not rest.startswith(tail):
                    return None
                rest = rest[len(tail):]
            j += d * r
        return j if not rest else None

    def keys(self, j, n):
        """Keys j..j+n-1, fast: runs that share all but the last level are one % each."""
        out = []
        last = self.levels[-1]
        while n > 0:
            digits = self.digits(j)
            head = b"".join(self._value(level, d) for level, d in zip(self.levels[:-1], digits[:-1]))
            d0 = digits[-1]
            take = min(n, last.count - d0)
            if isinstance(last, Numbered):
                pattern = head.replace(b"%", b"%%") + last.pattern
                out.extend([pattern % d for d in range(d0, d0 + take)])
            else:
                out.extend([head + v for v in last.values[d0:d0 + take]])
            j += take
            n -= take
        return out


_ZERO_MD5 = [hashlib.md5(bytes(n)).hexdigest().encode() for n in range(17)]


class Layout:
    def __init__(self, blocks, delay=0.0, small=False):
        self.small = small
        self.blocks = sorted(blocks, key=lambda b: b.key(0))
        for a, b in zip(self.blocks, self.blocks[1:]):
            assert a.key(a.count - 1) < b.key(0), "blocks overlap"
        self.offsets = []
        total = 0
        for b in self.blocks:
            self.offsets.append(total)
            total += b.count
        self.total = total
        self.delay = delay

    def _block(self, i):
        lo, hi = 0, len(self.blocks) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.offsets[mid] <= i:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def key(self, i):
        b = self._block(i)
        return self.blocks[b].key(i - self.offsets[b])

    def keys(self, i, n):
        out = []
        n = min(n, self.total - i)
        while n > 0:
            b = self._block(i)
            j = i - self.offsets[b]
            take = min(n, self.blocks[b].count - j)
            out.extend(self.blocks[b].keys(j, take))
            i += take
            n -= take
        return out

    def lower_bound(self, x):
        """The first position whose key is >= x (bytes)."""
        lo, hi = 0, self.total
        while lo < hi:
            mid = (lo + hi) // 2
            if self.key(mid) < x:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def position(self, key):
        """The position of key (bytes), or None if the keyspace has no such key."""
        for offset, block in zip(self.offsets, self.blocks):
            j = block.position(key)
            if j is not None and block.count > j:
                # Numbers wider than their pattern would read back differently: check.
                return offset + j if block.key(j) == key else None
        return None

    def upper_bound(self, x):
        """The first position whose key is > x."""
        return self.lower_bound(x + b"\x00")

    def size(self, i):
        return (i * 2654435761) % (16 if self.small else 1048576) + 1

    def etag(self, i):
        if self.small:
            return _ZERO_MD5[self.size(i)]
        return b"%08x%s" % (i & 0xFFFFFFFF, _ETAG_TAILS[i % 1009])

    def all_keys(self):
        return self.keys(0, self.total)


MIXED_TOPS = ["a", "a b", "a+b", "c%d", "e\u0301", "f", "z", "\u00e9", "\u65e5\u672c", "\U0001F600"]
MIXED_SUBS = ["2024/", "b b/", "c+d/"]
# uflat: leads and tails in byte order, each set prefix-free. "e" + U+0301 and U+00E9 are one
# character to Unicode and two keys to S3.
UFLAT_LEADS = ["0", "A", "e\u0301", "z", "\u00e9", "\u65e5", "\U0001F600"]
UFLAT_TAILS = [".a", "e\u0301", "z", "\u00e9", "\U0001F600"]


def parse_layout(bucket):
    """The layout a bucket name selects, or None."""
    parts = bucket.split("-")
    delay = 0.0
    small = False
    while len(parts) > 2:
        option = parts.pop()
        if option.startswith("delay") and option[5:].isdigit():
            delay = int(option[5:]) / 1000.0
        elif option == "small":
            small = True
        else:
            return None
    if len(parts) != 2 or not parts[1].isdigit() or int(parts[1]) < 1:
        return None
    kind, n = parts[0], int(parts[1])
    if kind == "flat":
        width = max(7, len(str(n - 1)))
        return Layout([Block([Fixed(["k/"]), Numbered(n, b"%%0%dd" % width)])], delay, small)
    if kind == "dates":
        per = max(1, n // 120)
        years = Fixed([f"{y}/" for y in range(2015, 2025)])
        months = Fixed([f"{m:02d}/" for m in range(1, 13)])
        return Layout([Block([years, months, Numbered(per, b"img-%06d.jpg")])], delay, small)
    if kind == "uflat":
        per = max(1, n // (len(UFLAT_LEADS) * len(UFLAT_TAILS)))
        return Layout([Block([Fixed(["u/"]), Fixed(UFLAT_LEADS), Numbered(per, b"%%0%dd" % max(4, len(str(per - 1)))),
                              Fixed(UFLAT_TAILS)])], delay, small)
    if kind == "mixed":
        per = max(1, (n // len(MIXED_TOPS) - 1) // len(MIXED_SUBS))
        blocks = []
        for top in MIXED_TOPS:
            blocks.append(Block([Fixed([top + ".txt"])]))
            blocks.append(Block([Fixed([top + "/"]), Fixed(MIXED_SUBS), Numbered(per, b"f-%06d")]))
        return Layout(blocks, delay, small)
    return None


_layouts = {}
_layouts_lock = threading.Lock()


def layout_for(bucket):
    layout = _layouts.get(bucket)
    if layout is not None:
        return layout
    with _layouts_lock:
        if bucket not in _layouts:
            _layouts[bucket] = parse_layout(bucket)
        return _layouts[bucket]


def _xml_text(b):
    if not b.translate(None, _SAFE):
        return b
    s = b.decode("utf-8", "surrogateescape")
    out = []
    for ch in s:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("&#%d;" % ord(ch))
        else:
            out.append(ch)
    return "".join(out).encode("utf-8", "surrogateescape")


def _xml_unescape(b):
    """The bytes of XML text with its five entities and character references resolved."""
    if b"&" not in b:
        return b
    s = html.unescape(b.decode("utf-8", "surrogateescape"))
    return s.encode("utf-8", "surrogateescape")


def _url(b):
    if not b.translate(None, _SAFE):
        return b
    return quote_plus(b, safe="/").encode()


_SMALL_ENTRY = (b"<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>&quot;%s&quot;</ETag>"
                b"<Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>")
_ENTRY = (b"<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>&quot;%08x%s&quot;</ETag>"
          b"<Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>")


def list_page(layout, query):
    """The ListObjectsV2 response body for query (a dict of str), and a log summary."""
    prefix = query.get("prefix", "").encode("utf-8", "surrogateescape")
    delimiter = query.get("delimiter", "").encode("utf-8", "surrogateescape")
    encode = _url if query.get("encoding-type") == "url" else _xml_text
    try:
        max_keys = max(0, min(MAX_KEYS, int(query.get("max-keys", MAX_KEYS))))
    except ValueError:
        max_keys = MAX_KEYS
    pos = layout.lower_bound(prefix)
    token = query.get("continuation-token")
    start_after = query.get("start-after")
    if token:
        kind, raw = token[:1], bytes.fromhex(token[1:])
        pos = max(pos, layout.lower_bound(raw + b"\xff") if kind == "C" else layout.upper_bound(raw))
    elif start_after:
        pos = max(pos, layout.upper_bound(start_after.encode("utf-8", "surrogateescape")))
    end = layout.lower_bound(prefix + b"\xff") if prefix else layout.total
    first = pos
    entries, prefixes = [], []
    last = None
    count = 0
    while count < max_keys and pos < end:
        keys = layout.keys(pos, min(max_keys - count, end - pos))
        if delimiter:
            cut = len(prefix)
            for n, k in enumerate(keys):
                d = k.find(delimiter, cut)
                if d >= 0:
                    keys = keys[:n]
                    cp = k[:d + len(delimiter)]
                    break
            else:
                cp = None
        else:
            cp = None
        if keys:
            if layout.small:
                entries.extend(_SMALL_ENTRY % (encode(k), _TIMES[i % 997], layout.etag(i), layout.size(i))
                               for i, k in enumerate(keys, pos))
            else:
                entries.extend(_ENTRY % (encode(k), _TIMES[i % 997], i & 0xFFFFFFFF, _ETAG_TAILS[i % 1009],
                                         (i * 2654435761) % 1048576 + 1)
                               for i, k in enumerate(keys, pos))
            count += len(keys)
            pos += len(keys)
            last = b"K" + keys[-1]
        if cp is not None:
            prefixes.append(b"<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>" % encode(cp))
            count += 1
            pos = layout.lower_bound(cp + b"\xff")
            last = b"C" + cp
    truncated = pos < end and last is not None
    head = [b'<?xml version="1.0" encoding="UTF-8"?>\n',
            b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
            b"<Name>%s</Name><Prefix>%s</Prefix>" % (query["bucket"].encode(), encode(prefix)),
            b"<KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys>" % (count, max_keys)]
    if delimiter:
        head.append(b"<Delimiter>%s</Delimiter>" % encode(delimiter))
    if query.get("encoding-type") == "url":
        head.append(b"<EncodingType>url</EncodingType>")
    if token:
        head.append(b"<ContinuationToken>%s</ContinuationToken>" % token.encode())
    if start_after:
        head.append(b"<StartAfter>%s</StartAfter>" % encode(start_after.encode("utf-8", "surrogateescape")))
    head.append(b"<IsTruncated>%s</IsTruncated>" % (b"true" if truncated else b"false"))
    if truncated:
        head.append(b"<NextContinuationToken>%s%s</NextContinuationToken>" % (last[:1], last[1:].hex().encode()))
    body = b"".join(head) + b"".join(entries) + b"".join(prefixes) + b"</ListBucketResult>"
    # CommonPrefixes after Contents is what S3 sends; clients merge the two by key.
    summary = "prefix=%s start=%s n=%d truncated=%d after=%s max=%d" % (
        quote_plus(prefix, safe="/"), quote_plus(layout.key(first) if first < layout.total else b"", safe="/"),
        count, int(truncated), quote_plus((start_after or "").encode("utf-8", "surrogateescape"), safe="/"), max_keys)
    return body, summary


class _Headers(dict):
    """Request headers by lower-case name (the last of repeated ones), as `get` is used."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "keyspace"
    log_fd = None
    # One write per answer, but a 100 Continue before it must not wait for a delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def handle_one_request(self):
        """One request of a keep-alive connection, parsed by hand: BaseHTTPRequestHandler's
        parser (email.feedparser per request) cost more than the answer, and object
        requests (a million HEADs or copies) are one per key."""
        readline = self.rfile.readline
        line = readline(65537)
        if not line or len(line) > 65536:
            self.close_connection = True
            return
        parts = line.split()
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            self.close_connection = True
            return
        headers = _Headers()
        while True:
            h = readline(65537)
            if h in (b"\r\n", b"\n", b""):
                break
            name, _, value = h.partition(b":")
            headers[name.strip().lower().decode("iso-8859-1")] = value.strip().decode("iso-8859-1")
        self.command, self.path = parts[0].decode("iso-8859-1"), parts[1].decode("iso-8859-1")
        self.request_version, self.headers = parts[2].decode("iso-8859-1"), headers
        self.close_connection = (headers.get("connection", "").lower() == "close"
                                 or (parts[2] == b"HTTP/1.0" and headers.get("connection", "").lower() != "keep-alive"))
        if "chunked" in headers.get("transfer-encoding", "").lower():
            # Bodies come with a Content-Length from the clients measured; say so and hang up.
            self.close_connection = True
            return self.error(501, "NotImplemented")
        if headers.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        method = getattr(self, "do_" + self.command, None)
        if method is None:
            self.drain_body()
            return self.error(501, "NotImplemented")
        method()

    def reply(self, status, body=b"", headers=(), head_only=False):
        lines = [b"HTTP/1.1 %d %s" % (status, self.responses.get(status, ("",))[0].encode()),
                 b"Content-Length: %d" % len(body), b"x-amz-request-id: keyspace"]
        lines.extend(b"%s: %s" % (k.encode(), v.encode()) for k, v in headers)
        if body and not any(k.lower() == "content-type" for k, _ in headers):
            lines.append(b"Content-Type: application/xml")
        out = b"\r\n".join(lines) + b"\r\n\r\n"
        self.wfile.write(out if head_only else out + body)

    def error(self, status, code, head_only=False):
        body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>" % (
            code.encode(), code.encode())
        self.reply(status, body, head_only=head_only)

    def parse(self):
        url = urlsplit(self.path)
        path = url.path.lstrip("/")
        bucket, _, key = path.partition("/")
        query = dict(parse_qsl(url.query, keep_blank_values=True, encoding="utf-8", errors="surrogateescape"))
        return unquote(bucket), unquote(key, errors="surrogateescape"), query

    def drain_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_DELETE(self):
        # DeleteObject: 204 whether or not the key exists, as S3; nothing is removed.
        self.drain_body()
        bucket, key, query = self.parse()
        if not key or layout_for(bucket) is None:
            return self.error(501 if key else 404, "NotImplemented" if key else "NoSuchBucket")
        self.log("DELETE", bucket, key)
        self.reply(204)

    def do_POST(self):
        # DeleteObjects (?delete): every key answered as deleted (none listed when Quiet), one
        # DELETE line per key in the log; the keyspace itself never changes.
        body = self.drain_body()
        bucket, key, query = self.parse()
        if key or "delete" not in query or layout_for(bucket) is None:
            return self.error(501, "NotImplemented")
        keys = re.findall(rb"<Key>([^<]*)</Key>", body)
        if Handler.log_fd is not None and keys:
            now = time.time()
            os.write(Handler.log_fd, b"".join(b"%.6f DELETE %s %s\n" % (now, bucket.encode(), quote_plus(
                _xml_unescape(k), safe="/").encode()) for k in keys))
        quiet = re.search(rb"<Quiet>\s*true\s*</Quiet>", body) is not None
        deleted = b"" if quiet else b"".join(b"<Deleted><Key>%s</Key></Deleted>" % k for k in keys)
        self.reply(200, b'<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult '
                        b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/">%s</DeleteResult>' % deleted)

    def do_GET(self):
        self.drain_body()
        self.serve(head_only=False)

    def do_HEAD(self):
        self.serve(head_only=True)

    def do_PUT(self):
        # CopyObject (a copy or an in-place header edit) and PutObject: answered, nothing stored.
        body = self.drain_body()
        bucket, key, query = self.parse()
        source = self.headers.get("x-amz-copy-source")
        if query or not key or layout_for(bucket) is None:
            return self.error(501, "NotImplemented")
        if not source:
            self.log("PUT", bucket, key)
            return self.reply(200, headers=[("ETag", '"%s"' % hashlib.md5(body).hexdigest())])
        src_bucket, _, src_key = unquote(source, errors="surrogateescape").lstrip("/").partition("/")
        layout = layout_for(src_bucket)
        i = layout.position(src_key.encode("utf-8", "surrogateescape")) if layout else None
        if i is None:
            return self.error(404, "NoSuchKey")
        self.log("COPY", bucket, key)
        body = (b'<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><LastModified>2026-01-01T00:00:00.000Z'
                b'</LastModified><ETag>&quot;%s&quot;</ETag></CopyObjectResult>' % layout.etag(i))
        self.reply(200, body)

    def log(self, method, bucket, key):
        if Handler.log_fd is not None:
            os.write(Handler.log_fd, ("%.6f %s %s %s\n" % (time.time(), method, bucket,
                                                         quote_plus(key.encode("utf-8", "surrogateescape"),
                                                                    safe="/"))).encode())

    def serve(self, head_only):
        bucket, key, query = self.parse()
        if not bucket:
            names = b"".join(b"<Bucket><Name>%s</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket>"
                             % n
                             for n in (b"flat-1000000", b"flat-5000000", b"dates-1200000", b"mixed-200000"))
            return self.reply(200, b"<ListAllMyBucketsResult><Buckets>%s</Buckets></ListAllMyBucketsResult>" % names)
        layout = layout_for(bucket)
        if layout is None:
            return self.error(404, "NoSuchBucket", head_only)
        if "tagging" in query and key and not head_only:
            return self.reply(200, b'<?xml version="1.0" encoding="UTF-8"?>\n<Tagging><TagSet></TagSet></Tagging>')
        if query.keys() & {"acl", "tagging", "versioning", "ownershipControls"}:
            return self.error(501, "NotImplemented", head_only)
        if not key:
            if head_only:
                return self.reply(200, head_only=True)
            if "location" in query:
                return self.reply(200, b"<LocationConstraint/>")
            if query.get("list-type") != "2":
                return self.error(501, "NotImplemented")
            began = time.time()
            if layout.delay:
                time.sleep(layout.delay)
            query["bucket"] = bucket
            body, summary = list_page(layout, query)
            if Handler.log_fd is not None:
                line = "%.6f LIST %s %s began=%.6f\n" % (time.time(), bucket, summary, began)
                os.write(Handler.log_fd, line.encode())
            return self.reply(200, body)
        i = layout.position(key.encode("utf-8", "surrogateescape"))
        if i is None:
            return self.error(404, "NoSuchKey", head_only)
        self.log("HEAD" if head_only else "GET", bucket, key)
        size = layout.size(i)
        headers = [("ETag", '"%s"' % layout.etag(i).decode()), ("Content-Type", "application/octet-stream"),
                   ("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")]
        if head_only:
            lines = [b"HTTP/1.1 200 OK", b"Content-Length: %d" % size]
            lines.extend(b"%s: %s" % (k.encode(), v.encode()) for k, v in headers)
            self.wfile.write(b"\r\n".join(lines) + b"\r\n\r\n")
            return
        self.reply(200, bytes(size), headers)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def serve(port=0, workers=2, log=None, announce=sys.stdout):
    """Binds, forks workers-1 more processes that accept on the same socket (Python serves
    one page at a time per process), prints the URL and serves until killed."""
    if log:
        Handler.log_fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    server = Server(("127.0.0.1", port), Handler)
    # Non-blocking accept: a worker that loses the race for a connection goes back to select.
    server.socket.setblocking(False)
    url = "http://127.0.0.1:%d" % server.server_address[1]
    children = []
    for _ in range(max(1, workers) - 1):
        pid = os.fork()
        if pid == 0:
            children = []
            break
        children.append(pid)
    else:
        print(url, file=announce, flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        for pid in children:
            try:
                os.kill(pid, 15)
            except OSError:
                pass


def start(workers=2, log=None):
    """Starts the server in a subprocess; returns (process, url). Stop it with stop(process)."""
    import subprocess
    cmd = [sys.executable, os.path.abspath(__file__), "serve", "--workers", str(workers)]
    if log:
        cmd += ["--log", log]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, start_new_session=True)
    url = proc.stdout.readline().decode().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise RuntimeError("keyspace server did not start")
    return proc, url


def stop(proc):
    """Ends the server's process group (the workers it forked), by its id."""
    import signal
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except OSError:
        pass
    proc.wait()


def measure(bucket, seconds, workers, clients):
    """Pages per second the server delivers to `clients` keep-alive connections walking
    continuation tokens, without a client doing anything with the pages."""
    import http.client
    import re
    proc, url = start(workers)
    port = int(url.rsplit(":", 1)[1])
    pages = [0]
    lock = threading.Lock()
    deadline = time.time() + seconds

    def walk():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        token = None
        while time.time() < deadline:
            q = "list-type=2&encoding-type=url" + (("&continuation-token=" + token) if token else "")
            conn.request("GET", "/%s?%s" % (bucket, q))
            body = conn.getresponse().read()
            m = re.search(rb"<NextContinuationToken>([^<]+)<", body)
            token = m.group(1).decode() if m else None
            with lock:
                pages[0] += 1

    try:
        threads = [threading.Thread(target=walk) for _ in range(clients)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - started
    finally:
        stop(proc)
    return pages[0] / elapsed


def measure_objects(bucket, method, seconds, workers, clients):
    """Object requests per second (HEAD, GET, COPY, PUT or DELETE of keys in turn) that
    `clients` processes on keep-alive sockets get answered, each waiting for its answer:
    a lower bound, the clients share the cores with the server."""
    import multiprocessing
    proc, url = start(workers)
    port = int(url.rsplit(":", 1)[1])
    layout = parse_layout(bucket)

    def request(n):
        key = layout.key(n % layout.total)
        if method == "COPY":
            return b"PUT /%s/copy/%s HTTP/1.1\r\nHost: x\r\nx-amz-copy-source: /%s/%s\r\n\r\n" % (
                bucket.encode(), key, bucket.encode(), key)
        if method == "PUT":
            return b"PUT /%s/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n%s" % (
                bucket.encode(), key, bytes(16))
        return b"%s /%s/%s HTTP/1.1\r\nHost: x\r\n\r\n" % (method.encode(), bucket.encode(), key)

    def client(c, counts):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = sock.makefile("rb")
        done, n = 0, c * 7919
        deadline = time.time() + seconds
        while time.time() < deadline:
            sock.sendall(request(n))
            length = 0
            status = reader.readline()
            while True:
                line = reader.readline()
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if method != "HEAD" and length:
                reader.read(length)
            if not status.startswith(b"HTTP/1.1 2"):
                raise RuntimeError("%s answered %r" % (method, status))
            done += 1
            n += 1
        counts[c] = done

    try:
        counts = multiprocessing.Array("l", clients)
        procs = [multiprocessing.Process(target=client, args=(c, counts)) for c in range(clients)]
        started = time.time()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        elapsed = time.time() - started
    finally:
        stop(proc)
    return sum(counts) / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--log")
    m = sub.add_parser("measure")
    m.add_argument("bucket")
    m.add_argument("--seconds", type=float, default=3)
    m.add_argument("--workers", type=int, default=2)
    m.add_argument("--clients", type=int, default=4)
    o = sub.add_parser("measure-objects")
    o.add_argument("bucket")
    o.add_argument("--method", default="HEAD", choices=["HEAD", "GET", "COPY", "PUT", "DELETE"])
    o.add_argument("--seconds", type=float, default=3)
    o.add_argument("--workers", type=int, default=2)
    o.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.port, args.workers, args.log)
    elif args.command == "measure-objects":
        rate = measure_objects(args.bucket, args.method, args.seconds, args.workers, args.clients)
        print("%s %s: %.0f requests/s (%d server processes, %d clients)" % (
            args.method, args.bucket, rate, args.workers, args.clients))
    else:
        rate = measure(args.bucket, args.seconds, args.workers, args.clients)
        print("%s: %.0f pages/s (%d server processes, %d clients)" % (args.bucket, rate, args.workers, args.clients))


if __name__ == "__main__":
    main()
