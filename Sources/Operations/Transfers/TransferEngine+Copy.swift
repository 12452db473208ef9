import Foundation
import S3

// Copies done by the server, from one key to another.
extension TransferEngine {
    /// Up to 5 GiB, one CopyObject that keeps every header and the tags (COPY); above, a
    /// multipart copy sending the headers read from the source. If-Match pins the version that
    /// was listed (rule 13). ACLs are not copied: the copy gets the destination's defaults.
    func runCopy(_ id: Int, _ t: CopyTarget, from sourceBucket: String, to bucket: String) {
        let cancel = flag(id)
        if cancel.isCancelled { return finish(id, .cancelled) }
        update(id) { $0.state = .running }
        do {
            if t.size > options.multipartCopyThreshold {
                let head = try client.headObject(bucket: sourceBucket, key: t.sourceKey)
                // A multipart copy carries tags only as a header of CreateMultipartUpload, which
                // some servers (Ceph RGW) drop: checked, and put back (see TagKeeper). A plain
                // copy keeps them on every server tested (tagging directive COPY).
                let snapshot = HeaderSnapshot(head: head)
                try TagKeeper(client: client).copy(from: (sourceBucket, t.sourceKey), to: (bucket, t.destinationKey),
                                                   tagCount: snapshot.tagCount, kind: .multipart) {
                    try client.multipartCopy(bucket: bucket, key: t.destinationKey, sourceBucket: sourceBucket,
                                             sourceKey: t.sourceKey, size: head.size, etag: head.etag,
                                             headers: snapshot.copyHeaders,
                                             partSize: TransferOptions.partSize(for: head.size,
                                                                                preferred: options.copyPartSize))
                }
                let copied = try client.headObject(bucket: bucket, key: t.destinationKey)
                guard copied.size == head.size else {
                    throw S3Error.local("the copy has \(copied.size) bytes, the source \(head.size)")
                }
            } else {
                let etag = try client.copyObject(bucket: bucket, key: t.destinationKey, sourceBucket: sourceBucket,
                                                 sourceKey: t.sourceKey, headers: nil,
                                                 ifMatch: t.etag.isEmpty ? nil : t.etag)
                // Same bytes, same MD5: a plain-MD5 ETag that differs means the copy is not the source.
                if ETag.isPlainMD5(t.etag) && ETag.isPlainMD5(etag) && etag.lowercased() != t.etag.lowercased() {
                    throw S3Error.local("the copy has ETag \(etag), the source \(t.etag)")
                }
            }
            // A copy the server finished is done, even if cancel came meanwhile: it exists.
            update(id) { $0.transferred = t.size; $0.state = .done }
        } catch {
            finish(id, .failed(Self.reason(error)))
        }
    }
}
