import CZlib
import Foundation
import S3

/// gzip through zlib, in process: uploads with `--gzip` compress a file into an exclusive
/// temporary file, the preview unpacks the start of a gzip'ed object.
enum Gzip {
    static let chunk = 256 << 10
    /// zlib's default level, as `gzip` without options. Level 9 took twice the CPU on a site's
    /// CSS and JS (6.0 s against 2.7 s for 70 MB) for 3% fewer bytes, and that CPU was nearly
    /// all `cp -r --gzip` cost over a plain upload: the uploads wait for it on a shared machine.
    static let level: Int32 = 6

    /// Compresses a file into a new temporary file (deleted by the caller) and returns its path.
    /// The output depends only on the input (no name or time stamp), so `--skip-identical`
    /// can compare it with what an earlier upload stored.
    static func compressFile(_ path: String) throws -> String {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw S3Error.local("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let (temp, output) = try createTemporaryFile()
        var ok = false
        defer {
            close(output)
            if !ok { unlink(temp) }
        }
        var stream = z_stream()
        guard pail_deflate_init_gzip(&stream, level) == Z_OK else {
            throw S3Error.local("zlib could not start compressing")
        }
        defer { deflateEnd(&stream) }
        let inBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        let outBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { inBuffer.deallocate(); outBuffer.deallocate() }
        var finished = false
        while !finished {
            let n = read(input, inBuffer, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw S3Error.local("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            stream.next_in = inBuffer
            stream.avail_in = uInt(n)
            let flush = n == 0 ? Z_FINISH : Z_NO_FLUSH
            repeat {
                stream.next_out = outBuffer
                stream.avail_out = uInt(chunk)
                let status = deflate(&stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw S3Error.local("zlib failed compressing \(path) (\(status))")
                }
                try writeAll(output, outBuffer, chunk - Int(stream.avail_out), to: temp)
                if status == Z_STREAM_END { finished = true }
            } while stream.avail_out == 0
        }
        ok = true
        return temp
    }

    /// The bytes `data` unpacks to (gzip or zlib framing), at most `limit` of them. A stream
    /// cut short (the preview reads only the start of an object) yields what came before the
    /// cut; nil when the data is not compressed at all.
    /// Unpacks the gzip file open at `input` (read from its start) into `output`, streaming
    /// through zlib in 256 KiB chunks. A corrupt or cut stream is an error.
    static func decompressFile(_ input: Int32, into output: Int32, shown: String) throws {
        var written: off_t = 0
        let inflater = try InflateStream(what: shown) { bytes in
            var done = 0
            while done < bytes.count {
                let n = pwrite(output, bytes.baseAddress! + done, bytes.count - done, written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw S3Error.local("cannot write the unpacked \(shown): \(String(cString: strerror(errno)))")
                }
                done += n
                written += off_t(n)
            }
        }
        let size = InflateStream.chunk
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var position: off_t = 0
        while true {
            let n = pread(input, buffer, size, position)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw S3Error.local("cannot read \(shown) back: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            try inflater.push(UnsafeRawBufferPointer(start: buffer, count: n))
            position += off_t(n)
        }
        try inflater.finish()
    }

    static func decompress(_ data: Data, limit: Int) -> Data? {
        var stream = z_stream()
        guard pail_inflate_init_auto(&stream) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out = Data()
        let outBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { outBuffer.deallocate() }
        var input = [UInt8](data)
        return input.withUnsafeMutableBufferPointer { buffer -> Data? in
            stream.next_in = buffer.baseAddress
            stream.avail_in = uInt(buffer.count)
            while out.count < limit {
                stream.next_out = outBuffer
                stream.avail_out = uInt(chunk)
                let status = inflate(&stream, Z_NO_FLUSH)
                let produced = chunk - Int(stream.avail_out)
                out.append(outBuffer, count: min(produced, limit - out.count))
                switch status {
                case Z_OK: continue
                case Z_STREAM_END: return out
                case Z_BUF_ERROR: return out  // the input ends before the stream does
                default: return out.isEmpty ? nil : out
                }
            }
            return out
        }
    }

    /// A new file only pail can have made: O_EXCL, so a link planted at the name is not
    /// followed; a random name, so it cannot be guessed; 0600.
    private static func createTemporaryFile() throws -> (String, Int32) {
        for _ in 0..<8 {
            let name = NSTemporaryDirectory() + "pail-gzip-\(UInt64.random(in: 0...UInt64.max)).gz"
            let fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { return (name, fd) }
            if errno != EEXIST { throw S3Error.local("cannot create \(name): \(String(cString: strerror(errno)))") }
        }
        throw S3Error.local("cannot create a temporary file in \(NSTemporaryDirectory())")
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int, to path: String) throws {
        var done = 0
        while done < count {
            let n = write(fd, bytes + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw S3Error.local("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
