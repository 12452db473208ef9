import Browser
import Foundation
import Operations
import S3

/// Runs the browser's effects against S3 on background threads and posts their answers to
/// the UI's event queue. Nothing here draws or blocks the UI thread.
public final class BrowserSession: @unchecked Sendable {
    /// The client and the runner of its operations: replaced together by a profile switch
    /// (BrowserSession+Profiles.swift); work already started keeps the pair it started with.
    var connection: (client: S3Client, operations: OperationRunner)
    let connectionLock = NSLock()
    var client: S3Client { connectionLock.withLock { connection.client } }
    var operations: OperationRunner { connectionLock.withLock { connection.operations } }
    /// What `P` lists and connects with; nil: the browser cannot switch (a test, say).
    public var profiles: ProfileSwitcher?
    let queue: BrowserEventSink
    let listings = WorkerPool(threads: 6)
    let heads = WorkerPool(threads: 4)
    /// Invalidations waiting for CloudFront: minutes of sleeps between polls each, on threads
    /// of their own, so deletes, edits and audits never queue behind them.
    let invalidations = WorkerPool(threads: 8)
    let lock = NSLock()
    var listingFlags: [Int: CancellationFlag] = [:]
    var measureFlags: [NodeID: CancellationFlag] = [:]
    let config: PailConfig
    let environment: [String: String]
    /// The header columns', bucket page's and public line's work (BrowserSession+Cache.swift).
    let cache = CacheEffects()
    let io: SessionIO
    let images: ImageLoader

    public init(client: S3Client, queue: BrowserEventSink, config: PailConfig, environment: [String: String],
                io: SessionIO = .standard) {
        self.queue = queue
        self.io = io
        self.config = config
        self.environment = environment
        connection = (client, OperationRunner(client: client, queue: queue, config: config, environment: environment))
        images = ImageLoader(client: client, queue: queue)
    }

    public func perform(_ effect: BrowserEffect) {
        switch effect {
        case .listBuckets:
            let client = self.client
            listings.submit { [self] in
                do {
                    let buckets = try client.listBuckets().map {
                        TreeChild.bucket(name: $0.name, created: $0.creationDate?.timeIntervalSince1970 ?? .nan)
                    }
                    // The bucket list answers without a token: an old profile's must not land.
                    guard client === self.client else { return }
                    queue.post(.bucketsListed(.success(buckets)))
                } catch {
                    guard client === self.client else { return }
                    queue.post(.bucketsListed(.failure(BrowserError(describe(error)))))
                }
            }
        case .list(let node, let token):
            let flag = CancellationFlag()
            lock.withLock { listingFlags[token] = flag }
            listings.submit { [self] in list(node, token: token, cancel: flag) }
        case .cancelListing(let token):
            lock.withLock { listingFlags.removeValue(forKey: token) }?.cancel()
        case .head(let id, let bucket, let key):
            heads.submit { [self] in
                do {
                    let rows = try detailRowsWithAccess(bucket: bucket, key: key)
                    queue.post(.headed(id: id, bucket: bucket, key: key, .success(rows)))
                } catch {
                    queue.post(.headed(id: id, bucket: bucket, key: key, .failure(BrowserError(describe(error)))))
                }
            }
        case .measure(let id, let node):
            let flag = CancellationFlag()
            lock.withLock { measureFlags[node] = flag }
            listings.submit { [self] in measure(node, id: id, cancel: flag) }
        case .cancelMeasure(let node):
            lock.withLock { measureFlags.removeValue(forKey: node) }?.cancel()
        case .buildURLs(let id, let bucket, let key):
            // Presigning may fetch credentials first (STS, IMDS, a credential_process), which
            // can take seconds or hang: on a worker, never on the UI thread.
            heads.submit { [self] in
                queue.post(.urlsBuilt(id: id, bucket: bucket, key: key, urlChoices(bucket: bucket, key: key)))
            }
        case .presign(let id, let bucket, let key, let lifetime):
            heads.submit { [self] in
                let urls = ObjectURLs(client: client, settings: config.settings(for: bucket))
                do {
                    let seconds = try Durations.parse(lifetime)
                    let url = try urls.presignedURL(bucket: bucket, key: key, seconds: seconds)
                    let note = urls.presignWarning(seconds: seconds)
                    queue.post(.presignedReady(id: id, .success(URLChoice(label: "presigned", url: url, note: note))))
                } catch {
                    queue.post(.presignedReady(id: id, .failure(BrowserError(describe(error)))))
                }
            }
        case .checkPublicURL(let id, let bucket, let key):
            heads.submit { [self] in queue.post(.publicChecked(id: id, checkPublicURL(bucket: bucket, key: key))) }
        case .copy(let text):
            copy(text)
        case .headColumns, .cancelHeadColumns, .readBucket, .probePublic:
            performCache(effect)
        case .completePrefix(let id, let bucket, let prefix):
            completePrefix(id: id, bucket: bucket, prefix: prefix)
        case .describeUploadRules(let bucket):
            queue.post(.uploadRulesDescribed(bucket: bucket, uploadRuleLines(bucket: bucket)))
        case .timer, .quit, .suspend:
            break  // the run loop handles these itself
        case .cleanupScan, .cancelCleanupScan, .listUploads, .abortUploads:
            _ = performCleanup(effect)
        case .listProfiles, .switchProfile, .saveBookmark:
            performProfileEffect(effect)
        case .showImage(let id, let bucket, let key, let columns, let rows):
            images.show(id, bucket: bucket, key: key, columns: columns, rows: rows)
        case .cancelImage(let id):
            images.cancel(id)
        case .countUploads(let id, let bucket):
            countUploads(id: id, bucket)
        case .invalidate:
            performInvalidation(effect)
        default:
            operations.perform(effect)
        }
    }

