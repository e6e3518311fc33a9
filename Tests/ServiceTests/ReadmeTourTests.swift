import Foundation
import JSON
import TestSupport
import Testing

/// The README's curl tour against the service as `make run` starts it (demo data loaded on the first start, then its
/// days backfilled in the background): once the backfill is done, every command answers 2xx with data, so the README
/// and the demo cannot drift apart.
@Suite(.ownThreads) struct ReadmeTourTests {
    static let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../README.md"
    ).standardizedFileURL.path

    /// The first shell block after "## A tour with curl".
    static func tourScript() throws -> String {
        let readme = try String(contentsOfFile: readmePath, encoding: .utf8)
        guard let section = readme.range(of: "## A tour with curl"),
            let open = readme.range(of: "```sh\n", range: section.upperBound..<readme.endIndex),
            let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex)
        else { throw TourError("README.md has no shell block under '## A tour with curl'") }
        return String(readme[open.upperBound..<close.lowerBound])
    }

    struct TourError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func everyTourCommandAnswersWithDataAfterTheDemoBackfill() throws {
        let app = try TestService { configuration in
            configuration.loadDemoDataIfEmpty = true
            configuration.adminToken = nil
            configuration.readToken = nil
        }
        defer { app.stop() }
        // The demo's backfill started with the service; wait for it.
        let deadline = Date(timeIntervalSinceNow: 900)
        var backfill: JSONValue = .null
        repeat {
            Thread.sleep(forTimeInterval: 0.5)
            backfill =
                try app.json(app.request("GET", "/v1/backfills", token: nil))["backfills"]?.arrayValue?.first ?? .null
        } while backfill["status"] == "running" && Date() < deadline
        #expect(backfill["status"] == "succeeded", "\(backfill)")
        #expect(backfill["days_total"] == 56)

        let directory = NSTemporaryDirectory() + "tour-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Every `curl` of the tour goes through a function that records its status and keeps its body.
        let preamble = """
            set -u
            cd '\(directory)'
            : > log
            curl() {
              local n body code
              n=$(wc -l < log)
              body="body-$n"
              code=$(command curl -sS -o "$body" -w '%{http_code}' "$@") || code=000
              printf '%s\\t%s\\t%s\\n' "$code" "$body" "$*" >> log
              cat "$body"
            }

            """
        let script =
            preamble + (try Self.tourScript()).replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(app.port)")
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-c", script]
        bash.standardOutput = FileHandle.nullDevice
        try bash.run()
        bash.waitForExitStatus()
        let log = try String(contentsOfFile: directory + "/log", encoding: .utf8)
        let calls = log.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 2).map(String.init) }
        #expect(calls.count >= 30, "the tour's curl commands ran")
        for call in calls where call.count == 3 {
            let (code, bodyFile, arguments) = (call[0], call[1], call[2])
            #expect(code.hasPrefix("2"), "HTTP \(code): curl \(arguments)")
            let body = (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + bodyFile))) ?? Data()
            #expect(!body.isEmpty, "a body: curl \(arguments)")
            guard let json = try? JSONParser.parse(Array(body)), let object = json.objectValue else { continue }
            // Lists that are rightly empty on the demo's clean data: nothing skipped, no item flagged for review.
            if arguments.contains("flagged=true") { continue }
            for (key, value) in object.members where key != "items_skipped" {
                guard let list = value.arrayValue else { continue }
                #expect(!list.isEmpty, "\(key) has entries: curl \(arguments)")
            }
        }
    }
}
