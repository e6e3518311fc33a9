/// Finds the end of a request head (the empty line) incrementally, rejecting bare LF line ends as soon as they appear.
enum HeadScanner {
    enum Outcome: Equatable {
        /// The head ends just before `end` (exclusive index, after the final LF).
        case complete(end: Int)
        case incomplete
        case bareLineFeed
    }

    /// Scans `input[start + scanned ..< input.count]`; `scanned` is updated so that bytes are examined once.
    /// Empty lines before a request line are skipped (RFC 9112 §2.2) by advancing `start`.
    static func scan(_ input: UnsafeBufferPointer<UInt8>, start: inout Int, scanned: inout Int) -> Outcome {
        while scanned == 0, input.count - start >= 2, input[start] == 0x0D, input[start + 1] == 0x0A {
            start += 2
        }
        var index = start + scanned
        while index < input.count {
            if input[index] == 0x0A {
                guard index > start, input[index - 1] == 0x0D else { return .bareLineFeed }
                if index - start >= 3, input[index - 2] == 0x0A, input[index - 3] == 0x0D {
                    scanned = index + 1 - start
                    return .complete(end: index + 1)
                }
            }
            index += 1
        }
        scanned = index - start
        return .incomplete
    }
}