    /// Waits for cancelled transfers to stop, at most `timeout` seconds; true if they all did.
    public func waitForTransfersToStop(timeout: Double) -> Bool { operations.waitForTransfersToStop(timeout: timeout) }

    public func cancelAll() {
        operations.cancelAll()
        CleanupFlags.shared.cancelAll(for: self)
        images.cancelAll()
        lock.withLock {
            listingFlags.values.forEach { $0.cancel() }
            measureFlags.values.forEach { $0.cancel() }
        }
        listings.cancelPending()
        heads.cancelPending()
        invalidations.cancelPending()
    }

    // MARK: URLs

    func urlChoices(bucket: String, key: String) -> [URLChoice] {
        let settings = config.settings(for: bucket)
        let urls = ObjectURLs(client: client, settings: settings)
        // The s3:// and ARN forms hold the key as it is. A key with control or invisible
        // characters goes percent-encoded instead (as in the HTTPS URL), so what is pasted
        // can neither run a command in a shell nor hide a character; the menu says so.
        let unsafe = TerminalSafe.hasUnsafe(key)
        let note: String? = unsafe ? "key has control or invisible characters: copied percent-encoded" : nil
        let s3URI = unsafe ? "s3://\(bucket)" + URIEncoding.encodePath("/" + key) : urls.s3URI(bucket: bucket, key: key)
        var choices = [
            URLChoice(label: "s3 URI", url: s3URI, note: note),
            URLChoice(label: "HTTPS", url: urls.endpointURL(bucket: bucket, key: key)),
        ]
        choices += cdnChoices(urls, bucket: bucket, key: key)
        var lifetimes = [3600, 86400, 604_800]
        if let preferred = settings.presignSeconds, !lifetimes.contains(preferred) {
            lifetimes.insert(preferred, at: 0)
        }
        for seconds in lifetimes {
            do {
                let url = try urls.presignedURL(bucket: bucket, key: key, seconds: seconds)
                choices.append(URLChoice(label: "presigned \(Durations.format(seconds))", url: url,
                                         note: urls.presignWarning(seconds: seconds)))
            } catch {
                choices.append(URLChoice(label: "presigned \(Durations.format(seconds))", url: nil,
                                         note: describe(error)))
            }
        }
        choices.append(URLChoice(label: "presigned …", url: nil, note: "type a lifetime",
                                 asksLifetime: client.config.credentials != nil))
        if let arn = try? urls.arn(bucket: bucket, key: unsafe ? URIEncoding.encodePath(key) : key) {
            choices.append(URLChoice(label: "ARN", url: arn, note: note))
        }
        choices.append(URLChoice(label: "check public URL", url: nil,
                                 note: "what the CDN or public URL serves, beside the stored headers",
                                 checksPublicURL: true))
        // The configured preferred form first.
        if let form = settings.urlForm {
            let label = ["s3": "s3 URI", "https": "HTTPS", "cdn": "CDN", "presigned": "presigned",
                         "arn": "ARN"][form.rawValue] ?? ""
            if let i = choices.firstIndex(where: { $0.label.hasPrefix(label) }) {
                choices.insert(choices.remove(at: i), at: 0)
            }
        }
        return choices
    }

    /// Writes OSC 52 to the terminal (this runs on the UI thread, between curses frames) and
    /// feeds a local clipboard tool in the background. Whatever asked, the clipboard gets no
    /// control or invisible character (`Clipboard.safeText`); the status line shows what it got.
    private func copy(_ original: String) {
        let text = Clipboard.safeText(original)
        let sequence = Clipboard.osc52(text, environment: environment)
        io.writeToTerminal(sequence)
        heads.submit { [self] in reportCopy(text) }
    }

