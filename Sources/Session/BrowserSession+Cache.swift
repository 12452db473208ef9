import Browser
import Foundation
import Operations
import S3

/// What the header columns, the bucket page and the details pane's public line keep between
/// an effect and its worker: their own pool (the column HEADs' bound in flight) and the
/// column requests cancelled before a worker took them.
final class CacheEffects: @unchecked Sendable {
    let pool = WorkerPool(threads: BrowserState.columnsInFlight)
    private let lock = NSLock()
    private var waiting: Set<RequestID> = []
    private var cancelled: Set<RequestID> = []

    func queued(_ id: RequestID) { lock.withLock { _ = waiting.insert(id) } }

    func cancel(_ ids: [RequestID]) {
        lock.withLock {
            for id in ids where waiting.contains(id) { cancelled.insert(id) }
        }
    }

    /// Taken by a worker: false when it was cancelled meanwhile (then nothing is sent).
    func take(_ id: RequestID) -> Bool {
        lock.withLock {
            waiting.remove(id)
            return cancelled.remove(id) == nil
        }
    }
}

extension BrowserSession {
    func performCache(_ effect: BrowserEffect) {
        switch effect {
        case .headColumns(let id, let bucket, let key):
            cache.queued(id)
            cache.pool.submit { [self] in
                // Scrolled away before its turn: the browser closed it already, nothing to answer.
                guard cache.take(id) else { return }
                let result: Result<HeaderColumns, BrowserError>
                do {
                    let head = try client.headObject(bucket: bucket, key: key)
                    result = .success(HeaderColumns(etag: head.etag, cacheControl: head.cacheControl,
                                                    contentType: head.contentType,
                                                    contentEncoding: head.contentEncoding))
                } catch {
                    result = .failure(BrowserError(describe(error)))
                }
                queue.post(.columnsHeaded(id: id, bucket: bucket, key: key, result))
            }
        case .cancelHeadColumns(let ids):
            cache.cancel(ids)
        case .probePublic(let id, let bucket, let key):
            cache.pool.submit { [self] in
                queue.post(.publicProbed(id: id, bucket: bucket, key: key, probePublic(bucket: bucket, key: key)))
            }
        case .readBucket(let id, let bucket):
            cache.pool.submit { [self] in
                do {
                    let sections = try BucketConfigurations(client: client).readAll(bucket: bucket)
                    queue.post(.bucketRead(id: id, bucket: bucket, .success(sections)))
                } catch {
                    queue.post(.bucketRead(id: id, bucket: bucket, .failure(BrowserError(describe(error)))))
                }
            }
        default:
            break
        }
    }
}

extension BrowserSession {
    /// `public, max-age=31536000 (1 y)`: the value with its durations read for people.
    static func annotatedCacheControl(_ value: String) -> String { CacheControlSummary.annotated(value) }

    /// `in 3 d`, `in the past (2 h ago)`, `not a date: ...`; max-age or s-maxage override it.
    static func expiresReading(_ value: String, cacheControl: String?, now: Date) -> String {
        let overridden = CacheControlSummary(cacheControl: cacheControl ?? "").durations.contains {
            $0.name == "max-age" || $0.name == "s-maxage"
        }
        return CacheControlSummary.expiresReading(value, now: now, overridden: overridden)
    }
}

extension BrowserSession {
    /// The CDN forms of the URL menu: the custom domain (or why there is none), then the
    /// provider's own (an R2 bucket's development URL, the Spaces CDN).
    func cdnChoices(_ urls: ObjectURLs, bucket: String, key: String) -> [URLChoice] {
        let forms = urls.cdnChoices(bucket: bucket, key: key)
        var out: [URLChoice] = []
        if !forms.contains(where: { $0.label == "CDN" }) {
            do { out.append(URLChoice(label: "CDN", url: try urls.cdnURL(bucket: bucket, key: key))) } catch {
                out.append(URLChoice(label: "CDN", url: nil, note: describe(error)))
            }
        }
        return out + forms.map { URLChoice(label: $0.label, url: $0.url) }
    }

    /// An unsigned HEAD on a public URL; a host that cannot be reached is named with what
    /// configured it (cdn_domain, r2_dev_url or the endpoint), as `PublicURLProbe.check` does.
    func headPublic(_ url: PublicURL) throws -> HTTPResponse {
        do {
            return try io.headPublicURL(url.url, client.config.caBundle)
        } catch var unreachable as PublicURLProbe.Unreachable {
            unreachable.source = unreachable.source ?? url.source
            throw unreachable
        }
    }
}

extension BrowserSession {
    /// An unsigned HEAD on the object's public URL (the CDN domain or R2 URL when configured,
    /// else the endpoint): 2xx means anyone can read it.
    func probePublic(bucket: String, key: String) -> PublicAccess {
        let urls = ObjectURLs(client: client, settings: config.settings(for: bucket))
        let url = urls.publicURL(bucket: bucket, key: key)
        // The host is named only when it is not the endpoint (a CDN, an R2 URL).
        let host = URLComponents(string: url.url)?.host
        let via = host.flatMap { $0 == client.config.endpoint.host ? nil : " via " + $0 } ?? ""
        do {
            let answer = try headPublic(url)
            switch answer.status {
            case 200..<300: return PublicAccess(.yes, "yes (HTTP \(answer.status) unsigned\(via))")
            case 401, 403: return PublicAccess(.no, "no (HTTP \(answer.status) unsigned\(via))")
            default: return PublicAccess(.unknown, "unknown (HTTP \(answer.status) unsigned\(via))")
            }
        } catch {
            // The URL menu's public check says why at length; one short line here.
            return PublicAccess(.unknown, "unknown (no answer\(via))")
        }
    }
}
