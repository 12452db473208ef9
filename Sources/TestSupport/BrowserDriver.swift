import Browser
import Foundation
import Operations
import S3
import Session
import XCTest

/// A recorded run loop: the browser state, a real `BrowserSession` on an `S3Client` whose
/// transport is scripted, and no terminal. Keys go in; each key's effects are carried out one
/// at a time, each run to its end on the session's workers before the next, and what they
/// post is reduced in posting order, until nothing is left to do. So a run is deterministic:
/// the same keys and answers give the same screens and the same requests.
///
/// Timers (the details pane's debounce) fire once everything else is idle, when they are due
/// within `timerHorizon` seconds; a status message's expiry (6 s) does not, so the status line
/// stays readable. Transfers run on the transfer engine's own threads and are not waited for.
public final class BrowserDriver {
    public static let endpoint = "https://s3.test.example"
    /// The client's clock: presigned URLs and signatures come out the same on every run.
    public static let now = Date(timeIntervalSince1970: 1_795_000_000)

    public let transport: ScriptedTransport
    public let world: ScriptedWorld
    public let client: S3Client
    public let session: BrowserSession
    public private(set) var state: BrowserState
    /// Every effect handed to the session, in order (timers, quit and suspend are not).
    public private(set) var performed: [BrowserEffect] = []
    public private(set) var quitRequested = false
    public var timerHorizon = 1.0

    private let recorder = EventRecorder()
    private var pending: [BrowserEffect] = []
    private var timers: [(seconds: Double, event: TimerEvent)] = []
    /// Every request id an effect carried out of the state.
    private var handedOut = Set<RequestID>()

    /// Nothing runs until the first key or `runUntilIdle()`, so the transport can be scripted
    /// after this.
    public init(bucket: String? = nil, prefix: String = "", width: Int = 80, height: Int = 24,
                config: PailConfig = PailConfig(), environment: [String: String] = [:],
                transport: ScriptedTransport = ScriptedTransport(), world: ScriptedWorld = ScriptedWorld(),
                readOnly: ReadOnlyPolicy = ReadOnlyPolicy()) {
        setenv("TZ", "UTC", 1)
        tzset()
        self.transport = transport
        self.world = world
        var configuration = ClientConfiguration(
            endpoint: try! S3Endpoint(parsing: Self.endpoint), region: "us-east-1",
            credentials: Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret-test-key"))
        configuration.readOnly = readOnly
        client = S3Client(config: configuration, makeTransport: { transport }, now: { Self.now }, sleep: { _ in })
        let recorder = self.recorder
        let sink = BrowserEventSink { recorder.post($0) }
        // As BrowseCommand does: the client's warnings go to the status line.
        client.warn = { line in sink.post(.notice("warning: " + TerminalSafe.escape(line))) }
        session = BrowserSession(client: client, queue: sink, config: config, environment: environment,
                                 io: world.io)
        var (state, effects) = BrowserState.start(bucket: bucket, prefix: prefix, width: width, height: height)
        state.readOnly = readOnly.everywhere
        state.readOnlyBuckets = readOnly.buckets
        effects += state.settle()
        self.state = state
        pending = effects
        handedOut = Set(effects.compactMap(\.request)).union(state.openRequests.keys)
    }

    deinit { session.cancelAll() }

    // MARK: Input

    /// Presses each key in turn, running until idle after each.
    public func press(_ keys: Key...) {
        for k in keys { send(.key(k)) }
    }

    /// Types `text` one character at a time.
    public func type(_ text: String) {
        for c in text { send(.key(.char(c))) }
    }

    /// Delivers one event as the run loop would, then runs until idle.
    public func send(_ event: BrowserEvent) {
        reduce(event)
        runUntilIdle()
    }

    public func resize(width: Int, height: Int) { send(.resize(width: width, height: height)) }

    // MARK: Running

    /// Carries out pending effects (and those they lead to) until nothing is left.
    public func runUntilIdle() {
        while true {
            if !pending.isEmpty {
                handle(pending.removeFirst())
            } else if let i = timers.firstIndex(where: { $0.seconds <= timerHorizon }) {
                reduce(timers.remove(at: i).event.event)
            } else {
                return
            }
        }
    }

    /// Runs until `condition` holds of the state, reducing what the session's own threads (the
    /// transfer engine's sampler) post meanwhile; false if it still does not after `timeout`
    /// seconds (a bound on waiting, never a measure of speed).
    @discardableResult
    public func runUntil(timeout: Double = 20, _ condition: (BrowserState) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            for event in recorder.drain() { reduce(event) }
            runUntilIdle()
            if condition(state) { return true }
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Fires every pending timer, due or not (a status message's expiry, say).
    public func fireAllTimers() {
        while !timers.isEmpty {
            reduce(timers.removeFirst().event.event)
            runUntilIdle()
        }
    }

    private func reduce(_ event: BrowserEvent) {
        // As the run loop does: settle before drawing; the frame then shows what was read.
        let effects = state.reduce(event) + state.settle()
        pending += effects
        handedOut.formUnion(effects.compactMap(\.request))
        // The bucket list's effect carries no id: it hands out the open bucket-list request.
        if effects.contains(.listBuckets) {
            handedOut.formUnion(state.openRequests.filter { $0.value == .bucketList }.keys)
        }
        state.framePresented()
        // A request the state holds open but never handed out keeps [busy] for ever.
        let unsent = state.openRequestIDs.subtracting(handedOut)
        if !unsent.isEmpty {
            XCTFail("requests opened but never sent as effects: \(unsent.sorted()) after \(event)")
        }
    }

    private func handle(_ effect: BrowserEffect) {
        switch effect {
        case .timer(let seconds, let event): timers.append((seconds, event))
        case .quit: quitRequested = true
        case .suspend: break
        default:
            performed.append(effect)
            session.perform(effect)
            session.waitUntilIdle()
            for event in recorder.drain() { reduce(event) }
        }
    }

    // MARK: Output

    /// The screen as the terminal would show it now.
    public var screen: Screen { Renderer.render(state) }
    public var text: String { screen.text }

    /// Resizes the browser to `width`×`height` (a real resize event), then draws it.
    public func screen(width: Int, height: Int) -> Screen {
        resize(width: width, height: height)
        return screen
    }

    public func text(width: Int, height: Int) -> String { screen(width: width, height: height).text }

    /// The effects performed so far that `pick` selects (e.g. every `.planDelete`).
    public func performed<T>(_ pick: (BrowserEffect) -> T?) -> [T] { performed.compactMap(pick) }
}
