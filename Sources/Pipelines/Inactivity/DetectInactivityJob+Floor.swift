import UTCTime

/// The floor under detect-inactivity: the two reads of attempts it makes (`ActivityQueries`), every learner's last
/// answer before the end of today (`recompute`: learner and time of every attempt) and the sessions behind `S` over
/// the 56 days of the churn window (`churnSessions`: learner, session and time).
extension DetectInactivityJob: FloorDefining {
    var floorReads: [StageFloor.Read] {
        let windows = KPIWindows(asOf: today)
        return [
            StageFloor.Read(
                purpose: "every last answer", columns: [.userID, .answeredAt], from: nil, to: today.end),
            StageFloor.Read(
                purpose: "the churn sessions", columns: [.userID, .sessionID, .answeredAt],
                from: windows.churn56.start, to: windows.end),
        ]
    }
}
