/// The item response models the calibrator fits.
///
/// All three share one response function, `P(θ) = c + (1 − c) / (1 + exp(−a(θ − b)))`, without the 1.702
/// scaling constant:
/// - `onePL`: one discrimination `a` common to all free items (estimated), a difficulty `b` per item, `c = 0`;
/// - `twoPL`: `a` and `b` per item, `c = 0`;
/// - `threePL`: `a`, `b` and a lower asymptote (guessing) `c` per item.
public enum IRTModel: String, Sendable, CaseIterable {
    case onePL = "1PL"
    case twoPL = "2PL"
    case threePL = "3PL"

    /// Parameters estimated per free item in the M-step of a 2PL/3PL item, or per item block (`a`, `b`) for the
    /// 1PL, whose `a` is shared.
    var itemDimensions: Int { self == .threePL ? 3 : 2 }
}
