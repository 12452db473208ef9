import Foundation

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
