import Foundation

/// STS's AssumeRole and AssumeRoleWithWebIdentity over the same transport and signer as S3:
/// a form POSTed to the endpoint (signed for service "sts", or not signed for a web
/// identity), answered with temporary credentials in XML.
public enum STS {
    /// `source` signs AssumeRole; AssumeRoleWithWebIdentity needs none.
    public static func assumeRole(_ request: AssumeRoleRequest, source: Credentials?,
                                  transport: HTTPTransport? = nil, date: Date = Date(),
                                  pause: (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }
    ) throws -> Credentials {
        var options = CurlTransport.Options()
        options.caBundle = request.caBundle
        let transport = transport ?? CurlTransport(options: options)
        let what = "\(request.requester) could not assume role \(request.roleArn)"
        var token: String?
        if let file = request.webIdentityTokenFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw S3Error.configuration("\(what): cannot read the web identity token file \(file)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else if source == nil {
            throw S3Error.configuration("\(what): no keys to sign the call to STS")
        }
        let body = Data(formBody(request, webIdentityToken: token).utf8)
        var attempt = 0
        while true {
            attempt += 1
            let http = stsRequest(request, body: body, source: token == nil ? source : nil, date: date)
            let response: HTTPResponse
            do {
                response = try transport.send(http, sink: nil, progress: nil, cancel: nil)
            } catch let error as TransportError {
                if error.isRetryable && attempt < 3 { pause(0.2 * Double(attempt)); continue }
                throw S3Error.configuration("\(what): cannot reach STS at \(request.endpoint.display) "
                                            + "(\(error.detail)); "
                                            + "check AWS_ENDPOINT_URL_STS, the profile's endpoint_url, or the network")
            }
            if (200..<300).contains(response.status) {
                let via = token == nil ? source?.source ?? ""
                    : "the web identity token in \(request.webIdentityTokenFile ?? "")"
                return try parseCredentials(response.body, request: request, via: via)
            }
            if response.status >= 500 && attempt < 3 { pause(0.2 * Double(attempt)); continue }
            let error = parseError(response.body)
            let detail = error.map { "\($0.code): \($0.message)" }
                ?? "HTTP \(response.status) from \(request.endpoint.display)"
            throw S3Error.configuration("\(what): \(detail)")
        }
    }

    /// `Action=AssumeRole&...`, form-encoded (RFC 3986 unreserved characters kept).
    static func formBody(_ request: AssumeRoleRequest, webIdentityToken: String? = nil) -> String {
        var fields = [("Action", webIdentityToken == nil ? "AssumeRole" : "AssumeRoleWithWebIdentity"),
                      ("Version", "2011-06-15"), ("RoleArn", request.roleArn),
                      ("RoleSessionName", request.sessionName)]
        if let webIdentityToken { fields.append(("WebIdentityToken", webIdentityToken)) }
        if let id = request.externalId { fields.append(("ExternalId", id)) }
        if let serial = request.mfaSerial, let code = request.mfaCode {
            fields.append(("SerialNumber", serial))
            fields.append(("TokenCode", code))
        }
        if let seconds = request.durationSeconds { fields.append(("DurationSeconds", String(seconds))) }
        return fields.map { "\($0.0)=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
    }

    /// The POST, signed with `source` when given.
    static func stsRequest(_ request: AssumeRoleRequest, body: Data, source: Credentials?, date: Date) -> HTTPRequest {
        let endpoint = request.endpoint
        var http = HTTPRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                               path: endpoint.basePath.isEmpty ? "/" : endpoint.basePath + "/",
                               headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                               body: .data(body))
        guard let source else { return http }
        let signer = SigV4Signer(credentials: source, region: request.region, service: "sts",
                                 normalizePath: true, addContentSHA256Header: false)
        let signing = SigningRequest(method: "POST", path: http.path, query: [],
                                     headers: http.headers + [("Host", http.hostHeader)],
                                     payloadHash: Digest.sha256(body).hex)
        http.headers = signer.signHeaders(signing, date: date).headers
        return http
    }

    /// `<AssumeRole[WithWebIdentity]Response><...Result><Credentials>` with the key, secret,
    /// token and expiration.
    static func parseCredentials(_ data: Data, request: AssumeRoleRequest, via: String) throws -> Credentials {
        var fields: [String: String] = [:]
        do {
            try XMLDocumentReader.read(data, what: "AssumeRole") { path, text in
                if path.count == 4, path[1].hasPrefix("AssumeRole"), path[1].hasSuffix("Result"),
                   path[2] == "Credentials" {
                    fields[path[3]] = text
                }
            }
        } catch {
            throw S3Error.configuration("\(request.requester): STS at \(request.endpoint.display) "
                                        + "answered with something other than credentials")
        }
        guard let id = fields["AccessKeyId"], let secret = fields["SecretAccessKey"], !id.isEmpty,
              !secret.isEmpty else {
            throw S3Error.configuration("\(request.requester): STS at \(request.endpoint.display) "
                                        + "answered without AccessKeyId and SecretAccessKey")
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: fields["SessionToken"],
                           expiration: fields["Expiration"].flatMap(Timestamps.parseISO8601),
                           source: "role \(request.roleArn) assumed with \(via)")
    }

    /// STS errors are `<ErrorResponse><Error><Code/><Message/></Error></ErrorResponse>`.
    static func parseError(_ data: Data) -> (code: String, message: String)? {
        var fields: [String: String] = [:]
        try? XMLDocumentReader.read(data, what: "error") { path, text in
            if path.count >= 2, path[path.count - 2] == "Error" { fields[path[path.count - 1]] = text }
        }
        guard let code = fields["Code"] else { return nil }
        return (code, fields["Message"] ?? "")
    }
}
