package io.weft.controller.store.etcd;

import io.weft.controller.store.StoreOpenException;

/**
 * A key under the intent prefix that Weft cannot read: refused rather than skipped, because a controller that left
 * a record out would remove that container from every host. Nothing is written; the operator fixes or deletes the
 * key in etcd, and the store reads it again.
 */
public final class DamagedEtcdKeyException extends StoreOpenException {

    private final String key;

    public DamagedEtcdKeyException(String key, String problem) {
        super("etcd key " + key + " cannot be read: " + problem + ". Weft does not use a state it cannot read whole "
                + "(it would remove what is missing from the hosts) and changed nothing: put a valid record there or "
                + "delete the key (etcdctl del " + key + ")");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
