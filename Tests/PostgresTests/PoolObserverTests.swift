import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

/// The pool's hooks for metrics: waits, timeouts, failed connects and reconnects, and its usage figures.
@Suite(.ownThreads) struct PoolObserverTests {
    /// What the hooks were told.
    final class Events: Sendable {
        let acquired = Mutex<[(seconds: Double, probe: Bool)]>([])
        let timedOut = Mutex<[Bool]>([])
        let failures = Mutex(0)
        let reconnects = Mutex(0)

        var observer: PoolObserver {
            PoolObserver(
                acquired: { seconds, probe in self.acquired.withLock { $0.append((seconds, probe)) } },
                timedOut: { probe in self.timedOut.withLock { $0.append(probe) } },
                connectionFailed: { self.failures.withLock { $0 += 1 } },
                reconnected: { self.reconnects.withLock { $0 += 1 } })
        }
    }

    @Test func waitsTimeoutsAndUsageAreReported() throws {
        let database = try TestDatabase.create()
        let events = Events()
        let pool = PostgresPool(
            configuration: .init(
                connectionString: database.serverConnectionString, database: database.name, size: 1,
                acquireTimeout: 0.3),
            logger: TestServer.quietLogger, observer: events.observer)
        defer { pool.close() }
        try pool.withConnection { _ in
            #expect(pool.usage == PoolUsage(open: 1, inUse: 1, waiting: 0))
            let done = DispatchSemaphore(value: 0)
            let waiter = Thread {
                _ = try? pool.withConnection { _ in Issue.record("the only connection is borrowed") }
                done.signal()
            }
            waiter.start()
            let deadline = Date(timeIntervalSinceNow: 5)
            while pool.usage.waiting == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            #expect(pool.usage.waiting == 1)
            #expect(done.wait(timeout: .now() + 5) == .success, "the waiter gave up after its 0.3 s")
        }
        #expect(pool.usage == PoolUsage(open: 1, inUse: 0, waiting: 0))
        #expect(events.timedOut.withLock { $0 } == [false])
        _ = try pool.withConnection(within: 1) { try $0.query("SELECT 1") }
        let acquired = events.acquired.withLock { $0 }
        #expect(acquired.map(\.probe) == [false, true])
        #expect(acquired.allSatisfy { $0.seconds >= 0 && $0.seconds < 1 })
        #expect(events.failures.withLock { $0 } == 0)
    }

    @Test func failedConnectsAndReconnectsAreReported() throws {
        let database = try TestDatabase.createOnDedicatedServer()
        let events = Events()
        let pool = PostgresPool(
            configuration: .init(
                connectionString: database.serverConnectionString, database: database.name, size: 2,
                acquireTimeout: 2),
            logger: TestServer.quietLogger, observer: events.observer)
        defer { pool.close() }
        _ = try pool.withConnection { try $0.query("SELECT 1") }
        #expect(events.reconnects.withLock { $0 } == 0)
        try database.stopServerImmediately()
        #expect(throws: PostgresError.self) { try pool.withConnection { try $0.query("SELECT 1") } }
        #expect(events.failures.withLock { $0 } >= 1, "the new connection could not open")
        try database.startServer()
        _ = try pool.withConnection { try $0.query("SELECT 1") }
        #expect(events.reconnects.withLock { $0 } == 1, "the broken connection was replaced once")
    }
}
