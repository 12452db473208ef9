import Foundation

/// One S3 call before addressing and signing.
public struct S3Request {
    public var method: String
    public var bucket: String?
    public var key: String?
    public var query: [(String, String)] = []
    public var headers: [(String, String)] = []
    public var body: RequestBody = .empty
    public var sink: ResponseSink?
    public var progress: TransferProgress?
    public var cancel: CancellationFlag?
    /// The byte range of a GET. With a `ResumableSink`, a retry asks only for the bytes not
    /// yet received.
    public var range: ClosedRange<Int64>?
    /// A call the server may take minutes to answer with little or nothing sent meanwhile
    /// (server-side copies, CompleteMultipartUpload): no overall deadline, and a low-speed
    /// limit S3's keep-alive whitespace satisfies.
    public var longRunning = false

    public init(method: String, bucket: String? = nil, key: String? = nil, query: [(String, String)] = [],
                headers: [(String, String)] = [], body: RequestBody = .empty) {
        self.method = method
        self.bucket = bucket
        self.key = key
        self.query = query
        self.headers = headers
        self.body = body
    }

    var resource: String {
        guard let bucket else { return "" }
        return "s3://\(bucket)/\(key ?? "")"
    }
}
