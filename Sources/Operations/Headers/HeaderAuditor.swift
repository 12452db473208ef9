import Foundation
import S3

/// HEADs every object under a prefix in parallel and hands rows over in key order, a chunk
/// at a time, as they complete.
public final class HeaderAuditor: @unchecked Sendable {
    public let client: S3Client
    public let parallelism: Int
    /// Set for the no-cors rule: HEADs a font's public URL with an `Origin` and returns the
    /// origin sent and the `Access-Control-Allow-Origin` served; throws when it cannot ask.
    public var corsProbe: ((_ key: String) throws -> (origin: String, allowOrigin: String?))?

    public init(client: S3Client, parallelism: Int = 32) {
        self.client = client
        self.parallelism = parallelism
    }

    public func audit(bucket: String, prefix: String, recursive: Bool, cancel: CancellationFlag? = nil,
                      emit: @escaping ([AuditRow]) throws -> Void) throws {
        let queue = WorkerPool(threads: parallelism)
        func headAll(_ objects: [ObjectSummary]) throws {
            var rows = [AuditRow?](repeating: nil, count: objects.count)
            let lock = NSLock()
            for (i, o) in objects.enumerated() {
                queue.submit { [client, self] in
                    var row = AuditRow(key: o.key, size: o.size, lastModified: o.lastModified)
                    do {
                        let h = try client.headObject(bucket: bucket, key: o.key)
                        row.contentType = h.contentType
                        row.cacheControl = h.cacheControl
                        row.contentEncoding = h.contentEncoding
                        row.metadata = h.metadata
                        if let probe = self.corsProbe, AuditRule.needsCORS(o.key) { row.cors = try probe(o.key) }
                    } catch {
                        row.error = String(describing: error)
                    }
                    lock.withLock { rows[i] = row }
                }
            }
            queue.waitUntilIdle()
            try emit(rows.compactMap { $0 })
        }
        if recursive {
            let lister = RecursiveLister.feedingObjectRequests(client: client)
            try lister.list(bucket: bucket, prefix: prefix, cancel: cancel) { objects in
                try headAll(objects)
            }
        } else {
            try client.listAllPages(bucket: bucket, prefix: prefix, delimiter: "/", cancel: cancel) { page in
                try headAll(page.objects)
                return true
            }
        }
    }
}
