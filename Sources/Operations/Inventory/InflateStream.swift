import CZlib
import Foundation
import S3

/// gzip inflated as it arrives: bytes are pushed in, what they unpack to is handed on in
/// chunks of at most `chunk` bytes, so an inventory data file of gigabytes never sits in
/// memory. A stream that ends before gzip's trailer is an error, not a short file: a report
/// cut in transfer must not pass for a smaller bucket.
public final class InflateStream {
    public static let chunk = 256 << 10
    private var stream = z_stream()
    private var started = false
    private var ended = false
    private let out: UnsafeMutablePointer<UInt8>
    private let what: String
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    /// `what` names the input in errors; `sink` receives the unpacked bytes.
    public init(what: String, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.what = what
        self.sink = sink
        out = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.chunk)
        try start()
    }

    deinit {
        if started { inflateEnd(&stream) }
        out.deallocate()
    }

    private func start() throws {
        stream = z_stream()
        guard pail_inflate_init_auto(&stream) == Z_OK else {
            throw S3Error.local("zlib could not start unpacking \(what)")
        }
        started = true
        ended = false
    }

    /// Forgets everything, to read the same input again from its start (a retried GET).
    public func reset() throws {
        if started { inflateEnd(&stream); started = false }
        try start()
    }

    public func push(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var input = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        var left = bytes.count
        while left > 0 {
            if ended {
                // gzip allows members one after another (`cat a.gz b.gz`); zlib stops at the
                // end of each, so start the next one.
                inflateReset(&stream)
                ended = false
            }
            let take = min(left, Int(UInt32.max))
            stream.next_in = input
            stream.avail_in = uInt(take)
            while true {
                stream.next_out = out
                stream.avail_out = uInt(Self.chunk)
                let status = inflate(&stream, Z_NO_FLUSH)
                guard status == Z_OK || status == Z_BUF_ERROR || status == Z_STREAM_END else {
                    throw S3Error.local("\(what) is not valid gzip (zlib error \(status)); the report may be damaged")
                }
                let produced = Self.chunk - Int(stream.avail_out)
                if produced > 0 { try sink(UnsafeRawBufferPointer(start: out, count: produced)) }
                if status == Z_STREAM_END { ended = true; break }
                // All input taken and all output handed on; or no progress is possible.
                if stream.avail_in == 0 && stream.avail_out != 0 { break }
                if status == Z_BUF_ERROR && produced == 0 { break }
            }
            let used = take - Int(stream.avail_in)
            input += used
            left -= used
            if used == 0 && !ended {
                throw S3Error.local("\(what) is not valid gzip (zlib makes no progress); the report may be damaged")
            }
        }
    }

    /// The input is over: it must have ended with a whole gzip member.
    public func finish() throws {
        guard ended else {
            throw S3Error.local("\(what) ends before its gzip stream does: the file is truncated")
        }
    }
}
