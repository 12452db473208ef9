import Foundation

extension S3Client {
    /// Every incomplete multipart upload below `prefix`, page after page. Keys outside the
    /// prefix are dropped with a warning, and markers that do not advance stop the listing,
    /// as for object listings. `limit`: stop after the page that reaches it (`du` only counts).
    public func listMultipartUploads(bucket: String, prefix: String, limit: Int = .max,
                                     cancel: CancellationFlag? = nil) throws -> [MultipartUpload] {
        var out: [MultipartUpload] = []
        var keyMarker: String?
        var uploadMarker: String?
        var seen = Set<[String]>()
        var dropped = 0
        repeat {
            if cancel?.isCancelled == true { throw S3Error.cancelled }
            var query: [(String, String)] = [("uploads", ""), ("encoding-type", "url")]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let uploadMarker { query.append(("upload-id-marker", uploadMarker)) }
            var request = S3Request(method: "GET", bucket: bucket, query: query)
            request.cancel = cancel
            let page = try ListUploadsParser.parse(try perform(request).body)
            dropped += page.undecodable
            for u in page.uploads {
                if u.key.hasBytePrefix(prefix) { out.append(u) } else { dropped += 1 }
            }
            guard page.truncated, out.count < limit else { break }
            guard let next = page.nextKeyMarker, seen.insert([next, page.nextUploadIdMarker ?? ""]).inserted,
                  !page.uploads.isEmpty else {
                throw S3Error.serverFault("the server's list of multipart uploads in s3://\(bucket)/\(prefix) does not "
                                          + "advance (a repeated or missing marker); stopping")
            }
            keyMarker = next
            uploadMarker = page.nextUploadIdMarker
        } while true
        if dropped > 0 {
            warn?("the server listed \(dropped) multipart upload\(dropped == 1 ? "" : "s") outside "
                  + "s3://\(bucket)/\(prefix) or with keys that do not decode exactly; they were left out")
        }
        return out
    }

    /// The parts an upload holds, for its size.
    public func listParts(bucket: String, key: String, uploadId: String, cancel: CancellationFlag? = nil) throws
        -> [UploadedPart] {
        var out: [UploadedPart] = []
        var marker: Int?
        repeat {
            var query: [(String, String)] = [("uploadId", uploadId)]
            if let marker { query.append(("part-number-marker", String(marker))) }
            var request = S3Request(method: "GET", bucket: bucket, key: key, query: query)
            request.cancel = cancel
            let page = try ListPartsParser.parse(try perform(request).body)
            out += page.parts
            guard page.truncated else { break }
            // S3 allows at most 10,000 parts; markers must grow.
            guard let next = page.nextMarker, next > (marker ?? 0), next <= 10_000 else {
                throw S3Error.serverFault("the server's list of parts of an upload of \(key) does not advance; "
                                          + "stopping")
            }
            marker = next
        } while true
        return out
    }
}
