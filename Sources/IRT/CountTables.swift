/// Per-thread tables of expected response counts in fixed point, merged exactly.
///
/// A learner's posterior is rounded once to integers `round(p · 2^k)` (`quantize`) and added to rows of a table
/// (the items they answered, by response code). Integer sums are associative, so merging the threads' tables in
/// any order gives the same bits (wrapping arithmetic keeps even intermediate differences exact). With
/// `k = min(52, 60 − bits(largest item response count))` every row sum — including the E-step's complement total,
/// which counts fewer than twice as many learners as the largest item — stays below 2^62, and the quantum 2^−k
/// (2^−38 or finer for any realistic data) is far below what the M-step can resolve.
struct CountTables {
    let workers: Int
    let rows: Int
    let chunks: Int
    /// `2^k`.
    let scale: Double
    private let storage: UnsafeMutablePointer<SIMD8<Int64>>

    init(workers: Int, rows: Int, chunks: Int, maxItemResponses: Int) {
        self.workers = workers
        self.rows = rows
        self.chunks = chunks
        let bits = Int.bitWidth - max(maxItemResponses, 1).leadingZeroBitCount
        scale = Double(sign: .plus, exponent: min(52, 60 - bits), significand: 1)
        storage = .allocate(capacity: max(1, workers * rows * chunks))
        storage.initialize(repeating: .zero, count: workers * rows * chunks)
    }

    /// Worker `worker`'s table.
    func table(_ worker: Int) -> UnsafeMutablePointer<SIMD8<Int64>> { storage + worker * rows * chunks }

    /// Rounds a normalised posterior chunk to fixed point: adding 2^52 rounds `p · 2^k ≤ 2^52` to an integer (to
    /// nearest, ties to even), which then sits in the low bits of the double's representation.
    @inline(__always)
    func quantize(_ p: SIMD8<Double>) -> SIMD8<Int64> {
        let shifted = p * scale + 0x1p52
        return unsafeBitCast(shifted, to: SIMD8<Int64>.self) &- SIMD8(repeating: 0x4330_0000_0000_0000)
    }

    /// Adds `fixed` (a quantised posterior) to row `row` of `table`.
    @inline(__always)
    static func add(
        _ fixed: UnsafePointer<SIMD8<Int64>>, to table: UnsafeMutablePointer<SIMD8<Int64>>, row: Int, chunks: Int
    ) {
        let target = table + row &* chunks
        for k in 0..<chunks { target[k] &+= fixed[k] }
    }

    /// The exact sum of all workers' tables.
    func merged() -> [SIMD8<Int64>] {
        let size = rows * chunks
        return [SIMD8<Int64>](unsafeUninitializedCapacity: size) { buffer, initialized in
            for k in 0..<size {
                var sum = storage[k]
                for w in 1..<max(workers, 1) { sum &+= storage[w * size + k] }
                buffer[k] = sum
            }
            initialized = size
        }
    }

    /// Fixed-point counts back to doubles.
    func real(_ counts: SIMD8<Int64>) -> SIMD8<Double> { SIMD8<Double>(counts) * (1 / scale) }

    func deallocate() { storage.deallocate() }
}
