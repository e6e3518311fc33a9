import CLibPQ
import UTCTime

/// One row of a binary `COPY … TO STDOUT`: its fields as bytes in PostgreSQL's binary format. The row points into
/// libpq's buffer and is valid only during the callback it is passed to.
public struct CopyOutRow {
    let chunk: UnsafeRawBufferPointer
    /// Start offset and length of each field in `chunk`; a start of -1 is NULL.
    let fields: UnsafeBufferPointer<Int>
    public let fieldCount: Int

    /// The field's bytes, nil for NULL.
    public func bytes(_ index: Int) throws(PostgresError) -> UnsafeRawBufferPointer? {
        guard index >= 0 && index < fieldCount else {
            throw PostgresError(.decoding, message: "COPY row has no field \(index) (it has \(fieldCount))")
        }
        let start = fields[2 * index]
        guard start >= 0 else { return nil }
        return UnsafeRawBufferPointer(rebasing: chunk[start..<start + fields[2 * index + 1]])
    }

    /// An `int4` or `int8` field; nil for NULL.
    public func integer(_ index: Int) throws(PostgresError) -> Int64? {
        guard let bytes = try bytes(index) else { return nil }
        switch bytes.count {
        case 4: return Int64(bytes.bigEndian(Int32.self))
        case 8: return bytes.bigEndian(Int64.self)
        default: throw PostgresError(.decoding, message: "COPY field \(index) is not an integer")
        }
    }

    /// A `boolean` field; nil for NULL.
    public func boolean(_ index: Int) throws(PostgresError) -> Bool? {
        guard let bytes = try bytes(index) else { return nil }
        guard bytes.count == 1 else { throw PostgresError(.decoding, message: "COPY field \(index) is not a boolean") }
        return bytes[0] != 0
    }

    /// A `timestamptz` field; nil for NULL.
    public func timestamp(_ index: Int) throws(PostgresError) -> Timestamp? {
        guard let bytes = try bytes(index) else { return nil }
        guard bytes.count == 8 else {
            throw PostgresError(.decoding, message: "COPY field \(index) is not a timestamp")
        }
        return Timestamp(microseconds: bytes.bigEndian(Int64.self) + postgresEpochMicroseconds)
    }
}

/// Splits the messages of a binary COPY into rows. The field offsets live in one buffer reused for every row.
struct CopyOutParser: ~Copyable {
    private var offsets: UnsafeMutableBufferPointer<Int>
    private var headerRead = false

    init() { offsets = .allocate(capacity: 32) }
    deinit { offsets.deallocate() }

    /// Calls `body` for each row of one message from the server.
    mutating func parse(_ chunk: UnsafeRawBufferPointer, _ body: (CopyOutRow) throws -> Void) throws -> Int {
        var offset = 0
        if !headerRead {
            offset = try Self.skipHeader(chunk)
            headerRead = true
        }
        var rows = 0
        while offset + 2 <= chunk.count {
            let fieldCount = Int(chunk.bigEndian(Int16.self, at: offset))
            offset += 2
            if fieldCount < 0 { break }  // the trailer
            if 2 * fieldCount > offsets.count {
                offsets.deallocate()
                offsets = .allocate(capacity: 2 * fieldCount)
            }
            for field in 0..<fieldCount {
                guard offset + 4 <= chunk.count else { throw Self.truncated }
                let length = Int(chunk.bigEndian(Int32.self, at: offset))
                offset += 4
                offsets[2 * field] = length < 0 ? -1 : offset
                offsets[2 * field + 1] = max(0, length)
                guard offset + max(0, length) <= chunk.count else { throw Self.truncated }
                offset += max(0, length)
            }
            try body(CopyOutRow(chunk: chunk, fields: UnsafeBufferPointer(offsets), fieldCount: fieldCount))
            rows += 1
        }
        guard offset == chunk.count else { throw Self.truncated }
        return rows
    }

    /// Skips the header of the binary format (signature, flags, extension area); returns the offset after it.
    static func skipHeader(_ chunk: UnsafeRawBufferPointer) throws(PostgresError) -> Int {
        let signature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]
        guard chunk.count >= 19, chunk.prefix(11).elementsEqual(signature) else {
            throw PostgresError(.decoding, message: "COPY output is not in the binary format")
        }
        let extensionLength = Int(chunk.bigEndian(UInt32.self, at: 15))
        guard chunk.count >= 19 + extensionLength else { throw truncated }
        return 19 + extensionLength
    }

    static let truncated = PostgresError(.decoding, message: "a COPY row ended early")
}

extension PostgresConnection {
    /// Runs `COPY (…) TO STDOUT (FORMAT binary)` and calls `body` for each row as it arrives, so that a result of
    /// millions of rows never sits in memory. Returns the number of rows. COPY takes no parameters: the query's are
    /// written into the statement as escaped literals. If `body` throws, the remaining rows are read and discarded
    /// (the connection stays usable) and the error is rethrown.
    @discardableResult
    public func copyOut(_ query: PostgresQuery, _ body: (CopyOutRow) throws -> Void) throws -> Int {
        try startCopy(query, expecting: PGRES_COPY_OUT, "COPY TO STDOUT")
        var parser = CopyOutParser()
        var rows = 0
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length == -1 { break }
            guard length >= 0, let buffer else { throw connectionError() }
            defer { PQfreemem(buffer) }
            guard failure == nil else { continue }
            do {
                rows += try parser.parse(UnsafeRawBufferPointer(start: buffer, count: Int(length)), body)
            } catch {
                failure = error
            }
        }
        try drainResults()
        if let failure { throw failure }
        return rows
    }
}
