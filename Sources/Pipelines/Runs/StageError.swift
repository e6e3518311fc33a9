/// A stage that cannot do its work well and says why, in words an operator can act on. The message is shown to
/// clients as the run's error; other errors are shown as a generic message and logged in full.
public struct StageError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// The data the run was asked to work on cannot support it (too few answers to calibrate): the request was fine
    /// and the server did nothing wrong, so the client is told 422, not 500. The run is still recorded as failed.
    public let insufficientData: Bool

    public init(_ message: String, insufficientData: Bool = false) {
        self.message = message
        self.insufficientData = insufficientData
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
