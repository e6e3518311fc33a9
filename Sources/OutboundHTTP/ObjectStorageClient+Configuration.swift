extension ObjectStorageClient {
    /// Where objects go and how to sign for them. Printing or dumping a configuration never shows the secret key.
    public struct Configuration: Sendable, CustomStringConvertible, CustomReflectable {
        /// `http://host:port` or `https://host`, optionally with a path prefix; objects live under
        /// `<endpoint>/<bucket>/<key>` (path-style addressing, which S3-compatible servers all support).
        public var endpoint: String
        public var bucket: String
        /// The signing region (`us-east-1`); any S3-compatible server accepts the one it is configured with.
        public var region: String
        public var accessKeyID: String
        public var secretAccessKey: String
        /// The limit for each attempt of a call.
        public var timeout: Duration = .seconds(30)
        public var connectTimeout: Duration = .seconds(5)
        /// Retries for connection failures, timeouts, 5xx and 429 (S3's `SlowDown` is a 503).
        public var retryPolicy = RetryPolicy(maxAttempts: 3)
        /// `getObject` refuses larger objects.
        public var maxObjectBytes = 64 * 1024 * 1024

        public init(endpoint: String, bucket: String, region: String, accessKeyID: String, secretAccessKey: String) {
            self.endpoint = endpoint
            self.bucket = bucket
            self.region = region
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
        }

        public var description: String {
            "ObjectStorageClient.Configuration(endpoint: \(URLOrigin.redacted(endpoint)), bucket: \(bucket), "
                + "region: \(region), accessKeyID: \(accessKeyID), secretAccessKey: <redacted>)"
        }

        public var customMirror: Mirror {
            Mirror(
                self,
                children: [
                    "endpoint": endpoint, "bucket": bucket, "region": region, "accessKeyID": accessKeyID,
                    "secretAccessKey": "<redacted>",
                ])
        }

        /// The endpoint without trailing slashes, or nil when it is not an http(s) URL.
        var baseURL: String? {
            let lowered = endpoint.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return nil }
            var base = Substring(endpoint)
            while base.hasSuffix("/") { base.removeLast() }
            return String(base)
        }

        /// The region is spliced into libcurl's `aws:amz:<region>:s3`, so it may only hold letters, digits, `-`
        /// and `_`.
        var hasValidRegion: Bool {
            !region.isEmpty && region.utf8.allSatisfy { ObjectKey.isUnreserved($0) && $0 != UInt8(ascii: ".") }
        }
    }
}
