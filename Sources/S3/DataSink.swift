import Foundation

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
