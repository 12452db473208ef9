import Foundation
import S3

// Uploads: single PUTs and multipart uploads, checked against the file as it was read.
extension TransferEngine {
    func headers(for src: UploadSource, bucket: String) -> [(String, String)] {
        var h = options.headers.headers(forKey: src.key)
        // Configuration rules fill in what the command line did not set.
        for rule in options.uploadRules where (rule.bucket == nil || rule.bucket == bucket) && rule.matches(src.key) {
            for (name, value) in rule.headers
            where !h.contains(where: { $0.0.lowercased() == name.lowercased() })
                || (name == "Content-Type" && options.headers.contentType == nil) {
                h.removeAll { $0.0.lowercased() == name.lowercased() }
                h.append((name, value))
            }
        }
        return h
    }

    func runUpload(_ id: Int, _ original: UploadSource, bucket: String) {
        let cancel = flag(id)
        if cancel.isCancelled { return finish(id, .cancelled) }
        update(id) { $0.state = .running }
        // What the file was when its reading began: a file that shrinks makes the read stop
        // short (which curl reports as an abort, once taken for a cancel), one that grows
        // would be cut at the planned size. Both are caught by comparing afterwards.
        let before = Self.fileState(original.path)
        if let inode = original.inode, let before, UInt64(bitPattern: before[1]) != inode {
            return finish(id, .failed("\(original.path) was replaced since it was listed (another file is there now); "
                                      + "nothing was sent"))
        }
        var src = original
        var headers = headers(for: src, bucket: bucket)
        var tempFile: String?
        defer { if let t = tempFile { unlink(t) } }
        do {
            if compresses(headers) {
                let gz = try Gzip.compressFile(src.path)
                tempFile = gz
                src.path = gz
                var st = stat()
                guard stat(gz, &st) == 0 else {
                    throw S3Error.local("cannot read \(gz): \(String(cString: strerror(errno)))")
                }
                src.size = Int64(st.st_size)
                headers.removeAll { $0.0 == "Content-Encoding" }
                headers.append(("Content-Encoding", "gzip"))
                update(id) { $0.size = src.size }
            }
            let changed = { Self.change(original, before: before) }
            let progress: TransferProgress = { [weak self] done, _ in self?.update(id) { $0.transferred = done } }
            if options.skipIdentical, let object = options.existing[ObjectKey(src.key)], try isIdentical(src, object) {
                update(id) { $0.size = src.size; $0.transferred = src.size }
                return finish(id, .unchanged)
            }
            if src.size > options.multipartThreshold {
                try multipartUpload(id, src, bucket: bucket, headers: headers, changed: changed, cancel: cancel)
            } else {
                let md5 = try StreamingDigest.ofFile(src.path, kind: .md5, length: UInt64(src.size))
                var h = headers
                h.append(("Content-MD5", md5.base64))
                let result = try client.putObject(bucket: bucket, key: src.key,
                                                  body: .file(path: src.path, offset: 0, length: UInt64(src.size)),
                                                  headers: h, contentMD5: false, progress: progress, cancel: cancel)
                if let change = changed() {
                    throw UploadCheckFailed(reason: "\(original.path) changed while it was being read (\(change))",
                                            removal: removeStored(bucket: bucket, key: src.key))
                }
                // The server checked Content-MD5 against the bytes it stored, so size and content
                // are right; a plain-MD5 ETag that differs still means something is wrong.
                if ETag.isPlainMD5(result.etag) && result.etag.lowercased() != md5.hex
                    && !headers.contains(where: { $0.0 == "x-amz-server-side-encryption" }) {
                    throw UploadCheckFailed(
                        reason: "uploaded s3://\(bucket)/\(src.key) has ETag \(result.etag), expected \(md5.hex)",
                        removal: removeStored(bucket: bucket, key: src.key))
                }
            }
            update(id) { $0.transferred = src.size }
            finish(id, .done)
        } catch let failed as UploadCheckFailed {
            finish(id, .failed("\(failed.reason); \(failed.removal)"))
        } catch {
            if (error as? S3Error)?.serviceCode == "BadDigest" {
                // The bytes sent differ from the bytes hashed just before.
                return finish(id, .failed("\(original.path) changed while it was being uploaded; "
                                          + "nothing was stored, try again"))
            }
            if let change = Self.change(original, before: before) {
                return finish(id, .failed(
                    "\(original.path) changed while it was being read (\(change)); nothing was stored, try again"))
            }
            finish(id, .failed(Self.reason(error)))
        }
    }

