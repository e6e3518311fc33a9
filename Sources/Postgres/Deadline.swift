import Foundation
import Glibc

/// A point on the monotonic clock by which a database wait must end: acquiring a pooled connection (connecting and
/// checking it included) or waiting for a statement's answer. libpq's own `connect_timeout` counts in whole seconds
/// (at least 2) and nothing bounds a statement on a stopped server, so the client keeps the time itself and polls
/// the socket with what remains.
public struct Deadline: Sendable {
    let instant: ContinuousClock.Instant
    /// The length of the wait, for messages.
    public let seconds: Double

    /// `seconds` from now.
    public init(seconds: Double) {
        self.seconds = seconds
        instant = .now + .nanoseconds(Int64(max(seconds, 0) * 1e9))
    }

    /// Seconds left; zero once it has passed.
    public var remaining: Double {
        let left = instant - .now
        let (whole, attoseconds) = left.components
        return max(0, Double(whole) + Double(attoseconds) / 1e18)
    }

    var hasPassed: Bool { ContinuousClock.now >= instant }

    /// The same moment on the wall clock, for `NSCondition.wait(until:)`.
    var date: Date { Date(timeIntervalSinceNow: remaining) }

    /// Waits until `socket` is ready for `events` (`POLLIN`, `POLLOUT`) or the deadline passes; returns false then.
    func wait(for socket: Int32, events: Int32) -> Bool {
        while true {
            let milliseconds = Int32(min((remaining * 1000).rounded(.up), Double(Int32.max)))
            guard milliseconds > 0 else { return false }
            var descriptor = pollfd(fd: socket, events: Int16(events), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { return true }  // libpq reports the socket's error on its next call.
            if hasPassed { return false }
        }
    }
}
