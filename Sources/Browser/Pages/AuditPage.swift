import Operations
import S3

/// The header audit of a prefix: rows stream in, rules filter them, matching rows can be
/// marked and their headers edited.
public struct AuditPage: Page {
    public static let name = "Audit"
    public static func example(in state: inout BrowserState) -> AuditPage {
        var page = AuditPage(view: AuditView(bucket: "site", prefix: "static/"))
        page.view.entries = [
            AuditEntry(key: "static/app.css", size: 2048, modified: 1_700_000_000, contentType: "text/css",
                       cacheControl: "public, max-age=31536000, immutable", contentEncoding: "gzip"),
            AuditEntry(key: "static/app.js", size: 4096, modified: 1_700_000_000, contentType: "text/javascript",
                       cacheControl: nil, contentEncoding: nil),
            AuditEntry(key: "static/logo.svg", size: 512, modified: 1_700_000_000, contentType: nil,
                       cacheControl: "max-age=60", contentEncoding: nil),
        ]
        page.view.finished = true
        return page
    }

    public internal(set) var view: AuditView
    /// The audit's request: open while rows stream in.
    public internal(set) var request: RequestID?
    /// What was typed in the last edit form that was cancelled (or is in preview): `e` opens it again.
    public internal(set) var draft: [LineEditor]?

