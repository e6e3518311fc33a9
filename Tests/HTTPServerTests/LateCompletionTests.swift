import Foundation
import Glibc
import HTTPServer
import TestSupport
import Testing

/// A handler that finishes after its server stopped (a shutdown past its grace period) must leave the process's other
/// descriptors alone.
@Suite(.ownThreads) struct LateCompletionTests {
    /// The worker posts its response to its stopped loop, which wakes the loop through its eventfd. The loop used to
    /// close that eventfd when it stopped, so the wake-up's 8 bytes (`01 00 00 00 00 00 00 00`) went to whatever
    /// had been given the number since: in the suite, a client socket of `thousandConcurrentConnectionsAreServed`,
    /// whose request then reached its server as `\u{1}\0\0\0\0\0\0\0GET /items/…` and was answered
    /// `400 invalid method`. Here copies of a pipe's write end, made right after the stop, take the lowest free
    /// numbers, where the loops' descriptors were; nothing may reach the pipe once the worker is done.
    @Test func aHandlerFinishingAfterShutdownWritesIntoNoReusedDescriptor() throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        var router = Fixtures.router()
        router.get("/blocked") { _ in
            entered.signal()
            release.wait()
            return .text("late")
        }
        let server = try TestServer.start(
            router: router, configuration: Fixtures.configuration { $0.gracePeriod = 0.2 })
        var released = false
        defer { if !released { release.signal() } }
        let connection = try TestConnection(port: server.port)
        try connection.send(TestHTTP.requestBytes("GET", "/blocked"))
        try #require(entered.wait(timeout: .now() + 10) == .success)
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        server.stop()
        #expect(server.closedUnansweredConnections)
        let copies = (0..<64).map { _ in dup(ends[1]) }.filter { $0 >= 0 }
        defer { for fd in copies + ends { Glibc.close(fd) } }
        release.signal()
        released = true
        // Waiting for a write that must not come: a loaded machine can only make the old code pass, never this fail.
        var watch = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        #expect(poll(&watch, 1, 2000) == 0)
        #expect(connection.isClosedByServer())
    }
}
