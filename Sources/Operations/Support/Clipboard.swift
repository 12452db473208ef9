import Foundation

/// Copying text to the user's clipboard from a terminal, also over SSH.
///
/// OSC 52 asks the terminal itself to set the clipboard: it travels over SSH and through
/// tmux (which keeps it in its paste buffer with `set-clipboard on`); GNU screen needs it
/// wrapped in a DCS passthrough. A local clipboard tool is used as well when one exists.
///
/// What is copied gets pasted, often into a shell, where a newline runs a command and an
/// escape sequence can do worse: the clipboard never receives a control character (C0, DEL,
/// C1) or an invisible one. Those are percent-encoded (`%1B`, `%E2%80%8B`), whoever asked.
public enum Clipboard {
    /// `text` as the clipboard may hold it: every control or invisible character (see
    /// `TerminalSafe.isUnsafe`) replaced by the percent-encoding of its UTF-8 bytes.
    public static func safeText(_ text: String) -> String {
        guard TerminalSafe.hasUnsafe(text) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            if TerminalSafe.isUnsafe(u) {
                for b in String(u).utf8 { out += String(format: "%%%02X", b) }
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    public static func osc52(_ text: String, environment env: [String: String]) -> String {
        let payload = "\u{1B}]52;c;" + Data(safeText(text).utf8).base64EncodedString() + "\u{07}"
        let term = env["TERM"] ?? ""
        if env["TMUX"] == nil && (env["STY"] != nil || term.hasPrefix("screen")) {
            // screen forwards a DCS body of limited size: send it in 76-byte pieces.
            var out = ""
            var rest = Substring(payload)
            while !rest.isEmpty {
                out += "\u{1B}P" + rest.prefix(76) + "\u{1B}\\"
                rest = rest.dropFirst(76)
            }
            return out
        }
        return payload
    }

    /// The local clipboard command for this session, if any: Wayland, X11, macOS.
    public static func localTool(environment env: [String: String]) -> [String]? {
        func exists(_ name: String) -> String? {
            for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            return nil
        }
        if env["WAYLAND_DISPLAY"] != nil, let p = exists("wl-copy") { return [p] }
        if env["DISPLAY"] != nil, let p = exists("xclip") { return [p, "-selection", "clipboard"] }
        if env["DISPLAY"] != nil, let p = exists("xsel") { return [p, "--clipboard", "--input"] }
        if let p = exists("pbcopy") { return [p] }
        return nil
    }

    /// Runs the local tool with `text` on its input; returns its name when it worked.
    @discardableResult
    public static func copyWithLocalTool(_ text: String, environment env: [String: String]) -> String? {
        guard let argv = localTool(environment: env) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        input.fileHandleForWriting.write(Data(safeText(text).utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? (argv[0] as NSString).lastPathComponent : nil
    }
}
