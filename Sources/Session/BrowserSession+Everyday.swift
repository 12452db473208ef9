import Browser
import Foundation
import Operations
import S3

/// The everyday path's effects: the jump prompt's prefix completion, ...
extension BrowserSession {
    /// How many prefixes one completion lists at most: one page, so Tab answers in one
    /// request whatever the bucket's size.
    static let completionLimit = 1000

    /// One delimiter listing of the typed prefix, on a worker: its common prefixes are the
    /// choices (a prefix and its own "folder marker" object are not).
    func completePrefix(id: RequestID, bucket: String, prefix: String) {
        listings.submit { [self] in
            do {
                let page = try client.listObjectsV2(bucket: bucket, prefix: prefix, delimiter: "/",
                                                    maxKeys: Self.completionLimit)
                let found = page.commonPrefixes.filter { $0.hasBytePrefix(prefix) && !$0.bytesEqual(prefix) }
                queue.post(.prefixCompletions(id: id, .success(found)))
            } catch {
                queue.post(.prefixCompletions(id: id, .failure(BrowserError(describe(error)))))
            }
        }
    }
}
