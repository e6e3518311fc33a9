extension FieldReader {
    /// An integer in `range`, or nil when absent.
    public func int(_ name: String, range: ClosedRange<Int>) throws(FieldError) -> Int? {
        guard let value = value(name) else { return nil }
        guard let number = value.integer else {
            let bounds =
                range.upperBound == Int.max ? "≥ \(range.lowerBound)" : "in \(range.lowerBound)…\(range.upperBound)"
            throw failure(name, "must be an integer \(bounds), got \(value.shown)")
        }
        guard number >= range.lowerBound else {
            throw failure(name, "must be ≥ \(range.lowerBound), got \(value.shown)")
        }
        guard number <= range.upperBound else {
            throw failure(name, "must be at most \(range.upperBound), got \(value.shown)")
        }
        return number
    }

    /// An integer in `range`, `fallback` when absent.
    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(FieldError) -> Int {
        try int(name, range: range) ?? fallback
    }

    /// An integer in `range` that must be present (a path parameter such as a run id).
    public func requiredInt(_ name: String, range: ClosedRange<Int>) throws(FieldError) -> Int {
        guard let number = try int(name, range: range) else { throw missing(name) }
        return number
    }

    /// Any integer, clamped into `range` (for parameters the old API clamped instead of refusing).
    public func clampedInt(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(FieldError) -> Int {
        guard let value = value(name) else { return fallback }
        guard let number = value.integer else { throw failure(name, "must be an integer, got \(value.shown)") }
        return min(range.upperBound, max(range.lowerBound, number))
    }

    /// A finite number, or nil when absent.
    public func number(_ name: String) throws(FieldError) -> Double? {
        guard let value = value(name) else { return nil }
        guard let number = value.number else { throw failure(name, "must be a number, got \(value.shown)") }
        return number
    }
}
