import OutboundHTTP
import Testing

/// Backoff arithmetic and what counts as retryable, without any network.
struct RetryPolicyTests {
    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: 0)
        #expect(
            policy.delays() == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
            ])
        #expect(RetryPolicy.never.delays().isEmpty)
    }

    @Test func seededJitterIsReproducibleAndBounded() {
        func policy(seed: UInt64) -> RetryPolicy {
            RetryPolicy(
                maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(10), jitter: 0.5, jitterSeed: seed)
        }
        let delays = policy(seed: 42).delays()
        #expect(delays == policy(seed: 42).delays())
        #expect(delays != policy(seed: 43).delays())
        for (index, delay) in delays.enumerated() {
            let full = Duration.milliseconds(100) * (1 << index)
            #expect(delay <= full && delay >= full / 2, "delay \(index): \(delay)")
        }
    }

    @Test func delayFormula() {
        let policy = RetryPolicy(baseDelay: .milliseconds(200), maxDelay: .seconds(1), jitter: 0.5)
        #expect(policy.delay(beforeAttempt: 1, unitRandom: 0.3) == .zero)
        #expect(policy.delay(beforeAttempt: 2, unitRandom: 0) == .milliseconds(200))
        #expect(policy.delay(beforeAttempt: 3, unitRandom: 1) == .milliseconds(200))
        #expect(policy.delay(beforeAttempt: 9, unitRandom: 0) == .seconds(1))
    }

    @Test(arguments: [
        (400, false), (401, false), (403, false), (404, false), (409, false), (422, false),
        (429, true), (500, true), (502, true), (503, true), (504, true),
    ])
    func retryableStatuses(status: Int, retryable: Bool) {
        let error = OutboundError(.status(status, serviceCode: nil), method: "POST", target: "http://example.test")
        #expect(error.isRetryable == retryable)
        #expect(!error.isConnectionFailure)
    }

    @Test func transportFailuresAreRetryable() {
        let refused = OutboundError(
            .connection(code: 7, message: "Couldn't connect to server"), method: "GET", target: "")
        let timeout = OutboundError(
            .timeout(limit: .seconds(1), message: "Timeout was reached"), method: "GET", target: "")
        let certificate = OutboundError(
            .connection(code: 60, message: "SSL peer certificate"), method: "GET", target: "")
        #expect(refused.isRetryable && refused.isConnectionFailure)
        #expect(timeout.isRetryable && timeout.isConnectionFailure)
        #expect(!certificate.isRetryable)
    }
}
