import Foundation

/// Bytes moved so far in the current attempt, and the total when known.
public typealias TransferProgress = (_ done: Int64, _ total: Int64) -> Void

/// The one thing S3Client needs from HTTP; a protocol so tests can capture requests.
public protocol HTTPTransport: AnyObject {
    func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
              cancel: CancellationFlag?) throws -> HTTPResponse
}
