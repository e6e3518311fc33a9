import OutboundHTTP

/// The `REPORTS_S3_*` settings as given. A bucket enables report uploads; the endpoint and both keys must then be set
/// too (the region defaults to us-east-1). `ServiceConfiguration.resolve` turns them into `objectStorage`.
public struct ObjectStorageSettings: Sendable {
    public var bucket: String?
    public var endpoint: String?
    public var region = "us-east-1"
    public var accessKeyID: String?
    public var secretAccessKey: String?

    public init() {}

    /// nil without a bucket; the client configuration with one, or an error naming the first missing variable.
    func clientConfiguration() throws(ConfigurationError) -> ObjectStorageClient.Configuration? {
        guard let bucket else { return nil }
        func required(_ value: String?, _ name: String) throws(ConfigurationError) -> String {
            guard let value else { throw ConfigurationError("\(name) is required when REPORTS_S3_BUCKET is set") }
            return value
        }
        return ObjectStorageClient.Configuration(
            endpoint: try required(endpoint, "REPORTS_S3_ENDPOINT"), bucket: bucket, region: region,
            accessKeyID: try required(accessKeyID, "REPORTS_S3_ACCESS_KEY_ID"),
            secretAccessKey: try required(secretAccessKey, "REPORTS_S3_SECRET_ACCESS_KEY"))
    }
}
