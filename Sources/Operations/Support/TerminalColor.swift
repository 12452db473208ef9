import S3

/// A terminal colour: the terminal's default, or an index into its palette (0-7 the basic
/// colours, 8-15 their bright forms, 16-255 the 256-colour cube and greys).
public enum TerminalColor: Hashable, Sendable {
    case `default`
    case index(UInt8)

    public static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    public init?(parsing text: String) {
        let t = text.lowercased()
        if t == "default" || t == "none" {
            self = .default
            return
        }
        if let i = Self.basicNames.firstIndex(of: t) {
            self = .index(UInt8(i))
            return
        }
        for lead in ["bright_", "bright-", "bright"] where t.hasPrefix(lead) {
            guard let i = Self.basicNames.firstIndex(of: String(t.dropFirst(lead.count))) else { return nil }
            self = .index(UInt8(i + 8))
            return
        }
        if t == "grey" || t == "gray" {
            self = .index(8)
            return
        }
        if let n = Int(t), (0...255).contains(n), t.allSatisfy(\.isASCII) {
            self = .index(UInt8(n))
            return
        }
        return nil
    }

    /// The colour on a terminal with `colors` colours (8, 16 or 256): a 256-colour index
    /// becomes the nearest of the 16, and on 8 colours a bright one becomes its basic form.
    public func downsampled(to colors: Int) -> TerminalColor {
        guard case .index(let i) = self else { return self }
        if colors >= 256 { return self }
        var n = Int(i)
        if n >= 16 { n = Self.nearestBasic(n) }
        if colors < 16 && n >= 8 { n -= 8 }
        return .index(UInt8(n))
    }

    /// xterm's palette: 16-231 a 6×6×6 cube, 232-255 greys; matched to the nearest of the 16.
    static func nearestBasic(_ n: Int) -> Int {
        let rgb: (Int, Int, Int)
        if n >= 232 {
            let v = 8 + (n - 232) * 10
            rgb = (v, v, v)
        } else {
            let c = n - 16
            let level = { (x: Int) in x == 0 ? 0 : 55 + x * 40 }
            rgb = (level(c / 36), level(c / 6 % 6), level(c % 6))
        }
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
            (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
            (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
            (a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)
        }
        return basic.indices.min { distance(basic[$0], rgb) < distance(basic[$1], rgb) }!
    }
}
