package io.weft.controller.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a store's data directory and who may read them: the directory is 0700 and every store file 0600, as
 * the state names every host and container. A directory that holds other files than Weft's (a shared one) keeps its
 * mode, with a warning.
 */
record StoreFiles(Path dir) {

    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Logger LOG = LoggerFactory.getLogger(StoreFiles.class);

    Path data() {
        return dir.resolve(MvStore.FILE_NAME);
    }

    Path seal() {
        return dir.resolve(SealFile.FILE_NAME);
    }

    /** Creates the directory, mode 0700, if it does not exist yet. */
    void createDirectory() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, OWNER_ONLY_DIR);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    /** Creates an empty data file with mode 0600 if there is none, so that it never exists with a wider mode. */
    void createDataFile() {
        try {
            if (!Files.exists(data())) {
                Files.createFile(data(), OWNER_ONLY_FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + data(), e);
        }
    }

    /** Narrows what older versions left wider: the store files to 0600, the directory to no access for others. */
    void restrictAccess() {
        try {
            for (Path f : List.of(data(), seal())) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                if (!mode.equals(PosixFilePermissions.fromString("rw-------"))) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                    LOG.info("{}: mode set to 0600 (was {})", f, PosixFilePermissions.toString(mode));
                }
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (mode.stream().anyMatch(OTHERS::contains)) {
                if (holdsOnlyWeftFiles()) {
                    Set<PosixFilePermission> narrowed = EnumSet.copyOf(mode);
                    narrowed.removeAll(OTHERS);
                    Files.setPosixFilePermissions(dir, narrowed);
                    LOG.info("{}: others' access removed (mode was {})", dir, PosixFilePermissions.toString(mode));
                } else {
                    LOG.warn("data directory {} is open to other users ({}) and holds other files than Weft's, so "
                            + "Weft leaves its mode alone: give Weft a directory of its own", dir,
                            PosixFilePermissions.toString(mode));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the mode of the store's files in " + dir, e);
        }
    }

    private boolean holdsOnlyWeftFiles() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.allMatch(p -> p.getFileName().toString().startsWith("weft."));
        }
    }

    /** Renames the data file and the seal, if present, to {@code NAME.damaged-TIME}; returns the new names. */
    List<Path> setAside() {
        String suffix = ".damaged-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        List<Path> moved = new ArrayList<>();
        try {
            for (Path f : List.of(data(), seal())) {
                if (Files.exists(f)) {
                    Path to = f.resolveSibling(f.getFileName() + suffix);
                    Files.move(f, to, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(to);
                }
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside the damaged store in " + dir, e);
        }
        return moved;
    }

    /** Makes creations and renames in {@code dir} survive power loss. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
