import Foundation
import Logging
import Postgres
import Storage
import Synchronization

/// Listens for `seedtest_changes` notifications on a connection of its own and invalidates the response cache on
/// each. While it is not connected the cache is switched off; it reconnects by itself.
final class ChangeListener: Sendable {
    let connectionString: String
    let cache: ResponseCache
    let logger: Logger
    private let stopping = Atomic<Bool>(false)
    /// The listener's `application_name` in `pg_stat_activity`.
    static let applicationName = PostgresConnection.defaultApplicationName + " listener"

    init(connectionString: String, cache: ResponseCache, logger: Logger) {
        self.connectionString = connectionString
        self.cache = cache
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "change-listener"
        thread.start()
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    private func run() {
        var delay = 0.2
        while !stopping.load(ordering: .relaxed) {
            do {
                let connection = try PostgresConnection(
                    connectionString: connectionString, applicationName: Self.applicationName)
                defer { connection.close() }
                try connection.listen(Migrations.changeChannel)
                // Anything cached before the listener was connected may have missed a change.
                cache.invalidate()
                cache.setUsable(true)
                delay = 0.2
                while !stopping.load(ordering: .relaxed) {
                    if try !connection.waitForNotifications(timeout: 0.5).isEmpty { cache.invalidate() }
                }
            } catch {
                cache.setUsable(false)
                if !stopping.load(ordering: .relaxed) {
                    logger.warning(
                        "change listener disconnected; reads bypass the cache", metadata: ["error": "\(error)"])
                }
                Thread.sleep(forTimeInterval: delay)
                delay = min(5, delay * 2)
            }
        }
        cache.setUsable(false)
    }
}
