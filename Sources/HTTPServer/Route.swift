/// A request handler. Handlers run on the server's worker threads and may block (database, outbound HTTP); a
/// handler registered with `runsInline` runs on the event-loop thread and must never block.
public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// A check run as soon as a request's head has arrived, before its body is read (authentication, for one). Returning
/// an error answers the request with it without reading the body.
public typealias HeadCheck = @Sendable (HTTPRequestHead) -> HTTPError?

/// A check run on the event loop before a pooled handler: when it returns a response (from memory, never blocking),
/// the handler is skipped.
public typealias FastPath = @Sendable (HTTPRequest) -> HTTPResponse?

/// One method on one path template such as `/v1/users/{user_id}/kpis`.
public struct Route: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public let method: HTTPMethod
    public let template: String
    let segments: [Segment]
    let handler: HTTPHandler
    /// The largest body accepted on the wire; nil uses the server's default.
    public var bodyLimit: Int?
    /// The largest body accepted after gzip inflation; nil uses the body limit.
    public var inflatedBodyLimit: Int?
    public var runsInline: Bool
    /// Handlers that may take long (waiting for a pipeline run, bulk loads) run on a pool of their own, so that they
    /// never hold up quick reads.
    public var longRunning: Bool
    /// Health probes (readiness) run on a small pool of their own, so that they answer in time even when every
    /// worker is stuck (a stalled database): a probe must report that, not wait behind it.
    public var isProbe: Bool
    public var headCheck: HeadCheck?
    public var fastPath: FastPath?
    /// The handler gets a gzip body still compressed (`HTTPRequest.gzipBodyLimit` set) and inflates it itself, step by
    /// step, so that it can start on the first bytes (the ingest route streams them into COPY).
    public var keepsGzipBody: Bool

    init(
        method: HTTPMethod, template: String, bodyLimit: Int?, inflatedBodyLimit: Int?, runsInline: Bool,
        longRunning: Bool = false, isProbe: Bool = false, headCheck: HeadCheck?, fastPath: FastPath? = nil,
        keepsGzipBody: Bool = false, handler: @escaping HTTPHandler
    ) {
        // Not reachable from a request: routes are built only by `Router.add`, which `Routes.router` calls with literal
        // templates once, before the server starts.
        precondition(template.hasPrefix("/"), "route templates start with '/'")
        // A handler that keeps gzip bodies inflates them on a worker; inline and fast-path handlers run on the loop.
        precondition(!keepsGzipBody || (!runsInline && fastPath == nil), "a route keeping gzip bodies runs on a worker")
        self.method = method
        self.template = template
        self.segments = template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
        self.bodyLimit = bodyLimit
        self.inflatedBodyLimit = inflatedBodyLimit
        self.runsInline = runsInline
        self.longRunning = longRunning
        self.isProbe = isProbe
        self.headCheck = headCheck
        self.fastPath = fastPath
        self.keepsGzipBody = keepsGzipBody
        self.handler = handler
    }

    var hasParameters: Bool {
        segments.contains { if case .parameter = $0 { return true } else { return false } }
    }

    /// The path parameters when `pathSegments` (already percent-decoded) fit this template.
    func match(_ pathSegments: [String]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard literal == value else { return nil }
            case .parameter(let name):
                guard !value.isEmpty else { return nil }
                parameters[name] = value
            }
        }
        return parameters
    }
}
