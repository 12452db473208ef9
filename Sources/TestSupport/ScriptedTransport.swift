import Foundation
import S3

/// An `HTTPTransport` that answers from a script and records every request it was given, so
/// a test says what the server answers and asserts what pail sent. Rules are tried in the
/// order they were added; the first that matches (and has answers left) answers. A request
/// no rule matches is recorded and answered `501 NotImplemented`, which the client does not
/// retry and most callers take as "this server lacks that": a test sees it in `requests`.
/// Safe to use from many threads (deletes and edits send in parallel).
public final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    public typealias Answer = (HTTPRequest) -> Result<HTTPResponse, TransportError>

    private struct Rule {
        var matches: (HTTPRequest) -> Bool
        var answer: Answer
        /// Answers left; nil: any number.
        var remaining: Int?
    }

    private let lock = NSLock()
    private var rules: [Rule] = []
    private var recorded: [HTTPRequest] = []

    public init() {}

    /// Every request sent so far, in the order the transport received them.
    public var requests: [HTTPRequest] { lock.withLock { recorded } }

    /// The requests with this method (and, if given, having every query parameter named).
    public func requests(_ method: String, having names: [String] = []) -> [HTTPRequest] {
        requests.filter { r in r.method == method && names.allSatisfy { r.queryValue($0) != nil } }
    }

    public func forgetRequests() { lock.withLock { recorded.removeAll() } }

    /// Answers requests `matches` accepts, `times` times (nil: always).
    public func on(_ matches: @escaping (HTTPRequest) -> Bool, times: Int? = nil, answer: @escaping Answer) {
        lock.withLock { rules.append(Rule(matches: matches, answer: answer, remaining: times)) }
    }

    /// Answers `method` on exactly `path` (decoded, path style: "/bucket/key") when the
    /// request has every query parameter in `having`.
    public func on(_ method: String, path: String, having names: [String] = [], times: Int? = nil,
                   answer: @escaping (HTTPRequest) -> HTTPResponse) {
        on({ r in
            r.method == method && r.path.bytesEqual(path) && names.allSatisfy { r.queryValue($0) != nil }
        }, times: times, answer: { .success(answer($0)) })
    }

    public func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
                     cancel: CancellationFlag?) throws -> HTTPResponse {
        let answer: Answer? = lock.withLock {
            recorded.append(request)
            let usable = rules.firstIndex { ($0.remaining ?? 1) > 0 && $0.matches(request) }
            guard let i = usable else { return nil }
            if let left = rules[i].remaining { rules[i].remaining = left - 1 }
            return rules[i].answer
        }
        let response = try (answer?(request) ?? .success(S3Answers.error(501, "NotImplemented"))).get()
        // Only successful bodies go to a sink, as with the real transport.
        if let sink, (200..<300).contains(response.status) {
            try response.body.withUnsafeBytes { try sink.write($0) }
            try sink.finish()
            return HTTPResponse(status: response.status, headers: response.headers)
        }
        return response
    }
}

extension HTTPRequest {
    /// The value of the first query parameter named `name`, nil when there is none.
    public func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// The request's header, case-insensitive.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }

    /// The body held in memory, as text (empty for a file or no body).
    public var bodyText: String {
        if case .data(let d) = body { return String(decoding: d, as: UTF8.self) }
        return ""
    }
}
