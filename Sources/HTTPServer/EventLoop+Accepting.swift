import Glibc

extension EventLoop {
    /// Accepts waiting connections (a bounded batch per wake-up, so that served connections are not starved).
    func acceptConnections() {
        guard !draining else { return }
        let maxConnections = context.configuration.maxConnections
        for _ in 0..<64 {
            guard let fd = Socket.accept(listener) else { return }
            let open = context.statistics.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            if open > maxConnections {
                context.statistics.openConnections.wrappingSubtract(1, ordering: .relaxed)
                context.statistics.refusedConnections.wrappingAdd(1, ordering: .relaxed)
                rejectOverCapacity(fd)
                continue
            }
            nextID += 1
            let connection = Connection(
                id: nextID << 8 | UInt64(index), fd: fd, events: Self.readEvents,
                state: ConnectionStateMachine(now: MonotonicClock.now(), timeouts: timeouts))
            if Int(fd) >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count + 1024))
            }
            connections[Int(fd)] = connection
            liveConnections += 1
            register(fd, events: Self.readEvents)
        }
    }

    /// Over the connection cap: a best-effort 503 and close, so that connections already open keep being served.
    private func rejectOverCapacity(_ fd: Int32) {
        let error = HTTPError(
            .serviceUnavailable, code: .tooManyConnections, message: "the server is at its connection limit",
            headers: HTTPHeaders([("Retry-After", "1")]))
        let bytes = context.errorBytes(error, requestID: RequestID.generate())
        bytes.withUnsafeBytes { _ = Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Glibc.close(fd)
    }
}
