import CLibPQ
import UTCTime

/// Builds rows in COPY's text format and sends them in large chunks. Fields are appended in column order;
/// `endRow()` finishes each row.
public struct CopyInWriter {
    let connection: PostgresConnection
    var buffer: [UInt8] = []
    var atRowStart = true
    public private(set) var rowCount = 0
    /// How many bytes are gathered into one CopyData message (text and binary COPY alike). The server reads a message
    /// whole before it parses any of it, so a message larger than the socket's buffer (208 KiB here) leaves it
    /// waiting on the rest while the client waits for room: on the ingest bench, 1 MiB and 256 KiB messages took
    /// 6.7–6.9 s for 1,000,031 rows, 64 KiB and 32 KiB 5.76–5.85 s, as fast as psql's own COPY of the same rows.
    static let flushThreshold = 1 << 16

    init(connection: PostgresConnection) {
        self.connection = connection
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    mutating func separate() {
        if !atRowStart { buffer.append(0x09) }
        atRowStart = false
    }

    public mutating func appendNull() {
        separate()
        buffer.append(contentsOf: [0x5C, UInt8(ascii: "N")])
    }

    /// Text with COPY's escapes for backslash, tab, newline and carriage return.
    public mutating func append(_ text: String) {
        separate()
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            buffer.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            default: buffer.append(byte)
            }
        }
    }

    public mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    public mutating func append(_ value: Int?) {
        separate()
        if let value { buffer.append(contentsOf: String(value).utf8) } else { buffer.append(contentsOf: [0x5C, 0x4E]) }
    }

    public mutating func append(_ value: Double?) {
        separate()
        guard let value else {
            buffer.append(contentsOf: [0x5C, 0x4E])
            return
        }
        let text = value.isNaN ? "NaN" : value.isInfinite ? (value > 0 ? "Infinity" : "-Infinity") : value.description
        buffer.append(contentsOf: text.utf8)
    }

    public mutating func append(_ value: Bool) {
        separate()
        buffer.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    public mutating func append(_ value: Timestamp) {
        separate()
        value.appendRFC3339(to: &buffer)
    }

    public mutating func append(_ value: Day) {
        separate()
        buffer.append(contentsOf: value.iso.utf8)
    }

    /// A `bytea` value in hex form.
    public mutating func append(bytes: [UInt8]) {
        separate()
        buffer.append(contentsOf: [0x5C, 0x5C, UInt8(ascii: "x")])
        let digits = Array("0123456789abcdef".utf8)
        for byte in bytes {
            buffer.append(digits[Int(byte >> 4)])
            buffer.append(digits[Int(byte & 0x0F)])
        }
    }

    public mutating func endRow() throws(PostgresError) {
        buffer.append(0x0A)
        atRowStart = true
        rowCount += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    mutating func flush() throws(PostgresError) { try connection.putCopyData(&buffer) }
}

extension PostgresConnection {
    /// Runs `COPY … FROM STDIN` (text format) with the rows `body` writes, and returns the number of rows copied.
    /// If `body` throws, the COPY is aborted and the error rethrown.
    @discardableResult
    public func copyIn(_ query: PostgresQuery, _ body: (inout CopyInWriter) throws -> Void) throws -> Int {
        var writer = CopyInWriter(connection: self)
        try copyIn(query) {
            try body(&writer)
            try writer.flush()
        }
        return writer.rowCount
    }

    /// Starts `COPY … FROM STDIN`, runs `send` (which puts all the data), then ends the COPY and waits for its
    /// result. If `send` throws, the COPY is aborted (nothing it sent is kept) and the error rethrown.
    func copyIn(_ query: PostgresQuery, send: () throws -> Void) throws {
        try startCopy(query, expecting: PGRES_COPY_IN, "COPY FROM STDIN")
        do {
            try send()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by the client")
            try? drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError() }
        try drainResults()
    }

    /// Runs a COPY statement and checks that the server entered the expected COPY state; a statement that fails
    /// throws its error, one that is not the expected COPY throws a usage error. COPY takes no parameters: the
    /// query's are written into its text as escaped literals.
    func startCopy(_ query: PostgresQuery, expecting status: ExecStatusType, _ what: String) throws(PostgresError) {
        guard !isClosed else { throw PostgresError(.usage, message: "the connection is closed") }
        guard let start = PQexec(handle, try inlined(query)) else { throw connectionError() }
        defer { PQclear(start) }
        guard PQresultStatus(start) == status else {
            try check(start)
            throw PostgresError(.usage, message: "statement did not start \(what)")
        }
    }

    /// Sends `buffer` as COPY data and empties it, keeping its capacity.
    func putCopyData(_ buffer: inout [UInt8]) throws(PostgresError) {
        guard buffer.withUnsafeBytes({ sendCopyData($0) }) else { throw connectionError() }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Sends `bytes` as COPY data.
    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) {
        guard sendCopyData(bytes) else { throw connectionError() }
    }

    private func sendCopyData(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
        return PQputCopyData(handle, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) == 1
    }

    /// Reads results until libpq returns NULL, throwing the first error; the connection is idle afterwards.
    func drainResults() throws(PostgresError) {
        var firstError: PostgresError?
        while let result = PQgetResult(handle) {
            do {
                try check(result)
            } catch {
                if firstError == nil { firstError = error }
            }
            PQclear(result)
        }
        if let firstError { throw firstError }
        if PQstatus(handle) != CONNECTION_OK { throw connectionError() }
    }
}
