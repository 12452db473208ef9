import Foundation
import S3

/// Lines of one stretch of a `SpoolFile`, read on demand through a small buffer, so that many
/// readers of one file (the runs of an `ExternalSorter`) can take turns.
public final class SpoolReader {
    private let fd: Int32
    private var offset: off_t
    private let end: off_t
    private let what: String
    private let damaged: Error
    private var buffer: [UInt8] = []
    private var start = 0
    static let chunk = 1 << 15

    init(fd: Int32, range: Range<off_t>, what: String, damaged: Error) {
        self.fd = fd
        offset = range.lowerBound
        end = range.upperBound
        self.what = what
        self.damaged = damaged
    }

    /// The next line without its newline; nil at the end of the stretch.
    public func next() throws -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                return line
            }
            buffer.removeSubrange(..<start)
            start = 0
            guard offset < end else {
                guard buffer.isEmpty else { throw damaged }
                return nil
            }
            let want = Int(min(off_t(Self.chunk), end - offset))
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: want))
            let n = buffer[old...].withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, offset) }
            if n < 0 && errno == EINTR {
                buffer.removeSubrange(old...)
                continue
            }
            guard n > 0 else {
                let reason = n < 0 ? String(cString: strerror(errno)) : "cut short"
                throw S3Error.local("cannot read \(what) back: \(reason)")
            }
            buffer.removeSubrange((old + n)...)
            offset += off_t(n)
        }
    }
}
