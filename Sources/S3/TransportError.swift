import Foundation

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
