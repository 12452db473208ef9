import Browser
import Foundation
import Operations
import S3

extension BrowserSession {
    /// Lists one level of the tree (delimiter "/") and posts its pages in key order; a flat
    /// level of many pages is listed in key ranges at once (`LevelLister`). The token's flag
    /// (leaving the level, `r`, ^C) stops every range.
    func list(_ node: NodeID, token: Int, cancel: CancellationFlag) {
        defer { lock.withLock { _ = listingFlags.removeValue(forKey: token) } }
        let base = node.prefix
        do {
            try LevelLister(client: client).list(bucket: node.bucket, prefix: node.prefix, cancel: cancel,
                                                 convert: { Self.listed($0, $1, under: base) }) { page in
                queue.post(.listed(node: node, token: token, prefixes: page.prefixes, objects: page.objects))
            }
            queue.post(.listingFinished(node: node, token: token, error: nil))
        } catch S3Error.cancelled {
            queue.post(.listingFinished(node: node, token: token, error: nil))
        } catch {
            queue.post(.listingFinished(node: node, token: token, error: BrowserError(describe(error))))
        }
    }

    /// A page's entries as the tree keeps them: names below the level.
    static func listed(_ prefixes: [String], _ objects: [ObjectSummary],
                       under base: String) -> (prefixes: [String], objects: [ListedObject]) {
        let names = prefixes.map { $0.droppingBytePrefix(base) }.filter { !$0.isEmpty }
        var listed: [ListedObject] = []
        listed.reserveCapacity(objects.count)
        for o in objects {
            let name = o.key.droppingBytePrefix(base)
            if name.isEmpty { continue }  // the "folder marker" object named like the prefix
            listed.append(ListedObject(name: name, size: o.size,
                                       modified: o.lastModified?.timeIntervalSince1970 ?? .nan,
                                       storageClass: StorageClassCode(o.storageClass)))
        }
        return (names, listed)
    }
}
