import Foundation
import JSON
import Service
import TestSupport

/// The whole service on an ephemeral loopback port over a fresh test database, with a client for it.
final class TestService: @unchecked Sendable {
    static let adminToken = "admin-token-0123456789abcdef"
    static let readToken = "read-token-0123456789abcdef"

    let service: Service
    let database: TestDatabase

    /// Starts the service; `configure` may change the configuration (tokens are set by default).
    init(
        database: TestDatabase? = nil, configure: (inout ServiceConfiguration) -> Void = { _ in }
    ) throws {
        let database = try database ?? TestDatabase.create()
        var configuration = ServiceConfiguration()
        configuration.http = TestServer.configuration()
        configuration.databaseURL = database.connectionString
        configuration.databasePoolSize = 4
        configuration.adminToken = Self.adminToken
        configuration.readToken = Self.readToken
        configure(&configuration)
        service = Service(configuration: configuration, logger: TestServer.errorLogger)
        try service.start()
        self.database = database
    }

    var port: Int { service.port }

    func stop() { service.shutdown() }

    /// A request with the admin token unless another `token` (or none) is given.
    func request(
        _ method: String, _ path: String, json: JSONValue? = nil, body: [UInt8]? = nil,
        headers: [(String, String)] = [], token: String? = TestService.adminToken
    ) throws -> TestResponse {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        var payload = body
        if let json {
            payload = json.encoded()
            all.append(("Content-Type", "application/json"))
        }
        return try TestHTTP.request(port: port, method, path, headers: all, body: payload)
    }

    /// The response body parsed as JSON (fails the test if it is not JSON).
    func json(_ response: TestResponse) throws -> JSONValue {
        try JSONParser.parse(response.body)
    }
}
