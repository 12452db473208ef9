import Foundation

/// Sorts more lines than memory should hold: lines are kept until `runBytes` of them are held,
/// sorted and written to a `SpoolFile` as a run; `sorted` merges the runs. What is held is a
/// run and a read buffer per run, whatever the number of lines. Lines sort by their bytes
/// (`memcmp` order), so a caller lays out fields to sort by bytes: numbers as fixed-width
/// hex, text as `SpoolFile.hex` followed by a space (the space sorts before every hex digit,
/// so a shorter text sorts before a longer one it begins, as its bytes do).
public final class ExternalSorter {
    private let name: String
    private let what: String
    private let runBytes: Int
    /// Runs merged at once; more are first merged in groups of this many into longer runs.
    let fanIn: Int
    private var held: [[UInt8]] = []
    private var heldBytes = 0
    private var file: SpoolFile?
    private var runs: [Range<off_t>] = []

    /// `name` and `what` name the spool (`SpoolFile`) if one is needed.
    public init(name: String, holding what: String, runBytes: Int = 8 << 20, fanIn: Int = 64) {
        self.name = name
        self.what = what
        self.runBytes = max(1, runBytes)
        self.fanIn = max(2, fanIn)
    }

    /// Runs written to the spool so far (0: everything is still in memory).
    public var runCount: Int { runs.count }

    public func add(_ line: [UInt8]) throws {
        held.append(line)
        // A line's array costs its bytes and a header; counting both keeps the bound honest.
        heldBytes += line.count + 48
        if heldBytes >= runBytes { try spill() }
    }

    /// Every line added, in byte order. Call once.
    public func sorted(_ each: ([UInt8]) throws -> Void) throws {
        guard let file else {
            held.sort { $0.lexicographicallyPrecedes($1) }
            for line in held { try each(line) }
            held = []
            return
        }
        if !held.isEmpty { try spill() }
        while runs.count > fanIn {
            let group = Array(runs.prefix(fanIn))
            let start = file.size
            try merge(group, in: file) { try file.append($0) }
            runs = Array(runs.dropFirst(fanIn)) + [start..<file.size]
        }
        try merge(runs, in: file, each)
    }

    private func spill() throws {
        let spool = try file ?? SpoolFile(name: name, holding: what)
        file = spool
        held.sort { $0.lexicographicallyPrecedes($1) }
        let start = spool.size
        for line in held { try spool.append(line) }
        runs.append(start..<spool.size)
        held.removeAll(keepingCapacity: true)
        heldBytes = 0
    }

    /// The lines of `runs` in byte order: each run's reader holds its next line, and the least
    /// of those goes out next (a binary heap of the readers).
    private func merge(_ runs: [Range<off_t>], in file: SpoolFile, _ each: ([UInt8]) throws -> Void) throws {
        var heads: [(line: [UInt8], reader: SpoolReader)] = []
        for run in runs {
            let reader = try file.reader(run)
            if let line = try reader.next() { heads.append((line, reader)) }
        }
        func less(_ a: Int, _ b: Int) -> Bool { heads[a].line.lexicographicallyPrecedes(heads[b].line) }
        func siftDown(_ from: Int) {
            var i = from
            while true {
                let l = 2 * i + 1, r = l + 1
                var least = i
                if l < heads.count && less(l, least) { least = l }
                if r < heads.count && less(r, least) { least = r }
                if least == i { return }
                heads.swapAt(i, least)
                i = least
            }
        }
        for i in stride(from: heads.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        while !heads.isEmpty {
            try each(heads[0].line)
            if let line = try heads[0].reader.next() {
                heads[0].line = line
            } else {
                heads.swapAt(0, heads.count - 1)
                heads.removeLast()
            }
            siftDown(0)
        }
    }
}
