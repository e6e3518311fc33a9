import Foundation
import Glibc
import Metrics
import Synchronization

/// The standard `process_*` series, read from `/proc` at scrape time: resident and virtual memory, CPU seconds,
/// open and maximum file descriptors, and the start time.
public final class ProcessMetrics: Sendable {
    let resident: Metrics.Gauge
    let virtual: Metrics.Gauge
    let cpu: Metrics.FloatingPointCounter
    let openFDs: Metrics.Gauge
    let maxFDs: Metrics.Gauge
    let startTime: Metrics.Gauge
    /// The CPU seconds already added to `cpu` (a counter only goes up, by the difference since the last scrape).
    private let cpuSeen = Mutex<Double>(0)

    init(factory: any MetricsFactory) {
        resident = Metrics.Gauge(label: "process_resident_memory_bytes", dimensions: [], factory: factory)
        virtual = Metrics.Gauge(label: "process_virtual_memory_bytes", dimensions: [], factory: factory)
        cpu = Metrics.FloatingPointCounter(label: "process_cpu_seconds_total", dimensions: [], factory: factory)
        openFDs = Metrics.Gauge(label: "process_open_fds", dimensions: [], factory: factory)
        maxFDs = Metrics.Gauge(label: "process_max_fds", dimensions: [], factory: factory)
        startTime = Metrics.Gauge(label: "process_start_time_seconds", dimensions: [], factory: factory)
        refresh()
    }

    /// Reads the current figures; a file that cannot be read leaves its series as they were.
    func refresh() {
        if let stat = ProcStat.read() {
            resident.record(stat.residentBytes)
            virtual.record(stat.virtualBytes)
            startTime.record(stat.startTimeSeconds)
            let added = cpuSeen.withLock { seen in
                defer { seen = max(seen, stat.cpuSeconds) }
                return stat.cpuSeconds - seen
            }
            if added > 0 { cpu.increment(by: added) }
        }
        if let count = Self.openFileDescriptors() { openFDs.record(count) }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.record(Double(limit.rlim_cur)) }
    }

    /// Entries of `/proc/self/fd`, less the one the listing itself holds open.
    static func openFileDescriptors() -> Int? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return nil }
        return max(0, entries.count - 1)
    }
}

/// The figures of `/proc/self/stat` that the process series need.
struct ProcStat {
    var cpuSeconds: Double
    var virtualBytes: Double
    var residentBytes: Double
    var startTimeSeconds: Double

    static func read() -> ProcStat? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8) else { return nil }
        return parse(text, bootTime: bootTime())
    }

    /// Parses the line of `/proc/self/stat`. The command name (field 2) may hold spaces and parentheses, so fields
    /// are counted after its last `)`: there, token 0 is field 3 (state), utime is field 14, stime 15, starttime 22,
    /// vsize 23 and rss 24 (pages).
    static func parse(_ text: String, bootTime: Double) -> ProcStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let tokens = text[text.index(after: close)...].split(separator: " ")
        guard tokens.count > 21, let utime = Double(tokens[11]), let stime = Double(tokens[12]),
            let start = Double(tokens[19]), let vsize = Double(tokens[20]), let rss = Double(tokens[21])
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        guard ticks > 0 else { return nil }
        return ProcStat(
            cpuSeconds: (utime + stime) / ticks, virtualBytes: vsize, residentBytes: rss * page,
            startTimeSeconds: bootTime + start / ticks)
    }

    /// The system's boot time, unix seconds (`btime` in `/proc/stat`); 0 when unreadable.
    static func bootTime() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}
