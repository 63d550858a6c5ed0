package io.authrelay.server.clilogin;

import io.authrelay.core.clilogin.CliDriver;
import io.authrelay.core.clilogin.CliDrivers;
import io.authrelay.core.provider.CliTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drivers as providers.yaml says now: read again when the file changes, so that the owner's edit (or {@code
 * provider add --command}, which edits the file) applies to the next login without a restart. An edit that does not
 * read keeps the drivers as they were, with a warning; the next start refuses it, as it refuses any bad file.
 */
public final class LiveDrivers implements CliDrivers, CliTypes {
    private static final Logger log = LoggerFactory.getLogger(LiveDrivers.class);

    private final Path file;
    private final Supplier<DriverCatalog> reader;
    private volatile Snapshot current;

    private record Snapshot(FileTime modified, long size, DriverCatalog catalog) {}

    public LiveDrivers(Path file, Supplier<DriverCatalog> reader) {
        this.file = file;
        this.reader = reader;
        this.current = new Snapshot(modified(), size(), reader.get());
    }

    @Override
    public Optional<CliDriver> find(String type) {
        return catalog().find(type);
    }

    @Override
    public Optional<CliType> cliType(String type) {
        return catalog().cliType(type);
    }

    @Override
    public List<String> names() {
        return catalog().names();
    }

    private DriverCatalog catalog() {
        Snapshot seen = current;
        FileTime modified = modified();
        long size = size();
        if (Objects.equals(modified, seen.modified()) && size == seen.size()) return seen.catalog();
        synchronized (this) {
            if (current != seen) return current.catalog();
            try {
                current = new Snapshot(modified, size, reader.get());
                log.info("{} changed: AI-CLI drivers read again", file);
            } catch (RuntimeException e) { // a StartupRefusal, mostly: the file does not read
                log.warn(
                        "{} changed but its drivers do not read ({}); the drivers stay as they were",
                        file,
                        e.getMessage());
                current = new Snapshot(modified, size, seen.catalog());
            }
            return current.catalog();
        }
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null; // no file: the shipped drivers
        }
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
