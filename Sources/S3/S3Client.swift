import Foundation

/// The shared S3 client: addressing, signing, retries and typed errors over a pool of
/// reused HTTP transports. Safe to call from many threads at once.
public final class S3Client: @unchecked Sendable {
    public let config: ClientConfiguration
    private let makeTransport: () -> HTTPTransport
    private let lock = NSLock()
    private var idle: [HTTPTransport] = []
    private var clockOffset: TimeInterval = 0
    /// Regions learnt from redirects, per bucket (AWS only).
    private var bucketRegions: [String: String] = [:]
    private let now: () -> Date
    private let sleep: (TimeInterval) -> Void
    public var log: ((String) -> Void)?
    /// Told, one line each, what pail ignored in a server's answer (keys outside a listing's
    /// prefix, keys that do not decode): the executable writes it to stderr.
    public var warn: ((String) -> Void)?
    /// Fetches temporary credentials (a role's, a credential_process's) again. Called when
    /// the current ones are within five minutes of expiring, so a browser session that
    /// outlives them keeps working.
    public var refreshCredentials: (() throws -> Credentials?)?
    private var currentCredentials: Credentials?
    private var refreshing = false

    public init(config: ClientConfiguration, makeTransport: (() -> HTTPTransport)? = nil,
                now: @escaping () -> Date = Date.init,
                sleep: @escaping (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.config = config
        currentCredentials = config.credentials
        var options = CurlTransport.Options()
        options.caBundle = config.caBundle
        options.connectTimeout = config.connectTimeout
        options.connectTo = config.connectTo
        self.makeTransport = makeTransport ?? { CurlTransport(options: options) }
        self.now = now
        self.sleep = sleep
    }

    /// The credentials requests are signed with now (they change when refreshed).
    public var credentials: Credentials? { lock.withLock { currentCredentials } }

    /// The credentials to sign with, refreshed first when they are about to expire. One
    /// thread refreshes; the others sign with the current ones, still valid for minutes.
    func signingCredentials() -> Credentials? {
        let (current, mustRefresh): (Credentials?, Bool) = lock.withLock {
            guard let c = currentCredentials, let expiration = c.expiration, refreshCredentials != nil,
                  !refreshing, expiration.timeIntervalSince(now()) < 300 else { return (currentCredentials, false) }
            refreshing = true
            return (c, true)
        }
        guard mustRefresh, let refresh = refreshCredentials else { return current }
        var fresh: Credentials?
        do {
            fresh = try refresh()
            log?("credentials refreshed from \(fresh?.source ?? "nowhere")")
        } catch {
            log?("credentials could not be refreshed: \(error)")
        }
        return lock.withLock {
            refreshing = false
            if let fresh { currentCredentials = fresh }
            return currentCredentials
        }
    }

    // MARK: Calls

    public func listBuckets() throws -> [Bucket] {
        let response = try perform(S3Request(method: "GET"))
        return try ListBucketsParser.parse(response.body)
    }

    /// One ListObjectsV2 page, checked like every page of `listAllPages` (a warning for
    /// what was dropped goes to `warn`).
    public func listObjectsV2(bucket: String, prefix: String = "", delimiter: String? = nil,
                              continuationToken: String? = nil, startAfter: String? = nil, maxKeys: Int? = nil,
                              cancel: CancellationFlag? = nil) throws -> ListPage {
        var check = ListingCheck(bucket: bucket, prefix: prefix, delimiter: delimiter, startAfter: startAfter,
                                 host: host(for: bucket))
        defer { if let w = check.warning { warn?(w) } }
        var page = try fetchListPage(bucket: bucket, prefix: prefix, delimiter: delimiter,
                                     continuationToken: continuationToken, startAfter: startAfter, maxKeys: maxKeys,
                                     cancel: cancel)
        try check.admit(&page)
        return page
    }

    private func fetchListPage(bucket: String, prefix: String, delimiter: String?, continuationToken: String?,
                               startAfter: String?, maxKeys: Int?, cancel: CancellationFlag?) throws -> ListPage {
        var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url")]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let startAfter { query.append(("start-after", startAfter)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        var request = S3Request(method: "GET", bucket: bucket, query: query)
        request.cancel = cancel
        let response = try perform(request)
        return try ListObjectsV2Parser.parse(response.body)
    }

    /// Every page under a prefix, in order, each handed over as soon as it arrives (S3 rule
    /// 20). `onPage` returns false to stop early. Every page is checked first: entries
    /// outside the prefix (or, with a delimiter, not one level below it) and keys that do
    /// not decode are dropped, with one warning for the listing; a repeated token, an empty
    /// truncated page or a page that does not move on is an error.
    public func listAllPages(bucket: String, prefix: String = "", delimiter: String? = nil, startAfter: String? = nil,
                             cancel: CancellationFlag? = nil, onPage: (ListPage) throws -> Bool) throws {
        var check = ListingCheck(bucket: bucket, prefix: prefix, delimiter: delimiter, startAfter: startAfter,
                                 host: host(for: bucket))
        defer { if let w = check.warning { warn?(w) } }
        var token: String?
        repeat {
            if cancel?.isCancelled == true { throw S3Error.cancelled }
            var page = try fetchListPage(bucket: bucket, prefix: prefix, delimiter: delimiter, continuationToken: token,
                                         startAfter: token == nil ? startAfter : nil, maxKeys: nil, cancel: cancel)
            try check.admit(&page)
            if try !onPage(page) { return }
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
    }

    /// `host[:port]` requests about `bucket` go to, for messages about what its server did.
    func host(for bucket: String?) -> String { address(S3Request(method: "GET", bucket: bucket)).hostHeader }

    public func headObject(bucket: String, key: String, versionId: String? = nil) throws -> ObjectHead {
        var query: [(String, String)] = []
        if let versionId { query.append(("versionId", versionId)) }
        let request = S3Request(method: "HEAD", bucket: bucket, key: key, query: query)
        return try ObjectHead.checked(try perform(request), requireLength: true, host: host(for: bucket),
                                      what: request.resource)
    }

    /// Streams an object (or a byte range of it) into `sink`. `ifMatch` pins the version
    /// being read (S3 rule 13).
    public func getObject(bucket: String, key: String, range: ClosedRange<Int64>? = nil, ifMatch: String? = nil,
                          sink: ResponseSink, progress: TransferProgress? = nil,
                          cancel: CancellationFlag? = nil) throws -> ObjectHead {
        var request = S3Request(method: "GET", bucket: bucket, key: key)
        request.range = range
        if let ifMatch { request.headers.append(("If-Match", "\"\(ifMatch)\"")) }
        request.sink = sink
        request.progress = progress
        request.cancel = cancel
        return try ObjectHead.checked(try perform(request), requireLength: false, host: host(for: bucket),
                                      what: request.resource)
    }

    public struct PutResult: Sendable {
        public var etag: String
        public var versionId: String?
    }

    /// Uploads `body` with the given headers (Content-Type, Cache-Control, x-amz-meta-*, ...).
    /// With `contentMD5` the body's MD5 travels along and the server checks it.
    public func putObject(bucket: String, key: String, body: RequestBody, headers: [(String, String)] = [],
                          contentMD5: Bool = true, progress: TransferProgress? = nil,
                          cancel: CancellationFlag? = nil) throws -> PutResult {
        var request = S3Request(method: "PUT", bucket: bucket, key: key, headers: headers, body: body)
        if contentMD5 { request.headers.append(("Content-MD5", try Self.md5(of: body).base64)) }
        request.progress = progress
        request.cancel = cancel
        let response = try perform(request)
        return PutResult(etag: ObjectHead.unquote(response.header("ETag") ?? ""),
                         versionId: response.header("x-amz-version-id"))
    }

    static func md5(of body: RequestBody) throws -> [UInt8] {
        switch body {
        case .empty: return Digest.md5(Data())
        case .data(let d): return Digest.md5(d)
        case .file(let path, let offset, let length):
            return try StreamingDigest.ofFile(path, kind: .md5, offset: offset, length: length)
        }
    }

    // MARK: Presigning

    /// A presigned URL for `method` on an object (S3 rule 18: at most 7 days).
    public func presignedURL(bucket: String, key: String, method: String = "GET", expires: Int,
                             date: Date? = nil) throws -> String {
        // A presigned PUT is a write handed to someone else: read-only refuses it too.
        try requireWritable(method, bucket: bucket, key: key)
        guard let credentials = signingCredentials() else {
            throw S3Error.configuration("presigning needs credentials; it cannot be done with --no-sign-request")
        }
        guard expires >= 1 && expires <= 604_800 else {
            throw S3Error.configuration("a presigned URL lives between 1 second and 7 days (604800 s)")
        }
        var http = address(S3Request(method: method, bucket: bucket, key: key))
        let signer = SigV4Signer(credentials: credentials, region: region(for: bucket))
        let signing = SigningRequest(method: method, path: http.path, query: http.query,
                                     headers: [("host", http.hostHeader)], payloadHash: "UNSIGNED-PAYLOAD")
        http.query = signer.presign(signing, date: date ?? signingDate(), expires: expires).query
        return http.url
    }

    // MARK: The request pipeline

    /// Throws `S3Error.readOnly` when a `method` request to `bucket` must not be sent: the
    /// check commands that write make before they plan anything.
    public func requireWritable(_ method: String, bucket: String?, key: String? = nil) throws {
        guard ReadOnlyPolicy.writes(method), let reason = config.readOnly.reason(for: bucket) else { return }
        let target = bucket.map { "s3://\($0)/\(key ?? "")" } ?? "at \(config.endpoint.display)"
        throw S3Error.readOnly(method: method, target: target, reason: reason)
    }

    /// Sends a request with retries; returns the 2xx response or throws a typed S3Error.
    public func perform(_ request: S3Request) throws -> HTTPResponse {
        // The one place every request passes: under --read-only nothing but GET and HEAD
        // leaves pail, whichever command or key asked.
        try requireWritable(request.method, bucket: request.bucket, key: request.key)
        var attempt = 0
        var timeouts = 0
        var followedRedirect = false
        while true {
            attempt += 1
            var current = request
            var progress = request.progress
            if let range = request.range {
                // Go on from the first byte not yet received (a retry after a cut, S3 rule 13's
                // If-Match keeps it the same object); progress counts from the range's start.
                let resumeAt = resumeOffset(request, range: range)
                current.headers.append(("Range", "bytes=\(range.lowerBound + resumeAt)-\(range.upperBound)"))
                if resumeAt > 0, let outer = request.progress {
                    progress = { done, total in outer(done + resumeAt, total + resumeAt) }
                }
            }
            var http = sign(address(current), payload: request.body, bucket: request.bucket)
            applyDeadlines(&http, request)
            let started = Date()
            do {
                let response = try withTransport {
                    try $0.send(http, sink: request.sink, progress: progress, cancel: request.cancel)
                }
                let elapsed = Int(Date().timeIntervalSince(started) * 1000)
                log?("\(http.method) \(http.url.prefix(300)) -> \(response.status) in \(elapsed) ms")
                if (200..<300).contains(response.status) {
                    // S3 rule 5: a 200 to some calls can still carry an <Error> body, after
                    // whitespace of any length (S3 keeps a long copy alive with it).
                    if request.sink == nil, XMLDocumentReader.isErrorDocument(response.body),
                       var error = ErrorResponseParser.parse(response.body, status: response.status) {
                        error.resource = request.resource
                        error.accessKeyId = credentials?.accessKeyId
                        if error.isRetryable && attempt < config.maxAttempts { backoff(attempt); continue }
                        throw S3Error.service(error)
                    }
                    return response
                }
                var error = serviceError(response, request: request)
                // Follow a region redirect on AWS once, re-signing for the region it names.
                // The region is the server's word and becomes part of a host name: only a
                // plain region name is followed.
                let redirectCodes = ["PermanentRedirect", "AuthorizationHeaderMalformed",
                                     "IllegalLocationConstraintException", "BadRequest"]
                if config.endpoint.isDefaultAWS, !followedRedirect, let bucket = request.bucket,
                   let region = error.region, RedirectAdvice.isRegionName(region), region != self.region(for: bucket),
                   redirectCodes.contains(error.code) || response.status == 301 {
                    lock.withLock { bucketRegions[bucket] = region }
                    followedRedirect = true
                    attempt -= 1
                    try request.sink?.reset()
                    continue
                }
                if error.code == "RequestTimeTooSkewed",
                   let serverDate = response.header("Date").flatMap(Timestamps.parseHTTPDate) {
                    lock.withLock { clockOffset = serverDate.timeIntervalSince(now()) }
                }
                if error.isRetryable && attempt < config.maxAttempts {
                    try prepareRetry(request)
                    backoff(attempt)
                    continue
                }
                error.resource = request.resource
                throw S3Error.service(error)
            } catch let t as TransportError {
                log?("\(http.method) \(http.url.prefix(300)) -> \(t)")
                if t == .cancelled || request.cancel?.isCancelled == true { throw S3Error.cancelled }
                if case .timedOut = t { timeouts += 1 }
                // A second timeout ends the request: retries must not turn a dead or
                // dripping server into minutes of waiting.
                if t.isRetryable && attempt < config.maxAttempts && timeouts < 2 {
                    try prepareRetry(request)
                    backoff(attempt)
                    continue
                }
                throw S3Error.transport(t, endpoint: "\(http.scheme)://\(http.hostHeader)")
            }
        }
    }

    /// Requests without a large body or a sink (listings, HEADs, configuration, deletes) get
    /// the configured deadline per attempt; transfers have none (a 5 GiB part takes what it
    /// takes) and rely on the low-speed limit; server-side copies wait for the server.
    private func applyDeadlines(_ http: inout HTTPRequest, _ request: S3Request) {
        if request.longRunning {
            http.lowSpeedLimit = 1
            http.lowSpeedTime = max(60, config.requestTimeout)
            return
        }
        var streams = request.sink != nil
        if case .file = request.body { streams = true }
        if !streams { http.timeout = config.requestTimeout }
    }

    /// Bytes of `range` a resumable sink already holds; 0 to start (again) from the beginning.
    private func resumeOffset(_ request: S3Request, range: ClosedRange<Int64>) -> Int64 {
        guard let received = (request.sink as? ResumableSink)?.received else { return 0 }
        return received < Int64(range.count) ? received : 0
    }

    /// Before a retry: a sink that cannot resume (or has nothing to resume from) forgets
    /// what it got.
    private func prepareRetry(_ request: S3Request) throws {
        if let range = request.range, resumeOffset(request, range: range) > 0 { return }
        try request.sink?.reset()
    }

    func region(for bucket: String?) -> String {
        guard let bucket else { return config.region }
        return lock.withLock { bucketRegions[bucket] } ?? config.region
    }

    func signingDate() -> Date { now().addingTimeInterval(lock.withLock { clockOffset }) }

    func address(_ request: S3Request) -> HTTPRequest {
        let region = region(for: request.bucket)
        let loc = config.endpoint.location(bucket: request.bucket, key: request.key, style: config.addressing,
                                           region: config.endpoint.isDefaultAWS ? region : nil)
        return HTTPRequest(method: request.method, scheme: config.endpoint.scheme, host: loc.host,
                           port: config.endpoint.port, path: loc.path, query: request.query,
                           headers: request.headers, body: request.body)
    }

    func sign(_ http: HTTPRequest, payload: RequestBody, bucket: String?) -> HTTPRequest {
        var http = http
        let payloadHash: String
        switch payload {
        case .empty: payloadHash = Digest.emptySHA256Hex
        case .data(let d): payloadHash = Digest.sha256(d).hex
        case .file: payloadHash = "UNSIGNED-PAYLOAD"  // streamed: S3 rule 14
        }
        var headers = http.headers
        headers.append(("Host", http.hostHeader))
        if let credentials = signingCredentials() {
            let signer = SigV4Signer(credentials: credentials, region: region(for: bucket))
            let signing = SigningRequest(method: http.method, path: http.path, query: http.query,
                                         headers: headers, payloadHash: payloadHash)
            headers = signer.signHeaders(signing, date: signingDate()).headers
        }
        http.headers = headers
        return http
    }

    func serviceError(_ response: HTTPResponse, request: S3Request) -> ServiceError {
        var error = ErrorResponseParser.parse(response.body, status: response.status)
            ?? ServiceError(status: response.status, code: Self.codeForStatus(response.status, request: request),
                            message: response.body.isEmpty ? "" : "HTTP \(response.status)")
        if error.region == nil { error.region = response.header("x-amz-bucket-region") }
        error.redirectAdvice = RedirectAdvice.advice(for: error, configured: config.endpoint, bucket: request.bucket)
        error.accessKeyId = credentials?.accessKeyId
        error.resource = request.resource
        if request.query.contains(where: { $0.0 == "list-type" }) {
            error.listingPrefix = request.query.first { $0.0 == "prefix" }?.1 ?? ""
        }
        return error
    }

    /// HEAD answers carry no body: name the error from the status.
    static func codeForStatus(_ status: Int, request: S3Request) -> String {
        switch status {
        case 301: return "PermanentRedirect"
        case 400: return "BadRequest"
        case 403: return "AccessDenied"
        case 404: return request.key == nil ? "NoSuchBucket" : "NoSuchKey"
        case 412: return "PreconditionFailed"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        default: return "HTTP\(status)"
        }
    }

    private func backoff(_ attempt: Int) {
        sleep(Self.retryPause(attempt: attempt, first: 0.1))
    }

    /// "Equal" jitter: a random pause between half and all of `first`, twice that, four
    /// times, ... capped at 5 s, so retries of many workers spread out but never come at
    /// once. S3 and CloudFront calls both wait so.
    static func retryPause(attempt: Int, first: TimeInterval) -> TimeInterval {
        let cap = min(5.0, first * pow(2.0, Double(attempt - 1)))
        return Double.random(in: cap / 2...cap)
    }

    private func withTransport<T>(_ body: (HTTPTransport) throws -> T) throws -> T {
        let transport: HTTPTransport = lock.withLock { idle.popLast() } ?? makeTransport()
        defer { lock.withLock { idle.append(transport) } }
        return try body(transport)
    }
}
