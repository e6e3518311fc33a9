import Foundation
import Glibc
import TestSupport

/// A webhook receiver written the way a customer would write one: Python's `http.server` in a subprocess, verifying
/// `Seedtest-Signature` with Python's own `hmac` module (never our code) and a 5-minute replay window. It answers
/// 204 to a valid post, 401 to a bad one, and 500 to the first `failFirst` posts; each post becomes one JSON line
/// (`valid`, `delivery`, `timestamp`, `body`) in its log.
///
/// `@unchecked Sendable`: the process handle is only touched by `start` and `stop`, which a test calls once each.
final class PythonWebhookReceiver: @unchecked Sendable {
    static let script = #"""
        import hashlib, hmac, http.server, json, sys, time

        port, secret, log_path, fail_first = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], int(sys.argv[4])
        seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                header = self.headers.get("Seedtest-Signature", "")
                delivery = self.headers.get("Seedtest-Delivery")
                valid = False
                timestamp = None
                try:
                    fields = dict(part.split("=", 1) for part in header.split(","))
                    timestamp = int(fields["t"])
                    expected = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
                    valid = hmac.compare_digest(expected, fields["v1"]) and abs(time.time() - timestamp) <= 300
                except (KeyError, ValueError):
                    valid = False
                seen.append(delivery)
                with open(log_path, "a") as log:
                    log.write(json.dumps({"valid": valid, "delivery": delivery, "timestamp": timestamp,
                                          "body": body.decode()}) + "\n")
                status = 500 if len(seen) <= fail_first else (204 if valid else 401)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", port), Handler)
        print("ready", flush=True)
        server.serve_forever()
        """#

    let port: Int
    private let process: Process
    private let logPath: String

    var url: String { "http://127.0.0.1:\(port)/hook" }

    private init(port: Int, process: Process, logPath: String) {
        self.port = port
        self.process = process
        self.logPath = logPath
    }

    /// Starts the receiver with `secret` and waits until it listens.
    static func start(secret: String, failFirst: Int = 0) throws -> PythonWebhookReceiver {
        let port = FreePort.next()
        let logPath = NSTemporaryDirectory() + "webhook-receiver-\(getpid())-\(port).jsonl"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, "\(port)", secret, logPath, "\(failFirst)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let receiver = PythonWebhookReceiver(port: port, process: process, logPath: logPath)
        let line = output.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).hasPrefix("ready") else {
            receiver.stop()
            throw TestClientError("the Python webhook receiver did not start")
        }
        return receiver
    }

    /// The posts received so far, in order.
    func received() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestClientError("not a JSON object: \(line)")
            }
            return object
        }
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitForExitStatus()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }
}
