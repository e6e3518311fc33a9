import ArgumentParser
import Glibc
import IRT

extension IRTCommand {
    /// `irt bench`: the benchmark table — time of calibration plus EAP, and recovery of the truth.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the IRT benchmark table (use a release build).",
            discussion: """
                Simulates each dataset (a ~ lognormal(0, 0.3), b ~ N(0, 1), c ~ U(0.10, 0.25), theta ~ N(0, 1)), \
                times calibration including EAP scoring, and prints RMSEs against the truth with PASS/FAIL against \
                the targets. Exits non-zero only on a crash, not on a missed target.
                """
        )

        @Option(help: "Seed of the simulated data.")
        var seed: UInt64 = 42

        @Option(help: "Worker threads (default: all processors).")
        var threads: Int?

        /// One row of the table and its targets.
        struct Row {
            var label: String
            var model: IRTModel
            var learners: Int
            var items: Int
            var perLearner: Int?
            var seconds: Double
            var targets: [Metric: Double]
        }

        enum Metric: Int, CaseIterable {
            case a, b, c, theta

            var name: String { ["a", "b", "c", "θ"][rawValue] }
        }

        static let rows = [
            Row(
                label: "5,000 × 50 complete", model: .twoPL, learners: 5_000, items: 50, seconds: 0.3,
                targets: [.a: 0.055, .b: 0.06]),
            Row(
                label: "20,000 × 200 complete", model: .twoPL, learners: 20_000, items: 200, seconds: 5,
                targets: [.a: 0.027, .b: 0.031, .theta: 0.17]),
            Row(
                label: "50,000 × 1,000, 40 each", model: .twoPL, learners: 50_000, items: 1_000, perLearner: 40,
                seconds: 5, targets: [.theta: 0.35]),
            Row(
                label: "5,000 × 50 complete", model: .threePL, learners: 5_000, items: 50, seconds: 2,
                targets: [.a: 0.13, .b: 0.22, .c: 0.07]),
        ]

        func run() throws {
            print("IRT benchmark, seed \(seed), threads \(threads.map(String.init) ?? "all")")
            print(
                pad("data", 26) + pad("model", 6) + pad("time s", 16) + pad("iter", 5) + pad("conv", 5)
                    + Metric.allCases.map { pad("rmse " + $0.name, 16) }.joined() + "result")
            var sparsePeak: Int?
            var patternItems: [ItemParameters] = []
            var fitLines: [String] = []
            for row in Self.rows {
                let data = try Simulation(
                    model: row.model, learners: row.learners, items: row.items, perLearner: row.perLearner, seed: seed
                ).generate()
                if row.perLearner != nil { resetPeakMemory() }
                var options = CalibrationOptions(model: row.model)
                options.threads = threads
                let (result, seconds) = try IRTCommand.seconds { () throws(IRTError) in
                    try Calibrator.calibrate(data.responses, options: options)
                }
                if row.perLearner != nil { sparsePeak = peakMemoryKiB() }
                fitLines.append(fitLine(row, data.responses, result, options, calibrationSeconds: seconds))
                if patternItems.isEmpty { patternItems = data.items }
                func truth(_ metric: Metric) -> (estimates: [Double], truth: [Double]) {
                    switch metric {
                    case .a: (result.items.map(\.parameters.a), data.items.map(\.a))
                    case .b: (result.items.map(\.parameters.b), data.items.map(\.b))
                    case .c: (result.items.map(\.parameters.c), data.items.map(\.c))
                    case .theta: (result.abilities.map(\.theta), data.thetas)
                    }
                }
                var pass = seconds <= row.seconds
                var line = pad(row.label, 26) + pad(row.model.rawValue, 6) + pad(figure(seconds, 3, row.seconds), 16)
                line += pad(String(result.iterations), 5) + pad(result.converged ? "yes" : "no", 5)
                for metric in Metric.allCases {
                    if metric == .c && row.model != .threePL {
                        line += pad("-", 16)
                        continue
                    }
                    let (estimates, expected) = truth(metric)
                    let value = rmse(estimates, expected)
                    if let target = row.targets[metric], value > target { pass = false }
                    line += pad(figure(value, 4, row.targets[metric]), 16)
                }
                print(line + (pass ? "PASS" : "FAIL"))
            }
            print(
                "item fit (infit/outfit, S-X² on complete data, flags, information and reliability overall and in 10 topics), time added:"
            )
            for line in fitLines { print(line) }
            if let sparsePeak {
                let mebibytes = sparsePeak / 1024
                print("peak resident memory, 50,000 × 1,000 sparse row (data + calibration): \(mebibytes) MiB")
            } else {
                print("peak resident memory: not available (/proc/self/status)")
            }
            print(patternScoring(patternItems))
        }

        /// Fit time beside calibration time, and the share it adds (target ≤ 20 %): the statistics, flags,
        /// information and reliability (as `irt calibrate` computes them), then the same with the items in 10 topics
        /// (per-topic information, and reliability from abilities rescored on each topic's items, as the service does).
        private func fitLine(
            _ row: Row, _ responses: ResponseMatrix, _ result: CalibrationResult, _ options: CalibrationOptions,
            calibrationSeconds: Double
        ) -> String {
            let (report, seconds) = IRTCommand.seconds {
                FitAnalysis.analyze(responses, calibration: result, options: options)
            }
            let topics = (0..<responses.itemCount).map { "topic-\($0 % 10)" }
            let (_, topicSeconds) = IRTCommand.seconds {
                FitAnalysis.analyze(responses, calibration: result, options: options, topics: topics)
            }
            let added = 100 * seconds / calibrationSeconds
            let addedWithTopics = 100 * topicSeconds / calibrationSeconds
            let sx2 = report.items.contains { $0.summedScoreFit.value != nil } ? "S-X² computed" : "S-X² not computed"
            return "  " + pad(row.label, 26) + pad(row.model.rawValue, 6) + "calibration "
                + figure(calibrationSeconds, 3, nil) + " s, with fit " + figure(calibrationSeconds + seconds, 3, nil)
                + " s (+" + figure(added, 1, 20) + " %) " + (added <= 20 ? "PASS" : "FAIL") + "; with 10 topics +"
                + figure(addedWithTopics, 1, 20) + " % " + (addedWithTopics <= 20 ? "PASS" : "FAIL") + "; " + sx2
                + ", reliability " + (report.reliability.map { figure($0, 3, nil) } ?? "-")
                + ", \(report.flaggedItems.count) flagged"
        }

        /// Average time to EAP-score one 40-response pattern.
        private func patternScoring(_ items: [ItemParameters]) -> String {
            var random = SeededGenerator(seed: seed)
            let scorer = AbilityScorer()
            let patterns = (0..<64).map { _ in
                (0..<40).map { _ in (items[random.index(below: items.count)], random.uniform() < 0.6) }
            }
            let repetitions = 100_000
            var sink = 0.0
            let ((), seconds) = IRTCommand.seconds {
                for i in 0..<repetitions { sink += scorer.eap(patterns[i & 63]).theta }
            }
            let micro = seconds / Double(repetitions) * 1e6
            return "EAP score of one 40-response pattern: \(figure(micro, 2, 50)) µs "
                + "(mean of \(repetitions); checksum \(Int(sink)))"
        }

        private func rmse(_ x: [Double], _ y: [Double]) -> Double {
            (zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(max(x.count, 1))).squareRoot()
        }

        /// `value` with `digits` decimals, and `≤ target` when there is one.
        private func figure(_ value: Double, _ digits: Int, _ target: Double?) -> String {
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let rounded = (value * scale).rounded() / scale
            var text = String(rounded)
            if let dot = text.firstIndex(of: ".") {
                let decimals = text.distance(from: dot, to: text.endIndex) - 1
                if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
            }
            guard let target else { return text }
            return text + " ≤ " + String(target)
        }

        private func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }

        /// Resets the kernel's peak-RSS mark (`/proc/self/clear_refs`, value 5), so that the next reading covers
        /// only what follows.
        private func resetPeakMemory() {
            let fd = open("/proc/self/clear_refs", O_WRONLY)
            guard fd >= 0 else { return }
            _ = write(fd, "5", 1)
            close(fd)
        }

        /// `VmHWM` from `/proc/self/status`, in KiB.
        private func peakMemoryKiB() -> Int? {
            guard let status = try? IRTCommand.readText("/proc/self/status") else { return nil }
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            }
            return nil
        }
    }
}
