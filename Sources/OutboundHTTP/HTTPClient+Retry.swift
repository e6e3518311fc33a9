import Glibc

/// The outcome of a call made with retries: the 2xx response or the last error, and how many attempts it took.
public struct RetryOutcome: Sendable {
    /// The successful (2xx) response, or the last error (a final non-2xx response becomes `.status`).
    public var result: Result<OutboundResponse, OutboundError>
    /// Attempts made, the first included.
    public var attempts: Int

    public init(result: Result<OutboundResponse, OutboundError>, attempts: Int) {
        self.result = result
        self.attempts = attempts
    }

    /// The response, or throws the last error.
    public func get() throws(OutboundError) -> OutboundResponse {
        try result.get()
    }
}

extension HTTPClient {
    /// Sends `request` until it gets a 2xx response, fails in a way a retry cannot fix (4xx other than 429, an
    /// invalid request, a body over the limit), or runs out of attempts, sleeping the policy's backoff between
    /// attempts on the calling thread. Each attempt has the request's own timeout.
    public func send(_ request: OutboundRequest, retrying policy: RetryPolicy) -> RetryOutcome {
        let delays = policy.delays()
        var attempt = 1
        while true {
            let result = sendOnce(request)
            guard case .failure(let error) = result, error.isRetryable, attempt < policy.maxAttempts else {
                return RetryOutcome(result: result, attempts: attempt)
            }
            let delay = delays[attempt - 1]
            logger.notice(
                "outbound request failed; retrying",
                metadata: [
                    "method": "\(request.method)", "target": "\(error.target)", "attempt": "\(attempt)",
                    "error": "\(error.reason)", "retry_in_ms": "\(delay.curlMilliseconds)",
                ])
            Self.sleep(delay)
            attempt += 1
        }
    }

    /// One attempt, with a non-2xx response turned into a `.status` error.
    private func sendOnce(_ request: OutboundRequest) -> Result<OutboundResponse, OutboundError> {
        do {
            let response = try send(request)
            guard response.isSuccess else {
                let kind = OutboundError.Kind.status(response.status, serviceCode: ServiceErrorCode.parse(response))
                return .failure(Self.error(kind, request))
            }
            return .success(response)
        } catch {
            return .failure(error)
        }
    }

    /// Blocks the calling thread (never a concurrency-pool thread: see the type's documentation).
    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR {
            request = remaining
        }
    }
}
