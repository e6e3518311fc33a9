/// Sorts packed values in place, with no scratch memory: the standard library's sort is a merge sort that allocates
/// a buffer of half the elements (about 8 MB for the KPI stage's response times, at its peak). An introsort:
/// quicksort with a median-of-three pivot, insertion sort for short ranges, heapsort when the quicksort recurses too
/// deep (so it stays O(n log n) on any input).
enum InPlaceSort {
    /// Sorts `values` ascending. `depthLimit` (default 2·log₂ n) is how deep the quicksort goes before a range is
    /// heapsorted; tests lower it to reach the heapsort.
    static func sort(_ values: inout [UInt64], depthLimit: Int? = nil) {
        values.withUnsafeMutableBufferPointer { buffer in
            guard buffer.count > 1 else { return }
            var depth = 0
            var size = buffer.count
            while size > 0 {
                depth += 2
                size >>= 1
            }
            introsort(buffer, 0, buffer.count, depthLimit: depthLimit ?? depth)
        }
    }

    /// Sorts `values[low..<high]`.
    private static func introsort(
        _ values: UnsafeMutableBufferPointer<UInt64>, _ low: Int, _ high: Int, depthLimit: Int
    ) {
        var low = low
        var high = high
        var depthLimit = depthLimit
        while high - low > 16 {
            if depthLimit == 0 {
                heapsort(values, low, high)
                return
            }
            depthLimit -= 1
            let middle = low + (high - low) / 2
            // Median of three into `values[middle]`, then Hoare's partition around its value.
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high - 1] < values[middle] { values.swapAt(high - 1, middle) }
            if values[middle] < values[low] { values.swapAt(middle, low) }
            let pivot = values[middle]
            var left = low
            var right = high - 1
            while true {
                while values[left] < pivot { left += 1 }
                while pivot < values[right] { right -= 1 }
                if left >= right { break }
                values.swapAt(left, right)
                left += 1
                right -= 1
            }
            // `values[low...right]` ≤ pivot ≤ `values[right + 1..<high]`: recurse into the smaller side.
            if right + 1 - low < high - right - 1 {
                introsort(values, low, right + 1, depthLimit: depthLimit)
                low = right + 1
            } else {
                introsort(values, right + 1, high, depthLimit: depthLimit)
                high = right + 1
            }
        }
        insertionSort(values, low, high)
    }

    private static func insertionSort(_ values: UnsafeMutableBufferPointer<UInt64>, _ low: Int, _ high: Int) {
        guard high - low > 1 else { return }
        for next in low + 1..<high {
            let value = values[next]
            var position = next
            while position > low, value < values[position - 1] {
                values[position] = values[position - 1]
                position -= 1
            }
            values[position] = value
        }
    }

    private static func heapsort(_ values: UnsafeMutableBufferPointer<UInt64>, _ low: Int, _ high: Int) {
        let count = high - low
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end, values[low + child] < values[low + child + 1] { child += 1 }
                guard values[low + root] < values[low + child] else { return }
                values.swapAt(low + root, low + child)
                root = child
            }
        }
        for start in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(start, count) }
        for end in stride(from: count - 1, to: 0, by: -1) {
            values.swapAt(low, low + end)
            siftDown(0, end)
        }
    }
}
