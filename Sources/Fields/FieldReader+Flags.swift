import UTCTime

extension FieldReader {
    /// A boolean (text: true/false, 1/0, yes/no), or nil when absent.
    public func bool(_ name: String) throws(FieldError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard let flag = value.bool else { throw failure(name, "must be true or false, got \(value.shown)") }
        return flag
    }

    public func bool(_ name: String, default fallback: Bool) throws(FieldError) -> Bool {
        try bool(name) ?? fallback
    }

    public func requiredBool(_ name: String) throws(FieldError) -> Bool {
        guard let flag = try bool(name) else { throw missing(name) }
        return flag
    }

    /// An RFC 3339 date-time with a time zone, or nil when absent.
    public func timestamp(_ name: String) throws(FieldError) -> Timestamp? {
        guard let value = value(name) else { return nil }
        guard let text = value.string, let time = Timestamp(rfc3339: text) else {
            throw failure(name, "must be an RFC 3339 date-time with a time zone, got \(value.shown)")
        }
        return time
    }

    public func requiredTimestamp(_ name: String) throws(FieldError) -> Timestamp {
        guard let time = try timestamp(name) else { throw missing(name) }
        return time
    }
}
