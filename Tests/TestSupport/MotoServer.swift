import Foundation
import OutboundHTTP

/// A throwaway S3-compatible server: moto's server mode (from PyPI, installed by scripts/install-test-tools.sh) on a free loopback port, one per test.
///
/// `@unchecked Sendable`: the process handle is only touched by `start` and `stop`, which a test calls once each,
/// in that order.
public final class MotoServer: @unchecked Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    private let process: Process
    private let logPath: String
    private let client = HTTPClient(logger: TestServer.quietLogger)

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, process: Process, logPath: String) {
        self.port = port
        self.process = process
        self.logPath = logPath
    }

    /// Starts moto and waits until it answers. moto is installed by `make test`'s bootstrap
    /// (scripts/install-test-tools.sh); without it this throws, naming the missing module.
    public static func start() throws -> MotoServer {
        try launch()
    }

    private static func launch() throws -> MotoServer {
        let port = FreePort.next()
        let logPath = NSTemporaryDirectory() + "moto-\(port).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"]
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        let server = MotoServer(port: port, process: process, logPath: logPath)
        try server.waitUntilReady(limit: .seconds(60))
        return server
    }

    /// Stops the server and removes its log. moto keeps everything in memory and takes 1–2 s to exit on SIGTERM,
    /// so it is killed outright.
    public func stop() {
        if process.exitStatusIfExited() == nil {
            kill(process.processIdentifier, SIGKILL)
            let deadline = ContinuousClock.now + .seconds(5)
            while process.exitStatusIfExited() == nil && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// Creates an IAM user allowed `s3:*` and returns its access key. Must run while moto still accepts unsigned
    /// requests, i.e. before `enforceSignatures()`.
    public func createUserWithS3Access() throws -> (accessKeyID: String, secretAccessKey: String) {
        _ = try iam("Action=CreateUser&UserName=uploader")
        let created = try iam("Action=CreateAccessKey&UserName=uploader")
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        let encodedPolicy = policy.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        _ = try iam("Action=PutUserPolicy&UserName=uploader&PolicyName=s3&PolicyDocument=\(encodedPolicy)")
        guard let keyID = Self.element("AccessKeyId", in: created),
            let secret = Self.element("SecretAccessKey", in: created)
        else { throw StartError(description: "CreateAccessKey answered without a key") }
        return (keyID, secret)
    }

    /// From now on moto checks every request's SigV4 signature against the IAM users' keys, and their permissions.
    public func enforceSignatures() throws {
        let request = OutboundRequest(
            method: .post, url: endpoint + "/moto-api/reset-auth",
            headers: [(name: "Content-Type", value: "text/plain")],
            body: Array("0".utf8), timeout: .seconds(5))
        _ = try client.send(request, retrying: .never).get()
    }

    /// One IAM query action, unsigned (moto routes it by the service named in the credential scope).
    private func iam(_ query: String) throws -> String {
        let authorization =
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, "
            + "SignedHeaders=host, Signature=0"
        let request = OutboundRequest(
            method: .post, url: endpoint + "/",
            headers: [
                (name: "Content-Type", value: "application/x-www-form-urlencoded"),
                (name: "Authorization", value: authorization),
            ],
            body: Array((query + "&Version=2010-05-08").utf8), timeout: .seconds(5))
        return String(decoding: try client.send(request, retrying: .never).get().body, as: UTF8.self)
    }

    private func waitUntilReady(limit: Duration) throws {
        let deadline = ContinuousClock.now + limit
        let probe = OutboundRequest(url: endpoint + "/moto-api/data.json", timeout: .milliseconds(500))
        while ContinuousClock.now < deadline {
            guard process.exitStatusIfExited() == nil else {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(atPath: logPath)
                throw StartError(description: "moto exited during start-up: \(log.suffix(2000))")
            }
            if (try? client.send(probe))?.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        stop()
        throw StartError(description: "moto did not answer within \(limit); its log: \(log.suffix(2000))")
    }

    /// The text of the first `<name>` element of an XML document.
    public static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>")?.upperBound,
            let end = xml.range(of: "</\(name)>", range: start..<xml.endIndex)?.lowerBound
        else { return nil }
        return String(xml[start..<end])
    }
}
