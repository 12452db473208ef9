import Foundation

enum AccessControlPolicyParser {
    static func parse(_ data: Data) throws -> S3Client.AccessControlList {
        var acl = S3Client.AccessControlList(ownerId: nil, grants: [])
        var grantee = ""
        var granteeType = ""
        var permission = ""
        try XMLDocumentReader.read(data, what: "AccessControlPolicy", root: "AccessControlPolicy", onStart: { path in
            if path.last == "Grant" { grantee = ""; granteeType = ""; permission = "" }
        }) { path, text in
            if path.count == 3 && path[1] == "Owner" && path[2] == "ID" { acl.ownerId = text }
            guard path.count >= 3, path[1] == "AccessControlList" else { return }
            switch path.last! {
            case "ID" where path.contains("Grantee"): grantee = text; granteeType = "id"
            case "URI" where path.contains("Grantee"): grantee = text; granteeType = "uri"
            case "EmailAddress" where path.contains("Grantee"): grantee = text; granteeType = "emailAddress"
            case "Permission": permission = text
            case "Grant":
                if !grantee.isEmpty {
                    acl.grants.append(S3Client.Grant(grantee: "\(granteeType)=\"\(grantee)\"", permission: permission))
                }
            default: break
            }
        }
        return acl
    }
}
