import Foundation

/// What the terminal can show, from its environment and, where it was asked, its answers.
public struct TerminalCapabilities: Sendable, Equatable {
    public var imageProtocol: ImageProtocol
    public var colours: ColourDepth
    /// Inside tmux: pixel protocols need its passthrough (see `TmuxPassthrough`).
    public var insideTmux: Bool
    public var cell: CellSize

    public init(imageProtocol: ImageProtocol, colours: ColourDepth, insideTmux: Bool = false,
                cell: CellSize = .typical) {
        self.imageProtocol = imageProtocol
        self.colours = colours
        self.insideTmux = insideTmux
        self.cell = cell
    }

    /// Whether the pixel protocol's sequences must be wrapped for tmux. tmux 3.4 draws
    /// sixel itself when built with it (then its own answer lists sixel), so sixel is not.
    public var needsPassthrough: Bool { insideTmux && imageProtocol.drawsPixels && !tmuxDrawsSixel }
    var tmuxDrawsSixel = false

    /// From the variables terminals set: kitty's KITTY_WINDOW_ID and TERM=xterm-kitty,
    /// TERM_PROGRAM (iTerm.app, WezTerm, ghostty, mintty), LC_TERMINAL (iTerm2 sends it over
    /// SSH), TERM for the sixel terminals, COLORTERM and TERM for the colours.
    public static func detect(environment env: [String: String]) -> TerminalCapabilities {
        let term = env["TERM"] ?? "", program = env["TERM_PROGRAM"] ?? "", lcTerminal = env["LC_TERMINAL"] ?? ""
        let tmux = !(env["TMUX"] ?? "").isEmpty || term.hasPrefix("tmux")
        func has(_ name: String) -> Bool { !(env[name] ?? "").isEmpty }
        let kind: ImageProtocol
        if has("KITTY_WINDOW_ID") || term == "xterm-kitty" || program == "ghostty" || term == "xterm-ghostty"
            || has("GHOSTTY_RESOURCES_DIR") {
            kind = .kitty
        } else if program == "iTerm.app" || lcTerminal == "iTerm2" || program == "WezTerm" || has("WEZTERM_EXECUTABLE")
                    || program == "mintty" {
            kind = .iterm
        } else if ["mlterm", "foot", "contour", "yaft"].contains(where: term.hasPrefix) || has("KONSOLE_VERSION") {
            kind = .sixel
        } else {
            kind = .symbols
        }
        let colourTerm = (env["COLORTERM"] ?? "").lowercased()
        let colours: ColourDepth
        if colourTerm == "truecolor" || colourTerm == "24bit" || term.hasSuffix("-direct") {
            colours = .truecolor
        } else if term.contains("256") || term == "xterm-kitty" || term == "xterm-ghostty" || kind != .symbols {
            colours = .indexed256
        } else {
            colours = .indexed16
        }
        return TerminalCapabilities(imageProtocol: kind, colours: colours, insideTmux: tmux)
    }

    /// These capabilities corrected by what the terminal answered to `TerminalProbe.query`.
    /// The answers win over the environment when the terminal answered at all (its device
    /// attributes came back): a kitty reply of OK means kitty graphics; a name in its version
    /// reply means that terminal's protocol; a `4` in the device attributes means sixel;
    /// none of them means symbols, whatever a stale KITTY_WINDOW_ID said.
    public func updated(withAnswers answers: [UInt8]) -> TerminalCapabilities {
        let reply = TerminalAnswers(answers)
        guard reply.deviceAttributes != nil || reply.kittyGraphics || reply.version != nil else { return self }
        var next = self
        let version = (reply.version ?? "").lowercased()
        if reply.kittyGraphics {
            next.imageProtocol = .kitty
        } else if version.hasPrefix("iterm2") || version.hasPrefix("wezterm") {
            next.imageProtocol = .iterm
        } else if reply.sixel {
            next.imageProtocol = .sixel
        } else if reply.deviceAttributes != nil {
            next.imageProtocol = .symbols
        }
        next.tmuxDrawsSixel = insideTmux && reply.sixel && next.imageProtocol == .sixel
        return next
    }
}
