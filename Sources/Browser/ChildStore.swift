import Foundation

/// The children of one listed level, kept compact: every name in one UTF-8 byte buffer with
/// end offsets, sizes, dates, storage classes and kinds in parallel arrays. A prefix of
/// millions of children costs about 18 bytes plus its name's bytes per entry (a `TreeChild`
/// array cost about 180 bytes: a String, its heap block and the enum's padding), and the
/// arrays grow geometrically, so appending page after page stays linear.
///
/// Entries stay in the order appended, which is S3's key order (UTF-8 bytes); names are kept
/// as the bytes listed, never normalised (an NFC and an NFD spelling are two entries).
/// Reading an entry (`self[i]`) builds a `TreeChild`; the row builder, the filter and
/// lookups by name work on the bytes instead.
public struct ChildStore: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    enum Kind: UInt8 { case object, prefix, bucket }

    private(set) var names: [UInt8] = []
    /// Where each name ends in `names`; it starts where the previous one ends. 32 bits: a
    /// level's names past 4 GiB are not kept (`isFull`), far beyond what fits in memory here.
    private var ends: [UInt32] = []
    /// Object sizes; for a bucket, the bit pattern of its creation date (a Double).
    private var sizes: [Int64] = []
    /// Whole seconds since 1970, 0 when unknown (as ListedObject keeps them).
    private var modified: [UInt32] = []
    private var classes: [UInt8] = []
    private var kinds: [UInt8] = []
    /// The filter's last answer for this level, narrowed as the filter grows (FilterMatches).
    var filterCache: FilterMatches?
    /// Names were dropped because the buffer reached its 4 GiB limit.
    public private(set) var isFull = false

    public init() {}

    public init(_ children: [TreeChild]) {
        for c in children { append(c) }
    }

    public init(arrayLiteral elements: TreeChild...) { self.init(elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { kinds.count }

    /// Entries the arrays can hold before they grow again.
    public var capacity: Int { kinds.capacity }

    public subscript(i: Int) -> TreeChild {
        let name = name(at: i)
        switch Kind(rawValue: kinds[i])! {
        case .object:
            return .object(ListedObject(name: name, size: sizes[i], modifiedSeconds: modified[i],
                                        storageClass: StorageClassCode(raw: classes[i])))
        case .prefix: return .prefix(name: name)
        case .bucket: return .bucket(name: name, created: Double(bitPattern: UInt64(bitPattern: sizes[i])))
        }
    }

    func range(of i: Int) -> Range<Int> { (i == 0 ? 0 : Int(ends[i - 1]))..<Int(ends[i]) }

    public func name(at i: Int) -> String { String(decoding: names[range(of: i)], as: UTF8.self) }

    /// A prefix or bucket (something that can be expanded), read without building the entry.
    func isContainer(_ i: Int) -> Bool { kinds[i] != Kind.object.rawValue }

    func size(at i: Int) -> Int64 { kinds[i] == Kind.object.rawValue ? sizes[i] : -1 }

    /// Seconds since 1970 for sorting by date: 0 when unknown, -1 for prefixes.
    func sortDate(at i: Int) -> Double {
        switch Kind(rawValue: kinds[i])! {
        case .object: return Double(modified[i])
        case .prefix: return -1
        case .bucket:
            let d = Double(bitPattern: UInt64(bitPattern: sizes[i]))
            return d.isNaN ? 0 : d
        }
    }

    /// Whether entry `i` is named exactly these bytes (no Unicode equivalence).
    func nameEquals(_ i: Int, _ bytes: [UInt8]) -> Bool {
        let r = range(of: i)
        guard r.count == bytes.count else { return false }
        return names.withUnsafeBufferPointer { buf in
            bytes.withUnsafeBufferPointer { b in memcmp(buf.baseAddress! + r.lowerBound, b.baseAddress!, r.count) == 0 }
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

    // Plain appends: Array grows its buffer geometrically. (Reserving `count + page` before
    // each page, as the tree once did, reallocates and copies everything on every page.)
    private mutating func add(_ name: String, kind: Kind, size: Int64, modified seconds: UInt32,
                              storageClass: UInt8) {
        let length = name.utf8.count
        guard names.count + length <= Int(UInt32.max) else { isFull = true; return }
        names.append(contentsOf: name.utf8)
        ends.append(UInt32(names.count))
        sizes.append(size)
        modified.append(seconds)
        classes.append(storageClass)
        kinds.append(kind.rawValue)
    }
}
