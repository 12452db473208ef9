import Foundation

/// One small request for credentials: method, URL and headers in, response out.
public typealias CredentialFetch =
    (_ method: String, _ url: String, _ headers: [(String, String)]) throws -> HTTPResponse

/// Credentials of the machine pail runs on, looked at last as in aws-cli: a container's (ECS
/// tasks, EKS Pod Identity) and an EC2 instance's role through the instance metadata service
/// (IMDSv2, or v1 where the service hands out no token).
public enum MachineCredentials {
    static let containerEndpoint = "http://169.254.170.2"
    static let metadataEndpoint = "http://169.254.169.254"

    /// Over curl with one-second timeouts: off EC2, the metadata address usually does not
    /// answer at all, and the user is waiting for an error message.
    public static func curlFetch(_ method: String, _ url: String,
                                 _ headers: [(String, String)]) throws -> HTTPResponse {
        var options = CurlTransport.Options()
        options.connectTimeout = 1
        options.timeout = 2
        return try fetchOverCurl(method, url, headers, options: options)
    }

    static func fetchOverCurl(_ method: String, _ url: String, _ headers: [(String, String)],
                              options: CurlTransport.Options) throws -> HTTPResponse {
        guard let request = httpRequest(method, url, headers) else {
            throw TransportError.other("\(url) is not an http(s) URL")
        }
        return try CurlTransport(options: options).send(request, sink: nil, progress: nil, cancel: nil)
    }

    static func httpRequest(_ method: String, _ url: String, _ headers: [(String, String)]) -> HTTPRequest? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = c.host, !host.isEmpty else { return nil }
        let query = (c.queryItems ?? []).map { ($0.name, $0.value ?? "") }
        return HTTPRequest(method: method, scheme: scheme, host: host, port: c.port,
                           path: c.path.isEmpty ? "/" : c.path, query: query, headers: headers)
    }

    // MARK: Containers

    /// The URL a container's credentials come from, if the environment names one.
    static func containerURL(_ env: [String: String]) -> String? {
        if let relative = nonEmpty(env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
            return containerEndpoint + relative
        }
        return nonEmpty(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"])
    }

    /// nil when the environment names no container credentials.
    public static func container(_ env: [String: String], fetch: CredentialFetch) throws -> Credentials? {
        guard let url = containerURL(env) else { return nil }
        guard let request = httpRequest("GET", url, []),
              request.scheme == "https" || isAllowedContainerHost(request.host) else {
            throw S3Error.configuration("AWS_CONTAINER_CREDENTIALS_FULL_URI \(url) must be https, "
                                        + "or http to a loopback or the container credentials address")
        }
        var headers: [(String, String)] = []
        if let file = nonEmpty(env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]) {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw S3Error.configuration("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            headers.append(("Authorization", token))
        } else if let token = nonEmpty(env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]) {
            headers.append(("Authorization", token))
        }
        let what = "container credentials at \(url)"
        let response: HTTPResponse
        do {
            response = try fetch("GET", url, headers)
        } catch let error as TransportError {
            throw S3Error.configuration("\(what) could not be fetched (\(error.detail))")
        }
        guard response.status == 200 else { throw S3Error.configuration("\(what) answered HTTP \(response.status)") }
        return try parseJSON(response.body, what: what)
    }

    static func isAllowedContainerHost(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.") || h == "169.254.170.2" || h == "169.254.170.23"
            || h == "fd00:ec2::23"
    }

    // MARK: EC2 instance metadata

    /// Where the instance metadata service is asked, or nil when AWS_EC2_METADATA_DISABLED.
    static func metadataBase(_ env: [String: String]) -> String? {
        if env["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var base = nonEmpty(env["AWS_EC2_METADATA_SERVICE_ENDPOINT"]) ?? metadataEndpoint
        while base.hasByteSuffix("/") { base.removeLast() }
        return base
    }

    /// The instance role's credentials; nil when nothing answers at the metadata address
    /// (not on EC2) or the instance has no role.
    public static func instanceRole(_ env: [String: String], fetch: CredentialFetch) throws -> Credentials? {
        guard let base = metadataBase(env) else { return nil }
        // IMDSv2: a session token first. Off EC2 this is where it ends, quietly.
        var headers: [(String, String)] = []
        do {
            let token = try fetch("PUT", base + "/latest/api/token",
                                  [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
            if token.status == 200 {
                headers.append(("X-aws-ec2-metadata-token", String(decoding: token.body, as: UTF8.self)))
            } else if token.status == 403 {
                return nil  // IMDS is turned off for this instance
            }
            // Other answers (404, 405): an IMDSv1-only service or proxy; go on without a token.
        } catch is TransportError {
            return nil
        }
        let what = "the EC2 instance metadata service at \(base)"
        do {
            let roles = try fetch("GET", base + "/latest/meta-data/iam/security-credentials/", headers)
            if roles.status == 404 { return nil }  // an instance without a role
            guard roles.status == 200,
                  let role = String(decoding: roles.body, as: UTF8.self).split(whereSeparator: \.isNewline)
                      .first.map(String.init),
                  !role.isEmpty else {
                throw S3Error.configuration("\(what) answered HTTP \(roles.status) for the instance's role")
            }
            let creds = try fetch("GET", base + "/latest/meta-data/iam/security-credentials/" + role, headers)
            guard creds.status == 200 else {
                throw S3Error.configuration("\(what) answered HTTP \(creds.status) for the credentials of role \(role)")
            }
            return try parseJSON(creds.body, what: "\(what) (role \(role))")
        } catch let error as TransportError {
            throw S3Error.configuration("\(what) stopped answering (\(error.detail))")
        }
    }

    /// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`, the shape both services use
    /// (the instance's adds `"Code": "Success"`).
    static func parseJSON(_ data: Data, what: String) throws -> Credentials {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw S3Error.configuration("\(what) did not answer with JSON credentials")
        }
        if let code = object["Code"] as? String, code != "Success" {
            throw S3Error.configuration("\(what) answered \(code): \(object["Message"] as? String ?? "")")
        }
        guard let id = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String,
              !id.isEmpty, !secret.isEmpty else {
            throw S3Error.configuration("\(what) answered without AccessKeyId and SecretAccessKey")
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: object["Token"] as? String,
                           expiration: (object["Expiration"] as? String).flatMap(Timestamps.parseISO8601), source: what)
    }
}
