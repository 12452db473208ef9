import Foundation

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
