import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP over one libcurl easy handle, reused across requests so connections are kept alive.
/// Not thread-safe: one per worker (S3Client keeps a pool).
public final class CurlTransport: HTTPTransport {
    public struct Options: Sendable {
        public var connectTimeout: Int = 10
        /// Abort when fewer than `lowSpeedLimit` bytes/s move for `lowSpeedTime` seconds: a
        /// server dripping a byte a second is as dead as a silent one. A request can ask for
        /// other values (`HTTPRequest.lowSpeedLimit`).
        public var lowSpeedLimit: Int = 1024
        public var lowSpeedTime: Int = 30
        /// Seconds for the whole request, for small local calls (instance metadata); nil: none.
        public var timeout: Int?
        public var caBundle: String?
        public var verbose = false
        /// `HOST:PORT:ADDR:PORT` lines for CURLOPT_CONNECT_TO.
        public var connectTo: [String] = []
        public init() {}
    }

    private let handle: UnsafeMutableRawPointer
    private let options: Options
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    public init(options: Options = Options()) {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        handle = h
        self.options = options
    }

    deinit { curl_easy_cleanup(handle) }

    public func send(_ request: HTTPRequest, sink: ResponseSink?, progress: TransferProgress?,
                     cancel: CancellationFlag?) throws -> HTTPResponse {
        // Reset clears every option but keeps live connections, the DNS cache and TLS sessions.
        curl_easy_reset(handle)
        let call = CurlCall(sink: sink, progress: progress, cancel: cancel)
        defer { call.close() }
        if case .file(let path, let offset, _) = request.body {
            guard let fp = fopen(path, "rb") else {
                throw TransportError.other("cannot open \(path): \(String(cString: strerror(errno)))")
            }
            call.file = fp
            call.fileOffset = offset
            fseeko(fp, off_t(offset), SEEK_SET)
        }
        if case .data(let d) = request.body { call.data = d }
        call.bodyLength = request.body.length

        let ctx = Unmanaged.passUnretained(call).toOpaque()
        request.url.withCString { _ = pail_curl_setopt_string(handle, CURLOPT_URL, $0) }
        errorBuffer.withUnsafeMutableBufferPointer { buf in
            buf[0] = 0
            _ = pail_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buf.baseAddress)
        }
        _ = pail_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // S3 keys are not paths: "a/../b" is its own key, so curl must not squash dot segments.
        _ = pail_curl_setopt_long(handle, CURLOPT_PATH_AS_IS, 1)
        _ = pail_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeout)
        _ = pail_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, request.lowSpeedLimit ?? options.lowSpeedLimit)
        _ = pail_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, request.lowSpeedTime ?? options.lowSpeedTime)
        if let timeout = request.timeout ?? options.timeout {
            _ = pail_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeout)
        }
        _ = pail_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = pail_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        _ = pail_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
        // Larger reads and writes: a 16 KiB default means 65,536 callbacks per GiB.
        _ = pail_curl_setopt_long(handle, CURLOPT_BUFFERSIZE, 256 * 1024)
        _ = pail_curl_setopt_long(handle, CURLOPT_UPLOAD_BUFFERSIZE, 512 * 1024)
        _ = pail_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        if let ca = options.caBundle { ca.withCString { _ = pail_curl_setopt_string(handle, CURLOPT_CAINFO, $0) } }
        if options.verbose { _ = pail_curl_setopt_long(handle, CURLOPT_VERBOSE, 1) }
        var connectTo: UnsafeMutablePointer<curl_slist>? = nil
        for line in options.connectTo { connectTo = curl_slist_append(connectTo, line) }
        defer { curl_slist_free_all(connectTo) }
        if connectTo != nil { _ = pail_curl_setopt_slist(handle, CURLOPT_CONNECT_TO, connectTo) }

        _ = pail_curl_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = pail_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, ctx)
        _ = pail_curl_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = pail_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, ctx)
        _ = pail_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = pail_curl_setopt_xferinfo_cb(handle, curlProgressCallback)
        _ = pail_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, ctx)

        let hasBody = request.body.length > 0 || request.method == "PUT" || request.method == "POST"
        switch request.method {
        case "GET":
            _ = pail_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD":
            _ = pail_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        case "PUT":
            _ = pail_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
            _ = pail_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.length))
        case "POST":
            _ = pail_curl_setopt_long(handle, CURLOPT_POST, 1)
            _ = pail_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.length))
        default:
            request.method.withCString { _ = pail_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, $0) }
            if request.body.length > 0 {
                _ = pail_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
                _ = pail_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.length))
            }
        }
        if hasBody {
            _ = pail_curl_setopt_data_cb(handle, CURLOPT_READFUNCTION, curlReadCallback)
            _ = pail_curl_setopt_pointer(handle, CURLOPT_READDATA, ctx)
            _ = pail_curl_setopt_seek_cb(handle, curlSeekCallback)
            _ = pail_curl_setopt_pointer(handle, CURLOPT_SEEKDATA, ctx)
        }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        var sawContentType = false
        for (name, value) in request.headers {
            if name.lowercased() == "content-type" { sawContentType = true }
            // "Name;" is curl's way to send a header with an empty value.
            let line = value.isEmpty ? "\(name);" : "\(name): \(value)"
            list = curl_slist_append(list, line)
        }
        // No 100-continue round trip, and no Content-Type that curl would invent for POST.
        list = curl_slist_append(list, "Expect:")
        if !sawContentType && hasBody { list = curl_slist_append(list, "Content-Type:") }
        list = curl_slist_append(list, "Accept:")
        defer { curl_slist_free_all(list) }
        _ = pail_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)

        let code = curl_easy_perform(handle)
        if call.cancelledInCallback || (code != CURLE_OK && cancel?.isCancelled == true) {
            throw TransportError.cancelled
        }
        if let tooLarge = call.tooLarge { throw TransportError.responseTooLarge(tooLarge) }
        if let sinkError = call.sinkError { throw TransportError.sinkFailed(String(describing: sinkError)) }
        if code != CURLE_OK {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw Self.map(code, message)
        }
        if call.isSuccess, let sink {
            do { try sink.finish() } catch { throw TransportError.sinkFailed(String(describing: error)) }
        }
        var status: Int = 0
        var status0: Int = 0
        _ = pail_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status0)
        status = status0 != 0 ? status0 : call.status
        return HTTPResponse(status: status, headers: call.headers, body: call.body)
    }

    static func map(_ code: CURLcode, _ message: String) -> TransportError {
        switch code {
        case CURLE_COULDNT_CONNECT: return .cannotConnect(message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .cannotResolve(message)
        case CURLE_OPERATION_TIMEDOUT: return .timedOut(message)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM:
            return .connectionLost(message)
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM:
            return .tls(message)
        default: return .other(message)
        }
    }
}

