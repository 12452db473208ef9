import Operations

/// One row of a page's keymap: the single source of that page's help, its footer and its
/// dispatch (lazygit/k9s style). A key reaches a page only through one of its bindings.
public struct Binding: Sendable {
    public var keys: [Key]
    /// Keys taken beyond `keys`: typed text, digits, or any other key.
    public var group: KeyGroup?
    public var action: Action
    public var description: String
    /// Short label for the footer; nil keeps the binding out of the footer.
    public var footer: String?
    /// How the footer writes the keys when not the first key's label ("↑↓", "1-4").
    public var footerKeys: String?
    /// Actions that destroy data demand a confirmation (a typed word or y, drawn first).
    public var dangerous: Bool
    /// Actions that send writes: disabled, with the reason in footer and help, when read-only.
    public var writes: Bool
    /// Set when the binding does nothing now, with the reason the key then shows.
    public var disabled: Refusal?
    /// The key changes what is shown (a details pane, the rules that filter rows): a narrow
    /// footer keeps it when it drops others, since nothing else on screen says how.
    public var shows: Bool

    public init(_ keys: [Key], _ action: Action, _ description: String, group: KeyGroup? = nil, footer: String? = nil,
                footerKeys: String? = nil, dangerous: Bool = false, writes: Bool = false, disabled: Refusal? = nil,
                shows: Bool = false) {
        self.keys = keys
        self.group = group
        self.action = action
        self.description = description
        self.footer = footer
        self.footerKeys = footerKeys
        self.dangerous = dangerous
        self.writes = writes || dangerous
        self.disabled = disabled
        self.shows = shows
    }

    /// The keys as the help page and the footer write them.
    public var label: String {
        let names = keys.map(\.label) + (group.map { [$0.label] } ?? [])
        return names.joined(separator: " ")
    }

    /// The first key's label: what a refusal names ("d is disabled: ...").
    public var keyLabel: String { keys.first?.label ?? group?.label ?? "" }
}
