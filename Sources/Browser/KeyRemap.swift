import Operations

/// The configuration file's `[keys]` as the pages use it, checked at start by `Keymap.remap`.
/// A bare action (`delete = x`) is the tree's, as it always was; `page.action = key`
/// (`report.retry = r`, `help.down = n`) is that page's. Another page follows a tree move on
/// the keys it shares with the tree for the same action (the find results' `d` delete moves
/// with the tree's), unless the new key is taken there; a line naming the page decides
/// instead. Applied where a page's bindings are read for dispatch, help and footer, so no
/// page does anything for it.
public struct KeyRemap: Sendable, Equatable {
    /// Page (its `[keys]` name, `tree`, `url_menu`) → action → the keys the file gives it.
    public var pages: [String: [Action: [Key]]] = [:]
    /// The tree's own keys of the actions the file moved there: the keys other pages follow.
    public var treeDefaults: [Action: [Key]] = [:]

    public init(pages: [String: [Action: [Key]]] = [:], treeDefaults: [Action: [Key]] = [:]) {
        self.pages = pages
        self.treeDefaults = treeDefaults
    }

    public var isEmpty: Bool { pages.isEmpty }

    /// A page's name in `[keys]`: its title lower-cased, spaces as `_` ("URL menu" → url_menu).
    public static func pageName(_ title: String) -> String {
        String(title.lowercased().map { $0 == " " ? "_" : $0 })
    }

    /// `bindings` of the page titled `title` after the file, index for index (a binding whose
    /// every key went to a moved action is left with none, and nothing reaches it).
    func apply(to bindings: [Binding], page title: String) -> [Binding] {
        let name = Self.pageName(title)
        let own = pages[name] ?? [:]
        let tree = name == "tree" ? [:] : (pages["tree"] ?? [:])
        if own.isEmpty && tree.isEmpty { return bindings }
        enum Move { case none, own, followed }
        var out = bindings
        var moves = [Move](repeating: .none, count: bindings.count)
        for i in out.indices where !out[i].keys.isEmpty {
            let action = out[i].action
            if let keys = own[action] {
                out[i].keys = keys
                moves[i] = .own
            } else if let keys = tree[action], let old = treeDefaults[action],
                      out[i].keys.contains(where: old.contains) {
                // The tree's keys of the action give way to its new ones, where the first was;
                // the page's other keys for it stay.
                var new: [Key] = []
                for k in out[i].keys {
                    if old.contains(k) {
                        if !new.contains(where: keys.contains) { new += keys }
                    } else if !keys.contains(k) {
                        new.append(k)
                    }
                }
                out[i].keys = new
                moves[i] = .followed
            }
            // The footer's hand-written keys ("↑↓") named the old ones.
            if moves[i] != .none { out[i].footerKeys = nil }
        }
        // A followed key another binding of the page takes (a listed key, typed text, a
        // digit) stays where it was on this page: only a line naming the page moves it there.
        var changed = true
        while changed {
            changed = false
            for i in out.indices where moves[i] == .followed {
                let clash = out[i].keys.contains { k in
                    out.indices.contains { j in
                        j != i && (out[j].keys.contains(k)
                            || (out[j].group != nil && out[j].group != .anyOther && out[j].group!.takes(k)))
                    }
                }
                if clash {
                    out[i] = bindings[i]
                    moves[i] = .none
                    changed = true
                }
            }
        }
        // The file's keys for this page win over the page's other keys, also in a state the
        // check at start did not see (a question the page asks only sometimes).
        for i in out.indices where moves[i] == .own {
            let taken = out[i].keys
            for j in out.indices where j != i { out[j].keys.removeAll { taken.contains($0) } }
        }
        return out
    }
}

extension Page {
    /// The page's bindings after `[keys]`: what its keys do, and what its help lists.
    public func resolvedBindings(in state: BrowserState) -> [Binding] {
        let raw = bindings(in: state)
        guard !state.keyOverrides.isEmpty else { return raw }
        return state.keyOverrides.apply(to: raw, page: Self.name).filter { !$0.keys.isEmpty || $0.group != nil }
    }

    /// The page's footer after `[keys]`. Pages make their footer from their own bindings
    /// (some add items of their own), so the items of moved bindings get their new keys here.
    public func resolvedFooter(_ state: BrowserState) -> [FooterItem] {
        var items = footer(state)
        guard !state.keyOverrides.isEmpty else { return items }
        let raw = bindings(in: state)
        let moved = state.keyOverrides.apply(to: raw, page: Self.name)
        for (old, new) in zip(raw, moved) where old.keys != new.keys {
            guard let label = old.footer,
                  let i = items.firstIndex(where: {
                      $0.keys == (old.footerKeys ?? old.keyLabel) && ($0.label == label || $0.label == "no " + label)
                  })
            else { continue }
            if new.keys.isEmpty && new.group == nil { items.remove(at: i) } else { items[i].keys = new.keyLabel }
        }
        return items
    }
}
