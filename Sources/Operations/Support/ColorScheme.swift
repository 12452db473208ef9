import S3

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
