package io.weft.controller;

/**
 * A way for orchestrators to talk to Weft (REST today; Docker's network plugin API later), found with
 * {@link java.util.ServiceLoader} so that the controller core does not depend on any of them.
 */
public interface Northbound extends AutoCloseable {

    /** Short name for logs, e.g. "rest". */
    String name();

    void start(NorthboundContext context) throws Exception;

    @Override
    void close();
}
