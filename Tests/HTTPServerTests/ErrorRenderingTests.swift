import Foundation
import HTTPServer
import TestSupport
import Testing

/// How errors reach clients: plain text by default, or whatever the configured renderer makes of them.
@Suite struct ErrorRenderingTests {
    @Test func errorsArePlainTextByDefault() throws {
        let server = try TestServer.start(router: Fixtures.router())
        defer { server.stop() }
        let connection = try TestConnection(port: server.port)
        let client = try connection.request("GET", "/teapot")
        #expect(client.status == 400)
        #expect(client.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(client.text == "bad_x: the field 'x' is wrong\n")
        let missing = try connection.request("GET", "/nowhere")
        #expect(missing.status == 404)
        #expect(missing.text == "not_found: no route for /nowhere\n")
        let wrongMethod = try connection.request("PUT", "/hello")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow")?.contains("GET") == true)
        #expect(wrongMethod.text.hasPrefix("method_not_allowed: "))
        let server500 = try connection.request("GET", "/boom", headers: [("X-Request-Id", "req-500")])
        #expect(server500.status == 500)
        #expect(server500.text == "internal_error: internal error; quote request id req-500 when reporting it\n")
    }

    static let custom: ErrorRenderer = { error, requestID in
        .text("custom \(error.status.code) \(error.code) \(requestID)", status: error.status)
    }

    @Test func theConfiguredRendererShapesEveryError() throws {
        try Fixtures.withServer(Fixtures.configuration { $0.renderError = Self.custom }) { port in
            let connection = try TestConnection(port: port, timeout: 5)
            // A handler's error, on a worker.
            let handler = try connection.request("GET", "/teapot", headers: [("X-Request-Id", "r1")])
            #expect(handler.text == "custom 400 bad_x r1")
            // The router's own errors, on the loop.
            let missing = try connection.request("GET", "/nowhere", headers: [("X-Request-Id", "r2")])
            #expect(missing.text == "custom 404 not_found r2")
            // A body over the route's limit, answered before it is read.
            let tooLarge = try connection.request("POST", "/echo", body: Array(repeating: 0x61, count: 2000))
            #expect(tooLarge.status == 413)
            #expect(tooLarge.text.hasPrefix("custom 413 body_too_large "))
            // A malformed request, answered and closed.
            let malformed = try TestConnection(port: port, timeout: 5)
            try malformed.send("GET /hello HTTP/1.1\nHost: x\n\n")
            let response = try malformed.readResponse()
            #expect(response.status == 400)
            #expect(response.text.hasPrefix("custom 400 "))
            malformed.setTimeout(2)
            #expect(malformed.isClosedByServer())
        }
    }

    @Test func theConfiguredRendererAnswersConnectionsOverTheCap() throws {
        let configuration = Fixtures.configuration {
            $0.maxConnections = 1
            $0.renderError = Self.custom
        }
        try Fixtures.withServer(configuration) { port in
            let first = try TestConnection(port: port, timeout: 5)
            #expect(try first.request("GET", "/hello").status == 200)
            let second = try TestConnection(port: port, timeout: 5)
            let refused = try second.readResponse()
            #expect(refused.status == 503)
            #expect(refused.text.hasPrefix("custom 503 too_many_connections "))
        }
    }
}
