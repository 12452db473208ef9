import Foundation
import S3

// Downloads: a temporary file in the destination folder, checked, then renamed into place.
extension TransferEngine {
    /// The destination folder `path`, opened once per run and shared by its downloads.
    private func destination(_ path: String) throws -> SafeDestination {
        try lock.withLock {
            if let d = destinations[ObjectKey(path)] { return d }
            let d = try SafeDestination(path: path)
            destinations[ObjectKey(path)] = d
            return d
        }
    }

    func runDownload(_ id: Int, _ t: DownloadTarget, bucket: String, batch: Int, overwrite: Bool,
                             gunzip: Bool) {
        let cancel = flag(id)
        if cancel.isCancelled { return finish(id, .cancelled) }
        update(id) { $0.state = .running }
        var parts = t.name.byteSegments()
        let name = parts.removeLast()
        let shownFolder = ([t.folder] + parts).joined(separator: "/")
        let folder: Int32
        do {
            folder = try destination(t.folder).openFolder(parts)
        } catch {
            return finish(id, .failed(Self.reason(error)))
        }
        defer { close(folder) }
        let existing = SafeDestination.entry(name, in: folder)
        if let why = SafeDestination.refusal(existing, shown: t.local) { return finish(id, .failed(why)) }
        if case .file(let dev, let ino) = existing {
            if let other = lock.withLock({ written[batch]?[FileID(device: dev, inode: ino)] }) {
                return finish(id, .failed(Self.collision(t.key, other)))
            }
            if !overwrite { return finish(id, .skipped("exists; pass --overwrite to replace it")) }
        }
        let temp: SafeDestination.Temporary
        do {
            // Before anything is created: a size no S3 object has, or more than the disk holds,
            // is refused here, and no temporary file is left.
            try SafeDestination.checkRoom(for: t.size, in: folder, shownFolder: shownFolder)
            temp = try SafeDestination.createTemporary(in: folder, shownFolder: shownFolder)
        } catch {
            return finish(id, .failed(Self.reason(error)))
        }
        let fd = temp.fd
        var keep = false
        defer {
            if !keep { unlinkat(folder, temp.name, 0) }
            close(fd)  // after the unlink: the lock tells a sweeping pail the file is in use
        }
        do {
            let head: ObjectHead
            var streamedMD5: String?
            if t.size > options.multipartThreshold {
                head = try rangedDownload(id, t, bucket: bucket, fd: fd, shownFolder: shownFolder, cancel: cancel)
            } else {
                // No more than the listed size is written, whatever the server sends.
                let sink = FileSink(fd: fd, md5: ETag.isPlainMD5(t.etag), limit: t.size, ranged: false,
                                    buffers: sinkBuffers)
                head = try client.getObject(bucket: bucket, key: t.key, ifMatch: t.etag.isEmpty ? nil : t.etag,
                                            sink: sink,
                                            progress: { [weak self] done, _ in
                                                self?.update(id) { $0.transferred = done }
                                            },
                                            cancel: cancel)
                guard sink.written == head.size else {
                    throw S3Error.local("incomplete: \(sink.written) of \(head.size) bytes")
                }
                streamedMD5 = sink.md5Hex()
            }
            var st = stat()
            fstat(fd, &st)
            guard Int64(st.st_size) == t.size else {
                throw S3Error.local("size \(st.st_size) does not match the object's \(t.size)")
            }
            if ETag.isPlainMD5(head.etag) && head.serverSideEncryption != "aws:kms" {
                let md5 = try streamedMD5 ?? Self.md5(of: fd)
                guard md5 == head.etag.lowercased() else {
                    throw S3Error.local("MD5 \(md5) does not match the ETag \(head.etag)")
                }
            }
            let encoded = head.contentEncoding.map { ContentEncodingCheck.isGzip($0) } ?? false
            var final = temp
            var decoded: SafeDestination.Temporary?
            defer {
                if let decoded, !keep {
                    unlinkat(folder, decoded.name, 0)
                    close(decoded.fd)
                } else if let decoded {
                    close(decoded.fd)
                }
            }
            if encoded && gunzip {
                // Checked as stored (size, MD5), then unpacked beside it; a corrupt stream is an
                // error and neither file reaches the final name.
                let out = try SafeDestination.createTemporary(in: folder, shownFolder: shownFolder)
                decoded = out
                try Gzip.decompressFile(fd, into: out.fd, shown: "s3://\(bucket)/\(t.key)")
                final = out
            }
            // Interrupted after the last byte: still nothing at the final path.
            if cancel.isCancelled { throw S3Error.cancelled }
            if let skip = try commit(final, as: name, in: folder, t, batch: batch, overwrite: overwrite) {
                return finish(id, .skipped(skip))
            }
            if decoded != nil { unlinkat(folder, temp.name, 0) }
            update(id) { $0.gzipEncoded = encoded }
            keep = true
            update(id) { $0.transferred = t.size }
            finish(id, .done)
        } catch {
            finish(id, .failed(Self.reason(error)))
        }
    }

