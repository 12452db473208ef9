import Foundation
import Operations

extension BrowserState {
    /// What an operation acts on: the marked entries, else the entry under the cursor.
    func operationTargets() -> (bucket: String, keys: [String], prefixes: [String], label: String)? {
        if !marks.isEmpty {
            let buckets = Set(marks.keys.map(\.bucket))
            guard buckets.count == 1, let bucket = buckets.first else { return nil }
            let keys = marks.keys.filter { !$0.isPrefix }.map(\.key).sorted { $0.bytesPrecede($1) }
            let prefixes = marks.keys.filter(\.isPrefix).map(\.key).sorted { $0.bytesPrecede($1) }
            return (bucket, keys, prefixes, "\(marks.count) marked")
        }
        guard let e = cursorEntry else { return nil }
        let label = "s3://\(e.bucket)/\(e.key)"
        return e.isPrefix ? (e.bucket, [], [e.key], label) : (e.bucket, [e.key], [], label)
    }

    /// The tree's keys that open an operation's page or ask a worker to plan one.
    mutating func startOperation(_ action: Action) -> PageOutcome {
        if action == .transfers { return .open(TransfersPage()) }
        if action == .versions {
            guard let e = cursorEntry, !e.isPrefix else {
                setStatus("move to an object to see its versions", error: false)
                return .stay
            }
            let id = ask(.versions)
            return .open(VersionsPage(view: VersionsView(bucket: e.bucket, key: e.key), request: id),
                         [.listVersions(id: id, bucket: e.bucket, key: e.key)])
        }
        if action == .upload {
            guard let loc = uploadLocation() else {
                setStatus("move into a bucket to upload", error: false)
                return .stay
            }
            // Read from the configuration, not the network: no request, nothing to be busy for.
            return .open(PathPromptPage(purpose: .upload(bucket: loc.bucket, prefix: loc.prefix)),
                         [.describeUploadRules(bucket: loc.bucket)])
        }
        guard let t = operationTargets() else {
            setStatus(marks.isEmpty ? "move to an object or prefix first"
                                    : "marks span several buckets: operate on one at a time", error: true)
            return .stay
        }
        if t.keys.isEmpty && t.prefixes == [""] && action != .audit && action != .download {
            setStatus("a whole bucket: mark its prefixes, or use pail rm -r s3://\(t.bucket)/", error: true)
            return .stay
        }
        switch action {
        case .delete:
            setStatus("listing what would be deleted…", error: false)
            return .stay([.planDelete(id: ask(.plan), bucket: t.bucket, keys: t.keys, prefixes: t.prefixes)])
        case .editHeaders:
            // The current values come from the headers as stored, never from the details
            // pane's display text (a missing Cache-Control shows "(none)" there).
            var current = [String?](repeating: nil, count: EditForm.fields.count)
            var knows = false
            if t.keys.count == 1 && t.prefixes.isEmpty,
               case .loaded(let rows)? = details[MarkedEntry(bucket: t.bucket, key: t.keys[0], isPrefix: false)] {
                knows = true
                let stored = rows.compactMap(\.stored)
                for (i, f) in EditForm.fields.enumerated() { current[i] = stored.first { $0.name == f }?.value }
                let metadata = stored.filter { $0.name.hasPrefix(StoredHeader.metadataPrefix) }
                    .map { "\($0.name.dropFirst(StoredHeader.metadataPrefix.count))=\($0.value)" }
                current[EditForm.fields.count - 1] = metadata.isEmpty ? nil : metadata.joined(separator: ", ")
            }
            return .open(HeaderFormPage(form: EditForm(
                bucket: t.bucket, keys: t.keys, prefixes: t.prefixes, label: t.label,
                values: Array(repeating: "", count: EditForm.fields.count), current: current, knowsCurrent: knows)))
        case .audit:
            guard t.keys.isEmpty, t.prefixes.count == 1 else {
                setStatus("move to a prefix (or bucket) to audit it", error: false)
                return .stay
            }
            let id = ask(.audit)
            return .open(AuditPage(view: AuditView(bucket: t.bucket, prefix: t.prefixes[0]), request: id),
                         [.audit(id: id, bucket: t.bucket, prefix: t.prefixes[0])])
        case .download:
            return .open(PathPromptPage(purpose: .download(bucket: t.bucket, keys: t.keys, prefixes: t.prefixes)))
        case .copyObjects:
            return .open(PathPromptPage(purpose: .copy(bucket: t.bucket, keys: t.keys, prefixes: t.prefixes),
                                        text: LineEditor("s3://\(t.bucket)/")))
        default:
            return .stay
        }
    }

