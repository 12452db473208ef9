import Foundation
import XCTest
@testable import Operations
@testable import S3

/// Answers DeleteObjects and DELETE from any thread and records each request.
final class RecordingDeleteTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse {
        lock.withLock { recorded.append(request) }
        return request.method == "POST" ? HTTPResponse(status: 200,
                                                       body: Data("<DeleteResult/>".utf8)) : HTTPResponse(status: 204)
    }
}

/// The safety rules that are pure logic, each with a case that fails when the rule is broken
/// (scripts/mutants.py breaks them one at a time; the list is tests/mutants.toml).
final class SafetyRuleTests: XCTestCase {
    let MiB: Int64 = 1 << 20

    // MARK: Deletes go in batches of at most 1000, control characters one by one (S3 rule 7)

    func testDeletesGoInBatchesOfAtMost1000() throws {
        let transport = RecordingDeleteTransport()
        let config = ClientConfiguration(endpoint: try S3Endpoint(parsing: "http://127.0.0.1:1"), region: "us-east-1",
                                         credentials: Credentials(accessKeyId: "AK", secretAccessKey: "SK"))
        let client = S3Client(config: config, makeTransport: { transport }, sleep: { _ in })
        var items = (0..<2500).map {
            DeletePlan.Item(key: String(format: "k/%05d", $0), size: 1, etag: "", lastModified: nil, versionId: nil)
        }
        items.append(.init(key: "k/esc\u{1B}[31m", size: 1, etag: "", lastModified: nil, versionId: nil))
        let plan = DeletePlan(bucket: "b", items: items, prefixes: ["k/"], versioning: nil)
        let outcome = Deleter(client: client, parallelism: 3).execute(plan)
        XCTAssertEqual(outcome.deleted, 2501)
        XCTAssertEqual(outcome.failures.count, 0)
        let posts = transport.requests.filter { $0.method == "POST" }
        var sizes: [Int] = []
        var keys: [String] = []
        for p in posts {
            guard case .data(let xml) = p.body else { return XCTFail("no XML body") }
            var batch: [String] = []
            try XMLDocumentReader.read(xml,
                                       what: "Delete") { path, text in if path.last == "Key" { batch.append(text) } }
            sizes.append(batch.count)
            keys += batch
        }
        XCTAssertEqual(sizes.sorted(), [500, 1000, 1000])
        XCTAssertEqual(Set(keys).count, 2500)
        let singles = transport.requests.filter { $0.method == "DELETE" }
        XCTAssertEqual(singles.map(\.path), ["/b/k/esc\u{1B}[31m"], "XML 1.0 cannot carry ESC: a DELETE of its own")
    }

    // MARK: The prefix boundary (S3 rule 8)

    func testPrefixesEndInTheDelimiter() {
        for (given, bounded) in [("media/2023", "media/2023/"), ("media/2023/", "media/2023/"), ("", ""), ("a", "a/"),
                                 ("caf\u{E9}", "caf\u{E9}/")] {
            XCTAssertEqual(S3URI.boundedPrefix(given), bounded)
            XCTAssertFalse("media/2023-old/keep.jpg".hasBytePrefix(S3URI.boundedPrefix("media/2023")))
            XCTAssertFalse("media/2023.txt".hasBytePrefix(S3URI.boundedPrefix("media/2023")))
        }
    }

    // MARK: Keys are bytes, in S3's order

    func testKeysSortInUTF8ByteOrderWhereUnicodeOrderDiffers() {
        // Swift orders Strings by their NFC form: U+212B (Angstrom sign, bytes E2 84 AB) is U+00C5
        // there and so before U+00C6 (C3 86); by bytes, as S3 lists them, it comes after. NFC and
        // NFD spellings are equal to Swift and must still sort as their bytes do.
        let keys = ["\u{212B}", "\u{C6}", "caf\u{E9}", "cafe\u{301}"].map(ObjectKey.init)
        XCTAssertEqual(keys.sorted().map { Array($0.string.utf8) },
                       ["cafe\u{301}", "caf\u{E9}", "\u{C6}", "\u{212B}"].map { Array($0.utf8) })
        XCTAssertTrue(ObjectKey("\u{C6}") < ObjectKey("\u{212B}"))
        XCTAssertFalse(ObjectKey("\u{212B}") < ObjectKey("\u{C6}"))
        XCTAssertTrue(ObjectKey("cafe\u{301}") < ObjectKey("caf\u{E9}"))
    }

