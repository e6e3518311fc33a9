/// A stage that cannot do its work well and says why, in words an operator can act on. The message is shown to
/// clients as the run's error; other errors are shown as a generic message and logged in full.
public struct StageError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Another run of the stage holds its lock.
public struct RunConflictError: Error, Sendable, CustomStringConvertible {
    public let stage: Stage
    /// The running run, when its record could be read.
    public let runningRunID: Int64?

    public var description: String {
        "\(stage.rawValue) is already running" + (runningRunID.map { " (run \($0))" } ?? "")
    }
}
