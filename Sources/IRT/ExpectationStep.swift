import Glibc

/// What one E-step yields.
struct Expectation {
    /// Expected response counts per item and node, laid out like `ResponseCurves` tables: row `2j` is the
    /// expected number of incorrect answers to item `j` from learners at node `q`, row `2j + 1` the correct ones.
    var counts: [SIMD8<Double>]
    /// Marginal log-likelihood of the data at the parameters the E-step was run with.
    var logLikelihood: Double
    /// Sum over learners with responses of the posterior mean of θ.
    var thetaSum: Double
    /// Sum over learners with responses of the posterior mean of θ².
    var thetaSquareSum: Double
    /// Learners with at least one response.
    var activeLearners: Int
}

/// The E-step of Bock–Aitkin EM, parallel over learners.
///
/// Per learner, the log posterior over the grid is the log prior plus one row of a log-probability table per
/// response; it is exponentiated against its maximum, normalised, and added to the rows of the learner's items
/// in per-thread `CountTables` (exact integer sums, hence thread-count independent). Log-likelihood and moment
/// sums are kept per fixed block of learners and added in block order. Time and memory are O(responses × nodes).
///
/// Learners who answered most items are handled by complement, which halves the work on complete data: with
/// `Σ_all ln(1 − P_j)` precomputed, such a learner adds `ln P_j − ln(1 − P_j)` for each correct answer and
/// subtracts `ln(1 − P_j)` for each item not answered, and their posterior goes to "correct (complement)" and
/// "missing" rows plus one running total. Table rows per item `j`: `4j` incorrect, `4j + 2` correct (direct,
/// `2 × code`), `4j + 1` correct (complement), `4j + 3` missing. Because the count sums are exact integers, the
/// incorrect counts recovered as total − missing − correct are the very same integers the direct sum would give.
enum ExpectationStep {
    /// Learners per block: the unit of work handed to threads and of the ordered floating-point sums.
    static let blockSize = 256

