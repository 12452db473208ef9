import Foundation

/// The calls that change a bucket: delete, copy (header edits), ACLs, multipart.
extension S3Client {
    public struct DeleteFailure: Sendable, Equatable {
        public var key: String
        public var code: String
        public var message: String
        public init(key: String, code: String, message: String) {
            self.key = key
            self.code = code
            self.message = message
        }
    }

    /// One DeleteObjects request (S3 rule 7): at most 1000 keys, Content-MD5 always, keys
    /// XML-escaped, per-key `<Error>`s returned as failures. Keys that XML 1.0 cannot carry
    /// (control characters) must go through `deleteObject` instead.
    public func deleteObjects(bucket: String, keys: [(key: String, versionId: String?)]) throws -> [DeleteFailure] {
        precondition(keys.count <= 1000, "DeleteObjects takes at most 1000 keys")
        if keys.isEmpty { return [] }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
        for k in keys {
            xml += "<Object><Key>\(XMLText.escape(k.key))</Key>"
            if let v = k.versionId { xml += "<VersionId>\(XMLText.escape(v))</VersionId>" }
            xml += "</Object>"
        }
        xml += "</Delete>"
        let body = Data(xml.utf8)
        let request = S3Request(method: "POST", bucket: bucket, query: [("delete", "")],
                                headers: [("Content-Type", "application/xml"),
                                          ("Content-MD5", Digest.md5(body).base64)],
                                body: .data(body))
        let response = try perform(request)
        return try DeleteResultParser.parse(response.body)
    }

    public func deleteObject(bucket: String, key: String, versionId: String? = nil) throws {
        var query: [(String, String)] = []
        if let versionId { query.append(("versionId", versionId)) }
        _ = try perform(S3Request(method: "DELETE", bucket: bucket, key: key, query: query))
    }

    /// Copies an object onto `key` with exactly `headers` (REPLACE): the caller re-sends
    /// every header it wants kept (S3 rule 1). With `headers` nil the server copies the
    /// source's (COPY), for a copy to another key that changes nothing. Tags are kept by the
    /// server (rule 3).
    public func copyObject(bucket: String, key: String, sourceBucket: String, sourceKey: String,
                           sourceVersionId: String? = nil, headers: [(String, String)]?,
                           ifMatch: String? = nil) throws -> String {
        var h = headers ?? []
        h.append(("x-amz-copy-source", copySource(sourceBucket, sourceKey, sourceVersionId)))
        h.append(("x-amz-metadata-directive", headers == nil ? "COPY" : "REPLACE"))
        h.append(("x-amz-tagging-directive", "COPY"))
        if let ifMatch { h.append(("x-amz-copy-source-if-match", "\"\(ifMatch)\"")) }
        var request = S3Request(method: "PUT", bucket: bucket, key: key, headers: h)
        request.longRunning = true
        return try expectResult(try perform(request), root: "CopyObjectResult", call: "CopyObject", request: request)
    }

    /// The ETag of a 200 to CopyObject, UploadPartCopy or CompleteMultipartUpload, which is a
    /// success only when the whole body is the result element the call names (S3 rule 5):
    /// an `<Error>` after any amount of whitespace, an empty body, HTML or anything else is
    /// a failure, so a header edit is never reported done when nothing was written.
    func expectResult(_ response: HTTPResponse, root: String, call: String, request: S3Request) throws -> String {
        var etag = ""
        do {
            try XMLDocumentReader.read(response.body, what: call, root: root) { path, text in
                if path.count == 2 && path[1] == "ETag" { etag = ObjectHead.unquote(text) }
            }
        } catch S3Error.invalidResponse(let why) {
            let server = host(for: request.bucket)
            throw S3Error.serverFault("the server at \(server) answered \(call) of \(request.resource) with HTTP "
                                      + "\(response.status) but no \(root) (\(why)); it is not counted as done")
        }
        return etag
    }

    /// `x-amz-copy-source` is URL-encoded too (S3 rule 16).
    func copySource(_ bucket: String, _ key: String, _ versionId: String?) -> String {
        var s = URIEncoding.encodePath("\(bucket)/\(key)")
        if let versionId { s += "?versionId=" + URIEncoding.encode(versionId) }
        return s
    }

    public struct Grant: Sendable, Equatable {
        /// `id="…"`, `uri="…"` or `emailAddress="…"`, as x-amz-grant-* headers want it.
        public var grantee: String
        public var permission: String
    }

