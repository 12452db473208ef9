import Browser
import Foundation
import Operations
import S3

/// The browser's deletes, header edits, audits and transfers, run in the background.
/// Plans are kept here by id between the preview and the person's confirmation.
final class OperationRunner: @unchecked Sendable {
    private let client: S3Client
    private let queue: BrowserEventSink
    private let config: PailConfig
    private let environment: [String: String]
    private let lock = NSLock()
    private var nextID = 1
    private var deletePlans: [Int: DeletePlan] = [:]
    /// A previewed edit, or (with no plan) the failed keys of an applied one, to retry.
    private var editPlans: [Int: (planner: HeaderEditPlanner, plan: HeaderEditPlan?)] = [:]
    private var pendingDownloads: [Int: (bucket: String, targets: [TransferEngine.DownloadTarget],
                                         download: DownloadBatch)] = [:]
    private var pendingUploads: [Int: (sources: [TransferEngine.UploadSource], existing: Set<ObjectKey>,
                                       node: NodeID)] = [:]
    private var auditFlag: CancellationFlag?
    /// The transfer engine, made on first use under `lock`: it is first touched from worker
    /// threads (planning an upload, a download, a copy) and the UI thread (cancelling), and a
    /// `lazy var` could make two, one holding a batch that could be neither seen nor cancelled.
    private var engineStorage: TransferEngine?
    private var engine: TransferEngine {
        lock.withLock {
            if let engineStorage { return engineStorage }
            var options = TransferOptions()
            options.uploadRules = config.uploadRules
            let made = TransferEngine(client: client, options: options)
            engineStorage = made
            return made
        }
    }
    private var uploadBatches: [(ids: Set<Int>, node: NodeID)] = []
    /// Downloads running, each said when it ends (where to, and how gzip-encoded objects were written).
    private var downloadBatches: [(ids: Set<Int>, batch: DownloadBatch)] = []
    private var sampling = false
    private var lastSample: [Int: (bytes: Int64, time: Double)] = [:]
    let background = WorkerPool(threads: 4)

    init(client: S3Client, queue: BrowserEventSink, config: PailConfig, environment: [String: String]) {
        self.client = client
        self.queue = queue
        self.config = config
        self.environment = environment
    }

    private func newID() -> Int { lock.withLock { nextID += 1; return nextID } }

