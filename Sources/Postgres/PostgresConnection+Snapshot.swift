import CLibPQ

extension PostgresConnection {
    /// A new connection to the same server, database and user as this one, with the parameters libpq connected this
    /// one with (`PQconninfo`), except its `application_name`, and with the host, address and port this one reached
    /// (`PQhost`, `PQhostaddr`, `PQport`): a connection string naming several hosts must not send the sibling to
    /// another server, where the exported snapshot does not exist. For reading one snapshot on several connections at
    /// once (`exportSnapshot`, `beginReadOnly(snapshot:)`); the caller closes it.
    public func sibling(applicationName: String) throws(PostgresError) -> PostgresConnection {
        guard !isClosed else { throw PostgresError(.usage, message: "the connection is closed") }
        guard let options = PQconninfo(handle) else {
            throw PostgresError(.connection, message: "libpq could not describe the connection")
        }
        defer { PQconninfoFree(options) }
        var reached: [String: String] = [:]
        for (key, value) in [("host", PQhost(handle)), ("hostaddr", PQhostaddr(handle)), ("port", PQport(handle))] {
            if let value, value.pointee != 0 { reached[key] = String(cString: value) }
        }
        var parts = reached.sorted { $0.key < $1.key }.map { $0.key + "=" + Self.quotedConnectionValue($0.value) }
        var option = options
        while let keyword = option.pointee.keyword {
            defer { option += 1 }
            let key = String(cString: keyword)
            guard key != "application_name", key != "host", key != "hostaddr", key != "port",
                let value = option.pointee.val
            else { continue }
            let text = String(cString: value)
            guard !text.isEmpty else { continue }
            parts.append(key + "=" + Self.quotedConnectionValue(text))
        }
        return try PostgresConnection(connectionString: parts.joined(separator: " "), applicationName: applicationName)
    }

    /// A value in a `key=value` connection string: single-quoted, with backslashes and quotes escaped.
    static func quotedConnectionValue(_ value: String) -> String {
        var quoted = "'"
        for character in value {
            if character == "\\" || character == "'" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "'"
    }

    /// Exports the current snapshot of this connection's open transaction (`pg_export_snapshot()`), for other
    /// connections to read exactly what it sees while that transaction stays open.
    public func exportSnapshot() throws(PostgresError) -> String {
        guard let id: String = try query("SELECT pg_export_snapshot()").first?.decode(0) else {
            throw PostgresError(.decoding, message: "pg_export_snapshot() returned no row")
        }
        return id
    }

    /// Begins a read-only transaction that sees the snapshot `id` exported by another connection's open transaction.
    public func beginReadOnly(snapshot id: String) throws(PostgresError) {
        // SET TRANSACTION SNAPSHOT takes no parameters; an exported snapshot's id is hexadecimal digits and dashes.
        guard !id.isEmpty, id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw PostgresError(.usage, message: "not a snapshot id: \(id)")
        }
        try execute(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '\(unsafeSQL: id)'")
    }
}
