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

    /// Per topic (index into `topicCount`, −1 for none, by item), each learner's EAP from that topic's items
    /// alone under the latent prior; learners without responses in a topic are left out of it. Blocks of learners
    /// run in parallel, each into its own slot, joined in block order.
    static func topicAbilities(
        _ data: ResponseMatrix, items: [ItemParameters], topicOfItem: [Int], topicCount: Int, scorer: AbilityScorer,
        threads: Int
    ) -> [[AbilityEstimate]] {
        let blockSize = 2048
        let blocks = (data.learnerCount + blockSize - 1) / blockSize
        var perBlock = [[[AbilityEstimate]]](repeating: [], count: blocks)
        perBlock.withUnsafeMutableBufferPointer { slots in
            let out = slots.baseAddress!
            Parallel.run(blocks: blocks, workers: Parallel.workers(threads: threads, blocks: blocks)) { _, block in
                var scored = [[AbilityEstimate]](repeating: [], count: topicCount)
                var patterns = [[(ItemParameters, Bool)]](repeating: [], count: topicCount)
                for l in block * blockSize..<min((block + 1) * blockSize, data.learnerCount) {
                    for r in data.rowStart[l]..<data.rowStart[l + 1] {
                        let j = Int(data.codes[r] >> 1)
                        let t = topicOfItem[j]
                        if t >= 0 { patterns[t].append((items[j], data.codes[r] & 1 == 1)) }
                    }
                    for t in 0..<topicCount where !patterns[t].isEmpty {
                        scored[t].append(scorer.eap(patterns[t]))
                        patterns[t].removeAll(keepingCapacity: true)
                    }
                }
                out[block] = scored
            }
        }
        return (0..<topicCount).map { t in perBlock.flatMap { $0.isEmpty ? [] : $0[t] } }
    }
}
