/// The outcome of looking a request up.
enum RouteMatch {
    case found(Route, parameters: [String: String])
    case methodNotAllowed(allowed: [HTTPMethod])
    case notFound
    case badPath
}

/// Maps method and path to a route. Literal paths are found by one dictionary lookup; templates with parameters are
/// tried in registration order. HEAD is served by the GET route when no HEAD route exists.
public struct Router: Sendable {
    var literalRoutes: [String: [HTTPMethod: Route]] = [:]
    var templatedRoutes: [Route] = []

    public init() {}

    /// Registers a handler. Registering the same method and template twice is a programming error.
    public mutating func add(
        _ method: HTTPMethod, _ template: String, bodyLimit: Int? = nil, inflatedBodyLimit: Int? = nil,
        runsInline: Bool = false, longRunning: Bool = false, isProbe: Bool = false, headCheck: HeadCheck? = nil,
        fastPath: FastPath? = nil, keepsGzipBody: Bool = false, handler: @escaping HTTPHandler
    ) {
        let route = Route(
            method: method, template: template, bodyLimit: bodyLimit, inflatedBodyLimit: inflatedBodyLimit,
            runsInline: runsInline, longRunning: longRunning, isProbe: isProbe, headCheck: headCheck,
            fastPath: fastPath, keepsGzipBody: keepsGzipBody, handler: handler)
        // Neither precondition is reachable from a request: `Routes.router` registers every route once, with literal
        // templates, before the server starts (a duplicate fails every test at start-up).
        if route.hasParameters {
            precondition(
                !templatedRoutes.contains { $0.method == method && $0.template == template },
                "duplicate route \(method) \(template)")
            templatedRoutes.append(route)
        } else {
            precondition(literalRoutes[template]?[method] == nil, "duplicate route \(method) \(template)")
            literalRoutes[template, default: [:]][method] = route
        }
    }

    public mutating func get(
        _ template: String, runsInline: Bool = false, isProbe: Bool = false, headCheck: HeadCheck? = nil,
        fastPath: FastPath? = nil, handler: @escaping HTTPHandler
    ) {
        add(
            .get, template, runsInline: runsInline, isProbe: isProbe, headCheck: headCheck, fastPath: fastPath,
            handler: handler)
    }

    public mutating func post(
        _ template: String, bodyLimit: Int? = nil, inflatedBodyLimit: Int? = nil, longRunning: Bool = false,
        headCheck: HeadCheck? = nil, keepsGzipBody: Bool = false, handler: @escaping HTTPHandler
    ) {
        add(
            .post, template, bodyLimit: bodyLimit, inflatedBodyLimit: inflatedBodyLimit, longRunning: longRunning,
            headCheck: headCheck, keepsGzipBody: keepsGzipBody, handler: handler)
    }

    /// Every registered method and template, for documentation checks.
    public var routes: [(method: HTTPMethod, template: String)] {
        let literal = literalRoutes.values.flatMap { $0.values.map { (method: $0.method, template: $0.template) } }
        return literal + templatedRoutes.map { (method: $0.method, template: $0.template) }
    }

    func match(method: HTTPMethod, path: String) -> RouteMatch {
        if let byMethod = literalRoutes[path] {
            if let route = byMethod[method] ?? (method == .head ? byMethod[.get] : nil) {
                return .found(route, parameters: [:])
            }
        }
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard let decoded = PercentDecoding.decode(raw) else { return .badPath }
            segments.append(decoded)
        }
        var allowed: Set<HTTPMethod> = []
        let decodedPath = "/" + segments.joined(separator: "/")
        if let byMethod = literalRoutes[decodedPath] {
            if let route = byMethod[method] ?? (method == .head ? byMethod[.get] : nil) {
                return .found(route, parameters: [:])
            }
            allowed.formUnion(byMethod.keys)
        }
        var headFallback: (Route, [String: String])?
        for route in templatedRoutes {
            guard let parameters = route.match(segments) else { continue }
            if route.method == method { return .found(route, parameters: parameters) }
            if method == .head && route.method == .get && headFallback == nil { headFallback = (route, parameters) }
            allowed.insert(route.method)
        }
        if let (route, parameters) = headFallback { return .found(route, parameters: parameters) }
        guard !allowed.isEmpty else { return .notFound }
        if allowed.contains(.get) { allowed.insert(.head) }
        return .methodNotAllowed(allowed: HTTPMethod.allCases.filter(allowed.contains))
    }
}
