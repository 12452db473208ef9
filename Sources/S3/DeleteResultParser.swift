import Foundation

enum DeleteResultParser {
    /// An empty body is not "nothing failed": pail could not tell what was deleted.
    static func parse(_ data: Data) throws -> [S3Client.DeleteFailure] {
        var failures: [S3Client.DeleteFailure] = []
        var current = S3Client.DeleteFailure(key: "", code: "", message: "")
        var sawRoot = false
        try XMLDocumentReader.read(data, what: "DeleteResult", root: "DeleteResult") { path, text in
            if path.count == 1 { sawRoot = path[0] == "DeleteResult" }
            if path.count == 3 && path[1] == "Error" {
                switch path[2] {
                case "Key": current.key = text
                case "Code": current.code = text
                case "Message": current.message = text
                default: break
                }
            }
            if path.count == 2 && path[1] == "Error" {
                failures.append(current)
                current = S3Client.DeleteFailure(key: "", code: "", message: "")
            }
        }
        guard sawRoot else { throw S3Error.invalidResponse("expected DeleteResult") }
        return failures
    }
}
