import Foundation
import S3

/// A file of lines that only its open descriptor names, for plans too big to hold in memory
/// (the objects a confirmed edit or delete will act on). It is created in a private temporary
/// folder and unlinked at once, so nothing is left behind however pail ends; lines are
/// buffered and read back in the order written. Text from a server (a key, an ETag) goes in
/// as hex (`hex`/`unhex`), so no byte of it can break a line.
public final class SpoolFile: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// What the file holds, for messages: "the edit plan".
    private let what: String

    /// `name` names the temporary folder (`pail-NAME-XXXXXX`), for whoever looks at /tmp meanwhile.
    public init(name: String, holding what: String) throws {
        self.what = what
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/pail-\(name)-XXXXXX").utf8CString)
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

    /// Bytes written so far: where the next line starts.
    public private(set) var size: off_t = 0

    deinit { close(fd) }

    /// Reads back lines `range` holds (offsets `size` gave), a line at a time, for readers
    /// that take turns (`ExternalSorter`'s merge).
    /// A last line without its newline is `damaged` (by default, a message naming the file).
    public func reader(_ range: Range<off_t>, damaged: Error? = nil) throws -> SpoolReader {
        try flush()
        return SpoolReader(fd: fd, range: range, what: what,
                           damaged: damaged ?? S3Error.local("\(what) is damaged: a line without its end"))
    }

    /// Adds one line (without its newline).
    public func append(_ line: [UInt8]) throws {
        buffer.append(contentsOf: line)
        buffer.append(UInt8(ascii: "\n"))
        size += off_t(line.count + 1)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Every line written, in order; a last line without its newline is `damaged`.
    public func lines(damaged: Error, _ each: (ArraySlice<UInt8>) throws -> Void) throws {
        let all = try reader(0..<size, damaged: damaged)
        while let line = try all.next() { try each(line[...]) }
    }

    private func flush() throws {
        var done = 0
        while done < buffer.count {
            let n = buffer[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw S3Error.local("cannot write \(what): \(String(cString: strerror(errno)))") }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// `v` as 16 hex digits: fixed width, so numbers sort by their bytes.
    public static func hex(_ v: UInt64, into out: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((v >> UInt64(shift)) & 15)]) }
    }

    /// The number 16 hex digits spell (as `hex(_:into:)` wrote them), or nil.
    public static func number(_ hex: ArraySlice<UInt8>) -> UInt64? {
        guard hex.count == 16 else { return nil }
        var v: UInt64 = 0
        for c in hex {
            guard let d = nibble(c) else { return nil }
            v = v << 4 | UInt64(d)
        }
        return v
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    public static func hex(_ text: String, into out: inout [UInt8]) {
        for b in text.utf8 {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
    }

    /// The text `hex` wrote, or nil for anything it cannot have written.
    public static func unhex(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            guard let hi = nibble(bytes[i]), let lo = nibble(bytes[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return String(validating: out, as: UTF8.self)
    }
}
