import Foundation

extension S3Client {
    /// Every version and delete marker of the keys under `prefix`, newest first per key.
    /// Pages are checked as ListObjectsV2 pages are (`ListingCheck`): keys outside the prefix
    /// or that do not decode are dropped with one warning, markers that would never end stop
    /// the listing.
    public func listObjectVersions(bucket: String, prefix: String,
                                   cancel: CancellationFlag? = nil) throws -> [ObjectVersion] {
        var check = ListingCheck(bucket: bucket, prefix: prefix, delimiter: nil, host: host(for: bucket))
        defer { if let w = check.warning { warn?(w) } }
        var out: [ObjectVersion] = []
        var keyMarker: String?
        var versionMarker: String?
        repeat {
            if cancel?.isCancelled == true { throw S3Error.cancelled }
            var query: [(String, String)] = [("versions", ""), ("encoding-type", "url")]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let versionMarker { query.append(("version-id-marker", versionMarker)) }
            var request = S3Request(method: "GET", bucket: bucket, query: query)
            request.cancel = cancel
            var page = try ListVersionsParser.parse(try perform(request).body)
            try check.admit(&page)
            out += page.versions
            keyMarker = page.truncated ? page.nextKeyMarker : nil
            versionMarker = page.truncated ? page.nextVersionIdMarker : nil
        } while keyMarker != nil
        return out
    }

    /// Copies an older version over the current one with its own headers (COPY): the restore.
    /// Done only when the server answers with a CopyObjectResult (S3 rule 5).
    public func copyVersion(bucket: String, key: String, versionId: String, headers: [(String, String)]) throws {
        var h = headers
        h.append(("x-amz-copy-source", copySource(bucket, key, versionId)))
        h.append(("x-amz-metadata-directive", "COPY"))
        var request = S3Request(method: "PUT", bucket: bucket, key: key, headers: h)
        request.longRunning = true
        _ = try expectResult(try perform(request), root: "CopyObjectResult", call: "CopyObject", request: request)
    }

    public func getObjectAcl(bucket: String, key: String, versionId: String) throws -> AccessControlList {
        let response = try perform(S3Request(method: "GET", bucket: bucket, key: key,
                                             query: [("acl", ""), ("versionId", versionId)]))
        return try AccessControlPolicyParser.parse(response.body)
    }
}
