package io.weft.cli;

import picocli.CommandLine.Parameters;

/** NETWORK ENDPOINT: how the commands name one endpoint, as the API does ({@code /networks/N/endpoints/E}). */
final class EndpointRef {

    @Parameters(index = "0", paramLabel = "NETWORK")
    String network;

    @Parameters(index = "1", paramLabel = "ENDPOINT", description = "The endpoint's name, e.g. its container's.")
    String endpoint;

    String path() {
        return WeftRest.path("networks", network, "endpoints", endpoint);
    }
}
