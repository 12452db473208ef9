import Operations

/// The header edit form: one line per header; Enter asks a worker for the preview.
public struct HeaderFormPage: Page {
    public static let name = "Header form"
    public static func example(in state: inout BrowserState) -> HeaderFormPage {
        var current = [String?](repeating: nil, count: EditForm.fields.count)
        current[0] = "max-age=60"
        current[1] = "image/jpeg"
        var form = EditForm(bucket: "site", keys: ["media/a.jpg"], prefixes: [], label: "s3://site/media/a.jpg",
                            values: Array(repeating: "", count: EditForm.fields.count), current: current,
                            knowsCurrent: true)
        form.lines[0] = LineEditor("public, max-age=31536000, immutable")
        return HeaderFormPage(form: form)
    }

    public internal(set) var form: EditForm
    /// The audit the form was opened from: cancelling or submitting goes back to it.
    public internal(set) var returnTo: AuditPage?

    static let intro = "Empty keeps a header, - removes it. Metadata: k=v, -k. Everything else is kept."

    public init(form: EditForm, returnTo: AuditPage? = nil) {
        self.form = form
        self.returnTo = returnTo
    }

    /// Back to the audit (keeping what was typed), or closed.
    func leave(_ effects: [BrowserEffect] = []) -> PageOutcome {
        guard var audit = returnTo else { return .close(effects) }
        audit.draft = form.lines
        return .replace(audit, effects)
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        // The audit underneath keeps reading its rows while the form is open.
        guard var audit = returnTo else { return nil }
        let outcome = audit.receive(event, in: &state)
        returnTo = audit
        return outcome.map { .stay($0.effects) }
    }

    public func bindings(in state: BrowserState) -> [Binding] {
        [
            Binding([.up, .backTab], .up, "Previous field", footer: "field", footerKeys: "↑↓"),
            Binding([.down, .tab], .down, "Next field"),
            Binding([.enter], .confirm, "Preview the change (nothing is sent before y)", footer: "preview"),
            Binding([.ctrl("r")], .startFromCurrent, "Start from the current value, to change it",
                    footer: "start from current"),
            Binding([.escape], .cancel, "Cancel", footer: "cancel"),
            Binding([], .type, "Type the value: empty keeps the header, - removes it; Metadata: k=v, -k",
                    group: .typing),
        ]
    }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .cancel: return leave()
        case .up: form.focus = max(0, form.focus - 1)
        case .down: form.focus = min(EditForm.fields.count - 1, form.focus + 1)
        case .startFromCurrent:
            // Start from the current value, to change it rather than retype it.
            if let current = form.current[form.focus] {
                form.lines[form.focus].set(current)
            } else if form.varies.contains(form.focus) {
                state.setStatus("the marked objects differ here: type the value", error: true)
            }
        case .confirm: return submit(&state)
        default: form.lines[form.focus].handle(key)
        }
        return .stay
    }

    mutating func submit(_ state: inout BrowserState) -> PageOutcome {
        let changes = form.changes
        guard !changes.isEmpty else {
            state.setStatus("nothing to change: type a value, or - to remove a header", error: true)
            return .stay
        }
        // A bad value keeps the form open, as typed, with the cursor on its field.
        if let problem = form.problem() {
            form.focus = problem.field
            state.setStatus(problem.message, error: true)
            return .stay
        }
        if let type = changes.setFields[.contentType], form.typeMismatchAsked != type,
           let (key, want) = form.keys.lazy.compactMap({ k in ContentTypes.mismatch(type, forKey: k).map { (k, $0) } })
               .first {
            form.typeMismatchAsked = type
            form.focus = 1
            let name = Formatting.safe(String(key.split(separator: "/").last ?? Substring(key)))
            state.setStatus("\(Formatting.safe(type)) does not match \(name) (\(want)): Enter again sends it anyway",
                            error: true)
            return .stay
        }
        state.setStatus("reading the current headers…", error: false)
        return leave([.planEdit(id: state.ask(.plan), bucket: form.bucket, keys: form.keys, prefixes: form.prefixes,
                                changes)])
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        // The intro wraps inside the box (as wide as Renderer.box makes it), which grows to fit it.
        let intro = Renderer.wrapWords(Self.intro, width: min(screen.width - 2, 110) - 4)
        let lines = EditForm.fields.count + 2 + intro.count
        let inner = Renderer.box(title: "Edit headers of " + Formatting.safe(form.label), lines: lines, into: &screen,
                                 layout: layout)
        for (i, line) in intro.enumerated() {
            screen.put(line, row: inner.top + i, column: inner.left, style: .dim, maxWidth: inner.width)
        }
        for (i, name) in EditForm.fields.enumerated() {
            let y = inner.top + intro.count + 1 + i
            let focused = i == form.focus
            screen.put(name, row: y, column: inner.left, style: focused ? .prompt : .detailName, maxWidth: 20)
            let value = form.values[i]
            let x = inner.left + 21, w = inner.width - 21
            if value.isEmpty, let hint = form.hint(i) {
                screen.put(hint + (focused ? "▏" : ""), row: y, column: x, style: .dim, maxWidth: w)
            } else {
                let shown = focused ? form.lines[i].rendered(width: w, escape: Formatting.safe)
                                    : DisplayWidth.truncate(Formatting.safe(value), to: w)
                screen.put(shown, row: y, column: x, style: focused ? .prompt : .normal, maxWidth: w)
            }
        }
    }
}

extension Action {
    public static let startFromCurrent: Action = "startFromCurrent"
}
