//! How the object_store client is set up for a bucket: checksums on every PUT, retries
//! with backoff, timeouts that let a large photo through a slow uplink, and the request
//! style a custom endpoint wants.

use super::S3Url;
use object_store::aws::{AmazonS3Builder, AwsCredential, Checksum};
use object_store::{BackoffConfig, ClientOptions, RetryConfig};
use std::time::Duration;

/// The object_store client: checksums on, retries with backoff, path-style requests for
/// a custom endpoint (MinIO, Garage and most others want them; so does an IP address).
pub(super) fn store(
    url: &S3Url,
    credential: &AwsCredential,
    region: &str,
    endpoint: Option<String>,
) -> AmazonS3Builder {
    let retry = RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(15),
            base: 2.,
        },
        max_retries: 5,
        retry_timeout: Duration::from_secs(120),
    };
    // A photo of 64 MB on a slow uplink takes minutes; only a stalled connection
    // should time out.
    let client = ClientOptions::new()
        .with_timeout(Duration::from_secs(600))
        .with_connect_timeout(Duration::from_secs(10));
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&url.bucket)
        .with_region(region)
        .with_access_key_id(&credential.key_id)
        .with_secret_access_key(&credential.secret_key)
        .with_checksum_algorithm(Checksum::SHA256)
        .with_retry(retry)
        .with_client_options(client);
    if let Some(token) = &credential.token {
        builder = builder.with_token(token);
    }
    match endpoint {
        Some(endpoint) => builder
            .with_endpoint(endpoint)
            .with_allow_http(true)
            .with_virtual_hosted_style_request(false),
        None => builder.with_virtual_hosted_style_request(true),
    }
}
