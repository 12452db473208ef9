import Foundation

/// The children of one listed level, kept compact: every name in UTF-8 byte buffers with end
/// offsets, sizes, dates, storage classes and kinds in parallel arrays. A prefix of millions of
/// children costs about 18 bytes plus its name's bytes per entry (a `TreeChild` array cost
/// about 180 bytes: a String, its heap block and the enum's padding).
///
/// The arrays are cut in chunks of `chunkEntries` entries, each with its own name buffer: an
/// array that doubles copies everything it holds, and at two million entries that copy (and
/// the first touch of the new buffer) held the run loop for 20-120 ms in one page. A chunk
/// grows geometrically until it is full, then the next one starts, so appending page after
/// page stays linear and no append moves more than one chunk.
///
/// Entries stay in the order appended, which is S3's key order (UTF-8 bytes); names are kept
/// as the bytes listed, never normalised (an NFC and an NFD spelling are two entries).
/// Reading an entry (`self[i]`) builds a `TreeChild`; the row builder, the filter and
/// lookups by name work on the bytes instead.
public struct ChildStore: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    enum Kind: UInt8 { case object, prefix, bucket }

    /// Entries a chunk holds (a power of two: an index splits into chunk and slot by shifts).
    static let chunkShift = 16
    static let chunkEntries = 1 << chunkShift

    /// The entries `chunkEntries * n ..< chunkEntries * (n + 1)`.
    struct Chunk: Sendable {
        var names: [UInt8] = []
        /// Where each name ends in `names`; it starts where the previous one ends. 32 bits: a
        /// chunk's names past 4 GiB are not kept (`isFull`), far beyond what fits in memory.
        var ends: [UInt32] = []
        /// Object sizes; for a bucket, the bit pattern of its creation date (a Double).
        var sizes: [Int64] = []
        /// Whole seconds since 1970, 0 when unknown (as ListedObject keeps them).
        var modified: [UInt32] = []
        var classes: [UInt8] = []
        var kinds: [UInt8] = []

        func range(of slot: Int) -> Range<Int> { (slot == 0 ? 0 : Int(ends[slot - 1]))..<Int(ends[slot]) }
    }

    private(set) var chunks: [Chunk] = []
    public private(set) var count = 0
    /// The filter's last answer for this level, narrowed as the filter grows (FilterMatches).
    var filterCache: FilterMatches?
    /// Names were dropped because a chunk's buffer reached its 4 GiB limit.
    public private(set) var isFull = false

    public init() {}

    public init(_ children: [TreeChild]) {
        for c in children { append(c) }
    }

    public init(arrayLiteral elements: TreeChild...) { self.init(elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Entries the arrays can hold before they grow again.
    public var capacity: Int {
        guard let last = chunks.last else { return 0 }
        return (chunks.count - 1) * Self.chunkEntries + last.kinds.capacity
    }

    /// The most entries any one array holds: what a growth may copy.
    var largestArray: Int { chunks.map(\.kinds.count).max() ?? 0 }

    @inline(__always) private func locate(_ i: Int) -> (chunk: Int, slot: Int) {
        (i >> Self.chunkShift, i & (Self.chunkEntries - 1))
    }

    public subscript(i: Int) -> TreeChild {
        let (c, slot) = locate(i)
        let name = name(at: i)
        let chunk = chunks[c]
        switch Kind(rawValue: chunk.kinds[slot])! {
        case .object:
            return .object(ListedObject(name: name, size: chunk.sizes[slot], modifiedSeconds: chunk.modified[slot],
                                        storageClass: StorageClassCode(raw: chunk.classes[slot])))
        case .prefix: return .prefix(name: name)
        case .bucket:
            return .bucket(name: name, created: Double(bitPattern: UInt64(bitPattern: chunk.sizes[slot])))
        }
    }

    /// Calls `body` with the bytes of entry `i`'s name, without copying them.
    func withName<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let (c, slot) = locate(i)
        return try chunks[c].names.withUnsafeBufferPointer { buf in
            try body(UnsafeBufferPointer(rebasing: buf[chunks[c].range(of: slot)]))
        }
    }

    public func name(at i: Int) -> String { withName(i) { String(decoding: $0, as: UTF8.self) } }

    private func kind(_ i: Int) -> UInt8 {
        let (c, slot) = locate(i)
        return chunks[c].kinds[slot]
    }

    /// A prefix or bucket (something that can be expanded), read without building the entry.
    func isContainer(_ i: Int) -> Bool { kind(i) != Kind.object.rawValue }

    func size(at i: Int) -> Int64 {
        let (c, slot) = locate(i)
        return chunks[c].kinds[slot] == Kind.object.rawValue ? chunks[c].sizes[slot] : -1
    }

    /// Seconds since 1970 for sorting by date: 0 when unknown, -1 for prefixes.
    func sortDate(at i: Int) -> Double {
        let (c, slot) = locate(i)
        switch Kind(rawValue: chunks[c].kinds[slot])! {
        case .object: return Double(chunks[c].modified[slot])
        case .prefix: return -1
        case .bucket:
            let d = Double(bitPattern: UInt64(bitPattern: chunks[c].sizes[slot]))
            return d.isNaN ? 0 : d
        }
    }

    /// Whether entry `i` is named exactly these bytes (no Unicode equivalence).
    func nameEquals(_ i: Int, _ bytes: [UInt8]) -> Bool {
        withName(i) { name in
            guard name.count == bytes.count else { return false }
            guard !bytes.isEmpty else { return true }
            return bytes.withUnsafeBufferPointer { memcmp(name.baseAddress!, $0.baseAddress!, bytes.count) == 0 }
        }
    }

    /// The index of the entry named exactly `name`, if there is one.
    func index(named name: String) -> Int? {
        let bytes = Array(name.utf8)
        return indices.first { nameEquals($0, bytes) }
    }

    public mutating func append(_ child: TreeChild) {
        switch child {
        case .object(let o):
            add(o.name, kind: .object, size: o.size, modified: o.modifiedSeconds, storageClass: o.storageClass.raw)
        case .prefix(let name): add(name, kind: .prefix, size: 0, modified: 0, storageClass: 0)
        case .bucket(let name, let created):
            add(name, kind: .bucket, size: Int64(bitPattern: created.bitPattern), modified: 0, storageClass: 0)
        }
    }

    /// Appends one listing page: prefixes and objects merged in S3's key order (UTF-8 bytes).
    mutating func append(prefixes: [String], objects: [ListedObject]) {
        var pi = 0, oi = 0
        while pi < prefixes.count || oi < objects.count {
            if oi >= objects.count
                || (pi < prefixes.count && prefixes[pi].utf8.lexicographicallyPrecedes(objects[oi].name.utf8)) {
                add(prefixes[pi], kind: .prefix, size: 0, modified: 0, storageClass: 0)
                pi += 1
            } else {
                let o = objects[oi]
                add(o.name, kind: .object, size: o.size, modified: o.modifiedSeconds, storageClass: o.storageClass.raw)
                oi += 1
            }
        }
    }

    // Plain appends into the last chunk: it grows geometrically up to `chunkEntries`, then a new
    // one starts at that size. (Reserving `count + page` before each page, as the tree once did,
    // reallocates and copies everything on every page.)
    private mutating func add(_ name: String, kind: Kind, size: Int64, modified seconds: UInt32,
                              storageClass: UInt8) {
        if chunks.isEmpty || chunks[chunks.count - 1].kinds.count == Self.chunkEntries {
            var next = Chunk()
            if !chunks.isEmpty {
                let n = Self.chunkEntries
                next.ends.reserveCapacity(n)
                next.sizes.reserveCapacity(n)
                next.modified.reserveCapacity(n)
                next.classes.reserveCapacity(n)
                next.kinds.reserveCapacity(n)
                // The names of a full chunk, rounded: a chunk's names rarely need a second buffer.
                next.names.reserveCapacity(chunks[chunks.count - 1].names.count + 1024)
            }
            chunks.append(next)
        }
        let last = chunks.count - 1
        let length = name.utf8.count
        guard chunks[last].names.count + length <= Int(UInt32.max) else { isFull = true; return }
        chunks[last].names.append(contentsOf: name.utf8)
        chunks[last].ends.append(UInt32(chunks[last].names.count))
        chunks[last].sizes.append(size)
        chunks[last].modified.append(seconds)
        chunks[last].classes.append(storageClass)
        chunks[last].kinds.append(kind.rawValue)
        count += 1
    }
}
