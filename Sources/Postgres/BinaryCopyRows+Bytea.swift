/// The binary form of `bytea`, for bulk loads of stored documents.
extension BinaryCopyRows {
    /// A `bytea` value: the bytes as they are.
    public mutating func appendBytea(_ bytes: [UInt8]) {
        startField(length: Int32(bytes.count))
        bytes.withUnsafeBytes { appendBytes($0) }
    }
}
