import Operations

/// An image object, full screen: the picture fitted to the pane (symbols in palette colours
/// through the cells, or a pixel protocol's sequences written by the terminal), the pixel size,
/// format and bytes on the line under it. ↑↓ move to the previous or next object, which
/// cancels the fetch in flight; any other key closes.
public struct ImagePage: Page {
    public static let name = "Image"
    public static func example(in state: inout BrowserState) -> ImagePage {
        var page = ImagePage(bucket: "site", key: "media/photo.jpg", request: nil)
        // A gradient in the palette's colour cube, as a symbols rendering would give.
        let rows = (0..<8).map { y in
            (0..<24).map { x in
                ImageGlyph(character: x % 3 == 0 ? "▀" : "▄",
                           colour: PaletteColour(foreground: 16 + (x / 4) * 36 + y % 6, background: 232 + x))
            }
        }
        page.picture = ImagePicture(caption: "1920×1080 JPEG, 245 KiB", columns: 24, rows: 8, glyphs: rows)
        return page
    }

    public internal(set) var bucket: String
    public internal(set) var key: String
    public let request: RequestID?
    public internal(set) var picture: ImagePicture?
    public internal(set) var error: String?
    /// The pane the picture was asked for, to ask again when the terminal is resized.
    var asked: (columns: Int, rows: Int) = (0, 0)

    public init(bucket: String, key: String, request: RequestID?) {
        self.bucket = bucket
        self.key = key
        self.request = request
    }

    public var placement: PagePlacement { .fullScreen }

