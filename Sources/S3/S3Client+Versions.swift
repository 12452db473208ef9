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
    /// Pages are checked as ListObjectsV2 pages are (`ListingCheck`): keys outside the prefix
    /// or that do not decode are dropped with one warning, markers that would never end stop
    /// the listing.
    public func listObjectVersions(bucket: String, prefix: String,
                                   cancel: CancellationFlag? = nil) throws -> [ObjectVersion] {
        var check = ListingCheck(bucket: bucket, prefix: prefix, delimiter: nil, host: host(for: bucket))
        defer { if let w = check.warning { warn?(w) } }
        var out: [ObjectVersion] = []
        var keyMarker: String?
        var versionMarker: String?
        repeat {
            if cancel?.isCancelled == true { throw S3Error.cancelled }
            var query: [(String, String)] = [("versions", ""), ("encoding-type", "url")]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let versionMarker { query.append(("version-id-marker", versionMarker)) }
            var request = S3Request(method: "GET", bucket: bucket, query: query)
            request.cancel = cancel
            var page = try ListVersionsParser.parse(try perform(request).body)
            try check.admit(&page)
            out += page.versions
            keyMarker = page.truncated ? page.nextKeyMarker : nil
            versionMarker = page.truncated ? page.nextVersionIdMarker : nil
        } while keyMarker != nil
        return out
    }

    /// Copies an older version over the current one with its own headers (COPY): the restore.
    /// Done only when the server answers with a CopyObjectResult (S3 rule 5).
    public func copyVersion(bucket: String, key: String, versionId: String, headers: [(String, String)]) throws {
        var h = headers
        h.append(("x-amz-copy-source", copySource(bucket, key, versionId)))
        h.append(("x-amz-metadata-directive", "COPY"))
        var request = S3Request(method: "PUT", bucket: bucket, key: key, headers: h)
        request.longRunning = true
        _ = try expectResult(try perform(request), root: "CopyObjectResult", call: "CopyObject", request: request)
    }

    public func getObjectAcl(bucket: String, key: String, versionId: String) throws -> AccessControlList {
        let response = try perform(S3Request(method: "GET", bucket: bucket, key: key,
                                             query: [("acl", ""), ("versionId", versionId)]))
        return try AccessControlPolicyParser.parse(response.body)
    }
}

enum ListVersionsParser {
    struct Page {
        var versions: [ObjectVersion] = []
        var truncated = false
        var prefix = ""
        var keyMarker: String?
        var nextKeyMarker: String?
        var nextVersionIdMarker: String?
        /// Keys (as sent) that did not URL-decode exactly, dropped from `versions`.
        var undecodable: [String] = []
    }

    static func parse(_ data: Data) throws -> Page {
        var page = Page()
        func fresh() -> ObjectVersion {
            ObjectVersion(key: "", versionId: "", isLatest: false, isDeleteMarker: false, size: 0, lastModified: nil,
                          etag: "")
        }
        var current = fresh()
        var sizeText = "0"
        var badSize: String?
        var urlEncoded = false
        try XMLDocumentReader.read(data, what: "ListVersionsResult", root: "ListVersionsResult") { path, text in
            switch path.count {
            case 2:
                switch path[1] {
                case "IsTruncated": page.truncated = text == "true"
                case "Prefix": page.prefix = text
                case "KeyMarker": page.keyMarker = text
                case "NextKeyMarker": page.nextKeyMarker = text
                case "NextVersionIdMarker": page.nextVersionIdMarker = text
                case "EncodingType": urlEncoded = text.lowercased() == "url"
                case "Version", "DeleteMarker":
                    current.isDeleteMarker = path[1] == "DeleteMarker"
                    if let size = ObjectSize.parse(sizeText) { current.size = size } else if badSize == nil {
                        badSize = "size \"\(sizeText.prefix(40))\" of \"\(current.key)\""
                    }
                    page.versions.append(current)
                    current = fresh()
                    sizeText = "0"
                default: break
                }
            case 3 where path[1] == "Version" || path[1] == "DeleteMarker":
                switch path[2] {
                case "Key": current.key = text
                case "VersionId": current.versionId = text
                case "IsLatest": current.isLatest = text == "true"
                case "Size": sizeText = text
                case "LastModified": current.lastModified = Timestamps.parseISO8601(text)
                case "ETag": current.etag = ObjectHead.unquote(text)
                default: break
                }
            default: break
            }
        }
        if let badSize { throw S3Error.invalidResponse("\(badSize) \(ObjectSize.outOfRange)") }
        // S3 rule 21, as for ListObjectsV2: keys and key markers are encoded, version ids not.
        if urlEncoded {
            var kept: [ObjectVersion] = []
            for var v in page.versions {
                if let decoded = URIEncoding.decodeExactly(v.key, plusIsSpace: true) {
                    v.key = decoded
                    kept.append(v)
                } else {
                    page.undecodable.append(v.key)
                }
            }
            page.versions = kept
            page.prefix = URIEncoding.decodeExactly(page.prefix, plusIsSpace: true) ?? page.prefix
            page.keyMarker = page.keyMarker.map { URIEncoding.decodeExactly($0, plusIsSpace: true) ?? $0 }
            if let marker = page.nextKeyMarker {
                // The marker goes back to the server in the next request: it must be exact.
                guard let decoded = URIEncoding.decodeExactly(marker, plusIsSpace: true) else {
                    let shown = marker.prefix(200)
                    throw S3Error.invalidResponse("NextKeyMarker \"\(shown)\" does not URL-decode to exact UTF-8")
                }
                page.nextKeyMarker = decoded
            }
        }
        if page.truncated && page.nextKeyMarker == nil {
            throw S3Error.invalidResponse("a truncated version listing without NextKeyMarker")
        }
        return page
    }
}
