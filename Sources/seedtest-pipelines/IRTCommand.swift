import ArgumentParser
import Glibc
import IRT

/// `seedtest-pipelines irt …`: the IRT engine offline — calibrate from CSV, simulate data, run the benchmark.
struct IRTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "irt",
        abstract: "Calibrate, simulate and benchmark the IRT engine (CSV in, CSV out).",
        subcommands: [Calibrate.self, Simulate.self, Bench.self]
    )
}

/// A one-line reason for a non-zero exit.
struct IRTCommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension IRTCommand {
    /// The model named on the command line.
    static func model(_ name: String) throws(IRTCommandError) -> IRTModel {
        guard let model = IRTModel(rawValue: name.uppercased()) else {
            throw IRTCommandError("--model must be 1PL, 2PL or 3PL, got '\(name)'")
        }
        return model
    }

    /// A whole file's bytes, read into one buffer sized from the file (grown if the file grows meanwhile).
    static func readBytes(_ path: String) throws(IRTCommandError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IRTCommandError("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var status = stat()
        let size = fstat(fd, &status) == 0 ? max(Int(status.st_size), 0) : 0
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 20))) }
            // The base address is non-nil: `bytes` always holds more than `count` bytes here.
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 { throw IRTCommandError("\(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            count += n
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// A whole file as UTF-8 text.
    static func readText(_ path: String) throws(IRTCommandError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IRTCommandError("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw IRTCommandError("\(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces `path` with `text`.
    static func writeText(_ text: String, to path: String) throws(IRTCommandError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw IRTCommandError("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var text = text
        let failed = text.withUTF8 { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                // The base address is non-nil: the loop runs only while `bytes` holds more than `offset` bytes.
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return true }
                offset += n
            }
            return false
        }
        if failed { throw IRTCommandError("\(path): \(String(cString: strerror(errno)))") }
    }

    /// Creates `path` (one level) unless it is already a directory.
    static func makeDirectory(_ path: String) throws(IRTCommandError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw IRTCommandError("\(path): \(String(cString: strerror(errno)))")
        }
    }

    /// One line on standard error.
    static func log(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Seconds elapsed while running `body`.
    static func seconds<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> (T, Double) {
        let start = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - start
        return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// `prefix` followed by zero-padded indices, wide enough for `count` (`u0001` … `u5000`).
    static func ids(_ prefix: String, count: Int) -> [String] {
        let width = String(max(count, 1)).count
        return (1...max(count, 1)).prefix(count).map { i in
            let digits = String(i)
            return prefix + String(repeating: "0", count: width - digits.count) + digits
        }
    }
}