    func perform(_ effect: BrowserEffect) {
        switch effect {
        case .planDelete(let request, let bucket, let keys, let prefixes):
            background.submit { [self] in planDelete(request, bucket, keys, prefixes) }
        case .executeDelete(let request, let id):
            guard let plan = lock.withLock({ deletePlans.removeValue(forKey: id) }) else { return }
            background.submit { [self] in executeDelete(request, plan) }
        case .discardPlan(let id):
            lock.withLock {
                deletePlans[id] = nil
                editPlans[id] = nil
            }
        case .planEdit(let request, let bucket, let keys, let prefixes, let changes):
            background.submit { [self] in planEdit(request, bucket, keys, prefixes, changes) }
        case .executeEdit(let request, let id):
            guard let plan = lock.withLock({ editPlans.removeValue(forKey: id) }),
                  let previewed = plan.plan else { return }
            background.submit { [self] in executeEdit(request, plan.planner, previewed) }
        case .retryEdit(let request, let id):
            guard let plan = lock.withLock({ editPlans.removeValue(forKey: id) }) else { return }
            background.submit { [self] in
                // The failed keys are read again (a new preview, not shown) and edited from there.
                var unreadable: Error?
                do {
                    let again = try plan.planner.preview(failed: { _, error in
                        if unreadable == nil { unreadable = error }
                    })
                    if let unreadable { throw unreadable }
                    executeEdit(request, plan.planner, again)
                } catch {
                    queue.post(.operationFinished(id: request,
                        OperationReport(title: "retry failed: \(describe(error))", lines: [],
                                        failed: plan.planner.keys.count), refresh: []))
                }
            }
        case .audit(let request, let bucket, let prefix):
            let flag = CancellationFlag()
            lock.withLock { auditFlag?.cancel(); auditFlag = flag }
            background.submit { [self] in audit(request, bucket, prefix, flag) }
        case .cancelAudit:
            lock.withLock { auditFlag }?.cancel()
        case .completePath(let request, let text):
            // Reading a folder can block (a network mount, a slow disk): never on the UI thread.
            background.submit { [self] in
                let home = environment["HOME"] ?? NSHomeDirectory()
                queue.post(.pathCompletions(id: request, input: text, candidates: Self.completions(text, home: home)))
            }
        case .upload(let request, let paths, let bucket, let prefix):
            background.submit { [self] in upload(request, paths.map { expand($0) }, bucket, prefix) }
        case .download(let request, let bucket, let keys, let prefixes, let destination, let gunzip):
            background.submit { [self] in
                download(request, bucket, keys, prefixes, DownloadBatch(folder: expand(destination), gunzip: gunzip))
            }
        case .preview(let request, let bucket, let key):
            background.submit { [self] in
                do {
                    queue.post(.previewed(id: request, bucket: bucket, key: key,
                                          .success(try ObjectPreview.fetch(client: client, bucket: bucket, key: key))))
                } catch {
                    queue.post(.previewed(id: request, bucket: bucket, key: key,
                                          .failure(BrowserError(describe(error)))))
                }
            }
        case .copyObjects(let request, let bucket, let keys, let prefixes, let toBucket, let toPrefix):
            background.submit { [self] in copyObjects(request, bucket, keys, prefixes, toBucket, toPrefix) }
        case .resolveConflicts(let request, let id, let overwrite):
            if let upload = lock.withLock({ pendingUploads.removeValue(forKey: id) }) {
                guard let request else { return }
                guard let overwrite else { return queue.post(.transfersQueued(id: request)) }
                let sources = overwrite ? upload.sources
                                        : upload.sources.filter { !upload.existing.contains(ObjectKey($0.key)) }
                let ids = engine.upload(sources, bucket: upload.node.bucket)
                lock.withLock { uploadBatches.append((Set(ids), upload.node)) }
                return queued(request)
            }
            let batch = lock.withLock({ pendingDownloads.removeValue(forKey: id) })
            guard let request else { return }
            guard let batch, let overwrite else { return queue.post(.transfersQueued(id: request)) }
            startDownload(batch.targets, bucket: batch.bucket, overwrite: overwrite, batch.download)
            queued(request)
        case .cancelTransfer(let id):
            engine.cancel(id: id)
        case .listVersions(let request, let bucket, let key):
            background.submit { [self] in
                do {
                    let rows = try Versions(client: client).list(bucket: bucket, key: key).map {
                        VersionRow(versionId: $0.versionId, isLatest: $0.isLatest, isDeleteMarker: $0.isDeleteMarker,
                                   size: $0.size, modified: $0.lastModified?.timeIntervalSince1970 ?? .nan)
                    }
                    queue.post(.versionsListed(id: request, bucket: bucket, key: key, .success(rows)))
                } catch {
                    queue.post(.versionsListed(id: request, bucket: bucket, key: key,
                                               .failure(BrowserError(describe(error)))))
                }
            }
        case .deleteVersion(let request, let bucket, let key, let versionId),
             .restoreVersion(let request, let bucket, let key, let versionId):
            let isDelete: Bool = { if case .deleteVersion = effect { return true }; return false }()
            background.submit { [self] in
                let versions = Versions(client: client)
                do {
                    if isDelete { try versions.delete(bucket: bucket, key: key, versionId: versionId) }
                    else { try versions.restore(bucket: bucket, key: key, versionId: versionId) }
                    let title = isDelete ? "deleted version \(versionId) for good"
                        : "restored version \(versionId) as the current one"
                    queue.post(.operationFinished(id: request, OperationReport(title: title, lines: [], failed: 0),
                                                  refresh: Self.parents(bucket: bucket, keys: [key], prefixes: [])))
                } catch {
                    queue.post(.operationFinished(id: request, OperationReport(title: describe(error), lines: [],
                                                                               failed: 1),
                                                  refresh: []))
                }
            }
        default:
            break
        }
    }

    func cancelAll() {
        lock.withLock { auditFlag }?.cancel()
        lock.withLock { engineStorage }?.cancelAll()
    }

