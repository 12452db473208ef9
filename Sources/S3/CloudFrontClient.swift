import Foundation

/// CloudFront's REST API (version 2020-05-31) over the same transport and signer as S3: the
/// credentials, CA bundle, connect timeout and `--connect-to` of an S3Client, signed for
/// service `cloudfront` in us-east-1 (CloudFront is global and signs there). Every answer is
/// read under a size cap and by a parser that takes only its own root element.
public final class CloudFrontClient: @unchecked Sendable {
    public static let apiVersion = "2020-05-31"
    public static let defaultEndpoint = "https://cloudfront.amazonaws.com"

    public let endpoint: S3Endpoint
    private let s3: S3Client
    private let transport: HTTPTransport
    private let pause: (TimeInterval) -> Void
    private let lock = NSLock()
    public var maxAttempts = 4

    public init(
        s3: S3Client, endpoint: S3Endpoint, transport: HTTPTransport? = nil,
        pause: @escaping (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }
    ) {
        self.s3 = s3
        self.endpoint = endpoint
        var options = CurlTransport.Options()
        options.caBundle = s3.config.caBundle
        options.connectTimeout = s3.config.connectTimeout
        options.connectTo = s3.config.connectTo
        self.transport = transport ?? CurlTransport(options: options)
        self.pause = pause
    }

    /// `AWS_ENDPOINT_URL_CLOUDFRONT`, else `AWS_ENDPOINT_URL`, else AWS's global endpoint. The
    /// S3 `--endpoint-url` is not used: a Spaces or MinIO endpoint has no CloudFront.
    public static func endpoint(environment env: [String: String]) throws -> S3Endpoint {
        let url = [env["AWS_ENDPOINT_URL_CLOUDFRONT"], env["AWS_ENDPOINT_URL"]].compactMap { $0 }.first { !$0.isEmpty }
        return try S3Endpoint(parsing: url ?? defaultEndpoint)
    }

    // MARK: Calls

    /// CreateInvalidation for `paths` (already in CloudFront's form: `/css/app.css`, `/img/*`).
    public func createInvalidation(
        distribution: String, paths: [String], callerReference: String
    ) throws
        -> CloudFrontInvalidation
    {
        try checkId(distribution)
        let body = Data(Self.invalidationBatchXML(paths: paths, callerReference: callerReference).utf8)
        let response = try send(
            "POST", "/distribution/\(distribution)/invalidation", body: body,
            what: "CloudFront distribution \(distribution)", limit: 1 << 20)
        return try CloudFrontParsers.invalidation(response)
    }

    public func getInvalidation(distribution: String, id: String) throws -> CloudFrontInvalidation {
        try checkId(distribution)
        try checkId(id)
        let response = try send(
            "GET", "/distribution/\(distribution)/invalidation/\(id)", body: nil,
            what: "CloudFront invalidation \(id) of distribution \(distribution)", limit: 1 << 20)
        let invalidation = try CloudFrontParsers.invalidation(response)
        guard invalidation.id == id else {
            throw S3Error.invalidResponse("asked CloudFront for invalidation \(id), got \(invalidation.id)")
        }
        return invalidation
    }

    public func getDistribution(id: String) throws -> CloudFrontDistribution {
        try checkId(id)
        let response = try send(
            "GET", "/distribution/\(id)", body: nil, what: "CloudFront distribution \(id)", limit: 4 << 20)
        let d = try CloudFrontParsers.distribution(response)
        guard d.id == id else { throw S3Error.invalidResponse("asked CloudFront for distribution \(id), got \(d.id)") }
        return d
    }

    /// Every distribution of the account, page by page (at most `maxPages` pages of 100).
    public func listDistributions(maxPages: Int = 100) throws -> [CloudFrontDistribution] {
        var all: [CloudFrontDistribution] = []
        var marker: String?
        var seen: Set<String> = []
        for _ in 0..<maxPages {
            var query: [(String, String)] = [("MaxItems", "100")]
            if let marker { query.append(("Marker", marker)) }
            let response = try send(
                "GET", "/distribution", query: query, body: nil, what: "CloudFront distributions",
                limit: 8 << 20)
            let page = try CloudFrontParsers.distributionList(response)
            all += page.distributions
            guard let next = page.nextMarker else { return all }
            // A marker seen before would page forever.
            guard seen.insert(next).inserted else {
                throw S3Error.serverFault(
                    "CloudFront at \(endpoint.display) repeated a ListDistributions marker; pail stopped")
            }
            marker = next
        }
        throw S3Error.serverFault(
            "CloudFront at \(endpoint.display) listed more than \(maxPages * 100) distributions; "
                + "name the distribution with --distribution")
    }

