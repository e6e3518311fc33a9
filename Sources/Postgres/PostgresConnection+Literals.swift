import CLibPQ

extension PostgresConnection {
    /// The text of `query` with each parameter written as an escaped, typed literal, for the statements that take no
    /// parameters (COPY). libpq escapes the text for this connection's encoding; a NULL becomes `NULL`.
    func inlined(_ query: PostgresQuery) throws(PostgresError) -> String {
        guard !query.binds.isEmpty else { return query.sql }
        var sql = ""
        try query.withTextSegments { (text, bind) throws(PostgresError) in
            sql += text
            if let bind { sql += try literal(query.binds[bind]) }
        }
        return sql
    }

    /// One parameter as a literal, cast to its type when the type is known.
    private func literal(_ parameter: PostgresParameter) throws(PostgresError) -> String {
        guard let bytes = parameter.bytes else { return "NULL" }
        let cast = PostgresType.name(parameter.oid).map { "::" + $0 } ?? ""
        if parameter.isBinary {
            guard parameter.oid == PostgresType.bytea else {
                throw PostgresError(
                    .usage, message: "a binary parameter of type OID \(parameter.oid) cannot be inlined")
            }
            let digits = Array("0123456789abcdef".utf8)
            var hex: [UInt8] = Array("'\\x".utf8)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0F)])
            }
            hex.append(UInt8(ascii: "'"))
            return String(decoding: hex, as: UTF8.self) + cast
        }
        let escaped = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PQescapeLiteral(handle, $0.baseAddress, buffer.count) }
        }
        guard let escaped else { throw connectionError() }
        defer { PQfreemem(escaped) }
        return String(cString: escaped) + cast
    }
}

extension PostgresType {
    /// The SQL name of the types parameters are sent as, for casts; nil for others (the server infers them).
    static func name(_ oid: UInt32) -> String? {
        switch oid {
        case bool: "boolean"
        case bytea: "bytea"
        case int8: "int8"
        case int2: "int2"
        case int4: "int4"
        case text: "text"
        case float4: "float4"
        case float8: "float8"
        case date: "date"
        case timestamp: "timestamp"
        case timestamptz: "timestamptz"
        case numeric: "numeric"
        case json: "json"
        case jsonb: "jsonb"
        case textArray: "text[]"
        default: nil
        }
    }
}
