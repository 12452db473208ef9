import Foundation

/// What the signer needs to know of a request. The path and query are *decoded*: the signer
/// encodes them exactly once (S3 rule 16), the same way the transport does.
public struct SigningRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [(String, String)]
    public var headers: [(String, String)]
    /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    public init(method: String, path: String, query: [(String, String)] = [],
                headers: [(String, String)] = [], payloadHash: String = Digest.emptySHA256Hex) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }
}
