import Foundation
import S3

/// A ListObjectsV2 endpoint over a list of keys, in memory: pages of `pageSize` entries,
/// prefix, delimiter and continuation tokens as S3 has them. Thread-safe, since the lister
/// lists several chains at once; counts the pages it has served.
public final class KeyListTransport: HTTPTransport, @unchecked Sendable {
    public let keys: [[UInt8]]
    public let pageSize: Int
    /// Prefixes whose listing (without delimiter) fails with AccessDenied.
    public var deniedPrefixes: Set<String> = []
    private let lock = NSLock()
    private var served = 0

    public init(keys: [String], pageSize: Int) {
        self.keys = keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        self.pageSize = pageSize
    }

    public var pagesServed: Int { lock.withLock { served } }

    public func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
                     cancel: CancellationFlag?) throws -> HTTPResponse {
        let query = Dictionary(request.query, uniquingKeysWith: { a, _ in a })
        let prefix = Array((query["prefix"] ?? "").utf8)
        let delimiter = query["delimiter"].map { Array($0.utf8) }
        if delimiter == nil, deniedPrefixes.contains(query["prefix"] ?? "") {
            let error = "<Error><Code>AccessDenied</Code><Message>no</Message></Error>"
            return HTTPResponse(status: 403, body: Data(error.utf8))
        }
        var position = keys.firstIndex { !$0.lexicographicallyPrecedes(prefix) } ?? keys.count
        if let token = query["continuation-token"], let after = Data(base64Encoded: token) {
            let a = Array(after)
            // A token that is a common prefix skips everything below it.
            let skipBelow = delimiter != nil && a.last == UInt8(ascii: "/")
            position = keys.firstIndex { a.lexicographicallyPrecedes($0) && !(skipBelow && $0.starts(with: a)) }
                ?? keys.count
        } else if let after = query["start-after"] {
            let a = Array(after.utf8)
            position = max(position, keys.firstIndex { a.lexicographicallyPrecedes($0) } ?? keys.count)
        }
        let maxKeys = query["max-keys"].flatMap { Int($0) } ?? pageSize
        var contents = "", prefixes = "", count = 0, last: [UInt8]?
        while count < min(pageSize, maxKeys), position < keys.count, keys[position].starts(with: prefix) {
            let key = keys[position]
            let rest = key[prefix.count...]
            if let delimiter, let d = rest.firstIndex(of: delimiter[0]) {
                let child = Array(key[..<(d + 1)])
                prefixes += "<CommonPrefixes><Prefix>\(Self.xml(child))</Prefix></CommonPrefixes>"
                last = child
                while position < keys.count, keys[position].starts(with: child) { position += 1 }
            } else {
                contents += "<Contents><Key>\(Self.xml(key))</Key><Size>\(key.count)</Size>"
                    + "<ETag>&quot;e&quot;</ETag></Contents>"
                last = key
                position += 1
            }
            count += 1
        }
        let truncated = position < keys.count && keys[position].starts(with: prefix)
        var body = "<ListBucketResult><IsTruncated>\(truncated)</IsTruncated>"
        if truncated, let last {
            body += "<NextContinuationToken>\(Data(last).base64EncodedString())</NextContinuationToken>"
        }
        body += contents + prefixes + "</ListBucketResult>"
        lock.withLock { served += 1 }
        return HTTPResponse(status: 200, body: Data(body.utf8))
    }

    /// Key bytes as XML text (`&` and `<` escaped).
    public static func xml(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
}
