/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally: chunk extensions are accepted and ignored,
/// trailer fields are validated like headers and dropped. Sizes are checked against the body limit before any data
/// of the chunk is buffered.
package struct ChunkedDecoder {
    enum State {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailer
        case done
    }

    static let maximumLineLength = 4096
    static let maximumTrailerBytes = 16 * 1024

    var state: State = .sizeLine
    var trailerBytes = 0
    var bodyLimit: Int

    package init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }

    package var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    /// Consumes as much of `input[index...]` as it can, appending decoded data to `body`.
    package mutating func decode(_ input: UnsafeBufferPointer<UInt8>, index: inout Int, body: inout [UInt8])
        throws(HTTPError)
    {
        while index < input.count {
            switch state {
            case .sizeLine:
                guard let lineEnd = try lineEnd(input, from: index) else { return }
                let size = try parseSizeLine(UnsafeBufferPointer(rebasing: input[index..<lineEnd - 1]))
                index = lineEnd + 1
                if size == 0 {
                    state = .trailer
                } else {
                    guard body.count + size <= bodyLimit else { throw Self.tooLarge(bodyLimit) }
                    state = .data(remaining: size)
                }
            case .data(let remaining):
                let available = min(remaining, input.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<index + available]))
                index += available
                state = remaining == available ? .dataEnd : .data(remaining: remaining - available)
            case .dataEnd:
                guard input.count - index >= 2 else { return }
                guard input[index] == 0x0D, input[index + 1] == 0x0A else {
                    throw RequestHeadParser.malformed("chunk data not followed by CRLF", code: .badChunk)
                }
                index += 2
                state = .sizeLine
            case .trailer:
                guard let lineEnd = try lineEnd(input, from: index) else { return }
                let line = UnsafeBufferPointer(rebasing: input[index..<lineEnd - 1])
                trailerBytes += line.count + 2
                guard trailerBytes <= Self.maximumTrailerBytes else {
                    throw RequestHeadParser.malformed("trailer section too large", code: .badChunk)
                }
                index = lineEnd + 1
                if line.isEmpty {
                    state = .done
                    return
                }
                _ = try RequestHeadParser.parseField(line)
            case .done:
                return
            }
        }
    }

    /// The index of the LF ending the line that starts at `start`, or nil when it has not arrived yet.
    func lineEnd(_ input: UnsafeBufferPointer<UInt8>, from start: Int) throws(HTTPError) -> Int? {
        var position = start
        while position < input.count {
            if input[position] == 0x0A {
                guard position > start, input[position - 1] == 0x0D else {
                    throw RequestHeadParser.malformed("chunk line ends must be CRLF", code: .badChunk)
                }
                return position
            }
            position += 1
            guard position - start <= Self.maximumLineLength else {
                throw RequestHeadParser.malformed("chunk line too long", code: .badChunk)
            }
        }
        return nil
    }

    /// `chunk-size [ BWS ";" extension ]`: hexadecimal digits, then optional extensions that are not interpreted.
    func parseSizeLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPError) -> Int {
        var size = 0
        var digits = 0
        var position = 0
        while position < line.count, let digit = PercentDecoding.hexValue(line[position]) {
            size = size << 4 | Int(digit)
            digits += 1
            position += 1
            guard digits <= 15 else { throw Self.tooLarge(bodyLimit) }
        }
        guard digits > 0 else { throw RequestHeadParser.malformed("invalid chunk size", code: .badChunk) }
        while position < line.count, line[position] == 0x20 || line[position] == 0x09 { position += 1 }
        if position < line.count {
            guard line[position] == UInt8(ascii: ";") else {
                throw RequestHeadParser.malformed("invalid chunk size", code: .badChunk)
            }
            for byte in line[position...] where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw RequestHeadParser.malformed("control character in chunk extension", code: .badChunk)
            }
        }
        return size
    }

    static func tooLarge(_ limit: Int) -> HTTPError {
        HTTPError(.contentTooLarge, code: .bodyTooLarge, message: "request body exceeds \(limit) bytes")
    }
}
