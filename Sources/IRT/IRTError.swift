/// A calibration, scoring or parsing failure, with a one-line message that names what was wrong.
public struct IRTError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line, suitable for a log line, an HTTP 422 body or a command-line error.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The calibration stopped because `CalibrationOptions.shouldStop` asked it to.
    public static let stopped = IRTError("the calibration was stopped on request")
}
