import DemoData
import TestSupport

extension TestService {
    /// Loads a small demo data set (300 learners, 30 items, 21 days): enough for every read route to find data, and
    /// quick to load. The contract and schemathesis tests share it.
    func loadSmallDemo() throws {
        var options = DemoDataOptions()
        options.learners = 300
        options.items = 30
        options.days = 21
        _ = try DemoData.load(options, into: database.pool, logger: TestServer.quietLogger)
    }
}
