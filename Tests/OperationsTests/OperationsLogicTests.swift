import Foundation
import XCTest
@testable import Operations
@testable import S3

final class OperationsLogicTests: XCTestCase {
    func testPartSizesStayUnderTenThousandParts() {
        let MiB: Int64 = 1 << 20
        XCTAssertEqual(TransferOptions.partSize(for: 100 * MiB, preferred: 8 * MiB), 8 * MiB)
        XCTAssertEqual(TransferOptions.partSize(for: 1, preferred: 1 * MiB), 5 * MiB, "never under 5 MiB")
        for size in [Int64(80_000) * MiB, Int64(5) << 40, Int64(1) << 40 + 7] {
            let part = TransferOptions.partSize(for: size, preferred: 8 * MiB)
            XCTAssertLessThanOrEqual((size + part - 1) / part, 10_000, "\(size)")
            XCTAssertEqual(part % MiB, 0)
        }
    }

    func testPrefixesAreBoundedAndParentsKeepTheLastName() {
        XCTAssertEqual(S3URI.boundedPrefix("media/2023"), "media/2023/", "never media/2023-old/ (rule 8)")
        XCTAssertEqual(S3URI.boundedPrefix("media/2023/"), "media/2023/")
        XCTAssertEqual(S3URI.boundedPrefix(""), "", "the whole bucket")
        XCTAssertEqual(S3URI.parent(of: "media/2023/a.jpg"), "media/2023/")
        XCTAssertEqual(S3URI.parent(of: "media/2023/"), "media/")
        XCTAssertEqual(S3URI.parent(of: "robots.txt"), "")
        XCTAssertEqual(S3URI.parent(of: "top/"), "")
    }

    func testRangesKeepEveryStreamBusyWithinEightToSixtyFourMiB() {
        let MiB: Int64 = 1 << 20
        XCTAssertEqual(TransferOptions.rangeSize(for: 1 << 30, streams: 5), 64 * MiB)
        XCTAssertEqual(TransferOptions.rangeSize(for: 100 * MiB, streams: 5), 20 * MiB)
        XCTAssertEqual(TransferOptions.rangeSize(for: 101 * MiB, streams: 5), 21 * MiB, "rounded up to whole MiB")
        XCTAssertEqual(TransferOptions.rangeSize(for: 9 * MiB, streams: 5), 8 * MiB, "never under 8 MiB")
    }

