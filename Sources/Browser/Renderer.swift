import Foundation
import Operations

/// Draws a BrowserState into a Screen. Pure: the same state and size give the same cells.
public enum Renderer {
    /// `state` must be settled (`BrowserState.settle()`) so its rows are current.
    public static func render(_ state: BrowserState) -> Screen {
        var screen = Screen(width: state.width, height: state.height)
        let layout = Layout(width: state.width, height: state.height, showDetails: state.showDetails)
        if layout.isTooSmall {
            screen.put("Terminal too small: pail needs \(Layout.minWidth)×\(Layout.minHeight)", row: 0, column: 0,
                       style: .error)
            return screen
        }
        drawTitle(state, into: &screen)
        // The pages from the last full-screen one up, each over what the ones below drew.
        let pages = state.pages
        let first = pages.lastIndex { $0.placement == .fullScreen } ?? 0
        for page in pages[first...] { page.draw(state, into: &screen, layout: layout) }
        drawStatus(state, into: &screen, under: pages[first].placement == .fullScreen)
        drawFooter(state, into: &screen)
        return screen
    }

    // MARK: Overlays

    /// A framed box over the tree; returns the inner area's first row, left column and width.
    static func box(title: String, lines: Int, into screen: inout Screen,
                    layout: Layout) -> (top: Int, left: Int, width: Int) {
        let width = min(screen.width - 2, 110)
        let left = (screen.width - width) / 2
        let height = min(lines + 2, max(3, layout.treeHeight))
        let top = 2
        for y in top..<(top + height) {
            screen.fill(row: y, from: left, to: left + width, style: .normal)
            screen.put("│", row: y, column: left, style: .dim)
            screen.put("│", row: y, column: left + width - 1, style: .dim)
        }
        screen.put("┌" + String(repeating: "─", count: width - 2) + "┐", row: top, column: left, style: .dim)
        screen.put("└" + String(repeating: "─", count: width - 2) + "┘", row: top + height - 1, column: left,
                   style: .dim)
        screen.put(" " + title + " ", row: top, column: left + 2, style: .header, maxWidth: width - 4)
        return (top + 1, left + 2, width - 4)
    }

    static func drawTextBox(title: String, lines: [String], into screen: inout Screen, layout: Layout,
                            lastStyle: CellStyle) {
        drawReportBox(title: title, lines: lines.map { ReportLine($0) }, into: &screen, layout: layout,
                      lastStyle: lastStyle)
    }

    /// A box of lines coloured by their kind; the last line (the question) in `lastStyle`.
    static func drawReportBox(title: String, lines: [ReportLine], into screen: inout Screen, layout: Layout,
                              lastStyle: CellStyle = .normal) {
        let inner = box(title: Formatting.safe(title), lines: lines.count, into: &screen, layout: layout)
        let maxLines = max(1, min(lines.count, layout.treeHeight - 2))
        // The last line asks the question: it stays when the others do not all fit.
        let shown = lines.count > maxLines ? Array(lines.prefix(maxLines - 1)) + [lines[lines.count - 1]] : lines
        for (i, line) in shown.enumerated() {
            let style: CellStyle = i == maxLines - 1 && line.kind == .plain ? lastStyle : line.kind.style
            screen.put(Formatting.safe(line.text), row: inner.top + i, column: inner.left, style: style,
                       maxWidth: inner.width)
        }
    }

    // MARK: Title bar

    static func drawTitle(_ state: BrowserState, into screen: inout Screen) {
        let busy = state.isBusy
        screen.fill(row: 0, style: busy ? .titleBusy : .title)
        let marker = busy ? "[busy]" : "[idle]"
        let sortText = "sort:\(state.sort.key.rawValue)\(state.sort.reversed ? "↑" : "↓")"
        let right = state.showsInputCount ? "\(sortText)  keys:\(state.inputsSeen)  \(marker)"
                                          : "\(sortText)  \(marker)"
        let rightWidth = DisplayWidth.of(right)
        let location = state.currentLocation
        let path = location.isBucketList ? "buckets" : "s3://\(location.bucket)/\(location.prefix)"
        let profile = state.profile.map { "[\(Formatting.safe($0))]  " } ?? ""
        var left = " pail  " + profile + (state.readOnlyReason != nil ? "read-only  " : "") + Formatting.safe(path)
        left += state.uploadsTitleNote(fitting: screen.width - rightWidth - 2 - DisplayWidth.of(left)) ?? ""
        screen.put(DisplayWidth.truncateLeft(left, to: max(1, screen.width - rightWidth - 2)), row: 0, column: 0,
                   style: busy ? .titleBusy : .title)
        screen.put(right, row: 0, column: screen.width - rightWidth - 1, style: busy ? .titleBusy : .title)
    }

