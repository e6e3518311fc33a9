/// Where reports are uploaded: an S3-compatible endpoint, bucket, region and keys (all from the environment).
public struct ObjectStorageConfiguration: Sendable {
    public var endpoint: String
    public var bucket: String
    public var region: String
    public var accessKeyID: String
    public var secretAccessKey: String

    public init(endpoint: String, bucket: String, region: String, accessKeyID: String, secretAccessKey: String) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    /// `REPORTS_S3_BUCKET` enables uploads; the endpoint, region and keys must then be set too.
    static func fromEnvironment(_ reader: EnvironmentReader) throws(ConfigurationError) -> ObjectStorageConfiguration? {
        guard let bucket = reader.string("REPORTS_S3_BUCKET") else { return nil }
        func required(_ name: String) throws(ConfigurationError) -> String {
            guard let value = reader.string(name) else {
                throw ConfigurationError("\(name) is required when REPORTS_S3_BUCKET is set")
            }
            return value
        }
        let endpoint = try required("REPORTS_S3_ENDPOINT")
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
            throw ConfigurationError("REPORTS_S3_ENDPOINT must be an http:// or https:// URL")
        }
        return ObjectStorageConfiguration(
            endpoint: endpoint, bucket: bucket, region: reader.string("REPORTS_S3_REGION") ?? "us-east-1",
            accessKeyID: try required("REPORTS_S3_ACCESS_KEY_ID"),
            secretAccessKey: try required("REPORTS_S3_SECRET_ACCESS_KEY"))
    }
}
