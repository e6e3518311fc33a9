import Foundation
import Pipelines

/// Shows a run's progress on standard error while a command waits for it: on a terminal a bar redrawn in place
/// (`learners [#######-------------]  41,000 / 100,000  41%`), otherwise a plain line at each new phase and every
/// 10 s, so that a CronJob's log stays short.
enum ProgressDisplay {
    /// Waits for the run, showing its progress; returns its final record.
    static func follow(_ handle: RunHandle) -> RunRecord {
        let terminal = isatty(STDERR_FILENO) == 1
        var shown: RunProgress.Snapshot?
        var lastLine = Date.distantPast
        while !handle.wait(seconds: terminal ? 0.2 : 1) {
            guard let snapshot = handle.progress.snapshot, snapshot != shown else { continue }
            if terminal {
                write("\r\u{1B}[2K" + bar(snapshot))
            } else if snapshot.phase != shown?.phase || Date().timeIntervalSince(lastLine) >= 10 {
                write("run \(handle.runID): " + line(snapshot) + "\n")
                lastLine = Date()
            }
            shown = snapshot
        }
        if terminal && shown != nil { write("\r\u{1B}[2K") }
        return handle.record
    }

    /// `phase 41,000 / 100,000 (41%)`, or `phase 41,000` without a known total.
    static func line(_ snapshot: RunProgress.Snapshot) -> String {
        guard let total = snapshot.total, total > 0 else { return "\(snapshot.phase) \(grouped(snapshot.done))" }
        return "\(snapshot.phase) \(grouped(snapshot.done)) / \(grouped(total)) (\(percent(snapshot, total))%)"
    }

    /// The terminal form: the phase, a 30-cell bar when the total is known, and the counts.
    static func bar(_ snapshot: RunProgress.Snapshot) -> String {
        guard let total = snapshot.total, total > 0 else { return line(snapshot) }
        let width = 30
        let filled = min(width, snapshot.done * width / total)
        let cells = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "\(snapshot.phase) [\(cells)]  \(grouped(snapshot.done)) / \(grouped(total))  "
            + "\(percent(snapshot, total))%"
    }

    static func percent(_ snapshot: RunProgress.Snapshot, _ total: Int) -> Int {
        min(100, snapshot.done * 100 / total)
    }

    /// `41000` as `41,000`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
