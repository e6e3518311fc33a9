import CSystem
import Foundation
import Glibc
import Synchronization

/// One epoll event loop on its own thread. It accepts connections (`EventLoop+Accepting`), reads and parses requests
/// (`+Reading`), routes them and runs inline handlers or hands the others to the worker pool (`+Dispatching`), writes
/// their responses in request order (`+Writing`) and enforces timeouts and shutdown (`+Lifecycle`). Each
/// connection's phases are a `ConnectionStateMachine`; the loop does the I/O and carries out the machine's actions.
///
/// Connections and epoll registrations are touched only on this loop's thread; other threads talk to it through
/// `post`, which queues a message and wakes the loop through an eventfd.
final class EventLoop: @unchecked Sendable {
    enum Message {
        case completion(connectionID: UInt64, fd: Int32, bytes: [UInt8], keepAlive: Bool)
        case drain
        case forceClose
    }

    let index: Int
    /// The port served, for the thread's name (`loop-8080-0`), so that per-thread CPU can be told apart.
    let port: Int
    let context: ServerContext
    let listener: Int32
    let epoll: Int32
    let wakeFD: Int32
    let timeouts: ConnectionStateMachine.Timeouts
    private let inbox = Mutex<[Message]>([])
    /// Open connections by file descriptor; touched only on the loop's thread.
    var connections: [Connection?] = []
    var liveConnections = 0
    var nextID: UInt64 = 0
    var draining = false
    var stopped = false
    /// Where `recv` reads into before bytes are appended to a connection's input.
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var nextSweep: UInt64 = 0
    /// Pools given jobs during this turn of the loop without waking a worker; woken once at the turn's end.
    var poolsToWake: [WorkerPool] = []
    let finished = DispatchSemaphore(value: 0)

    static let readEvents = EPOLLIN.rawValue | EPOLLRDHUP.rawValue

    init(index: Int, port: Int, context: ServerContext, listener: Int32) throws(SocketError) {
        self.index = index
        self.port = port
        self.context = context
        self.listener = listener
        let configuration = context.configuration
        timeouts = ConnectionStateMachine.Timeouts(
            head: configuration.headerTimeoutNanoseconds, idle: configuration.idleTimeoutNanoseconds,
            body: configuration.bodyTimeoutNanoseconds, bodyBase: configuration.bodyDeadlineBaseNanoseconds,
            bodyRate: UInt64(max(configuration.bodyMinimumRate, 1)))
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
        register(wakeFD, events: EPOLLIN.rawValue)
        register(listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    deinit {
        // The eventfd closes only here: a worker still running a handler after the loop stopped (a shutdown past its
        // grace period) posts its response, and it holds a reference to the loop until then. Closed when the loop
        // stopped, its number could be reused by then and the wake-up's 8 bytes written into someone else's socket.
        Glibc.close(wakeFD)
        scratch.deallocate()
    }

    func start() {
        let name = "loop-\(port)-\(index)"
        let thread = Thread { [self] in
            csystem_set_thread_name(name)
            self.run()
            self.finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Queues a message for the loop thread and wakes it.
    func post(_ message: Message) {
        let wasEmpty = inbox.withLock { queue in
            queue.append(message)
            return queue.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    // MARK: The loop

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !stopped {
            let count = epoll_wait(epoll, &events, Int32(events.count), 250)
            if count < 0 && errno != EINTR { break }
            for slot in 0..<max(0, Int(count)) {
                let event = events[slot]
                let fd = event.data.fd
                if fd == listener {
                    acceptConnections()
                } else if fd == wakeFD {
                    handleMessages()
                } else if let connection = connection(for: fd) {
                    handle(event.events, on: connection)
                }
            }
            let now = MonotonicClock.now()
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + 250_000_000
            }
            wakeWorkers()
            if draining && liveConnections == 0 { stopped = true }
        }
        for connection in connections.compactMap({ $0 }) { forceClose(connection) }
        Glibc.close(epoll)
    }

    /// Wakes workers for the jobs this turn queued, once per pool.
    private func wakeWorkers() {
        guard !poolsToWake.isEmpty else { return }
        var woken: [ObjectIdentifier] = []
        for pool in poolsToWake where !woken.contains(ObjectIdentifier(pool)) {
            woken.append(ObjectIdentifier(pool))
            pool.wakeForQueued()
        }
        poolsToWake.removeAll(keepingCapacity: true)
    }

    private func connection(for fd: Int32) -> Connection? {
        Int(fd) < connections.count ? connections[Int(fd)] : nil
    }

    private func handle(_ events: UInt32, on connection: Connection) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && connection.workerHandoff != nil {
            // The peer is gone while a worker runs the handler: stop watching (these events cannot be masked) and
            // close once the worker is done with the socket.
            close(connection)
            return
        }
        if events & EPOLLERR.rawValue != 0 {
            close(connection)
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            guard flush(connection) else { return }
            if !connection.state.writePending { process(connection) }
        }
        if !connection.isClosed,
            events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0
        {
            readAvailable(connection)
        }
    }

    private func handleMessages() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeFD, &value, 8)
        let messages = inbox.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
        for message in messages {
            switch message {
            case .completion(let id, let fd, let bytes, let keepAlive):
                guard let connection = connection(for: fd), connection.id == id, !connection.isClosed else { continue }
                connection.workerHandoff?.takeBack()
                connection.workerHandoff = nil
                if connection.closeWhenBack {
                    close(connection)
                    continue
                }
                queueResponse(bytes, keepAlive: keepAlive, on: connection)
                if !connection.isClosed && !connection.state.writePending { process(connection) }
            case .drain:
                startDraining()
            case .forceClose:
                for connection in connections.compactMap({ $0 }) { forceClose(connection) }
                stopped = true
            }
        }
    }

    // MARK: epoll registrations

    func register(_ fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event)
    }

    func setEvents(_ connection: Connection, _ events: UInt32) {
        guard events != connection.events, !connection.closeWhenBack else { return }
        connection.events = events
        var event = epoll_event()
        event.events = events
        event.data.fd = connection.fd
        epoll_ctl(epoll, EPOLL_CTL_MOD, connection.fd, &event)
    }

    /// Watches for input again after a response, unless the peer will send nothing more.
    func resumeReading(_ connection: Connection) {
        if connection.events & EPOLLIN.rawValue == 0 && !connection.state.peerClosed {
            setEvents(connection, connection.events | EPOLLIN.rawValue)
        }
    }
}
