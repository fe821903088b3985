package dev.etcdvm.operator.objectstore;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An S3-compatible bucket, as the operator uses it. Every call fails with {@link ObjectStoreException}. */
public interface ObjectStore extends AutoCloseable {
    /** Starts a streamed upload; the metadata is stored with the object. */
    Upload upload(String key, Map<String, String> metadata);

    /** Replaces an object's metadata in place (the store copies the object onto itself). */
    void replaceMetadata(String key, Map<String, String> metadata);

    /** Every object whose key starts with the prefix, in key order, without metadata. */
    List<StoredObject> list(String prefix);

    /** One object with its metadata, or empty when there is none under this key. */
    Optional<StoredObject> head(String key);

    /** The object's bytes as a stream the caller closes. */
    InputStream open(String key);

    /** Streams the object's bytes into the sink. */
    void download(String key, OutputStream sink);

    void delete(String key);

    @Override
    void close();
}
