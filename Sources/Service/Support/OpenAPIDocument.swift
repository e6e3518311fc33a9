import Foundation

/// The API description served at `/openapi.yaml`: the repository's `openapi.yaml`, bundled as a resource.
enum OpenAPIDocument {
    static func load() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw ConfigurationError("the bundled openapi.yaml is missing")
        }
        return Array(try Data(contentsOf: url))
    }
}
