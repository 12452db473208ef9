import Foundation
import XCTest
@testable import Operations
import S3

/// Keys are bytes: two spellings of one name are two objects (issue "Trust nothing", 2).
final class KeyBytesTests: XCTestCase {
    let nfc = "caf\u{E9}.txt"
    let nfd = "cafe\u{301}.txt"

    func testCanonicallyEquivalentKeysStayTwoKeys() {
        XCTAssertEqual(nfc, nfd, "Swift's String equality merges them: the reason for ObjectKey")
        XCTAssertNotEqual(ObjectKey(nfc), ObjectKey(nfd))
        XCTAssertEqual(Set([ObjectKey(nfc), ObjectKey(nfd), ObjectKey("\u{212B}"), ObjectKey("\u{C5}")]).count, 4)
        XCTAssertEqual(ObjectKey(nfc), ObjectKey("caf\u{E9}.txt"))
        var d: [ObjectKey: Int] = [:]
        d[ObjectKey(nfc)] = 1
        d[ObjectKey(nfd)] = 2
        XCTAssertEqual(d.count, 2)
    }

    func testOrderIsUTF8ByteOrder() {
        // U+FF21 (3 bytes, EF BC A1) sorts after U+1F600 (4 bytes, F0 ...) in UTF-16 but before it in UTF-8.
        let keys = ["\u{1F600}", "\u{FF21}", "Z", "a", nfd, nfc].map(ObjectKey.init)
        XCTAssertEqual(keys.sorted().map(\.string), ["Z", "a", nfd, nfc, "\u{FF21}", "\u{1F600}"])
    }

    func testPrefixesAreCutByBytes() {
        let key = "media/\u{301}x.jpg"  // "/" and the combining mark are one Character
        XCTAssertTrue(key.hasBytePrefix("media/"))
        XCTAssertFalse(nfd.hasBytePrefix("caf\u{E9}"))
        XCTAssertEqual(key.droppingBytePrefix("media/"), "\u{301}x.jpg")
        XCTAssertEqual(Array(key.droppingBytePrefix("media/").utf8), Array("\u{301}x.jpg".utf8))
        XCTAssertEqual("../\u{301}x".byteSegments(), ["..", "\u{301}x"])
    }

    func testDownloadPlansNeitherEscapeNorMergeLookAlikes() {
        func o(_ k: String) -> ObjectSummary {
            ObjectSummary(key: k, size: 1, lastModified: nil, etag: "", storageClass: nil)
        }
        let plan = TransferEngine.planDownload(objects: [o("p/../\u{301}x"), o("p/" + nfc), o("p/" + nfd),
                                                         o("q/outside"),
                                                         o("p/\u{0}\u{301}")],
                                               prefix: "p/", destination: "/tmp/d")
        XCTAssertEqual(plan.targets.map(\.local).map { Array($0.utf8) }, [Array("/tmp/d/\(nfc)".utf8),
                                                                          Array("/tmp/d/\(nfd)".utf8)])
        XCTAssertEqual(Set(plan.refused.map { ObjectKey($0.key) }),
                       Set(["p/../\u{301}x", "q/outside", "p/\u{0}\u{301}"].map(ObjectKey.init)))
    }
}
