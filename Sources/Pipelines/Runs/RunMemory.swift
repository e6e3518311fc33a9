import CSystem

/// The service's memory around pipeline runs (issue 16: peak resident memory ≤ 256 MiB during any stage).
///
/// Each run computes on a thread of its own, and glibc gives threads their own malloc arenas (up to 8 per core): the
/// memory a run freed stays in its arena, and the next run, on a new thread, may take a fresh arena and add its whole
/// peak on top (seen: 257 → 307 → 351 MiB over repeated runs). Two arenas, and giving free pages back after each run,
/// keep the service near one run's own peak.
public enum RunMemory {
    /// At most two malloc arenas for the process. Call it first thing in `main`, before any thread starts: glibc
    /// settles the limit when it first needs more arenas, and a later call changes nothing.
    public static func limitArenas() { _ = mallopt(M_ARENA_MAX, 2) }

    /// Gives the free pages of every arena back to the system, after a run.
    static func returnFreePages() { _ = malloc_trim(0) }
}
