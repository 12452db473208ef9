import Foundation

/// Every failure the S3 layer reports, each with a one-line message for a person.
public enum S3Error: Error, Sendable, CustomStringConvertible, LocalizedError {
    case service(ServiceError)
    case transport(TransportError, endpoint: String)
    case invalidResponse(String)
    /// The server broke a rule pail depends on (a listing that would never end, a 200 that
    /// is not the result asked for): the whole sentence, naming the server.
    case serverFault(String)
    case configuration(String)
    case noCredentials(searched: [String])
    case cancelled
    case local(String)
    /// A write refused under `--read-only` or a `read_only` setting: what pail would have
    /// sent, where, and why it did not (`reason` names the option or the file).
    case readOnly(method: String, target: String, reason: String)

    public var errorDescription: String? { description }

    public var serviceCode: String? {
        if case .service(let e) = self { return e.code }
        return nil
    }

    public var description: String {
        switch self {
        case .service(let e): return Self.describe(e)
        case .transport(let t, let endpoint):
            switch t {
            case .cannotConnect(let m):
                return "cannot connect to \(endpoint): \(m); check --endpoint-url and that the server is running"
            case .cannotResolve(let m):
                return "cannot resolve the host of \(endpoint): \(m); check --endpoint-url and the network"
            case .timedOut(let m):
                return "\(endpoint) did not answer in time (\(m)); check the endpoint and the network, "
                    + "or raise --timeout"
            case .responseTooLarge(let m): return "\(endpoint) sent \(m); pail stopped reading it"
            case .connectionLost(let m): return "the connection to \(endpoint) broke: \(m)"
            case .tls(let m): return "TLS failed with \(endpoint): \(m); set AWS_CA_BUNDLE for a private CA"
            case .cancelled: return "cancelled"
            case .sinkFailed(let m): return "cannot write the download: \(m)"
            case .other(let m): return "request to \(endpoint) failed: \(m)"
            }
        case .invalidResponse(let m): return "the server sent a response pail cannot read: \(m)"
        case .serverFault(let m): return m
        case .configuration(let m): return m
        case .noCredentials(let searched):
            return "no AWS credentials found (looked in: \(searched.joined(separator: "; "))); "
                + "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile, "
                + "or --no-sign-request for a public bucket"
        case .cancelled: return "cancelled"
        case .local(let m): return m
        case .readOnly(let method, let target, let reason):
            let undo = reason == "--read-only" ? "run without --read-only" : "remove \(reason)"
            return "read-only: pail would \(method) \(target); \(undo) to write"
        }
    }

    static func describe(_ e: ServiceError) -> String {
        let what = e.resource.isEmpty ? "" : " \(e.resource)"
        let key = e.accessKeyId.map { " \($0)" } ?? ""
        switch e.code {
        case "AccessDenied" where e.listingPrefix != nil, "Forbidden" where e.listingPrefix != nil:
            let bucket = e.resource.hasPrefix("s3://") ? e.resource : "s3://BUCKET/"
            let whose = key.isEmpty ? "" : " of\(key)"
            return "access denied to listing \(bucket)\(e.listingPrefix!) (AccessDenied): the credentials\(whose) "
                + "may not list it (s3:ListBucket) but may still read objects by name: "
                + "try pail stat \(bucket)KEY, or ask for s3:ListBucket"
        case "AccessDenied", "Forbidden":
            return "access denied to\(what): the credentials\(key.isEmpty ? "" : " of\(key)") "
                + "lack permission (AccessDenied)"
        case "NoSuchBucket":
            return "no such bucket:\(what) (NoSuchBucket); check the name, the region and the endpoint"
        case "NoSuchKey", "NotFound":
            return "not found:\(what) (\(e.code))"
        case "InvalidAccessKeyId":
            return "the server does not know the access key id\(key) (InvalidAccessKeyId); "
                + "check AWS_ACCESS_KEY_ID or the profile"
        case "SignatureDoesNotMatch":
            return "SignatureDoesNotMatch for\(what): the secret access key for\(key) is probably wrong "
                + "(or a proxy rewrites requests)"
        case "RequestTimeTooSkewed":
            return "the local clock differs too much from the server's (RequestTimeTooSkewed); fix the system time "
                + "(e.g. `sudo timedatectl set-ntp true`)"
        case "ExpiredToken", "TokenRefreshRequired":
            return "the session token has expired (\(e.code)); refresh the credentials"
        case "InvalidToken":
            return "the session token is not valid (InvalidToken); refresh the credentials"
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
            if let advice = e.redirectAdvice { return "bucket\(what) is elsewhere (\(e.code)); \(advice)" }
            // Whatever else the server wrote is its text, shown as text, never as advice.
            // Bounded: the error stays one readable line whatever the server wrote.
            var said = e.message.isEmpty ? "" : ": \"\(Self.bounded(e.message, 100))\""
            if let endpoint = e.endpoint {
                said += " (it names endpoint \"\(Self.bounded(endpoint, 80))\", not one pail can vouch for)"
            }
            return "the server answered \(e.code) for\(what.isEmpty ? " the request" : what)\(said)"
        case "SlowDown", "ServiceUnavailable":
            return "the server asked pail to slow down and kept refusing (\(e.code)); try again later"
        default:
            let msg = e.message.isEmpty ? "HTTP \(e.status)" : Self.bounded(e.message, 200)
            return "\(msg)\(what.isEmpty ? "" : " (\(e.resource))") (\(e.code))"
        }
    }

    /// At most `n` characters of a server's text, "…" marking a cut.
    static func bounded(_ text: String, _ n: Int) -> String { text.count > n ? text.prefix(n) + "…" : text }
}