    // MARK: Requests

    static func invalidationBatchXML(paths: [String], callerReference: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/\(apiVersion)/\">"
        xml += "<Paths><Quantity>\(paths.count)</Quantity><Items>"
        for p in paths { xml += "<Path>\(XMLText.escape(p))</Path>" }
        xml += "</Items></Paths><CallerReference>\(XMLText.escape(callerReference))</CallerReference>"
        xml += "</InvalidationBatch>"
        return xml
    }

    private func checkId(_ id: String) throws {
        guard CloudFrontDistribution.isValidId(id) else {
            let shown = String(
                String.UnicodeScalarView(
                    id.unicodeScalars.prefix(64).map { $0.value > 0x20 && $0.value < 0x7F ? $0 : "?" }))
            throw S3Error.configuration(
                "\"\(shown)\" is not a CloudFront id: ids are upper-case letters and digits, like E2QWRUHAPOMQZL")
        }
    }

    /// The signed request: path under the API version, signed for `cloudfront` in us-east-1.
    func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: Data?,
        credentials: Credentials, date: Date
    ) -> HTTPRequest {
        var http = HTTPRequest(
            method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
            path: endpoint.basePath + "/\(Self.apiVersion)" + path, query: query,
            headers: body == nil ? [] : [("Content-Type", "application/xml")],
            body: body.map { .data($0) } ?? .empty)
        let signer = SigV4Signer(
            credentials: credentials, region: "us-east-1", service: "cloudfront",
            normalizePath: true, addContentSHA256Header: false)
        let signing = SigningRequest(
            method: method, path: http.path, query: query,
            headers: http.headers + [("Host", http.hostHeader)],
            payloadHash: Digest.sha256(body ?? Data()).hex)
        http.headers = signer.signHeaders(signing, date: date).headers
        http.timeout = s3.config.requestTimeout
        return http
    }

    private func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: Data?, what: String,
        limit: Int
    ) throws -> Data {
        var attempt = 0
        while true {
            attempt += 1
            guard let credentials = s3.signingCredentials() else {
                throw S3Error.configuration(
                    "CloudFront calls are signed: pail found no credentials (drop --no-sign-request)")
            }
            let http = request(method, path, query: query, body: body, credentials: credentials, date: s3.signingDate())
            let sink = DataSink(limit: limit)
            let response: HTTPResponse
            do {
                response = try transport.send(http, sink: sink, progress: nil, cancel: nil)
            } catch let t as TransportError {
                s3.log?("CloudFront \(method) \(http.url.prefix(300)) -> \(t)")
                if case .sinkFailed = t {
                    throw S3Error.serverFault(
                        "CloudFront at \(endpoint.display) sent more than \(limit >> 10) KiB for \(what); "
                            + "pail stopped reading"
                    )
                }
                if case .responseTooLarge(let m) = t {
                    throw S3Error.serverFault(
                        "CloudFront at \(endpoint.display) sent \(m) for \(what); pail stopped reading")
                }
                if t.isRetryable && attempt < maxAttempts { backoff(attempt); continue }
                throw S3Error.configuration(
                    "cannot reach CloudFront at \(endpoint.display) (\(t.detail)); "
                        + "check AWS_ENDPOINT_URL_CLOUDFRONT or the network")
            }
            s3.log?("CloudFront \(method) \(http.url.prefix(300)) -> \(response.status)")
            if (200..<300).contains(response.status) { return sink.data }
            var error =
                CloudFrontParsers.error(response.body, status: response.status)
                ?? ServiceError(
                    status: response.status,
                    code: S3Client.codeForStatus(response.status, request: S3Request(method: method)),
                    message: "HTTP \(response.status) from \(endpoint.display)")
            if error.code == "NoSuchBucket" { error.code = "HTTP404" }
            error.resource = what
            error.accessKeyId = credentials.accessKeyId
            if (error.isRetryable || response.status == 429) && attempt < maxAttempts { backoff(attempt); continue }
            throw S3Error.service(error)
        }
    }

    private func backoff(_ attempt: Int) {
        pause(S3Client.retryPause(attempt: attempt, first: 0.2))
    }
}