    /// HEAD on the public URL (CDN if configured, else the endpoint URL, unsigned) beside
    /// HeadObject, header by header.
    func checkPublicURL(bucket: String, key: String) -> Result<PublicCheck, BrowserError> {
        let urls = ObjectURLs(client: client, settings: config.settings(for: bucket))
        let publicURL = urls.publicURL(bucket: bucket, key: key)
        let url = publicURL.url
        do {
            let served = try headPublic(publicURL)
            let stored = try? client.headObject(bucket: bucket, key: key)
            let compared: [(String, String?)] = [
                ("Cache-Control", stored?.cacheControl), ("Content-Type", stored?.contentType),
                ("Content-Encoding", stored?.contentEncoding), ("ETag", stored.map { "\"\($0.etag)\"" }),
                ("Content-Length", stored.map { String($0.size) }),
            ]
            var lines = compared.map { name, storedValue -> PublicCheck.Line in
                let servedValue = served.header(name)
                let differs = (servedValue ?? "") != (storedValue ?? "")
                return PublicCheck.Line(name: name, served: servedValue ?? "(none)", stored: storedValue ?? "(none)",
                                        differs: differs)
            }
            for name in ["Age", "X-Cache", "CF-Cache-Status", "X-Cache-Status", "Via", "Server"] {
                if let v = served.header(name) {
                    lines.append(PublicCheck.Line(name: name, served: v, stored: "", differs: false))
                }
            }
            return .success(PublicCheck(url: url, status: served.status, lines: lines))
        } catch {
            return .failure(BrowserError(describe(error)))
        }
    }

    private func measure(_ node: NodeID, id: RequestID, cancel: CancellationFlag) {
        var state = MeasureState(objects: 0, bytes: 0, finished: false, error: nil)
        // The storage-class breakdown du --by-storage-class gives, and the child prefixes'
        // sizes (a row per child prefix: as many as the level's own listing holds), from the
        // same pages.
        var usage = PrefixUsage(prefix: node.prefix, byStorageClass: true, byChild: true)
        do {
            try RecursiveLister(client: client).list(bucket: node.bucket, prefix: node.prefix,
                                                     cancel: cancel) { objects in
                if cancel.isCancelled { throw S3Error.cancelled }
                state.objects += Int64(objects.count)
                state.bytes += objects.reduce(0) { $0 + $1.size }
                usage.add(objects)
                state.classes = usage.classRows
                self.queue.post(.measured(id: id, node: node, state))
            }
            state.finished = true
            state.children = usage.rows.filter { !$0.direct }
        } catch S3Error.cancelled {
            return
        } catch {
            state.finished = true
            state.error = describe(error)
        }
        queue.post(.measured(id: id, node: node, state))
    }

    static func detailRows(_ head: ObjectHead, now: Date = Date()) -> [DetailRow] {
        var rows: [DetailRow] = []
        func add(_ name: String, _ value: String?) { if let value { rows.append(DetailRow(name, value)) } }
        // Headers the editor can change carry their stored value beside the display text.
        func header(_ name: String, _ value: String?, sayAbsent: Bool = false) {
            if let value { rows.append(DetailRow(name, value, stored: StoredHeader(name: name, value: value))) }
            else if sayAbsent { rows.append(.absent(name)) }
        }
        header("Content-Type", head.contentType)
        header("Cache-Control", head.cacheControl, sayAbsent: true)
        if let cc = head.cacheControl, let last = rows.indices.last { rows[last].value = annotatedCacheControl(cc) }
        header("Content-Encoding", head.contentEncoding)
        header("Content-Disposition", head.contentDisposition)
        header("Content-Language", head.contentLanguage)
        header("Expires", head.expires)
        if let expires = head.expires, let last = rows.indices.last {
            let reading = expiresReading(expires, cacheControl: head.cacheControl, now: now)
            rows[last].value = expires + " (" + reading + ")"
            rows[last].isWarning = !reading.hasPrefix("in ") || reading.hasPrefix("in the past")
        }
        add("Size", "\(Formatting.size(head.size)) (\(Formatting.count(head.size)) B)")
        add("Last-Modified", head.lastModified.map(Timestamps.formatISO8601))
        add("ETag", head.etag)
        add("Storage class", head.storageClass ?? "STANDARD")
        add("Encryption", head.serverSideEncryption)
        add("KMS key", head.sseKMSKeyId)
        add("Version", head.versionId)
        add("Redirect", head.websiteRedirectLocation)
        for (name, value) in head.metadata {
            let stored = StoredHeader(name: StoredHeader.metadataPrefix + name, value: value)
            rows.append(DetailRow("meta " + name, value, stored: stored))
        }
        return rows
    }
}

func describe(_ error: Error) -> String {
    if let e = error as? S3Error { return e.description }
    return String(describing: error)
}
