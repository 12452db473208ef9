import Browser
import Foundation
import Operations
import S3
import Terminal

/// Runs the browser's effects against S3 on background threads and posts their answers to
/// the UI's event queue. Nothing here draws or blocks the UI thread.
final class BrowserSession: @unchecked Sendable {
    private let client: S3Client
    private let queue: EventQueue
    private let listings = OperationQueue()
    private let heads = OperationQueue()
    private let lock = NSLock()
    private var listingFlags: [Int: CancellationFlag] = [:]
    private var measureFlags: [NodeID: CancellationFlag] = [:]

    init(client: S3Client, queue: EventQueue) {
        self.client = client
        self.queue = queue
        listings.maxConcurrentOperationCount = 6
        heads.maxConcurrentOperationCount = 4
    }

    func perform(_ effect: BrowserEffect) {
        switch effect {
        case .listBuckets:
            listings.addOperation { [self] in
                do {
                    let buckets = try client.listBuckets().map {
                        TreeChild.bucket(name: $0.name, created: $0.creationDate?.timeIntervalSince1970 ?? .nan)
                    }
                    queue.post(.bucketsListed(.success(buckets)))
                } catch {
                    queue.post(.bucketsListed(.failure(BrowserError(describe(error)))))
                }
            }
        case .list(let node, let token):
            let flag = CancellationFlag()
            lock.withLock { listingFlags[token] = flag }
            listings.addOperation { [self] in list(node, token: token, cancel: flag) }
        case .cancelListing(let token):
            lock.withLock { listingFlags.removeValue(forKey: token) }?.cancel()
        case .head(let bucket, let key):
            heads.addOperation { [self] in
                do {
                    let head = try client.headObject(bucket: bucket, key: key)
                    queue.post(.headed(bucket: bucket, key: key, .success(Self.detailRows(head))))
                } catch {
                    queue.post(.headed(bucket: bucket, key: key, .failure(BrowserError(describe(error)))))
                }
            }
        case .measure(let node):
            let flag = CancellationFlag()
            lock.withLock { measureFlags[node] = flag }
            listings.addOperation { [self] in measure(node, cancel: flag) }
        case .cancelMeasure(let node):
            lock.withLock { measureFlags.removeValue(forKey: node) }?.cancel()
        case .timer, .quit, .suspend:
            break  // the run loop handles these itself
        }
    }

    func cancelAll() {
        lock.withLock {
            listingFlags.values.forEach { $0.cancel() }
            measureFlags.values.forEach { $0.cancel() }
        }
        listings.cancelAllOperations()
        heads.cancelAllOperations()
    }

    private func list(_ node: NodeID, token: Int, cancel: CancellationFlag) {
        defer { lock.withLock { _ = listingFlags.removeValue(forKey: token) } }
        let base = node.prefix.count
        do {
            try client.listAllPages(bucket: node.bucket, prefix: node.prefix, delimiter: "/", cancel: cancel) { page in
                let prefixes = page.commonPrefixes.map { String($0.dropFirst(base)) }.filter { !$0.isEmpty }
                var objects: [ListedObject] = []
                objects.reserveCapacity(page.objects.count)
                for o in page.objects {
                    let name = String(o.key.dropFirst(base))
                    if name.isEmpty { continue }  // the "folder marker" object named like the prefix
                    objects.append(ListedObject(name: name, size: o.size, modified: o.lastModified?.timeIntervalSince1970 ?? .nan,
                                                storageClass: StorageClassCode(o.storageClass)))
                }
                queue.post(.listed(node: node, token: token, prefixes: prefixes, objects: objects))
                return !cancel.isCancelled
            }
            queue.post(.listingFinished(node: node, token: token, error: nil))
        } catch S3Error.cancelled {
            queue.post(.listingFinished(node: node, token: token, error: nil))
        } catch {
            queue.post(.listingFinished(node: node, token: token, error: BrowserError(describe(error))))
        }
    }

    private func measure(_ node: NodeID, cancel: CancellationFlag) {
        var state = MeasureState(objects: 0, bytes: 0, finished: false, error: nil)
        do {
            try RecursiveLister(client: client).list(bucket: node.bucket, prefix: node.prefix, cancel: cancel) { objects in
                if cancel.isCancelled { throw S3Error.cancelled }
                state.objects += Int64(objects.count)
                state.bytes += objects.reduce(0) { $0 + $1.size }
                self.queue.post(.measured(node: node, state))
            }
            state.finished = true
        } catch S3Error.cancelled {
            return
        } catch {
            state.finished = true
            state.error = describe(error)
        }
        queue.post(.measured(node: node, state))
    }

    static func detailRows(_ head: ObjectHead) -> [DetailRow] {
        var rows: [DetailRow] = []
        func add(_ name: String, _ value: String?) { if let value { rows.append(DetailRow(name, value)) } }
        add("Content-Type", head.contentType)
        add("Cache-Control", head.cacheControl ?? "(none)")
        add("Content-Encoding", head.contentEncoding)
        add("Disposition", head.contentDisposition)
        add("Language", head.contentLanguage)
        add("Expires", head.expires)
        add("Size", "\(Formatting.size(head.size)) (\(Formatting.count(head.size)) B)")
        add("Last-Modified", head.lastModified.map(Timestamps.formatISO8601))
        add("ETag", head.etag)
        add("Storage class", head.storageClass ?? "STANDARD")
        add("Encryption", head.serverSideEncryption)
        add("KMS key", head.sseKMSKeyId)
        add("Version", head.versionId)
        add("Redirect", head.websiteRedirectLocation)
        for (name, value) in head.metadata { rows.append(DetailRow("meta " + name, value)) }
        return rows
    }
}

func describe(_ error: Error) -> String {
    if let e = error as? S3Error { return e.description }
    return String(describing: error)
}
