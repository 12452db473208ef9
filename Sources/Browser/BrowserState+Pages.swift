import Operations

/// The stack of pages: keys go to the top page through its bindings, answers to every page,
/// and the keys every page shares (^C, ^Z, `?`) are taken here, once, above them.
extension BrowserState {
    mutating func handleKey(_ key: Key) -> [BrowserEffect] {
        if !questionDrawn && topPage.question != nil && key != .ctrl("c") {
            keysDroppedBeforeQuestion += 1
            return []
        }
        let page = topPage
        // `?` closes the help like any other key there, rather than opening the help's help.
        if !(page is HelpPage),
           let global = Keymap.binding(for: key, in: Keymap.globals(typing: page.takesTyping(in: self))) {
            switch global.action {
            case .help:
                push(HelpPage(for: page, in: self))
                return []
            case .quit:
                // A second ^C at the quit question quits.
                if page is QuitConfirmationPage {
                    pages.removeLast()
                    return quitEffects()
                }
                if let stopped = interruptTopPage() { return stopped }
                return apply(quitOutcome(), to: nil)
            default:
                return [.suspend]
            }
        }
        if key == .ctrl("c"), let stopped = interruptTopPage() { return stopped }
        if key == .ctrl("c") || key == .ctrl("z") {
            return key == .ctrl("c") ? apply(quitOutcome(), to: nil) : [.suspend]
        }
        guard let binding = Keymap.binding(for: key, in: page.resolvedBindings(in: self)) else { return [] }
        if let refusal = binding.disabled {
            setStatus("\(binding.keyLabel) is disabled: \(refusal.what) (\(refusal.detail))", error: true)
            return []
        }
        return withTopPage { page, state in page.perform(binding.action, key: key, in: &state) }
    }

    /// ^C offered to the top page first: a page with work it can stop (a find) claims it; nil:
    /// nothing to stop, and ^C quits.
    mutating func interruptTopPage() -> [BrowserEffect]? {
        var page = pages.removeLast()
        guard let outcome = page.interrupt(in: &self) else {
            pages.append(page)
            return nil
        }
        return apply(outcome, to: page)
    }

    /// Runs `body` on the top page, taken off the stack meanwhile, and does what it returns.
    mutating func withTopPage(_ body: (inout any Page, inout BrowserState) -> PageOutcome) -> [BrowserEffect] {
        var page = pages.removeLast()
        let outcome = body(&page, &self)
        return apply(outcome, to: page)
    }

    /// Does what a page asked for; `page` is the page that asked, off the stack (nil: the
    /// browser asked, and the top page stays where it is).
    mutating func apply(_ outcome: PageOutcome, to page: (any Page)?) -> [BrowserEffect] {
        switch outcome.step {
        case .stay:
            if let page { pages.append(page) }
        case .close:
            break
        case .open(let next):
            if let page { pages.append(page) }
            pages.append(next)
        case .replace(let next):
            pages.append(next)
        }
        // The tree never closes.
        if pages.isEmpty || !(pages[0] is TreePage) { pages.insert(TreePage(), at: 0) }
        return outcome.effects
    }

    /// Opens a page over the others (a question a worker's answer asks).
    mutating func push(_ page: any Page) { pages.append(page) }

    /// Offers a worker's answer to every page, from the top; each takes what is its own.
    mutating func offerToPages(_ event: BrowserEvent) -> [BrowserEffect] {
        var effects: [BrowserEffect] = []
        var i = pages.count - 1
        while i >= 0 {
            var page = pages[i]
            if let outcome = page.receive(event, in: &self) {
                switch outcome.step {
                case .stay: pages[i] = page
                case .close: pages.remove(at: i)
                case .open(let next):
                    pages[i] = page
                    pages.append(next)
                case .replace(let next): pages[i] = next
                }
                effects += outcome.effects
            }
            i -= 1
        }
        if pages.isEmpty || !(pages[0] is TreePage) { pages.insert(TreePage(), at: 0) }
        return effects
    }
}