    // MARK: Tree

    struct Columns {
        var size = 0, date = 0, storage = 0
        /// Header columns (`H`): they take the place of the date and storage class.
        var cacheControl = 0, contentType = 0, contentEncoding = 0
        init(width: Int, headers: Bool = false) {
            guard headers else {
                if width >= 44 { size = 10 }
                if width >= 64 { date = 17 }
                if width >= 80 { storage = 6 }
                return
            }
            if width >= 60 { size = 9 }
            if width >= 70 { contentEncoding = 6 }
            if width >= 80 { contentType = 16 }
            cacheControl = max(12, min(34, width - 30 - size - contentEncoding - contentType))
        }
        var headerTotal: Int { cacheControl + contentType + contentEncoding }
        var total: Int { size + date + storage + headerTotal }
    }

    static func drawTree(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let cols = Columns(width: layout.treeWidth, headers: state.columnsShown)
        for line in 0..<layout.treeHeight {
            let index = state.scroll + line
            let y = layout.treeTop + line
            guard index < state.rows.count else { break }
            let row = state.rows[index]
            let selected = index == state.cursor
            drawRow(state, row, y: y, width: layout.treeWidth, cols: cols, selected: selected, into: &screen)
        }
        if layout.details?.left ?? 0 > 0 {
            for y in layout.treeTop..<(layout.treeTop + layout.treeHeight) {
                screen.put("│", row: y, column: layout.treeWidth, style: .dim)
            }
        }
    }

    static func drawRow(_ state: BrowserState, _ row: Row, y: Int, width: Int, cols: Columns, selected: Bool,
                        into screen: inout Screen) {
        let node = state.node(row.node)
        let indent = String(repeating: "  ", count: Int(row.depth))
        guard let child = state.child(of: row) else {
            // Placeholder line of a node with nothing to show.
            let text: String
            var style = CellStyle.dim
            switch node.state {
            case .loading: text = "loading…"; style = .loading
            case .failed(let m): text = "! " + m; style = .error
            case .unloaded, .partial: text = "(not listed; r to list)"
            case .loaded: text = state.filter.isEmpty ? "(empty)" : "(nothing matches the filter)"
            }
            if selected { screen.fill(row: y, to: width, style: .selected) }
            screen.put(indent + "  " + Formatting.safe(text), row: y, column: 1, style: selected ? .selected : style,
                       maxWidth: width - 1)
            return
        }
        let parent = node.id
        var entry: MarkedEntry
        var name = Formatting.safe(child.name)
        var style = CellStyle.normal
        var arrow = "  "
        var right: [(String, Int)] = []
        var rightStyle = CellStyle.dim
        switch child {
        case .bucket(let bucketName, let created):
            entry = MarkedEntry(bucket: bucketName, key: "", isPrefix: true)
            let id = NodeID(bucket: bucketName, prefix: "")
            arrow = expanded(state, id) ? "▾ " : "▸ "
            style = .prefix
            right = containerColumns(state, id, cols: cols, date: created)
        case .prefix(let p):
            entry = MarkedEntry(bucket: parent.bucket, key: parent.prefix + p, isPrefix: true)
            let id = NodeID(bucket: parent.bucket, prefix: parent.prefix + p)
            arrow = expanded(state, id) ? "▾ " : "▸ "
            style = .prefix
            right = containerColumns(state, id, cols: cols, date: .nan)
            if let sid = state.serialOf(id) {
                switch state.node(sid).state {
                case .loading:
                    let n = state.node(sid).children.count
                    name += n > 0 ? "  ⟳ \(Formatting.count(n))" : "  ⟳"
                    rightStyle = .loading
                case .failed(let m): name += "  ! " + Formatting.safe(m); rightStyle = .error
                case .partial: name += "  (partial)"
                default: break
                }
            }
        case .object(let o):
            entry = MarkedEntry(bucket: parent.bucket, key: parent.prefix + o.name, isPrefix: false)
            if cols.size > 0 { right.append((Formatting.size(o.size), cols.size)) }
            if cols.date > 0 { right.append((Formatting.date(o.modified), cols.date)) }
            if cols.storage > 0 { right.append((o.storageClass.label, cols.storage)) }
            right += headerColumns(state, entry, cols: cols)
        }
        if case .bucket = child { name = Formatting.safe(child.name) }
        let marked = state.marks[entry] != nil
        let lineStyle: CellStyle = selected ? (marked ? .markedSelected : .selected) : (marked ? .marked : .normal)
        screen.fill(row: y, to: width, style: lineStyle)
        screen.put(marked ? "*" : " ", row: y, column: 0, style: lineStyle)
        let nameWidth = max(1, width - 1 - cols.total - 1)
        let used = screen.put(indent + arrow, row: y, column: 1, style: selected || marked ? lineStyle : .dim,
                              maxWidth: nameWidth)
        let nameStyle = selected || marked ? lineStyle : (rightStyle == .error ? .error : style)
        screen.put(name, row: y, column: 1 + used, style: nameStyle, maxWidth: nameWidth - used)
        var x = width - cols.total
        for (text, w) in right {
            let t = DisplayWidth.truncate(text, to: w - 1)
            let pad = w - 1 - DisplayWidth.of(t)
            // Numbers align right; header values read from their start (a column of `public, max-age=…`).
            let leftAligned = x >= width - cols.headerTotal
            screen.put(leftAligned ? " " + t : String(repeating: " ", count: max(0, pad)) + t, row: y, column: x,
                       style: selected || marked ? lineStyle : rightStyle, maxWidth: w)
            x += w
        }
    }

