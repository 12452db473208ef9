import Foundation

/// An `<Error>` answer from the server.
public struct ServiceError: Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    public var requestId: String?
    /// Region or endpoint the server says the bucket lives at (redirect answers).
    public var region: String?
    public var endpoint: String?
    /// What was asked, for the message: `s3://bucket/key` or the endpoint.
    public var resource: String
    public var accessKeyId: String?
    /// For a redirect: what to tell the person (`use --region R`), only when the place the
    /// server named is one pail can vouch for (`RedirectAdvice`).
    public var redirectAdvice: String?
    /// For a refused listing: the prefix listed (a listing refused while reads are allowed is
    /// a common first-run surprise with narrow IAM policies).
    public var listingPrefix: String?

    public init(status: Int, code: String, message: String, requestId: String? = nil, region: String? = nil,
                endpoint: String? = nil, resource: String = "", accessKeyId: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.requestId = requestId
        self.region = region
        self.endpoint = endpoint
        self.resource = resource
        self.accessKeyId = accessKeyId
    }

    /// Answers worth another try after a pause (S3 rule 15).
    public var isRetryable: Bool {
        if [500, 502, 503, 504].contains(status) { return true }
        return ["SlowDown", "RequestTimeout", "RequestTimeTooSkewed", "InternalError", "ServiceUnavailable",
                "Throttling", "ThrottlingException", "RequestLimitExceeded"].contains(code)
    }
}
