import Foundation
import S3

/// Where the objects below a prefix come from: a listing, or an S3 Inventory report read in
/// its place. Both hand batches to the same `emit`; only a listing promises key order.
public enum ObjectSource {
    case listing(S3Client)
    case inventory(InventoryReport)

    /// `ordered: false` lets a listing hand over pages as they come (totals need no order).
    /// `needs`: the fields besides key and size the caller reads; a report leaves the others
    /// undecoded (nil or empty), which is most of a row's cost.
    public func list(bucket: String, prefix: String, ordered: Bool = true, needs: ObjectFields = .all,
                     cancel: CancellationFlag? = nil, emit: @escaping ([ObjectSummary]) throws -> Void) throws {
        switch self {
        case .listing(let client):
            let lister = RecursiveLister(client: client)
            if ordered {
                try lister.list(bucket: bucket, prefix: prefix, cancel: cancel, emit: emit)
            } else {
                try lister.listUnordered(bucket: bucket, prefix: prefix, cancel: cancel, emit: emit)
            }
        case .inventory(let report):
            try report.read(sourceBucket: bucket, prefix: prefix, needs: needs, cancel: cancel, emit: emit)
        }
    }
}
