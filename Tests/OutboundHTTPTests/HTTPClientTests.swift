import HTTPServer
import JSON
import OutboundHTTP
import TestSupport
import Testing

/// The libcurl client against our own server: what is sent, what comes back, and how failures are reported.
struct HTTPClientTests {
    static func router() -> Router {
        var router = Router()
        router.post("/echo") { request in
            var headers = HTTPHeaders()
            headers.add("Content-Type", request.headers["content-type"] ?? "none")
            headers.add("X-Seen-Custom", request.headers["x-custom"] ?? "none")
            headers.add("X-Seen-Length", request.headers["content-length"] ?? "none")
            return HTTPResponse(status: .created, headers: headers, body: request.body)
        }
        router.get("/json") { _ in .json(["answer": 42]) }
        router.get("/large") { _ in .text(String(repeating: "x", count: 10_000)) }
        router.get("/moved") { _ in
            HTTPResponse(status: HTTPStatus(code: 302, reason: "Found"), headers: HTTPHeaders([("Location", "/json")]))
        }
        return router
    }

    @Test func sendsMethodHeadersAndBinaryBody() async throws {
        let server = try TestServer.start(router: Self.router())
        defer { server.stop() }
        let body: [UInt8] = Array(0...255) + [0, 0, 13, 10]
        let request = OutboundRequest(
            method: .post, url: server.url("/echo"), headers: [(name: "X-Custom", value: "yes")], body: body)

        let response = try await onOwnThread { try quietClient.send(request) }

        #expect(response.status == 201)
        #expect(response.body == body)
        #expect(response.header("x-seen-custom") == "yes")
        #expect(response.header("X-SEEN-LENGTH") == "\(body.count)")
        #expect(response.contentType == "application/octet-stream")
    }

    @Test func emptyPostSendsContentLengthZero() async throws {
        let server = try TestServer.start(router: Self.router())
        defer { server.stop() }
        let request = OutboundRequest(method: .post, url: server.url("/echo"))

        let response = try await onOwnThread { try quietClient.send(request) }

        #expect(response.status == 201 && response.body.isEmpty)
        #expect(response.header("X-Seen-Length") == "0")
    }

    @Test func readsStatusContentTypeAndBody() async throws {
        let server = try TestServer.start(router: Self.router())
        defer { server.stop() }

        let response = try await onOwnThread { try quietClient.send(OutboundRequest(url: server.url("/json"))) }

        #expect(response.status == 200 && response.isSuccess)
        #expect(response.contentType == "application/json")
        #expect(try JSONParser.parse(response.body) == ["answer": 42])
    }

    @Test func doesNotFollowRedirectsUnlessAsked() async throws {
        let server = try TestServer.start(router: Self.router())
        defer { server.stop() }

        let (plain, followed) = try await onOwnThread {
            let plain = try quietClient.send(OutboundRequest(url: server.url("/moved")))
            let followed = try quietClient.send(OutboundRequest(url: server.url("/moved"), followsRedirects: true))
            return (plain, followed)
        }

        #expect(plain.status == 302 && plain.header("Location") == "/json")
        #expect(followed.status == 200 && followed.contentType == "application/json")
    }

    @Test func capsTheResponseSize() async throws {
        let server = try TestServer.start(router: Self.router())
        defer { server.stop() }
        let request = OutboundRequest(url: server.url("/large"), maxResponseBytes: 1000)

        let result = await onOwnThread { Result { () throws(OutboundError) in try quietClient.send(request) } }

        #expect(throws: OutboundError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.kind == .responseTooLarge(limit: 1000) && !error.isRetryable)
        }
    }

    @Test func errorsNameOnlyTheOrigin() async throws {
        let port = FreePort.next()
        let request = OutboundRequest(
            method: .post, url: "http://user:pa55word@127.0.0.1:\(port)/hooks/t0ken?key=k3y",
            headers: [(name: "Authorization", value: "Bearer b3arer")], body: Array("{}".utf8),
            timeout: .seconds(2))

        let result = await onOwnThread { Result { () throws(OutboundError) in try quietClient.send(request) } }

        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.target == "http://127.0.0.1:\(port)")
        #expect(
            error.description == "POST http://127.0.0.1:\(port): connection failed: Couldn't connect to server (curl 7)"
        )
        for secret in ["pa55word", "t0ken", "k3y", "b3arer"] {
            #expect(!error.description.contains(secret) && !"\(request)".contains(secret))
        }
    }

    @Test func refusesOtherSchemesAndHeaderInjection() async throws {
        let file = OutboundRequest(url: "file:///etc/passwd")
        let injected = OutboundRequest(url: "http://127.0.0.1:1/", headers: [(name: "X-A", value: "a\r\nX-B: b")])

        let results = await onOwnThread {
            [file, injected].map { request in Result { () throws(OutboundError) in try quietClient.send(request) } }
        }

        for result in results {
            guard case .failure(let error) = result, case .invalidRequest = error.kind else {
                Issue.record("expected an invalid request, got \(result)")
                continue
            }
            #expect(!error.isRetryable)
        }
    }

    @Test func manyThreadsShareOneClient() async throws {
        let server = try TestServer.start(router: Self.router())
        defer { server.stop() }

        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await onOwnThread {
                        try (0..<5).map { _ in try quietClient.send(OutboundRequest(url: server.url("/json"))).status }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }

        #expect(statuses == Array(repeating: 200, count: 40))
    }
}
