import Foundation
import S3

/// The versions of one object on a versioned bucket: list them, delete one for good, or
/// restore one by copying it over the current version.
public struct Versions {
    public let client: S3Client
    public init(client: S3Client) { self.client = client }

    /// Versions and delete markers of exactly `key`, newest first: the server's own order
    /// (dates have one-second resolution and tie), with the current version on top.
    public func list(bucket: String, key: String) throws -> [ObjectVersion] {
        let all = try client.listObjectVersions(bucket: bucket, prefix: key).filter { $0.key.bytesEqual(key) }
        return all.filter(\.isLatest) + all.filter { !$0.isLatest }
    }

    /// Removes one version (or delete marker) permanently: a DELETE with its version id.
    public func delete(bucket: String, key: String, versionId: String) throws {
        try client.deleteObject(bucket: bucket, key: key, versionId: versionId)
    }

    /// Makes `versionId` the current version again: a copy of it onto the key, with its own
    /// headers and its ACL sent along (the copy would otherwise reset it, S3 rule 2).
    public func restore(bucket: String, key: String, versionId: String) throws {
        var headers: [(String, String)] = []
        if client.getBucketOwnership(bucket: bucket) == "BucketOwnerEnforced" {
            try client.copyVersion(bucket: bucket, key: key, versionId: versionId, headers: [])
            return
        }
        do {
            headers = try client.getObjectAcl(bucket: bucket, key: key, versionId: versionId).headers
        } catch let S3Error.service(e) where ["NotImplemented", "MethodNotAllowed"].contains(e.code) {
            headers = []
        }
        try client.copyVersion(bucket: bucket, key: key, versionId: versionId, headers: headers)
    }
}