    public init(view: AuditView, request: RequestID? = nil) {
        self.view = view
        self.request = request
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding((1...AuditView.ruleNames.count).map { .char(Character(String($0))) }, .toggleRule,
                    "Turn a rule on or off: " + AuditView.ruleNames.enumerated().map { "\($0 + 1) \($1)" }
                        .joined(separator: ", "),
                    footer: "rules", footerKeys: "1-\(AuditView.ruleNames.count)", shows: true),
            Binding([.char(" ")], .toggleMark, "Mark or unmark the row", footer: "mark"),
            Binding([.char("m")], .markShown, "Mark every row shown", footer: "mark shown"),
            Binding([.char("e")], .editHeaders, "Edit the headers of the marked objects", footer: "edit marked",
                    writes: true, disabled: Refusal.readOnly(state.readOnly ?? state.readOnlyBuckets[view.bucket])),
            Binding([.char("o")], .cycleSort, "Sort by key, size, date, type or cache", footer: "sort"),
            Binding([.char("O")], .reverseSort, "Reverse the sort"),
            Binding([.char("u")], .clearMarks, "Clear all marks"),
            Binding([.up, .char("k")], .up, "Move up"),
            Binding([.down, .char("j")], .down, "Move down"),
            Binding([.pageUp], .pageUp, "Page up"),
            Binding([.pageDown], .pageDown, "Page down"),
            Binding([.home], .top, "First row"),
            Binding([.end, .char("G")], .bottom, "Last row"),
            Binding([.tab], .toggleDetails, "Show or hide the selected row's values under the table",
                    footer: "details", shows: true),
            Binding([.escape, .char("q")], .cancel, "Back to the tree (stops reading)", footer: "back"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        let rows = view.visible
        let page = Self.rowsShown(state)
        switch action {
        case .toggleDetails: state.showDetails.toggle()
        case .cancel:
            // Its answer comes after the cancel; meanwhile the browser stays busy with it.
            return .close(state.isOpen(request) ? [.cancelAudit] : [])
        case .up: view.cursor -= 1
        case .down: view.cursor += 1
        case .pageUp: view.cursor -= page
        case .pageDown: view.cursor += page
        case .top: view.cursor = 0
        case .bottom: view.cursor = rows.count - 1
        case .toggleRule:
            guard case .char(let c) = key, let n = c.wholeNumberValue else { return .stay }
            view.rules[n - 1].toggle()
            view.cursor = 0
        case .cycleSort:
            let all = AuditView.Column.allCases
            view.sort = all[(all.firstIndex(of: view.sort)! + 1) % all.count]
        case .reverseSort: view.reversed.toggle()
        case .toggleMark:
            if rows.indices.contains(view.cursor) {
                let e = rows[view.cursor]
                let entry = MarkedEntry(bucket: view.bucket, key: e.key, isPrefix: false)
                if state.marks.removeValue(forKey: entry) == nil { state.marks[entry] = e.size }
                view.cursor += 1
            }
        case .markShown:
            for e in rows { state.marks[MarkedEntry(bucket: view.bucket, key: e.key, isPrefix: false)] = e.size }
            state.setStatus("marked \(Formatting.things(rows.count, "object")); e edits their headers", error: false)
        case .clearMarks: state.marks.removeAll()
        case .editHeaders:
            let marked = state.marks.keys.filter { $0.bucket == view.bucket && !$0.isPrefix }.map(\.key)
                .sorted { $0.bytesPrecede($1) }
            guard !marked.isEmpty else {
                state.setStatus("mark objects first (space, or m for all shown)", error: true)
                return .stay
            }
            // The form replaces the audit and holds it, so that cancelling it (or its preview)
            // comes back here, with what was typed kept for the next `e`.
            return .replace(HeaderFormPage(form: editForm(marked), returnTo: self))
        default: break
        }
        view.cursor = max(0, min(view.cursor, rows.count - 1))
        let h = Self.rowsShown(state)
        if view.cursor < view.scroll { view.scroll = view.cursor }
        if view.cursor >= view.scroll + h { view.scroll = view.cursor - h + 1 }
        return .stay
    }

    /// The form for the marked keys: what the audit rows say of each header is its hint, when
    /// every marked object has the same value, and "(varies)" otherwise.
    func editForm(_ marked: [String]) -> EditForm {
        var form = EditForm(bucket: view.bucket, keys: marked, prefixes: [], label: "\(marked.count) marked",
                            values: Array(repeating: "", count: EditForm.fields.count),
                            current: Array(repeating: nil, count: EditForm.fields.count))
        let wanted = Set(marked.map { ObjectKey($0) })
        let rows = view.entries.filter { wanted.contains(ObjectKey($0.key)) }
        let columns: [(Int, (AuditEntry) -> String?)] = [(0, \.cacheControl), (1, \.contentType),
                                                          (2, \.contentEncoding)]
        if !rows.isEmpty {
            for (field, value) in columns {
                let values = rows.map(value)
                if values.allSatisfy({ $0 == values[0] }) {
                    form.current[field] = values[0]
                    form.knownFields.insert(field)
                } else {
                    form.varies.insert(field)
                }
            }
        }
        if let draft { form.lines = draft }
        return form
    }

    /// A new reading of the same prefix, with the same rules, sort and cursor: an edit finished.
    mutating func refresh(_ state: inout BrowserState) -> [BrowserEffect] {
        let id = state.ask(.audit)
        request = id
        view.entries = []
        view.finished = false
        draft = nil
        return [.audit(id: id, bucket: view.bucket, prefix: view.prefix)]
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        switch event {
        case .operationFinished(_, let report, _):
            // Only this audit's edits finish while it is open: read the objects again to show
            // what they are now, and say what happened over it.
            let effects = refresh(&state)
            return .open(ReportPage(report: report), effects)
        case .auditRows(let id, let rows):
            // Rows of a reading this one replaced (refreshed after an edit) are not this one's.
            guard id == request else { return nil }
            view.entries += rows
        case .auditFinished(let id, _):
            guard id == request else { return nil }
            view.finished = true
        default: return nil
        }
        return .stay
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        var shown = view
        shown.finished = !state.isOpen(request)
        Self.draw(shown, state: state, into: &screen, layout: layout)
    }

    /// Lines under the table for the selected row's values in full (cut in their columns).
    static let selectedRowLines = 4

    /// Table rows that fit under the title (and the rules' line), the column names, and above
    /// the selected row's values when Tab shows them.
    static func rowsShown(_ state: BrowserState) -> Int {
        rowsShown(height: state.treeHeight, width: state.width, details: state.showDetails)
    }

    static func rowsShown(height: Int, width: Int, details: Bool) -> Int {
        let titles = rulesOnOwnLine(width: width) ? 3 : 2
        return max(1, height - titles - (details && height > selectedRowLines + 3 ? selectedRowLines : 0))
    }

    /// The rules with their state, long names when they fit the width.
    static func rulesText(_ rules: [Bool], width: Int) -> String {
        func text(_ names: [String], _ gap: String) -> String {
            names.enumerated().map { "\($0 + 1)\(rules[$0] ? "[x]" : "[ ]") \($1)" }.joined(separator: gap)
        }
        let long = "rules:  " + text(AuditView.ruleNames, "  ")
        return DisplayWidth.of(long) <= width ? long : text(AuditView.shortRuleNames, "  ")
    }

    /// Whether the rules need a line of their own: every rule's state is shown at any width.
    static func rulesOnOwnLine(width: Int) -> Bool {
        DisplayWidth.of(rulesText([false, false, false, false], width: width)) + 40 > width
    }

    static func draw(_ view: AuditView, state: BrowserState, into screen: inout Screen, layout: Layout) {
        let top = layout.treeTop
        let width = screen.width
        for y in top..<(top + layout.treeHeight) { screen.fill(row: y, style: .normal) }
        let title = "Audit s3://\(view.bucket)/\(view.prefix)  \(Formatting.count(view.entries.count)) objects"
            + (view.finished ? "" : " (reading…)")
        let ownLine = rulesOnOwnLine(width: width)
        let rules = rulesText(view.rules, width: width)
        screen.put(Formatting.safe(ownLine ? title : title + "  " + rules), row: top, column: 0, style: .header,
                   maxWidth: width)
        if ownLine { screen.put(rules, row: top + 1, column: 0, style: .header, maxWidth: width) }
        let typeW = 24, cacheW = max(14, min(36, width / 4)), encW = 8, sizeW = 10
        let keyW = max(10, width - typeW - cacheW - encW - sizeW - 5)
        let typeX = 1 + keyW + sizeW + 1, cacheX = 2 + keyW + sizeW + typeW + 1
        let encX = 3 + keyW + sizeW + typeW + cacheW + 1
        let sortMark = { (c: AuditView.Column) in view.sort == c ? (view.reversed ? "↑" : "↓") : "" }
        let y0 = top + (ownLine ? 2 : 1)
        screen.put("KEY" + sortMark(.key), row: y0, column: 1, style: .detailName, maxWidth: keyW)
        screen.put("SIZE" + sortMark(.size), row: y0, column: 1 + keyW, style: .detailName, maxWidth: sizeW)
        screen.put("CONTENT-TYPE" + sortMark(.type), row: y0, column: typeX, style: .detailName, maxWidth: typeW)
        screen.put("CACHE-CONTROL" + sortMark(.cache), row: y0, column: cacheX, style: .detailName, maxWidth: cacheW)
        screen.put("ENCODING", row: y0, column: encX, style: .detailName, maxWidth: encW)
        let rows = view.visible
        let h = rowsShown(height: layout.treeHeight, width: width, details: state.showDetails)
        for (i, e) in rows.dropFirst(view.scroll).prefix(h).enumerated() {
            let y = y0 + 1 + i
            let index = view.scroll + i
            let marked = state.marks[MarkedEntry(bucket: view.bucket, key: e.key, isPrefix: false)] != nil
            let style: CellStyle = index == view.cursor ? (marked ? .markedSelected : .selected)
                                                        : (marked ? .marked : .normal)
            screen.fill(row: y, style: style)
            screen.put(marked ? "*" : " ", row: y, column: 0, style: style)
            screen.put(Formatting.safe(e.key.droppingBytePrefix(view.prefix)), row: y, column: 1, style: style,
                       maxWidth: keyW - 1)
            let size = Formatting.size(e.size)
            screen.put(size, row: y, column: 1 + keyW + sizeW - 1 - DisplayWidth.of(size), style: style)
            let missing: CellStyle = index == view.cursor ? style : .error
            screen.put(Formatting.safe(e.contentType ?? "-"), row: y, column: typeX,
                       style: e.contentType == nil ? missing : style, maxWidth: typeW)
            screen.put(Formatting.safe(e.cacheControl ?? "(none)"), row: y, column: cacheX,
                       style: e.cacheControl == nil ? missing : style, maxWidth: cacheW)
            screen.put(Formatting.safe(e.contentEncoding ?? "-"), row: y, column: encX, style: style, maxWidth: encW)
        }
        if rows.isEmpty && view.finished {
            screen.put("no object matches the rules", row: y0 + 1, column: 2, style: .dim)
        }
        // The selected row's values in full: the columns cut them, and these are what an
        // audit is read for (a Cache-Control like "public, max-age=31536000, immutable").
        guard state.showDetails, rows.indices.contains(view.cursor), layout.treeHeight > selectedRowLines + 3
        else { return }
        let e = rows[view.cursor]
        let bottom = top + layout.treeHeight
        screen.put(String(repeating: "─", count: width), row: bottom - selectedRowLines, column: 0, style: .dim)
        let full = "Content-Type: \(e.contentType ?? "-")   Cache-Control: \(e.cacheControl ?? "(none)")"
            + "   Content-Encoding: \(e.contentEncoding ?? "-")"
        let lines = [e.key] + Renderer.wrapWords(Formatting.safe(full), width: width - 2)
        for (i, line) in lines.prefix(selectedRowLines - 1).enumerated() {
            screen.put(i == 0 ? Formatting.safe(line) : line, row: bottom - selectedRowLines + 1 + i, column: 1,
                       style: i == 0 ? .header : .normal, maxWidth: width - 2)
        }
    }
}

extension Action {
    public static let toggleRule: Action = "toggleRule"
    public static let markShown: Action = "markShown"
}
