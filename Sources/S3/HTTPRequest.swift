import Foundation

/// One HTTP request as the transport sends it. `path` and `query` are decoded; they are
/// encoded once, the same way the signer encodes them.
public struct HTTPRequest: Sendable {
    public var method: String
    public var scheme: String
    public var host: String
    public var port: Int?
    public var path: String
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: RequestBody
    /// Seconds the whole request may take; nil: the transport's default.
    public var timeout: Int?
    /// Abort when fewer than `lowSpeedLimit` bytes/s move for `lowSpeedTime` seconds; nil:
    /// the transport's default.
    public var lowSpeedLimit: Int?
    public var lowSpeedTime: Int?

    public init(method: String, scheme: String, host: String, port: Int?, path: String,
                query: [(String, String)] = [], headers: [(String, String)] = [], body: RequestBody = .empty) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// `host[:port]`, the port left out when it is the scheme's default.
    public var hostHeader: String {
        guard let port else { return host }
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
        return "\(host):\(port)"
    }

    public var url: String {
        var s = "\(scheme)://\(hostHeader)\(URIEncoding.encodePath(path.isEmpty ? "/" : path))"
        if !query.isEmpty {
            s += "?" + query.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        }
        return s
    }
}
