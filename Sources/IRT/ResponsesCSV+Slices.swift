import Glibc

extension ResponsesCSV {
    /// The rows after the header read in slices on several threads, combined into exactly what one pass from
    /// `bodyStart` gives: the same rows in the same order, ids numbered in order of first appearance in the file.
    ///
    /// Each slice ends just after a line feed. Without a quote byte in the body every line feed ends a record (an
    /// unquoted field never holds one), so each slice starts a record; with one, or when the body is too small to
    /// split, or when a slice is bad input, this returns nil and the caller reads sequentially (and so reports the
    /// error with the line the whole file gives it).
    static func readSlices(
        _ bytes: UnsafeBufferPointer<UInt8>, from bodyStart: Int, columns: ResponseRows.Columns, threads: Int,
        minimumSliceBytes: Int
    ) -> ResponseRows? {
        let body = UnsafeBufferPointer(rebasing: bytes[bodyStart...])
        let count = min(threads, body.count / max(minimumSliceBytes, 1))
        guard count > 1, let base = body.baseAddress, memchr(base, Int32(UInt8(ascii: "\"")), body.count) == nil
        else { return nil }
        var bounds = [0]
        for k in 1..<count {
            let from = max(bounds[k - 1], body.count * k / count)
            let end = memchr(base + from, Int32(UInt8(ascii: "\n")), body.count - from).map {
                base.distance(to: UnsafePointer($0.assumingMemoryBound(to: UInt8.self))) + 1
            }
            bounds.append(end ?? body.count)
        }
        bounds.append(body.count)
        var slices = [ResponseRows?](repeating: nil, count: count)
        slices.withUnsafeMutableBufferPointer { slots in
            // Non-nil: `count` > 1 slots.
            let out = slots.baseAddress!
            Parallel.run(blocks: count, workers: count) { _, k in
                let slice = UnsafeBufferPointer(rebasing: body[bounds[k]..<bounds[k + 1]])
                var scanner = CSVRecords.Scanner(slice, skippingBOM: false)
                var fields = CSVRecords.Fields(bytes: slice)
                out[k] = try? ResponseRows.read(&scanner, &fields, columns: columns)
            }
        }
        var parts: [ResponseRows] = []
        for slice in slices {
            guard let slice else { return nil }
            parts.append(slice)
        }
        return combine(parts, threads: threads)
    }

    /// The slices' rows one after another, each slice's local indices renumbered to the whole file's: an id keeps
    /// the number of its first appearance, and slices are taken in file order, so new ids are numbered in the order
    /// a single pass meets them. Ids are matched by their text, as `CSVInterner` matches them.
    private static func combine(_ parts: [ResponseRows], threads: Int) -> ResponseRows {
        var learnerIDs: [String] = []
        var itemIDs: [String] = []
        var learnerNumbers: [String: Int32] = [:]
        var itemNumbers: [String: Int32] = [:]
        let learnerMaps = parts.map { renumber($0.learnerIDs, ids: &learnerIDs, numbers: &learnerNumbers) }
        let itemMaps = parts.map { renumber($0.itemIDs, ids: &itemIDs, numbers: &itemNumbers) }
        var starts = [0]
        for part in parts { starts.append(starts[starts.count - 1] + part.learners.count) }
        let total = starts[parts.count]
        var learners = [Int32](repeating: 0, count: total)
        var items = [Int32](repeating: 0, count: total)
        var correct = [Bool](repeating: false, count: total)
        learners.withUnsafeMutableBufferPointer { learners in
            items.withUnsafeMutableBufferPointer { items in
                correct.withUnsafeMutableBufferPointer { correct in
                    Parallel.run(blocks: parts.count, workers: Parallel.workers(threads: threads, blocks: parts.count))
                    { _, k in
                        let part = parts[k]
                        let learnerMap = learnerMaps[k]
                        let itemMap = itemMaps[k]
                        for r in part.learners.indices {
                            learners[starts[k] + r] = learnerMap[Int(part.learners[r])]
                            items[starts[k] + r] = itemMap[Int(part.items[r])]
                            correct[starts[k] + r] = part.correct[r]
                        }
                    }
                }
            }
        }
        return ResponseRows(
            learnerIDs: learnerIDs, itemIDs: itemIDs, learners: learners, items: items, correct: correct)
    }

    /// The file-wide number of each of a slice's ids (in the slice's order of first appearance), numbering those not
    /// seen in earlier slices next.
    private static func renumber(_ local: [String], ids: inout [String], numbers: inout [String: Int32]) -> [Int32] {
        local.map { id in
            if let known = numbers[id] { return known }
            let next = Int32(ids.count)
            numbers[id] = next
            ids.append(id)
            return next
        }
    }
}
