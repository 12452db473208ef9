import Foundation

/// The tree's visible lines, in chunks of `chunkRows`: a level of millions of entries has a row
/// each, and an array that doubles copies them all (at two million rows, 24 MB copied and 48 MB
/// touched for the first time, held the run loop for 20-120 ms in one frame). Appending, what
/// a streaming level does on every page, never moves more than one chunk; a change in the
/// middle (a folder opened or closed) rewrites the rows after it, as an array would.
public struct RowList: RandomAccessCollection, MutableCollection, RangeReplaceableCollection, Sendable, Equatable {
    static let chunkShift = 16
    static let chunkRows = 1 << chunkShift

    private var chunks: [[Row]] = []
    public private(set) var count = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The most rows any one chunk holds: what a growth may copy.
    var largestChunk: Int { chunks.map(\.count).max() ?? 0 }

    public subscript(i: Int) -> Row {
        get { chunks[i >> Self.chunkShift][i & (Self.chunkRows - 1)] }
        set { chunks[i >> Self.chunkShift][i & (Self.chunkRows - 1)] = newValue }
    }

    public mutating func append(_ row: Row) {
        if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkRows {
            var next: [Row] = []
            // The first chunk grows as an array would; later ones start whole.
            if !chunks.isEmpty { next.reserveCapacity(Self.chunkRows) }
            chunks.append(next)
        }
        chunks[chunks.count - 1].append(row)
        count += 1
    }

    public mutating func append<S: Sequence>(contentsOf rows: S) where S.Element == Row {
        for row in rows { append(row) }
    }

    public mutating func replaceSubrange<C: Collection>(_ subrange: Range<Int>, with rows: C) where C.Element == Row {
        precondition(subrange.lowerBound >= 0 && subrange.upperBound <= count, "rows out of range")
        if subrange.isEmpty && subrange.lowerBound == count {
            append(contentsOf: rows)
            return
        }
        let tail = Array(self[subrange.upperBound..<count])
        truncate(to: subrange.lowerBound)
        append(contentsOf: rows)
        append(contentsOf: tail)
    }

    public mutating func removeAll(keepingCapacity keepCapacity: Bool = false) {
        chunks.removeAll()
        count = 0
    }

    /// Keeps the first `n` rows.
    private mutating func truncate(to n: Int) {
        guard n < count else { return }
        let kept = (n + Self.chunkRows - 1) >> Self.chunkShift
        chunks.removeSubrange(kept...)
        if kept > 0 {
            let inLast = n - (kept - 1) * Self.chunkRows
            chunks[kept - 1].removeSubrange(inLast...)
        }
        count = n
    }

    public static func == (a: RowList, b: RowList) -> Bool { a.count == b.count && a.elementsEqual(b) }
}
