import Foundation
import XCTest
import Operations
@testable import Browser

/// Builds browser states by feeding events, as the real run loop does.
struct Driver {
    var state: BrowserState
    var effects: [BrowserEffect] = []
    /// A bucket's uploads count, asked after its first listing, is answered at once with none
    /// (the tests of the count itself turn this off and answer it).
    var answersUploadCounts = true

    init(bucket: String? = nil, prefix: String = "", width: Int = 80, height: Int = 24) {
        setenv("TZ", "UTC", 1)
        tzset()
        (state, effects) = BrowserState.start(bucket: bucket, prefix: prefix, width: width, height: height)
    }

    @discardableResult
    mutating func send(_ event: BrowserEvent) -> [BrowserEffect] {
        // As the run loop does: settle before drawing, and run what settling asks for.
        let e = state.reduce(event) + state.settle()
        // The run loop draws after what it read; a question opened by this event is on screen.
        state.framePresented()
        effects += e
        if answersUploadCounts {
            for case .countUploads(let id, let bucket) in e {
                send(.uploadsCounted(id: id, bucket: bucket, .success(UploadTotal(count: 0, bytes: 0))))
            }
        }
        return e
    }

    @discardableResult
    mutating func keys(_ keys: Key...) -> [BrowserEffect] {
        var out: [BrowserEffect] = []
        for k in keys { out += send(.key(k)) }
        return out
    }

    @discardableResult
    mutating func type(_ text: String) -> [BrowserEffect] {
        var out: [BrowserEffect] = []
        for c in text { out += send(.key(.char(c))) }
        return out
    }

    /// The token of the listing the browser asked for `node`, from the effects so far.
    func token(_ node: NodeID) -> Int? {
        for e in effects.reversed() { if case .list(let n, let t) = e, n == node { return t } }
        return nil
    }

    mutating func answer(_ node: NodeID, prefixes: [String] = [], objects: [ListedObject] = [], finish: Bool = true) {
        guard let t = token(node) else { return XCTFail("no listing asked for \(node)") }
        send(.listed(node: node, token: t, prefixes: prefixes, objects: objects))
        if finish { send(.listingFinished(node: node, token: t, error: nil)) }
    }

    var text: String { Renderer.render(state).text }

    /// Fires the details pane's latest debounce timer, as the run loop would 0.15 s later, and
    /// answers what it asks (an empty HEAD, a private object): the title is [busy] until then.
    mutating func answerDetails() {
        var last: (String, String)?
        for case .timer(_, .head(let bucket, let key)) in effects { last = (bucket, key) }
        guard let (bucket, key) = last else { return }
        for effect in send(.headTimerFired(bucket: bucket, key: key)) {
            switch effect {
            case .head(let id, let b, let k): send(.headed(id: id, bucket: b, key: k, .success([])))
            case .probePublic(let id, let b, let k):
                send(.publicProbed(id: id, bucket: b, key: k, PublicAccess(.no, "no")))
            default: break
            }
        }
    }

    /// The request the latest effect that awaits an answer opened, to answer it with (#0,
    /// which answers nothing open, when a test sends an answer nothing asked for).
    var lastID: RequestID { lastRequest(in: effects) }
}

/// The request the last effect of `effects` that awaits an answer opened, apart from the
/// public probe and the uploads count that follow a details HEAD or a bucket's first listing
/// (the tests that answer those find them by their case).
func lastRequest(in effects: [BrowserEffect]) -> RequestID {
    effects.reversed().lazy.filter { e in
        switch e {
        case .probePublic, .countUploads: return false
        default: return true
        }
    }.compactMap(\.request).first ?? RequestID(0)
}

func obj(_ name: String, _ size: Int64 = 100, _ day: Double = 0) -> ListedObject {
    ListedObject(name: name, size: size, modified: 1_700_000_000 + day * 86400,
                 storageClass: StorageClassCode("STANDARD"))
}

/// Compares a rendered screen with the file kept next to the tests. PAIL_RECORD_SNAPSHOTS=1
/// writes the file anew instead.
func assertSnapshot(_ screen: Screen, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = dir.appendingPathComponent("\(name).txt")
    let actual = screen.text + "\n"
    if ProcessInfo.processInfo.environment["PAIL_RECORD_SNAPSHOTS"] != nil {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return XCTFail("no snapshot \(url.path); run with PAIL_RECORD_SNAPSHOTS=1 to record it", file: file, line: line)
    }
    XCTAssertEqual(actual, expected, "snapshot \(name) differs", file: file, line: line)
}

/// A header change as `pail set-headers` builds it.
func changes(set: [HeaderField: String] = [:], remove: Set<HeaderField> = [], meta: [String: String] = [:],
             removeMeta: Set<String> = []) -> HeaderChanges {
    var c = HeaderChanges()
    c.setFields = set
    c.removeFields = remove
    c.setMetadata = meta
    c.removeMetadata = removeMeta
    return c
}
