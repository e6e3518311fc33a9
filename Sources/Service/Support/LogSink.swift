import Foundation
import Glibc
import Synchronization

/// A buffered writer to standard error: lines collect in memory and a background thread writes them out every
/// 100 ms (or at once when the buffer grows large or a line is an error), so logging a request costs no system call
/// on the request path.
public final class LogSink: Sendable {
    public static let standardError = LogSink(descriptor: 2)

    private let descriptor: Int32
    private let buffer = Mutex<[UInt8]>([])

    init(descriptor: Int32) {
        self.descriptor = descriptor
        let thread = Thread { [self] in
            while true {
                usleep(100_000)
                flush()
            }
        }
        thread.name = "log-flush"
        thread.start()
    }

    func write(_ line: String, urgent: Bool) {
        let size = buffer.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            bytes.append(0x0A)
            return bytes.count
        }
        if urgent || size > 256 * 1024 { flush() }
    }

    /// Writes everything buffered so far.
    public func flush() {
        let bytes = buffer.withLock { bytes in
            let taken = bytes
            bytes.removeAll(keepingCapacity: true)
            return taken
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
    }
}
