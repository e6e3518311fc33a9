import IRT
import Testing

/// Fixed-parameter calibration: anchors never move, and the latent mean and SD put everything else on the
/// anchors' scale.
@Suite struct AnchorTests {
    /// The anchors' scale is the simulation's scale stretched by `scale` and shifted by `shift`.
    static let scale = 1.4
    static let shift = 0.6

    static func onAnchorScale(_ item: ItemParameters) -> ItemParameters {
        ItemParameters(a: item.a / scale, b: scale * item.b + shift, c: item.c)
    }

    @Test(arguments: [IRTModel.onePL, .twoPL, .threePL])
    func anchorsStayFixedAndSetTheScale(model: IRTModel) throws {
        let data = try Simulation(model: model, learners: 6_000, items: 40, seed: 21).generate()
        var options = CalibrationOptions(model: model)
        for j in 0..<12 { options.anchors[j] = Self.onAnchorScale(data.items[j]) }
        let result = try Calibrator.calibrate(data.responses, options: options)
        #expect(result.converged)
        for j in 0..<12 {
            #expect(result.items[j].parameters == Self.onAnchorScale(data.items[j]))
            #expect(result.items[j].isAnchor)
            #expect(result.items[j].se == ItemParameters(a: 0, b: 0, c: 0))
        }
        #expect(abs(result.latentMean - Self.shift) < 0.1)
        #expect(abs(result.latentSD - Self.scale) < 0.1)
        let free = 12..<40
        let truth = free.map { Self.onAnchorScale(data.items[$0]) }
        let estimates = free.map { result.items[$0].parameters }
        #expect(rmse(estimates.map(\.a), truth.map(\.a)) < (model == .threePL ? 0.15 : 0.08))
        #expect(rmse(estimates.map(\.b), truth.map(\.b)) < (model == .threePL ? 0.3 : 0.15))
        #expect(rmse(result.abilities.map(\.theta), data.thetas.map { Self.scale * $0 + Self.shift }) < 0.6)
        let perItem = model == .threePL ? 3 : 2
        let expectedCount = model == .onePL ? 28 + 1 + 2 : 28 * perItem + 2
        #expect(result.parameterCount == expectedCount)
    }

    @Test func everyItemAnchoredEstimatesOnlyTheLatentScale() throws {
        let data = try Simulation(model: .twoPL, learners: 3_000, items: 20, seed: 22).generate()
        var options = CalibrationOptions(model: .twoPL)
        for j in 0..<20 { options.anchors[j] = Self.onAnchorScale(data.items[j]) }
        let result = try Calibrator.calibrate(data.responses, options: options)
        #expect(result.converged)
        #expect(result.parameterCount == 2)
        let allAnchored = result.items.allSatisfy { $0.isAnchor }
        #expect(allAnchored)
        #expect(abs(result.latentMean - Self.shift) < 0.1)
        #expect(abs(result.latentSD - Self.scale) < 0.1)
    }

    @Test func rejectsUnusableAnchors() throws {
        let data = try Simulation(model: .twoPL, learners: 50, items: 5, seed: 23).generate()
        var options = CalibrationOptions()
        options.anchors = [7: ItemParameters(a: 1, b: 0)]
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data.responses, options: options) }
        options.anchors = [1: ItemParameters(a: -1, b: 0)]
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data.responses, options: options) }
        options.anchors = [1: ItemParameters(a: 1, b: .nan)]
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data.responses, options: options) }
        options.anchors = [1: ItemParameters(a: 1, b: 0, c: 1)]
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data.responses, options: options) }
    }
}
