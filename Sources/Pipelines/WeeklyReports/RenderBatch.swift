import Foundation
import Reports
import Synchronization

/// One chunk's reports being rendered and compressed on threads of their own while the run's thread talks to the
/// database (loading the next chunk, storing the previous one). `wait()` returns the artifacts in input order, or
/// throws the first rendering failure; it must be called once for every batch started, so that no rendering thread
/// outlives the run.
final class RenderBatch: Sendable {
    private let finished = FinishSignal()
    private let outcome = Mutex<Result<[ReportArtifact], any Error>?>(nil)

    /// Starts rendering `inputs` on `threads` threads, advancing `progress` by one per report.
    init(_ inputs: [ReportData], threads: Int, progress: RunProgress) {
        Thread.detachNewThread { [self] in
            let result = Result {
                try ParallelWork.map(count: inputs.count, threads: threads) { index in
                    let artifact = try ReportArtifact(rendering: inputs[index])
                    try progress.advance()
                    return artifact
                }
            }
            outcome.withLock { $0 = result }
            finished.finish()
        }
    }

    /// Waits for the batch to finish.
    func wait() throws -> [ReportArtifact] {
        finished.wait()
        // Set before `finish()`: the thread stores the outcome, then signals.
        return try outcome.withLock { $0! }.get()
    }
}
