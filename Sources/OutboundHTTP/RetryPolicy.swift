/// How often and how patiently to retry: exponential backoff from `baseDelay`, capped at `maxDelay`, with an
/// optional random reduction (jitter) so that many clients do not retry in lockstep.
///
/// What is retried is fixed: connection failures, timeouts, 5xx and 429 (`OutboundError.isRetryable`); other 4xx
/// never are, since sending the same request again cannot fix it.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in total, the first included; 1 means no retries.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each further attempt.
    public var baseDelay: Duration
    /// No wait is longer than this.
    public var maxDelay: Duration
    /// The largest fraction of a wait that jitter may remove: 0 waits exactly, 0.5 waits between half and all of
    /// the backoff.
    public var jitter: Double
    /// Seeds the jitter for reproducible waits (tests); nil uses the system's randomness.
    public var jitterSeed: UInt64?

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(2),
        jitter: Double = 0.2, jitterSeed: UInt64? = nil
    ) {
        // Not reachable from a request or a setting: every policy in the code base is built from a literal (1 or 3).
        precondition(maxAttempts >= 1, "a retry policy needs at least one attempt")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
        self.jitterSeed = jitterSeed
    }

    /// One attempt, no retries.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt` (2 or later) for a random draw `unitRandom` in [0, 1):
    /// `min(maxDelay, baseDelay · 2^(attempt − 2)) · (1 − jitter · unitRandom)`.
    public func delay(beforeAttempt attempt: Int, unitRandom: Double) -> Duration {
        guard attempt >= 2 else { return .zero }
        let doublings = min(attempt - 2, 30)
        let backoff = min(baseDelay * (1 << doublings), maxDelay)
        return backoff * (1 - jitter * min(max(unitRandom, 0), 1))
    }

    /// The waits between the attempts of one call, in order (`maxAttempts − 1` of them), drawn from the seed or
    /// the system's randomness.
    public func delays() -> [Duration] {
        var source = JitterSource(seed: jitterSeed)
        guard maxAttempts > 1 else { return [] }
        return (2...maxAttempts).map { delay(beforeAttempt: $0, unitRandom: source.nextUnit()) }
    }
}

/// Random draws in [0, 1) for jitter: SplitMix64 when seeded (reproducible), the system generator otherwise.
struct JitterSource {
    private var state: UInt64?

    init(seed: UInt64?) {
        state = seed
    }

    mutating func nextUnit() -> Double {
        guard var value = state else { return Double.random(in: 0..<1) }
        value &+= 0x9E37_79B9_7F4A_7C15
        state = value
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        return Double(mixed >> 11) / Double(UInt64(1) << 53)
    }
}