    /// The sink gathers curl's 16 KiB pieces: what it writes must land at the right offsets,
    /// a retry must start over, and its buffer must go back to the pool.
    func testFileSinkBuffersWritesAtItsOffsetAndStartsOverOnReset() throws {
        let path = NSTemporaryDirectory() + "pail-sink-\(getpid())"
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd); unlink(path) }
        let pool = BufferPool(size: 64 << 10)
        let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        func feed(_ sink: FileSink, _ bytes: ArraySlice<UInt8>, piece: Int) throws {
            var i = bytes.startIndex
            while i < bytes.endIndex {
                let end = min(i + piece, bytes.endIndex)
                try bytes[i..<end].withUnsafeBytes { try sink.write($0) }
                i = end
            }
        }
        let sink = FileSink(fd: fd, offset: 1000, md5: true, buffers: pool)
        try feed(sink, body[0..<50_000], piece: 7_000)          // a retry throws this away
        try sink.reset()
        try feed(sink, body[...], piece: 16_384)
        try feed(sink, [], piece: 1)
        try sink.finish()
        XCTAssertEqual(sink.written, Int64(body.count))
        XCTAssertEqual(sink.md5Hex(), Digest.md5(Data(body)).hex)
        var onDisk = [UInt8](repeating: 0, count: body.count + 1000)
        XCTAssertEqual(pread(fd, &onDisk, onDisk.count, 0), onDisk.count)
        XCTAssertEqual(Array(onDisk[1000...]), body)
        XCTAssertEqual(Array(onDisk[..<1000]), [UInt8](repeating: 0, count: 1000), "nothing before the offset")
        // A piece larger than the buffer goes straight to the file.
        let big = FileSink(fd: fd, offset: 0, buffers: pool)
        try feed(big, body[...], piece: 200_000)
        try big.finish()
        XCTAssertEqual(pread(fd, &onDisk, body.count, 0), body.count)
        XCTAssertEqual(Array(onDisk[..<body.count]), body)
        // A range's sink takes no more than the range: a server ignoring Range is stopped
        // before it writes over the next range.
        let ranged = FileSink(fd: fd, offset: 0, limit: 100, buffers: pool)
        try feed(ranged, body[0..<100], piece: 60)
        XCTAssertThrowsError(try feed(ranged, body[100..<101], piece: 1)) {
            XCTAssertTrue("\($0)".contains("more than the 100 bytes asked for"), "\($0)")
        }
        try ranged.finish()
        // The first sink gave its buffer back and the second wrote around it: one buffer made,
        // and the next take reuses it.
        XCTAssertEqual(pool.allocated, 1)
        pool.give(pool.take())
        XCTAssertEqual(pool.allocated, 1)
    }

    func testPreviewsShowTextGunzippedAndBinaryAsHex() throws {
        let text = ObjectPreview.make(Data("a\tb\r\nsecond\n".utf8), size: 12, contentType: "text/plain",
                                      contentEncoding: nil)
        XCTAssertEqual(text.lines, ["a    b", "second"])
        XCTAssertEqual(text.note, "text")
        let cut = ObjectPreview.make(Data("x".utf8), size: 1 << 20, contentType: nil, contentEncoding: nil)
        XCTAssertEqual(cut.note, "text, first 1 B of 1.0 MiB")
        // Stored gzip'ed, as django-storages' AWS_IS_GZIPPED leaves CSS.
        let path = NSTemporaryDirectory() + "pail-preview-\(getpid()).css"
        try "body{margin:0}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let gz = try Gzip.compressFile(path)
        defer { unlink(path); unlink(gz) }
        let stored = try Data(contentsOf: URL(fileURLWithPath: gz))
        let gzipped = ObjectPreview.make(stored, size: Int64(stored.count), contentType: "text/css",
                                         contentEncoding: "gzip")
        XCTAssertEqual(gzipped.lines, ["body{margin:0}"])
        XCTAssertEqual(gzipped.note, "text, gunzipped")
        // An image is binary whatever its bytes; unknown bytes are judged by what they hold.
        let image = ObjectPreview.make(Data("GIF89a".utf8), size: 6, contentType: "image/gif", contentEncoding: nil)
        XCTAssertEqual(image.lines, ["00000000  47 49 46 38 39 61" + String(repeating: " ",
                                                                            count: 48 - 17) + "  GIF89a"])
        let noise = ObjectPreview.make(Data((0..<200).map { UInt8(128 + $0 % 100) }), size: 200,
                                       contentType: "application/octet-stream",
                                       contentEncoding: nil)
        XCTAssertTrue(noise.note.hasPrefix("binary (application/octet-stream)"), noise.note)
    }

    func testDownloadPlanRefusesUnsafeKeysAndKeepsTheRest() {
        func o(_ k: String) -> ObjectSummary {
            ObjectSummary(key: k, size: 1, lastModified: nil, etag: "", storageClass: nil)
        }
        let plan = TransferEngine.planDownload(objects: [o("p/ok.txt"), o("p/../x"), o("p/a/../../y"), o("p//abs"),
                                                         o("p/c"), o("p/c/d"),
                                                         o("p/dir/"), o("p/" + String(repeating: "n", count: 256)),
                                                         o("p/./z")],
                                               prefix: "p/", destination: "/tmp/dest")
        XCTAssertEqual(plan.targets.map(\.local), ["/tmp/dest/ok.txt", "/tmp/dest/c/d"])
        XCTAssertEqual(Set(plan.refused.map(\.key)), ["p/../x", "p/a/../../y", "p//abs", "p/c",
                                                      "p/" + String(repeating: "n", count: 256), "p/./z"])
    }

    func testGlobs() {
        XCTAssertTrue(Glob.matches("static/**", "static/css/a.css"))
        XCTAssertTrue(Glob.matches("media/*.jpg", "media/a.jpg"))
        XCTAssertFalse(Glob.matches("media/*.jpg", "media/2024/a.jpg"))
        XCTAssertTrue(Glob.matches("**/*.css", "a/b/c.css"))
        XCTAssertFalse(Glob.matches("static/**", "statics/a"))
        XCTAssertTrue(Glob.matches("a?c", "abc"))
    }

    func testDurations() throws {
        XCTAssertEqual(try Durations.parse("3600"), 3600)
        XCTAssertEqual(try Durations.parse("90s"), 90)
        XCTAssertEqual(try Durations.parse("15m"), 900)
        XCTAssertEqual(try Durations.parse("1h"), 3600)
        XCTAssertEqual(try Durations.parse("7d"), 604_800)
        for bad in ["8d", "0", "-1", "soon", "", "1x"] { XCTAssertThrowsError(try Durations.parse(bad), bad) }
        XCTAssertEqual(Durations.format(86400), "1d")
    }

    func testAuditRules() throws {
        var row = AuditRow(key: "static/app.js", size: 1, lastModified: nil)
        row.contentType = "text/plain"
        row.cacheControl = "public, max-age=300"
        XCTAssertTrue(try AuditRule.parse("type-mismatch").matches(row))
        XCTAssertTrue(try AuditRule.parse("not-gzip").matches(row))
        XCTAssertTrue(try AuditRule.parse("max-age<1d").matches(row))
        XCTAssertFalse(try AuditRule.parse("max-age<60").matches(row))
        XCTAssertTrue(try AuditRule.parse("cache-control~PUBLIC").matches(row))
        XCTAssertTrue(try AuditRule.parse("cache-control!~immutable").matches(row))
        XCTAssertFalse(AuditRule.missing("cache-control").matches(row))
        row.contentType = "application/javascript"
        XCTAssertFalse(AuditRule.typeMismatch.matches(row), "an alias of the guessed type is fine")
        XCTAssertThrowsError(try AuditRule.parse("nonsense"))
        XCTAssertEqual(CacheControl.maxAge("max-age=60, s-maxage=3600"), 3600)
        XCTAssertNil(CacheControl.maxAge("no-cache"))
    }

    func testPailConfig() throws {
        let file = try AWSConfigFile(path: "/c", text: """
        [bucket site]
        cdn_domain = cdn.example.com
        cdn_origin_path = static
        url_form = cdn
        presign_expires = 1d
        [upload s3://site/static/**]
        cache_control = public, max-age=31536000
        metadata.team = web
        """)
        let c = try PailConfig.parse(file)
        XCTAssertEqual(c.settings(for: "site").cdnOriginPath, "static/")
        XCTAssertEqual(c.settings(for: "site").presignSeconds, 86400)
        XCTAssertEqual(c.uploadRules.first?.bucket, "site")
        XCTAssertTrue(c.uploadRules.first!.matches("static/css/a.css"))
        XCTAssertEqual(c.uploadRules.first!.headers.map(\.0), ["Cache-Control", "x-amz-meta-team"])
        let bad = try AWSConfigFile(path: "/c", text: "[bucket x]\nurl_form = carrier-pigeon\n")
        XCTAssertThrowsError(try PailConfig.parse(bad)) { XCTAssertTrue("\($0)".contains("/c:2"), "\($0)") }
    }

    func testDeletePlanSummaryAndConfirmation() {
        let items = (0..<150).map {
            DeletePlan.Item(key: "k\($0)", size: 10, etag: "e", lastModified: nil, versionId: nil)
        }
        let many = DeletePlan(bucket: "b", items: items, prefixes: [], versioning: nil)
        XCTAssertTrue(many.needsTypedConfirmation)
        XCTAssertEqual(many.confirmationWord, "150")
        let one = DeletePlan(bucket: "b", items: Array(items.prefix(3)), prefixes: ["media/2023/"],
                             versioning: "Enabled")
        XCTAssertEqual(one.confirmationWord, "s3://b/media/2023/")
        XCTAssertTrue(one.summary().joined().contains("delete markers"))
        let small = DeletePlan(bucket: "b", items: Array(items.prefix(3)), prefixes: [], versioning: nil)
        XCTAssertFalse(small.needsTypedConfirmation)
        XCTAssertEqual(small.summary()[0], "3 objects, 30 B, in s3://b/")
    }

    func testHeaderSnapshotResendsEverythingItKeeps() {
        let response = HTTPResponse(status: 200, headers: [
            ("Content-Type", "text/css"), ("Content-Encoding", "gzip"), ("Cache-Control", "max-age=1"), ("Expires",
                "x"),
            ("x-amz-meta-Origin", "django"), ("x-amz-storage-class", "STANDARD_IA"), ("x-amz-server-side-encryption",
                "aws:kms"),
            ("x-amz-server-side-encryption-aws-kms-key-id", "key-1"), ("x-amz-website-redirect-location", "/new"),
            ("ETag", "\"abc\""), ("Content-Length", "5"),
        ])
        var changes = HeaderChanges()
        changes.setFields[.cacheControl] = "max-age=2"
        let after = HeaderSnapshot(head: ObjectHead(response: response)).applying(changes)
        let h = Dictionary(after.copyHeaders, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(h["Cache-Control"], "max-age=2")
        XCTAssertEqual(h["Content-Type"], "text/css")
        XCTAssertEqual(h["Content-Encoding"], "gzip")
        XCTAssertEqual(h["Expires"], "x")
        XCTAssertEqual(h["x-amz-meta-origin"], "django")
        XCTAssertEqual(h["x-amz-storage-class"], "STANDARD_IA")
        XCTAssertEqual(h["x-amz-server-side-encryption-aws-kms-key-id"], "key-1")
        XCTAssertEqual(h["x-amz-website-redirect-location"], "/new")
        let standard = HeaderSnapshot(head: ObjectHead(response: HTTPResponse(
            status: 200, headers: [("x-amz-storage-class", "STANDARD")])))
        XCTAssertFalse(standard.copyHeaders.contains { $0.0 == "x-amz-storage-class" }, "STANDARD is never sent")
    }

    func testACLsBecomeCannedOrGrantHeaders() {
        let owner = "id=\"o1\""
        var acl = S3Client.AccessControlList(ownerId: "o1", grants: [.init(grantee: owner, permission: "FULL_CONTROL")])
        XCTAssertEqual(acl.headers.map(\.1), ["private"])
        acl.grants.append(.init(grantee: "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"", permission: "READ"))
        XCTAssertEqual(acl.headers.first?.0, "x-amz-acl")
        XCTAssertEqual(acl.headers.first?.1, "public-read")
        acl.grants.append(.init(grantee: "id=\"friend\"", permission: "READ"))
        let h = Dictionary(acl.headers, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(h["x-amz-grant-full-control"], owner)
        XCTAssertEqual(h["x-amz-grant-read"], "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\", id=\"friend\"")
    }

    func testXMLTextForDeleteBodies() {
        XCTAssertEqual(XMLText.escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;")
        XCTAssertFalse(XMLText.canCarry("esc\u{1B}"))
        XCTAssertTrue(XMLText.canCarry("tab\tok 漢字"))
    }

    func testURLForms() throws {
        let config = ClientConfiguration(endpoint: .aws(region: "eu-west-1"), region: "eu-west-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK",
                                                                  sessionToken: "T",
                                                                  expiration: Date(timeIntervalSinceNow: 600)))
        var settings = BucketSettings()
        settings.cdnDomain = "https://cdn.example.com/"
        let urls = ObjectURLs(client: S3Client(config: config), settings: settings)
        XCTAssertEqual(urls.endpointURL(bucket: "site", key: "a b/ü+~.jpg"),
                       "https://site.s3.eu-west-1.amazonaws.com/a%20b/%C3%BC%2B~.jpg")
        XCTAssertEqual(urls.endpointURL(bucket: "b", key: "k"), "https://s3.eu-west-1.amazonaws.com/b/k",
                       "not a DNS name: path style")
        XCTAssertEqual(try urls.cdnURL(bucket: "b", key: "x y.css"), "https://cdn.example.com/x%20y.css")
        XCTAssertEqual(try urls.arn(bucket: "b", key: "k"), "arn:aws:s3:::b/k")
        XCTAssertTrue(urls.presignWarning(seconds: 3600)!.contains("expire"))
        XCTAssertTrue(try urls.presignedURL(bucket: "b", key: "k", seconds: 60).contains("X-Amz-Security-Token=T"))
    }

    func testClipboardSequences() {
        XCTAssertEqual(Clipboard.osc52("hi", environment: ["TERM": "xterm"]), "\u{1B}]52;c;aGk=\u{07}")
        XCTAssertEqual(Clipboard.osc52("hi", environment: ["TERM": "screen", "TMUX": "/tmp/t"]),
                       "\u{1B}]52;c;aGk=\u{07}")
        XCTAssertTrue(Clipboard.osc52("hi", environment: ["TERM": "screen",
                                                          "STY": "1.pts"]).hasPrefix("\u{1B}P\u{1B}]52"))
    }
}
