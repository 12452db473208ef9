import Operations

/// What a page asks for after a key or an event: stay (changed or not), close, open another
/// page over it, or give way to another page; and the effects to run.
public struct PageOutcome: Sendable {
    public enum Step: Sendable {
        case stay
        case close
        case open(any Page)
        case replace(any Page)
    }
    public var step: Step
    public var effects: [BrowserEffect]

    public init(_ step: Step, _ effects: [BrowserEffect] = []) {
        self.step = step
        self.effects = effects
    }

    public static let stay = PageOutcome(.stay)
    public static let close = PageOutcome(.close)
    public static func stay(_ effects: [BrowserEffect]) -> PageOutcome { PageOutcome(.stay, effects) }
    public static func close(_ effects: [BrowserEffect]) -> PageOutcome { PageOutcome(.close, effects) }
    public static func open(_ page: any Page, _ effects: [BrowserEffect] = []) -> PageOutcome {
        PageOutcome(.open(page), effects)
    }
    public static func replace(_ page: any Page, _ effects: [BrowserEffect] = []) -> PageOutcome {
        PageOutcome(.replace(page), effects)
    }
}
