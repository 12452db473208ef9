import Browser
import Foundation
import Operations
import S3

/// The count of a bucket's incomplete multipart uploads when it is opened: bounded, so a
/// bucket of a million forgotten uploads costs one request, not a million.
extension BrowserSession {
    /// Their parts are asked (one request each) only when at most this many are found.
    static let uploadsMeasuredOnOpen = 20
    /// A first page this full may have more behind it.
    static let uploadsPage = 1000

    func countUploads(id: RequestID, _ bucket: String) {
        listings.submit { [self] in
            queue.post(.uploadsCounted(id: id, bucket: bucket, uploadTotal(bucket)))
        }
    }

    private func uploadTotal(_ bucket: String) -> Result<UploadTotal, BrowserError> {
        do {
            // limit 1: the listing stops after its first page of uploads.
            let uploads = try client.listMultipartUploads(bucket: bucket, prefix: "", limit: 1)
            let atLeast = uploads.count >= Self.uploadsPage
            guard uploads.count <= Self.uploadsMeasuredOnOpen else {
                return .success(UploadTotal(count: uploads.count, atLeast: atLeast, bytes: nil))
            }
            var bytes: Int64 = 0
            for u in uploads {
                // A part list that cannot be read leaves the size to M, the count stands.
                guard let parts = try? client.listParts(bucket: bucket, key: u.key, uploadId: u.uploadId) else {
                    return .success(UploadTotal(count: uploads.count, atLeast: atLeast, bytes: nil))
                }
                bytes += parts.reduce(0) { $0 + $1.size }
            }
            return .success(UploadTotal(count: uploads.count, atLeast: atLeast, bytes: bytes))
        } catch {
            return .failure(BrowserError(describe(error)))
        }
    }
}
