import Foundation
import XCTest
@testable import Operations
@testable import S3

/// Issue 10: the destination folder, temporary files, upload walks and the engine's counts,
/// with the file system as the adversary.
final class LocalFileSystemTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "pail-lfs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    func testFoldersBelowTheDestinationAreOpenedWithoutFollowingLinks() throws {
        let outside = root + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let dest = try SafeDestination(path: root + "/dest")
        XCTAssertEqual(symlink(outside, root + "/dest/link"), 0)
        FileManager.default.createFile(atPath: root + "/dest/file", contents: Data("x".utf8))
        XCTAssertThrowsError(try dest.openFolder(["link", "sub"])) {
            XCTAssertEqual("\($0)",
                           "\(self.root)/dest/link is a symbolic link; "
                           + "pail does not follow links inside the destination")
        }
        XCTAssertThrowsError(try dest.openFolder(["file"])) {
            XCTAssertTrue("\($0)".contains("is in the way: it is not a folder"))
        }
        let fd = try dest.openFolder(["a", "b"])
        close(fd)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/dest/a/b"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [])
    }

    func testTemporaryNamesAreShortUnpredictableAndNeverFollowALink() throws {
        let dest = try SafeDestination(path: root)
        let folder = try dest.openFolder([])
        defer { close(folder) }
        let a = try SafeDestination.createTemporary(in: folder, shownFolder: root)
        let b = try SafeDestination.createTemporary(in: folder, shownFolder: root)
        defer { close(a.fd); close(b.fd) }
        XCTAssertNotEqual(a.name, b.name)
        XCTAssertEqual(a.name.utf8.count, 27)
        XCTAssertTrue(SafeDestination.isTemporaryName(a.name))
        XCTAssertFalse(SafeDestination.isTemporaryName(".pail-0123456789abcdeg.part"))
        XCTAssertFalse(SafeDestination.isTemporaryName("x.pail-0123456789abcdef.part"))
        // What lies at a final name is seen, not followed.
        XCTAssertEqual(symlink("/etc/passwd", root + "/final"), 0)
        XCTAssertEqual(SafeDestination.entry("final", in: folder), .link)
        XCTAssertNotNil(SafeDestination.refusal(.link, shown: "final"))
        XCTAssertEqual(SafeDestination.entry("missing", in: folder), .absent)
    }

    func testALinkPlantedAtATemporaryNameIsNeitherFollowedNorUsed() throws {
        let dest = try SafeDestination(path: root)
        let folder = try dest.openFolder([])
        defer { close(folder) }
        let outside = root + "-outside-target"
        defer { unlink(outside) }
        // The name the first random value gives, taken by a link to a file outside.
        XCTAssertEqual(symlink(outside, root + "/.pail-0000000000000001.part"), 0)
        var values: [UInt64] = [1, 2]
        let t = try SafeDestination.createTemporary(in: folder, shownFolder: root) { values.removeFirst() }
        defer { close(t.fd) }
        XCTAssertEqual(t.name, ".pail-0000000000000002.part", "the planted name is skipped")
        XCTAssertFalse(FileManager.default.fileExists(atPath: outside), "nothing was created through the link")
        XCTAssertEqual(SafeDestination.entry(".pail-0000000000000001.part", in: folder), .link)
    }

    func testOnlyTemporariesNobodyHoldsAreSwept() throws {
        let dest = try SafeDestination(path: root)
        let folder = try dest.openFolder([])
        defer { close(folder) }
        let held = try SafeDestination.createTemporary(in: folder, shownFolder: root)
        defer { close(held.fd) }
        // A file of pail's pattern that no process holds locked: left by a killed run.
        let stale = ".pail-00000000000000ff.part"
        FileManager.default.createFile(atPath: root + "/" + stale, contents: Data("old".utf8))
        FileManager.default.createFile(atPath: root + "/.pail-notours.part", contents: Data())
        XCTAssertEqual(mkfifo(root + "/.pail-00000000000000fe.part", 0o644), 0)  // must not block the sweep
        XCTAssertEqual(SafeDestination.removeStaleTemporaries(in: folder), 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        XCTAssertEqual(left, [".pail-00000000000000fe.part", held.name, ".pail-notours.part"].sorted())
    }

    func testSizesOutsideS3sRangeAreRefusedBeforeAnythingIsCreated() throws {
        let dest = try SafeDestination(path: root)
        let folder = try dest.openFolder([])
        defer { close(folder) }
        for size in [Int64(1) << 62, (Int64(5) << 40) + 1, -1] {
            XCTAssertThrowsError(try SafeDestination.checkRoom(for: size, in: folder, shownFolder: root)) {
                XCTAssertTrue("\($0)".contains("outside 0 to 5 TiB"), "\($0)")
            }
        }
        // 5 TiB is a valid size: refused for the room it needs (on any smaller disk), naming the folder.
        var vfs = statvfs()
        if fstatvfs(folder, &vfs) == 0 && UInt64(vfs.f_bavail) * UInt64(vfs.f_frsize) < 5 << 40 {
            XCTAssertThrowsError(try SafeDestination.checkRoom(for: Int64(5) << 40, in: folder, shownFolder: root)) {
            XCTAssertTrue("\($0)".hasPrefix("not enough room in \(self.root): the object needs 5.0 TiB"), "\($0)")
            }
        }
        XCTAssertNoThrow(try SafeDestination.checkRoom(for: 1, in: folder, shownFolder: root))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), [])
    }

    func testAListingThatRepeatsAKeyPlansOneDownload() {
        func o(_ k: String) -> ObjectSummary {
            ObjectSummary(key: k, size: 1, lastModified: nil, etag: "", storageClass: nil)
        }
        let plan = TransferEngine.planDownload(objects: [o("p/a"), o("p/a"), o("p/b")], prefix: "p/",
                                               destination: "/tmp/d")
        XCTAssertEqual(plan.targets.map(\.local), ["/tmp/d/a", "/tmp/d/b"])
        XCTAssertEqual(plan.refused.map(\.key), ["p/a"])
        XCTAssertEqual(plan.targets.map(\.folder), ["/tmp/d", "/tmp/d"])
        XCTAssertEqual(plan.targets.map(\.name), ["a", "b"])
    }

    func testUploadWalksNameEverythingTheyLeaveOut() throws {
        let site = root + "/site"
        try FileManager.default.createDirectory(atPath: site + "/sub", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: site + "/a.txt", contents: Data("a".utf8))
        FileManager.default.createFile(atPath: site + "/sub/b.txt", contents: Data("b".utf8))
        XCTAssertEqual(mkfifo(site + "/pipe", 0o644), 0)
        XCTAssertEqual(symlink(site, site + "/sub/loop"), 0)
        XCTAssertEqual(symlink(root, root + "/linkdir"), 0)
        let plan = try UploadPlan.make(paths: [site], destination: "up/", recursive: true)
        XCTAssertEqual(plan.sources.map(\.key), ["up/site/a.txt", "up/site/sub/b.txt"])
        XCTAssertEqual(plan.skipped.map(\.path).sorted(), [site + "/pipe", site + "/sub/loop"])
        XCTAssertEqual(plan.empty, [])
        // A link on the command line is followed (and named by its own name).
        let followed = try UploadPlan.make(paths: [root + "/linkdir"], destination: "", recursive: true)
        XCTAssertEqual(followed.sources.map(\.key), ["linkdir/site/a.txt", "linkdir/site/sub/b.txt"])
        // A folder with nothing to send says so.
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        let empty = try UploadPlan.make(paths: [root + "/empty"], destination: "", recursive: true)
        XCTAssertEqual(empty.empty, [root + "/empty"])
    }

    /// A file swapped for a link to another one between planning and reading is not read.
    func testAFileReplacedSinceItWasPlannedIsNotRead() throws {
        let site = root + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: site + "/a.txt", contents: Data("hello".utf8))
        FileManager.default.createFile(atPath: root + "/secret", contents: Data("SECRET".utf8))
        let plan = try UploadPlan.make(paths: [site], destination: "", recursive: true)
        XCTAssertEqual(unlink(site + "/a.txt"), 0)
        XCTAssertEqual(symlink(root + "/secret", site + "/a.txt"), 0)
        let transport = AnsweringTransport { _ in HTTPResponse(status: 200, headers: []) }
        let engine = TransferEngine(client: client(transport), options: TransferOptions())
        engine.upload(plan.sources, bucket: "b")
        engine.waitUntilFinished()
        guard case .failed(let why) = engine.snapshot[0].state else { return XCTFail("\(engine.snapshot)") }
        XCTAssertTrue(why.contains("was replaced since it was listed"), why)
        XCTAssertEqual(transport.methods, [])
    }

    // MARK: The engine, with a scripted server

    func client(_ transport: HTTPTransport) -> S3Client {
        let config = ClientConfiguration(endpoint: try! S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        return S3Client(config: config, makeTransport: { transport }, sleep: { _ in })
    }

    func testCancellingCountsTransfersThatNeverStarted() throws {
        let transport = BlockingTransport()
        var options = TransferOptions()
        options.concurrency = 1
        let engine = TransferEngine(client: client(transport), options: options)
        let sources = (0..<5).map { n -> TransferEngine.UploadSource in
            let path = root + "/f\(n)"
            FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
            return .init(path: path, key: "k\(n)", size: 1)
        }
        engine.upload(sources, bucket: "b")
        transport.started.wait()
        engine.cancelAll()
        engine.waitUntilFinished()
        XCTAssertEqual(engine.snapshot.map(\.state), Array(repeating: .cancelled, count: 5))
    }

    func testAnUploadWhoseETagIsWrongIsRemovedAndSaysSo() throws {
        let path = root + "/f.txt"
        FileManager.default.createFile(atPath: path, contents: Data("hello".utf8))
        let transport = AnsweringTransport { request in
            request.method == "PUT"
                ? HTTPResponse(status: 200, headers: [("ETag", "\"00000000000000000000000000000000\"")])
                : HTTPResponse(status: 204, headers: [])
        }
        let engine = TransferEngine(client: client(transport), options: TransferOptions())
        engine.upload([.init(path: path, key: "f.txt", size: 5)], bucket: "b")
        engine.waitUntilFinished()
        guard case .failed(let why) = engine.snapshot[0].state else { return XCTFail("\(engine.snapshot)") }
        XCTAssertTrue(why.contains("has ETag 00000000000000000000000000000000, "
                                   + "expected 5d41402abc4b2a76b9719d911017c592"), why)
        XCTAssertTrue(why.hasSuffix("pail removed the object it had stored at s3://b/f.txt, try again"), why)
        XCTAssertEqual(transport.methods, ["PUT", "DELETE"])
    }

    /// Within one batch two keys never end in one file; a later batch (the browser downloading
    /// a folder again) may replace what an earlier one wrote.
    func testKeysCollideWithinABatchButALaterBatchMayReplace() throws {
        let transport = AnsweringTransport { request in
            HTTPResponse(status: 200, headers: [("Content-Length", "1"), ("ETag", "\"x\"")], body: Data("1".utf8))
        }
        let engine = TransferEngine(client: client(transport), options: TransferOptions())
        func target(_ key: String) -> TransferEngine.DownloadTarget {
            .init(key: key, size: 1, etag: "", folder: root, name: "f")
        }
        let batch = engine.newBatch()
        engine.download([target("a/f")], bucket: "b", batch: batch)
        engine.waitUntilFinished()
        engine.download([target("b/f")], bucket: "b", overwrite: true, batch: batch)
        engine.waitUntilFinished()
        engine.download([target("a/f")], bucket: "b", overwrite: true)
        engine.waitUntilFinished()
        let states = engine.snapshot.map(\.state)
        XCTAssertEqual(states.count, 3)
        XCTAssertEqual(states[0], .done)
        guard case .failed(let why) = states[1] else { return XCTFail("\(states)") }
        XCTAssertTrue(why.hasPrefix("b/f and a/f map to the same local file"), why)
        XCTAssertEqual(states[2], .done)
    }
}

/// Holds every request until it is cancelled; `started` is signalled when the first arrives.
final class BlockingTransport: HTTPTransport, @unchecked Sendable {
    let started = DispatchSemaphore(value: 0)
    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        started.signal()
        while cancel?.isCancelled != true { usleep(1000) }
        throw TransportError.cancelled
    }
}

/// Answers each request with `answer` (a success's body into the sink), recording the methods asked for.
final class AnsweringTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var asked: [String] = []
    let answer: (HTTPRequest) -> HTTPResponse
    init(_ answer: @escaping (HTTPRequest) -> HTTPResponse) { self.answer = answer }
    var methods: [String] { lock.withLock { asked } }
    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        lock.withLock { asked.append(request.method) }
        let response = answer(request)
        if let sink, (200..<300).contains(response.status) {
            try response.body.withUnsafeBytes { try sink.write($0) }
            try sink.finish()
            return HTTPResponse(status: response.status, headers: response.headers)
        }
        return response
    }
}