    /// A check after the object was stored failed; `removal` says what became of the object.
    private struct UploadCheckFailed: Error {
        var reason: String
        var removal: String
    }

    /// Deletes an object this upload stored but that failed its check, so no wrong bytes stay
    /// under the key; says which happened, for the message.
    private func removeStored(bucket: String, key: String) -> String {
        let uri = "s3://\(bucket)/\(key)"
        do {
            try client.deleteObject(bucket: bucket, key: key)
            return "pail removed the object it had stored at \(uri), try again"
        } catch {
            return "pail could not remove the object it stored (\(Self.reason(error))): delete \(uri) yourself"
        }
    }

    /// Size, inode and modification time of a file, or nil when it cannot be read.
    private static func fileState(_ path: String) -> [Int64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [Int64(st.st_size), Int64(bitPattern: UInt64(st.st_ino)),
                Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec)]
    }

    /// How the file differs from what was planned and from `before`, or nil if it does not.
    private static func change(_ src: UploadSource, before: [Int64]?) -> String? {
        guard let now = fileState(src.path) else { return "it can no longer be read" }
        if now[0] != src.size { return "\(src.size) bytes when planned, \(now[0]) now" }
        if let before, before != now { return "it was modified" }
        return nil
    }

    /// Whether the object already holds `src`'s bytes: same size, and its ETag is the file's
    /// MD5 or the multipart ETag this upload would produce (S3 rule 12). An ETag of another
    /// form (SSE-KMS, another part size) is not proof: the file goes up again.
    /// Whether `--gzip` compresses a file sent with these headers (text types not already encoded).
    private func compresses(_ headers: [(String, String)]) -> Bool {
        let type = headers.first { $0.0 == "Content-Type" }?.1 ?? ""
        return options.gzip && ContentTypes.isCompressible(type) && options.headers.contentEncoding == nil
    }

    /// Whether the upload of `src` goes up gzip'ed, so only its compressed bytes can be compared.
    func willCompress(_ src: UploadSource, bucket: String) -> Bool { compresses(headers(for: src, bucket: bucket)) }

    func isIdentical(_ src: UploadSource, _ object: (size: Int64, etag: String)) throws -> Bool {
        guard object.size == src.size else { return false }
        let etag = object.etag.lowercased()
        if ETag.isPlainMD5(etag) {
            return try StreamingDigest.ofFile(src.path, kind: .md5).hex == etag
        }
        let (partSize, count) = uploadParts(src.size)
        guard src.size > options.multipartThreshold, etag.hasSuffix("-\(count)") else { return false }
        let md5s = try (0..<count).map { n in
            let offset = Int64(n) * partSize
            return try StreamingDigest.ofFile(src.path, kind: .md5, offset: UInt64(offset),
                                              length: UInt64(min(partSize, src.size - offset)))
        }
        return ETag.multipart(partMD5s: md5s) == etag
    }

    /// The part size of a multipart upload of `size` bytes (S3 rule 11) and how many parts.
    private func uploadParts(_ size: Int64) -> (size: Int64, count: Int) {
        let partSize = TransferOptions.partSize(for: size, preferred: options.partSize)
        return (partSize, Int((size + partSize - 1) / partSize))
    }

    /// S3 rules 11 and 12: parts of one size, MD5 on each, abort on any failure; the object is
    /// checked against the multipart ETag computed from the parts' MD5s.
    private func multipartUpload(_ id: Int, _ src: UploadSource, bucket: String, headers: [(String, String)],
                                 changed: () -> String?, cancel: CancellationFlag) throws {
        let (partSize, count) = uploadParts(src.size)
        let uploadId = try client.createMultipartUpload(bucket: bucket, key: src.key, headers: headers)
        let partLock = NSLock()
        var etags = [String?](repeating: nil, count: count)
        var md5s = [[UInt8]](repeating: [], count: count)
        var sent = [Int64](repeating: 0, count: count)
        var firstError: Error?
        let group = DispatchGroup()
        for n in 0..<count {
            group.enter()
            partPool.submit { [self] in
                defer { group.leave() }
                if cancel.isCancelled || partLock.withLock({ firstError != nil }) { return }
                let offset = Int64(n) * partSize
                let length = min(partSize, src.size - offset)
                do {
                    // The part is read twice from the page cache, to hash it and to send it,
                    // rather than held in an 8 MiB buffer: half the memory (40 MiB instead of
                    // 80 for 1 GiB) and less CPU. Were the file to change in between, the
                    // server's Content-MD5 check refuses the part.
                    let md5 = try StreamingDigest.ofFile(src.path, kind: .md5, offset: UInt64(offset),
                                                         length: UInt64(length))
                    let body = RequestBody.file(path: src.path, offset: UInt64(offset), length: UInt64(length))
                    let etag = try client.uploadPart(bucket: bucket, key: src.key, uploadId: uploadId,
                                                     partNumber: n + 1, body: body, contentMD5: md5,
                                                     progress: { [weak self] done, _ in
                                                         let total: Int64 = partLock.withLock {
                                                             sent[n] = done; return sent.reduce(0, +)
                                                         }
                                                         self?.update(id) { $0.transferred = total }
                                                     }, cancel: cancel)
                    partLock.withLock { etags[n] = etag; md5s[n] = md5; sent[n] = length }
                } catch {
                    partLock.withLock { if firstError == nil { firstError = error } }
                }
            }
        }
        group.wait()
        do {
            if cancel.isCancelled { throw S3Error.cancelled }
            if let firstError { throw firstError }
            // Before completing: a file changed meanwhile is aborted, never stored.
            if let change = changed() { throw S3Error.local("\(src.path) changed while it was being read (\(change))") }
            let list = etags.enumerated().map { (number: $0.offset + 1, etag: $0.element ?? "") }
            _ = try client.completeMultipartUpload(bucket: bucket, key: src.key, uploadId: uploadId, parts: list)
        } catch {
            try? client.abortMultipartUpload(bucket: bucket, key: src.key, uploadId: uploadId)
            throw error
        }
        // The object now exists: a mismatch removes it (aborting would do nothing any more).
        let expected = ETag.multipart(partMD5s: md5s)
        if let mismatch = try mismatch(bucket: bucket, key: src.key, size: src.size, expectedETag: expected) {
            throw UploadCheckFailed(reason: mismatch, removal: removeStored(bucket: bucket, key: src.key))
        }
    }

    /// How the stored object differs from what was sent, or nil when it matches. A HEAD that
    /// fails throws: that is no proof of a bad object, which is then left alone.
    private func mismatch(bucket: String, key: String, size: Int64, expectedETag: String) throws -> String? {
        let head = try client.headObject(bucket: bucket, key: key)
        guard head.size == size else {
            return "uploaded s3://\(bucket)/\(key) has \(head.size) bytes, the file \(size)"
        }
        // S3 rule 12: an ETag is an MD5 (or an MD5 of part MD5s) only without SSE-KMS and in
        // the plain "hex" or "hex-N" forms; otherwise the Content-MD5 check the server made stands.
        guard head.serverSideEncryption != "aws:kms" else { return nil }
        let multipart = expectedETag.contains("-")
        let comparable = multipart ? head.etag.contains("-") : ETag.isPlainMD5(head.etag)
        if comparable && head.etag.lowercased() != expectedETag.lowercased() {
            return "uploaded s3://\(bucket)/\(key) has ETag \(head.etag), expected \(expectedETag)"
        }
        return nil
    }
}