    /// Moves a finished download to its name, under `commitLock` so two downloads of this
    /// engine never land on one file: a name this run already wrote is a collision (two keys
    /// the file system cannot tell apart, e.g. differing only in case on a case-insensitive
    /// one), refused by name. Returns why the file was skipped, or nil when it is in place.
    private func commit(_ temp: SafeDestination.Temporary, as name: String, in folder: Int32, _ t: DownloadTarget,
                        batch: Int, overwrite: Bool) throws -> String? {
        try commitLock.withLock {
            let existing = SafeDestination.entry(name, in: folder)
            if let why = SafeDestination.refusal(existing, shown: t.local) { throw S3Error.local(why) }
            if case .file(let dev, let ino) = existing,
               let other = lock.withLock({ written[batch]?[FileID(device: dev, inode: ino)] }) {
                throw S3Error.local(Self.collision(t.key, other))
            }
            if overwrite, case .file = existing, changedDuringBatch(name, in: folder, batch: batch) {
                throw S3Error.local("\(t.local) was written during this run, by another key that maps to the same "
                                    + "local file (names this file system does not tell apart) or by another program; "
                                    + "it is not replaced")
            }
            if overwrite {
                // renameat replaces a file, or a link planted meanwhile, never what a link points to.
                guard renameat(folder, temp.name, folder, name) == 0 else {
                    throw S3Error.local("cannot rename into \(t.local): \(String(cString: strerror(errno)))")
                }
            } else {
                // A hard link never replaces: a file that appeared meanwhile is kept.
                if linkat(folder, temp.name, folder, name, 0) == 0 {
                    unlinkat(folder, temp.name, 0)
                } else if errno == EEXIST {
                    return "exists; pass --overwrite to replace it"
                } else if case .absent = SafeDestination.entry(name, in: folder),
                          renameat(folder, temp.name, folder, name) == 0 {
                    // A file system without hard links (FAT, some network ones).
                } else {
                    throw S3Error.local("cannot rename into \(t.local): \(String(cString: strerror(errno)))")
                }
            }
            var st = stat()
            if fstat(temp.fd, &st) == 0 {
                let file = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
                lock.withLock {
                    if options.keepsFinished || (written[batch]?.count ?? 0) < Self.writtenRecordLimit {
                        written[batch, default: [:]][file] = t.key
                    }
                }
            }
            return nil
        }
    }

