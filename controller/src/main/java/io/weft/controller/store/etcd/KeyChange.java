package io.weft.controller.store.etcd;

import java.util.Optional;

/**
 * One key as etcd reported it, in a read or a watch: its value, or empty once deleted, and the revision that wrote it
 * (all keys of one transaction share it).
 */
record KeyChange(String key, Optional<String> value, long revision) {
}