    public struct AccessControlList: Sendable, Equatable {
        public var ownerId: String?
        public var grants: [Grant]

        static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
        static let authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

        /// The canned ACL these grants amount to, if any.
        public var canned: String? {
            let owner = ownerId.map { "id=\"\($0)\"" }
            let others = Set(grants.filter { $0.grantee != owner }.map { "\($0.grantee) \($0.permission)" })
            let ownerFull = grants.contains { owner != nil && $0.grantee == owner && $0.permission == "FULL_CONTROL" }
            guard ownerFull else { return nil }
            if others.isEmpty { return "private" }
            if others == ["uri=\"\(Self.allUsers)\" READ"] { return "public-read" }
            if others == ["uri=\"\(Self.allUsers)\" READ", "uri=\"\(Self.allUsers)\" WRITE"] {
                return "public-read-write"
            }
            if others == ["uri=\"\(Self.authenticatedUsers)\" READ"] { return "authenticated-read" }
            return nil
        }

        /// Headers that give a copy these exact grants (S3 rule 2).
        public var headers: [(String, String)] {
            if let canned { return [("x-amz-acl", canned)] }
            var byPermission: [String: [String]] = [:]
            for g in grants { byPermission[g.permission, default: []].append(g.grantee) }
            let names = ["READ": "x-amz-grant-read", "WRITE": "x-amz-grant-write", "READ_ACP": "x-amz-grant-read-acp",
                         "WRITE_ACP": "x-amz-grant-write-acp", "FULL_CONTROL": "x-amz-grant-full-control"]
            return byPermission.keys.sorted().compactMap { p in
                names[p].map { ($0, byPermission[p]!.joined(separator: ", ")) }
            }
        }
    }

    public func getObjectAcl(bucket: String, key: String) throws -> AccessControlList {
        let response = try perform(S3Request(method: "GET", bucket: bucket, key: key, query: [("acl", "")]))
        return try AccessControlPolicyParser.parse(response.body)
    }

    /// The bucket's Object Ownership setting ("BucketOwnerEnforced" means ACLs are disabled),
    /// or nil when the bucket has none or the server does not say.
    public func getBucketOwnership(bucket: String) -> String? {
        let request = S3Request(method: "GET", bucket: bucket, query: [("ownershipControls", "")])
        guard let response = try? perform(request) else { return nil }
        var ownership: String?
        try? XMLDocumentReader.read(response.body, what: "OwnershipControls", root: "OwnershipControls") { path, text in
            if path == ["OwnershipControls", "Rule", "ObjectOwnership"] { ownership = text }
        }
        return ownership
    }

    /// "Enabled", "Suspended", or nil for a bucket that never had versioning.
    public func getBucketVersioning(bucket: String) throws -> String? {
        let response = try perform(S3Request(method: "GET", bucket: bucket, query: [("versioning", "")]))
        var status: String?
        // moto names the document GetBucketVersioningResponse (its serializer's name for the
        // call); any other root but the AWS one is still an error.
        let moto = "GetBucketVersioningResponse"
        let root = XMLDocumentReader.prolog(response.body).root == moto ? moto : "VersioningConfiguration"
        try XMLDocumentReader.read(response.body, what: "VersioningConfiguration", root: root) { path, text in
            if path == [root, "Status"] { status = text }
        }
        return status
    }

    public func getObjectTagging(bucket: String, key: String) throws -> [(String, String)] {
        let response = try perform(S3Request(method: "GET", bucket: bucket, key: key, query: [("tagging", "")]))
        var tags: [(String, String)] = []
        var k = ""
        try XMLDocumentReader.read(response.body, what: "Tagging", root: "Tagging") { path, text in
            if path.last == "Key" { k = text }
            if path.last == "Value" { tags.append((k, text)) }
        }
        return tags
    }

    // MARK: Multipart

    public func createMultipartUpload(bucket: String, key: String, headers: [(String, String)]) throws -> String {
        let response = try perform(S3Request(method: "POST", bucket: bucket, key: key, query: [("uploads", "")],
                                             headers: headers))
        var uploadId: String?
        let root = "InitiateMultipartUploadResult"
        try XMLDocumentReader.read(response.body, what: root, root: root) { path, text in
            if path.last == "UploadId" { uploadId = text }
        }
        guard let id = uploadId, !id.isEmpty else {
            throw S3Error.invalidResponse("CreateMultipartUpload returned no UploadId")
        }
        return id
    }

