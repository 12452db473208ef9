import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import S3

/// A loopback HTTP server that answers one connection with `response`, for what only the
/// real curl transport can show.
final class OneShotServer: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32

    init(response: [UInt8]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        // On a throw, deinit closes the socket.
        guard bound, listen(fd, 1) == 0 else { throw S3Error.local("cannot listen on loopback") }
        port = UInt16(bigEndian: addr.sin_port)
        let listener = fd
        Thread.detachNewThread {
            let conn = accept(listener, nil, nil)
            guard conn >= 0 else { return }
            defer { close(conn) }
            var request = [UInt8]()
            var buf = [UInt8](repeating: 0, count: 4096)
            while !request.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
                let n = read(conn, &buf, buf.count)
                if n <= 0 { return }
                request += buf[0..<n]
            }
            var sent = 0
            response.withUnsafeBytes { raw in
                while sent < raw.count {
                    // MSG_NOSIGNAL: the client hanging up must not kill the test with SIGPIPE.
                    let n = send(conn, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                    if n <= 0 { return }
                    sent += n
                }
            }
        }
    }

    deinit { close(fd) }
}

final class TransportLimitTests: XCTestCase {
    func testAnOversizedBodyHeldInMemoryStopsTheTransferWithAClearError() throws {
        let size = CurlCall.maxBufferedBody + (1 << 20)
        let head = "HTTP/1.1 403 Forbidden\r\nContent-Length: \(size)\r\nConnection: close\r\n\r\n"
        let server = try OneShotServer(response: Array(head.utf8) + [UInt8](repeating: 0x20, count: size))
        let request = HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: Int(server.port), path: "/b")
        XCTAssertThrowsError(try CurlTransport().send(request, sink: nil, progress: nil, cancel: nil)) { error in
            guard case TransportError.responseTooLarge(let what) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("over 16 MiB"), what)
        }
        let error = S3Error.transport(.responseTooLarge("a response body over 16 MiB"), endpoint: "http://h:1")
        let described = error.description
        XCTAssertEqual(described, "http://h:1 sent a response body over 16 MiB; pail stopped reading it")
    }

    func testABodyUnderTheCapArrivesWhole() throws {
        let body = "<Error><Code>AccessDenied</Code></Error>"
        let head = "HTTP/1.1 403 Forbidden\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let server = try OneShotServer(response: Array((head + body).utf8))
        let request = HTTPRequest(method: "GET", scheme: "http", host: "127.0.0.1", port: Int(server.port), path: "/b")
        let response = try CurlTransport().send(request, sink: nil, progress: nil, cancel: nil)
        XCTAssertEqual(response.status, 403)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), body)
    }
}
