import Foundation

/// AWS Signature Version 4 as a pure value: the date is a parameter, nothing is read from the
/// clock or the network, so tests can pin it and compare exact strings.
public struct SigV4Signer: Sendable {
    public var credentials: Credentials
    public var region: String
    public var service: String
    /// Generic AWS services normalize the path (remove `.`/`..`, collapse `//`); S3 never does.
    public var normalizePath: Bool
    /// S3 always sends `x-amz-content-sha256`; the generic test suite only with `sign_body`.
    public var addContentSHA256Header: Bool
    /// Some STS-style callers add the session token after signing instead of signing it.
    public var omitSessionTokenFromSignature: Bool

    public init(credentials: Credentials, region: String, service: String = "s3",
                normalizePath: Bool = false, addContentSHA256Header: Bool = true,
                omitSessionTokenFromSignature: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizePath = normalizePath
        self.addContentSHA256Header = addContentSHA256Header
        self.omitSessionTokenFromSignature = omitSessionTokenFromSignature
    }

    // MARK: Header form

    /// Returns the headers to send: the request's own plus `x-amz-date`,
    /// `x-amz-content-sha256`, `x-amz-security-token` and `Authorization`.
    public func signHeaders(_ request: SigningRequest,
                            date: Date) -> (headers: [(String, String)], parts: SignatureParts) {
        let stamp = AmzDate(date)
        var headers = request.headers
        headers.append(("X-Amz-Date", stamp.full))
        if addContentSHA256Header {
            headers.append(("X-Amz-Content-SHA256", request.payloadHash))
        }
        if let token = credentials.sessionToken, !omitSessionTokenFromSignature {
            headers.append(("X-Amz-Security-Token", token))
        }
        let parts = sign(request, query: request.query, headers: headers, stamp: stamp)
        let signedHeaders = parts.signedHeaders
        if let token = credentials.sessionToken, omitSessionTokenFromSignature {
            headers.append(("X-Amz-Security-Token", token))
        }
        headers.append(("Authorization",
                        "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(stamp.scope(region, service)), "
                        + "SignedHeaders=\(signedHeaders), Signature=\(parts.signature)"))
        return (headers, parts)
    }

    // MARK: Query form (presigned URLs)

    /// Returns the query parameters to send (the request's plus the `X-Amz-*` ones, the
    /// signature last). `expires` is in seconds; S3 accepts at most 604800 (rule 18).
    public func presign(_ request: SigningRequest, date: Date,
                        expires: Int) -> (query: [(String, String)], parts: SignatureParts) {
        let stamp = AmzDate(date)
        let signedHeaders = canonicalize(headers: request.headers).signed
        var query = request.query
        query.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        query.append(("X-Amz-Credential", "\(credentials.accessKeyId)/\(stamp.scope(region, service))"))
        query.append(("X-Amz-Date", stamp.full))
        query.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken, !omitSessionTokenFromSignature {
            query.append(("X-Amz-Security-Token", token))
        }
        query.append(("X-Amz-SignedHeaders", signedHeaders))
        let parts = sign(request, query: query, headers: request.headers, stamp: stamp)
        if let token = credentials.sessionToken, omitSessionTokenFromSignature {
            query.append(("X-Amz-Security-Token", token))
        }
        query.append(("X-Amz-Signature", parts.signature))
        return (query, parts)
    }

    // MARK: Pieces

    /// The canonical request of `request` with these query parameters and headers, signed.
    private func sign(_ request: SigningRequest, query: [(String, String)], headers: [(String, String)],
                      stamp: AmzDate) -> SignatureParts {
        let (canonicalHeaders, signedHeaders) = canonicalize(headers: headers)
        let canonicalRequest = [
            request.method,
            canonicalURI(request.path),
            canonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")
        return sign(canonicalRequest: canonicalRequest, stamp: stamp, signedHeaders: signedHeaders)
    }

    private func sign(canonicalRequest: String, stamp: AmzDate, signedHeaders: String) -> SignatureParts {
        let stringToSign = [
            "AWS4-HMAC-SHA256",
            stamp.full,
            stamp.scope(region, service),
            Digest.sha256(canonicalRequest).hex,
        ].joined(separator: "\n")
        var key = Digest.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), stamp.day)
        key = Digest.hmacSHA256(key: key, region)
        key = Digest.hmacSHA256(key: key, service)
        key = Digest.hmacSHA256(key: key, "aws4_request")
        let signature = Digest.hmacSHA256(key: key, stringToSign).hex
        return SignatureParts(canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                              signature: signature, signedHeaders: signedHeaders)
    }

    func canonicalURI(_ path: String) -> String {
        let p = path.isEmpty ? "/" : path
        return URIEncoding.encodePath(normalizePath ? Self.normalize(p) : p)
    }

    /// RFC 3986 dot-segment removal and slash collapsing, for non-S3 services only.
    static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(segment)
        }
        var result = "/" + out.joined(separator: "/")
        let endsWithDir = path.hasByteSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        if endsWithDir && !out.isEmpty { result += "/" }
        return result
    }

    func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map {
            (URIEncoding.encode($0.0), URIEncoding.encode($0.1))
        }
        let sorted = encoded.sorted { a, b in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// Lower-case names, sorted; values trimmed with inner whitespace runs folded to one
    /// space; repeated names joined with commas in their original order.
    func canonicalize(headers: [(String, String)]) -> (canonical: String, signed: String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if values[key] == nil { order.append(key) }
            values[key, default: []].append(Self.foldWhitespace(value))
        }
        let names = order.sorted()
        let canonical = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    static func foldWhitespace(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in value.unicodeScalars {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
