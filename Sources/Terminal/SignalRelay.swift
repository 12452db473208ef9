import Browser
import CNcurses
import Foundation
import Operations

/// SIGTERM, SIGHUP (a closed SSH session) and SIGINT (sent by `kill`; Ctrl-C is a key in raw
/// mode) end pail the way `q` does: the run loop wakes (a byte on `readFD`), running
/// transfers are cancelled and waited for (uploads aborted, partial files removed), then the
/// terminal is restored and pail dies of the same signal. Nothing of that runs in a signal
/// handler: a dispatch source receives the signal on a queue. A second signal while pail is
/// still cleaning up ends it at once (the terminal restored first).
final class SignalRelay: @unchecked Sendable {
    static let handled = [SIGTERM, SIGHUP, SIGINT]
    let readFD: Int32
    private let writeFD: Int32
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    init() {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    func install() {
        for sig in Self.handled {
            signal(sig, SIG_IGN)  // the dispatch source gets it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in arrived(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func arrived(_ sig: Int32) {
        let first: Bool = lock.withLock {
            if received != nil { return false }
            received = sig
            return true
        }
        if first {
            var b: UInt8 = 1
            _ = write(writeFD, &b, 1)
        } else {
            endwin()
            Self.die(of: sig)
        }
    }

    /// The first signal received, if any.
    var receivedSignal: Int32? { lock.withLock { received } }

    /// Ends the process with the default action of `sig`, so the parent sees how pail ended.
    static func die(of sig: Int32) -> Never {
        Foundation.signal(sig, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, sig)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(sig)
        exit(128 + sig)
    }
}
