import IRT
import Testing

@Suite struct LinkingTests {
    @Test func recoversAnExactTransformation() throws {
        let data = try Simulation(model: .twoPL, learners: 1, items: 30, seed: 31).generate()
        let anchor = data.items.map { Linking.apply((A: 0.8, B: -0.3), to: $0) }
        let (a, b) = try Linking.meanSigma(free: data.items, anchor: anchor)
        #expect(abs(a - 0.8) < 1e-12)
        #expect(abs(b + 0.3) < 1e-12)
    }

    /// A free calibration (on its own N(0, 1) scale) linked through 20 common items lands on a scale stretched by
    /// 1.3 and shifted by 0.5.
    @Test func linksAFreeCalibrationOntoAnchorValues() throws {
        let (data, result) = try simulateAndCalibrate(.twoPL, learners: 5_000, items: 40, seed: 32)
        let common = 0..<20
        let anchorValues = common.map { Linking.apply((A: 1.3, B: 0.5), to: data.items[$0]) }
        let transform = try Linking.meanSigma(free: common.map { result.items[$0].parameters }, anchor: anchorValues)
        #expect(abs(transform.A - 1.3) < 0.08)
        #expect(abs(transform.B - 0.5) < 0.08)
        let linked = result.abilities.map { Linking.apply(transform, to: $0) }
        #expect(rmse(linked.map(\.theta), data.thetas.map { 1.3 * $0 + 0.5 }) < 0.45)
        let item = Linking.apply(transform, to: result.items[25])
        #expect(abs(item.parameters.b - (transform.A * result.items[25].parameters.b + transform.B)) < 1e-12)
        #expect(abs(item.se.a - result.items[25].se.a / transform.A) < 1e-15)
        #expect(abs(item.se.b - result.items[25].se.b * transform.A) < 1e-15)
    }

    @Test func rejectsUnlinkableInput() {
        let one = [ItemParameters(a: 1, b: 0)]
        let two = [ItemParameters(a: 1, b: 0), ItemParameters(a: 1, b: 1)]
        let flat = [ItemParameters(a: 1, b: 0.5), ItemParameters(a: 2, b: 0.5)]
        #expect(throws: IRTError.self) { try Linking.meanSigma(free: one, anchor: one) }
        #expect(throws: IRTError.self) { try Linking.meanSigma(free: two, anchor: one) }
        #expect(throws: IRTError.self) { try Linking.meanSigma(free: flat, anchor: two) }
        #expect(throws: IRTError.self) { try Linking.meanSigma(free: two, anchor: flat) }
    }
}
