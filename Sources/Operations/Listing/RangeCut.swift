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
/// bounds `KeySpaceSplitter` makes). The bound is passed with each page: it moves down when
/// the rest of a dense range is cut off and handed to other chains.
struct RangeCut {
    /// The start-after string; nil: not a range (a subtree listed whole).
    let after: String?
    private(set) var before = 0
    private(set) var firstBefore: String?

    init(after: String?) { self.after = after }

    /// The keys of `objects` inside the range (up to `upper`, inclusive), and whether the
    /// range goes on after them.
    mutating func admit(_ objects: [ObjectSummary], upper: String?) -> (objects: [ObjectSummary], more: Bool) {
        guard let after else { return (objects, true) }
        var kept = objects
        if objects.contains(where: { !after.bytesPrecede($0.key) }) {
            kept.removeAll { object in
                guard !after.bytesPrecede(object.key) else { return false }
                before += 1
                if firstBefore == nil { firstBefore = object.key }
                return true
            }
        }
        if let upper, let end = kept.firstIndex(where: { upper.bytesPrecede($0.key) }) {
            kept.removeSubrange(end...)
            return (kept, false)
        }
        return (kept, true)
    }

    /// A page of a level listed with delimiter "/" (`LevelLister`): its objects as `admit` keeps
    /// them, and the child prefixes the range owns, both in byte order. A prefix belongs to the
    /// range its own name falls in: one at or before the start-after string is the range
    /// before's (it straddles the start when the string lies below it, else the server answered
    /// about other keys and it counts as such), one past the bound ends the range.
    mutating func admitLevel(_ objects: [ObjectSummary], prefixes: [String],
                             upper: String?) -> (objects: [ObjectSummary], prefixes: [String], more: Bool) {
        let sortedObjects = objects.sorted { $0.key.bytesPrecede($1.key) }
        var (kept, more) = admit(sortedObjects, upper: upper)
        var owned: [String] = []
        owned.reserveCapacity(prefixes.count)
        for p in prefixes.sorted(by: { $0.bytesPrecede($1) }) {
            if let after, !after.bytesPrecede(p) {
                if !after.hasBytePrefix(p) {
                    before += 1
                    if firstBefore == nil { firstBefore = p }
                }
                continue
            }
            if let upper, upper.bytesPrecede(p) {
                more = false
                break
            }
            owned.append(p)
        }
        return (kept, owned, more)
    }

    /// One line naming the keys dropped for coming before the range, or nil.
    func warning(bucket: String, prefix: String) -> String? {
        guard before > 0, let after else { return nil }
        return "the server listed for s3://\(bucket)/\(prefix) \(before) \(before == 1 ? "key" : "keys") at or before "
            + "the start-after key \"\(after)\" (first \"\(firstBefore ?? "")\"); pail ignored them"
    }
}
