import Operations

/// The renderer's styles as the terminal draws them: the roles of `[colors]` over pail's
/// defaults, brought down to the terminal's 256, 16 or 8 colours; without colour (NO_COLOR,
/// a monochrome terminal) the styles fall back to bold, reverse, underline and dim.
public struct Palette: Equatable, Sendable {
    /// pail's colours when `[colors]` names none. `selected` has none: reverse video.
    public static let defaultRoles: [ColorRole: ColorSpec] = [
        .title: ColorSpec(foreground: .index(0), background: .index(6), bold: true),
        .titleBusy: ColorSpec(foreground: .index(0), background: .index(3), bold: true),
        .marked: ColorSpec(foreground: .index(3), bold: true),
        .markedSelected: ColorSpec(foreground: .index(0), background: .index(3), bold: true),
        .prefix: ColorSpec(foreground: .index(4), bold: true),
        .error: ColorSpec(foreground: .index(1), bold: true),
        .notice: ColorSpec(foreground: .index(2)),
        .footerKey: ColorSpec(foreground: .index(6), bold: true),
        .detailName: ColorSpec(foreground: .index(6)),
        .loading: ColorSpec(foreground: .index(3)),
    ]

    /// The roles in colour; nil: no colour at all.
    public let roles: [ColorRole: ColorSpec]?

    public init(scheme: ColorScheme, colors: Int, environment: [String: String]) {
        let merged = Self.defaultRoles.merging(scheme.roles) { _, configured in configured }
        roles = ColorScheme(roles: merged).effective(colors: colors, environment: environment)
    }

    public var usesColor: Bool { roles != nil }

    static func role(of style: CellStyle) -> ColorRole? {
        switch style {
        case .title: return .title
        case .titleBusy: return .titleBusy
        case .selected: return .selected
        case .marked: return .marked
        case .markedSelected: return .markedSelected
        case .prefix: return .prefix
        case .error: return .error
        case .notice: return .notice
        case .footerKey: return .footerKey
        case .detailName: return .detailName
        case .loading: return .loading
        case .normal, .dim, .header, .footerText, .prompt: return nil
        }
    }

    public func look(_ style: CellStyle) -> Look {
        guard let roles else {
            switch style {
            case .title, .titleBusy, .selected: return Look(reverse: true)
            case .markedSelected: return Look(bold: true, reverse: true)
            case .marked, .header, .error, .footerKey, .prompt, .prefix: return Look(bold: true)
            case .dim: return Look(dim: true)
            case .loading, .notice: return Look(underline: true)
            case .normal, .footerText, .detailName: return Look()
            }
        }
        switch style {
        case .normal, .footerText: return Look()
        case .dim: return Look(dim: true)
        case .header, .prompt: return Look(bold: true)
        default: break
        }
        guard let role = Self.role(of: style), let spec = roles[role] else {
            // The cursor's row has no colour unless [colors] gives it one.
            return style == .selected ? Look(reverse: true) : Look()
        }
        return Look(foreground: spec.foreground, background: spec.background, bold: spec.bold)
    }

    /// One letter per style, for the style grid of a snapshot.
    static let letters: [CellStyle: Character] = [
        .normal: ".", .title: "T", .titleBusy: "B", .selected: "S", .marked: "M", .markedSelected: "X",
        .prefix: "P", .dim: "d", .error: "E", .notice: "N", .header: "H", .footerKey: "K", .footerText: "f",
        .detailName: "n", .prompt: "p", .loading: "L",
    ]

    /// The screen's styles as letters, one row per line, then how each style used is drawn:
    /// what a reviewer reads to see a colour scheme without a terminal.
    public func styleGrid(_ screen: Screen) -> String {
        var used: [CellStyle] = []
        var lines: [String] = []
        for y in 0..<screen.height {
            var line = ""
            for x in 0..<screen.width {
                let style = screen.cell(row: y, column: x).style
                if !used.contains(style) { used.append(style) }
                line.append(Self.letters[style] ?? "?")
            }
            lines.append(line)
        }
        let legend = used.sorted { $0.rawValue < $1.rawValue }.map { style in
            "\(Self.letters[style] ?? "?") \(style): \(look(style).description)"
        }
        return (lines + [""] + legend).joined(separator: "\n")
    }
}
