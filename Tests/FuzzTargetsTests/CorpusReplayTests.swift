import Foundation
import FuzzTargets
import Testing

/// `make test` replays every input of the fuzz corpus (`Fuzz/Corpus/<target>/`: the seeds, and whatever `make fuzz`
/// found worth keeping) through its target, so a fixed finding stays fixed.
@Suite struct CorpusReplayTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    static func inputs(of target: FuzzTarget) throws -> [URL] {
        let directory = corpusRoot.appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusInputKeepsItsInvariant(target: FuzzTarget) throws {
        let inputs = try Self.inputs(of: target)
        #expect(inputs.count >= 5, "the seed corpus of \(target.rawValue) is missing")
        for url in inputs {
            let bytes = [UInt8](try Data(contentsOf: url))
            #expect(throws: Never.self, "\(target.rawValue)/\(url.lastPathComponent)") { try target.run(bytes) }
        }
    }
}
