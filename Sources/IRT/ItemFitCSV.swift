/// The item-fit CSV: `item_id,n,infit,outfit,infit_t,outfit_t,s_x2,s_x2_df,s_x2_p,flagged`.
public enum ItemFitCSV {
    /// One row per item; a field is empty where the statistic was not computed (S-X² on incomplete data, t with no
    /// variance, anything without responses). `flagged` is 1 or 0; the reasons are in `FitReport`.
    public static func format(itemIDs: [String], report: FitReport) -> String {
        var out = "item_id,n,infit,outfit,infit_t,outfit_t,s_x2,s_x2_df,s_x2_p,flagged\n"
        for (id, fit) in zip(itemIDs, report.items) {
            let sx2 = fit.summedScoreFit.value
            let fields = [
                CSVText.escape(id), String(fit.responseCount), text(fit.infit), text(fit.outfit), text(fit.infitT),
                text(fit.outfitT), text(sx2?.statistic), sx2.map { String($0.degreesOfFreedom) } ?? "", text(sx2?.p),
                fit.isFlagged ? "1" : "0",
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func text(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return String(value)
    }
}
