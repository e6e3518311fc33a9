import DemoData
import Foundation
import JSON
import Postgres
import Storage
import TestSupport
import Testing
import UTCTime

/// calibrate-irt through the HTTP route on demo data with known parameters.
@Suite(.ownThreads) struct CalibrationRouteTests {
    static func demo(_ app: TestService, learners: Int = 1200, items: Int = 40) throws {
        var options = DemoDataOptions()
        options.learners = learners
        options.items = items
        options.days = 28
        options.seed = 11
        _ = try DemoData.load(options, into: app.database.pool, logger: TestServer.quietLogger)
    }

    func query<T: PostgresDecodable>(_ app: TestService, _ sql: PostgresQuery) throws -> T {
        try app.database.pool.withConnection { try $0.query(sql)[0].decode(0) }
    }

    @Test func recoversKnownParametersKeepsAnchorsAndTracksDrift() throws {
        let app = try TestService()
        defer { app.stop() }
        try Self.demo(app)
        let response = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["update_items": true])
        #expect(response.status == 200)
        let run = try app.json(response)
        #expect(run["counts"]?["converged"] == true)
        #expect(run["counts"]?["anchors"] == 3)
        let rmse: Double = try query(
            app,
            """
            SELECT sqrt(avg(((p.params->>'b')::float8 - t.b)^2) + 0 * avg(1))
            FROM mirt_item_params p JOIN demo_item_truth t USING (item_id) WHERE NOT t.anchor
            """)
        let rmseA: Double = try query(
            app,
            """
            SELECT sqrt(avg(((p.params->>'a')::float8 - t.a)^2))
            FROM mirt_item_params p JOIN demo_item_truth t USING (item_id) WHERE NOT t.anchor
            """)
        #expect(rmse < 0.25, "b RMSE \(rmse)")
        #expect(rmseA < 0.25, "a RMSE \(rmseA)")
        let anchorsMoved: Int = try query(
            app,
            """
            SELECT count(*) FROM mirt_item_params p JOIN items i USING (item_id)
            WHERE i.anchor AND ((p.params->>'a')::float8 <> i.a OR (p.params->>'b')::float8 <> i.b
                OR (p.params->>'c')::float8 <> i.c)
            """)
        #expect(anchorsMoved == 0, "anchor parameters stay exactly fixed")
        let updated: Int = try query(app, "SELECT count(*) FROM items WHERE NOT anchor AND a IS NOT NULL")
        #expect(updated == 37, "update_items writes the non-anchor items")

