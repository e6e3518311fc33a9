import Gzip

extension EventLoop {
    /// Routes a parsed head, runs its head check and limits, and either dispatches it or starts reading its body.
    /// Returns true when processing may continue.
    func routeHead(_ parsed: ParsedHead, on connection: Connection, started: UInt64) -> Bool {
        let requestID = RequestID.from(parsed.head.headers)
        let head = parsed.head
        let hasBody = parsed.framing != .none
        let route: Route
        let parameters: [String: String]
        switch context.router.match(method: head.method, path: head.path) {
        case .found(let found, let foundParameters):
            route = found
            parameters = foundParameters
        case .notFound:
            reject(connection, head, HTTPError.notFound("no route for \(head.path)"), requestID, hasBody, started)
            return !connection.isClosed
        case .badPath:
            reject(
                connection, head, .badRequest("the path has an invalid percent-encoding"), requestID, hasBody, started)
            return !connection.isClosed
        case .methodNotAllowed(let allowed):
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            let error = HTTPError(
                .methodNotAllowed, code: .methodNotAllowed, message: "\(head.method.rawValue) is not allowed here",
                headers: HTTPHeaders([("Allow", list)]))
            reject(connection, head, error, requestID, hasBody, started)
            return !connection.isClosed
        }
        if let check = route.headCheck, let error = check(head) {
            reject(connection, head, error, requestID, hasBody, started, route: route.template)
            return !connection.isClosed
        }
        let bodyLimit = route.bodyLimit ?? context.configuration.defaultBodyLimit
        var pending = PendingRequest(
            parsed: parsed, route: route, parameters: parameters, requestID: requestID, started: started,
            bodyLimit: bodyLimit, inflatedLimit: route.inflatedBodyLimit ?? bodyLimit)
        switch parsed.framing {
        case .none:
            dispatch(pending, on: connection)
            return !connection.isClosed
        case .length(let length):
            guard length <= bodyLimit else {
                reject(
                    connection, head, ChunkedDecoder.tooLarge(bodyLimit), requestID, true, started,
                    route: route.template)
                return false
            }
            pending.remaining = length
            pending.body.reserveCapacity(length)
        case .chunked:
            pending.chunked = ChunkedDecoder(bodyLimit: bodyLimit)
        }
        connection.pending = pending
        _ = connection.state.bodyExpected(
            now: started, length: pending.chunked == nil ? pending.remaining : nil, limit: bodyLimit)
        if parsed.expectContinue && connection.unreadCount == 0 {
            queueInterimResponse(Self.continueBytes, on: connection)
        }
        return !connection.isClosed
    }

    static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Dispatches a request whose body is complete; returns true when processing may continue.
    func dispatchComplete(_ pending: PendingRequest, on connection: Connection) -> Bool {
        var pending = pending
        // A large gzip body takes milliseconds to inflate: a route that runs on a worker inflates it there, so the
        // loop's other connections never wait for it.
        if pending.parsed.gzipBody && !pending.inflatesInWorker && !pending.keepsGzipBody {
            do {
                pending.body = try Gzip.decompressBody(pending.body, limit: pending.inflatedLimit)
            } catch {
                reject(
                    connection, pending.parsed.head, error, pending.requestID, false, pending.started,
                    route: pending.route.template)
                return !connection.isClosed
            }
        }
        dispatch(pending, on: connection)
        return !connection.isClosed
    }
}
