/**
 * Weft's intent store: the {@link io.weft.controller.store.Store} interface, and its embedded implementation
 * {@link io.weft.controller.store.MvStore}, which refuses to load a state that is not the last one committed.
 *
 * <p>A data directory holds {@code weft.mv.db} (the records, each commit with a checksum of the whole content and the
 * revision) and {@code weft.seal} (the last revision committed and that checksum, apart from the data; see
 * {@link io.weft.controller.store.SealFile}); both mode 0600, the directory closed to other users. Opening reads both
 * without writing and decides:
 * <ul>
 *   <li>neither file (or an empty data file and no seal, or a seal at revision 0): a new, empty store;</li>
 *   <li>data file missing or empty while the seal records a commit: damaged;</li>
 *   <li>data file unreadable, a record that does not decode, or content that fails its checksum: damaged;</li>
 *   <li>data file behind the seal (truncated, or an older copy), or at the seal's revision with another checksum:
 *       damaged;</li>
 *   <li>data file ahead of the seal: accepted (a crash came between a commit and its seal, which is not fsynced);
 *       its own checksum still has to hold;</li>
 *   <li>seal missing while the data file carries checksums: damaged, because whether the data lost commits cannot
 *       be told; seal missing and a data file without checksums: a store written by a Weft before seals, accepted
 *       once and sealed (an upgrade; an operator who deletes the seal of a current store gets a refusal);</li>
 *   <li>seal file present without one valid slot: damaged.</li>
 * </ul>
 * Damaged means {@link io.weft.controller.store.DamagedStoreException}: the files stay as they were, and the
 * operator restores them from a backup or explicitly discards them
 * ({@link io.weft.controller.store.MvStore#setAsideDamaged}, the {@code --discard-damaged-state} option).
 */
package io.weft.controller.store;
