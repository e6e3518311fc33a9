import Postgres
import TestSupport

/// Two service processes (replicas) on one database holding the golden example's attempts, and a connection of the
/// test's own that can hold a run at its write (`holdWrites`), so that a run is surely going while the test looks.
struct TwoReplicas {
    let database: TestDatabase
    let replicas: [ServiceProcess]
    let blocker: PostgresConnection

    init() throws {
        database = try TestDatabase.create()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        let first = try ServiceProcess.serve(databaseURL: database.connectionString)
        do {
            replicas = [first, try ServiceProcess.serve(databaseURL: database.connectionString)]
        } catch {
            first.stop()
            throw error
        }
        do {
            blocker = try database.connect()
        } catch {
            for replica in replicas { replica.stop() }
            throw error
        }
    }

    /// Blocks every KPI run at its write until `releaseWrites`.
    func holdWrites() throws {
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
    }

    func releaseWrites() throws { try blocker.rollback() }

    /// Stops both replicas and closes the blocking connection.
    func stop() {
        for replica in replicas { replica.stop() }
        blocker.close()
    }
}
