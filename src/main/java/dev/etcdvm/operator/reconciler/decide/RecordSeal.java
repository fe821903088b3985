package dev.etcdvm.operator.reconciler.decide;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed hash (HMAC-SHA256) over a record this operator writes into status and later acts on. Status can be
 * patched by anyone allowed to patch status; the key lives in a Secret only the operator (and whoever may read
 * the cluster's Secrets) can read, so an edited or invented record does not carry a seal that holds.
 */
public final class RecordSeal {
    /** No key could be had: nothing can be sealed, and no sealed record is trusted. */
    public static final RecordSeal UNAVAILABLE = new RecordSeal(null);
    private static final TypeReference<TreeMap<String, Object>> FIELDS = new TypeReference<>() {
    };
    private final byte[] key;

    private RecordSeal(byte[] key) {
        this.key = key;
    }

    public static RecordSeal withKey(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a seal key has at least 32 bytes");
        }
        return new RecordSeal(key.clone());
    }

    public boolean available() {
        return key != null;
    }

    /** A copy of the record carrying its seal. */
    public RecoveryRecord sealed(RecoveryRecord record) {
        RecoveryRecord copy = Serialization.clone(record);
        copy.setSeal(mac(record).orElseThrow(() -> new IllegalStateException("no seal key")));
        return copy;
    }

    /** Whether the record carries the seal of exactly these field values. */
    public boolean holds(RecoveryRecord record) {
        Optional<String> expected = mac(record);
        return expected.isPresent() && record.getSeal() != null && MessageDigest.isEqual(
                expected.get().getBytes(StandardCharsets.US_ASCII), record.getSeal().getBytes(StandardCharsets.US_ASCII));
    }

    /** Over the fields by name, nulls left out, so the same values always hash alike whatever the field order. */
    private Optional<String> mac(RecoveryRecord record) {
        if (key == null) {
            return Optional.empty();
        }
        TreeMap<String, Object> fields = Serialization.jsonMapper().convertValue(record, FIELDS);
        fields.remove("seal");
        fields.values().removeIf(Objects::isNull);
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = hmac.doFinal(Serialization.asJson(fields).getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