        // Change the data of one item and calibrate again: history grows and the item is flagged.
        let item: String = try query(
            app, "SELECT item_id FROM demo_item_truth WHERE NOT anchor ORDER BY item_id LIMIT 1")
        try app.database.pool.withConnection {
            _ = try $0.query("UPDATE attempts SET correct = NOT correct WHERE item_id = \(item)")
        }
        let second = try app.json(app.request("POST", "/v1/pipelines/calibrate-irt", json: [:]))
        #expect((second["counts"]?["drifted_items"]?.intValue ?? 0) >= 1)
        let id = try #require(second["run_id"]?.intValue)
        let meta = try app.json(app.request("GET", "/v1/calibrations/\(id)", token: TestService.readToken))
        let flagged = meta["metrics"]?["drift"]?["flagged"]?.arrayValue ?? []
        #expect(flagged.contains { $0["item_id"]?.stringValue == item })
        #expect(meta["metrics"]?["linking"]?["anchors"] == 3)
        // The flipped item is now miskeyed: item fit flags it, with its reasons.
        let fit = meta["metrics"]?["fit"]
        let misfit = fit?["flagged"]?.arrayValue?.first { $0["item_id"]?.stringValue == item }
        #expect(misfit?["rules"]?.arrayValue?.contains("negative_item_rest") == true, "\(String(describing: misfit))")
        #expect(misfit?["reasons"]?.arrayValue?.isEmpty == false)
        #expect((second["counts"]?["flagged_items"]?.intValue ?? 0) >= 1)
        #expect(fit?["reliability"]?.doubleValue.map { $0 > 0.3 && $0 < 1 } == true)
        #expect(fit?["information"]?["values"]?.arrayValue?.count == 61)
        let topics = fit?["topics"]?.arrayValue ?? []
        #expect(!topics.isEmpty && topics.allSatisfy { $0["information"]?.arrayValue?.count == 61 })
        #expect(topics.allSatisfy { $0["reliability"]?.doubleValue.map { $0 < 1 } == true })
        #expect(topics.reduce(0) { $0 + ($1["items"]?.intValue ?? 0) } <= 40)
        #expect(fit?["s_x2_not_computed"]?.stringValue?.contains("incomplete") == true)
        let detail = try app.json(app.request("GET", "/v1/items/\(item)"))
        #expect(detail["params"]?["fit"]?["flagged"] == true)
        #expect(detail["params"]?["fit"]?["outfit"]?.doubleValue != nil)
        #expect(detail["plot"]?.stringValue == "/v1/items/\(item)/plot")
        let plot = try app.request("GET", "/v1/items/\(item)/plot")
        #expect(plot.status == 200 && plot.header("Content-Type") == "image/svg+xml")
        let svg = String(decoding: plot.body, as: UTF8.self)
        #expect(svg.hasPrefix("<svg") && svg.contains("FLAGGED:") && svg.contains("<circle"))
        let review = try app.json(app.request("GET", "/v1/items?flagged=true&limit=500"))
        let listed = review["items"]?.arrayValue?.compactMap { $0["item_id"]?.stringValue } ?? []
        #expect(listed.contains(item))
        #expect(listed.count == second["counts"]?["flagged_items"]?.intValue.map { Int($0) })
        #expect(detail["history"]?.arrayValue?.count == 2)
        #expect(detail["anchor"] == false)
        let list = try app.json(app.request("GET", "/v1/calibrations"))
        #expect(list["calibrations"]?.arrayValue?.count == 2)
        let items = try app.json(app.request("GET", "/v1/items?limit=500"))
        #expect(items["items"]?.arrayValue?.count == 40)

