import XCTest
import Operations
@testable import Browser

/// The compact store of a level's children, the filter's narrowing, and the rows added in
/// place while a level streams (issue 11: millions of children).
final class ChildStoreTests: XCTestCase {
    let site = NodeID(bucket: "site", prefix: "")
    let nfc = "caf\u{E9}.txt"        // é as one scalar
    let nfd = "cafe\u{301}.txt"      // e + combining acute: equal as Strings, not as bytes

    func testEntriesKeepTheirBytesAndByteOrder() {
        var store = ChildStore()
        // One page as S3 sends it: prefixes and objects each in byte order, merged by bytes.
        // "cafe\u{301}" (0x65 0xCC) sorts before "caf\u{E9}" (0xC3) by bytes.
        store.append(prefixes: ["cafe\u{301}/", "z/"],
                     objects: [ListedObject(name: nfd, size: 1, modified: 1_700_000_000,
                                            storageClass: StorageClassCode("GLACIER")),
                               ListedObject(name: nfc, size: 2, modified: .nan, storageClass: StorageClassCode(nil))])
        XCTAssertEqual(store.map { Array($0.name.utf8) },
                       [nfd, "cafe\u{301}/", nfc, "z/"].map { Array($0.utf8) })
        XCTAssertEqual(store.index(named: nfc), 2)
        XCTAssertEqual(store.index(named: nfd), 0)
        XCTAssertNil(store.index(named: "cafe.txt"))
        guard case .object(let o) = store[0], case .object(let p) = store[2] else { return XCTFail("objects") }
        XCTAssertEqual(o.size, 1)
        XCTAssertEqual(o.modified, 1_700_000_000)
        XCTAssertEqual(o.storageClass.name, "GLACIER")
        XCTAssertTrue(p.modified.isNaN)
        XCTAssertEqual(store[1], .prefix(name: "cafe\u{301}/"))
        let buckets = ChildStore([.bucket(name: "b", created: 1_600_000_000.5), .bucket(name: "c", created: .nan)])
        XCTAssertEqual(buckets[0], .bucket(name: "b", created: 1_600_000_000.5))
        guard case .bucket(_, let created) = buckets[1] else { return XCTFail("bucket") }
        XCTAssertTrue(created.isNaN)
    }

    func testGrowthIsGeometricNotPerPage() {
        // Reserving `count + page` before each page reallocates (and copies) on every page.
        var node = TreeNode(id: NodeID(bucket: "b", prefix: ""))
        var capacities: Set<Int> = []
        for page in 0..<2000 {
            node.append(prefixes: [], objects: (0..<10).map { obj(String(format: "p%05d-%d", page, $0)) })
            capacities.insert(node.children.capacity)
        }
        XCTAssertEqual(node.children.count, 20_000)
        XCTAssertLessThan(capacities.count, 30, "the buffers grew \(capacities.count) times for 2,000 pages")
    }

    func testNarrowingEqualsAFullRescan() {
        var store = ChildStore()
        let stems = ["Photo", "photo", "PHÔTO", "phóto", "pho\u{302}to", "vidéo", "VIDEO", "ÉTÉ", "ete", "x"]
        var names: [String] = []
        for i in 0..<600 { names.append("\(stems[i % stems.count])-\(i % 7)\(i % 3 == 0 ? ".JPG" : ".jpg")") }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        store.append(prefixes: [], objects: names.map { obj($0) })
        // Typed one key at a time, then a key erased, then a new word: each answer equals a rescan.
        let typed = ["p", "ph", "pho", "phot", "photo", "photo-", "photo-3", "photo-", "photo-3.j", "e", "et", "été",
                     "ÉTÉ-1", "vi", "vid", "vide", "video"]
        for text in typed {
            let needle = Fold.bytes(text)
            XCTAssertEqual(store.filterHits(needle: needle), store.rescan(needle: needle), text)
        }
        XCTAssertEqual(store.filterHits(needle: Fold.bytes("photo")).count, 300, "case and accents ignored")
        XCTAssertEqual(store.filterHits(needle: Fold.bytes("ete")).count, 120)
        // Entries listed after the last keystroke are read too.
        store.append(prefixes: [], objects: [obj("zz-video")])
        XCTAssertEqual(store.filterHits(needle: Fold.bytes("video")), store.rescan(needle: Fold.bytes("video")))
        XCTAssertEqual(store.filterHits(needle: Fold.bytes("video")).last, Int32(store.count - 1))
    }

    func testNFCAndNFDNamesFilterAlike() {
        var store = ChildStore()
        store.append(prefixes: [], objects: [obj(nfd), obj(nfc), obj("CAFE.TXT")])
        XCTAssertEqual(store.rescan(needle: Fold.bytes("café")), [0, 1, 2])
        XCTAssertEqual(store.rescan(needle: Fold.bytes("cafe\u{301}")), [0, 1, 2])
        XCTAssertEqual(store.rescan(needle: Fold.bytes("fé.t")), [0, 1, 2])
    }

    /// Pages of a level in name order add their rows in place; the rows equal a rebuild, the
    /// cursor stays on its entry, and one that waits for its entry is still found.
    func testRowsAddedInPlaceEqualARebuild() {
        var d = Driver(bucket: "site")
        d.answer(site, prefixes: ["a/", "m/", "z/"], objects: [obj("top.txt")])
        let m = NodeID(bucket: "site", prefix: "m/")
        d.keys(.down, .enter)  // expand m/
        let t = d.token(m)!
        for page in 0..<5 {
            d.send(.listed(node: m, token: t, prefixes: [],
                           objects: (0..<50).map { obj(String(format: "f%03d.jpg", page * 50 + $0)) }))
            d.keys(.down, .down, .down)
            XCTAssertTrue(d.state.appendedSince.isEmpty)
            let incremental = d.state.rows
            let cursorEntry = d.state.cursorEntry
            var rebuilt = d.state
            rebuilt.rebuildRows()
            XCTAssertEqual(incremental, rebuilt.rows, "page \(page)")
            XCTAssertEqual(rebuilt.cursorEntry, cursorEntry)
        }
        XCTAssertEqual(d.state.cursorEntry?.key, "m/f014.jpg")
        XCTAssertEqual(d.state.entryRowCount, 4 + 250)
        d.send(.listingFinished(node: m, token: t, error: nil))
        XCTAssertEqual(d.state.cursorEntry?.key, "m/f014.jpg")
        XCTAssertEqual(d.state.rows.count, 4 + 250)
        // Filtered while it streams: the rows added match the filter as a rebuild would.
        d.keys(.char("/"))
        d.type("f01")
        d.keys(.enter)
        d.keys(.char("r"))  // relist m/: the cursor waits for f014.jpg
        let t2 = d.token(m)!
        for range in [0..<12, 12..<40] {
            let page = range.map { obj(String(format: "f%03d.jpg", $0)) }
            d.send(.listed(node: m, token: t2, prefixes: [], objects: page))
        }
        XCTAssertEqual(d.state.cursorEntry?.key, "m/f014.jpg")
        var rebuilt = d.state
        rebuilt.rebuildRows()
        XCTAssertEqual(d.state.rows, rebuilt.rows)
        XCTAssertEqual(d.state.rows.filter { $0.node != 0 }.count, 10, "f010…f019")
    }
}
