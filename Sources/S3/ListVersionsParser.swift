import Foundation

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
