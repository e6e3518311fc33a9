import Foundation
import JSON
import Pipelines
import Storage
import TestSupport
import Testing
import UTCTime

/// openapi.yaml describes exactly the routes that exist, and real responses of every route match its schemas.
@Suite(.ownThreads) struct OpenAPIContractTests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../openapi.yaml"
    ).standardizedFileURL.path
    static let checker = URL(fileURLWithPath: specPath).deletingLastPathComponent().appendingPathComponent(
        "scripts/openapi-check.py"
    ).path

    @Test func documentedRoutesAreExactlyTheServedOnes() throws {
        let listing = try python([
            "-c",
            "import yaml,sys\nd=yaml.safe_load(open(sys.argv[1]))\n"
                + "for p,ops in d['paths'].items():\n  for m in ops:\n    print(m.upper(), p)",
            Self.specPath,
        ])
        let documented = Set(listing.split(separator: "\n").map(String.init))
        let app = try TestService()
        defer { app.stop() }
        var served: Set<String> = []
        for route in app.service.routes {
            if route.template == "/v1/pipelines/{stage}" {
                for stage in Stage.allCases { served.insert("\(route.method) /v1/pipelines/\(stage.rawValue)") }
            } else {
                served.insert("\(route.method) \(route.template)")
            }
        }
        let bundled = try app.request("GET", "/openapi.yaml")
        #expect(
            String(decoding: bundled.body, as: UTF8.self)
                == (try String(contentsOfFile: Self.specPath, encoding: .utf8)),
            "the served document (Sources/Service/Resources/openapi.yaml) is a copy of the repository's openapi.yaml")
        #expect(served.subtracting(documented).sorted() == [], "served but not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
        _ = try python([
            "-c",
            "import yaml,sys\nfrom openapi_spec_validator import validate\nvalidate(yaml.safe_load(open(sys.argv[1])))",
            Self.specPath,
        ])
    }

    @Test func responsesMatchTheDocumentedSchemas() throws {
        let app = try TestService()
        defer { app.stop() }
        try app.loadSmallDemo()
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        var samples: [JSONValue] = []
        func record(
            _ method: String, _ path: String, _ template: String, json: JSONValue? = nil,
            token: String? = TestService.adminToken
        ) throws -> JSONValue? {
            let response = try app.request(method, path, json: json, token: token)
            guard response.header("Content-Type") == "application/json" else { return nil }
            let body = try app.json(response)
            samples.append([
                "method": .string(method), "path": .string(template), "status": .int(Int64(response.status)),
                "body": body,
            ])
            return body
        }
        let week = Day.today().weekStart.iso
        for stage in Stage.allCases {
            let body: JSONValue =
                stage == .calibrateIRT
                ? ["min_item_responses": 5] : stage == .generateWeeklyReport ? ["week_start": .string(week)] : [:]
            _ = try record("POST", "/v1/pipelines/\(stage.rawValue)", "/v1/pipelines/\(stage.rawValue)", json: body)
        }
        _ = try record(
            "POST", "/v1/pipelines/compute-daily-kpis?wait=false", "/v1/pipelines/compute-daily-kpis",
            json: ["dry_run": true])
        _ = try record("POST", "/v1/pipelines/compute-daily-kpis", "/v1/pipelines/compute-daily-kpis", json: ["bad": 1])
        _ = try record(
            "POST", "/v1/pipelines/calibrate-irt", "/v1/pipelines/calibrate-irt", json: ["min_item_responses": 100000])
        _ = try record(
            "POST", "/v1/attempts", "/v1/attempts",
            json: [["user_id": "x", "item_id": "y", "correct": true, "answered_at": "2026-11-01T00:00:00Z"]])
        _ = try record("POST", "/v1/attempts", "/v1/attempts", json: [["user_id": "x"]])
        _ = try record("POST", "/v1/items", "/v1/items", json: [["item_id": "new-item", "topic_id": "t"]])
        _ = try record("POST", "/v1/users/u000001/ability/estimate", "/v1/users/{user_id}/ability/estimate", json: [:])
        _ = try record(
            "POST", "/v1/users/u000001/ability/estimate", "/v1/users/{user_id}/ability/estimate",
            json: ["responses": [["item_id": "none", "correct": true]]])
        let reads: [(String, String)] = [
            ("/healthz", "/healthz"), ("/readyz", "/readyz"), ("/v1/runs?limit=2", "/v1/runs"),
            ("/v1/runs/1", "/v1/runs/{run_id}"), ("/v1/runs/999999", "/v1/runs/{run_id}"),
            ("/v1/users/u000001/kpis", "/v1/users/{user_id}/kpis"),
            ("/v1/users/nobody/kpis", "/v1/users/{user_id}/kpis"),
            ("/v1/kpis?limit=2", "/v1/kpis"),
            ("/v1/users/golden_u2/features?from=2026-10-01&to=2026-11-30", "/v1/users/{user_id}/features"),
            ("/v1/users/u000001/features", "/v1/users/{user_id}/features"),
            ("/v1/inactive-users?limit=3", "/v1/inactive-users"),
            ("/v1/users/u000001/ability", "/v1/users/{user_id}/ability"), ("/v1/abilities?limit=3", "/v1/abilities"),
            ("/v1/items?limit=3", "/v1/items"), ("/v1/items/q0001", "/v1/items/{item_id}"),
            ("/v1/items/new-item", "/v1/items/{item_id}"),
            ("/v1/items/zzz", "/v1/items/{item_id}"), ("/v1/calibrations", "/v1/calibrations"),
            ("/v1/calibrations/999999", "/v1/calibrations/{run_id}"),
            ("/v1/users/u000001/reports", "/v1/users/{user_id}/reports"),
            ("/v1/users/u000001/reports/2026-01-05", "/v1/users/{user_id}/reports/{week_start}"),
            ("/api/seedtest/analysis/metrics/weekly?user_id=u000001", "/api/seedtest/analysis/metrics/weekly"),
            ("/api/seedtest/analysis/metrics/weekly?user_id=nobody", "/api/seedtest/analysis/metrics/weekly"),
        ]
        for (path, template) in reads { _ = try record("GET", path, template) }
        _ = try record("GET", "/v1/runs", "/v1/runs", token: nil)
        if let calibrations = try record("GET", "/v1/calibrations", "/v1/calibrations"),
            let id = calibrations["calibrations"]?.arrayValue?.first?["run_id"]?.intValue
        {
            _ = try record("GET", "/v1/calibrations/\(id)", "/v1/calibrations/{run_id}")
        }
        let statuses = Set(samples.compactMap { $0["status"]?.intValue })
        // A calibration without enough data is a 422 (`insufficient_data`), so no sample here is a 500.
        #expect(statuses.isSuperset(of: [200, 202, 400, 401, 404, 422]))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "openapi-samples-\(UUID().uuidString).jsonl")
        try samples.map(\.jsonText).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try python([Self.checker, Self.specPath, file.path])
        #expect(output.contains("0 problems"), "\(output)")
    }
}
