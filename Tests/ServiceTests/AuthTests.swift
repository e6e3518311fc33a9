import JSON
import Service
import TestSupport
import Testing

/// Bearer tokens, scopes and the loopback-only rule.
@Suite(.ownThreads) struct AuthTests {
    @Test func tokensGuardPostsAndV1Reads() throws {
        let app = try TestService()
        defer { app.stop() }
        let missing = try app.request("POST", "/v1/pipelines/detect-inactivity", json: [:], token: nil)
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        let wrong = try app.request("POST", "/v1/pipelines/detect-inactivity", json: [:], token: "nope-nope-nope-nope")
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate")?.contains("invalid_token") == true)
        let scheme = try app.request(
            "GET", "/v1/runs", headers: [("Authorization", "Basic \(TestService.adminToken)")], token: nil)
        #expect(scheme.status == 401)
        let readOnPost = try app.request(
            "POST", "/v1/pipelines/detect-inactivity", json: [:], token: TestService.readToken)
        #expect(readOnPost.status == 403)
        #expect(try app.request("GET", "/v1/runs", token: nil).status == 401)
        #expect(try app.request("GET", "/v1/runs", token: TestService.readToken).status == 200)
        #expect(try app.request("GET", "/v1/runs", token: TestService.adminToken).status == 200)
        #expect(
            try app.request("GET", "/api/seedtest/analysis/metrics/weekly?user_id=x", token: nil).status == 401)
        for open in ["/healthz", "/readyz", "/openapi.yaml"] {
            #expect(try app.request("GET", open, token: nil).status == 200, "\(open)")
        }
    }

    /// Two Authorization headers are a 400 in either order, even when one of them carries the admin token: which one
    /// counts must not depend on the reader (the first used to win).
    @Test func twoAuthorizationHeadersAre400() throws {
        let app = try TestService()
        defer { app.stop() }
        let admin = ("Authorization", "Bearer \(TestService.adminToken)")
        let other = ("authorization", "Bearer nope-nope-nope-nope")
        for headers in [[admin, other], [other, admin], [admin, admin]] {
            let response = try app.request("GET", "/v1/runs", headers: headers, token: nil)
            #expect(response.status == 400)
            #expect(try app.json(response)["error"]?["code"] == "duplicate_authorization")
        }
        #expect(try app.request("GET", "/v1/runs", headers: [admin], token: nil).status == 200)
    }

    @Test func rejectedRequestsNeverReachTheDatabase() throws {
        let app = try TestService()
        defer { app.stop() }
        let body = Array(#"[{"user_id":"u","item_id":"q","correct":true,"answered_at":"2026-11-01T00:00:00Z"}]"#.utf8)
        let response = try app.request(
            "POST", "/v1/attempts", body: body, headers: [("Content-Type", "application/json")], token: nil)
        #expect(response.status == 401)
        let count: Int = try app.database.pool.withConnection {
            try $0.query("SELECT count(*) FROM attempts")[0].decode(0)
        }
        #expect(count == 0)
    }

    @Test func withoutTokensOnlyLoopbackUnlessInsecure() throws {
        var configuration = ServiceConfiguration()
        configuration.http.host = "0.0.0.0"
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.insecureNoAuth = true
        try configuration.validate()
        configuration.insecureNoAuth = false
        configuration.adminToken = "short"
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.adminToken = TestService.adminToken
        try configuration.validate()
        configuration.http.host = "127.0.0.1"
        configuration.adminToken = nil
        configuration.readToken = TestService.readToken
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.readToken = nil
        try configuration.validate()
    }

    @Test func environmentErrorsNameTheVariable() throws {
        do {
            _ = try ServiceConfiguration.fromEnvironment(["PORT": "eighty"])
            Issue.record("PORT=eighty must be refused")
        } catch {
            #expect(error.description.contains("PORT"))
        }
        do {
            _ = try ServiceConfiguration.fromEnvironment(["REPORTS_S3_BUCKET": "b"])
            Issue.record("a bucket without an endpoint must be refused")
        } catch {
            #expect(error.description.contains("REPORTS_S3_ENDPOINT"))
        }
        let parsed = try ServiceConfiguration.fromEnvironment([
            "PORT": "9090", "LOG_LEVEL": "debug", "DB_POOL_SIZE": "3",
        ])
        #expect(parsed.http.port == 9090)
        #expect(parsed.databasePoolSize == 3)
    }

    @Test func openWhenNoTokensAreConfigured() throws {
        let app = try TestService { configuration in
            configuration.adminToken = nil
            configuration.readToken = nil
        }
        defer { app.stop() }
        #expect(try app.request("GET", "/v1/runs", token: nil).status == 200)
    }
}
