import IRT
import JSON

/// The `fit` section of a calibration's fit metadata (issue 17): thresholds, marginal reliability, the test
/// information function on the quadrature grid, whether S-X² was computed (and why not), and the flagged items
/// with their reasons and figures.
enum ItemFitMetadata {
    static func json(_ report: FitReport, itemIDs: [String], options: FitOptions) -> JSONValue {
        let flagged: [JSONValue] = report.flaggedItems.map { j in
            let figures = item(report.items[j]).members.filter {
                !["flagged", "s_x2_not_computed", "groups"].contains($0.key)
            }
            return .object(JSONObject([("item_id", .string(itemIDs[j]))] + figures.map { ($0.key, $0.value) }))
        }
        let computed = report.items.filter { $0.summedScoreFit.value != nil }.count
        let reason = report.items.lazy.compactMap(\.summedScoreFit.reason).first
        return .object(
            JSONObject([
                (
                    "thresholds",
                    [
                        "mean_square_band": [
                            .double(options.meanSquareBand.lowerBound), .double(options.meanSquareBand.upperBound),
                        ],
                        "minimum_responses_for_band": .int(Int64(options.minimumResponsesForBand)),
                        "minimum_discrimination": .double(options.minimumDiscrimination),
                        "s_x2_significance_bh": .double(options.significance),
                    ]
                ),
                ("reliability", .number(report.reliability)),
                (
                    "information",
                    [
                        "theta": .array(report.nodes.map(JSONValue.double)),
                        "values": .array(report.information.map(JSONValue.number)),
                    ]
                ),
                ("s_x2_items", .int(Int64(computed))),
                ("s_x2_not_computed", computed == report.items.count ? .null : .optional(reason)),
                ("flagged", .array(flagged)),
                (
                    "topics",
                    .array(
                        report.topics.map { topic in
                            [
                                "topic_id": .string(topic.topic), "items": .int(Int64(topic.items.count)),
                                "reliability": .number(topic.reliability),
                                "information": .array(topic.information.map(JSONValue.number)),
                            ]
                        })
                ),
            ]))
    }

    /// One item's fit, as stored with its parameters (`params.fit`) and listed among the flagged.
    static func item(_ fit: ItemFit) -> JSONObject {
        let sx2 = fit.summedScoreFit.value
        return JSONObject([
            ("flagged", .bool(fit.isFlagged)), ("n", .int(Int64(fit.responseCount))),
            ("rules", .array(fit.flags.map { .string($0.rule.rawValue) })),
            ("reasons", .array(fit.flags.map { .string($0.reason) })),
            ("infit", .number(fit.infit)), ("outfit", .number(fit.outfit)),
            ("infit_t", .number(fit.infitT)), ("outfit_t", .number(fit.outfitT)),
            ("item_rest", .number(fit.itemRestCorrelation)), ("s_x2", .number(sx2?.statistic)),
            ("s_x2_df", sx2.map { .int(Int64($0.degreesOfFreedom)) } ?? .null),
            ("s_x2_p", .number(sx2?.p)), ("s_x2_p_adjusted", .number(sx2?.adjustedP)),
            ("s_x2_not_computed", .optional(fit.summedScoreFit.reason)),
            (
                "groups",
                .array(
                    fit.groups.map {
                        [
                            "theta": .double($0.meanTheta), "n": .int(Int64($0.responses)),
                            "correct": .int(Int64($0.correct)),
                        ]
                    })
            ),
        ])
    }
}