    /// After `cancelAll`: waits until no transfer is running any more (cancelled uploads have
    /// sent their AbortMultipartUpload, downloads removed their temporary files), at most
    /// `timeout` seconds. Queued transfers never start once cancelled. True if all stopped.
    @discardableResult
    func waitForTransfersToStop(timeout: Double) -> Bool {
        guard let engine = lock.withLock({ engineStorage }) else { return true }
        let deadline = Date().addingTimeInterval(timeout)
        while engine.snapshot.contains(where: { $0.state == .running }) {
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    private func expand(_ path: String) -> String {
        path.hasPrefix("~/") ? (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst(1) : path
    }

    // MARK: Delete

    private func planDelete(_ request: RequestID, _ bucket: String, _ keys: [String], _ prefixes: [String]) {
        do {
            let plan = try Deleter(client: client).plan(bucket: bucket, keys: keys, prefixes: prefixes)
            let id = newID()
            lock.withLock { deletePlans[id] = plan }
            var lines = plan.summary(firstKeys: 8).map { ReportLine($0) }
            // The summary says when versioning keeps the data (its last line); say as plainly
            // when nothing will.
            if plan.addsDeleteMarkers, !lines.isEmpty { lines[lines.count - 1].kind = .note }
            if !plan.addsDeleteMarkers {
                lines.append(ReportLine("versioning is not on for this bucket: deleted objects are gone for good",
                                        kind: .warning))
            }
            let word = plan.needsTypedConfirmation ? plan.confirmationWord : nil
            queue.post(.deletePlanned(id: request, .success(DeletePreview(planID: id, bucket: bucket,
                                                                          count: plan.items.count, lines: lines,
                                                                          confirmWord: word))))
        } catch {
            queue.post(.deletePlanned(id: request, .failure(BrowserError(describe(error)))))
        }
    }

    private func executeDelete(_ request: RequestID, _ plan: DeletePlan) {
        let deleter = Deleter(client: client)
        let manifest: String
        do {
            manifest = try deleter.writeManifest(plan, environment: environment)
        } catch {
            queue.post(.operationFinished(id: request, OperationReport(title: "nothing deleted: \(describe(error))",
                lines: [], failed: plan.items.count), refresh: []))
            return
        }
        let throttle = ProgressThrottle(interval: 0.1)
        let outcome = deleter.execute(plan) { [queue] done, failed in
            if throttle.shouldPost() {
                let failures = failed > 0 ? ", \(failed) failed" : ""
                queue.post(.operationProgress("deleting: \(done) of \(plan.items.count)\(failures)"))
            }
        }
        var lines = [ReportLine("manifest: \(manifest)")]
        lines += outcome.failures.prefix(20).map {
            ReportLine("\(TerminalSafe.escape($0.key)): \($0.code) \($0.message)", kind: .error)
        }
        if plan.addsDeleteMarkers {
            lines.append(ReportLine("note: versioning is on: delete markers were added; older versions keep the data",
                                    kind: .note))
        }
        let title = "deleted \(outcome.deleted) of \(plan.items.count) objects (\(ByteCount.format(plan.totalBytes)))" +
            (outcome.failures.isEmpty ? "" : ", \(outcome.failures.count) failed")
        queue.post(.operationFinished(id: request, OperationReport(title: title, lines: lines,
                                                                   failed: outcome.failures.count),
                                      refresh: Self.parents(bucket: plan.bucket, keys: plan.items.map(\.key),
                                                            prefixes: plan.prefixes)))
    }

    /// The listed levels that showed the changed objects, to list again.
    static func parents(bucket: String, keys: [String], prefixes: [String]) -> [NodeID] {
        var out = Set<NodeID>()
        for k in keys {
            let parent = k.lastIndex(of: "/").map { String(k[...$0]) } ?? ""
            out.insert(NodeID(bucket: bucket, prefix: parent))
        }
        for p in prefixes {
            let trimmed = p.hasByteSuffix("/") ? String(p.dropLast()) : p
            let parent = trimmed.lastIndex(of: "/").map { String(trimmed[...$0]) } ?? ""
            out.insert(NodeID(bucket: bucket, prefix: parent))
            out.insert(NodeID(bucket: bucket, prefix: p))
        }
        return out.sorted { $0.prefix.bytesPrecede($1.prefix) }
    }

    // MARK: Edit

    /// "1 object", "3 changes".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private func planEdit(_ request: RequestID, _ bucket: String, _ keys: [String], _ prefixes: [String],
                          _ changes: HeaderChanges) {
        do {
            let planner = HeaderEditPlanner.marks(editor: HeaderEditor(client: client), bucket: bucket, keys: keys,
                                                  prefixes: prefixes, changes: changes)
            // An object that cannot be read stops the preview: the person sees why, not a
            // count of what was left out.
            var unreadable: Error?
            var done = 0
            let plan = try planner.preview(each: { [queue] _ in
                done += 1
                if done % 100 == 0 { queue.post(.operationProgress("reading headers: \(done)")) }
            }, failed: { _, error in
                if unreadable == nil { unreadable = error }
            })
            if let unreadable { throw unreadable }
            let changing = plan.changing
            let right = plan.objects - changing
            var lines: [ReportLine] = [
                "\(Self.count(plan.objects, "object")): \(changing) will change, \(right) already right (skipped)", "",
            ]
            // Counts go before the values, so a value's end is never what a narrow screen cuts
            // (the box wraps long values): max-age=86400 and max-age=36400 stay told apart.
            for p in plan.tally.previews {
                lines.append("\(p.field):")
                for (value, n) in p.before.sorted(by: { $0.value > $1.value }).prefix(4) {
                    lines.append("   before (\(Self.count(n, "object"))): \(value)")
                }
                lines.append("   after (\(Self.count(p.changing, "change"))): \(p.after)")
            }
            if (try? client.getBucketVersioning(bucket: bucket)) == "Enabled" {
                lines.append(ReportLine("note: versioning is on: every edited object gets a new version", kind: .note))
            }
            let id = newID()
            lock.withLock { editPlans[id] = (planner, plan) }
            queue.post(.editPlanned(id: request, .success(EditPreview(planID: id, total: plan.objects,
                                                                      changing: changing, lines: lines))))
        } catch {
            queue.post(.editPlanned(id: request, .failure(BrowserError(describe(error)))))
        }
    }

    private func executeEdit(_ request: RequestID, _ planner: HeaderEditPlanner, _ plan: HeaderEditPlan) {
        let total = plan.changing
        let throttle = ProgressThrottle(interval: 0.1)
        let summary: EditSummary
        do {
            summary = try planner.applyKeepingKeys(plan) { [queue] done in
                if throttle.shouldPost() {
                    queue.post(.operationProgress("editing: \(done) of \(total)"))
                }
            }
        } catch {
            // The plan on disk could not be read back: nothing more was edited.
            queue.post(.operationFinished(id: request, OperationReport(title: "edit stopped: \(describe(error))",
                lines: [], failed: total), refresh: []))
            return
        }
        var retryID: Int?
        if !summary.failed.isEmpty {
            let id = newID()
            let retry = HeaderEditPlanner(editor: planner.editor, bucket: planner.bucket,
                                          keys: summary.failed.map(\.key), changes: planner.changes)
            lock.withLock { editPlans[id] = (retry, nil) }
            retryID = id
        }
        let lines = summary.failed.prefix(20).map { ReportLine("\(TerminalSafe.escape($0.key)): \($0.reason)",
                                                               kind: .error) }
        let title = "changed \(summary.changed.count), skipped \(summary.skippedCount), failed \(summary.failed.count)"
        var report = OperationReport(title: title, lines: lines, failed: summary.failed.count, retryID: retryID)
        report.invalidation = BrowserSession.invalidationOffer(
            client: client, settings: config.settings(for: planner.bucket), environment: environment,
            bucket: planner.bucket, changed: summary.changed)
        queue.post(.operationFinished(id: request, report, refresh: []))
    }

    // MARK: Audit

    private func audit(_ request: RequestID, _ bucket: String, _ prefix: String, _ flag: CancellationFlag) {
        do {
            try HeaderAuditor(client: client).audit(bucket: bucket, prefix: prefix, recursive: true,
                                                    cancel: flag) { [queue] rows in
                if flag.isCancelled { throw S3Error.cancelled }
                queue.post(.auditRows(id: request, rows.map {
                    AuditEntry(key: $0.key, size: $0.size, modified: $0.lastModified?.timeIntervalSince1970 ?? .nan,
                               contentType: $0.contentType, cacheControl: $0.cacheControl,
                               contentEncoding: $0.contentEncoding, error: $0.error)
                }))
            }
            queue.post(.auditFinished(id: request, error: nil))
        } catch S3Error.cancelled {
            queue.post(.auditFinished(id: request, error: nil))
        } catch {
            queue.post(.auditFinished(id: request, error: BrowserError(describe(error))))
        }
    }

    // MARK: Transfers

    static func completions(_ text: String, home: String) -> [String] {
        let expanded = text.hasPrefix("~/") ? home + text.dropFirst(1) : (text.isEmpty ? "./" : text)
        let dir = expanded.hasByteSuffix("/") ? expanded : (expanded as NSString).deletingLastPathComponent
        let base = expanded.hasByteSuffix("/") ? "" : (expanded as NSString).lastPathComponent
        let shownDir = text.hasByteSuffix("/") || text.isEmpty ? text : String(text.dropLast(base.count))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else {
            return []
        }
        let shown = names.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }
        return shown.sorted().prefix(200).map { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (dir.isEmpty ? "." : dir) + "/" + name, isDirectory: &isDir)
            return shownDir + name.replacingOccurrences(of: " ", with: "\\ ") + (isDir.boolValue ? "/" : "")
        }
    }

