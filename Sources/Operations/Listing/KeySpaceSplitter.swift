import Foundation
import S3

/// Where to cut the rest of a flat prefix's listing so that several chains list it at once.
///
/// ListObjectsV2 lists the keys after a `start-after` string in UTF-8 byte order, so any
/// increasing strings s1 < s2 < ... < sn tile the keys after `after` exactly: (after, s1],
/// (s1, s2], ..., (sn, end). Which strings are chosen decides only how even the ranges are,
/// never which keys are listed: a probe that answers nonsense costs balance, not keys.
///
/// The points are cells of a trie over the characters the first page showed (the sample):
/// a cell (prefix + some characters) is probed with a one-key listing of that prefix, and
/// populated cells are refined one character deeper, level by level, while the probe budget
/// allows and until there are enough of them. Every point is a real Swift string built from
/// whole scalars, so it is valid UTF-8, and compared by bytes only (NFC and NFD spellings of
/// one character are two cells).
///
/// The same cut refines a range that turned out dense while it is listed: `after` is then
/// the greatest key the range has listed so far and `upper` its bound, and only points
/// between the two are made.
struct KeySpaceSplitter {
    let prefix: String
    let after: String
    /// Points stay below it (nil: up to the end of the prefix).
    let upper: String?
    /// One scalar each, in byte order (UTF-8 keeps the order of code points).
    let alphabet: [String]
    let targetRanges: Int
    let probeBudget: Int
    let maxDepth: Int

    /// What a one-key listing of a cell said.
    enum Answer: Equatable {
        /// No key starts with the cell.
        case empty
        /// The first key that starts with the cell.
        case first(String)
        /// The answer failed or made no sense.
        case nonsense
    }

    /// Answers for a batch of cells, in the same order.
    typealias Probe = ([String]) throws -> [Answer]

    /// Scalars below "0" are left out of the alphabet: servers that list in path-segment
    /// order (a directory walk, SeaweedFS among them) and S3's byte order disagree only
    /// where "/" meets a byte below it, so points made of "0" and above cut both orders at
    /// the same place.
    static let lowestScalar: UInt32 = 0x30

    init(prefix: String, after: String, upper: String? = nil, sample: [String], targetRanges: Int,
         probeBudget: Int, maxDepth: Int = 12, alphabetLimit: Int = 40) {
        self.prefix = prefix
        self.after = after
        self.upper = upper
        self.targetRanges = max(1, targetRanges)
        self.probeBudget = max(0, probeBudget)
        self.maxDepth = maxDepth
        alphabet = Self.alphabet(of: sample, after: prefix, limit: alphabetLimit)
    }

    /// The scalars that follow `prefix` in the sample's keys, in byte order; when there are
    /// more than `limit`, evenly spaced ones (the ranges only get coarser).
    static func alphabet(of sample: [String], after prefix: String, limit: Int) -> [String] {
        var seen = Set<UInt32>()
        for key in sample where key.hasBytePrefix(prefix) {
            for scalar in key.droppingBytePrefix(prefix).unicodeScalars
            where scalar.value >= lowestScalar {
                seen.insert(scalar.value)
            }
        }
        var values = seen.sorted()
        if values.count > limit && limit > 0 {
            let step = Double(values.count) / Double(limit)
            values = (0..<limit).map { values[Int(Double($0) * step)] }
        }
        return values.compactMap { Unicode.Scalar($0).map { String(Character($0)) } }
    }

    /// Where the trie starts: the prefix, or for a bounded range the whole scalars that
    /// `after` and `upper` share (every point lies between them, so no level above it is
    /// worth a round trip).
    var root: String {
        guard let upper else { return prefix }
        var shared = String.UnicodeScalarView()
        for (a, b) in zip(after.unicodeScalars, upper.unicodeScalars) {
            guard a.value == b.value else { break }
            shared.append(a)
        }
        let common = String(shared)
        return common.hasBytePrefix(prefix) ? common : prefix
    }

    /// True when some key starting with `cell` can come after `after` and not after `upper`
    /// (every key starting with the cell is at or after the cell).
    func reachesPastAfter(_ cell: String) -> Bool {
        if let upper, upper.bytesPrecede(cell) { return false }
        return !(cell.bytesPrecede(after) && !after.hasBytePrefix(cell))
    }

    struct Cell {
        var cell: String
        var open: Bool
        var first: String?
    }

