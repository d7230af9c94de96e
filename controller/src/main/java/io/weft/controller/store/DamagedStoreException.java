package io.weft.controller.store;

import java.nio.file.Path;

/**
 * The store's files do not hold the state that was last committed: refused rather than loaded, because a controller
 * that started on an old or empty state would remove the missing containers from every host. The files are left as
 * they were found, for the operator to restore or inspect.
 */
public final class DamagedStoreException extends StoreOpenException {

    private final Path dataDir;
    private final String problem;

    public DamagedStoreException(Path dataDir, String problem) {
        super("the store in " + dataDir + " is damaged: " + problem + ". Weft does not start on it (it would remove "
                + "the missing containers from the hosts); its files were not changed. Restore " + MvStore.FILE_NAME
                + " and " + SealFile.FILE_NAME + " together from a backup of " + dataDir + ".");
        this.dataDir = dataDir;
        this.problem = problem;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** What is wrong, without the advice. */
    public String problem() {
        return problem;
    }
}
