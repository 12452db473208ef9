/// Shell-style patterns for keys: `*` and `?` stay within a segment, `**` crosses them.
///
/// Matching simulates the pattern as a set of positions advanced one character at a time,
/// so it takes at most (pattern length + 1) × (text length + 1) steps. The recursive
/// backtracking it replaces tried every way of splitting the text among the stars: a
/// pattern such as `*a*a*a*a*a*a*a*a*a*a*b` against 60 `a`s took about 10^11 calls.
public enum Glob {
    enum Token: Equatable {
        case literal(Unicode.Scalar)
        /// `?`: one character, not `/`.
        case one
        /// `*`: any run of characters within a segment.
        case star
        /// `**`: any run of characters, `/` included.
        case globstar
    }

    static func tokens(_ pattern: String) -> [Token] {
        var out: [Token] = []
        let p = Array(pattern.unicodeScalars)
        var i = 0
        while i < p.count {
            switch p[i] {
            case "*" where i + 1 < p.count && p[i + 1] == "*": out.append(.globstar); i += 2
            case "*": out.append(.star); i += 1
            case "?": out.append(.one); i += 1
            default: out.append(.literal(p[i])); i += 1
            }
        }
        return out
    }

    public static func matches(_ pattern: String, _ text: String) -> Bool {
        var steps = 0
        return matches(pattern, text, steps: &steps)
    }

    /// `steps` counts the position visits, so a test can check the bound without a clock.
    static func matches(_ pattern: String, _ text: String, steps: inout Int) -> Bool {
        let p = tokens(pattern)
        var active = [Bool](repeating: false, count: p.count + 1)
        var next = active
        // A star also matches nothing: a position on one makes the position after it active.
        func close(_ set: inout [Bool]) {
            for i in 0..<p.count where set[i] {
                switch p[i] {
                case .star, .globstar: set[i + 1] = true
                default: break
                }
            }
        }
        active[0] = true
        close(&active)
        for c in text.unicodeScalars {
            for i in next.indices { next[i] = false }
            var any = false
            for i in 0..<p.count where active[i] {
                steps += 1
                switch p[i] {
                case .literal(let l) where l == c: next[i + 1] = true; any = true
                case .one where c != "/": next[i + 1] = true; any = true
                case .star where c != "/": next[i] = true; any = true
                case .globstar: next[i] = true; any = true
                default: break
                }
            }
            guard any else { return false }
            close(&next)
            swap(&active, &next)
        }
        return active[p.count]
    }
}
