import Foundation
import Operations

/// The header edit form: one line per field; an empty value keeps the header, "-" removes it.
public struct EditForm: Equatable, Sendable {
    public static let fields = ["Cache-Control", "Content-Type", "Content-Encoding", "Content-Disposition", "Content-Language",
                                "Expires", "Metadata"]
    public var bucket: String
    public var keys: [String]
    public var prefixes: [String]
    public var label: String
    /// What is typed in each field, with its cursor.
    public var lines: [LineEditor]
    public var values: [String] {
        get { lines.map(\.text) }
        set { lines = newValue.map { LineEditor($0) } }
    }
    /// The current values of a single object, as stored (nil: the object has no such header),
    /// shown as hints and taken by ^R.
    public var current: [String?]
    public var focus = 0
    /// Whether `current` was read from the object (one object whose headers had arrived).
    public var knowsCurrent = false
    /// A Content-Type that does not match the extension, which a second Enter sends anyway.
    public var typeMismatchAsked: String?

    public init(bucket: String, keys: [String], prefixes: [String], label: String, values: [String], current: [String?],
                focus: Int = 0, knowsCurrent: Bool = false) {
        self.bucket = bucket
        self.keys = keys
        self.prefixes = prefixes
        self.label = label
        self.lines = values.map { LineEditor($0) }
        self.current = current
        self.focus = focus
        self.knowsCurrent = knowsCurrent
    }

    /// The first value that would be stored wrong: its field and a one-line reason.
    func problem() -> (field: Int, message: String)? {
        let cache = values[0].trimmingCharacters(in: .whitespaces)
        if !cache.isEmpty && cache != "-" {
            do { try CacheControl.parse(values[0]) } catch let p as CacheControl.Problem {
                return (0, Formatting.safe(p.description))
            } catch { return (0, "Cache-Control: \(error)") }
        }
        let type = values[1].trimmingCharacters(in: .whitespaces)
        if !type.isEmpty && type != "-", let p = ContentTypes.problem(type) { return (1, Formatting.safe(p)) }
        return nil
    }

    /// The request the form describes. Metadata is "k=v, k2=v2, -gone".
    public var request: EditRequest {
        var values: [String: String] = [:]
        for (i, name) in Self.fields.enumerated() where i < Self.fields.count - 1 {
            let v = self.values[i].trimmingCharacters(in: .whitespaces)
            if !v.isEmpty { values[name] = v }
        }
        for item in self.values[Self.fields.count - 1].split(separator: ",") {
            let t = item.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("-") { values["meta:" + t.dropFirst()] = "-" }
            else if let eq = t.firstIndex(of: "=") { values["meta:" + t[..<eq].trimmingCharacters(in: .whitespaces)] = String(t[t.index(after: eq)...]) }
        }
        return EditRequest(values: values)
    }
}

/// The header audit of a prefix: rows stream in; rules filter; matching rows can be marked.
public struct AuditView: Equatable, Sendable {
    public enum Column: String, CaseIterable, Sendable { case key, size, date, type, cache }
    public static let ruleNames = ["Cache-Control missing", "max-age under a day", ".css/.js not gzip-encoded", "type ≠ extension"]
    public var bucket: String
    public var prefix: String
    public var entries: [AuditEntry] = []
    public var rules: [Bool] = [false, false, false, false]
    public var sort: Column = .key
    public var reversed = false
    public var cursor = 0
    public var scroll = 0
    public var finished = false

    static let ruleValues: [AuditRule] = [.missing("cache-control"), .maxAgeUnder(86400), .notCompressed, .typeMismatch]

