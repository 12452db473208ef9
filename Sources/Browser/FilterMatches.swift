import Foundation

/// Which entries of a level the filter keeps, remembered so the next keystroke narrows it
/// instead of reading every name again: when the new filter's folded bytes contain the old
/// one's, every entry that matches the new filter matched the old one, so only the old hits
/// (and entries listed since) are read. At a million entries a keystroke then reads the
/// names once, the next ones only what is left.
struct FilterMatches: Sendable {
    /// The folded filter (`Fold.bytes`) these hits answer.
    var needle: [UInt8]
    /// Entries 0..<scanned were read; those listed later are read on the next call.
    var scanned: Int
    /// Indices of the matching entries, ascending.
    var hits: [Int32]
}

/// Case and accents taken out of a name, as UTF-8 bytes: lower case, marks of a canonical
/// decomposition dropped ("Été" and "ete" fold alike, and so do the NFC and NFD spellings
/// of "é"). The filter matches where the folded filter is a byte substring of the folded
/// name. ASCII names, the common case, fold byte by byte without leaving their buffer.
enum Fold {
    static func bytes(_ s: String) -> [UInt8] {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.utf8.map(lower) }
        var out: [UInt8] = []
        for scalar in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark: continue
            default: out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return out
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// Whether `needle` (folded) occurs in the ASCII bytes `hay`, folding `hay` as it reads.
    static func asciiContains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        guard hay.count >= n else { return false }
        let first = needle[0]
        var i = 0
        let last = hay.count - n
        while i <= last {
            if lower(hay[i]) == first {
                var j = 1
                while j < n && lower(hay[i + j]) == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }

    /// `asciiContains` in one pass for a name that may not be ASCII: true when the needle is
    /// found before the first byte over 0x7F (the folded name starts with those ASCII bytes
    /// lowered, so it is found there too), nil when such a byte comes first (fold the name).
    static func asciiPrefixContains(_ hay: UnsafeBufferPointer<UInt8>,
                                    _ needle: UnsafeBufferPointer<UInt8>) -> Bool? {
        let n = needle.count
        guard n > 0 else { return true }
        let first = needle[0]
        var i = 0
        while i < hay.count {
            let b = hay[i]
            if b >= 0x80 { return nil }
            if lower(b) == first && i + n <= hay.count {
                var j = 1
                while j < n && hay[i + j] < 0x80 && lower(hay[i + j]) == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        hay.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { asciiContains(h, $0) } }
    }
}

extension ChildStore {
    /// Whether entry `i` matches the folded filter `needle`.
    func matches(_ i: Int, needle: [UInt8]) -> Bool {
        withName(i) { name in needle.withUnsafeBufferPointer { Self.matches(name, $0) } }
    }

    static func matches(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if let found = Fold.asciiPrefixContains(hay, needle) { return found }
        // Folding already lowered the bytes: the ASCII search finds the needle as is.
        let folded = Fold.bytes(String(decoding: hay, as: UTF8.self))
        return folded.withUnsafeBufferPointer { Fold.asciiContains($0, needle) }
    }

    /// The entries among `candidates`, then from `from` to the end, that match `needle`:
    /// one pass over each chunk's name buffer, without building a String for an ASCII name.
    func scan(_ candidates: [Int32], from: Int, needle: [UInt8]) -> [Int32] {
        var hits: [Int32] = []
        needle.withUnsafeBufferPointer { n in
            for i in candidates where matches(Int(i), needle: needle) { hits.append(i) }
            var first = from
            while first < count {
                let c = first >> Self.chunkShift
                let base = c << Self.chunkShift
                let end = Swift.min(count, base + Self.chunkEntries)
                let chunk = chunks[c]
                chunk.names.withUnsafeBufferPointer { buf in
                    chunk.ends.withUnsafeBufferPointer { ends in
                        var start = first == base ? 0 : Int(ends[first - base - 1])
                        for slot in (first - base)..<(end - base) {
                            let stop = Int(ends[slot])
                            if Self.matches(UnsafeBufferPointer(rebasing: buf[start..<stop]), n) {
                                hits.append(Int32(base + slot))
                            }
                            start = stop
                        }
                    }
                }
                first = end
            }
        }
        return hits
    }

    /// The entries that match the folded filter `needle`, ascending, narrowed from the last
    /// answer when `needle` contains the last needle. Remembered for the next keystroke.
    mutating func filterHits(needle: [UInt8]) -> [Int32] {
        var hits: [Int32]
        if let last = filterCache, last.scanned <= count, Fold.contains(needle, last.needle) {
            if last.needle == needle && last.scanned == count { return last.hits }
            hits = scan(last.hits, from: last.scanned, needle: needle)
        } else {
            hits = scan([], from: 0, needle: needle)
        }
        filterCache = FilterMatches(needle: needle, scanned: count, hits: hits)
        return hits
    }

    /// Every entry read again, for checking the narrowed answer.
    func rescan(needle: [UInt8]) -> [Int32] {
        indices.filter { matches($0, needle: needle) }.map { Int32($0) }
    }
}