/// Per-request state the C callbacks reach through their user-data pointer.
final class CurlCall {
    let sink: ResponseSink?
    let progress: TransferProgress?
    let cancel: CancellationFlag?
    var status = 0
    var headers: [(String, String)] = []
    var body = Data()
    var sinkError: Error?
    /// Set when a data callback saw the cancellation flag (curl's progress callback runs only
    /// now and then, so the data callbacks check too).
    var cancelledInCallback = false
    var file: UnsafeMutablePointer<FILE>?
    var fileOffset: UInt64 = 0
    var data: Data?
    var bodyLength: UInt64 = 0
    var sent: UInt64 = 0
    /// Set when the body or the headers went past their cap; the transfer was stopped.
    var tooLarge: String?
    var headerBytes = 0
    /// Bodies held in memory are XML (a listing page of 1,000 keys of 1,024 bytes, encoded,
    /// is about 4 MiB) or error documents: more is a server to stop reading from, not
    /// memory to give it (up to 64 requests can be in flight at once).
    static let maxBufferedBody = 16 << 20
    static let maxHeaderBytes = 1 << 20

    init(sink: ResponseSink?, progress: TransferProgress?, cancel: CancellationFlag?) {
        self.sink = sink
        self.progress = progress
        self.cancel = cancel
    }

    func close() {
        if let f = file { fclose(f); file = nil }
    }

