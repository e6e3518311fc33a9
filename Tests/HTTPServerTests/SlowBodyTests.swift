import Foundation
import HTTPServer
import JSON
import Synchronization
import TestSupport
import Testing

/// A body trickled in a byte at a time cannot hold its connection: it gets 408 and the connection closes once its
/// whole deadline (base plus its length at the minimum rate) has passed, however steadily the bytes keep coming.
@Suite(.ownThreads) struct SlowBodyTests {
    @Test func aTrickledBodyIsAnswered408AndClosedWithinItsDeadline() throws {
        // 1 s plus 100 bytes at 64 KiB/s; a stall of 30 s is never reached, since a byte comes every 0.2 s.
        let configuration = Fixtures.configuration {
            $0.bodyDeadlineBase = 1
            $0.bodyMinimumRate = 64 * 1024
            $0.bodyTimeout = 30
        }
        try Fixtures.withServer(configuration) { port in
            let lengthHead = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
            let chunkedHead = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            let slow = try (0..<20).map { _ in try TestConnection(port: port, timeout: 5) }
            let start = Date()
            for (index, connection) in slow.enumerated() {
                try connection.send(index % 2 == 0 ? lengthHead : chunkedHead)
            }
            // One byte per connection every 0.2 s (a chunk of one byte for the chunked ones) until the server stops
            // taking them or 4 s have passed.
            let stop = Atomic<Bool>(false)
            let trickle = Thread {
                while !stop.load(ordering: .relaxed) && Date().timeIntervalSince(start) < 4 {
                    for (index, connection) in slow.enumerated() {
                        try? connection.send(index % 2 == 0 ? "x" : "1\r\nx\r\n")
                    }
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
            trickle.start()
            defer { stop.store(true, ordering: .relaxed) }
            for connection in slow {
                let response = try connection.readResponse()
                #expect(response.status == 408)
                let error = try JSONParser.parse(response.body)["error"]
                #expect(error?["code"] == "request_timeout")
                #expect(response.header("Connection") == "close")
            }
            let answered = Date().timeIntervalSince(start)
            #expect(answered >= 0.9 && answered < 2, "answered after \(answered) s")
            stop.store(true, ordering: .relaxed)
            for connection in slow { #expect(connection.isClosedByServer()) }
            // The server still serves others.
            #expect(try TestHTTP.request(port: port, "GET", "/hello").status == 200)
        }
    }
}
