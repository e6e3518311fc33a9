import HTTPServer

/// Decodes the input as a chunked body twice, whole and one byte at a time: both ways must end alike (the same body
/// and state, or an error with the same code), and the body never grows past its limit.
enum ChunkedFuzzing {
    static let bodyLimit = 4096

    struct Outcome: Equatable {
        var body: [UInt8]
        var done: Bool
        var consumed: Int
        var error: String?
    }

    static func run(_ input: [UInt8]) throws(FuzzViolation) {
        let whole = decode(input, step: input.count)
        let bytewise = decode(input, step: 1)
        guard whole == bytewise else {
            throw FuzzViolation("whole and byte-at-a-time decoding differ: \(whole) against \(bytewise)")
        }
        guard whole.body.count <= bodyLimit else {
            throw FuzzViolation("the decoded body has \(whole.body.count) bytes over its limit of \(bodyLimit)")
        }
    }

    /// Feeds `input` in pieces of `step` bytes, as reads from a socket would arrive.
    static func decode(_ input: [UInt8], step: Int) -> Outcome {
        var decoder = ChunkedDecoder(bodyLimit: bodyLimit)
        var body: [UInt8] = []
        var pending: [UInt8] = []
        var consumed = 0
        var offset = 0
        while offset < input.count, !decoder.isDone {
            let end = min(input.count, offset + max(step, 1))
            pending.append(contentsOf: input[offset..<end])
            offset = end
            var index = 0
            do throws(HTTPError) {
                try pending.withUnsafeBufferPointer { (buffer) throws(HTTPError) in
                    try decoder.decode(buffer, index: &index, body: &body)
                }
            } catch {
                return Outcome(body: [], done: false, consumed: 0, error: error.code.rawValue)
            }
            consumed += index
            pending.removeFirst(index)
        }
        return Outcome(body: body, done: decoder.isDone, consumed: consumed, error: nil)
    }
}
