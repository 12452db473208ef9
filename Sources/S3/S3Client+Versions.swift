import Foundation

/// One version of an object, or a delete marker.
public struct ObjectVersion: Sendable, Equatable {
    public var key: String
    public var versionId: String
    public var isLatest: Bool
    public var isDeleteMarker: Bool
    public var size: Int64
    public var lastModified: Date?
    public var etag: String
}

extension S3Client {
    /// Every version and delete marker of the keys under `prefix`, newest first per key.
    public func listObjectVersions(bucket: String, prefix: String, cancel: CancellationFlag? = nil) throws -> [ObjectVersion] {
        var out: [ObjectVersion] = []
        var keyMarker: String?
        var versionMarker: String?
        repeat {
            var query: [(String, String)] = [("versions", ""), ("encoding-type", "url")]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let versionMarker { query.append(("version-id-marker", versionMarker)) }
            var request = S3Request(method: "GET", bucket: bucket, query: query)
            request.cancel = cancel
            let page = try ListVersionsParser.parse(try perform(request).body)
            out += page.versions
            keyMarker = page.truncated ? page.nextKeyMarker : nil
            versionMarker = page.truncated ? page.nextVersionIdMarker : nil
        } while keyMarker != nil
        return out
    }

    /// Copies an older version over the current one with its own headers (COPY): the restore.
    public func copyVersion(bucket: String, key: String, versionId: String, headers: [(String, String)]) throws {
        var h = headers
        h.append(("x-amz-copy-source", copySource(bucket, key, versionId)))
        h.append(("x-amz-metadata-directive", "COPY"))
        _ = try perform(S3Request(method: "PUT", bucket: bucket, key: key, headers: h))
    }

    public func getObjectAcl(bucket: String, key: String, versionId: String) throws -> AccessControlList {
        let response = try perform(S3Request(method: "GET", bucket: bucket, key: key, query: [("acl", ""), ("versionId", versionId)]))
        return try AccessControlPolicyParser.parse(response.body)
    }
}

enum ListVersionsParser {
    struct Page {
        var versions: [ObjectVersion] = []
        var truncated = false
        var nextKeyMarker: String?
        var nextVersionIdMarker: String?
    }

    static func parse(_ data: Data) throws -> Page {
        var page = Page()
        var current = ObjectVersion(key: "", versionId: "", isLatest: false, isDeleteMarker: false, size: 0, lastModified: nil, etag: "")
        var urlEncoded = false
        var sawRoot = false
        try XMLDocumentReader.read(data, what: "ListVersionsResult") { path, text in
            switch path.count {
            case 1: sawRoot = path[0] == "ListVersionsResult"
            case 2:
                switch path[1] {
                case "IsTruncated": page.truncated = text == "true"
                case "NextKeyMarker": page.nextKeyMarker = text
                case "NextVersionIdMarker": page.nextVersionIdMarker = text
                case "EncodingType": urlEncoded = text.lowercased() == "url"
                case "Version", "DeleteMarker":
                    current.isDeleteMarker = path[1] == "DeleteMarker"
                    page.versions.append(current)
                    current = ObjectVersion(key: "", versionId: "", isLatest: false, isDeleteMarker: false, size: 0, lastModified: nil, etag: "")
                default: break
                }
            case 3 where path[1] == "Version" || path[1] == "DeleteMarker":
                switch path[2] {
                case "Key": current.key = text
                case "VersionId": current.versionId = text
                case "IsLatest": current.isLatest = text == "true"
                case "Size": current.size = Int64(text) ?? 0
                case "LastModified": current.lastModified = Timestamps.parseISO8601(text)
                case "ETag": current.etag = ObjectHead.unquote(text)
                default: break
                }
            default: break
            }
        }
        guard sawRoot else { throw S3Error.invalidResponse("expected ListVersionsResult") }
        if urlEncoded {
            for i in page.versions.indices { page.versions[i].key = URIEncoding.decode(page.versions[i].key, plusIsSpace: true) }
            page.nextKeyMarker = page.nextKeyMarker.map { URIEncoding.decode($0, plusIsSpace: true) }
        }
        if page.truncated && page.nextKeyMarker == nil { throw S3Error.invalidResponse("a truncated version listing without NextKeyMarker") }
        return page
    }
}
