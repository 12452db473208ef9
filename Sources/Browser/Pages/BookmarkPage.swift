import Operations

/// After `m` or `'`: the next key is a bookmark's letter. `m a` saves the place the cursor is
/// in as bookmark a (in pail's configuration file, by the session); `' a` goes there, as `g`
/// does with a typed s3:// place; `'` and a letter that is no bookmark says which there are.
public struct BookmarkPage: Page {
    public enum Mode: Sendable, Equatable { case save, jump }
    public static let name = "Bookmark"
    public static func example(in state: inout BrowserState) -> BookmarkPage { BookmarkPage(mode: .jump) }

    public let mode: Mode
    public init(mode: Mode) { self.mode = mode }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.escape], .cancel, "Cancel", footer: "cancel"),
            Binding([], .confirm, mode == .save ? "Save the current place under this letter or digit"
                                                : "Go to the bookmark of this letter or digit",
                    group: .anyOther, footer: mode == .save ? "save as" : "go to", footerKeys: "a-z 0-9"),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        guard action == .confirm else { return .close }
        guard case .char(let c) = key, Bookmark.isValidName(String(c)) else {
            state.setStatus("a bookmark is a letter or a digit (\(mode == .save ? "m" : "'") then a-z, A-Z, 0-9)",
                            error: true)
            return .close
        }
        let name = String(c)
        switch mode {
        case .save:
            let place = state.currentLocation
            guard !place.isBucketList else {
                state.setStatus("m saves an s3:// place: open a bucket first", error: true)
                return .close
            }
            let uri = "s3://\(place.bucket)" + (place.prefix.isEmpty ? "" : "/" + place.prefix)
            do { _ = try Bookmark(name: name, uri: uri) } catch {
                state.setStatus("cannot save bookmark \(name): \(Formatting.safe(String(describing: error)))",
                                error: true)
                return .close
            }
            state.setStatus("saving bookmark \(name): \(Formatting.safe(uri))…", error: false)
            return .close([.saveBookmark(id: state.ask(.bookmark), name: name, uri: uri)])
        case .jump:
            guard let uri = state.bookmarks[name] else {
                let names = state.bookmarks.keys.sorted { $0.bytesPrecede($1) }
                let known = names.isEmpty ? "there are no bookmarks; m then a letter saves the current place"
                                          : "bookmarks: " + names.joined(separator: ", ")
                state.setStatus("no bookmark \(name) (\(known))", error: true)
                return .close
            }
            let effects = state.jump(to: uri)
            if state.status?.isError != true { state.setStatus("bookmark \(name): \(Formatting.safe(uri))",
                                                               error: false) }
            return .close(effects)
        }
    }

    public func drawStatusLine(_ state: BrowserState, into screen: inout Screen, row: Int, width: Int) -> Bool {
        let text: String
        switch mode {
        case .save:
            let place = state.currentLocation
            let here = place.isBucketList ? "the bucket list" : "s3://\(place.bucket)/\(place.prefix)"
            text = "bookmark \(Formatting.safe(here)) as: press a letter (Esc cancels)"
        case .jump:
            let names = state.bookmarks.keys.sorted { $0.bytesPrecede($1) }
            text = "go to bookmark: press its letter" + (names.isEmpty ? " (none yet)"
                                                                      : " (" + names.joined(separator: " ") + ")")
        }
        screen.put(text, row: row, column: 0, style: .prompt, maxWidth: width)
        return true
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {}
}

extension Action {
    public static let saveBookmark: Action = "saveBookmark"
    public static let goToBookmark: Action = "goToBookmark"
}
