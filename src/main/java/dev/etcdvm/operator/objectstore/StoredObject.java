package dev.etcdvm.operator.objectstore;

import java.time.Instant;
import java.util.Map;

/**
 * One object as the store lists it.
 *
 * @param metadata the user metadata, when it was asked for (a listing does not carry it)
 */
public record StoredObject(String key, long size, Instant lastModified, Map<String, String> metadata) {
    public StoredObject {
        metadata = Map.copyOf(metadata);
    }
}
