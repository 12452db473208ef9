import ArgumentParser
import Foundation
import Operations
import S3

struct RmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete objects, or everything under a prefix with -r, after showing what will go.")

    @OptionGroup var global: GlobalOptionGroup

    @Flag(name: [.short, .customLong("recursive")], help: "Delete everything under the prefix (taken up to a \"/\").")
    var recursive = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be deleted and delete nothing.")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Print the plan and the result as JSON Lines.")
    var json = false

    @Option(name: .customLong("version-id"), help: "Delete this version of the object for good (see pail versions).")
    var versionId: String?

    @Argument(help: "s3://bucket/key, or s3://bucket/prefix/ with -r; several in the same bucket.")
    var targets: [String]

    func run() throws {
        try runReportingErrors {
            let uris = try targets.map { try S3URI(parsing: $0) }
            guard let bucket = uris.first?.bucket, uris.allSatisfy({ $0.bucket == bucket }) else {
                throw ValidationError("all targets must be in one bucket")
            }
            if !recursive, let bad = uris.first(where: { $0.key.isEmpty || $0.key.hasByteSuffix("/") }) {
                throw S3Error.configuration("\(bad) is a prefix: add -r to delete everything under it")
            }
            let client = try global.makeClient()
            // Read-only refuses before anything is listed (a dry run deletes nothing: it runs).
            if !dryRun { try client.requireWritable("DELETE", bucket: bucket, key: uris[0].key) }
            if !dryRun && !yes && !Confirmation.canAsk {
                throw S3Error.configuration("rm needs a terminal to confirm; pass --yes to delete without asking, "
                                            + "or --dry-run to see the plan")
            }
            if let versionId {
                guard uris.count == 1, !recursive else {
                    throw ValidationError("--version-id takes one object and no -r")
                }
                let uri = uris[0]
                if dryRun {
                    StandardOutput.shared.write("(dry run) delete version \(versionId) of "
                                                + "\(TerminalSafe.escape(uri.description)) for good\n")
                    return
                }
                if !yes {
                    let line = "Version \(versionId) of \(TerminalSafe.escape(uri.description)) "
                        + "will be deleted for good."
                    guard Confirmation.ask([line],
                                           question: "Delete it?", word: nil) else { throw ExitCode(1) }
                }
                try Versions(client: client).delete(bucket: uri.bucket, key: uri.key, versionId: versionId)
                StandardError.write("deleted version \(versionId) of \(TerminalSafe.escape(uri.description))\n")
                return
            }
            let deleter = Deleter(client: client)
            if recursive && yes && !dryRun {
                return try deleteConfirmedPrefixes(deleter, bucket: bucket, uris: uris)
            }
            let listing = Progress("listed")
            let plan: DeletePlan
            do {
                defer { listing.finish() }
                // A prefix's plan goes to disk as it is listed (memory stays a few pages whatever
                // its size); the confirmation shows its count, size and first keys.
                plan = recursive
                    ? try deleter.spooledPlan(bucket: bucket, keys: [], prefixes: uris.map(\.key)) { listing.add($0) }
                    : try deleter.plan(bucket: bucket, keys: uris.map(\.key), prefixes: []) { listing.add($0) }
            }
            let out = StandardOutput.shared
            let named = recursive ? [] : uris.map(\.key)
            if dryRun {
                try forEachItem(plan, deleter: deleter) { item in
                    if json {
                        var j = JSONWriter()
                        j.field("action", "delete")
                        j.field("key", item.key)
                        j.field("size", item.size)
                        out.write(j.line)
                    } else {
                        out.write("(dry run) delete: s3://\(bucket)/\(TerminalSafe.escape(item.key))\n")
                    }
                }
                StandardError.write("dry run: \(plan.count) objects, \(ByteCount.format(plan.totalBytes)) "
                                    + "would be deleted; nothing was\n")
                if plan.addsDeleteMarkers {
                    StandardError.write("note: versioning is on: a delete only adds delete markers\n")
                }
                return
            }
            if plan.count == 0 {
                let under = uris.map { TerminalSafe.escape($0.description) }.joined(separator: " ")
                StandardError.write("nothing to delete under \(under)\n")
                return
            }
            if !yes {
                let ok = Confirmation.ask(["Delete " + plan.summary()[0]] + plan.summary().dropFirst(),
                                          question: "Delete these objects?",
                                          word: plan.needsTypedConfirmation ? plan.confirmationWord : nil)
                guard ok else {
                    StandardError.write("nothing deleted\n")
                    throw ExitCode(1)
                }
            }
            let manifest = try deleter.writeManifest(plan, keys: named,
                                                     environment: ProcessInfo.processInfo.environment)
            let showProgress = StandardError.isTerminal && !json
            let outcome = try deleter.executeSpooled(plan, keys: named) { done, failed in
                if showProgress {
                    let failures = failed > 0 ? ", \(failed) failed" : ""
                    StandardError.write("\rdeleted \(done) of \(plan.count)\(failures)")
                }
            }
            if showProgress { StandardError.write("\n") }
            report(outcome, bucket: bucket, bytes: plan.totalBytes, manifest: manifest,
                   addsDeleteMarkers: plan.addsDeleteMarkers)
            if !outcome.failures.isEmpty { throw ExitCode(1) }
        }
    }

    /// Every item of the plan, from disk for a spooled plan (checked as `executeSpooled` checks).
    private func forEachItem(_ plan: DeletePlan, deleter: Deleter, _ body: (DeletePlan.Item) -> Void) throws {
        guard plan.spool != nil else { return plan.items.forEach(body) }
        try deleter.forEachSpooled(plan) { $0.forEach(body) }
    }

    /// Failures by key, the JSON result line, and the summary on stderr.
    private func report(_ outcome: DeleteOutcome, bucket: String, bytes: Int64, manifest: String?,
                        addsDeleteMarkers: Bool) {
        for f in outcome.failures {
            StandardError.write("pail: could not delete s3://\(bucket)/\(TerminalSafe.escape(f.key)): "
                                + "\(f.code) \(TerminalSafe.escape(f.message))\n")
        }
        if json {
            var j = JSONWriter()
            j.field("deleted", Int64(outcome.deleted))
            j.field("failed", Int64(outcome.failures.count))
            j.field("manifest", manifest)
            StandardOutput.shared.write(j.line)
        }
        let failed = outcome.failures.isEmpty ? "" : ", \(outcome.failures.count) failed"
        let manifestNote = manifest.map { "; manifest: \($0)" } ?? ""
        StandardError.write("deleted \(outcome.deleted) objects (\(ByteCount.format(bytes)))\(failed)\(manifestNote)\n")
        if addsDeleteMarkers {
            StandardError.write("note: versioning is on: delete markers were added; older versions keep the data\n")
        }
    }

    /// `rm -r --yes`: nothing to confirm, so each listed page is deleted while the next is
    /// listed (the manifest still gets every page first).
    private func deleteConfirmedPrefixes(_ deleter: Deleter, bucket: String, uris: [S3URI]) throws {
        let showProgress = StandardError.isTerminal && !json
        let environment = ProcessInfo.processInfo.environment
        let result = try deleter.deleteStreaming(bucket: bucket, prefixes: uris.map(\.key),
                                                 environment: environment) { done, failed, listed in
            if showProgress {
                StandardError.write("\rdeleted \(done) of \(listed) listed\(failed > 0 ? ", \(failed) failed" : "")")
            }
        }
        if showProgress { StandardError.write("\n") }
        if result.listed == 0 && result.listingError == nil {
            let under = uris.map { TerminalSafe.escape($0.description) }.joined(separator: " ")
            StandardError.write("nothing to delete under \(under)\n")
            return
        }
        let outcome = result.outcome
        report(outcome, bucket: bucket, bytes: result.bytes, manifest: result.listed == 0 ? nil : result.manifest,
               addsDeleteMarkers: result.addsDeleteMarkers)
        if let error = result.listingError {
            StandardError.write("pail: the listing stopped (what it had listed was deleted): "
                                + "\(TerminalSafe.escape(error))\n")
        }
        if !outcome.failures.isEmpty || result.listingError != nil { throw ExitCode(1) }
    }
}