    /// Increasing split points, all after `after`; empty when the key space cannot be split
    /// (one character seen, no cell populated, or nonsense answers).
    ///
    /// A level whose every child would cost more probes than the budget has left, or would
    /// make far more cells than asked for, is the last: each open cell is then refined at
    /// every few characters of the alphabet only (its own point stays, the ranges are a few
    /// times finer than the cell).
    func splitPoints(probe: Probe) throws -> [String] {
        guard alphabet.count >= 2 else { return [] }
        var cells = [Cell(cell: root, open: true, first: nil)]
        var spent = 0
        for _ in 0..<maxDepth {
            let reaching = cells.filter { reachesPastAfter($0.cell) }.count
            guard reaching < targetRanges else { break }
            let open = cells.filter(\.open).count
            guard open > 0 else { break }
            // Every child while it fits; otherwise every `stride`-th, and this level is the last.
            var stride = 1
            let full = open * alphabet.count
            if spent + full > probeBudget || reaching + full > targetRanges * 2 {
                let perCell = max(1, min((targetRanges - reaching + open - 1) / open,
                                         (probeBudget - spent) / open))
                guard perCell >= 1, spent + open <= probeBudget else { break }
                stride = max(1, (alphabet.count + perCell - 1) / perCell)
            }
            var candidates: [(parent: Int, cell: String)] = []
            for (i, c) in cells.enumerated() where c.open {
                for (j, scalar) in alphabet.enumerated() where j % stride == (stride == 1 ? 0 : stride - 1) {
                    let child = c.cell + scalar
                    if reachesPastAfter(child) { candidates.append((i, child)) }
                }
            }
            guard !candidates.isEmpty else { break }
            let answers = try probe(candidates.map(\.cell))
            spent += candidates.count
            guard answers.count == candidates.count else { return [] }
            var next: [Cell] = []
            var k = 0
            for (i, c) in cells.enumerated() {
                var children: [Cell] = []
                var nonsense = false
                while k < candidates.count && candidates[k].parent == i {
                    switch answers[k] {
                    case .first(let key):
                        children.append(Cell(cell: candidates[k].cell, open: stride == 1, first: key))
                    case .empty: break
                    case .nonsense: nonsense = true
                    }
                    k += 1
                }
                if !c.open || nonsense || children.isEmpty {
                    // A cell whose probes made no sense stays whole: one chain lists it.
                    next.append(Cell(cell: c.cell, open: false, first: c.first))
                } else {
                    // Sampled children do not cover the cell: its own point stays.
                    if stride > 1 && c.first != nil {
                        next.append(Cell(cell: c.cell, open: false, first: c.first))
                    }
                    next += children
                }
            }
            cells = next
            if stride > 1 { break }
        }
        var points = cells.filter { c in
            after.bytesPrecede(c.cell) && (upper.map { c.cell.bytesPrecede($0) } ?? true)
        }
        points.sort { $0.cell.bytesPrecede($1.cell) }
        // Distinct by bytes (never by String equality: "e\u{301}" and "\u{e9}" are two cells).
        var distinct: [Cell] = []
        for p in points where distinct.last.map({ !$0.cell.bytesEqual(p.cell) }) ?? true {
            distinct.append(p)
        }
        // A server that walks directories skips a directory named like the start-after string
        // (SeaweedFS answers start-after "p/a" without the keys under "p/a/"), so a point that
        // may name a directory is asked about, and not used if it does or the answer made no
        // sense. A cell's first key rules that out when the byte after the cell is above "/".
        let unsure = distinct.indices.filter { !Self.cannotNameDirectory(distinct[$0]) }
        var dropped = Set<Int>()
        if !unsure.isEmpty {
            let answers = try probe(unsure.map { distinct[$0].cell + "/" })
            guard answers.count == unsure.count else { return [] }
            for (i, answer) in zip(unsure, answers) where answer != .empty { dropped.insert(i) }
        }
        return distinct.indices.filter { !dropped.contains($0) }.map { distinct[$0].cell }
    }

    /// True when the cell's first key shows no key starts with the cell and "/".
    static func cannotNameDirectory(_ c: Cell) -> Bool {
        guard let first = c.first, first.hasBytePrefix(c.cell) else { return false }
        let rest = first.utf8.dropFirst(c.cell.utf8.count)
        guard let next = rest.first else { return false }
        return next > UInt8(ascii: "/")
    }
}