    /// The bucket and prefix the cursor is in, for uploads.
    func uploadLocation() -> (bucket: String, prefix: String)? {
        guard let row = cursorRow else { return root.isBucketList ? nil : (root.bucket, "") }
        if let c = child(of: row), let id = nodeIDs[Int(row.node)].child(c) { return (id.bucket, id.prefix) }
        let parent = nodeIDs[Int(row.node)]
        return parent.isBucketList ? nil : (parent.bucket, parent.prefix)
    }

    /// Paths typed in the prompt: separated by spaces, a backslash keeps a space.
    func splitPaths(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped { current.append(c); escaped = false }
            else if c == "\\" { escaped = true }
            else if c == " " { if !current.isEmpty { out.append(current); current = "" } }
            else { current.append(c) }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The answers about operations that the browser itself takes (the pages take theirs in
    /// `receive`): plans open their question, finished work its report and relistings.
    mutating func handleOperationEvent(_ event: BrowserEvent) -> [BrowserEffect] {
        switch event {
        case .deletePlanned(_, let result):
            switch result {
            case .success(let preview):
                if preview.count == 0 {
                    setStatus("nothing to delete", error: false)
                    return [.discardPlan(planID: preview.planID)]
                }
                status = nil
                push(DeleteConfirmationPage(preview: preview))
            case .failure(let e): setStatus(e.message, error: true)
            }
        case .editPlanned(_, let result):
            switch result {
            case .success(let preview):
                status = nil
                push(EditPreviewPage(preview: preview))
            case .failure(let e): setStatus(e.message, error: true)
            }
        case .operationProgress(let text):
            setStatus(text, error: false)
        case .operationFinished(_, let report, let refresh):
            if pages.count == 1 { push(ReportPage(report: report)) }
            var expiry: [BrowserEffect] = []
            if report.failed > 0 {
                setStatus(report.title, error: true)
            } else {
                expiry = [setExpiringStatus(report.title)]
            }
            marks.removeAll()
            details.removeAll()
            var effects: [BrowserEffect] = []
            for id in refresh {
                if let s = serials[id], nodes[Int(s)].expanded || nodes[Int(s)].state != .unloaded {
                    effects += startListing(s)
                }
            }
            rebuildRows()
            // The details were dropped with the change: ask again for the object in view.
            return effects + scheduleHead() + expiry
        case .auditFinished(_, let error):
            if let error { setStatus(error.message, error: true) }
        case .downloadConflicts(let id, let count, let example):
            push(ConflictPromptPage(batchID: id, count: count, example: example))
        case .transfersUpdated(let rows):
            transferRows = rows
        case .uploaded(let id):
            // A level not in the tree (a copy or upload into a new prefix) shows up as a row of
            // the nearest listed level above it: that one is listed again instead.
            var level: NodeID? = id
            while let l = level, !(serials[l].map { nodes[Int($0)].state == .loaded || nodes[Int($0)].expanded }
                                    ?? false) {
                level = l.prefix.isEmpty ? nil : NodeID(bucket: l.bucket, prefix: Self.parentPrefix(of: l.prefix))
            }
            if let l = level, let s = serials[l] {
                let effects = startListing(s)
                rebuildRows()
                return effects
            }
        default: break
        }
        return []
    }
}

extension BrowserState {
    /// "media/2024/" → "media/", "media/" → "": the level a prefix is a row of.
    static func parentPrefix(of prefix: String) -> String {
        let bytes = Array(prefix.utf8.dropLast())
        return bytes.lastIndex(of: UInt8(ascii: "/")).map { String(decoding: bytes[...$0], as: UTF8.self) } ?? ""
    }
}
