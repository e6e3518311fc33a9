/// Reading `Accept-Encoding` (RFC 9110 §12.5.3).
public enum ContentNegotiation {
    /// Whether the client accepts a gzip-coded response: `gzip` (or `x-gzip`) with a non-zero weight, or `*` with a
    /// non-zero weight when gzip is not listed.
    public static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        guard let header = headers["accept-encoding"] else { return false }
        var gzipWeight: Double?
        var wildcardWeight: Double?
        for entry in header.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingSpaces().lowercased() }
            guard let coding = parts.first, !coding.isEmpty else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            if coding == "gzip" || coding == "x-gzip" { gzipWeight = weight }
            if coding == "*" { wildcardWeight = weight }
        }
        if let gzipWeight { return gzipWeight > 0 }
        return (wildcardWeight ?? 0) > 0
    }
}
