import Foundation

/// A request body that can always be produced again from the start, so a failed attempt can
/// be retried (S3 rule 15). Files are streamed, never read whole into memory.
public enum RequestBody: Sendable {
    case empty
    case data(Data)
    case file(path: String, offset: UInt64, length: UInt64)

    public var length: UInt64 {
        switch self {
        case .empty: return 0
        case .data(let d): return UInt64(d.count)
        case .file(_, _, let length): return length
        }
    }
}

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

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names as the server sent them, in order.
    public var headers: [(String, String)]
    /// The body, unless a sink took it (only successful bodies go to a sink).
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }
}

/// Where a successful response body goes when it should not be held in memory.
public protocol ResponseSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Forget what was written, before a retry starts the body again.
    func reset() throws
    /// The body arrived whole: write out anything still buffered. Called by the transport
    /// after a successful response, before the caller sees it.
    func finish() throws
}

extension ResponseSink {
    public func finish() throws {}
}

/// A sink that keeps what it has received when a request is retried, so a ranged GET cut off
/// part way goes on from the byte it reached instead of starting over.
public protocol ResumableSink: ResponseSink {
    /// Body bytes received so far, across attempts.
    var received: Int64 { get }
}

/// A sink that keeps the body in memory (XML pages, small objects), up to `limit` bytes: a
/// server that sends more than was asked for must not grow memory without bound.
public final class DataSink: ResponseSink {
    public private(set) var data = Data()
    public let limit: Int
    public init(limit: Int = 16 << 20) { self.limit = limit }
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard data.count + bytes.count <= limit else {
            throw S3Error.local("the server sent more than the \(limit) bytes pail keeps in memory for this answer")
        }
        data.append(contentsOf: bytes)
    }
    public func reset() throws { data.removeAll(keepingCapacity: true) }
}

/// Checked by the transport during a transfer; setting it aborts the transfer promptly.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    public init() {}
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
    public func cancel() { lock.lock(); cancelled = true; lock.unlock() }
}

/// Bytes moved so far in the current attempt, and the total when known.
public typealias TransferProgress = (_ done: Int64, _ total: Int64) -> Void

/// The one thing S3Client needs from HTTP; a protocol so tests can capture requests.
public protocol HTTPTransport: AnyObject {
    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse
}

public enum TransportError: Error, Sendable, Equatable {
    case cannotConnect(String)
    case cannotResolve(String)
    case timedOut(String)
    /// The connection broke mid-request: safe to retry with a re-sendable body.
    case connectionLost(String)
    case tls(String)
    case cancelled
    case sinkFailed(String)
    /// A body or header block held in memory went past its cap.
    case responseTooLarge(String)
    case other(String)

    public var isRetryable: Bool {
        switch self {
        case .timedOut, .connectionLost: return true
        default: return false
        }
    }

    /// The transport's own words, without the kind.
    public var detail: String {
        switch self {
        case .cannotConnect(let m), .cannotResolve(let m), .timedOut(let m), .connectionLost(let m), .tls(let m),
             .sinkFailed(let m), .responseTooLarge(let m), .other(let m):
            return m
        case .cancelled: return "cancelled"
        }
    }
}
