import Foundation

/// Whether an object answers a HEAD without credentials: the details pane's "public?" line,
/// so whoever looks at a media file sees at once whether everyone can read it.
public struct PublicAccess: Equatable, Sendable {
    public enum Verdict: Equatable, Sendable { case checking, yes, no, unknown }
    public var verdict: Verdict
    public var text: String
    public init(_ verdict: Verdict, _ text: String) {
        self.verdict = verdict
        self.text = text
    }

    var style: CellStyle {
        switch verdict {
        case .checking: return .loading
        case .yes: return .notice
        case .no: return .normal
        case .unknown: return .dim
        }
    }
}

extension BrowserState {
    /// What follows every event for this parts: the column HEADs of the rows on
    /// screen, and the public probe of the object whose details were asked (so it is
    /// debounced exactly as the details HEAD is).
    mutating func cacheFollowUps() -> [BrowserEffect] {
        columnHeads() + publicProbe()
    }

    mutating func publicProbe() -> [BrowserEffect] {
        // Asked beside the details HEAD, in the same turn: so after the same debounce.
        guard showDetails, let entry = cursorEntry, !entry.isPrefix, details[entry] == .loading,
              publicAccess[entry] == nil else { return [] }
        publicAccess[entry] = PublicAccess(.checking, "checking without credentials…")
        return [.probePublic(id: ask(.publicProbe), bucket: entry.bucket, key: entry.key)]
    }
}
