import ArgumentParser
import Browser
import Foundation
import Imaging
import Operations
import S3
import Session
import Terminal

struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Open the interactive browser (the default).")

    @OptionGroup var global: GlobalOptionGroup

    /// How long quitting waits for cancelled transfers to abort (an AbortMultipartUpload each).
    static let stopTimeout = 10.0

    @Argument(help: "s3://bucket[/prefix/] or a bookmark's name to open; without it, the bucket list.",
              completion: S3Completion.kind)
    var target: String?

    func run() throws {
        try runReportingErrors {
            // s3://… as it is, else a bookmark of pail's configuration file.
            let uri = try target.map { argument in
                let (bookmarks, unreadable) = PailConfig.load(environment: ProcessInfo.processInfo.environment)
                return try Bookmark.resolve(argument, in: bookmarks, warning: unreadable)
            }
            let environment = ProcessInfo.processInfo.environment
            let (config, warning) = PailConfig.load(environment: environment)
            // [keys] is checked before anything else, so a wrong line is one message on a
            // terminal pail has not taken over yet.
            let keyOverrides = try Keymap.remap(config.keys)
            guard isatty(0) == 1 && isatty(1) == 1 else {
                throw S3Error.local("the browser needs a terminal; for scripts use `pail ls` and `pail stat`")
            }
            let client = try global.makeClient()
            if let warning { StandardError.write("pail: \(warning)\n") }
            let queue = EventQueue()
            // stderr would draw over the screen: server warnings go to the status line.
            client.warn = { line in queue.post(.notice("warning: " + TerminalSafe.escape(line))) }
            let session = BrowserSession(client: client, queue: BrowserEventSink { queue.post($0) }, config: config,
                                         environment: environment)
            session.profiles = try profileSwitcher(config: config, unreadable: warning, environment: environment)
            // The title names the profile when one was chosen (--profile, AWS_PROFILE).
            let named = global.profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
            session.useImageTerminal(Self.imageTerminal(environment: environment))
            let countsInput = environment["PAIL_TEST_INPUT_COUNT"].map { !$0.isEmpty } ?? false
            let app = TerminalApp(start: { w, h in
                var (state, effects) = BrowserState.start(bucket: uri?.bucket, prefix: uri?.key ?? "",
                                                          width: w, height: h)
                state.showsInputCount = countsInput
                state.readOnly = client.config.readOnly.everywhere
                state.readOnlyBuckets = client.config.readOnly.buckets
                state.keyOverrides = keyOverrides
                state.profile = named.map { _ in client.config.profile }
                for b in config.bookmarks { state.bookmarks[b.name] = b.uri }
                if let warning { effects += state.reduce(.notice(warning)) }
                return (state, effects)
            }, queue: queue, perform: session.perform, colors: config.colors)
            if let seconds = environment["PAIL_TEST_FRAME_INTERVAL"].flatMap(Double.init), seconds > 0 {
                app.backgroundFrameInterval = seconds
            }
            if let path = ProcessInfo.processInfo.environment["PAIL_TRACE"], let out = fopen(path, "w") {
                fputs("pid \(getpid())\n", out)
                app.trace = { line in fputs(line + "\n", out); fflush(out) }
            }
            // Whatever ended the browser (q, or SIGTERM/SIGHUP/SIGINT), transfers are cancelled
            // and given time to abort their multipart uploads and remove partial files before
            // pail exits: leftover parts are billed until someone aborts them.
            let signal = app.run(shutdown: {
                session.cancelAll()
                if !session.waitForTransfersToStop(timeout: Self.stopTimeout) {
                    StandardError.write("pail: some transfers did not stop in \(Int(Self.stopTimeout)) s; " +
                                        "check for incomplete multipart uploads\n")
                }
            })
            if let signal { TerminalApp.die(of: signal) }
        }
    }

    /// What `P` lists and connects with: the profiles of the AWS files and pail's, keeping
    /// the command line's --connect-to, --read-only and timeout across a switch.
    func profileSwitcher(config: PailConfig, unreadable: String?,
                         environment: [String: String]) throws -> ProfileSwitcher {
        var options = GlobalOptions()
        options.connectTo = global.connectTo
        options.readOnly = global.readOnly
        // A pail file that cannot be read but mentions read_only refuses every write, as at start.
        let path = environment["PAIL_CONFIG"] ?? PailConfig.defaultPath(environment: environment)
        var regardless: String?
        if unreadable != nil, let text = try? String(contentsOfFile: path, encoding: .utf8),
           text.contains("read_only") {
            regardless = "read_only from \(path), or fix the error in that file,"
        }
        let catalog = try ProfileCatalog(environment: environment, pailConfig: config, options: options,
                                         requestTimeout: try global.requestTimeout(environment),
                                         readOnlyRegardless: regardless)
        return ProfileSwitcher(catalog: catalog, bookmarks: BookmarkStore(environment: environment))
    }

    /// How the image page draws, judged once before curses takes the terminal: symbols in
    /// tmux (its passthrough is off by default) and wherever the terminal does not say
    /// otherwise; `PAIL_IMAGE_PROTOCOL` (symbols, kitty, sixel, iterm) overrides.
    static func imageTerminal(environment: [String: String]) -> TerminalCapabilities {
        var capabilities = TerminalCapabilities.detect(environment: environment)
        if let cell = TerminalWindow.current(fd: 1)?.cell { capabilities.cell = cell }
        if let forced = environment["PAIL_IMAGE_PROTOCOL"].flatMap(ImageProtocol.init(rawValue:)) {
            capabilities.imageProtocol = forced
        } else if capabilities.insideTmux {
            capabilities.imageProtocol = .symbols
        } else {
            let answers = TerminalProbe.ask(input: 0, output: 1, insideTmux: false)
            capabilities = capabilities.updated(withAnswers: answers)
        }
        return capabilities
    }
}
