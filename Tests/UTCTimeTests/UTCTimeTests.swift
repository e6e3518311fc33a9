import Testing
import UTCTime

@Suite struct UTCTimeTests {
    @Test func civilDatesRoundTrip() {
        #expect(Day(iso: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(Day(iso: "2000-03-01")?.iso == "2000-03-01")
        #expect(Day(iso: "2026-11-29")?.daysSinceEpoch == 20_786)
        #expect(Day(iso: "1969-12-31")?.daysSinceEpoch == -1)
        // Years 0001 through 9999, the range of the four-digit format.
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {
            #expect(Day(iso: Day(daysSinceEpoch: days).iso)?.daysSinceEpoch == days)
        }
    }

    @Test func invalidDatesAreRejected() {
        for text in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "20261101", "2026-11-31", "abcd-ef-gh"] {
            #expect(Day(iso: text) == nil, "\(text)")
        }
        #expect(Day(iso: "2024-02-29") != nil)
    }

    @Test func isoWeeksStartOnMonday() {
        let sunday = Day(iso: "2026-11-29")!
        #expect(sunday.isoWeekday == 7)
        #expect(sunday.weekStart.iso == "2026-11-23")
        #expect(Day(iso: "2026-11-23")!.isoWeekday == 1)
        #expect(Day(iso: "2026-11-23")!.weekStart.iso == "2026-11-23")
        #expect(Day(iso: "1970-01-01")!.weekStart.iso == "1969-12-29")
    }

    @Test func rfc3339ParsesZonesAndFractions() {
        #expect(Timestamp(rfc3339: "2026-11-25T12:00:00Z")?.rfc3339 == "2026-11-25T12:00:00Z")
        #expect(Timestamp(rfc3339: "2026-11-25T13:30:00+01:30")?.rfc3339 == "2026-11-25T12:00:00Z")
        #expect(Timestamp(rfc3339: "2026-11-25 23:59:59.999Z")?.rfc3339 == "2026-11-25T23:59:59.999Z")
        #expect(Timestamp(rfc3339: "2026-11-25T00:00:00.000001Z")?.rfc3339 == "2026-11-25T00:00:00.000001Z")
        #expect(Timestamp(rfc3339: "2026-11-25T00:00:00.123456789-00:00")?.microseconds == 1_795_564_800_123_456)
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.5Z")?.day.iso == "1969-12-31")
        for bad in [
            "2026-11-25T12:00:00", "2026-11-25T24:00:00Z", "2026-11-25T12:00Z", "2026-11-25T12:00:00+0100",
            "2026-11-25T12:00:00.Z", "2026-11-25X12:00:00Z", "2026-11-25T12:00:00Zjunk",
        ] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    @Test func dayBoundaries() {
        let day = Day(iso: "2026-11-25")!
        #expect(Timestamp(rfc3339: "2026-11-25T00:00:00.000Z")!.day == day)
        #expect(Timestamp(rfc3339: "2026-11-25T23:59:59.999Z")!.day == day)
        #expect(Timestamp(rfc3339: "2026-11-26T00:00:00Z")!.day == day.advanced(by: 1))
        #expect(day.end == day.advanced(by: 1).start)
    }
}

@Suite struct TimestampBytesTests {
    @Test func byteFormattingMatchesTheStringForm() {
        for text in [
            "2026-11-25T23:59:59.999999Z", "1970-01-01T00:00:00Z", "2026-02-28T07:05:03.5Z", "9999-12-31T23:59:59Z",
        ] {
            let instant = Timestamp(rfc3339: text)!
            var bytes: [UInt8] = []
            instant.appendRFC3339(to: &bytes)
            #expect(Timestamp(rfc3339: String(decoding: bytes, as: UTF8.self)) == instant)
            #expect(bytes.count == 27)
        }
    }
}
