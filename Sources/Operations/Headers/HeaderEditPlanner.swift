import Foundation
import S3

/// The one way a header edit is planned and applied, for `pail set-headers` and for the
/// browser's header form alike, so the two cannot drift: the same `HeaderChanges` in, the
/// same plan out, the same checks on the way.
///
/// Two passes. The preview reads every object's headers a page at a time, counts what would
/// change (`PreviewTally`) and writes the key and ETag of each object that changes to an
/// unlinked spool on disk (`EditSpool`). Applying reads the spool back a page at a time and
/// edits each object again from a fresh HEAD: an object whose ETag is not the one previewed is
/// refused (the person did not see it), one already right is skipped (S3 refuses a self-copy
/// that changes nothing), a Content-Encoding that would lie about the stored bytes is refused
/// (`ContentEncodingCheck`), and everything the edit does not name (metadata, storage class,
/// encryption, ACL, tags) is kept (`HeaderEditor.copyInPlace`). A prefix of any size costs a
/// few pages of memory.
public final class HeaderEditPlanner: @unchecked Sendable {
    public let editor: HeaderEditor
    public let bucket: String
    /// Objects named one by one, and prefixes whose every object is edited.
    public let keys: [String]
    public let prefixes: [String]
    public let changes: HeaderChanges
    /// Entries per page, for the HEADs in flight and the spool read back.
    public static let pageSize = 1000

    /// `prefixes` are taken as a person gives them: each is listed below `S3URI.boundedPrefix`
    /// (`media/2023` covers `media/2023/...`, not `media/2023-old`).
    public init(editor: HeaderEditor, bucket: String, keys: [String] = [], prefixes: [String] = [],
                changes: HeaderChanges) {
        self.editor = editor
        self.bucket = bucket
        self.keys = keys
        self.prefixes = prefixes.map { S3URI.boundedPrefix($0) }
        self.changes = changes
    }

    /// `pail set-headers s3://bucket/KEY` (one object) or, with `-r`, every object under KEY.
    public static func command(editor: HeaderEditor, bucket: String, key: String, recursive: Bool,
                               changes: HeaderChanges) -> HeaderEditPlanner {
        HeaderEditPlanner(editor: editor, bucket: bucket, keys: recursive ? [] : [key],
                          prefixes: recursive ? [key] : [], changes: changes)
    }

    /// The browser's marks: objects by key, folders (prefixes) with everything below.
    public static func marks(editor: HeaderEditor, bucket: String, keys: [String], prefixes: [String],
                             changes: HeaderChanges) -> HeaderEditPlanner {
        HeaderEditPlanner(editor: editor, bucket: bucket, keys: keys, prefixes: prefixes, changes: changes)
    }

    /// The objects the edit covers, a page at a time: the keys first, then each prefix listed.
    func listedPages(_ page: ([HeaderEditor.Entry]) throws -> Void) throws {
        for start in stride(from: 0, to: keys.count, by: Self.pageSize) {
            try page(keys[start..<min(keys.count, start + Self.pageSize)].map { HeaderEditor.Entry(key: $0) })
        }
        for prefix in prefixes {
            try withoutActuallyEscaping(page) { page in
                let lister = RecursiveLister.feedingObjectRequests(client: editor.client)
                try lister.list(bucket: bucket, prefix: prefix, cancel: editor.cancel) { objects in
                    try page(objects.map { HeaderEditor.Entry(key: $0.key) })
                }
            }
        }
    }

    /// The preview pass. `check` sees each object's edit first and may refuse the whole edit by
    /// throwing (`set-headers` refuses a Content-Type that does not match a key's extension);
    /// `each` sees it next (progress); `failed` hears of each object that could not be read,
    /// which is left out of the plan. With `spooled` false (a dry run) nothing is written.
    public func preview(spooled: Bool = true, check: (EditItem) throws -> Void = { _ in },
                        each: (EditItem) -> Void = { _ in },
                        failed: (_ key: String, _ error: Error) -> Void) throws -> HeaderEditPlan {
        let spool = spooled ? try EditSpool() : nil
        var tally = PreviewTally(changes: changes)
        var unreadable = 0
        try withoutActuallyEscaping(check) { check in
            try withoutActuallyEscaping(each) { each in
                try withoutActuallyEscaping(failed) { failed in
                    try listedPages { entries in
                        try editor.headPage(bucket: bucket, entries, changes: changes) { entry, result in
                            switch result {
                            case .success(let item):
                                try check(item)
                                tally.add(item)
                                if item.changes { try spool?.append(key: item.key, etag: item.before.etag) }
                                each(item)
                            case .failure(let error):
                                unreadable += 1
                                failed(entry.key, error)
                            }
                        }
                    }
                }
            }
        }
        return HeaderEditPlan(bucket: bucket, changes: changes, tally: tally, unreadable: unreadable, spool: spool)
    }

    /// Applies a confirmed preview: exactly the objects it found changing, each pinned to the
    /// ETag it read. Without a plan (`--yes`: nothing previewed) every object is listed again
    /// and edited from its own HEAD. `outcome` hears of each object edited, skipped or failed;
    /// objects the preview found already right were never queued and are counted as skipped.
    public func apply(_ plan: HeaderEditPlan?, outcome: @escaping (_ key: String, EditOutcome) -> Void = { _, _ in },
                      progress: ((_ done: Int) -> Void)? = nil) throws -> StreamedEditSummary {
        var summary = try editor.applyStreaming(bucket: bucket, changes: plan?.changes ?? changes, pages: { page in
            if let spool = plan?.spool {
                try spool.pages(Self.pageSize, page)
            } else {
                try listedPages(page)
            }
        }, failed: { key, reason in
            outcome(key, .failed(reason))
        }, progress: progress, each: outcome)
        if let plan { summary.skipped += plan.objects - plan.changing }
        return summary
    }

    /// `apply`, keeping every key's outcome: for the browser, whose marks are held in memory
    /// anyway and whose report names the failed keys and offers to retry them.
    public func applyKeepingKeys(_ plan: HeaderEditPlan?, progress: ((_ done: Int) -> Void)? = nil) throws
        -> EditSummary {
        final class Kept: @unchecked Sendable {  // under `lock`
            let lock = NSLock()
            var summary = EditSummary()
        }
        let kept = Kept()
        let streamed = try apply(plan, outcome: { key, outcome in
            kept.lock.withLock {
                switch outcome {
                case .changed(let tagsRestored):
                    kept.summary.changed.append(key)
                    if tagsRestored { kept.summary.tagsRestored.append(key) }
                case .skipped: kept.summary.skipped.append(key)
                case .failed(let reason): kept.summary.failed.append((key, reason))
                }
            }
        }, progress: progress)
        var summary = kept.lock.withLock { kept.summary }
        summary.alreadyRight = streamed.skipped - summary.skipped.count
        summary.changed.sort { $0.bytesPrecede($1) }
        summary.skipped.sort { $0.bytesPrecede($1) }
        summary.tagsRestored.sort { $0.bytesPrecede($1) }
        summary.failed.sort { $0.key.bytesPrecede($1.key) }
        return summary
    }
}
