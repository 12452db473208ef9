import Foundation
import S3

/// What a delete will remove, listed before anything is removed.
public struct DeletePlan: Sendable {
    public struct Item: Sendable, Equatable {
        public var key: String
        public var size: Int64
        public var etag: String
        public var lastModified: Date?
        public var versionId: String?
    }

    public var bucket: String
    /// Every object of the plan; for a spooled plan only the first few (shown), the rest
    /// are in `spool`.
    public var items: [Item]
    /// The whole plan on disk (`rm` of a prefix of any size), or nil when `items` is all.
    public var spool: DeleteSpool?
    /// The prefix being deleted recursively, if the plan came from one (always ends in "/").
    public var prefixes: [String]
    /// The bucket's versioning status: with "Enabled" a plain delete only adds delete markers.
    public var versioning: String?

    public init(bucket: String, items: [Item], prefixes: [String], versioning: String?) {
        self.bucket = bucket
        self.items = items
        self.prefixes = prefixes
        self.versioning = versioning
    }

    /// Objects in the plan.
    public var count: Int { spool?.count ?? items.count }
    public var totalBytes: Int64 { spool?.bytes ?? items.reduce(0) { $0 + $1.size } }
    public var addsDeleteMarkers: Bool { Self.addsDeleteMarkers(versioning: versioning) }

    /// On a bucket with versioning on (or once on), a plain delete only adds delete markers.
    public static func addsDeleteMarkers(versioning: String?) -> Bool {
        versioning == "Enabled" || versioning == "Suspended"
    }

    /// Whether the person must type the prefix or the count to confirm (not just "y").
    public var needsTypedConfirmation: Bool { !prefixes.isEmpty || count > 100 }

    /// What must be typed: the prefix for one prefix, otherwise the count.
    public var confirmationWord: String {
        prefixes.count == 1 ? "s3://\(bucket)/\(prefixes[0])" : String(count)
    }

    /// A short description for the confirmation: count, size, the first keys, versioning.
    public func summary(firstKeys n: Int = 5) -> [String] {
        var lines = ["\(count) object\(count == 1 ? "" : "s"), \(ByteCount.format(totalBytes)), "
                     + "in s3://\(bucket)/"]
        for item in items.prefix(n) { lines.append("  " + TerminalSafe.escape(item.key)) }
        if count > n { lines.append("  … and \(count - n) more") }
        if addsDeleteMarkers {
            lines.append("versioning is \(versioning!.lowercased()) on this bucket: "
                         + "the delete only adds delete markers; the data stays in older versions")
        }
        return lines
    }
}
