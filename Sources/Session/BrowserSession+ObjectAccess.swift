import Browser
import Foundation
import Operations
import S3

/// The details pane's Tags and ACL lines: read with the details HEAD (after it, on its
/// worker), at most `shownTags` tags and `shownGrants` grants, and a server that does
/// not keep tags or ACLs (or keys that may not read them) said as a line, not an error.
extension BrowserSession {
    static let shownTags = 10
    static let shownGrants = 6

    /// The HEAD's rows followed by the tags and ACL rows. One after the other on the details
    /// worker: no thread waits on another (a pool of waiting threads can starve), and the
    /// details HEAD is one object at a time, after the cursor rests.
    func detailRowsWithAccess(bucket: String, key: String) throws -> [DetailRow] {
        let client = self.client
        let head = try client.headObject(bucket: bucket, key: key)
        guard io.readsObjectAccess else { return Self.detailRows(head) }
        return Self.detailRows(head) + Self.tagRows(client: client, bucket: bucket, key: key)
            + Self.aclRows(client: client, bucket: bucket, key: key)
            + [DetailRow(" ", "edit: pail tags --set k=v, pail acl --set-canned")]
    }

    static func tagRows(client: S3Client, bucket: String, key: String) -> [DetailRow] {
        do {
            let tags = try client.getObjectTagging(bucket: bucket, key: key)
            guard !tags.isEmpty else { return [DetailRow("Tags", "none")] }
            var rows = tags.prefix(shownTags).enumerated().map { i, tag in
                DetailRow(i == 0 ? "Tags" : " ", "\(tag.0)=\(tag.1)")
            }
            if tags.count > shownTags { rows.append(DetailRow(" ", "… \(tags.count - shownTags) more (pail tags)")) }
            return rows
        } catch {
            return [unreadable("Tags", error)]
        }
    }

    static func aclRows(client: S3Client, bucket: String, key: String) -> [DetailRow] {
        do {
            let acl = try client.getObjectAcl(bucket: bucket, key: key)
            var rows = [DetailRow("ACL", acl.canned ?? "custom grants")]
            let owner = acl.ownerId.map { "id=\"\($0)\"" }
            for grant in acl.grants.prefix(shownGrants) {
                rows.append(DetailRow(" ", "\(grant.permission) \(grantee(grant.grantee, owner: owner))"))
            }
            if acl.grants.count > shownGrants {
                rows.append(DetailRow(" ", "… \(acl.grants.count - shownGrants) more grants (pail acl)"))
            }
            if acl.grants.contains(where: { $0.grantee.contains("/global/AllUsers") }) {
                rows[0].isWarning = true  // readable (or writable) by anyone
            }
            return rows
        } catch {
            return [unreadable("ACL", error)]
        }
    }

    /// A grantee as a person reads it: the owner, everyone, any AWS account, or its id.
    static func grantee(_ grantee: String, owner: String?) -> String {
        if grantee == owner { return "owner" }
        if grantee.hasSuffix("/global/AllUsers\"") { return "everyone (AllUsers)" }
        if grantee.hasSuffix("/global/AuthenticatedUsers\"") { return "any AWS account (AuthenticatedUsers)" }
        return grantee
    }

    static func unreadable(_ name: String, _ error: Error) -> DetailRow {
        var row: DetailRow
        if case S3Error.service(let e) = error, e.code == "NotImplemented" || e.status == 501 {
            row = DetailRow(name, "not supported by this server")
        } else if case S3Error.service(let e) = error, e.code == "AccessDenied" || e.status == 403 {
            row = DetailRow(name, "not readable (AccessDenied)")
        } else {
            let line = describe(error).split(separator: "\n").first.map(String.init) ?? ""
            row = DetailRow(name, "not read: " + String(line.prefix(200)))
        }
        row.isWarning = false
        return row
    }
}