    public func uploadPart(bucket: String, key: String, uploadId: String, partNumber: Int, body: RequestBody,
                           contentMD5: [UInt8]? = nil, progress: TransferProgress? = nil,
                           cancel: CancellationFlag? = nil) throws -> String {
        var request = S3Request(method: "PUT", bucket: bucket, key: key,
                                query: [("partNumber", String(partNumber)), ("uploadId", uploadId)], body: body)
        request.headers.append(("Content-MD5", try (contentMD5 ?? Self.md5(of: body)).base64))
        request.progress = progress
        request.cancel = cancel
        let response = try perform(request)
        return ObjectHead.unquote(response.header("ETag") ?? "")
    }

    public func uploadPartCopy(bucket: String, key: String, uploadId: String, partNumber: Int, sourceBucket: String,
                               sourceKey: String, range: ClosedRange<Int64>, ifMatch: String?) throws -> String {
        var headers = [("x-amz-copy-source", copySource(sourceBucket, sourceKey, nil)),
                       ("x-amz-copy-source-range", "bytes=\(range.lowerBound)-\(range.upperBound)")]
        if let ifMatch { headers.append(("x-amz-copy-source-if-match", "\"\(ifMatch)\"")) }
        var request = S3Request(method: "PUT", bucket: bucket, key: key,
                                query: [("partNumber", String(partNumber)), ("uploadId", uploadId)], headers: headers)
        request.longRunning = true
        return try expectResult(try perform(request), root: "CopyPartResult", call: "UploadPartCopy", request: request)
    }

    public func completeMultipartUpload(bucket: String, key: String, uploadId: String,
                                        parts: [(number: Int, etag: String)]) throws -> String {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for p in parts {
            xml += "<Part><PartNumber>\(p.number)</PartNumber><ETag>\"\(XMLText.escape(p.etag))\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var request = S3Request(method: "POST", bucket: bucket, key: key, query: [("uploadId", uploadId)],
                                headers: [("Content-Type", "application/xml")], body: .data(Data(xml.utf8)))
        request.longRunning = true
        return try expectResult(try perform(request), root: "CompleteMultipartUploadResult",
                                call: "CompleteMultipartUpload", request: request)
    }

    /// A copy too large for CopyObject (over 5 GiB): CreateMultipartUpload with `headers` and
    /// the source's tags, UploadPartCopy ranges pinned with If-Match, Complete; aborted on any
    /// failure so no parts are left behind (rules 4, 11).
    /// `cancel` is checked before each part and before the completion: a cancelled copy is
    /// aborted, so no upload is left stored (and billed).
    public func multipartCopy(bucket: String, key: String, sourceBucket: String, sourceKey: String, size: Int64,
                              etag: String, headers: [(String, String)], partSize: Int64,
                              cancel: CancellationFlag? = nil) throws {
        var h = headers
        let tags = (try? getObjectTagging(bucket: sourceBucket, key: sourceKey)) ?? []
        if !tags.isEmpty {
            let tagging = tags.map { URIEncoding.encode($0.0) + "=" + URIEncoding.encode($0.1) }
            h.append(("x-amz-tagging", tagging.joined(separator: "&")))
        }
        let uploadId = try createMultipartUpload(bucket: bucket, key: key, headers: h)
        do {
            var parts: [(number: Int, etag: String)] = []
            var offset: Int64 = 0
            while offset < size {
                if cancel?.isCancelled == true { throw S3Error.cancelled }
                let end = min(size, offset + partSize) - 1
                let partETag = try uploadPartCopy(bucket: bucket, key: key, uploadId: uploadId,
                                                  partNumber: parts.count + 1, sourceBucket: sourceBucket,
                                                  sourceKey: sourceKey, range: offset...end, ifMatch: etag)
                parts.append((parts.count + 1, partETag))
                offset = end + 1
            }
            if cancel?.isCancelled == true { throw S3Error.cancelled }
            _ = try completeMultipartUpload(bucket: bucket, key: key, uploadId: uploadId, parts: parts)
        } catch {
            try? abortMultipartUpload(bucket: bucket, key: key, uploadId: uploadId)
            throw error
        }
    }

    public func abortMultipartUpload(bucket: String, key: String, uploadId: String) throws {
        _ = try perform(S3Request(method: "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadId)]))
    }
}
