import HTTPServer

/// Who may call what. The admin token guards every POST; the read token (or the admin token) guards every GET
/// under /v1. Without tokens (loopback-only or `--insecure-no-auth`) everything is open.
public struct Authenticator: Sendable {
    public enum Access: Sendable {
        /// Health, readiness and the API description.
        case open
        case read
        case admin
    }

    let adminToken: [UInt8]?
    let readToken: [UInt8]?

    public init(adminToken: String?, readToken: String?) {
        self.adminToken = adminToken.map { Array($0.utf8) }
        self.readToken = readToken.map { Array($0.utf8) }
    }

    /// The check run on a request head before its body is read.
    public func check(_ access: Access) -> HeadCheck? {
        guard access != .open, adminToken != nil else { return nil }
        return { head in self.verify(head, access: access) }
    }

    func verify(_ head: HTTPRequestHead, access: Access) -> HTTPError? {
        guard let header = head.headers["authorization"] else {
            return unauthorized("an Authorization: Bearer token is required", error: nil)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return unauthorized("the Authorization header must be 'Bearer <token>'", error: "invalid_request")
        }
        let presented = Array(parts[1].utf8)
        if let adminToken, Self.constantTimeEquals(presented, adminToken) { return nil }
        if let readToken, Self.constantTimeEquals(presented, readToken) {
            if access == .read { return nil }
            return HTTPError(
                .forbidden, code: .insufficientScope, message: "the read token cannot do this; use the admin token",
                headers: HTTPHeaders([
                    ("WWW-Authenticate", #"Bearer realm="seedtest-pipelines", error="insufficient_scope""#)
                ]))
        }
        return unauthorized("the bearer token is not valid", error: "invalid_token")
    }

    func unauthorized(_ message: String, error: String?) -> HTTPError {
        var challenge = #"Bearer realm="seedtest-pipelines""#
        if let error { challenge += #", error="\#(error)""# }
        return HTTPError(
            .unauthorized, code: .unauthorized, message: message,
            headers: HTTPHeaders([("WWW-Authenticate", challenge)]))
    }

    /// Compares without an early exit, so the time taken does not reveal how much of a token matched.
    static func constantTimeEquals(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= expected[index] ^ (index < presented.count ? presented[index] : 0)
        }
        return difference == 0
    }
}
