import Foundation

/// What one listing (every page of one ListObjectsV2 or ListObjectVersions walk) must look
/// like before anything acts on it. A server (a buggy S3-compatible one, a proxy, a hostile
/// endpoint) can send keys outside the prefix, keys below a sub-prefix in a one-level
/// listing, keys that do not decode, and continuation tokens that never end. Deletes and
/// header edits are planned from listings, so such entries are dropped here, once for every
/// caller, and a listing that would never end is stopped.
struct ListingCheck {
    let resource: String
    let host: String
    let prefix: [UInt8]
    let delimiter: [UInt8]?
    private var tokens = Set<String>()
    /// The previous page's greatest entry, in S3's byte order and in path-segment order (the
    /// order of servers that walk directories, SeaweedFS among them).
    private var previous: (bytes: String, segments: String)?
    /// The previous version-listing page's greatest key and its last (key, version id).
    private var previousVersion: (key: String, pair: String)?
    private var outside = Tally()
    private var nested = Tally()
    private var badPrefixes = Tally()
    private var undecodable = Tally()

    struct Tally {
        var count = 0
        var first: String?
        mutating func add(_ s: String) {
            count += 1
            if first == nil { first = s }
        }
    }

    init(bucket: String, prefix: String, delimiter: String?, startAfter: String? = nil, host: String) {
        resource = "s3://\(bucket)/\(prefix)"
        self.host = host
        self.prefix = Array(prefix.utf8)
        self.delimiter = delimiter.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        if let startAfter, !startAfter.isEmpty { previous = (startAfter, startAfter) }
    }

    // MARK: ListObjectsV2

    /// Drops what the page must not hold and throws when the listing would not end.
    mutating func admit(_ page: inout ListPage) throws {
        let entries = page.objects.count + page.commonPrefixes.count
        if page.isTruncated && entries + page.undecodable.count == 0 {
            throw S3Error.serverFault("the server at \(host) sent an empty listing page for \(resource) that says more "
                                      + "follow (it would never end); stopping")
        }
        try advance(page.objects.map(\.key) + page.commonPrefixes)
        if page.isTruncated, let next = page.nextContinuationToken, !tokens.insert(next).inserted {
            throw S3Error.serverFault("the server at \(host) repeated a continuation token while listing \(resource) "
                                      + "(it would never end); stopping")
        }
        for raw in page.undecodable { undecodable.add(raw) }
        page.undecodable = []
        page.objects.removeAll { !admitsObject($0.key) }
        page.commonPrefixes.removeAll { !admitsCommonPrefix($0) }
    }

    private mutating func admitsObject(_ key: String) -> Bool {
        let k = Array(key.utf8)
        guard k.starts(with: prefix) else { outside.add(key); return false }
        if let delimiter, Self.occurrences(of: delimiter, in: k[prefix.count...]) > 0 { nested.add(key); return false }
        return true
    }

    private mutating func admitsCommonPrefix(_ p: String) -> Bool {
        let b = Array(p.utf8)
        guard b.starts(with: prefix) else { outside.add(p); return false }
        // One level: ends with the delimiter and holds it only there after the prefix.
        guard let delimiter, b.count >= prefix.count + delimiter.count,
              b.suffix(delimiter.count).elementsEqual(delimiter),
              Self.occurrences(of: delimiter, in: b[prefix.count...]) == 1 else { badPrefixes.add(p); return false }
        return true
    }

    // MARK: ListObjectVersions

