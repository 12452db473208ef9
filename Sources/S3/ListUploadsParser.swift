import Foundation

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
