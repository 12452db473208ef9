import Foundation
import S3

public struct EditSummary: Sendable {
    public var changed: [String] = []
    /// Objects found already right when they were read again to be edited.
    public var skipped: [String] = []
    public var failed: [(key: String, reason: String)] = []
    /// Changed objects whose tags the server dropped in the copy and pail put back.
    public var tagsRestored: [String] = []
    /// Objects the preview found already right: never queued, so not named one by one.
    public var alreadyRight = 0

    /// Skipped objects, named or not.
    public var skippedCount: Int { skipped.count + alreadyRight }

    /// "changed 3, skipped 1, failed 0", and what pail had to repair, for the CLI and the browser.
    public var line: String {
        var s = "changed \(changed.count), skipped \(skippedCount), failed \(failed.count)"
        if !tagsRestored.isEmpty {
            s += "; tags put back on \(tagsRestored.count) (the server dropped them in the copy)"
        }
        return s
    }
}
