import Foundation
import S3

/// The objects a confirmed `rm` will delete, kept on disk rather than in memory: written
/// while the plan is listed (its count and size shown for confirmation), read back a page at
/// a time after the person confirms, so a prefix of any size costs a few pages of memory.
///
/// The file is created in a private temporary folder and unlinked at once: only the open
/// descriptor names it, so nothing is left behind however pail ends. Keys and ETags are
/// written as hex, so no byte of a key can break a line. What is read back is checked before
/// anything is deleted: the same count, size and digest as was written (the whole file is read
/// once first), and each key inside what was confirmed, so nothing is deleted that was not
/// shown.
public final class DeleteSpool: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
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
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/pail-rm-XXXXXX").utf8CString)
        guard let dir = mkdtemp(&template) else {
            throw S3Error.local("cannot create a temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: dir)
        let path = folder + "/plan"
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        let failure = errno
        unlink(path)
        rmdir(folder)
        guard fd >= 0 else { throw S3Error.local("cannot create \(path): \(String(cString: strerror(failure)))") }
    }

    deinit { close(fd) }

    func append(_ item: DeletePlan.Item) throws {
        let start = buffer.count
        Self.hex(item.key, into: &buffer)
        buffer.append(contentsOf: Array(" \(item.size) ".utf8))
        Self.hex(item.etag, into: &buffer)
        buffer.append(contentsOf: Array(" \(item.lastModified.map { String($0.timeIntervalSince1970) } ?? "-")".utf8))
        digest.add(buffer[start...])
        buffer.append(UInt8(ascii: "\n"))
        count += 1
        bytes += item.size
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Reads the plan back, `pageSize` items at a time, in the order they were written, after
    /// a first reading that finds the file as it was written. `allowed` must accept every key.
    func pages(_ pageSize: Int = Deleter.batchSize, allowed: (String) -> Bool,
               _ page: ([DeletePlan.Item]) throws -> Void) throws {
        try flush()
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
        var offset: off_t = 0
        var pending: [UInt8] = []
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
        defer { chunk.deallocate() }
        while true {
            let n = pread(fd, chunk, 1 << 16, offset)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw S3Error.local("cannot read the delete plan back: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            offset += off_t(n)
            pending.append(contentsOf: UnsafeBufferPointer(start: chunk, count: n))
            var start = 0
            while let end = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[start..<end]
                try each(try Self.item(line), line)
                start = end + 1
            }
            pending.removeSubrange(..<start)
        }
        guard pending.isEmpty else { throw Self.changed }
    }

    private func flush() throws {
        var done = 0
        while done < buffer.count {
            let n = buffer[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw S3Error.local("cannot write the delete plan: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ text: String, into out: inout [UInt8]) {
        for b in text.utf8 {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
    }

    private static func item(_ line: ArraySlice<UInt8>) throws -> DeletePlan.Item {
        let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard fields.count == 4, let key = unhex(fields[0]), let etag = unhex(fields[2]),
              let size = Int64(String(decoding: fields[1], as: UTF8.self)) else { throw changed }
        let when = String(decoding: fields[3], as: UTF8.self)
        let date = when == "-" ? nil : Double(when).map { Date(timeIntervalSince1970: $0) }
        return DeletePlan.Item(key: key, size: size, etag: etag, lastModified: date, versionId: nil)
    }

    private static func unhex(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        while i < bytes.endIndex {
            guard let hi = value(bytes[i]), let lo = value(bytes[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return String(validating: out, as: UTF8.self)
    }
}
