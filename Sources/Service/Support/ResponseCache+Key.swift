import HTTPServer

extension ResponseCache {
    /// The cache key of a request: the route, its path parameters and its query parameters, all decoded, so that
    /// requests a handler cannot tell apart share an entry: `?a=1&b=2` and `?b=2&a=1`, `?a=%41` and `?a=A`, `?a=x+y`
    /// and `?a=x%20y`. Parameters are sorted by name; the values of a repeated one keep their order (a handler may
    /// read the first). Every part is length-prefixed, so no decoded text can forge another key.
    static func key(_ request: HTTPRequest) -> String {
        var key = request.routeTemplate
        key += "|"
        for (name, value) in request.pathParameters.sorted(by: { $0.key < $1.key }) {
            append(name, value, to: &key)
        }
        key += "?"
        let query = request.query.pairs.enumerated().sorted { left, right in
            left.element.name != right.element.name
                ? left.element.name < right.element.name : left.offset < right.offset
        }
        for (_, pair) in query { append(pair.name, pair.value, to: &key) }
        return key
    }

    private static func append(_ name: String, _ value: String, to key: inout String) {
        key += "\(name.utf8.count):\(name)=\(value.utf8.count):\(value)&"
    }

    /// The fast path of a cached route: a hit answers on the event loop.
    var fastPath: FastPath {
        { [self] request in
            let found = lookup(Self.key(request))
            if let metrics { (found == nil ? metrics.misses : metrics.hits).increment() }
            return found
        }
    }

    /// Runs a read handler and keeps a successful answer for the next identical request.
    func caching(_ request: HTTPRequest, _ body: () throws -> HTTPResponse) throws -> HTTPResponse {
        let generation = currentGeneration()
        let response = try body()
        if let generation, response.status == .ok { store(response, for: Self.key(request), generation: generation) }
        return response
    }
}
