import Browser
import Foundation
import Operations
import S3
import Session
import TestSupport
import XCTest

/// The find, duplicates, stale-static and uploads pages through a real session on a scripted
/// server: the requests that go out and the screens that come back.
final class CleanupSessionTests: XCTestCase {
    /// A bucket `site` holding `objects`, listed by prefix and delimiter as S3 would, with
    /// HEADs answered from the same objects and DeleteObjects deleting whatever is asked.
    func bucket(_ objects: [S3Answers.Object], _ t: ScriptedTransport = ScriptedTransport()) -> ScriptedTransport {
        t.on("GET", path: "/site", having: ["list-type"]) { r in
            S3Answers.listObjectsV2(bucket: "site", answering: r, over: objects)
        }
        t.on({ $0.method == "HEAD" }) { r in
            let key = String(r.path.dropFirst("/site/".count))
            guard let o = objects.first(where: { $0.key == key }) else {
                return .success(HTTPResponse(status: 404, headers: []))
            }
            return .success(S3Answers.head(size: o.size, etag: o.etag))
        }
        t.on("POST", path: "/site", having: ["delete"]) { S3Answers.deleted($0) }
        return t
    }

    static let media: [S3Answers.Object] = [
        .init("index.html", size: 2048), .init("media/2023/x.jpg", size: 300), .init("media/2023/y.jpg", size: 400),
        .init("media/a.jpg", size: 100), .init("media/b.jpg", size: 150), .init("media/c.jpg", size: 200),
        .init("media/notes.txt", size: 900), .init("media-old/z.jpg", size: 999),
    ]

    func deleteRequests(_ t: ScriptedTransport) -> [HTTPRequest] {
        t.requests.filter { $0.method != "GET" && $0.method != "HEAD" }
    }

    // MARK: Find

    func testFindListsWhatMatchesBelowThePrefixAndDeletesExactlyTheMarkedResults() throws {
        let state = try SiteFixture.folder()
        let t = bucket(Self.media)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, environment: ["XDG_STATE_HOME": state],
                              transport: t)
        d.runUntilIdle()
        d.press(.down)  // media/
        t.forgetRequests()
        d.press(.char("F"))
        d.type("*.jpg --larger 120")
        assertSnapshot(d.screen, named: "find-prompt-120x40")
        d.press(.enter)
        // One recursive listing of media/, nothing else; media-old/ is another prefix.
        XCTAssertTrue(t.requests.allSatisfy { $0.method == "GET" && $0.queryValue("list-type") != nil },
                      "\(t.requests.map(\.line))")
        XCTAssertTrue(t.requests.allSatisfy { ($0.queryValue("prefix") ?? "").hasPrefix("media/") },
                      "\(t.requests.map(\.line))")
        XCTAssertTrue(d.text.contains("6 scanned, 4 matched"), d.text)
        for name in ["2023/x.jpg", "2023/y.jpg", "b.jpg", "c.jpg"] { XCTAssertTrue(d.text.contains(name), d.text) }
        for name in ["a.jpg", "notes.txt", "z.jpg"] { XCTAssertFalse(d.text.contains(" " + name), d.text) }
        XCTAssertFalse(d.state.openRequestIDs.contains { _ in true }, "the scan's id stays open")
        assertSnapshot(d.screen, named: "find-results-120x40")

