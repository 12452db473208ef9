import Operations

/// Keys typed ahead of a jump. `g static/css/` Enter `j`, read in one burst, means "go there,
/// then one down"; the target's row only appears when its level's listing arrives, and
/// selecting it then would undo the `j` already applied elsewhere. So while the cursor waits
/// for a target whose level is still being listed, the keys read meanwhile are held, and
/// replayed in order once the cursor has landed (or the listing ended without the target).
extension BrowserState {
    /// Keys beyond this many give up waiting for the target: a person typing that much is not
    /// waiting for it, and memory stays bounded.
    static let heldKeysLimit = 256

    /// Whether the cursor waits for a target row whose level is still being listed.
    var isLanding: Bool {
        guard let p = pendingSelect, let s = serials[p.node] else { return false }
        if case .loading = nodes[Int(s)].state { return true }
        return false
    }

    /// Holds `key` when it must wait for the landing (true), or when earlier keys still wait
    /// (their order is kept). ^C and ^Z act at once: they are about pail, not the tree; so is
    /// help (`?`), unless keys wait before it (the first of them would close it).
    mutating func holdsKey(_ key: Key) -> Bool {
        guard key != .ctrl("c") && key != .ctrl("z") else { return false }
        dropHeldKeysBeforeQuestion()
        if heldKeys.isEmpty {
            guard isLanding && topPage is TreePage else { return false }
            if Keymap.binding(for: key, in: Keymap.globals(typing: false)) != nil { return false }
        }
        heldKeys.append(key)
        if heldKeys.count > Self.heldKeysLimit { pendingSelect = nil }
        return true
    }

    /// Replays the held keys once the cursor no longer waits, as if read now; a key that jumps
    /// again holds the ones after it anew. A key that opens a question drops the ones after it:
    /// they were typed before the question was drawn (the rule `handleKey` applies).
    mutating func releaseHeldKeys() -> [BrowserEffect] {
        var effects: [BrowserEffect] = []
        dropHeldKeysBeforeQuestion()
        while !heldKeys.isEmpty && !isLanding {
            let key = heldKeys.removeFirst()
            let question = topPage.question
            effects += handleKey(key)
            if let q = topPage.question, q != question { questionDrawn = false }
            if rowsStale && !appendRows() { rebuildRows() }
        }
        return effects
    }

    /// A question that opened while keys waited (an overwrite a worker asks) was not on screen
    /// when they were typed: they are not its answer, and the keys typed once it is drawn are.
    mutating func dropHeldKeysBeforeQuestion() {
        guard !heldKeys.isEmpty && topPage.question != nil else { return }
        keysDroppedBeforeQuestion += heldKeys.count
        heldKeys = []
    }
}
