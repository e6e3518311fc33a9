import OutboundHTTP
import TestSupport
import Testing

/// Key encoding and what a storage configuration reveals, without any network.
struct ObjectKeyTests {
    @Test(arguments: [
        ("reports/u1/2026-11-23.html", "reports/u1/2026-11-23.html"),
        ("reports/a b<script>/é.html", "reports/a%20b%3Cscript%3E/%C3%A9.html"),
        ("reports/a/b/2026.html", "reports/a/b/2026.html"),
        ("reports/../x", "reports/../x"),
        ("a//b/", "a//b/"),
        ("-_.~AZaz09", "-_.~AZaz09"),
        ("+&=?#%:;@!$'()*,\"", "%2B%26%3D%3F%23%25%3A%3B%40%21%24%27%28%29%2A%2C%22"),
        ("😀\t\n", "%F0%9F%98%80%09%0A"),
    ])
    func percentEncodesEachSegment(key: String, encoded: String) {
        #expect(ObjectKey.percentEncoded(key) == encoded)
    }

    @Test func validKeys() {
        #expect(ObjectKey.isValid("a"))
        #expect(ObjectKey.isValid(String(repeating: "é", count: 512)))
        #expect(!ObjectKey.isValid(""))
        #expect(!ObjectKey.isValid(String(repeating: "é", count: 513)))
    }

    @Test func objectURLIsPathStyle() {
        let configuration = ObjectStorageClient.Configuration(
            endpoint: "http://127.0.0.1:9000/", bucket: "reports", region: "us-east-1", accessKeyID: "AKID",
            secretAccessKey: "s3cr3t")
        let storage = ObjectStorageClient(configuration: configuration, client: quietClient)
        #expect(storage.objectURL(forKey: "reports/x y/1.html") == "http://127.0.0.1:9000/reports/reports/x%20y/1.html")
    }

    @Test func configurationNeverShowsTheSecret() {
        let configuration = ObjectStorageClient.Configuration(
            endpoint: "https://s3.example.test", bucket: "b", region: "eu-west-1", accessKeyID: "AKID",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", String(reflecting: configuration), dumped] {
            #expect(!text.contains("wJalrXUtnFEMI"), "\(text)")
            #expect(text.contains("AKID"))
        }
    }

    @Test func invalidConfigurationIsRefusedBeforeSending() async {
        let configuration = ObjectStorageClient.Configuration(
            endpoint: "ftp://storage.example.test", bucket: "b", region: "us-east-1", accessKeyID: "AKID",
            secretAccessKey: "s3cr3t")
        let storage = ObjectStorageClient(configuration: configuration, client: quietClient)

        let result = await onOwnThread {
            Result { () throws(OutboundError) in try storage.putObject(key: "k", body: [], contentType: "text/plain") }
        }

        guard case .failure(let error) = result, case .invalidRequest = error.kind else {
            Issue.record("expected an invalid request, got \(result)")
            return
        }
        #expect(!error.description.contains("s3cr3t"))
    }
}
