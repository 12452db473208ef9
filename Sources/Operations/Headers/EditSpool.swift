import Foundation
import S3

/// The objects a confirmed preview will edit, kept on disk rather than in memory: key and
/// ETag of each, written while the preview is read and read back a page at a time after the
/// person confirms, so exactly what was previewed is edited (an object that changed since
/// is refused by its ETag) and a prefix of any size costs a few pages of memory.
///
/// The file is created in a private temporary folder and unlinked at once: only the open
/// descriptor names it, so nothing is left behind however pail ends. Keys and ETags are
/// written as hex, so no byte of a key can break a line.
public final class EditSpool {
    private let fd: Int32
    private var buffer: [UInt8] = []
    public private(set) var count = 0

    public init() throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/pail-edit-XXXXXX").utf8CString)
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

    public func append(key: String, etag: String) throws {
        Self.hex(key, into: &buffer)
        buffer.append(UInt8(ascii: " "))
        Self.hex(etag, into: &buffer)
        buffer.append(UInt8(ascii: "\n"))
        count += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Reads the entries back, `pageSize` at a time, in the order they were written.
    public func pages(_ pageSize: Int = 1000, _ page: ([HeaderEditor.Entry]) throws -> Void) throws {
        try flush()
        var offset: off_t = 0
        var pending: [UInt8] = []
        var entries: [HeaderEditor.Entry] = []
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
        defer { chunk.deallocate() }
        while true {
            let n = pread(fd, chunk, 1 << 16, offset)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw S3Error.local("cannot read the edit plan back: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            offset += off_t(n)
            pending.append(contentsOf: UnsafeBufferPointer(start: chunk, count: n))
            var start = 0
            while let end = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                entries.append(try Self.entry(pending[start..<end]))
                start = end + 1
                if entries.count == pageSize {
                    try page(entries)
                    entries.removeAll(keepingCapacity: true)
                }
            }
            pending.removeSubrange(..<start)
        }
        if !entries.isEmpty { try page(entries) }
    }

    private func flush() throws {
        var done = 0
        while done < buffer.count {
            let n = buffer[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw S3Error.local("cannot write the edit plan: \(String(cString: strerror(errno)))") }
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

    private static func entry(_ line: ArraySlice<UInt8>) throws -> HeaderEditor.Entry {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")),
              let key = unhex(line[line.startIndex..<space]), let etag = unhex(line[(space + 1)...]) else {
            throw S3Error.local("the edit plan on disk is damaged")
        }
        return HeaderEditor.Entry(key: key, etag: etag)
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
