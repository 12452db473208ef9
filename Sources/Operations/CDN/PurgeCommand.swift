import Foundation
import S3

/// A user's purge command for a CDN other than CloudFront (Cloudflare, Fastly, a
/// DigitalOcean CDN): `purge_command` in the configuration, split into arguments like a shell
/// would (quotes and backslashes) but run without one, so a URL can never become shell
/// syntax. It gets the changed URLs as extra arguments, at most `batchSize` per run, and the
/// same URLs one per line on its standard input; a prefix is its URL with `*` appended.
public struct PurgeCommand: Sendable {
    public var argv: [String]
    public var batchSize = 200

    public init(parsing text: String) throws {
        argv = try Self.split(text)
        guard !argv.isEmpty else { throw S3Error.configuration("purge_command is empty") }
    }

    /// Words as a shell splits them: whitespace separates, '…' and "…" quote, \ escapes.
    public static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in text {
            if escaped { word.append(c); escaped = false; continue }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { word.append(c) }
                continue
            }
            switch c {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = c; inWord = true
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            default: word.append(c); inWord = true
            }
        }
        if quote != nil || escaped {
            throw S3Error.configuration("purge_command has an unclosed quote or a trailing backslash")
        }
        if inWord { words.append(word) }
        return words
    }

    /// Runs the command for `urls`; throws with its exit status when a run fails.
    public func run(urls: [String]) throws {
        var start = 0
        while start < urls.count {
            let batch = Array(urls[start..<min(urls.count, start + batchSize)])
            try runOnce(batch)
            start += batchSize
        }
    }

    private func runOnce(_ urls: [String]) throws {
        let process = Process()
        let program = argv[0]
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(argv.dropFirst()) + urls
        } else {
            // Found on PATH by env, still without a shell.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = argv + urls
        }
        let input = Pipe()
        process.standardInput = input
        do { try process.run() } catch {
            throw S3Error.configuration(
                "purge_command \(TerminalSafe.escape(program)) could not be started: \(error.localizedDescription)")
        }
        // The reader may exit without reading: a closed pipe must not kill pail.
        signal(SIGPIPE, SIG_IGN)
        let text = Data(urls.map { $0 + "\n" }.joined().utf8)
        try? input.fileHandleForWriting.write(contentsOf: text)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how =
                process.terminationReason == .exit
                ? "exited with status \(process.terminationStatus)"
                : "was killed by signal \(process.terminationStatus)"
            throw S3Error.configuration(
                "purge_command \(TerminalSafe.escape(program)) \(how); the CDN may still serve the old files")
        }
    }
}
