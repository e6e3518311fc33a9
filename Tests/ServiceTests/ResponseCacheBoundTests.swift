import Testing

@testable import HTTPServer
@testable import Service

/// The cache's memory bound (bytes, oldest out first) and its key (decoded, order-insensitive query).
@Suite struct ResponseCacheBoundTests {
    static func response(_ bytes: Int) -> HTTPResponse {
        HTTPResponse(
            status: .ok, headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: [UInt8](repeating: 0x61, count: bytes))
    }

    /// A usable cache (as if the listener had connected) and the generation to stamp entries with.
    static func usableCache(maximumBytes: Int) throws -> (ResponseCache, UInt64) {
        let cache = ResponseCache(maximumBytes: maximumBytes)
        cache.setUsable(true)
        return (cache, try #require(cache.currentGeneration()))
    }

    static func request(_ target: String, template: String = "/v1/kpis", parameters: [String: String] = [:]) throws
        -> HTTPRequest
    {
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let query = parts.count > 1 ? parts[1] : nil
        let head = HTTPRequestHead(
            method: .get, target: target, path: parts[0], query: query, version: .http11, headers: HTTPHeaders(),
            keepAlive: true)
        return HTTPRequest(
            head: head, pathParameters: parameters, routeTemplate: template,
            query: try #require(QueryParameters(raw: query)))
    }

    @Test func totalBytesStayWithinTheBoundAndTheOldestGoFirst() throws {
        let entryCost = ResponseCache.cost(of: Self.response(10_000), key: "key-00")
        let (cache, generation) = try Self.usableCache(maximumBytes: entryCost * 5 + entryCost / 2)
        for index in 0..<20 {
            cache.store(Self.response(10_000), for: "key-\(index < 10 ? "0" : "")\(index)", generation: generation)
            #expect(cache.usage.bytes <= cache.maximumBytes)
        }
        #expect(cache.usage.entries == 5)
        #expect(cache.lookup("key-14") == nil, "the oldest were evicted")
        for index in 15..<20 { #expect(cache.lookup("key-\(index)")?.body.count == 10_000) }
    }

    @Test func aResponseLargerThanTheBoundIsNotKept() throws {
        let (cache, generation) = try Self.usableCache(maximumBytes: 50_000)
        cache.store(Self.response(1_000), for: "small", generation: generation)
        cache.store(Self.response(60_000), for: "huge", generation: generation)
        #expect(cache.lookup("huge") == nil)
        #expect(cache.lookup("small") != nil, "a response too large to keep evicts nothing")
        let (nothing, zeroGeneration) = try Self.usableCache(maximumBytes: 0)
        nothing.store(Self.response(0), for: "empty", generation: zeroGeneration)
        #expect(nothing.usage.entries == 0)
    }

    @Test func storingAKeyAgainReplacesItsCost() throws {
        let (cache, generation) = try Self.usableCache(maximumBytes: 1 << 20)
        for _ in 0..<1000 { cache.store(Self.response(5_000), for: "same", generation: generation) }
        #expect(cache.usage.entries == 1)
        #expect(cache.usage.bytes == ResponseCache.cost(of: Self.response(5_000), key: "same"))
        #expect(cache.usage.order <= 2 * 1 + 64, "superseded items do not pile up")
        cache.store(Self.response(100), for: "same", generation: generation)
        #expect(cache.usage.bytes == ResponseCache.cost(of: Self.response(100), key: "same"))
        cache.invalidate()
        #expect(cache.usage.entries == 0 && cache.usage.bytes == 0)
    }

    @Test func theDefaultBoundIs64MiB() {
        #expect(ResponseCache().maximumBytes == 64 << 20)
        #expect(ServiceConfiguration().responseCacheBytes == 64 << 20)
    }

    @Test func queryParameterOrderAndEncodingDoNotSplitEntries() throws {
        let key = try ResponseCache.key(Self.request("/v1/kpis?week_start=2026-11-23&limit=10"))
        for same in [
            "/v1/kpis?limit=10&week_start=2026-11-23", "/v1/kpis?week_start=2026%2D11%2d23&limit=1%30",
            "/v1/kpis?limit=10&&week_start=2026-11-23&", "/v1/kpis?%6Cimit=10&week_start=2026-11-23",
        ] {
            #expect(try ResponseCache.key(Self.request(same)) == key, "\(same)")
        }
        #expect(
            try ResponseCache.key(Self.request("/v1/kpis?a=x+y")) == ResponseCache.key(Self.request("/v1/kpis?a=x%20y"))
        )
    }

    @Test func keysThatAHandlerCanTellApartDiffer() throws {
        let keys = try [
            "/v1/kpis?limit=10", "/v1/kpis?limit=11", "/v1/kpis", "/v1/kpis?limit=10&limit=11",
            "/v1/kpis?limit=11&limit=10", "/v1/kpis?limit", "/v1/kpis?limit=", "/v1/kpis?a=1%262", "/v1/kpis?a=1&2",
            "/v1/kpis?a%3D1=2", "/v1/kpis?a=1%3D2",
        ].map { try ResponseCache.key(Self.request($0)) }
        #expect(Set(keys).count == keys.count - 1, "only `?limit` and `?limit=` (both an empty value) coincide")
        let template = "/v1/users/{user_id}/kpis"
        let user1 = try ResponseCache.key(Self.request("/x", template: template, parameters: ["user_id": "u1"]))
        let user2 = try ResponseCache.key(Self.request("/x", template: template, parameters: ["user_id": "u2"]))
        let otherRoute = try ResponseCache.key(Self.request("/x", template: "/v1/kpis", parameters: ["user_id": "u1"]))
        #expect(Set([user1, user2, otherRoute]).count == 3)
    }
}
