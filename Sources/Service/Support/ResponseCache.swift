import HTTPServer
import Synchronization
import Telemetry

/// Cached responses of read routes whose data only changes through writes that notify `seedtest_changes` (see
/// `ChangeListener`). An entry is served only if no change was notified since the database was read for it, and
/// only while the listener is connected; otherwise every request reads the database.
///
/// Memory is bounded by bytes, not entries: the entries' bodies, headers and keys (plus a fixed overhead each) stay
/// within `maximumBytes`, the oldest stored going first; a response larger than that alone is never kept.
public final class ResponseCache: Sendable {
    /// 64 MiB: the whole KPI history of a few thousand learners, a small part of a pod's memory limit.
    public static let defaultMaximumBytes = 64 << 20
    /// What one entry costs besides its bytes (dictionary slot, array headers, the entry itself), roughly.
    static let entryOverhead = 160

    struct Entry {
        let generation: UInt64
        let response: HTTPResponse
        let bytes: Int
        /// Tells this entry from an earlier one under the same key in `Contents.order`.
        let serial: UInt64
    }

    /// The entries, their total cost, and the order they were stored in (for eviction, oldest first).
    struct Contents {
        var entries: [String: Entry] = [:]
        var bytes = 0
        /// Keys in the order stored; an item whose serial no longer matches its entry is skipped.
        var order: [(key: String, serial: UInt64)] = []
        var oldest = 0
        var nextSerial: UInt64 = 0

        mutating func removeAll() {
            entries.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            bytes = 0
            oldest = 0
        }
    }

    /// Bumped on every notified change. Odd while the listener is disconnected (the cache is then not used).
    private let generation = Atomic<UInt64>(1)
    private let contents = Mutex(Contents())
    /// The bound on the entries' total cost, in bytes.
    public let maximumBytes: Int
    /// Hits, misses and invalidations, when the service counts them.
    let metrics: CacheMetrics?

    public init(maximumBytes: Int = ResponseCache.defaultMaximumBytes, metrics: CacheMetrics? = nil) {
        self.maximumBytes = maximumBytes
        self.metrics = metrics
    }

    /// The generation to stamp a response with, read before the database is; nil while the cache is unusable.
    func currentGeneration() -> UInt64? {
        let value = generation.load(ordering: .acquiring)
        return value % 2 == 0 ? value : nil
    }

    func lookup(_ key: String) -> HTTPResponse? {
        guard let current = currentGeneration() else { return nil }
        return contents.withLock { contents in
            guard let entry = contents.entries[key], entry.generation == current else { return nil }
            return entry.response
        }
    }

    /// What `response` under `key` counts against `maximumBytes`.
    static func cost(of response: HTTPResponse, key: String) -> Int {
        var bytes = entryOverhead + key.utf8.count + response.body.count
        for field in response.headers { bytes += field.name.utf8.count + field.value.utf8.count + 32 }
        return bytes
    }

    func store(_ response: HTTPResponse, for key: String, generation stamped: UInt64) {
        let cost = Self.cost(of: response, key: key)
        guard cost <= maximumBytes else { return }
        contents.withLock { contents in
            if let previous = contents.entries.removeValue(forKey: key) { contents.bytes -= previous.bytes }
            while contents.bytes + cost > maximumBytes, contents.oldest < contents.order.count {
                let (oldKey, serial) = contents.order[contents.oldest]
                contents.oldest += 1
                if let old = contents.entries[oldKey], old.serial == serial {
                    contents.entries[oldKey] = nil
                    contents.bytes -= old.bytes
                }
            }
            // Drop the evicted and superseded items once they outnumber the live ones (each entry has one live item),
            // so that the list stays within twice the entries whichever way keys come and go.
            if contents.order.count > 2 * contents.entries.count + 64 {
                let remaining = contents.order[contents.oldest...].filter {
                    contents.entries[$0.key]?.serial == $0.serial
                }
                contents.order = Array(remaining)
                contents.oldest = 0
            }
            let serial = contents.nextSerial
            contents.nextSerial += 1
            contents.entries[key] = Entry(generation: stamped, response: response, bytes: cost, serial: serial)
            contents.order.append((key: key, serial: serial))
            contents.bytes += cost
        }
    }

    /// The number of entries, their total cost and the length of the eviction list, for tests and diagnostics.
    var usage: (entries: Int, bytes: Int, order: Int) {
        contents.withLock { ($0.entries.count, $0.bytes, $0.order.count) }
    }

    /// Something changed: every entry is stale.
    public func invalidate() {
        metrics?.invalidations.increment()
        generation.wrappingAdd(2, ordering: .acquiringAndReleasing)
        contents.withLock { $0.removeAll() }
    }

    /// The listener connected (`true`) or lost its connection (`false`).
    func setUsable(_ usable: Bool) {
        while true {
            let value = generation.load(ordering: .acquiring)
            let isUsable = value % 2 == 0
            if isUsable == usable { return }
            if generation.compareExchange(expected: value, desired: value + 1, ordering: .acquiringAndReleasing)
                .exchanged
            {
                contents.withLock { $0.removeAll() }
                return
            }
        }
    }
}
