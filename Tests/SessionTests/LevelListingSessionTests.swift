import Browser
import Foundation
import S3
import TestSupport
import XCTest

/// The browser's level listing in key ranges (LevelLister), seen from the tree.
final class LevelListingSessionTests: XCTestCase {
    func testAFlatLevelListedInRangesReachesTheTreeOnceInByteOrder() throws {
        // Objects and child prefixes under "u/", NFC and NFD twins among them, several pages.
        var keys: [String] = []
        for lead in ["0", "A", "e\u{301}", "z", "\u{e9}", "\u{65e5}", "\u{1F600}", "-"] {
            for i in 0..<30 {
                let n = String(format: "%03d", i)
                keys += ["u/\(lead)\(n).a", "u/\(lead)\(n)\u{e9}"]
                if i % 6 == 0 { keys += ["u/\(lead)\(n)/1", "u/\(lead)\(n)/2"] }
            }
        }
        let listing = KeyListTransport(keys: keys, pageSize: 20)
        let t = ScriptedTransport()
        t.on({ $0.queryValue("list-type") != nil }) { request in
            Result { try listing.send(request, sink: nil, progress: nil, cancel: nil) }
                .mapError { $0 as? TransportError ?? .other(String(describing: $0)) }
        }
        let d = BrowserDriver(bucket: "b", prefix: "u/", width: 120, height: 40, transport: t)
        d.runUntilIdle()
        XCTAssertTrue(d.runUntil { state in state.nodes.contains { $0.id.prefix == "u/" && $0.state == .loaded } })
        // The level was listed by ranges (start-after chains), not one continuation chain.
        let ranges = Set(t.requests.compactMap { $0.queryValue("start-after") })
        XCTAssertGreaterThan(ranges.count, 3, "\(ranges)")

        var want: [String] = []
        for key in keys.sorted(by: { $0.bytesPrecede($1) }) {
            let rest = Array(key.utf8.dropFirst(2))
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                let child = String(decoding: rest[...slash], as: UTF8.self)
                if !(want.last.map { $0.bytesEqual(child) } ?? false) { want.append(child) }
            } else {
                want.append(key.droppingBytePrefix("u/"))
            }
        }
        let node = try XCTUnwrap(d.state.nodes.first { $0.id.prefix == "u/" })
        let got = (0..<node.children.count).map { node.children.name(at: $0) }
        XCTAssertEqual(got.count, want.count)
        for (i, (g, w)) in zip(got, want).enumerated() where !g.bytesEqual(w) {
            return XCTFail("child \(i): \(Array(g.utf8)) instead of \(Array(w.utf8))")
        }
    }
}