    static func run(
        _ data: ResponseMatrix, logTable: [SIMD8<Double>], logPrior: [SIMD8<Double>], grid: Quadrature, threads: Int
    ) -> Expectation {
        let chunks = grid.chunks
        let items = data.itemCount
        let blocks = (data.learnerCount + blockSize - 1) / blockSize
        let workers = Parallel.workers(threads: threads, blocks: blocks)
        let tables = CountTables(
            workers: workers, rows: 4 * items + 1, chunks: chunks, maxItemResponses: data.maxItemResponses)
        let (rows, complementBase) = expand(logTable, items: items, chunks: chunks)
        let fixed = UnsafeMutablePointer<SIMD8<Int64>>.allocate(capacity: workers * chunks)
        fixed.initialize(repeating: .zero, count: workers * chunks)
        let posterior = UnsafeMutablePointer<SIMD8<Double>>.allocate(capacity: workers * chunks)
        posterior.initialize(repeating: .zero, count: workers * chunks)
        let lists = UnsafeMutablePointer<Int32>.allocate(capacity: workers * max(items, 1))
        lists.initialize(repeating: 0, count: workers * max(items, 1))
        var partial = [SIMD4<Double>](repeating: .zero, count: blocks)
        defer {
            tables.deallocate()
            fixed.deallocate()
            posterior.deallocate()
            lists.deallocate()
        }
        data.codes.withUnsafeBufferPointer { codes in
            data.rowStart.withUnsafeBufferPointer { rowStart in
                rows.withUnsafeBufferPointer { table in
                    logPrior.withUnsafeBufferPointer { prior in
                        complementBase.withUnsafeBufferPointer { base in
                            grid.nodes.withUnsafeBufferPointer { nodes in
                                partial.withUnsafeMutableBufferPointer { partial in
                                    Parallel.run(blocks: blocks, workers: workers) { worker, block in
                                        // All five are non-nil: `Calibrator.validate` refused an empty matrix, so
                                        // `codes` and `itemCount` are ≥ 1, and `table`, `prior`, `base` and `nodes`
                                        // hold a multiple of `chunks ≥ 1` (`Quadrature` has ≥ 2 points).
                                        let kernel = Kernel(
                                            codes: codes.baseAddress!, table: table.baseAddress!,
                                            prior: prior.baseAddress!, base: base.baseAddress!,
                                            nodes: nodes.baseAddress!, chunks: chunks, items: items, tables: tables,
                                            posterior: posterior + worker * chunks, fixed: fixed + worker * chunks,
                                            counts: tables.table(worker), list: lists + worker * max(items, 1))
                                        var sums = SIMD4<Double>.zero
                                        let end = min((block + 1) * blockSize, data.learnerCount)
                                        for l in block * blockSize..<end where rowStart[l + 1] > rowStart[l] {
                                            sums += kernel.learner(from: rowStart[l], to: rowStart[l + 1])
                                        }
                                        partial[block] = sums
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var totals = SIMD4<Double>.zero
        for sums in partial { totals += sums }
        return Expectation(
            counts: counts(tables, items: items), logLikelihood: totals[0], thetaSum: totals[1],
            thetaSquareSum: totals[2], activeLearners: Int(totals[3]))
    }

    /// The four-row log table and `Σ_j ln(1 − P_j)` from a `ResponseCurves` log table.
    private static func expand(
        _ logTable: [SIMD8<Double>], items: Int, chunks: Int
    ) -> ([SIMD8<Double>], [SIMD8<Double>]) {
        var rows = [SIMD8<Double>](repeating: .zero, count: 4 * items * chunks)
        var base = [SIMD8<Double>](repeating: .zero, count: chunks)
        for j in 0..<items {
            for k in 0..<chunks {
                let incorrect = logTable[2 * j * chunks + k]
                let correct = logTable[(2 * j + 1) * chunks + k]
                rows[4 * j * chunks + k] = incorrect
                rows[(4 * j + 1) * chunks + k] = correct - incorrect
                rows[(4 * j + 2) * chunks + k] = correct
                rows[(4 * j + 3) * chunks + k] = -incorrect
                base[k] += incorrect
            }
        }
        return (rows, base)
    }

    /// Expected counts in `ResponseCurves` layout from the merged four-row tables (row `4 · items` holds the
    /// complement learners' total).
    private static func counts(_ tables: CountTables, items: Int) -> [SIMD8<Double>] {
        let merged = tables.merged()
        let chunks = tables.chunks
        var counts = [SIMD8<Double>](repeating: .zero, count: 2 * items * chunks)
        for j in 0..<items {
            for k in 0..<chunks {
                let total = merged[4 * items * chunks + k]
                let row = { (kind: Int) in merged[(4 * j + kind) * chunks + k] }
                counts[2 * j * chunks + k] = tables.real(row(0) &+ total &- row(1) &- row(3))
                counts[(2 * j + 1) * chunks + k] = tables.real(row(1) &+ row(2))
            }
        }
        return counts
    }

    /// The per-learner work, over raw pointers.
    private struct Kernel {
        let codes: UnsafePointer<Int32>
        let table: UnsafePointer<SIMD8<Double>>
        let prior: UnsafePointer<SIMD8<Double>>
        let base: UnsafePointer<SIMD8<Double>>
        let nodes: UnsafePointer<SIMD8<Double>>
        let chunks: Int
        let items: Int
        let tables: CountTables
        let posterior: UnsafeMutablePointer<SIMD8<Double>>
        let fixed: UnsafeMutablePointer<SIMD8<Int64>>
        let counts: UnsafeMutablePointer<SIMD8<Int64>>
        let list: UnsafeMutablePointer<Int32>

        /// The table rows of the learner's responses `codes[start..<end]` (direct or by complement) into `list`;
        /// returns their number and whether the complement was used.
        @inline(__always)
        func rows(from start: Int, to end: Int) -> (Int, Bool) {
            var correct = 0
            for r in start..<end { correct &+= Int(codes[r] & 1) }
            let answered = end - start
            guard items - answered + correct < answered else {
                for r in start..<end { list[r - start] = codes[r] << 1 }
                return (answered, false)
            }
            var n = 0
            var next: Int32 = 0
            for r in start..<end {
                let code = codes[r]
                let j = code >> 1
                while next < j {
                    list[n] = next << 2 | 3
                    n += 1
                    next += 1
                }
                list[n] = j << 2 | 1
                n += Int(code & 1)
                next = j + 1
            }
            while next < Int32(items) {
                list[n] = next << 2 | 3
                n += 1
                next += 1
            }
            return (n, true)
        }

        /// Posterior of the learner whose responses are `codes[start..<end]`; adds it to the counts and returns
        /// (log marginal likelihood, E[θ], E[θ²], 1).
        @inline(__always)
        func learner(from start: Int, to end: Int) -> SIMD4<Double> {
            let (n, complement) = rows(from: start, to: end)
            var top = SIMD8<Double>(repeating: -.infinity)
            for k in 0..<chunks {
                // Two accumulators halve the dependency chain of the additions.
                var even = complement ? prior[k] + base[k] : prior[k]
                var odd = SIMD8<Double>.zero
                var i = 0
                while i + 1 < n {
                    even += table[Int(list[i]) &* chunks &+ k]
                    odd += table[Int(list[i + 1]) &* chunks &+ k]
                    i += 2
                }
                if i < n { even += table[Int(list[i]) &* chunks &+ k] }
                let sum = even + odd
                posterior[k] = sum
                top = top.lanewiseMax(sum)
            }
            let peak = top.max()
            var total = SIMD8<Double>.zero
            for k in 0..<chunks {
                var v = posterior[k]
                for i in 0..<8 { v[i] = exp(v[i] - peak) }
                posterior[k] = v
                total += v
            }
            let mass = total.sum()
            let inverse = 1 / mass
            var mean = SIMD8<Double>.zero
            var second = SIMD8<Double>.zero
            for k in 0..<chunks {
                let p = posterior[k] * inverse
                let weighted = p * nodes[k]
                mean += weighted
                second += weighted * nodes[k]
                fixed[k] = tables.quantize(p)
            }
            for i in 0..<n { CountTables.add(fixed, to: counts, row: Int(list[i]), chunks: chunks) }
            if complement { CountTables.add(fixed, to: counts, row: 4 * items, chunks: chunks) }
            return SIMD4(peak + log(mass), mean.sum(), second.sum(), 1)
        }
    }
}
