import Foundation
import S3

/// Server answers for a `ScriptedTransport`, written as S3 writes them.
public enum S3Answers {
    /// One object of a listing.
    public struct Object: Sendable {
        public var key: String
        public var size: Int64
        public var etag: String
        public var lastModified: String
        public init(_ key: String, size: Int64 = 100, etag: String = "0123456789abcdef0123456789abcdef",
                    lastModified: String = "2026-11-01T12:00:00.000Z") {
            self.key = key
            self.size = size
            self.etag = etag
            self.lastModified = lastModified
        }
    }

    public static func xml(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/xml")],
                     body: Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text).utf8))
    }

    public static func error(_ status: Int, _ code: String, _ message: String = "scripted") -> HTTPResponse {
        xml("<Error><Code>\(code)</Code><Message>\(escape(message))</Message></Error>", status: status)
    }

    public static func listBuckets(_ names: [String]) -> HTTPResponse {
        let buckets = names.map {
            "<Bucket><Name>\(escape($0))</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"
        }
        return xml("<ListAllMyBucketsResult><Buckets>\(buckets.joined())</Buckets></ListAllMyBucketsResult>")
    }

    /// A ListObjectsV2 page. Keys and prefixes go URL-encoded (`EncodingType` url), as S3 sends
    /// them when asked, so any byte survives the XML.
    public static func listObjectsV2(bucket: String, prefix: String, delimiter: String? = "/",
                                     objects: [Object] = [], commonPrefixes: [String] = [],
                                     nextToken: String? = nil) -> HTTPResponse {
        func enc(_ s: String) -> String { URIEncoding.encode(s) }
        var body = "<ListBucketResult><Name>\(escape(bucket))</Name><Prefix>\(enc(prefix))</Prefix>"
        if let delimiter { body += "<Delimiter>\(enc(delimiter))</Delimiter>" }
        body += "<EncodingType>url</EncodingType><KeyCount>\(objects.count + commonPrefixes.count)</KeyCount>"
        body += "<MaxKeys>1000</MaxKeys><IsTruncated>\(nextToken == nil ? "false" : "true")</IsTruncated>"
        if let nextToken { body += "<NextContinuationToken>\(escape(nextToken))</NextContinuationToken>" }
        for o in objects {
            body += "<Contents><Key>\(enc(o.key))</Key><LastModified>\(o.lastModified)</LastModified>"
                + "<ETag>&quot;\(o.etag)&quot;</ETag><Size>\(o.size)</Size>"
                + "<StorageClass>STANDARD</StorageClass></Contents>"
        }
        for p in commonPrefixes { body += "<CommonPrefixes><Prefix>\(enc(p))</Prefix></CommonPrefixes>" }
        return xml(body + "</ListBucketResult>")
    }

    /// A HEAD answer: the usual headers, then `extra` (Cache-Control, x-amz-meta-*, ...).
    public static func head(size: Int64 = 100, etag: String = "0123456789abcdef0123456789abcdef",
                            contentType: String? = "text/plain",
                            lastModified: String = "Sun, 01 Nov 2026 12:00:00 GMT",
                            _ extra: [(String, String)] = []) -> HTTPResponse {
        var headers: [(String, String)] = [("Content-Length", String(size)), ("ETag", "\"\(etag)\""),
                                           ("Last-Modified", lastModified)]
        if let contentType { headers.append(("Content-Type", contentType)) }
        return HTTPResponse(status: 200, headers: headers + extra)
    }

    /// DeleteObjects answering that every key in the request's body was deleted.
    public static func deleted(_ request: HTTPRequest) -> HTTPResponse {
        let keys = deleteKeys(request)
        return xml("<DeleteResult>" + keys.map { "<Deleted><Key>\(escape($0))</Key></Deleted>" }.joined()
            + "</DeleteResult>")
    }

    public static func copied(etag: String = "fedcba9876543210fedcba9876543210") -> HTTPResponse {
        xml("<CopyObjectResult><LastModified>2026-11-02T12:00:00.000Z</LastModified>"
            + "<ETag>&quot;\(etag)&quot;</ETag></CopyObjectResult>")
    }

    public static func versioning(_ status: String?) -> HTTPResponse {
        let inner = status.map { "<Status>\($0)</Status>" } ?? ""
        return xml("<VersioningConfiguration>\(inner)</VersioningConfiguration>")
    }

    /// The keys a DeleteObjects request names, in the order of its body, unescaped.
    public static func deleteKeys(_ request: HTTPRequest) -> [String] {
        var keys: [String] = []
        var rest = Substring(request.bodyText)
        while let open = rest.range(of: "<Key>"),
              let close = rest.range(of: "</Key>", range: open.upperBound..<rest.endIndex) {
            keys.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return keys
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