    private func upload(_ request: RequestID, _ paths: [String], _ bucket: String, _ prefix: String) {
        do {
            let plan = try TransferEngine.planUpload(paths: paths, bucket: bucket, destination: prefix, recursive: true)
            // Objects the upload would replace: asked first, as a download asks about local files.
            let existing = try BrowserSession.existingKeys(client: client, bucket: bucket, plan.map(\.key))
            if let example = plan.first(where: { existing.contains(ObjectKey($0.key)) }) {
                let id = newID()
                lock.withLock { pendingUploads[id] = (plan, existing, NodeID(bucket: bucket, prefix: prefix)) }
                queue.post(.uploadConflicts(batchID: id, count: existing.count,
                                            example: "s3://\(bucket)/\(example.key)"))
                return queue.post(.transfersQueued(id: request))
            }
            let ids = engine.upload(plan, bucket: bucket)
            lock.withLock { uploadBatches.append((Set(ids), NodeID(bucket: bucket, prefix: prefix))) }
            queued(request)
        } catch {
            queue.post(.notice(describe(error)))
            queue.post(.transfersQueued(id: request))
        }
    }

    private func download(_ request: RequestID, _ bucket: String, _ keys: [String], _ prefixes: [String],
                          _ download: DownloadBatch) {
        let destination = download.folder
        do {
            // Planned as `cp` plans (`TransferPlanner`): the same refusals, in key order.
            let (targets, refused) = try TransferPlanner(client: client, bucket: bucket)
                .allDownloads(TransferPlanner.marked(keys: keys, prefixes: prefixes), into: destination)
            if let first = refused.first {
                queue.post(.notice("\(refused.count) key(s) refused, e.g. \(TerminalSafe.escape(first.key)): "
                                   + first.reason))
            }
            let existing = TransferPlanner.existing(targets)
            if let example = existing.first {
                let id = newID()
                lock.withLock { pendingDownloads[id] = (bucket, targets, download) }
                queue.post(.downloadConflicts(batchID: id, count: existing.count, example: example.local))
                queue.post(.transfersQueued(id: request))
                return
            }
            startDownload(targets, bucket: bucket, overwrite: false, download)
            queued(request)
        } catch {
            queue.post(.notice(describe(error)))
            queue.post(.transfersQueued(id: request))
        }
    }

