import Foundation

/// One ListObjectsV2 response.
public struct ListPage: Sendable {
    public var bucket: String
    public var prefix: String
    public var objects: [ObjectSummary]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    public var nextContinuationToken: String?
    /// Keys and common prefixes (as sent) that did not URL-decode exactly; the client warns
    /// about them and drops them.
    var undecodable: [String] = []

    public init(bucket: String = "", prefix: String = "", objects: [ObjectSummary] = [], commonPrefixes: [String] = [],
                isTruncated: Bool = false, nextContinuationToken: String? = nil) {
        self.bucket = bucket
        self.prefix = prefix
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.isTruncated = isTruncated
        self.nextContinuationToken = nextContinuationToken
    }
}
