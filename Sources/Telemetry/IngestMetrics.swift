import Metrics

/// `POST /v1/attempts`: attempts by outcome and the compressed request sizes.
public final class IngestMetrics: Sendable {
    static let requestSizeName = "seedtest_ingest_request_size_bytes"

    let received: Metrics.Counter
    let inserted: Metrics.Counter
    let duplicate: Metrics.Counter
    let rejected: Metrics.Counter
    let requestSize: Metrics.Recorder

    init(factory: any MetricsFactory) {
        func outcome(_ name: String) -> Metrics.Counter {
            Metrics.Counter(label: "seedtest_ingest_attempts_total", dimensions: [("outcome", name)], factory: factory)
        }
        received = outcome("received")
        inserted = outcome("inserted")
        duplicate = outcome("duplicate")
        rejected = outcome("rejected")
        requestSize = Metrics.Recorder(label: Self.requestSizeName, dimensions: [], aggregate: true, factory: factory)
    }

    /// One ingest request's body size as received (before inflation).
    public func request(bytes: Int) {
        requestSize.record(bytes)
    }

    /// A batch was stored: `received` attempts, of which `inserted` were new and `duplicate` already stored.
    public func stored(received count: Int, inserted new: Int, duplicate duplicates: Int) {
        received.increment(by: count)
        inserted.increment(by: new)
        duplicate.increment(by: duplicates)
    }

    /// A batch was refused as invalid (nothing of it stored). Its records are not counted, since parsing stops at the
    /// first bad one: `rejected` counts refused batches.
    public func rejectedBatch() {
        rejected.increment()
    }
}
