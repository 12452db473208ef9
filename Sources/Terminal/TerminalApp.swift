import Browser
import CNcurses
import Foundation
import Operations

/// The run loop on the main thread: waits on the keyboard, the event pipe and the next
/// timer; reduces what arrived; redraws at most ~60 times a second; hands every other
/// effect to `perform` (which starts background work and never blocks). Events from workers
/// wait in a backlog and are reduced for at most `workPerFrame` before the next frame, so a
/// flood of listing pages never holds the screen still (keys go first, as typed for it).
public final class TerminalApp {
    private var state: BrowserState
    private let queue: EventQueue
    private let perform: (BrowserEffect) -> Void
    private var timers: [(deadline: Double, event: BrowserEvent)] = []
    private var curses: CursesScreen?
    private static let frameInterval = 1.0 / 60
    private static let workPerFrame = 0.030
    /// Worker events not reduced yet, oldest first from `backlogStart`.
    private var backlog: [BrowserEvent] = []
    private var backlogStart = 0
    /// Timing trace for `make bench` (PAIL_TRACE): "ms event" lines, never keys' contents
    /// beyond their labels, written by the caller.
    public var trace: ((String) -> Void)?
    /// Seconds between frames that only background events asked for. The tmux tests stretch it
    /// (PAIL_TEST_FRAME_INTERVAL) to hold a question that arrived undrawn while keys come in.
    public var backgroundFrameInterval = TerminalApp.frameInterval

    public init(start: (_ width: Int, _ height: Int) -> (BrowserState, [BrowserEffect]), queue: EventQueue,
                perform: @escaping (BrowserEffect) -> Void, colors: ColorScheme = ColorScheme()) {
        let screen = CursesScreen(colors: colors)
        curses = screen
        let (state, effects) = start(screen.width, screen.height)
        self.state = state
        self.queue = queue
        self.perform = perform
        for e in effects { handle(e) }
    }

    deinit { curses?.restore() }

    /// Runs until the user quits or SIGTERM, SIGHUP or SIGINT arrives; `shutdown` runs next
    /// (cancelling transfers and waiting for them to stop) while the screen still shows pail,
    /// then the terminal is restored. Returns the signal that ended pail, if one did: the
    /// caller then dies of it (`SignalRelay.die`).
    public func run(shutdown: () -> Void = {}) -> Int32? {
        guard let curses else { return nil }
        var quit = false
        var dirty = true
        // Input redraws at once; background events (pages, answers) at most 60 times a second.
        var urgent = true
        var lastDraw = 0.0
        while !quit {
            let now = Self.clock()
            if dirty && (urgent || now - lastDraw >= backgroundFrameInterval) {
                let cpuBefore = trace == nil ? 0 : Self.threadCPU()
                for effect in state.settle() { handle(effect) }
                let frame = Renderer.render(state)
                let (renderedAt, renderCPU) = trace == nil ? (0, 0) : (Self.clock(), Self.threadCPU())
                curses.draw(frame)
                state.framePresented()
                lastDraw = now
                dirty = false
                urgent = false
                if let trace {
                    // The frame's parts: settling and rendering, then the write to the terminal.
                    let (t, cpu) = (Self.clock(), Self.threadCPU())
                    trace(String(format: "%.3f draw rows=%d cpu=%.3f render=%.1f/%.1f write=%.1f/%.1f", t * 1000,
                                 state.rows.count, cpu * 1000, (renderedAt - now) * 1000,
                                 (renderCPU - cpuBefore) * 1000, (t - renderedAt) * 1000, (cpu - renderCPU) * 1000))
                }
            }
            // Sleep until input, an event, the next timer, or the next frame if one is due.
            var timeout = 1000.0
            if let next = timers.map(\.deadline).min() { timeout = min(timeout, max(0, (next - now) * 1000)) }
            if dirty {
                timeout = urgent ? 0 : min(timeout, max(0, (lastDraw + backgroundFrameInterval - now) * 1000))
            }
            if backlogStart < backlog.count { timeout = 0 }
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: queue.readFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: curses.signals.readFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 3, Int32(timeout.rounded(.up)))
            if curses.signals.receivedSignal != nil { break }

            var events: [BrowserEvent] = []
            while let input = curses.readKey() {
                urgent = true
                switch input {
                case .key(let k): events.append(.key(k))
                case .mouse(let m): events.append(.mouse(m))
                case .resize(let w, let h): events.append(.resize(width: w, height: h))
                case .ignored: state.noteIgnoredInput()
                }
            }
            let t = Self.clock()
            let due = timers.filter { $0.deadline <= t }
            timers.removeAll { $0.deadline <= t }
            events += due.map(\.event)
            backlog += queue.drain()
            while !quit {
                let event: BrowserEvent
                if !events.isEmpty {
                    event = events.removeFirst()
                } else if backlogStart < backlog.count, Self.clock() - t < Self.workPerFrame {
                    event = backlog[backlogStart]
                    backlogStart += 1
                } else {
                    break
                }
                if let trace { Self.traceEvent(event, trace) }
                for effect in state.reduce(event) {
                    switch effect {
                    case .quit: quit = true
                    case .suspend:
                        curses.suspend()
                        _ = state.reduce(.resize(width: curses.width, height: curses.height))
                        clear()
                    default: handle(effect)
                    }
                }
                dirty = true
            }
            if backlogStart == backlog.count {
                backlog.removeAll(keepingCapacity: backlog.count < 4096)
                backlogStart = 0
            } else if backlogStart > 1024 && backlogStart * 2 > backlog.count {
                backlog.removeFirst(backlogStart)
                backlogStart = 0
            }
        }
        let active = state.activeTransfers
        if active > 0 {
            let what = "stopping \(active) transfer\(active == 1 ? "" : "s"): "
                + "aborting uploads, removing partial files…"
            _ = state.reduce(.operationProgress(what))
            state.settle()
            curses.draw(Renderer.render(state))
        }
        shutdown()
        curses.restore()
        return curses.signals.receivedSignal
    }

    /// Ends the process of the signal that stopped `run`, after the caller cleaned up.
    public static func die(of signal: Int32) -> Never { SignalRelay.die(of: signal) }

    private func handle(_ effect: BrowserEffect) {
        if case .timer(let seconds, let event) = effect {
            timers.append((Self.clock() + seconds, event.event))
        } else {
            perform(effect)
        }
    }

    private static func traceEvent(_ event: BrowserEvent, _ trace: (String) -> Void) {
        let t = String(format: "%.3f", clock() * 1000)
        switch event {
        case .key(let k): trace("\(t) key \(k.label) " + String(format: "cpu=%.3f", threadCPU() * 1000))
        case .listed(let node, _, let prefixes, let objects):
            trace("\(t) page \(node.prefix) \(prefixes.count + objects.count)")
        case .listingFinished(let node, _, let error):
            trace("\(t) listed \(node.prefix)\(error == nil ? "" : " error")")
        default: break
        }
    }

    /// CPU seconds this thread has run: the trace gives the work of a frame apart from the
    /// time a loaded machine kept the thread waiting.
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func clock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
