import Operations

/// The tree of buckets, prefixes and objects, with the details pane: the page at the bottom
/// of the stack, which never closes. Its actions work on the tree BrowserState keeps.
public struct TreePage: Page {
    public static let name = "Tree"
    public static func example(in state: inout BrowserState) -> TreePage { TreePage() }
    public static let helpNotes: [(String, String)] = [
        ("Mouse", "click selects, double click opens, wheel scrolls"),
        ("Filter", "/ then type; Enter keeps it, Esc clears it"),
        ("Jump", "g then a prefix (media/2024/) or s3://bucket/prefix/"),
        ("Header filter", "/cc:no-cache, /ct:text/css, /ce:gzip; cc: alone: no Cache-Control; cc:!word"),
        ("Bookmarks", "m then a letter saves the place; ' then the letter goes back there"),
    ]

    public init() {}

    /// The tree's keys without the refusals of the moment.
    public static let keymap: [Binding] = [
        Binding([.up, .char("k")], .up, "Move up", footer: "move", footerKeys: "↑↓"),
        Binding([.down, .char("j")], .down, "Move down"),
        Binding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
        Binding([.pageDown, .ctrl("f")], .pageDown, "Page down"),
        Binding([.home], .top, "First row"),
        Binding([.end, .char("G")], .bottom, "Last row"),
        Binding([.right, .enter, .char("l")], .open, "Expand a prefix or bucket", footer: "open"),
        Binding([.left, .char("h")], .close, "Collapse, or go to the parent"),
        Binding([.char(" ")], .toggleMark, "Mark or unmark for an operation", footer: "mark"),
        Binding([.char("u")], .clearMarks, "Clear all marks"),
        Binding([.char("/")], .filter, "Filter the listed entries as you type", footer: "filter"),
        Binding([.char("g"), .char(":")], .jump, "Jump to a prefix by typing it", footer: "jump"),
        Binding([.char("o")], .cycleSort, "Sort by name, size or date", footer: "sort"),
        Binding([.char("O")], .reverseSort, "Reverse the sort"),
        Binding([.char("r")], .refresh, "Refresh the prefix under the cursor"),
        Binding([.char("s")], .measure, "Measure a prefix's total size (du)", footer: "size"),
        Binding([.tab], .toggleDetails, "Show or hide the details pane"),
        Binding([.char("p")], .preview,
                "Preview the start of an object: text (gunzipped if stored gzip'ed), or a hex dump"),
        Binding([.char("d"), .delete], .delete, "Delete the marked objects, or the object or prefix under the cursor",
                footer: "delete", dangerous: true),
        Binding([.char("e")], .editHeaders,
                "Edit headers of the marked objects, or the object or prefix under the cursor",
                footer: "edit", writes: true),
        Binding([.char("a")], .audit, "Audit the headers of every object under a prefix"),
        Binding([.char("U")], .upload, "Upload files or folders into the prefix under the cursor",
                writes: true),
        Binding([.char("D")], .download, "Download the marked objects, or the object or prefix under the cursor"),
        Binding([.char("c")], .copyObjects,
                "Copy the marked objects, or the object or prefix under the cursor, to s3://… (by the server)",
                writes: true),
        Binding([.char("t")], .transfers, "Show the transfers panel"),
        Binding([.char("v")], .versions, "Versions of the object: delete one for good, or restore one"),
        Binding([.char("y")], .copyURL, "Copy a URL: s3://, HTTPS, CDN, presigned, ARN; check the public URL",
                footer: "url"),
        Binding([.char("q")], .quit, "Quit", footer: "quit"),
        Binding([.char("H")], .toggleColumns,
                "Header columns: Cache-Control, Content-Type, Content-Encoding of the rows on screen"),
        Binding([.char("b")], .bucketPage,
                "The bucket's settings: region, versioning, encryption, policy, CORS, lifecycle, website, tags"),
        Binding([.char("F")], .findObjects, "Find objects below a prefix by name, pattern, size, age or class"),
        Binding([.char("=")], .duplicates, "Duplicates below a prefix (same size and ETag): keep one, delete the rest"),
        Binding([.char("S")], .staleStatic, "Stale Django static files below a prefix (not in staticfiles.json)"),
        Binding([.char("M")], .uploads, "Incomplete multipart uploads of the bucket: inspect and abort"),
        Binding([.char("P")], .profiles, "Profiles: list them and switch to another without quitting"),
        Binding([.char("m")], .saveBookmark, "Bookmark the current place: m then a letter"),
        Binding([.char("'")], .goToBookmark, "Go to a bookmark: ' then its letter"),
    ]

    public func bindings(in state: BrowserState) -> [Binding] {
        let refusal = Refusal.readOnly(state.readOnlyReason)
        let transfers = state.activeTransfers
        return Self.keymap.map { b in
            var b = b
            if b.writes { b.disabled = refusal }
            if b.action == .profiles && transfers > 0 {
                b.disabled = Refusal(what: "\(Formatting.things(transfers, "transfer")) running",
                                     detail: "a switch would cut them off; wait, or cancel them in t")
            }
            return b
        }
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        if let outcome = state.startCleanup(action) { return outcome }
        switch action {
        case .profiles:
            let id = state.ask(.profiles)
            return .open(ProfilesPage(request: id), [.listProfiles(id: id)])
        case .saveBookmark: return .open(BookmarkPage(mode: .save))
        case .goToBookmark: return .open(BookmarkPage(mode: .jump))
        default: return state.treeAction(action)
        }
    }

    public mutating func mouse(_ event: MouseEvent, in state: inout BrowserState) -> PageOutcome {
        .stay(state.handleMouse(event))
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        Renderer.drawTree(state, into: &screen, layout: layout)
        if let d = layout.details { Renderer.drawDetails(state, into: &screen, area: d, beside: d.left > 0) }
    }

    public func footer(_ state: BrowserState) -> [FooterItem] {
        var items = Self.footer(from: bindings(in: state))
        // Why the writing keys are off, first: a narrow footer drops items from the end.
        if let readOnly = state.readOnlyReason { items.insert(FooterItem("read-only:", Formatting.safe(readOnly)),
                                                              at: 0) }
        return items
    }
}

extension Action {
    public static let up: Action = "up"
    public static let down: Action = "down"
    public static let pageUp: Action = "pageUp"
    public static let pageDown: Action = "pageDown"
    public static let top: Action = "top"
    public static let bottom: Action = "bottom"
    public static let open: Action = "open"
    public static let close: Action = "close"
    public static let toggleMark: Action = "toggleMark"
    public static let clearMarks: Action = "clearMarks"
    public static let filter: Action = "filter"
    public static let jump: Action = "jump"
    public static let cycleSort: Action = "cycleSort"
    public static let reverseSort: Action = "reverseSort"
    public static let refresh: Action = "refresh"
    public static let measure: Action = "measure"
    public static let toggleDetails: Action = "toggleDetails"
    public static let preview: Action = "preview"
    public static let copyURL: Action = "copyURL"
    public static let versions: Action = "versions"
    public static let delete: Action = "delete"
    public static let editHeaders: Action = "editHeaders"
    public static let audit: Action = "audit"
    public static let upload: Action = "upload"
    public static let download: Action = "download"
    public static let copyObjects: Action = "copyObjects"
    public static let transfers: Action = "transfers"
    /// Generic page actions, shared by pages that cancel, confirm, type or close.
    public static let cancel: Action = "cancel"
    public static let confirm: Action = "confirm"
    public static let type: Action = "type"
    public static let dismiss: Action = "dismiss"
}
