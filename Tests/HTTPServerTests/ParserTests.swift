import Foundation
import TestSupport
import Testing

/// The strict HTTP/1.1 parser, exercised through real sockets.
@Suite(.ownThreads) struct ParserTests {
    /// Sends raw bytes on a new connection and returns the response and whether the server then closed.
    func exchange(_ raw: String, port: Int) throws -> (TestResponse, closed: Bool) {
        let connection = try TestConnection(port: port, timeout: 5)
        try connection.send(raw)
        let response = try connection.readResponse()
        connection.setTimeout(2)
        return (response, connection.isClosedByServer())
    }

    @Test func simpleGetEchoesRequestID() throws {
        try Fixtures.withServer { port in
            let (response, _) = try exchange(
                "GET /hello HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-123\r\n\r\n", port: port)
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.header("X-Request-Id") == "abc-123")
            #expect(response.header("Content-Length") == "5")
        }
    }

    @Test func generatedRequestIDWhenNoneSent() throws {
        try Fixtures.withServer { port in
            let response = try TestHTTP.request(port: port, "GET", "/hello")
            #expect(response.header("X-Request-Id")?.count == 16)
        }
    }

    @Test(arguments: [
        ("GET  /hello HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /hello HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
        ("GET hello HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /hello HTTX/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("GET /hello HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nauthorization: Bearer b\r\n\r\n", 400),
        ("BREW /hello HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        ("G(T /hello HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n", 400),
        (
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            400
        ),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400),
        ("POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n", 417),
        ("GET /items/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /items/1?q=%G1 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ])
    func malformedRequestsAreRejectedAndClosed(raw: String, status: Int) throws {
        try Fixtures.withServer { port in
            let (response, closed) = try exchange(raw, port: port)
            #expect(response.status == status, "\(raw.debugDescription)")
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text.contains("\"error\""))
            // Framing errors close the connection; a bad path or query leaves the framing intact.
            if status != 417 && !raw.contains("%") {
                #expect(closed, "connection should close after \(raw.debugDescription)")
            }
        }
    }

    @Test func oversizedHeadGets431() throws {
        try Fixtures.withServer { port in
            let big = String(repeating: "a", count: 17 * 1024)
            let (response, closed) = try exchange("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n", port: port)
            #expect(response.status == 431)
            #expect(closed)
        }
    }

    @Test func bodyOverRouteLimitGets413WithoutBeingRead() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            try connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(response.text.contains("1024"))
        }
    }

    @Test func chunkedBodyOverLimitGets413() throws {
        try Fixtures.withServer { port in
            let chunk = String(repeating: "x", count: 600)
            let raw =
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n"
            let (response, _) = try exchange(raw, port: port)
            #expect(response.status == 413)
        }
    }

    @Test func chunkedWithExtensionsAndTrailers() throws {
        try Fixtures.withServer { port in
            let raw =
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;flag\r\nhello\r\n6 ; ext=\"quoted\"\r\n world\r\n0\r\nX-Trailer: yes\r\nX-Other: 2\r\n\r\n"
            let (response, closed) = try exchange(
                raw + "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: port)
            #expect(response.status == 200)
            #expect(response.text == "hello world")
            #expect(closed)
        }
    }

    @Test func requestArrivingOneByteAtATime() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            let raw =
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
            for byte in raw.utf8 {
                try connection.send([byte])
                usleep(200)
            }
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "abcde")
        }
    }

    @Test func pipelinedRequestsAnsweredInOrder() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            var raw = ""
            raw += "GET /slow?seconds=0.3 HTTP/1.1\r\nHost: x\r\n\r\n"
            raw += "GET /items/first HTTP/1.1\r\nHost: x\r\n\r\n"
            raw += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
            raw += "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
            try connection.send(raw)
            #expect(try connection.readResponse().text == "slow done")
            #expect(try connection.readResponse().text.contains("first"))
            #expect(try connection.readResponse().text == "body")
            #expect(try connection.readResponse().text == "hello")
        }
    }

    @Test func expectContinueGetsInterimResponse() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            try connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try connection.readResponse(skipInterim: false)
            #expect(interim.status == 100)
            try connection.send("12345")
            let final = try connection.readResponse()
            #expect(final.status == 200)
            #expect(final.text == "12345")
        }
    }

    @Test func expectContinueOverLimitGetsFinal413() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            try connection.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
            let response = try connection.readResponse(skipInterim: false)
            #expect(response.status == 413)
        }
    }

    @Test func http10ClosesUnlessKeepAlive() throws {
        try Fixtures.withServer { port in
            let (closing, closed) = try exchange("GET /hello HTTP/1.0\r\n\r\n", port: port)
            #expect(closing.status == 200)
            #expect(closed)
            let connection = try TestConnection(port: port)
            try connection.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try connection.readResponse()
            #expect(first.header("Connection")?.lowercased() == "keep-alive")
            try connection.send("GET /hello HTTP/1.0\r\n\r\n")
            #expect(try connection.readResponse().status == 200)
        }
    }

    @Test func keepAliveReusesTheConnection() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            for index in 0..<5 {
                let response = try connection.request("GET", "/items/\(index)")
                #expect(response.status == 200)
                #expect(response.text.contains("\"\(index)\""))
                #expect(response.header("Connection") == nil)
            }
            let last = try connection.request("GET", "/hello", headers: [("Connection", "close")])
            #expect(last.header("Connection") == "close")
            #expect(connection.isClosedByServer())
        }
    }

    @Test func routingNotFoundMethodNotAllowedAndHead() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            let missing = try connection.request("GET", "/nope")
            #expect(missing.status == 404)
            #expect(missing.text.contains("not_found"))
            let wrong = try connection.request("POST", "/hello", body: [])
            #expect(wrong.status == 405)
            #expect(wrong.header("Allow") == "GET, HEAD")
            let wrongTemplated = try connection.request("PUT", "/items/7", body: [])
            #expect(wrongTemplated.status == 405)
            #expect(wrongTemplated.header("Allow") == "GET, HEAD, DELETE")
            let head = try connection.request("HEAD", "/items/7")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 0)
            let decoded = try connection.request("GET", "/items/%E2%9C%93%20ok?q=a+b%26c")
            #expect(decoded.text == #"{"id":"✓ ok","q":"a b&c"}"#)
            let deleted = try connection.request("DELETE", "/items/7")
            #expect(deleted.status == 204)
            #expect(try connection.request("GET", "/hello").status == 200)
        }
    }

    @Test func errorsAreJSONAndOpaqueFor500() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            let client = try connection.request("GET", "/teapot")
            #expect(client.status == 400)
            #expect(client.text.contains(#""code":"bad_x""#))
            #expect(client.text.contains("the field 'x' is wrong"))
            let server = try connection.request("GET", "/boom", headers: [("X-Request-Id", "req-500")])
            #expect(server.status == 500)
            #expect(server.text.contains("req-500"))
            #expect(!server.text.contains("Boom"))
        }
    }
}