    /// An object's header columns: `…` until read, `!` when the HEAD failed, `(none)` for a
    /// missing Cache-Control (the one whose absence matters).
    static func headerColumns(_ state: BrowserState, _ entry: MarkedEntry, cols: Columns) -> [(String, Int)] {
        guard cols.headerTotal > 0 else { return [] }
        let values: [String]
        switch state.columns[entry] {
        case nil: values = ["…", "…", "…"]
        case .failed?: values = ["!", "!", "!"]
        case .loaded(let h)?:
            values = [h.cacheControl ?? "(none)", h.contentType ?? "", h.contentEncoding ?? ""].map(Formatting.safe)
        }
        return zip(values, [cols.cacheControl, cols.contentType, cols.contentEncoding]).filter { $0.1 > 0 }
    }

    static func expanded(_ state: BrowserState, _ id: NodeID) -> Bool {
        guard let s = state.serialOf(id) else { return false }
        return state.node(s).expanded
    }

    /// Size column of a prefix or bucket: its measured size, live while measuring.
    static func containerColumns(_ state: BrowserState, _ id: NodeID, cols: Columns, date: Double) -> [(String, Int)] {
        var out: [(String, Int)] = []
        var sizeText = ""
        var countText = ""
        if let m = state.measures[id] {
            sizeText = m.error != nil ? "!" : Formatting.size(m.bytes)
            countText = (m.finished ? "" : "… ") + Formatting.count(m.objects) + " obj"
        }
        if cols.size > 0 { out.append((sizeText, cols.size)) }
        if cols.date > 0 { out.append((date.isNaN ? countText : Formatting.date(date), cols.date)) }
        if cols.storage > 0 { out.append((state.measures[id]?.classColumn ?? "", cols.storage)) }
        for w in [cols.cacheControl, cols.contentType, cols.contentEncoding] where w > 0 { out.append(("", w)) }
        if cols.date == 0 && !countText.isEmpty && cols.size > 0 { out[0].0 = sizeText }
        return out
    }

    // MARK: Details pane

