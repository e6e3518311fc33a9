import JSON
import Synchronization

/// What a running run reports while it works (its phase and how far it got) and whether it was asked to stop.
///
/// Stages update it from any thread (`begin`, `tick`); the run's monitor (`PipelineRunner+Monitor.swift`) writes it
/// to the run's row outside the run's transaction, so every replica shows it. Cancelling the run (`RunHandle`) sets
/// the stop flag, which `check` and `tick` turn into a `RunCancelledError` at the stage's next loop step, so a run
/// computing in Swift stops as promptly as one inside a statement.
public final class RunProgress: Sendable {
    /// One reading: `done` of `total` units of `phase` (`total` nil when not known in advance).
    public struct Snapshot: Sendable, Equatable {
        public var phase: String
        public var done: Int
        public var total: Int?

        public var json: JSONValue {
            .object(
                JSONObject([
                    ("phase", .string(phase)), ("done", .int(Int64(done))),
                    ("total", total.map { .int(Int64($0)) } ?? .null),
                ]))
        }
    }

    private let state = Mutex<Snapshot?>(nil)
    private let stopRequested = Atomic<Bool>(false)

    public init() {}

    /// How many steps of a per-learner loop may pass between two `tick`s: often enough to stop within milliseconds,
    /// rarely enough to cost nothing.
    public static let stride = 256

    /// The latest reading; nil before the stage reported anything.
    public var snapshot: Snapshot? { state.withLock { $0 } }

    /// Starts a phase at 0 done, then checks for a stop request.
    public func begin(_ phase: String, total: Int? = nil) throws {
        state.withLock { $0 = Snapshot(phase: phase, done: 0, total: total) }
        try check()
    }

    /// Records `done` units of the current phase, then checks for a stop request. Cheap enough for every few
    /// hundred steps of a loop.
    public func tick(_ done: Int) throws {
        state.withLock { $0?.done = done }
        try check()
    }

    /// Adds `count` units done to the current phase (for work spread over threads), then checks for a stop request.
    public func advance(by count: Int = 1) throws {
        state.withLock { $0?.done += count }
        try check()
    }

    /// Throws `RunCancelledError` once the run was asked to stop.
    public func check() throws {
        if stopRequested.load(ordering: .relaxed) { throw RunCancelledError() }
    }

    /// Whether the run was asked to stop.
    public var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }

    /// The stop flag as a plain closure, for code that must not know about runs (the IRT module's EM loop).
    public var stopCheck: @Sendable () -> Bool { { [self] in shouldStop } }

    /// Asks the stage to stop at its next check.
    func requestStop() {
        stopRequested.store(true, ordering: .relaxed)
    }
}

/// Thrown by `RunProgress.check` when the run was asked to stop; the runner records the run `cancelled` with the
/// reason given to the cancel request.
public struct RunCancelledError: Error, CustomStringConvertible {
    public var description: String { "the run was cancelled" }
}
