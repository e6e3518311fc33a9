import Foundation
import IRT
import Storage

/// One demo item: what is ingested and the parameters its responses follow.
struct DemoItem {
    let record: ItemRecord
    let truth: ItemParameters
    let topic: Int
}

enum DemoItems {
    /// Items spread round-robin over topics; a ~ lognormal(0, 0.3), b ~ N(0, 1) (kept within ±3),
    /// c ~ U(0.10, 0.25) for 3PL data. Anchors carry their true parameters.
    static func generate(options: DemoDataOptions, random: inout SeededGenerator) -> [DemoItem] {
        let width = max(4, String(options.items).count)
        return (0..<options.items).map { index in
            let topic = index % options.topicCount
            let a = exp(0.3 * random.normal())
            let b = max(-3, min(3, random.normal()))
            let c = options.model == .threePL ? random.uniform(0.10, 0.25) : 0
            let number = String(index + 1)
            let id = "q" + String(repeating: "0", count: width - number.count) + number
            let anchor = index < options.anchorCount
            let topicID = "topic-" + (topic + 1 < 10 ? "0" : "") + String(topic + 1)
            let record = ItemRecord(
                itemID: id, topicID: topicID, anchor: anchor, a: anchor ? a : nil, b: anchor ? b : nil,
                c: anchor ? c : nil)
            return DemoItem(record: record, truth: ItemParameters(a: a, b: b, c: c), topic: topic)
        }
    }
}
