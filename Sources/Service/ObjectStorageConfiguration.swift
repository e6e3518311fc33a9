import OutboundHTTP

extension ServiceConfiguration {
    /// `REPORTS_S3_BUCKET` enables report uploads; the endpoint and keys must then be set too (the region defaults to
    /// us-east-1).
    static func objectStorage(_ reader: EnvironmentReader) throws(ConfigurationError) -> ObjectStorageClient
        .Configuration?
    {
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
        return ObjectStorageClient.Configuration(
            endpoint: endpoint, bucket: bucket, region: reader.string("REPORTS_S3_REGION") ?? "us-east-1",
            accessKeyID: try required("REPORTS_S3_ACCESS_KEY_ID"),
            secretAccessKey: try required("REPORTS_S3_SECRET_ACCESS_KEY"))
    }
}
