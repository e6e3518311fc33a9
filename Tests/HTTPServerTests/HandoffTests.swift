import Foundation
import Glibc
import TestSupport
import Testing

/// Workers answering on the socket themselves: input that arrives while a handler runs, and peers that vanish.
@Suite(.ownThreads) struct HandoffTests {
    /// User plus system CPU, in clock ticks, of the event-loop threads serving `port` (named `loop-<port>-<n>`).
    static func loopCPUTicks(port: Int) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        var total = 0
        for task in tasks {
            let name = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
            guard name.hasPrefix("loop-\(port)-"),
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the name: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12 here.
            total += (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
        }
        return total
    }

    @Test func requestSentWhileTheFirstRunsIsAnsweredAfterIt() throws {
        try Fixtures.withServer { port in
            let connection = try TestConnection(port: port)
            try connection.send(TestHTTP.requestBytes("GET", "/slow?seconds=0.4"))
            Thread.sleep(forTimeInterval: 0.1)
            try connection.send(TestHTTP.requestBytes("GET", "/items/second"))
            #expect(try connection.readResponse().text == "slow done")
            #expect(try connection.readResponse().text.contains("second"))
            for index in 0..<20 { #expect(try connection.request("GET", "/items/\(index)").status == 200) }
        }
    }

    @Test func peerResettingDuringAHandlerDoesNotSpinTheLoop() throws {
        try Fixtures.withServer { port in
            for _ in 0..<5 {
                let connection = try TestConnection(port: port)
                try connection.send(TestHTTP.requestBytes("GET", "/slow?seconds=1"))
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            }
            // The connections are reset by deinit; the handlers keep running for a second.
            let before = Self.loopCPUTicks(port: port)
            Thread.sleep(forTimeInterval: 1.2)
            let ticks = Self.loopCPUTicks(port: port) - before
            // A spinning loop would use about 120 ticks (100 per second); an idle one next to nothing.
            #expect(ticks < 30, "this server's loop threads used \(ticks) clock ticks in 1.2 s")
            #expect(try TestHTTP.request(port: port, "GET", "/hello").status == 200)
        }
    }
}
