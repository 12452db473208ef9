import Operations

/// Typing a local path (upload from, download to) or an `s3://` destination (copy to) on
/// the status line; Tab completes local paths through a worker.
public struct PathPromptPage: LinePrompt {
    public static let name = "Path prompt"
    public static func example(in state: inout BrowserState) -> PathPromptPage {
        var page = PathPromptPage(purpose: .upload(bucket: "site", prefix: "media/"), text: "/tmp/photos/")
        page.candidates = ["/tmp/photos/2023/", "/tmp/photos/2024/", "/tmp/photos/cover.jpg"]
        return page
    }

    public let purpose: PathPurpose
    public internal(set) var text: LineEditor
    public internal(set) var candidates: [String] = []
    /// The configuration file's header rules an upload here applies ("*.css → Cache-Control: …").
    public internal(set) var rules: [String] = []
    /// A download writes objects stored gzip-encoded decoded (^G), as `cp --gunzip` does;
    /// off, they are written as stored, compressed.
    public internal(set) var gunzip = false

    public init(purpose: PathPurpose, text: LineEditor = LineEditor()) {
        self.purpose = purpose
        self.text = text
    }

    var isCopy: Bool { if case .copy = purpose { return true }; return false }

    public func bindings(in state: BrowserState) -> [Binding] {
        var out: [Binding] = []
        // Tab completes local paths only.
        if !isCopy { out.append(Binding([.tab], .complete, "Complete the local path", footer: "complete")) }
        if isDownload {
            out.append(Binding([.ctrl("g")], .toggleGunzip,
                               "Objects stored gzip-encoded: write them decoded, or as stored (compressed)",
                               footer: gunzip ? "gzip'ed: decoded" : "gzip'ed: as stored"))
        }
        out += [
            Binding([.enter], .confirm, "Start", footer: "start", writes: !isDownload),
            Binding([.escape], .cancel, "Cancel", footer: "cancel"),
            Binding([], .type, isCopy ? "Type the destination as s3://bucket/prefix/"
                                      : "Type paths, separated by spaces (a backslash keeps a space)", group: .typing),
        ]
        return out
    }

    var isDownload: Bool { if case .download = purpose { return true }; return false }

    public mutating func perform(_ action: Action, key: Key, in state: inout BrowserState) -> PageOutcome {
        switch action {
        case .cancel: return .close
        case .complete:
            return .stay([.completePath(id: state.ask(.completion), text.text)])
        case .confirm: return start(&state)
        case .toggleGunzip:
            guard isDownload else { return .stay }
            gunzip.toggle()
            return .stay
        default:
            if text.handle(key) { candidates = [] }
            return .stay
        }
    }

    mutating func start(_ state: inout BrowserState) -> PageOutcome {
        switch purpose {
        case .upload(let bucket, let prefix):
            // Completion ends folders with "/", which on the command line means "its
            // contents"; a folder picked here is uploaded as itself, name included.
            let paths = state.splitPaths(text.text).map {
                $0.count > 1 && $0.hasByteSuffix("/") ? String($0.dropLast()) : $0
            }
            guard !paths.isEmpty else { return .close }
            state.setStatus("uploading \(paths.count) path\(paths.count == 1 ? "" : "s") to s3://\(bucket)/\(prefix)"
                            + " (t: transfers)", error: false)
            return .close([.upload(id: state.ask(.transferBatch), paths: paths, bucket: bucket, prefix: prefix)])
        case .download(let bucket, let keys, let prefixes):
            let dest = text.isEmpty ? "." : text.text
            state.setStatus("downloading to \(dest)\(gunzip ? ", gzip-encoded objects decoded" : "")"
                            + " (t: transfers)", error: false)
            return .close([.download(id: state.ask(.transferBatch), bucket: bucket, keys: keys, prefixes: prefixes,
                                     destination: dest, gunzip: gunzip)])
        case .copy(let bucket, let keys, let prefixes):
            guard let to = try? S3URI(parsing: text.text.trimmingCharacters(in: .whitespaces)) else {
                candidates = []
                state.setStatus("type the destination as s3://bucket/prefix/", error: true)
                return .stay
            }
            let prefix = S3URI.boundedPrefix(to.key)
            state.setStatus("copying to s3://\(to.bucket)/\(prefix) (t: transfers)", error: false)
            return .close([.copyObjects(id: state.ask(.transferBatch), bucket: bucket, keys: keys, prefixes: prefixes,
                                        toBucket: to.bucket, toPrefix: prefix)])
        }
    }

    public mutating func receive(_ event: BrowserEvent, in state: inout BrowserState) -> PageOutcome? {
        if case .uploadRulesDescribed(let bucket, let lines) = event {
            guard case .upload(let mine, _) = purpose, mine == bucket else { return nil }
            rules = lines
            return .stay
        }
        guard case .pathCompletions(_, let input, let found) = event, text.text == input else { return nil }
        if found.count == 1 {
            text = LineEditor(found[0])
            candidates = []
        } else {
            // Extend to the longest common beginning (by bytes: file names are bytes), and list
            // the choices.
            let common = Self.commonStart(found)
            if common.utf8.count > input.utf8.count && common.hasBytePrefix(input) { text = LineEditor(common) }
            candidates = found
        }
        return .stay
    }

    public func draw(_ state: BrowserState, into screen: inout Screen, layout: Layout) {
        guard !candidates.isEmpty else {
            // Said before Enter: the headers the uploaded objects will get from the configuration.
            guard !rules.isEmpty else { return }
            Renderer.drawTextBox(title: "Header rules that apply (configuration file)",
                                 lines: Array(rules.map(Formatting.safe).prefix(layout.treeHeight - 3)),
                                 into: &screen, layout: layout, lastStyle: .normal)
            return
        }
        Renderer.drawTextBox(title: "Completions", lines: Array(candidates.prefix(layout.treeHeight - 3)),
                             into: &screen, layout: layout, lastStyle: .normal)
    }

    public var promptLabel: String {
        switch purpose {
        case .upload(let b, let p): return "upload to s3://\(b)/\(p) from: "
        case .download(_, let keys, let prefixes):
            return "download \(Formatting.things(keys.count + prefixes.count, "item")) to folder: "
        case .copy(_, let keys, let prefixes):
            return "copy \(Formatting.things(keys.count + prefixes.count, "item")) to: "
        }
    }

    public func footer(_ state: BrowserState) -> [FooterItem] {
        guard isCopy else { return promptFooter(state) }
        var items = Self.footer(from: bindings(in: state))
        // The prompt holds the status line: a refused destination is said here, after the keys.
        let refused = state.status?.isError == true ? Formatting.safe(state.status!.text)
                                                    : "a destination as s3://bucket/prefix/"
        items.append(FooterItem("", refused))
        return items
    }
}

extension Action {
    public static let complete: Action = "complete"
    public static let toggleGunzip: Action = "toggleGunzip"
}
