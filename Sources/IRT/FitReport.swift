/// Item fit, test information and reliability of one calibration (see `FitAnalysis`).
public struct FitReport: Sendable {
    /// One entry per item index.
    public var items: [ItemFit]
    /// The real quadrature nodes.
    public var nodes: [Double]
    /// Test information of all items at each node.
    public var information: [Double]
    /// Empirical marginal reliability `1 − mean(se²) / var(θ̂)` over the learners with responses; `nil` when
    /// undefined (fewer than two learners or no spread).
    public var reliability: Double?
    /// Per topic, in order of first appearance among the items; empty when items carry no topics.
    public var topics: [TopicFit]

    public init(
        items: [ItemFit], nodes: [Double], information: [Double], reliability: Double?, topics: [TopicFit]
    ) {
        self.items = items
        self.nodes = nodes
        self.information = information
        self.reliability = reliability
        self.topics = topics
    }

    /// Indices of the flagged items, ascending.
    public var flaggedItems: [Int] { items.indices.filter { items[$0].isFlagged } }
}

/// Information and reliability of the items of one topic.
public struct TopicFit: Sendable, Hashable {
    public var topic: String
    /// Item indices, ascending.
    public var items: [Int]
    /// Information of the topic's items at each node of `FitReport.nodes`.
    public var information: [Double]
    /// Empirical marginal reliability of abilities scored (EAP) on the topic's items alone, over the learners who
    /// answered at least one of them.
    public var reliability: Double?

    public init(topic: String, items: [Int], information: [Double], reliability: Double?) {
        self.topic = topic
        self.items = items
        self.information = information
        self.reliability = reliability
    }
}
