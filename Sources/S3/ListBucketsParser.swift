import Foundation
import FoundationXML

enum ListBucketsParser {
    static func parse(_ data: Data) throws -> [Bucket] {
        var buckets: [Bucket] = []
        var name = ""
        var created: Date?
        var sawRoot = false
        try XMLDocumentReader.read(data, what: "ListAllMyBuckets", root: "ListAllMyBucketsResult") { path, text in
            if path.count == 1 { sawRoot = path[0] == "ListAllMyBucketsResult" }
            guard path.count == 4, path[1] == "Buckets" else {
                if path.count == 3, path[1] == "Buckets", path[2] == "Bucket" {
                    buckets.append(Bucket(name: name, creationDate: created))
                    name = ""
                    created = nil
                }
                return
            }
            switch path[3] {
            case "Name": name = text
            case "CreationDate": created = Timestamps.parseISO8601(text)
            default: break
            }
        }
        guard sawRoot else { throw S3Error.invalidResponse("expected ListAllMyBucketsResult") }
        return buckets
    }
}
