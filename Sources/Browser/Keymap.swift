/// What a key does; the reducer acts on these, never on raw keys.
public enum Action: String, Sendable, CaseIterable {
    case up, down, pageUp, pageDown, top, bottom
    case open, close, toggleMark, clearMarks
    case filter, jump, cycleSort, reverseSort, refresh, measure
    case toggleDetails, preview, copyURL, versions, delete, editHeaders, audit, upload, download, copyObjects, transfers, help, quit, suspend
}

/// The modes a key can mean something in.
public enum ModeKind: Sendable {
    case browse, help
}

/// One row of the keymap table: the single source of the help screen, the footer and the
/// reducer's dispatch (lazygit/k9s style).
public struct Binding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var description: String
    /// Short label for the footer; nil keeps the binding out of the footer.
    public var footer: String?
    public var modes: [ModeKind]
    /// Actions that destroy data demand a confirmation (delete arrives with the cleanup work).
    public var dangerous: Bool
    /// Actions that send writes: disabled, with the reason in footer and help, when read-only.
    public var writes: Bool

    public init(_ keys: [Key], _ action: Action, _ description: String, footer: String? = nil,
                modes: [ModeKind] = [.browse], dangerous: Bool = false, writes: Bool = false) {
        self.keys = keys
        self.action = action
        self.description = description
        self.footer = footer
        self.modes = modes
        self.dangerous = dangerous
        self.writes = writes || dangerous
    }
}

public enum Keymap {
    public static let bindings: [Binding] = [
        Binding([.up, .char("k")], .up, "Move up", footer: "move"),
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
        Binding([.char("p")], .preview, "Preview the start of an object: text (gunzipped if stored gzip'ed), or a hex dump"),
        Binding([.char("d"), .delete], .delete, "Delete the marked objects, or the object or prefix under the cursor", footer: "delete",
                dangerous: true),
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
        Binding([.char("y")], .copyURL, "Copy a URL: s3://, HTTPS, CDN, presigned, ARN; check the public URL", footer: "url"),
        Binding([.char("?"), .function(1)], .help, "This help", footer: "help", modes: [.browse, .help]),
        Binding([.char("q"), .ctrl("c")], .quit, "Quit", footer: "quit", modes: [.browse, .help]),
        Binding([.ctrl("z")], .suspend, "Suspend pail (fg resumes)", modes: [.browse, .help]),
    ]

    static let table: [Key: Binding] = {
        var t: [Key: Binding] = [:]
        for b in bindings { for k in b.keys where t[k] == nil { t[k] = b } }
        return t
    }()

    public static func binding(for key: Key, in mode: ModeKind) -> Binding? {
        guard let b = table[key], b.modes.contains(mode) else { return nil }
        return b
    }
}

