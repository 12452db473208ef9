import Foundation

/// A multipart upload that was started and neither completed nor aborted: its parts are
/// stored and billed, and no listing of objects shows them.
public struct MultipartUpload: Sendable, Equatable {
    public var key: String
    public var uploadId: String
    public var initiated: Date?
    public var storageClass: String?
}

/// One stored part of an upload.
public struct UploadedPart: Sendable, Equatable {
    public var number: Int
    public var size: Int64
}

extension S3Client {
    /// Every incomplete multipart upload below `prefix`, page after page. Keys outside the
    /// prefix are dropped with a warning, and markers that do not advance stop the listing,
    /// as for object listings. `limit`: stop after the page that reaches it (`du` only counts).
    public func listMultipartUploads(bucket: String, prefix: String, limit: Int = .max,
                                     cancel: CancellationFlag? = nil) throws -> [MultipartUpload] {
        var out: [MultipartUpload] = []
        var keyMarker: String?
        var uploadMarker: String?
        var seen = Set<[String]>()
        var dropped = 0
        repeat {
            if cancel?.isCancelled == true { throw S3Error.cancelled }
            var query: [(String, String)] = [("uploads", ""), ("encoding-type", "url")]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let uploadMarker { query.append(("upload-id-marker", uploadMarker)) }
            var request = S3Request(method: "GET", bucket: bucket, query: query)
            request.cancel = cancel
            let page = try ListUploadsParser.parse(try perform(request).body)
            dropped += page.undecodable
            for u in page.uploads {
                if u.key.hasBytePrefix(prefix) { out.append(u) } else { dropped += 1 }
            }
            guard page.truncated, out.count < limit else { break }
            guard let next = page.nextKeyMarker, seen.insert([next, page.nextUploadIdMarker ?? ""]).inserted,
                  !page.uploads.isEmpty else {
                throw S3Error.serverFault("the server's list of multipart uploads in s3://\(bucket)/\(prefix) does not "
                                          + "advance (a repeated or missing marker); stopping")
            }
            keyMarker = next
            uploadMarker = page.nextUploadIdMarker
        } while true
        if dropped > 0 {
            warn?("the server listed \(dropped) multipart upload\(dropped == 1 ? "" : "s") outside "
                  + "s3://\(bucket)/\(prefix) or with keys that do not decode exactly; they were left out")
        }
        return out
    }

    /// The parts an upload holds, for its size.
    public func listParts(bucket: String, key: String, uploadId: String, cancel: CancellationFlag? = nil) throws
        -> [UploadedPart] {
        var out: [UploadedPart] = []
        var marker: Int?
        repeat {
            var query: [(String, String)] = [("uploadId", uploadId)]
            if let marker { query.append(("part-number-marker", String(marker))) }
            var request = S3Request(method: "GET", bucket: bucket, key: key, query: query)
            request.cancel = cancel
            let page = try ListPartsParser.parse(try perform(request).body)
            out += page.parts
            guard page.truncated else { break }
            // S3 allows at most 10,000 parts; markers must grow.
            guard let next = page.nextMarker, next > (marker ?? 0), next <= 10_000 else {
                throw S3Error.serverFault("the server's list of parts of an upload of \(key) does not advance; "
                                          + "stopping")
            }
            marker = next
        } while true
        return out
    }
}

enum ListUploadsParser {
    struct Page {
        var uploads: [MultipartUpload] = []
        var truncated = false
        var nextKeyMarker: String?
        var nextUploadIdMarker: String?
        var undecodable = 0
    }

    static func parse(_ data: Data) throws -> Page {
        var page = Page()
        var current = MultipartUpload(key: "", uploadId: "", initiated: nil, storageClass: nil)
        var urlEncoded = false
        var sawRoot = false
        try XMLDocumentReader.read(data, what: "ListMultipartUploadsResult") { path, text in
            switch path.count {
            case 1: sawRoot = path[0] == "ListMultipartUploadsResult"
            case 2:
                switch path[1] {
                case "IsTruncated": page.truncated = text == "true"
                case "NextKeyMarker": page.nextKeyMarker = text.isEmpty ? nil : text
                case "NextUploadIdMarker": page.nextUploadIdMarker = text.isEmpty ? nil : text
                case "EncodingType": urlEncoded = text.lowercased() == "url"
                case "Upload":
                    page.uploads.append(current)
                    current = MultipartUpload(key: "", uploadId: "", initiated: nil, storageClass: nil)
                default: break
                }
            case 3 where path[1] == "Upload":
                switch path[2] {
                case "Key": current.key = text
                case "UploadId": current.uploadId = text
                case "Initiated": current.initiated = Timestamps.parseISO8601(text)
                case "StorageClass": current.storageClass = text
                default: break
                }
            default: break
            }
        }
        guard sawRoot else { throw S3Error.invalidResponse("expected ListMultipartUploadsResult") }
        if urlEncoded {
            // A key that does not decode exactly is not one pail could abort by name.
            var exact: [MultipartUpload] = []
            for var u in page.uploads {
                guard let key = URIEncoding.decodeExactly(u.key, plusIsSpace: true) else {
                    page.undecodable += 1
                    continue
                }
                u.key = key
                exact.append(u)
            }
            page.uploads = exact
            page.nextKeyMarker = page.nextKeyMarker.map { URIEncoding.decode($0, plusIsSpace: true) }
        }
        return page
    }
}

enum ListPartsParser {
    struct Page {
        var parts: [UploadedPart] = []
        var truncated = false
        var nextMarker: Int?
    }

    static func parse(_ data: Data) throws -> Page {
        var page = Page()
        var number = 0
        var size: Int64 = 0
        var sawRoot = false
        var bad: String?
        try XMLDocumentReader.read(data, what: "ListPartsResult") { path, text in
            switch path.count {
            case 1: sawRoot = path[0] == "ListPartsResult"
            case 2:
                switch path[1] {
                case "IsTruncated": page.truncated = text == "true"
                case "NextPartNumberMarker": page.nextMarker = Int(text)
                case "Part":
                    page.parts.append(UploadedPart(number: number, size: size))
                    number = 0
                    size = 0
                default: break
                }
            case 3 where path[1] == "Part":
                switch path[2] {
                case "PartNumber": number = Int(text) ?? 0
                case "Size":
                    // A part holds at most 5 GiB.
                    if let v = Int64(text), v >= 0, v <= 5 << 30 { size = v } else { bad = text }
                default: break
                }
            default: break
            }
        }
        guard sawRoot else { throw S3Error.invalidResponse("expected ListPartsResult") }
        if let bad { throw S3Error.invalidResponse("a part size of \"\(bad)\" is not one S3 can hold") }
        return page
    }
}
