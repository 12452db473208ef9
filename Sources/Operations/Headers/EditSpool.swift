import Foundation
import S3

/// The objects a confirmed preview will edit, kept on disk rather than in memory: key and
/// ETag of each, written while the preview is read and read back a page at a time after the
/// person confirms, so exactly what was previewed is edited (an object that changed since
/// is refused by its ETag) and a prefix of any size costs a few pages of memory.
///
/// The file is a `SpoolFile` (unlinked at once, keys and ETags as hex).
public final class EditSpool {
    private let file: SpoolFile
    public private(set) var count = 0

    public init() throws {
        file = try SpoolFile(name: "edit", holding: "the edit plan")
    }

    public func append(key: String, etag: String) throws {
        var line: [UInt8] = []
        SpoolFile.hex(key, into: &line)
        line.append(UInt8(ascii: " "))
        SpoolFile.hex(etag, into: &line)
        try file.append(line)
        count += 1
    }

    /// Reads the entries back, `pageSize` at a time, in the order they were written.
    public func pages(_ pageSize: Int = 1000, _ page: ([HeaderEditor.Entry]) throws -> Void) throws {
        var entries: [HeaderEditor.Entry] = []
        try file.lines(damaged: Self.damaged) { line in
            entries.append(try Self.entry(line))
            if entries.count == pageSize {
                try page(entries)
                entries.removeAll(keepingCapacity: true)
            }
        }
        if !entries.isEmpty { try page(entries) }
    }

    private static let damaged = S3Error.local("the edit plan on disk is damaged")

    private static func entry(_ line: ArraySlice<UInt8>) throws -> HeaderEditor.Entry {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")),
              let key = SpoolFile.unhex(line[line.startIndex..<space]),
              let etag = SpoolFile.unhex(line[(space + 1)...]) else {
            throw damaged
        }
        return HeaderEditor.Entry(key: key, etag: etag)
    }
}
