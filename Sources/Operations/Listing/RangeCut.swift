import Foundation
import S3

/// What one key range keeps of the pages its chain lists: the keys after its start-after
/// string, up to its bound, compared by UTF-8 bytes. The listing's own check (prefix, repeated
/// tokens, pages that do not move on) has run already; this adds the range's bounds.
///
/// A key at or before the start-after string belongs to an earlier range (a server that
/// ignores start-after, or answers about other keys): it is dropped, so no key is listed
/// twice. The first key past the bound ends the range: the next range lists from there, and
/// the server lists in order (S3's byte order, or a directory walk's, which agree at the
/// bounds `KeySpaceSplitter` makes).
struct RangeCut {
    let range: (after: String, upper: String?)?
    private(set) var before = 0
    private(set) var firstBefore: String?

    init(range: (after: String, upper: String?)?) { self.range = range }

    /// The keys of `objects` inside the range, and whether the range goes on after them.
    mutating func admit(_ objects: [ObjectSummary]) -> (objects: [ObjectSummary], more: Bool) {
        guard let range else { return (objects, true) }
        var kept = objects
        if objects.contains(where: { !range.after.bytesPrecede($0.key) }) {
            kept.removeAll { object in
                guard !range.after.bytesPrecede(object.key) else { return false }
                before += 1
                if firstBefore == nil { firstBefore = object.key }
                return true
            }
        }
        if let upper = range.upper, let end = kept.firstIndex(where: { upper.bytesPrecede($0.key) }) {
            kept.removeSubrange(end...)
            return (kept, false)
        }
        return (kept, true)
    }

    /// One line naming the keys dropped for coming before the range, or nil.
    func warning(bucket: String, prefix: String) -> String? {
        guard before > 0, let range else { return nil }
        return "the server listed for s3://\(bucket)/\(prefix) \(before) \(before == 1 ? "key" : "keys") at or before "
            + "the start-after key \"\(range.after)\" (first \"\(firstBefore ?? "")\"); pail ignored them"
    }
}
