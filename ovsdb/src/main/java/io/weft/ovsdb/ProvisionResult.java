package io.weft.ovsdb;

/**
 * What one {@link OvsdbHost#apply} did.
 *
 * @param host         host name
 * @param operations   operations sent (0 when the cache already matched)
 * @param transactions transactions sent for this apply (0 or 1; more only after a concurrent change forced a retry)
 * @param cfg          the {@code next_cfg} that ovs-vswitchd has now applied ({@code cur_cfg >= cfg}), or the
 *                     current {@code cur_cfg} when nothing was sent
 */
public record ProvisionResult(String host, int operations, int transactions, long cfg) {

    public boolean changedNothing() {
        return transactions == 0;
    }
}
