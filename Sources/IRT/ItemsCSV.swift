/// The item CSV formats: estimates out (`item_id,a,b,c,se_a,se_b,se_c`) and parameters in (`item_id,a,b,c`).
public enum ItemsCSV {
    /// Estimates as `item_id,a,b,c,se_a,se_b,se_c` (c and se_c are 0 for the 1PL and 2PL, SEs 0 for anchors).
    public static func format(itemIDs: [String], estimates: [ItemEstimate]) -> String {
        var out = "item_id,a,b,c,se_a,se_b,se_c\n"
        for (id, e) in zip(itemIDs, estimates) {
            let p = e.parameters
            out += "\(CSVText.escape(id)),\(p.a),\(p.b),\(p.c),\(e.se.a),\(e.se.b),\(e.se.c)\n"
        }
        return out
    }

    /// Known parameters in the estimates' format, SE columns 0 (e.g. the truth of a simulation).
    public static func format(itemIDs: [String], parameters: [ItemParameters]) -> String {
        format(
            itemIDs: itemIDs,
            estimates: parameters.map {
                ItemEstimate(parameters: $0, se: ItemParameters(a: 0, b: 0, c: 0), isAnchor: true, responseCount: 0)
            })
    }

    /// Parses item parameters from CSV with a header naming `item_id`, `a`, `b`, `c` (any order, extra columns
    /// such as SEs ignored), e.g. anchors.
    ///
    /// - Throws: `IRTError` naming the line, for a missing column, a repeated or empty id, or parameters that do
    ///   not describe a usable item (`a > 0`, `0 ≤ c < 1`, all finite).
    public static func parseParameters(_ text: String) throws(IRTError) -> [(id: String, parameters: ItemParameters)] {
        var positions: [Int] = []
        var seen: Set<String> = []
        var out: [(id: String, parameters: ItemParameters)] = []
        try CSVText.forEachRecord(text) { (line, fields) throws(IRTError) in
            if positions.isEmpty {
                positions = try CSVText.columns(["item_id", "a", "b", "c"], in: fields)
                return
            }
            let needed = (positions.max() ?? 0) + 1
            guard fields.count >= needed else {
                throw IRTError("line \(line): expected \(needed) fields, got \(fields.count)")
            }
            let id = CSVText.trim(fields[positions[0]])
            guard !id.isEmpty else { throw IRTError("line \(line): empty item_id") }
            guard seen.insert(id).inserted else { throw IRTError("line \(line): item \(id) appears twice") }
            let item = ItemParameters(
                a: try CSVText.number(fields[positions[1]], line: line, column: "a"),
                b: try CSVText.number(fields[positions[2]], line: line, column: "b"),
                c: try CSVText.number(fields[positions[3]], line: line, column: "c"))
            guard item.isUsable else { throw IRTError("line \(line): item \(id) needs a > 0 and 0 ≤ c < 1") }
            out.append((id, item))
        }
        guard !positions.isEmpty else { throw IRTError("empty input: expected a header item_id,a,b,c") }
        return out
    }
}
