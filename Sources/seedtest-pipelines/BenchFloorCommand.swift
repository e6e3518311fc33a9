import ArgumentParser
import Foundation
import JSON
import Pipelines
import Postgres
import UTCTime

/// `seedtest-pipelines bench-floor`: the database's floor under a stage, for `make bench` (not for production). Parses
/// the stage's parameters as a trigger would, then streams the stage's input with binary COPY (`StageFloor`), and
/// prints one line per read and a total: `<seconds> s <rows> rows`.
struct BenchFloorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-floor", abstract: "Time PostgreSQL reading a stage's input.", shouldDisplay: false)

    @Option(help: "libpq connection string of the database (a running service's).") var databaseURL: String
    @Option(help: "The stage.") var stage: String
    @Option(help: "The stage's JSON parameters, as a trigger's body.") var parameters = "{}"
    @Option(help: "The UTC day the parameters' defaults are taken from (default today).") var today: String?

    func run() throws {
        guard let stage = Stage(rawValue: stage) else { throw ValidationError("no stage \(stage)") }
        guard let body = try JSONParser.parse(Array(parameters.utf8)).objectValue else {
            throw ValidationError("--parameters must be a JSON object")
        }
        var day = Day.today()
        if let today {
            guard let given = Day(iso: today) else { throw ValidationError("--today takes a day, YYYY-MM-DD") }
            day = given
        }
        let request = try StageRequest.parse(stage: stage, body: body, today: day)
        guard let floor = StageFloor(request) else { throw ValidationError("\(stage.rawValue) has no floor") }
        let connection = try PostgresConnection(connectionString: databaseURL, applicationName: "bench-floor")
        defer { connection.close() }
        var total = StageFloor.Measurement(rows: 0, seconds: 0)
        for read in floor.reads {
            let measured = try StageFloor.measure(read, on: connection)
            print("\(read.purpose): \(Self.figure(measured))")
            total = StageFloor.Measurement(rows: total.rows + measured.rows, seconds: total.seconds + measured.seconds)
        }
        print("total: \(Self.figure(total))")
    }

    static func figure(_ measured: StageFloor.Measurement) -> String {
        String(format: "%.3f s %d rows", measured.seconds, measured.rows)
    }
}
