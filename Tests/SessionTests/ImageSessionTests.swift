import Browser
import Foundation
import S3
import Operations
import Session
import TestSupport
import XCTest

/// The image page through the session: `p` on an image fetches it (HEAD, then a GET pinned by
/// If-Match), decodes it off the UI thread and draws it in symbols with its caption.
final class ImageSessionTests: XCTestCase {
    /// A 64×32 gradient PNG (Tests/ImagingTests/Fixtures/gradient-64x32.png, 123 bytes).
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAgCAIAAAAt/+nTAAAAQklEQVR4nO3PwQnAMADEsCv0kbE7"
                          + "escQAQsv4Gf73u3mzq7WgNaA1oDWgNaA1oDWgNaA1oDWgNaA1oDWgNaA1oD2AycvAvI+Hby7AAAAAElFTkSuQmCC")!

    /// A bucket `site` with `objects` (name, size), each answering HEAD with `etag` + name and
    /// GET with `bodies[name]` (the PNG unless told).
    func transport(_ objects: [(String, Int64)], bodies: [String: Data] = [:]) -> ScriptedTransport {
        let t = ScriptedTransport()
        t.on("GET", path: "/site", having: ["list-type"]) { _ in
            S3Answers.listObjectsV2(bucket: "site", prefix: "", objects: objects.map { .init($0.0, size: $0.1) })
        }
        for (name, size) in objects {
            let body = bodies[name] ?? Self.png
            t.on("HEAD", path: "/site/\(name)") { _ in
                S3Answers.head(size: size, etag: "etag-\(name)",
                               contentType: name.hasSuffix(".txt") ? "text/plain" : "image/png")
            }
            t.on("GET", path: "/site/\(name)") { _ in HTTPResponse(status: 200, body: body) }
        }
        return t
    }

    func gets(_ t: ScriptedTransport) -> [String] {
        t.requests.filter { $0.method == "GET" && !$0.path.bytesEqual("/site") }.map(\.path)
    }

    func testPOnAnImageShowsItInSymbolsWithItsCaptionAndPinsTheGET() throws {
        let t = transport([("notes.txt", 10), ("photo.png", 123)])
        let d = BrowserDriver(bucket: "site", width: 80, height: 24, transport: t)
        d.runUntilIdle()
        d.press(.down)  // notes.txt sorts first
        d.press(.char("p"))
        XCTAssertTrue(d.text.contains("64×32 PNG, 123 B"), d.text)
        let coloured = d.screen.cells.filter { $0.colour != nil }
        XCTAssertGreaterThan(coloured.count, 100, "the picture is drawn in palette cells")
        assertSnapshot(d.screen, named: "image-page-80x24")
        let get = try XCTUnwrap(t.requests.first { $0.method == "GET" && $0.path.bytesEqual("/site/photo.png") })
        XCTAssertEqual(get.header("If-Match"), "\"etag-photo.png\"")
        XCTAssertEqual(gets(t), ["/site/photo.png"])

        // Closed and opened again: the cache has it, so only a HEAD goes out (no second GET).
        d.press(.escape)
        XCTAssertFalse(d.text.contains("64×32 PNG"), d.text)
        t.forgetRequests()
        d.press(.char("p"))
        XCTAssertTrue(d.text.contains("64×32 PNG, 123 B"), d.text)
        XCTAssertEqual(t.requests.map { "\($0.method) \($0.path)" }, ["HEAD /site/photo.png"])
    }

    func testMovingOnCancelsTheRequestAndShowsTheNextImage() throws {
        let t = transport([("a.png", 123), ("b.png", 123)])
        let d = BrowserDriver(bucket: "site", width: 80, height: 24, transport: t)
        d.runUntilIdle()
        d.press(.char("p"))
        let first = try XCTUnwrap(d.performed { e -> RequestID? in
            if case .showImage(let id, _, let key, _, _) = e, key == "a.png" { return id }
            return nil
        }.first)
        d.press(.down)
        XCTAssertEqual(d.performed { e -> RequestID? in if case .cancelImage(let id) = e { return id }; return nil },
                       [first])
        XCTAssertTrue(d.text.contains("s3://site/b.png"), d.text)
        XCTAssertTrue(d.text.contains("64×32 PNG"), d.text)
        XCTAssertEqual(gets(t), ["/site/a.png", "/site/b.png"])
        XCTAssertEqual(d.state.cursorEntry?.key, "b.png", "the tree's cursor moved on too")
    }

    /// The loader itself: a request cancelled while its GET is in flight is not decoded, not
    /// cached, and answers "cancelled" (so its id closes).
    func testACancelledRequestIsNotDecodedNorCached() throws {
        let arrived = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let blocking = ScriptedTransport()
        blocking.on("HEAD", path: "/site/a.png") { _ in S3Answers.head(size: 123, etag: "e", contentType: "image/png") }
        blocking.on("GET", path: "/site/a.png", times: 1) { _ in
            arrived.signal()
            release.wait()
            return HTTPResponse(status: 200, body: Self.png)
        }
        blocking.on("GET", path: "/site/a.png") { _ in HTTPResponse(status: 200, body: Self.png) }
        let d = BrowserDriver(bucket: "site", transport: blocking)
        let events = EventBox()
        let session = BrowserSession(client: d.client, queue: BrowserEventSink { events.add($0) },
                                     config: PailConfig(),
                                     environment: [:])
        session.perform(.showImage(id: RequestID(7), bucket: "site", key: "a.png", columns: 20, rows: 10))
        arrived.wait()
        session.perform(.cancelImage(id: RequestID(7)))
        release.signal()
        session.waitUntilIdle()
        guard case .imageShown(let id, .failure(let e))? = events.all.first else {
            return XCTFail("\(events.all)")
        }
        XCTAssertEqual(id, RequestID(7))
        XCTAssertEqual(e.message, "cancelled")
        session.perform(.showImage(id: RequestID(8), bucket: "site", key: "a.png", columns: 20, rows: 10))
        session.waitUntilIdle()
        guard case .imageShown(_, .success(let picture))? = events.all.last else { return XCTFail("\(events.all)") }
        XCTAssertEqual(picture.caption, "64×32 PNG, 123 B")
        XCTAssertEqual(blocking.requests.filter { $0.method == "GET" }.count, 2, "the cancelled one was not cached")
    }

    func testAnObjectOver32MiBIsNotFetched() throws {
        let t = transport([("huge.png", 40 << 20)])
        let d = BrowserDriver(bucket: "site", width: 100, height: 24, transport: t)
        d.runUntilIdle()
        d.press(.char("p"))
        let words = d.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        XCTAssertTrue(words.contains("s3://site/huge.png is 40.0 MiB, over the 32.0 MiB pail shows as an image: "
                                     + "download it with D or pail cp"), d.text)
        XCTAssertEqual(gets(t), [])
    }

    func testACorruptImageIsAnErrorLine() throws {
        var corrupt = Self.png
        corrupt.replaceSubrange(40..<80, with: Data(repeating: 0x41, count: 40))
        let t = transport([("bad.png", Int64(corrupt.count))], bodies: ["bad.png": corrupt])
        let d = BrowserDriver(bucket: "site", width: 120, height: 24, transport: t)
        d.runUntilIdle()
        d.press(.char("p"))
        // One error line where the picture would be, naming the format, in the error style.
        let screen = d.screen, lines = d.text.split(separator: "\n", omittingEmptySubsequences: false)
        let errorRows = (0..<screen.height).filter { screen.cell(row: $0, column: 1).style == .error }
        XCTAssertEqual(errorRows.count, 1, d.text)
        // The loader's own words follow (gdk-pixbuf's: "Fatal error reading PNG image file: ...").
        XCTAssertTrue(errorRows.allSatisfy { lines[$0].hasPrefix(" the PNG image does not decode: ") }, d.text)
        XCTAssertFalse(d.screen.cells.contains { $0.colour != nil }, d.text)
        XCTAssertEqual(gets(t), ["/site/bad.png"])
    }

    func testATextObjectStillOpensThePreview() throws {
        let t = transport([("notes.txt", 10)])
        let d = BrowserDriver(bucket: "site", width: 80, height: 24, transport: t)
        d.runUntilIdle()
        d.press(.char("p"))
        XCTAssertEqual(d.performed { e -> String? in if case .showImage = e { return "image" }; return nil }, [])
        XCTAssertEqual(d.performed { e -> String? in if case .preview(_, _, let k) = e { return k }; return nil },
                       ["notes.txt"])
    }
}

private final class EventBox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [BrowserEvent] = []
    func add(_ e: BrowserEvent) { lock.withLock { events.append(e) } }
    var all: [BrowserEvent] { lock.withLock { events } }
}
