extension HTTPServer {
    /// Everything the server needs to know; validated by the service before it starts.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Event-loop threads (connections are spread across them).
        public var eventLoops = 2
        /// Threads that run blocking handlers; about the database pool's size serves best (more only queue there).
        public var workerThreads = 12
        /// Threads for long-running handlers (routes registered with `longRunning`).
        public var longRunningWorkerThreads = 16
        /// Requests that may wait for a worker thread, per pool; beyond it a request is answered 503 with `Retry-After`
        /// instead of queued, so that an overloaded server answers quickly rather than late.
        public var workerQueueCapacity = 1024
        /// Open connections beyond this get a 503 and are closed.
        public var maxConnections = 16_384
        public var listenBacklog = 4096
        /// Request line plus headers; beyond it the answer is 431.
        public var maxHeaderBytes = 16 * 1024
        /// The body limit of routes that do not set their own; beyond it the answer is 413.
        public var defaultBodyLimit = 8 * 1024 * 1024
        /// A request head must arrive completely within this many seconds of its first byte (and a new connection
        /// must send one within this time).
        public var headerTimeout: Double = 10
        /// A keep-alive connection with no request for this long is closed.
        public var idleTimeout: Double = 60
        /// A request body that makes no progress for this long is abandoned with 408.
        public var bodyTimeout: Double = 30
        /// A whole request body must arrive within this many seconds plus its length at `bodyMinimumRate`, or it is
        /// answered 408 and the connection closed (a chunked body earns the allowance of what it has sent, up to the
        /// route's body limit). This bounds a body trickled in a byte at a time.
        public var bodyDeadlineBase: Double = 10
        /// Bytes per second a request body earns time at, beyond `bodyDeadlineBase`.
        public var bodyMinimumRate = 64 * 1024
        /// How long a shutdown waits for in-flight requests.
        public var gracePeriod: Double = 30
        /// After the grace period, how long requests still in flight get to answer before their connections close:
        /// the application cuts their work off then (the service cancels its runs) and answers them.
        public var cutOffAnswerPeriod: Double = 0
        /// Response bodies larger than this are gzip-compressed for clients that accept it.
        public var compressionThreshold = 1024
        /// Where the one line per request goes; nil logs nothing.
        public var accessLog: (any AccessLogging)?
        /// The running figures this server keeps (open connections, requests in flight, refused connections), for
        /// the application's metrics.
        public var statistics = ServerStatistics()
        /// How an `HTTPError` (a handler's, or the server's own: 404, 408, 413, 503 …) becomes a response. The default
        /// is plain text; an application sets its own format here.
        public var renderError: ErrorRenderer = HTTPError.plainTextResponse

        public init() {}

        var headerTimeoutNanoseconds: UInt64 { UInt64(headerTimeout * 1e9) }
        var idleTimeoutNanoseconds: UInt64 { UInt64(idleTimeout * 1e9) }
        var bodyTimeoutNanoseconds: UInt64 { UInt64(bodyTimeout * 1e9) }
        var bodyDeadlineBaseNanoseconds: UInt64 { UInt64(bodyDeadlineBase * 1e9) }

        /// Whether `host` is a loopback address, where the service may run without tokens.
        public var bindsLoopbackOnly: Bool { Socket.isLoopback(host) }
    }
}
