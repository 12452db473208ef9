import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks the terminal what it can draw: a kitty graphics query, XTVERSION, then the primary
/// device attributes, which every terminal answers, so their reply ends the wait.
public enum TerminalProbe {
    static let kittyQueryID = 31

    /// The bytes to write. Inside tmux the kitty and version queries are passed through to
    /// the outer terminal; the device attributes are tmux's own (tmux says whether it draws
    /// sixel itself).
    public static func query(insideTmux: Bool) -> [UInt8] {
        let kitty = Array("\u{1B}_Gi=\(kittyQueryID),s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\".utf8)
        let version = Array("\u{1B}[>0q".utf8)
        let attributes = Array("\u{1B}[c".utf8)
        let outer = kitty + version
        return (insideTmux ? TmuxPassthrough.wrap(outer) : outer) + attributes
    }

    /// The device attributes reply has arrived: nothing more is coming.
    public static func isComplete(_ answers: [UInt8]) -> Bool {
        TerminalAnswers(answers).deviceAttributes != nil
    }

    /// Writes the query to `output` and reads the answers from `input` (both the terminal),
    /// in raw mode, for at most `timeoutMilliseconds`, then restores the terminal's mode.
    /// Call before curses takes the terminal. Returns the bytes read (empty when `input`
    /// is not a terminal).
    public static func ask(input: Int32 = 0, output: Int32 = 1, insideTmux: Bool,
                           timeoutMilliseconds: Int = 400) -> [UInt8] {
        guard isatty(input) == 1, isatty(output) == 1 else { return [] }
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return [] }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        guard tcsetattr(input, TCSANOW, &raw) == 0 else { return [] }
        defer { _ = tcsetattr(input, TCSANOW, &saved) }
        let query = self.query(insideTmux: insideTmux)
        let written = query.withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
        guard written == query.count else { return [] }
        var answers: [UInt8] = []
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutMilliseconds) * 1_000_000
        var buffer = [UInt8](repeating: 0, count: 512)
        while !isComplete(answers) && answers.count < 8192 {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            var poller = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32((deadline - now) / 1_000_000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            answers += buffer[0..<n]
        }
        return answers
    }
}
