import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

/// The test client itself: a client that fails to connect must not disturb other sockets of the test process.
@Suite(.ownThreads) struct TestClientTests {
    /// A refused connect closes its own socket once. The client used to close it in its initialiser and then again in
    /// `deinit` (which a throwing class initialiser still runs once every stored property is set); the second close hit
    /// whatever the number had been given to in between — here a pipe opened by another thread, in the suite a
    /// server's just-accepted socket (`thousandConcurrentConnectionsAreServed` then saw `400 invalid method`: the
    /// server registered a client's socket under the reused number and parsed `HTTP/1.1 200 OK` as a request line).
    /// Another thread keeps taking the lowest free descriptor numbers, so each stray close of the old code hits one.
    @Test func refusedConnectsCloseOnlyTheirOwnSocket() throws {
        let refused = FreePort.next()
        let done = Atomic<Bool>(false)
        let rounds = Atomic<Int>(0)
        let disturbed = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        let watcher = Thread {
            defer { finished.signal() }
            while !done.load(ordering: .acquiring) {
                if !Self.pipeSurvives() { disturbed.add(1, ordering: .relaxed) }
                rounds.add(1, ordering: .relaxed)
            }
        }
        watcher.start()
        var refusals = 0
        for _ in 0..<3000 {
            do {
                _ = try TestConnection(port: refused)
            } catch {
                refusals += 1
            }
            sched_yield()
        }
        done.store(true, ordering: .releasing)
        finished.wait()
        #expect(refusals == 3000)
        #expect(rounds.load(ordering: .relaxed) > 0)
        #expect(disturbed.load(ordering: .relaxed) == 0)
    }

    /// Opens a pipe, checks that both ends are still the same pipe after yielding the processor, and closes them;
    /// false when either end was closed or replaced by someone else meanwhile.
    static func pipeSurvives() -> Bool {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return true }
        let before = ends.map(identity)
        sched_yield()
        let after = ends.map(identity)
        let closedCleanly = ends.map { Glibc.close($0) == 0 }
        return before == after && closedCleanly.allSatisfy { $0 }
    }

    /// The device and inode a descriptor refers to, or nil when it is not open.
    static func identity(_ fd: Int32) -> [UInt64]? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }
}
