import S3

/// Tag changes by byte-exact key: an NFC and an NFD spelling are two tags, as S3 keeps them.
public enum TagEdit {
    /// `key=value` split at the first "=" (a value may hold more), nil without one.
    public static func split(_ s: String) -> (String, String)? {
        guard let i = s.firstIndex(of: "="), i != s.startIndex else { return nil }
        return (String(s[..<i]), String(s[s.index(after: i)...]))
    }

    /// `tags` with `remove` taken out, then `set` replacing or appended, in the server's order.
    public static func apply(to tags: [(String, String)], set: [(String, String)], remove: [String],
                             missing: (String) -> Void) -> [(String, String)] {
        var out = tags
        for name in remove {
            if !out.contains(where: { $0.0.bytesEqual(name) }) { missing(name) }
            out.removeAll { $0.0.bytesEqual(name) }
        }
        for (k, v) in set {
            if let i = out.firstIndex(where: { $0.0.bytesEqual(k) }) { out[i].1 = v } else { out.append((k, v)) }
        }
        return out
    }
}
