import Testing

@testable import HTTPServer

/// A connection's phases without sockets: each test plays the events the event loop reports and checks the actions
/// it gets back. Times are plain numbers (nanoseconds in the server).
@Suite struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine

    /// A body has 20 time units plus one per byte (a rate of 1e9 bytes per second, the server's time being nanoseconds),
    /// and may not stall for 30.
    static let timeouts = Machine.Timeouts(
        head: 10, idle: 60, body: 30, bodyBase: 20, bodyRate: 1_000_000_000, linger: 2)

    static func newConnection(at now: UInt64 = 0) -> Machine { Machine(now: now, timeouts: timeouts) }

    /// A connection that has parsed one head without a body and is processing it.
    static func processing() -> Machine {
        var machine = newConnection()
        #expect(machine.nextInputStep(buffered: 40) == .parseHead)
        machine.headStarted(now: 1)
        machine.headReceived()
        return machine
    }

    @Test func aNewConnectionMustSendAHeadInTime() {
        var machine = Self.newConnection(at: 100)
        #expect(machine.phase == .readingHead(until: 110))
        #expect(machine.nextInputStep(buffered: 0) == .readMore)
        #expect(machine.deadlineCheck(now: 109, buffered: 0) == .none)
        // Nothing was sent: the connection closes without an answer.
        #expect(machine.deadlineCheck(now: 110, buffered: 0) == .close)
    }

    @Test func aPartialHeadThatTimesOutIsAnswered408AndClosedLingering() {
        var machine = Self.newConnection()
        #expect(machine.nextInputStep(buffered: 5) == .parseHead)
        machine.headStarted(now: 3)
        #expect(machine.phase == .readingHead(until: 10))
        #expect(machine.headIncomplete() == .readMore)
        #expect(machine.deadlineCheck(now: 10, buffered: 5) == .respondTimeout(.head))
        #expect(machine.requestFailed(now: 10) == .write)
        #expect(machine.writeDrained(now: 11) == .linger)
        #expect(machine.phase == .lingering(until: 13))
        #expect(machine.deadlineCheck(now: 12, buffered: 0) == .none)
        #expect(machine.deadlineCheck(now: 13, buffered: 0) == .close)
    }

    @Test func keepAliveServesRequestAfterRequest() {
        var machine = Self.processing()
        #expect(machine.phase == .processing)
        #expect(machine.allowsKeepAlive(requested: true))
        #expect(machine.responseReady(keepAlive: true, lingerOnClose: false, now: 5) == .write)
        #expect(machine.phase == .idle(until: 65))
        #expect(machine.writeDrained(now: 6) == .keepAlive)
        #expect(machine.nextInputStep(buffered: 0) == .readMore)
        #expect(machine.deadlineCheck(now: 64, buffered: 0) == .none)
        // The next head's deadline starts with its first byte, and does not move while the head arrives.
        #expect(machine.nextInputStep(buffered: 10) == .parseHead)
        machine.headStarted(now: 20)
        #expect(machine.phase == .readingHead(until: 30))
        #expect(machine.headIncomplete() == .readMore)
        machine.headStarted(now: 25)
        #expect(machine.phase == .readingHead(until: 30))
        machine.headReceived()
        #expect(machine.responseReady(keepAlive: true, lingerOnClose: false, now: 31) == .write)
        #expect(machine.writeDrained(now: 31) == .keepAlive)
        #expect(machine.phase == .idle(until: 91))
    }

    @Test func anIdleKeepAliveConnectionClosesAfterTheIdleTimeout() {
        var machine = Self.processing()
        _ = machine.responseReady(keepAlive: true, lingerOnClose: false, now: 5)
        _ = machine.writeDrained(now: 5)
        #expect(machine.deadlineCheck(now: 65, buffered: 0) == .close)
    }

    @Test func pipelinedRequestsWaitForTheResponseBeforeThem() {
        var machine = Self.processing()
        // The second request is already buffered: it waits while the first is processed and its response written.
        #expect(machine.nextInputStep(buffered: 40) == .none)
        #expect(machine.responseReady(keepAlive: true, lingerOnClose: false, now: 5) == .write)
        #expect(machine.nextInputStep(buffered: 40) == .none)
        // Buffered input keeps an idle connection open past its idle deadline while the write waits.
        #expect(machine.deadlineCheck(now: 100, buffered: 40) == .none)
        #expect(machine.writeDrained(now: 100) == .keepAlive)
        #expect(machine.nextInputStep(buffered: 40) == .parseHead)
        machine.headStarted(now: 100)
        #expect(machine.phase == .readingHead(until: 110))
    }

    @Test func aClientSendingWhileItsRequestIsProcessedIsPaused() {
        var machine = Self.newConnection()
        #expect(machine.inputReceived(buffered: 100, limit: 50) == .readMore)
        machine.headReceived()
        #expect(machine.inputReceived(buffered: 50, limit: 50) == .readMore)
        #expect(machine.inputReceived(buffered: 51, limit: 50) == .pauseReading)
    }

    @Test func aBodyMustKeepArrivingAndCompletesToDispatch() {
        var machine = Self.processing()
        #expect(machine.bodyExpected(now: 10, length: 100, limit: 1000) == .decodeBody)
        #expect(machine.phase == .readingBody(until: 40))
        #expect(machine.nextInputStep(buffered: 0) == .decodeBody)
        machine.bodyProgressed(now: 20, received: 50)
        #expect(machine.phase == .readingBody(until: 50))
        #expect(machine.bodyIncomplete() == .readMore)
        #expect(machine.deadlineCheck(now: 49, buffered: 0) == .none)
        #expect(machine.bodyComplete() == .dispatch)
        #expect(machine.phase == .processing)
        #expect(machine.deadlineCheck(now: 1000, buffered: 0) == .none)
    }

    @Test func aStalledBodyIsAnswered408AndClosed() {
        var machine = Self.processing()
        _ = machine.bodyExpected(now: 10, length: 100, limit: 1000)
        #expect(machine.deadlineCheck(now: 40, buffered: 0) == .respondTimeout(.body))
        #expect(machine.phase == .processing)
        #expect(machine.requestFailed(now: 40) == .write)
        #expect(machine.closeAfterWrite)
        #expect(machine.writeDrained(now: 41) == .linger)
    }

    @Test func aBodyTrickledInIsAnswered408AtItsWholeDeadline() {
        var machine = Self.processing()
        // 100 declared bytes: 20 + 100 units from the start, however steadily single bytes keep arriving.
        _ = machine.bodyExpected(now: 10, length: 100, limit: 1000)
        #expect(machine.bodyDeadline == 130)
        for (index, now) in stride(from: 20, through: 120, by: 10).enumerated() {
            machine.bodyProgressed(now: UInt64(now), received: index + 1)
            #expect(machine.deadlineCheck(now: UInt64(now), buffered: 0) == .none)
        }
        #expect(machine.phase == .readingBody(until: 130))
        #expect(machine.deadlineCheck(now: 129, buffered: 0) == .none)
        #expect(machine.deadlineCheck(now: 130, buffered: 0) == .respondTimeout(.bodyDeadline))
        #expect(machine.phase == .processing)
        // The 408 closes the connection once written.
        #expect(machine.requestFailed(now: 130) == .write)
        #expect(machine.closeAfterWrite)
        #expect(machine.writeDrained(now: 131) == .linger)
        #expect(machine.deadlineCheck(now: 133, buffered: 0) == .close)
    }

    @Test func aChunkedBodyEarnsTimeForWhatItSentUpToTheBodyLimit() {
        var silent = Self.processing()
        _ = silent.bodyExpected(now: 10, length: nil, limit: 50)
        // Nothing received yet: only the base.
        #expect(silent.phase == .readingBody(until: 30))
        #expect(silent.deadlineCheck(now: 30, buffered: 0) == .respondTimeout(.bodyDeadline))

        var machine = Self.processing()
        _ = machine.bodyExpected(now: 10, length: nil, limit: 50)
        machine.bodyProgressed(now: 15, received: 40)
        #expect(machine.bodyDeadline == 70)
        #expect(machine.phase == .readingBody(until: 45))
        // Beyond the body limit no more time is earned.
        machine.bodyProgressed(now: 40, received: 1000)
        #expect(machine.bodyDeadline == 80)
        machine.bodyProgressed(now: 69, received: 2000)
        #expect(machine.phase == .readingBody(until: 80))
        #expect(machine.deadlineCheck(now: 79, buffered: 0) == .none)
        #expect(machine.deadlineCheck(now: 80, buffered: 0) == .respondTimeout(.bodyDeadline))
    }

    @Test func aLargeBodyHasTimeForItsLengthButMayNotStall() {
        var machine = Self.processing()
        _ = machine.bodyExpected(now: 0, length: 1_000_000, limit: 2_000_000)
        #expect(machine.bodyDeadline == 1_000_020)
        #expect(machine.phase == .readingBody(until: 30))
        machine.bodyProgressed(now: 500_000, received: 600_000)
        #expect(machine.deadlineCheck(now: 500_029, buffered: 0) == .none)
        #expect(machine.deadlineCheck(now: 500_030, buffered: 0) == .respondTimeout(.body))
    }

    @Test func continueIsWrittenWithoutLeavingTheBody() {
        var machine = Self.processing()
        _ = machine.bodyExpected(now: 10, length: 100, limit: 1000)
        #expect(machine.interimResponseReady() == .write)
        #expect(machine.nextInputStep(buffered: 8) == .none)
        #expect(machine.writeDrained(now: 11) == .keepAlive)
        #expect(machine.phase == .readingBody(until: 40))
        #expect(machine.nextInputStep(buffered: 8) == .decodeBody)
    }

    @Test func aResponseWithoutKeepAliveClosesOnceWritten() {
        var machine = Self.processing()
        #expect(machine.responseReady(keepAlive: false, lingerOnClose: false, now: 5) == .write)
        #expect(machine.closeAfterWrite)
        #expect(machine.writeDrained(now: 6) == .close)
        machine.closed()
        #expect(machine.isClosed)
    }

    @Test func aRejectedRequestWithItsBodyUnreadLingersUnlessThePeerLeft() {
        var lingering = Self.processing()
        _ = lingering.responseReady(keepAlive: false, lingerOnClose: true, now: 5)
        #expect(lingering.writeDrained(now: 6) == .linger)
        #expect(lingering.isLingering)
        // Input is discarded until the peer closes.
        #expect(lingering.nextInputStep(buffered: 100) == .none)
        #expect(lingering.inputEnded() == .close)

        var gone = Self.processing()
        _ = gone.responseReady(keepAlive: false, lingerOnClose: true, now: 5)
        #expect(gone.inputEnded() == .stopReading)
        #expect(gone.writeDrained(now: 6) == .close)
    }

    @Test func aPeerThatClosedGetsItsAnswerAndNoKeepAlive() {
        var machine = Self.processing()
        #expect(machine.inputEnded() == .stopReading)
        #expect(!machine.allowsKeepAlive(requested: true))
        #expect(machine.responseReady(keepAlive: false, lingerOnClose: false, now: 5) == .write)
        #expect(machine.writeDrained(now: 6) == .close)

        var idle = Self.newConnection()
        _ = idle.inputEnded()
        #expect(idle.nextInputStep(buffered: 0) == .close)
        #expect(idle.headIncomplete() == .close)
        #expect(idle.bodyIncomplete() == .close)
        // A pipelined request already buffered is still answered.
        #expect(idle.nextInputStep(buffered: 30) == .parseHead)
    }

    @Test func drainingClosesIdleConnectionsAndOthersAfterTheirResponse() {
        var idle = Self.newConnection()
        #expect(idle.drain(buffered: 0) == .close)

        var partial = Self.newConnection()
        #expect(partial.drain(buffered: 12) == .none)

        var busy = Self.processing()
        #expect(busy.drain(buffered: 0) == .none)
        #expect(!busy.allowsKeepAlive(requested: true))
        // Even a response that asks for keep-alive closes the connection now.
        #expect(busy.responseReady(keepAlive: true, lingerOnClose: false, now: 5) == .write)
        #expect(busy.writeDrained(now: 6) == .close)

        var writing = Self.processing()
        _ = writing.responseReady(keepAlive: true, lingerOnClose: false, now: 5)
        #expect(writing.drain(buffered: 0) == .none)
        #expect(writing.writeDrained(now: 6) == .close)
    }

    @Test func aResponseTheWorkerSentReturnsTheConnectionToIdle() {
        var machine = Self.processing()
        #expect(machine.responseSentByWorker(now: 5) == .keepAlive)
        #expect(machine.phase == .idle(until: 65))
        #expect(!machine.writePending)
        #expect(machine.nextInputStep(buffered: 0) == .readMore)
    }

    @Test func aClosedConnectionIgnoresLateEvents() {
        var machine = Self.processing()
        machine.closed()
        #expect(machine.responseReady(keepAlive: true, lingerOnClose: false, now: 5) == .none)
        #expect(machine.requestFailed(now: 5) == .none)
        #expect(machine.responseSentByWorker(now: 5) == .none)
        #expect(machine.interimResponseReady() == .none)
        #expect(machine.nextInputStep(buffered: 10) == .none)
        #expect(machine.deadlineCheck(now: 1000, buffered: 0) == .none)
        #expect(machine.drain(buffered: 0) == .none)
        #expect(machine.phase == .closed)
    }
}
