import CCurl

/// Gathers what libcurl's callbacks deliver: header lines and body bytes, up to a size limit.
///
/// libcurl calls the callbacks on the thread running `curl_easy_perform`, which is the thread that created the
/// collector and keeps it alive for the transfer, so the mutable state needs no lock and the class stays
/// non-`Sendable`. The callbacks get the collector back from the context pointer (`Unmanaged`, unretained).
final class ResponseCollector {
    let limit: Int
    private(set) var body: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    /// Set when the body grew past `limit` and the transfer was aborted for it.
    private(set) var exceededLimit = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Installs the write and header callbacks on `easy`, pointing them at this collector. The caller must keep the
    /// collector alive until the transfer has finished.
    func attach(to easy: CurlEasy) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        easy.set(CURLOPT_WRITEDATA, pointer: context, name: "WRITEDATA")
        easy.set(CURLOPT_WRITEFUNCTION, callback: writeBody, name: "WRITEFUNCTION")
        easy.set(CURLOPT_HEADERDATA, pointer: context, name: "HEADERDATA")
        easy.set(CURLOPT_HEADERFUNCTION, callback: writeHeader, name: "HEADERFUNCTION")
    }

    /// Appends body bytes; returning fewer bytes than offered makes libcurl abort with `CURLE_WRITE_ERROR`.
    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= limit else {
            exceededLimit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Records one header line. A status line starts a new response (after `100 Continue`, say), so the headers of
    /// an earlier one are dropped.
    fileprivate func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingWhitespace()
        let value = line[line.index(after: colon)...].trimmingWhitespace()
        guard !name.isEmpty else { return }
        headers.append((name: name, value: value))
    }
}

/// `CURLOPT_WRITEFUNCTION`: hands each chunk of body to the collector in `context`.
private func writeBody(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    return collector.appendBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
}

/// `CURLOPT_HEADERFUNCTION`: hands each complete header line (with its CRLF) to the collector in `context`.
private func writeHeader(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    collector.appendHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
    return size * count
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF (compared as Unicode scalars, so that a CRLF
    /// pair, one `Character` in Swift, is trimmed too).
    func trimmingWhitespace() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(scalars)
    }
}
