import ArgumentParser
import Foundation
import Operations
import S3

/// Live completion of `s3://` targets for the shells' completion scripts: bucket names after
/// `s3://`, then one level of prefixes and keys, from one listing page. A completion runs
/// while someone waits at a prompt, so it gives up quickly (one attempt, 2 s per request,
/// and the process ends itself after 5 s), asks nothing, and prints nothing but candidates:
/// any error is an empty answer.
enum S3Completion {
    /// For `@Argument(completion:)`: argument-parser runs this inside pail when the shell asks.
    static let kind = CompletionKind.custom { words, index, prefix in
        // bash splits words at ":" (COMP_WORDBREAKS): `s3://b/p` arrives as `s3`, `:`, `//b/p`,
        // and its answer replaces only the last piece, so the pieces before are put back for
        // the listing and taken off each candidate.
        var lead = ""
        if index >= 2, index < words.count + 1, words[index - 1] == ":", words[index - 2] == "s3" {
            lead = "s3:"
        } else if index >= 1, prefix.hasPrefix(":"), words[index - 1] == "s3" {
            lead = "s3"
        }
        return candidates(for: lead + prefix, words: words).compactMap { c in
            c.hasPrefix(lead) ? String(c.dropFirst(lead.count)) : nil
        }
    }

    static let secondsPerRequest = 2
    static let secondsInAll: UInt32 = 5

    /// The candidates for `partial`, with the global options found among the command line's
    /// `words` (`--profile`, `--endpoint-url`, ...).
    static func candidates(for partial: String, words: [String]) -> [String] {
        candidates(for: partial, options: globalOptions(in: words))
    }

    static func candidates(for partial: String, options: GlobalOptions) -> [String] {
        alarm(secondsInAll)
        let env = ProcessInfo.processInfo.environment
        let config = PailConfig.load(environment: env).0
        guard S3URI.isS3(partial) else {
            // Not yet s3://: the bookmarks, and s3:// itself.
            var out = config.bookmarks.map(\.name).filter { $0.hasBytePrefix(partial) }
            if "s3://".hasBytePrefix(partial) { out.insert("s3://", at: 0) }
            return unique(out)
        }
        guard let client = try? client(options, environment: env, config: config) else { return [] }
        let rest = partial.droppingBytePrefix("s3://")
        guard let slash = rest.unicodeScalars.firstIndex(of: "/") else {
            guard let buckets = try? client.listBuckets() else { return [] }
            return buckets.map(\.name).filter { $0.hasBytePrefix(rest) && shellSafe($0) }.map { "s3://\($0)/" }
        }
        let bucket = String(rest.unicodeScalars[..<slash])
        let key = String(rest.unicodeScalars[rest.unicodeScalars.index(after: slash)...])
        guard let page = try? client.listObjectsV2(bucket: bucket, prefix: key, delimiter: "/", maxKeys: 1000) else {
            return []
        }
        let names = page.commonPrefixes + page.objects.map(\.key)
        return names.filter(shellSafe).map { "s3://\(bucket)/\($0)" }
    }

    /// Names offered to a shell: one word each, and nothing a shell would expand. bash's
    /// `compgen -W` expands every word it is given, so a key such as `$(rm -rf ~)` would run;
    /// such keys, and those with spaces, quotes, globs or control characters, are left out.
    static func shellSafe(_ s: String) -> Bool {
        let refused: Set<Unicode.Scalar> = ["$", "`", "\\", "'", "\"", "{", "}", "~", "*", "?", "[", "]", "!", "<", ">",
                                            "|", "&", ";", "(", ")", "#"]
        return !s.isEmpty && !TerminalSafe.hasUnsafe(s)
            && !s.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || refused.contains($0) }
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    static func client(_ options: GlobalOptions, environment env: [String: String], config: PailConfig) throws
        -> S3Client {
        var resolved = try ProfileCatalog.resolve(options, environment: env, pailConfig: config)
        resolved.requestTimeout = secondsPerRequest
        resolved.connectTimeout = secondsPerRequest
        resolved.maxAttempts = 1
        // A completion only lists; whatever the profile allows, it never writes.
        resolved.readOnly.everywhere = "completion"
        let client = S3Client(config: resolved)
        client.warn = nil
        return client
    }

    /// The global options on a command line being completed, as the command would read them.
    static func globalOptions(in words: [String]) -> GlobalOptions {
        var o = GlobalOptions()
        var i = 0
        func value(_ name: String) -> String? {
            let w = words[i]
            if w.hasPrefix(name + "=") { return String(w.dropFirst(name.count + 1)) }
            if w == name, i + 1 < words.count { i += 1; return words[i] }
            return nil
        }
        while i < words.count {
            switch words[i] {
            case "--no-sign-request": o.noSignRequest = true
            case "--path-style": o.addressing = .path
            case "--virtual-host": o.addressing = .virtual
            default:
                if let v = value("--profile") { o.profile = v }
                else if let v = value("--endpoint-url") { o.endpointURL = v }
                else if let v = value("--region") { o.region = v }
                else if let v = value("--connect-to") { o.connectTo.append(v) }
            }
            i += 1
        }
        return o
    }
}
