/// What a shutdown did. Work is cut off when runs were still going at the end of the grace period (they are
/// cancelled: rolled back, recorded `cancelled`, their waiting clients answered 503) or when connections had to be
/// closed unanswered; `serve` then exits with status 3 instead of 0.
public struct ShutdownOutcome: Sendable, Equatable {
    /// The runs cancelled because the grace period was over.
    public var cancelledRunIDs: [Int64] = []
    /// Whether connections were closed with requests unanswered.
    public var closedUnansweredConnections = false

    public init(cancelledRunIDs: [Int64] = [], closedUnansweredConnections: Bool = false) {
        self.cancelledRunIDs = cancelledRunIDs
        self.closedUnansweredConnections = closedUnansweredConnections
    }

    /// Whether any work was cut off.
    public var cutOff: Bool { !cancelledRunIDs.isEmpty || closedUnansweredConnections }

    /// The exit status of `serve` after a shutdown that cut work off.
    public static let cutOffExitStatus: Int32 = 3

    /// How long, after the grace period, the service takes to cancel runs and answer their clients before closing
    /// the connections left (the whole shutdown stays within the grace period plus 5 s).
    public static let cutOffAnswerPeriod = 4.0
}