    private func startDownload(_ targets: [TransferEngine.DownloadTarget], bucket: String, overwrite: Bool,
                               _ download: DownloadBatch) {
        let ids = engine.download(targets, bucket: bucket, overwrite: overwrite, gunzip: download.gunzip)
        lock.withLock { downloadBatches.append((Set(ids), download)) }
    }

    /// Server-side copies into `toPrefix`: objects by name, prefixes with their own name (as
    /// `cp -r s3://b/media/2023 s3://x/` does); the tree refreshes when they land.
    private func copyObjects(_ request: RequestID, _ bucket: String, _ keys: [String], _ prefixes: [String],
                             _ toBucket: String, _ toPrefix: String) {
        do {
            let (targets, refused) = try TransferPlanner(client: client, bucket: bucket)
                .allCopies(TransferPlanner.marked(keys: keys, prefixes: prefixes), to: toBucket, prefix: toPrefix)
            if let first = refused.first {
                queue.post(.notice("\(refused.count) key(s) not copied, e.g. \(TerminalSafe.escape(first.key)): "
                                   + first.reason))
            }
            let ids = engine.copy(targets, from: bucket, to: toBucket)
            lock.withLock { uploadBatches.append((Set(ids), NodeID(bucket: toBucket, prefix: toPrefix))) }
            queued(request)
        } catch {
            queue.post(.notice(describe(error)))
            queue.post(.transfersQueued(id: request))
        }
    }

