package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.objectstore.ObjectStore;
import dev.etcdvm.operator.objectstore.ObjectStoreException;
import dev.etcdvm.operator.objectstore.StoredObject;
import dev.etcdvm.operator.objectstore.Upload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A bucket in memory, for decisions about which snapshot to take; uploads are not needed here. */
final class MemoryStore implements ObjectStore {
    private final Map<String, byte[]> bytes = new TreeMap<>();
    private final Map<String, Map<String, String>> metadata = new TreeMap<>();

    void put(String key, byte[] content, Map<String, String> meta) {
        bytes.put(key, content);
        metadata.put(key, Map.copyOf(meta));
    }

    @Override
    public Upload upload(String key, Map<String, String> meta) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void replaceMetadata(String key, Map<String, String> meta) {
        metadata.put(key, Map.copyOf(meta));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return bytes.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> new StoredObject(e.getKey(), e.getValue().length, Instant.EPOCH, Map.of())).toList();
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return Optional.ofNullable(bytes.get(key))
                .map(b -> new StoredObject(key, b.length, Instant.EPOCH, metadata.get(key)));
    }

    @Override
    public InputStream open(String key) {
        byte[] content = bytes.get(key);
        if (content == null) {
            throw new ObjectStoreException(ObjectStoreException.Kind.OBJECT_MISSING, "no " + key, null);
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public void download(String key, OutputStream sink) {
        try (InputStream in = open(key)) {
            in.transferTo(sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String key) {
        bytes.remove(key);
        metadata.remove(key);
    }

    @Override
    public void close() {
    }
}
