import Foundation
import Glibc
import Logging
import Synchronization

/// An HTTP/1.1 server on epoll: a few event-loop threads own the connections (so idle keep-alive connections cost
/// no thread) and a worker pool runs handlers that may block. Start it, then call `shutdown()` from a signal
/// handler and `waitUntilStopped()` from the main thread.
public final class HTTPServer: Sendable {
    public let configuration: Configuration
    private let context: ServerContext
    private let state = Mutex<State>(State())
    private let stoppedSignal = DispatchSemaphore(value: 0)

    struct State {
        var listener: Int32 = -1
        var port = 0
        var loops: [EventLoop] = []
        var shuttingDown = false
        var stopped = false
        /// Whether a shutdown closed connections whose requests had not been answered.
        var forcedClose = false
    }

    public init(configuration: Configuration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.context = ServerContext(configuration: configuration, router: router, logger: logger)
    }

    /// The bound port (useful with port 0); 0 before `start()`.
    public var port: Int { state.withLock { $0.port } }

    /// Binds the listening socket and starts the event loops. Throws when the address cannot be bound.
    public func start() throws(SocketError) {
        signal(SIGPIPE, SIG_IGN)
        Socket.raiseFileLimit()
        let (listener, port) = try Socket.listen(
            host: configuration.host, port: configuration.port, backlog: Int32(configuration.listenBacklog))
        var loops: [EventLoop] = []
        for index in 0..<configuration.eventLoops {
            loops.append(try EventLoop(index: index, port: port, context: context, listener: listener))
        }
        state.withLock {
            $0.listener = listener
            $0.port = port
            $0.loops = loops
        }
        for loop in loops { loop.start() }
        context.logger.info(
            "listening", metadata: ["address": "\(configuration.host)", "port": "\(port)"])
    }

    /// Starts a graceful shutdown and returns at once: no new connections, idle ones closed, in-flight requests
    /// finished (their connections then close) within the grace period plus `cutOffAnswerPeriod`, after which
    /// everything is closed.
    public func shutdown() {
        let loops: [EventLoop]? = state.withLock { state in
            guard !state.shuttingDown, !state.loops.isEmpty else { return nil }
            state.shuttingDown = true
            return state.loops
        }
        guard let loops else { return }
        context.draining.store(true, ordering: .relaxed)
        context.logger.info("shutting down", metadata: ["grace_seconds": "\(configuration.gracePeriod)"])
        for loop in loops { loop.post(.drain) }
        let grace = configuration.gracePeriod
        let answerPeriod = configuration.cutOffAnswerPeriod
        Thread.detachNewThread { [self] in
            let deadline = DispatchTime.now() + grace + answerPeriod
            var forced = false
            for loop in loops where loop.finished.wait(timeout: deadline) == .timedOut {
                if !forced {
                    context.logger.warning("grace period over; closing the remaining connections")
                    for other in loops { other.post(.forceClose) }
                    forced = true
                    state.withLock { $0.forcedClose = true }
                }
                _ = loop.finished.wait(timeout: .now() + 5)
            }
            context.pool.stop()
            context.longPool.stop()
            context.probePool.stop()
            let listener = state.withLock { state in
                state.stopped = true
                return state.listener
            }
            Glibc.close(listener)
            context.logger.info("stopped")
            stoppedSignal.signal()
        }
    }

    /// Whether the last shutdown closed connections whose requests were still unanswered when its time was up.
    public var closedUnansweredConnections: Bool { state.withLock { $0.forcedClose } }

    /// Blocks until a shutdown has completed.
    public func waitUntilStopped() {
        stoppedSignal.wait()
        stoppedSignal.signal()
    }
}
