import Foundation
import S3

/// The objects a confirmed `rm` will delete, kept on disk rather than in memory: written
/// while the plan is listed (its count and size shown for confirmation), read back a page at
/// a time after the person confirms, so a prefix of any size costs a few pages of memory.
///
/// The file is a `SpoolFile` (unlinked at once, keys and ETags as hex). What is read back is
/// checked before anything is deleted: the same count, size and digest as was written (the
/// whole file is read once first), and each key inside what was confirmed, so nothing is
/// deleted that was not shown.
public final class DeleteSpool: @unchecked Sendable {
    private let file: SpoolFile
    public private(set) var count = 0
    public private(set) var bytes: Int64 = 0
    private var digest = Digest()

    /// FNV-1a over the lines written: a damaged or changed file reads back another digest.
    struct Digest: Equatable {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ line: ArraySlice<UInt8>) {
            for b in line {
                value ^= UInt64(b)
                value = value &* 0x100_0000_01b3
            }
        }
    }

    public init() throws {
        file = try SpoolFile(name: "rm", holding: "the delete plan")
    }

    func append(_ item: DeletePlan.Item) throws {
        var line: [UInt8] = []
        SpoolFile.hex(item.key, into: &line)
        line.append(contentsOf: Array(" \(item.size) ".utf8))
        SpoolFile.hex(item.etag, into: &line)
        line.append(contentsOf: Array(" \(item.lastModified.map { String($0.timeIntervalSince1970) } ?? "-")".utf8))
        digest.add(line[...])
        try file.append(line)
        count += 1
        bytes += item.size
    }

    /// Reads the plan back, `pageSize` items at a time, in the order they were written, after
    /// a first reading that finds the file as it was written. `allowed` must accept every key.
    func pages(_ pageSize: Int = Deleter.batchSize, allowed: (String) -> Bool,
               _ page: ([DeletePlan.Item]) throws -> Void) throws {
        var check = Digest(), seen = 0, size: Int64 = 0
        try read { item, line in
            check.add(line)
            seen += 1
            size += item.size
            guard seen <= count, allowed(item.key) else { throw Self.changed }
        }
        guard check == digest, seen == count, size == bytes else { throw Self.changed }
        var items: [DeletePlan.Item] = []
        seen = 0
        try read { item, _ in
            seen += 1
            // Checked again as it is deleted: the file could only change between the readings.
            guard seen <= count, allowed(item.key) else { throw Self.changed }
            items.append(item)
            if items.count == pageSize {
                try page(items)
                items.removeAll(keepingCapacity: true)
            }
        }
        if !items.isEmpty { try page(items) }
    }

    static let changed = S3Error.local("the delete plan on disk changed after it was shown; "
                                       + "nothing more was deleted: run rm again")

    private func read(_ each: (DeletePlan.Item, ArraySlice<UInt8>) throws -> Void) throws {
        try file.lines(damaged: Self.changed) { line in try each(try Self.item(line), line) }
    }

    private static func item(_ line: ArraySlice<UInt8>) throws -> DeletePlan.Item {
        let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard fields.count == 4, let key = SpoolFile.unhex(fields[0]), let etag = SpoolFile.unhex(fields[2]),
              let size = Int64(String(decoding: fields[1], as: UTF8.self)) else { throw changed }
        let when = String(decoding: fields[3], as: UTF8.self)
        let date = when == "-" ? nil : Double(when).map { Date(timeIntervalSince1970: $0) }
        return DeletePlan.Item(key: key, size: size, etag: etag, lastModified: date, versionId: nil)
    }
}
