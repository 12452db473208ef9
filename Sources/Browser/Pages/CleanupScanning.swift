import Operations

/// What the find, duplicates and stale-static pages share: one scan at a time, whose found rows
/// fill the list, and a new scan once a delete asked from the page is done.
protocol CleanupScanning {
    var list: CleanupList { get set }
    var request: RequestID? { get set }
    var awaitingDelete: Bool { get set }
    /// What the scan looks for.
    var scanKind: CleanupScan { get }
    /// Takes found rows into the list (a page may mark some as they come).
    mutating func take(_ rows: [CleanupRow], scanned: Int, in state: inout BrowserState)
}

extension CleanupScanning {
    mutating func take(_ rows: [CleanupRow], scanned: Int, in state: inout BrowserState) {
        list.add(rows, scanned: scanned)
    }

    /// The keys that end every such page's bindings: `r` scans again, Esc stops the scan
    /// while it runs and goes back to the tree after.
    func scanBindings(refresh: String, in state: BrowserState) -> [Binding] {
        let running = state.isOpen(request)
        return [
            Binding([.char("r")], .refresh, refresh),
            Binding([.escape, .char("q")], .cancel, running ? "Stop the listing" : "Back to the tree",
                    footer: running ? "stop" : "back", footerKeys: "Esc"),
        ]
    }

    /// Cancels the scan still open, empties the list and asks again.
    mutating func rescan(in state: inout BrowserState) -> [BrowserEffect] {
        var effects: [BrowserEffect] = []
        if let request, state.isOpen(request) { effects.append(.cancelCleanupScan(id: request)) }
        list.reset()
        awaitingDelete = false
        let id = state.ask(.cleanup)
        request = id
        return effects + [.cleanupScan(id: id, bucket: list.bucket, prefix: list.prefix, scanKind)]
    }

    /// Stops the scan still running (Esc, ^C): the rows found stay, the header says "stopped".
    /// nil: nothing runs, or it is already stopping (a second ^C then quits).
    mutating func stopScan(in state: inout BrowserState) -> PageOutcome? {
        guard let request, state.isOpen(request), !list.cancelled else { return nil }
        list.cancelled = true
        return .stay([.cancelCleanupScan(id: request)])
    }

    /// The scan's answers, and the end of a delete asked from this page; nil: not for it.
    mutating func receiveScan(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        switch event {
        case .cleanupFound(let id, let scanned, let rows):
            guard id == request else { return nil }
            take(rows, scanned: scanned, in: &state)
        case .cleanupFinished(let id, let error):
            guard id == request else { return nil }
            list.error = error?.message
        case .operationFinished:
            guard awaitingDelete else { return nil }
            return .stay(rescan(in: &state))
        default: return nil
        }
        return .stay
    }
}
