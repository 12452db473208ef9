import Foundation

/// Object tags read and written whole: what a copy needs to put them back on a server that
/// dropped them (Ceph RGW ignores `x-amz-tagging-directive: COPY` when metadata is replaced).
extension S3Client {
    /// The object's tags in the server's order. Strict about the document: only
    /// `Tagging/TagSet/Tag` counts, and any other document is an error, never a parse of the
    /// wrong thing; an empty 200 body is no tags (RGW's answer for an object never tagged).
    public func getObjectTagSet(bucket: String, key: String, versionId: String? = nil) throws -> [(String, String)] {
        var query: [(String, String)] = [("tagging", "")]
        if let versionId { query.append(("versionId", versionId)) }
        let response = try perform(S3Request(method: "GET", bucket: bucket, key: key, query: query))
        return try TaggingParser.parse(response.body)
    }

    /// Replaces the object's tags with `tags` (PUT ?tagging).
    public func putObjectTagging(bucket: String, key: String, tags: [(String, String)]) throws {
        let body = Data(try TaggingParser.document(tags).utf8)
        let headers = [("Content-Type", "application/xml"), ("Content-MD5", Digest.md5(body).base64)]
        let request = S3Request(method: "PUT", bucket: bucket, key: key, query: [("tagging", "")], headers: headers,
                                body: .data(body))
        _ = try perform(request)
    }
}
