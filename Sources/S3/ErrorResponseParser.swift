import Foundation
import FoundationXML

enum ErrorResponseParser {
    /// Reads `<Error><Code/><Message/><RequestId/>...</Error>`; nil if the body is not one.
    static func parse(_ data: Data, status: Int) -> ServiceError? {
        guard !data.isEmpty else { return nil }
        var fields: [String: String] = [:]
        var isError = false
        do {
            try XMLDocumentReader.read(data, what: "error", root: "Error") { path, text in
                if path.count == 1 && path[0] == "Error" { isError = true }
                if path.count == 2 && path[0] == "Error" { fields[path[1]] = text }
            }
        } catch { return nil }
        guard isError, let code = fields["Code"] else { return nil }
        return ServiceError(status: status, code: code, message: fields["Message"] ?? "",
                            requestId: fields["RequestId"], region: fields["Region"],
                            endpoint: fields["Endpoint"])
    }
}