    var isSuccess: Bool { status >= 200 && status < 300 }
}

private func curlHeaderCallback(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int,
                                _ ud: UnsafeMutableRawPointer?) -> Int {
    let count = size * n
    guard let ptr, let ud else { return count }
    let call = Unmanaged<CurlCall>.fromOpaque(ud).takeUnretainedValue()
    let raw = UnsafeRawBufferPointer(start: ptr, count: count)
    call.headerBytes += count
    if call.headerBytes > CurlCall.maxHeaderBytes {
        call.tooLarge = "more than \(CurlCall.maxHeaderBytes >> 20) MiB of response headers"
        return 0
    }
    let line = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        // A new status line (after 100 Continue or a redirect) starts a new header block.
        let parts = line.split(separator: " ", maxSplits: 2)
        call.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        call.headers.removeAll()
    } else if let colon = line.firstIndex(of: ":") {
        let name = String(line[..<colon])
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        call.headers.append((name, value))
    }
    return count
}

private func curlWriteCallback(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int,
                               _ ud: UnsafeMutableRawPointer?) -> Int {
    let count = size * n
    guard let ptr, let ud else { return count }
    let call = Unmanaged<CurlCall>.fromOpaque(ud).takeUnretainedValue()
    let raw = UnsafeRawBufferPointer(start: ptr, count: count)
    if call.cancel?.isCancelled == true {
        call.cancelledInCallback = true
        return 0
    }
    if call.isSuccess, let sink = call.sink {
        do { try sink.write(raw) } catch {
            call.sinkError = error
            return 0  // makes curl stop with CURLE_WRITE_ERROR
        }
    } else {
        guard call.body.count + count <= CurlCall.maxBufferedBody else {
            let cap = CurlCall.maxBufferedBody >> 20
            call.tooLarge = "a response body over \(cap) MiB where pail expected a small document"
            return 0
        }
        call.body.append(contentsOf: raw)
    }
    return count
}

private func curlReadCallback(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ n: Int,
                              _ ud: UnsafeMutableRawPointer?) -> Int {
    guard let ptr, let ud else { return 0 }
    let call = Unmanaged<CurlCall>.fromOpaque(ud).takeUnretainedValue()
    if call.cancel?.isCancelled == true {
        call.cancelledInCallback = true
        return Int(CURL_READFUNC_ABORT)
    }
    let remaining = call.bodyLength - call.sent
    let want = min(UInt64(size * n), remaining)
    if want == 0 { return 0 }
    var got = 0
    if let f = call.file {
        got = fread(ptr, 1, Int(want), f)
        if got == 0 { return Int(CURL_READFUNC_ABORT) }  // file shrank under us
    } else if let d = call.data {
        let start = Int(call.sent)
        d.withUnsafeBytes { raw in
            _ = memcpy(ptr, raw.baseAddress! + start, Int(want))
        }
        got = Int(want)
    }
    call.sent += UInt64(got)
    return got
}

private func curlSeekCallback(_ ud: UnsafeMutableRawPointer?, _ offset: curl_off_t, _ origin: Int32) -> Int32 {
    guard let ud, origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    let call = Unmanaged<CurlCall>.fromOpaque(ud).takeUnretainedValue()
    if let f = call.file {
        if fseeko(f, off_t(call.fileOffset) + off_t(offset), SEEK_SET) != 0 { return Int32(CURL_SEEKFUNC_FAIL) }
    }
    call.sent = UInt64(offset)
    return Int32(CURL_SEEKFUNC_OK)
}

private func curlProgressCallback(_ ud: UnsafeMutableRawPointer?, _ dltotal: curl_off_t, _ dlnow: curl_off_t,
                                  _ ultotal: curl_off_t, _ ulnow: curl_off_t) -> Int32 {
    guard let ud else { return 0 }
    let call = Unmanaged<CurlCall>.fromOpaque(ud).takeUnretainedValue()
    if call.cancel?.isCancelled == true { return 1 }
    if let progress = call.progress {
        if ultotal > 0 { progress(Int64(ulnow), Int64(ultotal)) } else { progress(Int64(dlnow), Int64(dltotal)) }
    }
    return 0
}
