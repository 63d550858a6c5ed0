package io.authrelay.server.migrate;

import io.authrelay.core.vault.SecretRef;
import io.authrelay.core.vault.Vault;
import io.authrelay.core.vault.VaultException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A few sealed secrets, picked at random, with their ciphertexts as the source holds them. Opening them proves the
 * keyset belongs to the database; the plaintext is dropped at once and never leaves this class.
 */
final class SealedSample {
    static final int SIZE = 16;

    private record Sealed(SecretRef ref, byte[] ciphertext) {}

    private final List<Sealed> rows;

    private SealedSample(List<Sealed> rows) {
        this.rows = rows;
    }

    static SealedSample pick(Connection source) throws SQLException {
        List<Sealed> rows = new ArrayList<>();
        try (PreparedStatement select = source.prepareStatement(
                        "SELECT owner_kind, owner_id, field, ciphertext FROM sealed_secret ORDER BY RANDOM() LIMIT "
                                + SIZE);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(new Sealed(new SecretRef(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getBytes(4)));
            }
        }
        return new SealedSample(rows);
    }

    int size() {
        return rows.size();
    }

    /** Before anything is written: the keyset must open what the source holds. */
    void requireOpens(Vault vault, Path keyset) {
        for (Sealed row : rows)
            open(
                    vault,
                    row.ref(),
                    row.ciphertext(),
                    "keyset " + keyset
                            + " cannot decrypt the source's secrets (wrong keyset): name the keyset that belongs to this"
                            + " database with --keyset");
    }

    /** After the copy: the same rows read back from the target are byte for byte the source's, and open. */
    void requireCopied(Connection target, Vault vault) throws SQLException {
        try (PreparedStatement select = target.prepareStatement(
                "SELECT ciphertext FROM sealed_secret WHERE owner_kind = ? AND owner_id = ? AND field = ?")) {
            for (Sealed row : rows) {
                select.setString(1, row.ref().ownerKind());
                select.setString(2, row.ref().ownerId());
                select.setString(3, row.ref().field());
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next() || !Arrays.equals(rs.getBytes(1), row.ciphertext())) {
                        throw new CopyRefusal("verification failed: a sealed "
                                + row.ref().ownerKind() + "/" + row.ref().field() + " differs in the target");
                    }
                    open(
                            vault,
                            row.ref(),
                            rs.getBytes(1),
                            "verification failed: the target's copy of a sealed "
                                    + row.ref().ownerKind() + "/" + row.ref().field() + " does not decrypt");
                }
            }
        }
    }

    private static void open(Vault vault, SecretRef ref, byte[] ciphertext, String refusal) {
        try {
            Arrays.fill(vault.open(ciphertext, ref), (byte) 0);
        } catch (VaultException e) {
            throw new CopyRefusal(refusal, e);
        }
    }
}