        // Mark x.jpg and c.jpg, delete them through the usual confirmation.
        d.press(.char(" "), .down, .down, .char(" "))
        t.forgetRequests()
        d.press(.char("d"))
        XCTAssertEqual(d.performed { e -> [String]? in
            if case .planDelete(_, "site", let keys, []) = e { return keys }
            return nil
        }, [["media/2023/x.jpg", "media/c.jpg"]])
        XCTAssertTrue(d.text.contains("2 objects"), d.text)
        XCTAssertTrue(deleteRequests(t).isEmpty)
        d.press(.char("y"))
        let deletes = deleteRequests(t)
        XCTAssertEqual(deletes.map(\.line), ["POST /site?delete="])
        XCTAssertEqual(deletes.first.map(S3Answers.deleteKeys), ["media/2023/x.jpg", "media/c.jpg"])
        let manifests = FileManager.default.enumerator(atPath: state)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".jsonl") } ?? []
        XCTAssertEqual(manifests.count, 1, "\(manifests)")
        // The search ran again once the delete was done.
        XCTAssertEqual(d.performed { e -> Int? in if case .cleanupScan = e { return 1 }; return nil }.count, 2)
    }

    func testEditDownloadCopyAndURLWorkOnTheResultsAsInTheTree() throws {
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: bucket(Self.media))
        d.runUntilIdle()
        d.press(.down)
        d.press(.char("F"))
        d.type("*.jpg --larger 120")
        d.press(.enter)
        d.press(.char(" "), .char(" "))  // 2023/x.jpg and 2023/y.jpg
        d.press(.char("e"))
        let form = try XCTUnwrap(d.state.topPage as? HeaderFormPage, d.text)
        XCTAssertEqual(form.form.keys, ["media/2023/x.jpg", "media/2023/y.jpg"])
        XCTAssertEqual(form.form.prefixes, [])
        d.press(.escape)
        d.press(.char("D"))
        XCTAssertEqual((d.state.topPage as? PathPromptPage)?.purpose,
                       .download(bucket: "site", keys: ["media/2023/x.jpg", "media/2023/y.jpg"], prefixes: []))
        d.press(.escape)
        d.press(.char("c"))
        XCTAssertEqual((d.state.topPage as? PathPromptPage)?.purpose,
                       .copy(bucket: "site", keys: ["media/2023/x.jpg", "media/2023/y.jpg"], prefixes: []))
        d.press(.escape)
        XCTAssertTrue(d.state.topPage is FindPage)
        // The cursor is on b.jpg (marking moved it): the URL menu is for that object.
        d.press(.char("y"))
        XCTAssertTrue(d.state.topPage is URLMenuPage, d.text)
        XCTAssertEqual(d.performed { e -> String? in
            if case .buildURLs(_, "site", let key) = e { return key }
            return nil
        }, ["media/b.jpg"])
    }

    func testABadCriterionKeepsThePromptOpenWithWhatWasTypedAndListsNothing() throws {
        let t = bucket(Self.media)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        d.press(.down)
        t.forgetRequests()
        d.press(.char("F"))
        d.type("*.jpg --larger lots")
        d.press(.enter)
        XCTAssertTrue(d.state.topPage is FindPromptPage)
        XCTAssertTrue(d.text.contains("find in s3://site/media/: *.jpg --larger lots"), d.text)
        XCTAssertTrue(d.text.contains("\"lots\" is not a size"), d.text)
        XCTAssertTrue(t.requests.isEmpty, "\(t.requests.map(\.line))")
        d.press(.ctrl("u"))
        d.type("--regex '('")
        d.press(.enter)
        XCTAssertTrue(d.text.contains("is not a regular expression"), d.text)
        XCTAssertTrue(t.requests.isEmpty, "\(t.requests.map(\.line))")
    }

    func testEscStopsARunningFindAndItsIdClosesWithTheAnswer() throws {
        let t = bucket(Self.media)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        d.press(.down)
        // The state alone, so the scan is still running when Esc comes.
        var s = d.state
        var effects: [BrowserEffect] = s.reduce(.key(.char("F")))
        for c in "*.jpg" { effects += s.reduce(.key(.char(c))) }
        effects = s.reduce(.key(.enter))
        guard case .cleanupScan(let id, "site", "media/", .find("*.jpg"))? = effects.first else {
            return XCTFail("\(effects)")
        }
        XCTAssertTrue(s.isBusy)
        _ = s.reduce(.cleanupFound(id: id, scanned: 3, rows: [CleanupRow(key: "media/a.jpg", size: 1, modified: 0)]))
        XCTAssertTrue(Renderer.render(s).text.contains("3 scanned, 1 matched"))
        XCTAssertEqual(s.reduce(.key(.escape)), [.cancelCleanupScan(id: id)])
        XCTAssertTrue(s.topPage is FindPage, "the results stay after a stop")
        _ = s.reduce(.cleanupFinished(id: id, error: nil))
        XCTAssertFalse(s.isOpen(id))
        XCTAssertFalse(s.isBusy)
        XCTAssertTrue(Renderer.render(s).text.contains("(stopped)"))
        _ = s.reduce(.key(.escape))
        XCTAssertTrue(s.topPage is TreePage)
    }

    func testResultsAreCappedWithAMessageAndRowsOutsideThePrefixAreNeverShown() throws {
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: bucket(Self.media))
        d.runUntilIdle()
        d.press(.down)
        var s = d.state
        _ = s.reduce(.key(.char("F")))
        let effects = s.reduce(.key(.enter))
        guard case .cleanupScan(let id, _, _, _)? = effects.first else { return XCTFail("\(effects)") }
        _ = s.reduce(.cleanupFound(id: id, scanned: 2, rows: [CleanupRow(key: "secret/passwords.txt", size: 1,
                                                                         modified: 0)]))
        XCTAssertTrue(Renderer.render(s).text.contains("2 scanned, 0 matched"))
        XCTAssertFalse(Renderer.render(s).text.contains("passwords"))
        let many = (0...CleanupList.limit).map { CleanupRow(key: "media/f\($0).jpg", size: 1, modified: 0) }
        _ = s.reduce(.cleanupFound(id: id, scanned: many.count + 2, rows: many))
        _ = s.reduce(.cleanupFinished(id: id, error: nil))
        let text = Renderer.render(s).text
        XCTAssertTrue(text.contains("100,001 matched"), text)
        XCTAssertTrue(text.contains("showing the first 100,000; 1 more not held: narrow the search"), text)
        XCTAssertEqual((s.topPage as? FindPage)?.list.rows.count, CleanupList.limit)
    }

    // MARK: Duplicates

    static let copies: [S3Answers.Object] = [
        .init("media/photo.jpg", size: 500, etag: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              lastModified: "2026-10-01T12:00:00.000Z"),
        .init("media/photo_AbC1234.jpg", size: 500, etag: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              lastModified: "2026-11-01T12:00:00.000Z"),
        .init("media/other.jpg", size: 500, etag: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
        .init("media-old/photo.jpg", size: 500, etag: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ]

    func testDuplicatesKeepTheOldestMarkTheRestAndDeleteTheChosenOnes() throws {
        let t = bucket(Self.copies)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40,
                              environment: ["XDG_STATE_HOME": try SiteFixture.folder()], transport: t)
        d.runUntilIdle()
        d.press(.char("="))  // on media/, the first row
        XCTAssertTrue(d.state.topPage is DuplicatesPage)
        XCTAssertTrue(d.text.contains("Duplicates in s3://site/media/"), d.text)
        // media-old/photo.jpg is the same bytes, but outside the prefix: not in the group.
        XCTAssertTrue(d.text.contains("3 scanned, 2 in 1 group"), d.text)
        XCTAssertFalse(d.text.contains("other.jpg"), d.text)
        assertSnapshot(d.screen, named: "duplicates-120x40")
        let marked = d.text.split(separator: "\n").filter { $0.hasPrefix("*") }
        XCTAssertEqual(marked.count, 1, d.text)
        XCTAssertTrue(marked.first?.contains("photo_AbC1234.jpg") == true, d.text)

        // Keep the copy instead: the original is marked, and it is what the delete plans.
        d.press(.down, .enter)
        d.press(.char("d"))
        XCTAssertEqual(d.performed { e -> [String]? in
            if case .planDelete(_, "site", let keys, []) = e { return keys }
            return nil
        }, [["media/photo.jpg"]])
        d.press(.char("y"))
        XCTAssertEqual(deleteRequests(t).first.map(S3Answers.deleteKeys), ["media/photo.jpg"])
    }

    // MARK: Stale static files

    func staticSite(manifest: Bool) -> ScriptedTransport {
        let objects: [S3Answers.Object] = [
            .init("static/staticfiles.json", size: 60), .init("static/css/site.css", size: 10),
            .init("static/css/site.55e7cbb9ba48.css", size: 10), .init("static/css/site.0123456789ab.css", size: 11),
            .init("static/js/app.abcdefabcdef.js", size: 12), .init("static/js/app.js", size: 12),
        ]
        let t = ScriptedTransport()
        let body = Data(#"{"paths": {"css/site.css": "css/site.55e7cbb9ba48.css"}, "version": "1.1"}"#.utf8)
        if manifest {
            t.on("HEAD", path: "/site/static/staticfiles.json") { _ in
                HTTPResponse(status: 200, headers: [("Content-Length", String(body.count)), ("ETag", "\"m1\"")])
            }
            t.on("GET", path: "/site/static/staticfiles.json") { _ in
                HTTPResponse(status: 200, headers: [("Content-Length", String(body.count)), ("ETag", "\"m1\"")],
                             body: body)
            }
        } else {
            t.on("HEAD", path: "/site/static/staticfiles.json") { _ in HTTPResponse(status: 404, headers: []) }
        }
        return bucket(manifest ? objects : objects.filter { !$0.key.hasSuffix(".json") }, t)
    }

    func testStaleStaticShowsOnlyHashedFilesTheManifestDoesNotNameAllMarked() throws {
        let t = staticSite(manifest: true)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        d.press(.down, .down)  // static/
        d.press(.char("S"))
        XCTAssertTrue(d.state.topPage is StaleStaticPage, d.text)
        assertSnapshot(d.screen, named: "stale-static-120x40")
        XCTAssertTrue(d.text.contains("6 scanned, 2 stale"), d.text)
        // What the manifest names, the originals and the manifest itself never show.
        for name in ["site.55e7cbb9ba48.css", "css/site.css", "js/app.js ", "staticfiles.json  "] {
            XCTAssertFalse(d.text.contains(name), "\(name) in\n\(d.text)")
        }
        d.press(.char("d"))
        XCTAssertEqual(d.performed { e -> [String]? in
            if case .planDelete(_, "site", let keys, []) = e { return keys }
            return nil
        }, [["static/css/site.0123456789ab.css", "static/js/app.abcdefabcdef.js"]])
    }

    func testStaleStaticWithoutAManifestListsNothingAndSaysWhy() throws {
        let t = staticSite(manifest: false)
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        d.press(.down, .down)
        t.forgetRequests()
        d.press(.char("S"))
        XCTAssertTrue(d.text.contains("no staticfiles.json at s3://site/static/staticfiles.json"), d.text)
        XCTAssertTrue(t.requests("GET", having: ["list-type"]).isEmpty, "\(t.requests.map(\.line))")
        XCTAssertTrue(d.state.marks.isEmpty)
    }

    // MARK: Uploads

    func testUploadsAreListedWithTheirSizeAndAbortedAfterAY() throws {
        let t = SiteFixture.transport()
        var aborted = false
        t.on({ $0.method == "GET" && $0.queryValue("uploads") != nil }) { _ in
            .success(S3Answers.xml(aborted ? "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>"
                                           + "</ListMultipartUploadsResult>" :
                "<ListMultipartUploadsResult><Bucket>site</Bucket><IsTruncated>false</IsTruncated>"
                + "<Upload><Key>media/video.mp4</Key><UploadId>up-1</UploadId>"
                + "<Initiated>2026-10-01T12:00:00.000Z</Initiated></Upload></ListMultipartUploadsResult>"))
        }
        t.on({ $0.method == "GET" && $0.queryValue("uploadId") == "up-1" }) { _ in
            .success(S3Answers.xml("<ListPartsResult><IsTruncated>false</IsTruncated>"
                + "<Part><PartNumber>1</PartNumber><Size>5242880</Size></Part>"
                + "<Part><PartNumber>2</PartNumber><Size>1048576</Size></Part></ListPartsResult>"))
        }
        t.on({ $0.method == "DELETE" && $0.queryValue("uploadId") == "up-1" }) { _ in
            aborted = true
            return .success(HTTPResponse(status: 204, headers: []))
        }
        let d = BrowserDriver(bucket: "site", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        d.press(.down)
        d.press(.char("M"))
        XCTAssertTrue(d.text.contains("1 upload, 6.0 MiB stored"), d.text)
        XCTAssertTrue(d.text.contains("media/video.mp4"), d.text)
        assertSnapshot(d.screen, named: "uploads-120x40")
        XCTAssertTrue(t.requests("DELETE").isEmpty)
        // Any other key than y cancels; y aborts.
        d.press(.char("a"), .char("n"))
        XCTAssertTrue(t.requests("DELETE").isEmpty)
        d.press(.char("a"))
        XCTAssertTrue(d.text.contains("Abort 1 upload"), d.text)
        d.press(.char("y"))
        XCTAssertEqual(t.requests("DELETE").map(\.line), ["DELETE /site/media/video.mp4?uploadId=up-1"])
        XCTAssertTrue(d.text.contains("no incomplete uploads"), d.text)
    }
}

/// The session itself, without the driver (which runs every effect to its end): a cancel
/// reaches a scan while its listing waits on the server.
final class CleanupCancelSessionTests: XCTestCase {
    final class Events: @unchecked Sendable {
        let lock = NSLock()
        var all: [BrowserEvent] = []
        func post(_ e: BrowserEvent) { lock.withLock { all.append(e) } }
    }

    func testACancelledScanStopsListingAndAnswersItsID() throws {
        let t = ScriptedTransport()
        let second = DispatchSemaphore(value: 0)
        let asked = DispatchSemaphore(value: 0)
        // Fifty pages of one object each; the second waits until the test lets it go.
        t.on("GET", path: "/site", having: ["list-type"]) { r in
            let page = Int(r.queryValue("continuation-token") ?? "0") ?? 0
            if page == 1 {
                asked.signal()
                second.wait()
            }
            return S3Answers.listObjectsV2(bucket: "site", prefix: "media/",
                                           objects: [.init(String(format: "media/f%03d.jpg", page))],
                                           nextToken: page < 50 ? String(page + 1) : nil)
        }
        let configuration = ClientConfiguration(
            endpoint: try S3Endpoint(parsing: BrowserDriver.endpoint), region: "us-east-1",
            credentials: Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret-test-key"))
        let client = S3Client(config: configuration, makeTransport: { t }, sleep: { _ in })
        let events = Events()
        let session = BrowserSession(client: client, queue: BrowserEventSink { events.post($0) }, config: PailConfig(),
                                     environment: [:], io: ScriptedWorld().io)
        let id = RequestID(7)
        session.perform(.cleanupScan(id: id, bucket: "site", prefix: "media/", .find(criteria: "*.jpg")))
        XCTAssertEqual(asked.wait(timeout: .now() + 10), .success, "the second page was never asked for")
        session.perform(.cancelCleanupScan(id: id))
        second.signal()
        session.waitUntilIdle()
        let finished = events.lock.withLock { events.all }.compactMap { e -> BrowserError?? in
            if case .cleanupFinished(id, let error) = e { return error }
            return nil
        }
        XCTAssertEqual(finished.count, 1, "the scan's id is answered once")
        XCTAssertEqual(finished.first ?? nil, nil, "a cancel is no error")
        XCTAssertLessThan(t.requests("GET", having: ["list-type"]).count, 10, "the listing went on after the cancel")
    }
}

extension CleanupSessionTests {
    func testABucketsDetailsSayWhatItsUploadsPageFound() throws {
        let t = ScriptedTransport()
        t.on("GET", path: "/") { _ in S3Answers.listBuckets(["site"]) }
        t.on({ $0.method == "GET" && $0.queryValue("uploads") != nil }) { _ in
            .success(S3Answers.xml("<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>"
                + "<Upload><Key>big.iso</Key><UploadId>u1</UploadId></Upload></ListMultipartUploadsResult>"))
        }
        t.on({ $0.method == "GET" && $0.queryValue("uploadId") == "u1" }) { _ in
            .success(S3Answers.xml("<ListPartsResult><IsTruncated>false</IsTruncated>"
                + "<Part><PartNumber>1</PartNumber><Size>1024</Size></Part></ListPartsResult>"))
        }
        let d = BrowserDriver(width: 120, height: 40, transport: t)
        d.runUntilIdle()
        XCTAssertFalse(d.text.contains("incomplete upload"), d.text)
        d.press(.char("M"))
        XCTAssertTrue(d.text.contains("Incomplete uploads in s3://site/  1 upload, 1.0 KiB stored"), d.text)
        d.press(.escape)
        XCTAssertTrue(d.text.contains("1 incomplete upload, 1.0 KiB (M)"), d.text)
    }
}