        // Abilities: latest with history, and the online estimate equals the calibration's EAP.
        let user: String = try query(app, "SELECT user_id FROM mirt_ability ORDER BY user_id LIMIT 1")
        let ability = try app.json(app.request("GET", "/v1/users/\(user)/ability"))
        #expect(ability["history"]?.arrayValue?.count == 2)
        let estimate = try app.json(app.request("POST", "/v1/users/\(user)/ability/estimate", json: [:]))
        #expect(estimate["source"] == "stored")
        let stored = try #require(ability["theta"]?.doubleValue)
        #expect(abs((estimate["theta"]?.doubleValue ?? 99) - stored) < 1e-9)
        #expect(abs((estimate["se"]?.doubleValue ?? 99) - (ability["se"]?.doubleValue ?? 0)) < 1e-9)
        let abilities = try app.json(app.request("GET", "/v1/abilities?limit=5"))
        #expect(abilities["items"]?.arrayValue?.count == 5)
    }

    @Test func onlineEstimateOfAGivenPattern() throws {
        let app = try TestService()
        defer { app.stop() }
        try Self.demo(app, learners: 400, items: 30)
        _ = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["min_item_responses": 10])
        let pattern: JSONValue = [
            "responses": [["item_id": "q0001", "correct": true], ["item_id": "nope", "correct": false]],
            "method": "MAP",
        ]
        let raw = try app.request("POST", "/v1/users/someone/ability/estimate", json: pattern)
        #expect(raw.status == 200, "\(raw.text)")
        let estimate = try app.json(raw)
        #expect(estimate["items_used"] == 1)
        #expect(estimate["items_skipped"] == ["nope"])
        #expect(estimate["method"] == "MAP")
        let none: JSONValue = ["responses": [["item_id": "nope", "correct": true]]]
        #expect(try app.request("POST", "/v1/users/someone/ability/estimate", json: none).status == 422)
        let repeated: JSONValue = [
            "responses": [["item_id": "a", "correct": true], ["item_id": "a", "correct": true]]
        ]
        #expect(try app.request("POST", "/v1/users/someone/ability/estimate", json: repeated).status == 400)
        #expect(try app.request("GET", "/v1/users/nobody/ability").status == 404)
    }

    /// A calibration is as of its `date` (default yesterday): its rows record it, the reads show it on every estimate,
    /// and a calibration as of an earlier day, run later, joins the history without replacing the latest estimate.
    @Test func calibrationsAreAsOfTheirDate() throws {
        let app = try TestService()
        defer { app.stop() }
        try Self.demo(app)
        let yesterday = Day.today().advanced(by: -1).iso
        let earlier = Day.today().advanced(by: -5).iso
        let older = Day.today().advanced(by: -9).iso
        let first = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["date": .string(earlier)])
        #expect(first.status == 200)
        let nightly = try app.json(app.request("POST", "/v1/pipelines/calibrate-irt", json: [:]))
        #expect(nightly["params"]?["date"] == .string(yesterday), "the default is the last complete day")
        let late = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["date": .string(older)])
        #expect(late.status == 200)
        let user: String = try query(app, "SELECT min(user_id) FROM mirt_ability")
        let ability = try app.json(app.request("GET", "/v1/users/\(user)/ability"))
        #expect(ability["as_of"] == .string(yesterday), "an older as_of run later does not replace the latest")
        #expect(ability["run_id"] == nightly["run_id"])
        let history = ability["history"]?.arrayValue ?? []
        #expect(history.map { $0["as_of"]?.stringValue } == [yesterday, earlier, older])
        let item: String = try query(app, "SELECT min(item_id) FROM mirt_item_params")
        let detail = try app.json(app.request("GET", "/v1/items/\(item)"))
        #expect(detail["as_of"] == .string(yesterday))
        #expect(detail["history"]?.arrayValue?.map { $0["as_of"]?.stringValue } == [yesterday, earlier, older])
        let lateID = try #require(try app.json(late)["run_id"]?.intValue)
        let spec: String = try query(
            app, "SELECT model_spec->'data'->>'as_of' FROM mirt_fit_meta WHERE run_id = \(lateID)")
        #expect(spec == older)
    }

    /// Too little data is the data's fault, not the server's: 422 `insufficient_data` with the failed run's record
    /// (still recorded as failed), never a 500.
    @Test func degenerateCalibrationFailsAndWritesNothing() throws {
        let app = try TestService()
        defer { app.stop() }
        // Inside the default 30-day window whatever day the test runs on.
        let day = Day.today().advanced(by: -3).iso
        var attempts: [AttemptRecord] = []
        for learner in 0..<40 {
            for item in 0..<5 {
                attempts.append(Attempts.make("u\(learner)", "q\(item)", "\(day)T10:0\(item):00Z", correct: true))
            }
        }
        try Attempts.insert(attempts, into: app.database)
        let response = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["min_item_responses": 5])
        #expect(response.status == 422)
        let body = try app.json(response)
        #expect(body["error"]?["code"] == "insufficient_data")
        #expect(body["error"]?["message"]?.stringValue?.contains("too little data") == true)
        #expect(body["run"]?["status"] == "failed")
        for table in ["mirt_item_params", "mirt_item_params_history", "mirt_ability", "mirt_fit_meta"] {
            let count: Int = try query(app, "SELECT count(*) FROM \(identifier: table)")
            #expect(count == 0, "\(table)")
        }
        let tooFew = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["min_item_responses": 100])
        #expect(tooFew.status == 422)
        let runID = try #require(try app.json(tooFew)["run"]?["run_id"]?.intValue)
        #expect(try app.json(app.request("GET", "/v1/runs/\(runID)"))["status"] == "failed")
        #expect(try app.json(tooFew)["error"]?["message"]?.stringValue?.contains("no item has at least 100") == true)
        #expect(try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["model": "4PL"]).status == 400)
    }
}
