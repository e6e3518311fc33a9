import Foundation
import Glibc

/// A buffered writer to standard error: lines collect in memory and a background thread writes them out every
/// 100 ms (or at once when the buffer grows large or a line is an error), so logging a request costs no system call
/// on the request path.
public final class LogSink: @unchecked Sendable {
    public static let standardError = LogSink(descriptor: 2)

    private let descriptor: Int32
    // `lock` guards `buffer`. An NSLock (a plain pthread mutex) rather than Mutex: many handler threads append here,
    // and a lock that sleeps at once wastes less of two cores than one that spins first.
    private let lock = NSLock()
    private var buffer: [UInt8] = []

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
        write(bytes: Array(line.utf8), urgent: urgent)
    }

    /// Appends one line (without its newline).
    func write(bytes line: [UInt8], urgent: Bool = false) {
        lock.lock()
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        let size = buffer.count
        lock.unlock()
        if urgent || size > 256 * 1024 { flush() }
    }

    /// Writes everything buffered so far.
    public func flush() {
        lock.lock()
        let bytes = buffer
        buffer.removeAll(keepingCapacity: true)
        lock.unlock()
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
    }
}
