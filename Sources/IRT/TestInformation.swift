import Glibc

/// Test information over the quadrature grid, and empirical marginal reliability.
enum TestInformation {
    /// `Σ_j I_j(θ_q)` over `items` at each real node, with `I = a² L² Q / P` (the 3PL item information; `L` the
    /// logistic part, so `a² P Q` when `c = 0`). Items whose parameters are not usable contribute nothing.
    static func curve(_ items: [ItemParameters], nodes: [Double]) -> [Double] {
        nodes.map { theta in
            var total = 0.0
            for item in items where item.isUsable {
                let (logistic, complement) = Logistic.split(item.a * (theta - item.b))
                let p = item.c + (1 - item.c) * logistic
                let q = (1 - item.c) * complement
                if p > 0 { total += item.a * item.a * logistic * logistic * q / p }
            }
            return total
        }
    }

    /// `1 − mean(se²) / var(θ̂)` over `abilities` (population variance); `nil` for fewer than two abilities or
    /// no spread. It can be negative when estimates are mostly prior.
    static func reliability(_ abilities: [AbilityEstimate]) -> Double? {
        guard abilities.count >= 2 else { return nil }
        let n = Double(abilities.count)
        var mean = 0.0
        var errorVariance = 0.0
        for ability in abilities {
            mean += ability.theta
            errorVariance += ability.se * ability.se
        }
        mean /= n
        errorVariance /= n
        var variance = 0.0
        for ability in abilities { variance += (ability.theta - mean) * (ability.theta - mean) }
        variance /= n
        guard variance > 0 else { return nil }
        return 1 - errorVariance / variance
    }

    /// Per topic (index into `topicCount`, −1 for none, by item), each learner's EAP and posterior SD from that
    /// topic's items alone under the latent prior (the `Posterior` kernel over the probability table, as the
    /// calibration's own EAP pass); learners without responses in a topic are left out of it. Blocks of learners
    /// run in parallel, each into its own slot, joined in block order.
    static func topicAbilities(
        _ data: ResponseMatrix, items: [ItemParameters], topicOfItem: [Int], topicCount: Int, grid: Quadrature,
        prior: [SIMD8<Double>], threads: Int
    ) -> [[AbilityEstimate]] {
        let chunks = grid.chunks
        let table = ResponseCurves.table(items, grid: grid)
        let blockSize = 2048
        let blocks = (data.learnerCount + blockSize - 1) / blockSize
        let workers = Parallel.workers(threads: threads, blocks: blocks)
        var perBlock = [[[AbilityEstimate]]](repeating: [], count: blocks)
        var scratch = [SIMD8<Double>](repeating: .zero, count: workers * topicCount * chunks)
        data.codes.withUnsafeBufferPointer { codes in
            data.rowStart.withUnsafeBufferPointer { rowStart in
                topicOfItem.withUnsafeBufferPointer { topicOfItem in
                    table.withUnsafeBufferPointer { table in
                        prior.withUnsafeBufferPointer { prior in
                            grid.nodes.withUnsafeBufferPointer { nodes in
                                scratch.withUnsafeMutableBufferPointer { scratch in
                                    perBlock.withUnsafeMutableBufferPointer { slots in
                                        // Non-nil throughout: this runs only with ≥ 1 topic (FitAnalysis), after a
                                        // calibration that refused an empty matrix (≥ 1 learner, so ≥ 1 block), on a
                                        // grid of ≥ 1 chunk, so slots, scratch, prior, table and nodes hold elements.
                                        let out = slots.baseAddress!
                                        Parallel.run(blocks: blocks, workers: workers) { worker, block in
                                            let acc = scratch.baseAddress! + worker * topicCount * chunks
                                            var scored = [[AbilityEstimate]](repeating: [], count: topicCount)
                                            var exponents = [Int](repeating: 0, count: topicCount)
                                            var seen = [Bool](repeating: false, count: topicCount)
                                            for l in block * blockSize..<min((block + 1) * blockSize, data.learnerCount)
                                            {
                                                for r in rowStart[l]..<rowStart[l + 1] {
                                                    let code = Int(codes[r])
                                                    let t = topicOfItem[code >> 1]
                                                    if t < 0 { continue }
                                                    let row = acc + t * chunks
                                                    if !seen[t] {
                                                        seen[t] = true
                                                        exponents[t] = 0
                                                        row.update(from: prior.baseAddress!, count: chunks)
                                                    }
                                                    Posterior.multiply(
                                                        row, by: table.baseAddress! + code * chunks, chunks: chunks,
                                                        exponent: &exponents[t])
                                                }
                                                for t in 0..<topicCount where seen[t] {
                                                    seen[t] = false
                                                    let fit = Posterior.finish(
                                                        acc + t * chunks, nodes: nodes.baseAddress!, chunks: chunks,
                                                        exponent: exponents[t])
                                                    scored[t].append(AbilityEstimate(theta: fit.mean, se: fit.sd))
                                                }
                                            }
                                            out[block] = scored
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<topicCount).map { t in perBlock.flatMap { $0.isEmpty ? [] : $0[t] } }
    }
}
