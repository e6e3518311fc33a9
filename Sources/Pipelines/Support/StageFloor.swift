import Postgres
import UTCTime

/// The database's own floor under a stage (issue 16): PostgreSQL alone reading the stage's input from `attempts`, the
/// columns the stage's queries use over the windows they read, as a binary `COPY (SELECT …) TO STDOUT` that is drained
/// and dropped. A stage cannot read its input faster than that, so `make bench` prints the stage's time beside it.
///
/// Each stage defines its reads next to its own queries (`…Job+Floor.swift`), built from the same window types its
/// job uses and from the job a request parses into, so the floor follows the stage's parameters and defaults.
public struct StageFloor: Sendable {
    /// A column of `attempts` a stage reads.
    public enum Column: String, Sendable, CaseIterable {
        case userID = "user_id"
        case itemID = "item_id"
        case answeredAt = "answered_at"
        case correct
        case responseTimeMs = "response_time_ms"
        case hints
        case topicID = "topic_id"
        case sessionID = "session_id"
    }

    /// One pass over attempts: `columns` of the attempts answered in `[from, to)` (with `from` nil: every attempt
    /// answered before `to`). The columns in `lateColumns` are read only for attempts answered at or after
    /// `lateFrom` (NULL before it, 4 bytes in the binary format), as a stage does that needs them for part of its
    /// window only.
    public struct Read: Sendable {
        /// What the stage reads this for, for the bench's output.
        public let purpose: String
        public let columns: [Column]
        public let from: Timestamp?
        public let to: Timestamp
        public let lateColumns: Set<Column>
        public let lateFrom: Timestamp?

        init(
            purpose: String, columns: [Column], from: Timestamp?, to: Timestamp, lateColumns: Set<Column> = [],
            lateFrom: Timestamp? = nil
        ) {
            self.purpose = purpose
            self.columns = columns
            self.from = from
            self.to = to
            self.lateColumns = lateColumns
            self.lateFrom = lateFrom
        }

        /// The COPY that streams this read.
        public var query: PostgresQuery {
            var list: PostgresQuery = ""
            for (position, column) in columns.enumerated() {
                let separator: PostgresQuery = position == 0 ? "" : ", "
                if let lateFrom, lateColumns.contains(column) {
                    list =
                        "\(list)\(separator)CASE WHEN answered_at >= \(lateFrom) THEN \(unsafeSQL: column.rawValue) END"
                } else {
                    list = "\(list)\(separator)\(unsafeSQL: column.rawValue)"
                }
            }
            let lower: PostgresQuery = from.map { "answered_at >= \($0) AND " } ?? ""
            return """
                COPY (SELECT \(list) FROM attempts WHERE \(lower)answered_at < \(to)) TO STDOUT (FORMAT binary)
                """
        }
    }

    /// How long one read took and how many rows it streamed.
    public struct Measurement: Sendable {
        public let rows: Int
        public let seconds: Double

        public init(rows: Int, seconds: Double) {
            self.rows = rows
            self.seconds = seconds
        }
    }

    public let stage: Stage
    public let reads: [Read]

    /// The floor under the request's job; nil for a stage whose input is not attempts by window (calibrate-irt).
    public init?(_ request: StageRequest) {
        guard let job = request.job as? any FloorDefining else { return nil }
        stage = request.stage
        reads = job.floorReads
    }

    /// Streams `read` and drops its rows.
    public static func measure(_ read: Read, on connection: PostgresConnection) throws -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        let rows = try connection.copyOut(read.query) { _ in }
        let elapsed = (clock.now - start).components
        return Measurement(rows: rows, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
    }
}

/// A job whose input is attempts by time window: it names the reads of its floor.
protocol FloorDefining {
    var floorReads: [StageFloor.Read] { get }
}