    public var visible: [AuditEntry] {
        let active = zip(rules, Self.ruleValues).filter { $0.0 }.map { $0.1 }
        var rows = entries.filter { e in
            let row = AuditRow(key: e.key, size: e.size, lastModified: nil, contentType: e.contentType, cacheControl: e.cacheControl,
                               contentEncoding: e.contentEncoding)
            return active.allSatisfy { $0.matches(row) }
        }
        switch sort {
        case .key: break
        case .size: rows.sort { $0.size > $1.size }
        case .date: rows.sort { $0.modified > $1.modified }
        case .type: rows.sort { ($0.contentType ?? "") < ($1.contentType ?? "") }
        case .cache: rows.sort { ($0.cacheControl ?? "") < ($1.cacheControl ?? "") }
        }
        if reversed { rows.reverse() }
        return rows
    }
}

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

    mutating func startOperation(_ action: Action) -> [BrowserEffect] {
        if action == .transfers {
            mode = .transfers(selected: 0)
            return []
        }
        if action == .versions {
            guard let e = cursorEntry, !e.isPrefix else { setStatus("move to an object to see its versions", error: false); return [] }
            mode = .versions(VersionsView(bucket: e.bucket, key: e.key))
            return [.listVersions(bucket: e.bucket, key: e.key)]
        }
        if action == .upload {
            guard let loc = uploadLocation() else { setStatus("move into a bucket to upload", error: false); return [] }
            mode = .pathPrompt(.upload(bucket: loc.bucket, prefix: loc.prefix), text: LineEditor(), candidates: [])
            return []
        }
        guard let t = operationTargets() else {
            setStatus(marks.isEmpty ? "move to an object or prefix first" : "marks span several buckets: operate on one at a time", error: true)
            return []
        }
        if t.keys.isEmpty && t.prefixes == [""] && action != .audit && action != .download {
            setStatus("a whole bucket: mark its prefixes, or use pail rm -r s3://\(t.bucket)/", error: true)
            return []
        }
        switch action {
        case .delete:
            operationsInFlight += 1
            setStatus("listing what would be deleted…", error: false)
            return [.planDelete(bucket: t.bucket, keys: t.keys, prefixes: t.prefixes)]
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
            mode = .editForm(EditForm(bucket: t.bucket, keys: t.keys, prefixes: t.prefixes, label: t.label,
                                      values: Array(repeating: "", count: EditForm.fields.count), current: current,
                                      knowsCurrent: knows))
            return []
        case .audit:
            guard t.keys.isEmpty, t.prefixes.count == 1 else { setStatus("move to a prefix (or bucket) to audit it", error: false); return [] }
            mode = .audit(AuditView(bucket: t.bucket, prefix: t.prefixes[0]))
            auditRunning = true
            return [.audit(bucket: t.bucket, prefix: t.prefixes[0])]
        case .download:
            mode = .pathPrompt(.download(bucket: t.bucket, keys: t.keys, prefixes: t.prefixes), text: LineEditor(), candidates: [])
            return []
        case .copyObjects:
            mode = .pathPrompt(.copy(bucket: t.bucket, keys: t.keys, prefixes: t.prefixes), text: LineEditor("s3://\(t.bucket)/"),
                               candidates: [])
            return []
        default:
            return []
        }
    }

    /// The bucket and prefix the cursor is in, for uploads.
    func uploadLocation() -> (bucket: String, prefix: String)? {
        guard let row = cursorRow else { return root.isBucketList ? nil : (root.bucket, "") }
        if let c = child(of: row), let id = nodeIDs[Int(row.node)].child(c) { return (id.bucket, id.prefix) }
        let parent = nodeIDs[Int(row.node)]
        return parent.isBucketList ? nil : (parent.bucket, parent.prefix)
    }

    mutating func handleOperationKey(_ key: Key) -> [BrowserEffect] {
        if key == .ctrl("c") { return perform(.quit) }
        switch mode {
        case .confirmDelete(let preview, let typed):
            if let word = preview.confirmWord {
                switch key {
                case .escape: mode = .browse; setStatus("nothing deleted", error: false); return [.discardPlan(planID: preview.planID)]
                case .enter:
                    guard typed.text == word else { setStatus("type \(word) exactly to delete, or Esc", error: true); return [] }
                    return confirmDelete(preview)
                default:
                    var t = typed
                    if t.handle(key) { mode = .confirmDelete(preview, typed: t) }
                }
                return []
            }
            switch key {
            case .char("y"), .char("Y"): return confirmDelete(preview)
            default:
                mode = .browse
                setStatus("nothing deleted", error: false)
                return [.discardPlan(planID: preview.planID)]
            }
        case .editForm(var form):
            switch key {
            case .escape: mode = .browse; return []
            case .up, .backTab: form.focus = max(0, form.focus - 1)
            case .down, .tab: form.focus = min(EditForm.fields.count - 1, form.focus + 1)
            case .ctrl("r"):
                // Start from the current value, to change it rather than retype it.
                if let current = form.current[form.focus] { form.lines[form.focus].set(current) }
            case .enter:
                let request = form.request
                guard !request.values.isEmpty else { setStatus("nothing to change: type a value, or - to remove a header", error: true); return [] }
                // A bad value keeps the form open, as typed, with the cursor on its field.
                if let problem = form.problem() {
                    form.focus = problem.field
                    mode = .editForm(form)
                    setStatus(problem.message, error: true)
                    return []
                }
                if let type = request.values["Content-Type"], type != "-", form.typeMismatchAsked != type,
                   let (key, want) = form.keys.lazy.compactMap({ k in ContentTypes.mismatch(type, forKey: k).map { (k, $0) } })
                       .first {
                    form.typeMismatchAsked = type
                    form.focus = 1
                    mode = .editForm(form)
                    let name = Formatting.safe(String(key.split(separator: "/").last ?? Substring(key)))
                    setStatus("\(Formatting.safe(type)) does not match \(name) (\(want)): Enter again sends it anyway",
                              error: true)
                    return []
                }
                mode = .browse
                operationsInFlight += 1
                setStatus("reading the current headers…", error: false)
                return [.planEdit(bucket: form.bucket, keys: form.keys, prefixes: form.prefixes, request)]
            default:
                form.lines[form.focus].handle(key)
            }
            mode = .editForm(form)
            return []
        case .confirmEdit(let preview):
            if key == .char("y") || key == .char("Y") || (key == .enter && preview.changing > 0) {
                mode = .browse
                guard preview.changing > 0 else { return [.discardPlan(planID: preview.planID)] }
                operationsInFlight += 1
                setStatus("editing \(Formatting.things(preview.changing, "object"))…", error: false)
                return [.executeEdit(planID: preview.planID)]
            }
            mode = .browse
            setStatus("nothing changed", error: false)
            return [.discardPlan(planID: preview.planID)]
        case .report(let report):
            mode = .browse
            if (key == .char("R")), let id = report.retryID {
                operationsInFlight += 1
                setStatus("retrying \(Formatting.things(report.failed, "failed object"))…", error: false)
                return [.retryEdit(planID: id)]
            }
            return []
        case .audit(var view):
            return handleAuditKey(key, &view)
        case .pathPrompt(let purpose, let text, _):
            switch key {
            case .escape: mode = .browse
            case .tab:
                if case .copy = purpose { return [] }  // local paths only
                completionsInFlight += 1
                return [.completePath(text.text)]
            case .enter:
                mode = .browse
                switch purpose {
                case .upload(let bucket, let prefix):
                    // Completion ends folders with "/", which on the command line means "its
                    // contents"; a folder picked here is uploaded as itself, name included.
                    let paths = splitPaths(text.text).map { $0.count > 1 && $0.hasByteSuffix("/") ? String($0.dropLast()) : $0 }
                    guard !paths.isEmpty else { return [] }
                    setStatus("uploading \(paths.count) path\(paths.count == 1 ? "" : "s") to s3://\(bucket)/\(prefix) (t: transfers)", error: false)
                    transferBatchesPending += 1
                    return [.upload(paths: paths, bucket: bucket, prefix: prefix)]
                case .download(let bucket, let keys, let prefixes):
                    let dest = text.isEmpty ? "." : text.text
                    setStatus("downloading to \(dest) (t: transfers)", error: false)
                    transferBatchesPending += 1
                    return [.download(bucket: bucket, keys: keys, prefixes: prefixes, destination: dest)]
                case .copy(let bucket, let keys, let prefixes):
                    guard let to = try? S3URI(parsing: text.text.trimmingCharacters(in: .whitespaces)) else {
                        mode = .pathPrompt(purpose, text: text, candidates: [])
                        setStatus("type the destination as s3://bucket/prefix/", error: true)
                        return []
                    }
                    let prefix = S3URI.boundedPrefix(to.key)
                    setStatus("copying to s3://\(to.bucket)/\(prefix) (t: transfers)", error: false)
                    transferBatchesPending += 1
                    return [.copyObjects(bucket: bucket, keys: keys, prefixes: prefixes, toBucket: to.bucket, toPrefix: prefix)]
                }
            default:
                var t = text
                if t.handle(key) { mode = .pathPrompt(purpose, text: t, candidates: []) }
            }
            return []
        case .conflictPrompt(let id, _, _):
            mode = .browse
            switch key {
            case .char("o"), .char("a"):
                transferBatchesPending += 1
                return [.resolveConflicts(batchID: id, overwrite: true)]
            case .char("s"):
                transferBatchesPending += 1
                return [.resolveConflicts(batchID: id, overwrite: false)]
            default:
                setStatus("download cancelled", error: false)
                return [.resolveConflicts(batchID: id, overwrite: nil)]
            }
        case .versions(var view):
            if let pending = view.pending {
                view.pending = nil
                mode = .versions(view)
                guard key == .char("y") || key == .char("Y"), view.rows.indices.contains(view.selected) else { return [] }
                let id = view.rows[view.selected].versionId
                view.loading = true
                mode = .versions(view)
                operationsInFlight += 1
                return [pending == .delete ? .deleteVersion(bucket: view.bucket, key: view.key, versionId: id)
                                           : .restoreVersion(bucket: view.bucket, key: view.key, versionId: id)]
            }
            let refusal = readOnly ?? readOnlyBuckets[view.bucket]
            switch key {
            case .up, .char("k"): view.selected = max(0, view.selected - 1)
            case .down, .char("j"): view.selected = min(max(0, view.rows.count - 1), view.selected + 1)
            case .char("d") where refusal != nil, .delete where refusal != nil, .char("r") where refusal != nil:
                setStatus("deleting or restoring a version is disabled: read-only (\(refusal!))", error: true)
            case .char("d"), .delete: if !view.rows.isEmpty { view.pending = .delete }
            case .char("r"):
                if view.rows.indices.contains(view.selected) {
                    let row = view.rows[view.selected]
                    if row.isDeleteMarker { setStatus("a delete marker has no data to restore; delete the marker instead", error: true) }
                    else if row.isLatest { setStatus("this is already the current version", error: false) }
                    else { view.pending = .restore }
                }
            default:
                mode = .browse
                return []
            }
            mode = .versions(view)
            return []
        case .transfers(let selected):
            switch key {
            case .up, .char("k"): mode = .transfers(selected: max(0, selected - 1))
            case .down, .char("j"): mode = .transfers(selected: min(max(0, transferRows.count - 1), selected + 1))
            case .char("x"), .delete:
                if transferRows.indices.contains(selected), transferRows[selected].isActive {
                    return [.cancelTransfer(id: transferRows[selected].id)]
                }
            case .char("q"): return perform(.quit)  // asks first while transfers run
            default: mode = .browse
            }
            return []
        default:
            return []
        }
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

    mutating func confirmDelete(_ preview: DeletePreview) -> [BrowserEffect] {
        mode = .browse
        operationsInFlight += 1
        setStatus("deleting \(Formatting.things(preview.count, "object"))…", error: false)
        return [.executeDelete(planID: preview.planID)]
    }

    mutating func handleAuditKey(_ key: Key, _ view: inout AuditView) -> [BrowserEffect] {
        let rows = view.visible
        let page = max(1, treeHeight - 3)
        switch key {
        case .escape, .char("q"):
            mode = .browse
            auditRunning = false
            return view.finished ? [] : [.cancelAudit]
        case .up, .char("k"): view.cursor -= 1
        case .down, .char("j"): view.cursor += 1
        case .pageUp: view.cursor -= page
        case .pageDown: view.cursor += page
        case .home: view.cursor = 0
        case .end, .char("G"): view.cursor = rows.count - 1
        case .char(let c) where ("1"..."4").contains(c):
            let i = Int(String(c))! - 1
            view.rules[i].toggle()
            view.cursor = 0
        case .char("o"):
            let all = AuditView.Column.allCases
            view.sort = all[(all.firstIndex(of: view.sort)! + 1) % all.count]
        case .char("O"): view.reversed.toggle()
        case .char(" "):
            if rows.indices.contains(view.cursor) {
                let e = rows[view.cursor]
                let entry = MarkedEntry(bucket: view.bucket, key: e.key, isPrefix: false)
                if marks.removeValue(forKey: entry) == nil { marks[entry] = e.size }
                view.cursor += 1
            }
        case .char("m"):
            for e in rows { marks[MarkedEntry(bucket: view.bucket, key: e.key, isPrefix: false)] = e.size }
            setStatus("marked \(Formatting.things(rows.count, "object")); e edits their headers", error: false)
        case .char("u"): marks.removeAll()
        case .char("e") where (readOnly ?? readOnlyBuckets[view.bucket]) != nil:
            setStatus("e is disabled: read-only (\((readOnly ?? readOnlyBuckets[view.bucket])!))", error: true)
        case .char("e"):
            mode = .audit(view)
            let marked = marks.keys.filter { $0.bucket == view.bucket && !$0.isPrefix }.map(\.key).sorted()
            guard !marked.isEmpty else { setStatus("mark objects first (space, or m for all shown)", error: true); return [] }
            mode = .editForm(EditForm(bucket: view.bucket, keys: marked, prefixes: [], label: "\(marked.count) marked",
                                      values: Array(repeating: "", count: EditForm.fields.count),
                                      current: Array(repeating: nil, count: EditForm.fields.count)))
            return []
        default: break
        }
        view.cursor = max(0, min(view.cursor, rows.count - 1))
        let h = max(1, treeHeight - 3)
        if view.cursor < view.scroll { view.scroll = view.cursor }
        if view.cursor >= view.scroll + h { view.scroll = view.cursor - h + 1 }
        mode = .audit(view)
        return []
    }

    mutating func handleOperationEvent(_ event: BrowserEvent) -> [BrowserEffect] {
        switch event {
        case .deletePlanned(let result):
            operationsInFlight = max(0, operationsInFlight - 1)
            switch result {
            case .success(let preview):
                if preview.count == 0 {
                    setStatus("nothing to delete", error: false)
                    return [.discardPlan(planID: preview.planID)]
                }
                status = nil
                mode = .confirmDelete(preview, typed: LineEditor())
            case .failure(let e): setStatus(e.message, error: true)
            }
        case .editPlanned(let result):
            operationsInFlight = max(0, operationsInFlight - 1)
            switch result {
            case .success(let preview):
                status = nil
                mode = .confirmEdit(preview)
            case .failure(let e): setStatus(e.message, error: true)
            }
        case .operationProgress(let text):
            setStatus(text, error: false)
        case .operationFinished(let report, let refresh):
            operationsInFlight = max(0, operationsInFlight - 1)
            if case .browse = mode { mode = .report(report) }
            var relistVersions: [BrowserEffect] = []
            if case .versions(let view) = mode { relistVersions = [.listVersions(bucket: view.bucket, key: view.key)] }
            var expiry: [BrowserEffect] = []
            if report.failed > 0 { setStatus(report.title, error: true) } else { expiry = [setExpiringStatus(report.title)] }
            marks.removeAll()
            details.removeAll()
            var effects: [BrowserEffect] = []
            for id in refresh { if let s = serials[id], nodes[Int(s)].expanded || nodes[Int(s)].state != .unloaded { effects += startListing(s) } }
            rebuildRows()
            // The details were dropped with the change: ask again for the object in view.
            return effects + relistVersions + scheduleHead() + expiry
        case .auditRows(let rows):
            if case .audit(var view) = mode {
                view.entries += rows
                mode = .audit(view)
            }
        case .auditFinished(let error):
            auditRunning = false
            if case .audit(var view) = mode {
                view.finished = true
                mode = .audit(view)
            }
            if let error { setStatus(error.message, error: true) }
        case .pathCompletions(let input, let candidates):
            completionsInFlight = max(0, completionsInFlight - 1)
            guard case .pathPrompt(let purpose, let text, _) = mode, text.text == input else { return [] }
            if candidates.count == 1 {
                mode = .pathPrompt(purpose, text: LineEditor(candidates[0]), candidates: [])
            } else {
                // Extend to the longest common beginning, and list the choices.
                var common = candidates.first ?? input
                for c in candidates.dropFirst() { while !c.hasPrefix(common) { common.removeLast() } }
                mode = .pathPrompt(purpose, text: common.count > input.count ? LineEditor(common) : text, candidates: candidates)
            }
        case .downloadConflicts(let id, let count, let example):
            mode = .conflictPrompt(batchID: id, count: count, example: example)
        case .transfersUpdated(let rows):
            transferRows = rows
            if case .transfers(let selected) = mode, selected >= rows.count { mode = .transfers(selected: max(0, rows.count - 1)) }
        case .transfersQueued:
            transferBatchesPending = max(0, transferBatchesPending - 1)
        case .versionsListed(let bucket, let key, let result):
            guard case .versions(var view) = mode, view.bucket == bucket, view.key == key else { return [] }
            view.loading = false
            switch result {
            case .success(let rows):
                view.rows = rows
                view.selected = min(view.selected, max(0, rows.count - 1))
            case .failure(let e): setStatus(e.message, error: true)
            }
            mode = .versions(view)
        case .previewed(let bucket, let key, let result):
            guard case .preview(var view) = mode, view.bucket == bucket, view.key == key else { return [] }
            switch result {
            case .success(let content): view.content = content
            case .failure(let e): view.error = e.message
            }
            mode = .preview(view)
        case .uploaded(let id):
            if let s = serials[id], nodes[Int(s)].state == .loaded || nodes[Int(s)].expanded {
                let effects = startListing(s)
                rebuildRows()
                return effects
            }
        default: break
        }
        return []
    }
}
