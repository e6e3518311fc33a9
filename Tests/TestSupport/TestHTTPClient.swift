import Foundation
import Glibc

/// A response as the test client read it off the wire.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A failure of the test client itself (connect, timeout, malformed response).
public struct TestClientError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A blocking HTTP/1.1 client over one TCP connection, writing exactly the bytes a test gives it, so that malformed
/// and pipelined requests can be sent as they are.
public final class TestConnection: @unchecked Sendable {
    public let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port` with a receive timeout.
    public init(port: Int, timeout: Double = 10) throws {
        fd = try Self.connectedSocket(port: port)
        setTimeout(timeout)
    }

    /// A socket connected to 127.0.0.1:`port`; a socket that fails to connect is closed here, once. `fd` is assigned
    /// only from a connected socket because a class whose throwing initialiser fails after setting every stored
    /// property still runs `deinit`: closing in the initialiser and again in `deinit` closed the same number twice,
    /// and in between another thread (a server's `accept`, another test's client) could have been given that
    /// number, whose socket then vanished or was swapped under it.
    static func connectedSocket(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestClientError("connect to port \(port) failed: errno \(code)")
        }
        return fd
    }

    deinit { Glibc.close(fd) }

    public func setTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw TestClientError("send failed: errno \(errno)") }
            offset += sent
        }
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Half-closes the connection (no more requests will be sent).
    public func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes; returns false at EOF.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw TestClientError("timed out waiting for the server") }
        if errno == ECONNRESET { return false }
        throw TestClientError("recv failed: errno \(errno)")
    }

    /// Whether the server closed the connection (EOF or reset) within the timeout.
    public func isClosedByServer() -> Bool {
        do {
            while try fill() {}
            return true
        } catch {
            return false
        }
    }

    /// Reads one response. Interim 1xx responses are returned like any other when `skipInterim` is false.
    public func readResponse(skipInterim: Bool = true, headRequest: Bool = false) throws -> TestResponse {
        while true {
            let response = try readOne(headRequest: headRequest)
            if skipInterim && response.status < 200 { continue }
            return response
        }
    }

    private func readOne(headRequest: Bool) throws -> TestResponse {
        var headEnd: Int?
        while headEnd == nil {
            if let range = findHeadEnd() {
                headEnd = range
            } else if try !fill() {
                throw TestClientError("connection closed before a complete response head")
            }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd!)
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestClientError("malformed status line")
        }
        let headers = lines.map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        var response = TestResponse(status: status, headers: headers, body: [])
        if status < 200 || status == 204 || status == 304 || headRequest { return response }
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            while buffer.count < length {
                guard try fill() else { throw TestClientError("connection closed inside the body") }
            }
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while try fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 3..<buffer.count
        where buffer[index] == 0x0A && buffer[index - 1] == 0x0D && buffer[index - 2] == 0x0A
            && buffer[index - 3] == 0x0D
        {
            return index + 1
        }
        return nil
    }

    /// Sends a well-formed request and reads its response.
    public func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> TestResponse {
        try send(TestHTTP.requestBytes(method, path, headers: headers, body: body))
        return try readResponse(headRequest: method == "HEAD")
    }
}

/// One-shot requests for tests that do not care about the connection.
public enum TestHTTP {
    public static func requestBytes(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: test\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body, !headers.contains(where: { $0.0.lowercased() == "transfer-encoding" }) {
            text += "Content-Length: \(body.count)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8) + (body ?? [])
    }

    public static func request(
        port: Int, _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Double = 60
    ) throws -> TestResponse {
        let connection = try TestConnection(port: port, timeout: timeout)
        return try connection.request(method, path, headers: headers + [("Connection", "close")], body: body)
    }
}
