import Foundation
import FoundationXML

enum ListObjectsV2Parser {
    static func parse(_ data: Data) throws -> ListPage {
        var page = ListPage()
        var urlEncoded = false
        var key = "", etag = "", sizeText = "0", modified: Date? = nil, storageClass: String? = nil
        var commonPrefix = ""
        var badSize: String?
        try XMLDocumentReader.read(data, what: "ListObjectsV2", root: "ListBucketResult") { path, text in
            switch path.count {
            case 2:
                switch path[1] {
                case "Name": page.bucket = text
                case "Prefix": page.prefix = text
                case "IsTruncated": page.isTruncated = text == "true"
                case "NextContinuationToken": page.nextContinuationToken = text
                case "EncodingType": urlEncoded = text.lowercased() == "url"
                case "Contents":
                    let size = ObjectSize.parse(sizeText)
                    if size == nil && badSize == nil { badSize = "size \"\(sizeText.prefix(40))\" of \"\(key)\"" }
                    page.objects.append(ObjectSummary(key: key, size: size ?? 0, lastModified: modified,
                                                      etag: etag, storageClass: storageClass))
                    key = ""; etag = ""; sizeText = "0"; modified = nil; storageClass = nil
                case "CommonPrefixes":
                    page.commonPrefixes.append(commonPrefix)
                    commonPrefix = ""
                default: break
                }
            case 3:
                if path[1] == "Contents" {
                    switch path[2] {
                    case "Key": key = text
                    case "ETag": etag = ObjectHead.unquote(text)
                    case "Size": sizeText = text
                    case "LastModified": modified = Timestamps.parseISO8601(text)
                    case "StorageClass": storageClass = text
                    default: break
                    }
                } else if path[1] == "CommonPrefixes" && path[2] == "Prefix" {
                    commonPrefix = text
                }
            default: break
            }
        }
        // A size is something pail allocates and preallocates from: out of S3's range, the
        // listing is not believed at all.
        if let badSize { throw S3Error.invalidResponse("\(badSize) \(ObjectSize.outOfRange)") }
        // S3 rule 21: decode only when the server says it encoded (some ignore the parameter).
        // A key that does not decode exactly is set aside, never turned into another key.
        if urlEncoded {
            page.prefix = URIEncoding.decodeExactly(page.prefix, plusIsSpace: true) ?? page.prefix
            var objects: [ObjectSummary] = []
            objects.reserveCapacity(page.objects.count)
            for var o in page.objects {
                if let decoded = URIEncoding.decodeExactly(o.key, plusIsSpace: true) {
                    o.key = decoded
                    objects.append(o)
                } else {
                    page.undecodable.append(o.key)
                }
            }
            page.objects = objects
            page.commonPrefixes = page.commonPrefixes.compactMap { p in
                if let decoded = URIEncoding.decodeExactly(p, plusIsSpace: true) { return decoded }
                page.undecodable.append(p)
                return nil
            }
        }
        if page.isTruncated && (page.nextContinuationToken ?? "").isEmpty {
            throw S3Error.invalidResponse("a truncated listing without NextContinuationToken")
        }
        return page
    }
}