    static func drawDetails(_ state: BrowserState, into screen: inout Screen,
                            area: (top: Int, left: Int, width: Int, height: Int), beside: Bool) {
        let x = area.left + (beside ? 1 : 1)
        let w = area.width - 2
        var y = area.top
        if !beside {
            screen.put(String(repeating: "─", count: screen.width), row: y, column: 0, style: .dim)
            y += 1
        }
        guard let entry = state.cursorEntry else { return }
        let title = entry.key.isEmpty ? "s3://\(entry.bucket)/" : "s3://\(entry.bucket)/\(entry.key)"
        screen.put(Formatting.safe(title), row: y, column: x, style: .header, maxWidth: w)
        y += 1
        let bottom = area.top + area.height
        if TerminalSafe.hasUnsafe(entry.key) && y < bottom {
            screen.put("key has invisible or control characters", row: y, column: x, style: .error, maxWidth: w)
            y += 1
        }
        var lines: [(String, String, CellStyle)] = []
        if entry.isPrefix {
            let id = NodeID(bucket: entry.bucket, prefix: entry.key)
            if let m = state.measures[id] {
                lines.append(("Size", Formatting.size(m.bytes) + (m.finished ? "" : " (measuring…)"), .normal))
                lines.append(("Objects", Formatting.count(m.objects), .normal))
                lines += m.classLines
                if let e = m.error { lines.append(("Error", e, .error)) }
            } else {
                lines.append(("", "s: measure total size", .dim))
            }
            if entry.key.isEmpty, let u = state.uploadTotals[entry.bucket] {
                if let e = u.error {
                    lines.append(("Uploads", "cannot count them: " + e, .dim))
                } else {
                    lines.append(("Uploads", u.count == 0 ? "no incomplete uploads" : u.text + " (M)",
                                  u.count == 0 ? .normal : .error))
                }
            }
        } else {
            switch state.details[entry] {
            case .none, .loading?: lines.append(("", "loading headers…", .loading))
            case .failed(let m)?: lines.append(("Error", m, .error))
            case .loaded(let rows)?:
                // A header the object lacks is said as such, not as a value that reads "(none)".
                lines += rows.map {
                    $0.isAbsent ? ($0.name, "(none)", .dim) : ($0.name, $0.value, $0.isWarning ? .error : .normal)
                }
                // Said once known: a CDN slow to answer leaves no "checking" line in the way.
                if let access = state.publicAccess[entry], access.verdict != .checking {
                    lines.append(("Public?", access.text, access.style))
                }
            }
        }
        let nameWidth = min(20, max(8, (lines.map { DisplayWidth.of($0.0) }.max() ?? 8) + 1))
        for (name, value, style) in lines {
            guard y < bottom else { break }
            if !name.isEmpty {
                screen.put(Formatting.safe(name), row: y, column: x, style: .detailName, maxWidth: nameWidth)
            }
            // Long values wrap under themselves: their end is what is read (immutable, a date).
            let valueX = x + (name.isEmpty ? 0 : nameWidth)
            for part in wrapValue(Formatting.safe(value), width: w - (name.isEmpty ? 0 : nameWidth)) {
                guard y < bottom else { break }
                screen.put(part, row: y, column: valueX, style: style, maxWidth: w - (valueX - x))
                y += 1
            }
        }
    }

    // MARK: Status line and footer

    static func drawStatus(_ state: BrowserState, into screen: inout Screen, under fullScreen: Bool) {
        let y = screen.height - 2
        guard !fullScreen else { return }
        screen.fill(row: y, style: .normal)
        var right = "\(Formatting.count(state.entryRowCount)) rows"
        if !state.marks.isEmpty {
            // A marked prefix not measured yet adds an unknown size: said, not counted as 0 B.
            let unmeasured = state.unmeasuredMarkedPrefixes
            let more = unmeasured == 0 ? "" : " + \(Formatting.things(unmeasured, "prefix"))"
            right = "\(Formatting.count(state.marks.count)) marked (\(Formatting.size(state.markedBytes))\(more))  "
                + right
        }
        if !state.filter.isEmpty, state.topPage is TreePage {
            right = "filter: \(Formatting.safe(state.filter))  " + right
        }
        let rw = DisplayWidth.of(right)
        screen.put(right, row: y, column: screen.width - rw - 1, style: .dim)
        let leftWidth = max(1, screen.width - rw - 3)
        if state.topPage.drawStatusLine(state, into: &screen, row: y, width: leftWidth) { return }
        guard let s = state.status else { return }
        let text = Formatting.safe(s.text)
        let style: CellStyle = s.isError ? .error : .notice
        if DisplayWidth.of(text) <= leftWidth {
            screen.put(text, row: y, column: 0, style: style, maxWidth: leftWidth)
        } else {
            // Too long for one line (a presigned URL, a long error): the status grows
            // upward and shows all of it, so it can be read and selected in full.
            let lines = wrap(text, width: screen.width)
            let count = min(lines.count, max(1, screen.height - 3))
            for (i, line) in lines.suffix(count).enumerated() {
                let row = y - count + 1 + i
                screen.fill(row: row, style: .normal)
                screen.put(line, row: row, column: 0, style: style)
            }
        }
    }

