import ArgumentParser
import Dispatch
import Foundation
import Operations
import S3

/// SIGINT (Ctrl-C), SIGTERM (`kill`, a service manager) and SIGHUP (a closed SSH session) all
/// cancel every transfer: multipart uploads are aborted, temporary files removed and the
/// summary printed, and pail then exits with 128 + the signal's number. Dying of the signal
/// instead would leave a multipart upload stored (and billed) and a preallocated file.
///
/// The handler is installed with signal(2) before the first transfer is queued and only
/// writes the signal's number to a pipe, which a thread reads. A DispatchSource registers
/// asynchronously, after the signal had to be set to SIG_IGN: a signal in between was lost
/// and the transfer went on.
final class Interruption: @unchecked Sendable {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private let lock = NSLock()
    private var first: Int32?

    convenience init(_ engine: TransferEngine) { self.init { engine.cancelAll() } }

    /// `onSignal` runs on a thread of its own, once per signal received.
    init(onSignal: @escaping @Sendable () -> Void) {
        // A write beyond `ulimit -f` fails with EFBIG (reported) instead of killing pail, and
        // a closed standard error (its reader gone after a hang-up) must not kill it either.
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        // The handler must never block: a full pipe drops the byte (one is enough).
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        interruptionPipe = fds[1]
        let reader = fds[0]
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while true {
                let n = read(reader, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.withLock { if first == nil { first = Int32(byte) } }
                onSignal()
            }
            close(reader)
        }
        thread.start()
        for sig in Self.signals {
            signal(sig) { s in
                var byte = UInt8(truncatingIfNeeded: s)
                _ = write(interruptionPipe, &byte, 1)
            }
        }
    }

    /// The first signal received, if any.
    var received: Int32? { lock.withLock { first } }

    /// After a hang-up the terminal is gone: progress lines are not drawn any more.
    var hungUp: Bool { received == SIGHUP }

    func restore() {
        for sig in Self.signals { signal(sig, SIG_DFL) }
        if interruptionPipe >= 0 {
            close(interruptionPipe)  // the reading thread sees the end and stops
            interruptionPipe = -1
        }
    }

    static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(sig)"
        }
    }
}

/// The pipe's writing end, for the signal handler (which can reach nothing but globals). Set
/// before the handlers are installed and cleared after they are removed.
nonisolated(unsafe) private var interruptionPipe: Int32 = -1
