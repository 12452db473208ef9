import Browser
import Foundation
import Operations
import S3

/// tmux's `set-clipboard` option, asked once (`tmux show -gv set-clipboard`) and kept; an
/// answer other than "on" is asked again at the next copy, so turning it on as the message
/// says works without restarting pail.
final class TmuxClipboard: @unchecked Sendable {
    static let shared = TmuxClipboard()
    private let lock = NSLock()
    private var known: String?

    /// The option's value, or nil when tmux cannot be asked (then nothing is claimed either way).
    func setting(_ environment: [String: String]) -> String? {
        if let known = lock.withLock({ known }), known == "on" { return known }
        guard let tmux = Self.find("tmux", environment) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tmux)
        process.arguments = ["show", "-gv", "set-clipboard"]
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // The answer is one short word: bounded, read before waiting so a full pipe cannot block.
        let data = output.fileHandleForReading.readData(ofLength: 64)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        lock.withLock { known = value }
        return value
    }

    static func find(_ name: String, _ environment: [String: String]) -> String? {
        for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
