import HTTPServer
import Testing

/// W3C Trace Context `traceparent`, version 00: what is accepted, what is ignored, and the echoed child.
@Suite struct TraceParentTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func aValidHeaderParses() throws {
        let parent = try #require(TraceParent(header: Self.valid))
        #expect(parent.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent.parentID == "00f067aa0ba902b7")
        #expect(parent.flags == "01")
        #expect(parent.header == Self.valid)
    }

    @Test func invalidHeadersAreIgnored() {
        let zeros32 = String(repeating: "0", count: 32)
        for header in [
            "", "00", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // another version
            "00-\(zeros32)-00f067aa0ba902b7-01",  // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // 31 hex digits
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        ] {
            #expect(TraceParent(header: header) == nil, "\(header)")
        }
    }

    @Test func theChildKeepsTheTraceWithANewSpan() throws {
        let parent = try #require(TraceParent(header: Self.valid))
        let children = (0..<20).map { _ in parent.child() }
        for child in children {
            #expect(child.traceID == parent.traceID && child.flags == parent.flags)
            #expect(TraceParent(header: child.header) == child, "\(child.header) is itself valid")
        }
        #expect(Set(children.map(\.parentID)).count == 20)
    }
}
