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

/// How one role is drawn: `FG [on BG] [bold]`, e.g. `black on cyan bold` or `33`.
public struct ColorSpec: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool

    public init(foreground: TerminalColor, background: TerminalColor = .default, bold: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
    }

    /// The highest palette index it uses: a spec above 15 needs a 256-colour terminal.
    public var needs256: Bool {
        [foreground, background].contains { if case .index(let i) = $0 { return i >= 16 } else { return false } }
    }

    public func downsampled(to colors: Int) -> ColorSpec {
        ColorSpec(
            foreground: foreground.downsampled(to: colors), background: background.downsampled(to: colors), bold: bold)
    }
}

/// The roles the renderer colours (the browser's styles with a colour pair).
public enum ColorRole: String, CaseIterable, Sendable {
    case title
    case titleBusy = "title_busy"
    case selected, marked
    case markedSelected = "marked_selected"
    case prefix, error, notice
    case footerKey = "footer_key"
    case detailName = "detail_name"
    case loading
}

/// The `[colors]` section: role = colour. Checked when the file is read; the terminal then
/// asks `effective(colors:environment:)` for what to draw with.
public struct ColorScheme: Sendable, Equatable {
    public var roles: [ColorRole: ColorSpec] = [:]

    public init(roles: [ColorRole: ColorSpec] = [:]) { self.roles = roles }

    static let valueHelp =
        "write FG [on BG] [bold]: black, red, green, yellow, blue, magenta, cyan, white, "
        + "bright_NAME, default, or 0 to 255"

    static func parse(_ entries: [AWSConfigFile.Entry], path: String) throws -> ColorScheme {
        var scheme = ColorScheme()
        for e in entries {
            let at = "\(path):\(e.line): [colors]"
            guard let role = ColorRole(rawValue: e.name.lowercased().replacingOccurrences(of: "-", with: "_")) else {
                throw S3Error.configuration(
                    "\(at) unknown role \"\(TerminalSafe.escape(e.name))\"; roles are "
                        + ColorRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var words = e.value.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var bold = false
            if words.last == "bold" {
                bold = true
                words.removeLast()
            }
            func color(_ w: String) throws -> TerminalColor {
                guard let c = TerminalColor(parsing: w) else {
                    throw S3Error.configuration(
                        "\(at) \(role.rawValue): unknown colour \"\(TerminalSafe.escape(w))\"; "
                            + valueHelp)
                }
                return c
            }
            let spec: ColorSpec
            switch words.count {
            case 1: spec = ColorSpec(foreground: try color(words[0]), bold: bold)
            case 3 where words[1] == "on":
                spec = ColorSpec(foreground: try color(words[0]), background: try color(words[2]), bold: bold)
            case 2 where words[0] == "on":
                spec = ColorSpec(foreground: .default, background: try color(words[1]), bold: bold)
            default:
                throw S3Error.configuration(
                    "\(at) \(role.rawValue) = \"\(TerminalSafe.escape(e.value))\": \(valueHelp)")
            }
            scheme.roles[role] = spec
        }
        return scheme
    }

    /// What to draw with on a terminal of `colors` colours: nil means no colour at all
    /// (`NO_COLOR` set and not empty, as no-color.org asks, or a monochrome terminal), and
    /// the renderer falls back to bold, reverse and underline.
    public func effective(colors: Int, environment env: [String: String]) -> [ColorRole: ColorSpec]? {
        if let noColor = env["NO_COLOR"], !noColor.isEmpty { return nil }
        guard colors >= 8 else { return nil }
        return roles.mapValues { $0.downsampled(to: colors) }
    }
}
