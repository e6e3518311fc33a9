/// The most recent `count` of a calibration's first answers, in order: latest first, answers of one instant by a
/// caller's tie order (learner id, then item id). No two answers are equal in that order (they are first answers of
/// distinct learner × item pairs), so the result is the one a sort of all of them with the same order, cut to
/// `count`, gives.
///
/// The standard library's sort of the bench's 3.3 million first answers with that order took 0.31–0.33 s of the
/// 0.63 s choice. Here a selection puts the most recent `count` first without sorting the rest, a stable radix sort
/// on the time orders them, and only runs of equal times (rare) are sorted by the tie order.
enum MostRecentFirst {
    /// One answer: its time (microseconds) and its row in the window's answers.
    struct Answer {
        let answeredAt: Int64
        let row: Int32
    }

    /// Keeps the most recent `count` of `answers` (all when fewer), sorted latest first, equal times in
    /// `tieOrder`'s order (a strict total order on answers of one instant).
    static func keep(
        _ answers: inout [Answer], count: Int, tieOrder: (Answer, Answer) -> Bool
    ) {
        func precedes(_ a: Answer, _ b: Answer) -> Bool {
            a.answeredAt != b.answeredAt ? a.answeredAt > b.answeredAt : tieOrder(a, b)
        }
        let count = max(0, min(count, answers.count))
        if count < answers.count {
            answers.withUnsafeMutableBufferPointer { select($0, count, by: precedes) }
            answers.removeLast(answers.count - count)
        }
        radixSortLatestFirst(&answers)
        // Runs of one instant, in tie order.
        var start = 0
        while start < answers.count {
            var end = start + 1
            while end < answers.count && answers[end].answeredAt == answers[start].answeredAt { end += 1 }
            if end - start > 1 { answers[start..<end].sort(by: tieOrder) }
            start = end
        }
    }

    /// Rearranges `values` so that its first `count` are the first `count` in `precedes`' order (any order among
    /// them): quickselect with a median-of-three pivot, falling back to sorting a range that partitions badly too
    /// often.
    private static func select(
        _ values: UnsafeMutableBufferPointer<Answer>, _ count: Int, by precedes: (Answer, Answer) -> Bool
    ) {
        var low = 0
        var high = values.count
        var budget = 2 * (Int.bitWidth - values.count.leadingZeroBitCount)
        while high - low > 16 {
            if budget == 0 { break }
            budget -= 1
            let middle = low + (high - low) / 2
            if precedes(values[middle], values[low]) { values.swapAt(middle, low) }
            if precedes(values[high - 1], values[middle]) { values.swapAt(high - 1, middle) }
            if precedes(values[middle], values[low]) { values.swapAt(middle, low) }
            let pivot = values[middle]
            // Hoare's partition: [low, split) precede or equal the pivot, [split, high) follow or equal it.
            var left = low - 1
            var right = high
            while true {
                repeat { left += 1 } while precedes(values[left], pivot)
                repeat { right -= 1 } while precedes(pivot, values[right])
                if left >= right { break }
                values.swapAt(left, right)
            }
            let split = right + 1
            if count < split { high = split } else if count > split { low = split } else { return }
        }
        // A short range, or one that kept partitioning badly: sorting it places `count` exactly.
        guard low < high else { return }
        var range = UnsafeMutableBufferPointer(rebasing: values[low..<high])
        range.sort(by: precedes)
    }

    /// Sorts `answers` latest first, stably: a least-significant-digit radix sort on 11-bit digits of the time
    /// before the latest, as many as that span needs.
    private static func radixSortLatestFirst(_ answers: inout [Answer]) {
        guard answers.count > 1, let latest = answers.lazy.map(\.answeredAt).max(),
            let earliest = answers.lazy.map(\.answeredAt).min()
        else { return }
        let span = UInt64(bitPattern: latest &- earliest)
        let digitBits = 11
        let buckets = 1 << digitBits
        var scratch = answers
        var counts = [Int](repeating: 0, count: buckets)
        var shift = 0
        while shift < UInt64.bitWidth && span >> shift != 0 {
            answers.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    for index in counts.indices { counts[index] = 0 }
                    let digit = { (answer: Answer) -> Int in
                        Int((UInt64(bitPattern: latest &- answer.answeredAt) >> shift) & UInt64(buckets - 1))
                    }
                    for answer in source { counts[digit(answer)] += 1 }
                    var total = 0
                    for index in counts.indices {
                        let size = counts[index]
                        counts[index] = total
                        total += size
                    }
                    for answer in source {
                        let bucket = digit(answer)
                        target[counts[bucket]] = answer
                        counts[bucket] += 1
                    }
                }
            }
            swap(&answers, &scratch)
            shift += digitBits
        }
    }
}
