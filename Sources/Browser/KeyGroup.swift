import Operations

/// Keys a binding takes beyond its listed ones.
public enum KeyGroup: Sendable, Equatable {
    /// Whatever a LineEditor takes: characters and the editing keys (←→, ^A, ^U, Bksp, ...).
    case typing
    /// 1 to 9.
    case digits
    /// Every key no other binding of the page takes ("any other key closes").
    case anyOther

    public var label: String {
        switch self {
        case .typing: return "text"
        case .digits: return "1-9"
        case .anyOther: return "any other key"
        }
    }

    /// Every key the group takes, out of `keys`.
    public func takes(_ key: Key) -> Bool {
        switch self {
        case .typing:
            var probe = LineEditor("ab")
            probe.handle(.left)
            return probe.handle(key)
        case .digits:
            if case .char(let c) = key, let n = c.wholeNumberValue, (1...9).contains(n) { return true }
            return false
        case .anyOther: return true
        }
    }
}