    // MARK: Download paths never leave the destination (issue "Trust nothing")

    func testUnsafeRelativePathsAreRefused() {
        for bad in ["/etc/passwd", "../x", "a/../../x", "a/..", ".", "a/./b", "a//b", "a/", String(repeating: "n",
            count: 256),
                    String(repeating: "\u{E9}", count: 128),
                    "a/\u{0}b", "../\u{301}x"] {
            XCTAssertNotNil(TransferEngine.unsafeReason(bad), bad)
        }
        for good in ["a", "a/b/c.jpg", "...", "..a", "a..", ".hidden", String(repeating: "n", count: 255),
                     String(repeating: "\u{E9}", count: 127) + "n", "caf\u{E9}/\u{301}x"] {
            XCTAssertNil(TransferEngine.unsafeReason(good), good)
        }
    }

    // MARK: The multipart layout (S3 rule 11)

    func testPartLayoutAroundTheBoundaries() {
        let sizes: [Int64] = [1, 5 * MiB - 1, 5 * MiB, 5 * MiB + 1, 8 * MiB, 8 * MiB + 1, 50_000 * MiB, 80_000 * MiB,
                              80_000 * MiB + 1, 10_000 * 8 * MiB + 1, 100_000 * MiB, 5 << 40]
        for preferred in [1 * MiB, 5 * MiB, 8 * MiB, 64 * MiB] {
            for size in sizes {
                let part = TransferOptions.partSize(for: size, preferred: preferred)
                let count = (size + part - 1) / part
                let last = size - (count - 1) * part
                XCTAssertGreaterThanOrEqual(part, 5 * MiB, "every part but the last >= 5 MiB (\(size), \(preferred))")
                XCTAssertLessThanOrEqual(count, 10_000, "at most 10,000 parts (\(size), \(preferred))")
                XCTAssertTrue(last > 0 && last <= part, "the last part is the only other size (\(size), \(preferred))")
                if preferred >= 5 * MiB && (size + preferred - 1) / preferred <= 10_000 {
                    XCTAssertEqual(part, preferred, "the asked size when it fits (\(size))")
                }
                if part != max(preferred, 5 * MiB) {
                    XCTAssertEqual(part % MiB, 0, "grown to whole MiB")
                    XCTAssertGreaterThan((size + part - MiB - 1) / (part - MiB), 10_000,
                                         "grown no more than needed (\(size))")
                }
            }
        }
        XCTAssertEqual(TransferOptions.partSize(for: 80_000 * MiB + 1, preferred: 8 * MiB), 9 * MiB)
        XCTAssertEqual(TransferOptions.partSize(for: 5 << 40, preferred: 8 * MiB), 525 * MiB)
    }

    // MARK: Nothing from a key reaches the terminal raw (S3 rule 21)

    func testEveryControlCharacterIsEscaped() {
        for v in Array(0x00..<0x20) + Array(0x7F...0x9F) + [0x202A, 0x202E, 0x2066, 0x2069, 0x2028, 0x2029] {
            let s = "k" + String(Unicode.Scalar(UInt32(v))!) + "k"
            let escaped = TerminalSafe.escape(s)
            XCTAssertFalse(escaped.unicodeScalars.contains { TerminalSafe.isControl($0) }, String(v, radix: 16))
            XCTAssertNotEqual(escaped, s)
        }
        XCTAssertEqual(TerminalSafe.escape("a\\x1b"), "a\\\\x1b", "a literal backslash cannot pass for an escape")
        XCTAssertEqual(TerminalSafe.escape("\u{1B}]52;c;x\u{7}"), "\\x1b]52;c;x\\x07")
    }
}
