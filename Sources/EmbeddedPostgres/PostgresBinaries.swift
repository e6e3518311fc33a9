import Foundation

/// The installed PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`).
struct PostgresBinaries {
    let directory: String

    var initdb: String { directory + "/initdb" }
    var pgCtl: String { directory + "/pg_ctl" }

    /// Finds the newest installed server: `SEEDTEST_PG_BINDIR` if set, then Debian's `/usr/lib/postgresql/N/bin`,
    /// then `PATH`.
    static func locate() throws(EmbeddedPostgresError) -> PostgresBinaries {
        let fileManager = FileManager.default
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["SEEDTEST_PG_BINDIR"] { candidates.append(override) }
        let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("/usr/lib/postgresql/\(version)/bin")
        }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in candidates
        where fileManager.isExecutableFile(atPath: directory + "/initdb")
            && fileManager.isExecutableFile(atPath: directory + "/pg_ctl")
        {
            return PostgresBinaries(directory: directory)
        }
        throw EmbeddedPostgresError(
            "no PostgreSQL server found (looked for initdb and pg_ctl in /usr/lib/postgresql/*/bin and PATH); "
                + "install it with `apt-get install postgresql` or set DATABASE_URL")
    }
}
