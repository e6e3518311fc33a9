/// One versioned schema change, compiled into the binary and applied in its own transaction.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// Every migration in order. Append new ones; never edit an applied one.
public enum Migrations {
    /// The channel the change-notification trigger uses.
    public static let changeChannel = "seedtest_changes"

    public static let all: [Migration] = [
        Migration(version: 1, name: "initial schema", sql: initialSchema),
        Migration(version: 2, name: "demo data truth", sql: demoTruth),
        Migration(version: 3, name: "change notifications", sql: changeNotifications),
        Migration(version: 4, name: "BRIN index on attempts.answered_at", sql: attemptsTimeIndexBRIN),
        Migration(version: 5, name: "attempt id checks by bytes first", sql: attemptIDChecksByBytesFirst),
        Migration(version: 6, name: "no deduplication in the attempts item index", sql: itemIndexWithoutDeduplication),
        Migration(version: 7, name: "cancelled runs", sql: cancelledRuns),
        Migration(version: 8, name: "as_of days of results", sql: asOfDays),
        Migration(version: 9, name: "idempotency keys", sql: idempotencyKeys),
        Migration(version: 10, name: "run cancel requests and progress", sql: runCancelAndProgress),
        Migration(version: 11, name: "backfills", sql: backfills),
        Migration(version: 12, name: "run references checked per statement", sql: runReferencesPerStatement),
        Migration(version: 13, name: "room for updates in place", sql: roomForUpdatesInPlace),
        Migration(version: 14, name: "report contents stored as they come", sql: reportContentsAsTheyCome),
    ]

    /// The schema version this binary expects.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