    /// Names and Content-Types of the formats pail decodes; only a hint, the magic bytes decide.
    static let extensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "gif", "webp", "avif"]
    static let contentTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"]

    static func looksLikeImage(key: String, contentType: String?) -> Bool {
        if let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
           contentTypes.contains(type) { return true }
        guard let name = key.split(separator: "/", omittingEmptySubsequences: false).last,
              let dot = name.lastIndex(of: ".") else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// The cells the picture may take on a `width` × `height` screen: the title, the key's
    /// line, the caption and the footer take the rest.
    static func pane(width: Int, height: Int) -> (columns: Int, rows: Int) {
        (max(1, width - 2), max(1, height - 5))
    }

    static func opening(_ entry: MarkedEntry, in state: inout BrowserState) -> PageOutcome {
        let (page, effects) = asking(bucket: entry.bucket, key: entry.key, in: &state)
        return .open(page, effects)
    }

    /// A page for `bucket`/`key` and the effect that fetches its picture for this screen.
    static func asking(bucket: String, key: String, in state: inout BrowserState) -> (ImagePage, [BrowserEffect]) {
        let id = state.ask(.image)
        var page = ImagePage(bucket: bucket, key: key, request: id)
        page.asked = pane(width: state.width, height: state.height)
        return (page, [.showImage(id: id, bucket: bucket, key: key, columns: page.asked.columns,
                                  rows: page.asked.rows)])
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.down, .char("j"), .char("n")], .down, "Next object", footer: "next/previous",
                    footerKeys: "↑↓"),
            Binding([.up, .char("k")], .up, "Previous object"),
            Binding([.char("x")], .showBytes, "Show the start of the object as text or a hex dump", footer: "bytes"),
            Binding([], .dismiss, "Close", group: .anyOther, footer: "close", footerKeys: "any other key"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        let cancel: [BrowserEffect] = request.map { [.cancelImage(id: $0)] } ?? []
        switch action {
        case .down, .up:
            let step = action == .down ? 1 : -1
            var index = state.cursor + step
            // The next object in the tree, over prefixes.
            while state.rows.indices.contains(index) {
                if let c = state.child(of: state.rows[index]), case .object = c { break }
                index += step
            }
            guard state.rows.indices.contains(index) else {
                state.setStatus(action == .down ? "no object below" : "no object above", error: false)
                return .stay
            }
            let moved = state.moveCursor(to: index)
            guard let entry = state.cursorEntry, !entry.isPrefix else { return .stay }
            if !Self.looksLikeImage(key: entry.key, contentType: state.contentType(of: entry)) {
                let id = state.ask(.preview)
                return .replace(PreviewPage(view: PreviewView(bucket: entry.bucket, key: entry.key), request: id),
                                cancel + moved + [.preview(id: id, bucket: entry.bucket, key: entry.key)])
            }
            let (next, effects) = Self.asking(bucket: entry.bucket, key: entry.key, in: &state)
            return .replace(next, cancel + moved + effects)
        case .showBytes:
            let id = state.ask(.preview)
            return .replace(PreviewPage(view: PreviewView(bucket: self.bucket, key: self.key), request: id),
                            cancel + [.preview(id: id, bucket: self.bucket, key: self.key)])
        default:
            return .close(cancel)
        }
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        switch event {
        case .imageShown(let id, let result) where id == request:
            switch result {
            case .success(let p):
                picture = p
                error = nil
            case .failure(let e): error = e.message
            }
            return .stay
        case .resize(let width, let height):
            // Drawn again for the new pane (from the session's cache: no second GET).
            guard Self.pane(width: width, height: height) != asked, error == nil else { return nil }
            let cancel: [BrowserEffect] = request.map { [.cancelImage(id: $0)] } ?? []
            let (next, effects) = Self.asking(bucket: bucket, key: key, in: &state)
            var replaced = next
            replaced.picture = picture
            return .replace(replaced, cancel + effects)
        default:
            return nil
        }
    }

    /// The key on the first row, the picture centred below it, its caption under it; an
    /// error is one line where the picture would be.
    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        let top = 1
        screen.fill(row: top, style: .header)
        let status = picture == nil && error == nil ? (state.isOpen(request) ? "  (reading…)" : "") : ""
        screen.put(Formatting.safe("s3://\(bucket)/\(key)") + status, row: top, column: 1, style: .header,
                   maxWidth: screen.width - 2)
        for row in (top + 1)..<max(top + 1, screen.height - 2) { screen.fill(row: row, style: .normal) }
        if let error {
            for (i, line) in Self.wrap(Formatting.safe(error), width: screen.width - 2).enumerated() {
                screen.put(line, row: top + 2 + i, column: 1, style: .error, maxWidth: screen.width - 2)
            }
            return
        }
        guard let picture else { return }
        let pane = Self.pane(width: screen.width, height: screen.height)
        let columns = min(picture.columns, pane.columns), rows = min(picture.rows, pane.rows)
        let left = 1 + max(0, (pane.columns - columns) / 2)
        for (y, line) in picture.glyphs.prefix(rows).enumerated() {
            for (x, glyph) in line.prefix(columns).enumerated() {
                screen.putColoured(glyph.character, row: top + 1 + y, column: left + x, colour: glyph.colour)
            }
        }
        if !picture.pixels.isEmpty {
            screen.picture = TerminalPicture(row: top + 1, column: left, bytes: picture.pixels, clear: picture.clear)
        }
        let caption = Formatting.safe(picture.caption)
        let captionLeft = 1 + max(0, (pane.columns - DisplayWidth.of(caption)) / 2)
        screen.put(caption, row: top + 1 + rows, column: captionLeft, style: .dim, maxWidth: screen.width - 2)
    }
}

extension Action {
    public static let showBytes: Action = "showBytes"
}

extension ImagePage {
    /// `text` in lines of at most `width` columns, broken at spaces (a long word is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && DisplayWidth.of(line) + 1 + DisplayWidth.of(String(word)) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

extension BrowserState {
    /// The Content-Type the details pane's HEAD gave for `entry`, if it was asked.
    func contentType(of entry: MarkedEntry) -> String? {
        guard case .loaded(let rows)? = details[entry] else { return nil }
        return rows.first { $0.name == "Content-Type" }?.value
    }
}
