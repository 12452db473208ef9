import Foundation

/// A sink that keeps what it has received when a request is retried, so a ranged GET cut off
/// part way goes on from the byte it reached instead of starting over.
public protocol ResumableSink: ResponseSink {
    /// Body bytes received so far, across attempts.
    var received: Int64 { get }
}
