import Browser
import Foundation
import Imaging
import Operations
import S3

/// The image page's fetching, decoding and drawing, on its own worker (one picture at a time
/// is what a person looks at). Each request has a cancel flag, set when the page closes or
/// moves on; decoded images are kept by bucket, key and ETag in a small bounded cache, so a
/// resize or a return to the last few pictures costs a HEAD, not a GET.
final class ImageLoader: @unchecked Sendable {
    /// Replaced by a profile switch (`use`); each load reads it once.
    private var clientStorage: S3Client
    private let queue: BrowserEventSink
    let pool = WorkerPool(threads: 2)
    private let lock = NSLock()
    private var flags: [RequestID: CancellationFlag] = [:]
    private var cache: [(key: CacheKey, image: DecodedImage)] = []
    private var capabilitiesStorage = TerminalCapabilities(imageProtocol: .symbols, colours: .indexed256)
    let limits: ImageLimits

    /// At most this many decoded images, and at most this many bytes of their pixels.
    static let cacheCount = 4
    static let cacheBytes = 48 << 20

    struct CacheKey: Equatable {
        var bucket: String
        var key: ObjectKey
        var etag: String
    }

    init(client: S3Client, queue: BrowserEventSink, limits: ImageLimits = .standard) {
        self.clientStorage = client
        self.queue = queue
        self.limits = limits
    }

    var capabilities: TerminalCapabilities {
        get { lock.withLock { capabilitiesStorage } }
        set { lock.withLock { capabilitiesStorage = newValue } }
    }

    func show(_ id: RequestID, bucket: String, key: String, columns: Int, rows: Int) {
        let flag = CancellationFlag()
        let previous: [CancellationFlag] = lock.withLock {
            // One picture at a time: a new one stops the others.
            let old = Array(flags.values)
            flags = [id: flag]
            return old
        }
        previous.forEach { $0.cancel() }
        pool.submit { [self] in
            let result = load(bucket: bucket, key: key, columns: columns, rows: rows, cancel: flag)
            lock.withLock { if flags[id] === flag { flags[id] = nil } }
            queue.post(.imageShown(id: id, result))
        }
    }

    func cancel(_ id: RequestID) {
        lock.withLock { flags.removeValue(forKey: id) }?.cancel()
    }

    func cancelAll() {
        let all = lock.withLock { () -> [CancellationFlag] in
            defer { flags = [:] }
            return Array(flags.values)
        }
        all.forEach { $0.cancel() }
    }

    /// The client later loads use (after a profile switch).
    func use(_ client: S3Client) { lock.withLock { clientStorage = client } }

    private func load(bucket: String, key: String, columns: Int, rows: Int,
                      cancel: CancellationFlag) -> Result<ImagePicture, BrowserError> {
        let client = lock.withLock { clientStorage }
        do {
            let head = try ImageFetch.head(client: client, bucket: bucket, key: key, limits: limits,
                                          download: "D or pail cp")
            let cacheKey = CacheKey(bucket: bucket, key: ObjectKey(key), etag: head.etag)
            let image: DecodedImage
            if let cached = cached(cacheKey) {
                image = cached
            } else {
                if cancel.isCancelled { return .failure(BrowserError("cancelled")) }
                let data = try ImageFetch.body(client: client, bucket: bucket, key: key, head: head, limits: limits,
                                               cancel: cancel)
                do {
                    image = try ImageDecoder.decode(data, contentType: head.contentType, limits: limits,
                                                    isCancelled: { cancel.isCancelled })
                } catch let error as ImageError {
                    return .failure(BrowserError(error.kind == .tooLarge || error.kind == .tooManyPixels
                                                 ? error.message + ": download it with D or pail cp" : error.message))
                }
                if !head.etag.isEmpty { store(cacheKey, image) }
            }
            if cancel.isCancelled { return .failure(BrowserError("cancelled")) }
            return .success(draw(image, columns: columns, rows: rows))
        } catch {
            return .failure(BrowserError(describe(error)))
        }
    }

    /// Symbols as glyphs for the cells (truecolour is drawn in 256 colours there: curses pairs
    /// are palette colours), or a pixel protocol's sequences over blank cells.
    func draw(_ image: DecodedImage, columns: Int, rows: Int) -> ImagePicture {
        let terminal = capabilities
        if terminal.imageProtocol.drawsPixels {
            let rendered = ImageRenderer.render(image, columns: columns, rows: rows, protocol: terminal.imageProtocol,
                                                colours: terminal.colours, cell: terminal.cell,
                                                tmux: terminal.needsPassthrough)
            return ImagePicture(caption: image.caption, columns: rendered.columns, rows: rendered.rows,
                                pixels: rendered.output,
                                clear: terminal.imageProtocol.clearSequence(tmux: terminal.needsPassthrough))
        }
        let colours: ColourDepth = terminal.colours == .indexed16 ? .indexed16 : .indexed256
        let cells = ImageRenderer.symbolCells(image, columns: columns, rows: rows, colours: colours,
                                              cell: terminal.cell)
        let glyphs = cells.map { line in
            line.map { ImageGlyph(character: $0.character,
                                  colour: PaletteColour(foreground: $0.foreground, background: $0.background)) }
        }
        return ImagePicture(caption: image.caption, columns: glyphs.first?.count ?? 0, rows: glyphs.count,
                            glyphs: glyphs)
    }

    private func cached(_ key: CacheKey) -> DecodedImage? {
        lock.withLock {
            guard let i = cache.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = cache.remove(at: i)
            cache.append(entry)  // most recently used last
            return entry.image
        }
    }

    private func store(_ key: CacheKey, _ image: DecodedImage) {
        lock.withLock {
            cache.removeAll { $0.key == key }
            cache.append((key, image))
            while cache.count > Self.cacheCount
                    || (cache.count > 1 && cache.reduce(0, { $0 + $1.image.pixels.count }) > Self.cacheBytes) {
                cache.removeFirst()
            }
        }
    }
}
