import HTTPServer
import Synchronization

/// Cached responses of read routes whose data only changes through writes that notify `seedtest_changes` (see
/// `ChangeListener`). An entry is served only if no change was notified since the database was read for it, and
/// only while the listener is connected; otherwise every request reads the database.
public final class ResponseCache: Sendable {
    struct Entry {
        let generation: UInt64
        let response: HTTPResponse
    }

    /// Bumped on every notified change. Odd while the listener is disconnected (the cache is then not used).
    private let generation = Atomic<UInt64>(1)
    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The generation to stamp a response with, read before the database is; nil while the cache is unusable.
    func currentGeneration() -> UInt64? {
        let value = generation.load(ordering: .acquiring)
        return value % 2 == 0 ? value : nil
    }

    func lookup(_ key: String) -> HTTPResponse? {
        guard let current = currentGeneration() else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[key], entry.generation == current else { return nil }
            return entry.response
        }
    }

    func store(_ response: HTTPResponse, for key: String, generation stamped: UInt64) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(generation: stamped, response: response)
        }
    }

    /// Something changed: every entry is stale.
    public func invalidate() {
        generation.wrappingAdd(2, ordering: .acquiringAndReleasing)
        entries.withLock { $0.removeAll(keepingCapacity: true) }
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
                entries.withLock { $0.removeAll(keepingCapacity: true) }
                return
            }
        }
    }
}

extension ResponseCache {
    /// The cache key of a request: route, path parameters and the raw query.
    static func key(_ request: HTTPRequest) -> String {
        var key = request.routeTemplate + "\u{0}"
        for name in request.pathParameters.keys.sorted() { key += name + "=" + request.pathParameters[name]! + "\u{0}" }
        return key + (request.head.query ?? "")
    }

    /// The fast path of a cached route: a hit answers on the event loop.
    var fastPath: FastPath {
        { [self] request in lookup(Self.key(request)) }
    }

    /// Runs a read handler and keeps a successful answer for the next identical request.
    func caching(_ request: HTTPRequest, _ body: () throws -> HTTPResponse) throws -> HTTPResponse {
        let generation = currentGeneration()
        let response = try body()
        if let generation, response.status == .ok { store(response, for: Self.key(request), generation: generation) }
        return response
    }
}
