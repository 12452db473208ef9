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

    /// A level past one chunk: no append copies more than a chunk (an array that doubles copied
    /// every entry and held the run loop for up to 120 ms at two million), and every entry,
    /// lookup and filter answer is the same on both sides of each chunk's edge.
    func testEntriesAcrossChunksStayWholeAndNoArrayOutgrowsAChunk() {
        var store = ChildStore()
        let total = ChildStore.chunkEntries * 2 + 1234
        var next = 0
        while next < total {
            let page = next..<min(total, next + 1000)
            store.append(prefixes: page.first! % 7000 == 0 ? [String(format: "f%07d/", page.first!)] : [],
                         objects: page.map { obj(String(format: "f%07d", $0), Int64($0)) })
            next = page.upperBound
        }
        XCTAssertLessThanOrEqual(store.largestArray, ChildStore.chunkEntries)
        XCTAssertGreaterThanOrEqual(store.capacity, store.count)
        XCTAssertEqual(ChildStore().capacity, 0)
        XCTAssertEqual(store.chunks.count, 3)
        let edge = ChildStore.chunkEntries
        for i in [0, edge - 1, edge, edge + 1, 2 * edge, store.count - 1] {
            guard case .object(let o) = store[i] else {
                XCTAssertTrue(store.isContainer(i))
                continue
            }
            XCTAssertEqual(store.index(named: o.name), i)
            XCTAssertEqual(store.size(at: i), o.size)
            XCTAssertEqual(o.name, String(format: "f%07d", Int(o.size)), "entry \(i)")
        }
        let names = store.map(\.name)
        XCTAssertTrue(zip(names, names.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) },
                      "key order kept")
        for needle in ["f00655", "0013", "0/"] {
            let folded = Fold.bytes(needle)
            XCTAssertEqual(store.filterHits(needle: folded), store.rescan(needle: folded), needle)
        }
        XCTAssertEqual(store.filterHits(needle: Fold.bytes("f00655")).count, 100, "f0065500…f0065599")
        XCTAssertEqual(store.rescan(needle: Fold.bytes("0/")).count, (total + 6999) / 7000, "the prefixes")
    }

    /// The rows of a streaming level grow a chunk at a time, and a change in the middle (a
    /// folder opened or closed) gives what an array gives.
    func testRowListGrowsByChunksAndEditsLikeAnArray() {
        var list = RowList()
        var array: [Row] = []
        func row(_ i: Int) -> Row { Row(node: Int32(i % 5), index: Int32(i), depth: Int16(i % 3)) }
        for start in stride(from: 0, to: 150_000, by: 1000) {
            let page = (start..<start + 1000).map(row)
            list.replaceSubrange(list.count..<list.count, with: page)
            array.replaceSubrange(array.count..<array.count, with: page)
        }
        XCTAssertLessThanOrEqual(list.largestChunk, RowList.chunkRows)
        XCTAssertTrue(list.elementsEqual(array))
        var seed: UInt64 = 42
        func random(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        for round in 0..<40 {
            let lower = random(array.count + 1)
            let upper = lower + random(min(3000, array.count - lower) + 1)
            let inserted = (0..<random(2500)).map { row(1_000_000 + round * 10_000 + $0) }
            list.replaceSubrange(lower..<upper, with: inserted)
            array.replaceSubrange(lower..<upper, with: inserted)
            XCTAssertEqual(list.count, array.count, "round \(round)")
        }
        XCTAssertTrue(list.elementsEqual(array))
        list[RowList.chunkRows].depth = 9
        array[RowList.chunkRows].depth = 9
        XCTAssertTrue(list.elementsEqual(array))
        list.replaceSubrange(10..<list.count, with: [])
        XCTAssertEqual(Array(list), Array(array[0..<10]))
    }
}
