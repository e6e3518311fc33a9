import IRT
import Synchronization
import Testing

/// A caller can stop a calibration between EM steps (`CalibrationOptions.shouldStop`) and follow its steps
/// (`onIteration`); without a stop request the hooks change nothing.
@Suite struct StopRequestTests {
    @Test func aStopRequestEndsTheCalibrationAtTheNextStep() throws {
        let data = try Simulation(model: .twoPL, learners: 1_000, items: 20, perLearner: nil, seed: 81).generate()
        let steps = Mutex<[Int]>([])
        var options = CalibrationOptions(model: .twoPL)
        options.onIteration = { step in steps.withLock { $0.append(step) } }
        options.shouldStop = { steps.withLock { $0.count >= 3 } }
        #expect(throws: IRTError.stopped) { try Calibrator.calibrate(data.responses, options: options) }
        #expect(steps.withLock { $0 } == [1, 2, 3], "stopped right after the third EM step")
    }

    @Test func hooksThatNeverStopLeaveTheResultUnchanged() throws {
        let data = try Simulation(model: .twoPL, learners: 1_000, items: 20, perLearner: nil, seed: 82).generate()
        let plain = try Calibrator.calibrate(data.responses, options: CalibrationOptions(model: .twoPL))
        let steps = Mutex<[Int]>([])
        var options = CalibrationOptions(model: .twoPL)
        options.onIteration = { step in steps.withLock { $0.append(step) } }
        options.shouldStop = { false }
        let hooked = try Calibrator.calibrate(data.responses, options: options)
        #expect(DeterminismTests.bits(hooked) == DeterminismTests.bits(plain))
        #expect(steps.withLock { $0 } == Array(1...plain.iterations))
    }
}