    /// The version listing's counterpart: keys outside the prefix are dropped, a repeated
    /// key/version-id marker, an empty truncated page or a page that does not move on stop it.
    mutating func admit(_ page: inout ListVersionsParser.Page) throws {
        if page.truncated && page.versions.isEmpty && page.undecodable.isEmpty {
            throw S3Error.serverFault("the server at \(host) sent an empty version-listing page for \(resource) that "
                                      + "says more follow (it would never end); stopping")
        }
        // Versions of one key can span pages (their ids in no order), so keys must not go
        // back, and a page ending on the same key must end on another version of it.
        if let last = page.versions.last {
            var maxKey = last.key
            for v in page.versions where maxKey.bytesPrecede(v.key) { maxKey = v.key }
            let lastPair = last.key + "\u{0}" + last.versionId
            if let (key, pair) = previousVersion {
                let back = maxKey.bytesPrecede(key) && Self.segmentsPrecede(maxKey, key)
                if back || (maxKey.bytesEqual(key) && lastPair.bytesEqual(pair)) {
                    throw S3Error.serverFault("the server at \(host) sent a version-listing page for \(resource) that "
                                              + "does not move past the previous page (it would never end); stopping")
                }
            }
            previousVersion = (maxKey, lastPair)
        }
        if page.truncated {
            let pair = (page.nextKeyMarker ?? "") + "\u{0}" + (page.nextVersionIdMarker ?? "")
            if !tokens.insert(pair).inserted {
                throw S3Error.serverFault("the server at \(host) repeated a key/version-id marker while listing "
                                          + "versions of \(resource) (it would never end); stopping")
            }
        }
        for raw in page.undecodable { undecodable.add(raw) }
        page.undecodable = []
        page.versions.removeAll { v in
            guard Array(v.key.utf8).starts(with: prefix) else { outside.add(v.key); return true }
            return false
        }
    }

    // MARK: Progress

    /// A page must reach past the previous page's greatest entry, in byte order or in
    /// segment order: a server repeating a page, or cycling back, makes no progress in
    /// either. Servers disagree on the order (S3 sorts "a-b" before "a/x", a directory walk
    /// after it), so one of the two orders moving on is enough.
    private mutating func advance(_ entries: [String]) throws {
        var maxBytes: String?
        var maxSegments: String?
        for e in entries {
            if maxBytes.map({ $0.bytesPrecede(e) }) ?? true { maxBytes = e }
            if maxSegments.map({ Self.segmentsPrecede($0, e) }) ?? true { maxSegments = e }
        }
        guard let maxBytes, let maxSegments else { return }
        if let previous, !previous.bytes.bytesPrecede(maxBytes), !Self.segmentsPrecede(previous.segments, maxSegments) {
            throw S3Error.serverFault("the server at \(host) sent a listing page for \(resource) that does not move "
                                      + "past the previous page (it would never end); stopping")
        }
        previous = (maxBytes, maxSegments)
    }

    /// Order by "/"-separated segments, each compared by bytes: a directory walk's order.
    static func segmentsPrecede(_ a: String, _ b: String) -> Bool {
        let x = a.utf8.split(separator: 0x2F, omittingEmptySubsequences: false)
        let y = b.utf8.split(separator: 0x2F, omittingEmptySubsequences: false)
        for (p, q) in zip(x, y) where !p.elementsEqual(q) { return p.lexicographicallyPrecedes(q) }
        return x.count < y.count
    }

    static func occurrences(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int {
        guard !needle.isEmpty, haystack.count >= needle.count else { return 0 }
        var count = 0
        var i = haystack.startIndex
        while i + needle.count <= haystack.endIndex {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) {
                count += 1
                i += needle.count
            } else {
                i += 1
            }
        }
        return count
    }

    // MARK: The warning

    /// One line naming what the server got wrong in this listing, or nil when nothing was
    /// dropped.
    var warning: String? {
        var parts: [String] = []
        func add(_ t: Tally, _ one: String, _ many: String) {
            guard t.count > 0 else { return }
            parts.append("\(t.count) \(t.count == 1 ? one : many) (first \"\(t.first ?? "")\")")
        }
        add(outside, "entry outside the prefix", "entries outside the prefix")
        add(nested, "key below a sub-prefix in a one-level listing", "keys below a sub-prefix in a one-level listing")
        add(badPrefixes, "common prefix not one level below it", "common prefixes not one level below it")
        add(undecodable, "key that does not URL-decode to exact UTF-8", "keys that do not URL-decode to exact UTF-8")
        guard !parts.isEmpty else { return nil }
        return "the server at \(host) listed for \(resource) \(parts.joined(separator: ", ")); pail ignored them"
    }
}