    /// Cuts text into lines of at most `width` columns after a space where it can (a header
    /// value reads `public, max-age=31536000,` / `immutable`), else at any character.
    static func wrapWords(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if DisplayWidth.of(candidate) <= width { line = candidate; continue }
            if !line.isEmpty { lines.append(line) }
            // A word longer than a line is cut where the line ends.
            var parts = wrap(word, width: width)
            line = parts.popLast() ?? ""
            lines += parts
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Cuts a header value into lines of at most `width` columns after a space (so after its
    /// commas: `public, max-age=31536000 (1 y),` / `immutable`), never inside a short note in
    /// parentheses (`(1` / `y)`), and at any character only for a word longer than a line.
    static func wrapValue(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        guard DisplayWidth.of(text) > width else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in words(text) {
            let candidate = line.isEmpty ? word : line + " " + word
            if DisplayWidth.of(candidate) <= width { line = candidate; continue }
            if !line.isEmpty { lines.append(line) }
            // A word longer than a line is cut where the line ends.
            var parts = wrap(word, width: width)
            line = parts.popLast() ?? ""
            lines += parts
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// The words of a value: split at spaces, but a short parenthesised note (a duration,
    /// `(1 y)`) is one word; a long one (a sentence's aside) still breaks.
    static func words(_ text: String) -> [String] {
        let chars = Array(text)
        var out: [String] = []
        var word = ""
        var groupEnd = -1
        for (i, c) in chars.enumerated() {
            if c == "(" && i > groupEnd, let close = chars[i...].firstIndex(of: ")"), close - i <= 12 {
                groupEnd = close
            }
            if c == " " && i > groupEnd {
                out.append(word)
                word = ""
            } else {
                word.append(c)
            }
        }
        out.append(word)
        return out
    }

    /// Cuts text into lines of at most `width` columns, at any character (URLs have no spaces).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var used = 0
        for c in text {
            let w = DisplayWidth.of(c)
            if used + w > width {
                lines.append(line)
                line = ""
                used = 0
            }
            line.append(c)
            used += w
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The top page's footer, generated from its bindings, with `? help` before the last item.
    static func drawFooter(_ state: BrowserState, into screen: inout Screen) {
        let y = screen.height - 1
        screen.fill(row: y, style: .footerText)
        let page = state.topPage
        var items = page.resolvedFooter(state)
        if !(page is HelpPage) && !page.takesTyping(in: state) {
            let help = FooterItem("?", "help")
            if items.last?.label == "quit" { items.insert(help, at: items.count - 1) } else { items.append(help) }
        }
        // Too wide: drop items before the last two (help and quit always stay), the latest
        // first, and those that change what is shown (Tab: details) only when nothing else is left.
        func width(_ list: [FooterItem]) -> Int {
            list.reduce(0) { $0 + DisplayWidth.of($1.keys) + DisplayWidth.of($1.label) + 3 }
        }
        while width(items) > screen.width + 1 && items.count > 2 {
            let droppable = items.indices.dropLast(2)
            items.remove(at: droppable.last { !items[$0].keeps } ?? droppable.last!)
        }
        var x = 0
        for item in items {
            let kw = DisplayWidth.of(item.keys)
            // A message in the footer (a refused value) is cut to fit rather than dropped.
            let label = DisplayWidth.truncate(item.label, to: max(1, screen.width - x - kw - 2))
            let lw = DisplayWidth.of(label)
            if x + kw + lw + 2 > screen.width { break }
            screen.put(item.keys, row: y, column: x, style: .footerKey)
            screen.put(label, row: y, column: x + kw + 1, style: .footerText)
            x += kw + lw + 3
        }
    }
}
