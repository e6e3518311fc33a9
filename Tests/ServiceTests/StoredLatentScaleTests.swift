import JSON
import Postgres
import TestSupport
import Testing

/// The online estimate reads the latent scale a calibration stored; a stored scale it cannot use is refused with
/// `no_estimate` instead of stopping the process.
@Suite(.ownThreads) struct StoredLatentScaleTests {
    @Test(arguments: ["0", "-1", "\"NaN\""])
    func anUnusableStoredSDIsRefusedAsNoEstimate(sd: String) throws {
        let app = try TestService()
        defer { app.stop() }
        try CalibrationRouteTests.demo(app, learners: 400, items: 30)
        let run = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["min_item_responses": 10])
        #expect((200..<300).contains(run.status), "\(run.text)")
        _ = try app.database.pool.withConnection { connection in
            try connection.query(
                "UPDATE mirt_fit_meta SET metrics = metrics || jsonb_build_object('latent_sd', \(sd)::jsonb)")
        }
        let pattern: JSONValue = ["responses": [["item_id": "q0001", "correct": true]]]
        let response = try app.request("POST", "/v1/users/someone/ability/estimate", json: pattern)
        #expect(response.status == 422, "\(response.text)")
        let body = try app.json(response)
        #expect(body["error"]?["code"] == "no_estimate")
        #expect(body["error"]?["message"]?.stringValue?.contains("latent scale") == true)
        // The service still answers.
        #expect(try app.request("GET", "/healthz").status == 200)
    }
}
