import ArgumentParser
import Foundation
import Gzip
import Storage

/// `seedtest-pipelines bench-encode-attempts`: the ingest floor's input, for `make bench` (not for production). Reads
/// gzip NDJSON attempt files as the ingest route does and writes each as a PostgreSQL binary COPY file encoded by the
/// ingest path's own encoder, in primary-key order as the floor is defined (`AttemptStore.binaryCopyStream`; the route
/// itself streams rows in body order), named after its input with `.pgcopy`. Prints the COPY column list.
struct BenchEncodeAttemptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-encode-attempts", abstract: "Encode NDJSON attempts as binary COPY files.",
        shouldDisplay: false)

    @Option(help: "Directory to write the .pgcopy files to.") var out: String
    @Argument(help: "gzip NDJSON files of attempts.") var files: [String]

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for file in files {
            guard let compressed = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            let body = try Gzip.decompress(Array(compressed), limit: 1 << 30)
            let batch = try AttemptBatch.parse(body, format: .ndjson, maximumRecords: 10_000_000)
            let name = (file as NSString).lastPathComponent.replacingOccurrences(of: ".ndjson.gz", with: "")
            let stream = AttemptStore.binaryCopyStream(batch)
            guard FileManager.default.createFile(atPath: "\(out)/\(name).pgcopy", contents: Data(stream)) else {
                throw ValidationError("cannot write \(out)/\(name).pgcopy")
            }
        }
        print(AttemptStore.copyColumns)
    }
}