    /// A batch is in the engine: the rows go to the browser before it stops counting the batch
    /// as pending, so it never looks idle in between.
    private func queued(_ request: RequestID) {
        queue.post(.transfersUpdated(rows(engine.snapshot, now: Date().timeIntervalSince1970)))
        queue.post(.transfersQueued(id: request))
        startSampling()
    }

    private func rows(_ items: [TransferItem], now: Double) -> [TransferRow] {
        items.map { item in
            let prev = lock.withLock { lastSample[item.id] }
            var rate = 0.0
            if let prev, now > prev.time { rate = Double(item.transferred - prev.bytes) / (now - prev.time) }
            if prev == nil || now - prev!.time > 1 { lock.withLock { lastSample[item.id] = (item.transferred, now) } }
            return TransferRow(id: item.id, direction: item.direction,
                               name: item.direction == .download ? item.local : "s3://\(item.bucket)/\(item.key)",
                               size: item.size, transferred: item.transferred, state: item.state, rate: max(0, rate))
        }
    }

    /// Download batches of which nothing is queued or running any more, forgotten here.
    private func finishedDownloads(_ items: [TransferItem]) -> [([TransferItem], DownloadBatch)] {
        lock.withLock {
            var done: [([TransferItem], DownloadBatch)] = []
            downloadBatches.removeAll { entry in
                let mine = items.filter { entry.ids.contains($0.id) }
                let finished = mine.allSatisfy { !($0.state == .queued || $0.state == .running) }
                if finished { done.append((mine, entry.batch)) }
                return finished
            }
            return done
        }
    }

    /// Samples the engine ten times a second while anything moves (workers never post per byte).
    private func startSampling() {
        let start: Bool = lock.withLock {
            if sampling { return false }
            sampling = true
            return true
        }
        guard start else { return }
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                let items = engine.snapshot
                queue.post(.transfersUpdated(rows(items, now: Date().timeIntervalSince1970)))
                // Uploads that finished: list their destination again.
                let finishedBatches: [(node: NodeID, items: [TransferItem])] = lock.withLock {
                    var done: [(NodeID, [TransferItem])] = []
                    uploadBatches.removeAll { batch in
                        let mine = items.filter { batch.ids.contains($0.id) }
                        let finished = mine.allSatisfy { !($0.state == .queued || $0.state == .running) }
                        if finished { done.append((batch.node, mine)) }
                        return finished
                    }
                    return done
                }
                for batch in finishedBatches {
                    queue.post(.uploaded(batch.node))
                    if let summary = BrowserSession.batchSummary(batch.items, into: batch.node) {
                        queue.post(.transfersEnded(summary.text, failed: summary.failed))
                    }
                }
                for (items, download) in finishedDownloads(items) {
                    if let summary = BrowserSession.batchSummary(items, download) {
                        queue.post(.transfersEnded(summary.text, failed: summary.failed))
                    }
                }
                let active = items.contains { $0.state == .queued || $0.state == .running }
                let stop: Bool = lock.withLock {
                    if !active && uploadBatches.isEmpty && downloadBatches.isEmpty { sampling = false; return true }
                    return false
                }
                if stop { return }
            }
        }
    }
}
