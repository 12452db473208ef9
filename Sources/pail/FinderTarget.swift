import Foundation
import Operations
import S3

/// What `du`, `dupes` and `find` read: the bucket, the prefix taken up to a "/" (S3 rule 8),
/// the client, and the objects' source (a listing, or the inventory report `--inventory`
/// names). One place, so the finders cannot drift apart
/// in how they read a target.
struct FinderTarget {
    let bucket: String
    let prefix: String
    let client: S3Client
    let source: ObjectSource

    init(_ target: String, global: GlobalOptionGroup, inventory: InventoryOptions) throws {
        let uri = try S3URI(parsing: target)
        bucket = uri.bucket
        prefix = S3URI.boundedPrefix(uri.key)
        client = try global.makeClient()
        source = try inventory.source(client: client)
    }
}

extension Progress {
    /// The count of objects looked at by a finder whose matches stream to stdout: shown only
    /// when stdout is not the terminal too, since on a terminal the matches show the work.
    static func besideMatches() -> Progress {
        Progress("scanned", enabled: StandardError.isTerminal && isatty(1) == 0)
    }
}
