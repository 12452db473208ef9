import Browser
import Foundation
import Operations
import S3

/// The everyday path's effects: the jump prompt's prefix completion, ...
extension BrowserSession {
    /// How many prefixes one completion lists at most: one page, so Tab answers in one
    /// request whatever the bucket's size.
    static let completionLimit = 1000

    /// One delimiter listing of the typed prefix, on a worker: its common prefixes are the
    /// choices (a prefix and its own "folder marker" object are not).
    func completePrefix(id: RequestID, bucket: String, prefix: String) {
        listings.submit { [self] in
            do {
                let page = try client.listObjectsV2(bucket: bucket, prefix: prefix, delimiter: "/",
                                                    maxKeys: Self.completionLimit)
                let found = page.commonPrefixes.filter { $0.hasBytePrefix(prefix) && !$0.bytesEqual(prefix) }
                queue.post(.prefixCompletions(id: id, .success(found)))
            } catch {
                queue.post(.prefixCompletions(id: id, .failure(BrowserError(describe(error)))))
            }
        }
    }
}

// MARK: What the clipboard got

extension BrowserSession {
    /// Runs the local clipboard tool and says what reached a clipboard, on a worker. Inside
    /// tmux, OSC 52 reaches the clipboard only with `set-clipboard on` (`external` and `off`
    /// drop an application's OSC 52), so "copied (OSC 52)" is said only then, and otherwise
    /// how to turn it on; a tool that exists but fails is named as failed.
    func reportCopy(_ text: String) {
        let tool = Clipboard.localTool(environment: environment).map { ($0[0] as NSString).lastPathComponent }
        let copiedBy = io.copyWithLocalTool(text, environment)
        let toolNote = tool != nil && copiedBy == nil ? "\(tool!) failed" : nil
        var osc52 = true
        if environment["TMUX"] != nil, let setting = TmuxClipboard.shared.setting(environment), setting != "on" {
            osc52 = false
        }
        switch (osc52, copiedBy) {
        case (true, let by?): queue.post(.copied(text: text, via: "OSC 52 + \(by)"))
        case (true, nil): queue.post(.copied(text: text, via: toolNote.map { "OSC 52; \($0)" } ?? "OSC 52"))
        case (false, let by?): queue.post(.copied(text: text, via: by))
        case (false, nil):
            queue.post(.notice("not copied: tmux's set-clipboard is not on, so OSC 52 stops at tmux"
                               + (toolNote.map { " (\($0))" } ?? "")
                               + "; enable it with: tmux set -g set-clipboard on (and in ~/.tmux.conf)"))
        }
    }
}

// MARK: Uploads that would replace objects

extension BrowserSession {
    /// Of `keys`, those the bucket holds already, by one HEAD each (a listing of the prefix
    /// could be far larger than the upload). Only "not found" means absent: any other error
    /// stops the upload rather than replace an object unasked.
    static func existingKeys(client: S3Client, bucket: String, _ keys: [String]) throws -> Set<ObjectKey> {
        var found: Set<ObjectKey> = []
        for key in keys {
            do {
                _ = try client.headObject(bucket: bucket, key: key)
                found.insert(ObjectKey(key))
            } catch let error as S3Error where ["NoSuchKey", "NotFound"].contains(error.serviceCode ?? "") {
                continue
            }
        }
        return found
    }
}

// MARK: Work that ends says so

extension BrowserSession {
    /// "uploaded 2 files, 3.1 MiB, to s3://b/p/", with what was skipped or failed; nil for an
    /// empty batch. `failed` when any item failed (an error line, which stays).
    static func batchSummary(_ items: [TransferItem], into node: NodeID) -> (text: String, failed: Bool)? {
        batchSummary(items, destination: "s3://\(node.bucket)/\(node.prefix)")
    }

    /// The same, to any destination (a download's local folder).
    static func batchSummary(_ items: [TransferItem], destination: String) -> (text: String, failed: Bool)? {
        guard let first = items.first else { return nil }
        let verb = first.direction == .copy ? "copied" : first.direction == .download ? "downloaded" : "uploaded"
        let done = items.filter { $0.state == .done }
        var text = "\(verb) \(Formatting.things(done.count, "file")), "
            + "\(Formatting.size(done.reduce(0) { $0 + $1.size })), to \(destination)"
        let unchanged = items.filter { $0.state == .unchanged }.count
        let skipped = items.filter { if case .skipped = $0.state { return true }; return false }.count
        let cancelled = items.filter { $0.state == .cancelled }.count
        var failures: [String] = []
        for item in items { if case .failed(let why) = item.state { failures.append(why) } }
        if unchanged > 0 { text += "; \(unchanged) unchanged" }
        if skipped > 0 { text += "; \(skipped) skipped" }
        if cancelled > 0 { text += "; \(cancelled) cancelled" }
        if let why = failures.first { text += "; \(failures.count) failed, e.g. \(why) (t: transfers)" }
        return (TerminalSafe.escape(text), !failures.isEmpty)
    }
}

// MARK: The upload prompt's header rules

extension BrowserSession {
    /// The upload rules of the configuration file for `bucket` (its own and those for every
    /// bucket), in the order they are tried: "*.css → Cache-Control: max-age=300".
    func uploadRuleLines(bucket: String) -> [String] {
        config.uploadRules.filter { $0.bucket == nil || $0.bucket == bucket }.map { rule in
            rule.pattern + " → " + rule.headers.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        }
    }
}
