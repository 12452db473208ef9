import Browser
import Foundation
import Operations
import S3

/// The cleanup pages' work: a find, the duplicates and the stale static files below a prefix
/// (each one recursive listing through the fanned-out lister, nothing more), and the
/// incomplete multipart uploads of a bucket, listed and aborted.
extension BrowserSession {
    /// Runs a cleanup effect; false if `effect` is not one.
    func performCleanup(_ effect: BrowserEffect) -> Bool {
        switch effect {
        case .cleanupScan(let id, let bucket, let prefix, let scan):
            let flag = CancellationFlag()
            CleanupFlags.shared.set(flag, for: self, id)
            listings.submit { [self] in
                defer { CleanupFlags.shared.remove(for: self, id) }
                let error = cleanupScan(id, bucket, S3URI.boundedPrefix(prefix), scan, flag)
                queue.post(.cleanupFinished(id: id, error: error.map(BrowserError.init)))
            }
        case .cancelCleanupScan(let id):
            CleanupFlags.shared.flag(for: self, id)?.cancel()
        case .listUploads(let id, let bucket, let prefix):
            listings.submit { [self] in
                queue.post(.uploadsListed(id: id, bucket: bucket, listUploads(bucket, prefix)))
            }
        case .abortUploads(let id, let bucket, let uploads):
            listings.submit { [self] in abortUploads(id, bucket, uploads) }
        default:
            return false
        }
        return true
    }

    static func row(_ o: ObjectSummary, group: Int? = nil) -> CleanupRow {
        CleanupRow(key: o.key, size: o.size, modified: o.lastModified?.timeIntervalSince1970 ?? .nan, etag: o.etag,
                   storageClass: o.storageClass, group: group)
    }

    /// The scan; the error line if it failed (a cancel is no error).
    private func cleanupScan(_ id: RequestID, _ bucket: String, _ prefix: String, _ scan: CleanupScan,
                             _ flag: CancellationFlag) -> String? {
        var scanned = 0
        do {
            let lister = RecursiveLister(client: client)
            switch scan {
            case .find(let line):
                let criteria = try ObjectCriteria.parse(line: line)
                try lister.list(bucket: bucket, prefix: prefix, cancel: flag) { objects in
                    if flag.isCancelled { throw S3Error.cancelled }
                    scanned += objects.count
                    let rows = objects.filter { $0.key.hasBytePrefix(prefix) && criteria.matches($0) }
                        .map { Self.row($0) }
                    self.queue.post(.cleanupFound(id: id, scanned: scanned, rows: rows))
                }
            case .duplicates:
                var finder = DuplicateFinder()
                try lister.list(bucket: bucket, prefix: prefix, cancel: flag) { objects in
                    if flag.isCancelled { throw S3Error.cancelled }
                    finder.add(objects.filter { $0.key.hasBytePrefix(prefix) })
                    scanned += objects.count
                    self.queue.post(.cleanupFound(id: id, scanned: scanned, rows: []))
                }
                var rows: [CleanupRow] = []
                for (g, group) in finder.groups.enumerated() {
                    rows += group.objects.map { Self.row($0, group: g) }
                    if rows.count >= CleanupList.limit { break }
                }
                queue.post(.cleanupFound(id: id, scanned: scanned, rows: rows))
            case .staleStatic:
                let stale = try StaleStatic.load(client: client, bucket: bucket, prefix: prefix, olderThan: nil)
                try lister.list(bucket: bucket, prefix: prefix, cancel: flag) { objects in
                    if flag.isCancelled { throw S3Error.cancelled }
                    scanned += objects.count
                    self.queue.post(.cleanupFound(id: id, scanned: scanned,
                                                  rows: objects.filter(stale.isStale).map { Self.row($0) }))
                }
            }
            return nil
        } catch S3Error.cancelled {
            return nil
        } catch S3Error.configuration(let message) {
            return message
        } catch {
            return describe(error)
        }
    }

    private func listUploads(_ bucket: String, _ prefix: String) -> Result<[UploadRow], BrowserError> {
        do {
            let uploads = try client.listMultipartUploads(bucket: bucket, prefix: prefix)
            return .success(uploads.map { u in
                // A part list that cannot be read still leaves the upload listed (and abortable).
                let parts = (try? client.listParts(bucket: bucket, key: u.key, uploadId: u.uploadId)) ?? []
                return UploadRow(key: u.key, uploadId: u.uploadId,
                                 initiated: u.initiated?.timeIntervalSince1970 ?? .nan, parts: parts.count,
                                 size: parts.reduce(Int64(0)) { $0 + $1.size })
            })
        } catch {
            return .failure(BrowserError(describe(error)))
        }
    }

    private func abortUploads(_ id: RequestID, _ bucket: String, _ uploads: [UploadRow]) {
        var lines: [ReportLine] = []
        var failed = 0
        for u in uploads {
            do {
                try client.abortMultipartUpload(bucket: bucket, key: u.key, uploadId: u.uploadId)
            } catch {
                failed += 1
                lines.append(ReportLine("\(TerminalSafe.escape(u.key)): \(describe(error))", kind: .error))
            }
        }
        let title = "aborted \(uploads.count - failed) of \(uploads.count) uploads"
            + (failed > 0 ? ", \(failed) failed" : "")
        queue.post(.operationFinished(id: id, OperationReport(title: title, lines: lines, failed: failed),
                                      refresh: []))
    }
}

/// The cancel flags of running scans, by session and request (an extension holds no state).
final class CleanupFlags: @unchecked Sendable {
    static let shared = CleanupFlags()
    private let lock = NSLock()
    private var flags: [ObjectIdentifier: [RequestID: CancellationFlag]] = [:]

    func set(_ flag: CancellationFlag, for session: BrowserSession, _ id: RequestID) {
        lock.withLock { flags[ObjectIdentifier(session), default: [:]][id] = flag }
    }

    func flag(for session: BrowserSession, _ id: RequestID) -> CancellationFlag? {
        lock.withLock { flags[ObjectIdentifier(session)]?[id] }
    }

    func cancelAll(for session: BrowserSession) {
        lock.withLock { flags[ObjectIdentifier(session)]?.values.forEach { $0.cancel() } }
    }

    func remove(for session: BrowserSession, _ id: RequestID) {
        lock.withLock {
            flags[ObjectIdentifier(session)]?[id] = nil
            if flags[ObjectIdentifier(session)]?.isEmpty == true { flags[ObjectIdentifier(session)] = nil }
        }
    }
}