    /// Past the record of a streaming batch: whether the file at `name` changed (its ctime)
    /// since the batch began, so it may be one this run wrote for another key.
    private func changedDuringBatch(_ name: String, in folder: Int32, batch: Int) -> Bool {
        let (full, start) = lock.withLock {
            ((written[batch]?.count ?? 0) >= Self.writtenRecordLimit && !options.keepsFinished, batchStart[batch])
        }
        guard full, let start else { return false }
        var st = stat()
        guard fstatat(folder, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        let changed = st.st_ctim
        return changed.tv_sec > start.tv_sec || (changed.tv_sec == start.tv_sec && changed.tv_nsec >= start.tv_nsec)
    }

    static func collision(_ key: String, _ other: String) -> String {
        "\(key) and \(other) map to the same local file (one name, or names this file system does not "
            + "tell apart); the file holds \(other)"
    }

    /// Parallel ranges pinned with If-Match, each written at its offset (S3 rule 13). At most
    /// `streamsPerFile` ranges are queued at once, each stream taking the next range when
    /// one ends, so nothing allocated grows with the object's size.
    private func rangedDownload(_ id: Int, _ t: DownloadTarget, bucket: String, fd: Int32, shownFolder: String,
                                cancel: CancellationFlag) throws -> ObjectHead {
        // Reserve the whole file first: ranges written at scattered offsets by several
        // threads otherwise make the file system allocate piecemeal (seen: 4x the system time).
        // The size was bounded and the free space checked before; a disk that filled since
        // is still a clear error, not a write failing part way.
        let reserved = posix_fallocate(fd, 0, off_t(t.size))
        if reserved == ENOSPC || reserved == EFBIG {
            throw S3Error.local("not enough room in \(shownFolder) for \(ByteCount.format(t.size)): "
                                + String(cString: strerror(reserved)))
        }
        let partSize = max(options.downloadPartSize
                           ?? TransferOptions.rangeSize(for: t.size, streams: TransferOptions.streamsPerFile), 1 << 20)
        let count = (t.size + partSize - 1) / partSize
        let lock = NSLock()
        var next: Int64 = 0
        var finished: Int64 = 0
        var inFlight: [Int64: Int64] = [:]
        var firstError: Error?
        var head: ObjectHead?
        let group = DispatchGroup()
        for _ in 0..<min(count, Int64(TransferOptions.streamsPerFile)) {
            group.enter()
            partPool.submit { [self] in
                defer { group.leave() }
                while true {
                    let n: Int64? = lock.withLock {
                        guard !cancel.isCancelled, firstError == nil, next < count else { return nil }
                        next += 1
                        return next - 1
                    }
                    guard let n else { return }
                    let start = n * partSize
                    let end = min(t.size, start + partSize) - 1
                    let sink = FileSink(fd: fd, offset: start, limit: end - start + 1, buffers: sinkBuffers)
                    do {
                        let h = try client.getObject(bucket: bucket, key: t.key, range: start...end, ifMatch: t.etag,
                                                     sink: sink,
                                                     progress: { [weak self] done, _ in
                                                         let total: Int64 = lock.withLock {
                                                             inFlight[n] = done
                                                             return finished + inFlight.values.reduce(0, +)
                                                         }
                                                         self?.update(id) { $0.transferred = total }
                                                     }, cancel: cancel)
                        guard sink.written == end - start + 1 else {
                            throw S3Error.local("range \(start)-\(end) came back short")
                        }
                        lock.withLock {
                            inFlight[n] = nil
                            finished += end - start + 1
                            if head == nil { head = h }
                        }
                    } catch {
                        lock.withLock { if firstError == nil { firstError = error } }
                    }
                }
            }
        }
        group.wait()
        if cancel.isCancelled { throw S3Error.cancelled }
        if let firstError { throw firstError }
        guard var h = head else { throw S3Error.local("no range arrived") }
        h.size = t.size
        return h
    }

    /// The MD5 of an open file, read from its start.
    private static func md5(of fd: Int32) throws -> String {
        let size = 256 << 10
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        let digest = StreamingDigest(.md5)
        var position: off_t = 0
        while true {
            let n = pread(fd, buffer, size, position)
            if n < 0 {
                if errno == EINTR { continue }
                throw S3Error.local("cannot read the download back: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            digest.update(buffer, count: n)
            position += off_t(n)
        }
        return digest.finalize().hex
    }
}
