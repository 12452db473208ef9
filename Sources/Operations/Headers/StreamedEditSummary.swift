import Foundation
import S3

/// What a streamed edit did, in counts: a prefix of a million objects is not kept key by key.
/// `firstChanged` holds up to `keptKeys` of the changed keys (enough to invalidate them one by
/// one; past that a CDN is invalidated by prefix).
public struct StreamedEditSummary: Sendable {
    public static let keptKeys = 101
    public var changed = 0
    public var skipped = 0
    public var failed = 0
    public var tagsRestored = 0
    public var firstChanged: [String] = []

    public var line: String {
        var s = "changed \(changed), skipped \(skipped), failed \(failed)"
        if tagsRestored > 0 { s += "; tags put back on \(tagsRestored) (the server dropped them in the copy)" }
        return s
    }
}
