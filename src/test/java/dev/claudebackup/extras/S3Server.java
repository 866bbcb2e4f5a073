package dev.claudebackup.extras;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server in the test's JVM: S3Proxy on loopback, storing in memory, with made-up keys. It
 * can be stopped and started again on the same port with the same objects, like a store that was down.
 * The tests read the bucket back through the AWS SDK, as any S3 client would.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "TEST-ACCESS-KEY";
    static final String SECRET_KEY = "test-secret-key-not-a-real-one-0000";

    private final BlobStore store;
    private int port;
    private S3Proxy proxy;
    private S3Client client;

    S3Server() throws Exception {
        store = new TransientNio2BlobStore();
        start();
    }

    void start() throws Exception {
        proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        port = proxy.getPort();
    }

    void stop() throws Exception {
        proxy.stop();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The properties that switch the S3 copy on, as a user would put them in a --config file. */
    String configuration(String bucket, String prefix) {
        return "extras.s3.enabled=true\n"
                + "extras.s3.bucket=" + bucket + "\n"
                + "extras.s3.prefix=" + prefix + "\n"
                + "extras.s3.endpoint=" + endpoint() + "\n"
                + "extras.s3.path-style=true\n"
                + "extras.s3.access-key=" + ACCESS_KEY + "\n"
                + "extras.s3.secret-key=" + SECRET_KEY + "\n";
    }

    S3Client client() {
        if (client == null) {
            client = S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .build();
        }
        return client;
    }

    void createBucket(String bucket) {
        client().createBucket(request -> request.bucket(bucket));
    }

    void put(String bucket, String key, byte[] content) {
        client().putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /** Every object in the bucket, by key, with its content. */
    Map<String, byte[]> objects(String bucket) {
        Map<String, byte[]> objects = new TreeMap<>();
        for (S3Object object : client().listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).build()).contents()) {
            objects.put(object.key(), client().getObjectAsBytes(request -> request.bucket(bucket).key(object.key())).asByteArray());
        }
        return objects;
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        proxy.stop();
    }
}
