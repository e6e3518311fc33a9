/// The protocol version of a request: only HTTP/1.0 and HTTP/1.1 are served.
public enum HTTPVersion: String, Sendable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}
