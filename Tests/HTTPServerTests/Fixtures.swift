import Foundation
import HTTPServer
import JSON
import TestSupport

/// Routes that exercise the server: echo, slow, failing and large responses.
enum Fixtures {
    struct Boom: Error {}

    static func router() -> Router {
        var router = Router()
        router.get("/hello", runsInline: true) { _ in .text("hello") }
        router.get("/items/{id}") { request in
            .json(["id": .string(request.pathParameters["id"] ?? ""), "q": .optional(request.query["q"])])
        }
        router.post("/echo", bodyLimit: 1024, inflatedBodyLimit: 64 * 1024) { request in
            HTTPResponse(
                status: .ok, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]),
                body: request.body)
        }
        router.post("/inflate", bodyLimit: 1 << 20, inflatedBodyLimit: 1 << 20) { request in
            .text("\(request.body.count)")
        }
        router.add(.post, "/inflate-inline", bodyLimit: 1 << 20, inflatedBodyLimit: 1 << 20, runsInline: true) {
            request in .text("\(request.body.count)")
        }
        router.get("/slow") { request in
            let seconds = Double(request.query["seconds"] ?? "1") ?? 1
            Thread.sleep(forTimeInterval: seconds)
            return .text("slow done")
        }
        router.get("/large") { _ in
            .json(.array((0..<500).map { .object(JSONObject([("index", .int(Int64($0))), ("name", "item")])) }))
        }
        router.get("/boom") { _ in throw Boom() }
        router.get("/teapot") { _ in
            throw HTTPError.badRequest("the field 'x' is wrong", code: .init(rawValue: "bad_x"))
        }
        router.add(.delete, "/items/{id}") { _ in HTTPResponse(status: .noContent) }
        return router
    }

    /// Errors as JSON, `{"error":{"code":…,"message":…,"request_id":…}}`, the way an application plugs in its own
    /// format: the tests then see that every error the server raises goes through the configured renderer.
    static func jsonError(_ error: HTTPError, requestID: String) -> HTTPResponse {
        let object = JSONObject([
            ("code", .string(error.code.rawValue)), ("message", .string(error.message)),
            ("request_id", .string(requestID)),
        ])
        var response = HTTPResponse.json(.object(JSONObject([("error", .object(object))])), status: error.status)
        for field in error.headers { response.headers.add(field.name, field.value) }
        return response
    }

    /// The test server's configuration with JSON errors.
    static func baseConfiguration() -> HTTPServer.Configuration {
        var configuration = TestServer.configuration()
        configuration.renderError = jsonError
        return configuration
    }

    /// A test configuration with some settings changed.
    static func configuration(_ change: (inout HTTPServer.Configuration) -> Void) -> HTTPServer.Configuration {
        var configuration = baseConfiguration()
        change(&configuration)
        return configuration
    }

    static func withServer(
        _ configuration: HTTPServer.Configuration = baseConfiguration(), _ body: (Int) throws -> Void
    ) throws {
        let server = try TestServer.start(router: router(), configuration: configuration)
        defer { server.stop() }
        try body(server.port)
    }
}
