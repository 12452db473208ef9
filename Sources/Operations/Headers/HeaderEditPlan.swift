import Foundation
import S3

/// What the preview pass found: the counts per field, and (unless a dry run) the spool of the
/// objects that will change, with the ETag each had.
public struct HeaderEditPlan: @unchecked Sendable {
    public let bucket: String
    public let changes: HeaderChanges
    public let tally: PreviewTally
    /// Objects that could not be read, left out of the plan.
    public let unreadable: Int
    let spool: EditSpool?

    public var objects: Int { tally.objects }
    public var changing: Int { tally.changing }

    /// The planned entries (key and previewed ETag), a page at a time, in the preview's order.
    public func entries(_ page: ([HeaderEditor.Entry]) throws -> Void) throws {
        try spool?.pages(HeaderEditPlanner.pageSize, page)
    }
}
